//! Time series of supply and money across runs: per item and calendar month, per line and step,
//! per channel and step, per funding source and month. Each run's record keeps one integer per
//! (quantity, period), written by the engine's daily report; the accumulator counts it in a
//! [`TotalDist`], so the merge is exact and memory does not grow with the number of runs.
//!
//! Lines and channels are kept per *step* rather than per day: a week (7-day periods from the
//! start date) for horizons up to 120 days, a calendar month beyond, as the risk chart does.
//! Per day, eight quantities for every line and channel would take more memory and time than the
//! stock itself; a step still shows a ramp slip or a funding gap. Items and sources are kept per
//! calendar month, the unit of the deliveries-versus-use chart.
//!
//! A run's cumulative values are written once, on the last day of their period; only the sums
//! over days (backlogs, idle balances, capacity) are added every day.
//!
//! Two kinds of value: a *flow* (units delivered, money committed) is stored as its cumulative
//! total at the period's last day, so a period's flow is the difference of two periods; a *level*
//! (a backlog, an idle balance, a line's capacity) is stored as its sum over the period's days, so
//! the period's mean level is that sum over the period's length. Both are exact integers.

use super::TotalDist;
use crate::engine::RunRecord;
use crate::scenario::Scenario;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Per item and month: delivered (cumulative), used (cumulative), our backlog (Σ over days).
pub const ITEM_KINDS: usize = 3;
/// Per line and step: capacity (Σ of thousandths of a unit a day), our output (cumulative),
/// other buyers' output (cumulative), our backlog (Σ over days).
pub const LINE_KINDS: usize = 4;
/// Per channel and step: idle balance (Σ cents over days), committed (cumulative cents).
pub const CHANNEL_KINDS: usize = 2;
/// Per source and month: pledged, paid (cumulative cents).
pub const SOURCE_KINDS: usize = 2;
/// Totals per month: delivered value (cumulative cents of goods delivered, at unit cost),
/// pledged, paid and committed to orders (cumulative cents), idle in channels (Σ cents over days).
pub const TOTAL_KINDS: usize = 5;

/// The periods and the entities' links the series need; the same for every run of a scenario.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shape {
    /// The first day.
    pub start: Option<NaiveDate>,
    /// Days (horizon + 1).
    pub days: usize,
    /// Calendar month index of each day (0 for the start's month).
    pub month_of_day: Vec<u32>,
    /// Months touched by the horizon.
    pub months: usize,
    /// Step (week for horizons up to 120 days, else calendar month) of each day.
    pub step_of_day: Vec<u32>,
    /// Steps touched by the horizon.
    pub steps: usize,
    /// Whether a step is a week (else a calendar month).
    pub weekly: bool,
    /// The item each line makes.
    pub line_item: Vec<usize>,
    /// The line of each other buyer, in the run record's order.
    pub customer_line: Vec<usize>,
    /// Unit cost of each item, cents.
    pub unit_cost: Vec<u64>,
    /// Items, lines, channels, sources.
    pub counts: [usize; 4],
}

impl Shape {
    /// The shape of a scenario's series.
    #[must_use]
    pub fn of(s: &Scenario) -> Shape {
        let days = s.days();
        let first = s.start.year() * 12 + s.start.month0() as i32;
        let month_of_day: Vec<u32> = (0..days)
            .map(|d| {
                let date = s.date(crate::units::Day(d as u32));
                (date.year() * 12 + date.month0() as i32 - first) as u32
            })
            .collect();
        let weekly = days <= 120;
        let step_of_day: Vec<u32> = if weekly {
            (0..days).map(|d| (d / 7) as u32).collect()
        } else {
            month_of_day.clone()
        };
        Shape {
            start: Some(s.start),
            days,
            months: month_of_day.last().map_or(0, |m| *m as usize + 1),
            month_of_day,
            steps: step_of_day.last().map_or(0, |w| *w as usize + 1),
            step_of_day,
            weekly,
            line_item: s.lines.iter().map(|l| l.item.0).collect(),
            customer_line: s
                .lines
                .iter()
                .enumerate()
                .flat_map(|(n, l)| std::iter::repeat_n(n, l.customers.len()))
                .collect(),
            unit_cost: s
                .items
                .iter()
                .map(|i| i.unit_cost.0.max(0) as u64)
                .collect(),
            counts: [
                s.items.len(),
                s.lines.len(),
                s.channels.len(),
                s.funding.len(),
            ],
        }
    }

    /// Whether this is the shape of `s` (cheap: no calendar work).
    fn fits(&self, s: &Scenario) -> bool {
        self.start == Some(s.start)
            && self.days == s.days()
            && self.counts
                == [
                    s.items.len(),
                    s.lines.len(),
                    s.channels.len(),
                    s.funding.len(),
                ]
            && self.customer_line.len() == s.lines.iter().map(|l| l.customers.len()).sum::<usize>()
            && self
                .line_item
                .iter()
                .zip(&s.lines)
                .all(|(a, l)| *a == l.item.0)
            && self
                .unit_cost
                .iter()
                .zip(&s.items)
                .all(|(a, i)| *a == i.unit_cost.0.max(0) as u64)
    }

    /// For each cell, the cell of the same quantity in the previous period when the cell is a
    /// per-period flow kept cumulative in the run record (items' deliveries and use, lines'
    /// output); `NONE` otherwise.
    fn flow_previous(&self) -> Vec<u32> {
        let mut prev = vec![NONE; self.cells()];
        for i in 0..self.counts[0] {
            for k in 0..2 {
                for m in 1..self.months {
                    prev[self.item(i, k, m)] = self.item(i, k, m - 1) as u32;
                }
            }
        }
        for n in 0..self.counts[1] {
            for k in 1..3 {
                for w in 1..self.steps {
                    prev[self.line(n, k, w)] = self.line(n, k, w - 1) as u32;
                }
            }
        }
        prev
    }

    /// Cells per run: the length of [`SeriesRecord::values`].
    #[must_use]
    pub fn cells(&self) -> usize {
        let [items, lines, channels, sources] = self.counts;
        self.months * (items * ITEM_KINDS + sources * SOURCE_KINDS + TOTAL_KINDS)
            + self.steps * (lines * LINE_KINDS + channels * CHANNEL_KINDS)
    }

    /// An upper bound of the bytes of one run's [`SeriesRecord`] (its values and its copy of
    /// the shape).
    #[must_use]
    pub fn record_bytes(&self) -> u64 {
        (8 * self.cells()
            + 8 * self.days
            + 16 * (self.line_item.len() + self.customer_line.len() + self.unit_cost.len())
            + 256) as u64
    }

    /// Index of item `i`'s quantity `k` in month `m`.
    #[must_use]
    pub fn item(&self, i: usize, k: usize, m: usize) -> usize {
        (i * ITEM_KINDS + k) * self.months + m
    }

    fn lines_base(&self) -> usize {
        self.counts[0] * ITEM_KINDS * self.months
    }

    /// Index of line `n`'s quantity `k` in step `w`.
    #[must_use]
    pub fn line(&self, n: usize, k: usize, w: usize) -> usize {
        self.lines_base() + (n * LINE_KINDS + k) * self.steps + w
    }

    fn channels_base(&self) -> usize {
        self.lines_base() + self.counts[1] * LINE_KINDS * self.steps
    }

    /// Index of channel `c`'s quantity `k` in step `w`.
    #[must_use]
    pub fn channel(&self, c: usize, k: usize, w: usize) -> usize {
        self.channels_base() + (c * CHANNEL_KINDS + k) * self.steps + w
    }

    fn sources_base(&self) -> usize {
        self.channels_base() + self.counts[2] * CHANNEL_KINDS * self.steps
    }

    /// Index of source `f`'s quantity `k` in month `m`.
    #[must_use]
    pub fn source(&self, f: usize, k: usize, m: usize) -> usize {
        self.sources_base() + (f * SOURCE_KINDS + k) * self.months + m
    }

    /// Index of total quantity `k` in month `m`.
    #[must_use]
    pub fn total(&self, k: usize, m: usize) -> usize {
        self.sources_base() + self.counts[3] * SOURCE_KINDS * self.months + k * self.months + m
    }

    /// Days of month `m` within the horizon, and of them the days with production (day 0 has none).
    #[must_use]
    pub fn month_days(&self, m: usize) -> (u64, u64) {
        let all = self
            .month_of_day
            .iter()
            .filter(|x| **x as usize == m)
            .count() as u64;
        (all, all - u64::from(m == 0))
    }

    /// Days of step `w` within the horizon, and of them the days with production.
    #[must_use]
    pub fn step_days(&self, w: usize) -> (u64, u64) {
        let all = self
            .step_of_day
            .iter()
            .filter(|x| **x as usize == w)
            .count() as u64;
        (all, all - u64::from(w == 0))
    }

    /// What a step is called: "week" or "month".
    #[must_use]
    pub fn step_name(&self) -> &'static str {
        if self.weekly {
            "week"
        } else {
            "month"
        }
    }

    /// First day of each month within the horizon.
    #[must_use]
    pub fn month_dates(&self) -> Vec<NaiveDate> {
        let start = self.start.unwrap_or_default();
        (0..self.months)
            .map(|m| {
                let d = self
                    .month_of_day
                    .iter()
                    .position(|x| *x as usize == m)
                    .unwrap_or(0);
                start + chrono::Days::new(d as u64)
            })
            .collect()
    }

    /// First day of each step.
    #[must_use]
    pub fn step_dates(&self) -> Vec<NaiveDate> {
        let start = self.start.unwrap_or_default();
        (0..self.steps)
            .map(|w| {
                let d = self
                    .step_of_day
                    .iter()
                    .position(|x| *x as usize == w)
                    .unwrap_or(0);
                start + chrono::Days::new(d as u64)
            })
            .collect()
    }
}

/// One run's series: one integer per (quantity, period); see [`Shape`] for the layout.
#[derive(Debug, Clone, Default)]
pub struct SeriesRecord {
    /// Layout.
    pub shape: Shape,
    /// Values, laid out by [`Shape`]'s index functions.
    pub values: Vec<u64>,
    /// Each line's realised capacity today (thousandths of a unit a day), set by the day's production.
    pub capacity_today: Vec<u64>,
    /// Sums over the days of the current step or month so far, written into `values` at the
    /// period's end: per line capacity and our backlog, per item our backlog, per channel the
    /// idle balance, and all channels' idle balance.
    sums: PeriodSums,
}

/// Running sums of the current period (see [`SeriesRecord`]).
#[derive(Debug, Clone, Default)]
struct PeriodSums {
    line_capacity: Vec<u64>,
    line_waiting: Vec<u64>,
    item_waiting: Vec<u64>,
    channel_idle: Vec<u64>,
    idle: u64,
}

impl SeriesRecord {
    /// Zeroes the record for a run of `s`, keeping its memory.
    pub fn reset(&mut self, s: &Scenario) {
        if !self.shape.fits(s) {
            self.shape = Shape::of(s);
        }
        self.values.clear();
        self.values.resize(self.shape.cells(), 0);
        self.capacity_today.clear();
        self.capacity_today.resize(s.lines.len(), 0);
        let sums = &mut self.sums;
        for (v, n) in [
            (&mut sums.line_capacity, s.lines.len()),
            (&mut sums.line_waiting, s.lines.len()),
            (&mut sums.item_waiting, s.items.len()),
            (&mut sums.channel_idle, s.channels.len()),
        ] {
            v.clear();
            v.resize(n, 0);
        }
        sums.idle = 0;
    }

    /// Notes line `n`'s realised capacity today (units a day in billionths).
    #[inline]
    pub fn note_capacity(&mut self, n: usize, billionths: u64) {
        self.capacity_today[n] = billionths / 1_000_000;
    }
}

/// Writes day `day`'s values of a run from its ledgers (called by the engine's daily report,
/// after the day's production, deliveries and use).
pub fn record_day(rec: &mut RunRecord, day: usize) {
    let se = &mut rec.series;
    let sh = &se.shape;
    let sums = &mut se.sums;
    let lines = rec.lines.iter().zip(&sh.line_item).zip(&se.capacity_today);
    let line_sums = sums.line_waiting.iter_mut().zip(&mut sums.line_capacity);
    for (((l, &item), &capacity), (waiting_sum, capacity_sum)) in lines.zip(line_sums) {
        let waiting = l.pending + l.backlog;
        sums.item_waiting[item] += waiting;
        *waiting_sum += waiting;
        *capacity_sum += capacity;
    }
    for (l, idle_sum) in rec.channels.iter().zip(&mut sums.channel_idle) {
        let idle = (l.received - l.spent - l.capacity - l.lost).max(0) as u64;
        *idle_sum += idle;
        sums.idle += idle;
    }
    let m = sh.month_of_day[day] as usize;
    let w = sh.step_of_day[day] as usize;
    let last = day + 1 >= sh.days;
    // Everything else is written once, on the last day of its period.
    let month_end = last || sh.month_of_day[day + 1] as usize != m;
    let step_end = last || sh.step_of_day[day + 1] as usize != w;
    let v = &mut se.values;
    if step_end {
        for (n, l) in rec.lines.iter().enumerate() {
            v[sh.line(n, 0, w)] = std::mem::take(&mut sums.line_capacity[n]);
            v[sh.line(n, 1, w)] = l.produced + l.released;
            v[sh.line(n, 2, w)] = 0;
            v[sh.line(n, 3, w)] = std::mem::take(&mut sums.line_waiting[n]);
        }
        for (&n, c) in sh.customer_line.iter().zip(&rec.customers) {
            v[sh.line(n, 2, w)] += c.delivered;
        }
        for (c, l) in rec.channels.iter().enumerate() {
            v[sh.channel(c, 0, w)] = std::mem::take(&mut sums.channel_idle[c]);
            v[sh.channel(c, 1, w)] = l.spent.max(0) as u64;
        }
    }
    if month_end {
        let mut value = 0u64;
        for (i, it) in rec.items.iter().enumerate() {
            v[sh.item(i, 0, m)] = it.delivered;
            v[sh.item(i, 1, m)] = it.consumed;
            v[sh.item(i, 2, m)] = std::mem::take(&mut sums.item_waiting[i]);
            value += it.delivered * sh.unit_cost[i];
        }
        v[sh.total(0, m)] = value;
        let (mut pledged, mut paid) = (0u64, 0u64);
        for (f, l) in rec.funding.iter().enumerate() {
            v[sh.source(f, 0, m)] = l.pledged.max(0) as u64;
            v[sh.source(f, 1, m)] = l.paid.max(0) as u64;
            pledged += l.pledged.max(0) as u64;
            paid += l.paid.max(0) as u64;
        }
        v[sh.total(1, m)] = pledged;
        v[sh.total(2, m)] = paid;
        v[sh.total(3, m)] = rec.channels.iter().map(|l| l.spent.max(0) as u64).sum();
        v[sh.total(4, m)] = std::mem::take(&mut sums.idle);
    }
}

const NONE: u32 = u32::MAX;

/// The series across runs: one distribution per (quantity, period). Items' deliveries and use
/// and lines' output are counted per period (not cumulative), so their percentiles are those of
/// a month's or week's flow.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SeriesStats {
    /// Layout.
    pub shape: Shape,
    /// One per run-record value.
    pub cells: Vec<TotalDist>,
    /// See [`Shape::flow_previous`].
    #[serde(skip)]
    previous: Vec<u32>,
}

impl SeriesStats {
    /// Empty statistics for a scenario.
    #[must_use]
    pub fn new(s: &Scenario) -> SeriesStats {
        let shape = Shape::of(s);
        SeriesStats {
            cells: vec![TotalDist::default(); shape.cells()],
            previous: shape.flow_previous(),
            shape,
        }
    }

    /// One run's values (`values`, a [`SeriesRecord::values`]) as the cells count them: flows
    /// as per-period differences, in cell order.
    pub fn flows<'a>(&'a mut self, values: &'a [u64]) -> impl Iterator<Item = u64> + 'a {
        if self.previous.len() != self.cells.len() {
            self.previous = self.shape.flow_previous();
        }
        self.previous.iter().enumerate().map(move |(k, &p)| {
            if p == NONE {
                values[k]
            } else {
                values[k] - values[p as usize]
            }
        })
    }

    /// Adds another (exact and order-free).
    pub fn merge(&mut self, o: &SeriesStats) {
        for (a, b) in self.cells.iter_mut().zip(&o.cells) {
            a.merge(b);
        }
    }
}

//! Chart series prepared from the results: the stock fan, risk, end stock, money, deliveries
//! against use and production charts, and the tables of supply and money over time
//! ([`PeriodTables`]) that `flows.csv`, `lines.csv`, `channels.csv` and `sources.csv` hold.

use super::{DailyRow, Results};
use crate::plot::{
    DateMark, EndStockSeries, FanSeries, FlowSeries, MoneyKind, MoneyLine, MoneySeries,
    ProductionSeries, RiskLine, RiskSeries, Spread3,
};
use crate::scenario::{Scenario, Start};
use crate::stats::series::{SeriesStats, Shape};
use crate::stats::TotalDist;
use crate::units::Day;
use chrono::NaiveDate;

/// Mean and P5 / P50 / P95 of a quantity in one period, across futures.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PeriodRow {
    /// Mean.
    pub mean: f64,
    /// 5th percentile.
    pub p5: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
}

impl PeriodRow {
    fn of(t: &TotalDist, divisor: f64) -> PeriodRow {
        let [p5, p50, p95] = t.hist.quantiles([0.05, 0.5, 0.95]);
        let d = if divisor > 0.0 { divisor } else { 1.0 };
        PeriodRow {
            mean: t.moments.mean() / d,
            p5: p5 / d,
            p50: p50 / d,
            p95: p95 / d,
        }
    }
}

/// One quantity over the periods.
pub type PeriodSeries = Vec<PeriodRow>;

/// Supply and money over time, prepared from [`SeriesStats`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PeriodTables {
    /// First day of each calendar month.
    pub months: Vec<NaiveDate>,
    /// First day of each step of the line and channel series (a week for horizons up to 120
    /// days, else a calendar month).
    pub steps: Vec<NaiveDate>,
    /// What a step is: "week" or "month".
    pub step_name: &'static str,
    /// Per item, by month: units delivered, units used, mean units on order not yet made.
    pub items: Vec<[PeriodSeries; 3]>,
    /// Per line, by step: realised capacity (units a day), output to us (units a day), output to
    /// other buyers (units a day), mean units we have on order not yet made.
    pub lines: Vec<[PeriodSeries; 4]>,
    /// Per channel, by step: mean idle balance (US dollars), money committed to orders so far.
    pub channels: Vec<[PeriodSeries; 2]>,
    /// Per funding source, by month: pledged and paid so far (US dollars).
    pub sources: Vec<[PeriodSeries; 2]>,
    /// All sources and channels, by month: delivered value, pledged, paid, committed so far,
    /// and the mean idle balance (US dollars).
    pub totals: [PeriodSeries; 5],
}

/// Prepares the period tables.
#[must_use]
pub fn tables(st: &SeriesStats) -> PeriodTables {
    let sh: &Shape = &st.shape;
    let [items, lines, channels, sources] = sh.counts;
    // A quantity by month or by step: the cell of each period and the divisor of its values.
    let by = |periods: usize, f: &dyn Fn(usize) -> (usize, f64)| -> PeriodSeries {
        (0..periods)
            .map(|p| {
                let (k, d) = f(p);
                PeriodRow::of(&st.cells[k], d)
            })
            .collect()
    };
    let (months, steps) = (sh.months, sh.steps);
    let mdays = |m: usize| sh.month_days(m).0 as f64;
    let wdays = |w: usize| sh.step_days(w);
    PeriodTables {
        months: sh.month_dates(),
        steps: sh.step_dates(),
        step_name: sh.step_name(),
        items: (0..items)
            .map(|i| {
                [
                    by(months, &|m| (sh.item(i, 0, m), 1.0)),
                    by(months, &|m| (sh.item(i, 1, m), 1.0)),
                    by(months, &|m| (sh.item(i, 2, m), mdays(m))),
                ]
            })
            .collect(),
        lines: (0..lines)
            .map(|n| {
                [
                    by(steps, &|w| (sh.line(n, 0, w), 1000.0 * wdays(w).1 as f64)),
                    by(steps, &|w| (sh.line(n, 1, w), wdays(w).0 as f64)),
                    by(steps, &|w| (sh.line(n, 2, w), wdays(w).0 as f64)),
                    by(steps, &|w| (sh.line(n, 3, w), wdays(w).0 as f64)),
                ]
            })
            .collect(),
        channels: (0..channels)
            .map(|c| {
                [
                    by(steps, &|w| (sh.channel(c, 0, w), 100.0 * wdays(w).0 as f64)),
                    by(steps, &|w| (sh.channel(c, 1, w), 100.0)),
                ]
            })
            .collect(),
        sources: (0..sources)
            .map(|f| [0, 1].map(|k| by(months, &|m| (sh.source(f, k, m), 100.0))))
            .collect(),
        // The idle balance is a mean over the month's days.
        totals: std::array::from_fn(|k| {
            let d = |m| if k == 4 { 100.0 * mdays(m) } else { 100.0 };
            by(months, &|m| (sh.total(k, m), d(m)))
        }),
    }
}

fn spread(rows: &[PeriodRow]) -> Spread3 {
    Spread3 {
        p5: rows.iter().map(|r| r.p5).collect(),
        p50: rows.iter().map(|r| r.p50).collect(),
        p95: rows.iter().map(|r| r.p95).collect(),
    }
}

fn band_line(kind: MoneyKind, rows: &[PeriodRow]) -> MoneyLine {
    let spread = spread(rows);
    MoneyLine { kind, spread }
}

/// Planned changes of the lines that make item `i` (ramp points and the earliest dates of
/// capacity projects), for the stock and production charts.
fn line_marks(s: &Scenario, lines: impl Iterator<Item = usize>) -> Vec<DateMark> {
    let last = f64::from(s.end_day().0);
    let mut marks = Vec::new();
    for n in lines {
        let l = &s.lines[n];
        // The first point is where the line starts; later points are planned changes.
        for (day, rate) in l.ramp.iter().skip(1) {
            if *day >= 0.0 && *day <= last {
                let rate = crate::plot::format_number(*rate);
                marks.push(DateMark {
                    date: s.date(Day(*day as u32)),
                    until: None,
                    label: format!("{}: {rate}/day planned", l.label),
                });
            }
        }
        for e in &l.expansions {
            if e.earliest.0 > 0 && f64::from(e.earliest.0) <= last {
                marks.push(DateMark {
                    date: s.date(e.earliest),
                    until: None,
                    label: format!("{}: expansion {} from", l.label, e.name),
                });
            }
        }
    }
    marks
}

impl Results {
    fn item_rows(&self, s: &Scenario, i: usize) -> Vec<&DailyRow> {
        self.daily
            .iter()
            .filter(|r| r.item == s.items[i].name)
            .collect()
    }

    /// The fan-chart series of item `i`: stock bands, days at zero, periods of changed use, the
    /// planned capacity points and capacity projects of the lines that make the item, and the
    /// disruptions on a fixed date that touch it or its lines.
    #[must_use]
    pub fn fan_series(&self, s: &Scenario, i: usize) -> FanSeries {
        let rows = self.item_rows(s, i);
        let mut marks: Vec<DateMark> = s
            .consumption
            .get(i)
            .and_then(Option::as_ref)
            .map(|c| {
                // Use that follows a threat changes with the threat's periods.
                let periods = match &c.rule {
                    crate::scenario::UseRule::Threat(t) => &s.threats[t.threat].periods,
                    _ => &c.periods,
                };
                periods
                    .iter()
                    .map(|(from, to, m)| DateMark {
                        date: s.date(*from),
                        until: Some(s.date(*to)),
                        label: format!("use ×{}", crate::plot::format_number(*m)),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mine: Vec<usize> = (0..s.lines.len())
            .filter(|&n| s.lines[n].item.0 == i)
            .collect();
        marks.extend(line_marks(s, mine.iter().copied()));
        for e in &s.events {
            let touches = e.items.iter().any(|it| it.0 == i)
                || e.lines.iter().any(|l| mine.contains(&l.0))
                || e.channels
                    .iter()
                    .any(|c| s.channels[c.0].buys.iter().any(|b| b.item.0 == i));
            if let (Start::Date(d), true) = (e.start, touches) {
                if d <= s.end_day() {
                    marks.push(DateMark {
                        date: s.date(d),
                        until: None,
                        label: e.label.clone(),
                    });
                }
            }
        }
        FanSeries {
            scenario_title: s.title.clone(),
            item_label: s.items[i].label.clone(),
            colour: i,
            dates: rows.iter().map(|r| r.date).collect(),
            p5: rows.iter().map(|r| r.p5).collect(),
            p25: rows.iter().map(|r| r.p25).collect(),
            p50: rows.iter().map(|r| r.p50).collect(),
            p75: rows.iter().map(|r| r.p75).collect(),
            p95: rows.iter().map(|r| r.p95).collect(),
            p_zero: rows.iter().map(|r| r.prob_zero).collect(),
            safe_stock: s.items[i].safe_stock,
            samples: self
                .samples
                .iter()
                .filter(|(_, item, _)| *item == i)
                .take(10)
                .map(|(_, _, v)| v.clone())
                .collect(),
            marks,
        }
    }

    /// Risk over time for every item: the daily shares of futures at zero and below the safe
    /// stock, averaged by week (horizons up to 120 days) or by calendar month.
    #[must_use]
    pub fn risk_series(&self, s: &Scenario) -> RiskSeries {
        use chrono::Datelike;
        let weekly = s.days() <= 120;
        let key = |d: NaiveDate| -> NaiveDate {
            if weekly {
                let k = (d - s.start).num_days() / 7 * 7;
                s.start + chrono::Duration::days(k)
            } else {
                d.with_day(1).unwrap_or(d)
            }
        };
        let mut dates: Vec<NaiveDate> = Vec::new();
        let mut items = Vec::new();
        for (i, it) in s.items.iter().enumerate() {
            let rows = self.item_rows(s, i);
            let mut zero = Vec::new();
            let mut below = Vec::new();
            let mut keys = Vec::new();
            for group in rows.chunk_by(|a, b| key(a.date) == key(b.date)) {
                let n = group.len() as f64;
                let mean = |f: fn(&DailyRow) -> f64| group.iter().map(|r| f(r)).sum::<f64>() / n;
                keys.push(key(group[0].date).max(s.start));
                zero.push(mean(|r| r.prob_zero));
                below.push(mean(|r| r.prob_below_safe.unwrap_or(0.0)));
            }
            dates = keys;
            items.push(RiskLine {
                label: it.label.clone(),
                p_zero: zero,
                p_below_safe: it.safe_stock.map(|_| below),
            });
        }
        RiskSeries {
            scenario_title: s.title.clone(),
            period: if weekly { "week" } else { "month" }.into(),
            dates,
            items,
        }
    }

    /// The end-of-horizon stock distribution of item `i`, as a histogram of about 30 bins built
    /// from the kept quantiles (so each bin's share is accurate to one kept quantile,
    /// 1/`END_STOCK_QUANTILES`).
    #[must_use]
    pub fn end_stock_series(&self, s: &Scenario, i: usize) -> EndStockSeries {
        let it = &self.summary.items[i];
        let qs: Vec<f64> = self
            .end_stock_quantiles
            .get(i)
            .map(|q| q.iter().copied().filter(|v| v.is_finite()).collect())
            .unwrap_or_default();
        let mut bins = Vec::new();
        if let (Some(&lo), Some(&hi)) = (qs.first(), qs.last()) {
            let width = ((hi - lo + 1.0) / 30.0).ceil().max(1.0);
            let mut b = lo.floor();
            while b <= hi {
                let n = qs.iter().filter(|q| **q >= b && **q < b + width).count();
                bins.push((b, b + width, n as f64 / qs.len() as f64));
                b += width;
            }
        }
        EndStockSeries {
            scenario_title: s.title.clone(),
            item_label: s.items[i].label.clone(),
            colour: i,
            date: self.summary.end,
            bins,
            p5: it.end_stock.p5,
            p50: it.end_stock.p50,
            p95: it.end_stock.p95,
            safe_stock: it.safe_stock,
        }
    }

    /// The money chart of all sources and channels, by month: pledged, paid, committed to
    /// orders and delivered value so far, and the mean balance idle in channels, each as the
    /// median with its 90% band.
    #[must_use]
    pub fn funding_series(&self, s: &Scenario) -> MoneySeries {
        let t = &self.periods.totals;
        MoneySeries {
            scenario_title: s.title.clone(),
            dates: self.periods.months.clone(),
            lines: vec![
                band_line(MoneyKind::Pledged, &t[1]),
                band_line(MoneyKind::Paid, &t[2]),
                band_line(MoneyKind::Committed, &t[3]),
                band_line(MoneyKind::Delivered, &t[0]),
                band_line(MoneyKind::Idle, &t[4]),
            ],
        }
    }

    /// The money chart of channel `c`, by step: committed so far and the mean idle balance.
    #[must_use]
    pub fn channel_money_series(&self, s: &Scenario, c: usize) -> MoneySeries {
        let t = &self.periods.channels[c];
        MoneySeries {
            scenario_title: format!("{} · channel {}", s.title, s.channels[c].label),
            dates: self.periods.steps.clone(),
            lines: vec![
                band_line(MoneyKind::Committed, &t[1]),
                band_line(MoneyKind::Idle, &t[0]),
            ],
        }
    }

    /// Deliveries against use of item `i`, per month, with our backlog.
    #[must_use]
    pub fn flow_series(&self, s: &Scenario, i: usize) -> FlowSeries {
        let [delivered, used, backlog] = &self.periods.items[i];
        FlowSeries {
            scenario_title: s.title.clone(),
            item_label: s.items[i].label.clone(),
            colour: i,
            months: self.periods.months.clone(),
            delivered: spread(delivered),
            used: spread(used),
            backlog: spread(backlog),
        }
    }

    /// Line `n`'s realised capacity and our part of its output, per step, with its planned
    /// changes marked.
    #[must_use]
    pub fn production_series(&self, s: &Scenario, n: usize) -> ProductionSeries {
        let [capacity, ours, _, _] = &self.periods.lines[n];
        ProductionSeries {
            scenario_title: s.title.clone(),
            line_label: s.lines[n].label.clone(),
            dates: self.periods.steps.clone(),
            capacity: spread(capacity),
            ours: spread(ours),
            milestones: line_marks(s, std::iter::once(n)),
        }
    }
}

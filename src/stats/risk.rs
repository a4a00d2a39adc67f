//! Risk measures that separate scenarios, as exact counts over runs: per item the day its
//! stock was first zero (from the warm-up day on), the units used (for months of cover) and,
//! per window named in `[report]`, the runs with a day at zero inside it. The daily
//! probabilities of zero and of being below the safe stock come from the daily cells.
//! Counts merge exactly and order-free, so shards and threads give the same bits.

use crate::engine::RunRecord;
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};

/// One item's risk counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemRisk {
    /// Runs whose closing stock was first zero on each day (days before the warm-up are 0).
    pub first_zero: Vec<u64>,
    /// Runs never at zero from the warm-up day on.
    pub never_zero: u64,
    /// Σ units used over the horizon.
    pub consumed: u128,
    /// Σ and Σ² over runs of the counted days at zero.
    pub days_at_zero: (u128, u128),
    /// Per `[[report.window]]`: runs with at least one day at zero in it.
    pub window_hits: Vec<u64>,
}

/// The risk counts of every item, with the days they look at.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskCounts {
    /// First day counted (the `[report] warm_up` day, else 0).
    pub warm_up: usize,
    /// Each window's first and last day (inclusive).
    pub windows: Vec<(usize, usize)>,
    /// Per item.
    pub items: Vec<ItemRisk>,
}

impl RiskCounts {
    /// Empty counts for `s`.
    #[must_use]
    pub fn new(s: &Scenario) -> RiskCounts {
        let days = s.days();
        let r = &s.report;
        RiskCounts {
            warm_up: r.warm_up.0 as usize,
            windows: r
                .windows
                .iter()
                .map(|w| (w.from.0 as usize, w.to.0 as usize))
                .collect(),
            items: vec![
                ItemRisk {
                    first_zero: vec![0; days],
                    window_hits: vec![0; r.windows.len()],
                    ..ItemRisk::default()
                };
                s.items.len()
            ],
        }
    }

    /// Counts one run (`days` days per item in its record).
    pub fn add(&mut self, rec: &RunRecord, days: usize) {
        for (i, (t, led)) in self.items.iter_mut().zip(&rec.items).enumerate() {
            t.consumed += u128::from(led.consumed);
            let path = &rec.stock[i * days..(i + 1) * days];
            // The days at zero were counted by the engine's daily report (a test checks them
            // against the path), so the path is read here only within the windows.
            let zero = u128::from(led.days_at_zero);
            t.days_at_zero.0 += zero;
            t.days_at_zero.1 += zero * zero;
            match led.first_zero {
                Some(d) => t.first_zero[d as usize] += 1,
                None => t.never_zero += 1,
            }
            for (hits, &(from, to)) in t.window_hits.iter_mut().zip(&self.windows) {
                *hits += u64::from(path[from..=to.min(days - 1)].contains(&0));
            }
        }
    }

    /// Adds other counts (exact).
    pub fn merge(&mut self, o: &RiskCounts) {
        for (a, b) in self.items.iter_mut().zip(&o.items) {
            for (x, y) in a.first_zero.iter_mut().zip(&b.first_zero) {
                *x += y;
            }
            a.never_zero += b.never_zero;
            a.consumed += b.consumed;
            a.days_at_zero.0 += b.days_at_zero.0;
            a.days_at_zero.1 += b.days_at_zero.1;
            for (x, y) in a.window_hits.iter_mut().zip(&b.window_hits) {
                *x += y;
            }
        }
    }
}

/// Days in a month on average (365.25 / 12), for months of cover.
pub const DAYS_PER_MONTH: f64 = 365.25 / 12.0;

/// When an item's stock is first zero, over the runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FirstZero {
    /// 5th percentile date (None: no zero by then within the horizon).
    pub p5: Option<chrono::NaiveDate>,
    /// Median date (None: later than the horizon).
    pub p50: Option<chrono::NaiveDate>,
    /// 95th percentile date (None: later than the horizon).
    pub p95: Option<chrono::NaiveDate>,
    /// Share of runs never at zero (from the warm-up day on).
    pub share_never: f64,
}

/// One month's risk, on its last simulated day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthRisk {
    /// The month, `YYYY-MM`.
    pub month: String,
    /// The day read: the month's last simulated day.
    pub date: chrono::NaiveDate,
    /// Share of runs with no stock that day.
    pub prob_zero: f64,
    /// Share of runs below the safe stock that day (None without a safe stock).
    pub prob_below_safe: Option<f64>,
}

/// A `[[report.window]]`'s risk.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WindowRisk {
    /// The window's name.
    pub name: String,
    /// First day counted.
    pub from: chrono::NaiveDate,
    /// Last day counted.
    pub to: chrono::NaiveDate,
    /// Share of runs with at least one day at zero in the window.
    pub prob_zero_any_day: f64,
}

/// An item's risk measures (every one from the warm-up day on).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskSummary {
    /// First day counted (the start, or `[report] warm_up`).
    pub counted_from: chrono::NaiveDate,
    /// Share of runs with no stock on at least one counted day.
    pub prob_zero_any_day: f64,
    /// Mean number of counted days whose closing stock is zero.
    pub expected_days_at_zero: f64,
    /// Its Monte Carlo standard error.
    pub expected_days_at_zero_se: f64,
    /// When the stock is first zero.
    pub first_zero: FirstZero,
    /// Mean units used a month (mean use over the horizon ÷ its months).
    pub mean_monthly_use: f64,
    /// Mean end stock ÷ mean monthly use (None when nothing is used).
    pub months_of_cover_at_end: Option<f64>,
    /// P(stock = 0) and P(below safe stock) on the last day of each month.
    pub by_month: Vec<MonthRisk>,
    /// Per `[[report.window]]`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub windows: Vec<WindowRisk>,
}

/// The risk measures of item `i`.
#[must_use]
pub fn summary(s: &Scenario, acc: &super::Accumulator, i: usize) -> RiskSummary {
    use crate::units::Day;
    use chrono::Datelike as _;
    let days = acc.days;
    let runs = acc.runs.max(1);
    let share = |c: u64| c as f64 / runs as f64;
    let r = &acc.risk;
    let t = &r.items[i];
    let cells = &acc.daily[i * days..(i + 1) * days];
    let warm = r.warm_up.min(days - 1);
    let days_at_zero = crate::analysis::Interval::from_sums(
        i128::try_from(t.days_at_zero.0).unwrap_or(i128::MAX),
        i128::try_from(t.days_at_zero.1).unwrap_or(i128::MAX),
        acc.runs,
    );
    let date_at = |q: f64| {
        let rank = ((q * runs as f64).ceil() as u64).clamp(1, runs);
        let mut seen = 0;
        for (d, &c) in t.first_zero.iter().enumerate() {
            seen += c;
            if seen >= rank {
                return Some(s.date(Day(d as u32)));
            }
        }
        None
    };
    let mut by_month = Vec::new();
    for (d, cell) in cells.iter().enumerate().skip(warm) {
        let date = s.date(Day(d as u32));
        let last = d + 1 == days || s.date(Day(d as u32 + 1)).month() != date.month();
        if last {
            by_month.push(MonthRisk {
                month: format!("{:04}-{:02}", date.year(), date.month()),
                date,
                prob_zero: share(cell.zero),
                prob_below_safe: s.items[i].safe_stock.map(|_| share(cell.below_safe)),
            });
        }
    }
    let months = days as f64 / DAYS_PER_MONTH;
    let monthly_use = t.consumed as f64 / runs as f64 / months;
    let end_stock = acc.items[i].end_stock.moments.mean();
    RiskSummary {
        counted_from: s.date(Day(warm as u32)),
        prob_zero_any_day: share(acc.runs.saturating_sub(t.never_zero)),
        expected_days_at_zero: if acc.runs == 0 {
            0.0
        } else {
            days_at_zero.mean
        },
        expected_days_at_zero_se: if acc.runs == 0 { 0.0 } else { days_at_zero.se },
        first_zero: FirstZero {
            p5: date_at(0.05),
            p50: date_at(0.5),
            p95: date_at(0.95),
            share_never: share(t.never_zero),
        },
        mean_monthly_use: monthly_use,
        months_of_cover_at_end: (monthly_use > 0.0).then(|| end_stock / monthly_use),
        by_month,
        windows: s
            .report
            .windows
            .iter()
            .zip(&t.window_hits)
            .map(|(w, &h)| WindowRisk {
                name: w.name.clone(),
                from: s.date(w.from),
                to: s.date(w.to),
                prob_zero_any_day: share(h),
            })
            .collect(),
    }
}

//! `summary.csv`: the headline table, one row per item, for spreadsheets. Every estimate comes
//! with its Monte Carlo standard error: sd/√n for a mean, √(p(1−p)/n) for a share of runs.

use super::{round, OutputError};
use crate::report::{Results, Spread};

/// Standard error of a mean over `runs` runs, from the runs' standard deviation.
#[must_use]
pub fn mean_se(s: &Spread, runs: u64) -> f64 {
    s.sd / (runs.max(1) as f64).sqrt()
}

/// Standard error of a share `p` of `runs` runs.
#[must_use]
pub fn share_se(p: f64, runs: u64) -> f64 {
    (p * (1.0 - p) / runs.max(1) as f64).max(0.0).sqrt()
}

/// The table's header (then, per `[[report.window]]`, `window_<name>_prob_zero_any_day`).
pub const HEADER: [&str; 31] = [
    "item",
    "label",
    "initial_stock",
    "safe_stock",
    "end_stock_mean",
    "end_stock_mean_se",
    "end_stock_p5",
    "end_stock_p50",
    "end_stock_p95",
    "prob_any_shortfall",
    "prob_any_shortfall_se",
    "prob_below_safe_at_end",
    "prob_below_safe_at_end_se",
    "days_short_mean",
    "days_short_mean_se",
    "unmet_demand_mean",
    "unmet_demand_mean_se",
    "delivered_mean",
    "delivered_mean_se",
    "first_below_safe_median",
    "prob_zero_at_end",
    "prob_zero_at_end_se",
    "prob_zero_any_day",
    "prob_zero_any_day_se",
    "first_zero_p5",
    "first_zero_p50",
    "first_zero_p95",
    "share_never_zero",
    "expected_days_at_zero",
    "expected_days_at_zero_se",
    "months_of_cover_at_end",
];

/// `summary.csv`.
pub fn summary_csv(r: &Results) -> Result<Vec<u8>, OutputError> {
    let e = |x: csv::Error| OutputError::Serialize {
        file: "summary.csv",
        message: x.to_string(),
    };
    let n = r.summary.metadata.runs;
    let mut w = csv::Writer::from_writer(Vec::new());
    let windows: Vec<String> = r
        .summary
        .items
        .first()
        .map(|it| {
            it.risk
                .windows
                .iter()
                .map(|w| format!("window_{}_prob_zero_any_day", w.name))
                .collect()
        })
        .unwrap_or_default();
    let mut header: Vec<String> = HEADER.iter().map(|h| (*h).to_owned()).collect();
    header.extend(windows);
    w.write_record(&header).map_err(e)?;
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let num = |v: f64| round(v, 6).to_string();
    for it in &r.summary.items {
        let below = it.prob_below_safe_at_end;
        let k = &it.risk;
        let mut row = vec![
            it.name.clone(),
            it.label.clone(),
            it.initial_stock.to_string(),
            it.safe_stock.map(|v| v.to_string()).unwrap_or_default(),
            num(it.end_stock.mean),
            num(mean_se(&it.end_stock, n)),
            num(it.end_stock.p5),
            num(it.end_stock.p50),
            num(it.end_stock.p95),
            num(it.prob_any_shortfall),
            num(share_se(it.prob_any_shortfall, n)),
            below.map(num).unwrap_or_default(),
            below.map(|p| num(share_se(p, n))).unwrap_or_default(),
            num(it.days_short.mean),
            num(mean_se(&it.days_short, n)),
            num(it.unmet_demand.mean),
            num(mean_se(&it.unmet_demand, n)),
            num(it.delivered.mean),
            num(mean_se(&it.delivered, n)),
            it.first_below_safe
                .as_ref()
                .and_then(|f| f.p50)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            num(it.prob_zero_at_end),
            num(it.prob_zero_at_end_se),
            num(k.prob_zero_any_day),
            num(share_se(k.prob_zero_any_day, n)),
            date(k.first_zero.p5),
            date(k.first_zero.p50),
            date(k.first_zero.p95),
            num(k.first_zero.share_never),
            num(k.expected_days_at_zero),
            num(k.expected_days_at_zero_se),
            k.months_of_cover_at_end.map(num).unwrap_or_default(),
        ];
        row.extend(k.windows.iter().map(|w| num(w.prob_zero_any_day)));
        w.write_record(&row).map_err(e)?;
    }
    w.into_inner().map_err(|x| OutputError::Serialize {
        file: "summary.csv",
        message: x.to_string(),
    })
}

//! `summary.csv`: the headline table, one row per item, for spreadsheets. Every estimate comes
//! with its Monte Carlo standard error: sd/√n for a mean, √(p(1−p)/n) for a share of runs.

use super::csv_rows::{write_csv, Num};
use super::OutputError;
use crate::report::{Results, Spread};
use chrono::NaiveDate;
use serde::Serialize;

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

/// The fixed columns of one row of `summary.csv` (one item), in [`HEADER`] order.
#[derive(Serialize)]
struct ItemColumns<'a> {
    item: &'a str,
    label: &'a str,
    initial_stock: u64,
    safe_stock: Option<u64>,
    end_stock_mean: Num,
    end_stock_mean_se: Num,
    end_stock_p5: Num,
    end_stock_p50: Num,
    end_stock_p95: Num,
    prob_any_shortfall: Num,
    prob_any_shortfall_se: Num,
    prob_below_safe_at_end: Option<Num>,
    prob_below_safe_at_end_se: Option<Num>,
    days_short_mean: Num,
    days_short_mean_se: Num,
    unmet_demand_mean: Num,
    unmet_demand_mean_se: Num,
    delivered_mean: Num,
    delivered_mean_se: Num,
    first_below_safe_median: Option<NaiveDate>,
    prob_zero_at_end: Num,
    prob_zero_at_end_se: Num,
    prob_zero_any_day: Num,
    prob_zero_any_day_se: Num,
    first_zero_p5: Option<NaiveDate>,
    first_zero_p50: Option<NaiveDate>,
    first_zero_p95: Option<NaiveDate>,
    share_never_zero: Num,
    expected_days_at_zero: Num,
    expected_days_at_zero_se: Num,
    months_of_cover_at_end: Option<Num>,
}

/// `summary.csv`.
pub fn summary_csv(r: &Results) -> Result<Vec<u8>, OutputError> {
    let n = r.summary.metadata.runs;
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
    let num = |v: f64| Num::round(v, 6);
    let rows = r.summary.items.iter().map(|it| {
        let below = it.prob_below_safe_at_end;
        let k = &it.risk;
        let columns = ItemColumns {
            item: &it.name,
            label: &it.label,
            initial_stock: it.initial_stock,
            safe_stock: it.safe_stock,
            end_stock_mean: num(it.end_stock.mean),
            end_stock_mean_se: num(mean_se(&it.end_stock, n)),
            end_stock_p5: num(it.end_stock.p5),
            end_stock_p50: num(it.end_stock.p50),
            end_stock_p95: num(it.end_stock.p95),
            prob_any_shortfall: num(it.prob_any_shortfall),
            prob_any_shortfall_se: num(share_se(it.prob_any_shortfall, n)),
            prob_below_safe_at_end: below.map(num),
            prob_below_safe_at_end_se: below.map(|p| num(share_se(p, n))),
            days_short_mean: num(it.days_short.mean),
            days_short_mean_se: num(mean_se(&it.days_short, n)),
            unmet_demand_mean: num(it.unmet_demand.mean),
            unmet_demand_mean_se: num(mean_se(&it.unmet_demand, n)),
            delivered_mean: num(it.delivered.mean),
            delivered_mean_se: num(mean_se(&it.delivered, n)),
            first_below_safe_median: it.first_below_safe.as_ref().and_then(|f| f.p50),
            prob_zero_at_end: num(it.prob_zero_at_end),
            prob_zero_at_end_se: num(it.prob_zero_at_end_se),
            prob_zero_any_day: num(k.prob_zero_any_day),
            prob_zero_any_day_se: num(share_se(k.prob_zero_any_day, n)),
            first_zero_p5: k.first_zero.p5,
            first_zero_p50: k.first_zero.p50,
            first_zero_p95: k.first_zero.p95,
            share_never_zero: num(k.first_zero.share_never),
            expected_days_at_zero: num(k.expected_days_at_zero),
            expected_days_at_zero_se: num(k.expected_days_at_zero_se),
            months_of_cover_at_end: k.months_of_cover_at_end.map(num),
        };
        let windows: Vec<Num> = k.windows.iter().map(|w| num(w.prob_zero_any_day)).collect();
        (columns, windows)
    });
    write_csv("summary.csv", header, rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::csv_rows::serde_header;

    #[test]
    fn the_header_names_the_row_fields() {
        let z = Num(0.0);
        let row = ItemColumns {
            item: "x",
            label: "x",
            initial_stock: 0,
            safe_stock: None,
            end_stock_mean: z,
            end_stock_mean_se: z,
            end_stock_p5: z,
            end_stock_p50: z,
            end_stock_p95: z,
            prob_any_shortfall: z,
            prob_any_shortfall_se: z,
            prob_below_safe_at_end: None,
            prob_below_safe_at_end_se: None,
            days_short_mean: z,
            days_short_mean_se: z,
            unmet_demand_mean: z,
            unmet_demand_mean_se: z,
            delivered_mean: z,
            delivered_mean_se: z,
            first_below_safe_median: None,
            prob_zero_at_end: z,
            prob_zero_at_end_se: z,
            prob_zero_any_day: z,
            prob_zero_any_day_se: z,
            first_zero_p5: None,
            first_zero_p50: None,
            first_zero_p95: None,
            share_never_zero: z,
            expected_days_at_zero: z,
            expected_days_at_zero_se: z,
            months_of_cover_at_end: None,
        };
        assert_eq!(serde_header(&row), HEADER);
    }
}

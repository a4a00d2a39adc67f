//! `runs.csv`: one row per simulated future with its outcomes (per item: end stock, first date at
//! zero, days at zero, deliveries, unmet demand; per funding source: money paid in), for users'
//! own analysis in pandas, R or Excel. Rows are extracted as integers while the futures run and
//! written in run order, chunk by chunk, so memory does not grow with the number of futures.

use crate::engine::RunRecord;
use crate::scenario::Scenario;
use crate::units::Day;

/// One future's outcomes, in the column order of [`header`].
pub type FutureRow = (u64, Vec<i64>);

/// Most futures for which `runs.csv` is written unless asked for explicitly.
pub const DEFAULT_MAX_FUTURES: u64 = 100_000;

/// The column names.
#[must_use]
pub fn header(s: &Scenario) -> Vec<String> {
    let mut h = vec!["run".to_owned()];
    for it in &s.items {
        for col in [
            "end_stock",
            "first_zero_date",
            "days_at_zero",
            "delivered",
            "unmet_demand",
        ] {
            h.push(format!("{}.{col}", it.name));
        }
    }
    for f in &s.funding {
        h.push(format!("{}.paid_usd", f.name));
    }
    h
}

/// The outcomes of one future as integers (a first date at zero is a day number, −1 for never;
/// money in cents).
pub fn extract(s: &Scenario, rec: &RunRecord, out: &mut Vec<i64>) {
    out.clear();
    let days = s.days();
    let big = |u: u64| i64::try_from(u).unwrap_or(i64::MAX);
    for (i, led) in rec.items.iter().enumerate() {
        let path = rec.stock_of(i, days);
        out.push(big(led.end_stock));
        out.push(path.iter().position(|&v| v == 0).map_or(-1, |d| d as i64));
        out.push(path.iter().filter(|&&v| v == 0).count() as i64);
        out.push(big(led.delivered));
        out.push(big(led.unmet));
    }
    out.extend(rec.funding.iter().map(|f| f.paid));
}

/// Formats rows as CSV records: dates as calendar dates, money as dollars with cents.
pub fn write<W: std::io::Write>(
    s: &Scenario,
    w: &mut csv::Writer<W>,
    rows: &[FutureRow],
) -> csv::Result<()> {
    let items = s.items.len();
    let mut rec: Vec<String> = Vec::new();
    for (run, v) in rows {
        rec.clear();
        rec.push(run.to_string());
        for (k, x) in v.iter().enumerate() {
            rec.push(if k < items * 5 && k % 5 == 1 {
                u32::try_from(*x)
                    .map(|d| s.date(Day(d)).to_string())
                    .unwrap_or_default()
            } else if k >= items * 5 {
                format!("{}.{:02}", x / 100, (x % 100).abs())
            } else {
                x.to_string()
            });
        }
        w.write_record(&rec)?;
    }
    Ok(())
}

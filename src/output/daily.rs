//! The per-day tables: `daily.csv` (stock percentiles per date and item), `funding.csv`
//! (cumulative mean money per date) and `trajectories.csv` (the sample stock paths, for
//! spaghetti plots).

use super::csv_rows::{write_csv, Num};
use super::OutputError;
use crate::report::Results;
use crate::scenario::Scenario;
use crate::units::Day;
use chrono::NaiveDate;
use serde::Serialize;

/// The header of `daily.csv`.
const DAILY_HEADER: [&str; 11] = [
    "date",
    "item",
    "mean",
    "sd",
    "p5",
    "p25",
    "p50",
    "p75",
    "p95",
    "prob_below_safe",
    "prob_zero",
];

/// One row of `daily.csv`.
#[derive(Serialize)]
struct DailyRow<'a> {
    date: NaiveDate,
    item: &'a str,
    mean: Num,
    sd: Num,
    p5: Num,
    p25: Num,
    p50: Num,
    p75: Num,
    p95: Num,
    prob_below_safe: Option<Num>,
    prob_zero: Num,
}

/// `daily.csv`: one row per date and item.
pub fn daily_csv(r: &Results) -> Result<Vec<u8>, OutputError> {
    let rows = r.daily.iter().map(|row| DailyRow {
        date: row.date,
        item: &row.item,
        mean: Num::round(row.mean, 3),
        sd: Num::round(row.sd, 3),
        p5: Num(row.p5),
        p25: Num(row.p25),
        p50: Num(row.p50),
        p75: Num(row.p75),
        p95: Num(row.p95),
        prob_below_safe: row.prob_below_safe.map(|p| Num::round(p, 6)),
        prob_zero: Num::round(row.prob_zero, 6),
    });
    write_csv("daily.csv", DAILY_HEADER, rows)
}

/// The header of `funding.csv`.
const FUNDING_HEADER: [&str; 4] = ["date", "pledged_usd", "paid_usd", "spent_usd"];

/// One row of `funding.csv`.
#[derive(Serialize)]
struct FundingRow {
    date: NaiveDate,
    pledged_usd: Num,
    paid_usd: Num,
    spent_usd: Num,
}

/// `funding.csv`: cumulative mean pledged, paid and spent per date.
pub fn funding_csv(r: &Results) -> Result<Vec<u8>, OutputError> {
    let rows = r.money.iter().map(|&(date, p, q, s)| FundingRow {
        date,
        pledged_usd: Num::round(p, 2),
        paid_usd: Num::round(q, 2),
        spent_usd: Num::round(s, 2),
    });
    write_csv("funding.csv", FUNDING_HEADER, rows)
}

/// The header of `trajectories.csv`.
const TRAJECTORIES_HEADER: [&str; 4] = ["date", "item", "run", "stock"];

/// One row of `trajectories.csv`.
#[derive(Serialize)]
struct TrajectoryRow<'a> {
    date: NaiveDate,
    item: &'a str,
    run: u64,
    stock: u64,
}

/// `trajectories.csv`: the stock paths of the first runs, for spaghetti plots.
pub fn trajectories_csv(s: &Scenario, r: &Results) -> Result<Vec<u8>, OutputError> {
    let rows = r.samples.iter().flat_map(|(run, item, path)| {
        path.iter()
            .enumerate()
            .map(move |(d, &stock)| TrajectoryRow {
                date: s.date(Day(d as u32)),
                item: &s.items[*item].name,
                run: *run,
                stock,
            })
    });
    write_csv("trajectories.csv", TRAJECTORIES_HEADER, rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::csv_rows::serde_header;

    #[test]
    fn headers_name_the_row_fields() {
        let date = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        let daily = DailyRow {
            date,
            item: "x",
            mean: Num(0.0),
            sd: Num(0.0),
            p5: Num(0.0),
            p25: Num(0.0),
            p50: Num(0.0),
            p75: Num(0.0),
            p95: Num(0.0),
            prob_below_safe: None,
            prob_zero: Num(0.0),
        };
        assert_eq!(serde_header(&daily), DAILY_HEADER);
        let funding = FundingRow {
            date,
            pledged_usd: Num(0.0),
            paid_usd: Num(0.0),
            spent_usd: Num(0.0),
        };
        assert_eq!(serde_header(&funding), FUNDING_HEADER);
        let path = TrajectoryRow {
            date,
            item: "x",
            run: 0,
            stock: 0,
        };
        assert_eq!(serde_header(&path), TRAJECTORIES_HEADER);
    }
}

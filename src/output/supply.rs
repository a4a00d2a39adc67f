//! Supply and money tables: `expansions.csv` (one row per capacity project, written only when
//! the scenario has some), and by period `flows.csv`, `lines.csv`, `channels.csv`, `money.csv`.

use super::csv_rows::{write_csv, Num};
use super::OutputError;
use crate::report::{PeriodSeries, Results};
use crate::scenario::Scenario;
use chrono::NaiveDate;
use serde::Serialize;

/// The header of `expansions.csv`.
const EXPANSIONS_HEADER: [&str; 10] = [
    "line",
    "expansion",
    "funded_by",
    "share_funded",
    "share_succeeded",
    "share_failed",
    "paid_usd",
    "done_p5",
    "done_p50",
    "done_p95",
];

/// One row of `expansions.csv`.
#[derive(Serialize)]
struct ExpansionRow<'a> {
    line: &'a str,
    expansion: &'a str,
    funded_by: &'a str,
    share_funded: Num,
    share_succeeded: Num,
    share_failed: Num,
    paid_usd: Num,
    done_p5: Option<NaiveDate>,
    done_p50: Option<NaiveDate>,
    done_p95: Option<NaiveDate>,
}

/// The rows of `expansions.csv`: who paid, how often it was paid for, succeeded or failed by the
/// horizon, the mean money paid and the completion date percentiles.
pub fn expansions_csv(r: &Results) -> Result<Vec<u8>, OutputError> {
    let rows = r.summary.expansions.iter().map(|x| ExpansionRow {
        line: &x.line,
        expansion: &x.name,
        funded_by: &x.funded_by,
        share_funded: Num::round(x.share_funded, 4),
        share_succeeded: Num::round(x.share_succeeded, 4),
        share_failed: Num::round(x.share_failed, 4),
        paid_usd: Num::round(x.paid_usd, 2),
        done_p5: x.done_p5,
        done_p50: x.done_p50,
        done_p95: x.done_p95,
    });
    write_csv("expansions.csv", EXPANSIONS_HEADER, rows)
}

/// One row of a period table: an entity (item, line, channel or source), a period, a quantity
/// and its mean and percentiles.
#[derive(Serialize)]
struct PeriodRow<'a> {
    entity: &'a str,
    period: NaiveDate,
    quantity: &'a str,
    mean: Num,
    p5: Num,
    p50: Num,
    p95: Num,
}

/// One of the period tables in long form: `entity, period, quantity, mean, p5, p50, p95`, one
/// row per entity, period and quantity (quantities in the order given); `columns` names the
/// first three.
fn period_csv(
    file: &'static str,
    columns: [&str; 3],
    dates: &[NaiveDate],
    rows: &[(String, &[&'static str], Vec<&PeriodSeries>)],
) -> Result<Vec<u8>, OutputError> {
    let [entity, period, quantity] = columns;
    let header = [entity, period, quantity, "mean", "p5", "p50", "p95"];
    let f = |v: f64| Num::round(v, 3);
    let records = rows.iter().flat_map(|(name, quantities, series)| {
        dates.iter().enumerate().flat_map(move |(p, &date)| {
            quantities.iter().zip(series).map(move |(q, s)| {
                let r = s[p];
                PeriodRow {
                    entity: name,
                    period: date,
                    quantity: q,
                    mean: f(r.mean),
                    p5: f(r.p5),
                    p50: f(r.p50),
                    p95: f(r.p95),
                }
            })
        })
    });
    write_csv(file, header, records)
}

/// `flows.csv`: per item and month, units delivered into stock and used, and the mean units on
/// order not yet made (our backlog).
pub fn flows_csv(s: &Scenario, r: &Results) -> Result<Vec<u8>, OutputError> {
    let rows: Vec<_> = s
        .items
        .iter()
        .zip(&r.periods.items)
        .map(|(it, t)| {
            (
                it.name.clone(),
                &["delivered", "used", "backlog"][..],
                t.iter().collect(),
            )
        })
        .collect();
    period_csv(
        "flows.csv",
        ["item", "month", "quantity"],
        &r.periods.months,
        &rows,
    )
}

/// `lines.csv`: per line and step (week for horizons up to 120 days, else month), realised capacity, output to us and to other buyers (units a
/// day, weekly means) and our mean backlog (units).
pub fn lines_csv(s: &Scenario, r: &Results) -> Result<Vec<u8>, OutputError> {
    let rows: Vec<_> = s
        .lines
        .iter()
        .zip(&r.periods.lines)
        .map(|(l, t)| {
            (
                l.name.clone(),
                &[
                    "capacity_per_day",
                    "ours_per_day",
                    "others_per_day",
                    "our_backlog",
                ][..],
                t.iter().collect(),
            )
        })
        .collect();
    period_csv(
        "lines.csv",
        ["line", r.periods.step_name, "quantity"],
        &r.periods.steps,
        &rows,
    )
}

/// `channels.csv`: per channel and step (week or month, as lines.csv), the mean idle balance (money received, not yet
/// committed) and the money committed to orders so far, in US dollars.
pub fn channels_csv(s: &Scenario, r: &Results) -> Result<Vec<u8>, OutputError> {
    let rows: Vec<_> = s
        .channels
        .iter()
        .zip(&r.periods.channels)
        .map(|(c, t)| {
            (
                c.name.clone(),
                &["idle_usd", "committed_usd"][..],
                t.iter().collect(),
            )
        })
        .collect();
    period_csv(
        "channels.csv",
        ["channel", r.periods.step_name, "quantity"],
        &r.periods.steps,
        &rows,
    )
}

/// `money.csv`: per funding source and month, pledged and paid so far; then, as source `all`,
/// pledged, paid, committed to orders and delivered value so far and the mean idle balance of
/// all channels (US dollars).
pub fn money_csv(s: &Scenario, r: &Results) -> Result<Vec<u8>, OutputError> {
    let mut rows: Vec<_> = s
        .funding
        .iter()
        .zip(&r.periods.sources)
        .map(|(f, t)| {
            (
                f.name.clone(),
                &["pledged_usd", "paid_usd"][..],
                t.iter().collect(),
            )
        })
        .collect();
    let t = &r.periods.totals;
    rows.push((
        "all".into(),
        &[
            "pledged_usd",
            "paid_usd",
            "committed_usd",
            "delivered_value_usd",
            "idle_usd",
        ][..],
        vec![&t[1], &t[2], &t[3], &t[0], &t[4]],
    ));
    period_csv(
        "money.csv",
        ["source", "month", "quantity"],
        &r.periods.months,
        &rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::csv_rows::serde_header;

    #[test]
    fn the_expansions_header_names_the_row_fields() {
        let row = ExpansionRow {
            line: "l",
            expansion: "e",
            funded_by: "c",
            share_funded: Num(0.0),
            share_succeeded: Num(0.0),
            share_failed: Num(0.0),
            paid_usd: Num(0.0),
            done_p5: None,
            done_p50: None,
            done_p95: None,
        };
        assert_eq!(serde_header(&row), EXPANSIONS_HEADER);
    }
}

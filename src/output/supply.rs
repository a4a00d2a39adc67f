//! Supply and money tables: `expansions.csv` (one row per capacity project, written only when
//! the scenario has some), and by period `flows.csv`, `lines.csv`, `channels.csv`, `money.csv`.

use super::OutputError;
use crate::report::{PeriodSeries, Results};
use crate::scenario::Scenario;

/// The rows of `expansions.csv`: who paid, how often it was paid for, succeeded or failed by the
/// horizon, the mean money paid and the completion date percentiles.
pub fn expansions_csv(r: &Results) -> Result<Vec<u8>, OutputError> {
    let e = super::csv_err("expansions.csv");
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
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
    ])
    .map_err(&e)?;
    let date = |d: Option<chrono::NaiveDate>| d.map_or_else(String::new, |d| d.to_string());
    for x in &r.summary.expansions {
        w.write_record([
            x.line.clone(),
            x.name.clone(),
            x.funded_by.clone(),
            super::round(x.share_funded, 4).to_string(),
            super::round(x.share_succeeded, 4).to_string(),
            super::round(x.share_failed, 4).to_string(),
            super::round(x.paid_usd, 2).to_string(),
            date(x.done_p5),
            date(x.done_p50),
            date(x.done_p95),
        ])
        .map_err(&e)?;
    }
    w.into_inner().map_err(|x| OutputError::Serialize {
        file: "expansions.csv",
        message: x.to_string(),
    })
}

/// One of the period tables in long form: `entity, period, quantity, mean, p5, p50, p95`, one
/// row per entity, period and quantity (quantities in the order given).
fn period_csv(
    file: &'static str,
    columns: [&str; 3],
    dates: &[chrono::NaiveDate],
    rows: &[(String, &[&'static str], Vec<&PeriodSeries>)],
) -> Result<Vec<u8>, OutputError> {
    let e = super::csv_err(file);
    let mut w = csv::Writer::from_writer(Vec::new());
    let [entity, period, quantity] = columns;
    w.write_record([entity, period, quantity, "mean", "p5", "p50", "p95"])
        .map_err(&e)?;
    for (name, quantities, series) in rows {
        for (p, date) in dates.iter().enumerate() {
            for (q, s) in quantities.iter().zip(series) {
                let r = s[p];
                let f = |v: f64| super::round(v, 3).to_string();
                w.write_record([
                    name.clone(),
                    date.to_string(),
                    (*q).to_string(),
                    f(r.mean),
                    f(r.p5),
                    f(r.p50),
                    f(r.p95),
                ])
                .map_err(&e)?;
            }
        }
    }
    w.into_inner().map_err(|x| OutputError::Serialize {
        file,
        message: x.to_string(),
    })
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

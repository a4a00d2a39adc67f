//! `expansions.csv`: one row per capacity project (written only when the scenario has some).

use super::OutputError;
use crate::report::Results;

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

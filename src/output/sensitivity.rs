//! Serialisers for `porcupine sensitivity`: `sensitivity.csv` (one row per item, outcome and
//! input, ranked by swing) and a tornado chart of each item's end stock.

use super::{OutFile, OutputError};
use crate::analysis::sensitivity::SensitivityRow;
use crate::plot::{Chart, TornadoRow, TornadoSeries};
use crate::scenario::fmt_num;

/// Most inputs drawn on one tornado chart (the widest swings).
pub const TORNADO_ROWS: usize = 15;

/// `sensitivity.csv`: per item and outcome, every input, widest |swing| first.
///
/// # Errors
/// When a row cannot be written (never for in-memory buffers).
pub fn csv(rows: &[SensitivityRow]) -> Result<Vec<u8>, OutputError> {
    let err = |e: csv::Error| OutputError::Serialize {
        file: "sensitivity.csv",
        message: e.to_string(),
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "item",
        "outcome",
        "rank",
        "key_path",
        "p10_value",
        "p90_value",
        "base",
        "at_p10",
        "at_p90",
        "swing",
        "rank_correlation",
    ])
    .map_err(err)?;
    for r in rows {
        w.write_record([
            r.item.clone(),
            r.outcome.to_owned(),
            r.rank.to_string(),
            r.key_path.clone(),
            fmt_num(r.p10),
            fmt_num(r.p90),
            format!("{:.6}", r.base),
            format!("{:.6}", r.at_p10),
            format!("{:.6}", r.at_p90),
            format!("{:.6}", clean(r.swing)),
            r.rank_correlation
                .map_or_else(String::new, |c| format!("{:.4}", clean(c))),
        ])
        .map_err(err)?;
    }
    w.into_inner().map_err(|e| OutputError::Serialize {
        file: "sensitivity.csv",
        message: e.to_string(),
    })
}

/// No "-0" in outputs.
fn clean(v: f64) -> f64 {
    if v == 0.0 {
        0.0
    } else {
        v
    }
}

/// One tornado chart per item (`tornado_<item>`): its mean end stock with each input at its
/// P10 and at its P90, widest swing first.
#[must_use]
pub fn charts(rows: &[SensitivityRow], title: &str) -> Vec<(String, Chart)> {
    let mut out = Vec::new();
    let mut items: Vec<&str> = Vec::new();
    for r in rows {
        if !items.contains(&r.item.as_str()) {
            items.push(&r.item);
        }
    }
    for item in items {
        let mine: Vec<&SensitivityRow> = rows
            .iter()
            .filter(|r| r.item == item && r.outcome == "end_stock")
            .collect();
        let Some(first) = mine.first() else { continue };
        out.push((
            format!("tornado_{item}"),
            Chart::Tornado(TornadoSeries {
                scenario_title: title.to_owned(),
                outcome: format!("{}: mean end stock (units)", first.label),
                base: first.base,
                rows: mine
                    .iter()
                    .take(TORNADO_ROWS)
                    .map(|r| TornadoRow {
                        parameter: format!(
                            "{} ({} → {})",
                            r.key_path,
                            fmt_num(r.p10),
                            fmt_num(r.p90)
                        ),
                        at_low: r.at_p10,
                        at_high: r.at_p90,
                    })
                    .collect(),
            }),
        ));
    }
    out
}

/// Every file: the table, and each tornado chart as PNG and SVG.
///
/// # Errors
/// When the table cannot be written or a chart cannot be drawn.
pub fn render(
    rows: &[SensitivityRow],
    title: &str,
    footer: &crate::plot::Footer,
) -> Result<Vec<OutFile>, OutputError> {
    let drawn = crate::plot::render_all(
        &charts(rows, title),
        footer,
        &crate::plot::ChartOptions::default(),
    )?;
    let mut files = vec![OutFile {
        name: "sensitivity.csv".into(),
        bytes: csv(rows)?,
    }];
    files.extend(super::chart_files(drawn));
    Ok(files)
}

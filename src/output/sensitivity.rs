//! Serialisers for `porcupine sensitivity`: `sensitivity.csv` (one row per item, outcome and
//! input, ranked by swing) and a tornado chart of each item's end stock.

use super::csv_rows::{write_csv, Fixed};
use super::{OutFile, OutputError};
use crate::analysis::sensitivity::SensitivityRow;
use crate::numbers::format_input;
use crate::plot::{Chart, IntervalRow, TornadoSeries};
use crate::scenario::fmt_num;
use serde::Serialize;

/// Most inputs drawn on one tornado chart (the widest swings).
pub const TORNADO_ROWS: usize = 15;

/// The columns of `sensitivity.csv`, in the order of [`Row`]'s fields.
const HEADER: [&str; 11] = [
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
];

/// One row of `sensitivity.csv`: an input's effect on one outcome of one item.
#[derive(Serialize)]
struct Row<'r> {
    item: &'r str,
    outcome: &'r str,
    rank: usize,
    key_path: &'r str,
    p10_value: String,
    p90_value: String,
    base: Fixed<6>,
    at_p10: Fixed<6>,
    at_p90: Fixed<6>,
    swing: Fixed<6>,
    rank_correlation: Option<Fixed<4>>,
}

impl<'r> Row<'r> {
    fn of(r: &'r SensitivityRow) -> Row<'r> {
        Row {
            item: &r.item,
            outcome: r.outcome,
            rank: r.rank,
            key_path: &r.key_path,
            p10_value: fmt_num(r.p10),
            p90_value: fmt_num(r.p90),
            base: Fixed(r.base),
            at_p10: Fixed(r.at_p10),
            at_p90: Fixed(r.at_p90),
            swing: Fixed(clean(r.swing)),
            rank_correlation: r.rank_correlation.map(|c| Fixed(clean(c))),
        }
    }
}

/// `sensitivity.csv`: per item and outcome, every input, widest |swing| first.
///
/// # Errors
/// When a row cannot be written (never for in-memory buffers).
pub fn csv(rows: &[SensitivityRow]) -> Result<Vec<u8>, OutputError> {
    write_csv("sensitivity.csv", HEADER, rows.iter().map(Row::of))
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
                rows: mine
                    .iter()
                    .take(TORNADO_ROWS)
                    .map(|r| IntervalRow {
                        label: format!(
                            "{} ({} → {})",
                            r.key_path,
                            format_input(&r.key_path, r.p10),
                            format_input(&r.key_path, r.p90)
                        ),
                        low: r.at_p10,
                        mid: r.base,
                        high: r.at_p90,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::csv_rows::serde_header;

    fn row(rank_correlation: Option<f64>) -> SensitivityRow {
        SensitivityRow {
            item: "pac3".into(),
            label: "PAC-3".into(),
            outcome: "end_stock",
            outcome_label: "end stock",
            probability: false,
            key_path: "line.x.ramp_slip_days".into(),
            p10: 12.5,
            p90: 30.0,
            base: 100.0,
            at_p10: 110.25,
            at_p90: 90.0,
            swing: -20.25,
            rank_correlation,
            rank: 1,
        }
    }

    #[test]
    fn the_header_names_the_row_fields() {
        assert_eq!(serde_header(&Row::of(&row(None))), HEADER);
    }

    #[test]
    fn rows_print_fixed_decimals_and_no_negative_zero() {
        let out = csv(&[row(Some(-0.0)), row(None)]).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], HEADER.join(","));
        let same =
            "pac3,end_stock,1,line.x.ramp_slip_days,12.5,30,100.000000,110.250000,90.000000,\
                    -20.250000";
        assert_eq!(lines[1], format!("{same},0.0000"));
        assert_eq!(lines[2], format!("{same},"));
    }
}

//! Serialisers for `porcupine compare`: `compare.csv` (one row per item, outcome and variant),
//! `compare.json` (the same with the scenarios and how to reproduce them) and `compare.md` (a
//! table per variant for reading), plus the figures' wording shared with the terminal table.

use super::{OutFile, OutputError};
use crate::analysis::{Comparison, ComparisonRow, OutcomeLayout};
use crate::plot::format_usd;
use crate::plot::{Chart, ComparisonSeries, ScenarioBand, Spread3};
use crate::scenario::Scenario;
use crate::stats::bands::StockBands;
use crate::text::markdown as md;
use chrono::NaiveDate;
use std::fmt::Write as _;

/// Shows a value of a row's outcome: percentages for probabilities, dollars for money, units
/// with one decimal otherwise (means of whole units are rarely whole).
#[must_use]
pub fn value(row: &ComparisonRow, v: f64) -> String {
    let v = if v == 0.0 { 0.0 } else { v }; // no "-0"
    if row.probability {
        format!("{:.1}%", v * 100.0)
    } else if row.outcome.ends_with("_usd") {
        format_usd(v)
    } else {
        format!("{v:.1}")
    }
}

/// Shows a difference with its sign: percentage points for probabilities.
#[must_use]
pub fn difference(row: &ComparisonRow, v: f64) -> String {
    let shown = if row.probability {
        format!("{:.1} pp", v * 100.0)
    } else if row.outcome.ends_with("_usd") {
        format_usd(v)
    } else {
        format!("{v:.1}")
    };
    // A difference that rounds to zero is shown as 0, without a sign.
    let digits = shown.trim_start_matches('-');
    if !digits.chars().any(|c| c.is_ascii_digit() && c != '0') {
        digits.to_owned()
    } else if v > 0.0 {
        format!("+{shown}")
    } else {
        shown
    }
}

/// The difference and its 95% interval in words, e.g. `+12.0 [+8.1, +15.9]`.
#[must_use]
pub fn with_interval(row: &ComparisonRow) -> String {
    format!(
        "{} [{}, {}]",
        difference(row, row.difference),
        difference(row, row.ci95_low),
        difference(row, row.ci95_high)
    )
}

/// The charts of a comparison: per variant, the paired difference in end stock and in days at
/// zero of every item, with 95% intervals.
#[must_use]
pub fn charts(c: &Comparison) -> Vec<(String, Chart)> {
    use crate::plot::{DifferenceSeries, IntervalRow};
    let first = &c.scenarios[0];
    let mut out = Vec::new();
    for v in &c.scenarios[1..] {
        for (key, unit, file) in [
            ("end_stock", "difference in end stock (units)", "end_stock"),
            ("days_at_zero", "difference in days at zero", "days_at_zero"),
        ] {
            let rows = c
                .rows
                .iter()
                .filter(|r| r.variant == v.name && r.outcome == key)
                .map(|r| IntervalRow {
                    label: r.label.clone(),
                    low: r.ci95_low,
                    mid: r.difference,
                    high: r.ci95_high,
                })
                .collect();
            out.push((
                format!("difference_{}_{file}", v.name),
                Chart::Differences(DifferenceSeries {
                    title: format!("{} minus {}: {unit}", v.name, first.name),
                    unit: unit.to_owned(),
                    rows,
                }),
            ));
        }
    }
    out
}

/// One chart per compared item: its median and P5–P95 band of stock under every scenario, on
/// the first scenario's days (a scenario whose horizon differs shows where it has days). Each
/// scenario keeps its colour, its place on the command line, on every chart.
#[must_use]
pub fn band_charts(
    scenarios: &[&Scenario],
    layout: &OutcomeLayout,
    bands: &StockBands,
) -> Vec<(String, Chart)> {
    let first = scenarios[0];
    let dates: Vec<NaiveDate> = first.start.iter_days().take(first.days()).collect();
    let on_first_days = |k: usize, v: &[f64]| -> Vec<f64> {
        let offset = (scenarios[k].start - first.start).num_days();
        (0..dates.len() as i64)
            .map(|d| {
                usize::try_from(d + offset)
                    .ok()
                    .and_then(|d| v.get(d).copied())
                    .unwrap_or(f64::NAN)
            })
            .collect()
    };
    let mut out = Vec::new();
    for (j, (name, label)) in layout.items().enumerate() {
        let scenarios = scenarios
            .iter()
            .enumerate()
            .map(|(k, s)| {
                let [p5, p50, p95] = bands.percentiles(k, j);
                ScenarioBand {
                    label: s.name.clone(),
                    stock: Spread3 {
                        p5: on_first_days(k, &p5),
                        p50: on_first_days(k, &p50),
                        p95: on_first_days(k, &p95),
                    },
                }
            })
            .collect();
        let safe_stock = first
            .items
            .iter()
            .find(|i| i.name == name)
            .and_then(|i| i.safe_stock);
        out.push((
            format!("stock_compared_{name}"),
            Chart::Comparison(ComparisonSeries {
                item_label: label.to_owned(),
                dates: dates.clone(),
                scenarios,
                safe_stock,
            }),
        ));
    }
    out
}

/// All files of a comparison: the tables, and each chart (`bands`, then the differences) as
/// PNG and SVG.
pub fn render(
    c: &Comparison,
    bands: Vec<(String, Chart)>,
    footer: &crate::plot::Footer,
) -> Result<Vec<OutFile>, OutputError> {
    let mut kinds = bands;
    kinds.extend(charts(c));
    let drawn = crate::plot::render_all(&kinds, footer, &crate::plot::ChartOptions::default())?;
    let mut files = tables(c, &kinds)?;
    files.extend(super::chart_files(drawn));
    Ok(files)
}

fn tables(c: &Comparison, charts: &[(String, Chart)]) -> Result<Vec<OutFile>, OutputError> {
    Ok(vec![
        OutFile {
            name: "compare.csv".into(),
            bytes: csv(c)?,
        },
        OutFile {
            name: "compare.json".into(),
            bytes: json(c)?,
        },
        OutFile {
            name: "compare.md".into(),
            bytes: markdown(c, charts).into_bytes(),
        },
    ])
}

/// `compare.csv`: one row per item, outcome and variant.
pub fn csv(c: &Comparison) -> Result<Vec<u8>, OutputError> {
    let err = |e: csv::Error| OutputError::Serialize {
        file: "compare.csv",
        message: e.to_string(),
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in &c.rows {
        w.serialize(r).map_err(err)?;
    }
    w.into_inner().map_err(|e| OutputError::Serialize {
        file: "compare.csv",
        message: e.to_string(),
    })
}

/// `compare.json`.
pub fn json(c: &Comparison) -> Result<Vec<u8>, OutputError> {
    let mut v = serde_json::to_vec_pretty(c).map_err(|e| OutputError::Serialize {
        file: "compare.json",
        message: e.to_string(),
    })?;
    v.push(b'\n');
    Ok(v)
}

/// `compare.md`: a table per variant, then every chart with its caption.
#[must_use]
pub fn markdown(c: &Comparison, charts: &[(String, Chart)]) -> String {
    let mut o = String::new();
    let first = &c.scenarios[0];
    let _ = writeln!(o, "# Comparison against {}\n", md(&first.title));
    let _ = writeln!(
        o,
        "{} futures per scenario, seed {}, steel-porcupine {}. Every scenario is simulated on the \
         same futures (common random numbers), so each difference is the mean of per-future \
         differences, with a 95% confidence interval from their spread.\n",
        c.runs, c.seed, c.version
    );
    let _ = writeln!(o, "| scenario | file | hash |\n|---|---|---|");
    for s in &c.scenarios {
        let _ = writeln!(o, "| {} | {} | `{}` |", md(&s.title), md(&s.file), s.hash);
    }
    if !c.not_compared.is_empty() {
        let names: Vec<_> = c.not_compared.iter().map(|n| md(n).into_owned()).collect();
        let _ = writeln!(
            o,
            "\nNot compared (not in every scenario): {}.",
            names.join(", ")
        );
    }
    for v in &c.scenarios[1..] {
        let _ = writeln!(o, "\n## {} − {}\n", md(&v.title), md(&first.title));
        let _ = writeln!(
            o,
            "| item | outcome | {} | {} | difference [95% interval] | pairing narrows the interval by |",
            md(&first.name),
            md(&v.name)
        );
        let _ = writeln!(o, "|---|---|---:|---:|---:|---:|");
        for r in c.rows.iter().filter(|r| r.variant == v.name) {
            let narrower = if r.se_paired > 0.0 {
                format!("{:.1}×", r.se_independent / r.se_paired)
            } else {
                "–".to_owned()
            };
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} |",
                md(&r.label),
                r.outcome_label,
                value(r, r.base_mean),
                value(r, r.variant_mean),
                with_interval(r),
                narrower
            );
        }
    }
    if !charts.is_empty() {
        let _ = writeln!(o, "\n## Charts\n");
    }
    for (name, chart) in charts {
        let _ = writeln!(
            o,
            "![{}]({name}.png)\n\n*{}*\n",
            md(&super::html::alt(chart)),
            md(&super::html::caption(chart))
        );
    }
    let _ = writeln!(
        o,
        "\nReproduce with:\n\n{}",
        super::markdown::fenced(&c.reproduce)
    );
    o
}

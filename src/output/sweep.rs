//! `sweep.csv`: one row per combination, item and outcome of a sweep.

use super::OutputError;
use crate::analysis::sweep::SweepRow;

/// The rows as CSV with a header.
///
/// # Errors
/// When a row cannot be serialised (never for finite numbers).
pub fn csv(rows: &[SweepRow]) -> Result<Vec<u8>, OutputError> {
    let err = |message: String| OutputError::Serialize {
        file: "sweep.csv",
        message,
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.serialize(r).map_err(|e| err(e.to_string()))?;
    }
    w.into_inner().map_err(|e| err(e.to_string()))
}

/// The charts of a sweep over numeric values, per item: for one varied key, the mean end stock
/// with its 95% interval against the key's value (`sweep_ITEM`); for two, a heat map of the mean
/// end stock over both (`heatmap_ITEM`). None when a value is not a number or more keys vary.
#[must_use]
pub fn charts(
    title: &str,
    keys: &[String],
    combos: &[Vec<String>],
    rows: &[SweepRow],
) -> Vec<(String, crate::plot::Chart)> {
    use crate::plot::{Chart, HeatmapSeries, Spread3, SweepSeries};
    let numbers: Option<Vec<Vec<f64>>> = combos
        .iter()
        .map(|c| c.iter().map(|v| v.trim().parse::<f64>().ok()).collect())
        .collect();
    let Some(numbers) = numbers else {
        return Vec::new();
    };
    let mut items: Vec<&str> = Vec::new();
    for r in rows.iter().filter(|r| r.outcome == "end_stock") {
        if !items.contains(&r.item.as_str()) {
            items.push(&r.item);
        }
    }
    let end_stock = |item: &str, k: usize| {
        rows.iter()
            .find(|r| r.combination == k + 1 && r.item == item && r.outcome == "end_stock")
    };
    let mut out = Vec::new();
    for item in items {
        match keys {
            [key] => {
                let found: Vec<&SweepRow> = (0..combos.len())
                    .filter_map(|k| end_stock(item, k))
                    .collect();
                out.push((
                    format!("sweep_{item}"),
                    Chart::Sweep(SweepSeries {
                        scenario_title: title.to_owned(),
                        parameter: key.clone(),
                        outcome: format!("{item}: mean units in stock at the end"),
                        xs: numbers.iter().map(|v| v[0]).collect(),
                        outcome_spread: Spread3 {
                            p5: found.iter().map(|r| r.ci95_low).collect(),
                            p50: found.iter().map(|r| r.mean).collect(),
                            p95: found.iter().map(|r| r.ci95_high).collect(),
                        },
                    }),
                ));
            }
            [x, y] => {
                let mut xs: Vec<f64> = numbers.iter().map(|v| v[0]).collect();
                let mut ys: Vec<f64> = numbers.iter().map(|v| v[1]).collect();
                for v in [&mut xs, &mut ys] {
                    v.sort_by(f64::total_cmp);
                    v.dedup();
                }
                let values = ys
                    .iter()
                    .map(|yv| {
                        xs.iter()
                            .map(|xv| {
                                numbers
                                    .iter()
                                    .position(|n| n[0] == *xv && n[1] == *yv)
                                    .and_then(|k| end_stock(item, k))
                                    .map_or(f64::NAN, |r| r.mean)
                            })
                            .collect()
                    })
                    .collect();
                out.push((
                    format!("heatmap_{item}"),
                    Chart::Heatmap(HeatmapSeries {
                        scenario_title: title.to_owned(),
                        x_label: x.clone(),
                        y_label: y.clone(),
                        outcome: format!("{item}: mean units in stock at the end"),
                        xs,
                        ys,
                        values,
                        percent: false,
                    }),
                ));
            }
            _ => {}
        }
    }
    out
}

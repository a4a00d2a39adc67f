//! The stock fan chart: percentile bands of one item's stock on hand over
//! time, the median, a few sample futures and the safe-stock line.

use chrono::NaiveDate;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{date_axis, widen_single_day, x_fraction};
use super::frame::{self, LegendEntry, Symbol};
use super::style;
use super::text::Target;
use super::{format_units, FanSeries};

impl style::Chart for FanSeries {
    fn title(&self) -> String {
        format!("{} — stock on hand", self.item_label)
    }

    fn validate(&self) -> Result<(), String> {
        let n = self.dates.len();
        let bands = [
            ("p5", &self.p5),
            ("p25", &self.p25),
            ("p50", &self.p50),
            ("p75", &self.p75),
            ("p95", &self.p95),
        ];
        for (name, values) in bands {
            if values.len() != n {
                return Err(format!(
                    "{name} has {} values but there are {n} dates",
                    values.len()
                ));
            }
        }
        for (i, sample) in self.samples.iter().enumerate() {
            if sample.len() != n {
                return Err(format!(
                    "sample trajectory {} has {} values but there are {n} dates",
                    i + 1,
                    sample.len()
                ));
            }
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        target: Target,
    ) -> Result<(), String> {
        draw_fan(root, target, self)
    }
}

/// Draws the fan chart for `s` (already validated) on any backend.
pub(crate) fn draw_fan<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    target: Target,
    s: &FanSeries,
) -> Result<(), String> {
    use style::Chart;
    let futures = style::count_phrase(s.runs, "simulated future", "simulated futures");
    let body = style::page(
        root,
        target,
        &s.title(),
        &style::subtitle(&s.scenario_title, &futures),
    )?;
    let (Some(&first), Some(&last)) = (s.dates.iter().min(), s.dates.iter().max()) else {
        return style::no_data(root, target, "No data to draw: the series has no dates.");
    };
    let x_axis = date_axis(first, last);
    // Points to draw: `dates[k]` shows input index `at[k]`.
    let (dates, at) = widen_single_day(&s.dates);
    let bands = [&s.p5, &s.p25, &s.p50, &s.p75, &s.p95];
    let safe = s.safe_stock.map(|v| v as f64);

    // Highest and lowest value drawn at each point, for the axis and legend.
    let mut tops = Vec::with_capacity(dates.len());
    let mut bottoms = Vec::with_capacity(dates.len());
    for &i in &at {
        let values = bands
            .iter()
            .map(|b| b[i])
            .chain(s.samples.iter().map(|smp| smp[i] as f64))
            .chain(safe)
            .filter(|v| v.is_finite());
        let (mut hi, mut lo) = (f64::NEG_INFINITY, f64::INFINITY);
        for v in values {
            hi = hi.max(v);
            lo = lo.min(v);
        }
        tops.push(hi);
        bottoms.push(lo);
    }
    let mut xs: Vec<f64> = dates.iter().map(|d| x_fraction(&x_axis, *d)).collect();
    if let Some(level) = safe {
        // The safe-stock line spans the whole axis, beyond the first and last dates.
        xs.extend([0.0, 1.0]);
        tops.extend([level, level]);
        bottoms.extend([level, level]);
    }

    let sample_style = style::SAMPLE.mix(0.35);
    let mut legend = vec![
        LegendEntry {
            label: "median (P50)".into(),
            symbol: Symbol::Line(style::MEDIAN.to_rgba(), 3),
        },
        LegendEntry {
            label: "middle 50% of futures (P25–P75)".into(),
            symbol: Symbol::Band(style::BAND_INNER),
        },
        LegendEntry {
            label: "90% of futures (P5–P95)".into(),
            symbol: Symbol::Band(style::BAND_OUTER),
        },
    ];
    if !s.samples.is_empty() {
        legend.push(LegendEntry {
            label: style::count_phrase(s.samples.len() as u64, "sample future", "sample futures"),
            symbol: Symbol::Line(style::SAMPLE.mix(0.6), 1),
        });
    }
    if let Some(v) = s.safe_stock {
        legend.push(LegendEntry {
            label: format!("safe stock ({})", format_units(v as f64)),
            symbol: Symbol::Dashed(style::SAFE_STOCK, 2),
        });
    }

    let layout = frame::plan_layout(
        root,
        &body,
        &legend,
        &xs,
        &tops,
        &bottoms,
        format_units,
        1.0,
        10.0,
    )?;
    let chart = frame::build_chart(
        root,
        &body,
        target,
        &layout,
        &x_axis,
        "units in stock",
        format_units,
    )?;

    // Bands, outer then inner, broken wherever a percentile is missing.
    let band_layers = [
        (s.p5.as_slice(), s.p95.as_slice(), style::BAND_OUTER),
        (s.p25.as_slice(), s.p75.as_slice(), style::BAND_INNER),
    ];
    for (low, high, colour) in band_layers {
        let ok = |k: usize| low[at[k]].is_finite() && high[at[k]].is_finite();
        for run in style::runs(dates.len(), ok) {
            let upper: Vec<(NaiveDate, f64)> =
                run.clone().map(|k| (dates[k], high[at[k]])).collect();
            let lower: Vec<(NaiveDate, f64)> = run.map(|k| (dates[k], low[at[k]])).collect();
            frame::fill_band(root, &chart, &upper, &lower, colour)?;
        }
    }

    // Sample futures: faint and thin, under the median.
    for sample in &s.samples {
        let points: Vec<(NaiveDate, f64)> = at
            .iter()
            .zip(&dates)
            .map(|(&i, d)| (*d, sample[i] as f64))
            .collect();
        frame::stroke(root, target, &chart, &points, sample_style, 1, false)?;
    }

    for run in style::runs(dates.len(), |k| s.p50[at[k]].is_finite()) {
        let points: Vec<(NaiveDate, f64)> = run.map(|k| (dates[k], s.p50[at[k]])).collect();
        frame::stroke(
            root,
            target,
            &chart,
            &points,
            style::MEDIAN.to_rgba(),
            3,
            false,
        )?;
    }

    if let Some(level) = safe {
        let points = [(x_axis.start, level), (x_axis.end, level)];
        frame::stroke(
            root,
            target,
            &chart,
            &points,
            style::SAFE_STOCK.to_rgba(),
            2,
            true,
        )?;
    }

    frame::draw_legend(root, target, &chart, &layout, &legend)
}

//! The stock fan chart: percentile bands of one item's stock on hand over
//! time, the median, a few sample futures and the safe-stock line.

use std::iter;

use chrono::NaiveDate;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::{self, msg, text_style};
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
                return Err(format!("{name} has {} values but there are {n} dates", values.len()));
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

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        draw_fan(root, self)
    }
}

/// Draws the fan chart for `s` on any backend. Expects `s` to be validated.
pub(crate) fn draw_fan<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &FanSeries,
) -> Result<(), String> {
    use style::Chart;
    let futures = style::count_phrase(s.runs, "simulated future", "simulated futures");
    let subtitle = if s.scenario_title.trim().is_empty() {
        futures
    } else {
        format!("{}  ·  {}", s.scenario_title.trim(), futures)
    };
    let body = style::page(root, &s.title(), &subtitle)?;
    let (Some(&first), Some(&last)) = (s.dates.iter().min(), s.dates.iter().max()) else {
        return style::no_data(&body, "No data to draw: the series has no dates.");
    };
    let x_axis = style::date_axis(first, last);
    // Points to draw: `dates[k]` shows input index `at[k]`.
    let (dates, at) = style::widen_single_day(&s.dates);
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
    let xs: Vec<f64> = dates.iter().map(|d| style::x_fraction(&x_axis, *d)).collect();

    // Legend entries, in reading order.
    let median_label = "median (P50)".to_string();
    let inner_label = "middle 50% of futures (P25–P75)".to_string();
    let outer_label = "90% of futures (P5–P95)".to_string();
    let sample_label = style::count_phrase(s.samples.len() as u64, "sample future", "sample futures");
    let safe_label = s.safe_stock.map(|v| format!("safe stock ({})", format_units(v as f64)));
    let mut labels = vec![median_label.clone(), inner_label.clone(), outer_label.clone()];
    if !s.samples.is_empty() {
        labels.push(sample_label.clone());
    }
    labels.extend(safe_label.clone());

    let layout = style::plan_layout(&body, &labels, &xs, &tops, &bottoms, format_units, 1.0)?;
    let y = &layout.y;
    let x_spec = (x_axis.start..x_axis.end)
        .with_key_points(x_axis.ticks.clone())
        .with_light_points(x_axis.light.clone());
    let y_spec = y.spec();
    let mut chart = style::builder(&body, &layout.geometry)
        .build_cartesian_2d(x_spec, y_spec)
        .map_err(msg)?;

    let x_format = |d: &NaiveDate| d.format(x_axis.format).to_string();
    let y_format = |v: &f64| format_units(*v);
    chart
        .configure_mesh()
        .x_label_formatter(&x_format)
        .y_label_formatter(&y_format)
        .y_desc("units in stock")
        .label_style(text_style(style::TICK_SIZE, &style::TEXT))
        .axis_desc_style(text_style(style::AXIS_DESC_SIZE, &style::TEXT))
        .axis_style(style::AXIS.stroke_width(1))
        .bold_line_style(style::GRID.stroke_width(1))
        .light_line_style(style::GRID_LIGHT.stroke_width(1))
        .draw()
        .map_err(msg)?;

    // Legend entries are registered on empty series so that the legend reads
    // in order of importance while the data are drawn back to front.
    let no_points = || iter::empty::<PathElement<(NaiveDate, f64)>>();
    chart
        .draw_series(no_points())
        .map_err(msg)?
        .label(median_label)
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], style::MEDIAN.stroke_width(3)));
    chart
        .draw_series(no_points())
        .map_err(msg)?
        .label(inner_label)
        .legend(|(x, y)| Rectangle::new([(x, y - 7), (x + 24, y + 7)], style::BAND_INNER.filled()));
    chart
        .draw_series(no_points())
        .map_err(msg)?
        .label(outer_label)
        .legend(|(x, y)| Rectangle::new([(x, y - 7), (x + 24, y + 7)], style::BAND_OUTER.filled()));
    if !s.samples.is_empty() {
        chart
            .draw_series(no_points())
            .map_err(msg)?
            .label(sample_label)
            .legend(|(x, y)| {
                PathElement::new(vec![(x, y), (x + 24, y)], style::SAMPLE.mix(0.6).stroke_width(1))
            });
    }
    if let Some(label) = safe_label {
        chart.draw_series(no_points()).map_err(msg)?.label(label).legend(|(x, y)| {
            let line = style::SAFE_STOCK.stroke_width(2);
            EmptyElement::at((x, y))
                + PathElement::new(vec![(0, 0), (9, 0)], line)
                + PathElement::new(vec![(15, 0), (24, 0)], line)
        });
    }

    // Bands, outer then inner, broken wherever a percentile is missing.
    let band_layers = [
        (s.p5.as_slice(), s.p95.as_slice(), style::BAND_OUTER),
        (s.p25.as_slice(), s.p75.as_slice(), style::BAND_INNER),
    ];
    for (low, high, colour) in band_layers {
        let ok = |k: usize| low[at[k]].is_finite() && high[at[k]].is_finite();
        for run in style::runs(dates.len(), ok) {
            let upper = run.clone().map(|k| (dates[k], high[at[k]]));
            let lower = run.clone().rev().map(|k| (dates[k], low[at[k]]));
            let outline: Vec<(NaiveDate, f64)> = upper.chain(lower).collect();
            chart
                .draw_series(iter::once(Polygon::new(outline, colour.filled())))
                .map_err(msg)?;
        }
    }

    // Sample futures: faint, thin, under the median.
    let sample_style = style::SAMPLE.mix(0.35).stroke_width(1);
    for sample in &s.samples {
        let points = at.iter().zip(&dates).map(|(&i, d)| (*d, sample[i] as f64));
        chart.draw_series(LineSeries::new(points, sample_style)).map_err(msg)?;
    }

    // Median.
    for run in style::runs(dates.len(), |k| s.p50[at[k]].is_finite()) {
        let points = run.map(|k| (dates[k], s.p50[at[k]]));
        chart
            .draw_series(LineSeries::new(points, style::MEDIAN.stroke_width(3)))
            .map_err(msg)?;
    }

    // Safe stock across the whole axis.
    if let Some(level) = safe {
        chart
            .draw_series(DashedLineSeries::new(
                vec![(x_axis.start, level), (x_axis.end, level)],
                12,
                7,
                style::SAFE_STOCK.stroke_width(2),
            ))
            .map_err(msg)?;
    }

    style::draw_legend(&mut chart, layout.legend)
}

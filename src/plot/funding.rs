//! The funding chart: cumulative money pledged, paid and spent over time
//! (means across runs), in US dollars.

use std::iter;

use chrono::NaiveDate;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::{self, msg, text_style};
use super::{format_usd, FundingSeries};

const TITLE: &str = "Funding — cumulative money pledged, paid and spent";

impl style::Chart for FundingSeries {
    fn title(&self) -> String {
        TITLE.to_string()
    }

    fn validate(&self) -> Result<(), String> {
        let n = self.dates.len();
        let lines = [
            ("pledged_usd", &self.pledged_usd),
            ("paid_usd", &self.paid_usd),
            ("spent_usd", &self.spent_usd),
        ];
        for (name, values) in lines {
            if values.len() != n {
                return Err(format!("{name} has {} values but there are {n} dates", values.len()));
            }
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        draw_funding(root, self)
    }
}

/// Draws the funding chart for `s` on any backend. Expects `s` to be validated.
pub(crate) fn draw_funding<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &FundingSeries,
) -> Result<(), String> {
    let means = format!(
        "means of {}",
        style::count_phrase(s.runs, "simulated future", "simulated futures")
    );
    let subtitle = if s.scenario_title.trim().is_empty() {
        means
    } else {
        format!("{}  ·  {}", s.scenario_title.trim(), means)
    };
    let body = style::page(root, TITLE, &subtitle)?;
    let (Some(&first), Some(&last)) = (s.dates.iter().min(), s.dates.iter().max()) else {
        return style::no_data(&body, "No data to draw: the series has no dates.");
    };
    let x_axis = style::date_axis(first, last);
    let (dates, at) = style::widen_single_day(&s.dates);

    let lines: [(&str, &[f64], RGBColor, bool); 3] = [
        ("pledged", &s.pledged_usd, style::PLEDGED, true),
        ("paid", &s.paid_usd, style::PAID, false),
        ("spent", &s.spent_usd, style::SPENT, false),
    ];

    let mut tops = Vec::with_capacity(dates.len());
    let mut bottoms = Vec::with_capacity(dates.len());
    for &i in &at {
        let (mut hi, mut lo) = (f64::NEG_INFINITY, f64::INFINITY);
        for v in lines.iter().map(|l| l.1[i]).filter(|v| v.is_finite()) {
            hi = hi.max(v);
            lo = lo.min(v);
        }
        tops.push(hi);
        bottoms.push(lo);
    }
    let xs: Vec<f64> = dates.iter().map(|d| style::x_fraction(&x_axis, *d)).collect();
    let labels: Vec<String> = lines.iter().map(|l| l.0.to_string()).collect();

    let layout = style::plan_layout(&body, &labels, &xs, &tops, &bottoms, format_usd, 1.0)?;
    let y = &layout.y;
    let x_spec = (x_axis.start..x_axis.end)
        .with_key_points(x_axis.ticks.clone())
        .with_light_points(x_axis.light.clone());
    let y_spec = y.spec();
    let mut chart = style::builder(&body, &layout.geometry)
        .build_cartesian_2d(x_spec, y_spec)
        .map_err(msg)?;

    let runs = style::count_phrase(s.runs, "run", "runs");
    let y_desc = format!("cumulative US dollars (mean of {runs})");
    let x_format = |d: &NaiveDate| d.format(x_axis.format).to_string();
    let y_format = |v: &f64| format_usd(*v);
    chart
        .configure_mesh()
        .x_label_formatter(&x_format)
        .y_label_formatter(&y_format)
        .y_desc(y_desc)
        .label_style(text_style(style::TICK_SIZE, &style::TEXT))
        .axis_desc_style(text_style(style::AXIS_DESC_SIZE, &style::TEXT))
        .axis_style(style::AXIS.stroke_width(1))
        .bold_line_style(style::GRID.stroke_width(1))
        .light_line_style(style::GRID_LIGHT.stroke_width(1))
        .draw()
        .map_err(msg)?;

    for (label, values, colour, dashed) in lines {
        let line = colour.stroke_width(3);
        let entry = chart
            .draw_series(iter::empty::<PathElement<(NaiveDate, f64)>>())
            .map_err(msg)?
            .label(label);
        if dashed {
            entry.legend(move |(x, y)| {
                EmptyElement::at((x, y))
                    + PathElement::new(vec![(0, 0), (9, 0)], line)
                    + PathElement::new(vec![(15, 0), (24, 0)], line)
            });
        } else {
            entry.legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], line));
        }
        for run in style::runs(dates.len(), |k| values[at[k]].is_finite()) {
            let points: Vec<(NaiveDate, f64)> = run.map(|k| (dates[k], values[at[k]])).collect();
            if dashed {
                chart
                    .draw_series(DashedLineSeries::new(points, 12, 7, line))
                    .map_err(msg)?;
            } else {
                chart.draw_series(LineSeries::new(points, line)).map_err(msg)?;
            }
        }
    }

    style::draw_legend(&mut chart, layout.legend)
}

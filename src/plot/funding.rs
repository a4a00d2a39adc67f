//! The funding chart: cumulative money pledged, paid and spent over time
//! (means across runs), in US dollars.

use chrono::NaiveDate;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{date_axis, widen_single_day, x_fraction};
use super::frame::{self, LegendEntry, Symbol};
use super::style;
use super::text::Target;
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
                return Err(format!(
                    "{name} has {} values but there are {n} dates",
                    values.len()
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
        draw_funding(root, target, self)
    }
}

/// Draws the funding chart for `s` (already validated) on any backend.
pub(crate) fn draw_funding<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    target: Target,
    s: &FundingSeries,
) -> Result<(), String> {
    let futures = style::count_phrase(s.runs, "simulated future", "simulated futures");
    let means = format!("means of {futures}");
    let body = style::page(
        root,
        target,
        TITLE,
        &style::subtitle(&s.scenario_title, &means),
    )?;
    let (Some(&first), Some(&last)) = (s.dates.iter().min(), s.dates.iter().max()) else {
        return style::no_data(root, target, "No data to draw: the series has no dates.");
    };
    let x_axis = date_axis(first, last);
    let (dates, at) = widen_single_day(&s.dates);

    // (legend label, values, colour, dashed). Pledged money is a promise, so dashed.
    let lines: [(&str, &[f64], RGBColor, bool); 3] = [
        ("pledged", &s.pledged_usd, style::PLEDGED, true),
        ("paid", &s.paid_usd, style::PAID, false),
        ("spent", &s.spent_usd, style::SPENT, false),
    ];
    const WIDTH: u32 = 3;

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
    let xs: Vec<f64> = dates.iter().map(|d| x_fraction(&x_axis, *d)).collect();
    let legend: Vec<LegendEntry> = lines
        .iter()
        .map(|(label, _, colour, dashed)| LegendEntry {
            label: label.to_string(),
            symbol: if *dashed {
                Symbol::Dashed(*colour, WIDTH)
            } else {
                Symbol::Line(colour.to_rgba(), WIDTH)
            },
        })
        .collect();

    let layout = frame::plan_layout(
        root, &body, &legend, &xs, &tops, &bottoms, format_usd, 1.0, 10.0,
    )?;
    let runs = style::count_phrase(s.runs, "run", "runs");
    let y_desc = format!("cumulative US dollars (mean of {runs})");
    let chart = frame::build_chart(root, &body, target, &layout, &x_axis, &y_desc, format_usd)?;

    for (_, values, colour, dashed) in lines {
        for run in style::runs(dates.len(), |k| values[at[k]].is_finite()) {
            let points: Vec<(NaiveDate, f64)> = run.map(|k| (dates[k], values[at[k]])).collect();
            frame::stroke(
                root,
                target,
                &chart,
                &points,
                colour.to_rgba(),
                WIDTH,
                dashed,
            )?;
        }
    }

    frame::draw_legend(root, target, &chart, &layout, &legend)
}

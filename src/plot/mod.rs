//! Charts drawn from prepared, backend-neutral series; pure: they return bytes, the caller writes files.
//!
//! Every chart is 1200 x 700 pixels on a white background and uses the
//! embedded DejaVu Sans font, so the PNG output is identical on every machine
//! (SVG output names the generic `sans-serif` family). Each chart is drawn by
//! one function generic over the plotters `DrawingBackend`, which the SVG and
//! PNG entry points share.

use chrono::NaiveDate;

mod axes;
mod fan;
mod frame;
mod funding;
mod style;
#[cfg(test)]
mod tests;
mod text;

/// One item's stock distribution over time, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct FanSeries {
    /// e.g. "Baseline: European-funded procurement 2025-27"
    pub scenario_title: String,
    /// e.g. "PAC-3 MSE interceptor"
    pub item_label: String,
    /// One per day, same length as every vec below.
    pub dates: Vec<NaiveDate>,
    pub p5: Vec<f64>,
    pub p25: Vec<f64>,
    pub p50: Vec<f64>,
    pub p75: Vec<f64>,
    pub p95: Vec<f64>,
    /// Drawn as a dashed red horizontal line labelled "safe stock (N)".
    pub safe_stock: Option<u64>,
    /// A few whole sample trajectories (each as long as `dates`), drawn as faint thin grey lines.
    pub samples: Vec<Vec<u64>>,
    /// Number of simulated futures, shown in the subtitle: "1,000 simulated futures".
    pub runs: u64,
}

/// Cumulative money over time (means across runs), in US dollars.
#[derive(Debug, Clone, PartialEq)]
pub struct FundingSeries {
    pub scenario_title: String,
    pub dates: Vec<NaiveDate>,
    pub pledged_usd: Vec<f64>,
    pub paid_usd: Vec<f64>,
    pub spent_usd: Vec<f64>,
    pub runs: u64,
}

/// A chart could not be drawn (inconsistent input, or a drawing/encoding failure).
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    #[error("could not draw the chart {chart}: {message}")]
    Draw { chart: String, message: String },
}

/// The stock fan chart (percentile bands, median, samples, safe stock) as an SVG document.
pub fn fan_chart_svg(s: &FanSeries) -> Result<String, PlotError> {
    style::render_svg(s)
}

/// The stock fan chart as PNG-encoded bytes.
pub fn fan_chart_png(s: &FanSeries) -> Result<Vec<u8>, PlotError> {
    style::render_png(s)
}

/// The cumulative funding chart (pledged, paid, spent) as an SVG document.
pub fn funding_chart_svg(s: &FundingSeries) -> Result<String, PlotError> {
    style::render_svg(s)
}

/// The cumulative funding chart as PNG-encoded bytes.
pub fn funding_chart_png(s: &FundingSeries) -> Result<Vec<u8>, PlotError> {
    style::render_png(s)
}

/// "$1.2B", "$350M", "$12.5k", "$0" — used on money axes.
///
/// Three significant digits at most, trailing zeros dropped; units k, M, B
/// and T (trillions, the largest: beyond it the number grows, "$1,500T").
/// Negative amounts read "-$1.2B"; non-finite input gives "n/a" or "$∞".
pub fn format_usd(v: f64) -> String {
    if v.is_nan() {
        return "n/a".to_string();
    }
    let sign = if v < 0.0 { "-" } else { "" };
    if v.is_infinite() {
        return format!("{sign}$∞");
    }
    const UNITS: [(f64, &str); 5] = [(1.0, ""), (1e3, "k"), (1e6, "M"), (1e9, "B"), (1e12, "T")];
    let a = v.abs();
    // The largest unit not above the amount (plain dollars below $1k).
    let mut u = UNITS
        .iter()
        .rposition(|(scale, _)| a >= *scale)
        .unwrap_or(0);
    loop {
        let (scale, suffix) = UNITS[u];
        let x = a / scale;
        let decimals = if x < 10.0 {
            2
        } else if x < 100.0 {
            1
        } else {
            0
        };
        let text = format!("{x:.decimals$}");
        let rounded: f64 = text.parse().unwrap_or(x);
        // 999.96k rounds to "1000": say "$1M" instead.
        if rounded >= 1000.0 && u + 1 < UNITS.len() {
            u += 1;
            continue;
        }
        let text = trim_decimal_zeros(&text);
        if text == "0" {
            return "$0".to_string();
        }
        return format!("{sign}${}{suffix}", group_thousands(&text));
    }
}

/// "1,234" — thousands separators for unit axes.
///
/// Rounds to the nearest whole unit (half away from zero); negative values
/// read "-1,234"; non-finite input gives "n/a" or "∞".
pub fn format_units(v: f64) -> String {
    if v.is_nan() {
        return "n/a".to_string();
    }
    if v.is_infinite() {
        return if v < 0.0 {
            "-∞".to_string()
        } else {
            "∞".to_string()
        };
    }
    let r = v.round();
    if r == 0.0 {
        return "0".to_string();
    }
    let digits = format!("{:.0}", r.abs());
    format!(
        "{}{}",
        if r < 0.0 { "-" } else { "" },
        group_thousands(&digits)
    )
}

/// "12.50" -> "12.5", "3.00" -> "3", "40" -> "40".
fn trim_decimal_zeros(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

/// Inserts commas into the integer part of an unsigned decimal number.
fn group_thousands(s: &str) -> String {
    let (int, frac) = match s.find('.') {
        Some(i) => s.split_at(i),
        None => (s, ""),
    };
    let mut out = String::with_capacity(s.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out.push_str(frac);
    out
}

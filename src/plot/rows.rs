//! Charts with a row per category rather than a time axis: paired differences with intervals,
//! the tornado chart of sensitivities, and the heat map of an outcome over two parameters.

use super::axes::value_axis;
use super::figure::{extent, page, AXIS, GRID, INK, LABEL, TICK, UPWARDS};
use super::svg::{text_width, Align, Canvas, Dash, Font, HEIGHT, WIDTH};
use super::*;

const ROW: Font = Font::new(14.0, INK, Align::Start);
const CELL: Font = Font::new(13.0, INK, Align::Middle);

/// A bar or interval on one row: (from, to, colour, thickness).
type Piece = (f64, f64, &'static str, f64);
/// A row: its label, its pieces and a central value marked with a square.
type Row = (String, Vec<Piece>, Option<f64>);

/// Rows of horizontal pieces over a shared numeric axis, with a reference line.
fn draw_rows(c: &mut Canvas, rows: &[Row], reference: f64, axis_label: &str) {
    let label_w = rows
        .iter()
        .map(|r| text_width(&r.0, ROW.size))
        .fold(0.0, f64::max)
        .min(WIDTH * 0.32);
    let left = 24.0 + label_w + 16.0;
    let right = WIDTH - 40.0;
    let (top, bottom) = (90.0, HEIGHT - 100.0);
    let (mut lo, mut hi) = (reference, reference);
    for (_, pieces, mid) in rows {
        for v in pieces.iter().flat_map(|p| [p.0, p.1]).chain(*mid) {
            if v.is_finite() {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
    }
    let a = value_axis(lo, hi, 8, 0.0);
    let span = (a.high - a.low).max(f64::MIN_POSITIVE);
    let px = |v: f64| left + (v - a.low) / span * (right - left);
    for t in &a.ticks {
        c.rule((px(*t), top), (px(*t), bottom), GRID);
        let at = (px(*t), bottom + 22.0);
        c.label(at, TICK.at(Align::Middle), &format_number(*t));
    }
    c.rule((left, bottom), (right, bottom), AXIS);
    let middle = ((left + right) / 2.0, bottom + 46.0);
    c.text(middle, LABEL.at(Align::Middle), axis_label, right - left);
    let step = (bottom - top) / rows.len().max(1) as f64;
    for (i, (label, pieces, mid)) in rows.iter().enumerate() {
        let cy = top + step * (i as f64 + 0.5);
        c.text((left - 10.0, cy + 5.0), ROW.at(Align::End), label, label_w);
        for &(from, to, colour, thick) in pieces {
            if from.is_finite() && to.is_finite() {
                let h = (step * thick).min(40.0);
                let (x0, x1) = (px(from.min(to)), px(from.max(to)));
                let bar = (x0, cy - h / 2.0, (x1 - x0).max(1.5), h);
                c.rect(bar, colour, 0.85, None);
            }
        }
        if let Some(m) = mid.filter(|m| m.is_finite()) {
            c.rect((px(m) - 5.0, cy - 5.0, 10.0, 10.0), INK, 1.0, None);
        }
    }
    let x = px(reference);
    c.line((x, top - 6.0), (x, bottom), INK, 1.5, Dash::Solid);
}

/// Paired differences with intervals.
pub(crate) fn differences(s: &DifferenceSeries, footer: &str) -> Result<String, String> {
    let mut c = page(
        &s.title,
        "central estimate (square) and 95% interval of the paired difference; zero means no change",
        footer,
    );
    let row = |r: &IntervalRow| {
        let interval = (r.low, r.high, colour(0), 0.3);
        (r.label.clone(), vec![interval], Some(r.mid))
    };
    let rows: Vec<_> = s.rows.iter().map(row).collect();
    draw_rows(&mut c, &rows, 0.0, &s.unit);
    Ok(c.finish())
}

/// Sensitivity: the outcome at each parameter's low and high value, widest swing first.
pub(crate) fn tornado(s: &TornadoSeries, footer: &str) -> Result<String, String> {
    let title = format!("Sensitivity — what moves the {} most", s.outcome);
    let (scenario, base) = (s.scenario_title.trim(), format_number(s.base));
    let subtitle = format!(
        "{scenario}  ·  outcome with each parameter at its low (blue) and high (orange) value; line: base {base}"
    );
    let mut c = page(&title, &subtitle, footer);
    let mut sorted: Vec<&TornadoRow> = s.rows.iter().collect();
    let swing = |r: &TornadoRow| {
        let w = (r.at_high - r.at_low).abs();
        if w.is_finite() {
            w
        } else {
            0.0
        }
    };
    sorted.sort_by(|a, b| swing(b).total_cmp(&swing(a)));
    let row = |r: &&TornadoRow| {
        let low = (s.base, r.at_low, colour(0), 0.6);
        let high = (s.base, r.at_high, colour(1), 0.6);
        (r.parameter.clone(), vec![low, high], None)
    };
    let rows: Vec<_> = sorted.iter().map(row).collect();
    draw_rows(&mut c, &rows, s.base, &s.outcome);
    Ok(c.finish())
}

/// A sequential ramp from pale yellow to dark blue (viridis-like): lightness falls steadily,
/// so it also reads in greyscale.
fn ramp(t: f64) -> (String, bool) {
    const STOPS: [(f64, f64, f64); 5] = [
        (253.0, 231.0, 37.0),
        (94.0, 201.0, 98.0),
        (33.0, 145.0, 140.0),
        (59.0, 82.0, 139.0),
        (68.0, 1.0, 84.0),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let f = t * (STOPS.len() - 1) as f64;
    let i = (f.floor() as usize).min(STOPS.len() - 2);
    let k = f - i as f64;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    let mix = |x: f64, y: f64| (x + (y - x) * k).round() as u8;
    let rgb = (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2));
    let hex = format!("#{:02x}{:02x}{:02x}", rgb.0, rgb.1, rgb.2);
    (hex, t > 0.55)
}

/// An outcome over a grid of two parameters; each cell shows its value.
pub(crate) fn heatmap(s: &HeatmapSeries, footer: &str) -> Result<String, String> {
    let (columns, rows) = (s.xs.len(), s.ys.len());
    if s.values.len() != rows || s.values.iter().any(|r| r.len() != columns) {
        return Err(format!(
            "values must be {rows} rows of {columns} (one per y, then x)"
        ));
    }
    let title = capitalised(&format!("{} by {} and {}", s.outcome, s.x_label, s.y_label));
    let scenario = s.scenario_title.trim();
    let subtitle = format!("{scenario}  ·  median over simulated futures at each pair");
    let mut c = page(&title, &subtitle, footer);
    let fmt = if s.percent {
        format_percent
    } else {
        format_number
    };
    let (lo, hi) = extent(s.values.iter().flatten().copied()).unwrap_or((0.0, 1.0));
    let (left, top, right, bottom) = (150.0, 90.0, WIDTH - 170.0, HEIGHT - 110.0);
    let (nx, ny) = (columns.max(1) as f64, rows.max(1) as f64);
    let (cw, ch) = ((right - left) / nx, (bottom - top) / ny);
    for (j, row) in s.values.iter().enumerate() {
        // First y value at the bottom.
        let y = bottom - ch * (j as f64 + 1.0);
        for (i, v) in row.iter().enumerate() {
            let x = left + cw * i as f64;
            let t = if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
            let (fill, dark) = if v.is_finite() {
                ramp(t)
            } else {
                ("#ffffff".into(), false)
            };
            c.rect((x, y, cw, ch), &fill, 1.0, Some("white"));
            let ink = if dark { "white" } else { INK };
            let centre = (x + cw / 2.0, y + ch / 2.0 + 5.0);
            c.text(centre, CELL.in_colour(ink), &fmt(*v), cw - 4.0);
        }
    }
    for (i, x) in s.xs.iter().enumerate() {
        let at = (left + cw * (i as f64 + 0.5), bottom + 22.0);
        c.text(at, TICK.at(Align::Middle), &format_number(*x), cw);
    }
    for (j, y) in s.ys.iter().enumerate() {
        let at = (left - 10.0, bottom - ch * (j as f64 + 0.5) + 5.0);
        c.text(at, TICK.at(Align::End), &format_number(*y), left - 60.0);
    }
    let middle = ((left + right) / 2.0, bottom + 48.0);
    c.text(middle, LABEL.at(Align::Middle), &s.x_label, right - left);
    let side = (40.0, (top + bottom) / 2.0);
    c.text(side, UPWARDS, &s.y_label, bottom - top);
    // Colour scale.
    let sx = right + 40.0;
    let cell = (bottom - top) / 50.0;
    for k in 0..50 {
        let y = bottom - cell * f64::from(k + 1);
        let fill = ramp(f64::from(k) / 49.0).0;
        c.rect((sx, y, 24.0, cell + 0.5), &fill, 1.0, None);
    }
    c.label((sx + 30.0, bottom), TICK, &fmt(lo));
    c.label((sx + 30.0, top + 12.0), TICK, &fmt(hi));
    Ok(c.finish())
}

/// "chance of…" -> "Chance of…" for titles.
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

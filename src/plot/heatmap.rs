//! The heat map of an outcome over two swept parameters: a grid of cells coloured on a
//! sequential ramp, each with its value, and the colour scale beside it.

use super::figure::{extent, page, INK, LABEL, TICK, UPWARDS};
use super::svg::{Align, Font, HEIGHT, WIDTH};
use super::*;

const CELL: Font = Font::new(13.0, INK, Align::Middle);

/// A sequential ramp from pale yellow to dark blue (viridis-like): lightness falls steadily,
/// so it also reads in greyscale.
fn ramp(t: f64) -> (String, bool) {
    const STOPS: [[f64; 3]; 5] = [
        [253.0, 231.0, 37.0],
        [94.0, 201.0, 98.0],
        [33.0, 145.0, 140.0],
        [59.0, 82.0, 139.0],
        [68.0, 1.0, 84.0],
    ];
    let t = t.clamp(0.0, 1.0);
    let f = t * (STOPS.len() - 1) as f64;
    let i = (f.floor() as usize).min(STOPS.len() - 2);
    let k = f - i as f64;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    let [red, green, blue] = [0, 1, 2].map(|c| (a[c] + (b[c] - a[c]) * k).round() as u8);
    (format!("#{red:02x}{green:02x}{blue:02x}"), t > 0.55)
}

/// An outcome over a grid of two parameters; each cell shows its value.
pub(crate) fn draw(s: &HeatmapSeries, footer: &str) -> Result<String, String> {
    let (columns, rows) = (s.xs.len(), s.ys.len());
    if s.values.len() != rows || s.values.iter().any(|r| r.len() != columns) {
        return Err(format!(
            "values must be {rows} rows of {columns} (one per y, then x)"
        ));
    }
    // "chance of…" -> "Chance of…".
    let title = format!("{} by {} and {}", s.outcome, s.x_label, s.y_label);
    let mut chars = title.chars();
    let first = chars.next().map(char::to_uppercase);
    let title = first.map_or(String::new(), |f| f.collect::<String>() + chars.as_str());
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

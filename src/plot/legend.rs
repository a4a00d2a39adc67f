//! The legend: its size, the corner of the first panel where it hides no data (growing the y
//! axis's headroom when every corner would), and its entries.

use super::axes::ValueAxis;
use super::figure::{at, Area, Key, Layer, Map, Panel, Pen, Swatch, XAxis, GRID, LEGEND};
use super::svg::{text_width, Canvas};

/// Where a legend goes: its top-left corner and its size.
pub(super) type Placed = ((f64, f64), (f64, f64));

/// The first corner, with the least headroom (the y axis fitted by `fit`), where the legend
/// hides nothing of panel `p0` in area `a0`, else where it hides least: (headroom, (corner,
/// size)).
pub(super) fn place(
    keys: &[Key],
    p0: &Panel,
    xa: &XAxis,
    a0: Area,
    fit: impl Fn(f64) -> ValueAxis,
) -> Option<(f64, Placed)> {
    let text = keys.iter().map(|k| text_width(&k.label, LEGEND.size));
    let w = KEY_SYMBOL + 8.0 + text.fold(0.0, f64::max) + 2.0 * KEY_PAD;
    let size = (
        w.min(a0.width * 0.6),
        keys.len() as f64 * KEY_ROW + 2.0 * KEY_PAD - 4.0,
    );
    let mut best: Option<(usize, f64, (f64, f64))> = None;
    'search: for headroom in [1.0, 1.12, 1.25, 1.45, 1.7, 2.0, 2.5] {
        let ya = fit(headroom);
        let m = Map::new(xa, &ya, a0);
        let mut pts = Vec::new();
        for l in &p0.layers {
            occupied(&m, l, &mut pts);
        }
        let inset = 10.0;
        let (left, top) = (a0.left + inset, a0.top + inset);
        let right = a0.left + a0.width - size.0 - inset;
        let bottom = a0.top + a0.height - size.1 - inset;
        for (x, y) in [(right, top), (left, top), (right, bottom), (left, bottom)] {
            let (xs, ys) = (x - 4.0..=x + size.0 + 4.0, y - 4.0..=y + size.1 + 4.0);
            let hit =
                |p: &&(f64, f64, f64)| xs.contains(&p.0) && ys.start() <= &p.2 && &p.1 <= ys.end();
            let hits = pts.iter().filter(hit).count();
            if best.as_ref().is_none_or(|b| hits < b.0) {
                best = Some((hits, headroom, (x, y)));
            }
            if hits == 0 {
                break 'search;
            }
        }
    }
    best.map(|(_, headroom, pos)| (headroom, (pos, size)))
}

/// Pixel points a layer occupies, for the legend to avoid.
fn occupied(m: &Map, l: &Layer, out: &mut Vec<(f64, f64, f64)>) {
    // (x, y top, y bottom) in pixels.
    match l {
        Layer::Trace(xs, ys, _, pen) => {
            // A line covers a few pixels either side; a band, the space between its edges.
            let pad = if let Pen::Line(..) = pen { 3.0 } else { 0.0 };
            let lo = pen.edge(ys);
            for (i, x) in xs.iter().enumerate() {
                let (a, b) = (at(lo, i), at(ys, i));
                if a.is_finite() && b.is_finite() {
                    out.push((m.px(*x), m.py(b) - pad, m.py(a) + pad));
                }
            }
        }
        Layer::Bars(bars, ..) => {
            for &(x0, x1, y0, y1) in bars.iter().filter(|b| b.3.is_finite()) {
                // Every 8 pixels along the bar, both ends included.
                let ((a, b), (p, q)) = ((m.px(x0), m.px(x1)), (m.py(y0), m.py(y1)));
                let k = ((b - a).abs() / 8.0).ceil().max(1.0);
                for j in 0..=k as usize {
                    out.push((a + (b - a) * j as f64 / k, p.min(q), p.max(q)));
                }
            }
        }
        Layer::Level(y, _, _, label) => {
            let p = m.py(*y);
            let right = m.a.left + m.a.width;
            let w = text_width(label, LEGEND.size).min(m.a.width / 2.0);
            let mut x = right - w - 6.0;
            while x <= right {
                out.push((x, p - 22.0, p + 3.0));
                x += 8.0;
            }
        }
    }
}

const KEY_ROW: f64 = 21.0;
const KEY_SYMBOL: f64 = 30.0;
const KEY_PAD: f64 = 10.0;

pub(super) fn draw(c: &mut Canvas, keys: &[Key], ((x, y), (w, h)): Placed) {
    c.rect((x, y, w, h), "white", 0.92, Some(GRID));
    for (i, k) in keys.iter().enumerate() {
        let cy = y + KEY_PAD + KEY_ROW * i as f64 + KEY_ROW / 2.0 - 2.0;
        let sx = x + KEY_PAD;
        match k.swatch {
            Swatch::Line(width, dash) => {
                c.line((sx, cy), (sx + KEY_SYMBOL, cy), k.colour, width, dash);
            }
            Swatch::Band(opacity) => {
                c.rect((sx, cy - 6.0, KEY_SYMBOL, 12.0), k.colour, opacity, None);
            }
            Swatch::Spread(opacity, dash) => {
                c.rect((sx, cy - 8.0, KEY_SYMBOL, 16.0), k.colour, opacity, None);
                c.line((sx, cy), (sx + KEY_SYMBOL, cy), k.colour, 2.5, dash);
            }
        }
        let room = w - KEY_SYMBOL - 8.0 - 2.0 * KEY_PAD;
        c.text((sx + KEY_SYMBOL + 8.0, cy + 5.0), LEGEND, &k.label, room);
    }
}

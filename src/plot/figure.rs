//! The shared chart frame: a page with title, subtitle and footer, one or more stacked panels
//! over a common x axis (calendar dates or numbers), date marks across all panels, and a legend
//! placed in the corner that hides no data (the y axis grows headroom when every corner would).
//!
//! Chart kinds only describe a [`Figure`] (layers of bands, lines, bars and levels); this module
//! turns it into SVG.

use chrono::{Datelike, NaiveDate};

use super::axes::{date_axis, value_axis, ValueAxis};
use super::legend;
use super::svg::{fit, text_width, Align, Canvas, Dash, Font, Point, HEIGHT, WIDTH};

pub(crate) const INK: &str = "#1e1e1e";
const MUTED: &str = "#555555";
pub(crate) const GRID: &str = "#e3e3e3";
pub(crate) const AXIS: &str = "#7a7a7a";
const MARK: &str = "#6b6b6b";

const TITLE: Font = Font::new(24.0, INK, Align::Start);
const SUBTITLE: Font = Font::new(16.0, MUTED, Align::Start);
const FOOTER: Font = Font::new(12.0, MUTED, Align::Start);
/// Values along an axis.
pub(crate) const TICK: Font = Font::new(14.0, MUTED, Align::Start);
pub(crate) const LABEL: Font = Font::new(15.0, INK, Align::Start);
pub(super) const LEGEND: Font = Font::new(14.0, INK, Align::Start);
const MARK_TEXT: Font = Font::new(13.0, MARK, Align::Start);
/// An axis description, reading upwards.
pub(crate) const UPWARDS: Font = Font {
    rotated: true,
    ..LABEL.at(Align::Middle)
};
const MARGIN: f64 = 24.0;

/// Days since the common era: the x coordinate of a date.
pub(crate) fn day_x(d: NaiveDate) -> f64 {
    f64::from(d.num_days_from_ce())
}

/// What the x axis shows.
pub(crate) enum XKind {
    /// Calendar dates (x is [`day_x`]).
    Dates,
    /// Numbers, with the axis description, the tick format and the smallest tick step (1 for
    /// whole units).
    Numbers(String, fn(f64) -> String, f64),
}

/// How a [`Layer::Trace`] is drawn.
pub(crate) enum Pen {
    /// A line of this width and pattern through the values.
    Line(f64, Dash),
    /// The area between the values and this second series, filled at this opacity.
    Area(Vec<f64>, f64),
}

/// Something drawn inside a panel.
pub(crate) enum Layer {
    /// A series (xs, ys, colour, pen) broken where a value is not finite: a line, or a band (a
    /// line with a second edge and a fill instead of a stroke).
    Trace(Vec<f64>, Vec<f64>, &'static str, Pen),
    /// Boxes (left x, right x, bottom y, top y), in a colour at an opacity; at least 3 units
    /// wide, so that one of no width shows as a tick.
    Bars(Vec<(f64, f64, f64, f64)>, &'static str, f64),
    /// A horizontal level (y, colour, pattern) across the panel, labelled at its right end.
    Level(f64, &'static str, Dash, String),
}

impl Pen {
    /// The other edge of a trace drawn with this pen: the second series of a band, the values
    /// themselves for a line.
    pub(super) fn edge<'a>(&'a self, ys: &'a [f64]) -> &'a [f64] {
        match self {
            Pen::Area(lo, _) => lo,
            Pen::Line(..) => ys,
        }
    }
}

/// One stacked panel with its own y axis.
pub(crate) struct Panel {
    /// Share of the plotting height.
    pub share: f64,
    /// Y axis description, with its unit.
    pub y_label: String,
    /// Tick label format.
    pub fmt: fn(f64) -> String,
    /// Smallest tick step (1 for whole units).
    pub min_step: f64,
    /// A fixed range instead of one fitted to the data (e.g. 0–100% for probabilities).
    pub fixed: Option<(f64, f64)>,
    /// Labelled y ticks instead of round values (e.g. one per row of a chart of categories).
    pub ticks: Vec<(f64, String)>,
    /// Drawn in order, first at the back.
    pub layers: Vec<Layer>,
}

/// A date or span marked across every panel, labelled above the plot.
pub(crate) struct Mark {
    pub x0: f64,
    /// End of a span; `None` for a single date.
    pub x1: Option<f64>,
    pub label: String,
}

/// How a legend entry looks.
#[derive(Clone, Copy)]
pub(crate) enum Swatch {
    Line(f64, Dash),
    Band(f64),
    /// A median line over its band.
    Spread(f64, Dash),
}

/// A legend entry.
pub(crate) struct Key {
    pub label: String,
    pub colour: &'static str,
    pub swatch: Swatch,
}

/// A whole chart, ready to draw.
pub(crate) struct Figure {
    pub title: String,
    pub subtitle: String,
    pub x: XKind,
    pub panels: Vec<Panel>,
    pub marks: Vec<Mark>,
    pub legend: Vec<Key>,
}

impl Figure {
    /// A figure over calendar dates.
    pub(crate) fn dated(
        title: String,
        subtitle: String,
        panels: Vec<Panel>,
        legend: Vec<Key>,
        marks: Vec<Mark>,
    ) -> Figure {
        let x = XKind::Dates;
        Figure {
            title,
            subtitle,
            x,
            panels,
            marks,
            legend,
        }
    }
}

/// The page every chart shares: header and footer; returns the canvas.
pub(crate) fn page(title: &str, subtitle: &str, footer: &str) -> Canvas {
    let mut c = Canvas::new();
    let room = WIDTH - 2.0 * MARGIN;
    c.text((MARGIN, 36.0), TITLE, title, room);
    c.text((MARGIN, 60.0), SUBTITLE, subtitle, room);
    let rule = HEIGHT - 30.0;
    c.rule((MARGIN, rule), (WIDTH - MARGIN, rule), GRID);
    c.text((MARGIN, HEIGHT - 12.0), FOOTER, footer, room);
    c
}

/// The x axis: range and labelled ticks (plus unlabelled grid lines).
pub(super) struct XAxis {
    lo: f64,
    hi: f64,
    ticks: Vec<(f64, String)>,
    light: Vec<f64>,
    label: Option<String>,
}

fn x_axis(kind: &XKind, (lo, hi): (f64, f64)) -> XAxis {
    let (lo, hi, ticks, light, label) = match kind {
        XKind::Dates => {
            let x_date = |x: f64| NaiveDate::from_num_days_from_ce_opt(x.round() as i32);
            let first = x_date(lo).unwrap_or_default();
            let a = date_axis(first, x_date(hi).unwrap_or(first));
            let tick = |d: &NaiveDate| (day_x(*d), d.format(a.format).to_string());
            let light = a.light.iter().map(|d| day_x(*d)).collect();
            let ticks = a.ticks.iter().map(tick).collect();
            (day_x(a.start), day_x(a.end), ticks, light, None)
        }
        XKind::Numbers(label, fmt, min_step) => {
            let a = value_axis(lo, hi, 10, *min_step);
            let ticks = a.ticks.iter().map(|t| (*t, fmt(*t))).collect();
            (a.low, a.high, ticks, Vec::new(), Some(label.clone()))
        }
    };
    XAxis {
        lo,
        hi,
        ticks,
        light,
        label,
    }
}

impl Layer {
    /// The x and the y values a layer reaches, for fitting the axes.
    fn reach(&self) -> (Vec<f64>, Vec<f64>) {
        match self {
            // A band's lower edge first, then its upper edge.
            Layer::Trace(xs, ys, _, Pen::Area(lo, _)) => (xs.clone(), [&lo[..], ys].concat()),
            Layer::Trace(xs, ys, ..) => (xs.clone(), ys.clone()),
            Layer::Bars(bars, ..) => {
                let xs = bars.iter().flat_map(|b| [b.0, b.1]);
                (xs.collect(), bars.iter().flat_map(|b| [b.2, b.3]).collect())
            }
            Layer::Level(y, ..) => (Vec::new(), vec![*y]),
        }
    }
}

/// Lowest and highest finite value, if there is one.
pub(super) fn extent(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    let finite = values.filter(|v| v.is_finite());
    finite.fold(None, |r, v| {
        Some(r.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))))
    })
}

/// Pixel geometry of a panel.
#[derive(Clone, Copy)]
pub(super) struct Area {
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
}

pub(super) struct Map<'a> {
    x: &'a XAxis,
    pub y: &'a ValueAxis,
    pub a: Area,
}

impl<'a> Map<'a> {
    pub(super) fn new(x: &'a XAxis, y: &'a ValueAxis, a: Area) -> Map<'a> {
        Map { x, y, a }
    }
    pub(super) fn px(&self, x: f64) -> f64 {
        let span = (self.x.hi - self.x.lo).max(f64::MIN_POSITIVE);
        self.a.left + (x - self.x.lo) / span * self.a.width
    }
    pub(super) fn py(&self, y: f64) -> f64 {
        let span = (self.y.high - self.y.low).max(f64::MIN_POSITIVE);
        let f = ((y - self.y.low) / span).clamp(-0.01, 1.01);
        self.a.top + (1.0 - f) * self.a.height
    }
}

pub(super) fn at<T: Copy>(v: &[T], i: usize) -> T {
    v[i.min(v.len() - 1)]
}

fn draw_layer(c: &mut Canvas, m: &Map, l: &Layer) {
    match l {
        Layer::Trace(xs, ys, colour, pen) => {
            let lo = pen.edge(ys);
            // A single point cannot be a line: it is drawn from x to x + 1.
            let one = xs.len() == 1;
            let wx = if one {
                vec![xs[0], xs[0] + 1.0]
            } else {
                xs.clone()
            };
            let ok = |i: &usize| at(ys, *i).is_finite() && at(lo, *i).is_finite();
            let shown: Vec<usize> = (0..wx.len()).filter(ok).collect();
            let point = |v: &[f64], i: &usize| (m.px(wx[*i]), m.py(at(v, *i)));
            // One piece per run of consecutive finite points.
            for r in shown.chunk_by(|i, j| i + 1 == *j) {
                let mut pts: Vec<Point> = r.iter().map(|i| point(ys, i)).collect();
                match pen {
                    Pen::Line(width, dash) => c.polyline(&pts, colour, *width, *dash),
                    Pen::Area(_, opacity) => {
                        pts.extend(r.iter().rev().map(|i| point(lo, i)));
                        c.polygon(&pts, colour, *opacity);
                    }
                }
            }
        }
        Layer::Bars(bars, colour, opacity) => {
            for &(x0, x1, y0, y1) in bars {
                let (a, b) = (m.px(x0.min(x1)), m.px(x0.max(x1)));
                let (floor, top) = (m.py(y0), m.py(y1));
                let width = (b - a - 1.0).max(3.0);
                let r = (
                    (a + b - width) / 2.0,
                    top.min(floor),
                    width,
                    (floor - top).abs(),
                );
                if [a, b, floor, top].iter().all(|v| v.is_finite()) {
                    c.rect(r, colour, *opacity, None);
                }
            }
        }
        Layer::Level(y, colour, dash, label) => {
            if !y.is_finite() {
                return;
            }
            let py = m.py(*y);
            let right = m.a.left + m.a.width;
            c.line((m.a.left, py), (right, py), colour, 2.0, *dash);
            let font = LEGEND.in_colour(colour).at(Align::End);
            c.text((right - 6.0, py - 6.0), font, label, m.a.width / 2.0);
        }
    }
}

/// Draws `f` with `footer` under it, as an SVG document; a line or band with more or fewer
/// values than points is an error.
pub(crate) fn draw(f: &Figure, footer: &str) -> Result<String, String> {
    for (k, l) in f.panels.iter().flat_map(|p| &p.layers).enumerate() {
        if let Layer::Trace(xs, ys, _, pen) = l {
            if [ys.len(), pen.edge(ys).len()] != [xs.len(); 2] {
                return Err(format!("series {} has not one value per point", k + 1));
            }
        }
    }
    let mut c = page(&f.title, &f.subtitle, footer);
    let layers = f.panels.iter().flat_map(|p| &p.layers);
    let x_range = extent(layers.flat_map(|l| l.reach().0)).unwrap_or((0.0, 1.0));
    let xa = x_axis(&f.x, x_range);
    // Room above for two rows of mark labels.
    let top = if f.marks.is_empty() { 88.0 } else { 120.0 };
    let bottom = HEIGHT - 40.0 - 24.0 - if xa.label.is_some() { 20.0 } else { 0.0 };
    // Y axes fitted to data, then the left margin from their widest tick label.
    let gap = 26.0;
    let shares = f.panels.iter().map(|p| p.share);
    let total_share = shares.sum::<f64>().max(f64::EPSILON);
    let usable = bottom - top - gap * (f.panels.len().saturating_sub(1)) as f64;
    // About one labelled tick per 50 units of height.
    let ticks = |h: f64| ((h / 50.0) as usize).clamp(2, 8);
    let (mut heights, mut y_axes) = (Vec::new(), Vec::new());
    for p in &f.panels {
        let h = usable * p.share / total_share;
        heights.push(h);
        y_axes.push(fitted_axis(p, 1.0, ticks(h)));
    }
    let labels = f
        .panels
        .iter()
        .zip(&y_axes)
        .flat_map(|(p, a)| y_ticks(p, a));
    let widest = labels
        .map(|t| text_width(&t.1, TICK.size))
        .fold(0.0, f64::max);
    let left = MARGIN + 24.0 + widest + 14.0;
    let width = WIDTH - left - 36.0;
    let mut areas = Vec::new();
    let mut top = top;
    for height in heights {
        areas.push(Area {
            left,
            top,
            width,
            height,
        });
        top += height + gap;
    }

    // Legend in the first panel: the first corner, with the least headroom, that hides nothing.
    let mut legend_at = None;
    if let (Some(p0), Some(a0)) = (f.panels.first(), areas.first()) {
        let fit = |headroom| fitted_axis(p0, headroom, ticks(a0.height));
        if let Some((headroom, at)) = legend::place(&f.legend, p0, &xa, *a0, fit) {
            y_axes[0] = fit(headroom);
            legend_at = Some(at);
        }
    }

    // Grid, marks, data, axes.
    for ((p, ya), a) in f.panels.iter().zip(&y_axes).zip(&areas) {
        let m = Map::new(&xa, ya, *a);
        let (base, right) = (a.top + a.height, a.left + a.width);
        let grid = xa.light.iter().map(|x| (x, "#f1f1f1"));
        for (x, colour) in grid.chain(xa.ticks.iter().map(|(x, _)| (x, GRID))) {
            c.rule((m.px(*x), a.top), (m.px(*x), base), colour);
        }
        for (t, label) in y_ticks(p, ya) {
            let py = m.py(t);
            c.rule((a.left, py), (right, py), GRID);
            c.label((a.left - 8.0, py + 5.0), TICK.at(Align::End), &label);
        }
        for mk in &f.marks {
            let x0 = m.px(mk.x0);
            match mk.x1.map(|x1| (m.px(x1) - x0).max(1.0)) {
                Some(w) => c.rect((x0, a.top, w, a.height), MARK, 0.12, None),
                None => c.line((x0, a.top), (x0, base), MARK, 1.2, Dash::Dashed),
            }
        }
        for l in &p.layers {
            draw_layer(&mut c, &m, l);
        }
        c.rule((a.left, a.top), (a.left, base), AXIS);
        c.rule((a.left, base), (right, base), AXIS);
        let mid = a.top + a.height / 2.0;
        c.text((MARGIN + 12.0, mid), UPWARDS, &p.y_label, a.height);
    }
    if let Some(last) = areas.last() {
        let m = Map::new(&xa, &y_axes[0], *last);
        let base = last.top + last.height;
        let mut prev_right = f64::NEG_INFINITY;
        for (x, label) in &xa.ticks {
            let px = m.px(*x);
            c.rule((px, base), (px, base + 5.0), AXIS);
            let w = text_width(label, TICK.size);
            if px - w / 2.0 > prev_right + 6.0 && px + w / 2.0 <= WIDTH - 4.0 {
                c.label((px, base + 22.0), TICK.at(Align::Middle), label);
                prev_right = px + w / 2.0;
            }
        }
        if let Some(label) = &xa.label {
            let middle = (last.left + last.width / 2.0, base + 44.0);
            c.text(middle, LABEL.at(Align::Middle), label, last.width);
        }
        // Mark labels in two rows above the first panel; a label that would overlap is left out.
        let mut row_end = [f64::NEG_INFINITY; 2];
        for mk in &f.marks {
            let label = fit(&mk.label, 13.0, 300.0);
            let w = text_width(&label, 13.0);
            let x = m.px(mk.x0).min(WIDTH - 8.0 - w).max(4.0);
            if let Some(r) = (0..2).find(|r| x > row_end[*r] + 8.0) {
                let y = areas[0].top - 8.0 - 16.0 * (1 - r) as f64;
                c.label((x, y), MARK_TEXT, &label);
                row_end[r] = x + w;
            }
        }
    }

    if let Some(at) = legend_at.filter(|_| !f.legend.is_empty()) {
        legend::draw(&mut c, &f.legend, at);
    }
    Ok(c.finish())
}

/// A panel's labelled y ticks: its own, else the axis's round values.
fn y_ticks(p: &Panel, a: &ValueAxis) -> Vec<(f64, String)> {
    if p.ticks.is_empty() {
        a.ticks.iter().map(|t| (*t, (p.fmt)(*t))).collect()
    } else {
        p.ticks.clone()
    }
}

fn fitted_axis(p: &Panel, headroom: f64, max_ticks: usize) -> ValueAxis {
    let ys = p.layers.iter().flat_map(|l| l.reach().1);
    let data = || extent(ys).map_or((0.0, 1.0), |(lo, hi)| (lo.min(0.0), hi));
    let (lo, hi) = p.fixed.unwrap_or_else(data);
    value_axis(lo, lo + (hi - lo) * headroom, max_ticks, p.min_step)
}

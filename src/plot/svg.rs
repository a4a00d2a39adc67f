//! The one drawing surface: an SVG document written as text, the embedded font's metrics to
//! measure labels, and the rasteriser that turns that same SVG into PNG.
//!
//! Charts are drawn once, as SVG, and the PNG is rasterised from it with resvg using only the
//! embedded DejaVu Sans, so the two files cannot diverge and look the same on every machine.
//! Every piece of text goes through [`crate::text::xml`], so a label holding `<`, `&` or a control
//! character still gives a well-formed document.

use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

/// Width of every chart, in SVG user units (PNG pixels at scale 1).
pub const WIDTH: f64 = 1200.0;
/// Height of every chart, in SVG user units.
pub const HEIGHT: f64 = 700.0;

/// The family written into SVG files: the embedded face first, then any sans-serif face.
const FAMILY: &str = "DejaVu Sans, sans-serif";

static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Width of `s` set at `size`, from the embedded font's advances (0.6 em for a character the
/// font lacks).
pub fn text_width(s: &str, size: f64) -> f64 {
    static FACE: OnceLock<ttf_parser::Face<'static>> = OnceLock::new();
    let f = FACE.get_or_init(|| ttf_parser::Face::parse(FONT_BYTES, 0).expect("bundled font"));
    let em = f64::from(f.units_per_em());
    let units: f64 = s
        .chars()
        .map(|c| {
            f.glyph_index(c)
                .and_then(|g| f.glyph_hor_advance(g))
                .map_or(em * 0.6, f64::from)
        })
        .sum();
    units * size / em
}

/// `s` shortened with an ellipsis so that it fits in `max` units at `size`.
pub fn fit(s: &str, size: f64, max: f64) -> String {
    let (mut chars, mut t): (Vec<char>, String) = (s.chars().collect(), s.to_string());
    while text_width(&t, size) > max {
        if chars.pop().is_none() {
            return String::new();
        }
        t = chars.iter().collect::<String>() + "…";
    }
    t
}

/// Horizontal alignment of a text's anchor point.
#[derive(Clone, Copy)]
pub(crate) enum Align {
    Start,
    Middle,
    End,
}

/// How a piece of text is set: size, colour, alignment, and whether it reads upwards.
#[derive(Clone, Copy)]
pub(crate) struct Font {
    pub size: f64,
    pub colour: &'static str,
    pub align: Align,
    pub rotated: bool,
}

impl Font {
    pub(crate) const fn new(size: f64, colour: &'static str, align: Align) -> Font {
        Font {
            size,
            colour,
            align,
            rotated: false,
        }
    }
    /// The same font, aligned otherwise.
    pub(crate) const fn at(self, align: Align) -> Font {
        Font { align, ..self }
    }
    /// The same font in another colour.
    pub(crate) const fn in_colour(self, colour: &'static str) -> Font {
        Font { colour, ..self }
    }
}

/// A stroke pattern; distinct patterns keep lines apart in greyscale print.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Dash {
    Solid,
    Dashed,
    Dotted,
    LongShort,
}

impl Dash {
    /// The dash pattern, in multiples of the stroke width (at least 1).
    fn attr(self, width: f64) -> String {
        let pattern: &[f64] = match self {
            Dash::Solid => return String::new(),
            Dash::Dashed => &[4.0, 2.5],
            Dash::Dotted => &[1.0, 1.8],
            Dash::LongShort => &[4.0, 1.8, 1.0, 1.8],
        };
        let w = width.max(1.0);
        let dashes: Vec<String> = pattern.iter().map(|k| format!("{:.1}", k * w)).collect();
        format!(r#" stroke-dasharray="{}""#, dashes.join(" "))
    }
}

/// A rectangle: left, top, width, height.
pub(crate) type Rect = (f64, f64, f64, f64);
/// A point: x, y.
pub(crate) type Point = (f64, f64);

/// An SVG document under construction.
pub(crate) struct Canvas {
    out: String,
}

impl Canvas {
    /// A white page of `WIDTH` x `HEIGHT`.
    pub(crate) fn new() -> Canvas {
        let mut out = String::with_capacity(64 * 1024);
        let _ = write!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FAMILY}"><rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>"#
        );
        Canvas { out }
    }

    /// Text at `at` (y is the baseline), shortened to fit `max` units (`f64::INFINITY`: as is).
    pub(crate) fn text(&mut self, (x, y): (f64, f64), f: Font, s: &str, max: f64) {
        let s = fit(s, f.size, max);
        if s.is_empty() {
            return;
        }
        let anchor = match f.align {
            Align::Start => "start",
            Align::Middle => "middle",
            Align::End => "end",
        };
        let turn = if f.rotated {
            format!(r#" transform="rotate(-90 {x:.1} {y:.1})""#)
        } else {
            String::new()
        };
        let _ = write!(
            self.out,
            r#"<text x="{x:.1}" y="{y:.1}" font-size="{:.1}" fill="{}" text-anchor="{anchor}"{turn}>{}</text>"#,
            f.size,
            f.colour,
            crate::text::xml(&s)
        );
    }

    /// Text at `at` as is, however long.
    pub(crate) fn label(&mut self, at: (f64, f64), f: Font, s: &str) {
        self.text(at, f, s, f64::INFINITY);
    }

    /// A filled rectangle, optionally outlined.
    pub(crate) fn rect(&mut self, r: Rect, fill: &str, opacity: f64, outline: Option<&str>) {
        let (x, y, w, h) = r;
        let stroke = outline.map_or(String::new(), |c| format!(r#" stroke="{c}""#));
        let _ = write!(
            self.out,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" fill="{fill}" fill-opacity="{opacity}"{stroke}/>"#,
            w.max(0.0),
            h.max(0.0)
        );
    }

    /// A straight line segment.
    pub(crate) fn line(&mut self, from: Point, to: Point, colour: &str, width: f64, dash: Dash) {
        let ((x1, y1), (x2, y2)) = (from, to);
        let _ = write!(
            self.out,
            r#"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="{colour}" stroke-width="{width}"{}/>"#,
            dash.attr(width)
        );
    }

    /// A thin solid line (grid lines, axes, ticks).
    pub(crate) fn rule(&mut self, from: Point, to: Point, colour: &str) {
        self.line(from, to, colour, 1.0, Dash::Solid);
    }

    /// An open polyline through `points`.
    pub(crate) fn polyline(&mut self, points: &[(f64, f64)], colour: &str, width: f64, dash: Dash) {
        let dash = dash.attr(width);
        let head = format!(
            r#"<polyline fill="none" stroke="{colour}" stroke-width="{width}" stroke-linejoin="round"{dash} points=""#
        );
        self.points(2, &head, points);
    }

    /// A closed filled polygon.
    pub(crate) fn polygon(&mut self, points: &[(f64, f64)], fill: &str, opacity: f64) {
        let head =
            format!(r#"<polygon fill="{fill}" fill-opacity="{opacity}" stroke="none" points=""#);
        self.points(3, &head, points);
    }

    /// An element that starts with `head` and ends with `points` ("x,y x,y …", dropping points
    /// that round to the previous one), if there are at least `least`.
    fn points(&mut self, least: usize, head: &str, points: &[(f64, f64)]) {
        if points.len() < least {
            return;
        }
        self.out.push_str(head);
        let mut last = (f64::NAN, f64::NAN);
        for &(x, y) in points {
            let p = ((x * 10.0).round() / 10.0, (y * 10.0).round() / 10.0);
            if p == last {
                continue;
            }
            if !last.0.is_nan() {
                self.out.push(' ');
            }
            let _ = write!(self.out, "{:.1},{:.1}", p.0, p.1);
            last = p;
        }
        self.out.push_str("\"/>");
    }

    /// Closes the document.
    pub(crate) fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }
}

/// Rasterises an SVG document to PNG at `scale` pixels per SVG unit, with the embedded font only.
pub(crate) fn rasterize(svg: &str, scale: f32) -> Result<Vec<u8>, String> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    let fonts = FONTS.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(FONT_BYTES.to_vec());
        db.set_sans_serif_family("DejaVu Sans");
        Arc::new(db)
    });
    let opt = usvg::Options {
        fontdb: fonts.clone(),
        font_family: "DejaVu Sans".into(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| format!("SVG not readable: {e}"))?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or_else(|| format!("scale {scale} gives an empty image"))?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| format!("{}x{} pixels is too large", size.width(), size.height()))?;
    let transform = tiny_skia::Transform::from_scale(scale, scale);
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    // Charts are opaque (white page): 8-bit RGB, fast deflate. Many PNGs are written per run, and
    // fast compression costs a few percent in size for several times the speed.
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|px| [px[0], px[1], px[2]])
        .collect();
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    enc.set_color(png::ColorType::Rgb);
    enc.set_compression(png::Compression::Fast);
    let fail = |e: png::EncodingError| format!("PNG encoding failed: {e}");
    let mut w = enc.write_header().map_err(fail)?;
    w.write_image_data(&rgb).map_err(fail)?;
    w.finish().map_err(fail)?;
    Ok(out)
}

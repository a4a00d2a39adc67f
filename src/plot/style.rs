//! Shared look of the charts: the embedded font, colours, sizes, the page
//! header, and the SVG/PNG rendering wrappers.

use std::sync::OnceLock;

use image::ImageEncoder;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::{register_font, FontStyle};

use super::text::{self, Anchor, Target};
use super::PlotError;

/// Size of every chart, in pixels (PNG) or user units (SVG).
pub(crate) const WIDTH: u32 = 1200;
pub(crate) const HEIGHT: u32 = 700;

/// Family name the embedded font is registered under. It is also the
/// `font-family` written into SVG files, so viewers fall back to their own
/// sans-serif face rather than a serif one.
pub(crate) const FONT: &str = "sans-serif";

pub(crate) static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static FONT_READY: OnceLock<Result<(), String>> = OnceLock::new();

/// Registers the embedded DejaVu Sans once per process, so text is measured
/// and rasterised the same way on every machine, with or without system fonts.
pub(crate) fn ensure_font() -> Result<(), String> {
    FONT_READY
        .get_or_init(|| {
            register_font(FONT, FontStyle::Normal, FONT_BYTES)
                .map_err(|_| "the embedded DejaVu Sans font could not be loaded".to_string())
        })
        .clone()
}

// Colours. Blues for the stock fan; Okabe-Ito colours for the money lines so
// they stay distinguishable for colour-blind readers.
pub(crate) const TEXT: RGBColor = RGBColor(30, 30, 30);
pub(crate) const SUBTLE_TEXT: RGBColor = RGBColor(85, 85, 85);
pub(crate) const AXIS: RGBColor = RGBColor(120, 120, 120);
pub(crate) const GRID: RGBColor = RGBColor(222, 222, 222);
pub(crate) const GRID_LIGHT: RGBColor = RGBColor(241, 241, 241);
pub(crate) const BAND_OUTER: RGBColor = RGBColor(198, 219, 239);
pub(crate) const BAND_INNER: RGBColor = RGBColor(120, 172, 214);
pub(crate) const MEDIAN: RGBColor = RGBColor(8, 48, 107);
pub(crate) const SAMPLE: RGBColor = RGBColor(70, 70, 70);
pub(crate) const SAFE_STOCK: RGBColor = RGBColor(200, 30, 30);
pub(crate) const PLEDGED: RGBColor = RGBColor(0, 114, 178);
pub(crate) const PAID: RGBColor = RGBColor(0, 158, 115);
pub(crate) const SPENT: RGBColor = RGBColor(213, 94, 0);

// Text sizes, as plotters font sizes (pixel height of ascent + descent).
pub(crate) const TITLE_SIZE: f64 = 28.0;
pub(crate) const SUBTITLE_SIZE: f64 = 18.0;
pub(crate) const TICK_SIZE: f64 = 16.0;
pub(crate) const AXIS_DESC_SIZE: f64 = 17.0;
pub(crate) const LEGEND_SIZE: f64 = 16.0;

// Page layout, in pixels.
pub(crate) const HEADER_HEIGHT: u32 = 92;
const PAGE_MARGIN_LEFT: i32 = 24;

/// A text style in the embedded font.
pub(crate) fn text_style(size: f64, color: &RGBColor) -> TextStyle<'static> {
    (FONT, size).into_font().color(color)
}

/// Turns any displayable drawing error into the message carried by `PlotError`.
pub(crate) fn msg<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

/// One chart, drawable on any plotters backend.
pub(crate) trait Chart {
    /// The chart's title, used in error messages.
    fn title(&self) -> String;
    /// Checks the input before anything is drawn.
    fn validate(&self) -> Result<(), String>;
    /// Draws the whole chart on `root` (which is `WIDTH` x `HEIGHT`).
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        target: Target,
    ) -> Result<(), String>;
}

fn draw_error<C: Chart>(c: &C, format: &str, message: String) -> PlotError {
    PlotError::Draw {
        chart: format!("\"{}\" ({format})", c.title()),
        message,
    }
}

/// Renders a chart to an SVG document.
pub(crate) fn render_svg<C: Chart>(c: &C) -> Result<String, PlotError> {
    let fail = |m: String| draw_error(c, "SVG", m);
    ensure_font().map_err(fail)?;
    c.validate().map_err(fail)?;
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (WIDTH, HEIGHT)).into_drawing_area();
        c.draw(&root, Target::Vector).map_err(fail)?;
        root.present().map_err(|e| fail(msg(e)))?;
    }
    Ok(out)
}

/// Renders a chart to PNG-encoded bytes.
pub(crate) fn render_png<C: Chart>(c: &C) -> Result<Vec<u8>, PlotError> {
    let fail = |m: String| draw_error(c, "PNG", m);
    ensure_font().map_err(fail)?;
    c.validate().map_err(fail)?;
    let mut pixels = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (WIDTH, HEIGHT)).into_drawing_area();
        c.draw(&root, Target::Raster).map_err(fail)?;
        root.present().map_err(|e| fail(msg(e)))?;
    }
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(&pixels, WIDTH, HEIGHT, image::ColorType::Rgb8)
        .map_err(|e| fail(format!("PNG encoding failed: {e}")))?;
    Ok(png)
}

/// Paints the white page and the two-line header (title, then subtitle), and
/// returns the area left for the chart body.
pub(crate) fn page<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    target: Target,
    title: &str,
    subtitle: &str,
) -> Result<DrawingArea<DB, Shift>, String> {
    root.fill(&WHITE).map_err(msg)?;
    let max_w = WIDTH - 2 * PAGE_MARGIN_LEFT as u32;
    let title = text::fit(root, title, TITLE_SIZE, max_w)?;
    let subtitle = text::fit(root, subtitle, SUBTITLE_SIZE, max_w)?;
    let top_left = Anchor::new(HPos::Left, VPos::Top);
    text::draw(
        root,
        target,
        &title,
        (PAGE_MARGIN_LEFT, 22),
        TITLE_SIZE,
        &TEXT,
        top_left,
    )?;
    text::draw(
        root,
        target,
        &subtitle,
        (PAGE_MARGIN_LEFT, 60),
        SUBTITLE_SIZE,
        &SUBTLE_TEXT,
        top_left,
    )?;
    let (_, body) = root.split_vertically(HEADER_HEIGHT);
    Ok(body)
}

/// Writes a centred notice in place of the chart (when there is nothing to draw).
pub(crate) fn no_data<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    target: Target,
    message: &str,
) -> Result<(), String> {
    let (left, top) = (40, HEADER_HEIGHT as i32 + 8);
    let (right, bottom) = (WIDTH as i32 - 40, HEIGHT as i32 - 30);
    root.draw(&Rectangle::new(
        [(left, top), (right, bottom)],
        GRID.stroke_width(2),
    ))
    .map_err(msg)?;
    let centre = ((left + right) / 2, (top + bottom) / 2);
    let anchor = Anchor::new(HPos::Center, VPos::Center);
    text::draw(root, target, message, centre, 24.0, &SUBTLE_TEXT, anchor)
}

/// "1 simulated future" / "1,000 simulated futures".
pub(crate) fn count_phrase(n: u64, one: &str, many: &str) -> String {
    format!(
        "{} {}",
        super::format_units(n as f64),
        if n == 1 { one } else { many }
    )
}

/// "<scenario>  ·  <extra>", or just `extra` when there is no scenario title.
pub(crate) fn subtitle(scenario: &str, extra: &str) -> String {
    let scenario = scenario.trim();
    if scenario.is_empty() {
        extra.to_string()
    } else {
        format!("{scenario}  ·  {extra}")
    }
}

/// Splits indices `0..n` into maximal runs where `ok(i)` holds, so lines and
/// bands break at missing (non-finite) values instead of drawing garbage.
pub(crate) fn runs(n: usize, ok: impl Fn(usize) -> bool) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for i in 0..n {
        match (ok(i), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..n);
    }
    out
}

//! Text measuring and drawing with the embedded font.
//!
//! plotters 0.3.7 rasterises each glyph of a string at the pen position but
//! forgets the glyph's left side bearing, so letters in PNG output sit up to
//! two pixels off ("procurem ent"). For bitmaps we therefore draw strings one
//! glyph at a time at positions worked out from the font's own tables (read
//! here: `cmap`, `hmtx`, `kern`, `glyf`), which puts every glyph where the
//! font designer meant. SVG output keeps whole strings, which viewers lay out
//! themselves and which stay selectable and searchable.

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;

use super::style::{msg, text_style, FONT_BYTES};

/// What kind of output a chart is drawn for; text and thick lines are drawn
/// differently for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// SVG: one text element per string, wide strokes left to the viewer.
    Vector,
    /// Bitmap: text placed glyph by glyph, thick lines built from
    /// anti-aliased thin ones.
    Raster,
}

/// Where a string is anchored, and whether it reads bottom-to-top.
#[derive(Clone, Copy)]
pub(crate) struct Anchor {
    pub h: HPos,
    pub v: VPos,
    pub vertical: bool,
}

impl Anchor {
    pub(crate) const fn new(h: HPos, v: VPos) -> Self {
        Anchor {
            h,
            v,
            vertical: false,
        }
    }
    pub(crate) const fn rotated(h: HPos, v: VPos) -> Self {
        Anchor {
            h,
            v,
            vertical: true,
        }
    }
}

fn u16_at(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*d.get(at)?, *d.get(at + 1)?]))
}
fn i16_at(d: &[u8], at: usize) -> Option<i16> {
    u16_at(d, at).map(|v| v as i16)
}
fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes([
        *d.get(at)?,
        *d.get(at + 1)?,
        *d.get(at + 2)?,
        *d.get(at + 3)?,
    ]))
}

/// Horizontal metrics of a TrueType font, in font units.
pub(crate) struct FontMetrics {
    data: &'static [u8],
    cmap: usize,
    cmap_format: u16,
    hmtx: usize,
    n_hmetrics: u16,
    loca: Option<(usize, bool)>,
    glyf: Option<usize>,
    /// (left << 16 | right, value), sorted.
    kern: Vec<(u32, i16)>,
    /// ascent - descent: ab_glyph scales this to the font size in pixels.
    height: f32,
    cap_height: f32,
    descent: f32,
}

impl FontMetrics {
    fn parse(data: &'static [u8]) -> Option<FontMetrics> {
        let n_tables = u16_at(data, 4)? as usize;
        let table = |tag: &[u8; 4]| -> Option<usize> {
            (0..n_tables).find_map(|i| {
                let rec = 12 + 16 * i;
                (data.get(rec..rec + 4)? == tag)
                    .then(|| u32_at(data, rec + 8).map(|o| o as usize))?
            })
        };
        let head = table(b"head")?;
        let hhea = table(b"hhea")?;
        let hmtx = table(b"hmtx")?;
        let cmap_table = table(b"cmap")?;
        let ascent = i16_at(data, hhea + 4)? as f32;
        let descent = i16_at(data, hhea + 6)? as f32;
        let n_hmetrics = u16_at(data, hhea + 34)?;
        if n_hmetrics == 0 || ascent - descent <= 0.0 {
            return None;
        }

        // Prefer full-Unicode (format 12) subtables, then BMP (format 4) ones.
        let mut best: Option<(u8, usize, u16)> = None;
        for i in 0..u16_at(data, cmap_table + 2)? as usize {
            let rec = cmap_table + 4 + 8 * i;
            let (platform, encoding) = (u16_at(data, rec)?, u16_at(data, rec + 2)?);
            let offset = cmap_table + u32_at(data, rec + 4)? as usize;
            let format = u16_at(data, offset)?;
            let unicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10));
            let rank = match (unicode, format) {
                (true, 12) => 2,
                (true, 4) => 1,
                _ => continue,
            };
            if !matches!(best, Some((r, _, _)) if r >= rank) {
                best = Some((rank, offset, format));
            }
        }
        let (_, cmap, cmap_format) = best?;

        let loca = table(b"loca").and_then(|l| Some((l, i16_at(data, head + 50)? != 0)));
        let glyf = table(b"glyf");

        let mut kern = Vec::new();
        if let Some(k) = table(b"kern") {
            if u16_at(data, k) == Some(0) {
                let mut sub = k + 4;
                for _ in 0..u16_at(data, k + 2).unwrap_or(0) {
                    let (Some(len), Some(coverage)) =
                        (u16_at(data, sub + 2), u16_at(data, sub + 4))
                    else {
                        break;
                    };
                    // Horizontal, format 0, not minimum / cross-stream / override.
                    if coverage & 0xFF0F == 0x0001 {
                        let pairs = u16_at(data, sub + 6).unwrap_or(0) as usize;
                        for p in 0..pairs {
                            let at = sub + 14 + 6 * p;
                            if let (Some(pair), Some(v)) = (u32_at(data, at), i16_at(data, at + 4))
                            {
                                kern.push((pair, v));
                            }
                        }
                    }
                    sub += len as usize;
                }
            }
        }
        kern.sort_unstable_by_key(|(pair, _)| *pair);

        let mut m = FontMetrics {
            data,
            cmap,
            cmap_format,
            hmtx,
            n_hmetrics,
            loca,
            glyf,
            kern,
            height: ascent - descent,
            cap_height: 0.0,
            descent: -descent,
        };
        m.cap_height = m
            .bounds(m.glyph('H'))
            .map(|b| b.3 as f32)
            .unwrap_or(0.72 * m.height * 0.86);
        Some(m)
    }

    /// Glyph id for a character (0, the "missing" glyph, when absent).
    fn glyph(&self, c: char) -> u16 {
        self.lookup(c as u32).unwrap_or(0)
    }

    fn lookup(&self, c: u32) -> Option<u16> {
        let d = self.data;
        let t = self.cmap;
        if self.cmap_format == 12 {
            let groups = u32_at(d, t + 12)? as usize;
            let (mut lo, mut hi) = (0usize, groups);
            while lo < hi {
                let mid = (lo + hi) / 2;
                let g = t + 16 + 12 * mid;
                let (start, end) = (u32_at(d, g)?, u32_at(d, g + 4)?);
                if c < start {
                    hi = mid;
                } else if c > end {
                    lo = mid + 1;
                } else {
                    return u16::try_from(u32_at(d, g + 8)?.checked_add(c - start)?).ok();
                }
            }
            return None;
        }
        // Format 4.
        let c = u16::try_from(c).ok()?;
        let seg_x2 = u16_at(d, t + 6)? as usize;
        let ends = t + 14;
        let starts = ends + seg_x2 + 2;
        let deltas = starts + seg_x2;
        let ranges = deltas + seg_x2;
        for s in (0..seg_x2).step_by(2) {
            if u16_at(d, ends + s)? < c {
                continue;
            }
            let start = u16_at(d, starts + s)?;
            if start > c {
                return None;
            }
            let delta = u16_at(d, deltas + s)?;
            let range = u16_at(d, ranges + s)? as usize;
            if range == 0 {
                return Some(c.wrapping_add(delta));
            }
            let at = ranges + s + range + 2 * (c - start) as usize;
            let g = u16_at(d, at)?;
            return (g != 0).then(|| g.wrapping_add(delta));
        }
        None
    }

    fn advance(&self, g: u16) -> f32 {
        let i = g.min(self.n_hmetrics - 1) as usize;
        u16_at(self.data, self.hmtx + 4 * i).unwrap_or(0) as f32
    }

    /// (xMin, yMin, xMax, yMax) of a glyph's outline, if it has one.
    fn bounds(&self, g: u16) -> Option<(i16, i16, i16, i16)> {
        let (loca, long) = self.loca?;
        let glyf = self.glyf?;
        let g = g as usize;
        let (start, end) = if long {
            (
                u32_at(self.data, loca + 4 * g)? as usize,
                u32_at(self.data, loca + 4 * g + 4)? as usize,
            )
        } else {
            (
                2 * u16_at(self.data, loca + 2 * g)? as usize,
                2 * u16_at(self.data, loca + 2 * g + 2)? as usize,
            )
        };
        if end <= start {
            return None; // no outline (e.g. space)
        }
        let at = glyf + start;
        Some((
            i16_at(self.data, at + 2)?,
            i16_at(self.data, at + 4)?,
            i16_at(self.data, at + 6)?,
            i16_at(self.data, at + 8)?,
        ))
    }

    /// Left edge of the glyph's outline relative to its origin.
    fn left_bearing(&self, g: u16) -> f32 {
        if let Some(b) = self.bounds(g) {
            return b.0 as f32;
        }
        let n = self.n_hmetrics as usize;
        let g = g as usize;
        let at = if g < n {
            self.hmtx + 4 * g + 2
        } else {
            self.hmtx + 4 * n + 2 * (g - n)
        };
        i16_at(self.data, at).unwrap_or(0) as f32
    }

    fn kerning(&self, left: u16, right: u16) -> f32 {
        let key = (left as u32) << 16 | right as u32;
        self.kern
            .binary_search_by_key(&key, |(pair, _)| *pair)
            .map(|i| self.kern[i].1 as f32)
            .unwrap_or(0.0)
    }

    /// Pixels per font unit for a plotters font size.
    fn scale(&self, size: f64) -> f32 {
        size as f32 / self.height
    }

    /// Pen positions (pixels, from the string's origin) of each glyph, and the
    /// total advance.
    fn layout(&self, text: &str, size: f64) -> (Vec<(char, f32, f32)>, f32) {
        let scale = self.scale(size);
        let mut pen = 0.0f32;
        let mut prev = None;
        let mut out = Vec::with_capacity(text.len());
        for c in text.chars() {
            let g = self.glyph(c);
            if let Some(p) = prev {
                pen += self.kerning(p, g) * scale;
            }
            out.push((c, pen, self.left_bearing(g) * scale));
            pen += self.advance(g) * scale;
            prev = Some(g);
        }
        (out, pen)
    }
}

/// The embedded font's metrics (None only if the font file were unreadable).
pub(crate) fn metrics() -> Option<&'static FontMetrics> {
    static METRICS: OnceLock<Option<FontMetrics>> = OnceLock::new();
    METRICS
        .get_or_init(|| FontMetrics::parse(FONT_BYTES))
        .as_ref()
}

/// Width in pixels of `text` at `size`.
pub(crate) fn width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    size: f64,
) -> Result<u32, String> {
    match metrics() {
        Some(m) => Ok(m.layout(text, size).1.ceil().max(0.0) as u32),
        None => area
            .estimate_text_size(text, &text_style(size, &BLACK))
            .map(|(w, _)| w)
            .map_err(msg),
    }
}

/// Shortens `text` with an ellipsis until it fits in `max_width` pixels.
pub(crate) fn fit<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    size: f64,
    max_width: u32,
) -> Result<String, String> {
    if width(area, text, size)? <= max_width {
        return Ok(text.to_string());
    }
    // Nothing wider than the page fits: start from a bounded prefix.
    let mut chars: Vec<char> = text.chars().take(400).collect();
    while !chars.is_empty() {
        chars.pop();
        let candidate = chars.iter().collect::<String>().trim_end().to_string() + "…";
        if width(area, &candidate, size)? <= max_width {
            return Ok(candidate);
        }
    }
    Ok("…".to_string())
}

/// Draws `text` at `pos` (pixels in `area`) with the given anchor.
pub(crate) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    target: Target,
    text: &str,
    pos: (i32, i32),
    size: f64,
    color: &RGBColor,
    anchor: Anchor,
) -> Result<(), String> {
    let transform = if anchor.vertical {
        FontTransform::Rotate270
    } else {
        FontTransform::None
    };
    let metrics = match (target, metrics()) {
        (Target::Raster, Some(m)) => m,
        _ => {
            let style = text_style(size, color)
                .pos(Pos::new(anchor.h, anchor.v))
                .transform(transform);
            return area
                .draw(&Text::new(text.to_string(), pos, style))
                .map_err(msg);
        }
    };

    let scale = metrics.scale(size);
    let (glyphs, total) = metrics.layout(text, size);
    // Along the text (u) and across it, downwards (v), from `pos`.
    let u0 = match anchor.h {
        HPos::Left => 0.0,
        HPos::Center => -total / 2.0,
        HPos::Right => -total,
    };
    let baseline = match anchor.v {
        VPos::Top => metrics.cap_height * scale,
        VPos::Center => metrics.cap_height * scale / 2.0,
        VPos::Bottom => -metrics.descent * scale,
    };
    // plotters puts the baseline of a top-left anchored glyph size/2 below it.
    let v = (baseline - size as f32 / 2.0).round() as i32;
    let style = text_style(size, color)
        .pos(Pos::new(HPos::Left, VPos::Top))
        .transform(transform);
    let mut buf = [0u8; 4];
    for (c, pen, bearing) in glyphs {
        if c.is_whitespace() {
            continue;
        }
        let u = (u0 + pen).round() as i32 + bearing.floor() as i32;
        let at = if anchor.vertical {
            (pos.0 + v, pos.1 - u)
        } else {
            (pos.0 + u, pos.1 + v)
        };
        let glyph: &str = c.encode_utf8(&mut buf);
        area.draw(&Text::new(glyph, at, style.clone()))
            .map_err(msg)?;
    }
    Ok(())
}

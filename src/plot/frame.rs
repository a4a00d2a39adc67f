//! The chart frame shared by both charts: plotting-area geometry, the y axis
//! and legend planned together so the legend never hides data, the grid with
//! tick labels drawn by us (so PNG text is placed glyph by glyph), and the legend.

use chrono::NaiveDate;
use plotters::coord::cartesian::Cartesian2d;
use plotters::coord::combinators::WithKeyPoints;
use plotters::coord::types::RangedDate;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::{value_axis, DateAxis, TickedAxis, ValueAxis};
use super::style::{self, msg};
use super::text::{self, Anchor, Target};

// Layout of the chart body (below the header), in pixels.
const MARGIN_TOP: u32 = 8;
const MARGIN_BOTTOM: u32 = 12;
const MARGIN_LEFT: u32 = 12;
const MARGIN_RIGHT: u32 = 40;
const X_LABEL_AREA: u32 = 40;
const TICK_MARK: i32 = 6;
const MAX_Y_TICKS: usize = 8;

// Legend box, in pixels.
const LEGEND_INSET: i32 = 12;
const LEGEND_PAD: u32 = 10;
const LEGEND_SYMBOL: i32 = 30;
const LEGEND_GAP: i32 = 10;
const LEGEND_ROW: u32 = 23;

/// Where the plotting area will be inside the chart body.
pub(crate) struct Body {
    pub y_label_area: u32,
    pub plot_width: u32,
    pub plot_height: u32,
}

fn body_geometry<DB: DrawingBackend>(body: &DrawingArea<DB, Shift>, y_label_area: u32) -> Body {
    let (w, h) = body.dim_in_pixel();
    Body {
        y_label_area,
        plot_width: w
            .saturating_sub(MARGIN_LEFT + MARGIN_RIGHT + y_label_area)
            .max(1),
        plot_height: h
            .saturating_sub(MARGIN_TOP + MARGIN_BOTTOM + X_LABEL_AREA)
            .max(1),
    }
}

/// Room for the y tick labels, tick marks and the rotated axis description.
fn y_label_area<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    labels: &[String],
) -> Result<u32, String> {
    let mut widest = 0;
    for l in labels {
        widest = widest.max(text::width(root, l, style::TICK_SIZE)?);
    }
    Ok((widest + 52).clamp(72, 420))
}

/// What a legend row shows next to its label.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Symbol {
    Line(RGBAColor, u32),
    Dashed(RGBColor, u32),
    Band(RGBColor),
}

pub(crate) struct LegendEntry {
    pub label: String,
    pub symbol: Symbol,
}

fn legend_size<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
) -> Result<(u32, u32), String> {
    let mut widest = 0;
    for e in entries {
        widest = widest.max(text::width(root, &e.label, style::LEGEND_SIZE)?);
    }
    let w = 2 * LEGEND_PAD + (LEGEND_SYMBOL + LEGEND_GAP) as u32 + widest;
    let h = 2 * LEGEND_PAD + LEGEND_ROW * entries.len() as u32;
    Ok((w, h))
}

/// A corner of the plotting area for the legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Corner {
    UpperLeft,
    UpperRight,
    LowerLeft,
    LowerRight,
}

/// Where the legend goes and how tall the y axis must be for it not to cover data.
pub(crate) struct LegendPlacement {
    pub corner: Corner,
    /// The (possibly raised) top of the data range to build the y axis from.
    pub y_top: f64,
}

/// Picks a corner for the legend that covers no data: upper left, upper
/// right, lower left, lower right, in that order of preference. When every
/// corner is taken, raises the top of the y axis so that the data stay below
/// the legend in whichever upper corner needs the least headroom.
///
/// `xs` are the points' horizontal positions as fractions (0..=1) of the
/// axis; `tops`/`bottoms` the highest and lowest value drawn at each.
pub(crate) fn place_legend(
    geometry: &Body,
    legend: (u32, u32),
    axis: &ValueAxis,
    xs: &[f64],
    tops: &[f64],
    bottoms: &[f64],
) -> LegendPlacement {
    let (pw, ph) = (geometry.plot_width as f64, geometry.plot_height as f64);
    let (lw, lh) = (legend.0 as f64, legend.1 as f64);
    let inset = LEGEND_INSET as f64;
    // Horizontal reach of the box in axis fractions, with slack for line widths.
    let reach = (inset + lw + 16.0) / pw;
    let left_span = (f64::NEG_INFINITY, reach);
    let right_span = (1.0 - reach, f64::INFINITY);
    // Fraction of the height the box (plus a gap) takes.
    let fh = (inset + lh + 10.0) / ph;
    let range = axis.high - axis.low;
    let upper_limit = axis.high - fh * range; // data must stay below this
    let lower_limit = axis.low + fh * range; // ... or above this

    let extremes = |span: (f64, f64)| {
        let mut hi = f64::NEG_INFINITY;
        let mut lo = f64::INFINITY;
        for ((x, t), b) in xs.iter().zip(tops).zip(bottoms) {
            if *x >= span.0 && *x <= span.1 {
                if t.is_finite() {
                    hi = hi.max(*t);
                }
                if b.is_finite() {
                    lo = lo.min(*b);
                }
            }
        }
        (hi, lo)
    };
    let (left_hi, left_lo) = extremes(left_span);
    let (right_hi, right_lo) = extremes(right_span);
    let keep = |corner| LegendPlacement {
        corner,
        y_top: axis.high,
    };

    if left_hi <= upper_limit {
        return keep(Corner::UpperLeft);
    }
    if right_hi <= upper_limit {
        return keep(Corner::UpperRight);
    }
    if left_lo >= lower_limit {
        return keep(Corner::LowerLeft);
    }
    if right_lo >= lower_limit {
        return keep(Corner::LowerRight);
    }
    if fh >= 0.8 {
        // The legend is nearly as tall as the plot; nothing sensible to do.
        return keep(Corner::UpperLeft);
    }
    // Raise the top: need hi <= low + (1 - fh) * (top - low).
    let (corner, hi) = if left_hi <= right_hi {
        (Corner::UpperLeft, left_hi)
    } else {
        (Corner::UpperRight, right_hi)
    };
    let top = axis.low + (hi - axis.low) / (1.0 - fh);
    LegendPlacement {
        corner,
        y_top: if top.is_finite() {
            top.max(axis.high)
        } else {
            axis.high
        },
    }
}

/// The y axis, chart geometry and legend corner, settled together.
pub(crate) struct Layout {
    pub y: ValueAxis,
    pub geometry: Body,
    pub corner: Corner,
    pub legend: (u32, u32),
}

/// Settles the y axis (round ticks, 5% headroom, room for the legend, always
/// including zero, reaching at least `min_top`) and the legend's corner, for
/// data whose extremes at horizontal fractions `xs` are `tops`/`bottoms`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn plan_layout<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    body: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
    xs: &[f64],
    tops: &[f64],
    bottoms: &[f64],
    tick_label: fn(f64) -> String,
    min_step: f64,
    min_top: f64,
) -> Result<Layout, String> {
    let finite_max = tops
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(f64::NEG_INFINITY, f64::max);
    let finite_min = bottoms
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(f64::INFINITY, f64::min);
    let hi = if finite_max.is_finite() {
        finite_max.max(0.0)
    } else {
        0.0
    };
    // Flat or empty data still get a readable axis (0..min_top rather than 0..1).
    let hi = hi.max(min_top);
    let lo = if finite_min.is_finite() {
        finite_min.min(0.0)
    } else {
        0.0
    };
    let pad = if (hi - lo).is_finite() {
        (hi - lo) * 0.05
    } else {
        0.0
    };
    let first = value_axis(
        if lo < 0.0 { lo - pad } else { lo },
        hi + pad,
        MAX_Y_TICKS,
        min_step,
    );

    let labels = |a: &ValueAxis| a.ticks.iter().map(|t| tick_label(*t)).collect::<Vec<_>>();
    let first_geometry = body_geometry(body, y_label_area(root, &labels(&first))?);
    let legend = legend_size(root, entries)?;
    let placement = place_legend(&first_geometry, legend, &first, xs, tops, bottoms);
    let y = if placement.y_top > first.high {
        value_axis(first.low, placement.y_top, MAX_Y_TICKS, min_step)
    } else {
        first
    };
    let geometry = body_geometry(body, y_label_area(root, &labels(&y))?);
    Ok(Layout {
        y,
        geometry,
        corner: placement.corner,
        legend,
    })
}

/// A chart with a calendar x axis and a ticked numeric y axis.
pub(crate) type DateChart<'a, DB> =
    ChartContext<'a, DB, Cartesian2d<WithKeyPoints<RangedDate<NaiveDate>>, TickedAxis>>;

/// Builds the chart in `body`, draws the grid and axes, and writes the tick
/// labels and the y-axis description (on `root`, in backend pixels).
#[allow(clippy::too_many_arguments)]
pub(crate) fn build_chart<'a, DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    body: &'a DrawingArea<DB, Shift>,
    target: Target,
    layout: &Layout,
    x_axis: &DateAxis,
    y_desc: &str,
    tick_label: fn(f64) -> String,
) -> Result<DateChart<'a, DB>, String> {
    let x_spec = (x_axis.start..x_axis.end)
        .with_key_points(x_axis.ticks.clone())
        .with_light_points(x_axis.light.clone());
    let mut chart = ChartBuilder::on(body)
        .margin_top(MARGIN_TOP)
        .margin_bottom(MARGIN_BOTTOM)
        .margin_left(MARGIN_LEFT)
        .margin_right(MARGIN_RIGHT)
        .x_label_area_size(X_LABEL_AREA)
        .y_label_area_size(layout.geometry.y_label_area)
        .build_cartesian_2d(x_spec, layout.y.spec())
        .map_err(msg)?;

    // plotters draws grid, axes and tick marks; its own labels are made
    // invisible because we draw them ourselves below.
    let hidden = (style::FONT, style::TICK_SIZE)
        .into_font()
        .color(&TRANSPARENT);
    chart
        .configure_mesh()
        .label_style(hidden)
        .axis_style(style::AXIS.stroke_width(1))
        .bold_line_style(style::GRID.stroke_width(1))
        .light_line_style(style::GRID_LIGHT.stroke_width(1))
        .set_all_tick_mark_size(TICK_MARK)
        .draw()
        .map_err(msg)?;

    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let below = Anchor::new(HPos::Center, VPos::Top);
    for d in &x_axis.ticks {
        let label = d.format(x_axis.format).to_string();
        let half = text::width(root, &label, style::TICK_SIZE)? as i32 / 2 + 4;
        let (px, _) = chart.backend_coord(&(*d, layout.y.low));
        // Keep edge labels inside the image.
        let px = px.min(style::WIDTH as i32 - half).max(half);
        text::draw(
            root,
            target,
            &label,
            (px, yr.end + TICK_MARK + 6),
            style::TICK_SIZE,
            &style::TEXT,
            below,
        )?;
    }
    let left_of = Anchor::new(HPos::Right, VPos::Center);
    for t in &layout.y.ticks {
        let (_, py) = chart.backend_coord(&(x_axis.start, *t));
        let label = tick_label(*t);
        text::draw(
            root,
            target,
            &label,
            (xr.start - TICK_MARK - 6, py),
            style::TICK_SIZE,
            &style::TEXT,
            left_of,
        )?;
    }
    let desc_x = xr.start - layout.geometry.y_label_area as i32 + 14;
    let desc_y = (yr.start + yr.end) / 2;
    let desc = text::fit(
        root,
        y_desc,
        style::AXIS_DESC_SIZE,
        (yr.end - yr.start).max(0) as u32,
    )?;
    let rotated = Anchor::rotated(HPos::Center, VPos::Center);
    text::draw(
        root,
        target,
        &desc,
        (desc_x, desc_y),
        style::AXIS_DESC_SIZE,
        &style::TEXT,
        rotated,
    )?;
    Ok(chart)
}

/// Draws the legend box in its planned corner of the plotting area.
pub(crate) fn draw_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    target: Target,
    chart: &DateChart<'_, DB>,
    layout: &Layout,
    entries: &[LegendEntry],
) -> Result<(), String> {
    if entries.is_empty() {
        return Ok(());
    }
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let (w, h) = (layout.legend.0 as i32, layout.legend.1 as i32);
    let left = match layout.corner {
        Corner::UpperLeft | Corner::LowerLeft => xr.start + LEGEND_INSET,
        Corner::UpperRight | Corner::LowerRight => xr.end - w - LEGEND_INSET,
    }
    .max(xr.start);
    let top = match layout.corner {
        Corner::UpperLeft | Corner::UpperRight => yr.start + LEGEND_INSET,
        Corner::LowerLeft | Corner::LowerRight => yr.end - h - LEGEND_INSET,
    }
    .max(yr.start);
    root.draw(&Rectangle::new(
        [(left, top), (left + w, top + h)],
        WHITE.mix(0.9).filled(),
    ))
    .map_err(msg)?;
    root.draw(&Rectangle::new(
        [(left, top), (left + w, top + h)],
        style::AXIS.stroke_width(1),
    ))
    .map_err(msg)?;

    let row = LEGEND_ROW as i32;
    let pad = LEGEND_PAD as i32;
    let x0 = left + pad;
    let x1 = x0 + LEGEND_SYMBOL;
    let anchor = Anchor::new(HPos::Left, VPos::Center);
    for (i, e) in entries.iter().enumerate() {
        let y = top + pad + row * i as i32 + row / 2;
        match e.symbol {
            Symbol::Line(c, width) => {
                root.draw(&PathElement::new(
                    vec![(x0, y), (x1, y)],
                    c.stroke_width(width),
                ))
                .map_err(msg)?;
            }
            Symbol::Dashed(c, width) => {
                let dash = (LEGEND_SYMBOL - 6) / 3;
                for k in [0, 2] {
                    let (a, b) = (x0 + k * (dash + 3), x0 + k * (dash + 3) + dash + 3);
                    root.draw(&PathElement::new(
                        vec![(a, y), (b, y)],
                        c.stroke_width(width),
                    ))
                    .map_err(msg)?;
                }
            }
            Symbol::Band(c) => {
                root.draw(&Rectangle::new([(x0, y - 7), (x1, y + 7)], c.filled()))
                    .map_err(msg)?;
            }
        }
        text::draw(
            root,
            target,
            &e.label,
            (x1 + LEGEND_GAP, y),
            style::LEGEND_SIZE,
            &style::TEXT,
            anchor,
        )?;
    }
    Ok(())
}

/// Pixel offsets whose 1-pixel lines together make a line `width` wide.
fn pen(width: u32) -> Vec<(i32, i32)> {
    match width {
        0 | 1 => vec![(0, 0)],
        2 => vec![(0, 0), (1, 0), (0, 1)],
        w => {
            let r = (w as f64 - 1.0) / 2.0;
            let reach = r.ceil() as i32;
            let mut out = Vec::new();
            for dx in -reach..=reach {
                for dy in -reach..=reach {
                    if ((dx * dx + dy * dy) as f64) <= r * r + 0.01 {
                        out.push((dx, dy));
                    }
                }
            }
            out
        }
    }
}

/// Indices of the points to keep so that every dropped point lies within
/// `tolerance` of the polyline through the kept ones (Douglas-Peucker).
pub(crate) fn simplify(points: &[(f64, f64)], tolerance: f64) -> Vec<usize> {
    if points.len() < 3 {
        return (0..points.len()).collect();
    }
    let mut keep = vec![false; points.len()];
    keep[0] = true;
    keep[points.len() - 1] = true;
    let mut stack = vec![(0usize, points.len() - 1)];
    while let Some((a, b)) = stack.pop() {
        if b <= a + 1 {
            continue;
        }
        let (ax, ay) = points[a];
        let (dx, dy) = (points[b].0 - ax, points[b].1 - ay);
        let len = (dx * dx + dy * dy).sqrt();
        let mut worst = (0.0, a);
        for (k, &(x, y)) in points.iter().enumerate().take(b).skip(a + 1) {
            let (px, py) = (x - ax, y - ay);
            let d = if len > 0.0 {
                (px * dy - py * dx).abs() / len
            } else {
                (px * px + py * py).sqrt()
            };
            // A NaN distance (from absurdly huge values) keeps the point rather than losing it.
            if d > worst.0 || (d.is_nan() && !worst.0.is_nan()) {
                worst = (d, k);
            }
        }
        if (worst.0 > tolerance || worst.0.is_nan()) && worst.1 != a {
            keep[worst.1] = true;
            stack.push((a, worst.1));
            stack.push((worst.1, b));
        }
    }
    (0..points.len()).filter(|&i| keep[i]).collect()
}

/// Backend pixels for `points`, leaving out points that a straight line
/// between their neighbours would draw within half a pixel. Daily data
/// snapped to whole pixels otherwise make tiny stair steps, which wide
/// strokes show as a beaded edge; simplifying in unrounded pixel space
/// first keeps every visible feature and removes the steps.
fn pixel_path<DB: DrawingBackend>(
    chart: &DateChart<'_, DB>,
    points: &[(NaiveDate, f64)],
) -> Vec<(i32, i32)> {
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let (x0, x1) = (chart.x_range().start, chart.x_range().end);
    let (y0, y1) = (chart.y_range().start, chart.y_range().end);
    let days = (x1 - x0).num_days().max(1) as f64;
    let (w, h) = ((xr.end - xr.start) as f64, (yr.end - yr.start) as f64);
    let exact: Vec<(f64, f64)> = points
        .iter()
        .map(|(d, v)| {
            (
                (*d - x0).num_days() as f64 / days * w,
                (v - y0) / (y1 - y0) * h,
            )
        })
        .collect();
    let mut out: Vec<(i32, i32)> = simplify(&exact, 0.5)
        .into_iter()
        .map(|i| chart.backend_coord(&points[i]))
        .collect();
    out.dedup();
    out
}

/// Draws a (possibly dashed) line through `points`. SVG gets one wide
/// stroke; bitmaps get several anti-aliased 1-pixel lines, because plotters
/// fills wide bitmap lines without anti-aliasing, which looks jagged.
pub(crate) fn stroke<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    target: Target,
    chart: &DateChart<'_, DB>,
    points: &[(NaiveDate, f64)],
    color: RGBAColor,
    width: u32,
    dashed: bool,
) -> Result<(), String> {
    const DASH: i32 = 12;
    const GAP: i32 = 7;
    let pixels = pixel_path(chart, points);
    if pixels.is_empty() {
        return Ok(());
    }
    let (pen, style) = match target {
        Target::Vector => (vec![(0, 0)], color.stroke_width(width)),
        Target::Raster => (pen(width), color.stroke_width(1)),
    };
    for (dx, dy) in pen {
        let shifted: Vec<(i32, i32)> = pixels.iter().map(|(x, y)| (x + dx, y + dy)).collect();
        if shifted.len() == 1 {
            // A single point (e.g. one day squeezed into one pixel column).
            root.draw(&Circle::new(
                shifted[0],
                width.max(1) / 2 + 1,
                color.filled(),
            ))
            .map_err(msg)?;
        } else if dashed {
            root.draw(&plotters::element::DashedPathElement::new(
                shifted, DASH, GAP, style,
            ))
            .map_err(msg)?;
        } else {
            root.draw(&PathElement::new(shifted, style)).map_err(msg)?;
        }
    }
    Ok(())
}

/// Fills the band between `upper` and `lower` (same dates, in order).
pub(crate) fn fill_band<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &DateChart<'_, DB>,
    upper: &[(NaiveDate, f64)],
    lower: &[(NaiveDate, f64)],
    color: RGBColor,
) -> Result<(), String> {
    let mut outline = pixel_path(chart, upper);
    outline.extend(pixel_path(chart, lower).into_iter().rev());
    if outline.len() < 3 {
        return Ok(());
    }
    root.draw(&Polygon::new(outline, color.filled()))
        .map_err(msg)
}

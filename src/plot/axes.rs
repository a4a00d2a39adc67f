//! Axes: calendar axes with month or day ticks, and numeric axes with round ticks.

use chrono::{Datelike, NaiveDate};

/// The calendar x axis: its range, labelled ticks, light grid lines and label format.
pub struct DateAxis {
    /// First day shown.
    pub start: NaiveDate,
    /// Last day shown.
    pub end: NaiveDate,
    /// Labelled ticks.
    pub ticks: Vec<NaiveDate>,
    /// Light grid lines.
    pub light: Vec<NaiveDate>,
    /// Label format (chrono).
    pub format: &'static str,
}

fn add_days(d: NaiveDate, n: u64) -> Option<NaiveDate> {
    d.checked_add_days(chrono::Days::new(n))
}

/// Builds a date axis spanning `first..=last`, with labels on the first of the
/// month ("Jan 2026") for spans over two months and on days otherwise.
pub fn date_axis(first: NaiveDate, last: NaiveDate) -> DateAxis {
    let (mut start, mut end) = (first.min(last), first.max(last));
    if start == end {
        // A single day is drawn as the block first..first+1 (see `widen_single_day`);
        // give it a day's margin on each side.
        // (At the ends of the calendar one side is missing, never both.)
        start = start.pred_opt().unwrap_or(start);
        end = add_days(end, 2).unwrap_or(end);
    }
    let span_days = (end - start).num_days().max(1);
    let mut axis = DateAxis {
        start,
        end,
        ticks: Vec::new(),
        light: Vec::new(),
        format: "%b %Y",
    };
    if span_days <= 62 {
        let step = [1u64, 2, 7, 14, 28]
            .into_iter()
            .find(|s| span_days as u64 / s < 7)
            .unwrap_or(28);
        let days = std::iter::successors(Some(start), |d| add_days(*d, step));
        axis.ticks = days.take_while(|d| *d <= end).collect();
        axis.format = "%-d %b %Y";
        return axis;
    }

    // Month ticks, aligned so that January is always a candidate.
    let month_index = |d: NaiveDate| d.year() as i64 * 12 + d.month0() as i64;
    let first_month = month_index(start) + if start.day() == 1 { 0 } else { 1 };
    let last_month = month_index(end);
    let months = (last_month - first_month).max(0) + 1;
    // 1, 2, 3 or 6 months, then 1, 2, 5, 10, 20, 50... years (up to 5 million).
    let years = (0..6).flat_map(|k| [12, 24, 60].map(|m| m * 10i64.pow(k)));
    let mut candidates = [1, 2, 3, 6].into_iter().chain(years);
    let step = candidates.find(|s| months / s < 10).unwrap_or(6_000_000);
    let month_start = |m: i64| -> Option<NaiveDate> {
        let year = i32::try_from(m.div_euclid(12)).ok()?;
        NaiveDate::from_ymd_opt(year, m.rem_euclid(12) as u32 + 1, 1)
    };
    // Every `step`-th month start gets a label (on January for steps of years); for steps up to
    // a year every other month start gets a grid line.
    for m in first_month..=last_month {
        if m.rem_euclid(step) == 0 {
            axis.ticks.extend(month_start(m));
        } else if step <= 12 {
            axis.light.extend(month_start(m));
        }
    }
    if axis.ticks.is_empty() {
        axis.ticks.push(start);
    }
    axis
}

/// A numeric y axis with "nice" round ticks (1, 2, 2.5, 5 × 10^k).
pub struct ValueAxis {
    /// Lowest value shown.
    pub low: f64,
    /// Highest value shown.
    pub high: f64,
    /// Ticks.
    pub ticks: Vec<f64>,
}

/// An axis covering `data_low..=data_high` (which may be equal, or not finite)
/// whose ends sit on round ticks. `min_step` keeps unit axes on whole numbers.
pub fn value_axis(data_low: f64, data_high: f64, max_ticks: usize, min_step: f64) -> ValueAxis {
    let (mut lo, mut hi) = (data_low, data_high);
    if !lo.is_finite() {
        lo = 0.0;
    }
    if !hi.is_finite() {
        hi = lo + 1.0;
    }
    if hi < lo {
        std::mem::swap(&mut lo, &mut hi);
    }
    if hi - lo <= f64::EPSILON * hi.abs().max(1.0) {
        hi = lo + lo.abs().max(1.0);
    }
    // Near f64::MAX the span itself can overflow; halve everything instead.
    if !(hi - lo).is_finite() {
        lo /= 2.0;
        hi /= 2.0;
    }
    // A round step cutting the span (now finite and above 0) into at most `max_ticks` pieces.
    let raw = (hi - lo) / max_ticks.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let mut nice = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude);
    let step = nice.find(|s| *s >= raw * (1.0 - 1e-9));
    let step = step.unwrap_or(10.0 * magnitude).max(min_step);
    let mut low = (lo / step).floor() * step;
    let mut high = (hi / step).ceil() * step;
    if !low.is_finite() {
        low = lo;
    }
    if !high.is_finite() || high <= low {
        high = hi;
    }
    let mut ticks = Vec::new();
    let first = (low / step).round();
    for k in 0..=(max_ticks + 2) {
        let t = (first + k as f64) * step;
        if t > high * (1.0 + 1e-12) + step * 1e-9 {
            break;
        }
        // Clean floating-point noise such as 0.30000000000000004.
        ticks.push(if t.abs() < step * 1e-9 { 0.0 } else { t });
    }
    ValueAxis { low, high, ticks }
}

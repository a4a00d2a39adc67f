//! The `[[consumption]]` schema and validator: how many units of an item are used each day, and
//! the periods (`[[consumption.period]]`) when use is higher or lower.
//!
//! Overlapping periods multiply; the validator refuses a demand whose largest daily mean (base
//! mean times the largest product of overlapping multipliers) exceeds [`MAX_DAILY_MEAN`], so that
//! the samplers can always be built and unmet demand over the horizon stays far from 2^64.

use super::distributions::{demand, number};
use super::doc::{date, num, string, tables, At, Ctx, Datetime, Sp, Tbl};
use super::header::Calendar;
use super::hints::fmt_num;
use super::schema::{read_dist, DistDoc, Purpose};
use super::{Consumption, Demand};
use crate::sampling::StreamKey;
use crate::units::Day;

const KEYS: [&str; 3] = ["item", "daily", "period"];
const PERIOD_KEYS: [&str; 4] = ["from", "to", "multiplier", "label"];

/// Largest mean daily use on any day, in units, after period multipliers (10^12, the largest
/// stock; a 100-year horizon of it stays below 2^63).
pub(super) const MAX_DAILY_MEAN: f64 = 1e12;
/// Largest burst scale (mean / shape) of a negative binomial on any day: beyond it a draw of the
/// Gamma mixing distribution could exceed what the Poisson sampler accepts.
const MAX_BURST_SCALE: f64 = 1e15;

/// One `[[consumption.period]]` as written.
#[derive(Debug)]
pub(super) struct PeriodDoc {
    pub at: At,
    pub from: Option<Sp<Datetime>>,
    pub to: Option<Sp<Datetime>>,
    pub multiplier: Option<Sp<f64>>,
}

/// One `[[consumption]]` as written.
#[derive(Debug)]
pub(super) struct ConsumptionDoc {
    pub at: At,
    pub item: Option<Sp<String>>,
    pub daily: Option<DistDoc>,
    pub periods: Vec<PeriodDoc>,
}

/// Reads one `[[consumption]]` table (already named by its item).
pub(super) fn read(ctx: &mut Ctx, t: &Tbl<'_>) -> ConsumptionDoc {
    t.check_keys(ctx, &KEYS);
    let item = t.req(ctx, "item", string);
    let daily = t.req(ctx, "daily", |c, a, n| read_dist(c, a, n, Purpose::Daily));
    let periods = t
        .opt(ctx, "period", tables)
        .unwrap_or_default()
        .iter()
        .map(|p| {
            p.check_keys(ctx, &PERIOD_KEYS);
            let _label = p.opt(ctx, "label", string);
            PeriodDoc {
                at: p.at.clone(),
                from: p.req(ctx, "from", date),
                to: p.req(ctx, "to", date),
                multiplier: p.req(ctx, "multiplier", num),
            }
        })
        .collect();
    ConsumptionDoc {
        at: t.at.clone(),
        item,
        daily,
        periods,
    }
}

/// The largest product of multipliers of periods that overlap on some day (1 with none).
#[must_use]
pub(super) fn peak_multiplier(periods: &[(Day, Day, f64)]) -> f64 {
    // Sweep over period starts: at a start day, the product of the periods covering that day.
    // Quadratic in the number of periods, which is small (a handful per item).
    periods
        .iter()
        .map(|&(start, _, _)| {
            periods
                .iter()
                .filter(|&&(f, t, _)| f <= start && start <= t)
                .map(|&(_, _, m)| m)
                .product::<f64>()
        })
        .fold(1.0, f64::max)
}

/// Checks one consumption table.
pub(super) fn compile(
    ctx: &mut Ctx,
    c: &ConsumptionDoc,
    item: &str,
    cal: &Calendar,
) -> Option<Consumption> {
    let d = c.daily.as_ref().and_then(|d| demand(ctx, d));
    let mut periods = Vec::new();
    let mut ok = true;
    for p in &c.periods {
        let from = p.from.as_ref().and_then(|d| cal.day_in(ctx, d));
        let to = p.to.as_ref().and_then(|d| cal.day_in(ctx, d));
        let m = p
            .multiplier
            .as_ref()
            .and_then(|m| number(ctx, &m.at, m.v, 0.0, 1000.0, "a multiplier"));
        match (from, to, m) {
            (Some(f), Some(t), Some(_)) if t < f => {
                let at = p.to.as_ref().map_or(&p.at, |t| &t.at);
                ctx.err(
                    at,
                    format!("to ({}) is before from ({})", cal.date(t), cal.date(f)),
                    Some("swap the two dates".into()),
                );
                ok = false;
            }
            (Some(f), Some(t), Some(m)) => periods.push((f, t, m)),
            _ => ok = false,
        }
    }
    let demand = d?;
    if !ok {
        return None;
    }
    let peak = peak_multiplier(&periods);
    let (mean, scale) = match demand {
        Demand::Fixed(v) | Demand::Poisson { mean: v } => (v * peak, 0.0),
        Demand::NegBinomial { mean, shape } => (mean * peak, mean * peak / shape),
    };
    let at = c.daily.as_ref().map_or(&c.at, |d| &d.at);
    if mean > MAX_DAILY_MEAN {
        ctx.err(
            at,
            format!("daily use could reach {} units a day (mean {} times the overlapping periods' multipliers {}), more than the {} the simulator can count", fmt_num(mean), fmt_num(mean / peak), fmt_num(peak), fmt_num(MAX_DAILY_MEAN)),
            Some("overlapping [[consumption.period]] multipliers multiply: lower the mean or the multipliers, or make the periods not overlap".into()),
        );
        return None;
    }
    if scale > MAX_BURST_SCALE {
        ctx.err(
            at,
            format!("mean / shape reaches {} on the busiest day; bursts that large cannot be drawn", fmt_num(scale)),
            Some(format!("keep mean / shape (after period multipliers) at most {}: raise shape or lower the mean", fmt_num(MAX_BURST_SCALE))),
        );
        return None;
    }
    Some(Consumption {
        demand,
        periods,
        key_demand: StreamKey::new("item", item, "demand"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_multipliers_multiply() {
        let p = |f, t, m| (Day(f), Day(t), m);
        assert_eq!(peak_multiplier(&[]), 1.0);
        assert_eq!(peak_multiplier(&[p(0, 10, 2.0), p(5, 20, 3.0)]), 6.0);
        assert_eq!(peak_multiplier(&[p(0, 4, 2.0), p(5, 20, 3.0)]), 3.0);
        assert_eq!(
            peak_multiplier(&[p(0, 4, 0.5)]),
            1.0,
            "outside the periods the mean is as given"
        );
        let many: Vec<_> = (0..10).map(|_| p(0, 10, 1000.0)).collect();
        assert_eq!(peak_multiplier(&many), 1e30);
    }
}

//! The `[[consumption]]` schema and validator: how many units of an item are used each day, and
//! the periods (`[[consumption.period]]`) when use is higher or lower.
//!
//! Use is drawn from `daily`, follows a threat (launches × engaged share × shots), or fires what
//! is available above a reserve; it may be capped (`max_daily`) and limited to dates (`from`,
//! `to`).
//!
//! Overlapping periods multiply; the validator refuses a demand whose largest daily mean (base
//! mean times the largest product of overlapping multipliers) exceeds [`MAX_DAILY_MEAN`], so that
//! the samplers can always be built and unmet demand over the horizon stays far from 2^64.

use super::distributions::{compile as dist, demand, number, Support, SHARE};
use super::doc::{date, int, num, string, tables, At, Ctx, Datetime, Sp, Tbl};
use super::header::Calendar;
use super::hints::fmt_num;
use super::names::Names;
use super::schema::{read_dist, DistDoc, Purpose};
use super::substitute::SubstituteDoc;
use super::uncertain::{self, UncertainDoc};
use super::{Consumption, Demand, ThreatUse, UseRule, MAX_UNITS};
use crate::sampling::{Dist, StreamKey};
use crate::units::Day;

const KEYS: [&str; 12] = [
    "item",
    "daily",
    "period",
    "use",
    "threat",
    "engaged_share",
    "shots_per_engagement",
    "max_daily",
    "reserve",
    "from",
    "to",
    "substitutes",
];
const PERIOD_KEYS: [&str; 4] = ["from", "to", "multiplier", "label"];

/// Largest mean daily use on any day, in units, after period multipliers (10^12, the largest
/// stock; a 100-year horizon of it stays below 2^63).
pub(super) const MAX_DAILY_MEAN: f64 = 1e12;
/// Largest burst scale (mean / shape) of a negative binomial on any day: beyond it a draw of the
/// Gamma mixing distribution could exceed what the Poisson sampler accepts.
const MAX_BURST_SCALE: f64 = 1e15;
/// Units fired per engagement: at most this many.
const SHOTS: Support = Support {
    lo: 0.0,
    hi: 100.0,
    what: "units per engagement",
};

/// One `[[consumption.period]]` (or `[[threat.period]]`) as written.
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
    /// `daily` with a parameter drawn once per future (then `daily` is `None`).
    pub uncertain: Option<UncertainDoc>,
    pub periods: Vec<PeriodDoc>,
    pub rule: Option<Sp<String>>,
    pub threat: Option<Sp<String>>,
    pub engaged_share: Option<DistDoc>,
    pub shots: Option<DistDoc>,
    pub max_daily: Option<Sp<i64>>,
    pub reserve: Option<Sp<i64>>,
    pub from: Option<Sp<Datetime>>,
    pub to: Option<Sp<Datetime>>,
    /// `substitutes`: where the list is written, and its entries.
    pub substitutes: (Option<At>, Vec<SubstituteDoc>),
}

/// Reads the `period` tables of `t` (`[[consumption.period]]` or `[[threat.period]]`).
pub(super) fn read_periods(ctx: &mut Ctx, t: &Tbl<'_>) -> Vec<PeriodDoc> {
    t.opt(ctx, "period", tables)
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
        .collect()
}

/// Reads one `[[consumption]]` table (already named by its item).
pub(super) fn read(ctx: &mut Ctx, t: &Tbl<'_>) -> ConsumptionDoc {
    t.check_keys(ctx, &KEYS);
    let general = |c: &mut Ctx, a, n| read_dist(c, a, n, Purpose::General);
    let item = t.req(ctx, "item", string);
    let rule = t.opt(ctx, "use", string);
    let threat = t.opt(ctx, "threat", string);
    let (daily, uncertain) = match uncertain::read(ctx, t) {
        uncertain::Read::Plain => (
            t.opt(ctx, "daily", |c, a, n| read_dist(c, a, n, Purpose::Daily)),
            None,
        ),
        uncertain::Read::Uncertain(u) => (None, u),
    };
    let available = rule.as_ref().is_some_and(|r| r.v == "available");
    if !t.has("daily") && !t.has("threat") && !available && !t.has("use") {
        t.missing(ctx, "daily");
    }
    ConsumptionDoc {
        at: t.at.clone(),
        item,
        daily,
        uncertain,
        periods: read_periods(ctx, t),
        rule,
        threat,
        engaged_share: t.opt(ctx, "engaged_share", general),
        shots: t.opt(ctx, "shots_per_engagement", general),
        max_daily: t.opt(ctx, "max_daily", int),
        reserve: t.opt(ctx, "reserve", int),
        from: t.opt(ctx, "from", date),
        to: t.opt(ctx, "to", date),
        substitutes: super::substitute::read(ctx, t),
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

/// Checks periods: (first day, last day, multiplier) each, or None after reporting.
pub(super) fn compile_periods(
    ctx: &mut Ctx,
    docs: &[PeriodDoc],
    cal: &Calendar,
) -> Option<Vec<(Day, Day, f64)>> {
    let mut periods = Vec::new();
    let mut ok = true;
    for p in docs {
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
    ok.then_some(periods)
}

/// Checks that a count drawn each day, with its periods, stays within what can be counted.
pub(super) fn check_peak(
    ctx: &mut Ctx,
    at: &At,
    demand: Demand,
    periods: &[(Day, Day, f64)],
    table: &str,
) -> Option<()> {
    let peak = peak_multiplier(periods);
    let (mean, scale) = match demand {
        Demand::Fixed(v) | Demand::Poisson { mean: v } => (v * peak, 0.0),
        Demand::NegBinomial { mean, shape } => (mean * peak, mean * peak / shape),
    };
    if mean > MAX_DAILY_MEAN {
        ctx.err(
            at,
            format!("daily use could reach {} units a day (mean {} times the overlapping periods' multipliers {}), more than the {} the simulator can count", fmt_num(mean), fmt_num(mean / peak), fmt_num(peak), fmt_num(MAX_DAILY_MEAN)),
            Some(format!("overlapping [[{table}.period]] multipliers multiply: lower the mean or the multipliers, or make the periods not overlap")),
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
    Some(())
}

/// A whole number of units, 0 to [`MAX_UNITS`].
fn units(ctx: &mut Ctx, v: &Sp<i64>, what: &str) -> Option<u64> {
    match u64::try_from(v.v) {
        Ok(n) if n <= MAX_UNITS => Some(n),
        _ => {
            ctx.err(
                &v.at,
                format!("{what} must be between 0 and {MAX_UNITS}, got {}", v.v),
                None,
            );
            None
        }
    }
}

/// Reports a key that does not apply to the rule in use.
fn not_with(ctx: &mut Ctx, at: Option<&At>, key: &str, rule: &str, help: &str) -> bool {
    let Some(at) = at else { return true };
    ctx.err(
        at,
        format!("`{key}` does not apply to {rule}"),
        Some(help.into()),
    );
    false
}

/// Checks one consumption table.
pub(super) fn compile(
    ctx: &mut Ctx,
    c: &ConsumptionDoc,
    item: &str,
    cal: &Calendar,
    threats: &Names,
) -> Option<Consumption> {
    let available = match &c.rule {
        None => false,
        Some(r) if r.v == "demand" => false,
        Some(r) if r.v == "available" => true,
        Some(r) => {
            ctx.err(
                &r.at,
                format!("\"{}\" is not a known use", r.v),
                Some("use = \"demand\" (the default: `daily` or `threat` say what is wanted) or use = \"available\" (fire what is in stock above `reserve`, up to `max_daily`)".into()),
            );
            return None;
        }
    };
    let mut ok = true;
    let at_of = |d: &Option<DistDoc>| d.as_ref().map(|d| d.at.clone());
    let daily_at = at_of(&c.daily).or_else(|| c.uncertain.as_ref().map(|u| u.at.clone()));
    if available {
        let help = "use = \"available\" fires what is in stock above `reserve`, up to `max_daily`: remove this key";
        let rule = "use = \"available\"";
        ok &= not_with(ctx, daily_at.as_ref(), "daily", rule, help);
        ok &= not_with(ctx, c.threat.as_ref().map(|t| &t.at), "threat", rule, help);
        ok &= not_with(
            ctx,
            c.periods.first().map(|p| &p.at),
            "period",
            rule,
            "use `from` and `to` to say when the item is fired",
        );
        if c.max_daily.is_none() {
            ctx.err(&c.at, "use = \"available\" needs `max_daily`", Some("say how many units can be fired a day at most, e.g. max_daily = 10 (launchers × ready rounds)".into()));
            ok = false;
        }
    } else if let Some(t) = &c.threat {
        let help = "a threat-driven use has launches × engaged_share × shots_per_engagement a day; the threat's [[threat.period]] tables set its intensity";
        ok &= not_with(
            ctx,
            daily_at.as_ref(),
            "daily",
            "a use that follows a threat",
            "give either `daily` or `threat`, not both",
        );
        ok &= not_with(
            ctx,
            c.periods.first().map(|p| &p.at),
            "period",
            "a use that follows a threat",
            help,
        );
        ok &= threats.resolve(ctx, &t.at, &t.v).is_some();
    } else {
        let help = "engaged_share and shots_per_engagement go with `threat`";
        ok &= not_with(
            ctx,
            at_of(&c.engaged_share).as_ref(),
            "engaged_share",
            "a use drawn from `daily`",
            help,
        );
        ok &= not_with(
            ctx,
            at_of(&c.shots).as_ref(),
            "shots_per_engagement",
            "a use drawn from `daily`",
            help,
        );
    }
    if !available {
        ok &= not_with(
            ctx,
            c.reserve.as_ref().map(|r| &r.at),
            "reserve",
            "a use that is wanted (not fired from what is available)",
            "`reserve` goes with use = \"available\"; a wanted use takes the stock down to zero",
        );
    }
    let max_daily = c.max_daily.as_ref().map(|m| units(ctx, m, "max_daily"));
    let reserve = c.reserve.as_ref().map(|r| units(ctx, r, "reserve"));
    let from = match &c.from {
        Some(d) => cal.day_in(ctx, d),
        None => Some(Day(0)),
    };
    let to = match &c.to {
        Some(d) => cal.day_in(ctx, d),
        None => Some(Day(cal.horizon)),
    };
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            let at = c.to.as_ref().map_or(&c.at, |t| &t.at);
            ctx.err(
                at,
                format!("to ({}) is before from ({})", cal.date(t), cal.date(f)),
                Some("swap the two dates".into()),
            );
            ok = false;
        }
    }
    let periods = compile_periods(ctx, &c.periods, cal);
    let mut drawn = None;
    let (demand, rule) = if available {
        (
            Demand::Fixed(0.0),
            Some(UseRule::Available {
                reserve: reserve.flatten().unwrap_or(0),
            }),
        )
    } else if let Some(t) = &c.threat {
        let share = match &c.engaged_share {
            Some(d) => dist(ctx, d, SHARE),
            None => Some(Dist::Fixed(1.0)),
        };
        let shots = match &c.shots {
            Some(d) => dist(ctx, d, SHOTS),
            None => Some(Dist::Fixed(1.0)),
        };
        let rule = match (threats.get(&t.v), share, shots) {
            (Some(threat), Some(engaged_share), Some(shots)) => {
                Some(UseRule::Threat(Box::new(ThreatUse {
                    threat,
                    engaged_share,
                    shots,
                    key_share: StreamKey::new("item", item, "engaged share"),
                    key_shots: StreamKey::new("item", item, "shots per engagement"),
                })))
            }
            _ => None,
        };
        (Demand::Fixed(0.0), rule)
    } else if let Some(u) = &c.uncertain {
        drawn = uncertain::compile(ctx, u, ("item", item)).map(Box::new);
        let law = drawn.as_ref().map(|u| u.law);
        (
            law.unwrap_or(Demand::Fixed(0.0)),
            law.map(|_| UseRule::Demand),
        )
    } else {
        let d = c.daily.as_ref().and_then(|d| demand(ctx, d));
        (d.unwrap_or(Demand::Fixed(0.0)), d.map(|_| UseRule::Demand))
    };
    let (rule, periods) = (rule?, periods?);
    let max_daily = match max_daily {
        Some(m) => Some(m?),
        None => None,
    };
    if !ok || reserve.is_some_and(|r| r.is_none()) {
        return None;
    }
    if matches!(rule, UseRule::Demand) {
        let at = daily_at.as_ref().unwrap_or(&c.at);
        let peak = drawn.as_ref().map_or(demand, |u| u.largest());
        check_peak(ctx, at, peak, &periods, "consumption")?;
    }
    Some(Consumption {
        demand,
        periods,
        key_demand: StreamKey::new("item", item, "demand"),
        uncertain: drawn.filter(|u| !u.params.is_empty()),
        rule,
        from: from?,
        to: to?,
        max_daily,
        substitutes: Vec::new(),
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

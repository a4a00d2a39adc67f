//! The distributions validator: turns a [`DistDoc`] into a checked [`Dist`] built with the checked
//! constructors of `rand_distr`, refusing parameters the sampler cannot handle, so that sampling
//! never fails and never falls back silently.

use super::doc::{At, Ctx, Sp};
use super::hints::fmt_num;
use super::schema::{DistDoc, DistKind, LogSpec};
pub(super) use super::support::{number, Support, DELAY, MAX_RATE_PER_DAY, MONEY, SHARE, SLIP};
use super::Demand;
use crate::sampling::Dist;

/// z-score of the 90th percentile of a standard normal.
const Z90: f64 = 1.281_551_565_544_600_4;

/// A required parameter must be an ordinary number.
fn finite(ctx: &mut Ctx, p: &Sp<f64>, kind: &str, example: &str) -> Option<f64> {
    if p.v.is_finite() {
        return Some(p.v);
    }
    ctx.err(
        &p.at,
        format!("{} is not a finite number", p.v),
        Some(format!(
            "write an ordinary number; nan and inf are not allowed, e.g. {{ dist = \"{kind}\", {example} }}"
        )),
    );
    None
}

fn max_below_min(ctx: &mut Ctx, at: &At, lo: f64, hi: f64) -> Option<()> {
    if hi < lo {
        ctx.err(
            at,
            format!("max ({}) is less than min ({})", fmt_num(hi), fmt_num(lo)),
            Some("swap min and max".into()),
        );
        return None;
    }
    Some(())
}

fn positive_median(ctx: &mut Ctx, med: &Sp<f64>) -> Option<f64> {
    let msg = if !med.v.is_finite() {
        format!("{} is not a finite number", med.v)
    } else if med.v <= 0.0 {
        format!("median must be greater than 0, got {}", fmt_num(med.v))
    } else {
        return Some(med.v);
    };
    ctx.err(
        &med.at,
        msg,
        Some(
            "the median is the middle value: half the draws are below it, e.g. median = 120".into(),
        ),
    );
    None
}

/// Builds a checked distribution whose values must lie in `sup`.
pub(super) fn compile(ctx: &mut Ctx, d: &DistDoc, sup: Support) -> Option<Dist> {
    let within = |ctx: &mut Ctx, p: &Sp<f64>| number(ctx, &p.at, p.v, sup.lo, sup.hi, sup.what);
    match &d.kind {
        DistKind::Number(v) => within(ctx, v).map(Dist::Fixed),
        DistKind::Fixed { value } => {
            finite(ctx, value, "fixed", "value = 10")?;
            within(ctx, value).map(Dist::Fixed)
        }
        DistKind::Uniform { min, max } => {
            let ex = "min = 10, max = 20";
            let (lo, hi) = (
                finite(ctx, min, "uniform", ex),
                finite(ctx, max, "uniform", ex),
            );
            let (_, _) = (lo?, hi?);
            let (lo, hi) = (within(ctx, min), within(ctx, max));
            let (lo, hi) = (lo?, hi?);
            max_below_min(ctx, &max.at, lo, hi)?;
            if hi == lo {
                return Some(Dist::Fixed(lo));
            }
            built(ctx, d, Dist::uniform(lo, hi))
        }
        DistKind::Triangular { min, mode, max } | DistKind::Pert { min, mode, max } => {
            let kind = if matches!(d.kind, DistKind::Pert { .. }) {
                "pert"
            } else {
                "triangular"
            };
            let ex = "min = 10, mode = 20, max = 40";
            let (lo, m, hi) = (
                finite(ctx, min, kind, ex),
                finite(ctx, mode, kind, ex),
                finite(ctx, max, kind, ex),
            );
            let (lo, mode_v, hi) = (lo?, m?, hi?);
            let (lo, hi) = (
                within(
                    ctx,
                    &Sp {
                        v: lo,
                        at: min.at.clone(),
                    },
                ),
                within(
                    ctx,
                    &Sp {
                        v: hi,
                        at: max.at.clone(),
                    },
                ),
            );
            let (lo, hi) = (lo?, hi?);
            max_below_min(ctx, &max.at, lo, hi)?;
            if mode_v < lo || mode_v > hi {
                ctx.err(
                    &mode.at,
                    format!(
                        "mode ({}) is outside [min, max] = [{}, {}]",
                        fmt_num(mode_v),
                        fmt_num(lo),
                        fmt_num(hi)
                    ),
                    Some(
                        "the mode is the most likely value and must lie between min and max".into(),
                    ),
                );
                return None;
            }
            if hi == lo {
                return Some(Dist::Fixed(lo));
            }
            if kind == "pert" {
                built(ctx, d, Dist::pert(lo, mode_v, hi))
            } else {
                built(ctx, d, Dist::triangular(lo, mode_v, hi))
            }
        }
        DistKind::Normal { mean, sd, min, max } => {
            let ex = "mean = 30, sd = 5";
            let (m, s) = (
                finite(ctx, mean, "normal", ex),
                finite(ctx, sd, "normal", ex),
            );
            let (mean, sd_v) = (m?, s?);
            if sd_v <= 0.0 {
                ctx.err(
                    &sd.at,
                    format!("sd must be greater than 0, got {}", fmt_num(sd_v)),
                    Some("for a certain value write the number itself".into()),
                );
                return None;
            }
            let lo = match min {
                Some(m) => within(ctx, m)?,
                None => sup.lo,
            };
            let hi = match max {
                Some(m) => within(ctx, m)?,
                None => sup.hi,
            };
            if let Some(m) = max {
                max_below_min(ctx, &m.at, lo, hi)?;
            }
            if hi < mean - 4.0 * sd_v || lo > mean + 4.0 * sd_v {
                ctx.err(
                    &d.at,
                    format!(
                        "almost none of Normal(mean = {}, sd = {}) lies within [{}, {}] ({})",
                        fmt_num(mean),
                        fmt_num(sd_v),
                        fmt_num(lo),
                        fmt_num(hi),
                        sup.what
                    ),
                    Some("move the mean inside the allowed range".into()),
                );
                return None;
            }
            built(ctx, d, Dist::normal(mean, sd_v, lo, hi))
        }
        DistKind::LogNormal(spec) => lognormal(ctx, d, spec, sup),
        DistKind::Poisson { mean } => {
            let m = finite(ctx, mean, "poisson", "mean = 3")?;
            let m = number(ctx, &mean.at, m, 0.0, sup.hi.min(1e7), sup.what)?;
            counts_fit(ctx, d, "a poisson distribution gives whole counts", sup)?;
            if m == 0.0 {
                return Some(Dist::Fixed(0.0));
            }
            built(ctx, d, Dist::poisson(m))
        }
        DistKind::NegBinomial { mean, shape } => {
            let ex = "mean = 3, shape = 0.5";
            let (m, k) = (
                finite(ctx, mean, "negative_binomial", ex),
                finite(ctx, shape, "negative_binomial", ex),
            );
            let m = number(ctx, &mean.at, m?, 0.0, sup.hi.min(1e7), sup.what);
            let k = number(ctx, &shape.at, k?, 1e-6, 1e6, "a shape");
            let (m, k) = (m?, k?);
            counts_fit(
                ctx,
                d,
                "a negative_binomial distribution gives whole counts",
                sup,
            )?;
            if m == 0.0 {
                return Some(Dist::Fixed(0.0));
            }
            built(ctx, d, Dist::negative_binomial(m, k))
        }
        DistKind::Bernoulli { p } => {
            let pr = finite(ctx, p, "bernoulli", "p = 0.3")?;
            let pr = number(ctx, &p.at, pr, 0.0, 1.0, "a probability")?;
            if sup.lo > 0.0 || sup.hi < 1.0 {
                ctx.err(
                    &d.at,
                    format!(
                        "a bernoulli distribution gives 0 or 1, which does not fit {}",
                        sup.what
                    ),
                    None,
                );
                return None;
            }
            built(ctx, d, Dist::bernoulli(pr))
        }
    }
}

fn counts_fit(ctx: &mut Ctx, d: &DistDoc, what: &str, sup: Support) -> Option<()> {
    if sup.lo > 0.0 || sup.hi < 1e3 {
        ctx.err(
            &d.at,
            format!("{what}, which do not fit {}", sup.what),
            Some("use uniform, triangular, pert or normal here".into()),
        );
        return None;
    }
    Some(())
}

fn lognormal(ctx: &mut Ctx, d: &DistDoc, spec: &LogSpec, sup: Support) -> Option<Dist> {
    if sup.lo > 0.0 {
        ctx.err(
            &d.at,
            "a lognormal can be close to 0, which is not allowed here",
            None,
        );
        return None;
    }
    let (mu, sigma, sigma_at, mu_at) = match spec {
        LogSpec::MedianP90 { median, p90 } => {
            let med = positive_median(ctx, median)?;
            if !(p90.v > med && p90.v.is_finite()) {
                ctx.err(
                    &p90.at,
                    format!(
                        "p90 ({}) must be greater than median ({})",
                        fmt_num(p90.v),
                        fmt_num(med)
                    ),
                    Some("p90 is the value exceeded only 10% of the time".into()),
                );
                return None;
            }
            (med.ln(), (p90.v / med).ln() / Z90, &p90.at, &median.at)
        }
        LogSpec::MedianSigma { median, sigma } => (
            positive_median(ctx, median)?.ln(),
            sigma.v,
            &sigma.at,
            &median.at,
        ),
        LogSpec::MuSigma { mu, sigma } => (mu.v, sigma.v, &sigma.at, &mu.at),
    };
    if !(mu.is_finite() && mu.abs() <= 700.0) {
        ctx.err(mu_at, format!("mu must be a finite number between -700 and 700, got {}", fmt_num(mu)), Some("mu is the natural log of the median; giving median and p90 instead is easier, e.g. { dist = \"lognormal\", median = 120, p90 = 200 }".into()));
        return None;
    }
    if !(sigma > 0.0 && sigma.is_finite() && sigma <= 10.0) {
        ctx.err(
            sigma_at,
            format!(
                "sigma must be greater than 0 and at most 10, got {}",
                fmt_num(sigma)
            ),
            Some("sigma is the spread of the log; 0.2 is narrow, 1 is very wide".into()),
        );
        return None;
    }
    if mu > sup.hi.ln() {
        ctx.err(
            &d.at,
            format!(
                "the median {} is above the largest allowed value {} ({})",
                fmt_num(mu.exp()),
                fmt_num(sup.hi),
                sup.what
            ),
            None,
        );
        return None;
    }
    built(ctx, d, Dist::lognormal(mu, sigma, sup.hi))
}

/// A sampler from `sampling`'s checked constructors, checked once more (e.g. a truncation that
/// keeps almost no probability); a refusal is reported at the distribution, in its words.
fn built(ctx: &mut Ctx, d: &DistDoc, r: Result<Dist, String>) -> Option<Dist> {
    match r.and_then(|dist| dist.check().map(|()| dist)) {
        Ok(dist) => Some(dist),
        Err(why) => {
            ctx.err(&d.at, why, None);
            None
        }
    }
}

/// Daily use: a fixed count, poisson or negative binomial (other kinds were refused when read).
pub(super) fn demand(ctx: &mut Ctx, d: &DistDoc) -> Option<Demand> {
    let rate = |ctx: &mut Ctx, p: &Sp<f64>| {
        number(ctx, &p.at, p.v, 0.0, MAX_RATE_PER_DAY, "units per day")
    };
    match &d.kind {
        DistKind::Number(v) | DistKind::Fixed { value: v } => rate(ctx, v).map(Demand::Fixed),
        DistKind::Poisson { mean } => rate(ctx, mean).map(|mean| Demand::Poisson { mean }),
        DistKind::NegBinomial { mean, shape } => {
            let m = rate(ctx, mean);
            let k = number(
                ctx,
                &shape.at,
                shape.v,
                1e-6,
                1e6,
                "a shape (smaller = burstier)",
            );
            Some(Demand::NegBinomial {
                mean: m?,
                shape: k?,
            })
        }
        _ => None,
    }
}

/// A dated point as written: `{ date, value }`, each part checked when it is read.
pub(super) type PointDoc = (Option<Sp<super::doc::Datetime>>, Option<Sp<f64>>);

/// A value written either as an uncertain number (drawn once per future) or as dated points
/// `[{ date, value }, …]` (a customer's `units_per_year`, a currency's `usd_per_unit`).
#[derive(Debug)]
pub(super) enum DrawnOrDated {
    Drawn(Box<DistDoc>),
    Dated(Vec<PointDoc>),
}

/// Reads a [`DrawnOrDated`] value.
pub(super) fn drawn_or_dated(
    ctx: &mut Ctx,
    at: At,
    node: super::doc::Node<'_>,
) -> Option<DrawnOrDated> {
    use super::doc::{date, num, tables};
    const POINT_KEYS: [&str; 2] = ["date", "value"];
    if let Some(toml_edit::Value::Array(_)) = node.value() {
        let points = tables(ctx, at, node)?;
        return Some(DrawnOrDated::Dated(
            points
                .iter()
                .map(|p| {
                    p.check_keys(ctx, &POINT_KEYS);
                    (p.req(ctx, "date", date), p.req(ctx, "value", num))
                })
                .collect(),
        ));
    }
    super::schema::read_dist(ctx, at, node, super::schema::Purpose::General)
        .map(|d| DrawnOrDated::Drawn(Box::new(d)))
}

/// Checks dated points of key `key` (`units_per_year`, `usd_per_unit`): every value within
/// `support`, dates increasing; a point before the start applies from the start.
pub(super) fn dated(
    ctx: &mut Ctx,
    points: &[PointDoc],
    cal: &super::header::Calendar,
    support: Support,
    key: &str,
) -> Option<Vec<(crate::units::Day, f64)>> {
    use crate::units::Day;
    let mut out: Vec<(Day, f64)> = Vec::new();
    let mut ok = true;
    for (d, v) in points {
        let day = d.as_ref().and_then(|d| {
            let date = super::header::calendar_date(ctx, d)?;
            Some(((date - cal.start).num_days(), d))
        });
        let v = v
            .as_ref()
            .and_then(|v| number(ctx, &v.at, v.v, support.lo, support.hi, support.what));
        let (Some((day, at)), Some(v)) = (day, v) else {
            ok = false;
            continue;
        };
        let day = Day(u32::try_from(day.max(0)).unwrap_or(u32::MAX));
        if out.last().is_some_and(|&(prev, _)| day <= prev) {
            ctx.err(
                &at.at,
                format!("the dates of {key} must increase (after the start date)"),
                Some("list the points in date order, at most one on or before the start".into()),
            );
            ok = false;
            continue;
        }
        out.push((day, v));
    }
    (ok && !out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::keypath::KeyPath;

    fn sp(v: f64, key: &str) -> Sp<f64> {
        Sp {
            v,
            at: At::path(KeyPath::root().key("x").key(key)),
        }
    }

    fn doc(kind: DistKind) -> DistDoc {
        DistDoc {
            at: At::path(KeyPath::root().key("x")),
            kind,
        }
    }

    #[test]
    fn good_parameters_build_a_sampler() {
        let mut ctx = Ctx::default();
        let d = compile(
            &mut ctx,
            &doc(DistKind::Uniform {
                min: sp(1.0, "min"),
                max: sp(2.0, "max"),
            }),
            DELAY,
        );
        assert!(matches!(d, Some(Dist::Uniform { .. })));
        let d = compile(
            &mut ctx,
            &doc(DistKind::Uniform {
                min: sp(2.0, "min"),
                max: sp(2.0, "max"),
            }),
            DELAY,
        );
        assert!(matches!(d, Some(Dist::Fixed(v)) if v == 2.0));
        assert!(ctx.problems.is_empty());
    }

    #[test]
    fn bad_parameters_are_refused_at_the_parameter() {
        let mut ctx = Ctx::default();
        let d = doc(DistKind::Triangular {
            min: sp(4.0, "min"),
            mode: sp(9.0, "mode"),
            max: sp(6.0, "max"),
        });
        assert!(compile(&mut ctx, &d, DELAY).is_none());
        assert_eq!(ctx.problems[0].path.to_string(), "x.mode");
        let d = doc(DistKind::LogNormal(LogSpec::MedianP90 {
            median: sp(1.0, "median"),
            p90: sp(1e12, "p90"),
        }));
        assert!(compile(&mut ctx, &d, MONEY).is_none());
        assert_eq!(ctx.problems[1].path.to_string(), "x.p90");
        let d = doc(DistKind::Poisson {
            mean: sp(5.0, "mean"),
        });
        assert!(
            compile(&mut ctx, &d, SHARE).is_none(),
            "counts do not fit a share"
        );
        assert_eq!(ctx.problems.len(), 3);
    }

    #[test]
    fn normal_window_must_hold_mass() {
        let mut ctx = Ctx::default();
        let d = doc(DistKind::Normal {
            mean: sp(-100.0, "mean"),
            sd: sp(1.0, "sd"),
            min: None,
            max: None,
        });
        assert!(compile(&mut ctx, &d, DELAY).is_none());
        assert!(ctx.problems[0]
            .message
            .starts_with("almost none of Normal(mean = -100"));
    }
}

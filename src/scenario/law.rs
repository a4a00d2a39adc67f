//! Delays whose parameters are drawn once per future: a `delivery_lag_days`,
//! `payment_delay_days`, `contract_delay_days`, event `duration_days` or factor `fatigued_days`
//! distribution whose `median`, `min`, `max`, …
//! is itself a distribution, e.g. `delivery_lag_days = { dist = "lognormal", median = { dist =
//! "uniform", min = 60, max = 120 }, p90 = 200 }`. Each future draws the parameter once, from its
//! own stream (the entity and "KEY PARAM", e.g. ("line", NAME, "delivery_lag_days median")), and
//! every delay of that future is drawn from the law with that value.
//!
//! **Every future's law is valid.** The validator builds the law at each corner of the box of
//! the drawn parameters' ranges (every parameter at its smallest or largest value, in every
//! combination). Each kind's conditions (`min ≤ mode ≤ max`, `median < p90`, a mean within
//! reach of the cut-offs, …) are linear in its parameters, so a box whose corners all give a
//! valid law gives one everywhere. A parameter whose distribution has no largest value (`poisson`,
//! `negative_binomial`) is refused, since no box holds it.

use super::distributions::{compile as dist, Support};
use super::doc::{At, Ctx, Node, Sp};
use super::hints::fmt_num;
use super::keypath::KeyPath;
use super::schema::{read_dist_in, DistDoc, DistKind, LogSpec, Purpose};
use crate::sampling::{Dist, StreamKey};
use std::cell::RefCell;

/// A parameter of a distribution that may be drawn once per future.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LawParam {
    /// `value` (fixed).
    Value,
    /// `min`.
    Min,
    /// `max`.
    Max,
    /// `mode` (triangular, pert).
    Mode,
    /// `mean` (normal, poisson, negative binomial).
    Mean,
    /// `sd` (normal).
    Sd,
    /// `median` (lognormal).
    Median,
    /// `p90` (lognormal).
    P90,
    /// `mu` (lognormal).
    Mu,
    /// `sigma` (lognormal).
    Sigma,
    /// `shape` (negative binomial).
    Shape,
    /// `p` (bernoulli).
    P,
}

const PARAMS: [LawParam; 12] = [
    LawParam::Value,
    LawParam::Min,
    LawParam::Max,
    LawParam::Mode,
    LawParam::Mean,
    LawParam::Sd,
    LawParam::Median,
    LawParam::P90,
    LawParam::Mu,
    LawParam::Sigma,
    LawParam::Shape,
    LawParam::P,
];

impl LawParam {
    /// The key in the file.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            LawParam::Value => "value",
            LawParam::Min => "min",
            LawParam::Max => "max",
            LawParam::Mode => "mode",
            LawParam::Mean => "mean",
            LawParam::Sd => "sd",
            LawParam::Median => "median",
            LawParam::P90 => "p90",
            LawParam::Mu => "mu",
            LawParam::Sigma => "sigma",
            LawParam::Shape => "shape",
            LawParam::P => "p",
        }
    }

    fn from_key(k: &str) -> Option<LawParam> {
        PARAMS.into_iter().find(|p| p.name() == k)
    }

    /// The values this parameter may take when it is drawn, for a law whose values lie in `sup`.
    fn support(self, sup: Support) -> Support {
        match self {
            LawParam::Mu => Support {
                lo: -700.0,
                hi: 700.0,
                what: "the log of a median",
            },
            LawParam::Sigma => Support {
                lo: 0.0,
                hi: 10.0,
                what: "a spread of the log",
            },
            LawParam::Shape => Support {
                lo: 0.0,
                hi: 1e6,
                what: "a shape",
            },
            LawParam::P => Support {
                lo: 0.0,
                hi: 1.0,
                what: "a probability",
            },
            _ => sup,
        }
    }
}

/// One parameter drawn once per future.
#[derive(Debug, Clone)]
pub struct DrawnParam {
    /// Which parameter.
    pub param: LawParam,
    /// Its key path, e.g. `line.x.delivery_lag_days.median`.
    pub path: String,
    /// Its law.
    pub dist: Dist,
    /// Its stream: (entity kind, entity name, "KEY PARAM").
    pub key: StreamKey,
}

/// A delay law whose parameters are drawn once per future.
#[derive(Debug, Clone)]
pub struct UncertainLaw {
    /// The drawn parameters, in the order the law reads them.
    pub params: Vec<DrawnParam>,
    /// The law as written, each drawn parameter a placeholder (places left out: no allocation
    /// when a future's law is built).
    template: DistDoc,
    /// What the law's values may be.
    support: Support,
    /// The law at the smallest value of every drawn parameter (a corner the validator checked),
    /// should a future's law not build.
    fallback: Dist,
}

impl UncertainLaw {
    /// The law of one future, given each drawn parameter's value in [`Self::params`] order.
    #[must_use]
    pub fn law_with(&self, values: &[f64]) -> Dist {
        let doc = with_values(&self.template, &self.params, values);
        dist(&mut Ctx::default(), &doc, self.support).unwrap_or_else(|| self.fallback.clone())
    }
}

/// A delay as written, with the parameters written as distributions.
#[derive(Debug, Clone)]
pub(super) struct LawDoc {
    /// The law, each drawn parameter NaN at its place.
    pub law: DistDoc,
    /// The parameters written as distributions.
    pub drawn: Vec<(LawParam, DistDoc)>,
}

/// Reads a delay whose parameters may be distributions.
pub(super) fn read(ctx: &mut Ctx, at: At, node: Node<'_>) -> Option<LawDoc> {
    let cell = RefCell::new(Vec::new());
    let law = read_dist_in(ctx, at, node, Purpose::General, Some(&cell))?;
    let drawn = cell
        .into_inner()
        .into_iter()
        .filter_map(|(k, d)| Some((LawParam::from_key(k)?, d)))
        .collect();
    Some(LawDoc { law, drawn })
}

/// A compiled delay: its law at load time and, when some parameter is drawn, each future's.
pub(super) type Compiled = (Dist, Option<Box<UncertainLaw>>);

/// Checks a delay and its drawn parameters: the law as compiled at load time (each drawn
/// parameter at its median) and, when some parameter is drawn, how each future builds its own.
/// `(kind, entity, key)` names the streams: (kind, entity, "KEY PARAM").
pub(super) fn compile(
    ctx: &mut Ctx,
    doc: &LawDoc,
    sup: Support,
    (kind, entity, key): (&str, &str, &str),
) -> Option<Compiled> {
    let mut params = Vec::new();
    let mut fixed = Vec::new();
    let mut ok = true;
    for (p, d) in &doc.drawn {
        let Some(law) = dist(ctx, d, p.support(sup)) else {
            ok = false;
            continue;
        };
        // A distribution that is a single number is that number: the law is drawn as before.
        if let Some(v) = law.fixed_value() {
            fixed.push((p.name(), v));
            continue;
        }
        if law.upper_bound().is_infinite() {
            ctx.err(
                &d.at,
                format!("`{}` is drawn from a distribution with no largest value, so some future could draw an invalid law", p.name()),
                Some("a parameter drawn once per future needs a bounded distribution: uniform, triangular, pert, lognormal or normal".into()),
            );
            ok = false;
            continue;
        }
        params.push(DrawnParam {
            param: *p,
            path: d.at.path.to_string(),
            dist: law,
            key: StreamKey::new(kind, entity, &format!("{key} {}", p.name())),
        });
    }
    if !ok {
        return None;
    }
    let written = set(&doc.law, |name| {
        fixed.iter().find(|(n, _)| *n == name).map(|&(_, v)| v)
    });
    if params.is_empty() {
        return dist(ctx, &written, sup).map(|d| (d, None));
    }
    let doc = LawDoc {
        law: written,
        drawn: doc
            .drawn
            .iter()
            .filter(|(p, _)| params.iter().any(|q: &DrawnParam| q.param == *p))
            .cloned()
            .collect(),
    };
    // Every corner of the box of the drawn ranges must give a valid law.
    let (lo, hi): (Vec<f64>, Vec<f64>) = params
        .iter()
        .map(|p| (p.dist.lower_bound(), p.dist.upper_bound()))
        .unzip();
    for corner in 0..1u32 << params.len() {
        let values: Vec<f64> = (0..params.len())
            .map(|i| if corner >> i & 1 == 1 { hi[i] } else { lo[i] })
            .collect();
        let mut scratch = Ctx::default();
        if dist(&mut scratch, &with_values(&doc.law, &params, &values), sup).is_some() {
            continue;
        }
        let why = scratch
            .problems
            .first()
            .map_or_else(|| "the law is invalid".to_owned(), |p| p.message.clone());
        let setting: Vec<String> = params
            .iter()
            .zip(&values)
            .map(|(p, v)| format!("{} = {}", p.param.name(), fmt_num(*v)))
            .collect();
        ctx.err(
            &doc.drawn[0].1.at,
            format!(
                "some futures would draw an invalid law: with {} (ends of the drawn ranges), {why}",
                setting.join(", ")
            ),
            Some("the law must be valid for every value its drawn parameters can take together: narrow their ranges or move the fixed parameters (a lognormal comes arbitrarily close to 0; give a distribution with a positive min where 0 is not allowed)".into()),
        );
        return None;
    }
    let stripped = strip(&doc.law);
    let fallback = dist(
        &mut Ctx::default(),
        &with_values(&stripped, &params, &lo),
        sup,
    )?;
    let medians: Vec<f64> = params.iter().map(|p| p.dist.quantile(0.5)).collect();
    let at_medians = dist(
        &mut Ctx::default(),
        &with_values(&stripped, &params, &medians),
        sup,
    )
    .unwrap_or_else(|| fallback.clone());
    Some((
        at_medians,
        Some(Box::new(UncertainLaw {
            params,
            template: stripped,
            support: sup,
            fallback,
        })),
    ))
}

/// `doc` with each drawn parameter set to its value in `values` ([`UncertainLaw::params`] order).
fn with_values(doc: &DistDoc, params: &[DrawnParam], values: &[f64]) -> DistDoc {
    set(doc, |name| {
        params
            .iter()
            .zip(values)
            .find(|(p, _)| p.param.name() == name)
            .map(|(_, &v)| v)
    })
}

/// `doc` with the parameter of each key for which `value` gives a number set to it.
fn set(doc: &DistDoc, value: impl Fn(&str) -> Option<f64>) -> DistDoc {
    map_params(doc, &mut |name, sp| Sp {
        v: value(name).unwrap_or(sp.v),
        at: sp.at.clone(),
    })
}

/// `doc` without places (a placeless [`At`] clones without allocating).
fn strip(doc: &DistDoc) -> DistDoc {
    let mut d = map_params(doc, &mut |_, sp| Sp {
        v: sp.v,
        at: At::path(KeyPath::root()),
    });
    d.at = At::path(KeyPath::root());
    d
}

/// `doc` with each number parameter replaced by `f(its key, it)`.
fn map_params(doc: &DistDoc, f: &mut dyn FnMut(&str, &Sp<f64>) -> Sp<f64>) -> DistDoc {
    let kind = match &doc.kind {
        DistKind::Number(v) => DistKind::Number(f("value", v)),
        DistKind::Fixed { value } => DistKind::Fixed {
            value: f("value", value),
        },
        DistKind::Uniform { min, max } => DistKind::Uniform {
            min: f("min", min),
            max: f("max", max),
        },
        DistKind::Triangular { min, mode, max } => DistKind::Triangular {
            min: f("min", min),
            mode: f("mode", mode),
            max: f("max", max),
        },
        DistKind::Pert { min, mode, max } => DistKind::Pert {
            min: f("min", min),
            mode: f("mode", mode),
            max: f("max", max),
        },
        DistKind::Normal { mean, sd, min, max } => DistKind::Normal {
            mean: f("mean", mean),
            sd: f("sd", sd),
            min: min.as_ref().map(|m| f("min", m)),
            max: max.as_ref().map(|m| f("max", m)),
        },
        DistKind::LogNormal(spec) => DistKind::LogNormal(match spec {
            LogSpec::MedianP90 { median, p90 } => LogSpec::MedianP90 {
                median: f("median", median),
                p90: f("p90", p90),
            },
            LogSpec::MedianSigma { median, sigma } => LogSpec::MedianSigma {
                median: f("median", median),
                sigma: f("sigma", sigma),
            },
            LogSpec::MuSigma { mu, sigma } => LogSpec::MuSigma {
                mu: f("mu", mu),
                sigma: f("sigma", sigma),
            },
        }),
        DistKind::Poisson { mean } => DistKind::Poisson {
            mean: f("mean", mean),
        },
        DistKind::NegBinomial { mean, shape } => DistKind::NegBinomial {
            mean: f("mean", mean),
            shape: f("shape", shape),
        },
        DistKind::Bernoulli { p } => DistKind::Bernoulli { p: f("p", p) },
    };
    DistDoc {
        at: doc.at.clone(),
        kind,
    }
}

/// Every delay of `s` with drawn parameters, each once (a channel's contract delay, shared by
/// the buys that inherit it, once): payment delays, contract delays, delivery lags, events'
/// durations, then regime factors' fatigued spells.
#[must_use]
pub fn drawn_laws(s: &super::Scenario) -> Vec<&UncertainLaw> {
    let mut out: Vec<&UncertainLaw> = Vec::new();
    let laws = s
        .funding
        .iter()
        .filter_map(|f| f.delay_drawn.as_deref())
        .chain(
            s.channels
                .iter()
                .flat_map(|c| &c.buys)
                .filter_map(|b| b.contract_delay_drawn.as_deref()),
        )
        .chain(s.lines.iter().filter_map(|l| l.lag_drawn.as_deref()))
        .chain(s.events.iter().filter_map(|e| e.duration_drawn.as_deref()))
        .chain(s.factors.iter().filter_map(|f| match &f.kind {
            super::FactorKind::Regime {
                fatigued_days_drawn,
                ..
            } => fatigued_days_drawn.as_deref(),
            super::FactorKind::Level(_) => None,
        }));
    for law in laws {
        if !out.iter().any(|o| o.params[0].key == law.params[0].key) {
            out.push(law);
        }
    }
    out
}

/// The parameters of the laws `docs` (delays, daily use, launches) written as numbers inside a
/// distribution (each could be drawn: a correlation naming one, often after `--set` or
/// `sensitivity` fixed it, is ignored with a warning, not refused), with their key paths.
pub(super) fn numbers<'a>(docs: impl Iterator<Item = &'a DistDoc>) -> Vec<(String, f64)> {
    let mut out = Vec::new();
    for d in docs {
        if matches!(d.kind, DistKind::Number(_)) {
            continue;
        }
        map_params(d, &mut |_, sp| {
            if sp.v.is_finite() {
                out.push((sp.at.path.to_string(), sp.v));
            }
            sp.clone()
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::distributions::DELAY;
    use super::*;

    fn compiled(text: &str) -> (Option<Compiled>, Ctx) {
        let doc = toml_edit::ImDocument::parse(text).unwrap();
        let mut ctx = Ctx::default();
        let root = super::super::doc::Tbl::root(doc.as_table());
        let law = root.req(&mut ctx, "x", read);
        let out = law.and_then(|l| compile(&mut ctx, &l, DELAY, ("line", "l", "lag")));
        (out, ctx)
    }

    #[test]
    fn each_future_builds_the_law_with_its_values() {
        let (c, ctx) = compiled(
            "x = { dist = \"triangular\", min = { dist = \"uniform\", min = 0, max = 10 }, mode = 20, max = { dist = \"uniform\", min = 30, max = 40 } }",
        );
        assert!(ctx.problems.is_empty(), "{:?}", ctx.problems);
        let (at_medians, law) = c.unwrap();
        let law = law.unwrap();
        let names: Vec<_> = law.params.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(names, ["x.min", "x.max"]);
        assert_eq!(law.params[0].key, StreamKey::new("line", "l", "lag min"));
        assert!(
            matches!(at_medians, Dist::Triangular { min, mode, max, .. } if (min, mode, max) == (5.0, 20.0, 35.0))
        );
        let d = law.law_with(&[2.5, 33.0]);
        assert!(
            matches!(d, Dist::Triangular { min, mode, max, .. } if (min, mode, max) == (2.5, 20.0, 33.0))
        );
    }

    #[test]
    fn a_law_invalid_at_a_corner_is_refused() {
        let (c, ctx) = compiled(
            "x = { dist = \"triangular\", min = 0, mode = { dist = \"uniform\", min = 5, max = 50 }, max = 40 }",
        );
        assert!(c.is_none());
        assert_eq!(ctx.problems.len(), 1);
        assert_eq!(ctx.problems[0].path.to_string(), "x.mode");
        assert!(ctx.problems[0].message.contains("with mode = 50"));
    }
}

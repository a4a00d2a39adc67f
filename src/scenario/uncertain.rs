//! Uncertain parameters of daily counts: `[[consumption]] daily` or `[[threat]] daily` whose
//! `mean`, `shape` or `value` is itself a distribution, drawn once per future (the mean rate of a
//! future is uncertain, not only its days), e.g. `daily = { dist = "negative_binomial", mean = { dist = "lognormal", median = 8,
//! p90 = 15 }, shape = 0.5 }`. A `daily` whose parameters are all numbers is read as before.

use super::distributions::{compile as dist, Support, MAX_RATE_PER_DAY};
use super::doc::{string, At, Ctx, Sp, Tbl};
use super::schema::{is_table, read_dist, DistDoc, Purpose};
use super::Demand;
use crate::sampling::{Dist, StreamKey};

/// A parameter of daily use that may be drawn once per future.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DailyParam {
    /// `mean` of a poisson or negative binomial.
    Mean,
    /// `shape` of a negative binomial.
    Shape,
    /// `value` of a fixed daily use.
    Value,
}

impl DailyParam {
    /// The key in the file.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            DailyParam::Mean => "mean",
            DailyParam::Shape => "shape",
            DailyParam::Value => "value",
        }
    }
}

/// Daily use whose parameters are drawn once per future.
#[derive(Debug, Clone)]
pub struct UncertainDaily {
    /// Which count law (its parameters are replaced by the future's draws).
    pub law: Demand,
    /// Each parameter with its law (a number is a fixed law) and its stream
    /// ("item", ITEM, "daily PARAM") or ("threat", THREAT, "daily PARAM").
    pub params: Vec<(DailyParam, Dist, StreamKey)>,
}

impl UncertainDaily {
    /// The daily law of one future, given each parameter's value in [`Self::params`] order. The
    /// shape is kept at least 10⁻⁶, as a written shape is.
    #[must_use]
    pub fn law_with(&self, values: &[f64]) -> Demand {
        let get = |p: DailyParam| {
            self.params
                .iter()
                .zip(values)
                .find(|((q, _, _), _)| *q == p)
                .map(|(_, &v)| v)
        };
        let mean = |m: f64| {
            get(DailyParam::Mean)
                .unwrap_or(m)
                .clamp(0.0, MAX_RATE_PER_DAY)
        };
        match self.law {
            Demand::Fixed(v) => Demand::Fixed(
                get(DailyParam::Value)
                    .unwrap_or(v)
                    .clamp(0.0, MAX_RATE_PER_DAY),
            ),
            Demand::Poisson { mean: m } => Demand::Poisson { mean: mean(m) },
            Demand::NegBinomial { mean: m, shape } => Demand::NegBinomial {
                mean: mean(m),
                shape: get(DailyParam::Shape).unwrap_or(shape).clamp(1e-6, 1e6),
            },
        }
    }

    /// The largest daily mean any future can have (for the validator's peak check).
    #[must_use]
    pub fn largest(&self) -> Demand {
        let hi = |p: DailyParam, d: f64| {
            self.params
                .iter()
                .find(|(q, _, _)| *q == p)
                .map_or(d, |(_, l, _)| l.upper_bound().min(MAX_RATE_PER_DAY))
        };
        match self.law {
            Demand::Fixed(v) => Demand::Fixed(hi(DailyParam::Value, v)),
            Demand::Poisson { mean } | Demand::NegBinomial { mean, .. } => Demand::Poisson {
                mean: hi(DailyParam::Mean, mean),
            },
        }
    }
}

/// `daily` with at least one parameter written as a distribution.
#[derive(Debug)]
pub(super) struct UncertainDoc {
    pub at: At,
    pub kind: Sp<String>,
    pub params: Vec<(DailyParam, DistDoc)>,
}

/// How `daily` reads.
#[derive(Debug)]
pub(super) enum Read {
    /// Absent, or every parameter is a number: read as an ordinary uncertain number.
    Plain,
    /// A parameter is a distribution: read here.
    Uncertain(Option<UncertainDoc>),
}

/// Reads `daily` of `t` when one of its parameters is a table (`None` inside after reporting a
/// problem); [`Read::Plain`] otherwise.
pub(super) fn read(ctx: &mut Ctx, t: &Tbl<'_>) -> Read {
    let Some((at, node)) = t.get("daily") else {
        return Read::Plain;
    };
    let Some(d) = is_table(node)
        .then(|| super::doc::table(ctx, at, node))
        .flatten()
    else {
        return Read::Plain;
    };
    let uncertain = ["mean", "shape", "value"]
        .iter()
        .any(|k| d.get(k).is_some_and(|(_, n)| is_table(n)));
    if !uncertain {
        return Read::Plain;
    }
    Read::Uncertain(read_table(ctx, &d))
}

fn read_table(ctx: &mut Ctx, d: &Tbl<'_>) -> Option<UncertainDoc> {
    let kind = d.req(ctx, "dist", string)?;
    let takes: &[DailyParam] = match kind.v.as_str() {
        "poisson" => &[DailyParam::Mean],
        "negative_binomial" => &[DailyParam::Mean, DailyParam::Shape],
        "fixed" => &[DailyParam::Value],
        _ => {
            ctx.err(&kind.at, format!("\"{}\" cannot describe daily use", kind.v), Some("daily use is a count: use dist = \"poisson\" (mean), \"negative_binomial\" (mean, shape) or \"fixed\" (value); each parameter may be a number or a distribution".into()));
            return None;
        }
    };
    let mut params = Vec::new();
    for &p in takes {
        if d.has(p.name()) {
            let doc = d.opt(ctx, p.name(), |c, a, n| {
                read_dist(c, a, n, Purpose::General)
            });
            params.push((p, doc?));
        } else {
            ctx.err(&d.at, format!("a {} daily use needs {}", kind.v, p.name()), Some("e.g. daily = { dist = \"negative_binomial\", mean = { dist = \"lognormal\", median = 8, p90 = 15 }, shape = 0.5 }".into()));
            return None;
        }
    }
    for k in d.keys() {
        if k != "dist" && !takes.iter().any(|p| p.name() == k) {
            if let Some((a, _)) = d.get(k) {
                let list: Vec<_> = takes.iter().map(|p| p.name()).collect();
                ctx.err(
                    &a,
                    format!("`{k}` is not a parameter of a {} daily use", kind.v),
                    Some(format!("it takes: {}", list.join(", "))),
                );
            }
        }
    }
    Some(UncertainDoc {
        at: d.at.clone(),
        kind,
        params,
    })
}

/// Checks each parameter's law: a mean or value in units (or launches) per day, a shape between
/// 0 and 10⁶. `(kind, name)` names the entity of the streams: ("item", ITEM) or ("threat", NAME).
pub(super) fn compile(
    ctx: &mut Ctx,
    u: &UncertainDoc,
    (kind, name): (&str, &str),
) -> Option<UncertainDaily> {
    const RATE: Support = Support {
        lo: 0.0,
        hi: MAX_RATE_PER_DAY,
        what: "units per day",
    };
    const SHAPE: Support = Support {
        lo: 0.0,
        hi: 1e6,
        what: "a shape (smaller = burstier)",
    };
    let mut params = Vec::new();
    let mut ok = true;
    for (p, doc) in &u.params {
        let sup = if *p == DailyParam::Shape { SHAPE } else { RATE };
        match dist(ctx, doc, sup) {
            Some(d) => params.push((
                *p,
                d,
                StreamKey::new(kind, name, &format!("daily {}", p.name())),
            )),
            None => ok = false,
        }
    }
    if !ok {
        return None;
    }
    let at = |p: DailyParam| {
        params
            .iter()
            .find(|(q, _, _)| *q == p)
            .map(|(_, d, _)| d.fixed_value())
    };
    let law = match u.kind.v.as_str() {
        "poisson" => Demand::Poisson {
            mean: at(DailyParam::Mean).flatten().unwrap_or(1.0),
        },
        "negative_binomial" => Demand::NegBinomial {
            mean: at(DailyParam::Mean).flatten().unwrap_or(1.0),
            shape: at(DailyParam::Shape).flatten().unwrap_or(1.0).max(1e-6),
        },
        _ => Demand::Fixed(at(DailyParam::Value).flatten().unwrap_or(0.0)),
    };
    // Only the drawn parameters need a draw each future; a number stays in the law.
    params.retain(|(_, d, _)| d.fixed_value().is_none());
    Some(UncertainDaily { law, params })
}

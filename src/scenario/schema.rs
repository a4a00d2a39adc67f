//! The typed schema of the shared value kinds: uncertain numbers (one enum variant per
//! distribution, each with exactly its parameters) read from the spanned document. The entity
//! tables' schema types live with their validators (`item.rs`, `funding.rs`, …).
//!
//! A new distribution is one variant here, one arm in [`read_dist`] and one in
//! `distributions::compile`.

#[cfg(test)]
use super::doc::Tbl;
use super::doc::{num, num_or_table, string, At, Ctx, Node, NumOrTable, Sp};
use super::hints::nearest;
use std::cell::RefCell;

/// An uncertain number as written: a bare number or a distribution table.
#[derive(Debug, Clone)]
pub(super) struct DistDoc {
    /// Where the number or table is.
    pub at: At,
    /// Which distribution, with its parameters.
    pub kind: DistKind,
}

/// A distribution and exactly its parameters.
#[derive(Debug, Clone)]
pub(super) enum DistKind {
    /// A bare number: always this value.
    Number(Sp<f64>),
    /// `{ dist = "fixed", value }`.
    Fixed { value: Sp<f64> },
    /// `{ dist = "uniform", min, max }`.
    Uniform { min: Sp<f64>, max: Sp<f64> },
    /// `{ dist = "triangular", min, mode, max }`.
    Triangular {
        min: Sp<f64>,
        mode: Sp<f64>,
        max: Sp<f64>,
    },
    /// `{ dist = "pert", min, mode, max }`.
    Pert {
        min: Sp<f64>,
        mode: Sp<f64>,
        max: Sp<f64>,
    },
    /// `{ dist = "normal", mean, sd, min?, max? }`.
    Normal {
        mean: Sp<f64>,
        sd: Sp<f64>,
        min: Option<Sp<f64>>,
        max: Option<Sp<f64>>,
    },
    /// `{ dist = "lognormal", … }` in one of its three spellings.
    LogNormal(LogSpec),
    /// `{ dist = "poisson", mean }`.
    Poisson { mean: Sp<f64> },
    /// `{ dist = "negative_binomial", mean, shape }`.
    NegBinomial { mean: Sp<f64>, shape: Sp<f64> },
    /// `{ dist = "bernoulli", p }`.
    Bernoulli { p: Sp<f64> },
}

/// The three ways to give a lognormal.
#[derive(Debug, Clone)]
pub(super) enum LogSpec {
    /// Median and 90th percentile.
    MedianP90 { median: Sp<f64>, p90: Sp<f64> },
    /// Median and the spread of the log.
    MedianSigma { median: Sp<f64>, sigma: Sp<f64> },
    /// Mean and spread of the log.
    MuSigma { mu: Sp<f64>, sigma: Sp<f64> },
}

/// The distribution names, in the order the docs list them.
pub(super) const KINDS: [&str; 9] = [
    "fixed",
    "uniform",
    "triangular",
    "pert",
    "normal",
    "lognormal",
    "poisson",
    "negative_binomial",
    "bernoulli",
];

/// Every key a distribution table may have.
const ALL_KEYS: [&str; 13] = [
    "dist", "value", "min", "max", "mode", "mean", "sd", "median", "p90", "mu", "sigma", "shape",
    "p",
];

/// The parameters of each distribution, and an example of them.
fn params(kind: &str) -> (&'static [&'static str], &'static str) {
    match kind {
        "fixed" => (&["value"], "value = 10"),
        "uniform" => (&["min", "max"], "min = 10, max = 20"),
        "triangular" | "pert" => (&["min", "mode", "max"], "min = 10, mode = 20, max = 40"),
        "normal" => (&["mean", "sd", "min", "max"], "mean = 30, sd = 5"),
        "lognormal" => (&["median", "p90", "mu", "sigma"], "median = 120, p90 = 200"),
        "poisson" => (&["mean"], "mean = 3"),
        "negative_binomial" => (&["mean", "shape"], "mean = 3, shape = 0.5"),
        _ => (&["p"], "p = 0.3"),
    }
}

/// What an uncertain number is used for: daily use is a count and accepts fewer distributions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Purpose {
    /// Any distribution (delays, amounts, shares).
    General,
    /// `[[consumption]] daily`: fixed, poisson or negative_binomial.
    Daily,
}

/// Reads an uncertain number: a bare number or `{ dist = "...", ... }`.
pub(super) fn read_dist(
    ctx: &mut Ctx,
    at: At,
    node: Node<'_>,
    purpose: Purpose,
) -> Option<DistDoc> {
    read_dist_in(ctx, at, node, purpose, None)
}

/// Whether `n` is a table (standard or inline).
pub(super) fn is_table(n: Node<'_>) -> bool {
    use toml_edit::{Item, Value};
    matches!(
        n,
        Node::Item(Item::Table(_) | Item::Value(Value::InlineTable(_)))
            | Node::Value(Value::InlineTable(_))
    )
}

/// Reads an uncertain number like [`read_dist`]; with `drawn`, a parameter written as a
/// distribution is read into it (its key and its law) and stands in the result as NaN, at its
/// place in the file.
pub(super) fn read_dist_in(
    ctx: &mut Ctx,
    at: At,
    node: Node<'_>,
    purpose: Purpose,
    drawn: Option<&RefCell<Vec<(&'static str, DistDoc)>>>,
) -> Option<DistDoc> {
    let t = match num_or_table(
        ctx,
        at,
        node,
        "a number, or a distribution such as { dist = \"triangular\", min = 10, mode = 20, max = 40 }",
    )? {
        NumOrTable::Num(n) => {
            return Some(DistDoc {
                at: n.at.clone(),
                kind: DistKind::Number(n),
            })
        }
        NumOrTable::Table(t) => t,
    };
    t.check_keys(ctx, &ALL_KEYS);
    let kind = t.req(ctx, "dist", string)?;
    if !KINDS.contains(&kind.v.as_str()) {
        let help = match nearest(&kind.v, KINDS.into_iter()) {
            Some(n) => format!("did you mean \"{n}\"? Known: {}", KINDS.join(", ")),
            None => format!("known distributions: {}", KINDS.join(", ")),
        };
        ctx.err(
            &kind.at,
            format!("\"{}\" is not a known distribution", kind.v),
            Some(help),
        );
        return None;
    }
    let k = kind.v.as_str();
    if purpose == Purpose::Daily && !matches!(k, "fixed" | "poisson" | "negative_binomial") {
        ctx.err(&kind.at, format!("\"{k}\" cannot describe daily use"), Some("daily use is a count: use dist = \"poisson\" (mean), \"negative_binomial\" (mean, shape) or \"fixed\" (value)".into()));
        return None;
    }
    let (takes, example) = params(k);
    for key in t.keys() {
        if key != "dist" && ALL_KEYS.contains(&key) && !takes.contains(&key) {
            let (at, _) = t.get(key)?;
            ctx.err(
                &at,
                format!("`{key}` is not a parameter of a {k} distribution"),
                Some(format!("a {k} distribution takes: {}", takes.join(", "))),
            );
        }
    }
    let param = |ctx: &mut Ctx, key: &str| -> Option<Sp<f64>> {
        let (a, n) = t.get(key)?;
        match drawn {
            Some(cell) if is_table(n) => {
                let name: &'static str = ALL_KEYS.iter().find(|k| **k == key)?;
                let d = read_dist(ctx, a.clone(), n, Purpose::General)?;
                cell.borrow_mut().push((name, d));
                Some(Sp { v: f64::NAN, at: a })
            }
            _ if purpose == Purpose::General && is_table(n) => {
                ctx.err(
                    &a,
                    format!("`{key}` is a distribution, but here each parameter must be a number"),
                    Some("a parameter may be drawn once per future only in daily use (`daily`) and in delays (`delivery_lag_days`, `payment_delay_days`, `contract_delay_days`, an event's `duration_days`, a factor's `fatigued_days`), and its own distribution takes numbers".into()),
                );
                None
            }
            _ => num(ctx, a, n),
        }
    };
    let opt = |ctx: &mut Ctx, key: &str| param(ctx, key);
    let need = |ctx: &mut Ctx, key: &str| -> Option<Sp<f64>> {
        if !t.has(key) {
            if ctx.was_suggested(&t.at.path, key) {
                return None;
            }
            let (msg, help) = match (purpose, key) {
                (Purpose::Daily, "shape") => (
                    format!("a {k} daily use needs shape"),
                    Some("shape k sets burstiness: variance = mean + mean²/k; e.g. shape = 0.5 for strongly clustered attacks".to_owned()),
                ),
                (Purpose::Daily, _) => (
                    format!("a {k} daily use needs {key}"),
                    (key == "mean").then(|| format!("e.g. daily = {{ dist = \"{k}\", mean = 2.5 }}")),
                ),
                _ => (
                    format!("a {k} distribution needs `{key}`"),
                    Some(format!("write {{ dist = \"{k}\", {example} }}")),
                ),
            };
            ctx.err(&t.at, msg, help);
            return None;
        }
        param(ctx, key)
    };
    let kind = match k {
        "fixed" => DistKind::Fixed {
            value: need(ctx, "value")?,
        },
        "uniform" => {
            let (min, max) = (need(ctx, "min"), need(ctx, "max"));
            DistKind::Uniform {
                min: min?,
                max: max?,
            }
        }
        "triangular" | "pert" => {
            let (min, mode, max) = (need(ctx, "min"), need(ctx, "mode"), need(ctx, "max"));
            let (min, mode, max) = (min?, mode?, max?);
            if k == "pert" {
                DistKind::Pert { min, mode, max }
            } else {
                DistKind::Triangular { min, mode, max }
            }
        }
        "normal" => {
            let (mean, sd) = (need(ctx, "mean"), need(ctx, "sd"));
            let (min, max) = (opt(ctx, "min"), opt(ctx, "max"));
            DistKind::Normal {
                mean: mean?,
                sd: sd?,
                min,
                max,
            }
        }
        "lognormal" => {
            let (median, p90) = (opt(ctx, "median"), opt(ctx, "p90"));
            let (mu, sigma) = (opt(ctx, "mu"), opt(ctx, "sigma"));
            DistKind::LogNormal(match (median, p90, mu, sigma) {
                (Some(median), Some(p90), None, None) => LogSpec::MedianP90 { median, p90 },
                (Some(median), None, None, Some(sigma)) => LogSpec::MedianSigma { median, sigma },
                (None, None, Some(mu), Some(sigma)) => LogSpec::MuSigma { mu, sigma },
                _ => {
                    ctx.err(
                        &t.at,
                        "a lognormal needs median and p90, median and sigma, or mu and sigma",
                        Some("e.g. { dist = \"lognormal\", median = 120, p90 = 200 }".into()),
                    );
                    return None;
                }
            })
        }
        "poisson" => DistKind::Poisson {
            mean: need(ctx, "mean")?,
        },
        "negative_binomial" => {
            let (mean, shape) = (need(ctx, "mean"), need(ctx, "shape"));
            DistKind::NegBinomial {
                mean: mean?,
                shape: shape?,
            }
        }
        _ => DistKind::Bernoulli { p: need(ctx, "p")? },
    };
    Some(DistDoc { at: t.at, kind })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, purpose: Purpose) -> (Option<DistDoc>, Ctx) {
        let doc = toml_edit::ImDocument::parse(text).unwrap();
        let mut ctx = Ctx::default();
        let root = Tbl::root(doc.as_table());
        let d = root.req(&mut ctx, "x", |c, a, n| read_dist(c, a, n, purpose));
        (d, ctx)
    }

    #[test]
    fn each_distribution_takes_exactly_its_parameters() {
        let (d, ctx) = read(
            "x = { dist = \"uniform\", min = 1, max = 2 }",
            Purpose::General,
        );
        assert!(
            matches!(d.unwrap().kind, DistKind::Uniform { .. }),
            "{:?}",
            ctx.problems
        );
        let (d, ctx) = read(
            "x = { dist = \"uniform\", min = 1, max = 2, mode = 1 }",
            Purpose::General,
        );
        assert!(d.is_some());
        assert_eq!(ctx.problems[0].path.to_string(), "x.mode");
        let (d, ctx) = read("x = { dist = \"triangular\" }", Purpose::General);
        assert!(d.is_none());
        assert_eq!(ctx.problems.len(), 3, "every missing parameter is reported");
    }

    #[test]
    fn names_and_purposes() {
        let (_, ctx) = read(
            "x = { dist = \"lognormel\", median = 1, p90 = 2 }",
            Purpose::General,
        );
        assert!(ctx.problems[0]
            .help
            .as_deref()
            .unwrap()
            .starts_with("did you mean \"lognormal\""));
        let (_, ctx) = read(
            "x = { dist = \"uniform\", min = 1, max = 2 }",
            Purpose::Daily,
        );
        assert!(ctx.problems[0]
            .message
            .contains("cannot describe daily use"));
        let (d, _) = read("x = 5", Purpose::Daily);
        assert!(matches!(d.unwrap().kind, DistKind::Number(_)));
        let (_, ctx) = read("x = { dist = \"lognormal\", median = 1 }", Purpose::General);
        assert!(ctx.problems[0].message.starts_with("a lognormal needs"));
    }
}

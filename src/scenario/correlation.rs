//! The `[[correlation]]` schema and validator, and the registry of per-future draws a
//! correlation may name.
//!
//! `between = [two key paths]` and `rank` (Spearman, strictly between −1 and 1) impose a rank
//! correlation between two draws made once per future. All correlations together form one matrix
//! over the draws they name; it must be positive definite (the validator names the pair that
//! breaks it). The engine draws the correlated values with a Gaussian copula
//! ([`crate::sampling::copula`]).
//!
//! A new per-future draw becomes correlatable with one line in [`registry`] (its key path, its
//! [`Site`] and its law) and one call of the engine's per-future draw at its sampling point.

use super::doc::{num, string, At, Ctx, Sp, Tbl};
use super::hints::{fmt_num, nearest};
use super::keypath::KeyPath;
use super::values::list;
use super::{DailyParam, ItemId, LineId, Scenario, UseRule};
use crate::sampling::copula::{normal_correlation, Copula};
use crate::sampling::{Dist, StreamKey};

const KEYS: [&str; 3] = ["between", "rank", "label"];

/// A draw made once per future that a correlation can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Site {
    /// `line.NAME.ramp_slip_days`.
    RampSlip(LineId),
    /// `line.NAME.other_customers_share`.
    OtherCustomers(LineId),
    /// `consumption.ITEM.engaged_share`.
    EngagedShare(ItemId),
    /// `consumption.ITEM.shots_per_engagement`.
    Shots(ItemId),
    /// `factor.NAME.level`.
    FactorLevel(usize),
    /// An uncertain parameter of `consumption.ITEM.daily` (`.mean`, `.shape`, `.value`).
    Daily(ItemId, DailyParam),
    /// An uncertain parameter of `threat.NAME.daily` (index in [`Scenario::threats`]).
    ThreatDaily(usize, DailyParam),
    /// A drawn parameter of a delay (`line.NAME.delivery_lag_days.median`, …), by its stream.
    Law(StreamKey),
}

/// One correlated draw: where it is, its law and the stream of its standard normal.
#[derive(Debug, Clone)]
pub struct CorrelatedDraw {
    /// Which draw.
    pub site: Site,
    /// Its key path, as written in the file.
    pub path: String,
    /// Its law (each value is this law's inverse CDF at a correlated uniform).
    pub dist: Dist,
    /// Stream of its standard normal: ("correlation", key path, "normal").
    pub key: StreamKey,
}

/// Every correlation of a scenario, as one copula over the draws they name.
#[derive(Debug, Clone, Default)]
pub struct Correlations {
    /// The correlated draws, in the order they are first named.
    pub draws: Vec<CorrelatedDraw>,
    /// The Cholesky factor of their normal correlation matrix.
    pub copula: Copula,
}

impl Correlations {
    /// Whether the scenario correlates nothing (the engine then skips the copula).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.draws.is_empty()
    }

    /// The values of the correlated draws in future `run`, in [`Correlations::draws`] order,
    /// into `out`: a standard normal per draw from its own stream, correlated by the copula's
    /// Cholesky factor, then each draw's inverse CDF at the normal's probability. The engine and
    /// `porcupine sensitivity` both use it, so they see the same values.
    pub fn values_into(&self, seed: u64, run: u64, out: &mut Vec<f64>) {
        use rand_distr::{Distribution, StandardNormal};
        out.clear();
        out.extend(self.draws.iter().map(|d| -> f64 {
            StandardNormal.sample(&mut crate::sampling::stream(seed, run, d.key))
        }));
        self.copula.correlate(out);
        for (v, d) in out.iter_mut().zip(&self.draws) {
            *v = d.dist.quantile(crate::sampling::normal_cdf(*v));
        }
    }
}

/// The per-future draws of a scenario: key path, site and law (`None`: not drawn once per future
/// in this scenario).
fn registry(s: &Scenario, numbers: &[(String, f64)]) -> Vec<(String, Site, Option<Dist>)> {
    let path = |parts: &[&str]| {
        parts
            .iter()
            .fold(KeyPath::root(), |p, k| p.key(k))
            .to_string()
    };
    let mut v = Vec::new();
    for (i, l) in s.lines.iter().enumerate() {
        let id = LineId(i);
        v.push((
            path(&["line", &l.name, "ramp_slip_days"]),
            Site::RampSlip(id),
            Some(l.slip.clone()),
        ));
        v.push((
            path(&["line", &l.name, "other_customers_share"]),
            Site::OtherCustomers(id),
            Some(l.other_share.clone()),
        ));
    }
    for (i, c) in s.consumption.iter().enumerate() {
        let (Some(c), item) = (c, &s.items[i].name) else {
            continue;
        };
        let id = ItemId(i);
        if let UseRule::Threat(t) = &c.rule {
            v.push((
                path(&["consumption", item, "engaged_share"]),
                Site::EngagedShare(id),
                Some(t.engaged_share.clone()),
            ));
            v.push((
                path(&["consumption", item, "shots_per_engagement"]),
                Site::Shots(id),
                Some(t.shots.clone()),
            ));
        }
        for (param, d, _) in c.uncertain.iter().flat_map(|u| u.params.iter()) {
            v.push((
                path(&["consumption", item, "daily", param.name()]),
                Site::Daily(id, *param),
                Some(d.clone()),
            ));
        }
    }
    for (i, t) in s.threats.iter().enumerate() {
        for (param, d, _) in t.uncertain.iter().flat_map(|u| u.params.iter()) {
            v.push((
                path(&["threat", &t.name, "daily", param.name()]),
                Site::ThreatDaily(i, *param),
                Some(d.clone()),
            ));
        }
    }
    for law in super::drawn_laws(s) {
        for p in &law.params {
            v.push((p.path.clone(), Site::Law(p.key), Some(p.dist.clone())));
        }
    }
    // A delay's parameter written as a number (often fixed by `--set`) could be drawn.
    for (path, x) in numbers {
        let key = StreamKey::new("correlation", path, "number");
        v.push((path.clone(), Site::Law(key), Some(Dist::Fixed(*x))));
    }
    for (i, f) in s.factors.iter().enumerate() {
        let level = match &f.kind {
            super::FactorKind::Level(d) => Some(d.clone()),
            super::FactorKind::Regime { .. } => None,
        };
        v.push((
            path(&["factor", &f.name, "level"]),
            Site::FactorLevel(i),
            level,
        ));
    }
    v
}

/// One `[[correlation]]` as written.
#[derive(Debug)]
pub(super) struct CorrelationDoc {
    pub at: At,
    pub between: Option<(At, Vec<Sp<String>>)>,
    pub rank: Option<Sp<f64>>,
}

/// Reads one `[[correlation]]` table.
pub(super) fn read(ctx: &mut Ctx, t: &Tbl<'_>) -> CorrelationDoc {
    t.check_keys(ctx, &KEYS);
    let _label = t.opt(ctx, "label", string);
    let between = t.req(ctx, "between", |ctx, at: At, node| {
        let items = list(ctx, at.clone(), node)?;
        let v: Vec<_> = items
            .into_iter()
            .filter_map(|(a, n)| string(ctx, a, n))
            .collect();
        Some((at, v))
    });
    CorrelationDoc {
        at: t.at.clone(),
        between,
        rank: t.req(ctx, "rank", num),
    }
}

/// Checks every correlation against the scenario's per-future draws and builds the copula.
pub(super) fn compile(
    ctx: &mut Ctx,
    docs: &[CorrelationDoc],
    s: &Scenario,
    numbers: &[(String, f64)],
) -> Option<Correlations> {
    if docs.is_empty() {
        return Some(Correlations::default());
    }
    let sites = registry(s, numbers);
    let drawn = || {
        sites
            .iter()
            .filter(|(_, _, d)| d.as_ref().is_some_and(|d| d.fixed_value().is_none()))
            .map(|(p, _, _)| p.as_str())
    };
    let listing = || {
        let v: Vec<_> = drawn().map(|p| format!("\"{p}\"")).collect();
        if v.is_empty() {
            "this scenario has no per-future draw that is uncertain; give one a distribution first (see \"Correlations\" in docs/scenario-format.md)".to_owned()
        } else {
            format!(
                "the draws that can be correlated here are: {}",
                v.join(", ")
            )
        }
    };
    let mut draws: Vec<usize> = Vec::new(); // indices into `sites`
    let mut pairs: Vec<(usize, usize, f64, &At)> = Vec::new(); // positions in `draws`
    let mut ok = true;
    for d in docs {
        let (Some((between_at, paths)), Some(rank)) = (&d.between, &d.rank) else {
            ok = false;
            continue;
        };
        if paths.len() != 2 {
            ctx.err(between_at, format!("between names {} draws; a correlation is between exactly two", paths.len()), Some("e.g. between = [\"line.lockheed-pac3.ramp_slip_days\", \"factor.donor-fatigue.level\"]".into()));
            ok = false;
            continue;
        }
        if !(rank.v > -1.0 && rank.v < 1.0) {
            ctx.err(&rank.at, format!("rank must be strictly between -1 and 1, got {}", fmt_num(rank.v)), Some("a Spearman rank correlation: 0.5 is strong, 0.9 very strong; a perfect ±1 would make two draws one".into()));
            ok = false;
            continue;
        }
        let mut ends = [0usize; 2];
        let mut found = true;
        let mut fixed = false;
        for (k, p) in paths.iter().enumerate() {
            match sites.iter().position(|(path, _, _)| *path == p.v) {
                Some(i)
                    if sites[i]
                        .2
                        .as_ref()
                        .is_some_and(|d| d.fixed_value().is_none()) =>
                {
                    ends[k] = i
                }
                // A fixed number (often a variant's `--set`, a sweep's or a sensitivity
                // analysis's value) leaves nothing to correlate: the pair is dropped, with a
                // warning.
                Some(i) if sites[i].2.is_some() => {
                    ctx.warn(
                        &p.at,
                        format!(
                            "\"{}\" is a fixed number in this scenario, so this correlation is ignored",
                            p.v
                        ),
                        format!(
                            "give it a distribution to correlate it, or remove this [[correlation]]; {}",
                            listing()
                        ),
                    );
                    fixed = true;
                }
                Some(_) => {
                    let why = "is not drawn once per future in this scenario";
                    ctx.err(
                        &p.at,
                        format!("\"{}\" {why}", p.v),
                        Some(format!(
                            "give it a distribution, or correlate another draw; {}",
                            listing()
                        )),
                    );
                    found = false;
                }
                None => {
                    let help = match nearest(&p.v, drawn()) {
                        Some(n) => format!("did you mean \"{n}\"? {}", listing()),
                        None => format!(
                            "a correlation names a draw made once per future by its key path; {}",
                            listing()
                        ),
                    };
                    ctx.err(
                        &p.at,
                        format!("\"{}\" is not a per-future draw of this scenario", p.v),
                        Some(help),
                    );
                    found = false;
                }
            }
        }
        if !found {
            ok = false;
            continue;
        }
        if fixed {
            continue;
        }
        if ends[0] == ends[1] {
            ctx.err(
                &paths[1].at,
                format!("a correlation between \"{}\" and itself", paths[0].v),
                Some("name two different draws".into()),
            );
            ok = false;
            continue;
        }
        let mut pos = |i: usize| match draws.iter().position(|&d| d == i) {
            Some(p) => p,
            None => {
                draws.push(i);
                draws.len() - 1
            }
        };
        let (a, b) = (pos(ends[0]), pos(ends[1]));
        if let Some(&(_, _, r, _)) = pairs
            .iter()
            .find(|&&(x, y, _, _)| (x, y) == (a, b) || (x, y) == (b, a))
        {
            let msg = if r == rank.v {
                format!(
                    "the pair \"{}\" and \"{}\" is correlated twice",
                    paths[0].v, paths[1].v
                )
            } else {
                format!("the pair \"{}\" and \"{}\" is already correlated with rank {}, here {}: conflicting pairs", paths[0].v, paths[1].v, fmt_num(r), fmt_num(rank.v))
            };
            ctx.err(
                &d.at,
                msg,
                Some("keep one [[correlation]] per pair of draws".into()),
            );
            ok = false;
            continue;
        }
        pairs.push((a, b, rank.v, &rank.at));
    }
    if !ok {
        return None;
    }
    let n = draws.len();
    let matrix = |upto: usize, skip: Option<usize>| {
        let mut m = vec![0.0; upto * upto];
        for i in 0..upto {
            m[i * upto + i] = 1.0;
        }
        for (k, &(a, b, r, _)) in pairs.iter().enumerate() {
            if a < upto && b < upto && Some(k) != skip {
                let rho = normal_correlation(r);
                m[a * upto + b] = rho;
                m[b * upto + a] = rho;
            }
        }
        m
    };
    let copula = match Copula::new(n, &matrix(n, None)) {
        Ok(c) => c,
        Err(e) => {
            // The first pair, in file order, involving the failing draw, without which the draws
            // up to it can hold together.
            let upto = e.row + 1;
            let culprit = pairs
                .iter()
                .enumerate()
                .filter(|(_, &(a, b, _, _))| (a == e.row || b == e.row) && a < upto && b < upto)
                .find(|&(k, _)| Copula::new(upto, &matrix(upto, Some(k))).is_ok())
                .or_else(|| {
                    pairs
                        .iter()
                        .enumerate()
                        .rev()
                        .find(|(_, &(a, b, _, _))| a == e.row || b == e.row)
                });
            let name = |p: usize| sites[draws[p]].0.as_str();
            let (at, msg) = match culprit {
                Some((_, &(a, b, r, at))) => (at.clone(), format!("the correlations cannot hold together: with the pairs before it, rank {} between \"{}\" and \"{}\" is impossible (the correlation matrix is not positive definite)", fmt_num(r), name(a), name(b))),
                None => (docs[0].at.clone(), "the correlations cannot hold together (the correlation matrix is not positive definite)".to_owned()),
            };
            ctx.err(&at, msg, Some("if a is strongly tied to b and to c, then b and c are tied too: weaken this rank, or change its sign, or the ranks of the pairs it goes with".into()));
            return None;
        }
    };
    Some(Correlations {
        draws: draws
            .iter()
            .map(|&i| {
                let (path, site, dist) = &sites[i];
                CorrelatedDraw {
                    site: *site,
                    key: StreamKey::new("correlation", path, "normal"),
                    path: path.clone(),
                    dist: dist
                        .clone()
                        .expect("invariant: only drawn sites are correlated"),
                }
            })
            .collect(),
        copula,
    })
}

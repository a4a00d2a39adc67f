//! What `porcupine sensitivity` needs: every uncertain input of a scenario (every value drawn
//! once per future from a distribution), its P10 and P90, its value in each future (drawn from
//! the same keyed stream as the engine, so it is the value that future used), Spearman rank
//! correlations, and the ranked table of one-at-a-time swings.
//!
//! The inputs are the scenario's per-future draws ([`super::draws`]). Values drawn many times
//! within a future (installment amounts, paid or not, payment and contract delays, delivery
//! lags, daily use) are not inputs: they have no single value per future, and their spread
//! mostly averages out within it. A parameter of their law drawn once per future is one.

pub use super::draws::{inputs, Input};
use super::futures::FutureRow;
use super::{Outcome, OutcomeLayout, PairedSums};
#[cfg(any(test, feature = "internals"))]
use crate::sampling::Dist;
use crate::scenario::Scenario;
use serde::Serialize;

/// Most futures a sensitivity analysis may run: it keeps every future's outcomes and draws in
/// memory to rank them (about 8 bytes × (5 × items + funding sources + inputs) a future).
pub const MAX_RUNS: u64 = 200_000;

/// Most uncertain inputs analysed (each one is simulated twice more per future).
pub const MAX_INPUTS: usize = 200;

/// The outcomes analysed per item, in report order.
pub const OUTCOMES: [Outcome; 4] = [
    Outcome::EndStock,
    Outcome::ZeroAtEnd,
    Outcome::DaysAtZero,
    Outcome::Delivered,
];

/// The smallest x with P(X ≤ x) ≥ q, for q in (0, 1): the distribution's inverse CDF, the
/// same one the copula of `[[correlation]]` uses.
#[must_use]
#[cfg(any(test, feature = "internals"))]
pub fn quantile(d: &Dist, q: f64) -> f64 {
    d.quantile(q)
}

/// Ranks from 1, ties sharing their average rank.
fn ranks(x: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]).then(a.cmp(&b)));
    let mut r = vec![0.0; x.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && x[order[j + 1]] == x[order[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            r[k] = avg;
        }
        i = j + 1;
    }
    r
}

/// Pearson correlation (None when either side is constant).
fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    (sxx > 0.0 && syy > 0.0).then(|| (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

/// Spearman's rank correlation of `x` and `y` (ties at their average rank); None when either
/// is constant or there are fewer than 2 values.
#[must_use]
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() < 2 || x.len() != y.len() {
        return None;
    }
    pearson(&ranks(x), &ranks(y))
}

/// One input and one outcome of one item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SensitivityRow {
    /// Item name.
    pub item: String,
    /// Item label.
    pub label: String,
    /// Outcome key (`end_stock`, `p_zero_at_end`, `days_at_zero`, `delivered`).
    pub outcome: &'static str,
    /// The outcome's label for a reader.
    pub outcome_label: &'static str,
    /// Whether the outcome is a probability.
    pub probability: bool,
    /// The input's key path.
    pub key_path: String,
    /// The input's P10.
    pub p10: f64,
    /// The input's P90.
    pub p90: f64,
    /// The outcome's mean with every input drawn.
    pub base: f64,
    /// The outcome's mean with the input fixed at its P10.
    pub at_p10: f64,
    /// The outcome's mean with the input fixed at its P90.
    pub at_p90: f64,
    /// at_p90 − at_p10.
    pub swing: f64,
    /// Spearman correlation of the input's draw with the outcome over the base futures.
    pub rank_correlation: Option<f64>,
    /// 1 for the widest |swing| of this item and outcome.
    pub rank: usize,
}

/// The experiment's inputs: the scenarios ran as `[base, input 0 at P10, input 0 at P90,
/// input 1 at P10, …]` on the same futures (`sums`, by `layout`); `rows` are the base's
/// per-future outcomes in run order and `draws[j]` input j's value in each of them.
pub struct Experiment<'a> {
    /// The base scenario.
    pub scenario: &'a Scenario,
    /// Its inputs and their (P10, P90).
    pub inputs: &'a [(Input, f64, f64)],
    /// Which outcome is where in the sums.
    pub layout: &'a OutcomeLayout,
    /// The paired sums.
    pub sums: &'a PairedSums,
    /// Per-future outcomes of the base (columns of [`super::futures::header`]).
    pub rows: &'a [FutureRow],
    /// Per input, its value in each future of `rows`.
    pub draws: &'a [Vec<f64>],
}

/// The ranked table: per item and outcome, every input, widest |swing| first (ties by key
/// path).
#[must_use]
pub fn table(e: &Experiment<'_>) -> Vec<SensitivityRow> {
    let mut out = Vec::new();
    for (i, item) in e.scenario.items.iter().enumerate() {
        for o in OUTCOMES {
            let Some(j) =
                e.layout.rows.iter().position(|(name, _, oo)| {
                    name.as_deref() == Some(item.name.as_str()) && *oo == o
                })
            else {
                continue;
            };
            let ys: Vec<f64> = e
                .rows
                .iter()
                .map(|(_, v)| per_future(o, &v[i * 5..]))
                .collect();
            let mut rows: Vec<SensitivityRow> = e
                .inputs
                .iter()
                .enumerate()
                .map(|(k, (input, p10, p90))| {
                    let at_p10 = e.sums.level(1 + 2 * k, j).mean;
                    let at_p90 = e.sums.level(2 + 2 * k, j).mean;
                    SensitivityRow {
                        item: item.name.clone(),
                        label: item.label.clone(),
                        outcome: o.key(),
                        outcome_label: o.label(),
                        probability: o.is_probability(),
                        key_path: input.path.clone(),
                        p10: *p10,
                        p90: *p90,
                        base: e.sums.level(0, j).mean,
                        at_p10,
                        at_p90,
                        swing: at_p90 - at_p10,
                        rank_correlation: spearman(&e.draws[k], &ys),
                        rank: 0,
                    }
                })
                .collect();
            rows.sort_by(|a, b| {
                b.swing
                    .abs()
                    .total_cmp(&a.swing.abs())
                    .then_with(|| a.key_path.cmp(&b.key_path))
            });
            for (r, row) in rows.iter_mut().enumerate() {
                row.rank = r + 1;
            }
            out.extend(rows);
        }
    }
    out
}

/// An outcome of one item in one future, from its five `runs.csv` columns.
fn per_future(o: Outcome, v: &[i64]) -> f64 {
    match o {
        Outcome::EndStock => v[0] as f64,
        Outcome::ZeroAtEnd => f64::from(u8::from(v[0] == 0)),
        Outcome::DaysAtZero => v[2] as f64,
        Outcome::Delivered => v[3] as f64,
        _ => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_match_closed_forms() {
        let u = Dist::uniform(0.0, 100.0).unwrap();
        assert_eq!(quantile(&u, 0.1), 10.0);
        let t = Dist::triangular(0.0, 0.0, 10.0).unwrap();
        // F(x) = 1 − (10 − x)²/100 = 0.9 at x = 10 − √10.
        assert!((quantile(&t, 0.9) - (10.0 - 10f64.sqrt())).abs() < 1e-9);
        let n = Dist::normal(0.0, 1.0, f64::NEG_INFINITY, f64::INFINITY).unwrap();
        assert!((quantile(&n, 0.9) - 1.281_551_565_545).abs() < 1e-9);
        let l = Dist::lognormal(120f64.ln(), 0.5, 1e6).unwrap();
        assert!((quantile(&l, 0.5) - 120.0).abs() < 1e-6);
        // Poisson(2): P(X ≤ 0) = 0.135, P(X ≤ 3) = 0.857, P(X ≤ 4) = 0.947.
        let p = Dist::poisson(2.0).unwrap();
        assert_eq!(quantile(&p, 0.1), 0.0);
        assert_eq!(quantile(&p, 0.9), 4.0);
        let b = Dist::bernoulli(0.3).unwrap();
        assert_eq!((quantile(&b, 0.1), quantile(&b, 0.9)), (0.0, 1.0));
        let b = Dist::bernoulli(0.05).unwrap();
        assert_eq!((quantile(&b, 0.1), quantile(&b, 0.9)), (0.0, 0.0));
    }

    #[test]
    fn spearman_uses_average_ranks() {
        assert_eq!(spearman(&[1.0, 2.0, 3.0], &[10.0, 20.0, 30.0]), Some(1.0));
        assert_eq!(spearman(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]), Some(-1.0));
        assert_eq!(spearman(&[1.0, 2.0, 3.0], &[5.0, 5.0, 5.0]), None);
        // x ranks 1, 2.5, 2.5, 4; y ranks 1, 2, 3, 4: Pearson of those.
        let r = spearman(&[1.0, 2.0, 2.0, 9.0], &[1.0, 2.0, 3.0, 4.0]).unwrap();
        assert!((r - 0.948_683_298_050_513_8).abs() < 1e-12);
    }
}

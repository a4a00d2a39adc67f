//! Exact sums over futures for a paired comparison: per scenario the sum and sum of squares of
//! each outcome, and per variant the sum and sum of squares of its difference from the first
//! scenario in the same future. All integers, so merging is exact and order-free and the result
//! is the same bits for any thread count; memory does not grow with the number of futures.

use serde::{Deserialize, Serialize};

/// z-value of a two-sided 95% normal interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// Exact running sums for `scenarios` scenarios and `outcomes` outcomes each (serialisable, for
/// the partial results of `compare --shard` and `sweep --shard`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairedSums {
    /// Futures added.
    pub n: u64,
    outcomes: usize,
    /// Per scenario and outcome: Σx and Σx².
    level: Vec<(i128, i128)>,
    /// Per variant (scenario 1…) and outcome: Σd and Σd², d = variant − first.
    diff: Vec<(i128, i128)>,
}

/// A mean with the half-width of its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    /// Mean over futures.
    pub mean: f64,
    /// Standard error of the mean.
    pub se: f64,
    /// Lower end of the 95% interval.
    pub low: f64,
    /// Upper end of the 95% interval.
    pub high: f64,
}

impl Interval {
    /// The mean and normal 95% interval from exact sums of `n` values.
    #[must_use]
    pub fn from_sums(sum: i128, sum_sq: i128, n: u64) -> Interval {
        if n == 0 {
            return Interval {
                mean: f64::NAN,
                se: f64::NAN,
                low: f64::NAN,
                high: f64::NAN,
            };
        }
        let nf = n as f64;
        let mean = sum as f64 / nf;
        // n·Σx² − (Σx)² is exact in integers while it fits; it is n(n−1) times the variance.
        let spread = i128::from(n)
            .checked_mul(sum_sq)
            .and_then(|a| sum.checked_mul(sum).and_then(|b| a.checked_sub(b)))
            .map_or_else(|| nf * sum_sq as f64 - (sum as f64).powi(2), |v| v as f64);
        let var = if n > 1 {
            (spread / (nf * (nf - 1.0))).max(0.0)
        } else {
            0.0
        };
        let se = (var / nf).sqrt();
        Interval {
            mean,
            se,
            low: mean - Z95 * se,
            high: mean + Z95 * se,
        }
    }

    /// Scales every figure (e.g. cents to dollars).
    #[must_use]
    pub fn scaled(self, k: f64) -> Interval {
        Interval {
            mean: self.mean * k,
            se: self.se * k,
            low: self.low * k,
            high: self.high * k,
        }
    }
}

/// One variant's difference from the first scenario on one outcome.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Difference {
    /// The first scenario's mean and interval.
    pub base: Interval,
    /// The variant's mean and interval.
    pub variant: Interval,
    /// The mean paired difference (variant − first) and its interval.
    pub paired: Interval,
    /// Standard error the difference would have if the futures were independent.
    pub se_independent: f64,
}

impl PairedSums {
    /// Empty sums.
    #[must_use]
    pub fn new(scenarios: usize, outcomes: usize) -> PairedSums {
        PairedSums {
            n: 0,
            outcomes,
            level: vec![(0, 0); scenarios * outcomes],
            diff: vec![(0, 0); scenarios.saturating_sub(1) * outcomes],
        }
    }

    /// Adds one future: `values[k]` are scenario k's outcomes in that future.
    pub fn add(&mut self, values: &[Vec<i64>]) {
        self.n += 1;
        let m = self.outcomes;
        for (k, v) in values.iter().enumerate() {
            for (j, &x) in v.iter().enumerate() {
                let x = i128::from(x);
                let cell = &mut self.level[k * m + j];
                cell.0 += x;
                cell.1 += x * x;
                if k > 0 {
                    let d = x - i128::from(values[0][j]);
                    let cell = &mut self.diff[(k - 1) * m + j];
                    cell.0 += d;
                    cell.1 += d * d;
                }
            }
        }
    }

    /// Whether these sums are shaped for `scenarios` scenarios of `outcomes` outcomes each.
    #[must_use]
    pub fn fits(&self, scenarios: usize, outcomes: usize) -> bool {
        self.outcomes == outcomes
            && self.level.len() == scenarios * outcomes
            && self.diff.len() == scenarios.saturating_sub(1) * outcomes
    }

    /// Outcomes per scenario.
    #[must_use]
    pub fn outcomes(&self) -> usize {
        self.outcomes
    }

    /// Adds another set of sums (exact, order-free).
    pub fn merge(&mut self, o: &PairedSums) {
        self.n += o.n;
        for (a, b) in self.level.iter_mut().zip(&o.level) {
            a.0 += b.0;
            a.1 += b.1;
        }
        for (a, b) in self.diff.iter_mut().zip(&o.diff) {
            a.0 += b.0;
            a.1 += b.1;
        }
    }

    /// The mean of outcome `j` in scenario `k`, with its own 95% interval.
    #[must_use]
    pub fn level(&self, k: usize, j: usize) -> Interval {
        let (s, q) = self.level[k * self.outcomes + j];
        Interval::from_sums(s, q, self.n)
    }

    /// The difference of variant `k` (1…) from the first scenario on outcome `j`.
    #[must_use]
    pub fn difference(&self, k: usize, j: usize) -> Difference {
        let m = self.outcomes;
        let (s0, q0) = self.level[j];
        let (sk, qk) = self.level[k * m + j];
        let (sd, qd) = self.diff[(k - 1) * m + j];
        let base = Interval::from_sums(s0, q0, self.n);
        let variant = Interval::from_sums(sk, qk, self.n);
        Difference {
            base,
            variant,
            paired: Interval::from_sums(sd, qd, self.n),
            se_independent: base.se.hypot(variant.se),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_matches_a_two_pass_computation() {
        let xs: Vec<i64> = (0..1000).map(|i| (i * 7919) % 1013 - 300).collect();
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<i64>() as f64 / n;
        let var = xs.iter().map(|&x| (x as f64 - mean).powi(2)).sum::<f64>() / (n - 1.0);
        let sum: i128 = xs.iter().map(|&x| i128::from(x)).sum();
        let sq: i128 = xs.iter().map(|&x| i128::from(x) * i128::from(x)).sum();
        let iv = Interval::from_sums(sum, sq, xs.len() as u64);
        assert!((iv.mean - mean).abs() < 1e-12);
        assert!((iv.se - (var / n).sqrt()).abs() < 1e-12);
        assert!((iv.high - iv.low - 2.0 * Z95 * iv.se).abs() < 1e-9);
    }

    #[test]
    fn a_constant_difference_has_a_zero_width_interval() {
        let mut p = PairedSums::new(2, 1);
        for x in 0..50 {
            p.add(&[vec![x], vec![x + 3]]);
        }
        let d = p.difference(1, 0);
        assert_eq!(d.paired.mean, 3.0);
        assert_eq!(d.paired.se, 0.0);
        assert!(
            d.se_independent > 1.0,
            "the levels vary, the difference does not"
        );
    }

    #[test]
    fn merging_in_any_split_gives_the_same_sums() {
        let futures: Vec<[Vec<i64>; 3]> = (0..40)
            .map(|i| [vec![i, i * i], vec![i + 1, 5], vec![-i, i * 3]])
            .collect();
        let mut whole = PairedSums::new(3, 2);
        for f in &futures {
            whole.add(f);
        }
        for cut in [0, 1, 17, 39, 40] {
            let (mut a, mut b) = (PairedSums::new(3, 2), PairedSums::new(3, 2));
            futures[..cut].iter().for_each(|f| a.add(f));
            futures[cut..].iter().for_each(|f| b.add(f));
            b.merge(&a);
            assert_eq!(b, whole);
        }
    }
}

//! Inverse cumulative distribution functions ([`Dist::quantile`]): the value below which a share
//! `u` of draws falls. The Gaussian copula draws a correlated marginal as `quantile(Φ(z))`, so
//! each marginal keeps exactly its law; the count laws invert their exact CDF by integer search.

#[cfg(any(test, feature = "internals"))]
use super::normal_upper_tail_inv;
use super::{normal_upper_tail, Dist, TruncatedNormal};
use statrs::distribution::{DiscreteCDF, NegativeBinomial, Poisson};

/// The standard normal CDF Φ(z), accurate in both tails.
#[must_use]
pub fn normal_cdf(z: f64) -> f64 {
    if z < 0.0 {
        normal_upper_tail(-z)
    } else {
        1.0 - normal_upper_tail(z)
    }
}

/// The inverse of the standard normal CDF, Φ⁻¹(p), for p in (0, 1).
#[must_use]
#[cfg(any(test, feature = "internals"))]
pub fn normal_quantile(p: f64) -> f64 {
    if p < 0.5 {
        -normal_upper_tail_inv(p)
    } else {
        normal_upper_tail_inv(1.0 - p)
    }
}

impl TruncatedNormal {
    /// The value with a share `u` (in (0, 1)) of the truncated law below it.
    #[must_use]
    pub fn quantile(&self, u: f64) -> f64 {
        self.inverse_at(u)
    }
}

impl Dist {
    /// The inverse CDF: the smallest x with P(X ≤ x) ≥ u, for u in (0, 1) (values outside are
    /// moved just inside). For the count laws and Bernoulli, a whole number.
    #[must_use]
    pub fn quantile(&self, u: f64) -> f64 {
        let u = u.clamp(f64::MIN_POSITIVE, 1.0 - f64::EPSILON / 2.0);
        match self {
            Dist::Fixed(v) => *v,
            Dist::Uniform { min, max, .. } => (min + u * (max - min)).min(*max),
            Dist::Triangular { min, mode, max, .. } => {
                let (a, c, b) = (*min, *mode, *max);
                let split = (c - a) / (b - a);
                if u <= split {
                    a + (u * (b - a) * (c - a)).sqrt()
                } else {
                    b - ((1.0 - u) * (b - a) * (b - c)).sqrt()
                }
            }
            Dist::Pert { min, max, .. } => {
                // Bisection on the closed-form CDF: 64 halvings reach the last bit of [min, max].
                let (mut lo, mut hi) = (*min, *max);
                for _ in 0..64 {
                    let mid = 0.5 * (lo + hi);
                    if mid <= lo || mid >= hi {
                        break;
                    }
                    if self.cdf(mid).unwrap_or(0.0) >= u {
                        hi = mid;
                    } else {
                        lo = mid;
                    }
                }
                hi
            }
            Dist::Normal(t) => t.quantile(u),
            Dist::LogNormal { log, hi, .. } => log.quantile(u).exp().min(*hi),
            Dist::Poisson { mean, .. } => {
                Poisson::new(*mean).map_or(*mean, |p| count_quantile(|k| p.cdf(k), u) as f64)
            }
            Dist::NegBinomial { mean, shape, .. } => {
                NegativeBinomial::new(*shape, shape / (shape + mean))
                    .map_or(*mean, |d| count_quantile(|k| d.cdf(k), u) as f64)
            }
            Dist::Bernoulli(b) => f64::from(u8::from(u > 1.0 - b.p())),
        }
    }
}

/// The smallest whole k with cdf(k) ≥ u, by doubling then bisection.
fn count_quantile(cdf: impl Fn(u64) -> f64, u: f64) -> u64 {
    if cdf(0) >= u {
        return 0;
    }
    let mut hi = 1u64;
    while cdf(hi) < u {
        if hi >= 1 << 62 {
            return hi;
        }
        hi *= 2;
    }
    let mut lo = hi / 2; // cdf(lo) < u ≤ cdf(hi)
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if cdf(mid) >= u {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quantile inverts the CDF: cdf(quantile(u)) = u for the continuous laws.
    #[test]
    fn quantile_inverts_the_cdf() {
        let laws = [
            Dist::uniform(2.0, 7.0).unwrap(),
            Dist::triangular(0.0, 3.0, 10.0).unwrap(),
            Dist::pert(0.0, 90.0, 365.0).unwrap(),
            Dist::normal(10.0, 5.0, 0.0, 3650.0).unwrap(),
            Dist::lognormal(120f64.ln(), 0.4, 1e6).unwrap(),
        ];
        for d in &laws {
            for u in [0.001, 0.1, 0.37, 0.5, 0.9, 0.999] {
                let x = d.quantile(u);
                let back = d.cdf(x).unwrap();
                assert!((back - u).abs() < 1e-9, "{d:?} at {u}: {x} gives {back}");
            }
        }
    }

    #[test]
    fn count_quantiles_are_the_smallest_whole_number_reaching_u() {
        let p = Dist::poisson(3.0).unwrap();
        // P(X ≤ 0) = e⁻³ = 0.0498, P(X ≤ 1) = 4e⁻³ = 0.199, P(X ≤ 2) = 8.5e⁻³ = 0.423.
        assert_eq!(p.quantile(0.04), 0.0);
        assert_eq!(p.quantile(0.05), 1.0);
        assert_eq!(p.quantile(0.2), 2.0);
        assert_eq!(p.quantile(0.42), 2.0);
        // Negative binomial with shape 1 is geometric: P(X ≤ k) = 1 − (m/(1+m))^(k+1).
        let nb = Dist::negative_binomial(1.0, 1.0).unwrap();
        assert_eq!(nb.quantile(0.49), 0.0);
        assert_eq!(nb.quantile(0.74), 1.0);
        assert_eq!(nb.quantile(0.76), 2.0);
        let b = Dist::bernoulli(0.3).unwrap();
        assert_eq!(b.quantile(0.69), 0.0);
        assert_eq!(b.quantile(0.71), 1.0);
    }

    #[test]
    fn normal_cdf_and_quantile_agree() {
        for z in [-6.0, -1.5, 0.0, 0.3, 2.0, 5.0] {
            assert!((normal_quantile(normal_cdf(z)) - z).abs() < 1e-9);
        }
        assert!((normal_cdf(super::super::Z90) - 0.9).abs() < 1e-9);
    }
}

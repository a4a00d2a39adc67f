//! [`TruncatedNormal`]: a normal law truncated to an interval, sampled exactly (rejection while
//! it is fast, else the inverse CDF computed in the tail where it is accurate).

use super::fmt_num;
use rand::distr::Open01;
use rand::Rng;
use rand_distr::{Distribution, Normal};

/// A normal distribution truncated to `[lo, hi]`, sampled exactly.
///
/// When the bounds keep at least half the mass, a draw is first tried by rejection (up to 64
/// tries of the plain normal, the fast path, which usually accepts at the first try); when every
/// try falls outside, or when the bounds keep less than half the mass, the draw is taken by the
/// inverse CDF of the truncated law, computed in the tail where it is accurate. Both paths give
/// the truncated law exactly, so their mixture does too: no draw ever collapses to the mean or
/// to a bound.
#[derive(Debug, Clone)]
pub struct TruncatedNormal {
    normal: Normal<f64>,
    pub(super) mean: f64,
    pub(super) sd: f64,
    pub(super) lo: f64,
    pub(super) hi: f64,
    /// How the inverse CDF is taken.
    side: Side,
    /// Start of the window on the side's probability scale.
    p0: f64,
    /// Probability mass within the bounds.
    pub(super) mass: f64,
    /// Rejection tries before the inverse CDF (0 when the mass is small).
    pub(super) tries: u32,
}

/// Which tail function the inverse CDF uses: each is accurate where its probabilities are small.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    /// Both bounds at or above the mean: the upper tail Q(z) = 1 − Φ(z).
    Upper,
    /// Both bounds at or below the mean: the lower tail Φ(z).
    Lower,
    /// The mean lies between the bounds.
    Straddle,
}

/// Upper tail of the standard normal, Q(z) = P(Z > z), accurate far into the tail.
#[must_use]
pub fn normal_upper_tail(z: f64) -> f64 {
    0.5 * statrs::function::erf::erfc(z / std::f64::consts::SQRT_2)
}

/// The z with Q(z) = q, for q in (0, 1).
#[must_use]
pub(super) fn normal_upper_tail_inv(q: f64) -> f64 {
    std::f64::consts::SQRT_2 * statrs::function::erf::erfc_inv(2.0 * q)
}

impl TruncatedNormal {
    /// The range the law is truncated to, `(lo, hi)`.
    #[must_use]
    pub fn bounds(&self) -> (f64, f64) {
        (self.lo, self.hi)
    }

    /// Normal(mean, sd) truncated to `[lo, hi]` (either bound may be infinite).
    ///
    /// # Errors
    /// When the parameters are not numbers a normal can have (sd ≤ 0, a bound NaN, lo > hi).
    pub fn new(mean: f64, sd: f64, lo: f64, hi: f64) -> Result<TruncatedNormal, String> {
        if !(mean.is_finite() && sd.is_finite() && sd > 0.0) {
            return Err(format!(
                "a normal needs a finite mean and a finite sd greater than 0, got mean = {}, sd = {}",
                fmt_num(mean),
                fmt_num(sd)
            ));
        }
        if lo.is_nan() || hi.is_nan() || lo > hi {
            return Err(format!(
                "the bounds [{}, {}] are not an interval",
                fmt_num(lo),
                fmt_num(hi)
            ));
        }
        let normal = Normal::new(mean, sd).map_err(|e| e.to_string())?;
        let (a, b) = ((lo - mean) / sd, (hi - mean) / sd);
        let (side, p0, mass) = if a >= 0.0 {
            let (qa, qb) = (normal_upper_tail(a), normal_upper_tail(b));
            (Side::Upper, qb, qa - qb)
        } else if b <= 0.0 {
            let (pa, pb) = (normal_upper_tail(-a), normal_upper_tail(-b));
            (Side::Lower, pa, pb - pa)
        } else {
            let pa = normal_upper_tail(-a);
            (Side::Straddle, pa, 1.0 - pa - normal_upper_tail(b))
        };
        Ok(TruncatedNormal {
            normal,
            mean,
            sd,
            lo,
            hi,
            side,
            p0,
            mass,
            tries: if mass >= 0.5 { 64 } else { 0 },
        })
    }

    /// The probability that the untruncated normal falls within the bounds.
    #[must_use]
    pub fn mass(&self) -> f64 {
        self.mass
    }

    /// The cumulative distribution function of the truncated law.
    #[must_use]
    pub fn cdf(&self, x: f64) -> f64 {
        if x < self.lo {
            return 0.0;
        }
        if x >= self.hi {
            return 1.0;
        }
        let z = (x - self.mean) / self.sd;
        let below = match self.side {
            // Mass between lo and x, each side measured in its accurate tail.
            Side::Upper => self.mass + self.p0 - normal_upper_tail(z),
            Side::Lower | Side::Straddle => normal_upper_tail(-z) - self.p0,
        };
        (below / self.mass).clamp(0.0, 1.0)
    }

    /// One draw.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        for _ in 0..self.tries {
            let x = self.normal.sample(rng);
            if x >= self.lo && x <= self.hi {
                return x;
            }
        }
        self.sample_inverse(rng)
    }

    /// One draw by the inverse CDF (the slow, always exact path).
    #[cold]
    #[inline(never)]
    pub(super) fn sample_inverse<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.inverse_at(rng.sample(Open01))
    }

    /// The inverse CDF of the truncated law at `u` in (0, 1).
    pub(super) fn inverse_at(&self, u: f64) -> f64 {
        let z = match self.side {
            // Q decreases: Q(b) = p0 < q ≤ Q(a).
            Side::Upper => normal_upper_tail_inv(self.p0 + u * self.mass),
            // Φ(z) = Q(−z): Φ(a) = p0 < p ≤ Φ(b).
            Side::Lower => -normal_upper_tail_inv(self.p0 + u * self.mass),
            Side::Straddle => {
                let p = self.p0 + u * self.mass;
                if p < 0.5 {
                    -normal_upper_tail_inv(p)
                } else {
                    normal_upper_tail_inv(1.0 - p)
                }
            }
        };
        // The clamp only absorbs the last bit of rounding at a bound.
        (self.mean + self.sd * z).clamp(self.lo, self.hi)
    }
}

//! [`Dist`]: the checked distributions that uncertain numbers are drawn from — their
//! constructors, draws, largest values and cumulative distribution functions.

use super::{fmt_num, poisson_count, TruncatedNormal, MAX_COUNT_MEAN};
use rand::distr::{Bernoulli, Uniform};
use rand::Rng;
use rand_distr::{Distribution, Gamma, LogNormal, Pert, Poisson, Triangular};

/// A checked probability distribution over real numbers. Build one with the constructors
/// ([`Dist::uniform`], [`Dist::normal`], …), then [`Dist::check`] it: a checked distribution
/// always samples, exactly its law, and never falls back to a default.
#[derive(Debug, Clone)]
pub enum Dist {
    /// Always this value.
    Fixed(f64),
    /// Uniform on [min, max].
    Uniform {
        /// The sampler.
        d: Uniform<f64>,
        /// Smallest value.
        min: f64,
        /// Largest value.
        max: f64,
    },
    /// Triangular(min, mode, max).
    Triangular {
        /// The sampler.
        d: Triangular<f64>,
        /// Smallest value.
        min: f64,
        /// Most likely value.
        mode: f64,
        /// Largest value.
        max: f64,
    },
    /// PERT(min, mode, max).
    Pert {
        /// The sampler.
        d: Pert<f64>,
        /// Smallest value.
        min: f64,
        /// Most likely value.
        mode: f64,
        /// Largest value.
        max: f64,
    },
    /// Normal(mean, sd) truncated to its bounds.
    Normal(TruncatedNormal),
    /// Log-normal truncated to at most `hi`: its log is a truncated normal.
    LogNormal {
        /// The untruncated log-normal (fast path).
        d: LogNormal<f64>,
        /// The log, truncated to at most ln(hi).
        log: TruncatedNormal,
        /// Upper bound.
        hi: f64,
    },
    /// Poisson(mean); 0 < mean ≤ [`MAX_COUNT_MEAN`].
    Poisson {
        /// The sampler.
        d: Poisson<f64>,
        /// Its mean.
        mean: f64,
    },
    /// Negative binomial as a Poisson–Gamma mixture: Gamma(shape, mean/shape) then Poisson.
    NegBinomial {
        /// The gamma mixing distribution.
        gamma: Gamma<f64>,
        /// Mean.
        mean: f64,
        /// Shape.
        shape: f64,
    },
    /// 1 with probability p, else 0.
    Bernoulli(Bernoulli),
}

impl Dist {
    /// Uniform on [min, max] (a single value when they are equal).
    ///
    /// # Errors
    /// When the bounds are not finite or max < min.
    pub fn uniform(min: f64, max: f64) -> Result<Dist, String> {
        bounds(min, max)?;
        if min == max {
            return Ok(Dist::Fixed(min));
        }
        let d = Uniform::new_inclusive(min, max).map_err(|e| e.to_string())?;
        Ok(Dist::Uniform { d, min, max })
    }

    /// Triangular(min, mode, max) (a single value when min = max).
    ///
    /// # Errors
    /// When the numbers are not finite or not min ≤ mode ≤ max.
    pub fn triangular(min: f64, mode: f64, max: f64) -> Result<Dist, String> {
        bounds_with_mode(min, mode, max)?;
        if min == max {
            return Ok(Dist::Fixed(min));
        }
        let d = Triangular::new(min, max, mode).map_err(|e| e.to_string())?;
        Ok(Dist::Triangular { d, min, mode, max })
    }

    /// PERT(min, mode, max) (a single value when min = max).
    ///
    /// # Errors
    /// When the numbers are not finite or not min ≤ mode ≤ max.
    pub fn pert(min: f64, mode: f64, max: f64) -> Result<Dist, String> {
        bounds_with_mode(min, mode, max)?;
        if min == max {
            return Ok(Dist::Fixed(min));
        }
        let d = Pert::new(min, max)
            .with_mode(mode)
            .map_err(|e| e.to_string())?;
        Ok(Dist::Pert { d, min, mode, max })
    }

    /// Normal(mean, sd) truncated to `[lo, hi]` (bounds may be infinite).
    ///
    /// # Errors
    /// See [`TruncatedNormal::new`].
    pub fn normal(mean: f64, sd: f64, lo: f64, hi: f64) -> Result<Dist, String> {
        TruncatedNormal::new(mean, sd, lo, hi).map(Dist::Normal)
    }

    /// Log-normal whose log is Normal(mu, sigma), truncated to at most `hi`.
    ///
    /// # Errors
    /// When mu or sigma are not finite, sigma ≤ 0, or `hi` is not above 0.
    pub fn lognormal(mu: f64, sigma: f64, hi: f64) -> Result<Dist, String> {
        if hi.is_nan() || hi <= 0.0 {
            return Err(format!(
                "a log-normal is above 0, so its upper bound must be too, got {}",
                fmt_num(hi)
            ));
        }
        let log = TruncatedNormal::new(mu, sigma, f64::NEG_INFINITY, hi.ln())?;
        let d = LogNormal::new(mu, sigma).map_err(|e| e.to_string())?;
        Ok(Dist::LogNormal { d, log, hi })
    }

    /// Poisson with this mean (the single value 0 when the mean is 0).
    ///
    /// # Errors
    /// When the mean is negative, not finite or above [`MAX_COUNT_MEAN`].
    pub fn poisson(mean: f64) -> Result<Dist, String> {
        count_mean(mean)?;
        if mean == 0.0 {
            return Ok(Dist::Fixed(0.0));
        }
        let d = Poisson::new(mean).map_err(|e| e.to_string())?;
        Ok(Dist::Poisson { d, mean })
    }

    /// Negative binomial with this mean and shape (variance = mean + mean²/shape); the single
    /// value 0 when the mean is 0.
    ///
    /// # Errors
    /// When the mean is negative or too large, or the shape is not a finite number above 0.
    pub fn negative_binomial(mean: f64, shape: f64) -> Result<Dist, String> {
        count_mean(mean)?;
        if !(shape > 0.0 && shape.is_finite()) {
            return Err(format!(
                "the shape must be a finite number greater than 0, got {}",
                fmt_num(shape)
            ));
        }
        if mean == 0.0 {
            return Ok(Dist::Fixed(0.0));
        }
        let gamma = Gamma::new(shape, mean / shape).map_err(|e| e.to_string())?;
        Ok(Dist::NegBinomial { gamma, mean, shape })
    }

    /// 1 with probability `p`, else 0.
    ///
    /// # Errors
    /// When `p` is not within [0, 1].
    pub fn bernoulli(p: f64) -> Result<Dist, String> {
        Bernoulli::new(p)
            .map(Dist::Bernoulli)
            .map_err(|_| format!("a probability must be between 0 and 1, got {}", fmt_num(p)))
    }

    /// One draw.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Dist::Fixed(v) => *v,
            Dist::Uniform { d, .. } => d.sample(rng),
            Dist::Triangular { d, .. } => d.sample(rng),
            Dist::Pert { d, .. } => d.sample(rng),
            Dist::Normal(t) => t.sample(rng),
            Dist::LogNormal { d, log, hi } => {
                // The same two paths as a truncated normal, on the log scale.
                for _ in 0..log.tries {
                    let x = d.sample(rng);
                    if x <= *hi {
                        return x;
                    }
                }
                log.sample_inverse(rng).exp().min(*hi)
            }
            Dist::Poisson { d, .. } => d.sample(rng),
            Dist::NegBinomial { gamma, .. } => poisson_count(gamma.sample(rng), rng),
            Dist::Bernoulli(d) => f64::from(u8::from(d.sample(rng))),
        }
    }

    /// The largest value a draw can take (infinite for unbounded distributions).
    #[must_use]
    pub fn upper_bound(&self) -> f64 {
        match self {
            Dist::Fixed(v) => *v,
            Dist::Uniform { max, .. } | Dist::Triangular { max, .. } | Dist::Pert { max, .. } => {
                *max
            }
            Dist::Poisson { .. } | Dist::NegBinomial { .. } => f64::INFINITY,
            Dist::Normal(t) => t.hi,
            Dist::LogNormal { hi, .. } => *hi,
            Dist::Bernoulli(_) => 1.0,
        }
    }

    /// The smallest value a draw can take (0 for a log-normal, which comes arbitrarily close).
    #[must_use]
    pub fn lower_bound(&self) -> f64 {
        match self {
            Dist::Fixed(v) => *v,
            Dist::Uniform { min, .. } | Dist::Triangular { min, .. } | Dist::Pert { min, .. } => {
                *min
            }
            Dist::Normal(t) => t.lo,
            Dist::LogNormal { .. }
            | Dist::Poisson { .. }
            | Dist::NegBinomial { .. }
            | Dist::Bernoulli(_) => 0.0,
        }
    }

    /// The cumulative distribution function P(X ≤ x), where it has a closed form (`None` for
    /// the count laws and Bernoulli, which are not used as delays).
    #[must_use]
    pub fn cdf(&self, x: f64) -> Option<f64> {
        let within = |min: f64, max: f64, f: &dyn Fn() -> f64| {
            if x < min {
                0.0
            } else if x >= max {
                1.0
            } else {
                f().clamp(0.0, 1.0)
            }
        };
        Some(match self {
            Dist::Fixed(v) => f64::from(u8::from(x >= *v)),
            Dist::Uniform { min, max, .. } => within(*min, *max, &|| (x - min) / (max - min)),
            Dist::Triangular { min, mode, max, .. } => {
                let (min, mode, max) = (*min, *mode, *max);
                within(min, max, &|| {
                    if x <= mode {
                        (x - min).powi(2) / ((max - min) * (mode - min))
                    } else {
                        1.0 - (max - x).powi(2) / ((max - min) * (max - mode))
                    }
                })
            }
            Dist::Pert { min, mode, max, .. } => {
                // rand_distr's PERT: Beta(1 + 4·(mode − min)/range, 1 + 4·(max − mode)/range).
                let range = max - min;
                let (a, b) = (
                    1.0 + 4.0 * (mode - min) / range,
                    1.0 + 4.0 * (max - mode) / range,
                );
                within(*min, *max, &|| {
                    statrs::function::beta::beta_reg(a, b, (x - min) / (max - min))
                })
            }
            Dist::Normal(t) => t.cdf(x),
            Dist::LogNormal { log, hi, .. } => {
                if x <= 0.0 {
                    0.0
                } else if x >= *hi {
                    1.0
                } else {
                    log.cdf(x.ln())
                }
            }
            Dist::Poisson { .. } | Dist::NegBinomial { .. } | Dist::Bernoulli(_) => return None,
        })
    }

    /// True when the distribution always returns the same value (no randomness is drawn).
    #[must_use]
    pub fn fixed_value(&self) -> Option<f64> {
        match self {
            Dist::Fixed(v) => Some(*v),
            _ => None,
        }
    }
}

fn bounds(min: f64, max: f64) -> Result<(), String> {
    if !(min.is_finite() && max.is_finite()) {
        return Err(format!(
            "min and max must be finite numbers, got {} and {}",
            fmt_num(min),
            fmt_num(max)
        ));
    }
    if max < min {
        return Err(format!(
            "max ({}) is less than min ({})",
            fmt_num(max),
            fmt_num(min)
        ));
    }
    Ok(())
}

fn bounds_with_mode(min: f64, mode: f64, max: f64) -> Result<(), String> {
    bounds(min, max)?;
    if !(mode >= min && mode <= max) {
        return Err(format!(
            "mode ({}) is outside [min, max] = [{}, {}]",
            fmt_num(mode),
            fmt_num(min),
            fmt_num(max)
        ));
    }
    Ok(())
}

pub(super) fn count_mean(mean: f64) -> Result<(), String> {
    if !(0.0..=MAX_COUNT_MEAN).contains(&mean) {
        return Err(format!(
            "the mean must be between 0 and {}, got {}",
            fmt_num(MAX_COUNT_MEAN),
            fmt_num(mean)
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sampling::{stream, StreamKey};

    #[test]
    fn truncated_normal_stays_in_bounds() {
        let d = Dist::normal(0.0, 10.0, 0.0, 5.0).unwrap();
        let mut r = stream(1, 1, StreamKey::new("t", "t", "t"));
        for _ in 0..10_000 {
            let x = d.sample(&mut r);
            assert!((0.0..=5.0).contains(&x));
        }
    }

    #[test]
    fn bounded_distributions_report_their_maximum() {
        assert_eq!(Dist::uniform(1.0, 2.0).unwrap().upper_bound(), 2.0);
        assert_eq!(Dist::triangular(1.0, 1.5, 2.0).unwrap().upper_bound(), 2.0);
        assert_eq!(Dist::pert(1.0, 1.5, 3.0).unwrap().upper_bound(), 3.0);
        assert_eq!(Dist::lognormal(0.0, 1.0, 50.0).unwrap().upper_bound(), 50.0);
        assert_eq!(
            Dist::normal(0.0, 1.0, -1.0, 4.0).unwrap().upper_bound(),
            4.0
        );
        assert_eq!(Dist::poisson(3.0).unwrap().upper_bound(), f64::INFINITY);
    }
}

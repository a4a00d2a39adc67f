//! [`Dist::check`]: refuses the distributions that cannot be sampled as written (a truncation
//! that keeps almost nothing, count laws whose draws could pass the Poisson sampler's limit).

use super::dist::count_mean;
use super::{fmt_num, Dist, TruncatedNormal, MIN_TRUNCATED_MASS};

impl Dist {
    /// Checks that the distribution can be sampled as written; the message says what is wrong
    /// in plain words (the caller adds the key path). Refused: a truncation that keeps less than
    /// [`MIN_TRUNCATED_MASS`] of the distribution within its bounds, and count distributions whose
    /// draws could pass the Poisson sampler's limit
    /// ([`MAX_COUNT_MEAN`](super::MAX_COUNT_MEAN)): a Poisson mean above it, or a negative
    /// binomial whose mean is above 10¹⁵ or whose mean / shape is above 10¹⁶ (then the gamma
    /// draw that sets the day's Poisson mean passes 10¹⁸ with a probability below e⁻⁹⁰).
    ///
    /// # Errors
    /// A sentence saying what cannot be sampled and why.
    pub fn check(&self) -> Result<(), String> {
        let kept = |t: &TruncatedNormal, what: String| {
            if t.mass >= MIN_TRUNCATED_MASS {
                Ok(())
            } else {
                Err(format!(
                    "only {} of {what} lies within [{}, {}]; at least {} is needed to draw from it",
                    fmt_num(t.mass),
                    fmt_num(t.lo),
                    fmt_num(t.hi),
                    fmt_num(MIN_TRUNCATED_MASS)
                ))
            }
        };
        match self {
            Dist::Fixed(v) if !v.is_finite() => Err(format!("{} is not a finite number", fmt_num(*v))),
            Dist::Normal(t) => kept(
                t,
                format!("Normal(mean = {}, sd = {})", fmt_num(t.mean), fmt_num(t.sd)),
            ),
            Dist::LogNormal { log, hi, .. } => kept(
                log,
                format!(
                    "the log of a log-normal (mu = {}, sigma = {}) truncated to at most {}",
                    fmt_num(log.mean),
                    fmt_num(log.sd),
                    fmt_num(*hi)
                ),
            )
            .map_err(|_| {
                format!(
                    "only {} of the log-normal (mu = {}, sigma = {}) lies below its largest allowed value {}; at least {} is needed to draw from it",
                    fmt_num(log.mass),
                    fmt_num(log.mean),
                    fmt_num(log.sd),
                    fmt_num(*hi),
                    fmt_num(MIN_TRUNCATED_MASS)
                )
            }),
            Dist::Poisson { mean, .. } => count_mean(*mean),
            Dist::NegBinomial { mean, shape, .. } => {
                if *mean > 1e15 {
                    Err(format!(
                        "a negative binomial mean of {} is too large to draw from; the most is 1e15",
                        fmt_num(*mean)
                    ))
                } else if mean / shape > 1e16 {
                    Err(format!(
                        "mean / shape = {} is too large to draw from (the most is 1e16): raise the shape",
                        fmt_num(mean / shape)
                    ))
                } else {
                    Ok(())
                }
            }
            _ => Ok(()),
        }
    }
}

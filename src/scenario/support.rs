//! What values a key may take (its support: days, shares, US dollars) and the range check every
//! validator uses, with the message and hint for a value outside it.

use super::doc::{At, Ctx};
use super::hints::fmt_num;
use super::MAX_USD;

/// Longest delay or lag accepted, in days (10 years).
pub(super) const MAX_DELAY_DAYS: f64 = 3_650.0;
/// Largest rate accepted, in units per day.
pub(super) const MAX_RATE_PER_DAY: f64 = 1e9;

/// What values a distribution may produce at a given key.
#[derive(Debug, Clone, Copy)]
pub(super) struct Support {
    /// Smallest allowed value.
    pub lo: f64,
    /// Largest allowed value.
    pub hi: f64,
    /// What the values are, in words.
    pub what: &'static str,
}

/// Delays and lags.
pub(super) const DELAY: Support = Support {
    lo: 0.0,
    hi: MAX_DELAY_DAYS,
    what: "days",
};
/// Ramp slips (early or late).
pub(super) const SLIP: Support = Support {
    lo: -MAX_DELAY_DAYS,
    hi: MAX_DELAY_DAYS,
    what: "days",
};
/// Shares of output.
pub(super) const SHARE: Support = Support {
    lo: 0.0,
    hi: 1.0,
    what: "a share",
};
/// Amounts of money.
pub(super) const MONEY: Support = Support {
    lo: 0.0,
    hi: MAX_USD,
    what: "US dollars",
};

/// Checks that `v` is a finite number in `[lo, hi]`.
pub(super) fn number(ctx: &mut Ctx, at: &At, v: f64, lo: f64, hi: f64, what: &str) -> Option<f64> {
    if !v.is_finite() {
        ctx.err(
            at,
            format!("{v} is not a finite number"),
            Some(format!(
                "give {what} between {} and {}",
                fmt_num(lo),
                fmt_num(hi)
            )),
        );
        return None;
    }
    if v < lo || v > hi {
        ctx.err(
            at,
            format!(
                "{} is out of range: expected {what} between {} and {}",
                fmt_num(v),
                fmt_num(lo),
                fmt_num(hi)
            ),
            None,
        );
        return None;
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::keypath::KeyPath;

    #[test]
    fn range_checks_name_the_range() {
        let mut ctx = Ctx::default();
        let at = At::path(KeyPath::root().key("x"));
        assert_eq!(
            number(&mut ctx, &at, 5.0, DELAY.lo, DELAY.hi, DELAY.what),
            Some(5.0)
        );
        assert_eq!(
            number(&mut ctx, &at, -1.0, DELAY.lo, DELAY.hi, DELAY.what),
            None
        );
        assert_eq!(number(&mut ctx, &at, f64::NAN, 0.0, 1.0, "a share"), None);
        assert_eq!(
            ctx.problems[0].message,
            "-1 is out of range: expected days between 0 and 3650"
        );
        assert_eq!(ctx.problems[1].message, "NaN is not a finite number");
        assert_eq!(
            ctx.problems[1].help.as_deref(),
            Some("give a share between 0 and 1")
        );
    }
}

//! Newtypes for the quantities the model counts: simulated days, US cents and whole units.
//!
//! Money is kept in integer cents and stock in integer units so that the conservation laws
//! (money in = spent + balance, initial + delivered − consumed = stock, …) hold exactly.

use std::fmt;

/// A day of the simulation: day 0 is the scenario's start date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Day(pub u32);

impl Day {
    /// The day as an index into per-day arrays.
    #[must_use]
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// This day plus `days` whole days, saturating.
    #[must_use]
    pub fn plus(self, days: u32) -> Day {
        Day(self.0.saturating_add(days))
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "day {}", self.0)
    }
}

/// An amount of money in US cents (signed, so that differences are representable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Cents(pub i64);

impl Cents {
    /// Zero dollars.
    pub const ZERO: Cents = Cents(0);

    /// Rounds a dollar amount to the nearest cent.
    #[must_use]
    pub fn from_usd(usd: f64) -> Cents {
        Cents((usd * 100.0).round() as i64)
    }

    /// The amount in dollars (for reporting only; never for accounting).
    #[must_use]
    pub fn as_usd(self) -> f64 {
        self.0 as f64 / 100.0
    }
}

impl std::ops::Add for Cents {
    type Output = Cents;
    fn add(self, o: Cents) -> Cents {
        Cents(self.0 + o.0)
    }
}

impl std::ops::AddAssign for Cents {
    fn add_assign(&mut self, o: Cents) {
        self.0 += o.0;
    }
}

impl std::ops::Sub for Cents {
    type Output = Cents;
    fn sub(self, o: Cents) -> Cents {
        Cents(self.0 - o.0)
    }
}

impl std::ops::SubAssign for Cents {
    fn sub_assign(&mut self, o: Cents) {
        self.0 -= o.0;
    }
}

impl fmt::Display for Cents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "${:.2}", self.as_usd())
    }
}

/// The master seed of a Monte Carlo experiment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg(any(test, feature = "internals"))]
pub struct Seed(pub u64);

/// The index of one simulated future within an experiment (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg(any(test, feature = "internals"))]
pub struct RunIndex(pub u64);

/// The resolution of every fractional quantity of units: 10⁹ steps make one unit.
pub const FIXED_SCALE: u64 = 1_000_000_000;

/// A non-negative quantity in billionths (10⁻⁹) of a unit, or a share in billionths of the whole:
/// daily production and use rates, their running fractional carries, and shares of output or
/// money.
///
/// Carries of fractional daily rates are kept in this integer fixed point so that they are
/// exact: a line at 0.1 a day makes its n-th unit on day 10·n, for every n, because ten steps of
/// 100,000,000 billionths are exactly one unit (in binary floating point, ten additions of 0.1
/// make 0.9999999999999999, and the 10th unit comes a day late).
///
/// Rounding rule: a number becomes a `Fixed` once, when the engine is set up from a scenario
/// (or when a share is drawn for a run), by rounding to the nearest billionth with ties to even
/// ([`Fixed::from_f64`]). Every rate with at most 9 decimals below about 9 million a day is
/// therefore represented exactly; 1/3 a day becomes 0.333333333. A product of two fixed-point
/// numbers (a rate times a share, a rate times a multiplier) is rounded the same way
/// ([`Fixed::times`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Fixed(pub u64);

impl Fixed {
    /// Nothing.
    pub const ZERO: Fixed = Fixed(0);
    /// One unit, or the whole of a share.
    pub const ONE: Fixed = Fixed(FIXED_SCALE);
    /// The largest value: 10⁹ units (conversions and products saturate here, so that a carry
    /// plus a rate never overflows).
    pub const MAX: Fixed = Fixed(FIXED_SCALE * FIXED_SCALE);

    /// The nearest billionth to `x`, ties to even; negative numbers and NaN give zero, and
    /// numbers above [`Fixed::MAX`] saturate.
    #[must_use]
    #[inline]
    pub fn from_f64(x: f64) -> Fixed {
        Fixed::round_billionths(x * FIXED_SCALE as f64)
    }

    /// Rounds a number already counted in billionths to the nearest whole billionth, ties to
    /// even, clamped to `[0, MAX]` (NaN gives zero). Integer operations only: no library call.
    #[must_use]
    #[inline]
    pub fn round_billionths(y: f64) -> Fixed {
        if y.is_nan() || y <= 0.0 {
            return Fixed::ZERO;
        }
        if y >= Fixed::MAX.0 as f64 {
            return Fixed::MAX;
        }
        let t = y as u64; // truncation; y < 2^60, so `frac` below is exact
        let frac = y - t as f64;
        let up = frac > 0.5 || (frac == 0.5 && t & 1 == 1);
        Fixed(t + u64::from(up))
    }

    /// The value as a floating-point number (for interpolation and reporting only).
    #[must_use]
    #[inline]
    #[cfg(any(test, feature = "internals"))]
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / FIXED_SCALE as f64
    }

    /// Whole units in it (rounded down).
    #[must_use]
    #[inline]
    pub fn whole(self) -> u64 {
        self.0 / FIXED_SCALE
    }

    /// What is left after taking out the whole units.
    #[must_use]
    #[inline]
    pub fn fraction(self) -> Fixed {
        Fixed(self.0 % FIXED_SCALE)
    }

    /// The sum, saturating at [`Fixed::MAX`].
    #[must_use]
    #[inline]
    pub fn plus(self, o: Fixed) -> Fixed {
        Fixed(self.0.saturating_add(o.0).min(Fixed::MAX.0))
    }

    /// What is left of the whole once this share is taken (`1 − self`, at least 0).
    #[must_use]
    #[inline]
    pub fn complement(self) -> Fixed {
        Fixed(FIXED_SCALE.saturating_sub(self.0))
    }

    /// The product, rounded to the nearest billionth with ties to even, saturating at
    /// [`Fixed::MAX`]. Multiplying by a share (at most [`Fixed::ONE`]) uses 64-bit integer
    /// operations only.
    #[must_use]
    #[inline]
    pub fn times(self, o: Fixed) -> Fixed {
        let (whole, frac) = (self.whole(), self.fraction().0);
        // whole · o is already in billionths; frac · o needs dividing by the scale.
        let exact = u128::from(whole) * u128::from(o.0);
        let (q, r) = if o.0 <= FIXED_SCALE {
            let p = frac * o.0; // < 10^18
            (u128::from(p / FIXED_SCALE), p % FIXED_SCALE)
        } else {
            let p = u128::from(frac) * u128::from(o.0);
            let s = u128::from(FIXED_SCALE);
            (p / s, (p % s) as u64)
        };
        let half = FIXED_SCALE / 2;
        let up = r > half || (r == half && q & 1 == 1);
        let total = exact + q + u128::from(up);
        Fixed(total.min(u128::from(Fixed::MAX.0)) as u64)
    }

    /// This share of an amount of money, rounded down to a whole cent (`amount` ≥ 0; a share
    /// above one is treated as one).
    #[must_use]
    pub fn share_of(self, amount: Cents) -> Cents {
        let share = u128::from(self.0.min(FIXED_SCALE));
        let cents = u128::try_from(amount.0).unwrap_or(0);
        // ≤ amount, so it fits back into i64.
        Cents((cents * share / u128::from(FIXED_SCALE)) as i64)
    }
}

impl fmt::Display for Fixed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:09}", self.whole(), self.fraction().0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_up_to_nine_places_are_exact() {
        assert_eq!(Fixed::from_f64(0.1), Fixed(100_000_000));
        assert_eq!(Fixed::from_f64(0.25), Fixed(250_000_000));
        assert_eq!(Fixed::from_f64(0.123_456_789), Fixed(123_456_789));
        assert_eq!(Fixed::from_f64(1_234.000_000_001), Fixed(1_234_000_000_001));
        assert_eq!(Fixed::from_f64(12.0 * 200.0 / 365.25).0, 6_570_841_889);
    }

    #[test]
    fn rounding_is_half_to_even_and_clamped() {
        assert_eq!(Fixed::round_billionths(2.5), Fixed(2));
        assert_eq!(Fixed::round_billionths(3.5), Fixed(4));
        assert_eq!(Fixed::round_billionths(3.4999), Fixed(3));
        assert_eq!(Fixed::round_billionths(3.5001), Fixed(4));
        assert_eq!(Fixed::from_f64(1.0 / 3.0), Fixed(333_333_333));
        assert_eq!(Fixed::from_f64(2.0 / 3.0), Fixed(666_666_667));
        assert_eq!(Fixed::from_f64(-1.0), Fixed::ZERO);
        assert_eq!(Fixed::from_f64(f64::NAN), Fixed::ZERO);
        assert_eq!(Fixed::from_f64(1e300), Fixed::MAX);
    }

    #[test]
    fn products_round_half_to_even() {
        let half = Fixed::from_f64(0.5);
        assert_eq!(Fixed::from_f64(0.1).times(half), Fixed(50_000_000));
        // 0.000000001 × 0.5 = 0.0000000005: a tie, rounded to the even 0.
        assert_eq!(Fixed(1).times(half), Fixed(0));
        // 0.000000003 × 0.5 = 0.0000000015: a tie, rounded to the even 0.000000002.
        assert_eq!(Fixed(3).times(half), Fixed(2));
        assert_eq!(
            Fixed::from_f64(7.0).times(Fixed::from_f64(1.5)),
            Fixed::from_f64(10.5)
        );
        assert_eq!(
            Fixed::from_f64(0.3).times(Fixed::from_f64(2.5)),
            Fixed::from_f64(0.75)
        );
        assert_eq!(Fixed::MAX.times(Fixed::from_f64(1000.0)), Fixed::MAX);
        assert_eq!(Fixed::ONE.complement(), Fixed::ZERO);
        assert_eq!(Fixed::from_f64(0.3).complement(), Fixed::from_f64(0.7));
    }

    #[test]
    fn money_shares_round_down_exactly() {
        // 100 cents × 0.29 is 28.999999999999996 in binary floating point; here it is 29.
        assert_eq!(Fixed::from_f64(0.29).share_of(Cents(100)), Cents(29));
        assert_eq!(Fixed::from_f64(1.0 / 3.0).share_of(Cents(100)), Cents(33));
        assert_eq!(Fixed::ONE.share_of(Cents(i64::MAX)), Cents(i64::MAX));
        assert_eq!(Fixed::from_f64(0.5).share_of(Cents(-5)), Cents(0));
    }

    #[test]
    fn ten_tenths_make_exactly_one() {
        let mut carry = Fixed::ZERO;
        let tenth = Fixed::from_f64(0.1);
        for day in 1..=1000u64 {
            carry = carry.plus(tenth);
            let made = carry.whole();
            carry = carry.fraction();
            assert_eq!(made, u64::from(day % 10 == 0), "day {day}");
        }
    }
}

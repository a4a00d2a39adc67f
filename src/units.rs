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
pub struct Seed(pub u64);

/// The index of one simulated future within an experiment (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RunIndex(pub u64);

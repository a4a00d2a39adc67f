//! Comparisons of scenarios on common random numbers: per-future headline outcomes
//! ([`outcomes`]) and exact, mergeable sums of their paired differences ([`paired`]), from which
//! `porcupine compare` reports differences with 95% confidence intervals; and the per-future
//! rows of `runs.csv` ([`futures`]).

pub mod comparison;
pub mod draws;
pub mod futures;
pub mod outcomes;
pub mod paired;
pub mod precision;
pub mod sensitivity;
pub mod sweep;
pub mod why;

pub use comparison::{Comparison, ComparisonRow, ScenarioInfo};
pub use outcomes::{Outcome, OutcomeLayout};
#[cfg(any(test, feature = "internals"))]
pub use paired::Difference;
pub use paired::{Interval, PairedSums};

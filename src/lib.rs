//! steel-porcupine: a discrete-event Monte Carlo simulator of defence procurement.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! TOML file ──scenario::load──▶ Scenario ──runner::run──▶ Accumulator ──report::Results──▶ files
//!             (parse, validate)             (engine × N runs,            (CSV, JSON, charts,
//!                                            rayon, streaming stats)      Markdown report)
//! ```
//!
//! [`scenario`] turns text into a checked [`scenario::Scenario`]; [`engine`] simulates one
//! future with an event queue; [`runner`] runs many futures in parallel into [`stats`]
//! accumulators; [`report`] prepares tables and series; [`output`] writes them whole or not at
//! all; [`plot`] draws charts.

#![warn(missing_docs)]

pub mod analysis;
pub mod cli;
pub mod engine;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod numbers;
pub mod output;
pub mod plot;
pub mod report;
pub mod runner;
pub mod sampling;
pub mod scenario;
pub mod shard;
pub mod stats;
pub mod text;
pub mod units;

/// Most runs one experiment may ask for.
pub const MAX_RUNS: u64 = 1_000_000_000;
/// Runs when neither the command line nor the scenario says.
pub const DEFAULT_RUNS: u64 = 1_000;
/// Seed when neither the command line nor the scenario says.
pub const DEFAULT_SEED: u64 = 42;
/// Whole trajectories kept for plotting.
pub const SAMPLE_PATHS: u64 = 20;

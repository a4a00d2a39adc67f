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

//!
//! # Using the library
//!
//! The command line is the main interface. From Rust, the same pipeline is five calls, re-exported
//! at the crate's root; the modules below are its parts, public for the tests and benchmarks.
//!
//! ```no_run
//! use std::path::Path;
//! use std::sync::atomic::AtomicBool;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let file = Path::new("scenarios/baseline.toml");
//! let scenario = porcupine::load(file)?;
//! let cfg = porcupine::RunConfig { runs: 2_000, seed: 42, threads: None, samples: 20 };
//! let stats = porcupine::run(&scenario, &cfg, &|_done| {}, &AtomicBool::new(false))?;
//! let text = std::fs::read_to_string(file)?;
//! let meta = porcupine::results_metadata("scenarios/baseline.toml", &text, cfg.seed, cfg.runs);
//! let results = porcupine::prepare(&scenario, &stats, meta);
//! for f in porcupine::render(&scenario, &results, &text)? {
//!     println!("{}: {} bytes", f.name, f.bytes.len()); // summary.json, daily.csv, charts…
//! }
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

pub use cli::results_metadata;
pub use output::{render, OutFile, OutputError};
pub use report::{prepare, Metadata, Results};
pub use runner::{run, RunConfig, RunError};
pub use scenario::{load, LoadError, Scenario};

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

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
//! `scenario` turns text into a checked [`Scenario`]; `engine` simulates one future with an
//! event queue; `runner` runs many futures in parallel into `stats` accumulators; `report`
//! prepares tables and series; `output` writes them whole or not at all; `plot` draws charts.
//!
//! # Using the library
//!
//! The command line is the main interface ([`main`] is the `porcupine` command). From Rust, the
//! same pipeline is five calls, re-exported at the crate's root: [`load`] a scenario, [`run`] its
//! futures, [`results_metadata`] and [`prepare`] the results, [`render`] them into named files.
//! These, their argument and error types and the constants below are the library's API; the
//! pipeline's modules are private (the `internals` cargo feature makes them public, for the
//! crate's own tests and benchmarks, with no promise of stability).
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
pub use stats::Accumulator;

/// Declares the pipeline's modules: private in the library (its API is the re-exports above), public
/// with the `internals` feature, which the tests and benchmarks enable to reach the parts.
macro_rules! internal_modules {
    ($($(#[$m:meta])* $name:ident),* $(,)?) => {
        $(
            $(#[$m])*
            #[cfg(feature = "internals")]
            pub mod $name;
            $(#[$m])*
            #[cfg(not(feature = "internals"))]
            mod $name;
        )*
    };
}

internal_modules! {
    /// Per-future outcomes, paired comparisons, sweeps, sensitivity and per-future draws.
    analysis,
    /// The command line: arguments, one function per subcommand, errors with exit codes.
    cli,
    /// One simulated future: the event queue and the ledgers.
    engine,
    /// How numbers, money and percentages are written for readers.
    numbers,
    /// Pure serialisers of results, and the results folder written whole or not at all.
    output,
    /// Charts from prepared series, as SVG and PNG (some of its re-exports are for the tests).
    #[cfg_attr(not(feature = "internals"), allow(unused_imports))]
    plot,
    /// Accumulators turned into prepared results.
    report,
    /// Many futures in parallel (the only user of rayon).
    runner,
    /// Distributions and keyed random streams.
    sampling,
    /// The scenario boundary: TOML text to a checked, compiled model.
    scenario,
    /// One experiment split across machines: partial results and their checks.
    shard,
    /// Streaming, exactly mergeable statistics.
    stats,
    /// Escaping of untrusted scenario text.
    text,
    /// Newtypes: days, cents, units.
    units,
}

#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;

/// The `porcupine` command: reads the process's arguments, runs the subcommand and returns its
/// exit code (0 on success; the codes are listed by `porcupine --help`).
#[must_use]
pub fn main() -> std::process::ExitCode {
    cli::main()
}

/// Most runs one experiment may ask for.
pub const MAX_RUNS: u64 = 1_000_000_000;
/// Runs when neither the command line nor the scenario says.
pub const DEFAULT_RUNS: u64 = 1_000;
/// Seed when neither the command line nor the scenario says.
pub const DEFAULT_SEED: u64 = 42;
/// Whole trajectories kept for plotting.
pub const SAMPLE_PATHS: u64 = 20;

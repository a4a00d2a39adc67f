//! The integration tests: one binary, one module per behaviour.

mod bad_input;
mod browser;
mod charts;
mod cli;
mod compare;
mod conservation;
mod determinism;
mod distributions;
mod exact;
mod format_readings;
mod fuzz_regressions;
mod hand_computed;
mod no_loss;
mod outputs;
mod reliability;
mod scenarios;
mod shard;
mod util;

//! The integration tests: one binary, one module per behaviour.

mod bad_input;
mod cli;
mod conservation;
mod determinism;
mod format_readings;
mod fuzz_regressions;
mod hand_computed;
mod outputs;
mod reliability;
mod scenarios;
mod util;

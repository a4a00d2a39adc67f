//! The integration tests: one binary, one module per behaviour.

mod bad_input;
mod bad_risk_input;
mod browser;
mod charts;
mod cli;
mod compare;
mod conservation;
mod demand_rules;
mod determinism;
mod disruptions;
mod distributions;
mod exact;
mod expansions;
mod factors;
mod format_readings;
mod fuzz_regressions;
mod hand_computed;
mod no_loss;
mod outputs;
mod reliability;
mod scenarios;
mod shard;
mod shared_lines;
mod sweep;
mod util;
mod variants;

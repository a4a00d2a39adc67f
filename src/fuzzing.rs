//! The checks run by the fuzz targets (fuzz/) and by the regression tests over the kept fuzz
//! corpus (tests/fuzz-corpus/), in one place so that both check exactly the same things.

use crate::engine::{RunRecord, Simulator, Worker};
use crate::scenario::{self, Scenario};
use crate::stats::Accumulator;
use std::path::Path;

/// Loads arbitrary bytes as a scenario and renders any error. Panics only on a bug.
pub fn check_load(data: &[u8]) -> Option<Scenario> {
    let text = std::str::from_utf8(data).ok()?;
    match scenario::from_str(text, Path::new("fuzz.toml")) {
        Ok(s) => Some(s),
        Err(e) => {
            let msg = e.to_string();
            assert!(!msg.is_empty(), "empty error message");
            None
        }
    }
}

/// Largest scenario simulated by [`check_simulate`] (item-days), to keep each input fast.
pub const MAX_FUZZ_CELLS: usize = 20_000;

/// Loads, then simulates small scenarios for a few runs and checks conservation and the
/// statistics. Panics on any violation.
pub fn check_simulate(data: &[u8]) {
    let Some(s) = check_load(data) else { return };
    if s.items.len() * s.days() > MAX_FUZZ_CELLS
        || s.funding
            .iter()
            .map(|f| f.installments.len())
            .sum::<usize>()
            > 5_000
    {
        return;
    }
    let sim = Simulator::new(&s);
    let mut w = Worker::new(&s);
    let mut acc = Accumulator::new(&s, 2);
    let mut rec = RunRecord::new(&s);
    for run in 0..3 {
        w.simulate(&sim, 7, run, &mut rec);
        let bad = rec.conservation_violations(&s);
        assert!(bad.is_empty(), "conservation violated: {bad:?}");
        acc.add_run(&rec);
    }
    for cell in &acc.daily {
        assert!(cell.moments.mean().is_finite() && cell.moments.sd().is_finite());
        assert!(cell
            .hist
            .quantiles(crate::stats::PERCENTILES)
            .iter()
            .all(|q| q.is_finite()));
    }
}

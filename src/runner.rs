//! Many futures in parallel: the only place that uses rayon.
//!
//! Runs are simulated in blocks. Within a block every run fills its own reusable record (in
//! parallel, each thread with its own reusable [`Worker`]); then the block is folded into one
//! [`Accumulator`], the daily cells in parallel over disjoint slices. Each run's randomness
//! depends only on (seed, run index) and every statistic is an integer count or sum, so the
//! result is bit-identical for any thread count, and memory is bounded by one block, not by the
//! number of runs.

use crate::engine::{RunRecord, Simulator, Worker};
use crate::scenario::Scenario;
use crate::stats::Accumulator;
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

/// How to run an experiment.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// Number of simulated futures.
    pub runs: u64,
    /// Master seed.
    pub seed: u64,
    /// Worker threads (None: one per core).
    pub threads: Option<usize>,
    /// Whole stock paths kept for plotting (runs 0..samples).
    pub samples: u64,
}

/// Why an experiment stopped early.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The thread pool could not start.
    #[error("could not start {threads} worker threads: {reason}")]
    Threads {
        /// Threads asked for.
        threads: usize,
        /// Why.
        reason: String,
    },
    /// The user interrupted the run.
    #[error("interrupted after {done} of {runs} runs; nothing was written")]
    Interrupted {
        /// Runs finished.
        done: u64,
        /// Runs asked for.
        runs: u64,
    },
}

/// Bytes one run record takes, to size blocks.
#[must_use]
pub fn record_bytes(s: &Scenario) -> usize {
    (s.items.len() + 3) * s.days() * 8 + 256
}

/// Runs the experiment. `progress` is told how many runs are done after each block; setting
/// `cancel` stops at the next block boundary.
pub fn run(
    scenario: &Scenario,
    cfg: &RunConfig,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
) -> Result<Accumulator, RunError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.threads.unwrap_or(0))
        .build()
        .map_err(|e| RunError::Threads {
            threads: cfg.threads.unwrap_or(0),
            reason: e.to_string(),
        })?;
    pool.install(|| run_in_pool(scenario, cfg, progress, cancel))
}

fn run_in_pool(
    scenario: &Scenario,
    cfg: &RunConfig,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
) -> Result<Accumulator, RunError> {
    let sim = Simulator::new(scenario);
    let threads = rayon::current_num_threads();
    let mut acc = Accumulator::new(scenario, cfg.samples);
    // Blocks of at most 32 MiB of records (and at least a few runs per thread).
    let block = (32 << 20) / record_bytes(scenario);
    let block = block.clamp(threads * 2, 1024).min(cfg.runs.max(1) as usize);
    let mut records: Vec<RunRecord> = (0..block).map(|_| RunRecord::new(scenario)).collect();
    let workers: Vec<Mutex<Worker>> = (0..threads)
        .map(|_| Mutex::new(Worker::new(scenario)))
        .collect();
    let cells = acc.daily.len();
    let chunk = (cells / (threads * 8)).max(64);
    let days = acc.days;

    let mut done = 0u64;
    while done < cfg.runs {
        if cancel.load(Ordering::Relaxed) {
            return Err(RunError::Interrupted {
                done,
                runs: cfg.runs,
            });
        }
        let n = (cfg.runs - done).min(block as u64) as usize;
        let first = done;
        records[..n]
            .par_iter_mut()
            .enumerate()
            .for_each(|(k, rec)| {
                let slot = rayon::current_thread_index().unwrap_or(0) % workers.len();
                let mut w = workers[slot].lock().unwrap_or_else(PoisonError::into_inner);
                w.simulate(&sim, cfg.seed, first + k as u64, rec);
            });
        let batch = &records[..n];
        let Accumulator { daily, safe, .. } = &mut acc;
        let safe: &[Option<u64>] = safe;
        daily
            .par_chunks_mut(chunk)
            .enumerate()
            .for_each(|(c, cells)| {
                for rec in batch {
                    Accumulator::add_daily_slice(cells, c * chunk, days, safe, rec);
                }
            });
        for rec in batch {
            acc.add_run_totals(rec);
        }
        done += n as u64;
        progress(done);
    }
    Ok(acc)
}

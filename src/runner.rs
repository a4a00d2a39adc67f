//! Many futures in parallel: the only place that uses rayon (also for drawing charts in
//! parallel, through [`parallel_map`]).
//!
//! Each worker thread owns a reusable [`Worker`], one [`RunRecord`], a [`Staged`] batch and its
//! own [`Accumulator`]: it simulates a run into the record, counts the run's totals and copies its
//! daily values into the batch while the record is still in cache, and folds a full batch into
//! its accumulator cell by cell (each cell's histogram is then fetched once per batch, not once
//! per run). At the end the per-thread accumulators are merged. Each run's
//! randomness depends only on (seed, run index) and every statistic is an integer count or sum
//! whose merge is exact and order-free, so the result is bit-identical for any thread count and
//! any scheduling; memory is bounded by one accumulator per thread, not by the number of runs.

use crate::analysis::futures::{self, FutureRow};
use crate::analysis::{OutcomeLayout, PairedSums};
use crate::engine::{RunRecord, Simulator, Worker};
use crate::scenario::Scenario;
use crate::stats::bands::{BandBuffer, StockBands};
use crate::stats::{Accumulator, Staged};
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
    /// The per-future rows could not be written.
    #[error("could not write runs.csv: {0}")]
    Sink(String),
    /// The user interrupted the run.
    #[error("interrupted after {done} of {runs} runs; nothing was written")]
    Interrupted {
        /// Runs finished.
        done: u64,
        /// Runs asked for.
        runs: u64,
    },
}

/// An upper bound of the resident memory of `porcupine run`, in bytes, with PNG charts drawn at
/// the default scale. See [`memory_bound_at`].
#[must_use]
#[cfg(any(test, feature = "internals"))]
pub fn memory_estimate(s: &Scenario, threads: usize) -> u64 {
    memory_bound_at(s, threads, 2.0)
}

/// An upper bound of the resident memory of an experiment, in bytes, that does not depend on the
/// number of runs: per thread a staged batch, one run record, a worker and an accumulator whose
/// histograms are at their hard cap ([`crate::stats::max_bytes_per_cell`]) plus one chart being
/// rasterised at `png_scale`; shared: the kept sample paths, the prepared results and the output
/// files held before they are written, and the program itself.
#[must_use]
pub fn memory_bound_at(s: &Scenario, threads: usize, png_scale: f32) -> u64 {
    let days = s.days() as u64;
    let items = s.items.len() as u64;
    let threads = threads.max(1) as u64;
    let lines = s.lines.len() as u64;
    let record = record_bytes(s);
    // Per item and day a capped cell; per item six per-run totals with their own histograms
    // and the first-below-safe counts; per day Σ money (three i128).
    let accumulator = items * days * crate::stats::max_bytes_per_cell()
        + items * (6 * crate::stats::max_bytes_per_cell() + days * 8)
        + 3 * days * 16
        + crate::stats::series::Shape::of(s).cells() as u64 * crate::stats::max_bytes_per_cell();
    // The event queue (a bucket per day) and per-line ramps and backlogs.
    let worker = days * (8 * 24 + 32) + lines * days * 16;
    // One rasterised chart per thread: an RGBA pixmap and its PNG encoding, at 1200×700 per unit
    // of scale.
    let scale = f64::from(png_scale.max(0.25));
    let chart = (1200.0 * 700.0 * 4.0 * 2.0 * scale * scale) as u64;
    let per_thread = batch_len(s) as u64 * staged_bytes(s) + record + accumulator + worker + chart;
    // Sample paths, daily rows and the CSV/SVG/HTML text of every file before writing
    // (generously 600 bytes an item-day, whatever the number of runs), and the program.
    let samples = crate::SAMPLE_PATHS * items * days * 8;
    let results = items * days * 600 + crate::SAMPLE_PATHS * items * days * 40;
    per_thread * threads + samples + results + (48 << 20)
}

/// The worker threads of an experiment (`cfg.threads`, or one per core).
fn thread_pool(cfg: &RunConfig) -> Result<rayon::ThreadPool, RunError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.threads.unwrap_or(0))
        .build()
        .map_err(|e| RunError::Threads {
            threads: cfg.threads.unwrap_or(0),
            reason: e.to_string(),
        })
}

/// Runs the experiment. `progress` is told how many runs are done after each block; setting
/// `cancel` stops every worker at its next day boundary and returns [`RunError::Interrupted`].
pub fn run(
    scenario: &Scenario,
    cfg: &RunConfig,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
) -> Result<Accumulator, RunError> {
    let pool = thread_pool(cfg)?;
    pool.install(|| run_in_pool(scenario, cfg, 0..cfg.runs, progress, cancel, None))
}

/// Whether to go on after a chunk of runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Simulate the next chunk.
    Continue,
    /// Stop here: the runs done so far are the experiment.
    Stop,
}

/// Receives the per-future rows of each chunk of runs, in run order, with the number of runs
/// done so far (see [`run_with_futures`]), and says whether to go on.
pub type FutureSink<'a> = &'a mut (dyn FnMut(&[FutureRow], u64) -> Result<Flow, String> + Send);

/// First run count at which an adaptive experiment may stop; later ones double it.
pub const FIRST_CHECKPOINT: u64 = 1_000;

/// Whether `runs` is a run count at which an adaptive experiment may stop: 1,000 × 2^k. Chunks
/// always end on these counts, so a stopping decision never depends on the thread count.
#[must_use]
pub fn is_checkpoint(runs: u64) -> bool {
    runs >= FIRST_CHECKPOINT
        && runs.is_multiple_of(FIRST_CHECKPOINT)
        && (runs / FIRST_CHECKPOINT).is_power_of_two()
}

/// Like [`run`], and also hands the outcomes of every future to `sink`, chunk by chunk in run
/// order, so they can be streamed to a file without holding them all. The sink may stop the
/// experiment early ([`Flow::Stop`]); the accumulator then holds exactly the runs done, the same
/// bits as a plain run of that many.
pub fn run_with_futures(
    scenario: &Scenario,
    cfg: &RunConfig,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
    sink: FutureSink<'_>,
) -> Result<Accumulator, RunError> {
    let pool = thread_pool(cfg)?;
    pool.install(|| run_in_pool(scenario, cfg, 0..cfg.runs, progress, cancel, Some(sink)))
}

/// Like [`run_with_futures`] (or [`run`] without a sink), for the runs `range` only (one shard
/// of an experiment, see [`crate::shard`]): run `k` is the same future as in a whole run, and
/// `progress` is told the index reached. `cfg.runs` is ignored.
pub fn run_range(
    scenario: &Scenario,
    cfg: &RunConfig,
    range: std::ops::Range<u64>,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
    sink: Option<FutureSink<'_>>,
) -> Result<Accumulator, RunError> {
    let pool = thread_pool(cfg)?;
    pool.install(|| run_in_pool(scenario, cfg, range, progress, cancel, sink))
}

fn run_in_pool(
    scenario: &Scenario,
    cfg: &RunConfig,
    range: std::ops::Range<u64>,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
    mut sink: Option<FutureSink<'_>>,
) -> Result<Accumulator, RunError> {
    let collect = sink.is_some();
    let sim = Simulator::new(scenario);
    let threads = rayon::current_num_threads();
    let slots: Vec<Mutex<Slot>> = (0..threads)
        .map(|_| {
            let acc = Accumulator::new(scenario, cfg.samples);
            Mutex::new(Slot {
                worker: Worker::new(scenario),
                record: RunRecord::new(scenario),
                staged: Staged::new(&acc, batch_len(scenario)),
                acc,
                rows: Vec::new(),
            })
        })
        .collect();
    // Progress is reported, and Ctrl-C noticed, between chunks of runs.
    let chunk = (threads as u64 * 256).max(1024);
    let mut done = range.start;
    while done < range.end {
        if cancel.load(Ordering::Relaxed) {
            return Err(RunError::Interrupted {
                done: done - range.start,
                runs: range.end - range.start,
            });
        }
        let next_checkpoint = if done < FIRST_CHECKPOINT {
            FIRST_CHECKPOINT
        } else {
            (done / FIRST_CHECKPOINT + 1).next_power_of_two() * FIRST_CHECKPOINT
        };
        let end = (done + chunk).min(range.end).min(next_checkpoint);
        (done..end).into_par_iter().for_each(|run| {
            if cancel.load(Ordering::Relaxed) {
                return; // the experiment is abandoned: skip quickly to the chunk's end
            }
            let slot = rayon::current_thread_index().unwrap_or(0) % slots.len();
            let mut guard = slots[slot].lock().unwrap_or_else(PoisonError::into_inner);
            let Slot {
                worker,
                record,
                staged,
                acc,
                rows,
            } = &mut *guard;
            if !worker.simulate_cancellable(&sim, cfg.seed, run, record, cancel) {
                return;
            }
            if collect {
                let mut v = Vec::new();
                futures::extract(scenario, record, &mut v);
                rows.push((run, v));
            }
            acc.stage(staged, record);
        });
        if let Some(sink) = sink.as_mut() {
            let mut rows: Vec<FutureRow> = Vec::new();
            for slot in &slots {
                rows.append(&mut slot.lock().unwrap_or_else(PoisonError::into_inner).rows);
            }
            rows.sort_unstable_by_key(|r| r.0);
            let flow = sink(&rows, end).map_err(RunError::Sink)?;
            done = end;
            progress(done);
            if flow == Flow::Stop && !cancel.load(Ordering::Relaxed) {
                break;
            }
            continue;
        }
        done = end;
        progress(done);
    }
    if cancel.load(Ordering::Relaxed) {
        // Runs of the last chunk may have been skipped.
        return Err(RunError::Interrupted {
            done: done - range.start,
            runs: range.end - range.start,
        });
    }
    // Each thread folds what it has staged (a pass over all its histograms, so in parallel),
    // then the accumulators are merged into the first thread's rather than a fresh one: one
    // copy less in memory.
    let mut slots: Vec<Slot> = slots
        .into_iter()
        .map(|s| s.into_inner().unwrap_or_else(PoisonError::into_inner))
        .collect();
    slots.par_iter_mut().for_each(|slot| {
        slot.acc.fold(&mut slot.staged);
        slot.staged = Staged::empty();
    });
    let mut total: Option<Accumulator> = None;
    for slot in slots {
        match &mut total {
            None => total = Some(slot.acc),
            Some(t) => t.merge(&slot.acc),
        }
    }
    Ok(total.unwrap_or_else(|| Accumulator::new(scenario, cfg.samples)))
}

/// Bytes of staged runs a thread holds before folding them into its accumulator.
const BATCH_BYTES: u64 = 16 << 20;

/// Runs staged before they are folded into a thread's accumulator: as many as fit in
/// [`BATCH_BYTES`], between 32 and 256. Each daily cell's histogram is then fetched from memory
/// once per batch rather than once per run; on the benchmark scenario going from 32 to about 240
/// runs a batch made the statistics a third cheaper (fewer cache misses).
fn batch_len(s: &Scenario) -> usize {
    (BATCH_BYTES / staged_bytes(s)).clamp(32, 256) as usize
}

/// Bytes one staged run takes: its daily stock and its series values.
fn staged_bytes(s: &Scenario) -> u64 {
    let cells = s.items.len() * s.days() + crate::stats::series::Shape::of(s).cells();
    8 * cells as u64
}

/// An upper bound of one run record's bytes.
fn record_bytes(s: &Scenario) -> u64 {
    let (days, items, lines) = (s.days() as u64, s.items.len() as u64, s.lines.len() as u64);
    (items + 3) * days * 8
        + 1024 * (items + lines + 8)
        + crate::stats::series::Shape::of(s).record_bytes()
}

/// What one worker thread owns.
struct Slot {
    worker: Worker,
    /// The record each run is simulated into, staged into `staged` as soon as it ends.
    record: RunRecord,
    staged: Staged,
    acc: Accumulator,
    /// Per-future rows of the current chunk (only when they are asked for).
    rows: Vec<FutureRow>,
}

/// What one worker thread owns in a paired comparison: per scenario a worker, a record and an
/// outcome buffer, and the thread's sums.
struct PairedSlot {
    workers: Vec<Worker>,
    records: Vec<RunRecord>,
    values: Vec<Vec<i64>>,
    sums: PairedSums,
    bands: Option<BandBuffer>,
}

/// What a paired run gives: the exact paired sums and, when asked for (`compare`), every
/// scenario's daily stock distribution of the compared items.
#[derive(Debug, Clone)]
pub struct PairedRun {
    /// Exact sums of the outcomes and their paired differences.
    pub sums: PairedSums,
    /// Daily stock per scenario and compared item.
    pub bands: Option<StockBands>,
}

/// Runs every scenario on the same futures (common random numbers: run k of each scenario uses
/// the same seed and run index, so the parts they share draw the same numbers) and accumulates
/// the outcomes of `layout` and their paired differences from the first scenario. Run k of every
/// scenario is simulated in the same worker step, so memory stays flat; the sums are exact
/// integers, so the result is the same bits for any thread count. With `bands`, each scenario's
/// daily stock of the compared items is kept too (exact histograms, the same for any thread
/// count).
pub fn run_paired(
    scenarios: &[&Scenario],
    layout: &OutcomeLayout,
    cfg: &RunConfig,
    bands: bool,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
) -> Result<PairedRun, RunError> {
    run_paired_range(
        scenarios,
        layout,
        cfg,
        (0..cfg.runs, bands),
        progress,
        cancel,
    )
}

/// [`run_paired`] for the runs of `range` only (a shard of a paired experiment): `progress`
/// receives the index one past the last run done.
pub fn run_paired_range(
    scenarios: &[&Scenario],
    layout: &OutcomeLayout,
    cfg: &RunConfig,
    (range, bands): (std::ops::Range<u64>, bool),
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
) -> Result<PairedRun, RunError> {
    let pool = thread_pool(cfg)?;
    let days: Vec<usize> = scenarios.iter().map(|s| s.days()).collect();
    let buffer = || {
        bands.then(|| {
            let items = (0..scenarios.len()).map(|k| layout.item_indices(k));
            BandBuffer::new(items.collect(), &days)
        })
    };
    pool.install(|| {
        let sims: Vec<Simulator<'_>> = scenarios.iter().map(|s| Simulator::new(s)).collect();
        let threads = rayon::current_num_threads();
        let slots: Vec<Mutex<PairedSlot>> = (0..threads)
            .map(|_| {
                Mutex::new(PairedSlot {
                    workers: scenarios.iter().map(|s| Worker::new(s)).collect(),
                    records: scenarios.iter().map(|s| RunRecord::new(s)).collect(),
                    values: vec![Vec::with_capacity(layout.len()); scenarios.len()],
                    sums: PairedSums::new(scenarios.len(), layout.len()),
                    bands: buffer(),
                })
            })
            .collect();
        let chunk = (threads as u64 * 64).max(256);
        let mut done = range.start;
        while done < range.end {
            if cancel.load(Ordering::Relaxed) {
                return Err(RunError::Interrupted {
                    done: done - range.start,
                    runs: range.end - range.start,
                });
            }
            let end = (done + chunk).min(range.end);
            (done..end).into_par_iter().for_each(|run| {
                let slot = rayon::current_thread_index().unwrap_or(0) % slots.len();
                let mut guard = slots[slot].lock().unwrap_or_else(PoisonError::into_inner);
                let PairedSlot {
                    workers,
                    records,
                    values,
                    sums,
                    bands,
                } = &mut *guard;
                for (k, s) in scenarios.iter().enumerate() {
                    if !workers[k].simulate_cancellable(
                        &sims[k],
                        cfg.seed,
                        run,
                        &mut records[k],
                        cancel,
                    ) {
                        return;
                    }
                    layout.extract(k, s, &records[k], &mut values[k]);
                }
                sums.add(values);
                if let Some(b) = bands {
                    for (k, rec) in records.iter().enumerate() {
                        b.keep(k, |i| rec.stock_of(i, days[k]));
                    }
                    b.next();
                }
            });
            done = end;
            progress(done);
        }
        if cancel.load(Ordering::Relaxed) {
            // Runs of the last chunk may have been skipped.
            return Err(RunError::Interrupted {
                done: done - range.start,
                runs: range.end - range.start,
            });
        }
        let mut total = PairedRun {
            sums: PairedSums::new(scenarios.len(), layout.len()),
            bands: None,
        };
        for slot in slots {
            let slot = slot.into_inner().unwrap_or_else(PoisonError::into_inner);
            total.sums.merge(&slot.sums);
            match (&mut total.bands, slot.bands.map(BandBuffer::finish)) {
                (Some(t), Some(b)) => t.merge(&b),
                (t, b) => *t = t.take().or(b),
            }
        }
        Ok(total)
    })
}

/// Applies `f` to every item on the global thread pool, keeping the input order; the first
/// error wins. Used to draw charts in parallel.
pub fn parallel_map<T: Sync, U: Send, E: Send>(
    items: &[T],
    f: impl Fn(&T) -> Result<U, E> + Sync + Send,
) -> Result<Vec<U>, E> {
    items.par_iter().map(f).collect()
}

//! Streaming statistics over many runs: mergeable accumulators whose merge is exact and
//! order-free (integer counts and sums), so memory does not grow with the number of runs and
//! the same runs give the same bits whatever the thread count.

pub mod bands;
pub mod histogram;
mod moments;
pub mod risk;
pub mod series;
mod sums;

#[cfg(any(test, feature = "internals"))]
pub use histogram::MAX_RELATIVE_ERROR;
pub use histogram::{LogHistogram, MAX_COUNTERS_PER_CELL, RELATIVE_ERROR};
pub use moments::Moments;
pub use sums::{
    ChannelSums, ContractSums, EventTotals, ExpansionSums, FundingSums, ItemTotals, LineSums,
    Merge, Tally,
};

use crate::engine::RunRecord;
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};

/// The percentiles reported everywhere.
pub const PERCENTILES: [f64; 5] = [0.05, 0.25, 0.50, 0.75, 0.95];

/// The most memory one [`DailyCell`] can take, in bytes, whatever the values: the cell itself
/// plus a full histogram window of [`MAX_COUNTERS_PER_CELL`] buckets. The same bound holds for
/// a [`TotalDist`].
#[must_use]
pub fn max_bytes_per_cell() -> u64 {
    (std::mem::size_of::<DailyCell>() + MAX_COUNTERS_PER_CELL * LogHistogram::bytes_per_counter())
        as u64
}

/// Statistics of one item on one day across runs.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DailyCell {
    /// Mean and spread of closing stock.
    pub moments: Moments,
    /// Distribution of closing stock.
    pub hist: LogHistogram,
    /// Runs below the safe stock.
    pub below_safe: u64,
    /// Runs at zero.
    pub zero: u64,
}

impl DailyCell {
    /// Counts one run's closing stock.
    #[inline]
    pub fn add(&mut self, stock: u64, safe: Option<u64>) {
        self.moments.add(stock);
        self.hist.add(stock);
        self.below_safe += u64::from(safe.is_some_and(|s| stock < s));
        self.zero += u64::from(stock == 0);
    }

    /// Counts the closing stock of several runs (as many [`DailyCell::add`]).
    #[inline]
    pub fn add_all(&mut self, stocks: &[u64], safe: Option<u64>) {
        self.moments.add_all(stocks);
        self.hist.add_all(stocks);
        if let Some(s) = safe {
            self.below_safe += stocks.iter().filter(|&&v| v < s).count() as u64;
        }
        self.zero += stocks.iter().filter(|&&v| v == 0).count() as u64;
    }

    /// Adds another cell (exact).
    pub fn merge(&mut self, o: &DailyCell) {
        self.moments.merge(&o.moments);
        self.hist.merge(&o.hist);
        self.below_safe += o.below_safe;
        self.zero += o.zero;
    }
}

/// A distribution of a per-run total: exact moments plus a histogram for percentiles.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TotalDist {
    /// Mean and spread.
    pub moments: Moments,
    /// Percentiles.
    pub hist: LogHistogram,
}

impl TotalDist {
    /// Counts one value.
    pub fn add(&mut self, v: u64) {
        self.moments.add(v);
        self.hist.add(v);
    }

    /// Counts every value of `values` (as many [`TotalDist::add`]).
    #[inline]
    pub fn add_all(&mut self, values: &[u64]) {
        self.moments.add_all(values);
        self.hist.add_all(values);
    }

    /// Adds another.
    pub fn merge(&mut self, o: &TotalDist) {
        self.moments.merge(&o.moments);
        self.hist.merge(&o.hist);
    }
}

/// Runs whose daily stock and series values wait to be folded into an [`Accumulator`]'s cells,
/// stored cell by cell so that a cell's values of the whole batch are read side by side. Each
/// run is copied in as it ends, while its record is still in cache, so one record per thread is
/// enough.
#[derive(Debug, Clone)]
pub struct Staged {
    capacity: usize,
    filled: usize,
    stock: CellMajor,
    series: CellMajor,
}

impl Staged {
    /// A batch with no room (for a thread done with its runs, to hand its memory back).
    #[must_use]
    pub fn empty() -> Staged {
        Staged {
            capacity: 1,
            filled: 0,
            stock: CellMajor::new(0, 1),
            series: CellMajor::new(0, 1),
        }
    }

    /// Room for `capacity` runs of the scenario of `acc`.
    #[must_use]
    pub fn new(acc: &Accumulator, capacity: usize) -> Staged {
        let capacity = capacity.max(1);
        Staged {
            capacity,
            filled: 0,
            stock: CellMajor::new(acc.daily.len(), capacity),
            series: CellMajor::new(acc.series.cells.len(), capacity),
        }
    }
}

/// Cells per block of a [`CellMajor`] area.
const CELLS_PER_BLOCK: usize = 32;

/// Runs gathered run by run before they are moved into a [`CellMajor`] area: a cache line of
/// `u64`, so each cell's slots of a tile are written in one line.
const TILE: usize = 8;

/// `capacity` values of each of a number of cells, cell by cell, in blocks of
/// [`CELLS_PER_BLOCK`] cells. A block is at most 64 KiB (256 runs), small enough for the
/// allocator to take it from its heap and reuse it for the results once the runs are done
/// (one large area would be handed back to the system and leave the results to grow the heap).
///
/// Runs arrive one at a time with a value for every cell. Written straight into place, each
/// value would land on a different cache line (a cell's slots are `capacity` values apart), a
/// miss per value. So runs are first gathered in a small run-major *tile* of [`TILE`] runs,
/// written in order, and each full tile is moved into place cell by cell: [`TILE`] slots of a
/// cell, side by side, per move.
#[derive(Debug, Clone)]
struct CellMajor {
    capacity: usize,
    cells: usize,
    blocks: Vec<Box<[u64]>>,
    /// Runs `placed..placed + tiled` of the batch, run by run: `tile[j * cells + k]` is cell
    /// `k` of the tile's run `j`.
    tile: Box<[u64]>,
    tiled: usize,
    /// Runs already moved into `blocks`.
    placed: usize,
}

impl CellMajor {
    fn new(cells: usize, capacity: usize) -> CellMajor {
        let blocks = (0..cells)
            .step_by(CELLS_PER_BLOCK)
            .map(|first| {
                vec![0; (cells - first).min(CELLS_PER_BLOCK) * capacity].into_boxed_slice()
            })
            .collect();
        CellMajor {
            capacity,
            cells,
            blocks,
            tile: vec![0; cells * TILE.min(capacity)].into_boxed_slice(),
            tiled: 0,
            placed: 0,
        }
    }

    /// Adds the next run: its value of every cell, in cell order.
    #[inline]
    fn put(&mut self, values: impl Iterator<Item = u64>) {
        let row = self.tiled * self.cells;
        for (slot, v) in self.tile[row..row + self.cells].iter_mut().zip(values) {
            *slot = v;
        }
        self.tiled += 1;
        if self.tiled * self.cells == self.tile.len() {
            self.place();
        }
    }

    /// Moves the tile's runs into place.
    fn place(&mut self) {
        let (t, at, cells) = (self.tiled, self.placed, self.cells);
        if t == 0 {
            return;
        }
        let mut k = 0;
        for block in &mut self.blocks {
            for cell in block.chunks_exact_mut(self.capacity) {
                for (j, slot) in cell[at..at + t].iter_mut().enumerate() {
                    *slot = self.tile[j * cells + k];
                }
                k += 1;
            }
        }
        self.placed += t;
        self.tiled = 0;
    }

    /// Every cell's slots of the runs added, in cell order.
    fn cells(&mut self) -> impl Iterator<Item = &[u64]> {
        self.place();
        let (n, capacity) = (self.placed, self.capacity);
        self.blocks
            .iter()
            .flat_map(move |b| b.chunks_exact(capacity).map(move |c| &c[..n]))
    }

    /// Empties the area (its memory is kept).
    fn clear(&mut self) {
        self.tiled = 0;
        self.placed = 0;
    }
}

/// How many cells ahead the fold reads a histogram's window into cache (a thread's histograms
/// of bench-canonical hold about 2.3 million buckets, 18 MB: far more than a core's own cache,
/// so each window is fetched again for every batch; reading it two cells ahead lets those
/// fetches overlap the counting of the cells before).
const AHEAD: usize = 2;

/// Everything kept across runs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Accumulator {
    /// Days per item (horizon + 1).
    pub days: usize,
    /// Safe stock per item.
    pub safe: Vec<Option<u64>>,
    /// Item-major daily cells: `daily[item * days + day]`, the same layout as `RunRecord::stock`.
    pub daily: Vec<DailyCell>,
    /// Σ over runs of cents pledged, paid and spent per day.
    pub money_per_day: [Vec<i128>; 3],
    /// Per-item totals.
    pub items: Vec<ItemTotals>,
    /// Per funding source: pledged, paid, defaulted, in flight.
    pub funding: Vec<FundingSums>,
    /// Per channel: received, spent, balance.
    pub channels: Vec<ChannelSums>,
    /// Per line sums.
    pub lines: Vec<LineSums>,
    /// Per capacity project, line by line in file order.
    pub expansions: Vec<ExpansionSums>,
    /// The line of each customer ledger of a run record.
    customer_line: Vec<usize>,
    /// Per disruption event.
    pub events: Vec<EventTotals>,
    /// First day at zero, use and windows per item (risk measures).
    pub risk: risk::RiskCounts,
    /// Per contract.
    #[serde(default)]
    pub contracts: Vec<ContractSums>,
    /// Runs counted.
    pub runs: u64,
    /// How many whole trajectories to keep.
    pub sample_limit: u64,
    /// Kept trajectories: (run index, item-major stock).
    pub samples: Vec<(u64, Vec<u64>)>,
    /// Supply and money over time.
    pub series: series::SeriesStats,
}

impl Accumulator {
    /// An empty accumulator for a scenario, keeping the stock paths of runs `0..sample_limit`.
    #[must_use]
    pub fn new(s: &Scenario, sample_limit: u64) -> Accumulator {
        let days = s.days();
        Accumulator {
            days,
            safe: s.items.iter().map(|i| i.safe_stock).collect(),
            daily: vec![DailyCell::default(); s.items.len() * days],
            money_per_day: [vec![0; days], vec![0; days], vec![0; days]],
            items: vec![
                ItemTotals {
                    first_below_safe: vec![0; days],
                    ..ItemTotals::default()
                };
                s.items.len()
            ],
            funding: vec![FundingSums::default(); s.funding.len()],
            channels: vec![ChannelSums::default(); s.channels.len()],
            lines: vec![LineSums::default(); s.lines.len()],
            expansions: vec![
                ExpansionSums {
                    done_on: vec![0; days],
                    ..ExpansionSums::default()
                };
                s.lines.iter().map(|l| l.expansions.len()).sum()
            ],
            customer_line: s
                .lines
                .iter()
                .enumerate()
                .flat_map(|(n, l)| std::iter::repeat_n(n, l.customers.len()))
                .collect(),
            events: vec![EventTotals::default(); s.events.len()],
            risk: risk::RiskCounts::new(s),
            contracts: vec![ContractSums::default(); s.contracts.len()],
            runs: 0,
            sample_limit,
            samples: Vec::new(),
            series: series::SeriesStats::new(s),
        }
    }

    /// Adds everything of one run except the daily and series cells.
    fn add_run_totals(&mut self, rec: &RunRecord) {
        self.runs += 1;
        for (acc, flows) in self
            .money_per_day
            .iter_mut()
            .zip([&rec.pledged, &rec.paid, &rec.spent])
        {
            for (a, &f) in acc.iter_mut().zip(flows.iter()) {
                *a += i128::from(f);
            }
        }
        for (t, l) in self.items.iter_mut().zip(&rec.items) {
            t.add(l);
        }
        for (t, f) in self.funding.iter_mut().zip(&rec.funding) {
            t.add(f);
        }
        for (t, c) in self.channels.iter_mut().zip(&rec.channels) {
            t.add(c);
        }
        for (t, c) in self.contracts.iter_mut().zip(&rec.contracts) {
            t.add(c);
        }
        for (t, l) in self.lines.iter_mut().zip(&rec.lines) {
            t.add(l);
        }
        for (&n, c) in self.customer_line.iter().zip(&rec.customers) {
            self.lines[n].add_customer(c);
        }
        for (t, e) in self.expansions.iter_mut().zip(&rec.expansions) {
            t.add(e);
        }
        for (t, e) in self.events.iter_mut().zip(&rec.events) {
            t.add(e);
        }
        self.risk.add(rec, self.days);
        if rec.run < self.sample_limit {
            let pos = self.samples.partition_point(|(r, _)| *r < rec.run);
            self.samples.insert(pos, (rec.run, rec.stock.clone()));
        }
    }

    /// Adds one whole run.
    pub fn add_run(&mut self, rec: &RunRecord) {
        self.add_runs(std::slice::from_ref(rec));
    }

    /// Adds several runs (through a [`Staged`] batch of their size).
    pub fn add_runs(&mut self, batch: &[RunRecord]) {
        let mut staged = Staged::new(self, batch.len());
        for rec in batch {
            self.stage(&mut staged, rec);
        }
        self.fold(&mut staged);
    }

    /// Counts a run's totals now and keeps its daily and series values in `staged`, folding
    /// the batch into the cells once it is full. The run's record can then be reused at once.
    pub fn stage(&mut self, staged: &mut Staged, rec: &RunRecord) {
        self.add_run_totals(rec);
        let n = staged.capacity;
        staged.stock.put(rec.stock.iter().copied());
        staged.series.put(self.series.flows(&rec.series.values));
        staged.filled += 1;
        if staged.filled == n {
            self.fold(staged);
        }
    }

    /// Folds the staged runs into the daily and series cells, cell by cell (each cell's
    /// histogram is fetched from memory once per batch, and the batch's values of a cell lie
    /// side by side), and empties `staged`.
    pub fn fold(&mut self, staged: &mut Staged) {
        if staged.filled == 0 {
            return;
        }
        let days = self.days;
        let mut warm = 0u32;
        let daily = &mut self.daily;
        for (k, values) in staged.stock.cells().enumerate() {
            if let Some(next) = daily.get(k + AHEAD) {
                warm = warm.wrapping_add(next.hist.touch());
            }
            daily[k].add_all(values, self.safe[k / days]);
        }
        let cells = &mut self.series.cells;
        for (k, values) in staged.series.cells().enumerate() {
            if let Some(next) = cells.get(k + AHEAD) {
                warm = warm.wrapping_add(next.hist.touch());
            }
            cells[k].add_all(values);
        }
        std::hint::black_box(warm);
        staged.stock.clear();
        staged.series.clear();
        staged.filled = 0;
    }

    /// Adds another accumulator (exact and order-free).
    pub fn merge(&mut self, o: &Accumulator) {
        for (a, b) in self.daily.iter_mut().zip(&o.daily) {
            a.merge(b);
        }
        for (a, b) in self.money_per_day.iter_mut().zip(&o.money_per_day) {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
        self.items.merge(&o.items);
        self.funding.merge(&o.funding);
        self.channels.merge(&o.channels);
        self.contracts.merge(&o.contracts);
        self.expansions.merge(&o.expansions);
        self.lines.merge(&o.lines);
        self.events.merge(&o.events);
        self.series.merge(&o.series);
        self.risk.merge(&o.risk);
        self.runs += o.runs;
        for s in &o.samples {
            let pos = self.samples.partition_point(|(r, _)| *r < s.0);
            self.samples.insert(pos, s.clone());
        }
        self.samples.truncate(self.sample_limit as usize);
    }
}

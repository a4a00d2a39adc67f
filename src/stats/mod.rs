//! Streaming statistics over many runs: mergeable accumulators whose merge is exact and
//! order-free (integer counts and sums), so memory does not grow with the number of runs and
//! the same runs give the same bits whatever the thread count.

pub mod bands;
pub mod histogram;
mod moments;
pub mod risk;
pub mod series;

pub use histogram::{LogHistogram, MAX_COUNTERS_PER_CELL, MAX_RELATIVE_ERROR, RELATIVE_ERROR};
pub use moments::Moments;

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

/// Per-item totals across runs.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ItemTotals {
    /// Stock at the horizon.
    pub end_stock: TotalDist,
    /// Units ordered.
    pub ordered: TotalDist,
    /// Units delivered.
    pub delivered: TotalDist,
    /// Units wanted but not in stock.
    pub unmet: TotalDist,
    /// Days below safe stock.
    pub days_below_safe: TotalDist,
    /// Days with unmet demand.
    pub days_short: TotalDist,
    /// Runs whose stock first fell below safe stock on each day.
    pub first_below_safe: Vec<u64>,
    /// Runs whose stock never fell below safe stock.
    pub never_below_safe: u64,
    /// Runs with at least one day of unmet demand.
    pub runs_short: u64,
    /// Σ cents of the price of delivered units (see `ItemLedger::delivered_cost`).
    #[serde(default)]
    pub delivered_cost: i128,
    /// Σ units delivered.
    #[serde(default)]
    pub delivered_units: u128,
    /// Units of its demand covered by substitutes.
    #[serde(default)]
    pub substituted: TotalDist,
    /// Units of it used in place of other items' missing units.
    #[serde(default)]
    pub used_as_substitute: TotalDist,
}

/// Declares the exact cross-run sums of a per-run ledger once: the struct (each field the sum of
/// the ledger's field of the same name), adding one run's ledger, and the exact merge.
macro_rules! ledger_sums {
    ($(#[$m:meta])* $name:ident of $ledger:ty { $($(#[$fm:meta])* $field:ident: $ty:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
        pub struct $name {
            $($(#[$fm])* pub $field: $ty,)*
        }

        impl $name {
            /// Adds one run's ledger.
            #[inline]
            pub fn add(&mut self, l: &$ledger) {
                $(self.$field += <$ty>::from(l.$field);)*
            }

            /// Adds another's sums (exact and order-free).
            pub fn merge(&mut self, o: &$name) {
                $(self.$field += o.$field;)*
            }
        }
    };
}

ledger_sums! {
    /// Exact sums of a funding source's ledger across runs, in cents.
    FundingSums of crate::engine::FundingLedger {
        /// Σ pledged.
        pledged: i128,
        /// Σ paid.
        paid: i128,
        /// Σ never paid.
        defaulted: i128,
        /// Σ still in flight at the horizon.
        in_flight: i128,
    }
}

ledger_sums! {
    /// Exact sums of a channel's ledger across runs, in cents.
    ChannelSums of crate::engine::ChannelLedger {
        /// Σ received.
        received: i128,
        /// Σ spent.
        spent: i128,
        /// Σ unspent at the horizon.
        balance: i128,
        /// Σ paid for capacity projects that succeeded or are not done.
        capacity: i128,
        /// Σ paid for capacity projects that failed.
        lost: i128,
        /// Σ set aside for open orders and contracts at the horizon, not yet paid.
        #[serde(default)]
        committed: i128,
    }
}

/// Exact sums of line ledgers across runs, in units.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineSums {
    /// Σ ordered.
    pub ordered: u128,
    /// Σ produced.
    pub produced: u128,
    /// Σ defective.
    pub defective: u128,
    /// Σ delivered.
    pub delivered: u128,
    /// Σ lost.
    pub lost: u128,
    /// Σ backlog + pending at the horizon.
    pub backlog: u128,
    /// Σ in transit at the horizon.
    pub in_transit: u128,
    /// Σ released from the seller's stock.
    pub released: u128,
    /// Σ made for the line's other buyers.
    pub others_delivered: u128,
    /// Σ the other buyers wait for at the horizon.
    pub others_backlog: u128,
}

/// Counts of one capacity project's outcomes across runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpansionSums {
    /// Runs in which it was paid for.
    pub funded: u64,
    /// Runs in which it succeeded / failed by the horizon.
    pub succeeded: u64,
    /// Runs in which it failed by the horizon.
    pub failed: u64,
    /// Σ cents paid.
    pub paid: i128,
    /// Runs whose project was done on each day (succeeded or failed).
    pub done_on: Vec<u64>,
}

ledger_sums! {
    /// Exact sums of a contract's ledger across runs (units and cents).
    ContractSums of crate::engine::ContractLedger {
        /// Σ units delivered.
        delivered: u128,
        /// Σ whole price.
        price: i128,
        /// Σ set aside.
        set_aside: i128,
        /// Σ due.
        due: i128,
        /// Σ paid.
        paid: i128,
        /// Σ slip in days.
        slip_days: u128,
    }
}

/// Per-disruption totals across runs.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EventTotals {
    /// Runs in which the event happened at least once.
    pub runs_happened: u64,
    /// Days disrupted per run.
    pub days: TotalDist,
    /// Units destroyed per run (a `stock_loss`).
    #[serde(default)]
    pub destroyed: TotalDist,
    /// Runs in which it destroyed at least one unit.
    #[serde(default)]
    pub runs_destroyed: u64,
}

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

    /// Adds everything of one run except the daily cells.
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
            t.end_stock.add(l.end_stock);
            t.ordered.add(l.ordered);
            t.delivered.add(l.delivered);
            t.unmet.add(l.unmet);
            t.substituted.add(l.substituted);
            t.used_as_substitute.add(l.used_as_substitute);
            t.days_below_safe.add(u64::from(l.days_below_safe));
            t.days_short.add(u64::from(l.days_short));
            t.runs_short += u64::from(l.days_short > 0);
            t.delivered_cost += i128::from(l.delivered_cost);
            t.delivered_units += u128::from(l.delivered);
            match l.first_below_safe {
                Some(d) => t.first_below_safe[d as usize] += 1,
                None => t.never_below_safe += 1,
            }
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
        for (&n, c) in self.customer_line.iter().zip(&rec.customers) {
            self.lines[n].others_delivered += u128::from(c.delivered);
            self.lines[n].others_backlog += u128::from(c.backlog);
        }
        for (t, e) in self.expansions.iter_mut().zip(&rec.expansions) {
            t.funded += u64::from(e.funded.is_some());
            t.succeeded += u64::from(e.succeeded == Some(true));
            t.failed += u64::from(e.succeeded == Some(false));
            t.paid += i128::from(e.paid);
            if let Some(d) = e.done {
                t.done_on[d as usize] += 1;
            }
        }
        for (t, l) in self.lines.iter_mut().zip(&rec.lines) {
            t.released += u128::from(l.released);
            t.ordered += u128::from(l.ordered);
            t.produced += u128::from(l.produced);
            t.defective += u128::from(l.defective);
            t.delivered += u128::from(l.delivered);
            t.lost += u128::from(l.lost);
            t.backlog += u128::from(l.backlog + l.pending);
            t.in_transit += u128::from(l.in_transit);
        }
        for (t, e) in self.events.iter_mut().zip(&rec.events) {
            t.runs_happened += u64::from(e.occurrences > 0);
            t.days.add(u64::from(e.days));
            t.destroyed.add(e.destroyed);
            t.runs_destroyed += u64::from(e.destroyed > 0);
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

    /// Adds several runs. The daily cells are updated cell by cell across the runs, so each
    /// cell's histogram is fetched from memory once per batch rather than once per run (this
    /// was the largest cost of the statistics in the profile).
    pub fn add_runs(&mut self, batch: &[RunRecord]) {
        let days = self.days;
        // One cell's values of the whole batch, gathered first so the cell is updated in one go.
        let mut values = [0u64; 256];
        for chunk in batch.chunks(values.len()) {
            let values = &mut values[..chunk.len()];
            for (k, cell) in self.daily.iter_mut().enumerate() {
                for (v, rec) in values.iter_mut().zip(chunk) {
                    *v = rec.stock[k];
                }
                cell.add_all(values, self.safe[k / days]);
            }
        }
        for rec in batch {
            self.add_run_totals(rec);
        }
        self.series.add_runs(batch);
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
        for (a, b) in self.items.iter_mut().zip(&o.items) {
            a.end_stock.merge(&b.end_stock);
            a.ordered.merge(&b.ordered);
            a.delivered.merge(&b.delivered);
            a.unmet.merge(&b.unmet);
            a.substituted.merge(&b.substituted);
            a.used_as_substitute.merge(&b.used_as_substitute);
            a.days_below_safe.merge(&b.days_below_safe);
            a.days_short.merge(&b.days_short);
            for (x, y) in a.first_below_safe.iter_mut().zip(&b.first_below_safe) {
                *x += y;
            }
            a.never_below_safe += b.never_below_safe;
            a.runs_short += b.runs_short;
            a.delivered_cost += b.delivered_cost;
            a.delivered_units += b.delivered_units;
        }
        for (a, b) in self.funding.iter_mut().zip(&o.funding) {
            a.merge(b);
        }
        for (a, b) in self.channels.iter_mut().zip(&o.channels) {
            a.merge(b);
        }
        for (a, b) in self.contracts.iter_mut().zip(&o.contracts) {
            a.merge(b);
        }
        for (a, b) in self.expansions.iter_mut().zip(&o.expansions) {
            a.funded += b.funded;
            a.succeeded += b.succeeded;
            a.failed += b.failed;
            a.paid += b.paid;
            for (x, y) in a.done_on.iter_mut().zip(&b.done_on) {
                *x += y;
            }
        }
        for (a, b) in self.lines.iter_mut().zip(&o.lines) {
            a.ordered += b.ordered;
            a.produced += b.produced;
            a.defective += b.defective;
            a.delivered += b.delivered;
            a.lost += b.lost;
            a.backlog += b.backlog;
            a.in_transit += b.in_transit;
            a.released += b.released;
            a.others_delivered += b.others_delivered;
            a.others_backlog += b.others_backlog;
        }
        for (a, b) in self.events.iter_mut().zip(&o.events) {
            a.runs_happened += b.runs_happened;
            a.days.merge(&b.days);
            a.destroyed.merge(&b.destroyed);
            a.runs_destroyed += b.runs_destroyed;
        }
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

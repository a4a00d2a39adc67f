//! Daily closing stock of every scenario of a paired comparison, for the chart that draws one
//! item's median and P5–P95 band under each scenario: one [`LogHistogram`] per scenario,
//! compared item and day. Futures are folded in batches, cell by cell (as [`super::Accumulator`]
//! does), so each histogram is fetched from memory once per batch; merging is exact and
//! order-free, so the bands are the same bits for any thread count or split into shards, and
//! memory follows the number of cells, never the number of futures.

use super::LogHistogram;
use serde::{Deserialize, Serialize};

/// Futures a [`BandBuffer`] holds before folding them into its [`StockBands`].
const BATCH: usize = 64;

/// Per scenario, per compared item and day, the distribution of closing stock over futures.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StockBands {
    /// Compared items (the same in every scenario).
    items: usize,
    /// Days of each scenario.
    days: Vec<usize>,
    /// Per scenario: `items × days` histograms, item-major.
    cells: Vec<Vec<LogHistogram>>,
}

/// The percentiles a band shows.
const QS: [f64; 3] = [0.05, 0.5, 0.95];

impl StockBands {
    /// Empty bands for `items` compared items in scenarios of `days[k]` days.
    #[must_use]
    pub fn new(items: usize, days: &[usize]) -> StockBands {
        StockBands {
            items,
            days: days.to_vec(),
            cells: days
                .iter()
                .map(|d| vec![LogHistogram::new(); items * d])
                .collect(),
        }
    }

    /// Whether these bands are shaped for `items` items in scenarios of `days` days.
    #[must_use]
    pub fn fits(&self, items: usize, days: &[usize]) -> bool {
        self.items == items
            && self.days == days
            && self
                .cells
                .iter()
                .zip(days)
                .all(|(c, d)| c.len() == items * d)
    }

    /// Compared items.
    #[must_use]
    pub fn items(&self) -> usize {
        self.items
    }

    /// Days of each scenario.
    #[must_use]
    pub fn days(&self) -> &[usize] {
        &self.days
    }

    /// Adds another set of bands (exact, order-free).
    pub fn merge(&mut self, o: &StockBands) {
        for (a, b) in self.cells.iter_mut().zip(&o.cells) {
            for (x, y) in a.iter_mut().zip(b) {
                x.merge(y);
            }
        }
    }

    /// Futures counted.
    #[must_use]
    pub fn runs(&self) -> u64 {
        self.cells
            .first()
            .and_then(|c| c.first())
            .map_or(0, LogHistogram::count)
    }

    /// P5, median and P95 of compared item `j`'s closing stock in scenario `k`, per day.
    #[must_use]
    pub fn percentiles(&self, k: usize, j: usize) -> [Vec<f64>; 3] {
        let days = self.days[k];
        let mut out: [Vec<f64>; 3] = Default::default();
        for cell in &self.cells[k][j * days..(j + 1) * days] {
            for (o, v) in out.iter_mut().zip(cell.quantiles(QS)) {
                o.push(v);
            }
        }
        out
    }
}

/// A thread's buffer of futures not yet folded into its [`StockBands`]: the compared items'
/// daily stock, per scenario, for up to [`BATCH`] futures.
#[derive(Debug)]
pub struct BandBuffer {
    /// Per scenario: the index in that scenario of each compared item.
    items: Vec<Vec<usize>>,
    /// Per scenario: `filled × items × days` stocks, future-major.
    stock: Vec<Vec<u64>>,
    filled: usize,
    /// The thread's bands.
    pub bands: StockBands,
}

impl BandBuffer {
    /// An empty buffer; `items[k]` are the compared items' indices in scenario k, which has
    /// `days[k]` days.
    #[must_use]
    pub fn new(items: Vec<Vec<usize>>, days: &[usize]) -> BandBuffer {
        let n = items.first().map_or(0, Vec::len);
        BandBuffer {
            stock: days
                .iter()
                .map(|d| Vec::with_capacity(BATCH * n * d))
                .collect(),
            items,
            filled: 0,
            bands: StockBands::new(n, days),
        }
    }

    /// Keeps scenario k's daily stock of one future (`stock_of(i)`: item i's closing stock per
    /// day); call for every scenario, then [`BandBuffer::next`].
    pub fn keep<'a>(&mut self, k: usize, stock_of: impl Fn(usize) -> &'a [u64]) {
        for &i in &self.items[k] {
            self.stock[k].extend_from_slice(stock_of(i));
        }
    }

    /// Ends one future; folds the batch when it is full.
    pub fn next(&mut self) {
        self.filled += 1;
        if self.filled == BATCH {
            self.flush();
        }
    }

    /// Folds the buffered futures into the bands, cell by cell.
    pub fn flush(&mut self) {
        for (cells, stock) in self.bands.cells.iter_mut().zip(&mut self.stock) {
            let n = cells.len();
            for (c, cell) in cells.iter_mut().enumerate() {
                for f in 0..self.filled {
                    cell.add(stock[f * n + c]);
                }
            }
            stock.clear();
        }
        self.filled = 0;
    }

    /// The bands of every future kept.
    #[must_use]
    pub fn finish(mut self) -> StockBands {
        self.flush();
        self.bands
    }
}

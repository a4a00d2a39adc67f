//! Turns accumulated statistics into prepared results: per-day tables, per-item summaries and
//! chart series. Pure: no I/O here; `output` serialises and writes. `summary` declares the
//! prepared records, [`prepare()`] computes them, and `charts` derives the chart series and the
//! period tables.

mod charts;
mod prepare;
mod summary;

#[cfg(any(test, feature = "internals"))]
pub use charts::PeriodRow;
pub use charts::{tables, PeriodSeries, PeriodTables};
pub use prepare::{percentile_method, prepare};
pub use summary::{
    ChannelSummary, ContractSummary, DailyRow, EventSummary, ExpansionSummary, FirstBelow,
    FundingSummary, ItemSummary, LineSummary, Metadata, Spread, Summary,
};

use crate::plot::Footer;
use chrono::NaiveDate;

/// Everything an experiment produced, prepared for writing.
#[derive(Debug, Clone)]
pub struct Results {
    /// The summary.
    pub summary: Summary,
    /// `daily.csv` rows, item by item, day by day.
    pub daily: Vec<DailyRow>,
    /// Cumulative mean money per day: (date, pledged, paid, spent) in US dollars.
    pub money: Vec<(NaiveDate, f64, f64, f64)>,
    /// Sample paths: (run, item index, stock per day).
    pub samples: Vec<(u64, usize, Vec<u64>)>,
    /// Per item, the end stock at `END_STOCK_QUANTILES` evenly spaced quantiles (for its histogram).
    pub end_stock_quantiles: Vec<Vec<f64>>,
    /// Supply and money by month and week.
    pub periods: PeriodTables,
}

/// How many evenly spaced quantiles of each item's end stock are kept: 0.25%, 0.75%, … 99.75%.
pub const END_STOCK_QUANTILES: usize = 200;

impl Results {
    /// The provenance line under every chart.
    #[must_use]
    pub fn footer(&self) -> Footer {
        let m = &self.summary.metadata;
        Footer {
            scenario: self.summary.scenario.clone(),
            runs: m.runs,
            seed: m.seed,
            version: m.version.clone(),
            start: self.summary.start,
        }
    }
}

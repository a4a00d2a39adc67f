//! The prepared per-entity results that `summary.json` holds ([`Summary`]: items, funding
//! sources, channels, lines, capacity projects, events, contracts) and the rows of `daily.csv`.

use crate::stats::{TotalDist, PERCENTILES};
use chrono::NaiveDate;
use serde::Serialize;

/// Facts about an experiment that make it reproducible.
#[derive(Debug, Clone, Serialize)]
pub struct Metadata {
    /// Program version.
    pub version: String,
    /// Master seed.
    pub seed: u64,
    /// Number of runs.
    pub runs: u64,
    /// Scenario file as given.
    pub scenario_file: String,
    /// Stable hash of the scenario file's bytes (hex).
    pub scenario_hash: String,
    /// How percentiles are computed.
    pub percentile_method: String,
    /// Command that reproduces these results.
    pub reproduce: String,
}

/// One row of `daily.csv`.
#[derive(Debug, Clone, Serialize)]
pub struct DailyRow {
    /// Calendar date.
    pub date: NaiveDate,
    /// Item name.
    pub item: String,
    /// Mean closing stock.
    pub mean: f64,
    /// Standard deviation.
    pub sd: f64,
    /// Percentiles of closing stock.
    pub p5: f64,
    /// 25th percentile.
    pub p25: f64,
    /// Median.
    pub p50: f64,
    /// 75th percentile.
    pub p75: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Share of runs below the safe stock (empty when the item has none).
    pub prob_below_safe: Option<f64>,
    /// Share of runs at zero.
    pub prob_zero: f64,
}

/// A distribution summary of a per-run total.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Spread {
    /// Mean.
    pub mean: f64,
    /// Standard deviation.
    pub sd: f64,
    /// Monte Carlo standard error of the mean (sd / √runs): more futures make it smaller.
    pub mean_se: f64,
    /// 5th percentile.
    pub p5: f64,
    /// 25th percentile.
    pub p25: f64,
    /// Median.
    pub p50: f64,
    /// 75th percentile.
    pub p75: f64,
    /// 95th percentile.
    pub p95: f64,
}

impl Spread {
    pub(super) fn of(t: &TotalDist) -> Spread {
        let [p5, p25, p50, p75, p95] = t.hist.quantiles(PERCENTILES);
        let n = t.moments.n.max(1) as f64;
        Spread {
            mean: t.moments.mean(),
            sd: t.moments.sd(),
            mean_se: t.moments.sd() / n.sqrt(),
            p5,
            p25,
            p50,
            p75,
            p95,
        }
    }
}

/// When stock first falls below the safe level.
#[derive(Debug, Clone, Serialize)]
pub struct FirstBelow {
    /// 5th percentile date (None: later than the horizon).
    pub p5: Option<NaiveDate>,
    /// Median date (None: later than the horizon).
    pub p50: Option<NaiveDate>,
    /// 95th percentile date (None: later than the horizon).
    pub p95: Option<NaiveDate>,
    /// Share of runs where it never happens within the horizon.
    pub share_never: f64,
}

/// Per-item results.
#[derive(Debug, Clone, Serialize)]
pub struct ItemSummary {
    /// Name.
    pub name: String,
    /// Label.
    pub label: String,
    /// Unit cost in US dollars on the start date (the median when it is drawn).
    pub unit_cost_usd: f64,
    /// Average price of a delivered unit over all runs (Σ price of the units that left the
    /// lines and contracts ÷ Σ units delivered), in US dollars; absent when none arrived.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_per_delivered_unit_usd: Option<f64>,
    /// Initial stock.
    pub initial_stock: u64,
    /// Safe stock.
    pub safe_stock: Option<u64>,
    /// Stock at the end of the horizon.
    pub end_stock: Spread,
    /// Units ordered over the horizon.
    pub ordered: Spread,
    /// Units delivered over the horizon.
    pub delivered: Spread,
    /// Demand not met from stock nor by substitutes.
    pub unmet_demand: Spread,
    /// Units of its demand covered by its substitutes (only for an item with substitutes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub substituted: Option<Spread>,
    /// Units of it used in place of other items' missing units (only for an item listed as a
    /// substitute).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub used_as_substitute: Option<Spread>,
    /// Days closing below the safe stock.
    pub days_below_safe: Option<Spread>,
    /// Days with unmet demand.
    pub days_short: Spread,
    /// Share of runs with no stock on the last day.
    pub prob_zero_at_end: f64,
    /// Its Monte Carlo standard error, √(p(1 − p) / runs).
    pub prob_zero_at_end_se: f64,
    /// Share of runs with at least one day of unmet demand (kept for compatibility: with
    /// daily use drawn at random it is near 1 in most scenarios; see `risk`).
    pub prob_any_shortfall: f64,
    /// Share of runs below the safe stock on the last day.
    pub prob_below_safe_at_end: Option<f64>,
    /// First date below the safe stock.
    pub first_below_safe: Option<FirstBelow>,
    /// The risk measures: P(stock = 0) by month and on any day, the first date at zero,
    /// expected days at zero, months of cover, named windows.
    pub risk: crate::stats::risk::RiskSummary,
    /// Which constraint binds, in words.
    pub why: crate::analysis::why::Why,
}

/// Per-funding-source results (means over runs, US dollars).
#[derive(Debug, Clone, Serialize)]
pub struct FundingSummary {
    /// Name.
    pub name: String,
    /// Label.
    pub label: String,
    /// Installments fallen due.
    pub pledged_usd: f64,
    /// Money that reached channels.
    pub paid_usd: f64,
    /// Installments never paid.
    pub defaulted_usd: f64,
    /// Paid, still on its way at the horizon.
    pub in_flight_usd: f64,
}

/// Per-channel results (means over runs, US dollars).
#[derive(Debug, Clone, Serialize)]
pub struct ChannelSummary {
    /// Name.
    pub name: String,
    /// Label.
    pub label: String,
    /// Money received.
    pub received_usd: f64,
    /// Money spent on orders.
    pub spent_usd: f64,
    /// Money unspent at the horizon.
    pub balance_usd: f64,
    /// Money paid for capacity projects that succeeded or are not done (absent when none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity_usd: Option<f64>,
    /// Money paid for capacity projects that failed (absent when none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lost_on_failed_projects_usd: Option<f64>,
    /// Money set aside for open orders and contracts at the horizon, not yet paid (absent
    /// when the channel pays everything at order and signs no contract).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub committed_usd: Option<f64>,
}

/// Per-contract results (means over runs).
#[derive(Debug, Clone, Serialize)]
pub struct ContractSummary {
    /// Name.
    pub name: String,
    /// Label.
    pub label: String,
    /// Channel that pays.
    pub channel: String,
    /// Item delivered.
    pub item: String,
    /// Units over all deliveries.
    pub units: u64,
    /// Units delivered by the horizon.
    pub delivered: f64,
    /// Days the deliveries slipped by.
    pub slip_days: f64,
    /// The whole price.
    pub price_usd: f64,
    /// Money the channel set aside for it.
    pub set_aside_usd: f64,
    /// Money due by the horizon (advance and on-delivery part of delivered units).
    pub due_usd: f64,
    /// Money paid to the seller.
    pub paid_usd: f64,
    /// Due but not yet covered by the channel's money at the horizon.
    pub arrears_usd: f64,
}

/// Per capacity project results.
#[derive(Debug, Clone, Serialize)]
pub struct ExpansionSummary {
    /// Name.
    pub name: String,
    /// Line.
    pub line: String,
    /// Channel that pays.
    pub funded_by: String,
    /// Share of runs in which it was paid for.
    pub share_funded: f64,
    /// Share of runs in which it was done and succeeded by the horizon.
    pub share_succeeded: f64,
    /// Share of runs in which it was done and failed by the horizon.
    pub share_failed: f64,
    /// Mean money paid per run.
    pub paid_usd: f64,
    /// Completion date percentiles over all runs (absent: not done by then in enough runs).
    pub done_p5: Option<NaiveDate>,
    /// Median completion date.
    pub done_p50: Option<NaiveDate>,
    /// 95th percentile of the completion date.
    pub done_p95: Option<NaiveDate>,
}

/// Per-line results (means over runs, units).
#[derive(Debug, Clone, Serialize)]
pub struct LineSummary {
    /// Name.
    pub name: String,
    /// Label.
    pub label: String,
    /// Item made.
    pub item: String,
    /// Units ordered.
    pub ordered: f64,
    /// Good units produced.
    pub produced: f64,
    /// Defective units rejected.
    pub defective: f64,
    /// Units delivered.
    pub delivered: f64,
    /// Units lost in transit.
    pub lost: f64,
    /// Units still to make at the horizon (queue and contracts not yet started).
    pub backlog: f64,
    /// Units on their way at the horizon.
    pub in_transit: f64,
    /// Units released from the seller's stock (shared lines only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub released_from_stock: Option<f64>,
    /// Units made for the line's other buyers (lines with customers only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivered_to_other_buyers: Option<f64>,
    /// Units the other buyers still wait for at the horizon (lines with customers only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_buyers_backlog: Option<f64>,
}

/// Per-disruption results.
#[derive(Debug, Clone, Serialize)]
pub struct EventSummary {
    /// Name.
    pub name: String,
    /// Label.
    pub label: String,
    /// Effect, as written in the scenario.
    pub effect: &'static str,
    /// Share of runs in which it happened at least once.
    pub prob_happened: f64,
    /// Days disrupted per run (days on which at least one occurrence was in effect).
    pub days_disrupted: Spread,
    /// Units of stock destroyed per run, all its items together (a `stock_loss` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub units_destroyed: Option<Spread>,
    /// Share of runs in which it destroyed at least one unit (a `stock_loss` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prob_destroyed: Option<f64>,
}

/// The whole summary (`summary.json`).
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Scenario name.
    pub scenario: String,
    /// Scenario title.
    pub title: String,
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
    /// Days simulated.
    pub horizon_days: u32,
    /// Reproducibility facts.
    pub metadata: Metadata,
    /// Items.
    pub items: Vec<ItemSummary>,
    /// Funding sources.
    pub funding: Vec<FundingSummary>,
    /// Channels.
    pub channels: Vec<ChannelSummary>,
    /// Production lines.
    pub lines: Vec<LineSummary>,
    /// Capacity projects (absent when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub expansions: Vec<ExpansionSummary>,
    /// Disruption events (left out of the file when the scenario has none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<EventSummary>,
    /// Contracts (absent when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contracts: Vec<ContractSummary>,
}

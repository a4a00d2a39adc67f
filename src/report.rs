//! Turns accumulated statistics into prepared results: per-day tables, per-item summaries and
//! chart series. Pure: no I/O here; `output` serialises and writes.

mod charts;

pub use charts::{tables, PeriodRow, PeriodSeries, PeriodTables};

use crate::plot::Footer;
use crate::scenario::Scenario;
use crate::stats::{Accumulator, TotalDist, PERCENTILES, RELATIVE_ERROR};
use crate::units::Day;
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
    fn of(t: &TotalDist) -> Spread {
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
    /// Per item, the end stock at the quantiles in [`END_STOCK_QUANTILES`] steps (for its histogram).
    pub end_stock_quantiles: Vec<Vec<f64>>,
    /// Supply and money by month and week.
    pub periods: PeriodTables,
}

/// How many evenly spaced quantiles of each item's end stock are kept: 0.25%, 0.75%, … 99.75%.
pub const END_STOCK_QUANTILES: usize = 200;

fn usd(cents_sum: i128, runs: u64) -> f64 {
    cents_sum as f64 / 100.0 / runs.max(1) as f64
}

/// Prepares the results of an experiment.
#[must_use]
pub fn prepare(s: &Scenario, acc: &Accumulator, meta: Metadata) -> Results {
    let days = acc.days;
    let runs = acc.runs.max(1);
    let mut daily = Vec::with_capacity(s.items.len() * days);
    for (i, it) in s.items.iter().enumerate() {
        for d in 0..days {
            let c = &acc.daily[i * days + d];
            let [p5, p25, p50, p75, p95] = c.hist.quantiles(PERCENTILES);
            daily.push(DailyRow {
                date: s.date(Day(d as u32)),
                item: it.name.clone(),
                mean: c.moments.mean(),
                sd: c.moments.sd(),
                p5,
                p25,
                p50,
                p75,
                p95,
                prob_below_safe: it.safe_stock.map(|_| c.below_safe as f64 / runs as f64),
                prob_zero: c.zero as f64 / runs as f64,
            });
        }
    }
    let mut items: Vec<ItemSummary> = s
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let t = &acc.items[i];
            let last = &acc.daily[i * days + days - 1];
            ItemSummary {
                name: it.name.clone(),
                label: it.label.clone(),
                unit_cost_usd: it.unit_cost.as_usd(),
                cost_per_delivered_unit_usd: (t.delivered_units > 0)
                    .then(|| t.delivered_cost as f64 / 100.0 / t.delivered_units as f64),
                initial_stock: it.initial_stock,
                safe_stock: it.safe_stock,
                end_stock: Spread::of(&t.end_stock),
                ordered: Spread::of(&t.ordered),
                delivered: Spread::of(&t.delivered),
                unmet_demand: Spread::of(&t.unmet),
                substituted: s.consumption[i]
                    .as_ref()
                    .is_some_and(|c| !c.substitutes.is_empty())
                    .then(|| Spread::of(&t.substituted)),
                used_as_substitute: s
                    .consumption
                    .iter()
                    .flatten()
                    .any(|c| c.substitutes.iter().any(|x| x.item.0 == i))
                    .then(|| Spread::of(&t.used_as_substitute)),
                days_below_safe: it.safe_stock.map(|_| Spread::of(&t.days_below_safe)),
                days_short: Spread::of(&t.days_short),
                prob_zero_at_end: last.zero as f64 / runs as f64,
                prob_zero_at_end_se: {
                    let p = last.zero as f64 / runs as f64;
                    (p * (1.0 - p) / runs as f64).sqrt()
                },
                prob_any_shortfall: t.runs_short as f64 / runs as f64,
                prob_below_safe_at_end: it.safe_stock.map(|_| last.below_safe as f64 / runs as f64),
                first_below_safe: it
                    .safe_stock
                    .map(|_| first_below(s, &t.first_below_safe, t.never_below_safe, runs)),
                risk: crate::stats::risk::summary(s, acc, i),
                why: crate::analysis::why::Why::default(),
            }
        })
        .collect();
    let funding = s
        .funding
        .iter()
        .zip(&acc.funding)
        .map(|(f, m)| FundingSummary {
            name: f.name.clone(),
            label: f.label.clone(),
            pledged_usd: usd(m.pledged, runs),
            paid_usd: usd(m.paid, runs),
            defaulted_usd: usd(m.defaulted, runs),
            in_flight_usd: usd(m.in_flight, runs),
        })
        .collect();
    let channels: Vec<ChannelSummary> = s
        .channels
        .iter()
        .zip(&acc.channels)
        .map(|(c, m)| ChannelSummary {
            name: c.name.clone(),
            label: c.label.clone(),
            received_usd: usd(m.received, runs),
            spent_usd: usd(m.spent, runs),
            balance_usd: usd(m.balance, runs),
            capacity_usd: has_projects(s, c).then(|| usd(m.capacity, runs)),
            lost_on_failed_projects_usd: has_projects(s, c).then(|| usd(m.lost, runs)),
            committed_usd: commits(s, c).then(|| usd(m.committed, runs)),
        })
        .collect();
    let contracts = s
        .contracts
        .iter()
        .zip(&acc.contracts)
        .map(|(k, m)| ContractSummary {
            name: k.name.clone(),
            label: k.label.clone(),
            channel: s.channels[k.channel.0].name.clone(),
            item: s.items[k.item.0].name.clone(),
            units: k.units(),
            delivered: m.delivered as f64 / runs.max(1) as f64,
            slip_days: m.slip_days as f64 / runs.max(1) as f64,
            price_usd: usd(m.price, runs),
            set_aside_usd: usd(m.set_aside, runs),
            due_usd: usd(m.due, runs),
            paid_usd: usd(m.paid, runs),
            arrears_usd: usd(m.due - m.paid, runs),
        })
        .collect();
    let expansions = s
        .lines
        .iter()
        .flat_map(|l| l.expansions.iter().map(move |e| (l, e)))
        .zip(&acc.expansions)
        .map(|((l, e), m)| {
            let [p5, p50, p95] = [0.05, 0.5, 0.95].map(|q| quantile_day(s, &m.done_on, q, runs));
            ExpansionSummary {
                name: e.name.clone(),
                line: l.name.clone(),
                funded_by: s.channels[e.funded_by.0].name.clone(),
                share_funded: m.funded as f64 / runs as f64,
                share_succeeded: m.succeeded as f64 / runs as f64,
                share_failed: m.failed as f64 / runs as f64,
                paid_usd: usd(m.paid, runs),
                done_p5: p5,
                done_p50: p50,
                done_p95: p95,
            }
        })
        .collect();
    let per_run = |v: u128| v as f64 / runs as f64;
    let lines: Vec<LineSummary> = s
        .lines
        .iter()
        .zip(&acc.lines)
        .map(|(l, m)| LineSummary {
            name: l.name.clone(),
            label: l.label.clone(),
            item: s.items[l.item.0].name.clone(),
            ordered: per_run(m.ordered),
            produced: per_run(m.produced),
            defective: per_run(m.defective),
            delivered: per_run(m.delivered),
            lost: per_run(m.lost),
            backlog: per_run(m.backlog),
            in_transit: per_run(m.in_transit),
            released_from_stock: l.is_shared().then(|| per_run(m.released)),
            delivered_to_other_buyers: (!l.customers.is_empty())
                .then(|| per_run(m.others_delivered)),
            other_buyers_backlog: (!l.customers.is_empty()).then(|| per_run(m.others_backlog)),
        })
        .collect();
    let whys: Vec<_> = items
        .iter()
        .enumerate()
        .map(|(i, it)| crate::analysis::why::why(s, i, it, &lines, &channels))
        .collect();
    for (it, w) in items.iter_mut().zip(whys) {
        it.why = w;
    }
    let events = s
        .events
        .iter()
        .zip(&acc.events)
        .map(|(e, t)| EventSummary {
            name: e.name.clone(),
            label: e.label.clone(),
            effect: e.effect.name(),
            prob_happened: t.runs_happened as f64 / runs.max(1) as f64,
            days_disrupted: Spread::of(&t.days),
            units_destroyed: matches!(e.effect, crate::scenario::Effect::StockLoss(_))
                .then(|| Spread::of(&t.destroyed)),
            prob_destroyed: matches!(e.effect, crate::scenario::Effect::StockLoss(_))
                .then(|| t.runs_destroyed as f64 / runs.max(1) as f64),
        })
        .collect();
    let mut money = Vec::with_capacity(days);
    let mut cum = [0i128; 3];
    for d in 0..days {
        for (k, c) in cum.iter_mut().enumerate() {
            *c += acc.money_per_day[k][d];
        }
        money.push((
            s.date(Day(d as u32)),
            usd(cum[0], runs),
            usd(cum[1], runs),
            usd(cum[2], runs),
        ));
    }
    let samples = acc
        .samples
        .iter()
        .flat_map(|(run, stock)| {
            (0..s.items.len()).map(move |i| (*run, i, stock[i * days..(i + 1) * days].to_vec()))
        })
        .collect();
    let end_stock_quantiles = acc
        .items
        .iter()
        .map(|t| {
            let qs: [f64; END_STOCK_QUANTILES] =
                std::array::from_fn(|k| (k as f64 + 0.5) / END_STOCK_QUANTILES as f64);
            t.end_stock.hist.quantiles(qs).to_vec()
        })
        .collect();
    Results {
        end_stock_quantiles,
        periods: charts::tables(&acc.series),
        summary: Summary {
            scenario: s.name.clone(),
            title: s.title.clone(),
            start: s.start,
            end: s.date(s.end_day()),
            horizon_days: s.horizon,
            metadata: meta,
            items,
            funding,
            channels,
            lines,
            expansions,
            events,
            contracts,
        },
        daily,
        money,
        samples,
    }
}

fn has_projects(s: &Scenario, c: &crate::scenario::Channel) -> bool {
    s.lines
        .iter()
        .flat_map(|l| &l.expansions)
        .any(|e| s.channels[e.funded_by.0].name == c.name)
}

/// Whether a channel can hold committed money: a buy that pays on delivery, or a contract.
fn commits(s: &Scenario, c: &crate::scenario::Channel) -> bool {
    c.buys.iter().any(|b| b.rules.payment.advance < 1.0)
        || s.contracts
            .iter()
            .any(|k| s.channels[k.channel.0].name == c.name)
}

/// The day by which a share `q` of all runs had an event, from counts per day (`None`: fewer
/// runs than that had it by the horizon).
fn quantile_day(s: &Scenario, counts: &[u64], q: f64, runs: u64) -> Option<NaiveDate> {
    let rank = ((q * runs as f64).ceil() as u64).clamp(1, runs);
    let mut seen = 0;
    for (d, &c) in counts.iter().enumerate() {
        seen += c;
        if seen >= rank {
            return Some(s.date(Day(d as u32)));
        }
    }
    None
}

fn first_below(s: &Scenario, counts: &[u64], never: u64, runs: u64) -> FirstBelow {
    let date_at = |q: f64| -> Option<NaiveDate> {
        let rank = ((q * runs as f64).ceil() as u64).clamp(1, runs);
        let mut seen = 0;
        for (d, &c) in counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                return Some(s.date(Day(d as u32)));
            }
        }
        None
    };
    FirstBelow {
        p5: date_at(0.05),
        p50: date_at(0.5),
        p95: date_at(0.95),
        share_never: never as f64 / runs as f64,
    }
}

/// The percentile method, in words, for metadata and reports.
#[must_use]
pub fn percentile_method() -> String {
    format!(
        "nearest rank over a log-linear histogram: exact below 256 units, within {:.2}% above",
        RELATIVE_ERROR * 100.0
    )
}

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

//! The validated scenario: what the engine simulates. Built only by [`load`] / [`from_str`]
//! (parse → validate), so the engine never sees raw TOML and every value here is already checked.

mod buyers;
mod channel;
mod consumption;
mod contract;
mod correlation;
mod currency;
mod diagnostics;
mod distributions;
mod doc;
mod event;
mod expansion;
mod factor;
mod funding;
mod header;
mod hints;
mod item;
mod keypath;
mod law;
mod line;
mod loading;
mod model;
mod names;
mod ordering;
mod plausibility;
mod report_settings;
mod resolve;
mod schema;
mod substitute;
mod support;
mod syntax;
mod threat;
mod uncertain;
mod values;

pub use contract::Contract;
#[cfg(any(test, feature = "internals"))]
pub use correlation::CorrelatedDraw;
pub use correlation::{Correlations, Site};
pub use currency::{Currency, CurrencyId, Rate};
#[cfg(any(test, feature = "internals"))]
pub use diagnostics::{line_col, render_problems, Problem};
pub use diagnostics::{LoadError, Severity};
pub use hints::fmt_num;
pub use item::ItemPrice;
pub use keypath::KeyPath;
#[cfg(any(test, feature = "internals"))]
pub use keypath::{KeyPathError, Seg};
pub use law::{drawn_laws, UncertainLaw};
#[cfg(any(test, feature = "internals"))]
pub use law::{DrawnParam, LawParam};
#[cfg(any(test, feature = "internals"))]
pub use loading::MAX_FILE_BYTES;
pub use loading::{check_str, denied, from_str, load, read_text, Loaded};
pub use ordering::OrderRules;
#[cfg(any(test, feature = "internals"))]
pub use ordering::Payment;
pub use report_settings::ReportSettings;
#[cfg(any(test, feature = "internals"))]
pub use report_settings::Window;
pub use resolve::{resolve, Resolved};
pub use substitute::Substitute;
pub use uncertain::{DailyParam, UncertainDaily};

use crate::sampling::{Dist, StreamKey};
use crate::units::{Cents, Day};
use chrono::NaiveDate;

/// Longest horizon accepted, in days (100 years).
pub const MAX_HORIZON_DAYS: u32 = 36_525;
/// Largest amount of money in any one key, in US dollars (ten trillion).
pub const MAX_USD: f64 = 1e13;
/// Largest stock or order quantity in any one key, in units.
pub const MAX_UNITS: u64 = 1_000_000_000_000;
/// Most entities of one kind (items, funding sources, channels, lines).
pub const MAX_ENTITIES: usize = 1_000;
/// Most installments one funding source may schedule over the horizon.
pub const MAX_INSTALLMENTS: usize = 100_000;

/// Index of an item in [`Scenario::items`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemId(pub usize);
/// Index of a channel in [`Scenario::channels`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChannelId(pub usize);
/// Index of a production line in [`Scenario::lines`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LineId(pub usize);

/// A checked scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Short name, safe as a folder name.
    pub name: String,
    /// Human title for charts and reports.
    pub title: String,
    /// Free text.
    pub description: Option<String>,
    /// Calendar date of day 0.
    pub start: NaiveDate,
    /// Number of simulated days after the start; days run 0..=horizon.
    pub horizon: u32,
    /// Seed used when the command line gives none.
    pub default_seed: Option<u64>,
    /// Run count used when the command line gives none.
    pub default_runs: Option<u64>,
    /// Items (munition or system types).
    pub items: Vec<Item>,
    /// Funding sources.
    pub funding: Vec<FundingSource>,
    /// Procurement channels.
    pub channels: Vec<Channel>,
    /// Production lines.
    pub lines: Vec<Line>,
    /// Consumption per item, indexed like `items` (None: never used).
    pub consumption: Vec<Option<Consumption>>,
    /// Threats that interceptor use may follow.
    pub threats: Vec<Threat>,
    /// Disruption events.
    pub events: Vec<Disruption>,
    /// Shared factors that funding sources load on.
    pub factors: Vec<Factor>,
    /// What the risk measures look at (`[report]`).
    pub report: ReportSettings,
    /// Rank correlations between per-future draws (`[[correlation]]`).
    pub correlations: Correlations,
    /// Fixed-quantity contracts.
    pub contracts: Vec<Contract>,
    /// Currencies that funding may be pledged in.
    pub currencies: Vec<Currency>,
}

impl Scenario {
    /// The calendar date of a simulation day.
    #[must_use]
    pub fn date(&self, day: Day) -> NaiveDate {
        self.start + chrono::Days::new(u64::from(day.0))
    }

    /// The last simulated day.
    #[must_use]
    pub fn end_day(&self) -> Day {
        Day(self.horizon)
    }

    /// Number of reported days (day 0 through the horizon).
    #[must_use]
    pub fn days(&self) -> usize {
        self.horizon as usize + 1
    }
}

/// A munition or system type.
#[derive(Debug, Clone)]
pub struct Item {
    /// Short name used in references and file names.
    pub name: String,
    /// Human label for charts.
    pub label: String,
    /// Price of one unit on the start date (the median when it is drawn).
    pub unit_cost: Cents,
    /// How the price is drawn and escalated.
    pub price: ItemPrice,
    /// Units in stock on the start date.
    pub initial_stock: u64,
    /// Below this level a user calls it a shortage.
    pub safe_stock: Option<u64>,
}

/// A donor, budget line or loan.
#[derive(Debug, Clone)]
pub struct FundingSource {
    /// Short name.
    pub name: String,
    /// Human label.
    pub label: String,
    /// Channels paid into, with shares summing to 1.
    pub split: Vec<(ChannelId, f64)>,
    /// Probability that each installment is paid at all.
    pub pay_probability: f64,
    /// Days from due date to money in the channel (with drawn parameters: at their medians).
    pub delay: Dist,
    /// The payment delay when its parameters are drawn once per future.
    pub delay_drawn: Option<Box<UncertainLaw>>,
    /// Every installment, sorted by due day.
    pub installments: Vec<Installment>,
    /// Stream for "is it paid".
    pub key_paid: StreamKey,
    /// Stream for payment delays.
    pub key_delay: StreamKey,
    /// Stream for uncertain amounts.
    pub key_amount: StreamKey,
    /// The shared factor its payments load on, if any.
    pub factor: Option<FactorLoad>,
}

/// A shared factor: the same draw moves every source that loads on it.
#[derive(Debug, Clone)]
pub struct Factor {
    /// Short name.
    pub name: String,
    /// Human label.
    pub label: String,
    /// Level or regime.
    pub kind: FactorKind,
    /// Stream for the level.
    pub key_level: StreamKey,
    /// Stream for the regime's spells.
    pub key_regime: StreamKey,
}

/// How a factor moves.
#[derive(Debug, Clone)]
pub enum FactorKind {
    /// A multiplier drawn once per future.
    Level(Dist),
    /// Normal and fatigued spells: entries into fatigue at random, each lasting a drawn time.
    Regime {
        /// Mean entries into the fatigued state a day (while normal).
        per_day: f64,
        /// Days each fatigued spell lasts.
        fatigued_days: Dist,
        /// When parameters of `fatigued_days` are drawn once per future: how each future builds
        /// its law (`fatigued_days` is then the law at the drawn parameters' medians).
        fatigued_days_drawn: Option<Box<UncertainLaw>>,
    },
}

/// How a funding source loads on a factor.
#[derive(Debug, Clone, Copy)]
pub struct FactorLoad {
    /// The factor (index in [`Scenario::factors`]).
    pub factor: usize,
    /// Multiplier of its payments while a regime factor is fatigued (1 for a level factor).
    pub fatigued_multiplier: f64,
}

/// One scheduled payment.
#[derive(Debug, Clone)]
pub struct Installment {
    /// Due day.
    pub due: Day,
    /// Amount in US dollars, or in `currency` when it is set.
    pub amount_usd: Dist,
    /// The currency of the amount (`None`: US dollars).
    pub currency: Option<CurrencyId>,
}

/// How a channel splits its budget across items at each order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allocation {
    /// Each item gets a fixed share of the balance.
    Shares,
    /// Items are bought in the listed order until money runs out.
    Priority,
}

/// A procurement channel.
#[derive(Debug, Clone)]
pub struct Channel {
    /// Short name.
    pub name: String,
    /// Human label.
    pub label: String,
    /// Days between orders.
    pub every: u32,
    /// Day of the first order.
    pub first: Day,
    /// Budget split rule.
    pub allocation: Allocation,
    /// What it buys.
    pub buys: Vec<Buy>,
}

/// One item a channel buys.
#[derive(Debug, Clone)]
pub struct Buy {
    /// The item.
    pub item: ItemId,
    /// The line that makes it.
    pub line: LineId,
    /// Share of the balance (shares allocation).
    pub share: f64,
    /// Cap per order.
    pub max_units: Option<u64>,
    /// Days from contract to the order joining the line's queue (with drawn parameters: at
    /// their medians).
    pub contract_delay: Dist,
    /// The contract delay when its parameters are drawn once per future (the channel's, shared
    /// with every buy that inherits it, or the buy's own).
    pub contract_delay_drawn: Option<Box<UncertainLaw>>,
    /// This buy's place in the line's priority queue, when written.
    pub line_priority: Option<u32>,
    /// Stream for contract delays.
    pub key_contract: StreamKey,
    /// Ordering discipline, payment and price multiplier.
    pub rules: OrderRules,
}

/// A production line.
#[derive(Debug, Clone)]
pub struct Line {
    /// Short name.
    pub name: String,
    /// Human label.
    pub label: String,
    /// Item made.
    pub item: ItemId,
    /// Capacity ramp: (day, units per day), days strictly increasing.
    pub ramp: Vec<(f64, f64)>,
    /// Days every ramp point after the first is late by.
    pub slip: Dist,
    /// Share of output taken by other customers.
    pub other_share: Dist,
    /// Share of completed units rejected (capacity spent, order not reduced).
    pub defect_rate: f64,
    /// Days from completion to arrival in stock (with drawn parameters: at their medians).
    pub lag: Dist,
    /// The delivery lag when its parameters are drawn once per future.
    pub lag_drawn: Option<Box<UncertainLaw>>,
    /// Share of each shipment lost in transit.
    pub transit_loss: f64,
    /// Streams.
    pub key_slip: StreamKey,
    /// Stream for the other-customer share.
    pub key_share: StreamKey,
    /// Stream for defects.
    pub key_defects: StreamKey,
    /// Stream for delivery lags.
    pub key_lag: StreamKey,
    /// Stream for transit losses.
    pub key_loss: StreamKey,
    /// How the line's capacity is shared between its buyers.
    pub queue: Queue,
    /// Other buyers served from the line's capacity (empty: `other_share` applies).
    pub customers: Vec<Customer>,
    /// This scenario's place in a priority queue (1 is served first).
    pub our_priority: u32,
    /// Finished units the seller can release to this scenario's orders, drawn once per future.
    pub releasable: Dist,
    /// Share of each day's output that refills the releasable stock.
    pub restock_share: f64,
    /// Stream for the releasable stock.
    pub key_releasable: StreamKey,
    /// Stream for the delivery lag of released units.
    pub key_release_lag: StreamKey,
    /// Capacity projects funded by channels.
    pub expansions: Vec<Expansion>,
}

/// A project that adds capacity to a line when it is done, paid by a channel.
#[derive(Debug, Clone)]
pub struct Expansion {
    /// Short name (unique within the line).
    pub name: String,
    /// The channel that pays, from its balance before its buys.
    pub funded_by: ChannelId,
    /// Price in US dollars, drawn once per future.
    pub cost_usd: Dist,
    /// Capacity added, in units per period, drawn once per future.
    pub adds: Dist,
    /// Periods per day: `adds × per_day` is units per day.
    pub per_day: f64,
    /// Days from payment to completion, drawn once per future.
    pub lead_time: Dist,
    /// Chance that the project delivers its capacity.
    pub success_probability: f64,
    /// First day it may be paid.
    pub earliest: Day,
    /// Whether the added capacity serves only this scenario's orders.
    pub dedicated: bool,
    /// Stream for the cost.
    pub key_cost: StreamKey,
    /// Stream for the capacity added.
    pub key_adds: StreamKey,
    /// Stream for the lead time.
    pub key_lead: StreamKey,
    /// Stream for success.
    pub key_success: StreamKey,
}

impl Line {
    /// Whether the line runs the shared queue (customers or a seller stock).
    #[must_use]
    pub fn is_shared(&self) -> bool {
        !self.customers.is_empty() || self.releasable.upper_bound() > 0.0
    }
}

/// How a shared line orders its buyers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    /// The oldest waiting order first, whoever placed it.
    Fifo,
    /// Priority 1's backlog first; ties split pro rata to backlogs.
    Priority,
}

/// Another buyer of a line's output.
#[derive(Debug, Clone)]
pub struct Customer {
    /// Short name (unique within the line).
    pub name: String,
    /// Place in a priority queue (1 is served first).
    pub priority: u32,
    /// Orders per year.
    pub units_per_year: Flow,
    /// Stream for a drawn rate.
    pub key_rate: StreamKey,
}

/// A rate of orders in units per year.
#[derive(Debug, Clone)]
pub enum Flow {
    /// Drawn once per future (a number is a certain draw).
    Drawn(Dist),
    /// From each day on, the given rate (steps; none before the first point).
    Dated(Vec<(Day, f64)>),
}

/// Daily use of an item.
#[derive(Debug, Clone)]
pub struct Consumption {
    /// Demand model of [`UseRule::Demand`] (zero for the other rules).
    pub demand: Demand,
    /// Intensity periods: (first day, last day, multiplier).
    pub periods: Vec<(Day, Day, f64)>,
    /// Stream for demand.
    pub key_demand: StreamKey,
    /// Parameters of `daily` drawn once per future (`None`: all are numbers).
    pub uncertain: Option<Box<UncertainDaily>>,
    /// How the day's use is decided.
    pub rule: UseRule,
    /// First day of use.
    pub from: Day,
    /// Last day of use.
    pub to: Day,
    /// Most units used a day (launchers), if capped.
    pub max_daily: Option<u64>,
    /// Items that cover this item's unmet demand, in order (empty: none).
    pub substitutes: Vec<Substitute>,
}

/// How an item's daily use is decided.
#[derive(Debug, Clone)]
pub enum UseRule {
    /// Drawn from `daily` (the item's [`Consumption::demand`]).
    Demand,
    /// Launches of a threat × engaged share × shots per engagement.
    Threat(Box<ThreatUse>),
    /// Fire what is in stock above the reserve, up to `max_daily`.
    Available {
        /// Units never used.
        reserve: u64,
    },
}

/// A disruption event: when it starts, how long it lasts, what it does to which entities.
#[derive(Debug, Clone)]
pub struct Disruption {
    /// Short name.
    pub name: String,
    /// Human label.
    pub label: String,
    /// What it does.
    pub effect: Effect,
    /// Channels it pauses.
    pub channels: Vec<ChannelId>,
    /// Lines it pauses or slows.
    pub lines: Vec<LineId>,
    /// Items whose stock it destroys.
    pub items: Vec<ItemId>,
    /// When it starts.
    pub start: Start,
    /// Days each occurrence lasts (0 for a stock loss).
    pub duration: Dist,
    /// The duration when its parameters are drawn once per future (`duration` is then the law
    /// at their medians).
    pub duration_drawn: Option<Box<UncertainLaw>>,
    /// Stream for random starts.
    pub key_starts: StreamKey,
    /// Stream for durations.
    pub key_duration: StreamKey,
    /// Stream for capacity multipliers and stock-loss shares.
    pub key_size: StreamKey,
}

/// What a disruption does while it lasts.
#[derive(Debug, Clone)]
pub enum Effect {
    /// The channels place no orders and start no contracts.
    PauseOrders,
    /// The lines' shipments to us are held until the end.
    PauseDeliveries,
    /// Both.
    Pause,
    /// The lines' output is multiplied by a share drawn per occurrence.
    Capacity(Dist),
    /// A share (drawn per occurrence) of the items' stock is destroyed on the start day.
    StockLoss(Dist),
}

impl Effect {
    /// The name written in the file.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Effect::PauseOrders => "pause_orders",
            Effect::PauseDeliveries => "pause_deliveries",
            Effect::Pause => "pause",
            Effect::Capacity(_) => "capacity",
            Effect::StockLoss(_) => "stock_loss",
        }
    }
}

/// When a disruption starts.
#[derive(Debug, Clone, Copy)]
pub enum Start {
    /// At random (a Poisson process) between two days.
    Rate {
        /// Mean starts a day.
        per_day: f64,
        /// First day a start may fall on.
        from: Day,
        /// Last day a start may fall on.
        to: Day,
    },
    /// On this day.
    Date(Day),
}

/// Use that follows a threat.
#[derive(Debug, Clone)]
pub struct ThreatUse {
    /// The threat engaged (index in [`Scenario::threats`]).
    pub threat: usize,
    /// Share of launches engaged, drawn once per future.
    pub engaged_share: Dist,
    /// Units fired per engagement, drawn once per future.
    pub shots: Dist,
    /// Stream for the engaged share.
    pub key_share: StreamKey,
    /// Stream for the shots per engagement.
    pub key_shots: StreamKey,
}

/// A threat: launches a day against which interceptors are used.
#[derive(Debug, Clone)]
pub struct Threat {
    /// Short name.
    pub name: String,
    /// Human label.
    pub label: String,
    /// Launches a day (with drawn parameters: their law, the numbers in place).
    pub daily: Demand,
    /// Parameters of `daily` drawn once per future (`None`: all are numbers).
    pub uncertain: Option<Box<UncertainDaily>>,
    /// Intensity periods: (first day, last day, multiplier).
    pub periods: Vec<(Day, Day, f64)>,
    /// Stream for launches.
    pub key_launches: StreamKey,
}

/// How daily demand is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Demand {
    /// Exactly this many units a day (rounded down, fractions carried).
    Fixed(f64),
    /// Poisson with this mean per day.
    Poisson {
        /// Mean per day.
        mean: f64,
    },
    /// Negative binomial with this mean per day and shape (smaller = burstier).
    NegBinomial {
        /// Mean per day.
        mean: f64,
        /// Shape k: variance = mean + mean²/k.
        shape: f64,
    },
}

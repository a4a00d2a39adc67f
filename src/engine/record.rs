//! What one simulated future leaves behind: the daily stock path, daily money flows and the
//! ledgers whose balances the conservation laws check.

use crate::scenario::Scenario;

/// Per-item totals of one run (whole units).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemLedger {
    /// Stock on the start date.
    pub initial: u64,
    /// Units ordered by all channels.
    pub ordered: u64,
    /// Units that arrived in stock.
    pub delivered: u64,
    /// Units used for this item's own demand.
    pub consumed: u64,
    /// Units destroyed in stock (disruptions).
    pub destroyed: u64,
    /// Units wanted.
    pub demand: u64,
    /// Units wanted but not in stock nor covered by substitutes.
    pub unmet: u64,
    /// Units of this item's demand covered by its substitutes (not unmet).
    pub substituted: u64,
    /// Units of this item used in place of other items' missing units.
    pub used_as_substitute: u64,
    /// Stock at the end of the horizon.
    pub end_stock: u64,
    /// Days whose closing stock was below the safe stock.
    pub days_below_safe: u32,
    /// Days with unmet demand.
    pub days_short: u32,
    /// First day whose closing stock was below the safe stock.
    pub first_below_safe: Option<u32>,
    /// Days whose closing stock was zero, from the `[report] warm_up` day on.
    pub days_at_zero: u32,
    /// First day from the warm-up day on whose closing stock was zero.
    pub first_zero: Option<u32>,
    /// The price of one unit on the start date in this future, in cents (drawn once per
    /// future when `unit_cost_usd` is a distribution).
    pub unit_cost: i64,
    /// The price of the units that left the lines and contracts for this scenario's stock
    /// (arrived or lost in transit), at the price each was ordered at, in cents.
    pub delivered_cost: i64,
}

/// Per-line totals of one run (whole units).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineLedger {
    /// Units ordered from this line.
    pub ordered: u64,
    /// Ordered, contract not yet started.
    pub pending: u64,
    /// In the line's queue.
    pub backlog: u64,
    /// Good units completed.
    pub produced: u64,
    /// Units rejected as defective (they used capacity; the order still waits).
    pub defective: u64,
    /// Completed, not yet arrived.
    pub in_transit: u64,
    /// Arrived in stock.
    pub delivered: u64,
    /// Lost in transit.
    pub lost: u64,
    /// Released from the seller's stock to this scenario's orders.
    pub released: u64,
    /// The seller's releasable stock at the start.
    pub stock_initial: u64,
    /// Units of output that refilled the seller's stock.
    pub refilled: u64,
    /// The seller's releasable stock at the end.
    pub stock_end: u64,
    /// The price of every unit ordered from this line, in cents.
    pub ordered_value: i64,
    /// The part of that price still to be paid on delivery, in cents.
    pub owed: i64,
}

/// Per-customer totals of one run, for another buyer of a shared line (whole units).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerLedger {
    /// Units the customer ordered.
    pub ordered: u64,
    /// Units made for it.
    pub delivered: u64,
    /// Units it still waits for.
    pub backlog: u64,
}

/// Per-disruption totals of one run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventLedger {
    /// Occurrences started within the horizon.
    pub occurrences: u32,
    /// Days within the horizon on which at least one occurrence was in effect.
    pub days: u32,
    /// Units of stock its occurrences destroyed (a `stock_loss`), all its items together.
    pub destroyed: u64,
}

/// Per-funding-source totals of one run (cents).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FundingLedger {
    /// Installments fallen due.
    pub pledged: i64,
    /// Money that reached channels.
    pub paid: i64,
    /// Installments that were never paid.
    pub defaulted: i64,
    /// Paid but still on its way at the horizon.
    pub in_flight: i64,
}

/// Per-channel totals of one run (cents).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChannelLedger {
    /// Money received.
    pub received: i64,
    /// Money paid to suppliers for units (advances, payments on delivery, contract payments).
    pub spent: i64,
    /// Money set aside for open orders and contracts, not yet paid.
    pub committed: i64,
    /// Money paid for capacity projects that succeeded or are not done yet.
    pub capacity: i64,
    /// Money paid for capacity projects that failed.
    pub lost: i64,
    /// Money left in the pool.
    pub balance: i64,
}

/// What became of one contract in one run (units and cents).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContractLedger {
    /// Whether it was signed within the horizon.
    pub signed: bool,
    /// Days every delivery date slipped by in this future.
    pub slip_days: u32,
    /// Units over all its deliveries.
    pub units: u64,
    /// Units that arrived in stock.
    pub delivered: u64,
    /// Its whole price.
    pub price: i64,
    /// Money the channel has set aside for it (paid or not).
    pub set_aside: i64,
    /// Money due so far: the advance, and the on-delivery part of the units delivered.
    pub due: i64,
    /// Money paid to the seller (the due money the set-aside covers).
    pub paid: i64,
}

/// What became of one capacity project in one run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExpansionLedger {
    /// Cents paid (0 while not funded).
    pub paid: i64,
    /// Day it was paid for.
    pub funded: Option<u32>,
    /// Day it was done.
    pub done: Option<u32>,
    /// Whether it delivered its capacity (known when done).
    pub succeeded: Option<bool>,
}

/// Everything one run records.
#[derive(Debug, Clone, Default)]
pub struct RunRecord {
    /// Run index.
    pub run: u64,
    /// Closing stock per item and day, item-major: `stock[item * days + day]`.
    pub stock: Vec<u64>,
    /// Cents falling due per day (all sources).
    pub pledged: Vec<i64>,
    /// Cents reaching channels per day.
    pub paid: Vec<i64>,
    /// Cents spent on orders per day.
    pub spent: Vec<i64>,
    /// Item ledgers.
    pub items: Vec<ItemLedger>,
    /// Line ledgers.
    pub lines: Vec<LineLedger>,
    /// Funding ledgers.
    pub funding: Vec<FundingLedger>,
    /// Channel ledgers.
    pub channels: Vec<ChannelLedger>,
    /// Ledgers of the other buyers of shared lines, line by line in file order.
    pub customers: Vec<CustomerLedger>,
    /// Ledgers of the capacity projects, line by line in file order.
    pub expansions: Vec<ExpansionLedger>,
    /// Disruption ledgers.
    pub events: Vec<EventLedger>,
    /// Supply and money per month or week.
    pub series: crate::stats::series::SeriesRecord,
    /// Contract ledgers.
    pub contracts: Vec<ContractLedger>,
}

impl RunRecord {
    /// A record sized for a scenario, all zero.
    #[must_use]
    pub fn new(s: &Scenario) -> RunRecord {
        let mut r = RunRecord::default();
        r.reset(s);
        r
    }

    /// Zeroes the record in place, keeping its memory.
    pub fn reset(&mut self, s: &Scenario) {
        let days = s.days();
        self.run = 0;
        // Every day of every item's stock path is written by the daily report, so the path is
        // only sized here, not cleared (clearing it was a measurable share of a run).
        self.stock.resize(s.items.len() * days, 0);
        for v in [&mut self.pledged, &mut self.paid, &mut self.spent] {
            v.clear();
            v.resize(days, 0);
        }
        self.items.clear();
        self.items.resize(s.items.len(), ItemLedger::default());
        self.lines.clear();
        self.lines.resize(s.lines.len(), LineLedger::default());
        self.funding.clear();
        self.funding
            .resize(s.funding.len(), FundingLedger::default());
        self.channels.clear();
        self.channels
            .resize(s.channels.len(), ChannelLedger::default());
        self.customers.clear();
        self.customers.resize(
            s.lines.iter().map(|l| l.customers.len()).sum(),
            CustomerLedger::default(),
        );
        self.expansions.clear();
        self.expansions.resize(
            s.lines.iter().map(|l| l.expansions.len()).sum(),
            ExpansionLedger::default(),
        );
        self.events.clear();
        self.events.resize(s.events.len(), EventLedger::default());
        self.series.reset(s);
        self.contracts.clear();
        self.contracts
            .resize(s.contracts.len(), ContractLedger::default());
    }

    /// The stock path of one item.
    #[must_use]
    pub fn stock_of(&self, item: usize, days: usize) -> &[u64] {
        &self.stock[item * days..(item + 1) * days]
    }

    /// Checks every conservation law; returns a description of each one that fails.
    #[must_use]
    pub fn conservation_violations(&self, s: &Scenario) -> Vec<String> {
        let mut bad = Vec::new();
        for (c, l) in self.channels.iter().enumerate() {
            if l.received != l.spent + l.committed + l.capacity + l.lost + l.balance
                || l.balance < 0
                || l.committed < 0
            {
                bad.push(format!(
                    "channel {c}: received {} != spent {} + committed {} + capacity {} + lost {} + balance {}",
                    l.received, l.spent, l.committed, l.capacity, l.lost, l.balance
                ));
            }
        }
        bad.extend(super::contract::violations(self, s));
        let projects = s
            .lines
            .iter()
            .flat_map(|l| l.expansions.iter())
            .zip(&self.expansions);
        let mut by_channel = vec![(0i64, 0i64); self.channels.len()];
        for (k, (e, led)) in projects.enumerate() {
            let slot = &mut by_channel[e.funded_by.0];
            if led.succeeded == Some(false) {
                slot.1 += led.paid;
            } else {
                slot.0 += led.paid;
            }
            if led.funded.is_none() && (led.paid != 0 || led.done.is_some()) {
                bad.push(format!(
                    "expansion {k}: paid {} or done but never funded",
                    led.paid
                ));
            }
        }
        for (c, (l, (capacity, lost))) in self.channels.iter().zip(by_channel).enumerate() {
            if l.capacity != capacity || l.lost != lost {
                bad.push(format!(
                    "channel {c}: capacity {} and lost {} != its projects' {capacity} and {lost}",
                    l.capacity, l.lost
                ));
            }
        }
        let paid: i64 = self.funding.iter().map(|f| f.paid).sum();
        let received: i64 = self.channels.iter().map(|c| c.received).sum();
        if paid != received {
            bad.push(format!(
                "money paid by sources {paid} != received by channels {received}"
            ));
        }
        for (k, f) in self.funding.iter().enumerate() {
            if f.pledged != f.paid + f.defaulted + f.in_flight {
                bad.push(format!(
                    "funding {k}: pledged {} != paid {} + defaulted {} + in flight {}",
                    f.pledged, f.paid, f.defaulted, f.in_flight
                ));
            }
        }
        let spent_days: i64 = self.spent.iter().sum();
        let spent: i64 = self.channels.iter().map(|c| c.spent).sum();
        if spent_days != spent {
            bad.push(format!(
                "daily spending {spent_days} != channel spending {spent}"
            ));
        }
        for (n, l) in self.lines.iter().enumerate() {
            if l.ordered != l.produced + l.released + l.backlog + l.pending {
                bad.push(format!(
                    "line {n}: ordered {} != produced {} + released {} + backlog {} + pending {}",
                    l.ordered, l.produced, l.released, l.backlog, l.pending
                ));
            }
            if l.produced + l.released != l.delivered + l.in_transit + l.lost {
                bad.push(format!(
                    "line {n}: produced {} + released {} != delivered {} + in transit {} + lost {}",
                    l.produced, l.released, l.delivered, l.in_transit, l.lost
                ));
            }
            if l.stock_initial + l.refilled != l.released + l.stock_end
                || l.stock_end > l.stock_initial
            {
                bad.push(format!(
                    "line {n}: seller stock {} + refilled {} != released {} + left {}",
                    l.stock_initial, l.refilled, l.released, l.stock_end
                ));
            }
            if l.owed < 0 || l.owed > l.ordered_value {
                bad.push(format!(
                    "line {n}: owed {} outside 0..=ordered value {}",
                    l.owed, l.ordered_value
                ));
            }
        }
        for (k, c) in self.customers.iter().enumerate() {
            if c.ordered != c.delivered + c.backlog {
                bad.push(format!(
                    "customer {k}: ordered {} != delivered {} + backlog {}",
                    c.ordered, c.delivered, c.backlog
                ));
            }
        }
        bad.extend(super::substitution::violations(self, s));
        let by_events: u64 = self.events.iter().map(|e| e.destroyed).sum();
        let by_items: u64 = self.items.iter().map(|i| i.destroyed).sum();
        if by_events != by_items {
            bad.push(format!(
                "units destroyed by events {by_events} != destroyed in items' stock {by_items}"
            ));
        }
        let days = s.days();
        for (i, it) in self.items.iter().enumerate() {
            let from_lines: u64 = s
                .lines
                .iter()
                .zip(&self.lines)
                .filter(|(l, _)| l.item.0 == i)
                .map(|(_, l)| l.delivered)
                .sum();
            let (from_contracts, contract_units) = s
                .contracts
                .iter()
                .zip(&self.contracts)
                .filter(|(k, _)| k.item.0 == i)
                .fold((0, 0), |(d, u), (_, k)| (d + k.delivered, u + k.units));
            if from_lines + from_contracts != it.delivered {
                bad.push(format!(
                    "item {i}: delivered {} != delivered by its lines {from_lines} + contracts {from_contracts}",
                    it.delivered
                ));
            }
            let line_orders: u64 = s
                .lines
                .iter()
                .zip(&self.lines)
                .filter(|(l, _)| l.item.0 == i)
                .map(|(_, l)| l.ordered)
                .sum();
            if line_orders + contract_units != it.ordered {
                bad.push(format!(
                    "item {i}: ordered {} != ordered from its lines {line_orders} + contracts {contract_units}",
                    it.ordered
                ));
            }
            if it.initial + it.delivered
                != it.consumed + it.used_as_substitute + it.destroyed + it.end_stock
            {
                bad.push(format!(
                    "item {i}: initial {} + delivered {} != consumed {} + used as substitute {} + destroyed {} + stock {}",
                    it.initial, it.delivered, it.consumed, it.used_as_substitute, it.destroyed, it.end_stock
                ));
            }
            if it.consumed + it.substituted + it.unmet != it.demand {
                bad.push(format!(
                    "item {i}: consumed {} + substituted {} + unmet {} != demand {}",
                    it.consumed, it.substituted, it.unmet, it.demand
                ));
            }
            if self.stock_of(i, days)[days - 1] != it.end_stock {
                bad.push(format!("item {i}: last daily stock != end stock"));
            }
        }
        bad
    }
}

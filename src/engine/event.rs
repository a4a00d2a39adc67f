//! The typed events of the model and the phase each one happens in within a day.

/// The order of things within one day. An arrival "at any time on day t" is usable on day t, so
/// money arrives before orders are placed, and deliveries arrive before the day's consumption.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Phase {
    /// A disruption starts or ends (before anything else of the day).
    Disruption = 0,
    /// A production ramp reaches one of its points; a capacity project is done.
    Milestone = 1,
    /// A funding installment falls due.
    Due = 2,
    /// Money reaches a channel.
    Paid = 3,
    /// A channel places orders.
    Order = 4,
    /// A contract starts: its units join a line's queue.
    Contract = 5,
    /// Lines produce.
    Production = 6,
    /// Shipments arrive in stock.
    Arrival = 7,
    /// Stock is used.
    Consumption = 8,
    /// End-of-day snapshot.
    Report = 9,
}

impl Phase {
    /// Number of phases.
    pub const COUNT: usize = 10;
}

/// Something that happens. Quantities are whole batches: a batch of 1,000 shells is one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Line `line` reaches ramp point `point`.
    RampMilestone {
        /// Line index.
        line: u32,
        /// Ramp point index.
        point: u32,
    },
    /// Capacity project `project` (numbered over all lines) is done: it succeeds or fails.
    ExpansionDone {
        /// Project index.
        project: u32,
    },
    /// Installment `index` of funding source `source` falls due.
    InstallmentDue {
        /// Funding source index.
        source: u32,
        /// Installment index.
        index: u32,
    },
    /// Money from `source` reaches its channels.
    InstallmentPaid {
        /// Funding source index.
        source: u32,
        /// Amount in cents.
        cents: i64,
    },
    /// Channel `channel` places its periodic orders.
    OrderPlaced {
        /// Channel index.
        channel: u32,
    },
    /// An order of `units` placed by `channel` joins the queue of `line`.
    ContractStart {
        /// Line index.
        line: u32,
        /// Channel index.
        channel: u32,
        /// Units.
        units: u64,
    },
    /// A batch from `line` arrives.
    ShipmentArrived {
        /// Line index.
        line: u32,
        /// Units.
        units: u64,
    },
    /// Contract `contract` (index in the scenario's contracts) is signed.
    ContractSigned {
        /// Contract index.
        contract: u32,
    },
    /// `units` of contract `contract` arrive in stock.
    ContractDelivery {
        /// Contract index.
        contract: u32,
        /// Units.
        units: u64,
    },
    /// An occurrence of disruption `event` starts.
    DisruptionStart {
        /// Disruption index.
        event: u32,
    },
    /// An occurrence of disruption `event` ends.
    DisruptionEnd {
        /// Disruption index.
        event: u32,
        /// The occurrence's capacity multiplier, in fixed point (billionths).
        multiplier: u64,
    },
}

impl Event {
    /// The phase this event happens in.
    #[must_use]
    pub fn phase(&self) -> Phase {
        match self {
            Event::RampMilestone { .. } | Event::ExpansionDone { .. } => Phase::Milestone,
            Event::InstallmentDue { .. } => Phase::Due,
            Event::InstallmentPaid { .. } => Phase::Paid,
            Event::OrderPlaced { .. } | Event::ContractSigned { .. } => Phase::Order,
            Event::ContractStart { .. } => Phase::Contract,
            Event::ShipmentArrived { .. } | Event::ContractDelivery { .. } => Phase::Arrival,
            Event::DisruptionStart { .. } | Event::DisruptionEnd { .. } => Phase::Disruption,
        }
    }
}

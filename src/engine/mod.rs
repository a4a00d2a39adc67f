//! The discrete-event engine: simulates one future of a scenario.
//!
//! A day loop walks the days; within a day, an [`EventQueue`] ordered by (day, phase, sequence)
//! yields typed [`Event`]s (installments fall due and are paid, channels place orders, contracts
//! join production queues, shipments arrive, disruptions start and end), and what happens every
//! day (lines complete the day's batches, the calendar's shipments arrive, stock is consumed, a
//! daily report records stock) is done by the loop at the start of its phase. No event is ever
//! scheduled per unit: a batch is one event. Every random draw comes from a stream keyed by
//! (seed, run, entity, purpose), so a run is reproducible on its own.
//!
//! A [`Worker`] owns every buffer a run needs and reuses them, so a warmed-up worker allocates
//! nothing per run.
//!
//! Fractional quantities of units (daily rates, shares of output, their running carries) are
//! integer fixed point ([`Fixed`], billionths of a unit), converted once when the [`Simulator`]
//! is set up, so that "0.25 a day finishes one unit every fourth day" holds exactly; money shares
//! are applied to integer cents with the same fixed-point shares.

mod contract;
mod demand;
mod disruption;
mod draws;
pub mod event;
mod expansion;
mod factor;
mod line_queue;
mod ordering;
mod production;
pub mod queue;
mod ramp;
pub mod record;
mod stretch;
mod substitution;

pub use event::{Event, Phase};
pub use queue::EventQueue;
pub use record::{
    ChannelLedger, ContractLedger, CustomerLedger, EventLedger, ExpansionLedger, FundingLedger,
    ItemLedger, LineLedger, RunRecord,
};

use line_queue::SharedLine;
use ramp::RampPoint;
use stretch::{draw_count, stretches, DemandDraw, DemandStretch, Tables};

use crate::sampling::{stream, StreamRng, WholeDays};
use crate::scenario::{Scenario, Site, UseRule};
use crate::units::{Cents, Day, Fixed};
use rand_distr::{Binomial, Distribution};
use std::sync::atomic::{AtomicBool, Ordering};

/// A scenario prepared for simulation: demand samplers per intensity period and every rate and
/// share converted to fixed point, built once.
#[derive(Debug)]
pub struct Simulator<'s> {
    scenario: &'s Scenario,
    /// Per item: the stretches of demand, sorted by day, covering day 1 onward.
    demand: Vec<Vec<DemandStretch>>,
    /// Per line: the ramp as written (no slip yet), rates in fixed point.
    ramps: Vec<Vec<RampPoint>>,
    /// Per funding source: the share of each split, in fixed point.
    split_shares: Vec<Vec<Fixed>>,
    /// Per channel: the share of each buy, in fixed point.
    buy_shares: Vec<Vec<Fixed>>,
    /// Per line whose ramp is the same in every future (a certain slip): its capacity on each
    /// day, so a day's production needs no interpolation.
    daily_rates: Vec<Option<Box<[Fixed]>>>,
    /// Per line: the delivery lag in whole days.
    lags: Vec<WholeDays>,
    /// Per line: its column in the workers' arrivals calendar, when its shipments need no event
    /// of their own (no transit loss is drawn and nothing is paid on delivery, so shipments
    /// arriving on one day add up to one, and they commute with every other arrival).
    arrival_column: Vec<Option<u32>>,
    /// Number of columns of the arrivals calendar.
    arrival_columns: usize,
    /// The line of each column of the arrivals calendar.
    column_line: Vec<usize>,
    /// Per line: what a shipment's arrival needs, kept here, close together, rather than read
    /// from the scenario's description of the line (a cache miss per shipment).
    arrival: Vec<Arrival>,
    /// The lines whose day of production takes the short path, and the others.
    lines: Lines,
    /// Per funding source: the payment delay in whole days.
    delays: Vec<WholeDays>,
    /// Per channel and buy: the contract delay in whole days.
    contract_delays: Vec<Vec<WholeDays>>,
    /// Whether some delay has parameters drawn once per future (its law is then built per
    /// future; the entry above is unused).
    drawn_laws: bool,
    /// The capacity projects.
    plan: expansion::Plan,
    /// Threats, caps and the items whose use follows a rule other than `daily`.
    uses: demand::Plan,
    /// Payment splits and whether prices move.
    ordering: ordering::Plan,
    /// The contracts of each channel.
    contracts: contract::Plan,
    /// The items whose missing units substitutes cover.
    subst: substitution::Plan,
}

impl<'s> Simulator<'s> {
    /// Prepares a validated scenario.
    #[must_use]
    pub fn new(scenario: &'s Scenario) -> Simulator<'s> {
        let mut arrival_columns = 0;
        let arrival_column: Vec<Option<u32>> = (0..scenario.lines.len())
            .map(|n| {
                let calendar = scenario.lines[n].transit_loss == 0.0
                    && scenario
                        .channels
                        .iter()
                        .flat_map(|c| &c.buys)
                        .filter(|b| b.line.0 == n)
                        .all(|b| b.rules.payment.advance >= 1.0);
                calendar.then(|| {
                    arrival_columns += 1;
                    arrival_columns as u32 - 1
                })
            })
            .collect();
        let demand = scenario
            .consumption
            .iter()
            .map(|c| match c {
                Some(c) if matches!(c.rule, UseRule::Demand) => stretches(
                    c.demand,
                    &c.periods,
                    scenario.horizon,
                    (c.from.0, c.to.0),
                    Tables::Build,
                ),
                _ => vec![DemandStretch {
                    from: 0,
                    draw: DemandDraw::None,
                }],
            })
            .collect();
        let ramps: Vec<Vec<RampPoint>> = scenario
            .lines
            .iter()
            .map(|l| {
                l.ramp
                    .iter()
                    .map(|&(day, rate)| RampPoint {
                        day,
                        rate: Fixed::from_f64(rate),
                    })
                    .collect()
            })
            .collect();
        let split_shares = scenario
            .funding
            .iter()
            .map(|f| f.split.iter().map(|&(_, s)| Fixed::from_f64(s)).collect())
            .collect();
        let buy_shares = scenario
            .channels
            .iter()
            .map(|c| c.buys.iter().map(|b| Fixed::from_f64(b.share)).collect())
            .collect();
        let daily_rates: Vec<Option<Box<[Fixed]>>> = scenario
            .lines
            .iter()
            .zip(&ramps)
            .enumerate()
            .map(|(n, (l, written))| {
                let slip = l.slip.fixed_value()?;
                let site = Site::RampSlip(crate::scenario::LineId(n));
                if scenario.correlations.draws.iter().any(|c| c.site == site) {
                    return None;
                }
                let mut ramp = Vec::new();
                ramp::slipped(written, slip, &mut ramp);
                Some(ramp::daily_rates(&ramp, scenario.horizon))
            })
            .collect();
        let (plain, general) = (0..scenario.lines.len()).partition(|&n| {
            let l = &scenario.lines[n];
            scenario.events.is_empty()
                && daily_rates[n].is_some()
                && arrival_column[n].is_some()
                && !l.is_shared()
                && l.expansions.is_empty()
                && l.defect_rate == 0.0
                && l.lag_drawn.is_none()
        });
        Simulator {
            scenario,
            demand,
            ramps,
            split_shares,
            buy_shares,
            lags: scenario
                .lines
                .iter()
                .map(|l| days(&l.lag, l.lag_drawn.is_some()))
                .collect(),
            daily_rates,
            lines: Lines { plain, general },
            arrival: scenario
                .lines
                .iter()
                .map(|l| Arrival {
                    item: l.item.0,
                    lossy: l.transit_loss > 0.0,
                })
                .collect(),
            column_line: (0..scenario.lines.len())
                .filter(|&n| arrival_column[n].is_some())
                .collect(),
            arrival_column,
            arrival_columns,
            delays: scenario
                .funding
                .iter()
                .map(|f| days(&f.delay, f.delay_drawn.is_some()))
                .collect(),
            contract_delays: scenario
                .channels
                .iter()
                .map(|c| {
                    c.buys
                        .iter()
                        .map(|b| days(&b.contract_delay, b.contract_delay_drawn.is_some()))
                        .collect()
                })
                .collect(),
            drawn_laws: !crate::scenario::drawn_laws(scenario).is_empty(),
            plan: expansion::Plan::new(scenario),
            uses: demand::Plan::new(scenario),
            ordering: ordering::Plan::new(scenario),
            contracts: contract::Plan::new(scenario),
            subst: substitution::Plan::new(scenario),
        }
    }

    /// The scenario.
    #[must_use]
    #[cfg(any(test, feature = "internals"))]
    pub fn scenario(&self) -> &'s Scenario {
        self.scenario
    }

    /// Bytes held by the sampling tables (shared by every thread).
    #[must_use]
    #[cfg(any(test, feature = "internals"))]
    pub fn table_bytes(&self) -> usize {
        let demand: usize = self
            .demand
            .iter()
            .flatten()
            .map(|st| match &st.draw {
                DemandDraw::Table(t) => t.bytes(),
                _ => 0,
            })
            .sum();
        let days = |v: &[WholeDays]| v.iter().map(WholeDays::bytes).sum::<usize>();
        demand
            + days(&self.lags)
            + days(&self.delays)
            + self.contract_delays.iter().map(|v| days(v)).sum::<usize>()
    }
}

/// Visits the nonzero cells of `cells` in order, each with its index and value, and leaves
/// them at zero. Which columns of the arrivals calendar have a shipment on a day is down to the
/// lags drawn, so a test of each cell would be a coin toss the processor cannot predict: the
/// nonzero cells of each 64 are marked first, without a branch, and only those are visited.
#[inline]
fn take_nonzero(cells: &mut [u64], mut visit: impl FnMut(usize, u64)) {
    for (first, chunk) in (0..).step_by(64).zip(cells.chunks_mut(64)) {
        let mut marks = 0u64;
        for (k, &v) in chunk.iter().enumerate() {
            marks |= u64::from(v > 0) << k;
        }
        while marks != 0 {
            let k = marks.trailing_zeros() as usize;
            marks &= marks - 1;
            visit(first + k, std::mem::take(&mut chunk[k]));
        }
    }
}

/// What a line's shipment needs when it arrives.
#[derive(Debug, Clone, Copy)]
struct Arrival {
    /// The item the line makes.
    item: usize,
    /// Whether part of a shipment may be lost in transit.
    lossy: bool,
}

/// The lines of a scenario by how their day of production is done.
#[derive(Debug)]
struct Lines {
    /// The plain lines: capacity the same in every future (a certain ramp slip, not
    /// correlated), shipments kept in the arrivals calendar, a lag law the same in every
    /// future, no shared queue, capacity project or defect, and no disruption in the scenario.
    /// Their day leaves out the steps that cannot apply to them.
    plain: Vec<usize>,
    /// The other lines, in order.
    general: Vec<usize>,
}

/// The whole-day sampler of a delay; none for one whose law each future builds.
fn days(d: &crate::sampling::Dist, drawn: bool) -> WholeDays {
    if drawn {
        WholeDays::Fixed(0)
    } else {
        WholeDays::new(d)
    }
}

/// Per-line state within a run.
#[derive(Debug, Default)]
struct LineState {
    /// The ramp of this run (slip applied).
    ramp: Vec<RampPoint>,
    segment: usize,
    /// Share of output left to this scenario's orders.
    our_share: Fixed,
    /// Fraction of a unit made but not yet finished.
    carry: Fixed,
    /// The queue of a shared line (customers or a seller stock); `None` for a plain line.
    shared: Option<Box<SharedLine>>,
    /// Capacity added by finished projects, shared like the ramp's.
    added: Fixed,
    /// Capacity added by finished projects for this scenario's orders only, and its carry.
    dedicated: Fixed,
    dedicated_carry: Fixed,
    /// The line's next delivery lag, drawn one shipment ahead (see [`LineState::next_lag`]).
    lag_ahead: u32,
}

impl LineState {
    /// The delivery lag of the line's next shipment. The lags of a line's shipments are the
    /// successive draws of its lag stream `rng` from `law`, in the order the shipments leave;
    /// each is drawn one shipment ahead, so that the table lookup is done while the day goes on
    /// rather than on the path of the shipment it delays (the same lag goes to the same
    /// shipment as when drawn on the spot).
    #[inline(always)]
    fn next_lag(&mut self, law: &WholeDays, rng: &mut StreamRng) -> u32 {
        std::mem::replace(&mut self.lag_ahead, law.sample(rng))
    }
}

/// Per-item state within a run.
#[derive(Debug, Default, Clone)]
struct ItemState {
    stock: u64,
    demand_segment: usize,
    /// Fraction of a unit of certain daily use not yet taken.
    fixed_carry: Fixed,
}

/// Random streams of one run.
#[derive(Debug, Default)]
struct Streams {
    paid: Vec<StreamRng>,
    delay: Vec<StreamRng>,
    amount: Vec<StreamRng>,
    contract: Vec<Vec<StreamRng>>,
    defects: Vec<StreamRng>,
    lag: Vec<StreamRng>,
    loss: Vec<StreamRng>,
    demand: Vec<StreamRng>,
}

/// Reusable state for simulating runs one after another on one thread.
#[derive(Debug)]
pub struct Worker {
    queue: EventQueue,
    lines: Vec<LineState>,
    items: Vec<ItemState>,
    balances: Vec<i64>,
    streams: Streams,
    projects: Vec<expansion::Project>,
    uses: demand::State,
    disrupt: disruption::State,
    factors: factor::State,
    draws: draws::State,
    prices: ordering::Prices,
    contracts: Vec<contract::State>,
    subst: substitution::State,
    /// Units arriving on each day from the lines with a column in the arrivals calendar:
    /// `arrivals[day * columns + column]`.
    arrivals: Vec<u64>,
}

impl Worker {
    /// A worker for a scenario.
    #[must_use]
    pub fn new(s: &Scenario) -> Worker {
        Worker {
            queue: EventQueue::new(s.horizon),
            lines: (0..s.lines.len()).map(|_| LineState::default()).collect(),
            items: vec![ItemState::default(); s.items.len()],
            balances: vec![0; s.channels.len()],
            streams: Streams::default(),
            projects: Vec::new(),
            uses: demand::State::default(),
            disrupt: disruption::State::default(),
            factors: factor::State::default(),
            draws: draws::State::default(),
            prices: ordering::Prices::default(),
            contracts: Vec::new(),
            subst: substitution::State::default(),
            arrivals: Vec::new(),
        }
    }

    /// Simulates run `run` of experiment `seed` into `out` (which is reset first).
    #[cfg(any(test, feature = "internals", feature = "fuzzing"))]
    pub fn simulate(&mut self, sim: &Simulator<'_>, seed: u64, run: u64, out: &mut RunRecord) {
        let never = AtomicBool::new(false);
        self.simulate_cancellable(sim, seed, run, out, &never);
    }

    /// Like [`Worker::simulate`], but looks at `cancel` at every day boundary and stops there
    /// once it is set (one run of a century-long horizon takes seconds), returning `false`: the
    /// record is then incomplete and must be discarded.
    pub fn simulate_cancellable(
        &mut self,
        sim: &Simulator<'_>,
        seed: u64,
        run: u64,
        out: &mut RunRecord,
        cancel: &AtomicBool,
    ) -> bool {
        let s = sim.scenario;
        out.reset(s);
        out.run = run;
        self.start(sim, seed, run, out);
        // The day loop: each phase's scheduled events, with what happens every day (from day 1)
        // at the start of its phase.
        for d in 0..self.queue.days() as u32 {
            if cancel.load(Ordering::Relaxed) {
                self.arrivals.fill(0);
                return false;
            }
            let day = Day(d);
            self.queue.begin_day(day);
            self.events_before(sim, day, Some(Phase::Production), out);
            if d > 0 {
                self.produce(sim, day, out);
            }
            self.events_before(sim, day, Some(Phase::Arrival), out);
            if d > 0 && sim.arrival_columns > 0 {
                self.calendar_arrivals(sim, day, out);
            }
            self.events_before(sim, day, Some(Phase::Consumption), out);
            if d > 0 {
                self.consume(sim, day, out);
            }
            self.events_before(sim, day, Some(Phase::Report), out);
            self.report(s, day, out);
            self.events_before(sim, day, None, out);
        }
        self.finish(s, out);
        true
    }

    fn start(&mut self, sim: &Simulator<'_>, seed: u64, run: u64, out: &mut RunRecord) {
        let s = sim.scenario;
        self.queue.reset();
        let st = &mut self.streams;
        let fill = |v: &mut Vec<StreamRng>,
                    keys: &mut dyn Iterator<Item = crate::sampling::StreamKey>| {
            v.clear();
            v.extend(keys.map(|k| stream(seed, run, k)));
        };
        fill(&mut st.paid, &mut s.funding.iter().map(|f| f.key_paid));
        fill(&mut st.delay, &mut s.funding.iter().map(|f| f.key_delay));
        fill(&mut st.amount, &mut s.funding.iter().map(|f| f.key_amount));
        st.contract.resize_with(s.channels.len(), Vec::new);
        for (v, c) in st.contract.iter_mut().zip(&s.channels) {
            fill(v, &mut c.buys.iter().map(|b| b.key_contract));
        }
        fill(&mut st.defects, &mut s.lines.iter().map(|l| l.key_defects));
        fill(&mut st.lag, &mut s.lines.iter().map(|l| l.key_lag));
        fill(&mut st.loss, &mut s.lines.iter().map(|l| l.key_loss));
        fill(
            &mut st.demand,
            &mut s.items.iter().zip(&s.consumption).map(|(it, c)| {
                c.as_ref().map_or_else(
                    || crate::sampling::StreamKey::new("item", &it.name, "none"),
                    |c| c.key_demand,
                )
            }),
        );

        self.start_draws(sim, seed, run);
        for (n, ls) in self.lines.iter_mut().enumerate() {
            let law = self.draws.lag(n).unwrap_or(&sim.lags[n]);
            ls.lag_ahead = law.sample(&mut self.streams.lag[n]);
        }
        let mut first_customer = 0;
        for (n, ((ls, line), written)) in self
            .lines
            .iter_mut()
            .zip(&s.lines)
            .zip(&sim.ramps)
            .enumerate()
        {
            ls.shared = line.is_shared().then(|| {
                let sh = SharedLine::new(line, first_customer, seed, run);
                out.lines[n].stock_initial = sh.initial_stock();
                Box::new(sh)
            });
            first_customer += line.customers.len();
            ls.added = Fixed::ZERO;
            ls.dedicated = Fixed::ZERO;
            ls.dedicated_carry = Fixed::ZERO;
            let (id, at) = (crate::scenario::LineId(n), (seed, run));
            let slip = self
                .draws
                .value(s, Site::RampSlip(id), &line.slip, at, line.key_slip);
            let other = self
                .draws
                .value(
                    s,
                    Site::OtherCustomers(id),
                    &line.other_share,
                    at,
                    line.key_share,
                )
                .clamp(0.0, 1.0);
            ramp::slipped(written, slip, &mut ls.ramp);
            ls.segment = ramp::segment_on(&ls.ramp, 0.0);
            ls.our_share = Fixed::from_f64(other).complement();
            ls.carry = Fixed::ZERO;
            for (k, &RampPoint { day: d, .. }) in ls.ramp.iter().enumerate() {
                if d > 0.0 && d <= f64::from(s.horizon) {
                    self.queue.schedule(
                        Day(d.ceil() as u32),
                        Event::RampMilestone {
                            line: n as u32,
                            point: k as u32,
                        },
                    );
                }
            }
        }
        for ((st, it), led) in self
            .items
            .iter_mut()
            .zip(&s.items)
            .zip(out.items.iter_mut())
        {
            st.stock = it.initial_stock;
            st.demand_segment = 0;
            st.fixed_carry = Fixed::ZERO;
            led.initial = it.initial_stock;
        }
        self.balances.iter_mut().for_each(|b| *b = 0);
        self.prices.start(s, seed, run, out);
        if !s.contracts.is_empty() {
            contract::start(s, seed, run, &mut self.contracts);
            for (k, c) in s.contracts.iter().enumerate() {
                // Before the channels' first orders: a contract is signed before its
                // channel orders on the same day.
                self.queue
                    .schedule(c.signed, Event::ContractSigned { contract: k as u32 });
            }
        }
        expansion::start(s, &sim.plan, seed, run, &mut self.projects);
        if !sim.uses.is_empty() {
            self.start_rules(sim, seed, run);
        }
        if !s.factors.is_empty() {
            self.start_factors(s, seed, run);
        }
        self.disrupt.active = !s.events.is_empty();
        if self.disrupt.active {
            self.start_disruptions(s, seed, run);
        }
        for (k, f) in s.funding.iter().enumerate() {
            for (i, inst) in f.installments.iter().enumerate() {
                self.queue.schedule(
                    inst.due,
                    Event::InstallmentDue {
                        source: k as u32,
                        index: i as u32,
                    },
                );
            }
        }
        for (c, ch) in s.channels.iter().enumerate() {
            self.queue
                .schedule(ch.first, Event::OrderPlaced { channel: c as u32 });
        }
        // A finished run leaves the calendar empty (every day's cells are taken when read, and
        // nothing arrives on day 0), so it is only sized here, not cleared.
        self.arrivals.resize(s.days() * sim.arrival_columns, 0);
    }

    /// Handles today's events of the phases before `limit` (`None`: all).
    #[inline(always)]
    fn events_before(
        &mut self,
        sim: &Simulator<'_>,
        day: Day,
        limit: Option<Phase>,
        out: &mut RunRecord,
    ) {
        while let Some(ev) = self.queue.next_before(limit) {
            self.handle(sim, day, ev, out);
        }
    }

    /// The day's shipments from the lines kept in the arrivals calendar arrive.
    #[inline]
    fn calendar_arrivals(&mut self, sim: &Simulator<'_>, day: Day, out: &mut RunRecord) {
        let m = sim.arrival_columns;
        let row = day.index() * m;
        // Arriving takes nothing from the calendar, so it can lend its row for the visit.
        let mut calendar = std::mem::take(&mut self.arrivals);
        take_nonzero(&mut calendar[row..row + m], |c, units| {
            self.arrive(sim, sim.column_line[c], units, day, out);
        });
        self.arrivals = calendar;
    }

    /// The daily report: the day's supply and money series and every item's closing stock.
    #[inline]
    fn report(&mut self, s: &Scenario, day: Day, out: &mut RunRecord) {
        crate::stats::series::record_day(out, day.index());
        let paths = out.stock.chunks_exact_mut(s.days());
        let items = (self.items.iter().zip(&s.items)).zip(out.items.iter_mut().zip(paths));
        for ((st, it), (led, path)) in items {
            path[day.index()] = st.stock;
            // The risk measures' days at zero, counted here rather than read back from the
            // path (a second pass over the whole path of every run, from memory).
            if st.stock == 0 && day >= s.report.warm_up {
                led.days_at_zero += 1;
                led.first_zero.get_or_insert(day.0);
            }
            if it.safe_stock.is_some_and(|safe| st.stock < safe) {
                led.days_below_safe += 1;
                led.first_below_safe.get_or_insert(day.0);
            }
        }
    }

    #[inline(always)]
    fn handle(&mut self, sim: &Simulator<'_>, day: Day, ev: Event, out: &mut RunRecord) {
        let s = sim.scenario;
        match ev {
            Event::RampMilestone { line, point } => {
                let ls = &mut self.lines[line as usize];
                ls.segment = ls.segment.max(point as usize);
            }
            Event::ExpansionDone { project } => {
                let p = project as usize;
                let pr = expansion::done(&sim.plan, &self.projects, p, day, out);
                if pr.success {
                    let ls = &mut self.lines[pr.line];
                    let (n, k) = sim.plan.list[p];
                    if s.lines[n].expansions[k].dedicated {
                        ls.dedicated = ls.dedicated.plus(pr.adds);
                    } else {
                        ls.added = ls.added.plus(pr.adds);
                    }
                }
            }
            Event::InstallmentDue { source, index } => {
                self.installment_due(sim, day, source as usize, index as usize, out)
            }
            Event::InstallmentPaid { source, cents } => {
                let f = &s.funding[source as usize];
                let shares = &sim.split_shares[source as usize];
                let mut left = cents;
                for (k, (&(ch, _), share)) in f.split.iter().zip(shares).enumerate() {
                    let part = if k + 1 == f.split.len() {
                        left
                    } else {
                        share.share_of(Cents(cents)).0.min(left)
                    };
                    left -= part;
                    self.balances[ch.0] += part;
                    out.channels[ch.0].received += part;
                }
                out.funding[source as usize].paid += cents;
                out.paid[day.index()] += cents;
            }
            Event::OrderPlaced { channel } => {
                if !(self.disrupt.active && self.orders_held(s, day, channel as usize)) {
                    self.place_orders(sim, day, channel as usize, out);
                }
            }
            Event::ContractStart {
                line,
                channel,
                units,
            } => {
                if self.disrupt.active && self.contract_held(channel, line, units) {
                    return;
                }
                // Units of one item are interchangeable, so the line's first-in, first-out
                // queue of orders is its backlog count (a shared line also keeps its queue).
                let n = line as usize;
                let l = &mut out.lines[n];
                l.pending -= units;
                let Some(sh) = self.lines[n].shared.as_deref_mut() else {
                    l.backlog += units;
                    return;
                };
                let released = sh.contract(units);
                l.backlog += units - released;
                if released > 0 {
                    l.released += released;
                    l.in_transit += released;
                    if self.disrupt.active && self.disrupt.deliveries_paused[n] > 0 {
                        // Released units wait with the line's output until the pause ends.
                        self.disrupt.held[n] += released;
                        return;
                    }
                    let lag = (self.draws.lag(n).unwrap_or(&sim.lags[n])).sample(&mut sh.lag_rng);
                    // A shipment arriving after the horizon stays in transit.
                    self.queue.schedule(
                        day.plus(lag),
                        Event::ShipmentArrived {
                            line,
                            units: released,
                        },
                    );
                }
            }
            Event::ContractSigned { contract } => {
                self.sign_contract(sim, day, contract as usize, out);
            }
            Event::ContractDelivery { contract, units } => {
                self.contract_delivery(sim, day, contract as usize, units, out);
            }
            Event::ShipmentArrived { line, units } => {
                self.arrive(sim, line as usize, units, day, out)
            }
            Event::DisruptionStart { event } => {
                self.disruption_starts(s, day, event as usize, out);
            }
            Event::DisruptionEnd { event, multiplier } => {
                self.disruption_ends(sim, day, event as usize, Fixed(multiplier));
            }
        }
    }

    /// A shipment of `units` from line `n` reaches our stock (less what transit destroys).
    #[inline]
    fn arrive(&mut self, sim: &Simulator<'_>, n: usize, units: u64, day: Day, out: &mut RunRecord) {
        let Arrival { item, lossy } = sim.arrival[n];
        let lost = if lossy {
            Binomial::new(units, sim.scenario.lines[n].transit_loss)
                .map_or(0, |b| b.sample(&mut self.streams.loss[n]))
        } else {
            0
        };
        let arrived = units - lost;
        let l = &mut out.lines[n];
        l.in_transit -= units;
        l.lost += lost;
        l.delivered += arrived;
        self.items[item].stock += arrived;
        out.items[item].delivered += arrived;
        self.settle(n, item, units, day, out);
    }

    fn finish(&mut self, s: &Scenario, out: &mut RunRecord) {
        for (c, b) in self.balances.iter().enumerate() {
            out.channels[c].balance = *b;
        }
        for (i, st) in self.items.iter().enumerate() {
            out.items[i].end_stock = st.stock;
        }
        for (ls, led) in self.lines.iter().zip(out.lines.iter_mut()) {
            if let Some(sh) = &ls.shared {
                led.stock_end = sh.stock();
            }
        }
        debug_assert!(self.arrivals.iter().all(|&u| u == 0));
        debug_assert!(
            out.conservation_violations(s).is_empty(),
            "{:?}",
            out.conservation_violations(s)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Simulator<'_> {
        /// The same simulator with every line taken the general way.
        fn general(mut self) -> Self {
            self.lines.general = (0..self.scenario.lines.len()).collect();
            self.lines.plain.clear();
            self
        }

        /// The same simulator with its first plain line taken the general way.
        fn mixed(mut self) -> Self {
            if !self.lines.plain.is_empty() {
                let first = self.lines.plain.remove(0);
                self.lines.general.insert(0, first);
            }
            self
        }
    }

    /// The calendar's cells with a shipment are visited in order and emptied, across the
    /// boundaries of the 64-cell marks.
    #[test]
    fn nonzero_cells_are_visited_in_order_and_taken() {
        for len in [0, 1, 5, 63, 64, 65, 130, 200] {
            let cells: Vec<u64> = (0..len as u64).map(|k| (k * k + 3 * k) % 7 % 3).collect();
            let mut taken = cells.clone();
            let mut seen = Vec::new();
            take_nonzero(&mut taken, |k, v| seen.push((k, v)));
            let want: Vec<(usize, u64)> = cells
                .iter()
                .copied()
                .enumerate()
                .filter(|&(_, v)| v > 0)
                .collect();
            assert_eq!(seen, want, "{len} cells");
            assert!(taken.iter().all(|&v| v == 0));
        }
    }

    /// Each fast path taken when a scenario's mechanisms allow it gives the same run, to the
    /// unit and the cent, as the general day it replaces.
    #[test]
    fn fast_paths_give_the_same_runs_as_the_general_day() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files: Vec<_> = ["scenarios", "scenarios/examples"]
            .iter()
            .flat_map(|d| std::fs::read_dir(root.join(d)).unwrap())
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        let mut plain = 0;
        for path in files {
            let s = crate::scenario::resolve(&path, &[])
                .and_then(|r| r.check())
                .unwrap_or_else(|e| panic!("{e}"))
                .scenario;
            let fast = Simulator::new(&s);
            plain += fast.lines.plain.len();
            let general = Simulator::new(&s).general();
            let mixed = Simulator::new(&s).mixed();
            let mut w = Worker::new(&s);
            let (mut a, mut b) = (RunRecord::default(), RunRecord::default());
            for run in 0..6 {
                w.simulate(&general, 7, run, &mut a);
                for sim in [&fast, &mixed] {
                    w.simulate(sim, 7, run, &mut b);
                    assert_eq!(format!("{a:?}"), format!("{b:?}"), "{}", path.display());
                }
            }
        }
        // The benchmark scenario at least takes the fast paths.
        assert!(plain > 0);
    }
}

//! The discrete-event engine: simulates one future of a scenario.
//!
//! A clock and an [`EventQueue`] ordered by (day, phase, sequence) drive typed [`Event`]s:
//! installments fall due and are paid, channels place orders, contracts join production queues,
//! lines complete batches, shipments arrive, stock is consumed, and a daily report records stock.
//! No event is ever scheduled per unit: a batch is one event. Every random draw comes from a
//! stream keyed by (seed, run, entity, purpose), so a run is reproducible on its own.
//!
//! A [`Worker`] owns every buffer a run needs and reuses them, so a warmed-up worker allocates
//! nothing per run.
//!
//! Fractional quantities of units (daily rates, shares of output, their running carries) are
//! integer fixed point ([`Fixed`], billionths of a unit), converted once when the [`Simulator`]
//! is set up, so that "0.25 a day finishes one unit every fourth day" holds exactly; money shares
//! are applied to integer cents with the same fixed-point shares.

mod demand;
mod disruption;
mod draws;
pub mod event;
mod expansion;
mod factor;
mod line_queue;
pub mod queue;
pub mod record;

pub use event::{Event, Phase};
pub use queue::{EventQueue, EventTime};
pub use record::{
    ChannelLedger, CustomerLedger, EventLedger, ExpansionLedger, FundingLedger, ItemLedger,
    LineLedger, RunRecord,
};

use line_queue::SharedLine;

use crate::sampling::{poisson_count, stream, IntTable, StreamRng, WholeDays, MAX_COUNT_MEAN};
use crate::scenario::{Allocation, Demand, Scenario, Site, UseRule};
use crate::units::{Cents, Day, Fixed};
use rand::Rng;
use rand_distr::{Binomial, Distribution, Gamma, Poisson};
use std::sync::atomic::{AtomicBool, Ordering};

/// How one item's demand is drawn over one stretch of days.
#[derive(Debug, Clone)]
enum DemandDraw {
    None,
    /// A certain daily use, in fixed point (fractions carried exactly).
    Fixed(Fixed),
    /// A Poisson or negative-binomial day at a fixed mean, by exact inversion of its table.
    Table(IntTable),
    Poisson(Poisson<f64>),
    NegBinomial(Gamma<f64>),
}

/// Whether a stretch's sampler may be an exact inversion table (built once per scenario) or
/// must be built cheaply (for laws drawn once per future).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tables {
    Build,
    Skip,
}

/// One stretch of days with one way of drawing demand.
#[derive(Debug, Clone)]
struct DemandStretch {
    /// First day of the stretch.
    from: u32,
    draw: DemandDraw,
}

/// A point of a production ramp as the engine uses it.
#[derive(Debug, Clone, Copy, Default)]
struct RampPoint {
    /// Day the point is reached (fractional after a drawn slip).
    day: f64,
    /// Capacity from that day, in fixed point.
    rate: Fixed,
}

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
    /// Per line: the delivery lag in whole days.
    lags: Vec<WholeDays>,
    /// Per funding source: the payment delay in whole days.
    delays: Vec<WholeDays>,
    /// Per channel and buy: the contract delay in whole days.
    contract_delays: Vec<Vec<WholeDays>>,
    /// The capacity projects.
    plan: expansion::Plan,
    /// Threats, caps and the items whose use follows a rule other than `daily`.
    uses: demand::Plan,
}

impl<'s> Simulator<'s> {
    /// Prepares a validated scenario.
    #[must_use]
    pub fn new(scenario: &'s Scenario) -> Simulator<'s> {
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
        let ramps = scenario
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
        Simulator {
            scenario,
            demand,
            ramps,
            split_shares,
            buy_shares,
            lags: scenario
                .lines
                .iter()
                .map(|l| WholeDays::new(&l.lag))
                .collect(),
            delays: scenario
                .funding
                .iter()
                .map(|f| WholeDays::new(&f.delay))
                .collect(),
            contract_delays: scenario
                .channels
                .iter()
                .map(|c| {
                    c.buys
                        .iter()
                        .map(|b| WholeDays::new(&b.contract_delay))
                        .collect()
                })
                .collect(),
            plan: expansion::Plan::new(scenario),
            uses: demand::Plan::new(scenario),
        }
    }

    /// The scenario.
    #[must_use]
    pub fn scenario(&self) -> &'s Scenario {
        self.scenario
    }

    /// Bytes held by the sampling tables (shared by every thread).
    #[must_use]
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

/// The stretches of a count drawn each day (use, or a threat's launches): the horizon cut at
/// every period boundary and at the ends of `window` (first and last day); no draw outside it.
fn stretches(
    demand: Demand,
    periods: &[(Day, Day, f64)],
    horizon: u32,
    window: (u32, u32),
    tables: Tables,
) -> Vec<DemandStretch> {
    // Cut the horizon at every period boundary; each stretch has one multiplier.
    let mut cuts: Vec<u32> = vec![0, window.0, window.1.saturating_add(1)];
    for &(from, to, _) in periods {
        cuts.push(from.0);
        cuts.push(to.0.saturating_add(1));
    }
    cuts.sort_unstable();
    cuts.dedup();
    cuts.into_iter()
        .filter(|&d| d <= horizon)
        .map(|d| {
            if d < window.0 || d > window.1 {
                return DemandStretch {
                    from: d,
                    draw: DemandDraw::None,
                };
            }
            let mults: Vec<f64> = periods
                .iter()
                .filter(|(f, t, _)| f.0 <= d && d <= t.0)
                .map(|p| p.2)
                .collect();
            DemandStretch {
                from: d,
                draw: demand_draw(demand, &mults, tables),
            }
        })
        .collect()
}

/// The sampler of one stretch of demand, `mults` being the multipliers of the periods that
/// cover it. A certain daily use is converted to fixed point and multiplied by each multiplier
/// in turn, rounding each product to the nearest billionth (ties to even). A random daily mean
/// is the product of the mean and the multipliers, at most [`MAX_COUNT_MEAN`].
fn demand_draw(d: Demand, mults: &[f64], tables: Tables) -> DemandDraw {
    let build = tables == Tables::Build;
    let mean = |m: f64| (m * mults.iter().product::<f64>()).min(MAX_COUNT_MEAN);
    match d {
        Demand::Fixed(v) => DemandDraw::Fixed(
            mults
                .iter()
                .fold(Fixed::from_f64(v), |r, &m| r.times(Fixed::from_f64(m))),
        ),
        Demand::Poisson { mean: m } => {
            let m = mean(m);
            if let Some(t) = IntTable::poisson(m).filter(|_| build) {
                DemandDraw::Table(t)
            } else if m > 0.0 {
                DemandDraw::Poisson(Poisson::new(m).expect(
                    "invariant: a Poisson mean in (0, MAX_COUNT_MEAN] is accepted by the sampler",
                ))
            } else {
                DemandDraw::None
            }
        }
        Demand::NegBinomial { mean: m, shape } => {
            let m = mean(m);
            if let Some(t) = IntTable::negative_binomial(m, shape).filter(|_| build) {
                DemandDraw::Table(t)
            } else if m > 0.0 && shape > 0.0 && shape.is_finite() {
                DemandDraw::NegBinomial(Gamma::new(shape, m / shape).expect(
                    "invariant: validation gives a negative binomial a finite shape > 0 and mean > 0",
                ))
            } else {
                DemandDraw::None
            }
        }
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
        }
    }

    /// Simulates run `run` of experiment `seed` into `out` (which is reset first).
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
        let mut today = Day(0);
        while let Some((t, ev)) = self.queue.pop() {
            if t.day != today {
                today = t.day;
                if cancel.load(Ordering::Relaxed) {
                    return false;
                }
            }
            self.handle(sim, t.day, ev, out);
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
            ls.ramp.clear();
            ls.ramp
                .extend(written.iter().enumerate().map(|(k, &p)| RampPoint {
                    day: if k == 0 { p.day } else { p.day + slip },
                    rate: p.rate,
                }));
            // A negative slip must not reorder points.
            for k in 1..ls.ramp.len() {
                if ls.ramp[k].day <= ls.ramp[k - 1].day {
                    ls.ramp[k].day = ls.ramp[k - 1].day + 1e-9;
                }
            }
            ls.segment = ls
                .ramp
                .iter()
                .take_while(|p| p.day <= 0.0)
                .count()
                .saturating_sub(1);
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
        self.queue.schedule_daily(Day(0), Event::ReportTick);
        self.queue.schedule_daily(Day(1), Event::DailyProduction);
        self.queue.schedule_daily(Day(1), Event::DailyConsumption);
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
                    let lag = sim.lags[n].sample(&mut sh.lag_rng);
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
            Event::DailyProduction => self.produce(sim, day, out),
            Event::ShipmentArrived { line, units } => {
                let n = line as usize;
                let def = &s.lines[n];
                let lost = if def.transit_loss > 0.0 {
                    Binomial::new(units, def.transit_loss)
                        .map_or(0, |b| b.sample(&mut self.streams.loss[n]))
                } else {
                    0
                };
                let arrived = units - lost;
                let l = &mut out.lines[n];
                l.in_transit -= units;
                l.lost += lost;
                l.delivered += arrived;
                let item = def.item.0;
                self.items[item].stock += arrived;
                out.items[item].delivered += arrived;
            }
            Event::DailyConsumption => self.consume(sim, day, out),
            Event::DisruptionStart { event } => {
                self.disruption_starts(s, day, event as usize, out);
            }
            Event::DisruptionEnd { event, multiplier } => {
                self.disruption_ends(sim, day, event as usize, Fixed(multiplier));
            }
            Event::ReportTick => {
                crate::stats::series::record_day(out, day.index());
                let days = s.days();
                for (i, (st, it)) in self.items.iter().zip(&s.items).enumerate() {
                    out.stock[i * days + day.index()] = st.stock;
                    if it.safe_stock.is_some_and(|safe| st.stock < safe) {
                        let led = &mut out.items[i];
                        led.days_below_safe += 1;
                        led.first_below_safe.get_or_insert(day.0);
                    }
                }
            }
        }
    }

    fn installment_due(
        &mut self,
        sim: &Simulator<'_>,
        day: Day,
        k: usize,
        i: usize,
        out: &mut RunRecord,
    ) {
        let f = &sim.scenario.funding[k];
        // Validation bounds every amount's distribution; the clamp also bounds heavy tails.
        let usd = f.installments[i]
            .amount_usd
            .sample(&mut self.streams.amount[k])
            .clamp(0.0, crate::scenario::MAX_USD);
        // A shared factor (at most 1) moves every source that loads on it together.
        let usd = match &f.factor {
            Some(load) => usd * self.factors.multiplier(load, day.0),
            None => usd,
        };
        let cents = crate::units::Cents::from_usd(usd).0.max(0);
        let led = &mut out.funding[k];
        led.pledged += cents;
        out.pledged[day.index()] += cents;
        let paid =
            f.pay_probability >= 1.0 || self.streams.paid[k].random::<f64>() < f.pay_probability;
        if !paid {
            led.defaulted += cents;
            return;
        }
        let delay = sim.delays[k].sample(&mut self.streams.delay[k]);
        if !self.queue.schedule(
            day.plus(delay),
            Event::InstallmentPaid {
                source: k as u32,
                cents,
            },
        ) {
            led.in_flight += cents;
        }
    }

    fn place_orders(&mut self, sim: &Simulator<'_>, day: Day, c: usize, out: &mut RunRecord) {
        let s = sim.scenario;
        let ch = &s.channels[c];
        if !sim.plan.by_channel[c].is_empty() {
            expansion::fund(
                &sim.plan,
                &mut self.projects,
                c,
                day,
                &mut self.balances[c],
                &mut self.queue,
                out,
            );
        }
        let budget = self.balances[c];
        let mut left = budget;
        for (b, buy) in ch.buys.iter().enumerate() {
            let cost = s.items[buy.item.0].unit_cost.0;
            let allowance = match ch.allocation {
                Allocation::Shares => sim.buy_shares[c][b].share_of(Cents(budget)).0.min(left),
                Allocation::Priority => left,
            };
            let mut units = (allowance / cost) as u64;
            if let Some(m) = buy.max_units {
                units = units.min(m);
            }
            if units == 0 {
                continue;
            }
            let price = units as i64 * cost;
            left -= price;
            out.spent[day.index()] += price;
            out.channels[c].spent += price;
            out.items[buy.item.0].ordered += units;
            let l = &mut out.lines[buy.line.0];
            l.ordered += units;
            l.pending += units;
            let delay = sim.contract_delays[c][b].sample(&mut self.streams.contract[c][b]);
            let ev = Event::ContractStart {
                line: buy.line.0 as u32,
                channel: c as u32,
                units,
            };
            if !self.queue.schedule(day.plus(delay), ev) {
                // The contract starts after the horizon: the units stay pending.
            }
        }
        self.balances[c] = left;
        self.queue
            .schedule(day.plus(ch.every), Event::OrderPlaced { channel: c as u32 });
    }

    fn produce(&mut self, sim: &Simulator<'_>, day: Day, out: &mut RunRecord) {
        let s = sim.scenario;
        let d = f64::from(day.0);
        for (n, (ls, line)) in self.lines.iter_mut().zip(&s.lines).enumerate() {
            let rate = ramp_rate(&ls.ramp, ls.segment, d);
            let rate = if ls.added == Fixed::ZERO {
                rate
            } else {
                rate.plus(ls.added)
            };
            // Most lines keep their whole capacity: skip the product then (same result).
            let ours = if ls.our_share == Fixed::ONE {
                rate
            } else {
                rate.times(ls.our_share)
            };
            // Output lost to disruptions (a multiplier of one when none is in effect).
            let ours = if self.disrupt.active {
                ours.times(self.disrupt.capacity[n])
            } else {
                ours
            };
            let whole_line = if self.disrupt.active {
                rate.times(self.disrupt.capacity[n])
            } else {
                rate
            };
            out.series.note_capacity(n, whole_line.plus(ls.dedicated).0);
            ls.carry = ls.carry.plus(ours);
            let whole = ls.carry.whole();
            ls.carry = ls.carry.fraction();
            let led = &mut out.lines[n];
            let mut made = match ls.shared.as_deref_mut() {
                None => whole.min(led.backlog),
                Some(sh) => sh.serve(day, whole, led, &mut out.customers),
            };
            if ls.dedicated != Fixed::ZERO {
                // Capacity reserved for this scenario's orders serves what is still waiting.
                ls.dedicated_carry = ls.dedicated_carry.plus(ls.dedicated);
                let more = ls.dedicated_carry.whole().min(led.backlog - made);
                ls.dedicated_carry = ls.dedicated_carry.fraction();
                if let Some(sh) = ls.shared.as_deref_mut() {
                    sh.take_ours(more);
                }
                made += more;
            }
            if made == 0 {
                continue;
            }
            let defective = if line.defect_rate > 0.0 {
                Binomial::new(made, line.defect_rate)
                    .map_or(0, |b| b.sample(&mut self.streams.defects[n]))
            } else {
                0
            };
            let good = made - defective;
            led.defective += defective;
            if defective > 0 {
                if let Some(sh) = ls.shared.as_deref_mut() {
                    sh.requeue(defective);
                }
            }
            if good == 0 {
                continue;
            }
            led.backlog -= good;
            led.produced += good;
            led.in_transit += good;
            if self.disrupt.active && self.disrupt.deliveries_paused[n] > 0 {
                // Held at the line (still in transit) until the pause ends.
                self.disrupt.held[n] += good;
                continue;
            }
            let lag = sim.lags[n].sample(&mut self.streams.lag[n]);
            // A shipment arriving after the horizon stays in transit.
            self.queue.schedule(
                day.plus(lag),
                Event::ShipmentArrived {
                    line: n as u32,
                    units: good,
                },
            );
        }
    }

    fn consume(&mut self, sim: &Simulator<'_>, day: Day, out: &mut RunRecord) {
        for (i, st) in self.items.iter_mut().enumerate() {
            let segs = self.draws.daily(i).unwrap_or(&sim.demand[i]);
            while st.demand_segment + 1 < segs.len() && segs[st.demand_segment + 1].from <= day.0 {
                st.demand_segment += 1;
            }
            let rng = &mut self.streams.demand[i];
            let Some(want) = draw_count(&segs[st.demand_segment].draw, &mut st.fixed_carry, rng)
            else {
                continue;
            };
            let want = want.min(sim.uses.caps[i]);
            let used = want.min(st.stock);
            st.stock -= used;
            let led = &mut out.items[i];
            led.demand += want;
            led.consumed += used;
            if want > used {
                led.unmet += want - used;
                led.days_short += 1;
            }
        }
        if !sim.uses.is_empty() {
            self.consume_by_rule(sim, day, out);
        }
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
        debug_assert!(
            out.conservation_violations(s).is_empty(),
            "{:?}",
            out.conservation_violations(s)
        );
    }
}

/// One day's count from a stretch's sampler (None where nothing is drawn); a certain daily rate
/// adds to `carry` and gives its whole units.
#[inline(always)]
fn draw_count(draw: &DemandDraw, carry: &mut Fixed, rng: &mut StreamRng) -> Option<u64> {
    Some(match draw {
        DemandDraw::None => return None,
        DemandDraw::Fixed(v) => {
            *carry = carry.plus(*v);
            let w = carry.whole();
            *carry = carry.fraction();
            w
        }
        DemandDraw::Table(t) => t.sample(rng),
        DemandDraw::Poisson(p) => p.sample(rng) as u64,
        DemandDraw::NegBinomial(g) => poisson_count(g.sample(rng), rng) as u64,
    })
}

/// Capacity on day `d`, interpolating the ramp within `segment`: between two points the
/// day's rate is the linear interpolation of the two points' fixed-point rates, rounded to the
/// nearest billionth (ties to even); on and after a point, exactly that point's rate.
#[inline]
fn ramp_rate(ramp: &[RampPoint], segment: usize, d: f64) -> Fixed {
    let p0 = ramp[segment];
    match ramp.get(segment + 1) {
        Some(p1) if d > p0.day => {
            if d >= p1.day {
                p1.rate
            } else {
                let (r0, r1) = (p0.rate.0 as f64, p1.rate.0 as f64);
                Fixed::round_billionths(r0 + (r1 - r0) * ((d - p0.day) / (p1.day - p0.day)))
            }
        }
        _ => p0.rate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pt(day: f64, rate: f64) -> RampPoint {
        RampPoint {
            day,
            rate: Fixed::from_f64(rate),
        }
    }

    #[test]
    fn ramp_interpolates_and_holds() {
        let ramp = [pt(0.0, 1.0), pt(10.0, 3.0)];
        assert_eq!(ramp_rate(&ramp, 0, 0.0), Fixed::from_f64(1.0));
        assert_eq!(ramp_rate(&ramp, 0, 5.0), Fixed::from_f64(2.0));
        assert_eq!(ramp_rate(&ramp, 0, 10.0), Fixed::from_f64(3.0));
        assert_eq!(ramp_rate(&ramp, 1, 10.0), Fixed::from_f64(3.0));
        assert_eq!(ramp_rate(&ramp, 1, 500.0), Fixed::from_f64(3.0));
        // 0 → 1 over 3 days: 1/3 and 2/3 of a unit, rounded to the nearest billionth.
        let thirds = [pt(0.0, 0.0), pt(3.0, 1.0)];
        assert_eq!(ramp_rate(&thirds, 0, 1.0), Fixed(333_333_333));
        assert_eq!(ramp_rate(&thirds, 0, 2.0), Fixed(666_666_667));
    }

    #[test]
    fn multipliers_apply_in_fixed_point() {
        let DemandDraw::Fixed(r) = demand_draw(Demand::Fixed(0.1), &[1.5, 2.0], Tables::Build)
        else {
            panic!("a certain use stays certain")
        };
        assert_eq!(r, Fixed::from_f64(0.3));
        let DemandDraw::Fixed(r) = demand_draw(Demand::Fixed(1.0 / 3.0), &[0.5], Tables::Build)
        else {
            panic!("a certain use stays certain")
        };
        // 0.333333333 × 0.5 = 0.1666666665, a tie rounded to the even 0.166666666.
        assert_eq!(r, Fixed(166_666_666));
        assert!(matches!(
            demand_draw(Demand::Poisson { mean: 1e7 }, &[1000.0; 5], Tables::Build),
            DemandDraw::Poisson(_)
        ));
    }
}

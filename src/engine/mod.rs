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

pub mod event;
pub mod queue;
pub mod record;

pub use event::{Event, Phase};
pub use queue::{EventQueue, EventTime};
pub use record::{ChannelLedger, FundingLedger, ItemLedger, LineLedger, RunRecord};

use crate::sampling::{stream, whole_days, Dist, StreamRng};
use crate::scenario::{Allocation, Demand, Scenario};
use crate::units::Day;
use rand::Rng;
use rand_distr::{Binomial, Distribution, Gamma, Poisson};
use std::sync::atomic::{AtomicBool, Ordering};

/// How one item's demand is drawn over one stretch of days.
#[derive(Debug, Clone)]
enum DemandDraw {
    None,
    Fixed(f64),
    Poisson(Poisson<f64>),
    NegBinomial(Gamma<f64>),
}

/// A scenario prepared for simulation: demand samplers per intensity period, built once.
#[derive(Debug)]
pub struct Simulator<'s> {
    scenario: &'s Scenario,
    /// Per item: (first day, sampler), sorted by day, covering day 1 onward.
    demand: Vec<Vec<(u32, DemandDraw)>>,
}

impl<'s> Simulator<'s> {
    /// Prepares a validated scenario.
    #[must_use]
    pub fn new(scenario: &'s Scenario) -> Simulator<'s> {
        let demand = scenario
            .consumption
            .iter()
            .map(|c| {
                let Some(c) = c else {
                    return vec![(0, DemandDraw::None)];
                };
                // Cut the horizon at every period boundary; each stretch has one multiplier.
                let mut cuts: Vec<u32> = vec![0];
                for &(from, to, _) in &c.periods {
                    cuts.push(from.0);
                    cuts.push(to.0.saturating_add(1));
                }
                cuts.sort_unstable();
                cuts.dedup();
                cuts.into_iter()
                    .filter(|&d| d <= scenario.horizon)
                    .map(|d| {
                        let mult: f64 = c
                            .periods
                            .iter()
                            .filter(|(f, t, _)| f.0 <= d && d <= t.0)
                            .map(|p| p.2)
                            .product();
                        (d, demand_draw(c.demand, mult))
                    })
                    .collect()
            })
            .collect();
        Simulator { scenario, demand }
    }

    /// The scenario.
    #[must_use]
    pub fn scenario(&self) -> &'s Scenario {
        self.scenario
    }
}

fn demand_draw(d: Demand, mult: f64) -> DemandDraw {
    match d {
        Demand::Fixed(v) => DemandDraw::Fixed(v * mult),
        Demand::Poisson { mean } => {
            Poisson::new(mean * mult).map_or(DemandDraw::None, DemandDraw::Poisson)
        }
        Demand::NegBinomial { mean, shape } => {
            Gamma::new(shape, mean * mult / shape).map_or(DemandDraw::None, DemandDraw::NegBinomial)
        }
    }
}

/// Per-line state within a run.
#[derive(Debug, Default)]
struct LineState {
    ramp: Vec<(f64, f64)>,
    segment: usize,
    our_share: f64,
    carry: f64,
}

/// Per-item state within a run.
#[derive(Debug, Default, Clone)]
struct ItemState {
    stock: u64,
    demand_segment: usize,
    fixed_carry: f64,
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
        self.start(s, seed, run, out);
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

    fn start(&mut self, s: &Scenario, seed: u64, run: u64, out: &mut RunRecord) {
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

        for (n, (ls, line)) in self.lines.iter_mut().zip(&s.lines).enumerate() {
            let slip = line.slip.sample(&mut stream(seed, run, line.key_slip));
            let other = line
                .other_share
                .sample(&mut stream(seed, run, line.key_share))
                .clamp(0.0, 1.0);
            ls.ramp.clear();
            ls.ramp.extend(
                line.ramp
                    .iter()
                    .enumerate()
                    .map(|(k, &(d, r))| (if k == 0 { d } else { d + slip }, r)),
            );
            // A negative slip must not reorder points.
            for k in 1..ls.ramp.len() {
                if ls.ramp[k].0 <= ls.ramp[k - 1].0 {
                    ls.ramp[k].0 = ls.ramp[k - 1].0 + 1e-9;
                }
            }
            ls.segment = ls
                .ramp
                .iter()
                .take_while(|p| p.0 <= 0.0)
                .count()
                .saturating_sub(1);
            ls.our_share = 1.0 - other;
            ls.carry = 0.0;
            for (k, &(d, _)) in ls.ramp.iter().enumerate() {
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
            st.fixed_carry = 0.0;
            led.initial = it.initial_stock;
        }
        self.balances.iter_mut().for_each(|b| *b = 0);
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

    fn handle(&mut self, sim: &Simulator<'_>, day: Day, ev: Event, out: &mut RunRecord) {
        let s = sim.scenario;
        match ev {
            Event::RampMilestone { line, point } => {
                let ls = &mut self.lines[line as usize];
                ls.segment = ls.segment.max(point as usize);
            }
            Event::InstallmentDue { source, index } => {
                self.installment_due(s, day, source as usize, index as usize, out)
            }
            Event::InstallmentPaid { source, cents } => {
                let f = &s.funding[source as usize];
                let mut left = cents;
                for (k, &(ch, share)) in f.split.iter().enumerate() {
                    let part = if k + 1 == f.split.len() {
                        left
                    } else {
                        ((cents as f64 * share).floor() as i64).min(left)
                    };
                    left -= part;
                    self.balances[ch.0] += part;
                    out.channels[ch.0].received += part;
                }
                out.funding[source as usize].paid += cents;
                out.paid[day.index()] += cents;
            }
            Event::OrderPlaced { channel } => self.place_orders(s, day, channel as usize, out),
            Event::ContractStart { line, units } => {
                // Units of one item are interchangeable, so the line's first-in, first-out
                // queue of orders is its backlog count.
                let l = &mut out.lines[line as usize];
                l.pending -= units;
                l.backlog += units;
            }
            Event::DailyProduction => self.produce(s, day, out),
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
            Event::ReportTick => {
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

    fn installment_due(&mut self, s: &Scenario, day: Day, k: usize, i: usize, out: &mut RunRecord) {
        let f = &s.funding[k];
        // Validation bounds every amount's distribution; the clamp also bounds heavy tails.
        let usd = f.installments[i]
            .amount_usd
            .sample(&mut self.streams.amount[k])
            .clamp(0.0, crate::scenario::MAX_USD);
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
        let delay = whole_days(f.delay.sample(&mut self.streams.delay[k]));
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

    fn place_orders(&mut self, s: &Scenario, day: Day, c: usize, out: &mut RunRecord) {
        let ch = &s.channels[c];
        let budget = self.balances[c];
        let mut left = budget;
        for (b, buy) in ch.buys.iter().enumerate() {
            let cost = s.items[buy.item.0].unit_cost.0;
            let allowance = match ch.allocation {
                Allocation::Shares => ((budget as f64 * buy.share).floor() as i64).min(left),
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
            let delay = whole_days(sample_or_fixed(
                &buy.contract_delay,
                &mut self.streams.contract[c][b],
            ));
            let ev = Event::ContractStart {
                line: buy.line.0 as u32,
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

    fn produce(&mut self, s: &Scenario, day: Day, out: &mut RunRecord) {
        let d = f64::from(day.0);
        for (n, (ls, line)) in self.lines.iter_mut().zip(&s.lines).enumerate() {
            let rate = ramp_rate(&ls.ramp, ls.segment, d);
            ls.carry += rate * ls.our_share;
            // carry ≥ 0, so truncation is floor (and much cheaper than a libm call).
            let whole = ls.carry as i64;
            ls.carry -= whole as f64;
            let led = &mut out.lines[n];
            let made = (whole as u64).min(led.backlog);
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
            if good == 0 {
                continue;
            }
            led.backlog -= good;
            led.produced += good;
            led.in_transit += good;
            let lag = whole_days(sample_or_fixed(&line.lag, &mut self.streams.lag[n]));
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
            let segs = &sim.demand[i];
            while st.demand_segment + 1 < segs.len() && segs[st.demand_segment + 1].0 <= day.0 {
                st.demand_segment += 1;
            }
            let rng = &mut self.streams.demand[i];
            let want = match &segs[st.demand_segment].1 {
                DemandDraw::None => continue,
                DemandDraw::Fixed(v) => {
                    st.fixed_carry += v;
                    let w = st.fixed_carry as u64;
                    st.fixed_carry -= w as f64;
                    w
                }
                DemandDraw::Poisson(p) => p.sample(rng) as u64,
                DemandDraw::NegBinomial(g) => {
                    let lambda = g.sample(rng);
                    if lambda > 0.0 {
                        Poisson::new(lambda).map_or(0, |p| p.sample(rng) as u64)
                    } else {
                        0
                    }
                }
            };
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
    }

    fn finish(&mut self, s: &Scenario, out: &mut RunRecord) {
        for (c, b) in self.balances.iter().enumerate() {
            out.channels[c].balance = *b;
        }
        for (i, st) in self.items.iter().enumerate() {
            out.items[i].end_stock = st.stock;
        }
        debug_assert!(
            out.conservation_violations(s).is_empty(),
            "{:?}",
            out.conservation_violations(s)
        );
    }
}

/// Draws only when the distribution is uncertain (a fixed value needs no randomness).
#[inline]
fn sample_or_fixed(d: &Dist, rng: &mut StreamRng) -> f64 {
    match d.fixed_value() {
        Some(v) => v,
        None => d.sample(rng),
    }
}

/// Capacity in units per day on day `d`, interpolating the ramp within `segment`.
fn ramp_rate(ramp: &[(f64, f64)], segment: usize, d: f64) -> f64 {
    let (d0, r0) = ramp[segment];
    match ramp.get(segment + 1) {
        Some(&(d1, r1)) if d > d0 => r0 + (r1 - r0) * ((d - d0) / (d1 - d0)).min(1.0),
        _ => r0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ramp_interpolates_and_holds() {
        let ramp = [(0.0, 1.0), (10.0, 3.0)];
        assert_eq!(ramp_rate(&ramp, 0, 0.0), 1.0);
        assert_eq!(ramp_rate(&ramp, 0, 5.0), 2.0);
        assert_eq!(ramp_rate(&ramp, 1, 10.0), 3.0);
        assert_eq!(ramp_rate(&ramp, 1, 500.0), 3.0);
    }
}

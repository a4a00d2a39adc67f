//! Disruption events within one future: random (Poisson) or dated starts drawn when the future
//! starts; each occurrence, when it starts, draws its duration and size from the event's own
//! streams. Pauses are counted per channel and line (overlapping occurrences combine as a union);
//! capacity multipliers in effect on a line are multiplied together; a stock loss destroys a
//! share of the stock on its start day. A scenario without events never enters this module.

use super::{Event, RunRecord, Worker};
use crate::sampling::{stream, whole_days, StreamRng};
use crate::scenario::{Effect, Scenario, Start};
use crate::units::{Day, Fixed};
use rand::distr::Open01;
use rand::Rng;

/// Per-future state of the disruptions, reused run after run.
#[derive(Debug, Default)]
pub(super) struct State {
    /// Whether the scenario has events at all (every hook checks this first).
    pub(super) active: bool,
    /// Per channel: occurrences pausing its orders now.
    orders_paused: Vec<u32>,
    /// Per line: occurrences pausing its deliveries now.
    pub(super) deliveries_paused: Vec<u32>,
    /// Per line: the product of the capacity multipliers in effect.
    pub(super) capacity: Vec<Fixed>,
    /// Per line: the capacity multipliers in effect.
    multipliers: Vec<Vec<Fixed>>,
    /// Per line: good units made during a delivery pause, waiting to be shipped.
    pub(super) held: Vec<u64>,
    /// Per channel: contracts (line, units) waiting for an order pause to end.
    contracts: Vec<Vec<(u32, u64)>>,
    /// Per event: its duration and size streams, and the day its occurrences end (union).
    duration: Vec<StreamRng>,
    size: Vec<StreamRng>,
    until: Vec<u32>,
}

impl Worker {
    /// Resets the state and schedules every start of this future.
    pub(super) fn start_disruptions(&mut self, s: &Scenario, seed: u64, run: u64) {
        let d = &mut self.disrupt;
        let (nc, nl) = (s.channels.len(), s.lines.len());
        d.orders_paused.clear();
        d.orders_paused.resize(nc, 0);
        d.deliveries_paused.clear();
        d.deliveries_paused.resize(nl, 0);
        d.capacity.clear();
        d.capacity.resize(nl, Fixed::ONE);
        d.multipliers.resize_with(nl, Vec::new);
        d.multipliers.iter_mut().for_each(Vec::clear);
        d.held.clear();
        d.held.resize(nl, 0);
        d.contracts.resize_with(nc, Vec::new);
        d.contracts.iter_mut().for_each(Vec::clear);
        d.duration.clear();
        d.size.clear();
        d.until.clear();
        for (k, e) in s.events.iter().enumerate() {
            d.duration.push(stream(seed, run, e.key_duration));
            d.size.push(stream(seed, run, e.key_size));
            d.until.push(0);
            let ev = Event::DisruptionStart { event: k as u32 };
            match e.start {
                Start::Date(day) => {
                    self.queue.schedule(day, ev);
                }
                Start::Rate { per_day, from, to } => {
                    if per_day <= 0.0 {
                        continue;
                    }
                    // Poisson starts: exponential gaps, in days, from the window's first day.
                    let mut rng = stream(seed, run, e.key_starts);
                    let mut t = f64::from(from.0);
                    loop {
                        let u: f64 = rng.sample(Open01);
                        t += -u.ln() / per_day;
                        if t >= f64::from(to.0) + 1.0 {
                            break;
                        }
                        self.queue.schedule(Day(t as u32), ev);
                    }
                }
            }
        }
    }

    /// An occurrence of event `k` starts today.
    pub(super) fn disruption_starts(
        &mut self,
        s: &Scenario,
        day: Day,
        k: usize,
        out: &mut RunRecord,
    ) {
        let e = &s.events[k];
        let d = &mut self.disrupt;
        let led = &mut out.events[k];
        led.occurrences += 1;
        if let Effect::StockLoss(share) = &e.effect {
            let share = Fixed::from_f64(share.sample(&mut d.size[k]).clamp(0.0, 1.0));
            let mut total = 0;
            for it in &e.items {
                let st = &mut self.items[it.0];
                let lost =
                    (u128::from(st.stock) * u128::from(share.0) / u128::from(Fixed::ONE.0)) as u64;
                st.stock -= lost;
                out.items[it.0].destroyed += lost;
                total += lost;
            }
            let led = &mut out.events[k];
            led.destroyed += total;
            if d.until[k] <= day.0 {
                led.days += 1;
                d.until[k] = day.0 + 1;
            }
            return;
        }
        let law = self.draws.duration(k).unwrap_or(&e.duration);
        let days = whole_days(law.sample(&mut d.duration[k]));
        let end = day.0.saturating_add(days);
        let last = s.horizon.saturating_add(1);
        led.days += end
            .min(last)
            .saturating_sub(day.0.max(d.until[k]).min(last));
        d.until[k] = d.until[k].max(end);
        if days == 0 {
            return;
        }
        let mut multiplier = Fixed::ONE;
        match &e.effect {
            Effect::PauseOrders | Effect::Pause | Effect::PauseDeliveries => {
                if !matches!(e.effect, Effect::PauseDeliveries) {
                    for c in &e.channels {
                        d.orders_paused[c.0] += 1;
                    }
                }
                if !matches!(e.effect, Effect::PauseOrders) {
                    for l in &e.lines {
                        d.deliveries_paused[l.0] += 1;
                    }
                }
            }
            Effect::Capacity(m) => {
                multiplier = Fixed::from_f64(m.sample(&mut d.size[k]).clamp(0.0, 1.0));
                for l in &e.lines {
                    d.multipliers[l.0].push(multiplier);
                    d.capacity[l.0] = product(&d.multipliers[l.0]);
                }
            }
            Effect::StockLoss(_) => {}
        }
        // An end after the horizon never comes: the disruption lasts to the end.
        self.queue.schedule(
            Day(end),
            Event::DisruptionEnd {
                event: k as u32,
                multiplier: multiplier.0,
            },
        );
    }

    /// An occurrence of event `k` ends today: lifts its pauses, ships what was held, starts the
    /// contracts that waited, and removes its capacity multiplier.
    pub(super) fn disruption_ends(
        &mut self,
        sim: &super::Simulator<'_>,
        day: Day,
        k: usize,
        multiplier: Fixed,
    ) {
        let s = sim.scenario;
        let e = &s.events[k];
        let d = &mut self.disrupt;
        match &e.effect {
            Effect::PauseOrders | Effect::Pause | Effect::PauseDeliveries => {
                if !matches!(e.effect, Effect::PauseDeliveries) {
                    for c in &e.channels {
                        d.orders_paused[c.0] -= 1;
                        if d.orders_paused[c.0] == 0 {
                            for (line, units) in d.contracts[c.0].drain(..) {
                                self.queue.schedule(
                                    day,
                                    Event::ContractStart {
                                        line,
                                        channel: c.0 as u32,
                                        units,
                                    },
                                );
                            }
                        }
                    }
                }
                if !matches!(e.effect, Effect::PauseOrders) {
                    for l in &e.lines {
                        d.deliveries_paused[l.0] -= 1;
                        let units = d.held[l.0];
                        if d.deliveries_paused[l.0] == 0 && units > 0 {
                            d.held[l.0] = 0;
                            let law = self.draws.lag(l.0).unwrap_or(&sim.lags[l.0]);
                            let lag = self.lines[l.0].next_lag(law, &mut self.streams.lag[l.0]);
                            // Shipped when the pause ends, then the delivery lag.
                            self.queue.schedule(
                                day.plus(lag),
                                Event::ShipmentArrived {
                                    line: l.0 as u32,
                                    units,
                                },
                            );
                        }
                    }
                }
            }
            Effect::Capacity(_) => {
                for l in &e.lines {
                    let m = &mut d.multipliers[l.0];
                    if let Some(p) = m.iter().position(|&x| x == multiplier) {
                        m.swap_remove(p);
                    }
                    d.capacity[l.0] = product(m);
                }
            }
            Effect::StockLoss(_) => {}
        }
    }

    /// Whether channel `c`'s orders are paused; if so, its next order is scheduled instead.
    pub(super) fn orders_held(&mut self, s: &Scenario, day: Day, c: usize) -> bool {
        if self.disrupt.orders_paused[c] == 0 {
            return false;
        }
        self.queue.schedule(
            day.plus(s.channels[c].every),
            Event::OrderPlaced { channel: c as u32 },
        );
        true
    }

    /// Whether a contract of channel `channel` must wait for an order pause to end (it is then
    /// kept until the pause ends).
    pub(super) fn contract_held(&mut self, channel: u32, line: u32, units: u64) -> bool {
        let c = channel as usize;
        if self.disrupt.orders_paused[c] == 0 {
            return false;
        }
        self.disrupt.contracts[c].push((line, units));
        true
    }
}

/// The product of multipliers in fixed point (one when there are none).
fn product(ms: &[Fixed]) -> Fixed {
    ms.iter().fold(Fixed::ONE, |p, &m| p.times(m))
}

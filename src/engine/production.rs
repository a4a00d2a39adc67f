//! One day of production: each line's capacity (ramp, added capacity, our share, disruptions)
//! finishes units of its backlog, defects are rejected, and good units leave for our stock after
//! the delivery lag (or wait at the line while deliveries are paused). Plain lines (see
//! [`Lines`](super::Lines)) take a short path without the steps that cannot apply to them.

use super::ramp::ramp_rate;
use super::{Event, LineLedger, LineState, RunRecord, Simulator, Worker};
use crate::sampling::{StreamRng, WholeDays};
use crate::units::{Day, Fixed};
use rand_distr::{Binomial, Distribution};

impl Worker {
    pub(super) fn produce(&mut self, sim: &Simulator<'_>, day: Day, out: &mut RunRecord) {
        let m = sim.arrival_columns;
        if sim.lines.general.is_empty() {
            // Every line is plain: one pass over them all, with nothing to look up by index.
            let lines = (self.lines.iter_mut().zip(out.lines.iter_mut()))
                .zip(sim.daily_rates.iter().zip(&sim.arrival_column))
                .zip(self.streams.lag.iter_mut().zip(&sim.lags));
            for (n, (((ls, led), (rates, &column)), lag)) in lines.enumerate() {
                let rate = plain_rate(rates, day);
                out.series.note_capacity(n, rate.0);
                plain_day(ls, led, rate, day, lag, (m, column), &mut self.arrivals);
            }
            return;
        }
        // Lines are independent within a day's production (each has its own ledger, streams
        // and calendar column), so the plain ones can go first.
        for &n in &sim.lines.plain {
            let rate = plain_rate(&sim.daily_rates[n], day);
            out.series.note_capacity(n, rate.0);
            let lag = (&mut self.streams.lag[n], &sim.lags[n]);
            let column = (m, sim.arrival_column[n]);
            let (ls, led) = (&mut self.lines[n], &mut out.lines[n]);
            plain_day(ls, led, rate, day, lag, column, &mut self.arrivals);
        }
        let s = sim.scenario;
        let d = f64::from(day.0);
        for &n in &sim.lines.general {
            let (ls, line) = (&mut self.lines[n], &s.lines[n]);
            let rate = match &sim.daily_rates[n] {
                Some(rates) => rates[day.index()],
                None => ramp_rate(&ls.ramp, ls.segment, d),
            };
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
            let law = self.draws.lag(n).unwrap_or(&sim.lags[n]);
            let lag = ls.next_lag(law, &mut self.streams.lag[n]);
            // A shipment arriving after the horizon stays in transit.
            let at = day.plus(lag);
            if let Some(c) = sim.arrival_column[n] {
                if let Some(units) = self
                    .arrivals
                    .get_mut(at.index() * sim.arrival_columns + c as usize)
                {
                    *units += good;
                }
            } else {
                self.queue.schedule(
                    at,
                    Event::ShipmentArrived {
                        line: n as u32,
                        units: good,
                    },
                );
            }
        }
    }
}

/// A plain line's capacity on `day` (see [`Lines`](super::Lines)).
#[inline(always)]
fn plain_rate(rates: &Option<Box<[Fixed]>>, day: Day) -> Fixed {
    let Some(rates) = rates else {
        unreachable!("a plain line's capacity is the same in every future")
    };
    rates[day.index()]
}

/// One day of a plain line (see [`Lines`](super::Lines)) at capacity `rate`: the steps of
/// [`Worker::produce`] without those that cannot apply to it (no added or dedicated capacity,
/// no disruption, no defects, no shared queue), so the same units leave on the same days with
/// the same lags. `lag` is the line's lag stream and law, `column` the calendar's number of
/// columns and the line's.
#[inline(always)]
fn plain_day(
    ls: &mut LineState,
    led: &mut LineLedger,
    rate: Fixed,
    day: Day,
    (rng, law): (&mut StreamRng, &WholeDays),
    (m, column): (usize, Option<u32>),
    arrivals: &mut [u64],
) {
    let Some(c) = column else {
        unreachable!("a plain line's shipments are kept in the arrivals calendar")
    };
    let ours = if ls.our_share == Fixed::ONE {
        rate
    } else {
        rate.times(ls.our_share)
    };
    ls.carry = ls.carry.plus(ours);
    let made = ls.carry.whole().min(led.backlog);
    ls.carry = ls.carry.fraction();
    if made == 0 {
        return;
    }
    led.backlog -= made;
    led.produced += made;
    led.in_transit += made;
    let lag = ls.next_lag(law, rng);
    // A shipment arriving after the horizon stays in transit.
    if let Some(units) = arrivals.get_mut(day.plus(lag).index() * m + c as usize) {
        *units += made;
    }
}

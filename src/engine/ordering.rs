//! Money in and orders out: installments fall due (converted once from their currency into
//! US-dollar cents), channels place orders under their buys' discipline (`max_backlog_days`,
//! `min_units_per_order`, `lot_size`) at this future's prices, and the price of each order is
//! paid as its `payment` split says: the advance when it is placed, the rest as its units are
//! delivered, oldest order of the line first.
//!
//! Prices: an item's unit cost is drawn once per future when it is uncertain; on day `d` a
//! buy pays `round(cost × (1 + escalation)^(d / 365) × multiplier)` cents a unit (nearest cent,
//! halves away from zero, at least one cent); without escalation and multiplier it is the cost
//! itself, with no arithmetic.
//!
//! Currencies: an amount in a currency becomes hundredths of it (nearest, halves away from
//! zero), the rate becomes billionths of a dollar ([`Fixed`]), and their product is rounded to
//! the nearest cent, halves to even, with integer arithmetic only.

use super::record::RunRecord;
use super::{Event, Simulator, Worker};
use crate::sampling::stream;
use crate::scenario::{Allocation, Rate, Scenario};
use crate::units::{Cents, Day, Fixed};
use rand::Rng;
use std::collections::VecDeque;

/// One of this scenario's orders on a line whose units have not all arrived yet.
#[derive(Debug, Clone, Copy)]
pub(super) struct Open {
    /// The paying channel.
    channel: u32,
    /// Units not yet arrived.
    units: u64,
    /// Price of one unit, in cents.
    price: i64,
    /// Cents still to pay on delivery for those units.
    owed: i64,
}

/// The prices of one future and the open orders of each line.
#[derive(Debug, Default)]
pub(super) struct Prices {
    /// Per item: the unit cost in cents on the start date.
    pub base: Vec<i64>,
    /// Per channel, per buy: the price multiplier.
    mult: Vec<Vec<f64>>,
    /// Per currency: the drawn rate (billionths of a dollar per unit; unused for dated rates).
    rates: Vec<Fixed>,
    /// Per line: our orders not yet delivered, oldest first.
    open: Vec<VecDeque<Open>>,
}

/// What the [`Simulator`] prepares for ordering.
#[derive(Debug, Default)]
pub(super) struct Plan {
    /// Per channel, per buy: the advance share in fixed point.
    advance: Vec<Vec<Fixed>>,
    /// Whether any price escalates or is multiplied (otherwise the cost is the price).
    priced: bool,
}

impl Plan {
    pub(super) fn new(s: &Scenario) -> Plan {
        Plan {
            advance: s
                .channels
                .iter()
                .map(|c| {
                    c.buys
                        .iter()
                        .map(|b| Fixed::from_f64(b.rules.payment.advance))
                        .collect()
                })
                .collect(),
            priced: s.items.iter().any(|i| i.price.escalation != 0.0)
                || s.channels
                    .iter()
                    .flat_map(|c| &c.buys)
                    .any(|b| b.rules.price_multiplier.fixed_value() != Some(1.0)),
        }
    }
}

/// A draw that costs nothing when the distribution is a fixed value.
fn draw(d: &crate::sampling::Dist, seed: u64, run: u64, key: crate::sampling::StreamKey) -> f64 {
    d.fixed_value()
        .unwrap_or_else(|| d.sample(&mut stream(seed, run, key)))
}

/// The price of one unit on `day`: `cost × (1 + escalation)^(day / 365) × multiplier`, to the
/// nearest cent (halves away from zero), at least one cent.
#[must_use]
pub fn unit_price(cost: i64, escalation: f64, multiplier: f64, day: Day) -> i64 {
    if escalation == 0.0 && multiplier == 1.0 {
        return cost;
    }
    let f = (1.0 + escalation).powf(f64::from(day.0) / 365.0) * multiplier;
    ((cost as f64) * f)
        .round()
        .clamp(1.0, crate::scenario::MAX_USD * 100.0) as i64
}

/// `amount` units of a currency at `rate` billionths of a dollar each, in cents: hundredths of
/// the currency (nearest, halves away from zero) times the rate, to the nearest cent with
/// halves to even.
#[must_use]
pub fn convert(amount: f64, rate: Fixed) -> Cents {
    let minor = (amount * 100.0).round().max(0.0) as u128;
    let scale = u128::from(Fixed::ONE.0);
    let p = minor * u128::from(rate.0);
    let (q, r) = (p / scale, p % scale);
    let up = r > scale / 2 || (r == scale / 2 && q & 1 == 1);
    Cents(i64::try_from(q + u128::from(up)).unwrap_or(i64::MAX))
}

impl Prices {
    /// Draws the prices and rates of run `run`.
    pub(super) fn start(&mut self, s: &Scenario, seed: u64, run: u64, out: &mut RunRecord) {
        self.base.clear();
        self.base
            .extend(s.items.iter().map(|it| match &it.price.drawn {
                None => it.unit_cost.0,
                Some(d) => {
                    let usd = draw(d, seed, run, it.price.key_cost);
                    Cents::from_usd(usd.clamp(0.0, crate::scenario::MAX_USD))
                        .0
                        .max(1)
                }
            }));
        for (led, &c) in out.items.iter_mut().zip(&self.base) {
            led.unit_cost = c;
        }
        self.mult.resize_with(s.channels.len(), Vec::new);
        for (m, c) in self.mult.iter_mut().zip(&s.channels) {
            m.clear();
            m.extend(c.buys.iter().map(|b| {
                let r = &b.rules;
                draw(&r.price_multiplier, seed, run, r.key_multiplier)
            }));
        }
        self.rates.clear();
        self.rates
            .extend(s.currencies.iter().map(|c| match &c.rate {
                Rate::Drawn(d) => Fixed::from_f64(draw(d, seed, run, c.key_rate)),
                Rate::Dated(_) => Fixed::ZERO,
            }));
        self.open.resize_with(s.lines.len(), VecDeque::new);
        self.open.iter_mut().for_each(VecDeque::clear);
    }

    /// The rate of currency `c` on `day`.
    fn rate(&self, s: &Scenario, c: usize, day: Day) -> Fixed {
        match &s.currencies[c].rate {
            Rate::Drawn(_) => self.rates[c],
            Rate::Dated(points) => {
                let k = points.partition_point(|&(d, _)| d <= day).max(1);
                Fixed::from_f64(points[k - 1].1)
            }
        }
    }
}

impl Worker {
    /// Installment `i` of source `k` falls due: its amount is drawn (and converted from its
    /// currency), and it is either defaulted or sent on its way to the channels.
    pub(super) fn installment_due(
        &mut self,
        sim: &Simulator<'_>,
        day: Day,
        k: usize,
        i: usize,
        out: &mut RunRecord,
    ) {
        let s = sim.scenario;
        let f = &s.funding[k];
        let inst = &f.installments[i];
        // Validation bounds every amount's distribution; the clamp also bounds heavy tails.
        let amount = inst
            .amount_usd
            .sample(&mut self.streams.amount[k])
            .clamp(0.0, crate::scenario::MAX_USD);
        // A shared factor (at most 1) moves every source that loads on it together.
        let amount = match &f.factor {
            Some(load) => amount * self.factors.multiplier(load, day.0),
            None => amount,
        };
        let cents = match inst.currency {
            None => Cents::from_usd(amount).0.max(0),
            Some(c) => convert(amount, self.prices.rate(s, c.0, day)).0,
        };
        let led = &mut out.funding[k];
        led.pledged += cents;
        out.pledged[day.index()] += cents;
        let paid =
            f.pay_probability >= 1.0 || self.streams.paid[k].random::<f64>() < f.pay_probability;
        if !paid {
            led.defaulted += cents;
            return;
        }
        let delay =
            (self.draws.delay(k).unwrap_or(&sim.delays[k])).sample(&mut self.streams.delay[k]);
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

    /// The whole units line `n` can make for this scenario's orders within `days` days at
    /// today's rate (ramp, finished projects, the share left by other customers, disruptions).
    fn deliverable(&self, n: usize, day: Day, days: u32) -> u64 {
        let ls = &self.lines[n];
        let rate = super::ramp::ramp_rate(&ls.ramp, ls.segment, f64::from(day.0)).plus(ls.added);
        let mut rate = rate.times(ls.our_share);
        if self.disrupt.active {
            rate = rate.times(self.disrupt.capacity[n]);
        }
        let rate = rate.plus(ls.dedicated);
        (u128::from(rate.0) * u128::from(days) / u128::from(Fixed::ONE.0)) as u64
    }

    /// Channel `c` places its orders on `day`: its contracts and projects first, then each buy.
    pub(super) fn place_orders(
        &mut self,
        sim: &Simulator<'_>,
        day: Day,
        c: usize,
        out: &mut RunRecord,
    ) {
        let s = sim.scenario;
        let ch = &s.channels[c];
        if !sim.contracts.by_channel[c].is_empty() {
            self.fund_contracts(sim, day, c, out);
        }
        if !sim.plan.by_channel[c].is_empty() {
            super::expansion::fund(
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
            let item = buy.item.0;
            let cost = if sim.ordering.priced {
                let it = &s.items[item];
                unit_price(
                    self.prices.base[item],
                    it.price.escalation,
                    self.prices.mult[c][b],
                    day,
                )
            } else {
                self.prices.base[item]
            };
            let allowance = match ch.allocation {
                Allocation::Shares => sim.buy_shares[c][b].share_of(Cents(budget)).0.min(left),
                Allocation::Priority => left,
            };
            let mut units = (allowance / cost) as u64;
            if let Some(m) = buy.max_units {
                units = units.min(m);
            }
            let n = buy.line.0;
            if let Some(days) = buy.rules.max_backlog_days {
                let l = &out.lines[n];
                let waiting = l.pending + l.backlog;
                units = units.min(self.deliverable(n, day, days).saturating_sub(waiting));
            }
            let units = buy.rules.shape(units);
            if units == 0 {
                continue;
            }
            let price = units as i64 * cost;
            left -= price;
            let advance = sim.ordering.advance[c][b];
            let paid = if advance == Fixed::ONE {
                price
            } else {
                advance.share_of(Cents(price)).0
            };
            let owed = price - paid;
            out.spent[day.index()] += paid;
            let led = &mut out.channels[c];
            led.spent += paid;
            led.committed += owed;
            out.items[item].ordered += units;
            let l = &mut out.lines[n];
            l.ordered += units;
            l.pending += units;
            l.ordered_value += price;
            l.owed += owed;
            self.prices.open[n].push_back(Open {
                channel: c as u32,
                units,
                price: cost,
                owed,
            });
            let delay = (self
                .draws
                .contract(c, b)
                .unwrap_or(&sim.contract_delays[c][b]))
            .sample(&mut self.streams.contract[c][b]);
            let ev = Event::ContractStart {
                line: n as u32,
                channel: c as u32,
                units,
            };
            // A contract starting after the horizon leaves its units pending.
            self.queue.schedule(day.plus(delay), ev);
        }
        self.balances[c] = left;
        self.queue
            .schedule(day.plus(ch.every), Event::OrderPlaced { channel: c as u32 });
    }

    /// `units` of line `n` (item `item`) left transit on `day`, arrived or lost: their orders,
    /// oldest first, pay what they owe on delivery for them, pro rata to units (an order's last
    /// units pay the rest), and their price counts as the cost of delivered units.
    pub(super) fn settle(
        &mut self,
        n: usize,
        item: usize,
        mut units: u64,
        day: Day,
        out: &mut RunRecord,
    ) {
        let q = &mut self.prices.open[n];
        let mut value = 0i64;
        while units > 0 {
            let Some(o) = q.front_mut() else { break };
            let k = units.min(o.units);
            let pay = if k == o.units || o.owed == 0 {
                o.owed
            } else {
                (i128::from(o.owed) * i128::from(k) / i128::from(o.units)) as i64
            };
            value += k as i64 * o.price;
            o.units -= k;
            o.owed -= pay;
            units -= k;
            if pay > 0 {
                out.spent[day.index()] += pay;
                let ch = &mut out.channels[o.channel as usize];
                ch.spent += pay;
                ch.committed -= pay;
                out.lines[n].owed -= pay;
            }
            if o.units == 0 {
                q.pop_front();
            }
        }
        out.items[item].delivered_cost += value;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escalation_compounds_to_the_cent() {
        assert_eq!(unit_price(10_000, 0.1, 1.0, Day(365)), 11_000);
        assert_eq!(unit_price(10_000, 0.1, 1.0, Day(730)), 12_100);
        assert_eq!(unit_price(10_000, 0.0, 1.5, Day(730)), 15_000);
        assert_eq!(unit_price(10_000, 0.0, 1.0, Day(730)), 10_000);
        assert_eq!(unit_price(1, 0.0, 0.01, Day(0)), 1);
    }

    #[test]
    fn conversion_is_exact_and_rounds_halves_to_even() {
        // €287,500,000 at 1.16 dollars per euro.
        assert_eq!(
            convert(287_500_000.0, Fixed::from_f64(1.16)),
            Cents(33_350_000_000)
        );
        // 1 cent of a currency at 0.5: half a cent, rounded to the even 0.
        assert_eq!(convert(0.01, Fixed::from_f64(0.5)), Cents(0));
        assert_eq!(convert(0.03, Fixed::from_f64(0.5)), Cents(2));
    }
}

//! Fixed-quantity contracts within one run.
//!
//! A contract is signed on its day (before its channel's orders of that day). Its price is its
//! units at the item's price that day (this future's unit cost, escalated) times its price
//! multiplier. From then on, on the signing day and on each of its channel's order days before
//! anything else, the channel sets aside what its balance allows until the whole price is set
//! aside. Money falls due as the `payment` split says: the advance (rounded down to a cent) on
//! signing, and the on-delivery part as units arrive, pro rata (after `k` of `U` units,
//! `floor(on_delivery × k / U)` cents in all). Due money is paid as soon as it is set aside:
//! at every moment paid = min(due, set aside), so a balance never goes negative.
//!
//! Deliveries do not use the capacity of the scenario's lines: the units of each delivery
//! arrive in stock evenly over the days after the previous delivery date (the signing date for
//! the first) up to its `by` date — after `j` of its `D` days, `floor(units × j / D)` of them —
//! every date moved by the slip drawn once per future. Units due after the horizon stay
//! undelivered. A scenario without contracts does no work here.

use super::ordering::unit_price;
use super::record::RunRecord;
use super::{Event, Simulator, Worker};
use crate::sampling::{stream, whole_days};
use crate::scenario::Scenario;
use crate::units::{Cents, Day, Fixed};

/// What the [`Simulator`] prepares for contracts.
#[derive(Debug, Default)]
pub(super) struct Plan {
    /// Per channel: its contracts, in file order.
    pub by_channel: Vec<Vec<u32>>,
}

impl Plan {
    pub(super) fn new(s: &Scenario) -> Plan {
        let mut by_channel = vec![Vec::new(); s.channels.len()];
        for (k, c) in s.contracts.iter().enumerate() {
            by_channel[c.channel.0].push(k as u32);
        }
        Plan { by_channel }
    }
}

/// One contract within one run.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct State {
    slip: u32,
    multiplier: f64,
    /// The unit price (cents), known once signed.
    unit: i64,
    advance: i64,
}

/// Draws every contract of run `run`.
pub(super) fn start(s: &Scenario, seed: u64, run: u64, out: &mut Vec<State>) {
    out.clear();
    out.extend(s.contracts.iter().map(|c| {
        let draw = |d: &crate::sampling::Dist, key| {
            d.fixed_value()
                .unwrap_or_else(|| d.sample(&mut stream(seed, run, key)))
        };
        State {
            slip: whole_days(draw(&c.slip, c.key_slip)),
            multiplier: draw(&c.price_multiplier, c.key_multiplier),
            unit: 0,
            advance: 0,
        }
    }));
}

impl Worker {
    /// Contract `k` is signed on `day`.
    pub(super) fn sign_contract(
        &mut self,
        sim: &Simulator<'_>,
        day: Day,
        k: usize,
        out: &mut RunRecord,
    ) {
        let s = sim.scenario;
        let c = &s.contracts[k];
        let it = &s.items[c.item.0];
        let st = &mut self.contracts[k];
        let units = c.units();
        st.unit = unit_price(
            self.prices.base[c.item.0],
            it.price.escalation,
            st.multiplier,
            day,
        );
        let price = (i128::from(st.unit) * i128::from(units)).min(i128::from(i64::MAX / 4)) as i64;
        st.advance = Fixed::from_f64(c.payment.advance).share_of(Cents(price)).0;
        let led = &mut out.contracts[k];
        led.signed = true;
        led.slip_days = st.slip;
        led.units = units;
        led.price = price;
        led.due = st.advance;
        out.items[c.item.0].ordered += units;
        let mut from = c.signed.0;
        for &(by, units) in &c.deliveries {
            let days = by - from;
            let first = u64::from(from) + u64::from(st.slip);
            for j in 1..=u64::from(days) {
                let Ok(d) = u32::try_from(first + j) else {
                    break;
                };
                if d > s.horizon {
                    break;
                }
                let n = (u128::from(units) * u128::from(j) / u128::from(days)
                    - u128::from(units) * u128::from(j - 1) / u128::from(days))
                    as u64;
                if n > 0 {
                    self.queue.schedule(
                        Day(d),
                        Event::ContractDelivery {
                            contract: k as u32,
                            units: n,
                        },
                    );
                }
            }
            from = by;
        }
        self.fund_contract(k, c.channel.0, day, out);
    }

    /// Channel `c` sets aside money for its signed contracts, in file order.
    pub(super) fn fund_contracts(
        &mut self,
        sim: &Simulator<'_>,
        day: Day,
        c: usize,
        out: &mut RunRecord,
    ) {
        for &k in &sim.contracts.by_channel[c] {
            if out.contracts[k as usize].signed {
                self.fund_contract(k as usize, c, day, out);
            }
        }
    }

    fn fund_contract(&mut self, k: usize, c: usize, day: Day, out: &mut RunRecord) {
        let led = &mut out.contracts[k];
        let take = (led.price - led.set_aside).min(self.balances[c]).max(0);
        self.balances[c] -= take;
        led.set_aside += take;
        out.channels[c].committed += take;
        pay(out, k, c, day);
    }

    /// `units` of contract `k` arrive in stock on `day`.
    pub(super) fn contract_delivery(
        &mut self,
        sim: &Simulator<'_>,
        day: Day,
        k: usize,
        units: u64,
        out: &mut RunRecord,
    ) {
        let c = &sim.scenario.contracts[k];
        let st = self.contracts[k];
        let item = c.item.0;
        self.items[item].stock += units;
        let it = &mut out.items[item];
        it.delivered += units;
        it.delivered_cost += units as i64 * st.unit;
        let led = &mut out.contracts[k];
        led.delivered += units;
        let on_delivery = led.price - st.advance;
        led.due = st.advance
            + (i128::from(on_delivery) * i128::from(led.delivered) / i128::from(led.units)) as i64;
        pay(out, k, c.channel.0, day);
    }
}

/// Pays contract `k` what is due and set aside.
fn pay(out: &mut RunRecord, k: usize, c: usize, day: Day) {
    let led = &mut out.contracts[k];
    let now = led.due.min(led.set_aside) - led.paid;
    if now <= 0 {
        return;
    }
    led.paid += now;
    let ch = &mut out.channels[c];
    ch.spent += now;
    ch.committed -= now;
    out.spent[day.index()] += now;
}

/// The conservation laws of contracts and payments.
pub(super) fn violations(r: &RunRecord, s: &Scenario) -> Vec<String> {
    let mut bad = Vec::new();
    let mut held = 0i64;
    let mut paid = 0i64;
    for (k, (c, l)) in s.contracts.iter().zip(&r.contracts).enumerate() {
        let units = if l.signed { c.units() } else { 0 };
        if l.units != units
            || l.delivered > l.units
            || l.paid != l.due.min(l.set_aside)
            || l.set_aside > l.price
            || l.due > l.price
        {
            bad.push(format!(
                "contract {k}: units {} delivered {} price {} set aside {} due {} paid {}",
                l.units, l.delivered, l.price, l.set_aside, l.due, l.paid
            ));
        }
        held += l.set_aside - l.paid;
        paid += l.paid;
    }
    let owed: i64 = r.lines.iter().map(|l| l.owed).sum();
    let value: i64 = r.lines.iter().map(|l| l.ordered_value).sum();
    let committed: i64 = r.channels.iter().map(|c| c.committed).sum();
    let spent: i64 = r.channels.iter().map(|c| c.spent).sum();
    if committed != owed + held {
        bad.push(format!(
            "committed {committed} != owed on delivery {owed} + set aside for contracts {held}"
        ));
    }
    if spent != value - owed + paid {
        bad.push(format!(
            "paid to suppliers {spent} != ordered value {value} − owed {owed} + contract payments {paid}"
        ));
    }
    bad
}

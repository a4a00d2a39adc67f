//! The queue of a shared line: other buyers' orders arriving every day, the rule that shares
//! each day's capacity between them and this scenario's orders, and the seller's stock of
//! finished units that can be released at once.
//!
//! Only lines with `[[line.customer]]` or a `releasable_stock` have one; every other line keeps
//! the plain backlog counter of the engine, so a scenario without them pays nothing.
//!
//! Each day, in order: (1) every customer's daily orders join its backlog (a fixed-point carry,
//! so 1,826 a year is 4 units on the first day and then 5 a day, exactly); (2) the refill of the
//! seller's stock is taken from the day's whole units of capacity; (3) what is left is shared by
//! the queue rule. First in, first out serves the oldest waiting order whoever placed it (a
//! contract that starts today is older than today's customer orders); the priority rule serves
//! priority 1's backlog first, then 2, and splits among buyers tied at one priority pro rata to
//! their backlogs, whole units by largest remainder, remaining ties by customer name with this
//! scenario's orders last.

use super::record::{CustomerLedger, LineLedger};
use crate::sampling::{stream, StreamRng};
use crate::scenario::{Flow, Line, Queue};
use crate::units::{Day, Fixed, FIXED_SCALE};
use std::collections::VecDeque;

/// The buyer index of this scenario's orders in the first-in, first-out queue.
const US: u32 = u32::MAX;

/// One customer within a run.
#[derive(Debug, Default)]
struct CustomerState {
    /// (first day, orders per day), in day order.
    points: Vec<(u32, Fixed)>,
    /// Next point not yet in force.
    next: usize,
    rate: Fixed,
    carry: Fixed,
    backlog: u64,
}

/// The shared queue of one line within one run.
#[derive(Debug)]
pub(super) struct SharedLine {
    queue: Queue,
    /// Index of the line's first customer in the run record.
    first: usize,
    customers: Vec<CustomerState>,
    /// Buyers in serving order for the priority rule: customer indexes (or [`US`]), grouped
    /// by priority; `groups` holds each group's end in `order`.
    order: Vec<u32>,
    groups: Vec<usize>,
    /// Waiting orders in arrival order: (buyer, units).
    fifo: VecDeque<(u32, u64)>,
    /// Finished units the seller holds now, and at the start (the refill stops there).
    stock: u64,
    stock_full: u64,
    restock: Fixed,
    restock_carry: Fixed,
    /// Stream for the delivery lag of released units.
    pub lag_rng: StreamRng,
    /// (remainder, position in the group) while splitting a tied group.
    scratch: Vec<(u64, usize)>,
    /// Backlog, then units given, of each buyer of the group being served.
    shares: Vec<u64>,
}

impl SharedLine {
    /// The queue of `line` for run `run`, its customers' orders drawn; `first` is the index of
    /// its first customer in the run record.
    pub(super) fn new(line: &Line, first: usize, seed: u64, run: u64) -> SharedLine {
        let per_day = |per_year: f64| Fixed::from_f64(per_year / 365.25);
        let customers = line
            .customers
            .iter()
            .map(|c| CustomerState {
                points: match &c.units_per_year {
                    Flow::Drawn(d) => {
                        let v = d
                            .fixed_value()
                            .unwrap_or_else(|| d.sample(&mut stream(seed, run, c.key_rate)));
                        vec![(0, per_day(v.max(0.0)))]
                    }
                    Flow::Dated(p) => p.iter().map(|&(d, v)| (d.0, per_day(v))).collect(),
                },
                ..CustomerState::default()
            })
            .collect();
        // Within a priority: customers by name, then this scenario.
        let mut order: Vec<(u32, bool, &str, u32)> = line
            .customers
            .iter()
            .enumerate()
            .map(|(k, c)| (c.priority, false, c.name.as_str(), k as u32))
            .collect();
        order.push((line.our_priority, true, "", US));
        order.sort_unstable();
        let mut groups = Vec::new();
        for k in 1..=order.len() {
            if k == order.len() || order[k].0 != order[k - 1].0 {
                groups.push(k);
            }
        }
        let stock = match line.releasable.fixed_value() {
            Some(v) => v,
            None => line
                .releasable
                .sample(&mut stream(seed, run, line.key_releasable)),
        };
        let stock = stock.round().clamp(0.0, 1e12) as u64;
        SharedLine {
            queue: line.queue,
            first,
            customers,
            order: order.into_iter().map(|o| o.3).collect(),
            groups,
            fifo: VecDeque::new(),
            stock,
            stock_full: stock,
            restock: Fixed::from_f64(line.restock_share),
            restock_carry: Fixed::ZERO,
            lag_rng: stream(seed, run, line.key_release_lag),
            scratch: Vec::new(),
            shares: Vec::new(),
        }
    }

    /// The seller's stock at the start of the run.
    pub(super) fn initial_stock(&self) -> u64 {
        self.stock_full
    }

    /// The seller's stock now.
    pub(super) fn stock(&self) -> u64 {
        self.stock
    }

    /// A contract of `units` starts: the seller's stock serves it first; the rest joins the
    /// queue. Returns the units released from stock (the caller ships them).
    pub(super) fn contract(&mut self, units: u64) -> u64 {
        let released = units.min(self.stock);
        self.stock -= released;
        let rest = units - released;
        if rest > 0 && self.queue == Queue::Fifo {
            push(&mut self.fifo, US, rest);
        }
        released
    }

    /// Units made for this scenario outside the queue (by capacity reserved for it): its oldest
    /// waiting orders are served.
    pub(super) fn take_ours(&mut self, mut units: u64) {
        if self.queue != Queue::Fifo {
            return;
        }
        for (who, u) in &mut self.fifo {
            if units == 0 {
                break;
            }
            if *who == US {
                let t = (*u).min(units);
                *u -= t;
                units -= t;
            }
        }
        self.fifo.retain(|&(_, u)| u > 0);
    }

    /// Units made for this scenario but rejected: the order still waits, first in line.
    pub(super) fn requeue(&mut self, units: u64) {
        if units > 0 && self.queue == Queue::Fifo {
            match self.fifo.front_mut() {
                Some((US, u)) => *u += units,
                _ => self.fifo.push_front((US, units)),
            }
        }
    }

    /// One day of the line with `capacity` whole units: customers order, the seller's stock is
    /// refilled, and the rest is shared. Returns the units made for this scenario's orders
    /// (`led.backlog` is what they wait for).
    pub(super) fn serve(
        &mut self,
        day: Day,
        capacity: u64,
        led: &mut LineLedger,
        ledgers: &mut [CustomerLedger],
    ) -> u64 {
        let ledgers = &mut ledgers[self.first..self.first + self.customers.len()];
        for (k, (c, l)) in self
            .customers
            .iter_mut()
            .zip(ledgers.iter_mut())
            .enumerate()
        {
            while c.points.get(c.next).is_some_and(|p| p.0 <= day.0) {
                c.rate = c.points[c.next].1;
                c.next += 1;
            }
            c.carry = c.carry.plus(c.rate);
            let w = c.carry.whole();
            c.carry = c.carry.fraction();
            if w > 0 {
                c.backlog += w;
                l.ordered += w;
                if self.queue == Queue::Fifo {
                    push(&mut self.fifo, k as u32, w);
                }
            }
        }
        let mut left = capacity;
        if self.stock < self.stock_full {
            self.restock_carry = self
                .restock_carry
                .plus(Fixed(left * FIXED_SCALE).times(self.restock));
            let r = self
                .restock_carry
                .whole()
                .min(self.stock_full - self.stock)
                .min(left);
            self.restock_carry = self.restock_carry.fraction();
            self.stock += r;
            led.refilled += r;
            left -= r;
        } else {
            self.restock_carry = Fixed::ZERO;
        }
        let made = match self.queue {
            Queue::Fifo => self.serve_fifo(left, ledgers),
            Queue::Priority => self.serve_priority(left, led.backlog, ledgers),
        };
        for (c, l) in self.customers.iter().zip(ledgers.iter_mut()) {
            l.backlog = c.backlog;
        }
        made
    }

    fn serve_fifo(&mut self, mut left: u64, ledgers: &mut [CustomerLedger]) -> u64 {
        let mut made = 0;
        while left > 0 {
            let Some((who, units)) = self.fifo.front_mut() else {
                break;
            };
            let take = (*units).min(left);
            left -= take;
            *units -= take;
            if *who == US {
                made += take;
            } else {
                let k = *who as usize;
                self.customers[k].backlog -= take;
                ledgers[k].delivered += take;
            }
            if *units == 0 {
                self.fifo.pop_front();
            }
        }
        made
    }

    fn serve_priority(&mut self, mut left: u64, ours: u64, ledgers: &mut [CustomerLedger]) -> u64 {
        let mut made = 0;
        let mut start = 0;
        for &end in &self.groups {
            if left == 0 {
                break;
            }
            let group = &self.order[start..end];
            start = end;
            // Each buyer's share: (backlog, then units given).
            self.shares.clear();
            self.shares.extend(group.iter().map(|&k| {
                if k == US {
                    ours
                } else {
                    self.customers[k as usize].backlog
                }
            }));
            let total: u64 = self.shares.iter().sum();
            if total <= left {
                left -= total;
            } else {
                // Pro rata to backlogs, whole units by largest remainder; ties keep group order.
                self.scratch.clear();
                let mut given = 0;
                for (pos, b) in self.shares.iter_mut().enumerate() {
                    let p = u128::from(left) * u128::from(*b);
                    *b = (p / u128::from(total)) as u64;
                    given += *b;
                    self.scratch.push(((p % u128::from(total)) as u64, pos));
                }
                self.scratch.sort_by_key(|r| std::cmp::Reverse(r.0));
                for &(_, pos) in self.scratch.iter().take((left - given) as usize) {
                    self.shares[pos] += 1;
                }
                left = 0;
            }
            for (&k, &n) in group.iter().zip(&self.shares) {
                if k == US {
                    made += n;
                } else {
                    self.customers[k as usize].backlog -= n;
                    ledgers[k as usize].delivered += n;
                }
            }
        }
        made
    }
}

/// Adds an order at the back of a first-in, first-out queue, merged with the last one when the
/// same buyer placed it.
fn push(q: &mut VecDeque<(u32, u64)>, who: u32, units: u64) {
    match q.back_mut() {
        Some((w, u)) if *w == who => *u += units,
        _ => q.push_back((who, units)),
    }
}

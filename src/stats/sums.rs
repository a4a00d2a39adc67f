//! Cross-run sums of the per-run ledgers, each counter declared once: one line of a
//! [`ledger_sums!`] declaration gives the field, how one run's ledger adds to it and (through its
//! type) the exact merge. Adding a counter is that one line.

use super::TotalDist;
use crate::engine::{
    ChannelLedger, ContractLedger, CustomerLedger, EventLedger, ExpansionLedger, FundingLedger,
    ItemLedger, LineLedger,
};
use serde::{Deserialize, Serialize};

/// A counter summed across runs: one run's value is counted with [`Tally::tally`].
pub trait Tally<V> {
    /// Counts one run's value.
    fn tally(&mut self, v: V);
}

/// An exact, order-free merge of two counters of the same runs' kind.
pub trait Merge {
    /// Adds another's counts.
    fn merge(&mut self, o: &Self);
}

/// A sum of cents.
impl<V: Into<i128>> Tally<V> for i128 {
    #[inline]
    fn tally(&mut self, v: V) {
        *self += v.into();
    }
}

/// A sum of units or days.
impl<V: Into<u128>> Tally<V> for u128 {
    #[inline]
    fn tally(&mut self, v: V) {
        *self += v.into();
    }
}

/// A count of runs: a condition counts one run when it holds.
impl<V: Into<u64>> Tally<V> for u64 {
    #[inline]
    fn tally(&mut self, v: V) {
        *self += v.into();
    }
}

/// The distribution of a per-run value.
impl<V: Into<u64>> Tally<V> for TotalDist {
    #[inline]
    fn tally(&mut self, v: V) {
        self.add(v.into());
    }
}

/// Runs by day: the run counts on its day, if it has one (its length is the horizon + 1).
impl Tally<Option<u32>> for Vec<u64> {
    #[inline]
    fn tally(&mut self, v: Option<u32>) {
        if let Some(d) = v {
            self[d as usize] += 1;
        }
    }
}

macro_rules! merge_by_addition {
    ($($t:ty),*) => {
        $(impl Merge for $t {
            #[inline]
            fn merge(&mut self, o: &Self) {
                *self += *o;
            }
        })*
    };
}
merge_by_addition!(i128, u128, u64);

impl Merge for TotalDist {
    fn merge(&mut self, o: &Self) {
        TotalDist::merge(self, o);
    }
}

/// Element by element (per day, or per entity).
impl<T: Merge> Merge for Vec<T> {
    fn merge(&mut self, o: &Self) {
        for (a, b) in self.iter_mut().zip(o) {
            a.merge(b);
        }
    }
}

/// Declares the exact cross-run sums of per-run ledgers once: the struct, one `add` function per
/// ledger it counts (each field counts `expr`, or the ledger's field of the same name), and the
/// exact merge ([`Merge`]).
macro_rules! ledger_sums {
    ($(#[$m:meta])* $name:ident {
        $($(#[$am:meta])* fn $add:ident($l:ident: &$ledger:ty) {
            $($(#[$fm:meta])* $field:ident: $ty:ty $(= $e:expr)?),* $(,)?
        })+
    }) => {
        $(#[$m])*
        pub struct $name {
            $($($(#[$fm])* pub $field: $ty,)*)+
        }

        impl $name {
            $(
                $(#[$am])*
                #[inline]
                pub fn $add(&mut self, $l: &$ledger) {
                    $(Tally::tally(&mut self.$field, ledger_sums!(@value $l.$field $(, $e)?));)*
                }
            )+
        }

        impl Merge for $name {
            fn merge(&mut self, o: &Self) {
                $($(Merge::merge(&mut self.$field, &o.$field);)*)+
            }
        }
    };
    (@value $same_name:expr) => { $same_name };
    (@value $same_name:expr, $e:expr) => { $e };
}

ledger_sums! {
    /// Per-item totals across runs.
    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    ItemTotals {
        /// Adds one run's ledger of the item.
        fn add(l: &ItemLedger) {
            /// Stock at the horizon.
            end_stock: TotalDist,
            /// Units ordered.
            ordered: TotalDist,
            /// Units delivered.
            delivered: TotalDist,
            /// Units wanted but not in stock.
            unmet: TotalDist,
            /// Days below safe stock.
            days_below_safe: TotalDist,
            /// Days with unmet demand.
            days_short: TotalDist,
            /// Runs whose stock first fell below safe stock on each day.
            first_below_safe: Vec<u64>,
            /// Runs whose stock never fell below safe stock.
            never_below_safe: u64 = l.first_below_safe.is_none(),
            /// Runs with at least one day of unmet demand.
            runs_short: u64 = l.days_short > 0,
            /// Σ cents of the price of delivered units (see `ItemLedger::delivered_cost`).
            #[serde(default)]
            delivered_cost: i128,
            /// Σ units delivered.
            #[serde(default)]
            delivered_units: u128 = l.delivered,
            /// Units of its demand covered by substitutes.
            #[serde(default)]
            substituted: TotalDist,
            /// Units of it used in place of other items' missing units.
            #[serde(default)]
            used_as_substitute: TotalDist,
        }
    }
}

ledger_sums! {
    /// Exact sums of a funding source's ledger across runs, in cents.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
    FundingSums {
        /// Adds one run's ledger.
        fn add(l: &FundingLedger) {
            /// Σ pledged.
            pledged: i128,
            /// Σ paid.
            paid: i128,
            /// Σ never paid.
            defaulted: i128,
            /// Σ still in flight at the horizon.
            in_flight: i128,
        }
    }
}

ledger_sums! {
    /// Exact sums of a channel's ledger across runs, in cents.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
    ChannelSums {
        /// Adds one run's ledger.
        fn add(l: &ChannelLedger) {
            /// Σ received.
            received: i128,
            /// Σ spent.
            spent: i128,
            /// Σ unspent at the horizon.
            balance: i128,
            /// Σ paid for capacity projects that succeeded or are not done.
            capacity: i128,
            /// Σ paid for capacity projects that failed.
            lost: i128,
            /// Σ set aside for open orders and contracts at the horizon, not yet paid.
            #[serde(default)]
            committed: i128,
        }
    }
}

ledger_sums! {
    /// Exact sums of line ledgers across runs, in units.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
    LineSums {
        /// Adds one run's ledger of the line.
        fn add(l: &LineLedger) {
            /// Σ ordered.
            ordered: u128,
            /// Σ produced.
            produced: u128,
            /// Σ defective.
            defective: u128,
            /// Σ delivered.
            delivered: u128,
            /// Σ lost.
            lost: u128,
            /// Σ backlog + pending at the horizon.
            backlog: u128 = l.backlog + l.pending,
            /// Σ in transit at the horizon.
            in_transit: u128,
            /// Σ released from the seller's stock.
            released: u128,
        }
        /// Adds one run's ledger of one of the line's other buyers.
        fn add_customer(c: &CustomerLedger) {
            /// Σ made for the line's other buyers.
            others_delivered: u128 = c.delivered,
            /// Σ the other buyers wait for at the horizon.
            others_backlog: u128 = c.backlog,
        }
    }
}

ledger_sums! {
    /// Counts of one capacity project's outcomes across runs.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    ExpansionSums {
        /// Adds one run's ledger of the project.
        fn add(e: &ExpansionLedger) {
            /// Runs in which it was paid for.
            funded: u64 = e.funded.is_some(),
            /// Runs in which it succeeded by the horizon.
            succeeded: u64 = e.succeeded == Some(true),
            /// Runs in which it failed by the horizon.
            failed: u64 = e.succeeded == Some(false),
            /// Σ cents paid.
            paid: i128,
            /// Runs whose project was done on each day (succeeded or failed).
            done_on: Vec<u64> = e.done,
        }
    }
}

ledger_sums! {
    /// Exact sums of a contract's ledger across runs (units and cents).
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
    ContractSums {
        /// Adds one run's ledger.
        fn add(l: &ContractLedger) {
            /// Σ units delivered.
            delivered: u128,
            /// Σ whole price.
            price: i128,
            /// Σ set aside.
            set_aside: i128,
            /// Σ due.
            due: i128,
            /// Σ paid.
            paid: i128,
            /// Σ slip in days.
            slip_days: u128,
        }
    }
}

ledger_sums! {
    /// Per-disruption totals across runs.
    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    EventTotals {
        /// Adds one run's ledger of the event.
        fn add(e: &EventLedger) {
            /// Runs in which the event happened at least once.
            runs_happened: u64 = e.occurrences > 0,
            /// Days disrupted per run.
            days: TotalDist,
            /// Units destroyed per run (a `stock_loss`).
            #[serde(default)]
            destroyed: TotalDist,
            /// Runs in which it destroyed at least one unit.
            #[serde(default)]
            runs_destroyed: u64 = e.destroyed > 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Adding two runs to one sum equals adding each to its own sum and merging: every declared
    /// counter is both added and merged.
    fn merge_equals_adding<S: Default + Merge + Serialize>(add: impl Fn(&mut S, usize)) {
        let (mut both, mut first, mut second) = (S::default(), S::default(), S::default());
        add(&mut both, 0);
        add(&mut both, 1);
        add(&mut first, 0);
        add(&mut second, 1);
        first.merge(&second);
        let json = |s: &S| serde_json::to_string(s).unwrap();
        assert_eq!(json(&first), json(&both));
        assert_ne!(json(&both), json(&S::default()), "the runs counted nothing");
    }

    #[test]
    fn every_counter_is_added_and_merged() {
        let item = |k: u64| ItemLedger {
            ordered: 10 + k,
            delivered: 7 + k,
            unmet: 3 * k,
            end_stock: 5,
            days_below_safe: 2,
            days_short: u32::try_from(k).unwrap(),
            first_below_safe: (k == 1).then_some(2),
            delivered_cost: 700,
            substituted: k,
            used_as_substitute: 1,
            ..ItemLedger::default()
        };
        merge_equals_adding(|t: &mut ItemTotals, k| {
            t.first_below_safe.resize(4, 0);
            t.add(&item(k as u64));
        });
        merge_equals_adding(|t: &mut LineSums, k| {
            let k = k as u64;
            t.add(&LineLedger {
                ordered: 9,
                backlog: k,
                pending: 2,
                produced: 8,
                defective: 1,
                delivered: 6 + k,
                lost: 1,
                in_transit: k,
                released: 3,
                ..LineLedger::default()
            });
            t.add_customer(&CustomerLedger {
                ordered: 5,
                delivered: 4 + k,
                backlog: 1,
            });
        });
        merge_equals_adding(|t: &mut ExpansionSums, k| {
            t.done_on.resize(4, 0);
            t.add(&ExpansionLedger {
                paid: 100,
                funded: Some(1),
                done: Some(u32::try_from(k).unwrap() + 1),
                succeeded: Some(k == 0),
            });
        });
        merge_equals_adding(|t: &mut EventTotals, k| {
            t.add(&EventLedger {
                occurrences: u32::try_from(k).unwrap(),
                days: 4,
                destroyed: k as u64 * 10,
            });
        });
    }

    #[test]
    fn counters_count_what_they_say() {
        let mut t = ItemTotals {
            first_below_safe: vec![0; 3],
            ..ItemTotals::default()
        };
        t.add(&ItemLedger {
            delivered: 7,
            days_short: 2,
            first_below_safe: Some(1),
            delivered_cost: -5,
            ..ItemLedger::default()
        });
        t.add(&ItemLedger::default());
        assert_eq!(t.first_below_safe, [0, 1, 0]);
        assert_eq!((t.never_below_safe, t.runs_short), (1, 1));
        assert_eq!((t.delivered_units, t.delivered_cost), (7, -5));
        assert_eq!(t.delivered.moments.n, 2);
        let mut l = LineSums::default();
        l.add(&LineLedger {
            backlog: 2,
            pending: 3,
            ..LineLedger::default()
        });
        assert_eq!(l.backlog, 5);
    }
}

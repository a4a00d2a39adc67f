//! Substitution: after every item's own use of the day, the units each item still misses are
//! covered by its `substitutes`, items in file order, each item's substitutes in the listed
//! order, from the substitute's stock left after its own use that day (an item fired when
//! available keeps its reserve).
//!
//! Rounding is per day, item and substitute, in whole units: covering `k` missing units takes
//! ⌈k × per_unit⌉ units of the substitute, and as many missing units are covered as its free stock
//! `a` allows, `k = min(missing, ⌊a ÷ per_unit⌋)` (so ⌈k × per_unit⌉ ≤ `a`). `per_unit` is exact
//! to a billionth ([`Fixed`]). A scenario with no substitutes has an empty [`Plan`] and pays
//! nothing for it.

use super::{RunRecord, Simulator, Worker};
use crate::scenario::{Scenario, UseRule};
use crate::units::{Fixed, FIXED_SCALE};

/// What substitution needs, built once per scenario.
#[derive(Debug, Default)]
pub(super) struct Plan {
    /// Every item with substitutes, in file order: (item, [(substitute, units per missing unit)]).
    list: Vec<(usize, Vec<(usize, Fixed)>)>,
    /// Per item: the stock a substitution leaves (the reserve of an item fired when available).
    floors: Vec<u64>,
}

impl Plan {
    pub(super) fn new(s: &Scenario) -> Plan {
        let list: Vec<_> = s
            .consumption
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let c = c.as_ref().filter(|c| !c.substitutes.is_empty())?;
                let subs = c
                    .substitutes
                    .iter()
                    .map(|x| (x.item.0, Fixed::from_f64(x.per_unit).max(Fixed(1))))
                    .collect();
                Some((i, subs))
            })
            .collect();
        if list.is_empty() {
            return Plan::default();
        }
        let floors = s
            .consumption
            .iter()
            .map(|c| match c.as_ref().map(|c| &c.rule) {
                Some(UseRule::Available { reserve }) => *reserve,
                _ => 0,
            })
            .collect();
        Plan { list, floors }
    }

    /// Whether no item has substitutes (the daily loop then skips this module).
    pub(super) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// Per-future state, reused run after run.
#[derive(Debug, Default)]
pub(super) struct State {
    /// Per entry of [`Plan::list`]: its item's unmet units before today's use.
    before: Vec<u64>,
}

/// Covers up to `missing` units from `free` units of a substitute at `per` units of it per missing
/// unit: (missing units covered, substitute units used).
#[must_use]
pub(super) fn cover(missing: u64, free: u64, per: Fixed) -> (u64, u64) {
    let most = u128::from(free) * u128::from(FIXED_SCALE) / u128::from(per.0.max(1));
    let k = u128::from(missing).min(most);
    let used = (k * u128::from(per.0)).div_ceil(u128::from(FIXED_SCALE));
    // k ≤ missing and used ≤ free, so both fit in 64 bits.
    (k as u64, used as u64)
}

impl Worker {
    /// Notes each item's unmet units before the day's use.
    pub(super) fn note_unmet(&mut self, sim: &Simulator<'_>, out: &RunRecord) {
        let b = &mut self.subst.before;
        b.clear();
        b.extend(sim.subst.list.iter().map(|&(i, _)| out.items[i].unmet));
    }

    /// Covers the day's missing units of each item from its substitutes.
    pub(super) fn substitute(&mut self, sim: &Simulator<'_>, out: &mut RunRecord) {
        let plan = &sim.subst;
        for (&(i, ref subs), &before) in plan.list.iter().zip(&self.subst.before) {
            let mut missing = out.items[i].unmet - before;
            if missing == 0 {
                continue;
            }
            let mut covered = 0;
            for &(j, per) in subs {
                let free = self.items[j].stock.saturating_sub(plan.floors[j]);
                let (k, used) = cover(missing, free, per);
                self.items[j].stock -= used;
                out.items[j].used_as_substitute += used;
                missing -= k;
                covered += k;
                if missing == 0 {
                    break;
                }
            }
            let led = &mut out.items[i];
            led.unmet -= covered;
            led.substituted += covered;
            if missing == 0 {
                // A day counts as short only when some demand stays unmet after substitution.
                led.days_short -= 1;
            }
        }
    }
}

/// Substitution ledgers that cannot be: units covered for an item without substitutes, or used
/// from an item no item lists as a substitute.
pub(super) fn violations(rec: &RunRecord, s: &Scenario) -> Vec<String> {
    let mut listed = vec![false; s.items.len()];
    for c in s.consumption.iter().flatten() {
        for x in &c.substitutes {
            listed[x.item.0] = true;
        }
    }
    let mut bad = Vec::new();
    for (i, (it, c)) in rec.items.iter().zip(&s.consumption).enumerate() {
        let has = c.as_ref().is_some_and(|c| !c.substitutes.is_empty());
        if it.substituted > 0 && !has {
            bad.push(format!(
                "item {i}: {} units substituted but it has no substitutes",
                it.substituted
            ));
        }
        if it.used_as_substitute > 0 && !listed[i] {
            bad.push(format!(
                "item {i}: {} units used as a substitute but no item lists it",
                it.used_as_substitute
            ));
        }
    }
    bad
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cover_rounds_up_per_covered_unit_within_the_free_stock() {
        let f = Fixed::from_f64;
        assert_eq!(cover(5, 100, f(1.0)), (5, 5));
        assert_eq!(cover(5, 3, f(1.0)), (3, 3));
        // 1.5 a unit: 4 missing take 6; with 5 free only 3 are covered, using ⌈4.5⌉ = 5.
        assert_eq!(cover(4, 100, f(1.5)), (4, 6));
        assert_eq!(cover(4, 5, f(1.5)), (3, 5));
        // Half a unit each: 3 missing take ⌈1.5⌉ = 2.
        assert_eq!(cover(3, 100, f(0.5)), (3, 2));
        assert_eq!(cover(3, 1, f(0.5)), (2, 1));
        assert_eq!(cover(7, 0, f(0.5)), (0, 0));
        assert_eq!(cover(0, 9, f(2.0)), (0, 0));
        assert_eq!(
            cover(u64::MAX, u64::MAX, f(0.001)),
            (u64::MAX, u64::MAX / 1000 + 1)
        );
    }
}

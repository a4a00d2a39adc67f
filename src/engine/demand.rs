//! Use decided by a rule other than `daily` alone: interceptors fired at a threat (launches ×
//! engaged share × shots per engagement, fractions carried exactly) and strike weapons fired from
//! what is available above a reserve; both within the consumption's dates and under its daily
//! cap. A scenario with neither has an empty [`Plan`] and pays nothing for it. The day's use of
//! every item (`daily` demand first, then the rules, then substitution) starts here.

use super::{draw_count, stretches, DemandStretch, RunRecord, Simulator, Tables, Worker};
use crate::sampling::{stream, StreamRng};
use crate::scenario::{ItemId, Scenario, Site, UseRule};
use crate::units::{Day, Fixed};

/// What the rules need, built once per scenario.
#[derive(Debug)]
pub(super) struct Plan {
    /// Per threat: its stretches of launches (empty when no item follows any threat).
    threats: Vec<Vec<DemandStretch>>,
    /// Items whose use follows a threat or fires what is available.
    rules: Vec<usize>,
    /// Per item: the most units used a day (`u64::MAX`: no cap).
    pub(super) caps: Vec<u64>,
}

impl Plan {
    pub(super) fn new(s: &Scenario) -> Plan {
        let rules: Vec<usize> = (0..s.items.len())
            .filter(|&i| {
                s.consumption[i]
                    .as_ref()
                    .is_some_and(|c| !matches!(c.rule, UseRule::Demand))
            })
            .collect();
        let followed = rules.iter().any(|&i| {
            matches!(
                s.consumption[i].as_ref().map(|c| &c.rule),
                Some(UseRule::Threat(_))
            )
        });
        let threats = if followed {
            s.threats
                .iter()
                .map(|t| {
                    stretches(
                        t.daily,
                        &t.periods,
                        s.horizon,
                        (0, s.horizon),
                        Tables::Build,
                    )
                })
                .collect()
        } else {
            Vec::new()
        };
        let caps = s
            .consumption
            .iter()
            .map(|c| c.as_ref().and_then(|c| c.max_daily).unwrap_or(u64::MAX))
            .collect();
        Plan {
            threats,
            rules,
            caps,
        }
    }

    /// Whether no item's use follows a rule (the daily loop then skips this module).
    pub(super) fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

/// Per-future state of the rules, reused run after run.
#[derive(Debug, Default)]
pub(super) struct State {
    /// Per threat: its stream, stretch and carry of a certain rate, and today's launches.
    threat_rng: Vec<StreamRng>,
    threat_segment: Vec<usize>,
    threat_carry: Vec<Fixed>,
    launches: Vec<u64>,
    /// Per threat: this future's stretches of launches when its `daily` parameters are drawn
    /// (empty: the plan's shared stretches apply).
    threat_daily: Vec<Vec<DemandStretch>>,
    /// Scratch: the drawn parameters of one threat.
    params: Vec<f64>,
    /// Per rule (in [`Plan::rules`] order): units fired per launch this future, and the carry.
    per_launch: Vec<Fixed>,
    carry: Vec<Fixed>,
}

impl Worker {
    /// One day of use: each item's `daily` demand, then the rules, then substitution.
    pub(super) fn consume(&mut self, sim: &Simulator<'_>, day: Day, out: &mut RunRecord) {
        if !sim.subst.is_empty() {
            self.note_unmet(sim, out);
        }
        // One pass over the items' state, streams, ledgers and plans, with nothing looked up
        // by index.
        let items = (self.items.iter_mut().zip(self.streams.demand.iter_mut()))
            .zip(out.items.iter_mut())
            .zip(sim.demand.iter().zip(&sim.uses.caps));
        for (i, (((st, rng), led), (shared, &cap))) in items.enumerate() {
            let segs = self.draws.daily(i).unwrap_or(shared);
            while st.demand_segment + 1 < segs.len() && segs[st.demand_segment + 1].from <= day.0 {
                st.demand_segment += 1;
            }
            let Some(want) = draw_count(&segs[st.demand_segment].draw, &mut st.fixed_carry, rng)
            else {
                continue;
            };
            let want = want.min(cap);
            let used = want.min(st.stock);
            st.stock -= used;
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
        if !sim.subst.is_empty() {
            self.substitute(sim, out);
        }
    }

    /// Draws this future's engaged shares and shots per engagement; resets the threats.
    pub(super) fn start_rules(&mut self, sim: &Simulator<'_>, seed: u64, run: u64) {
        let s = sim.scenario;
        let u = &mut self.uses;
        let n = sim.uses.threats.len();
        u.threat_rng.clear();
        u.threat_rng.extend(
            s.threats
                .iter()
                .take(n)
                .map(|t| stream(seed, run, t.key_launches)),
        );
        u.threat_segment.clear();
        u.threat_segment.resize(n, 0);
        u.threat_carry.clear();
        u.threat_carry.resize(n, Fixed::ZERO);
        u.launches.clear();
        u.launches.resize(n, 0);
        u.threat_daily.resize_with(n, Vec::new);
        for (t, th) in s.threats.iter().enumerate().take(n) {
            u.threat_daily[t].clear();
            let Some(unc) = &th.uncertain else { continue };
            u.params.clear();
            for &(p, ref law, key) in &unc.params {
                let site = Site::ThreatDaily(t, p);
                u.params
                    .push(self.draws.value(s, site, law, (seed, run), key));
            }
            let law = unc.law_with(&u.params);
            u.threat_daily[t] =
                stretches(law, &th.periods, s.horizon, (0, s.horizon), Tables::Skip);
        }
        u.per_launch.clear();
        u.carry.clear();
        for &i in &sim.uses.rules {
            let per_launch = match s.consumption[i].as_ref().map(|c| &c.rule) {
                Some(UseRule::Threat(t)) => {
                    let (id, at) = (ItemId(i), (seed, run));
                    let d = &self.draws;
                    let share =
                        d.value(s, Site::EngagedShare(id), &t.engaged_share, at, t.key_share);
                    let shots = d.value(s, Site::Shots(id), &t.shots, at, t.key_shots);
                    Fixed::from_f64(share.clamp(0.0, 1.0)).times(Fixed::from_f64(shots.max(0.0)))
                }
                _ => Fixed::ZERO,
            };
            u.per_launch.push(per_launch);
            u.carry.push(Fixed::ZERO);
        }
    }

    /// One day of the rules: draws each threat's launches, then fires.
    pub(super) fn consume_by_rule(&mut self, sim: &Simulator<'_>, day: Day, out: &mut RunRecord) {
        let s = sim.scenario;
        let u = &mut self.uses;
        for (t, shared) in sim.uses.threats.iter().enumerate() {
            let drawn = &u.threat_daily[t];
            let segs = if drawn.is_empty() { shared } else { drawn };
            let seg = &mut u.threat_segment[t];
            while *seg + 1 < segs.len() && segs[*seg + 1].from <= day.0 {
                *seg += 1;
            }
            u.launches[t] = draw_count(
                &segs[*seg].draw,
                &mut u.threat_carry[t],
                &mut u.threat_rng[t],
            )
            .unwrap_or(0);
        }
        for (k, &i) in sim.uses.rules.iter().enumerate() {
            let Some(c) = s.consumption[i].as_ref() else {
                continue;
            };
            if day < c.from || day > c.to {
                continue;
            }
            let cap = sim.uses.caps[i];
            let stock = self.items[i].stock;
            let want = match &c.rule {
                UseRule::Threat(t) => {
                    let fired = u128::from(u.launches[t.threat]) * u128::from(u.per_launch[k].0);
                    let fired = Fixed(fired.min(u128::from(Fixed::MAX.0)) as u64);
                    let total = u.carry[k].plus(fired);
                    u.carry[k] = total.fraction();
                    total.whole()
                }
                UseRule::Available { reserve } => stock.saturating_sub(*reserve),
                UseRule::Demand => continue,
            }
            .min(cap);
            let used = want.min(stock);
            self.items[i].stock -= used;
            let led = &mut out.items[i];
            led.demand += want;
            led.consumed += used;
            if want > used {
                led.unmet += want - used;
                led.days_short += 1;
            }
        }
    }
}

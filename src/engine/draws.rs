//! Per-future draws tied by the scenario: correlated draws (a Gaussian copula within the future),
//! daily use and delays whose parameters are drawn once per future.
//!
//! When a future starts, each correlated draw gets a standard normal from its own stream
//! ("correlation", key path, "normal"); the copula's Cholesky factor correlates them, and each
//! draw's value is its law's inverse CDF at Φ(z). Every other per-future draw comes from its own
//! stream as before. A scenario with neither correlations nor uncertain parameters keeps every
//! list empty and pays one emptiness check per future (and per delay drawn, one bounds check).
//!
//! A delay whose parameters are drawn gets this future's law once, when the future starts: its
//! whole-day sampler is the direct one (no table is built per future). An event's durations and
//! a regime factor's fatigued spells keep this future's law itself, sampled as their fixed laws
//! are.

use super::{stretches, DemandStretch, Simulator, Tables, Worker};
use crate::sampling::{stream, Dist, StreamKey, WholeDays};
use crate::scenario::{FactorKind, Scenario, Site, UncertainLaw};

/// Per-future state, reused run after run.
#[derive(Debug, Default)]
pub(super) struct State {
    /// Per correlated draw ([`crate::scenario::Correlations::draws`] order): this future's value.
    values: Vec<f64>,
    /// Per item: this future's stretches of daily use when its parameters are drawn (empty:
    /// the simulator's shared stretches apply).
    pub(super) daily: Vec<Vec<DemandStretch>>,
    /// Scratch: the drawn parameters of one item or delay.
    params: Vec<f64>,
    /// Per line: this future's delivery lag when its parameters are drawn (empty when no delay
    /// of the scenario has drawn parameters).
    lags: Vec<Option<WholeDays>>,
    /// Per funding source: this future's payment delay, likewise.
    delays: Vec<Option<WholeDays>>,
    /// Per channel and buy: this future's contract delay, likewise.
    contract: Vec<Vec<Option<WholeDays>>>,
    /// Per event: this future's law of its occurrences' durations, likewise.
    durations: Vec<Option<Dist>>,
    /// Per factor: this future's law of its fatigued spells' lengths, likewise.
    fatigued: Vec<Option<Dist>>,
}

impl State {
    /// The value of the per-future draw at `site`: from the copula when it is correlated,
    /// otherwise from its own stream `key`.
    #[inline]
    pub(super) fn value(
        &self,
        s: &Scenario,
        site: Site,
        law: &Dist,
        (seed, run): (u64, u64),
        key: StreamKey,
    ) -> f64 {
        if !self.values.is_empty() {
            if let Some(k) = s.correlations.draws.iter().position(|c| c.site == site) {
                return self.values[k];
            }
        }
        law.sample(&mut stream(seed, run, key))
    }

    /// Line `n`'s delivery lag in this future when its parameters are drawn.
    #[inline]
    pub(super) fn lag(&self, n: usize) -> Option<&WholeDays> {
        self.lags.get(n)?.as_ref()
    }

    /// Funding source `k`'s payment delay in this future when its parameters are drawn.
    #[inline]
    pub(super) fn delay(&self, k: usize) -> Option<&WholeDays> {
        self.delays.get(k)?.as_ref()
    }

    /// The contract delay of buy `b` of channel `c` in this future when its parameters are
    /// drawn.
    #[inline]
    pub(super) fn contract(&self, c: usize, b: usize) -> Option<&WholeDays> {
        self.contract.get(c)?.get(b)?.as_ref()
    }

    /// Event `k`'s law of durations in this future when its parameters are drawn.
    #[inline]
    pub(super) fn duration(&self, k: usize) -> Option<&Dist> {
        self.durations.get(k)?.as_ref()
    }

    /// Factor `f`'s law of fatigued spells in this future when its parameters are drawn.
    #[inline]
    pub(super) fn fatigued(&self, f: usize) -> Option<&Dist> {
        self.fatigued.get(f)?.as_ref()
    }

    /// This future's whole-day sampler of `law`.
    fn law(&mut self, s: &Scenario, law: &UncertainLaw, at: (u64, u64)) -> WholeDays {
        WholeDays::direct(&self.dist(s, law, at))
    }

    /// This future's law of `law`.
    fn dist(&mut self, s: &Scenario, law: &UncertainLaw, at: (u64, u64)) -> Dist {
        let mut params = std::mem::take(&mut self.params);
        params.clear();
        for p in &law.params {
            params.push(self.value(s, Site::Law(p.key), &p.dist, at, p.key));
        }
        let d = law.law_with(&params);
        self.params = params;
        d
    }

    /// This item's stretches of daily use when they are drawn per future.
    #[inline]
    pub(super) fn daily(&self, item: usize) -> Option<&[DemandStretch]> {
        self.daily
            .get(item)
            .filter(|v| !v.is_empty())
            .map(Vec::as_slice)
    }
}

impl Worker {
    /// Draws this future's correlated values and its uncertain daily-use parameters.
    pub(super) fn start_draws(&mut self, sim: &Simulator<'_>, seed: u64, run: u64) {
        let s = sim.scenario;
        let st = &mut self.draws;
        st.values.clear();
        let c = &s.correlations;
        if !c.is_empty() {
            c.values_into(seed, run, &mut st.values);
        }
        st.lags.clear();
        st.delays.clear();
        st.durations.clear();
        st.fatigued.clear();
        if sim.drawn_laws {
            let at = (seed, run);
            for l in &s.lines {
                let w = l.lag_drawn.as_deref().map(|u| st.law(s, u, at));
                st.lags.push(w);
            }
            for f in &s.funding {
                let w = f.delay_drawn.as_deref().map(|u| st.law(s, u, at));
                st.delays.push(w);
            }
            let mut contract = std::mem::take(&mut st.contract);
            contract.resize_with(s.channels.len(), Vec::new);
            for (v, c) in contract.iter_mut().zip(&s.channels) {
                v.clear();
                for b in &c.buys {
                    v.push(b.contract_delay_drawn.as_deref().map(|u| st.law(s, u, at)));
                }
            }
            st.contract = contract;
            for e in &s.events {
                let d = e.duration_drawn.as_deref().map(|u| st.dist(s, u, at));
                st.durations.push(d);
            }
            for f in &s.factors {
                let d = match &f.kind {
                    FactorKind::Regime {
                        fatigued_days_drawn: Some(u),
                        ..
                    } => Some(st.dist(s, u, at)),
                    _ => None,
                };
                st.fatigued.push(d);
            }
        }
        st.daily.clear();
        if !s
            .consumption
            .iter()
            .flatten()
            .any(|c| c.uncertain.is_some())
        {
            return;
        }
        st.daily.resize_with(s.items.len(), Vec::new);
        for (i, c) in s.consumption.iter().enumerate() {
            let Some((c, u)) = c.as_ref().and_then(|c| Some((c, c.uncertain.as_ref()?))) else {
                continue;
            };
            let mut params = std::mem::take(&mut st.params);
            params.clear();
            for &(p, ref law, key) in &u.params {
                let site = Site::Daily(crate::scenario::ItemId(i), p);
                params.push(st.value(s, site, law, (seed, run), key));
            }
            let law = u.law_with(&params);
            st.params = params;
            st.daily[i] = stretches(law, &c.periods, s.horizon, (c.from.0, c.to.0), Tables::Skip);
        }
    }
}

impl Worker {
    /// The values of the correlated draws of future `run` of experiment `seed`, in the order of
    /// [`crate::scenario::Correlations::draws`]: exactly what a simulation of that future uses.
    #[cfg(any(test, feature = "internals"))]
    pub fn correlated_values(&mut self, sim: &Simulator<'_>, seed: u64, run: u64) -> &[f64] {
        self.start_draws(sim, seed, run);
        &self.draws.values
    }
}

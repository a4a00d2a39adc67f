//! Shared factors within one future: a level factor's multiplier is drawn once; a regime
//! factor's fatigued spells (entries at random while normal, each lasting a drawn number of days)
//! are drawn when the future starts. Every funding source that loads on a factor sees the same
//! draw, so donors fade together. A scenario without factors never enters this module.

use super::Worker;
use crate::sampling::{stream, whole_days};
use crate::scenario::{FactorKind, FactorLoad, Scenario, Site};
use rand::distr::Open01;
use rand::Rng;

/// Per-future state of the factors, reused run after run.
#[derive(Debug, Default)]
pub(super) struct State {
    /// Per factor: the level of this future (1 for a regime).
    level: Vec<f64>,
    /// Per factor: fatigued spells `[first day, end day)`, in order (empty for a level).
    spells: Vec<Vec<(u32, u32)>>,
}

impl State {
    /// The multiplier of a loading source's payment due on `day`.
    pub(super) fn multiplier(&self, load: &FactorLoad, day: u32) -> f64 {
        let spells = &self.spells[load.factor];
        let k = spells.partition_point(|&(from, _)| from <= day);
        let fatigued = k > 0 && day < spells[k - 1].1;
        let m = if fatigued {
            load.fatigued_multiplier
        } else {
            1.0
        };
        self.level[load.factor] * m
    }
}

impl Worker {
    /// Draws every factor of this future.
    pub(super) fn start_factors(&mut self, s: &Scenario, seed: u64, run: u64) {
        let st = &mut self.factors;
        st.level.clear();
        st.spells.resize_with(s.factors.len(), Vec::new);
        for (n, (f, spells)) in s.factors.iter().zip(st.spells.iter_mut()).enumerate() {
            spells.clear();
            match &f.kind {
                FactorKind::Level(d) => {
                    let site = Site::FactorLevel(st.level.len());
                    let v = self.draws.value(s, site, d, (seed, run), f.key_level);
                    st.level.push(v.clamp(0.0, 1.0));
                }
                FactorKind::Regime {
                    per_day,
                    fatigued_days,
                    ..
                } => {
                    st.level.push(1.0);
                    if *per_day <= 0.0 {
                        continue;
                    }
                    let fatigued_days = self.draws.fatigued(n).unwrap_or(fatigued_days);
                    let mut rng = stream(seed, run, f.key_regime);
                    let mut t = 0.0f64;
                    loop {
                        let u: f64 = rng.sample(Open01);
                        t += -u.ln() / per_day;
                        if t >= f64::from(s.horizon) + 1.0 {
                            break;
                        }
                        let from = t as u32;
                        let days = whole_days(fatigued_days.sample(&mut rng));
                        let end = from.saturating_add(days.max(1));
                        spells.push((from, end));
                        t = f64::from(end);
                    }
                }
            }
        }
    }
}

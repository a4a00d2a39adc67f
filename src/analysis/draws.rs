//! The per-future draws of a scenario: every value a future draws once from a distribution (a
//! ramp slip, a share, a price, an exchange rate, a contract's slip, an uncertain parameter of
//! daily use…), where it is written (its key path), its law, and its value in any future, drawn
//! exactly as the engine draws it (same keyed stream, or the copula of `[[correlation]]`).
//! `runs.csv` writes them as columns and `porcupine sensitivity` swings and ranks them.
//!
//! Values drawn many times within a future (installment amounts, paid or not, payment and
//! contract delays, delivery lags, daily use) are not listed: they have no single value per
//! future. The parameters of their laws are, when they are drawn once per future (a delivery
//! lag's `median`, a daily use's `mean`).

use crate::sampling::{stream, Dist, StreamKey};
use crate::scenario::{Correlations, FactorKind, Flow, KeyPath, Scenario, UseRule};
use rand::Rng as _;

/// How a future's value of an input is drawn (as the engine draws it).
#[derive(Debug, Clone)]
enum Source {
    /// The first draw of the distribution from this stream.
    Drawn(StreamKey),
    /// 1 if the first uniform of this stream is below `p` (an expansion's success), else 0.
    Success(StreamKey, f64),
}

/// One uncertain input: where it is written, its law and how each future draws it.
#[derive(Debug, Clone)]
pub struct Input {
    /// Key path (as in `--set`).
    pub path: String,
    /// Its distribution.
    pub dist: Dist,
    source: Source,
}

impl Input {
    fn drawn(path: KeyPath, dist: &Dist, key: StreamKey) -> Option<Input> {
        dist.fixed_value().is_none().then(|| Input {
            path: path.to_string(),
            dist: dist.clone(),
            source: Source::Drawn(key),
        })
    }

    /// Its value in future `run` when it is not correlated with another draw (before any
    /// clamping or rounding the engine applies, which keeps ranks).
    #[must_use]
    pub fn value(&self, seed: u64, run: u64) -> f64 {
        match &self.source {
            Source::Drawn(key) => self.dist.sample(&mut stream(seed, run, *key)),
            Source::Success(key, p) => {
                f64::from(u8::from(stream(seed, run, *key).random::<f64>() < *p))
            }
        }
    }

    /// The value with probability `q` at or below it (q in (0, 1)), to six significant digits.
    #[must_use]
    pub fn quantile(&self, q: f64) -> f64 {
        round_significant(self.dist.quantile(q), 6)
    }
}

/// Every uncertain input of `s`, in file order: per item its unit cost; per channel each buy's
/// price multiplier; per line its ramp slip, other customers' share, releasable stock,
/// customers' orders and expansion projects (cost, capacity added, lead time, success); per
/// consumption its engaged share and shots per engagement (when it follows a threat) and the
/// uncertain parameters of its daily use; per threat the uncertain parameters of its launches a
/// day; per level factor its level; per currency its rate;
/// per contract its slip and price multiplier; then the drawn parameters of payment delays,
/// contract delays and delivery lags. Inputs with a single value are left out.
#[must_use]
pub fn inputs(s: &Scenario) -> Vec<Input> {
    let mut out = Vec::new();
    for it in &s.items {
        if let Some(d) = &it.price.drawn {
            let at = KeyPath::root().key("item").key(&it.name);
            out.extend(Input::drawn(at.key("unit_cost_usd"), d, it.price.key_cost));
        }
    }
    for ch in &s.channels {
        let at = KeyPath::root().key("channel").key(&ch.name);
        for (k, b) in ch.buys.iter().enumerate() {
            out.extend(Input::drawn(
                at.key("buy").index(k).key("price_multiplier"),
                &b.rules.price_multiplier,
                b.rules.key_multiplier,
            ));
        }
    }
    for line in &s.lines {
        lines_inputs(line, &mut out);
    }
    for (item, c) in s.items.iter().zip(&s.consumption) {
        let Some(c) = c else { continue };
        let at = KeyPath::root().key("consumption").key(&item.name);
        if let UseRule::Threat(t) = &c.rule {
            out.extend(Input::drawn(
                at.key("engaged_share"),
                &t.engaged_share,
                t.key_share,
            ));
            out.extend(Input::drawn(
                at.key("shots_per_engagement"),
                &t.shots,
                t.key_shots,
            ));
        }
        for (p, d, key) in c.uncertain.iter().flat_map(|u| u.params.iter()) {
            out.extend(Input::drawn(at.key("daily").key(p.name()), d, *key));
        }
    }
    for t in &s.threats {
        let at = KeyPath::root().key("threat").key(&t.name).key("daily");
        for (p, d, key) in t.uncertain.iter().flat_map(|u| u.params.iter()) {
            out.extend(Input::drawn(at.key(p.name()), d, *key));
        }
    }
    for f in &s.factors {
        if let FactorKind::Level(d) = &f.kind {
            out.extend(Input::drawn(
                KeyPath::root().key("factor").key(&f.name).key("level"),
                d,
                f.key_level,
            ));
        }
    }
    for (k, c) in s.currencies.iter().enumerate() {
        if let crate::scenario::Rate::Drawn(d) = &c.rate {
            let at = KeyPath::root().key("currency").index(k);
            out.extend(Input::drawn(at.key("usd_per_unit"), d, c.key_rate));
        }
    }
    for c in &s.contracts {
        let at = KeyPath::root().key("contract").key(&c.name);
        out.extend(Input::drawn(at.key("slip_days"), &c.slip, c.key_slip));
        out.extend(Input::drawn(
            at.key("price_multiplier"),
            &c.price_multiplier,
            c.key_multiplier,
        ));
    }
    for law in crate::scenario::drawn_laws(s) {
        for p in &law.params {
            out.push(Input {
                path: p.path.clone(),
                dist: p.dist.clone(),
                source: Source::Drawn(p.key),
            });
        }
    }
    out
}

/// The inputs of one line (see [`inputs`]).
fn lines_inputs(line: &crate::scenario::Line, out: &mut Vec<Input>) {
    let at = KeyPath::root().key("line").key(&line.name);
    out.extend(Input::drawn(
        at.key("ramp_slip_days"),
        &line.slip,
        line.key_slip,
    ));
    if line.customers.is_empty() {
        out.extend(Input::drawn(
            at.key("other_customers_share"),
            &line.other_share,
            line.key_share,
        ));
    }
    out.extend(Input::drawn(
        at.key("releasable_stock"),
        &line.releasable,
        line.key_releasable,
    ));
    for (k, c) in line.customers.iter().enumerate() {
        if let Flow::Drawn(d) = &c.units_per_year {
            out.extend(Input::drawn(
                at.key("customer").index(k).key("units_per_year"),
                d,
                c.key_rate,
            ));
        }
    }
    for (k, e) in line.expansions.iter().enumerate() {
        let here = at.key("expansion").index(k);
        out.extend(Input::drawn(here.key("cost_usd"), &e.cost_usd, e.key_cost));
        out.extend(Input::drawn(
            here.key(adds_key(e.per_day)),
            &e.adds,
            e.key_adds,
        ));
        out.extend(Input::drawn(
            here.key("lead_time_days"),
            &e.lead_time,
            e.key_lead,
        ));
        let p = e.success_probability;
        if p > 0.0 && p < 1.0 {
            if let Ok(dist) = Dist::bernoulli(p) {
                out.push(Input {
                    path: here.key("success_probability").to_string(),
                    dist,
                    source: Source::Success(e.key_success, p),
                });
            }
        }
    }
}

/// The key an expansion's capacity was written with, from its periods per day (1 over the
/// period's days, as the scenario computes it).
fn adds_key(per_day: f64) -> &'static str {
    if per_day == 1.0 {
        "adds_per_day"
    } else if per_day == 1.0 / (365.25 / 12.0) {
        "adds_per_month"
    } else {
        "adds_per_year"
    }
}

/// `x` rounded to `digits` significant digits.
fn round_significant(x: f64, digits: i32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(digits - 1 - x.abs().log10().floor() as i32);
    let r = (x * scale).round() / scale;
    if r.is_finite() {
        r
    } else {
        x
    }
}

/// The per-future draws of one scenario, ready to be evaluated future after future.
#[derive(Debug, Clone)]
pub struct Draws {
    /// The inputs, in [`inputs`] order.
    pub inputs: Vec<Input>,
    /// Per input, its position among the correlated draws when the copula sets its value.
    correlated: Vec<Option<usize>>,
    correlations: Correlations,
}

impl Draws {
    /// The per-future draws of `s`.
    #[must_use]
    pub fn new(s: &Scenario) -> Draws {
        let inputs = inputs(s);
        let corr = &s.correlations;
        let correlated = inputs
            .iter()
            .map(|i| corr.draws.iter().position(|d| d.path == i.path))
            .collect();
        Draws {
            inputs,
            correlated,
            correlations: corr.clone(),
        }
    }

    /// Each input's value in future `run` of experiment `seed`, in [`Self::inputs`] order:
    /// exactly what that future used (a correlated input from the copula, as in the engine).
    /// `scratch` holds the copula's values between calls.
    pub fn values_into(&self, seed: u64, run: u64, scratch: &mut Vec<f64>, out: &mut Vec<f64>) {
        out.clear();
        scratch.clear();
        if self.correlated.iter().any(Option::is_some) {
            self.correlations.values_into(seed, run, scratch);
        }
        out.extend(
            self.inputs
                .iter()
                .zip(&self.correlated)
                .map(|(i, k)| k.map_or_else(|| i.value(seed, run), |k| scratch[k])),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_keeps_six_digits() {
        assert_eq!(round_significant(123.456_789, 6), 123.457);
        assert_eq!(round_significant(-0.000_123_456_78, 6), -0.000_123_457);
        assert_eq!(round_significant(0.0, 6), 0.0);
    }
}

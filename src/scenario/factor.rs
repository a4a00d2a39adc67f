//! The `[[factor]]` schema and validator: a shared latent factor that funding sources load on
//! (`[[funding]] factor = { name, fatigued_multiplier }`), so that donors fade together: a
//! `level` drawn once per future, or a two-state `regime` (normal, fatigued) whose fatigued spells
//! start at random and last `fatigued_days`.

use super::distributions::{compile as dist, number, Support, DELAY};
use super::doc::{num, string, table, At, Ctx, Node, Sp, Tbl};
use super::names::Names;
use super::schema::{read_dist, DistDoc, Purpose};
use super::{Factor, FactorKind, FactorLoad};
use crate::sampling::StreamKey;

const KEYS: [&str; 6] = [
    "name",
    "label",
    "kind",
    "level",
    "to_fatigued_per_year",
    "fatigued_days",
];
const LOAD_KEYS: [&str; 2] = ["name", "fatigued_multiplier"];
/// A factor's multipliers: it can only lower payments (at most 1).
const MULTIPLIER: Support = Support {
    lo: 0.0,
    hi: 1.0,
    what: "a multiplier",
};

/// One `[[factor]]` as written.
#[derive(Debug)]
pub(super) struct FactorDoc {
    pub at: At,
    pub name: Option<Sp<String>>,
    pub label: Option<Sp<String>>,
    pub kind: Option<Sp<String>>,
    pub level: Option<DistDoc>,
    pub rate: Option<Sp<f64>>,
    pub fatigued_days: Option<super::law::LawDoc>,
}

/// A funding source's `factor = { name, fatigued_multiplier }` as written.
#[derive(Debug)]
pub(super) struct LoadDoc {
    pub at: At,
    pub name: Option<Sp<String>>,
    pub multiplier: Option<Sp<f64>>,
}

/// Reads one `[[factor]]` table (already named).
pub(super) fn read(ctx: &mut Ctx, t: &Tbl<'_>) -> FactorDoc {
    t.check_keys(ctx, &KEYS);
    let general = |c: &mut Ctx, a, n| read_dist(c, a, n, Purpose::General);
    FactorDoc {
        at: t.at.clone(),
        name: t.req(ctx, "name", string),
        label: t.opt(ctx, "label", string),
        kind: t.req(ctx, "kind", string),
        level: t.opt(ctx, "level", general),
        rate: t.opt(ctx, "to_fatigued_per_year", num),
        fatigued_days: t.opt(ctx, "fatigued_days", super::law::read),
    }
}

/// Reads a funding source's `factor` table.
pub(super) fn read_load(ctx: &mut Ctx, at: At, node: Node<'_>) -> Option<LoadDoc> {
    let t = table(ctx, at, node)?;
    t.check_keys(ctx, &LOAD_KEYS);
    Some(LoadDoc {
        at: t.at.clone(),
        name: t.req(ctx, "name", string),
        multiplier: t.opt(ctx, "fatigued_multiplier", num),
    })
}

/// Checks one factor.
pub(super) fn compile(ctx: &mut Ctx, d: &FactorDoc) -> Option<Factor> {
    let kind = d.kind.as_ref()?;
    let misplaced = |ctx: &mut Ctx, at: Option<&At>, key: &str, k: &str| {
        if let Some(at) = at {
            ctx.err(at, format!("`{key}` does not apply to a factor of kind \"{k}\""), Some("a level factor takes `level`; a regime factor takes `to_fatigued_per_year` and `fatigued_days`".into()));
            return false;
        }
        true
    };
    let kind = match kind.v.as_str() {
        "level" => {
            let ok = misplaced(
                ctx,
                d.rate.as_ref().map(|r| &r.at),
                "to_fatigued_per_year",
                "level",
            ) & misplaced(
                ctx,
                d.fatigued_days.as_ref().map(|r| &r.law.at),
                "fatigued_days",
                "level",
            );
            let Some(level) = &d.level else {
                ctx.err(&d.at, "a level factor needs `level`", Some("the multiplier of every loading source's payments in a future, drawn once per future, e.g. level = { dist = \"uniform\", min = 0.5, max = 1 }".into()));
                return None;
            };
            let level = dist(ctx, level, MULTIPLIER)?;
            ok.then_some(FactorKind::Level(level))?
        }
        "regime" => {
            let ok = misplaced(ctx, d.level.as_ref().map(|r| &r.at), "level", "regime");
            let (Some(rate), Some(days)) = (&d.rate, &d.fatigued_days) else {
                ctx.err(&d.at, "a regime factor needs `to_fatigued_per_year` and `fatigued_days`", Some("e.g. to_fatigued_per_year = 0.6 and fatigued_days = { dist = \"lognormal\", median = 60, p90 = 180 }".into()));
                return None;
            };
            let rate = number(ctx, &rate.at, rate.v, 0.0, 365.0, "entries a year");
            let entity = d.name.as_ref().map_or("", |n| n.v.as_str());
            let days = super::law::compile(ctx, days, DELAY, ("factor", entity, "fatigued_days"));
            if !ok {
                return None;
            }
            let (fatigued_days, fatigued_days_drawn) = days?;
            FactorKind::Regime {
                per_day: rate? / 365.25,
                fatigued_days,
                fatigued_days_drawn,
            }
        }
        other => {
            ctx.err(&kind.at, format!("\"{other}\" is not a known kind of factor"), Some("kind = \"level\" (one draw per future) or kind = \"regime\" (normal and fatigued spells)".into()));
            return None;
        }
    };
    let name = d.name.as_ref()?.v.clone();
    Some(Factor {
        label: d
            .label
            .as_ref()
            .map_or_else(|| name.clone(), |l| l.v.clone()),
        kind,
        key_level: StreamKey::new("factor", &name, "level"),
        key_regime: StreamKey::new("factor", &name, "regime"),
        name,
    })
}

/// Checks a funding source's loading; `regime[i]` says whether factor `i` is a regime (None
/// when it did not validate).
pub(super) fn load(
    ctx: &mut Ctx,
    d: &LoadDoc,
    names: &Names,
    regime: &[Option<bool>],
) -> Option<FactorLoad> {
    let name = d.name.as_ref()?;
    let f = names.resolve(ctx, &name.at, &name.v)?;
    let is_regime = regime.get(f).copied().flatten()?;
    let fatigued_multiplier = match (&d.multiplier, is_regime) {
        (Some(m), true) => number(ctx, &m.at, m.v, 0.0, 1.0, "a multiplier")?,
        (None, true) => {
            ctx.err(&d.at, format!("loading on the regime factor \"{}\" needs fatigued_multiplier", name.v), Some("the multiplier of this source's payments while fatigued, e.g. fatigued_multiplier = 0.43 (57% lower)".into()));
            return None;
        }
        (Some(m), false) => {
            ctx.err(&m.at, format!("fatigued_multiplier does not apply to the level factor \"{}\"", name.v), Some("a level factor multiplies payments by its drawn `level`; remove fatigued_multiplier".into()));
            return None;
        }
        (None, false) => 1.0,
    };
    Some(FactorLoad {
        factor: f,
        fatigued_multiplier,
    })
}

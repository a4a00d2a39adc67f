//! `[[consumption]] substitutes`: the items used, in the listed order, when an item's demand on a
//! day cannot be met from its stock, `per_unit` of the substitute per missing unit.
//!
//! Checked here: each substitute names an item that exists (with a suggestion when it does not),
//! not the item itself and not twice; `per_unit` is a number from [`MIN_PER_UNIT`] to
//! [`MAX_PER_UNIT`] (default 1); and an item fired when available (`use = "available"`) has no
//! substitutes, since it never has demand left unmet.

use super::doc::{num, string, tables, At, Ctx, Sp, Tbl};
use super::hints::fmt_num;
use super::names::Names;
use super::ItemId;

const KEYS: [&str; 2] = ["item", "per_unit"];
/// Fewest units of a substitute per missing unit.
pub(super) const MIN_PER_UNIT: f64 = 0.001;
/// Most units of a substitute per missing unit.
pub(super) const MAX_PER_UNIT: f64 = 1000.0;

/// One entry of `substitutes` as written.
#[derive(Debug)]
pub(super) struct SubstituteDoc {
    pub item: Option<Sp<String>>,
    pub per_unit: Option<Sp<f64>>,
}

/// One substitute of an item, checked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Substitute {
    /// The item used in place of the missing units.
    pub item: ItemId,
    /// Units of it used per missing unit covered.
    pub per_unit: f64,
}

/// Reads the `substitutes` list of a `[[consumption]]` table (empty when absent).
pub(super) fn read(ctx: &mut Ctx, t: &Tbl<'_>) -> (Option<At>, Vec<SubstituteDoc>) {
    let at = t.get("substitutes").map(|(at, _)| at);
    let list = t.opt(ctx, "substitutes", tables).unwrap_or_default();
    let docs = list
        .iter()
        .map(|s| {
            s.check_keys(ctx, &KEYS);
            SubstituteDoc {
                item: s.req(ctx, "item", string),
                per_unit: s.opt(ctx, "per_unit", num),
            }
        })
        .collect();
    (at, docs)
}

/// Checks the substitutes of item `own` (named `name`); `available` says whether it is fired
/// when available. `None` after reporting a problem.
pub(super) fn compile(
    ctx: &mut Ctx,
    (at, docs): &(Option<At>, Vec<SubstituteDoc>),
    (own, name): (usize, &str),
    available: bool,
    items: &Names,
) -> Option<Vec<Substitute>> {
    if let (Some(at), true) = (at, available) {
        ctx.err(
            at,
            "`substitutes` does not apply to use = \"available\"",
            Some("an item fired when available has no unmet demand for a substitute to cover: remove `substitutes`, or list this item as a substitute of another".into()),
        );
        return None;
    }
    let mut ok = true;
    let mut out: Vec<Substitute> = Vec::with_capacity(docs.len());
    let mut written: Vec<&str> = Vec::new();
    for d in docs {
        let per_unit = match &d.per_unit {
            None => Some(1.0),
            Some(p) if p.v.is_finite() && (MIN_PER_UNIT..=MAX_PER_UNIT).contains(&p.v) => Some(p.v),
            Some(p) => {
                ctx.err(
                    &p.at,
                    format!(
                        "per_unit must be between {} and {} units of the substitute per missing unit, got {}",
                        fmt_num(MIN_PER_UNIT),
                        fmt_num(MAX_PER_UNIT),
                        fmt_num(p.v)
                    ),
                    Some("e.g. per_unit = 2 when two rounds of the substitute do the work of one missing round; leave it out for one for one".into()),
                );
                None
            }
        };
        let Some(it) = &d.item else {
            ok = false;
            continue;
        };
        let Some(id) = items.resolve(ctx, &it.at, &it.v) else {
            ok = false;
            continue;
        };
        if id == own {
            ctx.err(
                &it.at,
                format!("item \"{name}\" cannot substitute for itself"),
                Some("list other items, whose stock covers this item's missing units".into()),
            );
            ok = false;
        } else if let Some(k) = written.iter().position(|w| *w == it.v) {
            ctx.err(
                &it.at,
                format!(
                    "item \"{}\" is already listed as a substitute (substitutes[{k}])",
                    it.v
                ),
                Some("list each substitute once; the list is used in order".into()),
            );
            ok = false;
        }
        written.push(&it.v);
        match per_unit {
            Some(per_unit) => out.push(Substitute {
                item: ItemId(id),
                per_unit,
            }),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

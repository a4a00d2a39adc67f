//! The `[[item]]` schema and validator: a munition or system type, its price and stock.

use super::distributions::number;
#[cfg(test)]
use super::doc::At;
use super::doc::{int, num, string, Ctx, Sp, Tbl};
use super::{Item, MAX_UNITS, MAX_USD};
use crate::units::Cents;

/// The keys `[[item]]` accepts.
const KEYS: [&str; 5] = [
    "name",
    "label",
    "unit_cost_usd",
    "initial_stock",
    "safe_stock",
];

/// One `[[item]]` as written.
#[derive(Debug)]
pub(super) struct ItemDoc {
    pub name: Option<Sp<String>>,
    pub label: Option<Sp<String>>,
    pub unit_cost_usd: Option<Sp<f64>>,
    pub initial_stock: Option<Sp<i64>>,
    pub safe_stock: Option<Sp<i64>>,
}

/// Reads one `[[item]]` table.
pub(super) fn read(ctx: &mut Ctx, t: &Tbl<'_>) -> ItemDoc {
    t.check_keys(ctx, &KEYS);
    ItemDoc {
        name: t.req(ctx, "name", string),
        label: t.opt(ctx, "label", string),
        unit_cost_usd: t.req(ctx, "unit_cost_usd", num),
        initial_stock: t.req(ctx, "initial_stock", int),
        safe_stock: t.opt(ctx, "safe_stock", int),
    }
}

/// A whole number of units in `[0, MAX_UNITS]`.
pub(super) fn units(ctx: &mut Ctx, v: &Sp<i64>) -> Option<u64> {
    match u64::try_from(v.v) {
        Ok(u) if u <= MAX_UNITS => Some(u),
        _ => {
            ctx.err(
                &v.at,
                format!(
                    "{} is out of range: expected a whole number of units between 0 and {}",
                    v.v,
                    super::hints::fmt_num(MAX_UNITS as f64)
                ),
                None,
            );
            None
        }
    }
}

/// A price in whole cents: sub-cent prices are refused, not rounded.
fn price(ctx: &mut Ctx, v: &Sp<f64>) -> Option<Cents> {
    let usd = number(ctx, &v.at, v.v, 0.0, MAX_USD, "US dollars")?;
    let cents = usd * 100.0;
    if cents < 1.0 {
        ctx.err(
            &v.at,
            "unit_cost_usd must be at least one cent",
            Some("the price of one unit in US dollars, e.g. unit_cost_usd = 4_000_000".into()),
        );
        return None;
    }
    if (cents - cents.round()).abs() > 1e-6 * cents.max(1.0) {
        ctx.err(
            &v.at,
            format!("{} US dollars is not a whole number of cents", super::hints::fmt_num(usd)),
            Some(format!("money is counted in whole cents; give the price to the cent, e.g. unit_cost_usd = {}", super::hints::fmt_num(cents.round().max(1.0) / 100.0))),
        );
        return None;
    }
    Some(Cents::from_usd(usd))
}

/// Checks one item.
pub(super) fn compile(ctx: &mut Ctx, d: &ItemDoc) -> Option<Item> {
    let cost = d.unit_cost_usd.as_ref().and_then(|c| price(ctx, c));
    let initial = d.initial_stock.as_ref().and_then(|s| units(ctx, s));
    let safe = match &d.safe_stock {
        Some(s) => Some(units(ctx, s)?),
        None => None,
    };
    let name = d.name.as_ref()?.v.clone();
    Some(Item {
        label: d
            .label
            .as_ref()
            .map_or_else(|| name.clone(), |l| l.v.clone()),
        name,
        unit_cost: cost?,
        initial_stock: initial?,
        safe_stock: safe,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::keypath::KeyPath;

    fn f(v: f64) -> Sp<f64> {
        Sp {
            v,
            at: At::path(KeyPath::root().key("item").key("x").key("unit_cost_usd")),
        }
    }

    #[test]
    fn prices_are_whole_cents() {
        let mut ctx = Ctx::default();
        assert_eq!(price(&mut ctx, &f(4000.0)), Some(Cents(400_000)));
        assert_eq!(price(&mut ctx, &f(0.1)), Some(Cents(10)));
        assert_eq!(price(&mut ctx, &f(0.001)), None);
        assert_eq!(price(&mut ctx, &f(1.005)), None);
        assert_eq!(ctx.problems.len(), 2);
        assert!(
            ctx.problems[1]
                .message
                .contains("not a whole number of cents"),
            "{:?}",
            ctx.problems
        );
    }

    #[test]
    fn units_are_bounded() {
        let mut ctx = Ctx::default();
        let s = |v| Sp {
            v,
            at: At::path(KeyPath::root()),
        };
        assert_eq!(units(&mut ctx, &s(5)), Some(5));
        assert_eq!(units(&mut ctx, &s(-5)), None);
        assert_eq!(units(&mut ctx, &s(i64::MAX)), None);
    }
}

//! The `[[item]]` schema and validator: a munition or system type, its price (a number, or a
//! distribution drawn once per future, escalated by `price_escalation_per_year`) and stock.

use super::distributions::{compile as dist, number, Support};
use super::doc::{int, num, string, At, Ctx, Node, Sp, Tbl};
use super::schema::{read_dist, DistDoc, DistKind, Purpose};
use super::{Item, MAX_UNITS, MAX_USD};
use crate::sampling::{Dist, StreamKey};
use crate::units::Cents;
use toml_edit::Value;

/// The keys `[[item]]` accepts.
const KEYS: [&str; 6] = [
    "name",
    "label",
    "unit_cost_usd",
    "initial_stock",
    "safe_stock",
    "price_escalation_per_year",
];
/// A drawn unit cost: at least a cent.
const UNIT_COST: Support = Support {
    lo: 0.01,
    hi: MAX_USD,
    what: "US dollars",
};
/// Yearly price escalation: from halving each year to doubling.
const ESCALATION: Support = Support {
    lo: -0.5,
    hi: 1.0,
    what: "a yearly rate",
};

/// How an item's price moves: drawn once per future, then escalated from the start date.
#[derive(Debug, Clone)]
pub struct ItemPrice {
    /// The unit cost in US dollars when it is uncertain (`None`: `Item::unit_cost` exactly).
    pub drawn: Option<Dist>,
    /// Compound yearly escalation from the scenario's start date (0: none).
    pub escalation: f64,
    /// Stream for the drawn unit cost.
    pub key_cost: StreamKey,
}

/// One `[[item]]` as written.
#[derive(Debug)]
pub(super) struct ItemDoc {
    pub name: Option<Sp<String>>,
    pub label: Option<Sp<String>>,
    pub unit_cost_usd: Option<DistDoc>,
    pub escalation: Option<Sp<f64>>,
    pub initial_stock: Option<Sp<i64>>,
    pub safe_stock: Option<Sp<i64>>,
}

/// A unit cost as written: a distribution table, or else a number (whose type errors say so).
fn cost_doc(ctx: &mut Ctx, at: At, node: Node<'_>) -> Option<DistDoc> {
    if let Some(Value::InlineTable(_)) = node.value() {
        return read_dist(ctx, at, node, Purpose::General);
    }
    num(ctx, at, node).map(|n| DistDoc {
        at: n.at.clone(),
        kind: DistKind::Number(n),
    })
}

/// Reads one `[[item]]` table.
pub(super) fn read(ctx: &mut Ctx, t: &Tbl<'_>) -> ItemDoc {
    t.check_keys(ctx, &KEYS);
    ItemDoc {
        name: t.req(ctx, "name", string),
        label: t.opt(ctx, "label", string),
        unit_cost_usd: t.req(ctx, "unit_cost_usd", cost_doc),
        escalation: t.opt(ctx, "price_escalation_per_year", num),
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

/// The median of a distribution (by bisection of its distribution function), or its upper
/// bound for the laws without one: the unit cost reports show for a drawn price.
fn median(d: &Dist) -> f64 {
    let (mut lo, mut hi) = (0.0, d.upper_bound().min(MAX_USD));
    if d.cdf(lo).is_none() {
        return hi;
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if d.cdf(mid).unwrap_or(1.0) < 0.5 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi
}

/// The unit cost: a fixed price in whole cents, or a distribution (drawn prices are rounded to
/// the nearest cent, at least one cent) with its median as the nominal price.
fn unit_cost(ctx: &mut Ctx, d: &DistDoc) -> Option<(Cents, Option<Dist>)> {
    if let DistKind::Number(n) = &d.kind {
        return price(ctx, n).map(|c| (c, None));
    }
    let drawn = dist(ctx, d, UNIT_COST)?;
    let nominal = Cents::from_usd(median(&drawn)).0.max(1);
    Some((Cents(nominal), Some(drawn)))
}

/// Checks one item.
pub(super) fn compile(ctx: &mut Ctx, d: &ItemDoc) -> Option<Item> {
    let cost = d.unit_cost_usd.as_ref().and_then(|c| unit_cost(ctx, c));
    let escalation = match &d.escalation {
        Some(e) => number(
            ctx,
            &e.at,
            e.v,
            ESCALATION.lo,
            ESCALATION.hi,
            ESCALATION.what,
        ),
        None => Some(0.0),
    };
    let initial = d.initial_stock.as_ref().and_then(|s| units(ctx, s));
    let safe = match &d.safe_stock {
        Some(s) => Some(units(ctx, s)?),
        None => None,
    };
    let name = d.name.as_ref()?.v.clone();
    let (unit_cost, drawn) = cost?;
    Some(Item {
        price: ItemPrice {
            drawn,
            escalation: escalation?,
            key_cost: StreamKey::new("item", &name, "unit cost"),
        },
        label: d
            .label
            .as_ref()
            .map_or_else(|| name.clone(), |l| l.v.clone()),
        name,
        unit_cost,
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

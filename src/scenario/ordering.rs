//! Ordering discipline of a `[[channel.buy]]` (`max_backlog_days`, `min_units_per_order`,
//! `lot_size`, `price_multiplier`) and the `payment = { advance, on_delivery }` split that buys
//! and `[[contract]]`s share.

use super::distributions::{compile as dist, number, Support};
use super::doc::{int, num, table, At, Ctx, Node, Sp, Tbl};
use super::hints::{fmt_num, fmt_share};
use super::schema::{read_dist, DistDoc, Purpose};
use super::MAX_UNITS;
use crate::sampling::{Dist, StreamKey};

/// The ordering keys a `[[channel.buy]]` accepts besides its own.
pub(super) const BUY_KEYS: [&str; 5] = [
    "max_backlog_days",
    "min_units_per_order",
    "lot_size",
    "payment",
    "price_multiplier",
];
const PAYMENT_KEYS: [&str; 2] = ["advance", "on_delivery"];
/// Longest `max_backlog_days` accepted (10 years).
const MAX_BACKLOG_DAYS: i64 = 3_650;
/// Price multipliers: a surcharge or a discount on the item's price.
pub(super) const MULTIPLIER: Support = Support {
    lo: 0.01,
    hi: 100.0,
    what: "a price multiplier",
};

/// When the money for an order leaves the channel: `advance` (a share of the price) when it is
/// placed, the rest when its units are delivered. The whole price is committed at order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Payment {
    /// Share of the price paid when the order is placed (1: all of it, the default).
    pub advance: f64,
}

impl Default for Payment {
    fn default() -> Payment {
        Payment { advance: 1.0 }
    }
}

/// The ordering discipline and price of one buy.
#[derive(Debug, Clone)]
pub struct OrderRules {
    /// Order only what the line can deliver within this many days at its current rate.
    pub max_backlog_days: Option<u32>,
    /// Orders smaller than this are not placed (0: any size).
    pub min_units: u64,
    /// Orders are whole multiples of this (1: any whole number).
    pub lot_size: u64,
    /// When the money leaves the channel.
    pub payment: Payment,
    /// Multiplier of the item's price, drawn once per future.
    pub price_multiplier: Dist,
    /// Stream for the multiplier.
    pub key_multiplier: StreamKey,
}

/// `payment` as written: (advance, on_delivery), each maybe missing.
#[derive(Debug)]
pub(super) struct PaymentDoc {
    pub at: At,
    pub advance: Option<Sp<f64>>,
    pub on_delivery: Option<Sp<f64>>,
}

/// The ordering keys of one `[[channel.buy]]` as written.
#[derive(Debug, Default)]
pub(super) struct OrderDoc {
    pub max_backlog_days: Option<Sp<i64>>,
    pub min_units: Option<Sp<i64>>,
    pub lot_size: Option<Sp<i64>>,
    pub payment: Option<PaymentDoc>,
    pub price_multiplier: Option<DistDoc>,
}

/// Reads `payment = { advance = 0.3, on_delivery = 0.7 }`.
pub(super) fn read_payment(ctx: &mut Ctx, at: At, node: Node<'_>) -> Option<PaymentDoc> {
    let t = table(ctx, at, node)?;
    t.check_keys(ctx, &PAYMENT_KEYS);
    Some(PaymentDoc {
        at: t.at.clone(),
        advance: t.req(ctx, "advance", num),
        on_delivery: t.req(ctx, "on_delivery", num),
    })
}

/// Reads a price multiplier (a number or a distribution).
pub(super) fn read_multiplier(ctx: &mut Ctx, at: At, node: Node<'_>) -> Option<DistDoc> {
    read_dist(ctx, at, node, Purpose::General)
}

/// Reads the ordering keys of one `[[channel.buy]]` (its keys are checked by the caller).
pub(super) fn read(ctx: &mut Ctx, b: &Tbl<'_>) -> OrderDoc {
    OrderDoc {
        max_backlog_days: b.opt(ctx, "max_backlog_days", int),
        min_units: b.opt(ctx, "min_units_per_order", int),
        lot_size: b.opt(ctx, "lot_size", int),
        payment: b.opt(ctx, "payment", read_payment),
        price_multiplier: b.opt(ctx, "price_multiplier", read_multiplier),
    }
}

/// Checks a payment split: two shares that sum to 1.
pub(super) fn payment(ctx: &mut Ctx, p: &PaymentDoc) -> Option<Payment> {
    let share = |ctx: &mut Ctx, s: &Option<Sp<f64>>| {
        s.as_ref()
            .and_then(|s| number(ctx, &s.at, s.v, 0.0, 1.0, "a share"))
    };
    let (a, d) = (share(ctx, &p.advance), share(ctx, &p.on_delivery));
    let (a, d) = (a?, d?);
    if (a + d - 1.0).abs() > 1e-9 {
        ctx.err(
            &p.at,
            format!(
                "advance ({}) and on_delivery ({}) add up to {}, not 1",
                fmt_share(a),
                fmt_share(d),
                fmt_share(a + d)
            ),
            Some("the two shares split the whole price, e.g. payment = { advance = 0.3, on_delivery = 0.7 }".into()),
        );
        return None;
    }
    Some(Payment { advance: a })
}

/// Checks a price multiplier (default 1).
pub(super) fn multiplier(ctx: &mut Ctx, d: Option<&DistDoc>) -> Option<Dist> {
    match d {
        Some(d) => dist(ctx, d, MULTIPLIER),
        None => Some(Dist::Fixed(1.0)),
    }
}

fn whole(ctx: &mut Ctx, v: &Sp<i64>, key: &str, lo: i64, hi: i64, help: &str) -> Option<u64> {
    if (lo..=hi).contains(&v.v) {
        return u64::try_from(v.v).ok();
    }
    ctx.err(
        &v.at,
        format!(
            "{key} must be a whole number between {} and {}, got {}",
            fmt_num(lo as f64),
            fmt_num(hi as f64),
            v.v
        ),
        Some(help.into()),
    );
    None
}

/// Checks the ordering keys of one buy (`key`: its stream entity; `max_units`: its cap).
pub(super) fn compile(
    ctx: &mut Ctx,
    d: &OrderDoc,
    at: &At,
    key: &str,
    max_units: Option<u64>,
) -> Option<OrderRules> {
    let units = MAX_UNITS as i64;
    let backlog = match &d.max_backlog_days {
        Some(v) => Some(Some(whole(ctx, v, "max_backlog_days", 1, MAX_BACKLOG_DAYS, "the days of the line's current output that our waiting orders may reach, e.g. max_backlog_days = 180")? as u32)),
        None => Some(None),
    };
    let min_units = match &d.min_units {
        Some(v) => whole(
            ctx,
            v,
            "min_units_per_order",
            1,
            units,
            "orders smaller than this are not placed, e.g. min_units_per_order = 10",
        ),
        None => Some(0),
    };
    let lot = match &d.lot_size {
        Some(v) => whole(
            ctx,
            v,
            "lot_size",
            1,
            units,
            "orders are whole lots of this many units, e.g. lot_size = 10",
        ),
        None => Some(1),
    };
    let pay = match &d.payment {
        Some(p) => payment(ctx, p),
        None => Some(Payment::default()),
    };
    let mult = multiplier(ctx, d.price_multiplier.as_ref());
    let (backlog, min_units, lot, pay, mult) = (backlog?, min_units?, lot?, pay?, mult?);
    let lot_at = d.lot_size.as_ref().map_or(at, |l| &l.at);
    if min_units > 0 && min_units % lot != 0 {
        ctx.err(
            lot_at,
            format!("min_units_per_order ({min_units}) is not a multiple of lot_size ({lot})"),
            Some(format!(
                "orders are whole lots, so the smallest order is a number of lots: use min_units_per_order = {}",
                min_units.div_ceil(lot) * lot
            )),
        );
        return None;
    }
    if let Some(m) = max_units {
        let least = min_units.max(lot);
        if m < least {
            ctx.err(
                lot_at,
                format!("max_units_per_order ({m}) is below the smallest order this buy can place ({least})"),
                Some("raise max_units_per_order, or lower lot_size / min_units_per_order: as written the buy never orders".into()),
            );
            return None;
        }
    }
    Some(OrderRules {
        max_backlog_days: backlog,
        min_units,
        lot_size: lot,
        payment: pay,
        price_multiplier: mult,
        key_multiplier: StreamKey::new("channel", key, "price multiplier"),
    })
}

impl OrderRules {
    /// The units to order out of `units` affordable (already capped): whole lots, and none below
    /// the minimum.
    #[must_use]
    pub fn shape(&self, units: u64) -> u64 {
        let u = units - units % self.lot_size;
        if u < self.min_units {
            0
        } else {
            u
        }
    }
}

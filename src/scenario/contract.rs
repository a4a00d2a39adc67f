//! The `[[contract]]` schema and validator: a fixed-quantity deal that a channel signs for an
//! item, with a delivery schedule (`deliveries = [{ by, units }]`) that may slip (`slip_days`,
//! drawn once per future), a payment split and a price multiplier.

use super::distributions::{compile as dist, DELAY};
use super::doc::{date, int, string, tables, At, Ctx, Datetime, Sp, Tbl};
use super::header::{calendar_date, Calendar};
use super::names::Names;
use super::ordering::{self, Payment, PaymentDoc};
use super::schema::{read_dist, DistDoc, Purpose};
use super::{ChannelId, ItemId, MAX_UNITS};
use crate::sampling::{Dist, StreamKey};
use crate::units::Day;

const KEYS: [&str; 9] = [
    "name",
    "label",
    "channel",
    "item",
    "signed",
    "deliveries",
    "slip_days",
    "payment",
    "price_multiplier",
];
const DELIVERY_KEYS: [&str; 2] = ["by", "units"];
/// Most delivery dates one contract may list.
const MAX_DELIVERIES: usize = 1_000;

/// A fixed-quantity deal. Its units come from the seller's own production (they do not use the
/// capacity of the scenario's lines): the units of each delivery arrive in stock evenly over
/// the days after the previous delivery date (the signing date for the first) up to its `by`
/// date, every date moved by the contract's slip.
#[derive(Debug, Clone)]
pub struct Contract {
    /// Short name.
    pub name: String,
    /// Human label.
    pub label: String,
    /// The channel that pays.
    pub channel: ChannelId,
    /// The item delivered.
    pub item: ItemId,
    /// Day it is signed (within the horizon).
    pub signed: Day,
    /// (day the units are due by, units), days strictly increasing and after `signed`; a day
    /// may lie after the horizon.
    pub deliveries: Vec<(u32, u64)>,
    /// Days every delivery date is late by, drawn once per future.
    pub slip: Dist,
    /// When the money leaves the channel.
    pub payment: Payment,
    /// Multiplier of the item's price on the signing day, drawn once per future.
    pub price_multiplier: Dist,
    /// Stream for the slip.
    pub key_slip: StreamKey,
    /// Stream for the price multiplier.
    pub key_multiplier: StreamKey,
}

impl Contract {
    /// Units over all deliveries.
    #[must_use]
    pub fn units(&self) -> u64 {
        self.deliveries.iter().map(|&(_, u)| u).sum()
    }
}

/// One delivery as written: its place, `by` and `units`.
type DeliveryDoc = (At, Option<Sp<Datetime>>, Option<Sp<i64>>);

/// One `[[contract]]` as written.
#[derive(Debug)]
pub(super) struct ContractDoc {
    pub at: At,
    pub name: Option<Sp<String>>,
    pub label: Option<Sp<String>>,
    pub channel: Option<Sp<String>>,
    pub item: Option<Sp<String>>,
    pub signed: Option<Sp<Datetime>>,
    pub deliveries: Option<Vec<DeliveryDoc>>,
    pub slip: Option<DistDoc>,
    pub payment: Option<PaymentDoc>,
    pub multiplier: Option<DistDoc>,
}

/// Reads one `[[contract]]` table (already named).
pub(super) fn read(ctx: &mut Ctx, t: &Tbl<'_>) -> ContractDoc {
    t.check_keys(ctx, &KEYS);
    let deliveries = t.req(ctx, "deliveries", tables).map(|ds| {
        ds.iter()
            .map(|d| {
                d.check_keys(ctx, &DELIVERY_KEYS);
                (
                    d.at.clone(),
                    d.req(ctx, "by", date),
                    d.req(ctx, "units", int),
                )
            })
            .collect()
    });
    ContractDoc {
        at: t.at.clone(),
        name: t.req(ctx, "name", string),
        label: t.opt(ctx, "label", string),
        channel: t.req(ctx, "channel", string),
        item: t.req(ctx, "item", string),
        signed: t.req(ctx, "signed", date),
        deliveries,
        slip: t.opt(ctx, "slip_days", |c, a, n| {
            read_dist(c, a, n, Purpose::General)
        }),
        payment: t.opt(ctx, "payment", ordering::read_payment),
        multiplier: t.opt(ctx, "price_multiplier", ordering::read_multiplier),
    }
}

/// Checks the schedule: dates after the signing day and increasing, whole units.
fn schedule(
    ctx: &mut Ctx,
    d: &ContractDoc,
    signed: Option<Day>,
    cal: &Calendar,
) -> Option<Vec<(u32, u64)>> {
    let list = d.deliveries.as_ref()?;
    if list.is_empty() || list.len() > MAX_DELIVERIES {
        let at = At {
            path: d.at.path.key("deliveries"),
            span: d.at.span.clone(),
        };
        ctx.err(
            &at,
            format!(
                "a contract needs between 1 and {MAX_DELIVERIES} deliveries, got {}",
                list.len()
            ),
            Some("e.g. deliveries = [{ by = 2026-12-31, units = 100 }]".into()),
        );
        return None;
    }
    let mut out: Vec<(u32, u64)> = Vec::new();
    let mut ok = true;
    for (at, by, units) in list {
        let units = units.as_ref().and_then(|u| match u64::try_from(u.v) {
            Ok(n @ 1..=MAX_UNITS) => Some(n),
            _ => {
                ctx.err(
                    &u.at,
                    format!(
                        "units must be a whole number between 1 and {}, got {}",
                        super::hints::fmt_num(MAX_UNITS as f64),
                        u.v
                    ),
                    Some("the units delivered by this date, e.g. units = 100".into()),
                );
                None
            }
        });
        let day = by.as_ref().and_then(|b| {
            let date = calendar_date(ctx, b)?;
            Some(((date - cal.start).num_days(), b, date))
        });
        let (Some((day, by, date)), Some(units)) = (day, units) else {
            ok = false;
            continue;
        };
        let after = out
            .last()
            .map(|&(d, _)| i64::from(d))
            .or(signed.map(|s| i64::from(s.0)));
        if let Some(prev) = after {
            if day <= prev {
                let what = if out.is_empty() {
                    "the signing date"
                } else {
                    "the previous delivery"
                };
                ctx.err(
                    &by.at,
                    format!(
                        "delivery date {date} is not after {what} ({})",
                        cal.start + chrono::Days::new(prev.max(0) as u64)
                    ),
                    Some(
                        "list the deliveries in date order, each after the contract is signed"
                            .into(),
                    ),
                );
                ok = false;
                continue;
            }
        }
        let Ok(day) = u32::try_from(day) else {
            ctx.err(at, "delivery date out of range", None);
            ok = false;
            continue;
        };
        out.push((day, units));
    }
    ok.then_some(out)
}

/// Checks one contract against the channels and items.
pub(super) fn compile(
    ctx: &mut Ctx,
    d: &ContractDoc,
    channels: &Names,
    items: &Names,
    cal: &Calendar,
) -> Option<Contract> {
    let channel = d
        .channel
        .as_ref()
        .and_then(|c| channels.resolve(ctx, &c.at, &c.v));
    let item = d
        .item
        .as_ref()
        .and_then(|i| items.resolve(ctx, &i.at, &i.v));
    let signed = d.signed.as_ref().and_then(|s| cal.day_in(ctx, s));
    let deliveries = schedule(ctx, d, signed, cal);
    let slip = match &d.slip {
        Some(s) => dist(ctx, s, DELAY),
        None => Some(Dist::Fixed(0.0)),
    };
    let payment = match &d.payment {
        Some(p) => ordering::payment(ctx, p),
        None => Some(Payment::default()),
    };
    let multiplier = ordering::multiplier(ctx, d.multiplier.as_ref());
    let name = d.name.as_ref()?.v.clone();
    Some(Contract {
        label: d
            .label
            .as_ref()
            .map_or_else(|| name.clone(), |l| l.v.clone()),
        channel: ChannelId(channel?),
        item: ItemId(item?),
        signed: signed?,
        deliveries: deliveries?,
        slip: slip?,
        payment: payment?,
        price_multiplier: multiplier?,
        key_slip: StreamKey::new("contract", &name, "slip"),
        key_multiplier: StreamKey::new("contract", &name, "price multiplier"),
        name,
    })
}

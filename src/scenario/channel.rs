//! The `[[channel]]` schema and validator: how often a channel orders, how it splits its balance
//! (`allocation`), and what it buys (`[[channel.buy]]`) from which line.

use super::distributions::{number, DELAY};
use super::doc::{date, int, num, string, tables, At, Ctx, Datetime, Sp, Tbl};
use super::header::Calendar;
use super::hints::{fmt_num, fmt_share};
use super::names::Names;
use super::{Allocation, Buy, Channel, ItemId, LineId, MAX_UNITS};
use crate::sampling::{Dist, StreamKey};
use crate::units::Day;

const KEYS: [&str; 7] = [
    "name",
    "label",
    "order_every_days",
    "first_order",
    "allocation",
    "contract_delay_days",
    "buy",
];
const BUY_KEYS: [&str; 11] = [
    "item",
    "line",
    "share",
    "max_units_per_order",
    "contract_delay_days",
    "line_priority",
    super::ordering::BUY_KEYS[0],
    super::ordering::BUY_KEYS[1],
    super::ordering::BUY_KEYS[2],
    super::ordering::BUY_KEYS[3],
    super::ordering::BUY_KEYS[4],
];

/// One `[[channel.buy]]` as written.
#[derive(Debug)]
pub(super) struct BuyDoc {
    pub at: At,
    pub item: Option<Sp<String>>,
    pub line: Option<Sp<String>>,
    pub share: Option<Sp<f64>>,
    /// Whether `share` is written (it may be written wrongly: then `share` is `None`).
    pub share_written: bool,
    pub max_units: Option<Sp<i64>>,
    pub delay: Option<super::law::LawDoc>,
    pub line_priority: Option<Sp<i64>>,
    /// Ordering discipline, payment and price multiplier.
    pub order: super::ordering::OrderDoc,
}

/// One `[[channel]]` as written.
#[derive(Debug)]
pub(super) struct ChannelDoc {
    pub at: At,
    pub name: Option<Sp<String>>,
    pub label: Option<Sp<String>>,
    pub every: Option<Sp<i64>>,
    pub first_order: Option<Sp<Datetime>>,
    /// `None` when written wrongly (reported); absent means shares.
    pub allocation: Option<Allocation>,
    pub delay: Option<super::law::LawDoc>,
    pub buy: Option<Vec<BuyDoc>>,
}

fn allocation(ctx: &mut Ctx, at: At, node: super::doc::Node<'_>) -> Option<Allocation> {
    let s = string(ctx, at, node)?;
    match s.v.as_str() {
        "shares" => Some(Allocation::Shares),
        "priority" => Some(Allocation::Priority),
        other => {
            ctx.err(&s.at, format!("\"{other}\" is not an allocation rule"), Some("use \"shares\" (each item gets a fixed share of the balance) or \"priority\" (buy items in the listed order)".into()));
            None
        }
    }
}

/// Reads one `[[channel]]` table (already named).
pub(super) fn read(ctx: &mut Ctx, t: &Tbl<'_>) -> ChannelDoc {
    t.check_keys(ctx, &KEYS);
    let name = t.req(ctx, "name", string);
    let label = t.opt(ctx, "label", string);
    let every = t.req(ctx, "order_every_days", int);
    let first_order = t.opt(ctx, "first_order", date);
    let allocation = if t.has("allocation") {
        t.opt(ctx, "allocation", allocation)
    } else {
        Some(Allocation::Shares)
    };
    let delay = t.opt(ctx, "contract_delay_days", super::law::read);
    let buy = t.opt(ctx, "buy", tables).map(|bs| {
        bs.iter()
            .map(|b| {
                b.check_keys(ctx, &BUY_KEYS);
                BuyDoc {
                    at: b.at.clone(),
                    item: b.req(ctx, "item", string),
                    line: b.opt(ctx, "line", string),
                    share: b.opt(ctx, "share", num),
                    share_written: b.has("share"),
                    max_units: b.opt(ctx, "max_units_per_order", int),
                    delay: b.opt(ctx, "contract_delay_days", super::law::read),
                    line_priority: b.opt(ctx, "line_priority", int),
                    order: super::ordering::read(ctx, b),
                }
            })
            .collect()
    });
    if !t.has("buy") {
        let n = name.as_ref().map_or("", |n| n.v.as_str());
        ctx.err(
            &t.at,
            format!("channel \"{n}\" buys nothing"),
            Some("add a [[channel.buy]] table with item = \"...\"".into()),
        );
    }
    ChannelDoc {
        at: t.at.clone(),
        name,
        label,
        every,
        first_order,
        allocation,
        delay,
        buy,
    }
}

/// What the channel validator needs to know about lines: name and the item each makes.
pub(super) struct LineRefs<'a> {
    pub names: &'a Names,
    pub items: &'a Names,
    /// (line name, item name as written) per line.
    pub made: Vec<(Option<&'a str>, Option<&'a str>)>,
    /// The checked item of each line, when it resolved.
    pub line_items: Vec<Option<ItemId>>,
}

fn which_line(
    ctx: &mut Ctx,
    b: &BuyDoc,
    item: &Sp<String>,
    item_id: usize,
    lines: &LineRefs<'_>,
) -> Option<LineId> {
    if let Some(l) = &b.line {
        let li = lines.names.resolve(ctx, &l.at, &l.v)?;
        if lines.line_items[li].is_some_and(|it| it.0 != item_id) {
            let makes = lines.made[li].1.unwrap_or("");
            ctx.err(
                &l.at,
                format!("line \"{}\" makes \"{makes}\", not \"{}\"", l.v, item.v),
                Some("name a line whose item is the one bought".into()),
            );
            return None;
        }
        return Some(LineId(li));
    }
    let makers: Vec<usize> = (0..lines.made.len())
        .filter(|&n| lines.made[n].1 == Some(item.v.as_str()))
        .collect();
    match makers.as_slice() {
        [one] => Some(LineId(*one)),
        [] if lines.names.is_unreadable() => None,
        [] => {
            ctx.err(
                &item.at,
                format!("no production line makes \"{}\"", item.v),
                Some(format!(
                    "add a [[line]] with item = \"{}\" and a capacity",
                    item.v
                )),
            );
            None
        }
        many => {
            let names = many
                .iter()
                .map(|n| format!("\"{}\"", lines.made[*n].0.unwrap_or("")))
                .collect::<Vec<_>>()
                .join(", ");
            ctx.err(
                &b.at,
                format!("several lines make \"{}\": {names}", item.v),
                Some("say which one with line = \"...\"".into()),
            );
            None
        }
    }
}

/// Checks one channel and its buys.
pub(super) fn compile(
    ctx: &mut Ctx,
    c: &ChannelDoc,
    lines: &LineRefs<'_>,
    cal: &Calendar,
) -> Option<Channel> {
    let every = c.every.as_ref().and_then(|e| match u32::try_from(e.v) {
        Ok(n @ 1..=3650) => Some(n),
        _ => {
            ctx.err(
                &e.at,
                format!("order_every_days must be between 1 and 3650, got {}", e.v),
                None,
            );
            None
        }
    });
    let first = match (&c.first_order, every) {
        (Some(d), _) => cal.day_in(ctx, d),
        (None, e) => e.map(Day),
    };
    let name = c.name.as_ref().map_or("", |n| n.v.as_str());
    let default_delay = match &c.delay {
        Some(d) => super::law::compile(ctx, d, DELAY, ("channel", name, "contract_delay_days")),
        None => Some((Dist::Fixed(0.0), None)),
    };
    let mut buys = Vec::new();
    let mut ok = true;
    let mut share_sum = 0.0;
    for b in c.buy.iter().flatten() {
        let Some(item) = &b.item else {
            ok = false;
            continue;
        };
        let Some(item_id) = lines.items.resolve(ctx, &item.at, &item.v) else {
            ok = false;
            continue;
        };
        let line = which_line(ctx, b, item, item_id, lines);
        let share = match (c.allocation, &b.share) {
            (Some(Allocation::Shares), Some(s)) => number(ctx, &s.at, s.v, 0.0, 1.0, "a share"),
            (Some(Allocation::Shares), None) if b.share_written => None,
            (Some(Allocation::Shares), None) => {
                ctx.err(&b.at, "missing key `share`", Some("with allocation = \"shares\" every buy needs share = 0.25 (the part of the balance spent on it)".into()));
                None
            }
            (Some(Allocation::Priority), Some(s)) => {
                ctx.err(
                    &s.at,
                    "share is only used with allocation = \"shares\"",
                    Some("remove share, or set allocation = \"shares\" on the channel".into()),
                );
                None
            }
            (_, _) => Some(0.0),
        };
        share_sum += share.unwrap_or(0.0);
        let max_units = match &b.max_units {
            Some(m) => match u64::try_from(m.v) {
                Ok(u @ 1..=MAX_UNITS) => Some(Some(u)),
                _ => {
                    ctx.err(
                        &m.at,
                        format!(
                            "max_units_per_order must be between 1 and {}, got {}",
                            fmt_num(MAX_UNITS as f64),
                            m.v
                        ),
                        None,
                    );
                    None
                }
            },
            None => Some(None),
        };
        // Keyed by channel, item and line, so two buys never share draws.
        let key = format!(
            "{name}/{}/{}",
            item.v,
            line.map_or("", |l| lines.made[l.0].0.unwrap_or(""))
        );
        let delay = match &b.delay {
            Some(d) => super::law::compile(ctx, d, DELAY, ("channel", &key, "contract_delay_days")),
            None => default_delay.clone(),
        };
        let line_priority = match &b.line_priority {
            Some(p) => super::buyers::priority(ctx, p).map(Some),
            None => Some(None),
        };
        let rules = max_units.and_then(|m| super::ordering::compile(ctx, &b.order, &b.at, &key, m));
        match (line, share, max_units, delay, line_priority, rules) {
            (
                Some(line),
                Some(share),
                Some(max_units),
                Some((contract_delay, contract_delay_drawn)),
                Some(line_priority),
                Some(rules),
            ) => buys.push(Buy {
                item: ItemId(item_id),
                line,
                share,
                max_units,
                contract_delay,
                contract_delay_drawn,
                line_priority,
                key_contract: StreamKey::new("channel", &key, "contract delay"),
                rules,
            }),
            _ => ok = false,
        }
    }
    if c.allocation == Some(Allocation::Shares) && share_sum > 1.0 + 1e-9 {
        let at = At {
            path: c.at.path.key("buy"),
            span: c
                .buy
                .as_ref()
                .and_then(|b| b.first())
                .and_then(|b| b.at.span.clone()),
        };
        ctx.err(&at, format!("the shares of the buys add up to {}, more than 1", fmt_share(share_sum)), Some("make the shares sum to 1 or less (what is left stays in the pool for the next order)".into()));
        return None;
    }
    if !ok {
        return None;
    }
    Some(Channel {
        name: name.to_owned(),
        label: c
            .label
            .as_ref()
            .map_or_else(|| name.to_owned(), |l| l.v.clone()),
        every: every?,
        first: first?,
        allocation: c.allocation?,
        buys,
    })
}

//! Plausibility warnings: values that are allowed but look like slips, reported with a location
//! and a hint, and refused only when the user asks for it (`--deny-warnings`).
//!
//! Each check is a simple, documented heuristic on the compiled scenario and the values as
//! written; none changes what is simulated.

use super::channel::ChannelDoc;
use super::doc::{At, Ctx};
use super::funding::{FundingDoc, SplitDoc};
use super::hints::fmt_num;
use super::line::{LineDoc, Rate};
use super::schema::DistKind;
use super::{Allocation, Demand, Scenario};

/// A `per_day` capacity this many times the line's other points (or the item's mean daily use)
/// more likely means per year.
const PER_DAY_RATIO: f64 = 30.0;

/// Adds a warning for each value that looks like a slip.
pub(super) fn check(
    ctx: &mut Ctx,
    s: &Scenario,
    lines: &[LineDoc],
    funding: &[FundingDoc],
    channels: &[ChannelDoc],
) {
    for (l, doc) in s.lines.iter().zip(lines) {
        if l.transit_loss >= 1.0 {
            if let Some(t) = &doc.transit_loss {
                ctx.warn(
                    &t.at,
                    "transit_loss = 1 loses every unit shipped: this line never delivers anything",
                    "transit_loss is the share of each shipment lost, e.g. 0.02 for 2%".into(),
                );
            }
        }
        if l.other_share.fixed_value() == Some(1.0) {
            if let Some(d) = &doc.other_share {
                ctx.warn(&d.at, "other customers take the whole output: this line never makes anything for this scenario", "other_customers_share is the part of the output others take, e.g. 0.3".into());
            }
        }
        per_day_slips(ctx, s, l.item.0, doc);
    }
    money_slips(ctx, s, funding);
    idle_channels(ctx, s, funding);
    idle_buys(ctx, s, channels);
}

/// `per_day = 620` where the line's other points (or the item's daily use) are far smaller.
fn per_day_slips(ctx: &mut Ctx, s: &Scenario, item: usize, doc: &LineDoc) {
    let Some((_, points)) = &doc.capacity else {
        return;
    };
    let rates: Vec<(f64, &At, bool)> = points
        .iter()
        .filter_map(|p| p.rate.as_ref())
        .map(|r| match r.v {
            Rate::Day(v) => (v, &r.at, true),
            Rate::Month(v) => (v * 12.0 / 365.25, &r.at, false),
            Rate::Year(v) => (v / 365.25, &r.at, false),
        })
        .collect();
    let use_per_day = match s
        .consumption
        .get(item)
        .and_then(Option::as_ref)
        .map(|c| c.demand)
    {
        Some(
            Demand::Fixed(m) | Demand::Poisson { mean: m } | Demand::NegBinomial { mean: m, .. },
        ) if m > 0.0 => Some(m),
        _ => None,
    };
    for (i, &(v, at, per_day)) in rates.iter().enumerate() {
        if !per_day || v <= 0.0 {
            continue;
        }
        let others: Vec<f64> = rates
            .iter()
            .enumerate()
            .filter(|&(j, r)| j != i && r.0 > 0.0)
            .map(|(_, r)| r.0)
            .collect();
        let neighbour = others.iter().copied().fold(f64::NAN, f64::max);
        let (what, than) = if neighbour.is_finite() && v > PER_DAY_RATIO * neighbour {
            ("the line's other capacity points", neighbour)
        } else if let Some(u) =
            use_per_day.filter(|u| others.is_empty() && v > PER_DAY_RATIO * 10.0 * u)
        {
            ("the item's mean daily use", u)
        } else {
            continue;
        };
        ctx.warn(
            at,
            format!(
                "per_day = {} is {} times {what} ({} a day)",
                fmt_num(v),
                fmt_num((v / than).round()),
                fmt_num(than)
            ),
            format!(
                "if {} is a yearly figure, write per_year = {} (or per_month for a monthly one)",
                fmt_num(v),
                fmt_num(v)
            ),
        );
    }
}

/// A fixed installment too small to buy one unit of the cheapest item: dollars written as millions?
fn money_slips(ctx: &mut Ctx, s: &Scenario, funding: &[FundingDoc]) {
    let Some(cheapest) = s
        .items
        .iter()
        .map(|i| i.unit_cost.as_usd())
        .reduce(f64::min)
    else {
        return;
    };
    let amounts = funding.iter().flat_map(|f| {
        let lumps = f
            .lump_sum
            .iter()
            .flatten()
            .filter_map(|l| l.amount.as_ref());
        let recur = f
            .recurring
            .iter()
            .flatten()
            .filter_map(|r| r.amount.as_ref());
        lumps.chain(recur)
    });
    for a in amounts {
        let (DistKind::Number(v) | DistKind::Fixed { value: v }) = &a.kind else {
            continue;
        };
        if v.v > 0.0 && v.v < cheapest && v.v < 1e6 {
            ctx.warn(
                &v.at,
                format!(
                    "an installment of ${} cannot buy one unit of the cheapest item (${})",
                    fmt_num(v.v),
                    fmt_num(cheapest)
                ),
                format!(
                    "amount_usd is in US dollars, not millions: for {} million write {}",
                    fmt_num(v.v),
                    fmt_num(v.v * 1e6)
                ),
            );
        }
    }
}

/// A channel that only ever receives a share of 0: never used.
fn idle_channels(ctx: &mut Ctx, s: &Scenario, funding: &[FundingDoc]) {
    for (c, ch) in s.channels.iter().enumerate() {
        let given: Vec<f64> = s
            .funding
            .iter()
            .flat_map(|f| f.split.iter())
            .filter(|(id, _)| id.0 == c)
            .map(|&(_, sh)| sh)
            .collect();
        if !given.is_empty() && given.iter().all(|&sh| sh == 0.0) {
            let zero = funding.iter().find_map(|f| match &f.pays_into {
                Some(SplitDoc::Shares(_, shares)) => shares
                    .iter()
                    .find(|(n, _)| n.v == ch.name)
                    .and_then(|(_, sh)| sh.as_ref())
                    .map(|sh| sh.at.clone()),
                _ => None,
            });
            if let Some(at) = zero {
                ctx.warn(&at, format!("channel \"{}\" gets no money: every source that pays into it gives it a share of 0", ch.name), "give the channel a share above 0, or remove it from pays_into".into());
            }
        }
    }
}

/// A buy with `share = 0` in a channel that allocates by shares: it never gets money. When every
/// buy of the channel has 0, the whole channel never buys (one warning, at its first buy).
fn idle_buys(ctx: &mut Ctx, s: &Scenario, channels: &[ChannelDoc]) {
    for (ch, doc) in s.channels.iter().zip(channels) {
        if ch.allocation != Allocation::Shares {
            continue;
        }
        let Some(buys) = &doc.buy else {
            continue;
        };
        let zero: Vec<(&At, &str)> = buys
            .iter()
            .filter_map(|b| {
                let sh = b.share.as_ref().filter(|sh| sh.v == 0.0)?;
                Some((&sh.at, b.item.as_ref().map_or("", |i| i.v.as_str())))
            })
            .collect();
        if zero.is_empty() {
            continue;
        }
        if zero.len() == buys.len() {
            ctx.warn(
                zero[0].0,
                format!("channel \"{}\" never buys anything: every buy has a share of 0, so its money stays in the balance", ch.name),
                "share is the part of the balance spent on the item at each order, e.g. 0.5: give at least one buy a share above 0".into(),
            );
        } else {
            for (at, item) in zero {
                ctx.warn(
                    at,
                    format!("share = 0: this buy never gets money, so channel \"{}\" never orders {item} through it", ch.name),
                    "give the buy a share above 0 (the part of the balance spent on it at each order), or remove it".into(),
                );
            }
        }
    }
}

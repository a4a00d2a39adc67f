//! "Why, in words": per item, which constraint binds — money, the line's capacity (or our share
//! of a shared line), delivery lags, the buying rules, or demand — decided from the means of the
//! ledgers, with the numbers that show it. The rule (docs/analysis.md, "Why, in words"):
//!
//! 1. **Demand**: mean unmet demand below half a unit — stock covered use; supply does not bind.
//!    Not for an item fired when available (`use = "available"`): it has no unmet demand, its
//!    use is whatever arrives, so supply always binds it and the rule starts at 2.
//! 2. **Capacity or share**: of the units ordered, at least 20% are still undelivered at the end
//!    and more of them wait in the lines' queues (or for their contracts to start) than in
//!    transit — the line cannot make them in time; "the shared line's share" when other buyers
//!    take part of its output.
//! 3. **Delivery lags**: as 2, but more of them are in transit than waiting.
//! 4. **Buying rules**: otherwise, when the channels that buy the item end with money for at
//!    least all of the unmet units (for an item fired when available: at least one unit) — the
//!    split, caps or order interval hold orders back.
//! 5. **Money**: otherwise — what was bought mostly arrived, and there was no more money.

use crate::plot::{format_units, format_usd};
use crate::report::{ChannelSummary, ItemSummary, LineSummary};
use crate::scenario::{ItemId, Scenario, UseRule};
use serde::Serialize;

/// Share of the units ordered that must still be undelivered at the end for supply to bind.
pub const UNDELIVERED_SHARE: f64 = 0.2;

/// The constraint that binds an item.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Binding {
    /// Use was met: demand, not supply, sets what is used.
    #[default]
    Demand,
    /// The line's capacity limits deliveries.
    Capacity,
    /// Our share of a shared line limits deliveries.
    Share,
    /// Delivery lags hold the units ordered.
    Lags,
    /// The channels' buying rules hold orders back while money sits unspent.
    BuyingRules,
    /// Money limits orders.
    Money,
}

/// The binding constraint and the sentence that explains it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Why {
    /// Which constraint binds.
    pub binding: Binding,
    /// One sentence with the numbers.
    pub sentence: String,
}

/// Decides what binds item `i` from the prepared means (see the module's rule).
#[must_use]
pub fn why(
    s: &Scenario,
    i: usize,
    item: &ItemSummary,
    lines: &[LineSummary],
    channels: &[ChannelSummary],
) -> Why {
    let units = |v: f64| format_units(v.round());
    let (ordered, delivered, unmet) = (
        item.ordered.mean,
        item.delivered.mean,
        item.unmet_demand.mean,
    );
    let head = format!("ordered {}, delivered {}", units(ordered), units(delivered));
    let mine: Vec<(usize, &LineSummary)> = s
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.item == ItemId(i))
        .map(|(n, _)| (n, &lines[n]))
        .collect();
    let waiting: f64 = mine.iter().map(|(_, l)| l.backlog).sum();
    let in_transit: f64 = mine.iter().map(|(_, l)| l.in_transit).sum();
    let shared = mine.iter().any(|&(n, _)| {
        let l = &s.lines[n];
        !l.customers.is_empty() || l.other_share.upper_bound() > 0.0
    });
    let idle: f64 = s
        .channels
        .iter()
        .zip(channels)
        .filter(|(c, _)| c.buys.iter().any(|b| b.item == ItemId(i)))
        .map(|(_, c)| c.balance_usd)
        .sum();
    let idle_text = format!("{} unspent at the end", format_usd(idle));
    // Fired when available: no unmet demand; what arrives is what is used.
    let available = s
        .consumption
        .get(i)
        .and_then(Option::as_ref)
        .is_some_and(|c| matches!(c.rule, UseRule::Available { .. }));
    let short = if available {
        format!("{head}, all of it fired when available")
    } else {
        format!("{head}, unmet demand {}", units(unmet))
    };
    let (binding, sentence) = if unmet < 0.5 && !available {
        (
            Binding::Demand,
            format!(
                "{head}, unmet demand {:.1}: stock covered use, so demand, not supply, binds",
                unmet
            ),
        )
    } else if ordered > 0.0 && waiting + in_transit >= UNDELIVERED_SHARE * ordered {
        if waiting >= in_transit {
            let what = if shared {
                "the shared line's share limits deliveries"
            } else {
                "the line's capacity limits deliveries"
            };
            let money = if idle >= item.unit_cost_usd {
                format!(", not money ({idle_text})")
            } else {
                String::new()
            };
            (
                if shared {
                    Binding::Share
                } else {
                    Binding::Capacity
                },
                format!(
                    "{head}: {what}{money}; {} still waiting at the end",
                    units(waiting)
                ),
            )
        } else {
            (
                Binding::Lags,
                format!(
                    "{head}: delivery lags hold the orders, {} in transit at the end",
                    units(in_transit)
                ),
            )
        }
    } else if idle >= unmet.max(f64::from(u8::from(available))) * item.unit_cost_usd {
        (
            Binding::BuyingRules,
            format!(
                "{short}: the channels' buying rules (split, caps, order interval) hold orders back, not money ({idle_text})"
            ),
        )
    } else {
        (
            Binding::Money,
            format!("{short}: money limits orders ({idle_text})"),
        )
    };
    Why { binding, sentence }
}

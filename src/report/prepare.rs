//! [`prepare`]: turns the statistics accumulated over all futures into [`Results`] — per-day
//! rows, per-entity means and spreads, money over time, sample paths and end-stock quantiles.

use super::{
    tables, ChannelSummary, ContractSummary, DailyRow, EventSummary, ExpansionSummary, FirstBelow,
    FundingSummary, ItemSummary, LineSummary, Metadata, Results, Spread, Summary,
    END_STOCK_QUANTILES,
};
use crate::scenario::Scenario;
use crate::stats::{Accumulator, PERCENTILES, RELATIVE_ERROR};
use crate::units::Day;
use chrono::NaiveDate;

fn usd(cents_sum: i128, runs: u64) -> f64 {
    cents_sum as f64 / 100.0 / runs.max(1) as f64
}

/// Prepares the results of an experiment.
#[must_use]
pub fn prepare(s: &Scenario, acc: &Accumulator, meta: Metadata) -> Results {
    let days = acc.days;
    let runs = acc.runs.max(1);
    let mut daily = Vec::with_capacity(s.items.len() * days);
    for (i, it) in s.items.iter().enumerate() {
        for d in 0..days {
            let c = &acc.daily[i * days + d];
            let [p5, p25, p50, p75, p95] = c.hist.quantiles(PERCENTILES);
            daily.push(DailyRow {
                date: s.date(Day(d as u32)),
                item: it.name.clone(),
                mean: c.moments.mean(),
                sd: c.moments.sd(),
                p5,
                p25,
                p50,
                p75,
                p95,
                prob_below_safe: it.safe_stock.map(|_| c.below_safe as f64 / runs as f64),
                prob_zero: c.zero as f64 / runs as f64,
            });
        }
    }
    let mut items: Vec<ItemSummary> = s
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let t = &acc.items[i];
            let last = &acc.daily[i * days + days - 1];
            ItemSummary {
                name: it.name.clone(),
                label: it.label.clone(),
                unit_cost_usd: it.unit_cost.as_usd(),
                cost_per_delivered_unit_usd: (t.delivered_units > 0)
                    .then(|| t.delivered_cost as f64 / 100.0 / t.delivered_units as f64),
                initial_stock: it.initial_stock,
                safe_stock: it.safe_stock,
                end_stock: Spread::of(&t.end_stock),
                ordered: Spread::of(&t.ordered),
                delivered: Spread::of(&t.delivered),
                unmet_demand: Spread::of(&t.unmet),
                substituted: s.consumption[i]
                    .as_ref()
                    .is_some_and(|c| !c.substitutes.is_empty())
                    .then(|| Spread::of(&t.substituted)),
                used_as_substitute: s
                    .consumption
                    .iter()
                    .flatten()
                    .any(|c| c.substitutes.iter().any(|x| x.item.0 == i))
                    .then(|| Spread::of(&t.used_as_substitute)),
                days_below_safe: it.safe_stock.map(|_| Spread::of(&t.days_below_safe)),
                days_short: Spread::of(&t.days_short),
                prob_zero_at_end: last.zero as f64 / runs as f64,
                prob_zero_at_end_se: {
                    let p = last.zero as f64 / runs as f64;
                    (p * (1.0 - p) / runs as f64).sqrt()
                },
                prob_any_shortfall: t.runs_short as f64 / runs as f64,
                prob_below_safe_at_end: it.safe_stock.map(|_| last.below_safe as f64 / runs as f64),
                first_below_safe: it
                    .safe_stock
                    .map(|_| first_below(s, &t.first_below_safe, t.never_below_safe, runs)),
                risk: crate::stats::risk::summary(s, acc, i),
                why: crate::analysis::why::Why::default(),
            }
        })
        .collect();
    let funding = s
        .funding
        .iter()
        .zip(&acc.funding)
        .map(|(f, m)| FundingSummary {
            name: f.name.clone(),
            label: f.label.clone(),
            pledged_usd: usd(m.pledged, runs),
            paid_usd: usd(m.paid, runs),
            defaulted_usd: usd(m.defaulted, runs),
            in_flight_usd: usd(m.in_flight, runs),
        })
        .collect();
    let channels: Vec<ChannelSummary> = s
        .channels
        .iter()
        .zip(&acc.channels)
        .map(|(c, m)| ChannelSummary {
            name: c.name.clone(),
            label: c.label.clone(),
            received_usd: usd(m.received, runs),
            spent_usd: usd(m.spent, runs),
            balance_usd: usd(m.balance, runs),
            capacity_usd: has_projects(s, c).then(|| usd(m.capacity, runs)),
            lost_on_failed_projects_usd: has_projects(s, c).then(|| usd(m.lost, runs)),
            committed_usd: commits(s, c).then(|| usd(m.committed, runs)),
        })
        .collect();
    let contracts = s
        .contracts
        .iter()
        .zip(&acc.contracts)
        .map(|(k, m)| ContractSummary {
            name: k.name.clone(),
            label: k.label.clone(),
            channel: s.channels[k.channel.0].name.clone(),
            item: s.items[k.item.0].name.clone(),
            units: k.units(),
            delivered: m.delivered as f64 / runs.max(1) as f64,
            slip_days: m.slip_days as f64 / runs.max(1) as f64,
            price_usd: usd(m.price, runs),
            set_aside_usd: usd(m.set_aside, runs),
            due_usd: usd(m.due, runs),
            paid_usd: usd(m.paid, runs),
            arrears_usd: usd(m.due - m.paid, runs),
        })
        .collect();
    let expansions = s
        .lines
        .iter()
        .flat_map(|l| l.expansions.iter().map(move |e| (l, e)))
        .zip(&acc.expansions)
        .map(|((l, e), m)| {
            let [p5, p50, p95] = [0.05, 0.5, 0.95].map(|q| quantile_day(s, &m.done_on, q, runs));
            ExpansionSummary {
                name: e.name.clone(),
                line: l.name.clone(),
                funded_by: s.channels[e.funded_by.0].name.clone(),
                share_funded: m.funded as f64 / runs as f64,
                share_succeeded: m.succeeded as f64 / runs as f64,
                share_failed: m.failed as f64 / runs as f64,
                paid_usd: usd(m.paid, runs),
                done_p5: p5,
                done_p50: p50,
                done_p95: p95,
            }
        })
        .collect();
    let per_run = |v: u128| v as f64 / runs as f64;
    let lines: Vec<LineSummary> = s
        .lines
        .iter()
        .zip(&acc.lines)
        .map(|(l, m)| LineSummary {
            name: l.name.clone(),
            label: l.label.clone(),
            item: s.items[l.item.0].name.clone(),
            ordered: per_run(m.ordered),
            produced: per_run(m.produced),
            defective: per_run(m.defective),
            delivered: per_run(m.delivered),
            lost: per_run(m.lost),
            backlog: per_run(m.backlog),
            in_transit: per_run(m.in_transit),
            released_from_stock: l.is_shared().then(|| per_run(m.released)),
            delivered_to_other_buyers: (!l.customers.is_empty())
                .then(|| per_run(m.others_delivered)),
            other_buyers_backlog: (!l.customers.is_empty()).then(|| per_run(m.others_backlog)),
        })
        .collect();
    let whys: Vec<_> = items
        .iter()
        .enumerate()
        .map(|(i, it)| crate::analysis::why::why(s, i, it, &lines, &channels))
        .collect();
    for (it, w) in items.iter_mut().zip(whys) {
        it.why = w;
    }
    let events = s
        .events
        .iter()
        .zip(&acc.events)
        .map(|(e, t)| EventSummary {
            name: e.name.clone(),
            label: e.label.clone(),
            effect: e.effect.name(),
            prob_happened: t.runs_happened as f64 / runs.max(1) as f64,
            days_disrupted: Spread::of(&t.days),
            units_destroyed: matches!(e.effect, crate::scenario::Effect::StockLoss(_))
                .then(|| Spread::of(&t.destroyed)),
            prob_destroyed: matches!(e.effect, crate::scenario::Effect::StockLoss(_))
                .then(|| t.runs_destroyed as f64 / runs.max(1) as f64),
        })
        .collect();
    let mut money = Vec::with_capacity(days);
    let mut cum = [0i128; 3];
    for d in 0..days {
        for (k, c) in cum.iter_mut().enumerate() {
            *c += acc.money_per_day[k][d];
        }
        money.push((
            s.date(Day(d as u32)),
            usd(cum[0], runs),
            usd(cum[1], runs),
            usd(cum[2], runs),
        ));
    }
    let samples = acc
        .samples
        .iter()
        .flat_map(|(run, stock)| {
            (0..s.items.len()).map(move |i| (*run, i, stock[i * days..(i + 1) * days].to_vec()))
        })
        .collect();
    let end_stock_quantiles = acc
        .items
        .iter()
        .map(|t| {
            let qs: [f64; END_STOCK_QUANTILES] =
                std::array::from_fn(|k| (k as f64 + 0.5) / END_STOCK_QUANTILES as f64);
            t.end_stock.hist.quantiles(qs).to_vec()
        })
        .collect();
    Results {
        end_stock_quantiles,
        periods: tables(&acc.series),
        summary: Summary {
            scenario: s.name.clone(),
            title: s.title.clone(),
            start: s.start,
            end: s.date(s.end_day()),
            horizon_days: s.horizon,
            metadata: meta,
            items,
            funding,
            channels,
            lines,
            expansions,
            events,
            contracts,
        },
        daily,
        money,
        samples,
    }
}

fn has_projects(s: &Scenario, c: &crate::scenario::Channel) -> bool {
    s.lines
        .iter()
        .flat_map(|l| &l.expansions)
        .any(|e| s.channels[e.funded_by.0].name == c.name)
}

/// Whether a channel can hold committed money: a buy that pays on delivery, or a contract.
fn commits(s: &Scenario, c: &crate::scenario::Channel) -> bool {
    c.buys.iter().any(|b| b.rules.payment.advance < 1.0)
        || s.contracts
            .iter()
            .any(|k| s.channels[k.channel.0].name == c.name)
}

/// The day by which a share `q` of all runs had an event, from counts per day (`None`: fewer
/// runs than that had it by the horizon).
fn quantile_day(s: &Scenario, counts: &[u64], q: f64, runs: u64) -> Option<NaiveDate> {
    let rank = ((q * runs as f64).ceil() as u64).clamp(1, runs);
    let mut seen = 0;
    for (d, &c) in counts.iter().enumerate() {
        seen += c;
        if seen >= rank {
            return Some(s.date(Day(d as u32)));
        }
    }
    None
}

fn first_below(s: &Scenario, counts: &[u64], never: u64, runs: u64) -> FirstBelow {
    FirstBelow {
        p5: quantile_day(s, counts, 0.05, runs),
        p50: quantile_day(s, counts, 0.5, runs),
        p95: quantile_day(s, counts, 0.95, runs),
        share_never: never as f64 / runs as f64,
    }
}

/// The percentile method, in words, for metadata and reports.
#[must_use]
pub fn percentile_method() -> String {
    format!(
        "nearest rank over a log-linear histogram: exact below 256 units, within {:.2}% above",
        RELATIVE_ERROR * 100.0
    )
}

//! Parse → read → validate: the file is parsed once into a spanned document, read into the typed
//! schema of each table, and validated into the compiled [`Scenario`], collecting every problem
//! of the file (in file order) in one pass.

use super::channel::{self, LineRefs};
use super::diagnostics::Problem;
use super::doc::{table, tables, At, Ctx, Tbl};
use super::header;
use super::keypath::{entry_segs, KeyPath};
use super::names::Names;
use super::{consumption, contract, correlation, currency, event, factor, funding, item, line};
use super::{plausibility, substitute, syntax, threat};
use super::{Consumption, Scenario, MAX_ENTITIES, MAX_USD};
use std::collections::HashMap;

/// The tables a scenario file may have.
const ROOT_KEYS: [&str; 13] = [
    "scenario",
    "item",
    "funding",
    "channel",
    "line",
    "consumption",
    "threat",
    "event",
    "factor",
    "report",
    "correlation",
    "contract",
    "currency",
];
/// Most money all installments together may add up to, in cents (half of what an i64 holds).
const MAX_TOTAL_CENTS: f64 = 4.0e18;

/// The entries of a top-level repeated table, each under its key path (by name, or by index).
fn entries<'a>(ctx: &mut Ctx, root: &Tbl<'a>, key: &str, name_key: &str) -> Vec<Tbl<'a>> {
    let Some(list) = root.opt(ctx, key, tables) else {
        return Vec::new();
    };
    let names: Vec<Option<&str>> = list.iter().map(|t| t.peek_str(name_key)).collect();
    let segs = entry_segs(&names);
    list.into_iter()
        .zip(segs)
        .map(|(t, s)| t.at_path(KeyPath::root().key(key).seg(s)))
        .collect()
}

/// Checks scenario text: the scenario when there is no problem, and every problem and warning.
pub(super) fn check(text: &str) -> (Option<Scenario>, Vec<Problem>, Vec<Problem>) {
    let mut ctx = Ctx::default();
    let scenario = check_into(&mut ctx, text);
    // Problems in file order; those about no single place last. The sort is stable.
    ctx.problems
        .sort_by_key(|p| p.span.as_ref().map_or(usize::MAX, |s| s.start));
    ctx.warnings
        .sort_by_key(|p| p.span.as_ref().map_or(usize::MAX, |s| s.start));
    let scenario = scenario.filter(|_| ctx.problems.is_empty());
    if scenario.is_none() && ctx.problems.is_empty() {
        ctx.err(
            &At::path(KeyPath::root()),
            "the scenario is not valid",
            None,
        );
    }
    (scenario, ctx.problems, ctx.warnings)
}

fn check_into(ctx: &mut Ctx, text: &str) -> Option<Scenario> {
    let root_at = At::path(KeyPath::root());
    if text.trim().is_empty() {
        ctx.err(&root_at, "the file is empty", Some("a scenario needs at least a [scenario] table with name and start; copy scenarios/baseline.toml and edit it, or see docs/scenario-format.md".into()));
        return None;
    }
    let doc = match toml_edit::ImDocument::parse(text) {
        Ok(d) => d,
        Err(e) => {
            ctx.problems.push(syntax::problem(text, &e));
            return None;
        }
    };
    let root = Tbl::root(doc.as_table());
    root.check_keys(ctx, &ROOT_KEYS);
    let header = root
        .req(ctx, "scenario", table)
        .and_then(|h| header::header(ctx, &h));

    let item_t = entries(ctx, &root, "item", "name");
    let funding_t = entries(ctx, &root, "funding", "name");
    let channel_t = entries(ctx, &root, "channel", "name");
    let line_t = entries(ctx, &root, "line", "name");
    let cons_t = entries(ctx, &root, "consumption", "item");
    let threat_t = entries(ctx, &root, "threat", "name");
    let event_t = entries(ctx, &root, "event", "name");
    let factor_t = entries(ctx, &root, "factor", "name");
    let corr_t = entries(ctx, &root, "correlation", "name");
    let contract_t = entries(ctx, &root, "contract", "name");
    let currency_t = entries(ctx, &root, "currency", "code");
    for (key, n) in [
        ("event", event_t.len()),
        ("factor", factor_t.len()),
        ("correlation", corr_t.len()),
        ("threat", threat_t.len()),
        ("item", item_t.len()),
        ("funding", funding_t.len()),
        ("channel", channel_t.len()),
        ("line", line_t.len()),
        ("contract", contract_t.len()),
        ("currency", currency_t.len()),
    ] {
        if n > MAX_ENTITIES {
            ctx.err(
                &At::path(KeyPath::root().key(key)),
                format!("{n} [[{key}]] tables; at most {MAX_ENTITIES} are allowed"),
                Some("split the scenario, or group similar entries".into()),
            );
            return None;
        }
    }
    // A top-level table written wrongly (`[item]`) or misspelt (`[[items]]`): its entries are
    // unknown, and references to them are not reported again.
    let broken = |ctx: &Ctx, key: &str, got: usize| {
        (root.has(key) && got == 0) || ctx.was_suggested(&KeyPath::root(), key)
    };
    let (items_bad, chans_bad, lines_bad) = (
        broken(ctx, "item", item_t.len()),
        broken(ctx, "channel", channel_t.len()),
        broken(ctx, "line", line_t.len()),
    );
    if !root.has("item") && !items_bad {
        ctx.err(
            &root_at,
            "the scenario has no items",
            Some(
                "add at least one [[item]] table with name, unit_cost_usd and initial_stock".into(),
            ),
        );
    }

    let item_d: Vec<_> = item_t.iter().map(|t| item::read(ctx, t)).collect();
    let funding_d: Vec<_> = funding_t.iter().map(|t| funding::read(ctx, t)).collect();
    let channel_d: Vec<_> = channel_t.iter().map(|t| channel::read(ctx, t)).collect();
    let line_d: Vec<_> = line_t.iter().map(|t| line::read(ctx, t)).collect();
    let cons_d: Vec<_> = cons_t.iter().map(|t| consumption::read(ctx, t)).collect();
    let threat_d: Vec<_> = threat_t.iter().map(|t| threat::read(ctx, t)).collect();
    let event_d: Vec<_> = event_t.iter().map(|t| event::read(ctx, t)).collect();
    let factor_d: Vec<_> = factor_t.iter().map(|t| factor::read(ctx, t)).collect();
    let corr_d: Vec<_> = corr_t.iter().map(|t| correlation::read(ctx, t)).collect();
    let contract_d: Vec<_> = contract_t.iter().map(|t| contract::read(ctx, t)).collect();
    let currency_d: Vec<_> = currency_t.iter().map(|t| currency::read(ctx, t)).collect();

    let items_n = Names::build(
        ctx,
        "items",
        "item",
        &item_d.iter().map(|d| d.name.as_ref()).collect::<Vec<_>>(),
    )
    .unreadable(items_bad);
    let chans_n = Names::build(
        ctx,
        "channels",
        "channel",
        &channel_d
            .iter()
            .map(|d| d.name.as_ref())
            .collect::<Vec<_>>(),
    )
    .unreadable(chans_bad);
    let lines_n = Names::build(
        ctx,
        "lines",
        "line",
        &line_d.iter().map(|d| d.name.as_ref()).collect::<Vec<_>>(),
    )
    .unreadable(lines_bad);
    let _funds_n = Names::build(
        ctx,
        "funding sources",
        "funding",
        &funding_d
            .iter()
            .map(|d| d.name.as_ref())
            .collect::<Vec<_>>(),
    );

    let threats_n = Names::build(
        ctx,
        "threats",
        "threat",
        &threat_d.iter().map(|d| d.name.as_ref()).collect::<Vec<_>>(),
    )
    .unreadable(broken(ctx, "threat", threat_t.len()));

    let items: Vec<_> = item_d.iter().map(|d| item::compile(ctx, d)).collect();
    let cal = header.as_ref()?.cal;
    let mut lines: Vec<_> = line_d
        .iter()
        .map(|d| line::compile(ctx, d, &items_n, &cal))
        .collect();
    let refs = LineRefs {
        names: &lines_n,
        items: &items_n,
        made: line_d
            .iter()
            .map(|l| {
                (
                    l.name.as_ref().map(|n| n.v.as_str()),
                    l.item.as_ref().map(|i| i.v.as_str()),
                )
            })
            .collect(),
        line_items: lines.iter().map(|l| l.as_ref().map(|l| l.item)).collect(),
    };
    let channels: Vec<_> = channel_d
        .iter()
        .map(|d| channel::compile(ctx, d, &refs, &cal))
        .collect();
    super::buyers::our_priorities(ctx, &channel_d, &channels, &mut lines);
    let expansions: Vec<_> = line_d.iter().map(|l| &l.expansions).collect();
    super::expansion::attach(ctx, &expansions, &mut lines, &chans_n, &cal);
    let factors_n = Names::build(
        ctx,
        "factors",
        "factor",
        &factor_d.iter().map(|d| d.name.as_ref()).collect::<Vec<_>>(),
    )
    .unreadable(broken(ctx, "factor", factor_t.len()));
    let factors: Vec<_> = factor_d.iter().map(|d| factor::compile(ctx, d)).collect();
    let regime: Vec<Option<bool>> = factors
        .iter()
        .map(|f| {
            f.as_ref()
                .map(|f| matches!(f.kind, super::FactorKind::Regime { .. }))
        })
        .collect();
    let (currencies, codes) = currency::compile(ctx, &currency_d, &cal);
    let funding: Vec<_> = funding_d
        .iter()
        .map(|d| funding::compile(ctx, d, &chans_n, &cal, (&factors_n, &regime), &codes))
        .collect();
    let _contracts_n = Names::build(
        ctx,
        "contracts",
        "contract",
        &contract_d
            .iter()
            .map(|d| d.name.as_ref())
            .collect::<Vec<_>>(),
    );
    let contracts: Vec<_> = contract_d
        .iter()
        .map(|d| contract::compile(ctx, d, &chans_n, &items_n, &cal))
        .collect();

    let mut consumption: Vec<Option<Consumption>> = vec![None; item_d.len()];
    let mut seen: HashMap<usize, &str> = HashMap::new();
    for c in &cons_d {
        let Some(it) = &c.item else { continue };
        let Some(id) = items_n.resolve(ctx, &it.at, &it.v) else {
            continue;
        };
        if let Some(prev) = seen.insert(id, &it.v) {
            ctx.err(&it.at, format!("item \"{}\" already has a [[consumption]] table (consumption.{prev})", it.v), Some("merge the two into one table; use [[consumption.period]] for changes over time".into()));
            continue;
        }
        let available = c.rule.as_ref().is_some_and(|r| r.v == "available");
        let subs = substitute::compile(ctx, &c.substitutes, (id, &it.v), available, &items_n);
        consumption[id] = consumption::compile(ctx, c, &it.v, &cal, &threats_n)
            .zip(subs)
            .map(|(c, substitutes)| Consumption { substitutes, ..c });
    }
    let threats: Vec<_> = threat_d
        .iter()
        .map(|d| threat::compile(ctx, d, &cal))
        .collect();
    let _events_n = Names::build(
        ctx,
        "events",
        "event",
        &event_d.iter().map(|d| d.name.as_ref()).collect::<Vec<_>>(),
    );
    let events: Vec<_> = event_d
        .iter()
        .map(|d| event::compile(ctx, d, [&chans_n, &lines_n, &items_n], &cal))
        .collect();

    // Money is counted exactly in integer cents (64-bit): refuse funding that could overflow.
    let most_cents: f64 = funding
        .iter()
        .flatten()
        .flat_map(|f| f.installments.iter())
        .map(|i| {
            let rate = i.currency.and_then(|c| currencies[c.0].as_ref());
            i.amount_usd.upper_bound().min(MAX_USD) * 100.0 * rate.map_or(1.0, |c| c.max_rate())
        })
        .sum();
    if most_cents > MAX_TOTAL_CENTS {
        ctx.err(
            &At::path(KeyPath::root().key("funding")),
            format!(
                "all installments together could reach ${:e}, more than the ${:e} the simulator can count exactly",
                most_cents / 100.0,
                MAX_TOTAL_CENTS / 100.0
            ),
            Some("use fewer installments (a longer interval) or bounded amounts (uniform, triangular or pert instead of lognormal)".into()),
        );
    }
    let report = super::report_settings::read(ctx, &root, header.as_ref().map(|h| &h.cal));
    if !ctx.problems.is_empty() {
        return None;
    }
    let header = header?;
    let mut scenario = Scenario {
        name: header.name,
        title: header.title,
        description: header.description,
        start: header.cal.start,
        horizon: header.cal.horizon,
        default_seed: header.seed,
        default_runs: header.runs,
        items: items.into_iter().collect::<Option<Vec<_>>>()?,
        funding: funding.into_iter().collect::<Option<Vec<_>>>()?,
        channels: channels.into_iter().collect::<Option<Vec<_>>>()?,
        lines: lines.into_iter().collect::<Option<Vec<_>>>()?,
        consumption,
        threats: threats.into_iter().collect::<Option<Vec<_>>>()?,
        events: events.into_iter().collect::<Option<Vec<_>>>()?,
        factors: factors.into_iter().collect::<Option<Vec<_>>>()?,
        report: report?,
        correlations: super::Correlations::default(),
        contracts: contracts.into_iter().collect::<Option<Vec<_>>>()?,
        currencies: currencies.into_iter().collect::<Option<Vec<_>>>()?,
    };
    let numbers = super::law::numbers(
        line_d
            .iter()
            .filter_map(|l| l.lag.as_ref())
            .chain(channel_d.iter().flat_map(|c| {
                c.delay
                    .iter()
                    .chain(c.buy.iter().flatten().filter_map(|b| b.delay.as_ref()))
            }))
            .chain(funding_d.iter().filter_map(|f| f.delay.as_ref()))
            .chain(event_d.iter().filter_map(|e| e.duration.as_ref()))
            .chain(factor_d.iter().filter_map(|f| f.fatigued_days.as_ref()))
            .map(|l| &l.law)
            .chain(cons_d.iter().filter_map(|c| c.daily.as_ref()))
            .chain(threat_d.iter().filter_map(|t| t.daily.as_ref())),
    );
    scenario.correlations = correlation::compile(ctx, &corr_d, &scenario, &numbers)?;
    plausibility::check(ctx, &scenario, &line_d, &funding_d, &channel_d);
    Some(scenario)
}

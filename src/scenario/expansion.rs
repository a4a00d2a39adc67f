//! The `[[line.expansion]]` schema and validator: capacity bought with a channel's money, which
//! arrives after a lead time if the project succeeds.

use super::distributions::{compile as dist, number, Support, DELAY, MAX_RATE_PER_DAY, MONEY};
use super::doc::{date, string, tables, At, Ctx, Datetime, Node, Sp, Tbl};
use super::header::Calendar;
use super::names::Names;
use super::schema::{read_dist, DistDoc, Purpose};
use super::{ChannelId, Expansion, Line};
use crate::sampling::{Dist, StreamKey};
use crate::units::Day;
use toml_edit::Value;

const KEYS: [&str; 10] = [
    "name",
    "funded_by",
    "cost_usd",
    "adds_per_day",
    "adds_per_month",
    "adds_per_year",
    "lead_time_days",
    "success_probability",
    "earliest",
    "dedicated",
];
/// The rate keys, with the days in one of their periods.
const RATES: [(&str, f64); 3] = [
    ("adds_per_day", 1.0),
    ("adds_per_month", 365.25 / 12.0),
    ("adds_per_year", 365.25),
];

/// One `[[line.expansion]]` as written.
#[derive(Debug)]
pub(super) struct ExpansionDoc {
    pub name: Option<Sp<String>>,
    pub funded_by: Option<Sp<String>>,
    pub cost: Option<DistDoc>,
    /// The rate and the days in its period.
    pub adds: Option<(DistDoc, f64)>,
    pub lead: Option<DistDoc>,
    pub success: Option<Sp<f64>>,
    pub earliest: Option<Sp<Datetime>>,
    pub dedicated: Option<Sp<bool>>,
}

fn boolean(ctx: &mut Ctx, at: At, node: Node<'_>) -> Option<Sp<bool>> {
    if let Some(Value::Boolean(b)) = node.value() {
        return Some(Sp { v: *b.value(), at });
    }
    ctx.wrong_type(&at, node, "true or false");
    None
}

/// Reads the `[[line.expansion]]` tables of one `[[line]]`.
pub(super) fn read(ctx: &mut Ctx, t: &Tbl<'_>) -> Vec<ExpansionDoc> {
    let general = |c: &mut Ctx, a, n| read_dist(c, a, n, Purpose::General);
    t.opt(ctx, "expansion", tables)
        .unwrap_or_default()
        .iter()
        .map(|e| {
            e.check_keys(ctx, &KEYS);
            let given: Vec<_> = RATES.iter().filter(|(k, _)| e.has(k)).collect();
            let adds = match given.as_slice() {
                [(key, days)] => e.opt(ctx, key, general).map(|d| (d, *days)),
                _ => {
                    ctx.err(
                        &e.at,
                        "give exactly one of adds_per_day, adds_per_month or adds_per_year",
                        Some(
                            "the capacity the project adds when it is done, e.g. adds_per_day = 3"
                                .into(),
                        ),
                    );
                    None
                }
            };
            ExpansionDoc {
                name: e.req(ctx, "name", string),
                funded_by: e.req(ctx, "funded_by", string),
                cost: e.req(ctx, "cost_usd", general),
                adds,
                lead: e.opt(ctx, "lead_time_days", general),
                success: e.opt(ctx, "success_probability", super::doc::num),
                earliest: e.opt(ctx, "earliest", date),
                dedicated: e.opt(ctx, "dedicated", boolean),
            }
        })
        .collect()
}

/// Checks the expansions of one line (`line`: its name) against the channels.
pub(super) fn compile(
    ctx: &mut Ctx,
    docs: &[ExpansionDoc],
    line: &str,
    channels: &Names,
    cal: &Calendar,
) -> Option<Vec<Expansion>> {
    let names = Names::build(
        ctx,
        "expansions",
        "line.expansion",
        &docs.iter().map(|d| d.name.as_ref()).collect::<Vec<_>>(),
    );
    let mut out = Vec::new();
    let mut ok = true;
    for (k, d) in docs.iter().enumerate() {
        let channel = d
            .funded_by
            .as_ref()
            .and_then(|c| channels.resolve(ctx, &c.at, &c.v));
        let cost = d.cost.as_ref().and_then(|c| dist(ctx, c, MONEY));
        let adds = d.adds.as_ref().and_then(|(a, days)| {
            let sup = Support {
                lo: 0.0,
                hi: MAX_RATE_PER_DAY * days,
                what: "units",
            };
            dist(ctx, a, sup).map(|a| (a, 1.0 / days))
        });
        let lead = match &d.lead {
            Some(l) => dist(ctx, l, DELAY),
            None => Some(Dist::Fixed(0.0)),
        };
        let success = match &d.success {
            Some(p) => number(ctx, &p.at, p.v, 0.0, 1.0, "a probability"),
            None => Some(1.0),
        };
        let earliest = match &d.earliest {
            Some(e) => cal.day_in(ctx, e),
            None => Some(Day(0)),
        };
        let name = d
            .name
            .as_ref()
            .filter(|n| names.get(&n.v) == Some(k))
            .map(|n| n.v.clone());
        match (name, channel, cost, adds, lead, success, earliest) {
            (
                Some(name),
                Some(c),
                Some(cost_usd),
                Some((adds, per_day)),
                Some(lead_time),
                Some(success),
                Some(earliest),
            ) => {
                let entity = format!("{line}/{name}");
                out.push(Expansion {
                    funded_by: ChannelId(c),
                    cost_usd,
                    adds,
                    per_day,
                    lead_time,
                    success_probability: success,
                    earliest,
                    dedicated: d.dedicated.as_ref().is_some_and(|b| b.v),
                    key_cost: StreamKey::new("expansion", &entity, "cost"),
                    key_adds: StreamKey::new("expansion", &entity, "capacity added"),
                    key_lead: StreamKey::new("expansion", &entity, "lead time"),
                    key_success: StreamKey::new("expansion", &entity, "success"),
                    name,
                });
            }
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

/// Compiles every line's expansions into the checked lines (a line that did not check has
/// its own problems reported, and its expansions are not checked).
pub(super) fn attach(
    ctx: &mut Ctx,
    docs: &[&Vec<ExpansionDoc>],
    lines: &mut [Option<Line>],
    channels: &Names,
    cal: &Calendar,
) {
    for (d, l) in docs.iter().zip(lines.iter_mut()) {
        if let Some(line) = l {
            // A problem is reported; the scenario is then refused.
            line.expansions = compile(ctx, d, &line.name, channels, cal).unwrap_or_default();
        }
    }
}

//! The `[[event]]` schema and validator: discrete disruptions (a sales pause, a strike on a
//! factory, a depot lost) that start at random (`rate_per_year`, within an optional `window`) or
//! on a date, last `duration_days`, and pause orders or deliveries, cut line output or destroy
//! stock of the entities listed in `applies_to`.

use super::distributions::{compile as dist, number, DELAY, SHARE};
use super::doc::{date, num, string, table, At, Ctx, Datetime, Sp, Tbl};
use super::header::Calendar;
use super::hints::nearest;
use super::names::Names;
use super::schema::{read_dist, DistDoc, Purpose};
use super::values::list;
use super::{ChannelId, Disruption, Effect, ItemId, LineId, Start};
use crate::sampling::{Dist, StreamKey};
use crate::units::Day;

const KEYS: [&str; 10] = [
    "name",
    "label",
    "applies_to",
    "effect",
    "rate_per_year",
    "date",
    "window",
    "duration_days",
    "capacity_multiplier",
    "stock_loss",
];
const APPLIES_KEYS: [&str; 3] = ["channels", "lines", "items"];
const WINDOW_KEYS: [&str; 2] = ["from", "to"];
const EFFECTS: [&str; 5] = [
    "pause_orders",
    "pause_deliveries",
    "pause",
    "capacity",
    "stock_loss",
];
/// Most starts a year (one a day on average).
const MAX_RATE_PER_YEAR: f64 = 365.0;

/// A list of names as written, with where the list is.
type NameList = (At, Vec<Sp<String>>);
/// `applies_to` as written: where it is, and its lists (channels, lines, items).
type AppliesDoc = (At, [Option<NameList>; 3]);
/// `window` as written: where it is, `from` and `to`.
type WindowDoc = (At, Option<Sp<Datetime>>, Option<Sp<Datetime>>);

/// One `[[event]]` as written.
#[derive(Debug)]
pub(super) struct EventDoc {
    pub at: At,
    pub name: Option<Sp<String>>,
    pub label: Option<Sp<String>>,
    /// Where `applies_to` is, and its lists: channels, lines, items.
    pub applies: Option<AppliesDoc>,
    pub effect: Option<Sp<String>>,
    pub rate: Option<Sp<f64>>,
    pub date: Option<Sp<Datetime>>,
    pub window: Option<WindowDoc>,
    pub duration: Option<super::law::LawDoc>,
    pub multiplier: Option<DistDoc>,
    pub loss: Option<DistDoc>,
}

fn names(ctx: &mut Ctx, at: At, node: super::doc::Node<'_>) -> Option<NameList> {
    let items = list(ctx, at.clone(), node)?;
    let v = items
        .into_iter()
        .filter_map(|(a, n)| string(ctx, a, n))
        .collect();
    Some((at, v))
}

/// Reads one `[[event]]` table (already named).
pub(super) fn read(ctx: &mut Ctx, t: &Tbl<'_>) -> EventDoc {
    t.check_keys(ctx, &KEYS);
    let general = |c: &mut Ctx, a, n| read_dist(c, a, n, Purpose::General);
    let applies = t.req(ctx, "applies_to", table).map(|a| {
        a.check_keys(ctx, &APPLIES_KEYS);
        let lists = APPLIES_KEYS.map(|k| a.opt(ctx, k, names));
        (a.at.clone(), lists)
    });
    let window = t.opt(ctx, "window", table).map(|w| {
        w.check_keys(ctx, &WINDOW_KEYS);
        (
            w.at.clone(),
            w.opt(ctx, "from", date),
            w.opt(ctx, "to", date),
        )
    });
    EventDoc {
        at: t.at.clone(),
        name: t.req(ctx, "name", string),
        label: t.opt(ctx, "label", string),
        applies,
        effect: t.req(ctx, "effect", string),
        rate: t.opt(ctx, "rate_per_year", num),
        date: t.opt(ctx, "date", date),
        window,
        duration: t.opt(ctx, "duration_days", super::law::read),
        multiplier: t.opt(ctx, "capacity_multiplier", general),
        loss: t.opt(ctx, "stock_loss", general),
    }
}

/// The entities an event's effect needs, by `applies_to` key: (required, allowed).
fn needs(effect: &str) -> [(bool, bool); 3] {
    match effect {
        "pause_orders" => [(true, true), (false, false), (false, false)],
        "pause_deliveries" | "capacity" => [(false, false), (true, true), (false, false)],
        "pause" => [(false, true), (false, true), (false, false)],
        _ => [(false, false), (false, false), (true, true)],
    }
}

/// Checks one event.
#[allow(clippy::too_many_lines)]
pub(super) fn compile(
    ctx: &mut Ctx,
    d: &EventDoc,
    refs: [&Names; 3],
    cal: &Calendar,
) -> Option<Disruption> {
    let effect = d.effect.as_ref()?;
    let e = effect.v.as_str();
    if !EFFECTS.contains(&e) {
        let help = match nearest(e, EFFECTS.into_iter()) {
            Some(n) => format!("did you mean \"{n}\"? Known: {}", EFFECTS.join(", ")),
            None => format!("known effects: {}", EFFECTS.join(", ")),
        };
        ctx.err(
            &effect.at,
            format!("\"{e}\" is not a known effect"),
            Some(help),
        );
        return None;
    }
    let mut ok = true;
    let mut ids: [Vec<usize>; 3] = Default::default();
    if let Some((at, lists)) = &d.applies {
        for (k, ((req, allowed), l)) in needs(e).into_iter().zip(lists).enumerate() {
            match l {
                Some((lat, names)) if !allowed => {
                    let _ = names;
                    ctx.err(
                        lat,
                        format!(
                            "an event with effect = \"{e}\" does not act on {}",
                            APPLIES_KEYS[k]
                        ),
                        Some(effect_help(e).into()),
                    );
                    ok = false;
                }
                Some((_, names)) => {
                    for n in names {
                        match refs[k].resolve(ctx, &n.at, &n.v) {
                            Some(i) => ids[k].push(i),
                            None => ok = false,
                        }
                    }
                }
                None => {}
            }
            if req && l.as_ref().is_none_or(|(_, v)| v.is_empty()) {
                ctx.err(
                    at,
                    format!(
                        "an event with effect = \"{e}\" needs {} in applies_to",
                        APPLIES_KEYS[k]
                    ),
                    Some(effect_help(e).into()),
                );
                ok = false;
            }
        }
        if e == "pause" && ids[0].is_empty() && ids[1].is_empty() && ok {
            ctx.err(
                at,
                "an event with effect = \"pause\" needs channels or lines in applies_to",
                Some(effect_help(e).into()),
            );
            ok = false;
        }
    }
    let start = match (&d.rate, &d.date) {
        (Some(_), Some(dt)) => {
            ctx.err(
                &dt.at,
                "both rate_per_year and date are given",
                Some(
                    "keep one: rate_per_year for starts at random, date for a start on a fixed day"
                        .into(),
                ),
            );
            None
        }
        (None, None) => {
            ctx.err(&d.at, "an event needs rate_per_year or date", Some("say when it starts: rate_per_year = 0.5 (at random, on average once every two years) or date = 2026-03-01".into()));
            None
        }
        (None, Some(dt)) => {
            if let Some((wat, _, _)) = &d.window {
                ctx.err(
                    wat,
                    "window does not apply to an event on a fixed date",
                    Some("remove window, or give rate_per_year instead of date".into()),
                );
                ok = false;
            }
            cal.day_in(ctx, dt).map(Start::Date)
        }
        (Some(r), None) => {
            let rate = number(ctx, &r.at, r.v, 0.0, MAX_RATE_PER_YEAR, "starts a year");
            let (from, to) = match &d.window {
                Some((_, f, t)) => (
                    f.as_ref().map_or(Some(Day(0)), |f| cal.day_in(ctx, f)),
                    t.as_ref()
                        .map_or(Some(Day(cal.horizon)), |t| cal.day_in(ctx, t)),
                ),
                None => (Some(Day(0)), Some(Day(cal.horizon))),
            };
            match (rate, from, to) {
                (Some(_), Some(f), Some(t)) if t < f => {
                    let at = d
                        .window
                        .as_ref()
                        .and_then(|w| w.2.as_ref())
                        .map_or(&d.at, |t| &t.at);
                    ctx.err(
                        at,
                        format!("to ({}) is before from ({})", cal.date(t), cal.date(f)),
                        Some("swap the two dates".into()),
                    );
                    None
                }
                (Some(rate), Some(from), Some(to)) => Some(Start::Rate {
                    per_day: rate / 365.25,
                    from,
                    to,
                }),
                _ => None,
            }
        }
    };
    let lasting = !matches!(e, "stock_loss");
    let entity = d.name.as_ref().map_or("", |n| n.v.as_str());
    let duration = match (&d.duration, lasting) {
        (Some(x), true) => super::law::compile(ctx, x, DELAY, ("event", entity, "duration_days")),
        (None, true) => {
            ctx.err(&d.at, format!("an event with effect = \"{e}\" needs duration_days"), Some("say how long it lasts, e.g. duration_days = { dist = \"lognormal\", median = 21, p90 = 90 }".into()));
            None
        }
        (Some(x), false) => {
            ctx.err(
                &x.law.at,
                "duration_days does not apply to a stock loss",
                Some("a stock loss happens on its start day; remove duration_days".into()),
            );
            None
        }
        (None, false) => Some((Dist::Fixed(0.0), None)),
    };
    let mut size =
        |ctx: &mut Ctx, doc: &Option<DistDoc>, key: &str, wanted: bool| match (doc, wanted) {
            (Some(x), true) => dist(ctx, x, SHARE),
            (None, true) => {
                ctx.err(
                    &d.at,
                    format!("an event with effect = \"{e}\" needs {key}"),
                    Some(format!(
                    "e.g. {key} = {{ dist = \"uniform\", min = 0.2, max = 0.7 }} (a share, 0 to 1)"
                )),
                );
                None
            }
            (Some(x), false) => {
                ctx.err(
                    &x.at,
                    format!("{key} does not apply to an event with effect = \"{e}\""),
                    Some(effect_help(e).into()),
                );
                ok = false;
                Some(Dist::Fixed(0.0))
            }
            (None, false) => Some(Dist::Fixed(0.0)),
        };
    let multiplier = size(ctx, &d.multiplier, "capacity_multiplier", e == "capacity");
    let loss = size(ctx, &d.loss, "stock_loss", e == "stock_loss");
    let effect = match e {
        "pause_orders" => Effect::PauseOrders,
        "pause_deliveries" => Effect::PauseDeliveries,
        "pause" => Effect::Pause,
        "capacity" => Effect::Capacity(multiplier?),
        _ => Effect::StockLoss(loss?),
    };
    let name = d.name.as_ref()?.v.clone();
    if !ok || d.applies.is_none() {
        return None;
    }
    let duration = duration?;
    let [channels, lines, items] = ids;
    Some(Disruption {
        label: d
            .label
            .as_ref()
            .map_or_else(|| name.clone(), |l| l.v.clone()),
        effect,
        channels: channels.into_iter().map(ChannelId).collect(),
        lines: lines.into_iter().map(LineId).collect(),
        items: items.into_iter().map(ItemId).collect(),
        start: start?,
        duration: duration.0,
        duration_drawn: duration.1,
        key_starts: StreamKey::new("event", &name, "starts"),
        key_duration: StreamKey::new("event", &name, "duration"),
        key_size: StreamKey::new("event", &name, "size"),
        name,
    })
}

fn effect_help(e: &str) -> &'static str {
    match e {
        "pause_orders" => "pause_orders acts on channels: applies_to = { channels = [\"purl\"] }",
        "pause_deliveries" => "pause_deliveries acts on lines: applies_to = { lines = [\"lockheed-pac3\"] }",
        "pause" => "pause acts on channels (orders) and lines (deliveries): applies_to = { channels = [\"purl\"], lines = [\"lockheed-pac3\"] }",
        "capacity" => "capacity acts on lines, with capacity_multiplier: applies_to = { lines = [\"fire-point-flamingo\"] }",
        _ => "stock_loss acts on items, with stock_loss: applies_to = { items = [\"flamingo\"] }",
    }
}

//! The `[[line]]` schema and validator: a production line, its capacity ramp and what happens to
//! what it makes (slip, other customers, defects, delivery lag, transit loss). The keys of a
//! shared line (customers, queue, seller stock) are read by the `buyers` module.

use super::buyers::{self, SharedDoc};
use super::distributions::{compile as dist, number, DELAY, MAX_RATE_PER_DAY, SHARE, SLIP};
use super::doc::{date, num, string, tables, At, Ctx, Datetime, Sp, Tbl};
use super::header::{calendar_date, Calendar};
use super::names::Names;
use super::schema::{read_dist, DistDoc, Purpose};
use super::{ItemId, Line};
use crate::sampling::{Dist, StreamKey};

const KEYS: [&str; 10 + buyers::KEYS.len()] = [
    "name",
    "label",
    "item",
    "capacity",
    "ramp_slip_days",
    "other_customers_share",
    "defect_rate",
    "delivery_lag_days",
    "transit_loss",
    "queue",
    "customer",
    "releasable_stock",
    "restock_share",
    "expansion",
];
const POINT_KEYS: [&str; 4] = ["date", "per_day", "per_month", "per_year"];

/// A capacity as written: units per day, month or year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Rate {
    Day(f64),
    Month(f64),
    Year(f64),
}

/// One capacity ramp point as written.
#[derive(Debug)]
pub(super) struct PointDoc {
    pub date: Option<Sp<Datetime>>,
    pub rate: Option<Sp<Rate>>,
}

/// One `[[line]]` as written.
#[derive(Debug)]
pub(super) struct LineDoc {
    pub name: Option<Sp<String>>,
    pub label: Option<Sp<String>>,
    pub item: Option<Sp<String>>,
    pub capacity: Option<(At, Vec<PointDoc>)>,
    pub slip: Option<DistDoc>,
    pub other_share: Option<DistDoc>,
    pub defect_rate: Option<Sp<f64>>,
    pub lag: Option<super::law::LawDoc>,
    pub transit_loss: Option<Sp<f64>>,
    pub shared: SharedDoc,
    pub expansions: Vec<super::expansion::ExpansionDoc>,
}

fn point(ctx: &mut Ctx, p: &Tbl<'_>) -> PointDoc {
    p.check_keys(ctx, &POINT_KEYS);
    let date = p.req(ctx, "date", date);
    let rates = [
        p.opt(ctx, "per_day", num)
            .map(|v| (v, Rate::Day as fn(f64) -> Rate)),
        p.opt(ctx, "per_month", num)
            .map(|v| (v, Rate::Month as fn(f64) -> Rate)),
        p.opt(ctx, "per_year", num)
            .map(|v| (v, Rate::Year as fn(f64) -> Rate)),
    ];
    let given = ["per_day", "per_month", "per_year"]
        .iter()
        .filter(|k| p.has(k))
        .count();
    let rate = if given == 1 {
        rates.into_iter().flatten().next().map(|(v, f)| Sp {
            v: f(v.v),
            at: v.at,
        })
    } else {
        ctx.err(
            &p.at,
            "give exactly one of per_day, per_month or per_year",
            Some("e.g. { date = 2026-01-01, per_month = 200 }".into()),
        );
        None
    };
    PointDoc { date, rate }
}

/// Reads one `[[line]]` table (already named).
pub(super) fn read(ctx: &mut Ctx, t: &Tbl<'_>) -> LineDoc {
    t.check_keys(ctx, &KEYS);
    let general = |c: &mut Ctx, a, n| read_dist(c, a, n, Purpose::General);
    LineDoc {
        name: t.req(ctx, "name", string),
        label: t.opt(ctx, "label", string),
        item: t.req(ctx, "item", string),
        capacity: t.req(ctx, "capacity", |c, a: At, n| {
            let at = a.clone();
            tables(c, a, n).map(|ps| (at, ps.iter().map(|p| point(c, p)).collect()))
        }),
        slip: t.opt(ctx, "ramp_slip_days", general),
        other_share: t.opt(ctx, "other_customers_share", general),
        defect_rate: t.opt(ctx, "defect_rate", num),
        lag: t.opt(ctx, "delivery_lag_days", super::law::read),
        transit_loss: t.opt(ctx, "transit_loss", num),
        shared: buyers::read(ctx, t),
        expansions: super::expansion::read(ctx, t),
    }
}

/// A rate in units per day (a month is 365.25 / 12 days, a year 365.25 days).
fn per_day(ctx: &mut Ctx, r: &Sp<Rate>) -> Option<f64> {
    let m = MAX_RATE_PER_DAY;
    match r.v {
        Rate::Day(d) => number(ctx, &r.at, d, 0.0, m, "units per day"),
        Rate::Month(v) => {
            number(ctx, &r.at, v, 0.0, m * 30.0, "units per month").map(|v| v * 12.0 / 365.25)
        }
        Rate::Year(v) => {
            number(ctx, &r.at, v, 0.0, m * 365.0, "units per year").map(|v| v / 365.25)
        }
    }
}

fn optional(
    ctx: &mut Ctx,
    d: Option<&DistDoc>,
    sup: super::distributions::Support,
) -> Option<Dist> {
    match d {
        Some(d) => dist(ctx, d, sup),
        None => Some(Dist::Fixed(0.0)),
    }
}

/// A probability, by default 0; `below_one` refuses 1 (a defect rate of 1 delivers nothing).
fn probability(ctx: &mut Ctx, v: Option<&Sp<f64>>, below_one: bool) -> Option<f64> {
    let Some(v) = v else { return Some(0.0) };
    let hi = if below_one { 0.999_999 } else { 1.0 };
    if below_one && v.v >= 1.0 && v.v.is_finite() {
        ctx.err(
            &v.at,
            format!("{} is out of range: expected a probability between 0 and {hi}", super::hints::fmt_num(v.v)),
            Some("a rate of 1 or more would reject every unit, so nothing would ever be delivered; give a probability below 1, e.g. 0.02".into()),
        );
        return None;
    }
    number(ctx, &v.at, v.v, 0.0, hi, "a probability")
}

/// Checks one line and builds its ramp.
pub(super) fn compile(ctx: &mut Ctx, l: &LineDoc, items: &Names, cal: &Calendar) -> Option<Line> {
    let item = l
        .item
        .as_ref()
        .and_then(|i| items.resolve(ctx, &i.at, &i.v));
    let mut ramp: Vec<(f64, f64)> = Vec::new();
    let mut ok = true;
    if let Some((at, points)) = &l.capacity {
        if points.is_empty() {
            ctx.err(at, "capacity has no points", Some("e.g. capacity = [{ date = 2025-09-01, per_day = 1 }, { date = 2026-06-01, per_day = 7 }]".into()));
        }
        for p in points {
            let date = p
                .date
                .as_ref()
                .and_then(|d| calendar_date(ctx, d).map(|n| (n, &d.at)));
            let rate = p.rate.as_ref().and_then(|r| per_day(ctx, r));
            let (Some((date, date_at)), Some(rate)) = (date, rate) else {
                ok = false;
                continue;
            };
            #[allow(clippy::cast_precision_loss)]
            let day = (date - cal.start).num_days() as f64;
            if ramp.last().is_some_and(|&(prev, _)| day <= prev) {
                ctx.err(
                    date_at,
                    format!("ramp dates must increase; {date} is not after the previous point"),
                    Some("list capacity points in date order".into()),
                );
                ok = false;
                continue;
            }
            ramp.push((day, rate));
        }
    }
    let slip = optional(ctx, l.slip.as_ref(), SLIP);
    let other = optional(ctx, l.other_share.as_ref(), SHARE);
    let defect = probability(ctx, l.defect_rate.as_ref(), true);
    let loss = probability(ctx, l.transit_loss.as_ref(), false);
    let name = l.name.as_ref()?.v.clone();
    let lag = match &l.lag {
        Some(d) => super::law::compile(ctx, d, DELAY, ("line", &name, "delivery_lag_days")),
        None => Some((Dist::Fixed(0.0), None)),
    };
    let shared = buyers::compile(
        ctx,
        &l.shared,
        &name,
        l.other_share.as_ref().map(|d| &d.at),
        cal,
    );
    if !ok || ramp.is_empty() {
        return None;
    }
    let shared = shared?;
    Some(Line {
        label: l
            .label
            .as_ref()
            .map_or_else(|| name.clone(), |x| x.v.clone()),
        item: ItemId(item?),
        ramp,
        slip: slip?,
        other_share: other?,
        defect_rate: defect?,
        lag: lag.as_ref()?.0.clone(),
        lag_drawn: lag?.1,
        transit_loss: loss?,
        key_slip: StreamKey::new("line", &name, "ramp slip"),
        key_share: StreamKey::new("line", &name, "other customers"),
        key_defects: StreamKey::new("line", &name, "defects"),
        key_lag: StreamKey::new("line", &name, "delivery lag"),
        key_loss: StreamKey::new("line", &name, "transit loss"),
        key_releasable: StreamKey::new("line", &name, "releasable stock"),
        key_release_lag: StreamKey::new("line", &name, "release lag"),
        queue: shared.queue,
        customers: shared.customers,
        our_priority: 1,
        releasable: shared.releasable,
        restock_share: shared.restock_share,
        expansions: Vec::new(),
        name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::keypath::KeyPath;

    #[test]
    fn rates_convert_to_per_day() {
        let mut ctx = Ctx::default();
        let at = At::path(KeyPath::root());
        let r = |v| Sp { v, at: at.clone() };
        assert_eq!(per_day(&mut ctx, &r(Rate::Day(2.0))), Some(2.0));
        assert_eq!(per_day(&mut ctx, &r(Rate::Year(365.25))), Some(1.0));
        assert_eq!(per_day(&mut ctx, &r(Rate::Month(-1.0))), None);
        assert_eq!(ctx.problems.len(), 1);
    }

    #[test]
    fn a_defect_rate_of_one_is_refused_with_why() {
        let mut ctx = Ctx::default();
        let at = At::path(KeyPath::root().key("line").key("x").key("defect_rate"));
        assert_eq!(
            probability(
                &mut ctx,
                Some(&Sp {
                    v: 1.0,
                    at: at.clone()
                }),
                true
            ),
            None
        );
        assert!(ctx.problems[0]
            .help
            .as_deref()
            .unwrap()
            .contains("reject every unit"));
        assert_eq!(
            probability(&mut ctx, Some(&Sp { v: 1.0, at }), false),
            Some(1.0)
        );
        assert_eq!(probability(&mut ctx, None, true), Some(0.0));
    }
}

//! The `[[threat]]` schema and validator: launches a day (a count, with `[[threat.period]]`
//! multipliers, whose parameters may be drawn once per future) that interceptor use may follow
//! (`[[consumption]] threat = …`).

use super::consumption::{check_peak, compile_periods, read_periods, PeriodDoc};
use super::distributions::demand;
use super::doc::{string, At, Ctx, Sp, Tbl};
use super::header::Calendar;
use super::schema::{read_dist, DistDoc, Purpose};
use super::uncertain::{self, UncertainDoc};
use super::{Demand, Threat};
use crate::sampling::StreamKey;

const KEYS: [&str; 4] = ["name", "label", "daily", "period"];

/// One `[[threat]]` as written.
#[derive(Debug)]
pub(super) struct ThreatDoc {
    pub at: At,
    pub name: Option<Sp<String>>,
    pub label: Option<Sp<String>>,
    pub daily: Option<DistDoc>,
    /// `daily` with a parameter drawn once per future (then `daily` is `None`).
    pub uncertain: Option<UncertainDoc>,
    pub periods: Vec<PeriodDoc>,
}

/// Reads one `[[threat]]` table (already named).
pub(super) fn read(ctx: &mut Ctx, t: &Tbl<'_>) -> ThreatDoc {
    t.check_keys(ctx, &KEYS);
    let (daily, uncertain) = match uncertain::read(ctx, t) {
        uncertain::Read::Plain => (
            t.req(ctx, "daily", |c, a, n| read_dist(c, a, n, Purpose::Daily)),
            None,
        ),
        uncertain::Read::Uncertain(u) => (None, u),
    };
    ThreatDoc {
        at: t.at.clone(),
        name: t.req(ctx, "name", string),
        label: t.opt(ctx, "label", string),
        daily,
        uncertain,
        periods: read_periods(ctx, t),
    }
}

/// Checks one threat.
pub(super) fn compile(ctx: &mut Ctx, d: &ThreatDoc, cal: &Calendar) -> Option<Threat> {
    let name = d.name.as_ref()?.v.clone();
    let drawn = d
        .uncertain
        .as_ref()
        .map(|u| uncertain::compile(ctx, u, ("threat", &name)).map(Box::new));
    let daily: Option<Demand> = match &drawn {
        Some(u) => u.as_ref().map(|u| u.law),
        None => d.daily.as_ref().and_then(|x| demand(ctx, x)),
    };
    let periods = compile_periods(ctx, &d.periods, cal);
    let (daily, periods) = (daily?, periods?);
    let at = d.daily.as_ref().map(|x| &x.at);
    let at = at.or(d.uncertain.as_ref().map(|u| &u.at)).unwrap_or(&d.at);
    let peak = drawn.as_ref().and_then(|u| u.as_ref().map(|u| u.largest()));
    check_peak(ctx, at, peak.unwrap_or(daily), &periods, "threat")?;
    Some(Threat {
        label: d
            .label
            .as_ref()
            .map_or_else(|| name.clone(), |l| l.v.clone()),
        daily,
        uncertain: drawn.flatten().filter(|u| !u.params.is_empty()),
        periods,
        key_launches: StreamKey::new("threat", &name, "launches"),
        name,
    })
}

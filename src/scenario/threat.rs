//! The `[[threat]]` schema and validator: launches a day (a count, with `[[threat.period]]`
//! multipliers) that interceptor use may follow (`[[consumption]] threat = …`).

use super::consumption::{check_peak, compile_periods, read_periods, PeriodDoc};
use super::distributions::demand;
use super::doc::{string, At, Ctx, Sp, Tbl};
use super::header::Calendar;
use super::schema::{read_dist, DistDoc, Purpose};
use super::Threat;
use crate::sampling::StreamKey;

const KEYS: [&str; 4] = ["name", "label", "daily", "period"];

/// One `[[threat]]` as written.
#[derive(Debug)]
pub(super) struct ThreatDoc {
    pub at: At,
    pub name: Option<Sp<String>>,
    pub label: Option<Sp<String>>,
    pub daily: Option<DistDoc>,
    pub periods: Vec<PeriodDoc>,
}

/// Reads one `[[threat]]` table (already named).
pub(super) fn read(ctx: &mut Ctx, t: &Tbl<'_>) -> ThreatDoc {
    t.check_keys(ctx, &KEYS);
    ThreatDoc {
        at: t.at.clone(),
        name: t.req(ctx, "name", string),
        label: t.opt(ctx, "label", string),
        daily: t.req(ctx, "daily", |c, a, n| read_dist(c, a, n, Purpose::Daily)),
        periods: read_periods(ctx, t),
    }
}

/// Checks one threat.
pub(super) fn compile(ctx: &mut Ctx, d: &ThreatDoc, cal: &Calendar) -> Option<Threat> {
    let daily = d.daily.as_ref().and_then(|x| demand(ctx, x));
    let periods = compile_periods(ctx, &d.periods, cal);
    let (daily, periods) = (daily?, periods?);
    let at = d.daily.as_ref().map_or(&d.at, |x| &x.at);
    check_peak(ctx, at, daily, &periods, "threat")?;
    let name = d.name.as_ref()?.v.clone();
    Some(Threat {
        label: d
            .label
            .as_ref()
            .map_or_else(|| name.clone(), |l| l.v.clone()),
        daily,
        periods,
        key_launches: StreamKey::new("threat", &name, "launches"),
        name,
    })
}

//! The optional `[report]` table: a warm-up date before which days do not count in the risk
//! measures, and `[[report.window]]` periods for which the results give the probability of
//! any day at zero. A scenario without it reports over the whole horizon.

use super::doc::{date, string, table, tables, Ctx, Tbl};
use super::header::Calendar;
use super::names::Names;
use crate::units::Day;

const KEYS: [&str; 2] = ["warm_up", "window"];
const WINDOW_KEYS: [&str; 3] = ["name", "from", "to"];

/// What the risk measures look at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportSettings {
    /// First day counted by the risk measures (day 0 without a warm-up).
    pub warm_up: Day,
    /// Named periods.
    pub windows: Vec<Window>,
}

/// A named period, first and last day included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// Short name.
    pub name: String,
    /// First day.
    pub from: Day,
    /// Last day.
    pub to: Day,
}

/// Reads and checks `[report]` (the defaults when absent; `None` after a reported problem).
pub(super) fn read(
    ctx: &mut Ctx,
    root: &Tbl<'_>,
    cal: Option<&Calendar>,
) -> Option<ReportSettings> {
    let Some(t) = root.opt(ctx, "report", table) else {
        return (!root.has("report")).then(ReportSettings::default);
    };
    t.check_keys(ctx, &KEYS);
    let warm = t.opt(ctx, "warm_up", date);
    let list = t.opt(ctx, "window", tables).unwrap_or_default();
    let docs: Vec<_> = list
        .iter()
        .map(|w| {
            w.check_keys(ctx, &WINDOW_KEYS);
            (
                w.at.clone(),
                w.req(ctx, "name", string),
                w.req(ctx, "from", date),
                w.req(ctx, "to", date),
            )
        })
        .collect();
    let names = Names::build(
        ctx,
        "windows",
        "report.window",
        &docs.iter().map(|d| d.1.as_ref()).collect::<Vec<_>>(),
    );
    let cal = cal?;
    let warm_up = match &warm {
        Some(w) => cal.day_in(ctx, w)?,
        None => Day(0),
    };
    let mut ok = true;
    let mut windows = Vec::new();
    for (at, name, from, to) in &docs {
        let from_day = from.as_ref().and_then(|d| cal.day_in(ctx, d));
        let to_day = to.as_ref().and_then(|d| cal.day_in(ctx, d));
        let name = name.as_ref().filter(|n| names.get(&n.v).is_some());
        match (name, from_day, to_day) {
            (Some(n), Some(f), Some(l)) if l < f => {
                ctx.err(
                    to.as_ref().map_or(at, |d| &d.at),
                    format!(
                        "the window ends on {} before it starts on {}",
                        cal.date(l),
                        cal.date(f)
                    ),
                    Some(format!(
                        "give window `{}` a `to` date on or after its `from` date",
                        n.v
                    )),
                );
                ok = false;
            }
            (Some(n), Some(_), Some(l)) if l < warm_up => {
                ctx.err(
                    to.as_ref().map_or(at, |d| &d.at),
                    format!(
                        "the window ends on {}, before the warm-up date {}, so none of its days is counted",
                        cal.date(l),
                        cal.date(warm_up)
                    ),
                    Some(format!(
                        "move window `{}` after the warm-up, or move [report] warm_up earlier",
                        n.v
                    )),
                );
                ok = false;
            }
            (Some(n), Some(f), Some(l)) => windows.push(Window {
                name: n.v.clone(),
                from: f.max(warm_up),
                to: l,
            }),
            _ => ok = false,
        }
    }
    ok.then_some(ReportSettings { warm_up, windows })
}

//! The `[scenario]` header validator (name, calendar, defaults) and the calendar that turns dates
//! into simulation days.

use super::doc::{date, int, string, Ctx, Datetime, Sp, Tbl};
use super::names::check_name;
use super::MAX_HORIZON_DAYS;
use crate::units::Day;
use chrono::NaiveDate;

/// The keys `[scenario]` accepts.
const KEYS: [&str; 9] = [
    "format",
    "name",
    "title",
    "description",
    "start",
    "horizon_days",
    "end",
    "seed",
    "runs",
];

/// The checked header.
#[derive(Debug)]
pub(super) struct Header {
    pub name: String,
    pub title: String,
    pub description: Option<String>,
    pub cal: Calendar,
    pub seed: Option<u64>,
    pub runs: Option<u64>,
}

/// The simulated period: day 0 is `start`, the last day is `end`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Calendar {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub horizon: u32,
}

impl Calendar {
    /// The calendar date of a day.
    pub fn date(&self, d: Day) -> NaiveDate {
        self.start + chrono::Days::new(u64::from(d.0))
    }

    /// A date that must fall within the simulated period, as a day.
    pub fn day_in(&self, ctx: &mut Ctx, dt: &Sp<Datetime>) -> Option<Day> {
        let d = calendar_date(ctx, dt)?;
        if d < self.start || d > self.end {
            ctx.err(
                &dt.at,
                format!(
                    "{d} is outside the simulated period {} to {}",
                    self.start, self.end
                ),
                Some(
                    "move the date inside the period, or change [scenario] start / horizon_days"
                        .into(),
                ),
            );
            return None;
        }
        u32::try_from((d - self.start).num_days()).ok().map(Day)
    }
}

/// A TOML date that is a plain calendar date (no time of day, no offset).
pub(super) fn calendar_date(ctx: &mut Ctx, dt: &Sp<Datetime>) -> Option<NaiveDate> {
    match (dt.v.date, dt.v.time) {
        (Some(d), None) if dt.v.offset.is_none() => {
            let nd =
                NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day));
            if nd.is_none() {
                ctx.err(&dt.at, format!("{} is not a calendar date", dt.v), None);
            }
            nd
        }
        _ => {
            ctx.err(
                &dt.at,
                format!("{} has a time of day; only a date is expected", dt.v),
                Some("write just the date, e.g. 2025-09-01".into()),
            );
            None
        }
    }
}

/// Reads and checks `[scenario]`.
pub(super) fn header(ctx: &mut Ctx, h: &Tbl<'_>) -> Option<Header> {
    h.check_keys(ctx, &KEYS);
    if let Some(f) = h.opt(ctx, "format", int) {
        if f.v != 1 {
            ctx.err(
                &f.at,
                format!(
                    "format {} is not supported; this version reads format 1",
                    f.v
                ),
                Some("set format = 1 or remove the key".into()),
            );
        }
    }
    let name = h.req(ctx, "name", string);
    let name_ok = name
        .as_ref()
        .is_some_and(|n| check_name(ctx, &n.at, &n.v, "scenario"));
    let start = h
        .req(ctx, "start", date)
        .and_then(|s| calendar_date(ctx, &s));
    let days = h.opt(ctx, "horizon_days", int);
    let end = h.opt(ctx, "end", date);
    let horizon = match (days, end) {
        (Some(_), Some(e)) => {
            ctx.err(
                &e.at,
                "both horizon_days and end are given",
                Some("keep one of them: horizon_days = 1095 or end = 2028-08-31".into()),
            );
            None
        }
        (None, None) => {
            if !h.has("horizon_days") && !h.has("end") {
                ctx.err(
                    &h.at,
                    "missing key `horizon_days` (or `end`)",
                    Some(
                        "say how long to simulate: horizon_days = 1095, or end = 2028-08-31".into(),
                    ),
                );
            }
            None
        }
        (Some(d), None) => {
            if d.v < 1 || d.v > i64::from(MAX_HORIZON_DAYS) {
                ctx.err(
                    &d.at,
                    format!(
                        "horizon_days must be between 1 and {MAX_HORIZON_DAYS} (100 years), got {}",
                        d.v
                    ),
                    Some("a whole number of days, e.g. horizon_days = 1095 for three years".into()),
                );
                None
            } else {
                u32::try_from(d.v).ok()
            }
        }
        (None, Some(e)) => {
            let end = calendar_date(ctx, &e);
            match (start, end) {
                (Some(s), Some(end)) => {
                    let days = (end - s).num_days();
                    if days < 1 {
                        ctx.err(&e.at, format!("end ({end}) must be after start ({s})"), Some("end is the last simulated date; set it after start, or give horizon_days instead".into()));
                        None
                    } else if days > i64::from(MAX_HORIZON_DAYS) {
                        ctx.err(&e.at, format!("the horizon from {s} to {end} is {days} days; at most {MAX_HORIZON_DAYS} (100 years) are allowed"), Some("move end closer to start".into()));
                        None
                    } else {
                        u32::try_from(days).ok()
                    }
                }
                _ => None,
            }
        }
    };
    let seed = h.opt(ctx, "seed", int).and_then(|s| {
        if s.v < 0 {
            ctx.err(
                &s.at,
                format!("seed must be a whole number ≥ 0, got {}", s.v),
                None,
            );
        }
        u64::try_from(s.v).ok()
    });
    let runs = h.opt(ctx, "runs", int).and_then(|r| {
        if !(1..=crate::MAX_RUNS as i64).contains(&r.v) {
            ctx.err(
                &r.at,
                format!(
                    "runs must be between 1 and {}, got {}",
                    crate::MAX_RUNS,
                    r.v
                ),
                Some("1,000 runs give percentiles good to about ±1%; 10,000 is plenty".into()),
            );
            return None;
        }
        u64::try_from(r.v).ok()
    });
    let title = h.opt(ctx, "title", string);
    if let Some(t) = &title {
        if t.v.chars().count() > 200 {
            ctx.err(
                &t.at,
                "title is longer than 200 characters",
                Some("keep titles short; put detail in description".into()),
            );
        }
    }
    let description = h.opt(ctx, "description", string).map(|d| d.v);
    let (start, horizon, name) = (start?, horizon?, name?);
    if !name_ok {
        return None;
    }
    let end = start + chrono::Days::new(u64::from(horizon));
    Some(Header {
        title: title.map_or_else(|| name.v.clone(), |t| t.v),
        name: name.v,
        description,
        cal: Calendar {
            start,
            end,
            horizon,
        },
        seed,
        runs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> (Option<Header>, Ctx) {
        let doc = toml_edit::ImDocument::parse(text).unwrap();
        let mut ctx = Ctx::default();
        let root = Tbl::root(doc.as_table());
        let h = root.req(&mut ctx, "scenario", super::super::doc::table);
        let r = h.and_then(|h| header(&mut ctx, &h));
        (r, ctx)
    }

    #[test]
    fn a_good_header_gives_the_calendar() {
        let (h, ctx) = check("[scenario]\nname = \"a\"\nstart = 2025-09-01\nend = 2025-09-11\n");
        let h = h.unwrap_or_else(|| panic!("{:?}", ctx.problems));
        assert_eq!(h.cal.horizon, 10);
        assert_eq!(h.title, "a");
    }

    #[test]
    fn every_header_problem_is_reported() {
        let (h, ctx) = check(
            "[scenario]\nname = \"a b\"\nstart = 2025-09-01\nseed = -1\nruns = 0\nformat = 2\n",
        );
        assert!(h.is_none());
        let paths: Vec<_> = ctx.problems.iter().map(|p| p.path.to_string()).collect();
        assert_eq!(
            paths,
            [
                "scenario.format",
                "scenario.name",
                "scenario",
                "scenario.seed",
                "scenario.runs"
            ]
        );
    }
}

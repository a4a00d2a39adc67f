//! `events.csv`: one row per disruption event — the share of futures in which it happened (with
//! its standard error), the distribution of its days disrupted per future, and for a stock loss
//! the units it destroyed per future (mean, standard error, share of futures with any; empty for
//! the other effects). Written only when the scenario has events.

use super::summary_csv::{mean_se, share_se};
use super::{round, OutputError};
use crate::report::Results;

/// The table's header.
pub const HEADER: [&str; 15] = [
    "event",
    "label",
    "effect",
    "prob_happened",
    "prob_happened_se",
    "days_disrupted_mean",
    "days_disrupted_mean_se",
    "days_disrupted_p5",
    "days_disrupted_p25",
    "days_disrupted_p50",
    "days_disrupted_p75",
    "days_disrupted_p95",
    "units_destroyed_mean",
    "units_destroyed_mean_se",
    "prob_destroyed",
];

/// `events.csv`.
pub fn events_csv(r: &Results) -> Result<Vec<u8>, OutputError> {
    let e = |x: csv::Error| OutputError::Serialize {
        file: "events.csv",
        message: x.to_string(),
    };
    let n = r.summary.metadata.runs;
    let num = |v: f64| round(v, 6).to_string();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER).map_err(e)?;
    for ev in &r.summary.events {
        let d = &ev.days_disrupted;
        let lost = ev.units_destroyed.as_ref();
        let or_blank = |v: Option<f64>| v.map_or_else(String::new, num);
        w.write_record([
            ev.name.clone(),
            ev.label.clone(),
            ev.effect.to_owned(),
            num(ev.prob_happened),
            num(share_se(ev.prob_happened, n)),
            num(d.mean),
            num(mean_se(d, n)),
            num(d.p5),
            num(d.p25),
            num(d.p50),
            num(d.p75),
            num(d.p95),
            or_blank(lost.map(|u| u.mean)),
            or_blank(lost.map(|u| mean_se(u, n))),
            or_blank(ev.prob_destroyed),
        ])
        .map_err(e)?;
    }
    w.into_inner().map_err(|x| OutputError::Serialize {
        file: "events.csv",
        message: x.to_string(),
    })
}

/// The report's section on disruption events (empty when there are none): Markdown lines.
#[must_use]
pub fn markdown_section(r: &Results) -> String {
    use std::fmt::Write;
    if r.summary.events.is_empty() {
        return String::new();
    }
    let mut o = String::from("\n## Disruption events\n\n");
    // The units destroyed only when some event is a stock loss.
    let losses = r.summary.events.iter().any(|e| e.units_destroyed.is_some());
    let (head, rule) = if losses {
        (" units destroyed: mean (futures with any) |", "---:|")
    } else {
        ("", "")
    };
    let _ = writeln!(
        o,
        "| event | effect | happened in | days disrupted: mean | median | 95th percentile |{head}"
    );
    let _ = writeln!(o, "|---|---|---:|---:|---:|---:|{rule}");
    for ev in &r.summary.events {
        let d = &ev.days_disrupted;
        let lost = match (losses, &ev.units_destroyed, ev.prob_destroyed) {
            (false, _, _) => String::new(),
            (true, Some(u), Some(p)) => format!(" {:.1} ({:.1}%) |", u.mean, 100.0 * p),
            (true, _, _) => " – |".to_owned(),
        };
        let _ = writeln!(
            o,
            "| {} | {} | {:.1}% of futures | {:.1} | {:.0} | {:.0} |{lost}",
            crate::text::markdown(&ev.label),
            ev.effect,
            100.0 * ev.prob_happened,
            d.mean,
            d.p50,
            d.p95
        );
    }
    o
}

/// One terminal line per event ("event: happened in 41.2% of futures, 37 days disrupted on
/// average", and for a stock loss the units destroyed); empty when there are none.
#[must_use]
pub fn terminal_lines(r: &Results) -> Vec<String> {
    r.summary
        .events
        .iter()
        .map(|ev| {
            let lost = match (&ev.units_destroyed, ev.prob_destroyed) {
                (Some(u), Some(p)) => format!(
                    ", {:.1} units destroyed on average (some in {:.1}% of futures)",
                    u.mean,
                    100.0 * p
                ),
                _ => String::new(),
            };
            format!(
                "{}: happened in {:.1}% of futures, {:.1} days disrupted on average (95th percentile {:.0}){lost}",
                crate::text::terminal(&ev.label),
                100.0 * ev.prob_happened,
                ev.days_disrupted.mean,
                ev.days_disrupted.p95
            )
        })
        .collect()
}

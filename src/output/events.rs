//! `events.csv`: one row per disruption event — the share of futures in which it happened (with
//! its standard error), the distribution of its days disrupted per future, and for a stock loss
//! the units it destroyed per future (mean, standard error, share of futures with any; empty for
//! the other effects). Written only when the scenario has events.

use super::csv_rows::{write_csv, Num};
use super::summary_csv::{mean_se, share_se};
use super::OutputError;
use crate::report::Results;
use serde::Serialize;

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

/// One row of `events.csv`, in [`HEADER`] order.
#[derive(Serialize)]
struct EventRow<'a> {
    event: &'a str,
    label: &'a str,
    effect: &'a str,
    prob_happened: Num,
    prob_happened_se: Num,
    days_disrupted_mean: Num,
    days_disrupted_mean_se: Num,
    days_disrupted_p5: Num,
    days_disrupted_p25: Num,
    days_disrupted_p50: Num,
    days_disrupted_p75: Num,
    days_disrupted_p95: Num,
    units_destroyed_mean: Option<Num>,
    units_destroyed_mean_se: Option<Num>,
    prob_destroyed: Option<Num>,
}

/// `events.csv`.
pub fn events_csv(r: &Results) -> Result<Vec<u8>, OutputError> {
    let n = r.summary.metadata.runs;
    let num = |v: f64| Num::round(v, 6);
    let rows = r.summary.events.iter().map(|ev| {
        let d = &ev.days_disrupted;
        let lost = ev.units_destroyed.as_ref();
        EventRow {
            event: &ev.name,
            label: &ev.label,
            effect: ev.effect,
            prob_happened: num(ev.prob_happened),
            prob_happened_se: num(share_se(ev.prob_happened, n)),
            days_disrupted_mean: num(d.mean),
            days_disrupted_mean_se: num(mean_se(d, n)),
            days_disrupted_p5: num(d.p5),
            days_disrupted_p25: num(d.p25),
            days_disrupted_p50: num(d.p50),
            days_disrupted_p75: num(d.p75),
            days_disrupted_p95: num(d.p95),
            units_destroyed_mean: lost.map(|u| num(u.mean)),
            units_destroyed_mean_se: lost.map(|u| num(mean_se(u, n))),
            prob_destroyed: ev.prob_destroyed.map(num),
        }
    });
    write_csv("events.csv", HEADER, rows)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::csv_rows::serde_header;

    #[test]
    fn the_header_names_the_row_fields() {
        let z = Num(0.0);
        let row = EventRow {
            event: "e",
            label: "l",
            effect: "x",
            prob_happened: z,
            prob_happened_se: z,
            days_disrupted_mean: z,
            days_disrupted_mean_se: z,
            days_disrupted_p5: z,
            days_disrupted_p25: z,
            days_disrupted_p50: z,
            days_disrupted_p75: z,
            days_disrupted_p95: z,
            units_destroyed_mean: Some(z),
            units_destroyed_mean_se: None,
            prob_destroyed: Some(z),
        };
        assert_eq!(serde_header(&row), HEADER);
    }
}

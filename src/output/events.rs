//! `events.csv`: one row per disruption event — the share of futures in which it happened (with
//! its standard error) and the distribution of its days disrupted per future. Written only when
//! the scenario has events.

use super::summary_csv::{mean_se, share_se};
use super::{round, OutputError};
use crate::report::Results;

/// The table's header.
pub const HEADER: [&str; 12] = [
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
    o.push_str(
        "| event | effect | happened in | days disrupted: mean | median | 95th percentile |\n",
    );
    o.push_str("|---|---|---:|---:|---:|---:|\n");
    for ev in &r.summary.events {
        let d = &ev.days_disrupted;
        let _ = writeln!(
            o,
            "| {} | {} | {:.1}% of futures | {:.1} | {:.0} | {:.0} |",
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
/// average"); empty when there are none.
#[must_use]
pub fn terminal_lines(r: &Results) -> Vec<String> {
    r.summary
        .events
        .iter()
        .map(|ev| {
            format!(
                "{}: happened in {:.1}% of futures, {:.1} days disrupted on average (95th percentile {:.0})",
                crate::text::terminal(&ev.label),
                100.0 * ev.prob_happened,
                ev.days_disrupted.mean,
                ev.days_disrupted.p95
            )
        })
        .collect()
}

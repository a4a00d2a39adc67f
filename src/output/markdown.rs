//! `report.md`: a short human-readable report of an experiment, with the charts embedded.
//!
//! Every text taken from the scenario file (title, description, labels, the file's name) goes
//! through [`md`], so a `|` cannot break a table and raw HTML or `javascript:` links cannot pass
//! through to whoever renders the report.

use crate::plot::{format_units, format_usd};
use crate::report::Results;
use crate::scenario::Scenario;
use crate::text::markdown as md;
use std::fmt::Write;

/// A fenced code block that no run of backticks inside `code` can close early.
pub(super) fn fenced(code: &str) -> String {
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}\n{code}\n{fence}")
}

fn pct(p: f64) -> String {
    format!("{:.1}%", p * 100.0)
}

fn date_or(d: Option<chrono::NaiveDate>) -> String {
    d.map_or_else(|| "after the horizon".to_owned(), |d| d.to_string())
}

/// The report text.
#[must_use]
pub fn report(s: &Scenario, r: &Results) -> String {
    let m = &r.summary.metadata;
    let mut o = String::new();
    let _ = writeln!(o, "# {}\n", md(&s.title));
    if let Some(d) = &s.description {
        let lines: Vec<_> = d.trim().lines().map(|l| md(l.trim_end())).collect();
        let _ = writeln!(o, "{}\n", lines.join("\n"));
    }
    let _ = writeln!(
        o,
        "{} simulated futures from {} to {} ({} days), seed {}. Scenario file {} (hash `{}`), steel-porcupine {}.\n",
        format_units(m.runs as f64),
        r.summary.start,
        r.summary.end,
        r.summary.horizon_days,
        m.seed,
        md(&m.scenario_file),
        m.scenario_hash,
        m.version
    );
    let _ = writeln!(o, "Reproduce with:\n\n{}\n", fenced(&m.reproduce));
    let _ = writeln!(o, "## Stock at the end of the horizon\n");
    let _ = writeln!(o, "| item | start | median end stock | 90% range (P5–P95) | mean end stock ± s.e. | P(no stock at end) ± s.e. | P(no stock on any day) | below safe stock at end | first date below safe stock (median) |");
    let _ = writeln!(o, "|---|---:|---:|---:|---:|---:|---:|---:|---|");
    for it in &r.summary.items {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} – {} | {} ± {:.1} | {} ± {:.1}% | {} | {} | {} |",
            md(&it.label),
            format_units(it.initial_stock as f64),
            format_units(it.end_stock.p50),
            format_units(it.end_stock.p5),
            format_units(it.end_stock.p95),
            if it.end_stock.mean.abs() >= 100.0 {
                format_units(it.end_stock.mean)
            } else {
                format!("{:.1}", it.end_stock.mean)
            },
            it.end_stock.mean_se,
            pct(it.prob_zero_at_end),
            it.prob_zero_at_end_se * 100.0,
            pct(it.risk.prob_zero_any_day),
            it.prob_below_safe_at_end
                .map_or_else(|| "no safe level set".into(), pct),
            it.first_below_safe
                .as_ref()
                .map_or_else(|| "–".into(), |f| date_or(f.p50)),
        );
    }
    let _ = writeln!(
        o,
        "\ns.e.: Monte Carlo standard error of the figure (more futures make it smaller; about 95% of repeated experiments land within 2 s.e.)."
    );
    super::risk_text::markdown(&mut o, r);
    let _ = writeln!(o, "\n## Deliveries and unmet demand (means over runs)\n");
    // Substitution columns only when some item has substitutes.
    let subst = r.summary.items.iter().any(|it| it.substituted.is_some());
    let (head, rule) = if subst {
        (
            " covered by substitutes | used as substitute |",
            "---:|---:|",
        )
    } else {
        ("", "")
    };
    let _ = writeln!(
        o,
        "| item | ordered | delivered | unmet demand | days short |{head}"
    );
    let _ = writeln!(o, "|---|---:|---:|---:|---:|{rule}");
    for it in &r.summary.items {
        let cell = |s: &Option<crate::report::Spread>| {
            s.as_ref()
                .map_or_else(|| "–".into(), |s| format_units(s.mean))
        };
        let more = if subst {
            format!(
                " {} | {} |",
                cell(&it.substituted),
                cell(&it.used_as_substitute)
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {:.1} |{more}",
            md(&it.label),
            format_units(it.ordered.mean),
            format_units(it.delivered.mean),
            format_units(it.unmet_demand.mean),
            it.days_short.mean
        );
    }
    if !r.summary.funding.is_empty() {
        let _ = writeln!(o, "\n## Funding (means over runs, US dollars)\n");
        let _ = writeln!(
            o,
            "| source | pledged | paid | never paid | still in transit |"
        );
        let _ = writeln!(o, "|---|---:|---:|---:|---:|");
        for f in &r.summary.funding {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} |",
                md(&f.label),
                format_usd(f.pledged_usd),
                format_usd(f.paid_usd),
                format_usd(f.defaulted_usd),
                format_usd(f.in_flight_usd)
            );
        }
    }
    if !r.summary.channels.is_empty() {
        let _ = writeln!(o, "\n| channel | received | spent | unspent at end |");
        let _ = writeln!(o, "|---|---:|---:|---:|");
        for c in &r.summary.channels {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} |",
                md(&c.label),
                format_usd(c.received_usd),
                format_usd(c.spent_usd),
                format_usd(c.balance_usd)
            );
        }
    }
    o.push_str(&super::events::markdown_section(r));
    let _ = writeln!(o, "\n## Charts\n");
    // Every chart in report order, each with the caption report.html gives it.
    for (name, chart) in super::charts(s, r) {
        let _ = writeln!(
            o,
            "![{}]({name}.png)\n\n*{}*\n",
            md(&super::html::alt(&chart)),
            md(&super::html::caption(&chart))
        );
    }
    let _ = writeln!(
        o,
        "A self-contained version of this report with every chart, the Monte Carlo error of each \
         figure and definitions of the terms is in `report.html`.\n"
    );
    let _ = writeln!(o, "## Method\n");
    let _ = writeln!(
        o,
        "Each run is one possible future, simulated day by day with an event queue: installments fall due and may be \
         paid late or not at all, channels place orders, contracts join production queues, lines complete batches, \
         shipments arrive after a random lag, and stock is used by random daily demand. Percentiles are {}. \
         Daily figures are in `daily.csv`; the whole summary is in `summary.json`.",
        m.percentile_method
    );
    o
}

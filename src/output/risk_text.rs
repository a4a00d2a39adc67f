//! The risk measures in the outputs: the "Risk of running out" section of `report.md` and
//! `risk_by_month.csv` (per item and month, P(stock = 0) and P(below safe stock) on the month's
//! last simulated day).

use super::csv_rows::{write_csv, Num};
use super::OutputError;
use crate::report::Results;
use crate::text::markdown as md;
use serde::Serialize;
use std::fmt::Write;

fn pct(p: f64) -> String {
    format!("{:.1}%", p * 100.0)
}

fn date_or(d: Option<chrono::NaiveDate>) -> String {
    d.map_or_else(|| "after the horizon".to_owned(), |d| d.to_string())
}

/// Months of cover in words (no use: "no use").
#[must_use]
pub fn cover(m: Option<f64>) -> String {
    m.map_or_else(|| "no use".to_owned(), |m| format!("{m:.1}"))
}

/// The "Risk of running out" section of `report.md`.
pub fn markdown(o: &mut String, r: &Results) {
    let Some(first) = r.summary.items.first() else {
        return;
    };
    let _ = writeln!(o, "\n## Risk of running out\n");
    let start = first.risk.counted_from;
    if start != r.summary.start {
        let _ = writeln!(
            o,
            "Days before {start} (the warm-up in `[report]`) are not counted.\n"
        );
    }
    let _ = writeln!(
        o,
        "| item | P(no stock on any day) | first date at zero: P5 / median / P95 | never at zero | expected days at zero ± s.e. | months of cover at end | why |"
    );
    let _ = writeln!(o, "|---|---:|---|---:|---:|---:|---|");
    for it in &r.summary.items {
        let k = &it.risk;
        let _ = writeln!(
            o,
            "| {} | {} | {} / {} / {} | {} | {:.1} ± {:.1} | {} | {} |",
            md(&it.label),
            pct(k.prob_zero_any_day),
            date_or(k.first_zero.p5),
            date_or(k.first_zero.p50),
            date_or(k.first_zero.p95),
            pct(k.first_zero.share_never),
            k.expected_days_at_zero,
            k.expected_days_at_zero_se,
            cover(k.months_of_cover_at_end),
            md(&it.why.sentence),
        );
    }
    let _ = writeln!(
        o,
        "\nMonths of cover: mean end stock ÷ mean monthly use (mean use over the horizon ÷ its months of 365.25 / 12 days). `risk_by_month.csv` gives P(stock = 0) and P(below safe stock) at the end of every month; `summary.json` keeps `prob_any_shortfall` (runs with any day of unmet demand) for compatibility."
    );
    let windows: Vec<_> = r
        .summary
        .items
        .iter()
        .flat_map(|it| it.risk.windows.iter().map(move |w| (it, w)))
        .collect();
    if !windows.is_empty() {
        let _ = writeln!(
            o,
            "\n| item | window | from | to | P(no stock on any day in it) |"
        );
        let _ = writeln!(o, "|---|---|---|---|---:|");
        for (it, w) in windows {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} |",
                md(&it.label),
                md(&w.name),
                w.from,
                w.to,
                pct(w.prob_zero_any_day)
            );
        }
    }
}

/// The header of `risk_by_month.csv`.
const RISK_BY_MONTH_HEADER: [&str; 5] = ["item", "month", "date", "prob_zero", "prob_below_safe"];

/// One row of `risk_by_month.csv`.
#[derive(Serialize)]
struct MonthRow<'a> {
    item: &'a str,
    month: &'a str,
    date: chrono::NaiveDate,
    prob_zero: Num,
    prob_below_safe: Option<Num>,
}

/// `risk_by_month.csv`: one row per item and month.
///
/// # Errors
/// When a row cannot be written (never for in-memory buffers).
pub fn risk_by_month_csv(r: &Results) -> Result<Vec<u8>, OutputError> {
    let rows = r.summary.items.iter().flat_map(|it| {
        it.risk.by_month.iter().map(|m| MonthRow {
            item: &it.name,
            month: &m.month,
            date: m.date,
            prob_zero: Num::round(m.prob_zero, 6),
            prob_below_safe: m.prob_below_safe.map(|p| Num::round(p, 6)),
        })
    });
    write_csv("risk_by_month.csv", RISK_BY_MONTH_HEADER, rows)
}

/// The width of the item column on the terminal: the longest label, between 16 and 40
/// characters.
#[must_use]
pub fn label_width(r: &Results) -> usize {
    r.summary
        .items
        .iter()
        .map(|it| crate::text::terminal(&it.label).chars().count())
        .max()
        .unwrap_or(0)
        .clamp(16, 40)
}

/// An item's label for a terminal column of `width` characters, cut with "…" if longer.
#[must_use]
pub fn fit_label(label: &str, width: usize) -> String {
    let t = crate::text::terminal(label);
    if t.chars().count() <= width {
        t.into_owned()
    } else {
        t.chars().take(width - 1).chain(['…']).collect()
    }
}

/// The risk measures and the binding constraint of every item, for the terminal.
#[must_use]
pub fn terminal(r: &Results) -> String {
    let t = |s: &str| crate::text::terminal(s).into_owned();
    let mut o = String::new();
    let w = label_width(r);
    for it in &r.summary.items {
        let k = &it.risk;
        let label = fit_label(&it.label, w);
        let _ = writeln!(
            o,
            "{label:<w$} P(none on any day) {}, first at zero (P50) {}, days at zero {:.1} ± {:.1}, cover at end {} months",
            pct(k.prob_zero_any_day),
            date_or(k.first_zero.p50),
            k.expected_days_at_zero,
            k.expected_days_at_zero_se,
            cover(k.months_of_cover_at_end),
        );
        let _ = writeln!(o, "{:<w$} why: {}", "", t(&it.why.sentence));
        let mut parts = Vec::new();
        if let Some(x) = &it.substituted {
            parts.push(format!(
                "{:.1} units of its demand covered by substitutes",
                x.mean
            ));
        }
        if let Some(x) = &it.used_as_substitute {
            parts.push(format!("{:.1} units used for other items", x.mean));
        }
        if !parts.is_empty() {
            let _ = writeln!(o, "{:<w$} substitution (means): {}", "", parts.join(", "));
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::csv_rows::serde_header;

    #[test]
    fn the_risk_by_month_header_names_the_row_fields() {
        let row = MonthRow {
            item: "i",
            month: "2025-01",
            date: chrono::NaiveDate::from_ymd_opt(2025, 1, 31).unwrap(),
            prob_zero: Num(0.0),
            prob_below_safe: None,
        };
        assert_eq!(serde_header(&row), RISK_BY_MONTH_HEADER);
    }
}

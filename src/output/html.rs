//! `report.html`: one self-contained page (charts inline as SVG, no scripts, no network) with
//! the scenario's title and description, headline numbers with their Monte Carlo errors, every
//! chart with a caption, the terms used, the limitations and how to reproduce the results.
//! Every piece of scenario text is escaped with [`crate::text::xml`].

use std::fmt::Write as _;

use super::summary_csv::{mean_se, share_se};
use crate::plot::{format_units, Chart, Rendered};
use crate::report::Results;
use crate::scenario::Scenario;
use crate::text::xml;

const STYLE: &str = "body{font-family:'DejaVu Sans',Verdana,sans-serif;max-width:1240px;margin:2em auto;padding:0 1em;color:#1e1e1e;line-height:1.45}\
h1{font-size:1.7em;margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}\
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:.35em .6em;text-align:right}\
th:first-child,td:first-child{text-align:left}figure{margin:1.5em 0}figure svg{width:100%;height:auto;border:1px solid #c8c8d2}\
figcaption{color:#444;font-size:.95em;margin-top:.3em}dt{font-weight:bold}.meta{color:#555}code{background:#f4f4f4;padding:.1em .3em}";

fn pct(p: f64) -> String {
    format!("{:.1}%", p * 100.0)
}

/// "12.5% ± 1.0%" for a share of runs.
fn share(p: f64, runs: u64) -> String {
    format!("{} ± {}", pct(p), pct(share_se(p, runs)))
}

/// A chart's short description (its image's alternative text).
pub(crate) fn alt(c: &Chart) -> String {
    match c {
        Chart::Fan(s) => format!("{}: stock over time", s.item_label),
        Chart::Risk(_) => "Chance of no stock and of stock below the safe level".into(),
        Chart::EndStock(s) => format!("{}: stock at the end of the horizon", s.item_label),
        Chart::Money(s) => format!("Money: {}", s.scenario_title),
        Chart::Flows(s) => format!("{}: deliveries and use per month", s.item_label),
        Chart::Production(s) => format!("{}: production per day", s.line_label),
        Chart::Comparison(s) => format!("{}: stock under each scenario", s.item_label),
        Chart::Differences(s) => s.title.clone(),
        _ => crate::plot::chart_name(c),
    }
}

/// What each chart shows, in a sentence or two.
pub(crate) fn caption(c: &Chart) -> String {
    match c {
        Chart::Fan(s) => format!(
            "Units of {} in stock each day. The line is the median future; the darker band holds the middle 50% of simulated futures and the lighter band 90% (P5–P95); grey lines are single futures. Shaded spans are named periods of changed use; dashed lines mark planned production milestones, the earliest dates of capacity expansions and disruptions on a fixed date. The strip beneath shows the share of futures with no stock at all that day, so a long stock-out shows as a wide red area.",
            s.item_label
        ),
        Chart::Risk(s) => format!(
            "Chance of running out over time, by {}: the share of simulated futures with no stock (top) and below the safe stock (bottom), averaged over each {}. One line per item, in the item's colour throughout this report.",
            s.period, s.period
        ),
        Chart::EndStock(s) => format!(
            "How many units of {} are left on {}, across all simulated futures: the height of each bar is the share of futures ending in that range. P5, the median and P95 are marked: 90% of futures end between P5 and P95.",
            s.item_label, s.date
        ),
        Chart::Money(s) => format!(
            "Money over time ({}), in US dollars: the median future as a line and 90% of futures as a band. Pledged, paid, committed and delivered value are totals so far; idle is the mean balance received by buying channels and not yet committed. Committed money is not yet delivered value: the goods arrive months later.",
            s.scenario_title
        ),
        Chart::Flows(s) => format!(
            "Units of {} delivered into stock and used in each calendar month (top), and the backlog: units ordered and not yet made, as the month's mean (bottom). Lines are medians, bands hold 90% of simulated futures; when use runs above deliveries, stock falls.",
            s.item_label
        ),
        Chart::Production(s) => format!(
            "Units made per day by {}, weekly or monthly means: the line's realised capacity (ramp slips, disruptions and expansions included) and the part of its output that goes to our orders. Lines are medians, bands hold 90% of simulated futures; the gap between the two is output to other buyers or capacity left idle for lack of orders.",
            s.line_label
        ),
        Chart::Comparison(s) => format!("Units of {} in stock under each scenario: medians and 90% bands.", s.item_label),
        Chart::Differences(s) => format!("{}: paired differences with 95% intervals.", s.title),
        Chart::Sweep(s) => format!("{} against {}: the mean over simulated futures with its 95% interval, every value on the same futures.", s.outcome, s.parameter),
        Chart::Heatmap(s) => format!("{} for each pair of {} and {}.", s.outcome, s.x_label, s.y_label),
        Chart::Tornado(s) => format!("How much {} changes when each parameter moves from its low to its high value.", s.outcome),
    }
}

/// The page. `charts` are the rendered charts, `kinds` the charts they were drawn from (same order).
#[must_use]
pub fn report(s: &Scenario, r: &Results, charts: &[Rendered], kinds: &[(String, Chart)]) -> String {
    let m = &r.summary.metadata;
    let n = m.runs;
    let mut o =
        String::with_capacity(256 * 1024 + charts.iter().map(|c| c.svg.len()).sum::<usize>());
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        xml(&s.title),
        xml(&s.title)
    );
    if let Some(d) = &s.description {
        for para in d.trim().split("\n\n") {
            // Line breaks inside a paragraph are the file's layout, not the text's.
            let para = para.split_whitespace().collect::<Vec<_>>().join(" ");
            let _ = writeln!(o, "<p>{}</p>", xml(&para));
        }
    }
    let _ = writeln!(
        o,
        "<p class=\"meta\">{} simulated futures from {} to {} ({} days), seed {}.</p>",
        format_units(n as f64),
        r.summary.start,
        r.summary.end,
        r.summary.horizon_days,
        m.seed
    );

    let _ = writeln!(o, "<h2>Headline numbers</h2>\n<p>Each estimate is followed by ± its Monte Carlo standard error: how much it would move with another set of {} futures (sd/√n for an average, √(p(1−p)/n) for a chance).</p>", format_units(n as f64));
    let _ = writeln!(o, "<table>\n<tr><th>item</th><th>start</th><th>end stock, average</th><th>end stock, median (P5–P95)</th><th>chance of no stock at end</th><th>chance of no stock on any day</th><th>first date at zero (median)</th><th>days at zero, average</th><th>months of cover at end</th><th>chance below safe stock at end</th><th>days short, average</th></tr>");
    for it in &r.summary.items {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{} ± {}</td><td>{} ({} – {})</td><td>{}</td><td>{}</td><td>{}</td><td>{:.1} ± {:.1}</td><td>{}</td><td>{}</td><td>{:.1} ± {:.1}</td></tr>",
            xml(&it.label),
            format_units(it.initial_stock as f64),
            format_units(it.end_stock.mean),
            format_units(mean_se(&it.end_stock, n)),
            format_units(it.end_stock.p50),
            format_units(it.end_stock.p5),
            format_units(it.end_stock.p95),
            share(it.prob_zero_at_end, n),
            share(it.risk.prob_zero_any_day, n),
            it.risk
                .first_zero
                .p50
                .map_or_else(|| "after the horizon".to_owned(), |d| d.to_string()),
            it.risk.expected_days_at_zero,
            it.risk.expected_days_at_zero_se,
            super::risk_text::cover(it.risk.months_of_cover_at_end),
            it.prob_below_safe_at_end
                .map_or_else(|| "no safe stock set".into(), |p| share(p, n)),
            it.days_short.mean,
            mean_se(&it.days_short, n),
        );
    }
    let _ = writeln!(o, "</table>\n<h3>Why</h3>\n<ul>");
    for it in &r.summary.items {
        let _ = writeln!(
            o,
            "<li><b>{}</b>: {}; starts with {} units, stock is zero on at least one day in {} of futures.</li>",
            xml(&it.label),
            xml(&it.why.sentence),
            format_units(it.initial_stock as f64),
            pct(it.risk.prob_zero_any_day),
        );
    }
    let _ = writeln!(o, "</ul>\n<h2>Charts</h2>");
    for (c, (_, kind)) in charts.iter().zip(kinds) {
        let _ = writeln!(
            o,
            "<figure id=\"{}\">\n{}<figcaption>{}</figcaption>\n</figure>",
            xml(&c.name),
            c.svg.trim_end(),
            xml(&caption(kind))
        );
    }
    o.push_str(TERMS);
    let _ = writeln!(
        o,
        "<h2>Provenance</h2>\n<table>\n<tr><td>command</td><td><code>{}</code></td></tr>\n<tr><td>seed</td><td>{}</td></tr>\n<tr><td>runs</td><td>{}</td></tr>\n<tr><td>version</td><td>steel-porcupine {}</td></tr>\n<tr><td>scenario file</td><td>{}</td></tr>\n<tr><td>scenario hash</td><td><code>{}</code></td></tr>\n<tr><td>percentiles</td><td>{}</td></tr>\n</table>\n</body>\n</html>",
        xml(&m.reproduce),
        m.seed,
        n,
        xml(&m.version),
        xml(&m.scenario_file),
        xml(&m.scenario_hash),
        xml(&m.percentile_method),
    );
    o
}

const TERMS: &str = "<h2>Terms</h2>\n<dl>\n\
<dt>Pledged</dt><dd>Money donors promised, counted when each installment falls due.</dd>\n\
<dt>Paid</dt><dd>Money donors actually handed over.</dd>\n\
<dt>Committed</dt><dd>Money placed in orders with manufacturers. Committed money has been spent from the budget's point of view, but the goods it buys arrive later.</dd>\n\
<dt>Delivered value</dt><dd>The value, at unit cost, of the goods that have actually arrived in stock.</dd>\n\
<dt>Idle</dt><dd>Money a buying channel has received and not yet committed to an order or a capacity project.</dd>\n\
<dt>Backlog</dt><dd>Units ordered and not yet made: the queue our orders wait in at the production line.</dd>\n\
<dt>Realised capacity</dt><dd>What a production line can make per day in one simulated future, after ramp-up dates, disruptions and completed expansions.</dd>\n\
<dt>Stock-out</dt><dd>A day on which stock is zero, so demand goes unmet.</dd>\n\
<dt>Median, P5–P95</dt><dd>Of all simulated futures, half lie below the median; 90% lie between P5 and P95 (5% are lower, 5% higher). This is the spread of possible futures, not a margin of error.</dd>\n\
<dt>± (standard error)</dt><dd>How much an estimate would move if the simulation were run again with other random futures; it shrinks as the number of runs grows.</dd>\n\
</dl>\n\
<h2>Limitations</h2>\n\
<p>These results are only as good as the scenario: its figures are assumptions, often taken from public sources, and the uncertainty ranges in it are judgements. The model follows money, orders, production and stock day by day, but not prices that change with demand, competition between buyers beyond the share set in the scenario, or decisions made in response to events. Read the charts as the consequences of the stated assumptions, not as forecasts.</p>\n";

//! Each chart kind as a [`Figure`]: which panels, layers, marks and legend entries it shows,
//! and the words of its title.

use chrono::NaiveDate;

use super::figure::{self, day_x, Figure, Key, Layer, Mark, Panel, Pen, Swatch, XKind};
use super::figure::{AXIS, INK, TICK};
use super::svg::{fit, Dash, WIDTH};
use super::*;

const DASHES: [Dash; 4] = [Dash::Solid, Dash::Dashed, Dash::Dotted, Dash::LongShort];
const SAMPLE_GREY: &str = "#9a9a9a";
const ZERO_RED: &str = "#D55E00";

/// A line pattern per item or scenario, so lines differ in greyscale too.
fn dash(index: usize) -> Dash {
    DASHES[(index / PALETTE.len() + index) % DASHES.len()]
}

/// The chart's name in error messages.
pub fn name(c: &Chart) -> String {
    let what = match c {
        Chart::Fan(s) => format!("stock of {}", s.item_label),
        Chart::Risk(_) => "risk over time".into(),
        Chart::EndStock(s) => format!("end stock of {}", s.item_label),
        Chart::Money(_) => "money".into(),
        Chart::Flows(s) => format!("deliveries and use of {}", s.item_label),
        Chart::Production(s) => format!("production of {}", s.line_label),
        Chart::Comparison(s) => format!("comparison of {}", s.item_label),
        Chart::Differences(s) => s.title.clone(),
        Chart::Sweep(s) => format!("sweep of {}", s.parameter),
        Chart::Heatmap(s) => format!("heat map of {}", s.outcome),
        Chart::Tornado(s) => format!("sensitivity of {}", s.outcome),
    };
    format!("\"{}\"", crate::text::terminal(&what))
}

fn xs_of(dates: &[NaiveDate]) -> Vec<f64> {
    dates.iter().map(|d| day_x(*d)).collect()
}

fn line(xs: &[f64], ys: &[f64], colour: &'static str, width: f64, dash: Dash) -> Layer {
    trace(xs, ys, colour, Pen::Line(width, dash))
}

fn band(xs: &[f64], lo: &[f64], hi: &[f64], colour: &'static str, opacity: f64) -> Layer {
    trace(xs, hi, colour, Pen::Area(lo.to_vec(), opacity))
}

fn trace(xs: &[f64], ys: &[f64], colour: &'static str, pen: Pen) -> Layer {
    Layer::Trace(xs.to_vec(), ys.to_vec(), colour, pen)
}

/// P5–P95 band plus median line, in one colour.
fn spread_layers(xs: &[f64], s: &Spread3, colour: &'static str, d: Dash) -> [Layer; 2] {
    // Black bands would drown the others: lighter.
    let opacity = if colour == INK { 0.1 } else { 0.22 };
    [
        band(xs, &s.p5, &s.p95, colour, opacity),
        line(xs, &s.p50, colour, 2.5, d),
    ]
}

fn key(label: impl Into<String>, colour: &'static str, swatch: Swatch) -> Key {
    let label = label.into();
    Key {
        label,
        colour,
        swatch,
    }
}

fn line_key(label: impl Into<String>, colour: &'static str, d: Dash) -> Key {
    key(label, colour, Swatch::Line(2.5, d))
}

/// The safe stock as a dashed level.
fn safe_level(v: u64) -> Layer {
    let label = format!("safe stock ({})", format_units(v as f64));
    Layer::Level(v as f64, INK, Dash::Dashed, label)
}

/// A tick format with its smallest step (whole units and dollars tick on whole numbers).
type Ticks = (fn(f64) -> String, f64);
const UNITS: Ticks = (format_units, 1.0);
const USD: Ticks = (format_usd, 1.0);
const NUMBER: Ticks = (format_number, 0.0);
const PERCENT: Ticks = (format_percent, 0.0);

fn panel(share: f64, y_label: impl Into<String>, ticks: Ticks, layers: Vec<Layer>) -> Panel {
    let (fmt, min_step) = ticks;
    Panel {
        share,
        y_label: y_label.into(),
        fmt,
        min_step,
        fixed: None,
        ticks: Vec::new(),
        layers,
    }
}

/// A panel of probabilities, always 0–100%.
fn chance_panel(share: f64, y_label: &str, layers: Vec<Layer>) -> Panel {
    let fixed = Some((0.0, 1.0));
    Panel {
        fixed,
        ..panel(share, y_label, PERCENT, layers)
    }
}

/// "Scenario title  ·  `what` 1,000 simulated futures".
fn over_futures(scenario: &str, what: &str, runs: u64) -> String {
    let futures = plural(runs, "simulated future");
    joined(scenario, &format!("{what} {futures}"))
}

fn joined(scenario: &str, rest: &str) -> String {
    if scenario.trim().is_empty() {
        rest.to_string()
    } else {
        format!("{}  ·  {rest}", scenario.trim())
    }
}

fn date_marks(marks: &[DateMark]) -> Vec<Mark> {
    let end = |m: &DateMark| m.until.map(|d| day_x(d) + 1.0);
    let each = marks
        .iter()
        .map(|m| (day_x(m.date), end(m), m.label.clone()));
    sorted_marks(each)
}

/// Marks from (x, end of a span, label), in order of x.
fn sorted_marks(each: impl Iterator<Item = (f64, Option<f64>, String)>) -> Vec<Mark> {
    let mut marks: Vec<Mark> = each.map(|(x0, x1, label)| Mark { x0, x1, label }).collect();
    marks.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    marks
}

/// Draws any chart as SVG, with `footer` under it.
pub(crate) fn draw(c: &Chart, footer: &Footer) -> Result<String, String> {
    let (line, runs) = (&footer.line(), footer.runs);
    let f = match c {
        Chart::Fan(s) => fan(s, runs),
        Chart::Risk(s) => risk(s),
        Chart::EndStock(s) => end_stock(s, runs),
        Chart::Money(s) => money(s, runs),
        Chart::Flows(s) => flows(s, runs),
        Chart::Production(s) => production(s, runs),
        Chart::Comparison(s) => comparison(s),
        Chart::Sweep(s) => sweep(s),
        Chart::Differences(s) => differences(s),
        Chart::Tornado(s) => tornado(s),
        Chart::Heatmap(s) => return heatmap::draw(s, line),
    };
    figure::draw(&f, line)
}

fn fan(s: &FanSeries, runs: u64) -> Figure {
    let n = s.dates.len();
    let xs = xs_of(&s.dates);
    let c = colour(s.colour);
    let mut layers = vec![
        band(&xs, &s.p5, &s.p95, c, 0.2),
        band(&xs, &s.p25, &s.p75, c, 0.42),
    ];
    for smp in &s.samples {
        let ys: Vec<f64> = smp.iter().map(|v| *v as f64).collect();
        layers.push(line(&xs, &ys, SAMPLE_GREY, 0.8, Dash::Solid));
    }
    layers.push(line(&xs, &s.p50, c, 3.0, Dash::Solid));
    let mut legend = vec![
        line_key("median (P50)", c, Dash::Solid),
        key("middle 50% of futures (P25–P75)", c, Swatch::Band(0.42)),
        key("90% of futures (P5–P95)", c, Swatch::Band(0.2)),
    ];
    if !s.samples.is_empty() {
        let label = plural(s.samples.len() as u64, "sample future");
        legend.push(key(label, SAMPLE_GREY, Swatch::Line(1.0, Dash::Solid)));
    }
    layers.extend(s.safe_stock.map(safe_level));
    let mut panels = vec![panel(0.78, "units in stock", UNITS, layers)];
    if !s.p_zero.is_empty() {
        let strip = band(&xs, &vec![0.0; n], &s.p_zero, ZERO_RED, 0.75);
        panels.push(chance_panel(0.22, "at zero", vec![strip]));
        let label = "share of futures with no stock (lower strip)";
        legend.push(key(label, ZERO_RED, Swatch::Band(0.75)));
    }
    let title = format!("{} — units in stock", s.item_label);
    let subtitle = over_futures(&s.scenario_title, "median and spread of", runs);
    Figure::dated(title, subtitle, panels, legend, date_marks(&s.marks))
}

fn risk(s: &RiskSeries) -> Figure {
    let xs = xs_of(&s.dates);
    let mut zero = Vec::new();
    let mut below = Vec::new();
    let mut legend = Vec::new();
    for (i, it) in s.items.iter().enumerate() {
        let (c, d) = (colour(i), dash(i));
        zero.push(line(&xs, &it.p_zero, c, 2.5, d));
        if let Some(b) = &it.p_below_safe {
            below.push(line(&xs, b, c, 2.5, d));
        }
        legend.push(line_key(it.label.clone(), c, d));
    }
    let mut panels = vec![chance_panel(1.0, "chance of no stock", zero)];
    if !below.is_empty() {
        panels.push(chance_panel(1.0, "chance below safe stock", below));
    }
    let period = &s.period;
    let title = format!("Risk over time — chance of running out, by {period}");
    let what = format!("share of simulated futures, averaged over each {period}");
    let subtitle = joined(&s.scenario_title, &what);
    Figure::dated(title, subtitle, panels, legend, Vec::new())
}

fn end_stock(s: &EndStockSeries, runs: u64) -> Figure {
    let c = colour(s.colour);
    let safe = s.safe_stock.map(|v| ("safe stock", v as f64));
    let ends = [("P5", s.p5), ("median", s.p50), ("P95", s.p95)];
    // Marks at the same value share one label ("P5, median and P95 0").
    let mut at: Vec<(Vec<&str>, f64)> = Vec::new();
    for (what, x) in ends.into_iter().chain(safe).filter(|e| e.1.is_finite()) {
        match at.iter_mut().find(|e| e.1 == x) {
            Some(e) => e.0.push(what),
            None => at.push((vec![what], x)),
        }
    }
    let marks = sorted_marks(
        at.into_iter()
            .map(|(whats, x)| (x, None, format!("{} {}", and_list(&whats), format_units(x)))),
    );
    let bars = s.bins.iter().map(|b| (b.0, b.1, 0.0, b.2)).collect();
    let mut layers = vec![Layer::Bars(bars, c, 0.8)];
    // Keep the marks on the axis even where no future ended, and span at least ten whole
    // units, so that futures that all end alike show as one narrow bar on a readable axis.
    let first = s.bins.first().map_or(0.0, |b| b.0);
    let reach: Vec<f64> = marks.iter().map(|m| m.x0).chain([first + 10.0]).collect();
    let nothing = vec![f64::NAN; reach.len()];
    layers.push(line(&reach, &nothing, c, 1.0, Dash::Solid));
    let title = format!("{} — units in stock on {}", s.item_label, s.date);
    let runs = plural(runs, "simulated future");
    let what = format!("distribution over {runs}, P5, median and P95 marked");
    let subtitle = joined(&s.scenario_title, &what);
    let panels = vec![panel(1.0, "share of simulated futures", PERCENT, layers)];
    let label = "share of futures ending in each range";
    let legend = vec![key(label, c, Swatch::Band(0.8))];
    let x = XKind::Numbers(format!("units in stock on {}", s.date), format_units, 1.0);
    Figure {
        x,
        ..Figure::dated(title, subtitle, panels, legend, marks)
    }
}

/// A kind of money's legend label, colour and line pattern.
fn money_style(k: MoneyKind) -> (&'static str, &'static str, Dash) {
    match k {
        MoneyKind::Pledged => ("pledged", "#56B4E9", Dash::Dashed),
        MoneyKind::Paid => ("paid", "#0072B2", Dash::Solid),
        MoneyKind::Committed => ("committed to orders", "#E69F00", Dash::Solid),
        MoneyKind::Delivered => ("delivered value", "#009E73", Dash::LongShort),
        MoneyKind::Idle => ("idle in channels", "#CC79A7", Dash::Dotted),
    }
}

/// "pledged, paid and committed to orders".
fn words(lines: &[MoneyLine]) -> String {
    let w: Vec<&str> = lines.iter().map(|l| money_style(l.kind).0).collect();
    and_list(&w)
}

/// "a, b and c".
fn and_list(w: &[&str]) -> String {
    match w.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => w.concat(),
    }
}

fn money(s: &MoneySeries, runs: u64) -> Figure {
    let xs = xs_of(&s.dates);
    let mut layers = Vec::new();
    let mut legend = Vec::new();
    for MoneyLine { kind, spread } in &s.lines {
        let (label, c, d) = money_style(*kind);
        layers.push(band(&xs, &spread.p5, &spread.p95, c, 0.18));
        layers.push(line(&xs, &spread.p50, c, 2.5, d));
        legend.push(line_key(label, c, d));
    }
    let title = format!("Money — US dollars {}", words(&s.lines));
    let subtitle = over_futures(&s.scenario_title, "medians and 90% bands of", runs);
    let y_label = "US dollars so far (idle: mean balance)";
    let panels = vec![panel(1.0, y_label, USD, layers)];
    Figure::dated(title, subtitle, panels, legend, Vec::new())
}

fn flows(s: &FlowSeries, runs: u64) -> Figure {
    let xs = xs_of(&s.months);
    let c = colour(s.colour);
    let mut top: Vec<Layer> = spread_layers(&xs, &s.delivered, c, Dash::Solid).into();
    top.extend(spread_layers(&xs, &s.used, INK, Dash::Dashed));
    let bottom: Vec<Layer> = spread_layers(&xs, &s.backlog, c, Dash::Dotted).into();
    let panels = vec![
        panel(0.65, "units per month", UNITS, top),
        panel(0.35, "backlog, units", UNITS, bottom),
    ];
    let backlog = "backlog: ordered, not yet delivered (lower panel)";
    let legend = vec![
        line_key("delivered into stock", c, Dash::Solid),
        line_key("used", INK, Dash::Dashed),
        line_key(backlog, c, Dash::Dotted),
        key("90% of futures (P5–P95)", c, Swatch::Band(0.22)),
    ];
    let title = format!("{} — units delivered and used per month", s.item_label);
    let subtitle = over_futures(&s.scenario_title, "medians with 90% bands over", runs);
    Figure::dated(title, subtitle, panels, legend, Vec::new())
}

fn production(s: &ProductionSeries, runs: u64) -> Figure {
    let xs = xs_of(&s.dates);
    let (a, b) = (colour(0), colour(1));
    let mut layers: Vec<Layer> = spread_layers(&xs, &s.capacity, a, Dash::Solid).into();
    layers.extend(spread_layers(&xs, &s.ours, b, Dash::Dashed));
    let spread = "90% of futures (ramp slips, other buyers)";
    let legend = vec![
        line_key("line capacity (median)", a, Dash::Solid),
        line_key("our share of its output (median)", b, Dash::Dashed),
        key(spread, a, Swatch::Band(0.22)),
    ];
    let title = format!("{} — units made per day", s.line_label);
    let subtitle = over_futures(&s.scenario_title, "medians with 90% bands over", runs);
    let panels = vec![panel(1.0, "units per day", NUMBER, layers)];
    Figure::dated(title, subtitle, panels, legend, date_marks(&s.milestones))
}

fn comparison(s: &ComparisonSeries) -> Figure {
    let xs = xs_of(&s.dates);
    let mut layers = Vec::new();
    let mut legend = Vec::new();
    for (k, sc) in s.scenarios.iter().enumerate() {
        let (c, d) = (colour(k), dash(k));
        layers.extend(spread_layers(&xs, &sc.stock, c, d));
        // Thin edges keep each band readable where bands overlap.
        for edge in [&sc.stock.p5, &sc.stock.p95] {
            layers.push(line(&xs, edge, c, 1.0, d));
        }
        let label = format!("{} (median, P5–P95 band)", sc.label);
        legend.push(key(label, c, Swatch::Spread(0.22, d)));
    }
    layers.extend(s.safe_stock.map(safe_level));
    let title = format!("{} — units in stock, scenarios compared", s.item_label);
    let subtitle = "median and 90% of simulated futures for each scenario".into();
    let panels = vec![panel(1.0, "units in stock", UNITS, layers)];
    Figure::dated(title, subtitle, panels, legend, Vec::new())
}

fn sweep(s: &SweepSeries) -> Figure {
    let c = colour(0);
    let layers = spread_layers(&s.xs, &s.outcome_spread, c, Dash::Solid).into();
    let title = format!("{} against {}", s.outcome, s.parameter);
    let what = "mean and its 95% interval at each value, on common random numbers";
    let subtitle = joined(&s.scenario_title, what);
    let panels = vec![panel(1.0, s.outcome.clone(), NUMBER, layers)];
    let legend = vec![
        line_key("mean over simulated futures", c, Dash::Solid),
        key("its 95% interval", c, Swatch::Band(0.22)),
    ];
    let x = XKind::Numbers(s.parameter.clone(), format_number, 0.0);
    Figure {
        x,
        ..Figure::dated(title, subtitle, panels, legend, Vec::new())
    }
}

/// Rows of bars over a numeric x axis (`x`), one per label, the first at the top (see
/// [`row_bars`]).
fn rows(
    title: String,
    subtitle: String,
    x: &str,
    labels: Vec<String>,
    layers: Vec<Layer>,
    legend: Vec<Key>,
) -> Figure {
    let n = labels.len() as f64;
    let label = |(i, l): (usize, String)| (n - i as f64 - 0.5, fit(&l, TICK.size, WIDTH / 3.0));
    let ticks = labels.into_iter().enumerate().map(label).collect();
    let fixed = Some((0.0, n));
    let panel = Panel {
        fixed,
        ticks,
        ..panel(1.0, "", NUMBER, layers)
    };
    let x = XKind::Numbers(x.to_string(), format_number, 0.0);
    Figure {
        x,
        ..Figure::dated(title, subtitle, vec![panel], legend, Vec::new())
    }
}

/// A bar per row from each (from x, to x), `thick` rows high: row `i` of `n` is centred at
/// y = n - i - 0.5, so the first is at the top.
fn row_bars(ends: Vec<(f64, f64)>, thick: f64, c: &'static str) -> Layer {
    let (n, h) = (ends.len() as f64, thick / 2.0);
    let bar = |(i, (a, b))| (a, b, n - i as f64 - 0.5 - h, n - i as f64 - 0.5 + h);
    Layer::Bars(ends.into_iter().enumerate().map(bar).collect(), c, 0.85)
}

/// A line at `x` across `n` rows, behind the bars.
fn across(x: f64, n: usize) -> Layer {
    Layer::Bars(vec![(x, x, 0.0, n as f64)], AXIS, 1.0)
}

fn differences(s: &DifferenceSeries) -> Figure {
    let c = colour(0);
    let layers = vec![
        across(0.0, s.rows.len()),
        row_bars(s.rows.iter().map(|r| (r.low, r.high)).collect(), 0.3, c),
        row_bars(s.rows.iter().map(|r| (r.mid, r.mid)).collect(), 0.5, INK),
    ];
    let what = "paired difference over simulated futures; zero means no change";
    let labels = s.rows.iter().map(|r| r.label.clone()).collect();
    let legend = vec![
        key("central estimate", INK, Swatch::Band(0.85)),
        key("its 95% interval", c, Swatch::Band(0.85)),
    ];
    rows(
        s.title.clone(),
        what.into(),
        &s.unit,
        labels,
        layers,
        legend,
    )
}

fn tornado(s: &TornadoSeries) -> Figure {
    let (band, (lo, hi)) = (Swatch::Band(0.85), (colour(0), colour(1)));
    let ends = |end: fn(&IntervalRow) -> f64| s.rows.iter().map(|r| (r.mid, end(r))).collect();
    let layers = vec![
        row_bars(s.rows.iter().map(|r| (r.mid, r.mid)).collect(), 1.0, AXIS),
        row_bars(ends(|r| r.low), 0.6, lo),
        row_bars(ends(|r| r.high), 0.6, hi),
    ];
    let base = s.rows.first().map_or(f64::NAN, |r| r.mid);
    let legend = vec![
        key("the parameter at its low value", lo, band),
        key("the parameter at its high value", hi, band),
        key(
            format!("base {}", format_number(base)),
            AXIS,
            Swatch::Band(1.0),
        ),
    ];
    let title = format!("Sensitivity — what moves the {} most", s.outcome);
    let what = "the outcome with each parameter at its low and at its high value";
    let subtitle = joined(&s.scenario_title, what);
    let labels = s.rows.iter().map(|r| r.label.clone()).collect();
    rows(title, subtitle, &s.outcome, labels, layers, legend)
}

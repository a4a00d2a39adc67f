//! Charts drawn from prepared, backend-neutral series; pure: they return bytes, the caller writes
//! files.
//!
//! Every chart is drawn once as an SVG document (1200 x 700 units) and its PNG is rasterised
//! from that document with the embedded DejaVu Sans font ([`png`]), so the two cannot disagree
//! and look the same with or without system fonts. One visual language throughout: the
//! Okabe–Ito colours (safe for colour-blind readers) with distinct line patterns so charts also
//! read in greyscale print; an item or scenario keeps its colour (its index in [`PALETTE`]) on
//! every chart; every chart ends with a [`Footer`] line saying where it came from.

use chrono::NaiveDate;

#[doc(hidden)]
pub mod axes;
mod figure;
mod heatmap;
mod kinds;
mod legend;
mod svg;

pub use crate::numbers::{format_number, format_percent, format_units, format_usd};
pub use kinds::name as chart_name;
#[doc(hidden)]
pub use svg::{fit, text_width};
pub use svg::{HEIGHT as CHART_HEIGHT, WIDTH as CHART_WIDTH};

/// Okabe–Ito colours, ordered so that neighbours differ in lightness as well as hue.
pub const PALETTE: [&str; 8] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000", "#F0E442",
];

/// The colour of the item or scenario with this index, the same on every chart.
#[must_use]
pub fn colour(index: usize) -> &'static str {
    PALETTE[index % PALETTE.len()]
}

/// How charts are turned into files.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChartOptions {
    /// PNG pixels per chart unit: 1 gives 1200 x 700 pixels, the default 2 gives 2400 x 1400
    /// (300 dpi at 8 inches wide, for print). Between 0.25 and 8.
    pub png_scale: f32,
}

impl Default for ChartOptions {
    fn default() -> Self {
        ChartOptions { png_scale: 2.0 }
    }
}

/// The provenance line at the foot of every chart. No wall-clock time: outputs stay
/// byte-identical from one run to the next.
#[derive(Debug, Clone, PartialEq)]
pub struct Footer {
    /// Scenario name.
    pub scenario: String,
    /// Simulated futures.
    pub runs: u64,
    /// Master seed.
    pub seed: u64,
    /// Program version.
    pub version: String,
    /// The scenario's first day.
    pub start: NaiveDate,
}

impl Footer {
    /// "Scenario baseline · 1,000 simulated futures · seed 42 · starts 2025-09-01 · steel-porcupine 0.1.0"
    #[must_use]
    pub fn line(&self) -> String {
        let (scenario, seed, start, version) =
            (&self.scenario, self.seed, self.start, &self.version);
        let runs = plural(self.runs, "simulated future");
        format!("Scenario {scenario} · {runs} · seed {seed} · starts {start} · steel-porcupine {version}")
    }
}

/// A date (e.g. a planned production milestone, drawn as a dashed line) or a span of dates (e.g.
/// a period of heavier use, shaded) marked on time charts.
#[derive(Debug, Clone, PartialEq)]
pub struct DateMark {
    /// The date, or the first day of the span.
    pub date: NaiveDate,
    /// The last day of a span; `None` for a single date.
    pub until: Option<NaiveDate>,
    /// Label shown above the chart.
    pub label: String,
}

/// Median and 90% band of a quantity over time.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Spread3 {
    /// 5th percentile per point.
    pub p5: Vec<f64>,
    /// Median per point.
    pub p50: Vec<f64>,
    /// 95th percentile per point.
    pub p95: Vec<f64>,
}

/// One item's stock distribution over time, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct FanSeries {
    /// e.g. "Baseline: European-funded procurement 2025-27".
    pub scenario_title: String,
    /// e.g. "PAC-3 MSE interceptor".
    pub item_label: String,
    /// The item's index: its colour.
    pub colour: usize,
    /// One per day, same length as every vec below.
    pub dates: Vec<NaiveDate>,
    /// Percentiles of closing stock.
    pub p5: Vec<f64>,
    /// 25th percentile.
    pub p25: Vec<f64>,
    /// Median.
    pub p50: Vec<f64>,
    /// 75th percentile.
    pub p75: Vec<f64>,
    /// 95th percentile.
    pub p95: Vec<f64>,
    /// Share of futures with no stock at the day's close (the strip beneath); may be empty.
    pub p_zero: Vec<f64>,
    /// Drawn as a dashed horizontal line labelled "safe stock (N)".
    pub safe_stock: Option<u64>,
    /// A few whole sample futures (each as long as `dates`), drawn as thin grey lines.
    pub samples: Vec<Vec<u64>>,
    /// Periods of changed use and production milestones.
    pub marks: Vec<DateMark>,
}

/// One item's line on the risk chart.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskLine {
    /// Item label.
    pub label: String,
    /// Share of futures with no stock, averaged over each period.
    pub p_zero: Vec<f64>,
    /// Share of futures below the safe stock, averaged over each period (items with a safe stock).
    pub p_below_safe: Option<Vec<f64>>,
}

/// Risk over time for every item, by week or month.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskSeries {
    /// Scenario title.
    pub scenario_title: String,
    /// "week" or "month".
    pub period: String,
    /// First day of each period.
    pub dates: Vec<NaiveDate>,
    /// One per item, in order (an item's index is its colour).
    pub items: Vec<RiskLine>,
}

/// The distribution of one item's stock on the last day.
#[derive(Debug, Clone, PartialEq)]
pub struct EndStockSeries {
    /// Scenario title.
    pub scenario_title: String,
    /// Item label.
    pub item_label: String,
    /// The item's index: its colour.
    pub colour: usize,
    /// The last day.
    pub date: NaiveDate,
    /// Histogram: (lowest units, highest units, share of futures), in order.
    pub bins: Vec<(f64, f64, f64)>,
    /// 5th percentile.
    pub p5: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Safe stock, marked if set.
    pub safe_stock: Option<u64>,
}

/// Kinds of money on the money chart, in words a news reader understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoneyKind {
    /// Installments fallen due.
    Pledged,
    /// Money that donors actually paid.
    Paid,
    /// Money committed to orders with manufacturers.
    Committed,
    /// Value of the goods delivered into stock.
    Delivered,
    /// Money received by buying channels and not yet committed.
    Idle,
}

/// One kind of money over time (US dollars, cumulative where the kind accumulates).
#[derive(Debug, Clone, PartialEq)]
pub struct MoneyLine {
    /// Which kind.
    pub kind: MoneyKind,
    /// Median and P5–P95 band per point.
    pub spread: Spread3,
}

/// Money over time.
#[derive(Debug, Clone, PartialEq)]
pub struct MoneySeries {
    /// Scenario title.
    pub scenario_title: String,
    /// One per day.
    pub dates: Vec<NaiveDate>,
    /// The kinds known.
    pub lines: Vec<MoneyLine>,
}

/// Deliveries against use of one item, per month, with the backlog.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowSeries {
    /// Scenario title.
    pub scenario_title: String,
    /// Item label.
    pub item_label: String,
    /// The item's index: its colour.
    pub colour: usize,
    /// First day of each month.
    pub months: Vec<NaiveDate>,
    /// Units delivered into stock per month.
    pub delivered: Spread3,
    /// Units used per month.
    pub used: Spread3,
    /// Units ordered and not yet delivered, at each month's end.
    pub backlog: Spread3,
}

/// One production line over time.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductionSeries {
    /// Scenario title.
    pub scenario_title: String,
    /// Line label.
    pub line_label: String,
    /// One per point (day, week or month).
    pub dates: Vec<NaiveDate>,
    /// The line's realised capacity, units per day (spread of ramp slips and expansions).
    pub capacity: Spread3,
    /// The part of its output that is ours, units per day.
    pub ours: Spread3,
    /// Planned milestones.
    pub milestones: Vec<DateMark>,
}

/// One scenario on a comparison chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioBand {
    /// Scenario label.
    pub label: String,
    /// Stock percentiles per day.
    pub stock: Spread3,
}

/// One item's stock under two or more scenarios.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparisonSeries {
    /// Item label.
    pub item_label: String,
    /// One per day.
    pub dates: Vec<NaiveDate>,
    /// The scenarios, in order (a scenario's index is its colour).
    pub scenarios: Vec<ScenarioBand>,
    /// Safe stock, if any.
    pub safe_stock: Option<u64>,
}

/// A row of the paired-differences or the tornado chart: an outcome at the low end, the centre
/// and the high end of an interval, or of a parameter's range.
#[derive(Debug, Clone, PartialEq)]
pub struct IntervalRow {
    /// What differs (an item and outcome), or the parameter that moves.
    pub label: String,
    /// Lower end of the interval, or the outcome with the parameter at its low value.
    pub low: f64,
    /// Central estimate, or the outcome with every parameter at its base value.
    pub mid: f64,
    /// Upper end of the interval, or the outcome with the parameter at its high value.
    pub high: f64,
}

/// Paired differences between two scenarios with intervals.
#[derive(Debug, Clone, PartialEq)]
pub struct DifferenceSeries {
    /// e.g. "Variant minus baseline".
    pub title: String,
    /// What the numbers are, with the unit.
    pub unit: String,
    /// One per outcome.
    pub rows: Vec<IntervalRow>,
}

/// An outcome against one swept parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepSeries {
    /// Scenario title.
    pub scenario_title: String,
    /// The parameter, with its unit.
    pub parameter: String,
    /// The outcome, with its unit.
    pub outcome: String,
    /// Parameter values.
    pub xs: Vec<f64>,
    /// At each value: the interval's low end (`p5`), the mean (`p50`), its high end (`p95`).
    pub outcome_spread: Spread3,
}

/// An outcome over two swept parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatmapSeries {
    /// Scenario title.
    pub scenario_title: String,
    /// Horizontal parameter.
    pub x_label: String,
    /// Vertical parameter.
    pub y_label: String,
    /// The outcome, with its unit.
    pub outcome: String,
    /// Horizontal values.
    pub xs: Vec<f64>,
    /// Vertical values.
    pub ys: Vec<f64>,
    /// `values[j][i]` at (xs[i], ys[j]).
    pub values: Vec<Vec<f64>>,
    /// Whether values are shares shown as percentages.
    pub percent: bool,
}

/// Sensitivity of an outcome to each parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoSeries {
    /// Scenario title.
    pub scenario_title: String,
    /// The outcome, with its unit.
    pub outcome: String,
    /// Parameters, drawn in order (the caller ranks them, widest swing first).
    pub rows: Vec<IntervalRow>,
}

/// Any chart.
#[derive(Debug, Clone, PartialEq)]
pub enum Chart {
    /// Stock fan per item.
    Fan(FanSeries),
    /// Risk over time for all items.
    Risk(RiskSeries),
    /// End-of-horizon stock distribution per item.
    EndStock(EndStockSeries),
    /// Money over time.
    Money(MoneySeries),
    /// Deliveries against use per item.
    Flows(FlowSeries),
    /// Production per line.
    Production(ProductionSeries),
    /// One item under several scenarios.
    Comparison(ComparisonSeries),
    /// Paired differences.
    Differences(DifferenceSeries),
    /// Outcome against a parameter.
    Sweep(SweepSeries),
    /// Outcome over two parameters.
    Heatmap(HeatmapSeries),
    /// Sensitivity.
    Tornado(TornadoSeries),
}

/// A chart could not be drawn (inconsistent input, or a rasterising failure): which, and why.
#[derive(Debug, thiserror::Error)]
#[error("could not draw the chart {0}")]
pub struct PlotError(pub String);

impl Chart {
    /// The chart as an SVG document with `footer` at its foot (its runs are the chart's too).
    pub fn svg(&self, footer: &Footer) -> Result<String, PlotError> {
        kinds::draw(self, footer).map_err(|why| PlotError(format!("{}: {why}", kinds::name(self))))
    }
}

/// Rasterises an SVG document written by [`Chart::svg`] to PNG.
pub fn png(svg: &str, options: &ChartOptions) -> Result<Vec<u8>, PlotError> {
    let scale = options.png_scale;
    if !(0.25..=8.0).contains(&scale) {
        let why = format!("(PNG): scale {scale} is outside 0.25 to 8");
        return Err(PlotError(why));
    }
    svg::rasterize(svg, scale).map_err(|why| PlotError(format!("(PNG): {why}")))
}

/// One chart drawn both ways.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// File name without extension.
    pub name: String,
    /// The SVG document.
    pub svg: String,
    /// The PNG rasterised from it.
    pub png: Vec<u8>,
}

/// Draws every chart, in parallel, keeping the input order (so the output does not depend on
/// the number of threads).
pub fn render_all(
    charts: &[(String, Chart)],
    footer: &Footer,
    options: &ChartOptions,
) -> Result<Vec<Rendered>, PlotError> {
    crate::runner::parallel_map(charts, |(name, chart)| {
        let svg = chart.svg(footer)?;
        let (name, png) = (name.clone(), png(&svg, options)?);
        Ok(Rendered { name, svg, png })
    })
}

/// `n` and `thing`, with an "s" unless `n` is 1: "1 simulated future", "1,000 sample futures".
pub(crate) fn plural(n: u64, thing: &str) -> String {
    let s = if n == 1 { "" } else { "s" };
    format!("{} {thing}{s}", format_units(n as f64))
}

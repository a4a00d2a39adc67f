use chrono::NaiveDate;

use super::axes;
use super::frame::{self, Corner};
use super::style;
use super::*;

const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
}

/// Daily dates from `first` to `last`, inclusive.
fn days(first: NaiveDate, last: NaiveDate) -> Vec<NaiveDate> {
    first.iter_days().take_while(|d| *d <= last).collect()
}

/// A plausible two-year stock fan: drawdown, then deliveries from mid-2026.
fn sample_fan() -> FanSeries {
    let dates = days(day(2025, 9, 1), day(2027, 8, 31));
    let n = dates.len();
    let level = |t: f64, spread: f64| {
        let drawdown = 900.0 - 0.9 * t;
        let deliveries = if t > 300.0 {
            (t - 300.0) * (1.6 + spread * 0.004)
        } else {
            0.0
        };
        (drawdown + deliveries + spread * (t / 5.0).sqrt()).max(0.0)
    };
    let band = |spread: f64| (0..n).map(|i| level(i as f64, spread)).collect::<Vec<_>>();
    let samples = (0..5)
        .map(|k| {
            (0..n)
                .map(|i| {
                    let wiggle =
                        ((i as f64 / 17.0 + k as f64).sin() * 25.0) + (k as f64 - 2.0) * 30.0;
                    (level(i as f64, 0.0) + wiggle).max(0.0).round() as u64
                })
                .collect()
        })
        .collect();
    FanSeries {
        scenario_title: "Baseline: European-funded procurement 2025-27".to_string(),
        item_label: "PAC-3 MSE interceptor".to_string(),
        dates,
        p5: band(-40.0),
        p25: band(-15.0),
        p50: band(0.0),
        p75: band(15.0),
        p95: band(40.0),
        safe_stock: Some(400),
        samples,
        runs: 1_000,
    }
}

fn sample_funding() -> FundingSeries {
    let dates = days(day(2025, 9, 1), day(2027, 8, 31));
    let n = dates.len();
    let ramp = |rate: f64, delay: usize| {
        (0..n)
            .map(|i| {
                if i < delay {
                    0.0
                } else {
                    (i - delay) as f64 * rate
                }
            })
            .collect::<Vec<_>>()
    };
    FundingSeries {
        scenario_title: "Baseline: European-funded procurement 2025-27".to_string(),
        dates,
        pledged_usd: ramp(4.0e6, 0),
        paid_usd: ramp(3.0e6, 60),
        spent_usd: ramp(2.5e6, 120),
        runs: 1_000,
    }
}

fn fan_with(n: usize, value: f64) -> FanSeries {
    let dates = day(2026, 1, 1).iter_days().take(n).collect();
    FanSeries {
        scenario_title: "Edge case".to_string(),
        item_label: "Test item".to_string(),
        dates,
        p5: vec![value; n],
        p25: vec![value; n],
        p50: vec![value; n],
        p75: vec![value; n],
        p95: vec![value; n],
        safe_stock: None,
        samples: Vec::new(),
        runs: 1,
    }
}

fn funding_with(n: usize, value: f64) -> FundingSeries {
    FundingSeries {
        scenario_title: "Edge case".to_string(),
        dates: day(2026, 1, 1).iter_days().take(n).collect(),
        pledged_usd: vec![value; n],
        paid_usd: vec![value; n],
        spent_usd: vec![value; n],
        runs: 1,
    }
}

fn assert_png_1200x700(bytes: &[u8]) {
    assert!(bytes.len() > PNG_SIGNATURE.len(), "PNG is empty");
    assert_eq!(&bytes[..8], &PNG_SIGNATURE, "missing PNG signature");
    let img = image::load_from_memory(bytes).expect("PNG decodes");
    assert_eq!((img.width(), img.height()), (1200, 700));
}

/// Every chart entry point on `fan`/`funding` returns Ok or a Draw error, never panics.
fn all_outputs_ok(fan: &FanSeries, funding: &FundingSeries) {
    let svg = fan_chart_svg(fan).expect("fan SVG");
    assert!(svg.starts_with("<svg") && svg.contains("</svg>"));
    assert_png_1200x700(&fan_chart_png(fan).expect("fan PNG"));
    let svg = funding_chart_svg(funding).expect("funding SVG");
    assert!(svg.starts_with("<svg") && svg.contains("</svg>"));
    assert_png_1200x700(&funding_chart_png(funding).expect("funding PNG"));
}

#[test]
fn format_usd_cases() {
    let cases: &[(f64, &str)] = &[
        (0.0, "$0"),
        (-0.0, "$0"),
        (0.001, "$0"),
        (7.0, "$7"),
        (999.0, "$999"),
        (1_000.0, "$1k"),
        (1_500.0, "$1.5k"),
        (12_500.0, "$12.5k"),
        (999_999.0, "$1M"),
        (350_000_000.0, "$350M"),
        (1_200_000_000.0, "$1.2B"),
        (1_250_000_000.0, "$1.25B"),
        (1_500_000_000.0, "$1.5B"),
        (-1_500_000_000.0, "-$1.5B"),
        (-999.0, "-$999"),
        (-12_500.0, "-$12.5k"),
        (2.0e12, "$2T"),
        (1.5e15, "$1,500T"),
    ];
    for (v, want) in cases {
        assert_eq!(format_usd(*v), *want, "format_usd({v})");
    }
    assert_eq!(format_usd(f64::NAN), "n/a");
    assert_eq!(format_usd(f64::INFINITY), "$∞");
    assert_eq!(format_usd(f64::NEG_INFINITY), "-$∞");
    // Huge but finite: no panic, still dollars.
    assert!(format_usd(f64::MAX).starts_with('$'));
}

#[test]
fn format_units_cases() {
    let cases: &[(f64, &str)] = &[
        (0.0, "0"),
        (-0.0, "0"),
        (-0.4, "0"),
        (7.0, "7"),
        (12.6, "13"),
        (999.0, "999"),
        (1_000.0, "1,000"),
        (1_234.0, "1,234"),
        (-1_234.0, "-1,234"),
        (-1_000_000.0, "-1,000,000"),
        (1_500_000_000.0, "1,500,000,000"),
        (1e18, "1,000,000,000,000,000,000"),
    ];
    for (v, want) in cases {
        assert_eq!(format_units(*v), *want, "format_units({v})");
    }
    assert_eq!(format_units(f64::NAN), "n/a");
    assert_eq!(format_units(f64::INFINITY), "∞");
    assert!(format_units(f64::MAX).starts_with("179,769,313"));
}

#[test]
fn fan_svg_has_label_and_calendar_dates() {
    let svg = fan_chart_svg(&sample_fan()).expect("fan SVG");
    assert!(svg.contains("PAC-3 MSE interceptor"));
    assert!(svg.contains("stock on hand"));
    assert!(svg.contains("Jan 2026"), "expected a 'Jan 2026' date label");
    assert!(svg.contains("units in stock"));
    assert!(svg.contains("safe stock (400)"));
    assert!(svg.contains("1,000 simulated futures"));
    assert!(svg.contains("Baseline: European-funded procurement 2025-27"));
}

#[test]
fn fan_png_is_a_1200x700_png() {
    assert_png_1200x700(&fan_chart_png(&sample_fan()).expect("fan PNG"));
}

#[test]
fn fan_png_draws_bands_and_white_background() {
    let img = image::load_from_memory(&fan_chart_png(&sample_fan()).unwrap())
        .unwrap()
        .to_rgb8();
    assert_eq!(img.get_pixel(2, 2).0, [255, 255, 255]);
    let count =
        |c: plotters::style::RGBColor| img.pixels().filter(|p| p.0 == [c.0, c.1, c.2]).count();
    assert!(
        count(style::BAND_OUTER) > 5_000,
        "outer band barely visible"
    );
    assert!(
        count(style::BAND_INNER) > 5_000,
        "inner band barely visible"
    );
}

#[test]
fn funding_charts_render() {
    let s = sample_funding();
    let svg = funding_chart_svg(&s).expect("funding SVG");
    assert!(svg.contains("Jan 2026"));
    assert!(svg.contains("pledged") && svg.contains("paid") && svg.contains("spent"));
    assert!(svg.contains("cumulative US dollars (mean of 1,000 runs)"));
    assert!(
        svg.contains("$1B") || svg.contains("$1.5B") || svg.contains("$2B"),
        "money axis labels"
    );
    assert_png_1200x700(&funding_chart_png(&s).expect("funding PNG"));
}

#[test]
fn charts_are_deterministic() {
    let s = sample_fan();
    assert_eq!(fan_chart_png(&s).unwrap(), fan_chart_png(&s).unwrap());
    assert_eq!(fan_chart_svg(&s).unwrap(), fan_chart_svg(&s).unwrap());
}

#[test]
fn empty_series_draw_a_no_data_chart() {
    let fan = fan_with(0, 0.0);
    let funding = funding_with(0, 0.0);
    all_outputs_ok(&fan, &funding);
    assert!(fan_chart_svg(&fan).unwrap().contains("No data"));
    assert!(funding_chart_svg(&funding).unwrap().contains("No data"));
}

#[test]
fn single_point_series_render() {
    let mut fan = fan_with(1, 42.0);
    fan.samples = vec![vec![40]];
    fan.safe_stock = Some(10);
    all_outputs_ok(&fan, &funding_with(1, 5.0e6));
}

#[test]
fn all_zero_series_render() {
    let mut fan = fan_with(400, 0.0);
    fan.safe_stock = Some(0);
    fan.samples = vec![vec![0; 400]];
    all_outputs_ok(&fan, &funding_with(400, 0.0));
}

#[test]
fn huge_values_render() {
    let mut fan = fan_with(90, 1.0e15);
    fan.samples = vec![vec![u64::MAX; 90]];
    fan.safe_stock = Some(u64::MAX);
    all_outputs_ok(&fan, &funding_with(90, 1.0e18));
    all_outputs_ok(&fan_with(30, f64::MAX), &funding_with(30, f64::MAX));
}

#[test]
fn negative_and_missing_values_render() {
    let mut fan = sample_fan();
    for i in (100..200).step_by(3) {
        fan.p50[i] = f64::NAN;
        fan.p5[i] = f64::INFINITY;
    }
    fan.p5[0] = -50.0;
    let mut funding = sample_funding();
    funding.spent_usd[10] = f64::NAN;
    funding.paid_usd[5] = -1.0e8;
    all_outputs_ok(&fan, &funding);
    // All values missing.
    all_outputs_ok(&fan_with(20, f64::NAN), &funding_with(20, f64::NAN));
}

#[test]
fn short_and_long_spans_render() {
    let short = fan_with(10, 120.0);
    let svg = fan_chart_svg(&short).unwrap();
    assert!(
        svg.contains("1 Jan 2026"),
        "short spans are labelled by day"
    );
    let mut long = fan_with(365 * 30, 5_000.0);
    long.samples = vec![vec![4_000; 365 * 30]];
    all_outputs_ok(&long, &funding_with(365 * 30, 1.0e9));
    assert!(fan_chart_svg(&long).unwrap().contains("Jan 2030"));
}

#[test]
fn mismatched_lengths_are_draw_errors() {
    let mut fan = sample_fan();
    fan.p75.pop();
    let err = fan_chart_svg(&fan).unwrap_err();
    let PlotError::Draw { chart, message } = &err;
    assert!(chart.contains("PAC-3 MSE interceptor"));
    assert!(message.contains("p75"), "{message}");
    assert!(err.to_string().starts_with("could not draw the chart "));
    assert!(fan_chart_png(&fan).is_err());

    let mut fan = sample_fan();
    fan.samples[2].truncate(10);
    assert!(matches!(fan_chart_png(&fan), Err(PlotError::Draw { .. })));

    let mut funding = sample_funding();
    funding.paid_usd.push(1.0);
    assert!(funding_chart_svg(&funding).is_err());
    assert!(funding_chart_png(&funding).is_err());
}

#[test]
fn text_is_escaped_and_long_titles_are_shortened() {
    let mut fan = fan_with(60, 10.0);
    fan.item_label = "Shells <155mm> & fuzes".to_string();
    fan.scenario_title = "A very long scenario title ".repeat(20);
    let svg = fan_chart_svg(&fan).unwrap();
    assert!(svg.contains("Shells &lt;155mm&gt; &amp; fuzes"));
    assert!(svg.contains('…'));
    assert_png_1200x700(&fan_chart_png(&fan).unwrap());
}

#[test]
fn date_axis_labels_months_for_long_spans() {
    let axis = axes::date_axis(day(2025, 9, 1), day(2027, 8, 31));
    assert!(axis.ticks.contains(&day(2026, 1, 1)));
    assert!(
        axis.ticks.len() >= 4 && axis.ticks.len() <= 10,
        "{:?}",
        axis.ticks
    );
    assert!(axis
        .ticks
        .iter()
        .all(|d| *d >= axis.start && *d <= axis.end));
    assert_eq!(day(2026, 1, 1).format(axis.format).to_string(), "Jan 2026");

    let single = axes::date_axis(day(2026, 3, 5), day(2026, 3, 5));
    assert!(single.start < day(2026, 3, 5) && single.end > day(2026, 3, 6));
    assert!(!single.ticks.is_empty());

    let extreme = axes::date_axis(NaiveDate::MIN, NaiveDate::MAX);
    assert!(extreme.start < extreme.end);
    assert!(extreme.ticks.len() <= 12, "{}", extreme.ticks.len());
    let edge = axes::date_axis(NaiveDate::MAX, NaiveDate::MAX);
    assert!(edge.start < edge.end);
}

#[test]
fn value_axis_is_valid_and_round() {
    let zero = axes::value_axis(0.0, 0.0, 8, 1.0);
    assert!(zero.low == 0.0 && zero.high >= 1.0);
    assert!(zero.ticks.iter().all(|t| t.fract() == 0.0));

    let small = axes::value_axis(0.0, 3.0, 8, 1.0);
    assert!(
        small.ticks.iter().all(|t| t.fract() == 0.0),
        "unit ticks are whole: {:?}",
        small.ticks
    );

    let a = axes::value_axis(0.0, 1234.0, 8, 1.0);
    assert!(a.high >= 1234.0 && a.ticks.len() <= 10);
    assert_eq!(a.ticks.first(), Some(&0.0));

    let nan = axes::value_axis(f64::NAN, f64::NAN, 8, 1.0);
    assert!(nan.low < nan.high);
    let huge = axes::value_axis(-f64::MAX, f64::MAX, 8, 1.0);
    assert!(huge.low < huge.high && huge.high.is_finite());
}

#[test]
fn legend_avoids_data() {
    let geometry = frame::Body {
        y_label_area: 100,
        plot_width: 1000,
        plot_height: 500,
    };
    let axis = axes::value_axis(0.0, 1000.0, 8, 1.0);
    let xs: Vec<f64> = (0..=100).map(|i| i as f64 / 100.0).collect();
    let legend = (250, 120);

    // High on the left, low on the right: upper right is free.
    let tops: Vec<f64> = xs.iter().map(|x| 950.0 * (1.0 - x)).collect();
    let placed = frame::place_legend(&geometry, legend, &axis, &xs, &tops, &vec![0.0; xs.len()]);
    assert_eq!(placed.corner, Corner::UpperRight);
    assert_eq!(placed.y_top, axis.high);

    // Rising: upper left is free.
    let tops: Vec<f64> = xs.iter().map(|x| 950.0 * x).collect();
    let placed = frame::place_legend(&geometry, legend, &axis, &xs, &tops, &vec![0.0; xs.len()]);
    assert_eq!(placed.corner, Corner::UpperLeft);

    // Full everywhere: the axis grows so the data stay under the legend.
    let tops = vec![990.0; xs.len()];
    let placed = frame::place_legend(&geometry, legend, &axis, &xs, &tops, &vec![0.0; xs.len()]);
    assert!(matches!(
        placed.corner,
        Corner::UpperLeft | Corner::UpperRight
    ));
    let box_fraction = (12.0 + 120.0 + 10.0) / 500.0;
    assert!(990.0 <= placed.y_top * (1.0 - box_fraction) + 1e-6);
}

#[test]
fn text_metrics_match_plotters_layout() {
    use plotters::prelude::*;
    style::ensure_font().unwrap();
    let mut svg = String::new();
    let root = SVGBackend::with_string(&mut svg, (1200, 700)).into_drawing_area();
    for text in [
        "Baseline: European-funded procurement 2025-27",
        "1,234,567",
        "AVAWAY To",
        "Jan 2026",
    ] {
        for size in [16.0, 28.0] {
            let ours = super::text::width(&root, text, size).unwrap() as i64;
            let theirs = root
                .estimate_text_size(text, &style::text_style(size, &style::TEXT))
                .unwrap()
                .0 as i64;
            assert!(
                (ours - theirs).abs() <= 1,
                "{text:?} at {size}: ours {ours}, plotters {theirs}"
            );
        }
    }
    assert!(super::text::metrics().is_some(), "embedded font parses");
}

#[test]
fn path_simplification_keeps_features() {
    // A straight ramp collapses to its ends.
    let ramp: Vec<(f64, f64)> = (0..100)
        .map(|i| (i as f64 * 1.4, i as f64 * 0.37))
        .collect();
    assert_eq!(frame::simplify(&ramp, 0.5), vec![0, 99]);
    // A step (a delivery) keeps its corners.
    let step: Vec<(f64, f64)> = (0..100)
        .map(|i| (i as f64, if i < 50 { 10.0 } else { 60.0 }))
        .collect();
    let kept = frame::simplify(&step, 0.5);
    assert!(kept.contains(&49) && kept.contains(&50), "{kept:?}");
    // Tiny inputs and repeated points.
    assert_eq!(frame::simplify(&[], 0.5), Vec::<usize>::new());
    assert_eq!(frame::simplify(&[(1.0, 1.0)], 0.5), vec![0]);
    assert_eq!(frame::simplify(&[(1.0, 1.0); 5], 0.5), vec![0, 4]);
}

#[test]
fn date_axis_multi_year_spans_label_januaries() {
    let axis = axes::date_axis(day(2025, 9, 1), day(2047, 3, 1));
    assert!(
        !axis.ticks.is_empty() && axis.ticks.len() <= 10,
        "{:?}",
        axis.ticks
    );
    assert!(
        axis.ticks
            .iter()
            .all(|d| d.format("%b").to_string() == "Jan"),
        "{:?}",
        axis.ticks
    );
    let axis = axes::date_axis(day(2025, 3, 15), day(2026, 2, 20));
    assert!(axis.ticks.contains(&day(2026, 1, 1)), "{:?}", axis.ticks);
    assert!(axis
        .ticks
        .iter()
        .all(|d| d.format("%d").to_string() == "01"));
}

#[test]
fn planned_geometry_matches_the_built_chart() {
    use plotters::prelude::*;
    style::ensure_font().unwrap();
    let s = sample_fan();
    let mut svg = String::new();
    let root = SVGBackend::with_string(&mut svg, (1200, 700)).into_drawing_area();
    let body = root.split_vertically(style::HEADER_HEIGHT).1;
    let x_axis = axes::date_axis(s.dates[0], *s.dates.last().unwrap());
    let xs: Vec<f64> = s
        .dates
        .iter()
        .map(|d| axes::x_fraction(&x_axis, *d))
        .collect();
    let entries = [frame::LegendEntry {
        label: "median (P50)".into(),
        symbol: frame::Symbol::Band(style::BAND_OUTER),
    }];
    let layout = frame::plan_layout(
        &root,
        &body,
        &entries,
        &xs,
        &s.p95,
        &s.p5,
        format_units,
        1.0,
        10.0,
    )
    .unwrap();
    let target = super::text::Target::Vector;
    let chart = frame::build_chart(
        &root,
        &body,
        target,
        &layout,
        &x_axis,
        "units",
        format_units,
    )
    .unwrap();
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    assert_eq!((xr.end - xr.start) as u32, layout.geometry.plot_width);
    assert_eq!((yr.end - yr.start) as u32, layout.geometry.plot_height);
}

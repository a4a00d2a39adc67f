//! Unit tests: number formats, axes, the legend that avoids data, and the font metrics.

use chrono::NaiveDate;

use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
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
fn format_percent_cases() {
    assert_eq!(format_percent(0.0), "0%");
    assert_eq!(format_percent(0.425), "42%");
    assert_eq!(format_percent(0.005), "0.5%");
    assert_eq!(format_percent(1.0), "100%");
    assert_eq!(format_percent(f64::NAN), "n/a");
}

#[test]
fn text_is_measured_with_the_embedded_font() {
    // DejaVu Sans: "i" is narrower than "W", widths scale with size, nothing is zero.
    let (i, w) = (svg::text_width("i", 10.0), svg::text_width("W", 10.0));
    assert!(i > 0.0 && i < w, "{i} {w}");
    assert!((svg::text_width("WW", 20.0) - 4.0 * w).abs() < 1e-9);
    let long = "x".repeat(500);
    let cut = svg::fit(&long, 14.0, 200.0);
    assert!(cut.ends_with('…') && svg::text_width(&cut, 14.0) <= 200.0);
    assert_eq!(svg::fit("short", 14.0, 200.0), "short");
}

fn legend_y(svg: &str) -> f64 {
    // The legend box is the only rect with a white fill at 0.92 opacity.
    let at = svg
        .find(r#"fill="white" fill-opacity="0.92""#)
        .expect("legend");
    let start = svg[..at].rfind("<rect").expect("rect");
    let y = &svg[start..at];
    let y = &y[y.find(" y=\"").expect("y") + 4..];
    y[..y.find('"').expect("end")].parse().expect("number")
}

#[test]
fn legend_avoids_data() {
    let dates: Vec<NaiveDate> = day(2025, 1, 1).iter_days().take(400).collect();
    let n = dates.len();
    let footer = Footer {
        scenario: "t".into(),
        runs: 1,
        seed: 1,
        version: "0".into(),
        start: dates[0],
    };
    // Data filling the whole top of the chart: the legend must go low or the axis must grow.
    let full = |v: f64| {
        Chart::Sweep(SweepSeries {
            scenario_title: String::new(),
            parameter: "p".into(),
            outcome: "o".into(),
            xs: (0..n).map(|i| i as f64).collect(),
            outcome_spread: Spread3 {
                p5: vec![v; n],
                p50: vec![v; n],
                p95: vec![v; n],
            },
        })
    };
    let svg = full(95.0).svg(&footer).expect("svg");
    // The flat line at 95 sits near the top of the 0–100 axis; the legend is not drawn across it.
    let y = legend_y(&svg);
    assert!(y > 140.0, "legend at {y} overlaps the line at the top");
}

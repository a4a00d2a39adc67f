//! Charts are checked for what they claim: every kind renders at the stated size, is not blank,
//! shows its series colours, keeps its text inside the frame, and writes well-formed SVG whatever
//! text the scenario holds.

use crate::util::{bundled, experiment};
use chrono::NaiveDate;
use porcupine::output;
use porcupine::plot::{self, *};
use porcupine::report::{self, Metadata};
use proptest::prelude::*;
use resvg::tiny_skia::Pixmap;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn footer(name: &str) -> Footer {
    Footer {
        scenario: name.into(),
        runs: 500,
        seed: 7,
        version: "0.1.0".into(),
        start: day(2025, 9, 1),
    }
}

/// `n` values of `f(t)` for t in 0..n.
fn curve(n: usize, f: impl Fn(f64) -> f64) -> Vec<f64> {
    (0..n).map(|i| f(i as f64)).collect()
}

fn spread(n: usize, f: impl Fn(f64) -> f64, width: f64) -> Spread3 {
    Spread3 {
        p5: curve(n, |t| (f(t) - width).max(0.0)),
        p50: curve(n, &f),
        p95: curve(n, |t| f(t) + width),
    }
}

fn daily(n: usize) -> Vec<NaiveDate> {
    day(2025, 9, 1).iter_days().take(n).collect()
}

fn monthly(n: usize) -> Vec<NaiveDate> {
    (0..n as u32)
        .map(|k| day(2025 + ((8 + k) / 12) as i32, (8 + k) % 12 + 1, 1))
        .collect()
}

fn fan(label: &str, title: &str, colour: usize) -> FanSeries {
    let n = 730;
    let level =
        |t: f64| (400.0 - 0.9 * t).max(0.0) + if t > 400.0 { (t - 400.0) * 1.5 } else { 0.0 };
    FanSeries {
        scenario_title: title.into(),
        item_label: label.into(),
        colour,
        dates: daily(n),
        p5: curve(n, |t| (level(t) - 80.0).max(0.0)),
        p25: curve(n, |t| (level(t) - 30.0).max(0.0)),
        p50: curve(n, level),
        p75: curve(n, |t| level(t) + 30.0),
        p95: curve(n, |t| level(t) + 80.0),
        p_zero: curve(n, |t| {
            if (300.0..500.0).contains(&t) {
                0.4
            } else {
                0.0
            }
        }),
        safe_stock: Some(150),
        samples: vec![curve(n, |t| level(t) + 10.0)
            .iter()
            .map(|v| *v as u64)
            .collect()],
        marks: vec![
            DateMark {
                date: day(2026, 1, 1),
                until: Some(day(2026, 3, 31)),
                label: format!("{label} campaign"),
            },
            DateMark {
                date: day(2026, 10, 1),
                until: None,
                label: format!("{label} line: 5/day planned"),
            },
        ],
    }
}

/// Every chart kind with synthetic series, and the colours each must show.
fn every_kind(label: &str, title: &str) -> Vec<(String, Chart, Vec<&'static str>)> {
    let n = 24;
    let risk = RiskSeries {
        scenario_title: title.into(),
        period: "month".into(),
        dates: monthly(n),
        items: (0..3)
            .map(|i| RiskLine {
                label: format!("{label} {i}"),
                p_zero: curve(n, |t| ((t + i as f64 * 3.0) / 30.0).min(1.0)),
                p_below_safe: Some(curve(n, |t| ((t + i as f64 * 5.0) / 25.0).min(1.0))),
            })
            .collect(),
    };
    let end = EndStockSeries {
        scenario_title: title.into(),
        item_label: label.into(),
        colour: 2,
        date: day(2027, 8, 31),
        bins: (0..20)
            .map(|k| {
                (
                    k as f64 * 10.0,
                    k as f64 * 10.0 + 10.0,
                    0.1 - (k as f64 - 8.0).abs() / 200.0,
                )
            })
            .collect(),
        p5: 20.0,
        p50: 85.0,
        p95: 170.0,
        safe_stock: Some(60),
    };
    let days = 730;
    let money = MoneySeries {
        scenario_title: title.into(),
        dates: daily(days),
        lines: [
            MoneyKind::Pledged,
            MoneyKind::Paid,
            MoneyKind::Committed,
            MoneyKind::Delivered,
            MoneyKind::Idle,
        ]
        .iter()
        .enumerate()
        .map(|(k, kind)| MoneyLine {
            kind: *kind,
            spread: spread(days, |t| t * 1e6 * (5 - k) as f64, 1e6),
        })
        .collect(),
    };
    let flows = FlowSeries {
        scenario_title: title.into(),
        item_label: label.into(),
        colour: 3,
        months: monthly(n),
        delivered: spread(n, |t| 20.0 + t * 3.0, 10.0),
        used: spread(n, |_| 60.0, 15.0),
        backlog: spread(n, |t| 500.0 - t * 10.0, 60.0),
    };
    let production = ProductionSeries {
        scenario_title: title.into(),
        line_label: format!("{label} line"),
        dates: daily(days),
        capacity: spread(days, |t| (t / 100.0).min(6.0), 1.0),
        ours: spread(days, |t| (t / 200.0).min(3.0), 0.5),
        milestones: vec![DateMark {
            date: day(2026, 6, 1),
            until: None,
            label: "expansion planned".into(),
        }],
    };
    let comparison = ComparisonSeries {
        item_label: label.into(),
        dates: daily(days),
        scenarios: (0..3)
            .map(|i| ScenarioBand {
                label: format!("{title} {i}"),
                stock: spread(days, |t| 300.0 + t * (i as f64 - 1.0) * 0.3, 50.0),
            })
            .collect(),
        safe_stock: Some(200),
    };
    let differences = DifferenceSeries {
        title: format!("{title}: variant minus baseline"),
        unit: "units (end stock)".into(),
        rows: (0..5)
            .map(|i| IntervalRow {
                label: format!("{label} {i}"),
                low: -30.0 + i as f64 * 12.0,
                mid: -10.0 + i as f64 * 12.0,
                high: 10.0 + i as f64 * 12.0,
            })
            .collect(),
    };
    let sweep = SweepSeries {
        scenario_title: title.into(),
        parameter: format!("{label} budget, US dollars"),
        outcome: "end stock, units".into(),
        xs: (0..12).map(|k| k as f64 * 0.5e9).collect(),
        outcome_spread: spread(12, |t| t * 40.0, 30.0),
    };
    let heatmap = HeatmapSeries {
        scenario_title: title.into(),
        x_label: format!("{label} budget, billion US dollars"),
        y_label: "ramp slip, days".into(),
        outcome: "chance of a stock-out".into(),
        xs: (1..=6).map(f64::from).collect(),
        ys: vec![0.0, 90.0, 180.0, 365.0],
        values: (0..4)
            .map(|j| {
                (0..6)
                    .map(|i| (0.9 - i as f64 * 0.15 + j as f64 * 0.05).clamp(0.0, 1.0))
                    .collect()
            })
            .collect(),
        percent: true,
    };
    let tornado = TornadoSeries {
        scenario_title: title.into(),
        outcome: "median end stock, units".into(),
        rows: (0..6)
            .map(|i| IntervalRow {
                label: format!("{label} parameter {i}"),
                low: 120.0 - 10.0 * i as f64,
                mid: 120.0,
                high: 120.0 + 7.0 * i as f64,
            })
            .collect(),
    };
    vec![
        (
            "fan".into(),
            Chart::Fan(fan(label, title, 0)),
            vec![
                plot::colour(0),
                "#E08640", /* the zero strip: #D55E00 at 75% */
            ],
        ),
        (
            "risk".into(),
            Chart::Risk(risk),
            vec![plot::colour(0), plot::colour(1), plot::colour(2)],
        ),
        ("end".into(), Chart::EndStock(end), vec![]),
        (
            "money".into(),
            Chart::Money(money),
            vec!["#56B4E9", "#0072B2", "#E69F00", "#009E73", "#CC79A7"],
        ),
        ("flows".into(), Chart::Flows(flows), vec![plot::colour(3)]),
        (
            "production".into(),
            Chart::Production(production),
            vec![plot::colour(0), plot::colour(1)],
        ),
        (
            "comparison".into(),
            Chart::Comparison(comparison),
            vec![plot::colour(0), plot::colour(1), plot::colour(2)],
        ),
        (
            "differences".into(),
            Chart::Differences(differences),
            vec!["#2687BE" /* the intervals: colour 0 at 85% */],
        ),
        ("sweep".into(), Chart::Sweep(sweep), vec![plot::colour(0)]),
        ("heatmap".into(), Chart::Heatmap(heatmap), vec![]),
        (
            "tornado".into(),
            Chart::Tornado(tornado),
            vec![
                "#2687BE", "#EAAD26", /* low and high: colours 0 and 1 at 85% */
            ],
        ),
    ]
}

fn rgb(hex: &str) -> [u8; 3] {
    let v = u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap();
    [(v >> 16) as u8, (v >> 8) as u8, v as u8]
}

/// Pixels within `tol` of `c` in every channel.
fn count_colour(p: &Pixmap, c: [u8; 3], tol: u8) -> usize {
    p.data()
        .chunks_exact(4)
        .filter(|px| (0..3).all(|k| px[k].abs_diff(c[k]) <= tol))
        .count()
}

fn parse_svg(svg: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("SVG is not well-formed XML: {e}"))
}

/// Every text anchor lies inside the page.
fn texts_inside(svg: &str) {
    let doc = parse_svg(svg);
    for t in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let x: f64 = t.attribute("x").unwrap().parse().unwrap();
        let y: f64 = t.attribute("y").unwrap().parse().unwrap();
        assert!(
            (0.0..=CHART_WIDTH).contains(&x) && (0.0..=CHART_HEIGHT).contains(&y),
            "{x},{y}: {:?}",
            t.text()
        );
    }
}

#[test]
fn every_kind_renders_at_print_size_with_its_colours_and_text_inside_the_frame() {
    let kinds = every_kind(
        "PAC-3 MSE interceptor",
        "Baseline: European-funded procurement",
    );
    let charts: Vec<(String, Chart)> = kinds
        .iter()
        .map(|(n, c, _)| (n.clone(), c.clone()))
        .collect();
    let drawn = plot::render_all(&charts, &footer("baseline"), &ChartOptions::default()).unwrap();
    assert_eq!(drawn.len(), kinds.len());
    // To look at them: CHARTS_DUMP_DIR=some/folder cargo test charts::every_kind
    if let Ok(dir) = std::env::var("CHARTS_DUMP_DIR") {
        for d in &drawn {
            std::fs::write(format!("{dir}/{}.png", d.name), &d.png).unwrap();
            std::fs::write(format!("{dir}/{}.svg", d.name), &d.svg).unwrap();
        }
    }
    for (d, (name, chart, colours)) in drawn.iter().zip(&kinds) {
        assert_eq!(&d.name, name);
        // Drawn in parallel, the same bytes as drawn alone.
        assert_eq!(d.svg, chart.svg(&footer("baseline")).unwrap(), "{name}");
        texts_inside(&d.svg);
        assert!(
            d.svg
                .contains("Scenario baseline · 500 simulated futures · seed 7 · starts 2025-09-01"),
            "{name}: footer"
        );
        let p = Pixmap::decode_png(&d.png).unwrap();
        assert_eq!((p.width(), p.height()), (2400, 1400), "{name}");
        let white = count_colour(&p, [255, 255, 255], 0);
        let total = (p.width() * p.height()) as usize;
        assert!(white < total * 97 / 100, "{name} is nearly blank");
        assert!(white > total / 4, "{name} is nearly all ink");
        // Nothing touches the page edges: text and data stay inside the frame.
        let w = p.width() as usize;
        for (i, px) in p.data().chunks_exact(4).enumerate() {
            let (x, y) = (i % w, i / w);
            if x < 3 || x >= w - 3 || y < 3 || y >= p.height() as usize - 3 {
                assert_eq!(
                    &px[..3],
                    &[255, 255, 255],
                    "{name}: ink at the edge ({x},{y})"
                );
            }
        }
        for c in colours {
            assert!(
                count_colour(&p, rgb(c), 2) > 200,
                "{name}: colour {c} missing"
            );
        }
    }
}

#[test]
fn fan_bands_are_the_items_colour_blended_and_the_zero_strip_shows() {
    let c = fan("Shell", "T", 1).clone();
    let svg = Chart::Fan(c).svg(&footer("t")).unwrap();
    let p =
        Pixmap::decode_png(&plot::png(&svg, &ChartOptions { png_scale: 1.0 }).unwrap()).unwrap();
    assert_eq!((p.width(), p.height()), (1200, 700));
    let item = rgb(plot::colour(1));
    // The inner band is drawn over the outer one.
    for opacity in [0.2f64, 1.0 - 0.8 * 0.58] {
        let blend = item.map(|v| (255.0 - (255.0 - f64::from(v)) * opacity).round() as u8);
        assert!(
            count_colour(&p, blend, 3) > 2000,
            "band at {opacity} missing"
        );
    }
    assert!(
        svg.contains("campaign") && svg.contains("5/day planned"),
        "marks labelled"
    );
    assert!(svg.contains("safe stock (150)"));
}

#[test]
fn png_resolution_follows_the_scale_and_bad_scales_are_refused() {
    let svg = Chart::Fan(fan("A", "T", 0)).svg(&footer("t")).unwrap();
    let p =
        Pixmap::decode_png(&plot::png(&svg, &ChartOptions { png_scale: 0.5 }).unwrap()).unwrap();
    assert_eq!((p.width(), p.height()), (600, 350));
    assert!(plot::png(&svg, &ChartOptions { png_scale: 0.0 }).is_err());
    assert!(plot::png(
        &svg,
        &ChartOptions {
            png_scale: f32::NAN
        }
    )
    .is_err());
}

#[test]
fn mismatched_series_are_errors_not_panics() {
    let mut f = fan("A", "T", 0);
    f.p50.pop();
    assert!(Chart::Fan(f).svg(&footer("t")).is_err());
    let h = HeatmapSeries {
        scenario_title: String::new(),
        x_label: "x".into(),
        y_label: "y".into(),
        outcome: "o".into(),
        xs: vec![1.0, 2.0],
        ys: vec![1.0],
        values: vec![vec![1.0]],
        percent: false,
    };
    assert!(Chart::Heatmap(h).svg(&footer("t")).is_err());
}

#[test]
fn empty_and_odd_values_still_draw() {
    let mut f = fan("A", "T", 0);
    for v in [&mut f.p5, &mut f.p25, &mut f.p50, &mut f.p75, &mut f.p95] {
        v[3] = f64::NAN;
        v[5] = 1e15;
    }
    let empty = FanSeries {
        dates: vec![],
        p5: vec![],
        p25: vec![],
        p50: vec![],
        p75: vec![],
        p95: vec![],
        p_zero: vec![],
        samples: vec![],
        ..fan("B", "T", 1)
    };
    let single = FanSeries {
        dates: vec![day(2026, 1, 1)],
        p5: vec![1.0],
        p25: vec![2.0],
        p50: vec![3.0],
        p75: vec![4.0],
        p95: vec![5.0],
        p_zero: vec![0.5],
        samples: vec![],
        ..fan("C", "T", 2)
    };
    for c in [f, empty, single] {
        let svg = Chart::Fan(c).svg(&footer("t")).unwrap();
        parse_svg(&svg);
        plot::png(&svg, &ChartOptions { png_scale: 0.5 }).unwrap();
    }
}

fn hostile() -> impl Strategy<Value = String> {
    let pieces = vec![
        "\u{c}",
        "\u{0}",
        "\u{1b}[2J",
        "<",
        ">",
        "&",
        "&amp;",
        "\"",
        "'",
        "]]>",
        "<!--",
        "😀",
        "\u{202e}",
        "\u{fffe}",
        "\u{ffff}",
        "\u{7f}",
        "\u{85}",
        "\t",
        "\n",
        "a",
        "PAC-3",
        " ",
        "é",
        "中",
    ];
    prop::collection::vec(prop::sample::select(pieces), 0..12).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]
    #[test]
    fn every_svg_is_well_formed_whatever_the_labels(label in hostile(), title in hostile(), name in hostile()) {
        for (kind, chart, _) in every_kind(&label, &title) {
            let svg = chart.svg(&footer(&name)).unwrap();
            let doc = roxmltree::Document::parse(&svg);
            prop_assert!(doc.is_ok(), "{kind}: {:?}", doc.err());
        }
        let svg = Chart::Fan(fan(&label, &title, 0)).svg(&footer(&name)).unwrap();
        let small = ChartOptions { png_scale: 0.25 };
        prop_assert!(plot::png(&svg, &small).is_ok(), "PNG");
    }
}

fn baseline_files() -> (porcupine::scenario::Scenario, Vec<output::OutFile>) {
    let s = bundled("baseline.toml");
    let acc = experiment(&s, 40, 3, 2);
    let meta = Metadata {
        version: "t".into(),
        seed: 3,
        runs: 40,
        scenario_file: "scenarios/baseline.toml".into(),
        scenario_hash: "abc".into(),
        percentile_method: report::percentile_method(),
        reproduce: "porcupine run scenarios/baseline.toml --runs 40 --seed 3".into(),
    };
    let r = report::prepare(&s, &acc, meta);
    let files = output::render_with(&s, &r, "", &ChartOptions { png_scale: 1.0 }).unwrap();
    (s, files)
}

#[test]
fn a_run_writes_every_applicable_chart_as_png_and_svg_and_every_svg_parses() {
    let (s, files) = baseline_files();
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    let mut expected = vec!["risk".to_string(), "funding".to_string()];
    for it in &s.items {
        expected.push(format!("stock_{}", it.name));
        expected.push(format!("end_stock_{}", it.name));
        expected.push(format!("flows_{}", it.name));
    }
    for l in &s.lines {
        expected.push(format!("production_{}", l.name));
    }
    if s.channels.len() > 1 {
        for c in &s.channels {
            expected.push(format!("money_{}", c.name));
        }
    }
    for e in &expected {
        for ext in ["png", "svg"] {
            let f = format!("{e}.{ext}");
            assert!(names.contains(&f.as_str()), "missing {f}");
        }
    }
    let mut svgs = 0;
    for f in files.iter().filter(|f| f.name.ends_with(".svg")) {
        let text = std::str::from_utf8(&f.bytes).unwrap();
        parse_svg(text);
        assert!(text.contains("seed 3"), "{}: footer", f.name);
        svgs += 1;
    }
    assert_eq!(svgs, expected.len());
    let pac = files
        .iter()
        .find(|f| f.name == "stock_pac3-mse.svg")
        .unwrap();
    let pac = std::str::from_utf8(&pac.bytes).unwrap();
    assert!(pac.contains("Jan 2026"), "calendar ticks");
    assert!(pac.contains("use ×"), "periods of changed use are marked");
}

/// The rasterised PNG of a run's chart.
fn png_of(files: &[output::OutFile], name: &str) -> Pixmap {
    let f = files.iter().find(|f| f.name == name).unwrap();
    Pixmap::decode_png(&f.bytes).unwrap()
}

/// A band of `hex` at `opacity` over white, as resvg blends it.
fn over_white(hex: &str, opacity: f64) -> [u8; 3] {
    rgb(hex).map(|c| (255.0 - (255.0 - f64::from(c)) * opacity).round() as u8)
}

#[test]
fn a_runs_supply_and_money_charts_show_their_lines_and_bands_and_the_tables_agree() {
    let (s, files) = baseline_files();
    let item = 0;
    let name = &s.items[item].name;
    // Deliveries against use: the item's colour as line and as band; use in ink.
    let flows = png_of(&files, &format!("flows_{name}.png"));
    assert_eq!((flows.width(), flows.height()), (1200, 700));
    assert!(
        count_colour(&flows, rgb(plot::colour(item)), 2) > 200,
        "median line"
    );
    assert!(
        count_colour(&flows, over_white(plot::colour(item), 0.22), 3) > 200,
        "band"
    );
    let svg = std::str::from_utf8(
        &files
            .iter()
            .find(|f| f.name == format!("flows_{name}.svg"))
            .unwrap()
            .bytes,
    )
    .unwrap();
    texts_inside(svg);
    assert!(svg.contains("units delivered and used per month"));
    // Production: capacity and our share, each with its band.
    let line = &s.lines[0].name;
    let prod = png_of(&files, &format!("production_{line}.png"));
    for c in [plot::colour(0), plot::colour(1)] {
        assert!(count_colour(&prod, rgb(c), 2) > 100, "production line {c}");
    }
    // Money: committed and delivered value, with bands, in the words of the report's terms.
    let money = std::str::from_utf8(
        &files
            .iter()
            .find(|f| f.name == "funding.svg")
            .unwrap()
            .bytes,
    )
    .unwrap();
    for w in [
        "committed to orders",
        "delivered value",
        "idle in channels",
        "pledged",
        "paid",
    ] {
        assert!(money.contains(w), "money chart says {w}");
    }
    let html = std::str::from_utf8(
        &files
            .iter()
            .find(|f| f.name == "report.html")
            .unwrap()
            .bytes,
    )
    .unwrap();
    assert!(html.contains("<dt>Committed</dt>") && html.contains("<dt>Delivered value</dt>"));
    let md =
        std::str::from_utf8(&files.iter().find(|f| f.name == "report.md").unwrap().bytes).unwrap();
    assert!(
        md.contains(&format!("(flows_{name}.png)")) && md.contains("*Units of"),
        "captions in report.md"
    );
    // The period tables: one row per entity, period and quantity, and the months cover the horizon.
    let flows_csv =
        std::str::from_utf8(&files.iter().find(|f| f.name == "flows.csv").unwrap().bytes).unwrap();
    let months = flows_csv
        .lines()
        .filter(|l| l.starts_with(&format!("{name},")) && l.contains(",delivered,"))
        .count();
    assert_eq!(
        months, 28,
        "baseline runs September 2025 to December 2027: 28 months"
    );
    for f in ["lines.csv", "channels.csv", "money.csv"] {
        let text = std::str::from_utf8(&files.iter().find(|x| x.name == f).unwrap().bytes).unwrap();
        assert!(text.lines().count() > 50, "{f} has rows");
    }
}

// Number formats, axes, font metrics and the legend that avoids data.

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
    let axis = plot::axes::date_axis(day(2025, 9, 1), day(2027, 8, 31));
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

    let single = plot::axes::date_axis(day(2026, 3, 5), day(2026, 3, 5));
    assert!(single.start < day(2026, 3, 5) && single.end > day(2026, 3, 6));
    assert!(!single.ticks.is_empty());

    let extreme = plot::axes::date_axis(NaiveDate::MIN, NaiveDate::MAX);
    assert!(extreme.start < extreme.end);
    assert!(extreme.ticks.len() <= 12, "{}", extreme.ticks.len());
    let edge = plot::axes::date_axis(NaiveDate::MAX, NaiveDate::MAX);
    assert!(edge.start < edge.end);
}

#[test]
fn value_axis_is_valid_and_round() {
    let zero = plot::axes::value_axis(0.0, 0.0, 8, 1.0);
    assert!(zero.low == 0.0 && zero.high >= 1.0);
    assert!(zero.ticks.iter().all(|t| t.fract() == 0.0));

    let small = plot::axes::value_axis(0.0, 3.0, 8, 1.0);
    assert!(
        small.ticks.iter().all(|t| t.fract() == 0.0),
        "unit ticks are whole: {:?}",
        small.ticks
    );

    let a = plot::axes::value_axis(0.0, 1234.0, 8, 1.0);
    assert!(a.high >= 1234.0 && a.ticks.len() <= 10);
    assert_eq!(a.ticks.first(), Some(&0.0));

    let nan = plot::axes::value_axis(f64::NAN, f64::NAN, 8, 1.0);
    assert!(nan.low < nan.high);
    let huge = plot::axes::value_axis(-f64::MAX, f64::MAX, 8, 1.0);
    assert!(huge.low < huge.high && huge.high.is_finite());
}

#[test]
fn date_axis_multi_year_spans_label_januaries() {
    let axis = plot::axes::date_axis(day(2025, 9, 1), day(2047, 3, 1));
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
    let axis = plot::axes::date_axis(day(2025, 3, 15), day(2026, 2, 20));
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
    let (i, w) = (plot::text_width("i", 10.0), plot::text_width("W", 10.0));
    assert!(i > 0.0 && i < w, "{i} {w}");
    assert!((plot::text_width("WW", 20.0) - 4.0 * w).abs() < 1e-9);
    let long = "x".repeat(500);
    let cut = plot::fit(&long, 14.0, 200.0);
    assert!(cut.ends_with('…') && plot::text_width(&cut, 14.0) <= 200.0);
    assert_eq!(plot::fit("short", 14.0, 200.0), "short");
}

fn legend_box_y(svg: &str) -> f64 {
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
    let y = legend_box_y(&svg);
    assert!(y > 140.0, "legend at {y} overlaps the line at the top");
}

#[test]
fn one_end_value_shows_as_one_bar_on_whole_units() {
    // Every future ends with no stock: one bin, [0, 1), holding 100%.
    let end = EndStockSeries {
        scenario_title: String::new(),
        item_label: "A".into(),
        colour: 0,
        date: day(2027, 8, 31),
        bins: vec![(0.0, 1.0, 1.0)],
        p5: 0.0,
        p50: 0.0,
        p95: 0.0,
        safe_stock: None,
    };
    let svg = Chart::EndStock(end).svg(&footer("t")).unwrap();
    let doc = parse_svg(&svg);
    let texts: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text().map(str::to_string))
        .collect();
    // The three marks at the same value share one label.
    assert!(
        texts.iter().any(|t| t == "P5, median and P95 0"),
        "{texts:?}"
    );
    // The x axis counts whole units (no "0.2" ticks), over at least ten of them.
    let numbers: Vec<f64> = texts.iter().filter_map(|t| t.parse().ok()).collect();
    assert!(numbers.iter().all(|v| v.fract() == 0.0), "{numbers:?}");
    assert!(numbers.iter().any(|&v| v >= 10.0), "{numbers:?}");
    // The bar is narrow, and the legend is clear of it.
    let rect = |opacity: &str| -> (f64, f64, f64, f64) {
        let r = doc
            .descendants()
            .find(|n| n.has_tag_name("rect") && n.attribute("fill-opacity") == Some(opacity))
            .expect("rect");
        let v = |a: &str| r.attribute(a).unwrap().parse::<f64>().unwrap();
        (v("x"), v("x") + v("width"), v("y"), v("y") + v("height"))
    };
    let (bar, legend) = (rect("0.8"), rect("0.92"));
    assert!(bar.1 - bar.0 < 400.0, "bar {bar:?}");
    let apart = legend.0 >= bar.1 || legend.1 <= bar.0 || legend.3 <= bar.2;
    assert!(apart, "legend {legend:?}, bar {bar:?}");
}

/// The hand-computed scenario of `hand_computed.rs`: $1,000 arrive on day 0; 10 shells at $100
/// are ordered on day 2; the line makes 3 a day from day 1 (3, 3, 3, 1 on days 2 to 5, for us);
/// 2 are used a day. 13 days: one calendar month (January 2025), weeks of days 0–6 and 7–12.
const HAND: &str = r#"
[scenario]
name = "hand"
start = 2025-01-01
horizon_days = 12
[[item]]
name = "shell"
unit_cost_usd = 100
initial_stock = 10
[[funding]]
name = "gov"
pays_into = "buy"
[[funding.lump_sum]]
date = 2025-01-01
amount_usd = 1000
[[channel]]
name = "buy"
order_every_days = 2
[[channel.buy]]
item = "shell"
share = 1.0
[[line]]
name = "factory"
item = "shell"
capacity = [{ date = 2025-01-01, per_day = 3 }]
delivery_lag_days = 1
[[consumption]]
item = "shell"
daily = 2
"#;

#[test]
fn supply_and_money_series_match_a_hand_computation() {
    let s = crate::util::scenario(HAND);
    let meta = Metadata {
        version: "t".into(),
        seed: 1,
        runs: 20,
        scenario_file: "hand.toml".into(),
        scenario_hash: "abc".into(),
        percentile_method: report::percentile_method(),
        reproduce: String::new(),
    };
    let r = report::prepare(&s, &experiment(&s, 20, 1, 2), meta);
    let p = &r.periods;
    assert_eq!(p.months, [day(2025, 1, 1)]);
    assert_eq!(p.steps, [day(2025, 1, 1), day(2025, 1, 8)]);
    assert_eq!(p.step_name, "week");
    // Every future is the same: mean and percentiles agree.
    let is = |row: &report::PeriodRow, v: f64, what: &str| {
        for x in [row.mean, row.p5, row.p50, row.p95] {
            assert!((x - v).abs() < 1e-9, "{what}: {row:?}, want {v}");
        }
    };
    let [delivered, used, backlog] = &p.items[0];
    is(&delivered[0], 10.0, "delivered in January");
    is(&used[0], 20.0, "used in January");
    // Waiting at the day's close: 7, 4, 1 on days 2, 3, 4; 12 unit-days over 13 days.
    is(&backlog[0], 12.0 / 13.0, "mean backlog");
    let [capacity, ours, others, line_backlog] = &p.lines[0];
    // 3 a day on each production day (day 0 has none).
    is(&capacity[0], 3.0, "capacity, week 1");
    is(&capacity[1], 3.0, "capacity, week 2");
    is(&ours[0], 10.0 / 7.0, "made for us per day, week 1");
    is(&ours[1], 0.0, "made for us per day, week 2");
    is(&others[0], 0.0, "no other buyers");
    is(&line_backlog[0], 12.0 / 7.0, "line backlog, week 1");
    let [idle, committed] = &p.channels[0];
    // $1,000 idle on days 0 and 1, then committed.
    is(&idle[0], 2000.0 / 7.0, "mean idle, week 1");
    is(&idle[1], 0.0, "mean idle, week 2");
    is(&committed[0], 1000.0, "committed by week 1");
    is(&committed[1], 1000.0, "committed by week 2");
    let [pledged, paid] = &p.sources[0];
    is(&pledged[0], 1000.0, "pledged");
    is(&paid[0], 1000.0, "paid");
    let t = &p.totals;
    is(&t[0][0], 1000.0, "delivered value");
    is(&t[1][0], 1000.0, "pledged, all sources");
    is(&t[2][0], 1000.0, "paid, all sources");
    is(&t[3][0], 1000.0, "committed, all channels");
    is(&t[4][0], 2000.0 / 13.0, "idle, all channels");
}

#[test]
fn compare_draws_each_items_stock_band_per_scenario_in_the_scenarios_colours() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("c");
    crate::util::porcupine()
        .args([
            "compare",
            "scenarios/baseline.toml",
            "scenarios/funding-shortfall.toml",
        ])
        .args(["--runs", "60", "--seed", "4", "-q", "--out"])
        .arg(&out)
        .assert()
        .success();
    let s = bundled("baseline.toml");
    let md = std::fs::read_to_string(out.join("compare.md")).unwrap();
    for it in &s.items {
        let name = format!("stock_compared_{}", it.name);
        let svg = std::fs::read_to_string(out.join(format!("{name}.svg"))).unwrap();
        texts_inside(&svg);
        assert!(
            svg.contains("Scenario baseline vs funding-shortfall · 60 simulated futures · seed 4")
        );
        assert!(svg.contains("baseline (median") && svg.contains("funding-shortfall (median"));
        assert!(svg.contains("Jan 2026"), "{name}: calendar ticks");
        // Caption in compare.md.
        assert!(
            md.contains(&format!("]({name}.png)\n\n*Units of")),
            "{name}: caption"
        );
        let p = Pixmap::decode_png(&std::fs::read(out.join(format!("{name}.png"))).unwrap());
        let p = p.unwrap();
        assert_eq!((p.width(), p.height()), (2400, 1400), "{name}");
        let white = count_colour(&p, [255, 255, 255], 0);
        let total = (p.width() * p.height()) as usize;
        assert!(white < total * 97 / 100, "{name} is nearly blank");
        // Each scenario's median line and band, in its own colour (its place on the command line).
        for k in 0..2 {
            let c = plot::colour(k);
            assert!(
                count_colour(&p, rgb(c), 2) > 200,
                "{name}: {c} line missing"
            );
            let band = over_white(c, 0.22);
            assert!(count_colour(&p, band, 2) > 200, "{name}: {c} band missing");
        }
    }
}

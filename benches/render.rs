//! Rendering every chart of a large experiment: 10 items × 1,096 days (a stock fan, an end-stock
//! histogram and a deliveries-versus-use chart per item, a production chart per line, risk and
//! money), drawn in parallel as SVG and rasterised to PNG at the default print scale.
//!
//! `RAYON_NUM_THREADS=2 cargo bench --bench render` (prints the best of five rounds).

use chrono::NaiveDate;
use porcupine::plot::*;
use std::time::Instant;

const ITEMS: usize = 10;
const DAYS: usize = 1096;

fn curve(n: usize, f: impl Fn(f64) -> f64) -> Vec<f64> {
    (0..n).map(|i| f(i as f64)).collect()
}

fn spread(n: usize, f: impl Fn(f64) -> f64 + Copy, width: f64) -> Spread3 {
    Spread3 {
        p5: curve(n, |t| (f(t) - width).max(0.0)),
        p50: curve(n, f),
        p95: curve(n, |t| f(t) + width),
    }
}

fn charts() -> Vec<(String, Chart)> {
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).expect("date");
    let dates: Vec<NaiveDate> = start.iter_days().take(DAYS).collect();
    let weeks: Vec<NaiveDate> = dates.iter().step_by(7).copied().collect();
    let months: Vec<NaiveDate> = dates
        .iter()
        .filter(|d| chrono::Datelike::day(*d) == 1)
        .copied()
        .collect();
    let level = |i: usize| move |t: f64| 200.0 + 150.0 * ((t + 37.0 * i as f64) / 90.0).sin();
    let mut out = Vec::new();
    for i in 0..ITEMS {
        let l = level(i);
        out.push((
            format!("stock_{i}"),
            Chart::Fan(FanSeries {
                scenario_title: "Render benchmark".into(),
                item_label: format!("Item {i}"),
                colour: i,
                dates: dates.clone(),
                p5: curve(DAYS, |t| (l(t) - 120.0).max(0.0)),
                p25: curve(DAYS, |t| (l(t) - 50.0).max(0.0)),
                p50: curve(DAYS, l),
                p75: curve(DAYS, |t| l(t) + 50.0),
                p95: curve(DAYS, |t| l(t) + 120.0),
                p_zero: curve(DAYS, |t| (0.3 - l(t) / 1000.0).max(0.0)),
                safe_stock: Some(100),
                samples: (0..10)
                    .map(|k| {
                        (0..DAYS)
                            .map(|d| (l(d as f64) as u64 + k * 7) % 500)
                            .collect()
                    })
                    .collect(),
                marks: vec![
                    DateMark {
                        date: dates[100],
                        until: Some(dates[250]),
                        label: "use ×1.6".into(),
                    },
                    DateMark {
                        date: dates[400],
                        until: None,
                        label: "line: 5/day planned".into(),
                    },
                ],
            }),
        ));
        out.push((
            format!("end_stock_{i}"),
            Chart::EndStock(EndStockSeries {
                scenario_title: "Render benchmark".into(),
                item_label: format!("Item {i}"),
                colour: i,
                date: dates[DAYS - 1],
                bins: (0..30)
                    .map(|b| {
                        (
                            b as f64 * 10.0,
                            b as f64 * 10.0 + 10.0,
                            (b % 7) as f64 / 40.0,
                        )
                    })
                    .collect(),
                p5: 30.0,
                p50: 150.0,
                p95: 280.0,
                safe_stock: Some(100),
            }),
        ));
        out.push((
            format!("flows_{i}"),
            Chart::Flows(FlowSeries {
                scenario_title: "Render benchmark".into(),
                item_label: format!("Item {i}"),
                colour: i,
                months: months.clone(),
                delivered: spread(months.len(), |t| 100.0 + 3.0 * t, 30.0),
                used: spread(months.len(), |t| 140.0 - t, 25.0),
                backlog: spread(months.len(), |t| 600.0 - 10.0 * t, 80.0),
            }),
        ));
        out.push((
            format!("production_{i}"),
            Chart::Production(ProductionSeries {
                scenario_title: "Render benchmark".into(),
                line_label: format!("Line {i}"),
                dates: weeks.clone(),
                capacity: spread(weeks.len(), |t| 5.0 + t / 30.0, 1.0),
                ours: spread(weeks.len(), |t| 2.0 + t / 60.0, 0.8),
                milestones: Vec::new(),
            }),
        ));
    }
    out.push((
        "risk".into(),
        Chart::Risk(RiskSeries {
            scenario_title: "Render benchmark".into(),
            period: "month".into(),
            dates: months.clone(),
            items: (0..ITEMS)
                .map(|i| RiskLine {
                    label: format!("Item {i}"),
                    p_zero: curve(months.len(), |t| ((t + i as f64) / 60.0).min(1.0)),
                    p_below_safe: Some(curve(months.len(), |t| ((t + i as f64) / 40.0).min(1.0))),
                })
                .collect(),
        }),
    ));
    let kinds = [
        MoneyKind::Pledged,
        MoneyKind::Paid,
        MoneyKind::Committed,
        MoneyKind::Delivered,
        MoneyKind::Idle,
    ];
    out.push((
        "funding".into(),
        Chart::Money(MoneySeries {
            scenario_title: "Render benchmark".into(),
            dates: months.clone(),
            lines: kinds
                .iter()
                .enumerate()
                .map(|(k, kind)| MoneyLine {
                    kind: *kind,
                    spread: spread(months.len(), move |t| 1e8 * (t + 1.0) / (k + 1) as f64, 2e7),
                })
                .collect(),
        }),
    ));
    out
}

fn main() {
    let charts = charts();
    let footer = Footer {
        scenario: "render-benchmark".into(),
        runs: 10_000,
        seed: 1,
        version: env!("CARGO_PKG_VERSION").into(),
        start: NaiveDate::from_ymd_opt(2025, 1, 1).expect("date"),
    };
    let options = ChartOptions::default();
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let t = Instant::now();
        let drawn = render_all(&charts, &footer, &options).expect("charts draw");
        best = best.min(t.elapsed().as_secs_f64());
        assert_eq!(drawn.len(), charts.len());
    }
    println!(
        "render: {} charts ({ITEMS} items × {DAYS} days) at PNG scale {}, {} threads: best {best:.3} s",
        charts.len(),
        options.png_scale,
        rayon::current_num_threads()
    );
}

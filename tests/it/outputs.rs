//! The files users read: CSV that spreadsheets and pandas take as is, JSON with every summary,
//! charts with calendar dates.

use crate::util::{bundled, experiment};
use porcupine::output;
use porcupine::report::{self, Metadata};

fn results() -> (porcupine::scenario::Scenario, report::Results) {
    let s = bundled("baseline.toml");
    let acc = experiment(&s, 50, 2, 2);
    let meta = Metadata {
        version: "t".into(),
        seed: 2,
        runs: 50,
        scenario_file: "scenarios/baseline.toml".into(),
        scenario_hash: "abc".into(),
        percentile_method: report::percentile_method(),
        reproduce: "porcupine run scenarios/baseline.toml --runs 50 --seed 2".into(),
    };
    let r = report::prepare(&s, &acc, meta);
    (s, r)
}

#[test]
fn daily_csv_is_long_form_with_one_row_per_date_and_item() {
    let (s, r) = results();
    let text = String::from_utf8(output::daily_csv(&r).unwrap()).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "date,item,mean,sd,p5,p25,p50,p75,p95,prob_below_safe,prob_zero"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), s.items.len() * s.days());
    assert!(
        rows[0].starts_with("2025-09-01,pac3-mse,80,0,80,80,80,80,80,0,0"),
        "{}",
        rows[0]
    );
    for row in &rows {
        assert_eq!(row.split(',').count(), 11);
        assert!(!row.contains("NaN"));
    }
    // Ordered percentiles on every row.
    for row in &rows {
        let f: Vec<f64> = row
            .split(',')
            .skip(4)
            .take(5)
            .map(|v| v.parse().unwrap())
            .collect();
        assert!(f.windows(2).all(|w| w[0] <= w[1]), "{row}");
    }
}

#[test]
fn summary_json_has_items_funding_channels_and_metadata() {
    let (_, r) = results();
    let v: serde_json::Value = serde_json::from_slice(&output::summary_json(&r).unwrap()).unwrap();
    assert_eq!(v["metadata"]["seed"], 2);
    assert_eq!(v["metadata"]["runs"], 50);
    let pac = &v["items"][0];
    assert_eq!(pac["name"], "pac3-mse");
    for k in [
        "end_stock",
        "delivered",
        "unmet_demand",
        "days_below_safe",
        "first_below_safe",
    ] {
        assert!(pac.get(k).is_some(), "missing {k}");
    }
    assert!(pac["first_below_safe"]["share_never"].as_f64().unwrap() <= 1.0);
    assert_eq!(v["funding"].as_array().unwrap().len(), 6);
    assert_eq!(v["funding"][2]["name"], "jump-start");
    assert!(v["funding"][2]["pledged_usd"].as_f64().unwrap() == 825_000_000.0);
    assert!(v["channels"][0]["spent_usd"].as_f64().unwrap() > 0.0);
}

#[test]
fn charts_are_real_images_with_calendar_dates() {
    let (s, r) = results();
    let files = output::render(&s, &r, "").unwrap();
    let png = files
        .iter()
        .find(|f| f.name == "stock_pac3-mse.png")
        .unwrap();
    assert!(png.bytes.starts_with(b"\x89PNG"));
    let svg = String::from_utf8(
        files
            .iter()
            .find(|f| f.name == "stock_pac3-mse.svg")
            .unwrap()
            .bytes
            .clone(),
    )
    .unwrap();
    assert!(
        svg.contains("Jan 2026"),
        "x axis should show calendar dates"
    );
    assert!(svg.contains("PAC-3 MSE interceptor"));
    let money = String::from_utf8(
        files
            .iter()
            .find(|f| f.name == "funding.svg")
            .unwrap()
            .bytes
            .clone(),
    )
    .unwrap();
    assert!(money.contains('$'), "money axis should be in dollars");
    let report = String::from_utf8(
        files
            .iter()
            .find(|f| f.name == "report.md")
            .unwrap()
            .bytes
            .clone(),
    )
    .unwrap();
    assert!(report.contains("porcupine run scenarios/baseline.toml --runs 50 --seed 2"));
}

#[test]
fn runs_csv_has_one_row_per_future_agreeing_with_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    crate::util::porcupine()
        .args([
            "run",
            "scenarios/bench-canonical.toml",
            "--runs",
            "300",
            "-q",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let mut rd = csv::Reader::from_path(out.join("runs.csv")).unwrap();
    let header: Vec<String> = rd.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(header[0], "run");
    assert!(
        header.contains(&"interceptor.first_zero_date".to_owned()),
        "{header:?}"
    );
    assert!(header.contains(&"d1.paid_usd".to_owned()), "{header:?}");
    let col = header
        .iter()
        .position(|h| h == "interceptor.end_stock")
        .unwrap();
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 300);
    for (k, r) in rows.iter().enumerate() {
        assert_eq!(r[0].parse::<usize>().unwrap(), k, "rows in run order");
    }
    let mean = rows
        .iter()
        .map(|r| r[col].parse::<f64>().unwrap())
        .sum::<f64>()
        / 300.0;
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    let item = summary["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "interceptor")
        .unwrap();
    let expected = item["end_stock"]["mean"].as_f64().unwrap();
    assert!((mean - expected).abs() < 1e-6, "{mean} vs {expected}");
    // Listed in the marker, so --force may replace the folder later.
    assert!(porcupine::output::results_folder(&out).is_ok());

    let none = dir.path().join("none");
    crate::util::porcupine()
        .args([
            "run",
            "scenarios/bench-canonical.toml",
            "--runs",
            "30",
            "-q",
            "--no-runs-csv",
            "--out",
        ])
        .arg(&none)
        .assert()
        .success();
    assert!(!none.join("runs.csv").exists());
}

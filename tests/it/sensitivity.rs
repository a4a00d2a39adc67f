//! `porcupine sensitivity`: every uncertain input at its P10 and P90 on the same futures, the
//! rank correlation of its draws with each outcome, ranked; byte-identical at any thread count.

use crate::util::porcupine;
use std::path::Path;

/// A line whose ramp slip (uniform 0–200 days) and other customers' share (uniform 0.2–0.6)
/// are drawn once per future; the item is used 5 a day.
const SCENARIO: &str = r#"
[scenario]
name = "sens-test"
title = "Sensitivity test"
start = 2026-01-01
end = 2026-12-31

[[item]]
name = "shell"
label = "Shell"
unit_cost_usd = 1_000
initial_stock = 100

[[funding]]
name = "donor"
pays_into = "buyer"
[[funding.lump_sum]]
date = 2026-01-01
amount_usd = 10_000_000

[[channel]]
name = "buyer"
order_every_days = 30
[[channel.buy]]
item = "shell"
share = 1.0

[[line]]
name = "factory"
item = "shell"
capacity = [
  { date = 2026-01-01, per_day = 2 },
  { date = 2026-04-01, per_day = 10 },
]
ramp_slip_days = { dist = "uniform", min = 0, max = 200 }
other_customers_share = { dist = "uniform", min = 0.2, max = 0.6 }

[[consumption]]
item = "shell"
daily = 5
"#;

fn write_scenario(dir: &Path) -> std::path::PathBuf {
    let f = dir.join("s.toml");
    std::fs::write(&f, SCENARIO).unwrap();
    f
}

fn sensitivity(file: &Path, out: &Path, threads: &str, extra: &[&str]) -> String {
    porcupine()
        .arg("sensitivity")
        .arg(file)
        .args(["--runs", "40", "--quiet", "--threads", threads, "--out"])
        .arg(out)
        .args(extra)
        .assert()
        .success();
    std::fs::read_to_string(out.join("sensitivity.csv")).unwrap()
}

fn rows(csv_text: &str) -> Vec<csv::StringRecord> {
    csv::Reader::from_reader(csv_text.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn inputs_are_ranked_by_swing_and_outputs_do_not_depend_on_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let f = write_scenario(tmp.path());
    let one = sensitivity(&f, &tmp.path().join("a"), "1", &[]);
    let two = sensitivity(&f, &tmp.path().join("b"), "2", &[]);
    assert_eq!(one, two, "sensitivity.csv depends on the thread count");
    for chart in ["tornado_shell.svg", "tornado_shell.png"] {
        let a = std::fs::read(tmp.path().join("a").join(chart)).unwrap();
        let b = std::fs::read(tmp.path().join("b").join(chart)).unwrap();
        assert!(a == b, "{chart} depends on the thread count");
    }
    // The tornado chart names each input's P10 and P90 as the terminal does.
    let svg = std::fs::read_to_string(tmp.path().join("a").join("tornado_shell.svg")).unwrap();
    assert!(svg.contains("ramp_slip_days (20 → 180)"), "{svg}");
    assert!(svg.contains("other_customers_share (0.24 → 0.56)"), "{svg}");
    let rows = rows(&one);
    // 1 item × 4 outcomes × 2 inputs.
    assert_eq!(rows.len(), 8);
    let outcomes: Vec<&str> = rows.iter().map(|r| &r[1]).collect();
    assert_eq!(
        outcomes,
        [
            "end_stock",
            "end_stock",
            "p_zero_at_end",
            "p_zero_at_end",
            "days_at_zero",
            "days_at_zero",
            "delivered",
            "delivered"
        ]
    );
    // P10 and P90 of uniform(0, 200) and uniform(0.2, 0.6), by hand.
    let find = |outcome: &str, path: &str| {
        rows.iter()
            .find(|r| &r[1] == outcome && &r[3] == path)
            .unwrap()
            .clone()
    };
    let slip = find("end_stock", "line.factory.ramp_slip_days");
    assert_eq!((&slip[4], &slip[5]), ("20", "180"));
    let share = find("end_stock", "line.factory.other_customers_share");
    assert_eq!((&share[4], &share[5]), ("0.24", "0.56"));
    // Within each outcome the ranks run 1, 2 by |swing|.
    for pair in rows.chunks(2) {
        assert_eq!((&pair[0][2], &pair[1][2]), ("1", "2"));
        let swing = |r: &csv::StringRecord| r[9].parse::<f64>().unwrap().abs();
        assert!(swing(&pair[0]) >= swing(&pair[1]));
    }
    // A later slip or a larger share for others leaves less in stock at the end.
    for r in [&slip, &share] {
        let (lo, hi): (f64, f64) = (r[7].parse().unwrap(), r[8].parse().unwrap());
        assert!(hi < lo, "{r:?}");
        assert_eq!(r[9].parse::<f64>().unwrap(), hi - lo);
    }
}

#[test]
fn the_draws_are_the_ones_the_futures_used() {
    // With the share fixed, end stock falls with the slip in every future: the draws recorded
    // for the rank correlation are the engine's, so their ranks are reversed (up to futures
    // whose whole-unit end stocks tie).
    let tmp = tempfile::tempdir().unwrap();
    let f = write_scenario(tmp.path());
    let text = sensitivity(
        &f,
        &tmp.path().join("a"),
        "2",
        &["--set", "line.factory.other_customers_share=0.3"],
    );
    let rows = rows(&text);
    assert_eq!(rows.len(), 4, "one input left");
    let end = rows.iter().find(|r| &r[1] == "end_stock").unwrap();
    let rho: f64 = end[10].parse().unwrap();
    assert!(rho < -0.999, "{rho}");
}

#[test]
fn bad_requests_are_clear_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let f = write_scenario(tmp.path());
    porcupine()
        .arg("sensitivity")
        .arg(&f)
        .args(["--runs", "300000", "--quiet"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("2 to 200,000 futures"));
    porcupine()
        .arg("sensitivity")
        .arg(&f)
        .args([
            "--runs",
            "10",
            "--quiet",
            "--set",
            "line.factory.other_customers_share=0.3",
            "--set",
            "line.factory.ramp_slip_days=10",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no uncertain input"));
    // The results folder follows the rules of run and compare: no overwrite without --force.
    let out = tmp.path().join("o");
    sensitivity(&f, &out, "1", &[]);
    porcupine()
        .arg("sensitivity")
        .arg(&f)
        .args(["--runs", "40", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .code(2);
    sensitivity(&f, &out, "1", &["--force"]);
}

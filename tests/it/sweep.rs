//! `porcupine sweep`: a grid of `--set` variants on the same futures, written as sweep.csv,
//! byte-identical at any thread count.

use crate::util::porcupine;

fn sweep(dir: &std::path::Path, threads: &str) -> String {
    porcupine()
        .args([
            "sweep",
            "scenarios/bench-canonical.toml",
            "--vary",
            "funding.d1.recurring[0].amount_usd=0,120000000",
            "--vary",
            "consumption.interceptor.daily.mean=1..2:3",
            "--runs",
            "60",
            "--quiet",
            "--threads",
            threads,
            "--out",
        ])
        .arg(dir)
        .assert()
        .success();
    std::fs::read_to_string(dir.join("sweep.csv")).unwrap()
}

#[test]
fn a_grid_runs_every_combination_on_the_same_futures() {
    let tmp = tempfile::tempdir().unwrap();
    let one = sweep(&tmp.path().join("a"), "1");
    let two = sweep(&tmp.path().join("b"), "2");
    assert_eq!(one, two, "sweep.csv depends on the thread count");
    let mut rdr = csv::Reader::from_reader(one.as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let combos: std::collections::BTreeSet<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(combos.len(), 6, "2 × 3 combinations");
    assert!(rows[0][1].contains("amount_usd=0; consumption.interceptor.daily.mean=1"));
    // Combination 1 is the reference: its differences are zero.
    for r in rows.iter().filter(|r| &r[0] == "1") {
        assert_eq!(&r[8], "0.0");
    }
    // More money gives more interceptors at the end, on the same futures (combination 4 has
    // the donor's money, 1 has none; same demand).
    let end = |c: &str| -> f64 {
        rows.iter()
            .find(|r| &r[0] == c && &r[2] == "interceptor" && &r[3] == "end_stock")
            .unwrap()[5]
            .parse()
            .unwrap()
    };
    assert!(end("4") > end("1"));
}

#[test]
fn a_bad_vary_is_a_clear_error() {
    porcupine()
        .args([
            "sweep",
            "scenarios/bench-canonical.toml",
            "--vary",
            "funding.d1",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("expected key.path=v1,v2"));
    porcupine()
        .args([
            "sweep",
            "scenarios/bench-canonical.toml",
            "--vary",
            "funding.nobody.amount_usd=1,2",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no `funding.nobody`"));
}

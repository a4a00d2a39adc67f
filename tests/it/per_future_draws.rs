//! `runs.csv` lists every per-future draw as a column named by its key path, with the value that
//! future used: the engine's own prices and correlated draws agree with the columns, run by run.

use crate::util::{bundled, column, porcupine, records, runs_csv};
use porcupine::engine::{Simulator, Worker};

#[test]
fn prices_and_rates_are_the_ones_each_future_paid() {
    let file = "scenarios/examples/prices-and-currencies.toml";
    let (header, rows) = runs_csv(file, 30, 4);
    let cost = column(&header, "item.pac3-mse.unit_cost_usd");
    let mult = column(&header, "channel.fms.buy[0].price_multiplier");
    let rate = column(&header, "currency[0].usd_per_unit");
    assert_eq!(rate, header.len() - 1, "draws come after the outcomes");
    let s = bundled("examples/prices-and-currencies.toml");
    let recs = records(&s, 4, 0..30);
    let mut multipliers = Vec::new();
    for (r, rec) in rows.iter().zip(&recs) {
        let usd: f64 = r[cost].parse().unwrap();
        assert_eq!(
            (usd * 100.0).round() as i64,
            rec.items[0].unit_cost,
            "run {}",
            &r[0]
        );
        let m: f64 = r[mult].parse().unwrap();
        assert!((1.0..=1.6).contains(&m), "{m}");
        multipliers.push(m);
        let x: f64 = r[rate].parse().unwrap();
        assert!(x > 0.5 && x < 2.0, "{x}");
    }
    multipliers.dedup();
    assert_eq!(multipliers.len(), 30, "drawn once per future, each its own");
}

#[test]
fn correlated_draws_are_the_copula_values_the_engine_used() {
    let file = "scenarios/examples/correlated-risks.toml";
    let (header, rows) = runs_csv(file, 25, 11);
    let s = bundled("examples/correlated-risks.toml");
    let sim = Simulator::new(&s);
    let mut w = Worker::new(&s);
    assert!(!s.correlations.draws.is_empty());
    for r in &rows {
        let run: u64 = r[0].parse().unwrap();
        let values = w.correlated_values(&sim, 11, run).to_vec();
        for (d, v) in s.correlations.draws.iter().zip(values) {
            let got: f64 = r[column(&header, &d.path)].parse().unwrap();
            assert_eq!(got, v, "run {run}, {}", d.path);
        }
    }
}

#[test]
fn sensitivity_swings_a_correlated_input() {
    // Fixing a correlated draw at its P10 or P90 drops its correlation (with a warning) instead
    // of refusing the variant.
    let dir = tempfile::tempdir().unwrap();
    porcupine()
        .args([
            "sensitivity",
            "scenarios/examples/correlated-risks.toml",
            "-q",
            "--runs",
            "60",
            "--out",
        ])
        .arg(dir.path().join("s"))
        .assert()
        .success();
    let csv = std::fs::read_to_string(dir.path().join("s/sensitivity.csv")).unwrap();
    assert!(csv.contains("factor.donor-mood.level"), "{csv}");
}

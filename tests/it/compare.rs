//! `porcupine compare`: scenarios on common random numbers, paired differences whose intervals
//! match a brute-force computation from per-future records bit for bit, are narrower than
//! independent ones, and are the same bytes for any thread count.

use crate::util::{porcupine, records, root, scenario};
use porcupine::analysis::{Interval, OutcomeLayout, PairedSums};
use porcupine::runner::{self, RunConfig};
use porcupine::stats::bands::StockBands;
use porcupine::stats::LogHistogram;
use std::sync::atomic::AtomicBool;

fn bench_text() -> String {
    std::fs::read_to_string(root().join("scenarios/bench-canonical.toml")).unwrap()
}

/// The benchmark with its largest donor halved.
fn halved_text() -> String {
    bench_text()
        .replacen("amount_usd = 120000000", "amount_usd = 60000000", 1)
        .replacen("name = \"bench-canonical\"", "name = \"halved\"", 1)
}

#[test]
fn intervals_match_a_brute_force_computation_bit_for_bit() {
    let a = scenario(&bench_text());
    let b = scenario(&halved_text());
    let both = [&a, &b];
    let (layout, missing) = OutcomeLayout::new(&both);
    assert!(missing.is_empty());
    let (runs, seed) = (300u64, 9u64);
    let paired = |threads| {
        let cfg = RunConfig {
            runs,
            seed,
            threads: Some(threads),
            samples: 0,
        };
        runner::run_paired(&both, &layout, &cfg, true, &|_| {}, &AtomicBool::new(false)).unwrap()
    };
    let run = paired(1);
    let (sums, bands) = (&run.sums, run.bands.as_ref().unwrap());
    let json = |b: &StockBands| serde_json::to_string(b).unwrap();
    for threads in [2, 3] {
        let other = paired(threads);
        assert_eq!(*sums, other.sums, "the sums depend on the thread count");
        let same = json(bands) == json(other.bands.as_ref().unwrap());
        assert!(same, "the stock bands depend on the thread count");
    }

    // Brute force: simulate each scenario on its own, then difference the futures by index.
    let ra = records(&a, seed, 0..runs);
    let rb = records(&b, seed, 0..runs);
    let (mut va, mut vb) = (Vec::new(), Vec::new());
    let mut d: Vec<Vec<i128>> = vec![Vec::new(); layout.len()];
    for (x, y) in ra.iter().zip(&rb) {
        layout.extract(0, &a, x, &mut va);
        layout.extract(1, &b, y, &mut vb);
        for j in 0..layout.len() {
            d[j].push(i128::from(vb[j]) - i128::from(va[j]));
        }
    }
    for (j, dj) in d.iter().enumerate() {
        let sum: i128 = dj.iter().sum();
        let sq: i128 = dj.iter().map(|v| v * v).sum();
        let brute = Interval::from_sums(sum, sq, runs);
        let got = sums.difference(1, j).paired;
        for (g, e) in [
            (got.mean, brute.mean),
            (got.low, brute.low),
            (got.high, brute.high),
        ] {
            assert_eq!(
                g.to_bits(),
                e.to_bits(),
                "outcome {j}: {got:?} vs {brute:?}"
            );
        }
    }
    // Each scenario's daily stock bands are the percentiles of its own futures, day by day.
    for (k, (s, recs)) in [(&a, &ra), (&b, &rb)].into_iter().enumerate() {
        for (j, i) in layout.item_indices(k).into_iter().enumerate() {
            let [p5, p50, p95] = bands.percentiles(k, j);
            for day in 0..s.days() {
                let mut h = LogHistogram::new();
                recs.iter()
                    .for_each(|r| h.add(r.stock_of(i, s.days())[day]));
                assert_eq!(
                    [p5[day], p50[day], p95[day]],
                    h.quantiles([0.05, 0.5, 0.95])
                );
            }
        }
    }
    // Halving a donor's money cuts committed money, and the interval says so.
    let money = layout.len() - 1;
    let c = sums.difference(1, money).paired;
    assert!(c.high < 0.0, "{c:?}");
}

#[test]
fn pairing_narrows_the_interval_on_the_same_futures() {
    let a = scenario(&bench_text());
    let b = scenario(&halved_text());
    let both = [&a, &b];
    let (layout, _) = OutcomeLayout::new(&both);
    let cfg = RunConfig {
        runs: 400,
        seed: 1,
        threads: Some(2),
        samples: 0,
    };
    let sums: PairedSums = runner::run_paired(
        &both,
        &layout,
        &cfg,
        false,
        &|_| {},
        &AtomicBool::new(false),
    )
    .unwrap()
    .sums;
    // End stock of every item: the shared randomness (demand, lags) cancels in the difference.
    let mut ratios = Vec::new();
    for (j, (_, label, o)) in layout.rows.iter().enumerate() {
        if o.key() == "end_stock" {
            let d = sums.difference(1, j);
            // An item the change does not touch has the same end stock in every pair of futures:
            // its paired interval has zero width (an infinite ratio).
            ratios.push((label.clone(), d.se_independent / d.paired.se));
        }
    }
    // Where money decides the end stock (interceptor, cruise), pairing makes the interval
    // several times narrower; for items whose end stock is mostly zero it cannot help much.
    for name in ["interceptor", "cruise"] {
        let r = ratios.iter().find(|(l, _)| l == name).unwrap().1;
        assert!(
            r > 2.0,
            "{name}: pairing narrows by only {r:.2}× ({ratios:?})"
        );
    }
}

#[test]
fn compare_writes_its_files_and_the_same_bytes_for_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let variant = dir.path().join("halved.toml");
    std::fs::write(&variant, halved_text()).unwrap();
    for t in ["1", "2"] {
        let out = dir.path().join(format!("t{t}"));
        let assert = porcupine()
            .args(["compare", "scenarios/bench-canonical.toml"])
            .arg(&variant)
            .args(["--runs", "120", "--seed", "5", "--threads", t, "--out"])
            .arg(&out)
            .assert()
            .success();
        let shown = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
        assert!(shown.contains("difference [95% interval]"), "{shown}");
        assert!(
            shown.contains("interceptor") && shown.contains("money committed"),
            "{shown}"
        );
        for f in ["compare.csv", "compare.json", "compare.md"] {
            assert!(out.join(f).is_file(), "{f}");
        }
    }
    // Every file, the stock band charts included.
    let names = std::fs::read_dir(dir.path().join("t1")).unwrap();
    let names: Vec<_> = names.map(|e| e.unwrap().file_name()).collect();
    assert!(names.iter().any(|n| n == "stock_compared_interceptor.png"));
    for f in names {
        let a = std::fs::read(dir.path().join("t1").join(&f)).unwrap();
        let b = std::fs::read(dir.path().join("t2").join(&f)).unwrap();
        assert!(a == b, "{f:?} differs between 1 and 2 threads");
    }
    let csv = std::fs::read_to_string(dir.path().join("t1/compare.csv")).unwrap();
    assert!(csv.starts_with("item,label,outcome,outcome_label,variant,base_mean,variant_mean,difference,ci95_low,ci95_high,se_paired,se_independent"), "{csv}");
    // 5 items × 6 outcomes + 2 money rows, one variant.
    assert_eq!(csv.lines().count(), 1 + 5 * 6 + 2);
}

#[test]
fn compare_needs_two_scenarios() {
    porcupine()
        .args(["compare", "scenarios/bench-canonical.toml"])
        .assert()
        .code(2);
}

#[test]
fn compare_draws_the_paired_differences() {
    let dir = tempfile::tempdir().unwrap();
    let variant = dir.path().join("halved.toml");
    std::fs::write(&variant, halved_text()).unwrap();
    let out = dir.path().join("c");
    porcupine()
        .args(["compare", "scenarios/bench-canonical.toml"])
        .arg(&variant)
        .args(["--runs", "60", "-q", "--out"])
        .arg(&out)
        .assert()
        .success();
    for kind in ["end_stock", "days_at_zero"] {
        let svg =
            std::fs::read_to_string(out.join(format!("difference_halved_{kind}.svg"))).unwrap();
        roxmltree::Document::parse(&svg).unwrap();
        assert!(
            svg.contains("interceptor") && svg.contains("seed 42"),
            "{kind}"
        );
        let png = std::fs::read(out.join(format!("difference_halved_{kind}.png"))).unwrap();
        assert_eq!(&png[1..4], b"PNG");
    }
}

#[test]
fn compare_applies_set_to_every_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("c");
    porcupine()
        .args([
            "compare",
            "scenarios/baseline.toml",
            "scenarios/funding-shortfall.toml",
            "--runs",
            "20",
            "--set",
            "item.pac3-mse.initial_stock=100000",
            "--set",
            "scenario.seed=7",
            "-q",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("compare.json")).unwrap()).unwrap();
    // 100,000 interceptors never run out, in the reference and in the variant alike.
    let row = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["item"] == "pac3-mse" && r["outcome"] == "p_zero_any_day")
        .unwrap_or_else(|| panic!("{json}"));
    assert_eq!(row["base_mean"], 0.0, "{row}");
    assert_eq!(row["variant_mean"], 0.0, "{row}");
    // The seed set for both is the experiment's seed, and the command to reproduce says so.
    assert_eq!(json["seed"], 7);
    let reproduce = json["reproduce"].as_str().unwrap();
    assert!(
        reproduce.contains("--set 'item.pac3-mse.initial_stock=100000' --set 'scenario.seed=7'"),
        "{reproduce}"
    );

    // An unknown key path is an error that names the option.
    porcupine()
        .args([
            "compare",
            "scenarios/baseline.toml",
            "scenarios/funding-shortfall.toml",
            "--runs",
            "20",
            "--set",
            "item.pac3.initial_stock=1",
            "--out",
        ])
        .arg(dir.path().join("bad"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--set"));
    assert!(!dir.path().join("bad").exists());
}

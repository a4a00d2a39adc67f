//! Every file in scenarios/ (and its examples/ folder) loads and validates, and every example
//! runs; the built-in baseline is the bundled file.

use crate::util::root;

#[test]
fn every_bundled_scenario_validates() {
    let mut n = 0;
    for dir in ["scenarios", "scenarios/examples"] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                if let Err(e) = porcupine::scenario::load(&path) {
                    panic!("{} does not validate:\n{e}", path.display());
                }
                n += 1;
            }
        }
    }
    assert!(
        n >= 2,
        "expected at least the baseline and the benchmark scenario"
    );
}

#[test]
fn builtin_baseline_is_the_bundled_file() {
    let file = std::fs::read_to_string(root().join("scenarios/baseline.toml")).unwrap();
    assert_eq!(porcupine::cli::BUILTIN_BASELINE, file);
}

#[test]
fn bench_canonical_agrees_with_the_yardstick() {
    // Mean end stock per item of the yardstick (a hand-written day-stepped loop of the same
    // model), measured over 20,000 runs. Tolerance: 4 standard errors of the difference.
    let yard = [
        (429.9, 46.8),
        (4611.1, 116.3),
        (534.9, 19.8),
        (307.9, 147.7),
        (80.9, 297.9),
    ];
    let s = crate::util::bundled("bench-canonical.toml");
    let runs = 4000;
    let acc = crate::util::experiment(&s, runs, 11, 2);
    for (i, (mean, sd)) in yard.iter().enumerate() {
        let got = acc.items[i].end_stock.moments.mean();
        let se = sd * (1.0 / runs as f64 + 1.0 / 20_000.0).sqrt();
        assert!(
            (got - mean).abs() < 4.0 * se,
            "{}: {got:.1} vs yardstick {mean} (4 SE = {:.1})",
            s.items[i].name,
            4.0 * se
        );
    }
}

#[test]
fn every_example_runs_and_conserves() {
    for entry in std::fs::read_dir(root().join("scenarios/examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let s = porcupine::scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
        for rec in crate::util::records(&s, 1, 0..20) {
            let bad = rec.conservation_violations(&s);
            assert!(bad.is_empty(), "{}: {bad:?}", path.display());
        }
    }
}

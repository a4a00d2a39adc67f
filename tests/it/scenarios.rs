//! Every file in scenarios/ (and its examples/ folder) resolves its `extends` chain, validates,
//! runs and conserves; each bundled variant moves its outcome the way its story says; the
//! built-in baseline is the bundled file.

use crate::util::root;
use porcupine::engine::RunRecord;
use porcupine::scenario::{self, Scenario};
use std::path::{Path, PathBuf};

/// The scenario files of a folder of the repository, sorted.
fn toml_files(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    v.sort();
    v
}

/// Loads a scenario file as the command line does: `extends` resolved, then validated.
fn resolve(path: &Path) -> Scenario {
    match scenario::resolve(path, &[]).and_then(|r| r.check()) {
        Ok(l) => l.scenario,
        Err(e) => panic!("{} does not validate:\n{e}", path.display()),
    }
}

#[test]
fn every_bundled_scenario_validates() {
    let mut n = 0;
    for dir in ["scenarios", "scenarios/examples"] {
        for path in toml_files(dir) {
            resolve(&path);
            n += 1;
        }
    }
    assert!(
        n >= 9,
        "expected the baseline, its variants and the benchmark scenario"
    );
}

/// The bundled variants: each extends the baseline and says so in its title.
const VARIANTS: [&str; 7] = [
    "funding-shortfall",
    "germany-norway-10b",
    "accelerated-industry",
    "us-sales-pause",
    "eu-loan-90b",
    "threat-surge",
    "sapsan",
];

#[test]
fn every_variant_extends_the_baseline_and_has_its_own_name() {
    for v in VARIANTS {
        let path = root().join("scenarios").join(format!("{v}.toml"));
        let r = scenario::resolve(&path, &[]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.chain.len(), 2, "{v}: extends the baseline directly");
        assert!(r.chain[1].ends_with("scenarios/baseline.toml"), "{v}");
        let s = r.check().unwrap_or_else(|e| panic!("{e}")).scenario;
        assert_eq!(s.name, v, "the scenario name is the file name");
        assert!(
            !s.title.to_lowercase().contains("baseline"),
            "{v}: the title says what the variant is, not \"{}\"",
            s.title
        );
    }
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
fn every_bundled_scenario_runs_and_conserves() {
    for dir in ["scenarios", "scenarios/examples"] {
        for path in toml_files(dir) {
            let s = resolve(&path);
            for rec in crate::util::records(&s, 1, 0..10) {
                let bad = rec.conservation_violations(&s);
                assert!(bad.is_empty(), "{}: {bad:?}", path.display());
            }
        }
    }
}

/// Futures of a bundled scenario, on the same seed and run indices as every other.
fn futures(name: &str) -> (Scenario, Vec<RunRecord>) {
    let s = resolve(&root().join("scenarios").join(format!("{name}.toml")));
    let recs = crate::util::records(&s, 42, 0..120);
    (s, recs)
}

/// The mean over futures of one item's ledger value.
fn mean(
    (s, recs): &(Scenario, Vec<RunRecord>),
    item: &str,
    f: fn(&porcupine::engine::ItemLedger) -> u64,
) -> f64 {
    let i = s
        .items
        .iter()
        .position(|it| it.name == item)
        .unwrap_or_else(|| panic!("{}: no item {item}", s.name));
    recs.iter().map(|r| f(&r.items[i]) as f64).sum::<f64>() / recs.len() as f64
}

fn delivered(l: &porcupine::engine::ItemLedger) -> u64 {
    l.delivered
}
fn ordered(l: &porcupine::engine::ItemLedger) -> u64 {
    l.ordered
}
fn unmet(l: &porcupine::engine::ItemLedger) -> u64 {
    l.unmet
}
fn days_short(l: &porcupine::engine::ItemLedger) -> u64 {
    u64::from(l.days_short)
}
fn end_stock(l: &porcupine::engine::ItemLedger) -> u64 {
    l.end_stock
}

/// `a` is larger than `b` by at least `by` (a relative margin), with a readable message.
#[track_caller]
fn more(what: &str, a: f64, b: f64, by: f64) {
    assert!(
        a > b * (1.0 + by),
        "{what}: {a:.1} is not above {b:.1} by {by}"
    );
}

#[test]
fn each_variant_moves_its_outcome_the_way_its_story_says() {
    let base = futures("baseline");
    let pac3 = |f| mean(&base, "pac3-mse", f);
    let fp1 = |f| mean(&base, "fp1", f);

    // Less PURL money: fewer interceptors and more days without them.
    let v = futures("funding-shortfall");
    more(
        "baseline PAC-3 delivered vs shortfall",
        pac3(delivered),
        mean(&v, "pac3-mse", delivered),
        0.1,
    );
    more(
        "shortfall days short",
        mean(&v, "pac3-mse", days_short),
        pac3(days_short),
        0.1,
    );

    // Germany and Norway $10B each: many more drones; the PAC-3 money mostly joins the queue
    // (the shared line, not money, limits deliveries above the baseline's funding).
    let v = futures("germany-norway-10b");
    more("10b FP-1", mean(&v, "fp1", delivered), fp1(delivered), 0.1);
    more(
        "10b PAC-3 ordered",
        mean(&v, "pac3-mse", ordered),
        pac3(ordered),
        0.1,
    );
    assert!(mean(&v, "pac3-mse", delivered) >= pac3(delivered));

    // Industry delivers: more of every line's output.
    let v = futures("accelerated-industry");
    more(
        "accelerated PAC-3",
        mean(&v, "pac3-mse", delivered),
        pac3(delivered),
        0.05,
    );
    more(
        "accelerated Flamingo",
        mean(&v, "flamingo", delivered),
        mean(&base, "flamingo", delivered),
        0.3,
    );

    // A U.S. pause: fewer interceptors delivered, more days without them.
    let v = futures("us-sales-pause");
    more(
        "pause days short",
        mean(&v, "pac3-mse", days_short),
        pac3(days_short),
        0.0,
    );
    more(
        "baseline PAC-3 delivered vs pause",
        pac3(delivered),
        mean(&v, "pac3-mse", delivered),
        0.0,
    );

    // The EU loan: many more drones; its PURL money mostly joins the PAC-3 queue.
    let v = futures("eu-loan-90b");
    more("loan FP-1", mean(&v, "fp1", delivered), fp1(delivered), 0.2);
    more(
        "loan PAC-3 ordered",
        mean(&v, "pac3-mse", ordered),
        pac3(ordered),
        0.2,
    );
    assert!(mean(&v, "pac3-mse", delivered) >= pac3(delivered));

    // More launches: more ballistic missiles left unengaged.
    let v = futures("threat-surge");
    more("surge unmet", mean(&v, "pac3-mse", unmet), pac3(unmet), 0.2);

    // Sapsan: a stock of ballistic missiles, paid for with fewer FP-1 drones.
    let v = futures("sapsan");
    assert!(mean(&v, "sapsan", end_stock) > 10.0);
    more(
        "FP-1 without Sapsan",
        fp1(delivered),
        mean(&v, "fp1", delivered),
        0.02,
    );
}

//! Shared helpers: load scenarios from text, run experiments, find bundled files.

use porcupine::engine::{RunRecord, Simulator, Worker};
use porcupine::report;
use porcupine::runner::{self, RunConfig};
use porcupine::scenario::{self, Scenario};
use porcupine::stats::Accumulator;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Parses and validates a scenario, panicking with the rendered error.
pub fn scenario(toml: &str) -> Scenario {
    match scenario::from_str(toml, Path::new("test.toml")) {
        Ok(s) => s,
        Err(e) => panic!("scenario did not validate:\n{e}"),
    }
}

/// Loads a bundled scenario by file name.
pub fn bundled(name: &str) -> Scenario {
    let path = root().join("scenarios").join(name);
    scenario::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// Runs an experiment.
pub fn experiment(s: &Scenario, runs: u64, seed: u64, threads: usize) -> Accumulator {
    let cfg = RunConfig {
        runs,
        seed,
        threads: Some(threads),
        samples: 5,
    };
    runner::run(s, &cfg, &|_| {}, &AtomicBool::new(false)).expect("run")
}

/// Runs an experiment and prepares its results, with the metadata the reproducibility tests
/// share (no file, no version: only the simulated figures can differ).
pub fn prepared(s: &Scenario, runs: u64, seed: u64, threads: usize) -> report::Results {
    let acc = experiment(s, runs, seed, threads);
    let meta = report::Metadata {
        version: "test".into(),
        seed,
        runs,
        scenario_file: "x".into(),
        scenario_hash: "0".into(),
        percentile_method: report::percentile_method(),
        reproduce: String::new(),
    };
    report::prepare(s, &acc, meta)
}

/// Simulates single runs, returning their records.
pub fn records(s: &Scenario, seed: u64, runs: std::ops::Range<u64>) -> Vec<RunRecord> {
    let sim = Simulator::new(s);
    let mut w = Worker::new(s);
    runs.map(|r| {
        let mut rec = RunRecord::new(s);
        w.simulate(&sim, seed, r, &mut rec);
        rec
    })
    .collect()
}

/// The `porcupine` binary, run from the repository root.
pub fn porcupine() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("porcupine").unwrap();
    c.current_dir(root());
    c
}

/// The header and rows of the `runs.csv` that `porcupine run` writes for the scenario `file`.
pub fn runs_csv(
    file: impl AsRef<Path>,
    runs: u64,
    seed: u64,
) -> (Vec<String>, Vec<csv::StringRecord>) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    porcupine()
        .arg("run")
        .arg(file.as_ref())
        .args(["-q", "--runs", &runs.to_string()])
        .args(["--seed", &seed.to_string(), "--out"])
        .arg(&out)
        .assert()
        .success();
    let mut rd = csv::Reader::from_path(out.join("runs.csv")).unwrap();
    let header = rd.headers().unwrap().iter().map(str::to_owned).collect();
    (header, rd.records().map(Result::unwrap).collect())
}

/// [`runs_csv`] of a scenario given as text.
pub fn runs_csv_of(toml: &str, runs: u64, seed: u64) -> (Vec<String>, Vec<csv::StringRecord>) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("scenario.toml");
    std::fs::write(&file, toml).unwrap();
    runs_csv(&file, runs, seed)
}

/// The index of the column `name` of a CSV header.
pub fn column(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

/// The names in a folder, sorted.
pub fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

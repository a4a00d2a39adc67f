//! The command line as a user meets it: run, validate, help, refusing to overwrite results.

use crate::util::{porcupine, root};
use predicates::prelude::*;

#[test]
fn run_writes_every_output_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bench");
    porcupine()
        .args([
            "run",
            "scenarios/bench-canonical.toml",
            "--runs",
            "40",
            "--seed",
            "3",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("wrote").and(predicate::str::contains("interceptor")));
    for f in [
        "daily.csv",
        "funding.csv",
        "trajectories.csv",
        "summary.json",
        "report.md",
        "scenario.toml",
        "funding.png",
        "funding.svg",
        "stock_interceptor.png",
        "stock_interceptor.svg",
        "stock_artillery.png",
    ] {
        assert!(out.join(f).is_file(), "missing {f}");
    }
    let before = std::fs::read(out.join("summary.json")).unwrap();

    // A second run must not replace the results without --force.
    porcupine()
        .args([
            "run",
            "scenarios/bench-canonical.toml",
            "--runs",
            "40",
            "--seed",
            "4",
            "--out",
        ])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("already holds results")
                .and(predicate::str::contains("--force")),
        );
    assert_eq!(std::fs::read(out.join("summary.json")).unwrap(), before);

    porcupine()
        .args([
            "run",
            "scenarios/bench-canonical.toml",
            "--runs",
            "40",
            "--seed",
            "4",
            "--force",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::is_empty());
    assert_ne!(std::fs::read(out.join("summary.json")).unwrap(), before);
    // No staging folders are left behind.
    let mut leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    leftovers.sort();
    assert_eq!(leftovers, [".bench.lock", "bench"]);
}

#[test]
fn same_seed_same_bytes_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    for (k, threads) in ["1", "2"].iter().enumerate() {
        porcupine()
            .args([
                "run",
                "scenarios/baseline.toml",
                "--runs",
                "30",
                "--seed",
                "5",
                "-q",
                "--threads",
                threads,
                "--out",
            ])
            .arg(dir.path().join(k.to_string()))
            .assert()
            .success();
    }
    for f in [
        "daily.csv",
        "summary.json",
        "funding.csv",
        "trajectories.csv",
        "report.md",
        "stock_pac3-mse.svg",
        "funding.svg",
    ] {
        let a = std::fs::read(dir.path().join("0").join(f)).unwrap();
        let b = std::fs::read(dir.path().join("1").join(f)).unwrap();
        assert!(a == b, "{f} differs");
    }
}

#[test]
fn validate_reports_problems_with_location_and_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    let text = std::fs::read_to_string(root().join("scenarios/bench-canonical.toml"))
        .unwrap()
        .replace("unit_cost_usd = 4000000", "unit_cost_usd = -4");
    std::fs::write(&bad, text).unwrap();
    porcupine()
        .arg("validate")
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("item.interceptor.unit_cost_usd")
                .and(predicate::str::contains("bad.toml:")),
        );
    porcupine()
        .args(["validate", "scenarios/baseline.toml"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("ok:"));
}

#[test]
fn help_shows_examples() {
    porcupine()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Examples:"));
    porcupine()
        .args(["run", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--runs"));
}

#[test]
fn bad_arguments_are_refused_clearly() {
    porcupine()
        .args(["run", "--runs", "0"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--runs"));
    porcupine()
        .args(["run", "no/such/file.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no such file"));
}

#[test]
fn precision_stops_at_a_checkpoint_with_the_bytes_of_a_plain_run() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("adaptive");
    porcupine()
        .args([
            "run",
            "scenarios/bench-canonical.toml",
            "--precision",
            "0.02",
            "--max-runs",
            "4000",
            "-q",
            "--threads",
            "2",
            "--out",
        ])
        .arg(&a)
        .assert()
        .success();
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(a.join("summary.json")).unwrap()).unwrap();
    let runs = summary["metadata"]["runs"].as_u64().unwrap();
    assert!(porcupine::runner::is_checkpoint(runs), "stopped at {runs}");
    let b = dir.path().join("plain");
    porcupine()
        .args([
            "run",
            "scenarios/bench-canonical.toml",
            "-q",
            "--threads",
            "1",
            "--runs",
        ])
        .arg(runs.to_string())
        .arg("--out")
        .arg(&b)
        .assert()
        .success();
    for e in std::fs::read_dir(&b).unwrap() {
        let name = e.unwrap().file_name();
        let x = std::fs::read(a.join(&name)).unwrap();
        let y = std::fs::read(b.join(&name)).unwrap();
        assert!(x == y, "{name:?} differs from a plain run of {runs}");
    }

    // Out of futures before the precision: said so, and the results of --max-runs are written.
    let c = dir.path().join("capped");
    porcupine()
        .args([
            "run",
            "scenarios/bench-canonical.toml",
            "--precision",
            "0.0001",
            "--max-runs",
            "1000",
            "-q",
            "--out",
        ])
        .arg(&c)
        .assert()
        .success()
        .stderr(predicate::str::contains("stopped at --max-runs 1,000"));
    porcupine()
        .args([
            "run",
            "scenarios/bench-canonical.toml",
            "--precision",
            "2",
            "--out",
        ])
        .arg(dir.path().join("bad"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("between 0 and 0.5"));
}

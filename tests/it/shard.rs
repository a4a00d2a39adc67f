//! Sharded experiments: `run --shard K/N` on any split, then `merge`, writes the same bytes as
//! one run, with the scenario file gone; merge refuses parts that do not belong together.

use crate::util::{entries, porcupine, root};
use predicates::prelude::*;
use std::path::{Path, PathBuf};

/// Runs the shards of an experiment of `runs` futures into `dir`, returning their files.
fn shards(scenario: &Path, runs: u64, n: u64, dir: &Path, extra: &[&str]) -> Vec<PathBuf> {
    (1..=n)
        .map(|k| {
            let file = dir.join(format!("shard-{k}-of-{n}.json"));
            porcupine()
                .arg("run")
                .arg(scenario)
                .args(["--runs", &runs.to_string(), "--seed", "5", "-j", "2", "-q"])
                .args(["--shard", &format!("{k}/{n}"), "--out"])
                .arg(&file)
                .args(extra)
                .assert()
                .success();
            file
        })
        .collect()
}

/// Asserts that two results folders hold the same files with the same bytes.
fn assert_same_files(a: &Path, b: &Path, what: &str) {
    let names = entries(a);
    assert_eq!(names, entries(b), "{what}: different files");
    assert!(names.len() > 20, "{what}: too few files: {names:?}");
    for n in &names {
        let (x, y) = (
            std::fs::read(a.join(n)).unwrap(),
            std::fs::read(b.join(n)).unwrap(),
        );
        assert!(x == y, "{what}: {n} differs");
    }
}

#[test]
fn merged_shards_are_byte_identical_to_one_run() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = tmp.path().join("mine.toml");
    std::fs::copy(root().join("scenarios/baseline.toml"), &scenario).unwrap();
    // (runs, shard counts, extra options): 1, 2, 3 and 7 shards of 40 runs; 8 shards of 5 runs
    // (three empty), without runs.csv.
    let cases: [(u64, &[u64], &[&str]); 2] =
        [(40, &[1, 2, 3, 7], &[]), (5, &[8], &["--no-runs-csv"])];
    let mut planned = Vec::new();
    for (runs, ns, extra) in cases {
        let single = tmp.path().join(format!("single-{runs}"));
        porcupine()
            .arg("run")
            .arg(&scenario)
            .args([
                "--runs",
                &runs.to_string(),
                "--seed",
                "5",
                "--dpi",
                "38",
                "-q",
                "--out",
            ])
            .arg(&single)
            .args(extra)
            .assert()
            .success();
        for &n in ns {
            let dir = tmp.path().join(format!("parts-{runs}-{n}"));
            let mut files = shards(&scenario, runs, n, &dir, extra);
            files.reverse(); // merge takes them in any order
            planned.push((single.clone(), n, files));
        }
    }
    // Merging needs neither the scenario file nor the engine.
    std::fs::remove_file(&scenario).unwrap();
    for (single, n, files) in planned {
        let merged = tmp.path().join(format!("merged-{n}"));
        porcupine()
            .arg("merge")
            .args(&files)
            .args(["--dpi", "38", "-q", "--out"])
            .arg(&merged)
            .assert()
            .success();
        assert_same_files(&single, &merged, &format!("{n} shards"));
    }
}

#[test]
fn merge_refuses_parts_that_do_not_belong_together() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = root().join("scenarios/baseline.toml");
    let three = shards(&scenario, 12, 3, &tmp.path().join("a"), &[]);
    let merge = |files: &[&PathBuf]| {
        let mut c = porcupine();
        c.arg("merge")
            .args(files)
            .arg("--out")
            .arg(tmp.path().join("out"));
        c.assert()
    };
    merge(&[&three[0], &three[2]])
        .code(2)
        .stderr(predicate::str::contains("1 of 3 shards are missing: 2/3"));
    merge(&[&three[0], &three[1], &three[1]])
        .code(2)
        .stderr(predicate::str::contains("shard 2/3 is given twice"));
    // Another seed: another experiment.
    let other = tmp.path().join("other.json");
    porcupine()
        .arg("run")
        .arg(&scenario)
        .args([
            "--runs", "12", "--seed", "6", "-q", "--shard", "2/3", "--out",
        ])
        .arg(&other)
        .assert()
        .success();
    merge(&[&three[0], &other, &three[2]])
        .code(2)
        .stderr(predicate::str::contains(
            "different experiments (their seed differs)",
        ));
    // Not a partial, and an altered one.
    merge(&[&scenario])
        .code(2)
        .stderr(predicate::str::contains("is not a partial result"));
    let text = std::fs::read_to_string(&three[1]).unwrap();
    let altered = tmp.path().join("altered.json");
    std::fs::write(&altered, text.replacen("[[item]]", "[[item]] ", 1)).unwrap();
    merge(&[&three[0], &altered, &three[2]])
        .code(2)
        .stderr(predicate::str::contains("does not match its hash"));
    assert!(!tmp.path().join("out").exists());
    // And the whole set merges.
    merge(&[&three[2], &three[0], &three[1]]).success();
}

#[test]
fn shard_options_it_cannot_honour_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    porcupine()
        .args([
            "run",
            "scenarios/baseline.toml",
            "--precision",
            "0.01",
            "--shard",
            "1/2",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--shard cannot be used with --precision",
        ));
    for bad in ["0/3", "4/3", "3", "a/b"] {
        porcupine()
            .args(["run", "scenarios/baseline.toml", "--shard", bad])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("is not a shard"));
    }
    let file = tmp.path().join("s.json");
    let shard = || {
        let mut c = porcupine();
        c.args([
            "run",
            "scenarios/baseline.toml",
            "-n",
            "4",
            "-q",
            "--shard",
            "1/2",
            "--out",
        ])
        .arg(&file);
        c
    };
    shard().assert().success();
    shard().assert().code(2).stderr(
        predicate::str::contains("already exists").and(predicate::str::contains("--force")),
    );
    shard().arg("--force").assert().success();
}

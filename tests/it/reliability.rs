//! Nothing a user does loses work: Ctrl-C leaves earlier results intact and no partial files;
//! unwritable destinations give a clear error; oversized scenarios are refused before running;
//! the same seed gives the same bytes in every output file for 1, 2 and 4 threads.

use crate::util::{entries, porcupine, root};
use predicates::prelude::*;
use std::time::{Duration, Instant};

#[test]
fn ctrl_c_leaves_earlier_results_intact_and_no_partial_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("res");
    porcupine()
        .args([
            "run",
            "scenarios/bench-canonical.toml",
            "--runs",
            "20",
            "-q",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let before: Vec<(String, Vec<u8>)> = entries(&out)
        .into_iter()
        .map(|f| (f.clone(), std::fs::read(out.join(&f)).unwrap()))
        .collect();

    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("porcupine"))
        .current_dir(root())
        .args([
            "run",
            "scenarios/bench-canonical.toml",
            "--runs",
            "100000000",
            "--force",
            "-q",
            "--out",
        ])
        .arg(&out)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "porcupine did not stop after Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
    assert_eq!(status.code(), Some(130), "stderr: {err}");
    assert!(err.contains("interrupted"), "stderr: {err}");
    // The earlier results are byte-for-byte what they were, and nothing else was left behind.
    for (f, bytes) in &before {
        assert_eq!(&std::fs::read(out.join(f)).unwrap(), bytes, "{f} changed");
    }
    assert_eq!(
        entries(&out),
        before.iter().map(|b| b.0.clone()).collect::<Vec<_>>()
    );
    assert_eq!(entries(dir.path()), [".res.lock", "res"]);
}

#[test]
fn unwritable_destinations_give_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    porcupine()
        .args([
            "run",
            "scenarios/bench-canonical.toml",
            "--runs",
            "5",
            "-q",
            "--out",
        ])
        .arg(&file)
        .assert()
        .failure()
        .stderr(predicate::str::contains("is not a folder").and(predicate::str::contains("--out")));
    porcupine()
        .args([
            "run",
            "scenarios/bench-canonical.toml",
            "--runs",
            "5",
            "-q",
            "--out",
        ])
        .arg(file.join("sub"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("could not").and(predicate::str::contains("--out DIR")));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
    assert_eq!(entries(dir.path()), vec!["a-file".to_owned()]);
}

#[test]
fn scenarios_too_big_for_memory_are_refused_before_running() {
    // 1,000 items over 100 years: hundreds of GiB of statistics.
    let mut toml =
        String::from("[scenario]\nname = \"huge\"\nstart = 2025-01-01\nhorizon_days = 36525\n");
    for i in 0..1000 {
        toml.push_str(&format!(
            "[[item]]\nname = \"i{i}\"\nunit_cost_usd = 1\ninitial_stock = 1\n"
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.toml");
    std::fs::write(&path, toml).unwrap();
    porcupine()
        .arg("run")
        .arg(&path)
        .args(["--runs", "10", "-q", "--out"])
        .arg(dir.path().join("out"))
        .timeout(Duration::from_secs(60))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("needs up to").and(predicate::str::contains("GiB")));
    assert!(!dir.path().join("out").exists());
}

#[test]
fn same_seed_same_bytes_in_every_file_for_1_2_and_4_threads() {
    let dir = tempfile::tempdir().unwrap();
    for t in ["1", "2", "4"] {
        porcupine()
            .args([
                "run",
                "scenarios/baseline.toml",
                "--runs",
                "64",
                "--seed",
                "11",
                "-q",
                "--threads",
                t,
                "--out",
            ])
            .arg(dir.path().join(t))
            .assert()
            .success();
    }
    let files = entries(&dir.path().join("1"));
    assert!(files.len() >= 16, "{files:?}");
    for f in &files {
        let a = std::fs::read(dir.path().join("1").join(f)).unwrap();
        for t in ["2", "4"] {
            let b = std::fs::read(dir.path().join(t).join(f)).unwrap();
            assert!(a == b, "{f} differs between 1 and {t} threads");
        }
    }
}

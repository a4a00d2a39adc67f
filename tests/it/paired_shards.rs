//! `compare --shard K/N` and `sweep --shard K/N`: any split, merged, writes the same bytes as one
//! `compare` or `sweep`, with the scenario files gone; merge refuses parts that do not belong
//! together.

use crate::util::{entries, porcupine};
use predicates::prelude::*;
use std::path::{Path, PathBuf};

const BASE: &str = r#"[scenario]
name = "base"
start = 2025-01-01
horizon_days = 90

[[item]]
name = "shell"
unit_cost_usd = 1000
initial_stock = 200
safe_stock = 50

[[funding]]
name = "donor"
pays_into = "buy"
payment_probability = 0.8
[[funding.recurring]]
every_days = 10
from = 2025-01-01
to = 2025-03-01
amount_usd = 20_000

[[channel]]
name = "buy"
order_every_days = 7
[[channel.buy]]
item = "shell"
share = 1.0

[[line]]
name = "factory"
item = "shell"
capacity = [{ date = 2025-01-01, per_day = 3 }]
delivery_lag_days = { dist = "uniform", min = 1, max = 9 }

[[consumption]]
item = "shell"
daily = { dist = "poisson", mean = 4 }
"#;

const VARIANT: &str = r#"extends = "base.toml"

[scenario]
name = "more"
title = "More money"

[[funding]]
name = "donor"
payment_probability = 1.0
"#;

/// Runs `porcupine <args> --shard K/N --out <dir>/shard-K-of-N.json` for K = 1..=N.
fn shards(args: &[&str], n: u64, dir: &Path) -> Vec<PathBuf> {
    (1..=n)
        .map(|k| {
            let file = dir.join(format!("shard-{k}-of-{n}.json"));
            porcupine()
                .args(args)
                .args(["--shard", &format!("{k}/{n}"), "-q", "--out"])
                .arg(&file)
                .assert()
                .success();
            file
        })
        .collect()
}

fn merge(files: &[PathBuf], out: &Path) -> assert_cmd::assert::Assert {
    porcupine()
        .arg("merge")
        .args(files)
        .arg("-q")
        .arg("--out")
        .arg(out)
        .assert()
}

fn assert_same_files(a: &Path, b: &Path, what: &str) {
    let names = entries(a);
    assert_eq!(names, entries(b), "{what}: different files");
    for n in &names {
        let (x, y) = (
            std::fs::read(a.join(n)).unwrap(),
            std::fs::read(b.join(n)).unwrap(),
        );
        assert!(x == y, "{what}: {n} differs");
    }
}

fn files(dir: &Path) -> (String, String) {
    std::fs::write(dir.join("base.toml"), BASE).unwrap();
    std::fs::write(dir.join("more.toml"), VARIANT).unwrap();
    (
        dir.join("base.toml").display().to_string(),
        dir.join("more.toml").display().to_string(),
    )
}

#[test]
fn merged_compare_and_sweep_shards_are_byte_identical_to_one_run() {
    let tmp = tempfile::tempdir().unwrap();
    let (base, more) = files(tmp.path());
    let compare: Vec<&str> = vec!["compare", &base, &more, "--runs", "20", "--seed", "3"];
    let sweep: Vec<&str> = vec![
        "sweep",
        &base,
        "--vary",
        "funding.donor.payment_probability=0.4,0.7,1",
        "--runs",
        "20",
        "--seed",
        "3",
    ];
    let mut planned = Vec::new();
    for (what, args) in [("compare", &compare), ("sweep", &sweep)] {
        let single = tmp.path().join(format!("single-{what}"));
        porcupine()
            .args(args.iter())
            .args(["-q", "--out"])
            .arg(&single)
            .assert()
            .success();
        assert!(entries(&single).len() >= 2, "{:?}", entries(&single));
        if what == "compare" {
            let bands = entries(&single)
                .iter()
                .any(|n| n.starts_with("stock_compared_"));
            assert!(bands, "{:?}", entries(&single));
        }
        // 1, 2 and 3 shards, and 25 shards of 20 runs (five empty).
        for n in [1, 2, 3, 25] {
            let dir = tmp.path().join(format!("parts-{what}-{n}"));
            let mut parts = shards(args, n, &dir);
            parts.reverse(); // merge takes them in any order
            planned.push((what, single.clone(), n, parts));
        }
    }
    // Merging needs neither the scenario files nor the engine.
    std::fs::remove_file(tmp.path().join("base.toml")).unwrap();
    std::fs::remove_file(tmp.path().join("more.toml")).unwrap();
    for (what, single, n, parts) in planned {
        let merged = tmp.path().join(format!("merged-{what}-{n}"));
        merge(&parts, &merged).success();
        assert_same_files(&single, &merged, &format!("{what}, {n} shards"));
    }
}

#[test]
fn merge_refuses_paired_parts_that_do_not_belong_together() {
    let tmp = tempfile::tempdir().unwrap();
    let (base, more) = files(tmp.path());
    let a = shards(
        &["compare", &base, &more, "--runs", "10"],
        2,
        &tmp.path().join("a"),
    );
    let b = shards(
        &["compare", &base, &more, "--runs", "10", "--seed", "9"],
        2,
        &tmp.path().join("b"),
    );
    let s = shards(
        &[
            "sweep",
            &base,
            "--vary",
            "funding.donor.payment_probability=0.5,1",
            "--runs",
            "10",
        ],
        2,
        &tmp.path().join("s"),
    );
    let out = tmp.path().join("out");
    merge(&[a[0].clone()], &out)
        .failure()
        .stderr(predicate::str::contains("1 of 2 shards are missing: 2/2"));
    merge(&[a[0].clone(), b[1].clone()], &out)
        .failure()
        .stderr(predicate::str::contains(
            "different experiments (their seed differs)",
        ));
    merge(&[a[0].clone(), s[1].clone()], &out)
        .failure()
        .stderr(predicate::str::contains("different experiments"));
    merge(&[a[0].clone(), a[0].clone()], &out)
        .failure()
        .stderr(predicate::str::contains("given twice"));
    // A partial of `run` does not mix with a partial of `compare`.
    let r = tmp.path().join("run-1-of-2.json");
    porcupine()
        .args([
            "run", &base, "--runs", "10", "--shard", "1/2", "-q", "--out",
        ])
        .arg(&r)
        .assert()
        .success();
    merge(&[a[0].clone(), r.clone()], &out)
        .failure()
        .stderr(predicate::str::contains(
            "not a partial result of `compare` or `sweep`",
        ));
    merge(&[r, a[0].clone()], &out)
        .failure()
        .stderr(predicate::str::contains(
            "is a partial result of `compare` or `sweep`",
        ));
    // An altered file is refused.
    let text = std::fs::read_to_string(&a[1]).unwrap();
    std::fs::write(&a[1], text.replace("\"first_run\":5", "\"first_run\":4")).unwrap();
    merge(&a, &out)
        .failure()
        .stderr(predicate::str::contains("should hold runs 5..10"));
    assert!(!out.exists(), "nothing is written when merge refuses");
}

//! The exact text of the small output files — `summary.json`, `report.md` and the head of
//! `daily.csv` — of a small bundled example run with a fixed seed, pinned by `insta` snapshots.
//! The files are byte-identical whatever the thread count, and hold nothing of the machine: the
//! scenario path is the relative one given, and the program version and the file's hash (which
//! line endings of a checkout could change) are redacted before the comparison.

use crate::util::porcupine;

const SCENARIO: &str = "scenarios/examples/fire-what-is-available.toml";

/// The three texts of one run with `threads` worker threads.
fn run(threads: &str) -> [String; 3] {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results");
    porcupine()
        .args([
            "run",
            SCENARIO,
            "--runs",
            "30",
            "--seed",
            "11",
            "--threads",
            threads,
            "--dpi",
            "38",
            "--no-runs-csv",
            "-q",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let read = |f: &str| std::fs::read_to_string(out.join(f)).unwrap();
    let daily = read("daily.csv");
    let head: String = daily.lines().take(15).map(|l| format!("{l}\n")).collect();
    let texts = [read("summary.json"), read("report.md"), head];
    let place = dir.path().to_string_lossy();
    for t in &texts {
        assert!(!t.contains(&*place), "a path of this machine in:\n{t}");
    }
    texts
}

#[test]
fn small_output_files_read_exactly_and_do_not_depend_on_threads() {
    let one = run("1");
    let two = run("2");
    for (name, (a, b)) in ["summary.json", "report.md", "daily.csv"]
        .iter()
        .zip(one.iter().zip(&two))
    {
        assert!(a == b, "{name} differs between 1 and 2 threads");
    }
    let [summary, report, daily_head] = one;
    let meta: serde_json::Value = serde_json::from_str(&summary).unwrap();
    let hash = meta["metadata"]["scenario_hash"]
        .as_str()
        .unwrap()
        .to_owned();
    let version = env!("CARGO_PKG_VERSION");
    let redact = |t: &str| {
        t.replace(&hash, "[hash]")
            .replace(
                &format!("\"version\": \"{version}\""),
                "\"version\": \"[version]\"",
            )
            .replace(
                &format!("steel-porcupine {version}"),
                "steel-porcupine [version]",
            )
    };
    insta::assert_snapshot!("summary_json", redact(&summary));
    insta::assert_snapshot!("report_md", redact(&report));
    insta::assert_snapshot!("daily_csv_head", daily_head);
}

//! docs/tutorial.md stays true: every command in its `sh` blocks runs, in order, with the built
//! `porcupine` on the `PATH`, in a copy of the repository's scenarios, and succeeds. Only the
//! install step is skipped (the built binary stands in for it), and every `--runs N` runs with
//! 40 futures, as the page says.

use crate::util::root;
use std::path::Path;

/// Commands the page may show that the test does not run: the install step, which the built
/// binary stands in for.
const SETUP: [&str; 1] = ["cargo install --path ."];

/// Programs a command line of the page may start with.
const PROGRAMS: [&str; 5] = ["porcupine", "ls", "head", "grep", "cat"];

/// Futures per command in the test (the page says so).
const RUNS: &str = "40";

/// The lines of the fenced `sh` blocks of a markdown text, in order, without blank lines and
/// comments.
fn sh_commands(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in markdown.lines() {
        let t = line.trim();
        if let Some(lang) = t.strip_prefix("```") {
            inside = !inside && lang.trim() == "sh";
            continue;
        }
        if inside && !t.is_empty() && !t.starts_with('#') {
            out.push(t.to_owned());
        }
    }
    out
}

/// The command with every `--runs N` replaced by the test's number of futures.
fn with_fewer_runs(cmd: &str) -> String {
    let words: Vec<&str> = cmd.split(' ').collect();
    let mut out = Vec::with_capacity(words.len());
    let mut after_runs = false;
    for w in words {
        if after_runs {
            assert!(w.parse::<u64>().is_ok(), "--runs takes a number: {cmd}");
            out.push(RUNS);
        } else {
            out.push(w);
        }
        after_runs = w == "--runs";
    }
    out.join(" ")
}

#[test]
fn the_extraction_reads_sh_blocks_only() {
    let md = "text\n```sh\nporcupine run a.toml --runs 1000  \n# note\n\nls out\n```\n```text\nporcupine x\n```\n```toml\na = 1\n```\n";
    assert_eq!(
        sh_commands(md),
        ["porcupine run a.toml --runs 1000", "ls out"]
    );
    assert_eq!(
        with_fewer_runs("porcupine run a.toml --runs 1000 -q"),
        "porcupine run a.toml --runs 40 -q"
    );
}

#[test]
fn every_command_of_the_tutorial_runs() {
    let md = std::fs::read_to_string(root().join("docs/tutorial.md")).unwrap();
    assert!(
        md.contains("`--runs N` becomes `--runs 40`"),
        "the page says that its tests run with fewer futures"
    );
    let commands = sh_commands(&md);
    assert!(commands.len() >= 8, "{commands:?}");

    // A copy of the scenarios in a fresh folder: the results go there, not into the repository.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("scenarios"), &dir.path().join("scenarios"));
    let bin = Path::new(env!("CARGO_BIN_EXE_porcupine"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );

    let mut ran = Vec::new();
    for cmd in &commands {
        if SETUP.contains(&cmd.as_str()) {
            continue;
        }
        let program = cmd.split(' ').next().unwrap_or_default();
        assert!(
            PROGRAMS.contains(&program),
            "the tutorial shows `{cmd}`, which this test cannot run; add it to SETUP or PROGRAMS"
        );
        let line = with_fewer_runs(cmd);
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(&line)
            .current_dir(dir.path())
            .env("PATH", &path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "`{line}` failed ({}):\n{}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        ran.push((
            cmd.clone(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        ));
    }

    // What the page says each step writes is there.
    for f in [
        "output/baseline/report.html",
        "output/baseline/summary.csv",
        "output/baseline/runs.csv",
        "output/compare-baseline-vs-funding-shortfall/compare.md",
        "output/restock-half/compare.csv",
        "output/sweep-baseline/sweep.csv",
    ] {
        assert!(dir.path().join(f).is_file(), "missing {f}");
    }
    // The sweep's grep finds one row per combination.
    let (_, grep) = ran
        .iter()
        .find(|(c, _)| c.starts_with("grep 'pac3-mse,delivered'"))
        .expect("the tutorial greps the sweep");
    assert_eq!(grep.lines().count(), 5, "{grep}");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

//! No result is ever lost or corrupted: two runs into one folder, `--force` on a folder porcupine
//! did not write, a kill between the swap steps, SIGTERM and SIGHUP while writing, Ctrl-C within a
//! second, the destination checked before simulating, the memory check on both sides of its
//! estimate, closed and full standard output, and scenario text that tries to break the report or
//! the terminal.

use crate::util::{entries, root};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const BENCH: &str = "scenarios/bench-canonical.toml";

fn bin() -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("porcupine"));
    c.current_dir(root());
    c
}

fn run_into(out: &Path, runs: &str) -> Command {
    let mut c = bin();
    c.args([
        "run",
        BENCH,
        "--runs",
        runs,
        "-q",
        "--threads",
        "1",
        "--out",
    ])
    .arg(out);
    c
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    entries(dir)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(dir.join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

fn text(o: &Output) -> String {
    format!(
        "status {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn wait(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        assert!(
            started.elapsed() < limit,
            "porcupine did not stop in {limit:?}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn kill(child: &Child, signal: &str) {
    let ok = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
}

/// Reads standard error until `needle` appears (the child's pause point), returning it so far.
fn read_until(child: &mut Child, needle: &str) -> String {
    use std::io::Read;
    let err = child.stderr.as_mut().unwrap();
    let mut seen = Vec::new();
    let mut byte = [0u8; 1];
    while !String::from_utf8_lossy(&seen).contains(needle) {
        if err.read(&mut byte).unwrap() == 0 {
            panic!(
                "stderr ended before {needle:?}: {}",
                String::from_utf8_lossy(&seen)
            );
        }
        seen.push(byte[0]);
    }
    String::from_utf8_lossy(&seen).into_owned()
}

fn rest_of_stderr(child: &mut Child) -> String {
    let mut s = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut s).unwrap();
    s
}

#[test]
fn two_runs_into_one_new_folder_one_wins_the_other_is_refused() {
    for round in 0..4 {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("race");
        let spawn = || {
            run_into(&out, "3000")
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn(), spawn());
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        let codes = [a.status.code(), b.status.code()];
        assert!(
            codes == [Some(0), Some(1)] || codes == [Some(1), Some(0)],
            "round {round}: {}\n{}",
            text(&a),
            text(&b)
        );
        let loser = if a.status.success() { &b } else { &a };
        let err = String::from_utf8_lossy(&loser.stderr);
        assert!(
            err.contains("another porcupine process") && err.contains("race"),
            "{err}"
        );
        assert!(porcupine::output::results_folder(&out).is_ok());
        assert_eq!(entries(dir.path()), [".race.lock", "race"]);
    }
}

#[test]
fn force_never_deletes_a_folder_porcupine_did_not_write() {
    let dir = tempfile::tempdir().unwrap();
    let mine = dir.path().join("thesis");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("chapter1.docx"), "years of work").unwrap();
    let o = run_into(&mine, "5").arg("--force").output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("even with --force") && err.contains("chapter1.docx"),
        "{err}"
    );
    assert_eq!(entries(&mine), ["chapter1.docx"]);

    // Neither the current folder, nor the scenario's folder, nor `/`, `.` or `..`.
    let scenarios = root().join("scenarios");
    for (out, why) in [
        (PathBuf::from("."), "not a folder name"),
        (PathBuf::from(".."), "not a folder name"),
        (PathBuf::from("/"), "not a folder name"),
        (root(), "current folder"),
        (scenarios.clone(), "scenario file"),
    ] {
        let before = entries(&scenarios);
        let o = run_into(&out, "5").arg("--force").output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{}: {}", out.display(), text(&o));
        assert!(
            String::from_utf8_lossy(&o.stderr).contains(why),
            "{}",
            text(&o)
        );
        assert_eq!(entries(&scenarios), before);
    }
}

#[test]
fn a_kill_between_the_swap_steps_is_recovered_by_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("res");
    assert!(run_into(&out, "20").status().unwrap().success());
    let before = snapshot(&out);

    // Without the atomic exchange (other systems), a kill between the two renames leaves the
    // old results aside and the destination missing.
    let o = run_into(&out, "30")
        .arg("--force")
        .env("PORCUPINE_TEST_NO_EXCHANGE", "1")
        .env("PORCUPINE_TEST_ABORT_AT", "between-renames")
        .output()
        .unwrap();
    assert!(!o.status.success(), "{}", text(&o));
    assert!(!out.exists());
    // The next run puts the earlier results back and says so, then refuses to overwrite them.
    let o = run_into(&out, "30").output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("restored earlier results"));
    assert_eq!(snapshot(&out), before);
    assert_eq!(entries(dir.path()), [".res.lock", "res"]);

    // Killed just before the swap: the staging folder is removed by the next run.
    let o = run_into(&out, "30")
        .arg("--force")
        .env("PORCUPINE_TEST_ABORT_AT", "before-swap")
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert_eq!(snapshot(&out), before);
    assert_eq!(entries(dir.path()).len(), 3, "a staging folder is left");
    let o = run_into(&out, "30").arg("--force").output().unwrap();
    assert!(o.status.success(), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("left behind by an interrupted run"));
    assert_ne!(snapshot(&out), before);
    assert_eq!(entries(dir.path()), [".res.lock", "res"]);
}

/// Sends `signal` while porcupine is writing results over earlier ones, and checks the exit code,
/// that the earlier results are intact and that nothing partial is left.
fn signal_while_writing(signal: &str, code: i32) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("res");
    assert!(run_into(&out, "20").status().unwrap().success());
    let before = snapshot(&out);
    let mut child = run_into(&out, "30")
        .arg("--force")
        .env("PORCUPINE_TEST_PAUSE_WRITING", "30")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    read_until(&mut child, "paused while writing");
    kill(&child, signal);
    let sent = Instant::now();
    let status = wait(&mut child, Duration::from_secs(20));
    let latency = sent.elapsed();
    let err = rest_of_stderr(&mut child);
    assert_eq!(status.code(), Some(code), "{signal}: {err}");
    assert!(err.contains("interrupted while writing"), "{err}");
    assert!(
        latency < Duration::from_secs(1),
        "{signal} took {latency:?}"
    );
    assert_eq!(snapshot(&out), before);
    assert_eq!(entries(dir.path()), [".res.lock", "res"]);
}

#[test]
fn sigterm_while_writing_leaves_earlier_results_and_exits_143() {
    signal_while_writing("-TERM", 143);
}

#[test]
fn sighup_while_writing_leaves_earlier_results_and_exits_129() {
    signal_while_writing("-HUP", 129);
}

#[test]
fn ctrl_c_while_writing_exits_130_within_a_second() {
    signal_while_writing("-INT", 130);
}

#[test]
fn ctrl_c_stops_a_century_long_scenario_within_a_second() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("century.toml");
    std::fs::write(
        &file,
        r#"[scenario]
name = "century"
start = 2025-01-01
horizon_days = 36500

[[item]]
name = "shell"
unit_cost_usd = 4000
initial_stock = 100000

[[funding]]
name = "donor"
pays_into = "buyer"
[[funding.recurring]]
every_days = 7
amount_usd = 4_000_000

[[channel]]
name = "buyer"
order_every_days = 7
[[channel.buy]]
item = "shell"
share = 1.0

[[line]]
name = "plant"
item = "shell"
capacity = [{ date = 2025-01-01, per_day = 150 }]
delivery_lag_days = { dist = "lognormal", median = 30, p90 = 60 }

[[consumption]]
item = "shell"
daily = { dist = "poisson", mean = 140 }
"#,
    )
    .unwrap();
    let mut child = bin()
        .arg("run")
        .arg(&file)
        .args(["--runs", "1000000", "-q", "--threads", "2", "--out"])
        .arg(dir.path().join("out"))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    kill(&child, "-INT");
    let sent = Instant::now();
    let status = wait(&mut child, Duration::from_secs(30));
    let latency = sent.elapsed();
    let err = rest_of_stderr(&mut child);
    assert_eq!(status.code(), Some(130), "{err}");
    assert!(latency < Duration::from_secs(1), "Ctrl-C took {latency:?}");
    assert!(!dir.path().join("out").exists());
    assert!(entries(dir.path()).iter().all(|e| !e.contains("partial")));
}

#[test]
fn an_unusable_destination_is_refused_before_simulating() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    // A billion runs would take hours: the refusal must come first.
    for (out, says) in [
        (file.clone(), "is not a folder"),
        (file.join("sub"), "could not create the folder"),
    ] {
        let started = Instant::now();
        let o = run_into(&out, "1000000000").output().unwrap();
        assert!(!o.status.success(), "{}", text(&o));
        assert!(
            String::from_utf8_lossy(&o.stderr).contains(says),
            "{}",
            text(&o)
        );
        assert!(started.elapsed() < Duration::from_secs(20));
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
}

#[test]
fn the_memory_check_runs_above_its_estimate_and_refuses_below() {
    let s = porcupine::scenario::load(&root().join(BENCH)).unwrap();
    for threads in [1usize, 2] {
        let need = porcupine::runner::memory_estimate(&s, threads);
        let dir = tempfile::tempdir().unwrap();
        let run = |available: u64| {
            bin()
                .args(["run", BENCH, "--runs", "50", "-q", "--threads"])
                .arg(threads.to_string())
                .arg("--out")
                .arg(dir.path().join(available.to_string()))
                .env("PORCUPINE_TEST_AVAILABLE_MEMORY", available.to_string())
                .output()
                .unwrap()
        };
        let o = run(need + need / 10);
        assert!(o.status.success(), "{threads} threads: {}", text(&o));
        let o = run(need - need / 10);
        assert_eq!(o.status.code(), Some(2), "{}", text(&o));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("needs up to") && err.contains("is available"),
            "{err}"
        );
        assert_eq!(err.contains("--threads 1"), threads > 1, "{err}");
        let written: Vec<_> = entries(dir.path())
            .into_iter()
            .filter(|e| !e.starts_with('.'))
            .collect();
        assert_eq!(written.len(), 1, "only the first run wrote: {written:?}");
    }
}

#[test]
fn a_closed_or_full_standard_output_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    // `porcupine run … | true`: the reader is gone before the summary is printed.
    let mut child = bin()
        .args(["run", BENCH, "--runs", "20", "--out"])
        .arg(dir.path().join("piped"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let status = wait(&mut child, Duration::from_secs(60));
    let err = rest_of_stderr(&mut child);
    assert!(status.success(), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(dir.path().join("piped").join("summary.json").is_file());

    // `> /dev/full`: the write error is reported; the results stay.
    if Path::new("/dev/full").exists() {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let o = bin()
            .args(["run", BENCH, "--runs", "20", "--out"])
            .arg(dir.path().join("full"))
            .stdout(full)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains("could not write to standard output") && !err.contains("panicked"));
        assert!(dir.path().join("full").join("summary.json").is_file());
    }

    // `porcupine validate a b c | head -1`.
    let mut child = bin()
        .args(["validate", BENCH, BENCH, BENCH, "scenarios/baseline.toml"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let status = wait(&mut child, Duration::from_secs(60));
    let err = rest_of_stderr(&mut child);
    assert!(status.success() && !err.contains("panicked"), "{err}");
}

/// A scenario whose texts try to break tables, inject HTML and links, and drive the terminal.
fn hostile_scenario(dir: &Path) -> PathBuf {
    let file = dir.join("hostile.toml");
    std::fs::write(
        &file,
        "[scenario]\nname = \"hostile\"\n\
         title = \"Title \\u001b]0;owned\\u0007 \\u001b[2J<script>alert(1)</script>\"\n\
         description = \"line one\\n<img src=x onerror=alert(1)> [click](javascript:alert(1))\"\n\
         start = 2025-01-01\nhorizon_days = 30\n\
         [[item]]\nname = \"shell\"\nlabel = \"a | b\\n# not a heading\"\nunit_cost_usd = 1\ninitial_stock = 5\n",
    )
    .unwrap();
    file
}

#[test]
fn scenario_text_cannot_break_the_report_or_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let file = hostile_scenario(dir.path());
    let o = bin()
        .arg("run")
        .arg(&file)
        .args(["--runs", "3", "--out"])
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let shown = String::from_utf8_lossy(&o.stdout);
    assert!(
        !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
        "{shown:?}"
    );
    assert!(shown.contains("\\u{1b}"), "{shown}");
    let o = bin().arg("validate").arg(&file).output().unwrap();
    let shown = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success() && !shown.contains('\u{1b}'), "{shown:?}");

    let report = std::fs::read_to_string(dir.path().join("out").join("report.md")).unwrap();
    assert!(
        !report.contains("<script>") && !report.contains("<img"),
        "{report}"
    );
    assert!(!report.contains("](javascript:"), "{report}");
    assert!(!report.contains('\u{1b}'));
    // The label's `|` and line break do not split its table row.
    let row = report
        .lines()
        .find(|l| l.starts_with("| a \\| b"))
        .unwrap_or_else(|| panic!("{report}"));
    let cells = row
        .char_indices()
        .filter(|&(i, c)| c == '|' && !row[..i].ends_with('\\'))
        .count();
    assert_eq!(cells, 10, "nine columns: {row}");
}

#[test]
fn errors_show_control_characters_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.toml");
    std::fs::write(
        &file,
        "[scenario]\nname = \"bad\\u001b[2J\"\nstart = 2025-01-01\nhorizon_days = 30\n",
    )
    .unwrap();
    let o = bin().arg("validate").arg(&file).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(!err.contains('\u{1b}'), "{err:?}");
}

#[test]
fn a_run_that_passes_the_memory_check_stays_within_its_bound() {
    // Stock spread over nine orders of magnitude across futures: every histogram reaches its cap.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("wide.toml");
    let mut toml = String::from(
        "[scenario]\nname = \"wide\"\nstart = 2025-01-01\nhorizon_days = 1095\n\
         [[funding]]\nname = \"donor\"\npays_into = \"buyer\"\n\
         [[funding.lump_sum]]\ndate = 2025-01-01\namount_usd = 9_000_000_000_000\n\
         [[channel]]\nname = \"buyer\"\norder_every_days = 30\n",
    );
    for i in 0..4 {
        toml.push_str(&format!(
            "[[channel.buy]]\nitem = \"i{i}\"\nshare = 0.25\n\
             [[item]]\nname = \"i{i}\"\nunit_cost_usd = 1\ninitial_stock = 0\n\
             [[line]]\nname = \"l{i}\"\nitem = \"i{i}\"\n\
             capacity = [{{ date = 2025-01-01, per_day = 1 }}, {{ date = 2025-06-01, per_day = 3_000_000 }}]\n\
             ramp_slip_days = {{ dist = \"lognormal\", median = 200, p90 = 900 }}\n\
             [[consumption]]\nitem = \"i{i}\"\ndaily = {{ dist = \"poisson\", mean = 1 }}\n"
        ));
    }
    std::fs::write(&file, &toml).unwrap();
    let s = porcupine::scenario::load(&file).unwrap();
    for threads in [1usize, 2] {
        let bound = porcupine::runner::memory_estimate(&s, threads);
        let o = bin()
            .arg("run")
            .arg(&file)
            .args(["--runs", "600", "-q", "--threads"])
            .arg(threads.to_string())
            .arg("--out")
            .arg(dir.path().join(format!("out{threads}")))
            .env("PORCUPINE_TEST_REPORT_PEAK_MEMORY", "1")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{err}");
        let peak: u64 = err
            .lines()
            .find_map(|l| l.strip_prefix("peak resident memory: "))
            .and_then(|l| l.trim_end_matches(" bytes").parse().ok())
            .unwrap_or_else(|| panic!("{err}"));
        assert!(
            peak <= bound,
            "{threads} threads: peak {peak} bytes above the bound {bound}"
        );
    }
}

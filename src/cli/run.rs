//! `porcupine run`: load, check memory and destination, simulate (optionally to a precision),
//! prepare, draw and write, then print the summary.

use super::*;
use system::{check_memory, install_signal_handlers, interrupted, report_peak_memory};

pub(super) fn run(args: &RunArgs) -> Result<(), CliError> {
    if let Some(shard) = args.shard {
        return super::shard::run_shard(args, shard);
    }
    let (scenario, text, origin) =
        load(args.file.as_deref(), args.common.deny_warnings, &args.set)?;
    // With --precision, `runs` is the most that may be needed; the experiment may stop earlier.
    let runs = if args.precision.is_some() {
        args.max_runs
    } else {
        args.runs
            .or(scenario.default_runs)
            .unwrap_or(crate::DEFAULT_RUNS)
    };
    let seed = args
        .common
        .seed
        .or(scenario.default_seed)
        .unwrap_or(crate::DEFAULT_SEED);
    let out_dir = args
        .common
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(&scenario.name));
    let threads = args.common.threads.map_or_else(
        || std::thread::available_parallelism().map_or(1, usize::from),
        |t| t as usize,
    );
    check_memory(&scenario, threads, args.dpi as f32 / 150.0)?;
    let (cancel, signal) = install_signal_handlers();
    // Checked, locked and proven writable before spending minutes simulating.
    let scenario_file = args
        .file
        .as_deref()
        .filter(|_| !origin.ends_with("(built in)"));
    let mut dest =
        output::Destination::prepare(&out_dir, args.common.force, scenario_file, &mut |note| {
            let _ = writeln!(std::io::stderr(), "note: {}", crate::text::terminal(note));
        })?;
    let per_future = if args.no_runs_csv {
        false
    } else {
        args.runs_csv || runs <= crate::analysis::futures::DEFAULT_MAX_FUTURES
    };
    let mut rows_out = crate::analysis::futures::Writer::new(&scenario, seed);
    let mut runs_csv = if per_future {
        let f = dest.stream("runs.csv")?;
        let w = crate::analysis::futures::csv_writer(&scenario, std::io::BufWriter::new(f))
            .map_err(|e| CliError::Run(RunError::Sink(e.to_string())))?;
        Some(w)
    } else {
        None
    };

    let bar = progress_bar(runs, args.common.quiet);
    let cfg = RunConfig {
        runs,
        seed,
        threads: args.common.threads.map(|t| t as usize),
        samples: crate::SAMPLE_PATHS,
    };
    let started = std::time::Instant::now();
    let mut precision = args.precision.map(|p| {
        let names = scenario.items.iter().map(|i| i.name.clone()).collect();
        crate::analysis::precision::Precision::new(names, p)
    });
    let result = if runs_csv.is_none() && precision.is_none() {
        runner::run(&scenario, &cfg, &|done| bar.set_position(done), &cancel)
    } else {
        runner::run_with_futures(
            &scenario,
            &cfg,
            &|done| bar.set_position(done),
            &cancel,
            &mut |rows, done| {
                if let Some(w) = runs_csv.as_mut() {
                    rows_out.write(w, rows).map_err(|e| e.to_string())?;
                }
                let Some(p) = precision.as_mut() else {
                    return Ok(runner::Flow::Continue);
                };
                p.add(rows);
                Ok(if runner::is_checkpoint(done) && p.reached() {
                    runner::Flow::Stop
                } else {
                    runner::Flow::Continue
                })
            },
        )
    };
    if let Some(w) = runs_csv.take() {
        if let Err(e) = w
            .into_inner()
            .map_err(|e| e.to_string())
            .and_then(|mut b| std::io::Write::flush(&mut b).map_err(|e| e.to_string()))
        {
            return Err(CliError::Run(RunError::Sink(e)));
        }
    }
    let acc = match result {
        Ok(a) => a,
        Err(RunError::Interrupted { done, runs }) => {
            bar.abandon();
            return Err(interrupted(
                format!("interrupted after {done} of {runs} runs"),
                &signal,
            ));
        }
        Err(e) => {
            bar.abandon();
            return Err(CliError::Run(e));
        }
    };
    bar.finish_and_clear();
    let elapsed = started.elapsed();
    // The futures actually run (fewer than asked for when --precision was reached early).
    let runs = acc.runs;
    if let Some(p) = &precision {
        if let Some(w) = p.worst().filter(|_| !p.reached()) {
            let _ = writeln!(
                std::io::stderr(),
                "note: stopped at --max-runs {} before reaching the precision asked for: {} is known to ±{:.4}",
                crate::plot::format_units(runs as f64),
                crate::text::terminal(&w.what),
                w.half_width
            );
        }
    }
    let meta = metadata(&origin, &text, seed, runs);
    let results = report::prepare(&scenario, &acc, meta);
    if cancel.load(Ordering::SeqCst) {
        return Err(interrupted(
            "interrupted while preparing results".into(),
            &signal,
        ));
    }
    let chart_options = crate::plot::ChartOptions {
        png_scale: args.dpi as f32 / 150.0,
    };
    let files = output::render_with(&scenario, &results, &text, &chart_options)?;
    if cancel.load(Ordering::SeqCst) {
        return Err(interrupted(
            "interrupted while drawing charts".into(),
            &signal,
        ));
    }
    match dest.commit(&files, &cancel) {
        Ok(()) => {}
        Err(OutputError::Interrupted) => {
            return Err(interrupted("interrupted while writing".into(), &signal))
        }
        Err(e) => return Err(e.into()),
    }
    report_peak_memory();
    if args.common.quiet {
        return Ok(());
    }
    let written = files.len() + usize::from(per_future);
    Stdout::default().print(&summary_text(
        &scenario, &results, &out_dir, elapsed, written,
    ))
}

/// The metadata of results: a function of the scenario (file name as given, and text), the
/// seed and the runs only, so a merge of shards writes the same bytes as one run.
pub(super) fn metadata(origin: &str, text: &str, seed: u64, runs: u64) -> Metadata {
    let reproduce = format!(
        "porcupine run {} --runs {runs} --seed {seed}",
        if origin.ends_with("(built in)") {
            String::new()
        } else {
            shell_quote(origin)
        }
    )
    .replace("run  --", "run --");
    Metadata {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        seed,
        runs,
        scenario_file: origin.to_owned(),
        scenario_hash: scenario_hash(text),
        percentile_method: report::percentile_method(),
        reproduce,
    }
}

pub(super) fn parse_precision(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(p) if p > 0.0 && p < 0.5 => Ok(p),
        _ => Err(format!(
            "{s:?} is not a precision: give a number between 0 and 0.5, e.g. 0.005 for ±0.5 percentage points"
        )),
    }
}

/// A progress bar on standard error when it is a terminal and `quiet` is off.
pub(super) fn progress_bar(runs: u64, quiet: bool) -> indicatif::ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let b = indicatif::ProgressBar::new(runs);
    b.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} simulating [{bar:40}] {human_pos}/{human_len} runs, {per_sec}, eta {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    b
}

pub(super) fn summary_text(
    s: &Scenario,
    r: &report::Results,
    dir: &Path,
    elapsed: std::time::Duration,
    written: usize,
) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    use crate::plot::format_units;
    let m = &r.summary.metadata;
    let _ = writeln!(
        out,
        "{} — {} runs, seed {}, {} to {} ({:.1} s)",
        crate::text::terminal(&s.title),
        format_units(m.runs as f64),
        m.seed,
        r.summary.start,
        r.summary.end,
        elapsed.as_secs_f64()
    );
    let _ = writeln!(out);
    let w = crate::output::risk_text::label_width(r);
    let _ = writeln!(
        out,
        "{:<w$} {:>8} {:>22} {:>16} {:>18} {:>22}",
        "item",
        "start",
        "end stock P50 [P5–P95]",
        "mean ± s.e.",
        "P(none at end)",
        "first below safe (P50)"
    );
    let runs = m.runs.max(1) as f64;
    for it in &r.summary.items {
        let mean = if it.end_stock.mean.abs() >= 100.0 {
            format_units(it.end_stock.mean)
        } else {
            format!("{:.1}", it.end_stock.mean)
        };
        let mean = format!("{mean} ± {:.1}", it.end_stock.sd / runs.sqrt());
        // The share of futures with no stock on the last day, and its standard error.
        let p0 = r
            .daily
            .iter()
            .rev()
            .find(|d| d.item == it.name)
            .map_or(0.0, |d| d.prob_zero);
        let none = format!(
            "{:.1}% ± {:.1}%",
            p0 * 100.0,
            (p0 * (1.0 - p0) / runs).sqrt() * 100.0
        );
        let range = format!(
            "{} [{}–{}]",
            format_units(it.end_stock.p50),
            format_units(it.end_stock.p5),
            format_units(it.end_stock.p95)
        );
        let first = match &it.first_below_safe {
            None => "no safe level".to_owned(),
            Some(f) => f
                .p50
                .map_or_else(|| "after horizon".to_owned(), |d| d.to_string()),
        };
        let label = crate::output::risk_text::fit_label(&it.label, w);
        let _ = writeln!(
            out,
            "{label:<w$} {:>8} {range:>22} {mean:>16} {none:>18} {first:>22}",
            format_units(it.initial_stock as f64),
        );
    }
    let events = crate::output::events::terminal_lines(r);
    if !events.is_empty() {
        let _ = writeln!(out);
    }
    for line in events {
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out);
    out.push_str(&output::risk_text::terminal(r));
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "s.e.: Monte Carlo standard error (more futures make it smaller)\nwrote {written} files to {}/ (start with report.html or report.md)",
        crate::text::terminal(&dir.display().to_string())
    );
    out
}

//! The command line: arguments (clap), then load → run → report → write, with a progress bar
//! and signal handling. Exit codes: 0 success, 1 failure while running or writing, 2 bad input,
//! 128 + N when signal N stopped the run (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP).

use crate::output::{self, OutputError};
use crate::report::{self, Metadata};
use crate::runner::{self, RunConfig, RunError};
use crate::scenario::{self, LoadError, Scenario};
use clap::{Parser, Subcommand};
use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

/// The bundled baseline scenario, used when no file is given and scenarios/baseline.toml is not
/// in the current folder.
pub const BUILTIN_BASELINE: &str = include_str!("../scenarios/baseline.toml");
const BASELINE_PATH: &str = "scenarios/baseline.toml";

const EXAMPLES: &str = "\
Examples:
  porcupine run                                   run the bundled baseline scenario
  porcupine run scenarios/my-scenario.toml        run your own scenario
  porcupine run my.toml --runs 10000 --seed 7     more runs, another seed
  porcupine run my.toml --out results/try2        write somewhere else
  porcupine run my.toml --force                   replace earlier results
  porcupine validate my.toml                      check a file without running it
  porcupine compare baseline.toml variant.toml    differences on the same futures";

/// Monte Carlo forecasts of defence stockpiles: funding, contracts, production, delivery, use.
#[derive(Debug, Parser)]
#[command(name = "porcupine", version, about, after_help = EXAMPLES)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate a scenario many times and write CSV, JSON, charts and a report.
    #[command(after_help = EXAMPLES)]
    Run(RunArgs),
    /// Compare scenarios on the same simulated futures: per-item differences with 95% intervals.
    #[command(after_help = COMPARE_EXAMPLES)]
    Compare(CompareArgs),
    /// Check scenario files and report every problem, without running them.
    Validate {
        /// Scenario files (TOML).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Treat plausibility warnings as errors (exit 2).
        #[arg(long)]
        deny_warnings: bool,
    },
}

const COMPARE_EXAMPLES: &str = "\
Examples:
  porcupine compare scenarios/baseline.toml my-variant.toml
  porcupine compare a.toml b.toml c.toml --runs 5000      each of b and c against a
  porcupine compare a.toml b.toml --out results/a-vs-b --force

The first scenario is the reference. Every scenario runs on the same futures (same seed and
run indices), so the parts they share draw the same random numbers and the differences are
measured far more precisely than from two separate runs.";

/// Arguments of `porcupine compare`.
#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// Scenario files (TOML): the reference first, then one or more variants.
    #[arg(required = true, num_args = 2..)]
    pub files: Vec<PathBuf>,
    /// Futures per scenario [default: the first scenario's `runs`, else 1000].
    #[arg(long, short = 'n', value_parser = clap::value_parser!(u64).range(2..=crate::MAX_RUNS))]
    pub runs: Option<u64>,
    /// Master seed, the same for every scenario [default: the first scenario's `seed`, else 42].
    #[arg(long, short = 's')]
    pub seed: Option<u64>,
    /// Worker threads [default: one per core]. Results do not depend on it.
    #[arg(long, short = 'j', value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub threads: Option<u64>,
    /// Results folder [default: output/compare-<first>-vs-<second>…].
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// Replace an earlier comparison in the results folder.
    #[arg(long)]
    pub force: bool,
    /// No progress bar and no table on the terminal.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Treat plausibility warnings in the scenarios as errors (exit 2).
    #[arg(long)]
    pub deny_warnings: bool,
}

/// Arguments of `porcupine run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Scenario file (TOML). Default: scenarios/baseline.toml.
    pub file: Option<PathBuf>,
    /// Number of simulated futures [default: the scenario's `runs`, else 1000].
    #[arg(long, short = 'n', value_parser = clap::value_parser!(u64).range(1..=crate::MAX_RUNS))]
    pub runs: Option<u64>,
    /// Master seed; the same seed gives the same results [default: the scenario's `seed`, else 42].
    #[arg(long, short = 's')]
    pub seed: Option<u64>,
    /// Worker threads [default: one per core]. Results do not depend on it.
    #[arg(long, short = 'j', value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub threads: Option<u64>,
    /// Results folder [default: output/<scenario name>].
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// Replace earlier results in the results folder.
    #[arg(long)]
    pub force: bool,
    /// No progress bar and no summary on the terminal.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Treat plausibility warnings in the scenario as errors (exit 2).
    #[arg(long)]
    pub deny_warnings: bool,
    /// Resolution of the PNG charts, in dots per inch at 8 inches wide (the SVG files scale
    /// freely).
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u32).range(38..=1200))]
    pub dpi: u32,
    /// Add futures until every headline probability's 95% interval is at most this wide on
    /// each side (and every headline mean within this fraction), checked at 1,000 × 2^k futures.
    #[arg(long, value_parser = parse_precision, conflicts_with = "runs")]
    pub precision: Option<f64>,
    /// Most futures `--precision` may run.
    #[arg(long, default_value_t = 1_000_000, value_parser = clap::value_parser!(u64).range(1000..=crate::MAX_RUNS), requires = "precision")]
    pub max_runs: u64,
    /// Write runs.csv, one row per future, even above 100,000 futures.
    #[arg(long, overrides_with = "no_runs_csv")]
    pub runs_csv: bool,
    /// Do not write runs.csv [default: written up to 100,000 futures].
    #[arg(long, overrides_with = "runs_csv")]
    pub no_runs_csv: bool,
}

/// Why a command failed; each kind carries its exit code (see [`CliError::exit_code`]).
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The scenario file is wrong (its message carries its own location and "error" header).
    #[error("{}", crate::text::terminal_multiline(&.0.to_string()))]
    Load(#[from] LoadError),
    /// The scenario cannot run on this machine.
    #[error("error: {0}")]
    TooBig(String),
    /// The results folder cannot be used, or writing failed.
    #[error("error: {0}")]
    Output(#[from] OutputError),
    /// The simulation could not run.
    #[error("error: {0}")]
    Run(RunError),
    /// A signal stopped the run before the results were in place.
    #[error("{what}; nothing was written and earlier results (if any) are untouched")]
    Interrupted {
        /// What was interrupted, for the message.
        what: String,
        /// The signal's number.
        signal: i32,
    },
    /// Already reported on standard error; only the exit code is left to give.
    #[error("")]
    Reported(u8),
    /// Standard output could not be written (not a closed pipe, which ends output quietly).
    #[error("error: could not write to standard output: {0}")]
    Stdout(std::io::Error),
}

impl CliError {
    /// The process exit code: 2 for bad input (the scenario, the options or a destination that
    /// may not be used), 1 for a failure while running or writing, 128 + N for signal N
    /// (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP).
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Load(_) | CliError::TooBig(_) => 2,
            CliError::Output(
                OutputError::Exists(_)
                | OutputError::NotAFolder(_)
                | OutputError::Refused { .. }
                | OutputError::NotResults { .. },
            ) => 2,
            CliError::Interrupted { signal, .. } => u8::try_from(128 + signal).unwrap_or(130),
            CliError::Reported(code) => *code,
            CliError::Output(_) | CliError::Run(_) | CliError::Stdout(_) => 1,
        }
    }
}

/// Entry point of the binary.
#[must_use]
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run(&args),
        Command::Compare(args) => compare(&args),
        Command::Validate {
            files,
            deny_warnings,
        } => validate(&files, deny_warnings),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Standard error may itself be closed: nothing more can be said then.
            if !matches!(e, CliError::Reported(_)) {
                let _ = writeln!(std::io::stderr(), "{e}");
            }
            ExitCode::from(e.exit_code())
        }
    }
}

/// Writes to standard output. A closed pipe (`porcupine … | head -1`) is not an error: output
/// just ends. Other failures (a full disk) are reported once.
#[derive(Debug, Default)]
struct Stdout {
    closed: bool,
}

impl Stdout {
    fn print(&mut self, text: &str) -> Result<(), CliError> {
        if self.closed {
            return Ok(());
        }
        let mut out = std::io::stdout().lock();
        match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            Err(e) => {
                self.closed = true;
                Err(CliError::Stdout(e))
            }
        }
    }
}

/// Validates scenario text, printing its plausibility warnings (errors with `deny`).
fn check(text: &str, f: &Path, deny: bool) -> Result<Scenario, LoadError> {
    let loaded = scenario::check_str(text, f)?;
    if !deny && !loaded.warnings.is_empty() {
        let _ = writeln!(std::io::stderr(), "{}\n", loaded.render_warnings(f, text));
    }
    loaded.deny_warnings(deny, f, text)
}

fn validate(files: &[PathBuf], deny: bool) -> Result<(), CliError> {
    let mut out = Stdout::default();
    let mut failed = None;
    let mut stdout_error = None;
    for f in files {
        match scenario::read_text(f).and_then(|text| check(&text, f, deny)) {
            Ok(s) => {
                let line = format!(
                    "ok: {} — \"{}\", {} items, {} funding sources, {} channels, {} lines, {} days from {}\n",
                    crate::text::terminal(&f.display().to_string()),
                    crate::text::terminal(&s.title),
                    s.items.len(),
                    s.funding.len(),
                    s.channels.len(),
                    s.lines.len(),
                    s.horizon,
                    s.start
                );
                if let Err(e) = out.print(&line) {
                    stdout_error.get_or_insert(e);
                }
            }
            Err(e) => {
                let e = CliError::from(e);
                let _ = writeln!(std::io::stderr(), "{e}\n");
                failed = Some(e.exit_code());
            }
        }
    }
    match (failed, stdout_error) {
        (Some(code), _) => Err(CliError::Reported(code)),
        (None, Some(e)) => Err(e),
        (None, None) => Ok(()),
    }
}
/// Loads the scenario named on the command line, or the baseline.
fn load(file: Option<&Path>, deny: bool) -> Result<(Scenario, String, String), LoadError> {
    match file {
        Some(f) => {
            // Read once: the text that is validated is the text that is hashed and copied.
            let text = scenario::read_text(f)?;
            let s = check(&text, f, deny)?;
            Ok((s, text, f.display().to_string()))
        }
        None if Path::new(BASELINE_PATH).is_file() => load(Some(Path::new(BASELINE_PATH)), deny),
        None => {
            let origin = "scenarios/baseline.toml (built in)";
            let s = check(BUILTIN_BASELINE, Path::new(origin), deny)?;
            Ok((s, BUILTIN_BASELINE.to_owned(), origin.to_owned()))
        }
    }
}

/// The signals that stop a run cleanly: Ctrl-C, `kill` (and a scheduler's time limit), a closed
/// terminal. Each sets the cancel flag and records its number for the exit code.
fn install_signal_handlers() -> (Arc<AtomicBool>, Arc<AtomicUsize>) {
    let cancel = Arc::new(AtomicBool::new(false));
    let signal = Arc::new(AtomicUsize::new(0));
    #[cfg(unix)]
    for sig in [
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
    ] {
        // The number first, then the flag, so whoever sees the flag also sees the number. If a
        // handler cannot be installed the signal keeps its default effect, which stops the
        // process before anything is moved into place: results only ever move in whole.
        let _ = signal_hook::flag::register_usize(sig, Arc::clone(&signal), sig as usize);
        let _ = signal_hook::flag::register(sig, Arc::clone(&cancel));
    }
    #[cfg(not(unix))]
    let _ = signal_hook::flag::register(signal_hook::consts::SIGINT, Arc::clone(&cancel));
    (cancel, signal)
}

fn interrupted(what: String, signal: &AtomicUsize) -> CliError {
    let n = signal.load(Ordering::SeqCst);
    CliError::Interrupted {
        what,
        signal: if n == 0 { 2 } else { n as i32 },
    }
}

fn run(args: &RunArgs) -> Result<(), CliError> {
    let (scenario, text, origin) = load(args.file.as_deref(), args.deny_warnings)?;
    // With --precision, `runs` is the most that may be needed; the experiment may stop earlier.
    let runs = if args.precision.is_some() {
        args.max_runs
    } else {
        args.runs
            .or(scenario.default_runs)
            .unwrap_or(crate::DEFAULT_RUNS)
    };
    let seed = args
        .seed
        .or(scenario.default_seed)
        .unwrap_or(crate::DEFAULT_SEED);
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(&scenario.name));
    let threads = args.threads.map_or_else(
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
        output::Destination::prepare(&out_dir, args.force, scenario_file, &mut |note| {
            let _ = writeln!(std::io::stderr(), "note: {}", crate::text::terminal(note));
        })?;
    let per_future = if args.no_runs_csv {
        false
    } else {
        args.runs_csv || runs <= crate::analysis::futures::DEFAULT_MAX_FUTURES
    };
    let mut runs_csv = if per_future {
        let f = dest.stream("runs.csv")?;
        let mut w = csv::Writer::from_writer(std::io::BufWriter::new(f));
        w.write_record(crate::analysis::futures::header(&scenario))
            .map_err(|e| CliError::Run(RunError::Sink(e.to_string())))?;
        Some(w)
    } else {
        None
    };

    let bar = progress_bar(runs, args.quiet);
    let cfg = RunConfig {
        runs,
        seed,
        threads: args.threads.map(|t| t as usize),
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
                    crate::analysis::futures::write(&scenario, w, rows)
                        .map_err(|e| e.to_string())?;
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
    let reproduce = format!(
        "porcupine run {} --runs {runs} --seed {seed}",
        if origin.ends_with("(built in)") {
            String::new()
        } else {
            shell_quote(&origin)
        }
    )
    .replace("run  --", "run --");
    let meta = Metadata {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        seed,
        runs,
        scenario_file: origin.clone(),
        scenario_hash: scenario_hash(&text),
        percentile_method: report::percentile_method(),
        reproduce,
    };
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
    if args.quiet {
        return Ok(());
    }
    let written = files.len() + usize::from(per_future);
    Stdout::default().print(&summary_text(
        &scenario, &results, &out_dir, elapsed, written,
    ))
}

fn parse_precision(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(p) if p > 0.0 && p < 0.5 => Ok(p),
        _ => Err(format!(
            "{s:?} is not a precision: give a number between 0 and 0.5, e.g. 0.005 for ±0.5 percentage points"
        )),
    }
}

/// A progress bar on standard error when it is a terminal and `quiet` is off.
fn progress_bar(runs: u64, quiet: bool) -> indicatif::ProgressBar {
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

fn compare(args: &CompareArgs) -> Result<(), CliError> {
    use crate::analysis::{Comparison, OutcomeLayout, ScenarioInfo};
    let mut loaded = Vec::new();
    for f in &args.files {
        loaded.push(load(Some(f), args.deny_warnings)?);
    }
    let scenarios: Vec<&Scenario> = loaded.iter().map(|l| &l.0).collect();
    let first = scenarios[0];
    let runs = args
        .runs
        .or(first.default_runs)
        .unwrap_or(crate::DEFAULT_RUNS);
    let seed = args
        .seed
        .or(first.default_seed)
        .unwrap_or(crate::DEFAULT_SEED);
    let out_dir = args.out.clone().unwrap_or_else(|| {
        let names: Vec<&str> = scenarios.iter().map(|s| s.name.as_str()).collect();
        Path::new("output").join(format!("compare-{}", names.join("-vs-")))
    });
    let threads = args.threads.map_or_else(
        || std::thread::available_parallelism().map_or(1, usize::from),
        |t| t as usize,
    );
    for s in &scenarios {
        check_memory(s, threads, 0.0)?;
    }
    let (cancel, signal) = install_signal_handlers();
    let dest = output::Destination::prepare(&out_dir, args.force, None, &mut |note| {
        let _ = writeln!(std::io::stderr(), "note: {}", crate::text::terminal(note));
    })?;
    let (layout, missing) = OutcomeLayout::new(&scenarios);
    let bar = progress_bar(runs, args.quiet);
    let cfg = RunConfig {
        runs,
        seed,
        threads: args.threads.map(|t| t as usize),
        samples: 0,
    };
    let sums =
        match runner::run_paired(&scenarios, &layout, &cfg, &|d| bar.set_position(d), &cancel) {
            Ok(s) => s,
            Err(RunError::Interrupted { done, runs }) => {
                bar.abandon();
                return Err(interrupted(
                    format!("interrupted after {done} of {runs} futures"),
                    &signal,
                ));
            }
            Err(e) => {
                bar.abandon();
                return Err(CliError::Run(e));
            }
        };
    bar.finish_and_clear();
    let files: Vec<String> = loaded.iter().map(|l| shell_quote(&l.2)).collect();
    let info = loaded
        .iter()
        .map(|(s, text, origin)| ScenarioInfo {
            name: s.name.clone(),
            title: s.title.clone(),
            file: origin.clone(),
            hash: scenario_hash(text),
        })
        .collect();
    let reproduce = format!(
        "porcupine compare {} --runs {runs} --seed {seed}",
        files.join(" ")
    );
    let c = Comparison::new(
        (env!("CARGO_PKG_VERSION").to_owned(), seed, runs, reproduce),
        info,
        missing,
        &layout,
        &sums,
    );
    let out_files = output::compare::render(&c)?;
    match dest.commit(&out_files, &cancel) {
        Ok(()) => {}
        Err(OutputError::Interrupted) => {
            return Err(interrupted("interrupted while writing".into(), &signal))
        }
        Err(e) => return Err(e.into()),
    }
    if args.quiet {
        return Ok(());
    }
    Stdout::default().print(&comparison_text(&c, &out_dir))
}

/// The comparison as a table on the terminal: per variant, per item, each outcome's difference.
fn comparison_text(c: &crate::analysis::Comparison, dir: &Path) -> String {
    use crate::output::compare::{value, with_interval};
    use std::fmt::Write as _;
    let t = |s: &str| crate::text::terminal(s).into_owned();
    let mut o = String::new();
    let first = &c.scenarios[0];
    let _ = writeln!(
        o,
        "{} futures per scenario, seed {}, on common random numbers; differences are variant − {} with 95% intervals",
        crate::plot::format_units(c.runs as f64),
        c.seed,
        t(&first.name)
    );
    for v in &c.scenarios[1..] {
        let _ = writeln!(
            o,
            "
{} − {}",
            t(&v.title),
            t(&first.title)
        );
        let _ = writeln!(
            o,
            "{:<24} {:<32} {:>14} {:>14}  difference [95% interval]",
            "item",
            "outcome",
            t(&first.name).chars().take(14).collect::<String>(),
            t(&v.name).chars().take(14).collect::<String>()
        );
        for r in c.rows.iter().filter(|r| r.variant == v.name) {
            let label: String = t(&r.label).chars().take(24).collect();
            let _ = writeln!(
                o,
                "{label:<24} {:<32} {:>14} {:>14}  {}",
                r.outcome_label,
                value(r, r.base_mean),
                value(r, r.variant_mean),
                with_interval(r)
            );
        }
    }
    if !c.not_compared.is_empty() {
        let _ = writeln!(
            o,
            "
not compared (not in every scenario): {}",
            t(&c.not_compared.join(", "))
        );
    }
    let _ = writeln!(
        o,
        "
wrote compare.csv, compare.json and compare.md to {}/",
        t(&dir.display().to_string())
    );
    o
}

/// Refuses, before allocating, a run whose memory bound exceeds what this machine (or its
/// container) can give. The bound is an upper bound of resident memory (see
/// [`runner::memory_estimate`]), so a run that passes never dies of memory.
fn check_memory(scenario: &Scenario, threads: usize, png_scale: f32) -> Result<(), CliError> {
    let need = runner::memory_bound_at(scenario, threads, png_scale);
    let Some(available) = available_memory() else {
        return Ok(());
    };
    if need <= available {
        return Ok(());
    }
    let mut help = Vec::new();
    if threads > 1 {
        let one = runner::memory_bound_at(scenario, 1, png_scale);
        help.push(format!(
            "use fewer threads (--threads 1 needs about {})",
            human_bytes(one)
        ));
    }
    help.push("fewer items or a shorter horizon".to_owned());
    Err(CliError::TooBig(format!(
        "this scenario needs up to {} of memory ({} items × {} days, {threads} thread{}) but only {} is available\n  = help: {}",
        human_bytes(need),
        scenario.items.len(),
        scenario.days(),
        if threads == 1 { "" } else { "s" },
        human_bytes(available),
        help.join(", or ")
    )))
}

/// Environment variable, for tests: print the peak resident memory on standard error at the end,
/// so a test can check it against the memory bound.
const REPORT_PEAK_MEMORY: &str = "PORCUPINE_TEST_REPORT_PEAK_MEMORY";

fn report_peak_memory() {
    if std::env::var_os(REPORT_PEAK_MEMORY).is_none() {
        return;
    }
    let peak = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmHWM:"))?.to_owned();
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        });
    if let Some(kib) = peak {
        let _ = writeln!(
            std::io::stderr(),
            "peak resident memory: {} bytes",
            kib * 1024
        );
    }
}

/// Environment variable, for tests: pretend this many bytes of memory are available.
const AVAILABLE_MEMORY_OVERRIDE: &str = "PORCUPINE_TEST_AVAILABLE_MEMORY";

/// Memory this process may still use: the container's limit (cgroup v2 `memory.max` less
/// `memory.current`, or cgroup v1 `memory.limit_in_bytes` less `memory.usage_in_bytes`) where
/// one is set, and never more than the machine's available memory (`MemAvailable`). `None`
/// where neither is known. Address-space limits (`ulimit -v`) count reserved, not used, memory
/// and are not consulted.
fn available_memory() -> Option<u64> {
    if let Some(v) = std::env::var(AVAILABLE_MEMORY_OVERRIDE)
        .ok()
        .and_then(|v| v.trim().parse().ok())
    {
        return Some(v);
    }
    let read = |p: &str| -> Option<u64> { std::fs::read_to_string(p).ok()?.trim().parse().ok() };
    let machine = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
            let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(kib * 1024)
        });
    let cgroup = read("/sys/fs/cgroup/memory.max")
        .map(|max| max.saturating_sub(read("/sys/fs/cgroup/memory.current").unwrap_or(0)))
        .or_else(|| {
            // cgroup v1 reports "no limit" as a huge number.
            read("/sys/fs/cgroup/memory/memory.limit_in_bytes")
                .filter(|&l| l < 1 << 60)
                .map(|l| {
                    l.saturating_sub(
                        read("/sys/fs/cgroup/memory/memory.usage_in_bytes").unwrap_or(0),
                    )
                })
        });
    match (machine, cgroup) {
        (Some(m), Some(c)) => Some(m.min(c)),
        (m, c) => m.or(c),
    }
}

fn human_bytes(b: u64) -> String {
    if b >= 1 << 30 {
        format!("{:.1} GiB", b as f64 / f64::from(1u32 << 30))
    } else {
        format!("{:.0} MiB", b as f64 / f64::from(1u32 << 20))
    }
}

fn shell_quote(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
    {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// A stable 64-bit hash of the scenario text, in hex.
#[must_use]
pub fn scenario_hash(text: &str) -> String {
    use std::hash::Hasher;
    let mut h = siphasher::sip::SipHasher13::new_with_keys(0, 0);
    h.write(text.as_bytes());
    format!("{:016x}", h.finish())
}

fn summary_text(
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
    let _ = writeln!(
        out,
        "{:<28} {:>10} {:>22} {:>14} {:>22}",
        "item", "start", "end stock P50 [P5–P95]", "any shortfall", "first below safe (P50)"
    );
    for it in &r.summary.items {
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
        let label: String = crate::text::terminal(&it.label).chars().take(28).collect();
        let _ = writeln!(
            out,
            "{label:<28} {:>10} {range:>22} {:>13.1}% {first:>22}",
            format_units(it.initial_stock as f64),
            it.prob_any_shortfall * 100.0
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "wrote {written} files to {}/ (start with report.md)",
        crate::text::terminal(&dir.display().to_string())
    );
    out
}

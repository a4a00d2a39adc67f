//! The command line: arguments (clap), then load → run → report → write, with a progress bar
//! and Ctrl-C handling. Exit codes: 0 success, 1 failure while running or writing, 2 bad input.

use crate::output::{self, OutputError};
use crate::report::{self, Metadata};
use crate::runner::{self, RunConfig, RunError};
use crate::scenario::{self, LoadError, Scenario};
use clap::{Parser, Subcommand};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
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
  porcupine validate my.toml                      check a file without running it";

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
}

/// Entry point of the binary.
#[must_use]
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Run(args) => run(&args),
        Command::Validate {
            files,
            deny_warnings,
        } => validate(&files, deny_warnings),
    }
}

/// Loads scenario text, printing its plausibility warnings (errors with `deny`).
fn check(text: &str, f: &Path, deny: bool) -> Result<Scenario, LoadError> {
    let loaded = scenario::check_str(text, f)?;
    if !deny && !loaded.warnings.is_empty() {
        eprintln!("{}\n", loaded.render_warnings(f, text));
    }
    loaded.deny_warnings(deny, f, text)
}

fn validate(files: &[PathBuf], deny: bool) -> ExitCode {
    let mut ok = true;
    for f in files {
        match scenario::read_text(f).and_then(|text| check(&text, f, deny)) {
            Ok(s) => println!(
                "ok: {} — \"{}\", {} items, {} funding sources, {} channels, {} lines, {} days from {}",
                f.display(),
                s.title,
                s.items.len(),
                s.funding.len(),
                s.channels.len(),
                s.lines.len(),
                s.horizon,
                s.start
            ),
            Err(e) => {
                eprintln!("{e}\n");
                ok = false;
            }
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
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

fn run(args: &RunArgs) -> ExitCode {
    let (scenario, text, origin) = match load(args.file.as_deref(), args.deny_warnings) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let runs = args
        .runs
        .or(scenario.default_runs)
        .unwrap_or(crate::DEFAULT_RUNS);
    let seed = args
        .seed
        .or(scenario.default_seed)
        .unwrap_or(crate::DEFAULT_SEED);
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(&scenario.name));
    // Refuse early, before spending minutes simulating, if the results could not be written.
    if !args.force
        && out_dir.is_dir()
        && std::fs::read_dir(&out_dir).is_ok_and(|mut d| d.next().is_some())
    {
        eprintln!("error: {}", OutputError::Exists(out_dir));
        return ExitCode::from(2);
    }

    // Refuse clearly, instead of running out of memory half-way.
    let threads = args.threads.map_or_else(
        || std::thread::available_parallelism().map_or(1, usize::from),
        |t| t as usize,
    );
    let need = runner::memory_estimate(&scenario, threads);
    if let Some(available) = available_memory() {
        if need > available / 10 * 8 {
            eprintln!(
                "error: this scenario needs about {} of memory ({} items × {} days, {threads} threads) but only {} is available\n  = help: use fewer threads (--threads 1), fewer items or a shorter horizon",
                human_bytes(need),
                scenario.items.len(),
                scenario.days(),
                human_bytes(available)
            );
            return ExitCode::from(2);
        }
    }

    let cancel = Arc::new(AtomicBool::new(false));
    {
        let c = Arc::clone(&cancel);
        // If a handler cannot be installed, Ctrl-C still stops the process before anything
        // is renamed into place: results are only ever moved in whole.
        let _ = ctrlc::set_handler(move || c.store(true, Ordering::SeqCst));
    }
    let show = !args.quiet && std::io::stderr().is_terminal();
    let bar = if show {
        let b = indicatif::ProgressBar::new(runs);
        b.set_style(
            indicatif::ProgressStyle::with_template("{spinner} simulating [{bar:40}] {human_pos}/{human_len} runs, {per_sec}, eta {eta}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        b
    } else {
        indicatif::ProgressBar::hidden()
    };
    let cfg = RunConfig {
        runs,
        seed,
        threads: args.threads.map(|t| t as usize),
        samples: crate::SAMPLE_PATHS,
    };
    let started = std::time::Instant::now();
    let acc = match runner::run(&scenario, &cfg, &|done| bar.set_position(done), &cancel) {
        Ok(a) => a,
        Err(e @ RunError::Interrupted { .. }) => {
            bar.abandon();
            eprintln!("{e}");
            return ExitCode::from(130);
        }
        Err(e) => {
            bar.abandon();
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    bar.finish_and_clear();
    let elapsed = started.elapsed();
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
    let files = match output::render(&scenario, &results, &text) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = output::write_folder(&out_dir, &files, args.force, &cancel) {
        eprintln!("error: {e}");
        return ExitCode::FAILURE;
    }
    if !args.quiet {
        print_summary(&scenario, &results, &out_dir, elapsed, &files);
    }
    ExitCode::SUCCESS
}

/// Memory the system can still give, from /proc/meminfo (None where unknown).
fn available_memory() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
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

fn print_summary(
    s: &Scenario,
    r: &report::Results,
    dir: &Path,
    elapsed: std::time::Duration,
    files: &[output::OutFile],
) {
    use crate::plot::format_units;
    let m = &r.summary.metadata;
    println!(
        "{} — {} runs, seed {}, {} to {} ({:.1} s)",
        s.title,
        format_units(m.runs as f64),
        m.seed,
        r.summary.start,
        r.summary.end,
        elapsed.as_secs_f64()
    );
    println!();
    println!(
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
        let label: String = it.label.chars().take(28).collect();
        println!(
            "{label:<28} {:>10} {range:>22} {:>13.1}% {first:>22}",
            format_units(it.initial_stock as f64),
            it.prob_any_shortfall * 100.0
        );
    }
    println!();
    println!(
        "wrote {} files to {}/ (start with report.md)",
        files.len(),
        dir.display()
    );
}

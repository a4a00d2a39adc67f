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

mod compare;
mod merge;
mod paired_shard;
mod run;
mod sensitivity;
mod shard;
mod sweep;
mod system;

/// The bundled baseline scenario, used when no file is given and scenarios/baseline.toml is not
/// in the current folder.
pub const BUILTIN_BASELINE: &str = include_str!("../../scenarios/baseline.toml");
const BASELINE_PATH: &str = "scenarios/baseline.toml";

const EXAMPLES: &str = "\
Examples:
  porcupine run                                   run the bundled baseline scenario
  porcupine run scenarios/my-scenario.toml        run your own scenario
  porcupine run my.toml --runs 10000 --seed 7     more runs, another seed
  porcupine run my.toml --out results/try2        write somewhere else
  porcupine run my.toml --force                   replace earlier results
  porcupine validate my.toml                      check a file without running it
  porcupine compare baseline.toml variant.toml    differences on the same futures
  porcupine sweep my.toml --vary key.path=1,2,3   a grid of variants on the same futures
  porcupine sensitivity my.toml                   which uncertain input matters most
  porcupine run my.toml --runs 100000 --shard 3/8 one eighth of the runs (see merge)
  porcupine merge output/my-shards/*.json         the results of all eight shards";

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
    /// Run a grid of variants of one scenario on the same futures: one row per combination.
    #[command(after_help = SWEEP_EXAMPLES)]
    Sweep(SweepArgs),
    /// Rank the uncertain inputs of a scenario: each at its P10 and P90 on the same futures, and
    /// the rank correlation of its draws with each outcome.
    #[command(after_help = SENSITIVITY_EXAMPLES)]
    Sensitivity(SensitivityArgs),
    /// Merge the partial results of `run --shard K/N` into the results of the whole run: the
    /// same files, byte for byte, as one `porcupine run` with the same runs and seed.
    #[command(after_help = MERGE_EXAMPLES)]
    Merge(MergeArgs),
    /// Check scenario files and report every problem, without running them.
    Validate {
        /// Scenario files (TOML).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Treat plausibility warnings as errors (exit 2).
        #[arg(long)]
        deny_warnings: bool,
        /// Override one value: `--set key.path=value` (several allowed), as in `run`.
        #[arg(long = "set", value_name = "KEY.PATH=VALUE")]
        set: Vec<String>,
    },
}

const COMPARE_EXAMPLES: &str = "\
Examples:
  porcupine compare scenarios/baseline.toml my-variant.toml
  porcupine compare a.toml b.toml c.toml --runs 5000      each of b and c against a
  porcupine compare a.toml b.toml --out results/a-vs-b --force
  porcupine compare a.toml b.toml --set scenario.end=2026-12-31   the same change in both

The first scenario is the reference. Every scenario runs on the same futures (same seed and
run indices), so the parts they share draw the same random numbers and the differences are
measured far more precisely than from two separate runs.";

const SWEEP_EXAMPLES: &str = "\
Examples:
  porcupine sweep scenarios/baseline.toml --vary funding.purl-donors.payment_probability=0.3,0.6,0.9
  porcupine sweep my.toml --vary funding.germany.recurring[0].amount_usd=0..2000000000:5
  porcupine sweep my.toml --vary a.b=1,2 --vary c.d=x,y      all 4 combinations

Each combination is the scenario with those values set (as with run --set), and every
combination runs on the same futures, so differences between them are measured precisely.
sweep.csv holds every outcome with its 95% interval and its difference from combination 1.";

/// Arguments of `porcupine sweep`.
#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// Scenario file (TOML).
    pub file: PathBuf,
    /// A key and its values: `key.path=v1,v2,…` or `key.path=from..to:count` (several allowed:
    /// every combination runs).
    #[arg(long, required = true, value_name = "KEY.PATH=VALUES")]
    pub vary: Vec<String>,
    /// Override one value in every combination, as in `run`.
    #[arg(long = "set", value_name = "KEY.PATH=VALUE")]
    pub set: Vec<String>,
    /// Futures per combination [default: the scenario's `runs`, else 1000].
    #[arg(long, short = 'n', value_parser = clap::value_parser!(u64).range(2..=crate::MAX_RUNS))]
    pub runs: Option<u64>,
    /// Simulate only shard K of N (K from 1 to N) of the runs and write the exact paired sums
    /// to a partial result file [default: output/<results folder>-shards/shard-K-of-N.json];
    /// `porcupine merge` turns the N files into the same results as one run.
    #[arg(long, value_name = "K/N", value_parser = crate::shard::Shard::parse)]
    pub shard: Option<crate::shard::Shard>,
    /// Seed, threads, results folder and the other options every experiment has.
    #[command(flatten)]
    pub common: ExperimentArgs,
}

const SENSITIVITY_EXAMPLES: &str = "\
Examples:
  porcupine sensitivity scenarios/baseline.toml
  porcupine sensitivity my.toml --runs 5000 --set line.x.ramp_slip_days=0   with one input fixed

Every value drawn once per future from a distribution (ramp slips, shares, customers' orders,
expansion costs, capacities, lead times and success, engaged shares, shots per engagement,
factor levels) is fixed at its P10, then at its P90, as with --set, and the scenario runs on the
same futures each time. sensitivity.csv ranks the inputs by swing for each item and outcome,
with the rank correlation of each input's draws with the outcome; tornado_<item>.png/.svg draw
each item's end stock.";

/// Arguments of `porcupine sensitivity`.
#[derive(Debug, clap::Args)]
pub struct SensitivityArgs {
    /// Scenario file (TOML).
    pub file: PathBuf,
    /// Override one value first, as in `run` (several allowed).
    #[arg(long = "set", value_name = "KEY.PATH=VALUE")]
    pub set: Vec<String>,
    /// Futures [default: the scenario's `runs`, else 1000; at most 200,000].
    #[arg(long, short = 'n', value_parser = clap::value_parser!(u64).range(2..=crate::MAX_RUNS))]
    pub runs: Option<u64>,
    /// Seed, threads, results folder and the other options every experiment has.
    #[command(flatten)]
    pub common: ExperimentArgs,
}

const MERGE_EXAMPLES: &str = "\
Examples:
  porcupine run my.toml --runs 100000 --shard 1/4     on each of four machines, K = 1 to 4:
  porcupine run my.toml --runs 100000 --shard 2/4     writes output/<name>-shards/shard-K-of-4.json
  porcupine merge output/my-shards/*.json --out results/my

  porcupine compare a.toml b.toml --runs 100000 --shard 1/4   the same for compare and sweep

The partial files carry the scenario text, so merge needs neither the scenario file nor any
simulation; it checks that the files are the N shards of one experiment, each once.";

/// Arguments of `porcupine merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Partial result files written by `porcupine run FILE --shard K/N` (or `compare … --shard
    /// K/N`, `sweep … --shard K/N`), one per shard, in any order.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Results folder [default: output/<scenario name>].
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// Replace earlier results in the results folder (only a folder porcupine wrote).
    #[arg(long)]
    pub force: bool,
    /// No summary on the terminal.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Resolution of the PNG charts, in dots per inch at 8 inches wide.
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u32).range(38..=1200))]
    pub dpi: u32,
}

/// Options shared by the commands that simulate (`run`, `compare`).
#[derive(Debug, clap::Args)]
pub struct ExperimentArgs {
    /// Master seed; the same seed gives the same results [default: the (first) scenario's
    /// `seed`, else 42].
    #[arg(long, short = 's')]
    pub seed: Option<u64>,
    /// Worker threads [default: one per core]. Results do not depend on it.
    #[arg(long, short = 'j', value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub threads: Option<u64>,
    /// Results folder [default: output/<scenario name>, or output/compare-<a>-vs-<b> for
    /// compare].
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// Replace earlier results in the results folder (only a folder porcupine wrote).
    #[arg(long)]
    pub force: bool,
    /// No progress bar and no summary on the terminal.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Treat plausibility warnings in the scenario as errors (exit 2).
    #[arg(long)]
    pub deny_warnings: bool,
}

/// Arguments of `porcupine compare`.
#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// Scenario files (TOML): the reference first, then one or more variants.
    #[arg(required = true, num_args = 2..)]
    pub files: Vec<PathBuf>,
    /// Futures per scenario [default: the first scenario's `runs`, else 1000].
    #[arg(long, short = 'n', value_parser = clap::value_parser!(u64).range(2..=crate::MAX_RUNS))]
    pub runs: Option<u64>,
    /// Simulate only shard K of N (K from 1 to N) of the runs and write the exact paired sums
    /// to a partial result file [default: output/<results folder>-shards/shard-K-of-N.json];
    /// `porcupine merge` turns the N files into the same results as one run.
    #[arg(long, value_name = "K/N", value_parser = crate::shard::Shard::parse)]
    pub shard: Option<crate::shard::Shard>,
    /// Override one value in every compared scenario, as in `run` (several allowed).
    #[arg(long = "set", value_name = "KEY.PATH=VALUE")]
    pub set: Vec<String>,
    /// Seed, threads, results folder and the other options every experiment has.
    #[command(flatten)]
    pub common: ExperimentArgs,
}

/// Arguments of `porcupine run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Scenario file (TOML). Default: scenarios/baseline.toml.
    pub file: Option<PathBuf>,
    /// Number of simulated futures [default: the scenario's `runs`, else 1000].
    #[arg(long, short = 'n', value_parser = clap::value_parser!(u64).range(1..=crate::MAX_RUNS))]
    pub runs: Option<u64>,
    /// Seed, threads, results folder and the other options every experiment has.
    #[command(flatten)]
    pub common: ExperimentArgs,
    /// Override one value of the scenario, e.g. `--set funding.purl-donors.payment_probability=0.6`
    /// (key paths as in error messages; several allowed). The results record the overrides.
    #[arg(long = "set", value_name = "KEY.PATH=VALUE")]
    pub set: Vec<String>,
    /// Resolution of the PNG charts, in dots per inch at 8 inches wide (the SVG files scale
    /// freely).
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u32).range(38..=1200))]
    pub dpi: u32,
    /// Add futures until every headline probability's 95% interval is at most this wide on
    /// each side (and every headline mean within this fraction), checked at 1,000 × 2^k futures.
    #[arg(long, value_parser = run::parse_precision, conflicts_with = "runs")]
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
    /// Simulate only shard K of N (K from 1 to N) of the runs: the block of run indices
    /// [(K-1)·R/N, K·R/N) of R runs. Writes a partial result file, not results: --out is that
    /// file [default: output/<scenario name>-shards/shard-K-of-N.json]; `porcupine merge` turns
    /// the N files into the results of the whole run. Not with --precision.
    #[arg(long, value_name = "K/N", value_parser = crate::shard::Shard::parse)]
    pub shard: Option<crate::shard::Shard>,
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
    /// A shard could not run, or partial results could not be written, read or merged.
    #[error("error: {0}")]
    Shard(#[from] crate::shard::ShardError),
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
            CliError::Shard(e) => e.exit_code(),
            CliError::Output(_) | CliError::Run(_) | CliError::Stdout(_) => 1,
        }
    }
}

/// Entry point of the binary.
#[must_use]
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run::run(&args),
        Command::Compare(args) => compare::compare(&args),
        Command::Sweep(args) => sweep::sweep(&args),
        Command::Sensitivity(args) => sensitivity::sensitivity(&args),
        Command::Merge(args) => merge::merge(&args),
        Command::Validate {
            files,
            deny_warnings,
            set,
        } => validate(&files, deny_warnings, &set),
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

fn validate(files: &[PathBuf], deny: bool, sets: &[String]) -> Result<(), CliError> {
    let mut out = Stdout::default();
    let mut failed = None;
    let mut stdout_error = None;
    for f in files {
        match scenario::resolve(f, sets).and_then(|r| check_resolved(&r, deny)) {
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
/// Validates a resolved scenario, printing its plausibility warnings (errors with `deny`),
/// each pointing into the file or `--set` option that wrote the value.
fn check_resolved(r: &scenario::Resolved, deny: bool) -> Result<Scenario, LoadError> {
    if r.is_plain() {
        return check(&r.text, &r.chain[0], deny);
    }
    let loaded = r.check()?;
    if loaded.warnings.is_empty() {
        return Ok(loaded.scenario);
    }
    if deny {
        let problems = scenario::denied(loaded.warnings);
        return Err(LoadError::Resolved {
            rendered: r.render(&problems, scenario::Severity::Error),
            problems,
        });
    }
    let _ = writeln!(
        std::io::stderr(),
        "{}\n",
        r.render(&loaded.warnings, scenario::Severity::Warning)
    );
    Ok(loaded.scenario)
}

/// Loads the scenario named on the command line (following `extends` and applying `--set`),
/// or the baseline. Returns the scenario, the resolved text (what is hashed and copied into
/// the results as scenario.toml) and how to name it.
fn load(
    file: Option<&Path>,
    deny: bool,
    sets: &[String],
) -> Result<(Scenario, String, String), LoadError> {
    match file {
        Some(f) => {
            // Read once: the text that is validated is the text that is hashed and copied.
            let r = scenario::resolve(f, sets)?;
            let s = check_resolved(&r, deny)?;
            Ok((s, r.text, f.display().to_string()))
        }
        None if Path::new(BASELINE_PATH).is_file() => {
            load(Some(Path::new(BASELINE_PATH)), deny, sets)
        }
        None if !sets.is_empty() => Err(LoadError::Read {
            path: PathBuf::from(BASELINE_PATH),
            reason:
                "--set needs a scenario file, and scenarios/baseline.toml is not in this folder"
                    .into(),
            help: "name the scenario file, e.g. porcupine run my.toml --set key.path=value".into(),
        }),
        None => {
            let origin = "scenarios/baseline.toml (built in)";
            let s = check(BUILTIN_BASELINE, Path::new(origin), deny)?;
            Ok((s, BUILTIN_BASELINE.to_owned(), origin.to_owned()))
        }
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

/// The metadata of results (version, seed, runs, the scenario file's name and hash, the
/// command that reproduces them): a function of the scenario file's name and text, the seed and
/// the runs only, so results stay byte-identical whatever the machine.
#[must_use]
pub fn results_metadata(scenario_file: &str, text: &str, seed: u64, runs: u64) -> Metadata {
    run::metadata(scenario_file, text, seed, runs)
}

/// A stable 64-bit hash of the scenario text, in hex.
#[must_use]
pub fn scenario_hash(text: &str) -> String {
    use std::hash::Hasher;
    let mut h = siphasher::sip::SipHasher13::new_with_keys(0, 0);
    h.write(text.as_bytes());
    format!("{:016x}", h.finish())
}

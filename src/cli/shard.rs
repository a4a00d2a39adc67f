//! `porcupine run FILE --shard K/N`: simulate one block of the runs and write a partial result
//! (see [`crate::shard`]) for `porcupine merge`.

use super::*;
use crate::analysis::futures::FutureRow;
use crate::shard::{Header, Shard, ShardError};
use run::progress_bar;
use system::{check_memory, install_signal_handlers, interrupted};

pub(super) fn run_shard(args: &RunArgs, shard: Shard) -> Result<(), CliError> {
    if args.precision.is_some() {
        return Err(ShardError::Unsupported(
            "--shard cannot be used with --precision: adaptive stopping decides at each checkpoint from all the runs so far, which no single shard has\n  = help: give a fixed --runs to every shard (e.g. the number of runs a --precision run needed)".into(),
        )
        .into());
    }
    let (scenario, text, origin) =
        load(args.file.as_deref(), args.common.deny_warnings, &args.set)?;
    let runs = args
        .runs
        .or(scenario.default_runs)
        .unwrap_or(crate::DEFAULT_RUNS);
    let seed = args
        .common
        .seed
        .or(scenario.default_seed)
        .unwrap_or(crate::DEFAULT_SEED);
    let range = shard.runs(runs);
    let path = args.common.out.clone().unwrap_or_else(|| {
        Path::new("output")
            .join(format!("{}-shards", scenario.name))
            .join(format!("shard-{}-of-{}.json", shard.k, shard.n))
    });
    if path.is_dir() {
        return Err(ShardError::Unsupported(format!(
            "{} is a folder; with --shard, --out names the partial result file\n  = help: e.g. --out {}",
            path.display(),
            path.join(format!("shard-{}-of-{}.json", shard.k, shard.n))
                .display()
        ))
        .into());
    }
    // Refused before simulating rather than after.
    if !args.common.force && path.exists() {
        return Err(ShardError::Exists(path).into());
    }
    let threads = args.common.threads.map_or_else(
        || std::thread::available_parallelism().map_or(1, usize::from),
        |t| t as usize,
    );
    check_memory(&scenario, threads, 0.25)?;
    let (cancel, signal) = install_signal_handlers();
    // The same choice as a whole run of `runs` futures.
    let per_future = if args.no_runs_csv {
        false
    } else {
        args.runs_csv || runs <= crate::analysis::futures::DEFAULT_MAX_FUTURES
    };
    let bar = progress_bar(range.end - range.start, args.common.quiet);
    let cfg = RunConfig {
        runs,
        seed,
        threads: args.common.threads.map(|t| t as usize),
        samples: crate::SAMPLE_PATHS,
    };
    let started = std::time::Instant::now();
    let first = range.start;
    let progress = |done: u64| bar.set_position(done - first);
    let mut rows: Vec<FutureRow> = Vec::new();
    let mut keep = |chunk: &[FutureRow], _done: u64| {
        rows.extend_from_slice(chunk);
        Ok(runner::Flow::Continue)
    };
    let sink: Option<runner::FutureSink<'_>> = if per_future { Some(&mut keep) } else { None };
    let result = runner::run_range(&scenario, &cfg, range.clone(), &progress, &cancel, sink);
    let acc = finished(result, &bar, shard, &signal)?;
    let header = Header {
        format: crate::shard::FORMAT.to_owned(),
        format_version: crate::shard::FORMAT_VERSION,
        version: env!("CARGO_PKG_VERSION").to_owned(),
        scenario_file: origin,
        scenario_hash: scenario_hash(&text),
        scenario_text: text,
        seed,
        runs,
        shards: shard.n,
        shard: shard.k,
        first_run: range.start,
        end_run: range.end,
        runs_csv: per_future,
    };
    if cancel.load(Ordering::SeqCst) {
        return Err(interrupted("interrupted before writing".into(), &signal));
    }
    crate::shard::write(&path, &header, &acc, &rows, args.common.force)?;
    if args.common.quiet {
        return Ok(());
    }
    Stdout::default().print(&format!(
        "shard {shard}: runs {}..{} of {} (seed {seed}) in {:.1} s; wrote {}\n",
        range.start,
        range.end,
        runs,
        started.elapsed().as_secs_f64(),
        crate::text::terminal(&path.display().to_string())
    ))
}

/// The outcome of a shard's simulation: its result, or the error to report (an interruption
/// says how far the shard got); the progress bar is cleared either way.
pub(super) fn finished<T>(
    result: Result<T, RunError>,
    bar: &indicatif::ProgressBar,
    shard: Shard,
    signal: &std::sync::atomic::AtomicUsize,
) -> Result<T, CliError> {
    match result {
        Ok(v) => {
            bar.finish_and_clear();
            Ok(v)
        }
        Err(RunError::Interrupted { done, runs }) => {
            bar.abandon();
            Err(interrupted(
                format!("interrupted after {done} of {runs} runs of shard {shard}"),
                signal,
            ))
        }
        Err(e) => {
            bar.abandon();
            Err(CliError::Run(e))
        }
    }
}

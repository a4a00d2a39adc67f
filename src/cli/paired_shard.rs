//! `compare --shard K/N` and `sweep --shard K/N`: simulate one block of the runs of a paired
//! experiment and write its exact paired sums ([`crate::shard::PairedPartial`]); and the
//! `merge` of such partials into the same files as one `compare` or `sweep`, without the
//! scenario files and without simulating.

use super::*;
use crate::shard::{PairedCommand, PairedPartial, PairedScenario, Shard, ShardError};
use run::progress_bar;
use system::{check_memory, install_signal_handlers, interrupted};

/// What a paired shard simulates: the command, its loaded scenarios (scenario, resolved text,
/// file as given) and, for a sweep, its options.
pub(super) struct Plan<'a> {
    pub command: PairedCommand,
    pub loaded: &'a [(Scenario, String, String)],
    pub vary: &'a [String],
    pub set: &'a [String],
}

/// Simulates shard `shard` of the paired experiment and writes its partial file.
pub(super) fn run_shard(
    plan: &Plan<'_>,
    common: &ExperimentArgs,
    (runs, seed): (u64, u64),
    shard: Shard,
) -> Result<(), CliError> {
    let scenarios: Vec<&Scenario> = plan.loaded.iter().map(|l| &l.0).collect();
    let folder = match plan.command {
        PairedCommand::Compare => super::compare::default_folder(&scenarios),
        PairedCommand::Sweep => super::sweep::default_folder(scenarios[0]),
    };
    let file = format!("shard-{}-of-{}.json", shard.k, shard.n);
    let path = common.out.clone().unwrap_or_else(|| {
        let mut name = folder.file_name().unwrap_or_default().to_os_string();
        name.push("-shards");
        folder.with_file_name(name).join(&file)
    });
    if path.is_dir() {
        return Err(ShardError::Unsupported(format!(
            "{} is a folder; with --shard, --out names the partial result file\n  = help: e.g. --out {}",
            path.display(),
            path.join(&file).display()
        ))
        .into());
    }
    if !common.force && path.exists() {
        return Err(ShardError::Exists(path).into());
    }
    let threads = common.threads.map_or_else(
        || std::thread::available_parallelism().map_or(1, usize::from),
        |t| t as usize,
    );
    for s in &scenarios {
        check_memory(s, threads, 0.0)?;
    }
    let (cancel, signal) = install_signal_handlers();
    let range = shard.runs(runs);
    let bar = progress_bar(range.end - range.start, common.quiet);
    let cfg = RunConfig {
        runs,
        seed,
        threads: common.threads.map(|t| t as usize),
        samples: 0,
    };
    let started = std::time::Instant::now();
    let (layout, _) = crate::analysis::OutcomeLayout::new(&scenarios);
    let first = range.start;
    let progress = |done: u64| bar.set_position(done - first);
    let bands = plan.command == PairedCommand::Compare;
    let result = runner::run_paired_range(
        &scenarios,
        &layout,
        &cfg,
        (range.clone(), bands),
        &progress,
        &cancel,
    );
    let run = super::shard::finished(result, &bar, shard, &signal)?;
    let partial = PairedPartial {
        format: crate::shard::PAIRED_FORMAT.to_owned(),
        format_version: crate::shard::FORMAT_VERSION,
        version: env!("CARGO_PKG_VERSION").to_owned(),
        command: plan.command,
        scenarios: plan
            .loaded
            .iter()
            .map(|(_, text, file)| PairedScenario {
                file: file.clone(),
                hash: scenario_hash(text),
                text: text.clone(),
            })
            .collect(),
        vary: plan.vary.to_vec(),
        set: plan.set.to_vec(),
        seed,
        runs,
        shards: shard.n,
        shard: shard.k,
        first_run: range.start,
        end_run: range.end,
        sums: run.sums,
        bands: run.bands,
    };
    if cancel.load(Ordering::SeqCst) {
        return Err(interrupted("interrupted before writing".into(), &signal));
    }
    crate::shard::write_paired(&path, &partial, common.force)?;
    if common.quiet {
        return Ok(());
    }
    Stdout::default().print(&format!(
        "shard {shard}: runs {}..{} of {} (seed {seed}) for {} scenarios in {:.1} s; wrote {}\n",
        range.start,
        range.end,
        runs,
        scenarios.len(),
        started.elapsed().as_secs_f64(),
        crate::text::terminal(&path.display().to_string())
    ))
}

/// `porcupine merge` of the partials of a paired command: checks them, adds their sums and
/// writes the command's files.
pub(super) fn merge(args: &MergeArgs) -> Result<(), CliError> {
    let mut headers = Vec::with_capacity(args.files.len());
    let mut total: Option<PairedPartial> = None;
    for f in &args.files {
        let p = crate::shard::read_paired(f)?;
        let h = p.header();
        match &mut total {
            None => total = Some(p),
            Some(t) => {
                // Another experiment is reported by the set check below, naming both files.
                if h.scenario_hash == t.header().scenario_hash {
                    if !p.sums.fits(t.scenarios.len(), t.sums.outcomes()) {
                        return Err(altered(f));
                    }
                    t.sums.merge(&p.sums);
                    match (&mut t.bands, &p.bands) {
                        (Some(a), Some(b)) if a.fits(b.items(), b.days()) => a.merge(b),
                        (None, None) => {}
                        _ => return Err(altered(f)),
                    }
                }
            }
        }
        headers.push((f.clone(), h));
    }
    crate::shard::check_set(&headers)?;
    let Some(t) = total else {
        return Err(ShardError::Mismatch("no partial results to merge".into()).into());
    };
    let mut loaded = Vec::with_capacity(t.scenarios.len());
    for s in &t.scenarios {
        let sc = scenario::from_str(&s.text, Path::new(&s.file))?;
        loaded.push((sc, s.text.clone(), s.file.clone()));
    }
    let scenarios: Vec<&Scenario> = loaded.iter().map(|l| &l.0).collect();
    let (layout, _) = crate::analysis::OutcomeLayout::new(&scenarios);
    if !t.sums.fits(scenarios.len(), layout.len()) || t.sums.n != t.runs {
        return Err(altered(&headers[0].0));
    }
    let days: Vec<usize> = scenarios.iter().map(|s| s.days()).collect();
    let compared = layout.items().count();
    // A comparison keeps its stock bands; a sweep has none.
    let bands_fit = t
        .bands
        .as_ref()
        .map_or(t.command == PairedCommand::Sweep, |b| {
            t.command == PairedCommand::Compare && b.fits(compared, &days)
        });
    if !bands_fit {
        return Err(altered(&headers[0].0));
    }
    let runs_seed = (t.runs, t.seed);
    let (out_dir, (files, text)) = match t.command {
        PairedCommand::Compare => {
            let dir = args
                .out
                .clone()
                .unwrap_or_else(|| super::compare::default_folder(&scenarios));
            let sums = (&t.sums, t.bands.as_ref());
            let made = super::compare::outputs(&loaded, &t.set, runs_seed, sums, &dir)?;
            (dir, made)
        }
        PairedCommand::Sweep => {
            let varies: Vec<super::sweep::Vary> = t
                .vary
                .iter()
                .map(|v| super::sweep::Vary::parse(v))
                .collect::<Result<_, _>>()
                .map_err(|why| ShardError::NotPartial {
                    path: headers[0].0.clone(),
                    why: format!("its --vary options cannot be read ({why})"),
                })?;
            if super::sweep::grid(&varies).len() != loaded.len() {
                return Err(altered(&headers[0].0));
            }
            let dir = args
                .out
                .clone()
                .unwrap_or_else(|| super::sweep::default_folder(scenarios[0]));
            let made = super::sweep::outputs(&varies, &loaded, runs_seed, &t.sums, &dir)?;
            (dir, made)
        }
    };
    let (cancel, signal) = install_signal_handlers();
    let dest = output::Destination::prepare(&out_dir, args.force, None, &mut |note| {
        let _ = writeln!(std::io::stderr(), "note: {}", crate::text::terminal(note));
    })?;
    match dest.commit(&files, &cancel) {
        Ok(()) => {}
        Err(OutputError::Interrupted) => {
            return Err(interrupted("interrupted while writing".into(), &signal))
        }
        Err(e) => return Err(e.into()),
    }
    if args.quiet {
        return Ok(());
    }
    Stdout::default().print(&format!("merged {} shards\n{text}", headers.len()))
}

fn altered(path: &Path) -> CliError {
    ShardError::NotPartial {
        path: path.to_owned(),
        why: "its sums do not fit its scenarios (the file was altered)".into(),
    }
    .into()
}

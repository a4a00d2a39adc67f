//! `porcupine compare`: scenarios on the same futures, paired differences with intervals,
//! written as files and printed as a table.

use super::*;
use crate::stats::bands::StockBands;
use run::progress_bar;
use system::{check_memory, install_signal_handlers, interrupted};

pub(super) fn compare(args: &CompareArgs) -> Result<(), CliError> {
    use crate::analysis::OutcomeLayout;
    let mut loaded = Vec::new();
    for f in &args.files {
        loaded.push(load(Some(f), args.common.deny_warnings, &args.set)?);
    }
    let scenarios: Vec<&Scenario> = loaded.iter().map(|l| &l.0).collect();
    let first = scenarios[0];
    let runs = args
        .runs
        .or(first.default_runs)
        .unwrap_or(crate::DEFAULT_RUNS);
    let seed = args
        .common
        .seed
        .or(first.default_seed)
        .unwrap_or(crate::DEFAULT_SEED);
    if let Some(shard) = args.shard {
        let plan = super::paired_shard::Plan {
            command: crate::shard::PairedCommand::Compare,
            loaded: &loaded,
            vary: &[],
            set: &args.set,
        };
        return super::paired_shard::run_shard(&plan, &args.common, (runs, seed), shard);
    }
    let out_dir = args
        .common
        .out
        .clone()
        .unwrap_or_else(|| default_folder(&scenarios));
    let (layout, _) = OutcomeLayout::new(&scenarios);
    let paired = simulate_paired(
        &scenarios,
        &layout,
        &args.common,
        (runs, seed),
        &out_dir,
        true,
    )?;
    let (files, text) = outputs(
        &loaded,
        &args.set,
        (runs, seed),
        (&paired.sums, paired.bands.as_ref()),
        &out_dir,
    )?;
    paired.commit(&files)?;
    if args.common.quiet {
        return Ok(());
    }
    Stdout::default().print(&text)
}

/// The default results folder of a comparison.
pub(super) fn default_folder(scenarios: &[&Scenario]) -> PathBuf {
    let names: Vec<&str> = scenarios.iter().map(|s| s.name.as_str()).collect();
    Path::new("output").join(format!("compare-{}", names.join("-vs-")))
}

/// The files of a comparison and its terminal table, from its exact sums and daily stock
/// bands: the same bytes after one run or after merging shards.
pub(super) fn outputs(
    loaded: &[(Scenario, String, String)],
    sets: &[String],
    (runs, seed): (u64, u64),
    (sums, bands): (&crate::analysis::PairedSums, Option<&StockBands>),
    out_dir: &Path,
) -> Result<(Vec<output::OutFile>, String), CliError> {
    use crate::analysis::{Comparison, OutcomeLayout, ScenarioInfo};
    let scenarios: Vec<&Scenario> = loaded.iter().map(|l| &l.0).collect();
    let first = scenarios[0];
    let (layout, missing) = OutcomeLayout::new(&scenarios);
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
    let sets: String = sets
        .iter()
        .map(|s| format!(" --set {}", shell_quote(s)))
        .collect();
    let reproduce = format!(
        "porcupine compare {}{sets} --runs {runs} --seed {seed}",
        files.join(" ")
    );
    let c = Comparison::new(
        (env!("CARGO_PKG_VERSION").to_owned(), seed, runs, reproduce),
        info,
        missing,
        &layout,
        sums,
    );
    let footer = crate::plot::Footer {
        scenario: format!("{} vs {}", first.name, names_after_first(&scenarios)),
        runs,
        seed,
        version: env!("CARGO_PKG_VERSION").to_owned(),
        start: first.start,
    };
    let band_charts = bands.map_or_else(Vec::new, |b| {
        output::compare::band_charts(&scenarios, &layout, b)
    });
    let out_files = output::compare::render(&c, band_charts, &footer)?;
    Ok((out_files, comparison_text(&c, out_dir)))
}

/// A finished paired experiment: its results folder (checked and locked), its exact sums and,
/// for `compare`, the daily stock bands.
pub(super) struct Paired {
    dest: output::Destination,
    pub sums: crate::analysis::PairedSums,
    pub bands: Option<StockBands>,
    pub cancel: Arc<AtomicBool>,
    pub signal: Arc<AtomicUsize>,
}

impl Paired {
    /// Writes the files into the results folder, whole or not at all.
    pub fn commit(self, files: &[output::OutFile]) -> Result<(), CliError> {
        match self.dest.commit(files, &self.cancel) {
            Ok(()) => Ok(()),
            Err(OutputError::Interrupted) => Err(interrupted(
                "interrupted while writing".into(),
                &self.signal,
            )),
            Err(e) => Err(e.into()),
        }
    }
}

/// Checks memory and the results folder, then simulates every scenario on the same futures
/// (`compare` and `sweep`), with a progress bar and Ctrl-C handling; with `bands`, keeps each
/// scenario's daily stock of the compared items too.
pub(super) fn simulate_paired(
    scenarios: &[&Scenario],
    layout: &crate::analysis::OutcomeLayout,
    common: &ExperimentArgs,
    (runs, seed): (u64, u64),
    out_dir: &Path,
    bands: bool,
) -> Result<Paired, CliError> {
    let threads = common.threads.map_or_else(
        || std::thread::available_parallelism().map_or(1, usize::from),
        |t| t as usize,
    );
    for s in scenarios {
        check_memory(s, threads, 0.0)?;
    }
    let (cancel, signal) = install_signal_handlers();
    let dest = output::Destination::prepare(out_dir, common.force, None, &mut |note| {
        let _ = writeln!(std::io::stderr(), "note: {}", crate::text::terminal(note));
    })?;
    let bar = progress_bar(runs, common.quiet);
    let cfg = RunConfig {
        runs,
        seed,
        threads: common.threads.map(|t| t as usize),
        samples: 0,
    };
    let progress = |d| bar.set_position(d);
    let run = match runner::run_paired(scenarios, layout, &cfg, bands, &progress, &cancel) {
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
    Ok(Paired {
        dest,
        sums: run.sums,
        bands: run.bands,
        cancel,
        signal,
    })
}

/// The comparison as a table on the terminal: per variant, per item, each outcome's difference.
pub(super) fn comparison_text(c: &crate::analysis::Comparison, dir: &Path) -> String {
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
    // Columns as wide as the longest item label (16 to 40) and scenario name (14 to 28).
    let fit = crate::output::risk_text::fit_label;
    let width = |it: &mut dyn Iterator<Item = &str>, lo: usize, hi: usize| {
        it.map(|x| t(x).chars().count())
            .max()
            .unwrap_or(0)
            .clamp(lo, hi)
    };
    let lw = width(&mut c.rows.iter().map(|r| r.label.as_str()), 16, 40);
    let nw = width(&mut c.scenarios.iter().map(|s| s.name.as_str()), 14, 28);
    for v in &c.scenarios[1..] {
        let _ = writeln!(o, "\n{} − {}", t(&v.title), t(&first.title));
        let _ = writeln!(
            o,
            "{:<lw$} {:<32} {:>nw$} {:>nw$}  difference [95% interval]",
            "item",
            "outcome",
            fit(&first.name, nw),
            fit(&v.name, nw)
        );
        for r in c.rows.iter().filter(|r| r.variant == v.name) {
            let _ = writeln!(
                o,
                "{:<lw$} {:<32} {:>nw$} {:>nw$}  {}",
                fit(&r.label, lw),
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
            "\nnot compared (not in every scenario): {}",
            t(&c.not_compared.join(", "))
        );
    }
    let _ = writeln!(
        o,
        "\nwrote compare.csv, compare.json, compare.md, stock band and difference charts to {}/",
        t(&dir.display().to_string())
    );
    o
}

fn names_after_first(scenarios: &[&Scenario]) -> String {
    let names: Vec<&str> = scenarios[1..].iter().map(|s| s.name.as_str()).collect();
    names.join(", ")
}

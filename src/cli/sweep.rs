//! `porcupine sweep`: a grid of variants of one scenario (`--vary key.path=values`, each a
//! `--set`), simulated on the same futures, written as `sweep.csv` and printed as a table.

use super::*;
pub(super) use crate::analysis::sweep::{grid, rows, SweepRow, Vary, MAX_COMBINATIONS};

pub(super) fn sweep(args: &SweepArgs) -> Result<(), CliError> {
    use crate::analysis::OutcomeLayout;
    let bad = |message: String| {
        CliError::Load(LoadError::Read {
            path: args.file.clone(),
            reason: message,
            help: "write --vary key.path=v1,v2,v3 or --vary key.path=from..to:count; key paths as in error messages, e.g. funding.purl-donors.payment_probability".into(),
        })
    };
    let varies: Vec<Vary> = args
        .vary
        .iter()
        .map(|v| Vary::parse(v))
        .collect::<Result<_, _>>()
        .map_err(bad)?;
    let combos = grid(&varies);
    if combos.len() > MAX_COMBINATIONS {
        return Err(bad(format!(
            "the grid has {} combinations; a sweep may have at most {MAX_COMBINATIONS}",
            combos.len()
        )));
    }
    let mut loaded = Vec::new();
    for combo in &combos {
        let mut sets = args.set.clone();
        sets.extend(
            varies
                .iter()
                .zip(combo)
                .map(|(v, x)| format!("{}={x}", v.key)),
        );
        loaded.push(load(Some(&args.file), args.common.deny_warnings, &sets)?);
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
            command: crate::shard::PairedCommand::Sweep,
            loaded: &loaded,
            vary: &args.vary,
            set: &args.set,
        };
        return super::paired_shard::run_shard(&plan, &args.common, (runs, seed), shard);
    }
    let out_dir = args
        .common
        .out
        .clone()
        .unwrap_or_else(|| default_folder(first));
    let (layout, _) = OutcomeLayout::new(&scenarios);
    let paired = super::compare::simulate_paired(
        &scenarios,
        &layout,
        &args.common,
        (runs, seed),
        &out_dir,
        false,
    )?;
    let (files, text) = outputs(&varies, &loaded, (runs, seed), &paired.sums, &out_dir)?;
    paired.commit(&files)?;
    if args.common.quiet {
        return Ok(());
    }
    Stdout::default().print(&text)
}

/// The default results folder of a sweep.
pub(super) fn default_folder(first: &Scenario) -> PathBuf {
    Path::new("output").join(format!("sweep-{}", first.name))
}

/// The files of a sweep and its terminal table, from its exact sums: the same bytes after one
/// run or after merging shards.
pub(super) fn outputs(
    varies: &[Vary],
    loaded: &[(Scenario, String, String)],
    (runs, seed): (u64, u64),
    sums: &crate::analysis::PairedSums,
    out_dir: &Path,
) -> Result<(Vec<output::OutFile>, String), CliError> {
    let scenarios: Vec<&Scenario> = loaded.iter().map(|l| &l.0).collect();
    let (layout, _) = crate::analysis::OutcomeLayout::new(&scenarios);
    let combos = grid(varies);
    let table = rows(varies, &combos, &layout, sums);
    let mut files = vec![
        output::OutFile {
            name: "sweep.csv".into(),
            bytes: output::sweep::csv(&table)?,
        },
        output::OutFile {
            name: "scenario.toml".into(),
            bytes: loaded[0].1.clone().into_bytes(),
        },
    ];
    let first = scenarios[0];
    let keys: Vec<String> = varies.iter().map(|v| v.key.clone()).collect();
    let footer = crate::plot::Footer {
        scenario: format!("{} (sweep of {})", first.name, keys.join(", ")),
        runs,
        seed,
        version: env!("CARGO_PKG_VERSION").to_owned(),
        start: first.start,
    };
    let charts = output::sweep::charts(&first.title, &keys, &combos, &table);
    files.extend(output::render_charts(&charts, &footer)?);
    Ok((files, sweep_text(&table, runs, seed, out_dir)))
}

/// The end stock and the probability of none at the end, per combination and item.
fn sweep_text(table: &[SweepRow], runs: u64, seed: u64, dir: &Path) -> String {
    use std::fmt::Write as _;
    let t = |s: &str| crate::text::terminal(s).into_owned();
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} futures per combination, seed {seed}, on common random numbers; 95% intervals",
        crate::plot::format_units(runs as f64)
    );
    let mut last = 0;
    for r in table {
        if r.combination != last {
            last = r.combination;
            let _ = writeln!(o, "\n{}. {}", r.combination, t(&r.values));
        }
        if r.outcome == "end_stock" {
            let _ = writeln!(
                o,
                "   {:<28} end stock {:>10} [{} – {}]",
                t(&r.item),
                crate::plot::format_units(r.mean.round()),
                crate::plot::format_units(r.ci95_low.round()),
                crate::plot::format_units(r.ci95_high.round()),
            );
        }
    }
    let _ = writeln!(
        o,
        "\nEvery outcome, with differences from combination 1: {}",
        t(&dir.join("sweep.csv").display().to_string())
    );
    o
}

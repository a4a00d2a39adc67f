//! `porcupine sensitivity`: every uncertain input set to its P10 and its P90 in turn, all on the
//! same futures, plus the rank correlation of each input's draws with each outcome over the
//! base futures; written as `sensitivity.csv` and tornado charts, printed as a ranked table.

use super::*;
use crate::analysis::sensitivity::{self as sens, Experiment, Input, SensitivityRow};
use crate::analysis::OutcomeLayout;
use run::progress_bar;

pub(super) fn sensitivity(args: &SensitivityArgs) -> Result<(), CliError> {
    let bad = |reason: String, help: &str| {
        CliError::Load(LoadError::Read {
            path: args.file.clone(),
            reason,
            help: help.into(),
        })
    };
    let (base, text, _origin) = load(Some(&args.file), args.common.deny_warnings, &args.set)?;
    let runs = args
        .runs
        .or(base.default_runs)
        .unwrap_or(crate::DEFAULT_RUNS);
    if !(2..=sens::MAX_RUNS).contains(&runs) {
        return Err(bad(
            format!(
                "a sensitivity analysis runs 2 to {} futures, not {runs}: it keeps every future's draws in memory to rank them",
                crate::plot::format_units(sens::MAX_RUNS as f64)
            ),
            "give --runs 10000, say; the swings and correlations settle well before 100,000",
        ));
    }
    let seed = args
        .common
        .seed
        .or(base.default_seed)
        .unwrap_or(crate::DEFAULT_SEED);
    let inputs = sens::inputs(&base);
    if inputs.is_empty() {
        return Err(bad(
            "the scenario has no uncertain input drawn once per future (a ramp slip, a share, a customer's orders, an expansion's cost, capacity, lead time or success, an engaged share, shots per engagement, a factor level, a unit cost, a price multiplier, an exchange rate, a contract's slip, or a parameter of daily use or of a delay given as a distribution)".into(),
            "give one of them as a distribution, e.g. ramp_slip_days = { dist = \"uniform\", min = 0, max = 180 }",
        ));
    }
    if inputs.len() > sens::MAX_INPUTS {
        return Err(bad(
            format!(
                "the scenario has {} uncertain inputs; a sensitivity analysis takes at most {}",
                inputs.len(),
                sens::MAX_INPUTS
            ),
            "fix some of them with --set key.path=value",
        ));
    }
    let inputs: Vec<(Input, f64, f64)> = inputs
        .into_iter()
        .map(|i| {
            let (lo, hi) = (i.quantile(0.1), i.quantile(0.9));
            (i, lo, hi)
        })
        .collect();
    // Each variant is the scenario with one input fixed, exactly as `--set` would.
    let mut variants = Vec::with_capacity(2 * inputs.len());
    for (input, lo, hi) in &inputs {
        for v in [lo, hi] {
            let mut sets = args.set.clone();
            sets.push(format!("{}={}", input.path, toml_number(*v)));
            let r = scenario::resolve(&args.file, &sets)?;
            variants.push(r.check()?.scenario);
        }
    }
    let mut scenarios: Vec<&Scenario> = vec![&base];
    scenarios.extend(variants.iter());
    let out_dir = args
        .common
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(format!("sensitivity-{}", base.name)));
    let (layout, _) = OutcomeLayout::new(&scenarios);
    let paired = super::compare::simulate_paired(
        &scenarios,
        &layout,
        &args.common,
        (runs, seed),
        &out_dir,
        false,
    )?;
    let rows = base_futures(&base, &args.common, (runs, seed), &paired)?;
    // Each input's value in every future, as the engine drew it (the copula's, when correlated).
    let per_future = crate::analysis::draws::Draws::new(&base);
    let (mut scratch, mut values) = (Vec::new(), Vec::new());
    let mut draws: Vec<Vec<f64>> = vec![Vec::with_capacity(rows.len()); inputs.len()];
    for run in 0..runs {
        per_future.values_into(seed, run, &mut scratch, &mut values);
        for (d, &v) in draws.iter_mut().zip(&values) {
            d.push(v);
        }
    }
    let table = sens::table(&Experiment {
        scenario: &base,
        inputs: &inputs,
        layout: &layout,
        sums: &paired.sums,
        rows: &rows,
        draws: &draws,
    });
    let footer = crate::plot::Footer {
        scenario: base.name.clone(),
        runs,
        seed,
        version: env!("CARGO_PKG_VERSION").to_owned(),
        start: base.start,
    };
    let mut files = output::sensitivity::render(&table, &base.title, &footer)?;
    files.push(output::OutFile {
        name: "scenario.toml".into(),
        bytes: text.into_bytes(),
    });
    paired.commit(&files)?;
    if args.common.quiet {
        return Ok(());
    }
    Stdout::default().print(&sensitivity_text(&table, runs, seed, &out_dir))
}

/// A number as TOML: integers without a fraction, others in Rust's shortest round-trip form
/// (which TOML reads back exactly).
fn toml_number(v: f64) -> String {
    let s = format!("{v:?}");
    s.strip_suffix(".0").unwrap_or(&s).to_owned()
}

/// The base scenario's outcomes in every future, in run order (for the rank correlations).
fn base_futures(
    base: &Scenario,
    common: &ExperimentArgs,
    (runs, seed): (u64, u64),
    paired: &super::compare::Paired,
) -> Result<Vec<crate::analysis::futures::FutureRow>, CliError> {
    let bar = progress_bar(runs, common.quiet);
    let cfg = RunConfig {
        runs,
        seed,
        threads: common.threads.map(|t| t as usize),
        samples: 0,
    };
    let mut rows = Vec::with_capacity(usize::try_from(runs).unwrap_or(0));
    let mut sink = |chunk: &[crate::analysis::futures::FutureRow], _done: u64| {
        rows.extend_from_slice(chunk);
        Ok::<_, String>(runner::Flow::Continue)
    };
    match runner::run_with_futures(
        base,
        &cfg,
        &|d| bar.set_position(d),
        &paired.cancel,
        &mut sink,
    ) {
        Ok(_) => {}
        Err(RunError::Interrupted { done, runs }) => {
            bar.abandon();
            return Err(system::interrupted(
                format!("interrupted after {done} of {runs} futures"),
                &paired.signal,
            ));
        }
        Err(e) => {
            bar.abandon();
            return Err(CliError::Run(e));
        }
    }
    bar.finish_and_clear();
    Ok(rows)
}

/// The ranked table on the terminal: per item, the inputs with the widest swing in end stock.
fn sensitivity_text(table: &[SensitivityRow], runs: u64, seed: u64, dir: &Path) -> String {
    use crate::plot::format_units;
    use std::fmt::Write as _;
    const TOP: usize = 8;
    let t = |s: &str| crate::text::terminal(s).into_owned();
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} futures, seed {seed}; each input fixed at its P10, then its P90, on the same futures; ρ: rank correlation of its draws with the outcome",
        format_units(runs as f64)
    );
    let shown = |r: &&SensitivityRow| r.outcome == "end_stock" && r.rank <= TOP;
    // The input column fits the longest key path shown (16 to 72 characters, "…" beyond).
    let w = table
        .iter()
        .filter(shown)
        .map(|r| t(&r.key_path).chars().count())
        .max()
        .unwrap_or(0)
        .clamp(16, 72);
    let mut last = String::new();
    for r in table.iter().filter(|r| r.outcome == "end_stock") {
        if r.item != last {
            last.clone_from(&r.item);
            let _ = writeln!(
                o,
                "\n{} — mean end stock {} with every input drawn",
                t(&r.label),
                format_units(r.base.round())
            );
            let _ = writeln!(
                o,
                "  {:>4}  {:<w$} {:>21} {:>21} {:>10} {:>6} {:>14}",
                "rank", "input", "P10 → P90", "end stock at P10→P90", "swing", "ρ", "P(none) swing"
            );
        }
        if r.rank > TOP {
            continue;
        }
        let p_none = table
            .iter()
            .find(|x| x.item == r.item && x.outcome == "p_zero_at_end" && x.key_path == r.key_path)
            .map_or(0.0, |x| x.swing);
        let path = crate::output::risk_text::fit_label(&r.key_path, w);
        let _ = writeln!(
            o,
            "  {:>4}  {path:<w$} {:>21} {:>21} {:>10} {:>6} {:>13.1}pp",
            r.rank,
            format!(
                "{} → {}",
                crate::numbers::format_input(&r.key_path, r.p10),
                crate::numbers::format_input(&r.key_path, r.p90)
            ),
            format!(
                "{} → {}",
                format_units(r.at_p10.round()),
                format_units(r.at_p90.round())
            ),
            format!("{:+.1}", r.swing),
            r.rank_correlation
                .map_or_else(|| "–".to_owned(), |c| format!("{c:+.2}")),
            p_none * 100.0
        );
    }
    let _ = writeln!(
        o,
        "\nEvery outcome (end stock, P(no stock at the end), days at zero, deliveries): {}",
        t(&dir.join("sensitivity.csv").display().to_string())
    );
    o
}

/// An input's value as a reader writes it: US dollars for a key ending in `_usd` ("$77.4M"),
/// otherwise a number with thousands separators ("1,250", "0.35"). The CSV keeps the exact value.
#[cfg(test)]
mod tests {
    use super::*;

    fn row(key_path: &str, p10: f64, p90: f64) -> SensitivityRow {
        SensitivityRow {
            item: "shell".into(),
            label: "Shell".into(),
            outcome: "end_stock",
            outcome_label: "end stock",
            probability: false,
            key_path: key_path.into(),
            p10,
            p90,
            base: 1500.0,
            at_p10: 1200.0,
            at_p90: 1800.0,
            swing: 600.0,
            rank_correlation: Some(0.5),
            rank: 1,
        }
    }

    #[test]
    fn the_table_shows_whole_key_paths_and_readable_numbers() {
        let long = "line.a_rather_long_production_line_name.expansion[0].cost_usd";
        let table = [
            row(long, 77_386_100.0, 123_000_000.0),
            row("line.f.other_customers_share", 0.24, 0.56),
            row("line.f.releasable_stock", 1250.0, 20_000.0),
        ];
        let text = sensitivity_text(&table, 1000, 42, Path::new("out"));
        assert!(text.contains(long), "{text}");
        assert!(text.contains("$77.4M → $123M"), "{text}");
        assert!(text.contains("0.24 → 0.56"), "{text}");
        assert!(text.contains("1,250 → 20,000"), "{text}");
        assert!(!text.contains("e7"), "{text}");
        // The column is as wide as the longest path: the next column starts after it.
        let line = text.lines().find(|l| l.contains(long)).unwrap();
        assert!(line.contains(&format!("{long} ")), "{line}");
        // Beyond 72 characters a path is cut with an ellipsis.
        let huge = format!("line.{}.ramp_slip_days", "x".repeat(90));
        let text = sensitivity_text(&[row(&huge, 1.0, 2.0)], 10, 1, Path::new("out"));
        assert!(text.contains('…') && !text.contains(&huge), "{text}");
    }
}

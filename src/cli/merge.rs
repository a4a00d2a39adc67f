//! `porcupine merge PARTIAL…`: check that partial results are the N shards of one experiment,
//! add their exact accumulators, and write the results of the whole run through the same
//! results-folder machinery as `run` — the same bytes, without the scenario file and without
//! simulating.

use super::*;
use crate::shard::{self as part, ShardError};
use system::{install_signal_handlers, interrupted, report_peak_memory};

pub(super) fn merge(args: &MergeArgs) -> Result<(), CliError> {
    // The partials of `compare --shard` and `sweep --shard` hold paired sums instead.
    if let Some(first) = args.files.first() {
        if part::is_paired(first)? {
            return super::paired_shard::merge(args);
        }
    }
    let started = std::time::Instant::now();
    // Headers and one running total: memory is one accumulator, whatever the number of shards.
    let mut headers = Vec::with_capacity(args.files.len());
    let mut total: Option<(Scenario, crate::stats::Accumulator)> = None;
    for f in &args.files {
        let p = part::read(f)?;
        match &mut total {
            None => {
                let h = &p.header;
                let s = scenario::from_str(&h.scenario_text, Path::new(&h.scenario_file))?;
                part::check_one(f, &p, &s)?;
                total = Some((s, p.accumulator));
            }
            Some((s, acc)) => {
                // Another scenario is reported by the set check below, naming both files.
                let first: &(PathBuf, part::Header) = &headers[0];
                if p.header.scenario_hash == first.1.scenario_hash {
                    part::check_one(f, &p, s)?;
                    acc.merge(&p.accumulator);
                }
            }
        }
        headers.push((f.clone(), p.header));
    }
    let order = part::check_set(&headers)?;
    let Some((scenario, acc)) = total else {
        return Err(ShardError::Mismatch("no partial results to merge".into()).into());
    };
    let h = &headers[0].1;
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(&scenario.name));
    let (cancel, signal) = install_signal_handlers();
    let mut dest = output::Destination::prepare(&out_dir, args.force, None, &mut |note| {
        let _ = writeln!(std::io::stderr(), "note: {}", crate::text::terminal(note));
    })?;
    if h.runs_csv {
        write_runs_csv(&mut dest, &scenario, &headers, &order)?;
    }
    let meta = run::metadata(&h.scenario_file, &h.scenario_text, h.seed, acc.runs);
    let results = report::prepare(&scenario, &acc, meta);
    let chart_options = crate::plot::ChartOptions {
        png_scale: args.dpi as f32 / 150.0,
    };
    let files = output::render_with(&scenario, &results, &h.scenario_text, &chart_options)?;
    if cancel.load(Ordering::SeqCst) {
        return Err(interrupted("interrupted while merging".into(), &signal));
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
    let written = files.len() + usize::from(h.runs_csv);
    Stdout::default().print(&format!(
        "merged {} shards\n{}",
        headers.len(),
        run::summary_text(&scenario, &results, &out_dir, started.elapsed(), written)
    ))
}

/// Streams the per-future rows of every shard, in shard order, into `runs.csv`: one shard's rows
/// in memory at a time.
fn write_runs_csv(
    dest: &mut output::Destination,
    scenario: &Scenario,
    headers: &[(PathBuf, part::Header)],
    order: &[usize],
) -> Result<(), CliError> {
    let sink_err = |e: String| CliError::Run(RunError::Sink(e));
    let f = dest.stream("runs.csv")?;
    let mut w = crate::analysis::futures::csv_writer(scenario, std::io::BufWriter::new(f))
        .map_err(|e| sink_err(e.to_string()))?;
    let columns = crate::analysis::futures::outcome_columns(scenario);
    let mut out = crate::analysis::futures::Writer::new(scenario, headers[0].1.seed);
    for &i in order {
        let (path, h) = &headers[i];
        let rows = part::read_rows(path)?;
        if !rows.iter().map(|r| r.0).eq(h.first_run..h.end_run)
            || rows.iter().any(|r| r.1.len() != columns)
        {
            return Err(ShardError::NotPartial {
                path: path.clone(),
                why: "its runs.csv rows do not match its runs (the file was altered)".into(),
            }
            .into());
        }
        out.write(&mut w, &rows)
            .map_err(|e| sink_err(e.to_string()))?;
    }
    w.into_inner()
        .map_err(|e| e.to_string())
        .and_then(|mut b| std::io::Write::flush(&mut b).map_err(|e| e.to_string()))
        .map_err(sink_err)
}

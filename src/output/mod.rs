//! Writes results: pure serialisers turn prepared [`Results`] into named byte buffers, then a
//! [`Destination`] puts them on disk whole or not at all (a staging folder swapped into place),
//! never replacing earlier results unless asked to, and never anything porcupine did not write.

pub mod compare;
pub(crate) mod csv_rows;
mod daily;
pub mod events;
mod folder;
pub mod html;
mod markdown;
pub mod risk_text;
pub mod sensitivity;
pub mod summary_csv;
mod supply;
pub mod sweep;

pub use daily::{daily_csv, funding_csv, trajectories_csv};
pub use folder::Destination;
#[cfg(any(test, feature = "internals"))]
pub use folder::{results_folder, MARKER};

use crate::plot;
use crate::report::Results;
use crate::scenario::Scenario;
use std::path::{Path, PathBuf};
#[cfg(any(test, feature = "internals"))]
use std::sync::atomic::AtomicBool;

/// A file to write: name inside the results folder and its bytes.
#[derive(Debug, Clone)]
pub struct OutFile {
    /// File name (no folders).
    pub name: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// Why results could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The folder already holds earlier results.
    #[error("{} already holds results from an earlier run\n  = help: pass --force to replace them, or --out DIR to write somewhere else", .0.display())]
    Exists(PathBuf),
    /// The destination must never be replaced.
    #[error("refusing to write results into {}: {why}\n  = help: choose a new folder with --out DIR, e.g. --out output/my-results", dir.display())]
    Refused {
        /// The destination.
        dir: PathBuf,
        /// Why.
        why: String,
    },
    /// The folder is not a porcupine results folder, so `--force` may not replace it.
    #[error("refusing to replace {} even with --force: {why}\n  = help: --force only replaces a folder that porcupine wrote; choose a new folder with --out DIR, or move your files elsewhere first", dir.display())]
    NotResults {
        /// The destination.
        dir: PathBuf,
        /// Why it is not a results folder.
        why: String,
    },
    /// Another porcupine process holds the destination's lock.
    #[error("another porcupine process is writing results into {}\n  = help: wait for it to finish, or write elsewhere with --out DIR", .0.display())]
    Busy(PathBuf),
    /// A folder appeared at the destination while simulating; it was left alone.
    #[error("{} appeared while the simulation was running (another program created it), so it was left untouched; {}", dir.display(), kept.as_ref().map_or_else(|| "the new results could not be kept".to_owned(), |k| format!("the new results are in {}", k.display())))]
    AppearedMeanwhile {
        /// The destination.
        dir: PathBuf,
        /// Where the new results were put instead.
        kept: Option<PathBuf>,
    },
    /// A path exists but is not a folder.
    #[error("{} exists and is not a folder\n  = help: choose another place with --out DIR", .0.display())]
    NotAFolder(PathBuf),
    /// A file system operation failed.
    #[error("could not {action} {}: {source}\n  = help: {help}", path.display())]
    Io {
        /// What was being done.
        action: &'static str,
        /// Where.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
        /// What to do.
        help: String,
    },
    /// A chart could not be drawn.
    #[error(transparent)]
    Plot(#[from] plot::PlotError),
    /// Serialisation failed.
    #[error("could not write {file}: {message}")]
    Serialize {
        /// File.
        file: &'static str,
        /// Why.
        message: String,
    },
    /// Interrupted before the results were put in place.
    #[error(
        "interrupted while writing; earlier results (if any) are untouched and nothing was written"
    )]
    Interrupted,
}

fn io_help(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
            "the folder is not writable: choose another place with --out DIR".into()
        }
        std::io::ErrorKind::StorageFull => {
            "the disk is full: free some space or write elsewhere with --out DIR".into()
        }
        _ => "check that the folder exists and is writable, or choose another place with --out DIR"
            .into(),
    }
}

fn io<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> OutputError + 'a {
    move |source| OutputError::Io {
        action,
        path: path.to_owned(),
        help: io_help(&source),
        source,
    }
}

/// Serialises everything: CSV, JSON, Markdown, charts and a copy of the scenario, with charts
/// at the default print resolution.
pub fn render(s: &Scenario, r: &Results, scenario_text: &str) -> Result<Vec<OutFile>, OutputError> {
    render_with(s, r, scenario_text, &plot::ChartOptions::default())
}

/// [`render`] with chart options (PNG resolution).
pub fn render_with(
    s: &Scenario,
    r: &Results,
    scenario_text: &str,
    chart_options: &plot::ChartOptions,
) -> Result<Vec<OutFile>, OutputError> {
    let mut files = vec![
        OutFile {
            name: "daily.csv".into(),
            bytes: daily_csv(r)?,
        },
        OutFile {
            name: "funding.csv".into(),
            bytes: funding_csv(r)?,
        },
        OutFile {
            name: "trajectories.csv".into(),
            bytes: trajectories_csv(s, r)?,
        },
        OutFile {
            name: "summary.json".into(),
            bytes: summary_json(r)?,
        },
        OutFile {
            name: "summary.csv".into(),
            bytes: summary_csv::summary_csv(r)?,
        },
        OutFile {
            name: "risk_by_month.csv".into(),
            bytes: risk_text::risk_by_month_csv(r)?,
        },
        OutFile {
            name: "report.md".into(),
            bytes: markdown::report(s, r).into_bytes(),
        },
        OutFile {
            name: "scenario.toml".into(),
            bytes: scenario_text.as_bytes().to_vec(),
        },
    ];
    for (name, bytes) in [
        ("flows.csv", supply::flows_csv(s, r)?),
        ("lines.csv", supply::lines_csv(s, r)?),
        ("channels.csv", supply::channels_csv(s, r)?),
        ("money.csv", supply::money_csv(s, r)?),
    ] {
        files.push(OutFile {
            name: name.into(),
            bytes,
        });
    }
    if !r.summary.events.is_empty() {
        files.push(OutFile {
            name: "events.csv".into(),
            bytes: events::events_csv(r)?,
        });
    }
    if !r.summary.expansions.is_empty() {
        files.push(OutFile {
            name: "expansions.csv".into(),
            bytes: supply::expansions_csv(r)?,
        });
    }
    let kinds = charts(s, r);
    let drawn = plot::render_all(&kinds, &r.footer(), chart_options)?;
    files.push(OutFile {
        name: "report.html".into(),
        bytes: html::report(s, r, &drawn, &kinds).into_bytes(),
    });
    files.extend(chart_files(drawn));
    Ok(files)
}

/// Draws charts at the default print resolution, each as `NAME.png` and `NAME.svg`.
pub fn render_charts(
    charts: &[(String, plot::Chart)],
    footer: &plot::Footer,
) -> Result<Vec<OutFile>, OutputError> {
    let drawn = plot::render_all(charts, footer, &plot::ChartOptions::default())?;
    Ok(chart_files(drawn).collect())
}

/// Each drawn chart as two files, `NAME.png` and `NAME.svg`.
fn chart_files(drawn: Vec<plot::Rendered>) -> impl Iterator<Item = OutFile> {
    drawn.into_iter().flat_map(|c| {
        [
            OutFile {
                name: format!("{}.png", c.name),
                bytes: c.png,
            },
            OutFile {
                name: format!("{}.svg", c.name),
                bytes: c.svg.into_bytes(),
            },
        ]
    })
}

/// Every chart an experiment has data for, with its file name (no extension), in report order.
#[must_use]
pub fn charts(s: &Scenario, r: &Results) -> Vec<(String, plot::Chart)> {
    let mut out = Vec::new();
    for (i, it) in s.items.iter().enumerate() {
        out.push((
            format!("stock_{}", it.name),
            plot::Chart::Fan(r.fan_series(s, i)),
        ));
    }
    out.push(("risk".into(), plot::Chart::Risk(r.risk_series(s))));
    for (i, it) in s.items.iter().enumerate() {
        out.push((
            format!("end_stock_{}", it.name),
            plot::Chart::EndStock(r.end_stock_series(s, i)),
        ));
    }
    for (i, it) in s.items.iter().enumerate() {
        out.push((
            format!("flows_{}", it.name),
            plot::Chart::Flows(r.flow_series(s, i)),
        ));
    }
    for (n, l) in s.lines.iter().enumerate() {
        out.push((
            format!("production_{}", l.name),
            plot::Chart::Production(r.production_series(s, n)),
        ));
    }
    out.push(("funding".into(), plot::Chart::Money(r.funding_series(s))));
    if s.channels.len() > 1 {
        for (c, ch) in s.channels.iter().enumerate() {
            out.push((
                format!("money_{}", ch.name),
                plot::Chart::Money(r.channel_money_series(s, c)),
            ));
        }
    }
    out
}

/// Rounds for CSV: enough digits for analysis, no float noise.
fn round(v: f64, digits: i32) -> f64 {
    let m = 10f64.powi(digits);
    (v * m).round() / m
}

/// `summary.json`.
pub fn summary_json(r: &Results) -> Result<Vec<u8>, OutputError> {
    let mut v = serde_json::to_vec_pretty(&r.summary).map_err(|e| OutputError::Serialize {
        file: "summary.json",
        message: e.to_string(),
    })?;
    v.push(b'\n');
    Ok(v)
}

/// Writes `files` into `dir` whole or not at all: [`Destination::prepare`] then
/// [`Destination::commit`]. Programs that simulate should prepare the destination before
/// simulating, so that a destination that cannot be used is refused first.
#[cfg(any(test, feature = "internals"))]
pub fn write_folder(
    dir: &Path,
    files: &[OutFile],
    force: bool,
    cancel: &AtomicBool,
) -> Result<(), OutputError> {
    Destination::prepare(dir, force, None, &mut |_| {})?.commit(files, cancel)
}

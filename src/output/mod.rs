//! Writes results: pure serialisers turn prepared [`Results`] into named byte buffers, then
//! [`write_folder`] puts them on disk whole or not at all (a staging folder renamed into place),
//! never replacing earlier results unless asked to.

pub mod html;
mod markdown;
pub mod summary_csv;

use crate::plot;
use crate::report::Results;
use crate::scenario::Scenario;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

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
            name: "report.md".into(),
            bytes: markdown::report(s, r).into_bytes(),
        },
        OutFile {
            name: "scenario.toml".into(),
            bytes: scenario_text.as_bytes().to_vec(),
        },
    ];
    let kinds = charts(s, r);
    let drawn = plot::render_all(&kinds, &r.footer(), chart_options)?;
    files.push(OutFile {
        name: "report.html".into(),
        bytes: html::report(s, r, &drawn, &kinds).into_bytes(),
    });
    for c in drawn {
        files.push(OutFile {
            name: format!("{}.png", c.name),
            bytes: c.png,
        });
        files.push(OutFile {
            name: format!("{}.svg", c.name),
            bytes: c.svg.into_bytes(),
        });
    }
    Ok(files)
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
    out.push(("funding".into(), plot::Chart::Money(r.funding_series(s))));
    out
}

fn csv_err(file: &'static str) -> impl Fn(csv::Error) -> OutputError {
    move |e| OutputError::Serialize {
        file,
        message: e.to_string(),
    }
}

/// Rounds for CSV: enough digits for analysis, no float noise.
fn round(v: f64, digits: i32) -> f64 {
    let m = 10f64.powi(digits);
    (v * m).round() / m
}

/// `daily.csv`: one row per date and item.
pub fn daily_csv(r: &Results) -> Result<Vec<u8>, OutputError> {
    let e = csv_err("daily.csv");
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "date",
        "item",
        "mean",
        "sd",
        "p5",
        "p25",
        "p50",
        "p75",
        "p95",
        "prob_below_safe",
        "prob_zero",
    ])
    .map_err(&e)?;
    for row in &r.daily {
        w.write_record([
            row.date.to_string(),
            row.item.clone(),
            round(row.mean, 3).to_string(),
            round(row.sd, 3).to_string(),
            row.p5.to_string(),
            row.p25.to_string(),
            row.p50.to_string(),
            row.p75.to_string(),
            row.p95.to_string(),
            row.prob_below_safe
                .map(|p| round(p, 6).to_string())
                .unwrap_or_default(),
            round(row.prob_zero, 6).to_string(),
        ])
        .map_err(&e)?;
    }
    w.into_inner().map_err(|x| OutputError::Serialize {
        file: "daily.csv",
        message: x.to_string(),
    })
}

/// `funding.csv`: cumulative mean pledged, paid and spent per date.
pub fn funding_csv(r: &Results) -> Result<Vec<u8>, OutputError> {
    let e = csv_err("funding.csv");
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["date", "pledged_usd", "paid_usd", "spent_usd"])
        .map_err(&e)?;
    for (d, p, q, s) in &r.money {
        w.write_record([
            d.to_string(),
            round(*p, 2).to_string(),
            round(*q, 2).to_string(),
            round(*s, 2).to_string(),
        ])
        .map_err(&e)?;
    }
    w.into_inner().map_err(|x| OutputError::Serialize {
        file: "funding.csv",
        message: x.to_string(),
    })
}

/// `trajectories.csv`: the stock paths of the first runs, for spaghetti plots.
pub fn trajectories_csv(s: &Scenario, r: &Results) -> Result<Vec<u8>, OutputError> {
    let e = csv_err("trajectories.csv");
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["date", "item", "run", "stock"])
        .map_err(&e)?;
    for (run, item, path) in &r.samples {
        for (d, v) in path.iter().enumerate() {
            w.write_record([
                s.date(crate::units::Day(d as u32)).to_string(),
                s.items[*item].name.clone(),
                run.to_string(),
                v.to_string(),
            ])
            .map_err(&e)?;
        }
    }
    w.into_inner().map_err(|x| OutputError::Serialize {
        file: "trajectories.csv",
        message: x.to_string(),
    })
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

/// Writes `files` into `dir` whole or not at all: into a staging folder beside it, then renamed
/// into place. An existing non-empty `dir` is replaced only with `force`, and only once the new
/// results are complete. Setting `cancel` before the swap leaves everything as it was.
pub fn write_folder(
    dir: &Path,
    files: &[OutFile],
    force: bool,
    cancel: &AtomicBool,
) -> Result<(), OutputError> {
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let existing = match fs::metadata(dir) {
        Ok(m) if !m.is_dir() => return Err(OutputError::NotAFolder(dir.to_owned())),
        Ok(_) => fs::read_dir(dir).map_err(io("read", dir))?.next().is_some(),
        Err(_) => false,
    };
    if existing && !force {
        return Err(OutputError::Exists(dir.to_owned()));
    }
    fs::create_dir_all(&parent).map_err(io("create the folder", &parent))?;
    let base = dir
        .file_name()
        .map_or_else(|| "results".into(), |n| n.to_string_lossy().into_owned());
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{base}.partial-"))
        .tempdir_in(&parent)
        .map_err(io("create a staging folder in", &parent))?;
    for f in files {
        let path = staging.path().join(&f.name);
        let mut file = fs::File::create(&path).map_err(io("create", &path))?;
        file.write_all(&f.bytes).map_err(io("write", &path))?;
        file.sync_all().map_err(io("write", &path))?;
    }
    if cancel.load(Ordering::Relaxed) {
        return Err(OutputError::Interrupted);
    }
    if dir.exists() {
        // Move the old results aside, put the new ones in place, then delete the old ones.
        let old = tempfile::Builder::new()
            .prefix(&format!(".{base}.old-"))
            .tempdir_in(&parent)
            .map_err(io("create a folder in", &parent))?;
        let old_path = old.path().join("previous");
        fs::rename(dir, &old_path).map_err(io("move aside", dir))?;
        if let Err(e) = fs::rename(staging.path(), dir) {
            let _ = fs::rename(&old_path, dir);
            return Err(io("move results into", dir)(e));
        }
        drop(old); // removes the previous results
    } else {
        fs::rename(staging.path(), dir).map_err(io("move results into", dir))?;
    }
    // The staging folder now is `dir`; make sure the guard does not delete it.
    let _ = staging.keep();
    Ok(())
}

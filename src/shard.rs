//! One experiment split across machines: which runs a shard simulates, the partial result it
//! writes (exact accumulators, not runs), and the checks that the partials of a `merge` belong
//! together.
//!
//! **The split.** `--shard K/N` (K from 1 to N) simulates the contiguous block of run indices
//! `[(K−1)·R/N, K·R/N)` of an experiment of R runs (integer division), so the N blocks cover
//! `0..R` once, in order, and differ in size by at most one run; with N > R some are empty. Run
//! k draws from the streams keyed by (seed, k), so it is the same future in whichever shard it
//! falls, and merging the exact integer accumulators gives the same bits as one run.
//!
//! **The partial file** (format [`FORMAT`], version [`FORMAT_VERSION`]) is one JSON object:
//! the program version, the scenario's file name as given, its text and hash, the seed, R, N, K
//! and the run range, whether the per-future rows of `runs.csv` are kept, the accumulator of the
//! shard's runs and, when kept, those rows. It holds everything `merge` needs to write the
//! results, so merging never reads the scenario file nor simulates.
//!
//! `compare --shard` and `sweep --shard` write a [`PairedPartial`] instead (format
//! [`PAIRED_FORMAT`]): the exact paired sums of the shard's block of runs, with every scenario's
//! resolved text and the command's options.

use crate::analysis::futures::FutureRow;
use crate::scenario::Scenario;
use crate::stats::Accumulator;
use serde::{Deserialize, Serialize};
use std::io::{BufReader, BufWriter, Write as _};
use std::ops::Range;
use std::path::{Path, PathBuf};

mod paired;
pub use paired::{
    is_paired, read_paired, write_paired, PairedCommand, PairedPartial, PairedScenario,
    PAIRED_FORMAT,
};

/// The `format` field of every partial file.
pub const FORMAT: &str = "steel-porcupine partial result";
/// The version of the partial format; a change that older readers cannot read bumps it.
pub const FORMAT_VERSION: u32 = 1;

/// Shard K of N (K from 1 to N).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which shard, from 1.
    pub k: u64,
    /// How many shards.
    pub n: u64,
}

impl Shard {
    /// Parses `K/N` with 1 ≤ K ≤ N.
    ///
    /// # Errors
    /// A message saying what a shard looks like.
    pub fn parse(s: &str) -> Result<Shard, String> {
        let bad = || {
            format!("{s:?} is not a shard: give K/N with 1 ≤ K ≤ N, e.g. --shard 3/8 for the third of eight")
        };
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (k, n) = (
            k.trim().parse::<u64>().map_err(|_| bad())?,
            n.trim().parse::<u64>().map_err(|_| bad())?,
        );
        if k == 0 || k > n || n > crate::MAX_RUNS {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }

    /// The run indices of this shard in an experiment of `runs` runs:
    /// `[(K−1)·runs/N, K·runs/N)`.
    #[must_use]
    pub fn runs(self, runs: u64) -> Range<u64> {
        let at = |i: u64| (u128::from(i) * u128::from(runs) / u128::from(self.n)) as u64;
        at(self.k - 1)..at(self.k)
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

/// What identifies an experiment and one shard of it: everything in a partial but the data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`FORMAT_VERSION`] when written.
    pub format_version: u32,
    /// The program version that wrote it (merged results must come from one version).
    pub version: String,
    /// The scenario file as given on the command line (it appears in the results).
    pub scenario_file: String,
    /// Stable hash of the scenario text (hex).
    pub scenario_hash: String,
    /// The scenario text itself.
    pub scenario_text: String,
    /// Master seed.
    pub seed: u64,
    /// Runs of the whole experiment (R).
    pub runs: u64,
    /// Number of shards (N).
    pub shards: u64,
    /// This shard (K, from 1).
    pub shard: u64,
    /// First run index of this shard.
    pub first_run: u64,
    /// One past its last run index.
    pub end_run: u64,
    /// Whether the per-future rows of `runs.csv` are kept.
    pub runs_csv: bool,
}

/// A partial file without its per-future rows (serde skips them when reading).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Partial {
    /// What it is.
    #[serde(flatten)]
    pub header: Header,
    /// The exact statistics of the shard's runs.
    pub accumulator: Accumulator,
}

/// The per-future rows of a partial, in run order (empty when not kept).
#[derive(Debug, Default, Deserialize)]
pub struct Rows {
    /// `(run, outcomes)` in the column order of `runs.csv`.
    #[serde(default)]
    pub rows: Vec<FutureRow>,
}

/// What is written: the partial and its rows.
#[derive(Serialize)]
struct PartialRef<'a> {
    #[serde(flatten)]
    header: &'a Header,
    accumulator: &'a Accumulator,
    rows: &'a [FutureRow],
}

/// Why partial results cannot be written, read or merged.
#[derive(Debug, thiserror::Error)]
pub enum ShardError {
    /// An option that a shard cannot honour.
    #[error("{0}")]
    Unsupported(String),
    /// The partial file exists already.
    #[error("{} already exists\n  = help: pass --force to replace it, or --out FILE to write elsewhere", .0.display())]
    Exists(PathBuf),
    /// Reading or writing failed.
    #[error("could not {action} {}: {reason}\n  = help: {help}", path.display())]
    Io {
        /// What was being done.
        action: &'static str,
        /// Where.
        path: PathBuf,
        /// Why.
        reason: String,
        /// What to do.
        help: &'static str,
    },
    /// The file is not a partial result this version can read.
    #[error("{} is not a partial result porcupine {} can merge: {why}\n  = help: give the files written by `porcupine run FILE --shard K/N`, all by this version of porcupine", path.display(), env!("CARGO_PKG_VERSION"))]
    NotPartial {
        /// The file.
        path: PathBuf,
        /// Why.
        why: String,
    },
    /// Partials of different experiments, or an incomplete set.
    #[error("{0}")]
    Mismatch(String),
}

impl ShardError {
    /// 2 for bad input (options, partial files, an incomplete set), 1 for a failed write.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match self {
            ShardError::Io {
                action: "write", ..
            } => 1,
            _ => 2,
        }
    }
}

/// Writes a partial atomically (a temporary file in the same folder, renamed into place),
/// refusing to replace an existing file unless `force`.
///
/// # Errors
/// [`ShardError::Exists`] or [`ShardError::Io`].
pub fn write(
    path: &Path,
    header: &Header,
    acc: &Accumulator,
    rows: &[FutureRow],
    force: bool,
) -> Result<(), ShardError> {
    let data = PartialRef {
        header,
        accumulator: acc,
        rows,
    };
    write_json(path, &data, force)
}

/// Writes one JSON value to `path` through a temporary file in the same folder, synced and then
/// renamed into place, so a partial file is whole or absent; refuses to replace an existing
/// file unless `force`.
fn write_json<T: Serialize>(path: &Path, data: &T, force: bool) -> Result<(), ShardError> {
    let io = |action, help| {
        move |e: std::io::Error| ShardError::Io {
            action,
            path: path.to_owned(),
            reason: e.to_string(),
            help,
        }
    };
    let help =
        "check that the folder is writable and has space, or choose another file with --out FILE";
    if !force && path.exists() {
        return Err(ShardError::Exists(path.to_owned()));
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(io("write", help))?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".partial-");
    // Readable like any other file the user creates (the umask applies), not owner-only.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let tmp = builder.tempfile_in(&parent).map_err(io("write", help))?;
    let mut w = BufWriter::new(tmp);
    serde_json::to_writer(&mut w, data).map_err(|e| io("write", help)(e.into()))?;
    w.write_all(b"\n").map_err(io("write", help))?;
    let tmp = w
        .into_inner()
        .map_err(|e| io("write", help)(e.into_error()))?;
    tmp.as_file().sync_all().map_err(io("write", help))?;
    let persisted = if force {
        tmp.persist(path).map(drop)
    } else {
        tmp.persist_noclobber(path).map(drop)
    };
    match persisted {
        Ok(()) => Ok(()),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(ShardError::Exists(path.to_owned()))
        }
        Err(e) => Err(io("write", help)(e.error)),
    }
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, ShardError> {
    let f = std::fs::File::open(path).map_err(|e| ShardError::Io {
        action: "read",
        path: path.to_owned(),
        reason: e.to_string(),
        help: "check the file name (the shards write the files that merge reads)",
    })?;
    serde_json::from_reader(BufReader::new(f)).map_err(|e| ShardError::NotPartial {
        path: path.to_owned(),
        why: if e.is_io() {
            e.to_string()
        } else {
            format!("it is not a complete partial result ({e})")
        },
    })
}

/// Reads a partial without its rows, checking its format and version first.
///
/// # Errors
/// [`ShardError::Io`] or [`ShardError::NotPartial`].
pub fn read(path: &Path) -> Result<Partial, ShardError> {
    #[derive(Deserialize)]
    struct Tag {
        format: Option<String>,
        format_version: Option<u32>,
    }
    let not = |why: String| ShardError::NotPartial {
        path: path.to_owned(),
        why,
    };
    // A wrong format or version is reported as such, not as a missing field.
    let tag: Tag = read_json(path)?;
    if tag.format.as_deref() == Some(PAIRED_FORMAT) {
        return Err(not(
            "it is a partial result of `compare` or `sweep`; merge it with the other shards of that command".into(),
        ));
    }
    if tag.format.as_deref() != Some(FORMAT) {
        return Err(not("it has no partial-result header".into()));
    }
    if tag.format_version != Some(FORMAT_VERSION) {
        return Err(not(format!(
            "it is in partial format {}, this version reads format {FORMAT_VERSION}",
            tag.format_version.map_or("?".into(), |v| v.to_string())
        )));
    }
    read_json(path)
}

/// Reads the per-future rows of a partial.
///
/// # Errors
/// [`ShardError::Io`] or [`ShardError::NotPartial`].
pub fn read_rows(path: &Path) -> Result<Vec<FutureRow>, ShardError> {
    read_json::<Rows>(path).map(|r| r.rows)
}

/// Checks that one partial is consistent in itself and fits the scenario compiled from its text:
/// the hash of the text, the run range of its shard, the run count and the shape of the
/// accumulator.
///
/// # Errors
/// [`ShardError::NotPartial`] saying what is wrong.
pub fn check_one(path: &Path, p: &Partial, s: &Scenario) -> Result<(), ShardError> {
    let not = |why: String| {
        Err(ShardError::NotPartial {
            path: path.to_owned(),
            why,
        })
    };
    let h = &p.header;
    if h.version != env!("CARGO_PKG_VERSION") {
        return not(format!(
            "it was written by porcupine {}; run the shards and the merge with one version",
            h.version
        ));
    }
    if crate::cli::scenario_hash(&h.scenario_text) != h.scenario_hash {
        return not("its scenario text does not match its hash (the file was altered)".into());
    }
    if h.shards == 0 || h.shard == 0 || h.shard > h.shards {
        return not(format!("shard {}/{} does not exist", h.shard, h.shards));
    }
    let expected = Shard {
        k: h.shard,
        n: h.shards,
    }
    .runs(h.runs);
    let a = &p.accumulator;
    if expected != (h.first_run..h.end_run) || a.runs != expected.end - expected.start {
        return not(format!(
            "shard {}/{} of {} runs should hold runs {}..{}, it holds {} runs of {}..{}",
            h.shard, h.shards, h.runs, expected.start, expected.end, a.runs, h.first_run, h.end_run
        ));
    }
    let days = s.days();
    let shape_ok = a.days == days
        && a.safe == s.items.iter().map(|i| i.safe_stock).collect::<Vec<_>>()
        && a.daily.len() == s.items.len() * days
        && a.money_per_day.iter().all(|m| m.len() == days)
        && a.items.len() == s.items.len()
        && a.items.iter().all(|i| i.first_below_safe.len() == days)
        && a.funding.len() == s.funding.len()
        && a.channels.len() == s.channels.len()
        && a.lines.len() == s.lines.len()
        && a.sample_limit == crate::SAMPLE_PATHS
        && a.samples.iter().all(|(r, v)| {
            expected.contains(r) && *r < a.sample_limit && v.len() == s.items.len() * days
        });
    let hists_ok = a.daily.iter().all(|c| c.hist.well_formed())
        && a.items.iter().all(|i| {
            [
                &i.end_stock,
                &i.ordered,
                &i.delivered,
                &i.unmet,
                &i.days_below_safe,
                &i.days_short,
            ]
            .iter()
            .all(|t| t.hist.well_formed())
        });
    if !shape_ok || !hists_ok {
        return not("its statistics do not fit its scenario (the file was altered)".into());
    }
    Ok(())
}

/// Checks that partials (already checked one by one) are the shards of one experiment, each
/// exactly once, and returns their indices in shard order.
///
/// # Errors
/// [`ShardError::Mismatch`] naming the files that differ, or the shards missing or given twice.
pub fn check_set(parts: &[(PathBuf, Header)]) -> Result<Vec<usize>, ShardError> {
    let Some((first_path, a)) = parts.first() else {
        return Err(ShardError::Mismatch(
            "no partial results to merge\n  = help: give the files written by `porcupine run FILE --shard K/N`".into(),
        ));
    };
    for (path, b) in &parts[1..] {
        let differs = [
            ("scenario", a.scenario_hash != b.scenario_hash),
            ("scenario file name", a.scenario_file != b.scenario_file),
            ("seed", a.seed != b.seed),
            ("number of runs", a.runs != b.runs),
            ("number of shards", a.shards != b.shards),
            ("runs.csv choice", a.runs_csv != b.runs_csv),
        ];
        if let Some((what, _)) = differs.iter().find(|(_, d)| *d) {
            return Err(ShardError::Mismatch(format!(
                "{} and {} are shards of different experiments (their {what} differs)\n  = help: merge only the shards of one `porcupine run FILE --runs R --seed S --shard K/N` series",
                first_path.display(),
                path.display()
            )));
        }
    }
    let n = a.shards;
    let mut at = std::collections::BTreeMap::new();
    for (i, (path, p)) in parts.iter().enumerate() {
        if let Some(j) = at.insert(p.shard, i) {
            return Err(ShardError::Mismatch(format!(
                "shard {}/{n} is given twice: {} and {}\n  = help: give each shard's file once",
                p.shard,
                parts[j].0.display(),
                path.display()
            )));
        }
    }
    if (parts.len() as u64) < n {
        let mut given: Vec<u64> = parts.iter().map(|(_, p)| p.shard).collect();
        given.sort_unstable();
        let missing: Vec<String> = (1..=n)
            .filter(|k| given.binary_search(k).is_err())
            .take(10)
            .map(|k| format!("{k}/{n}"))
            .collect();
        return Err(ShardError::Mismatch(format!(
            "{} of {n} shards are missing: {}{}\n  = help: wait for every shard to finish (or rerun the failed ones with `porcupine run FILE --shard K/{n}`), then merge all {n} files",
            n - parts.len() as u64,
            missing.join(", "),
            if n - (parts.len() as u64) > 10 { ", …" } else { "" }
        )));
    }
    Ok(at.into_values().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_the_runs_once_in_order() {
        for runs in [1u64, 2, 5, 10, 999, 1000, 10_007] {
            for n in [1u64, 2, 3, 7, 16, 1001] {
                let mut next = 0;
                for k in 1..=n {
                    let r = Shard { k, n }.runs(runs);
                    assert_eq!(r.start, next);
                    assert!(r.end - r.start <= runs / n + 1);
                    assert!(r.end - r.start >= runs / n);
                    next = r.end;
                }
                assert_eq!(next, runs);
            }
        }
    }

    #[test]
    fn shard_syntax() {
        assert_eq!(Shard::parse("3/8"), Ok(Shard { k: 3, n: 8 }));
        assert_eq!(Shard::parse("1/1"), Ok(Shard { k: 1, n: 1 }));
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", "-1/3", ""] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }
}

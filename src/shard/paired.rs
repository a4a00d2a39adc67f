//! The partial results of `compare --shard` and `sweep --shard` ([`PairedPartial`], format
//! [`PAIRED_FORMAT`]): the exact paired sums of a shard's block of runs (and, for `compare`,
//! every scenario's daily stock bands), with every scenario's resolved text and the command's
//! options, and the checks a `merge` makes on each.

use super::{read_json, write_json, Header, Shard, ShardError, FORMAT_VERSION};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The `format` field of the partial results of `compare --shard` and `sweep --shard`.
pub const PAIRED_FORMAT: &str = "steel-porcupine paired partial result";

/// Which paired command wrote a partial.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PairedCommand {
    /// `porcupine compare A B …`.
    Compare,
    /// `porcupine sweep FILE --vary …`.
    Sweep,
}

/// One scenario of a paired experiment, as it was simulated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairedScenario {
    /// The file as given on the command line.
    pub file: String,
    /// Stable hash of the resolved text (hex).
    pub hash: String,
    /// The resolved text (what was validated and simulated).
    pub text: String,
}

/// A partial result of `compare --shard K/N` or `sweep --shard K/N` (format [`PAIRED_FORMAT`],
/// version [`FORMAT_VERSION`]): the exact paired sums of the shard's runs and everything the
/// command needs to write its results from them — every scenario's resolved text (for a sweep,
/// one per combination, in grid order) and the `--vary` and `--set` options as given.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PairedPartial {
    /// Always [`PAIRED_FORMAT`].
    pub format: String,
    /// [`FORMAT_VERSION`] when written.
    pub format_version: u32,
    /// The program version that wrote it.
    pub version: String,
    /// The command.
    pub command: PairedCommand,
    /// The scenarios, in the command's order.
    pub scenarios: Vec<PairedScenario>,
    /// `--vary` options of a sweep, as given.
    pub vary: Vec<String>,
    /// `--set` options, as given.
    pub set: Vec<String>,
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
    /// The exact paired sums of the shard's runs.
    pub sums: crate::analysis::PairedSums,
    /// `compare`: every scenario's daily stock of the compared items over the shard's runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bands: Option<crate::stats::bands::StockBands>,
}

impl PairedPartial {
    /// What identifies the experiment, in the shape [`super::check_set`] compares: the scenario hash
    /// stands for the command, every scenario's hash and the options.
    #[must_use]
    pub fn header(&self) -> Header {
        let mut ident = format!("{:?}", self.command);
        for s in &self.scenarios {
            ident.push('\n');
            ident.push_str(&s.hash);
        }
        for v in self.vary.iter().chain(&self.set) {
            ident.push('\n');
            ident.push_str(v);
        }
        let files: Vec<&str> = self.scenarios.iter().map(|s| s.file.as_str()).collect();
        Header {
            format: self.format.clone(),
            format_version: self.format_version,
            version: self.version.clone(),
            scenario_file: files.join(" "),
            scenario_hash: crate::cli::scenario_hash(&ident),
            scenario_text: String::new(),
            seed: self.seed,
            runs: self.runs,
            shards: self.shards,
            shard: self.shard,
            first_run: self.first_run,
            end_run: self.end_run,
            runs_csv: false,
        }
    }
}

/// Writes a paired partial result, whole or not at all (as [`write`]).
///
/// # Errors
/// [`ShardError::Exists`] or [`ShardError::Io`].
pub fn write_paired(path: &Path, p: &PairedPartial, force: bool) -> Result<(), ShardError> {
    write_json(path, p, force)
}

/// Whether the file at `path` is a paired partial (of `compare` or `sweep`) rather than a
/// partial of `run`.
///
/// # Errors
/// [`ShardError::Io`] or [`ShardError::NotPartial`] when it cannot be read as JSON.
pub fn is_paired(path: &Path) -> Result<bool, ShardError> {
    #[derive(Deserialize)]
    struct Tag {
        format: Option<String>,
    }
    let tag: Tag = read_json(path)?;
    Ok(tag.format.as_deref() == Some(PAIRED_FORMAT))
}

/// Reads a paired partial and checks it in itself: format, version, program version, the
/// hashes of its texts, its run range and the shape of its sums (`outcomes` per scenario is
/// checked by the caller, which compiles the scenarios).
///
/// # Errors
/// [`ShardError::Io`] or [`ShardError::NotPartial`] saying what is wrong.
pub fn read_paired(path: &Path) -> Result<PairedPartial, ShardError> {
    #[derive(Deserialize)]
    struct Tag {
        format: Option<String>,
        format_version: Option<u32>,
    }
    let not = |why: String| ShardError::NotPartial {
        path: path.to_owned(),
        why,
    };
    let tag: Tag = read_json(path)?;
    if tag.format.as_deref() != Some(PAIRED_FORMAT) {
        return Err(not(
            "it is not a partial result of `compare` or `sweep` (merge the shards of one command together)".into(),
        ));
    }
    if tag.format_version != Some(FORMAT_VERSION) {
        return Err(not(format!(
            "it is in partial format {}, this version reads format {FORMAT_VERSION}",
            tag.format_version.map_or("?".into(), |v| v.to_string())
        )));
    }
    let p: PairedPartial = read_json(path)?;
    if p.version != env!("CARGO_PKG_VERSION") {
        return Err(not(format!(
            "it was written by porcupine {}; run the shards and the merge with one version",
            p.version
        )));
    }
    if p.scenarios
        .iter()
        .any(|s| crate::cli::scenario_hash(&s.text) != s.hash)
    {
        return Err(not(
            "a scenario text does not match its hash (the file was altered)".into(),
        ));
    }
    if p.shards == 0 || p.shard == 0 || p.shard > p.shards {
        return Err(not(format!(
            "shard {}/{} does not exist",
            p.shard, p.shards
        )));
    }
    let expected = Shard {
        k: p.shard,
        n: p.shards,
    }
    .runs(p.runs);
    if expected != (p.first_run..p.end_run) || p.sums.n != expected.end - expected.start {
        return Err(not(format!(
            "shard {}/{} of {} runs should hold runs {}..{}, it holds {} runs of {}..{}",
            p.shard,
            p.shards,
            p.runs,
            expected.start,
            expected.end,
            p.sums.n,
            p.first_run,
            p.end_run
        )));
    }
    if p.bands.as_ref().is_some_and(|b| b.runs() != p.sums.n) {
        return Err(not(
            "its stock bands do not count its runs (the file was altered)".into(),
        ));
    }
    let minimum = match p.command {
        PairedCommand::Compare => 2,
        PairedCommand::Sweep => 1,
    };
    if p.scenarios.len() < minimum {
        return Err(not(
            "it names too few scenarios (the file was altered)".into()
        ));
    }
    Ok(p)
}

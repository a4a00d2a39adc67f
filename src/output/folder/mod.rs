//! The results folder on disk: checked and locked before any simulation, filled in a hidden
//! staging folder, and swapped into place in one step, so results are written whole or not at
//! all and nothing a user wrote is ever deleted.
//!
//! The protocol, for a destination `DIR` inside `PARENT`:
//!
//! 1. [`Destination::prepare`] refuses destinations that must never be replaced (`/`, `.`, `..`,
//!    the current folder or one above it, the scenario's own folder, a mount point, a symbolic
//!    link), takes an exclusive OS lock on `PARENT/.DIR.lock` (held until the end, so two
//!    porcupine processes never write one folder), cleans up or recovers what a killed run left
//!    behind, refuses a non-empty `DIR` without `--force` and, even with `--force`, a folder that
//!    porcupine did not write, and creates the staging folder `PARENT/.DIR.partial-*`, which
//!    also proves the place is writable — all before the first simulated future.
//! 2. [`Destination::commit`] writes and syncs every file into the staging folder, adds the
//!    marker `.porcupine-results` that lists them, and puts the folder in place: a new folder with
//!    a rename that fails rather than replace anything that appeared meanwhile; earlier results
//!    with one atomic exchange (Linux `renameat2(RENAME_EXCHANGE)`), after which the old results
//!    are deleted. Where the exchange is not available, the old folder is first moved to
//!    `PARENT/.DIR.old-*`; a run killed between the two renames is recovered by the next one.
//!
//! A cancel flag (Ctrl-C, SIGTERM, SIGHUP) is honoured between files and before the swap; the
//! staging folder is then removed and earlier results stay as they were.

mod checks;
mod steps;

pub use checks::results_folder;

use super::{OutFile, OutputError};
use checks::{check_not_precious, recover_leftovers};
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use steps::{
    exchange, rename_new, sync_dir, test_abort_at, test_pause_while_writing, write_synced,
};

/// Name of the marker file that makes a folder recognisably porcupine's.
pub const MARKER: &str = ".porcupine-results";
const MARKER_HEADER: &str = "steel-porcupine results folder, format 1; files written:";

/// What is at the destination before the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Existing {
    /// Nothing: the folder will be created.
    Nothing,
    /// An empty folder.
    Empty,
    /// Earlier porcupine results, to be replaced (`--force`).
    Results,
}

/// A checked, locked destination with its staging folder, ready to receive results.
#[derive(Debug)]
pub struct Destination {
    dir: PathBuf,
    parent: PathBuf,
    base: String,
    existing: Existing,
    staging: tempfile::TempDir,
    /// Held until the destination is dropped: the OS releases it with the file.
    _lock: File,
    /// Files written into the staging folder while simulating (see [`Destination::stream`]).
    streamed: Vec<String>,
}

impl Destination {
    /// Checks and locks `dir` before a run (see the module documentation). `scenario_file` is the
    /// scenario being run, whose folder is never a valid destination.
    /// What was cleaned up or recovered from an earlier, interrupted run is passed to `note` as
    /// it happens (to tell the user, even if the destination is then refused).
    pub fn prepare(
        dir: &Path,
        force: bool,
        scenario_file: Option<&Path>,
        note: &mut dyn FnMut(&str),
    ) -> Result<Destination, OutputError> {
        let refuse = |why: &str| OutputError::Refused {
            dir: dir.to_owned(),
            why: why.to_owned(),
        };
        let Some(base) = dir.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            return Err(refuse(
                "it is not a folder name that results can be written to (`/`, `.` and `..` never are)",
            ));
        };
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        check_not_precious(dir, scenario_file).map_err(|why| refuse(&why))?;
        // Refuse a file in the way before leaving a lock file beside it.
        if fs::symlink_metadata(dir).is_ok_and(|m| m.is_file()) {
            return Err(OutputError::NotAFolder(dir.to_owned()));
        }

        fs::create_dir_all(&parent).map_err(super::io("create the folder", &parent))?;
        let lock_path = parent.join(format!(".{base}.lock"));
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(super::io("create a lock file in", &parent))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => return Err(OutputError::Busy(dir.to_owned())),
            Err(fs::TryLockError::Error(e)) => return Err(super::io("lock", &lock_path)(e)),
        }

        recover_leftovers(dir, &parent, &base, note)?;

        let existing = match fs::symlink_metadata(dir) {
            Err(_) => Existing::Nothing,
            Ok(m) if m.file_type().is_symlink() => {
                return Err(refuse(
                    "it is a symbolic link; give the folder it points to instead",
                ))
            }
            Ok(m) if !m.is_dir() => return Err(OutputError::NotAFolder(dir.to_owned())),
            Ok(_) => {
                if fs::read_dir(dir)
                    .map_err(super::io("read", dir))?
                    .next()
                    .is_none()
                {
                    Existing::Empty
                } else if !force {
                    return Err(OutputError::Exists(dir.to_owned()));
                } else {
                    results_folder(dir).map_err(|why| OutputError::NotResults {
                        dir: dir.to_owned(),
                        why,
                    })?;
                    Existing::Results
                }
            }
        };
        let staging = tempfile::Builder::new()
            .prefix(&format!(".{base}.partial-"))
            .tempdir_in(&parent)
            .map_err(super::io("create a staging folder in", &parent))?;
        Ok(Destination {
            dir: dir.to_owned(),
            parent,
            base,
            existing,
            staging,
            _lock: lock,
            streamed: Vec::new(),
        })
    }

    /// The results folder.
    #[must_use]
    #[cfg(any(test, feature = "internals"))]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// A file in the staging folder to write while simulating (e.g. one row per future), so it
    /// never has to be held in memory. It becomes part of the results at [`Destination::commit`];
    /// the caller flushes it first.
    pub fn stream(&mut self, name: &str) -> Result<File, OutputError> {
        let path = self.staging.path().join(name);
        let f = File::create(&path).map_err(super::io("create", &path))?;
        self.streamed.push(name.to_owned());
        Ok(f)
    }

    /// Writes `files` and puts them in place whole. If `cancel` is set before the swap, nothing
    /// changes at the destination and the staging folder is removed.
    pub fn commit(self, files: &[OutFile], cancel: &AtomicBool) -> Result<(), OutputError> {
        let stage = self.staging.path().to_owned();
        for (n, f) in files.iter().enumerate() {
            if cancel.load(Ordering::Relaxed) {
                return Err(OutputError::Interrupted);
            }
            write_synced(&stage.join(&f.name), &f.bytes)?;
            if n == 0 {
                test_pause_while_writing(cancel);
            }
        }
        for name in &self.streamed {
            let path = stage.join(name);
            File::open(&path)
                .and_then(|f| f.sync_all())
                .map_err(super::io("write", &path))?;
        }
        let mut marker = String::from(MARKER_HEADER);
        for name in files.iter().map(|f| &f.name).chain(&self.streamed) {
            marker.push('\n');
            marker.push_str(name);
        }
        marker.push('\n');
        write_synced(&stage.join(MARKER), marker.as_bytes())?;
        sync_dir(&stage);
        test_abort_at("before-swap");
        if cancel.load(Ordering::Relaxed) {
            return Err(OutputError::Interrupted);
        }
        match self.existing {
            Existing::Nothing | Existing::Empty => {
                if let Err(e) = rename_new(&stage, &self.dir, self.existing == Existing::Empty) {
                    return Err(self.appeared_meanwhile(e));
                }
                // The staging folder is now the results folder: it must not be deleted.
                let _ = self.staging.keep();
            }
            Existing::Results => {
                if !exchange(&stage, &self.dir)? {
                    self.replace_in_two_steps(&stage)?;
                }
                // `stage` now holds the previous results; dropping the guard deletes them.
            }
        }
        sync_dir(&self.parent);
        Ok(())
    }

    /// Replaces the old results without an atomic exchange: move them aside, move the new ones
    /// in. A kill between the two leaves the old results in `.DIR.old-*`, restored by the next run.
    fn replace_in_two_steps(&self, stage: &Path) -> Result<(), OutputError> {
        let old = tempfile::Builder::new()
            .prefix(&format!(".{}.old-", self.base))
            .tempdir_in(&self.parent)
            .map_err(super::io("create a folder in", &self.parent))?;
        let old_path = old.path().join("previous");
        fs::rename(&self.dir, &old_path).map_err(super::io("move aside", &self.dir))?;
        test_abort_at("between-renames");
        if let Err(e) = fs::rename(stage, &self.dir) {
            let _ = fs::rename(&old_path, &self.dir);
            return Err(super::io("move results into", &self.dir)(e));
        }
        drop(old); // deletes the previous results
        Ok(())
    }

    /// A folder appeared at the destination while simulating (not from porcupine: the lock is
    /// held). It is never replaced; the new results are kept under a free name beside it.
    fn appeared_meanwhile(self, cause: std::io::Error) -> OutputError {
        if !matches!(
            cause.kind(),
            std::io::ErrorKind::AlreadyExists | std::io::ErrorKind::DirectoryNotEmpty
        ) {
            return super::io("move results into", &self.dir)(cause);
        }
        let kept = (1..1000)
            .map(|n| self.parent.join(format!("{}-new-{n}", self.base)))
            .find(|p| rename_new(self.staging.path(), p, false).is_ok());
        if kept.is_some() {
            let _ = self.staging.keep();
        }
        OutputError::AppearedMeanwhile {
            dir: self.dir,
            kept,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results(files: &[&str]) -> Vec<OutFile> {
        files
            .iter()
            .map(|n| OutFile {
                name: (*n).to_owned(),
                bytes: n.as_bytes().to_vec(),
            })
            .collect()
    }

    fn no() -> AtomicBool {
        AtomicBool::new(false)
    }

    #[test]
    fn new_folder_is_written_whole_with_its_marker() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("res");
        let d = Destination::prepare(&dir, false, None, &mut |_| {}).unwrap();
        d.commit(&results(&["a.csv", "b.md"]), &no()).unwrap();
        assert_eq!(fs::read(dir.join("a.csv")).unwrap(), b"a.csv");
        assert!(results_folder(&dir).is_ok());
        // Only the folder and its lock file are left beside it.
        let mut names: Vec<_> = fs::read_dir(t.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, [".res.lock", "res"]);
    }

    #[test]
    fn a_second_writer_is_refused_while_the_first_holds_the_lock() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("res");
        let first = Destination::prepare(&dir, false, None, &mut |_| {}).unwrap();
        let second = Destination::prepare(&dir, true, None, &mut |_| {}).unwrap_err();
        assert!(matches!(second, OutputError::Busy(_)), "{second}");
        first.commit(&results(&["a.csv"]), &no()).unwrap();
        // Once the first is done the lock is free again.
        Destination::prepare(&dir, true, None, &mut |_| {}).unwrap();
    }

    #[test]
    fn force_replaces_results_but_never_other_folders() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("res");
        Destination::prepare(&dir, false, None, &mut |_| {})
            .unwrap()
            .commit(&results(&["a.csv"]), &no())
            .unwrap();
        Destination::prepare(&dir, true, None, &mut |_| {})
            .unwrap()
            .commit(&results(&["b.csv"]), &no())
            .unwrap();
        assert!(!dir.join("a.csv").exists() && dir.join("b.csv").exists());

        fs::write(dir.join("my-notes.txt"), "keep me").unwrap();
        let e = Destination::prepare(&dir, true, None, &mut |_| {}).unwrap_err();
        assert!(e.to_string().contains("my-notes.txt"), "{e}");
        let own = t.path().join("mine");
        fs::create_dir(&own).unwrap();
        fs::write(own.join("thesis.docx"), "x").unwrap();
        let e = Destination::prepare(&own, true, None, &mut |_| {}).unwrap_err();
        assert!(matches!(e, OutputError::NotResults { .. }), "{e}");
        assert!(own.join("thesis.docx").exists());
    }

    #[test]
    fn cancel_leaves_earlier_results_and_no_staging() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("res");
        Destination::prepare(&dir, false, None, &mut |_| {})
            .unwrap()
            .commit(&results(&["a.csv"]), &no())
            .unwrap();
        let e = Destination::prepare(&dir, true, None, &mut |_| {})
            .unwrap()
            .commit(&results(&["b.csv"]), &AtomicBool::new(true))
            .unwrap_err();
        assert!(matches!(e, OutputError::Interrupted));
        assert!(dir.join("a.csv").exists());
        assert_eq!(fs::read_dir(t.path()).unwrap().count(), 2); // res and its lock
    }

    #[test]
    fn special_destinations_are_refused() {
        for d in ["/", ".", "..", "a/.."] {
            let e = Destination::prepare(Path::new(d), true, None, &mut |_| {}).unwrap_err();
            assert!(matches!(e, OutputError::Refused { .. }), "{d}: {e}");
        }
        let here = std::env::current_dir().unwrap();
        let e = Destination::prepare(&here, true, None, &mut |_| {}).unwrap_err();
        assert!(e.to_string().contains("current folder"), "{e}");
        let t = tempfile::tempdir().unwrap();
        let scenario = t.path().join("s.toml");
        fs::write(&scenario, "").unwrap();
        let e = Destination::prepare(t.path(), true, Some(&scenario), &mut |_| {}).unwrap_err();
        assert!(e.to_string().contains("scenario file"), "{e}");
    }

    #[test]
    fn a_folder_that_appears_meanwhile_is_not_replaced() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("res");
        let d = Destination::prepare(&dir, false, None, &mut |_| {}).unwrap();
        fs::create_dir(&dir).unwrap();
        fs::write(dir.join("theirs.txt"), "x").unwrap();
        let e = d.commit(&results(&["a.csv"]), &no()).unwrap_err();
        assert!(
            matches!(e, OutputError::AppearedMeanwhile { kept: Some(_), .. }),
            "{e}"
        );
        assert!(dir.join("theirs.txt").exists() && !dir.join("a.csv").exists());
        assert!(t.path().join("res-new-1").join("a.csv").exists());
    }

    #[test]
    fn leftovers_of_a_killed_run_are_recovered_or_removed() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("res");
        // Killed between the two renames: the old results are aside, the destination missing.
        let aside = t.path().join(".res.old-abc").join("previous");
        fs::create_dir_all(&aside).unwrap();
        fs::write(aside.join("a.csv"), "old").unwrap();
        fs::write(aside.join(MARKER), format!("{MARKER_HEADER}\na.csv\n")).unwrap();
        fs::create_dir(t.path().join(".res.partial-xyz")).unwrap();
        let mut notes = Vec::new();
        Destination::prepare(&dir, true, None, &mut |n| notes.push(n.to_owned())).unwrap();
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert_eq!(fs::read(dir.join("a.csv")).unwrap(), b"old");
        assert!(!t.path().join(".res.partial-xyz").exists());
        assert!(!t.path().join(".res.old-abc").exists());
    }
}

//! The file system steps of a commit: synced writes, renames that never replace, the atomic
//! exchange of two folders, and the hooks that let tests stop a commit part-way.

use crate::output::{io, OutputError};
use std::fs::{self, File};
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// Environment variable, for tests only: abort the process at a named step of [`Destination::commit`](super::Destination::commit)
/// (`before-swap` or `between-renames`), as a kill would.
const TEST_ABORT: &str = "PORCUPINE_TEST_ABORT_AT";
/// Environment variable, for tests only: pause while writing (see [`test_pause_while_writing`]).
const TEST_PAUSE_WRITING: &str = "PORCUPINE_TEST_PAUSE_WRITING";
/// Environment variable, for tests only: do not use the atomic exchange.
const TEST_NO_EXCHANGE: &str = "PORCUPINE_TEST_NO_EXCHANGE";

pub(super) fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let mut file = File::create(path).map_err(io("create", path))?;
    file.write_all(bytes).map_err(io("write", path))?;
    file.sync_all().map_err(io("write", path))
}

/// Makes a folder's entries durable (best effort: not every platform can sync a folder).
pub(super) fn sync_dir(dir: &Path) {
    if let Ok(f) = File::open(dir) {
        let _ = f.sync_all();
    }
}

/// For tests: with `PORCUPINE_TEST_PAUSE_WRITING` set, wait up to that many seconds after the
/// first file (saying so on standard error), so a test can send a signal while writing.
pub(super) fn test_pause_while_writing(cancel: &AtomicBool) {
    let Some(secs) = std::env::var(TEST_PAUSE_WRITING)
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    else {
        return;
    };
    let _ = writeln!(std::io::stderr(), "test: paused while writing");
    for _ in 0..secs * 100 {
        if cancel.load(Ordering::Relaxed) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

pub(super) fn test_abort_at(step: &str) {
    if std::env::var(TEST_ABORT).is_ok_and(|v| v == step) {
        std::process::abort();
    }
}

/// Renames `from` to a destination that does not exist (or, with `may_be_empty`, is an empty
/// folder), failing rather than replacing anything else.
pub(super) fn rename_new(from: &Path, to: &Path, may_be_empty: bool) -> std::io::Result<()> {
    if may_be_empty {
        // rename(2) replaces an empty folder and fails on a non-empty one.
        return fs::rename(from, to);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            other => return other.map_err(std::io::Error::from),
        }
    }
    if to.exists() {
        return Err(std::io::ErrorKind::AlreadyExists.into());
    }
    fs::rename(from, to)
}

/// Swaps two folders atomically. `Ok(false)`: not supported here (the caller falls back).
pub(super) fn exchange(a: &Path, b: &Path) -> Result<bool, OutputError> {
    if std::env::var_os(TEST_NO_EXCHANGE).is_some() {
        return Ok(false);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(true),
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) => return Err(io("move results into", b)(e.into())),
        }
    }
    let _ = (a, b);
    Ok(false)
}

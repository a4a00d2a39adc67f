//! Which folders may receive results: destinations that must never be replaced, the test that
//! a folder holds only porcupine's results, and the recovery of what a killed run left behind.

use super::{MARKER, MARKER_HEADER};
use crate::output::{io, OutputError};
use std::fs;
use std::path::{Path, PathBuf};

/// Extensions of the files porcupine writes into a results folder.
const RESULT_EXTENSIONS: &[&str] = &["csv", "json", "md", "html", "png", "svg", "toml"];

/// Refuses destinations whose replacement would destroy something the user keeps: the current
/// folder or one above it, the scenario file's folder, and mount points.
pub(super) fn check_not_precious(dir: &Path, scenario_file: Option<&Path>) -> Result<(), String> {
    let Ok(real) = fs::canonicalize(dir) else {
        return Ok(()); // does not exist yet
    };
    if let Ok(cwd) = std::env::current_dir().and_then(fs::canonicalize) {
        if cwd.starts_with(&real) {
            return Err(if cwd == real {
                "it is the current folder".to_owned()
            } else {
                "it contains the current folder".to_owned()
            });
        }
    }
    if let Some(folder) = scenario_file
        .and_then(|f| fs::canonicalize(f).ok())
        .and_then(|f| f.parent().map(Path::to_owned))
    {
        if folder.starts_with(&real) {
            return Err("it holds the scenario file being run".to_owned());
        }
    }
    if is_mount_point(&real) {
        return Err("it is a mount point (a whole file system, not a results folder)".to_owned());
    }
    Ok(())
}

#[cfg(unix)]
fn is_mount_point(real: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Some(up) = real.parent() else {
        return true; // the root folder
    };
    match (fs::metadata(real), fs::metadata(up)) {
        (Ok(a), Ok(b)) => a.dev() != b.dev() || a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_mount_point(real: &Path) -> bool {
    real.parent().is_none()
}

/// Whether `dir` holds only results porcupine wrote: every entry is listed in its marker file,
/// or (folders written before the marker existed) it has a `summary.json` with porcupine's
/// metadata and nothing but result files. `Err` says why not.
pub fn results_folder(dir: &Path) -> Result<(), String> {
    let entries: Vec<(String, bool)> = fs::read_dir(dir)
        .map_err(|e| format!("it cannot be read ({e})"))?
        .filter_map(Result::ok)
        .map(|e| {
            let is_file = e.file_type().is_ok_and(|t| t.is_file());
            (e.file_name().to_string_lossy().into_owned(), is_file)
        })
        .collect();
    let foreign: Vec<&str> = if let Ok(marker) = fs::read_to_string(dir.join(MARKER)) {
        let Some(listed) = marker.strip_prefix(MARKER_HEADER) else {
            return Err(format!("its {MARKER} file is not porcupine's"));
        };
        let listed: Vec<&str> = listed.lines().filter(|l| !l.is_empty()).collect();
        entries
            .iter()
            .filter(|(n, is_file)| !*is_file || (n != MARKER && !listed.contains(&n.as_str())))
            .map(|(n, _)| n.as_str())
            .collect()
    } else {
        let Ok(summary) = fs::read(dir.join("summary.json")) else {
            let mut names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
            names.sort_unstable();
            names.truncate(5);
            return Err(format!(
                "it holds files porcupine did not write ({}) and no porcupine results",
                names.join(", ")
            ));
        };
        let ours = serde_json::from_slice::<serde_json::Value>(&summary).is_ok_and(|v| {
            let m = &v["metadata"];
            m["version"].is_string() && m["scenario_hash"].is_string() && m["seed"].is_u64()
        });
        if !ours {
            return Err("its summary.json was not written by porcupine".to_owned());
        }
        entries
            .iter()
            .filter(|(n, is_file)| {
                !*is_file
                    || !Path::new(n)
                        .extension()
                        .is_some_and(|x| RESULT_EXTENSIONS.iter().any(|r| x == *r))
            })
            .map(|(n, _)| n.as_str())
            .collect()
    };
    if foreign.is_empty() {
        Ok(())
    } else {
        let mut names: Vec<&str> = foreign.into_iter().take(5).collect();
        names.sort_unstable();
        Err(format!(
            "it holds files porcupine did not write ({})",
            names.join(", ")
        ))
    }
}

/// Removes staging folders and restores or removes set-aside results left by runs that were
/// killed. Called with the destination's lock held, so no live porcupine process owns them.
pub(super) fn recover_leftovers(
    dir: &Path,
    parent: &Path,
    base: &str,
    note: &mut dyn FnMut(&str),
) -> Result<(), OutputError> {
    let Ok(list) = fs::read_dir(parent) else {
        return Ok(());
    };
    let partial = format!(".{base}.partial-");
    let old = format!(".{base}.old-");
    let mut found: Vec<(bool, PathBuf)> = list
        .filter_map(Result::ok)
        .filter_map(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
            (is_dir && (n.starts_with(&partial) || n.starts_with(&old)))
                .then(|| (n.starts_with(&old), e.path()))
        })
        .collect();
    found.sort();
    for (is_old, path) in found {
        let previous = path.join("previous");
        if is_old && previous.is_dir() && !dir.exists() {
            fs::rename(&previous, dir).map_err(io("restore earlier results into", dir))?;
            let _ = fs::remove_dir_all(&path);
            note(&format!(
                "restored earlier results into {} (an interrupted run had moved them aside)",
                dir.display()
            ));
        } else {
            fs::remove_dir_all(&path).map_err(io("remove", &path))?;
            note(&format!(
                "removed {}, left behind by an interrupted run",
                path.display()
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_of_the_first_release_are_recognised_by_their_summary() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("old");
        fs::create_dir(&dir).unwrap();
        fs::write(
            dir.join("summary.json"),
            r#"{"metadata": {"version": "0.1.0", "seed": 42, "scenario_hash": "ab"}}"#,
        )
        .unwrap();
        fs::write(dir.join("daily.csv"), "x").unwrap();
        assert!(results_folder(&dir).is_ok());
        fs::write(dir.join("notes.txt"), "x").unwrap();
        assert!(results_folder(&dir).is_err());
        fs::remove_file(dir.join("notes.txt")).unwrap();
        fs::write(dir.join("summary.json"), "{}").unwrap();
        assert!(results_folder(&dir).is_err());
    }
}

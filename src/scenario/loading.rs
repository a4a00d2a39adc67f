//! Reading scenario files: the file's text (refusing folders, oversized files and non-UTF-8
//! bytes with a clear error), then parse → validate into a [`Scenario`] with its warnings.

use super::diagnostics::{line_col, render_problems, LoadError, Problem, Severity};
use super::{model, Scenario};
use std::path::Path;

/// Largest scenario file accepted, in bytes.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// Reads, parses and validates a scenario file.
pub fn load(path: &Path) -> Result<Scenario, LoadError> {
    from_str(&read_text(path)?, path)
}

/// Reads a scenario file's text, refusing folders, oversized or endless files and non-UTF-8
/// bytes with a clear error.
pub fn read_text(path: &Path) -> Result<String, LoadError> {
    let read_err = |reason: String, help: &str| LoadError::Read {
        path: path.to_owned(),
        reason,
        help: help.to_owned(),
    };
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => read_err(
            "no such file".into(),
            "check the path; bundled scenarios are in the scenarios/ folder, e.g. scenarios/baseline.toml",
        ),
        std::io::ErrorKind::PermissionDenied => read_err("permission denied".into(), "make the file readable"),
        _ => read_err(e.to_string(), "check the path"),
    })?;
    if meta.is_dir() {
        return Err(read_err(
            "this is a folder, not a file".into(),
            "give the path of a .toml scenario file inside it",
        ));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            path: path.to_owned(),
            bytes: meta.len(),
            limit: MAX_FILE_BYTES,
        });
    }
    // Read at most one byte past the limit: a device or pipe (e.g. /dev/zero) reports no size.
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| {
            std::io::Read::read_to_end(&mut std::io::Read::take(f, MAX_FILE_BYTES + 1), &mut bytes)
        })
        .map_err(|e| read_err(e.to_string(), "check the path"))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(read_err(
            format!("it is longer than {MAX_FILE_BYTES} bytes, the most a scenario file may be"),
            "is this really a scenario file? Scenarios are short TOML files",
        ));
    }
    match String::from_utf8(bytes) {
        Ok(t) => Ok(t),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let good = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
            let (line, column) = line_col(&good, offset);
            Err(LoadError::NotText {
                path: path.to_owned(),
                line,
                column,
                offset,
            })
        }
    }
}

/// A scenario that loaded, with the plausibility warnings found in it.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The checked scenario.
    pub scenario: Scenario,
    /// Values that are allowed but look like slips, each with a location and a hint.
    pub warnings: Vec<Problem>,
}

impl Loaded {
    /// The warnings rendered like errors, prefixed `warning`; empty when there are none.
    #[must_use]
    pub fn render_warnings(&self, origin: &Path, text: &str) -> String {
        if self.warnings.is_empty() {
            return String::new();
        }
        render_problems(origin, text, &self.warnings, Severity::Warning)
    }

    /// The scenario, or (with `deny`) the warnings as an error when there are any.
    pub fn deny_warnings(
        self,
        deny: bool,
        origin: &Path,
        text: &str,
    ) -> Result<Scenario, LoadError> {
        if !deny || self.warnings.is_empty() {
            return Ok(self.scenario);
        }
        Err(LoadError::Invalid {
            path: origin.to_owned(),
            source_text: text.to_owned(),
            problems: denied(self.warnings),
        })
    }
}

/// Warnings turned into errors by `--deny-warnings`: each hint says why it is refused.
#[must_use]
pub fn denied(warnings: Vec<Problem>) -> Vec<Problem> {
    warnings
        .into_iter()
        .map(|mut w| {
            w.help = Some(format!(
                "{} (this is a warning, refused because of --deny-warnings)",
                w.help.unwrap_or_default()
            ));
            w
        })
        .collect()
}

/// Parses and validates scenario text; `origin` names it in messages. Warnings are dropped: use
/// [`check_str`] to see them.
pub fn from_str(text: &str, origin: &Path) -> Result<Scenario, LoadError> {
    check_str(text, origin).map(|l| l.scenario)
}

/// Parses and validates scenario text, keeping the plausibility warnings.
pub fn check_str(text: &str, origin: &Path) -> Result<Loaded, LoadError> {
    match model::check(text) {
        (Some(scenario), _, warnings) => Ok(Loaded { scenario, warnings }),
        (None, problems, _) => Err(LoadError::Invalid {
            path: origin.to_owned(),
            source_text: text.to_owned(),
            problems,
        }),
    }
}

//! Variants without copying: a scenario file may say `extends = "baseline.toml"` and override
//! any key, and `--set key.path=value` overrides one value from the command line. Both are
//! resolved here, before validation, into one scenario text; the validator then checks it like
//! any file, and every message is mapped back to the file (or the `--set` option) that wrote
//! the value, with its own line and column.
//!
//! Merge rules (key paths as in the docs): tables merge key by key; repeated tables whose
//! entries have names (`[[funding]]`, `[[line]]`, …; `[[consumption]]` by its `item`) are
//! matched by name: an entry with a known name overrides that entry key by key, a new name adds
//! an entry, and `remove = true` drops the named entry; everything else — values, lists
//! (installments, capacity points, periods, buys) and distributions — is replaced whole.

mod merge;
mod set;

use super::diagnostics::{render_problems, LoadError, Problem, Severity};
use super::keypath::{entry_segs, KeyPath, Seg};
use merge::{merge_tables, name_key, renumber};
use set::{parse_set, set_value};
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml_edit::{ImDocument, Item, Table, Value};

/// The most files one `extends` chain may have.
const MAX_CHAIN: usize = 16;

/// Where resolved values came from: a file of the chain or a `--set` option.
#[derive(Debug, Clone)]
struct Source {
    /// The file, or the `--set` option as typed.
    origin: PathBuf,
    /// The file's text (empty for an option).
    text: String,
    /// Byte range of every key path the source writes.
    spans: HashMap<KeyPath, Range<usize>>,
    /// For an option: the key path it sets.
    set: Option<KeyPath>,
}

/// A scenario resolved from its `extends` chain and `--set` options.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The scenario text to validate: the file's own text when it neither extends another
    /// nor is overridden, otherwise the merged scenario with a header naming its sources.
    pub text: String,
    /// The files of the chain, the named file first.
    pub chain: Vec<PathBuf>,
    /// The `--set` options, in order.
    pub overrides: Vec<String>,
    /// Sources, most specific first (options last to first, then files from the named one).
    sources: Vec<Source>,
}

impl Resolved {
    /// Whether the text is the named file's own text.
    #[must_use]
    pub fn is_plain(&self) -> bool {
        self.chain.len() == 1 && self.overrides.is_empty()
    }

    /// Problems found in the resolved text, rendered against the file or option that wrote
    /// each value.
    #[must_use]
    pub fn render(&self, problems: &[Problem], severity: Severity) -> String {
        if self.is_plain() {
            return render_problems(&self.chain[0], &self.text, problems, severity);
        }
        let mut groups: Vec<Vec<Problem>> = vec![Vec::new(); self.sources.len()];
        for p in problems {
            let (k, span) = self.origin_of(&p.path);
            let mut p = p.clone();
            p.span = span;
            if let Some(set) = &self.sources[k].set {
                p.help = Some(match p.help {
                    Some(h) => format!("{h} (the value was set by --set {})", set_text(set)),
                    None => format!("the value was set by --set {}", set_text(set)),
                });
            }
            groups[k].push(p);
        }
        let mut out = Vec::new();
        for (src, ps) in self.sources.iter().zip(groups) {
            if !ps.is_empty() {
                out.push(render_problems(&src.origin, &src.text, &ps, severity));
            }
        }
        out.join("\n\n")
    }

    /// The source that wrote `path` (the longest key-path prefix any source writes, the most
    /// specific source on ties) and the span there.
    fn origin_of(&self, path: &KeyPath) -> (usize, Option<Range<usize>>) {
        let mut best: (usize, Option<Range<usize>>, usize) = (self.sources.len() - 1, None, 0);
        let mut found = false;
        for (k, src) in self.sources.iter().enumerate() {
            for n in (1..=path.0.len()).rev() {
                if n < best.2 || (found && n == best.2) {
                    break;
                }
                let prefix = KeyPath(path.0[..n].to_vec());
                let hit = match &src.set {
                    Some(set) => (set == &prefix).then_some(None),
                    None => src.spans.get(&prefix).map(|r| Some(r.clone())),
                };
                if let Some(span) = hit {
                    best = (k, span, n);
                    found = true;
                    break;
                }
            }
        }
        if !found {
            // Nothing writes the path (e.g. a missing key): the named file, without a place.
            let named = self
                .sources
                .iter()
                .position(|s| s.set.is_none())
                .unwrap_or(0);
            return (named, None);
        }
        (best.0, best.1)
    }

    /// An error about the resolved scenario as a whole, rendered against its sources.
    fn invalid(&self, problems: Vec<Problem>) -> LoadError {
        LoadError::Resolved {
            rendered: self.render(&problems, Severity::Error),
            problems,
        }
    }

    /// Validates the resolved text; errors and warnings point into their sources.
    ///
    /// # Errors
    /// Every problem found, rendered against the file or option that wrote it.
    pub fn check(&self) -> Result<super::Loaded, LoadError> {
        match super::check_str(&self.text, &self.chain[0]) {
            Ok(l) => Ok(l),
            Err(LoadError::Invalid { problems, .. }) if !self.is_plain() => {
                Err(self.invalid(problems))
            }
            Err(e) => Err(e),
        }
    }
}

fn set_text(path: &KeyPath) -> String {
    format!("{path}=…")
}

/// Reads `path`, follows its `extends` chain and applies the `--set` options (`key.path=value`).
///
/// # Errors
/// A file that cannot be read or parsed, an `extends` that is not a file name, a cycle or a
/// chain longer than 16 files, and options with an unknown key path or an unreadable value.
pub fn resolve(path: &Path, sets: &[String]) -> Result<Resolved, LoadError> {
    let mut chain: Vec<(PathBuf, String, ImDocument<String>)> = Vec::new();
    let mut next = Some(path.to_owned());
    while let Some(p) = next.take() {
        let text = super::read_text(&p)?;
        let doc = match ImDocument::parse(text.clone()) {
            Ok(d) => d,
            // The validator reports syntax errors with their hints.
            Err(_) => {
                return Err(super::check_str(&text, &p)
                    .err()
                    .unwrap_or_else(|| unreachable_syntax(&p)))
            }
        };
        if let Some(item) = doc.as_table().get("extends") {
            let span = item.span();
            let problem = |message: String, help: &str| LoadError::Invalid {
                path: p.clone(),
                source_text: text.clone(),
                problems: vec![Problem {
                    path: KeyPath::root().key("extends"),
                    message,
                    help: Some(help.to_owned()),
                    span: span.clone(),
                }],
            };
            let Some(base) = item.as_str() else {
                return Err(problem(
                    "expected the file name of the scenario this one extends, as a string".into(),
                    "write e.g. extends = \"baseline.toml\" (relative to this file's folder)",
                ));
            };
            let base = p.parent().unwrap_or(Path::new("")).join(base);
            let canon = |q: &Path| std::fs::canonicalize(q).unwrap_or_else(|_| q.to_owned());
            if chain.iter().any(|(q, _, _)| canon(q) == canon(&base)) || canon(&p) == canon(&base) {
                return Err(problem(
                    format!(
                        "extends {} , which extends this file again: a cycle",
                        base.display()
                    ),
                    "a variant extends its base; the base must not extend the variant",
                ));
            }
            if chain.len() + 1 >= MAX_CHAIN {
                return Err(problem(
                    format!("the chain of `extends` is longer than {MAX_CHAIN} files"),
                    "extend the base scenario directly instead of through a long chain",
                ));
            }
            next = Some(base);
        }
        chain.push((p, text, doc));
    }
    let mut sources: Vec<Source> = Vec::new();
    let mut overrides = Vec::new();
    let named_text = chain[0].1.clone();
    let files: Vec<PathBuf> = chain.iter().map(|(p, _, _)| p.clone()).collect();
    for (p, text, doc) in &chain {
        let mut spans = HashMap::new();
        record_spans(doc.as_table(), &KeyPath::root(), true, &mut spans);
        sources.push(Source {
            origin: p.clone(),
            text: text.clone(),
            spans,
            set: None,
        });
    }
    if chain.len() == 1 && sets.is_empty() {
        return Ok(Resolved {
            text: named_text,
            chain: files,
            overrides,
            sources,
        });
    }
    // Merge from the root of the chain down to the named file.
    let mut docs = chain.into_iter().rev();
    let (_, _, root) = docs.next().expect("a chain has a file");
    let mut merged = root.into_mut();
    merged.as_table_mut().remove("extends");
    let mut problems: Vec<(usize, Problem)> = Vec::new();
    for (k, (_, _, doc)) in docs.enumerate() {
        let file = files.len() - 2 - k;
        let over = doc.into_mut();
        merge_tables(
            merged.as_table_mut(),
            over.as_table(),
            &KeyPath::root(),
            true,
            &mut |p| problems.push((file, p)),
        );
    }
    if let Some((file, _)) = problems.first() {
        let file = *file;
        // The merged document has no places in the files: take them from the file's own map.
        let ps: Vec<Problem> = problems
            .into_iter()
            .map(|(_, mut p)| {
                p.span = sources[file].spans.get(&p.path).cloned();
                p
            })
            .collect();
        return Err(LoadError::Invalid {
            path: sources[file].origin.clone(),
            source_text: sources[file].text.clone(),
            problems: ps,
        });
    }
    for s in sets {
        let (path, value) = parse_set(s)?;
        set_value(merged.as_table_mut(), &path, value).map_err(|(message, help)| {
            LoadError::Resolved {
                rendered: render_problems(
                    Path::new("--set"),
                    "",
                    &[Problem::new(
                        path.clone(),
                        message.clone(),
                        Some(help.clone()),
                    )],
                    Severity::Error,
                ),
                problems: vec![Problem::new(path.clone(), message, Some(help))],
            }
        })?;
        sources.insert(
            0,
            Source {
                origin: PathBuf::from(format!("--set {s}")),
                text: String::new(),
                spans: HashMap::new(),
                set: Some(path),
            },
        );
        overrides.push(s.clone());
    }
    // Tables taken from a variant keep their places in the variant's file; number them again
    // in the merged tree's order, so a nested list written before its entry's header in the
    // variant is printed after it.
    renumber(merged.as_table_mut(), &mut 0);
    let mut header = String::from("# The resolved scenario: ");
    header.push_str(
        &files
            .iter()
            .map(|f| f.display().to_string())
            .collect::<Vec<_>>()
            .join(", which extends "),
    );
    for s in &overrides {
        header.push_str(&format!("\n# with --set {s}"));
    }
    header.push_str("\n\n");
    Ok(Resolved {
        text: header + &merged.to_string(),
        chain: files,
        overrides,
        sources,
    })
}

#[cold]
fn unreachable_syntax(p: &Path) -> LoadError {
    LoadError::Read {
        path: p.to_owned(),
        reason: "the file could not be parsed".into(),
        help: "check the TOML syntax".into(),
    }
}

/// Records the span of every key path a parsed file writes.
fn record_spans(t: &Table, path: &KeyPath, top: bool, out: &mut HashMap<KeyPath, Range<usize>>) {
    for (k, item) in t.iter() {
        let here = path.key(k);
        match item {
            Item::Table(sub) => {
                if let Some(s) = sub.span() {
                    out.insert(here.clone(), s);
                }
                record_spans(sub, &here, false, out);
            }
            Item::ArrayOfTables(a) => {
                let segs = if top {
                    let by = name_key(path, k);
                    let ns: Vec<Option<&str>> =
                        a.iter().map(|t| t.get(by).and_then(Item::as_str)).collect();
                    entry_segs(&ns)
                } else {
                    (0..a.len()).map(Seg::Index).collect()
                };
                for (t, seg) in a.iter().zip(segs) {
                    let p = here.seg(seg);
                    if let Some(s) = t.span() {
                        out.insert(p.clone(), s);
                    }
                    record_spans(t, &p, false, out);
                }
            }
            Item::Value(v) => record_value(v, &here, out),
            Item::None => {}
        }
    }
}

fn record_value(v: &Value, path: &KeyPath, out: &mut HashMap<KeyPath, Range<usize>>) {
    if let Some(s) = v.span() {
        out.insert(path.clone(), s);
    }
    match v {
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                record_value(x, &path.index(i), out);
            }
        }
        Value::InlineTable(t) => {
            for (k, x) in t.iter() {
                record_value(x, &path.key(k), out);
            }
        }
        _ => {}
    }
}

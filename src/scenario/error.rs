//! The one error type of the scenario boundary: what went wrong, where (file:line:column and key
//! path), and how to fix it, rendered with the offending line and a caret.

use annotate_snippets::{Level, Renderer, Snippet};
use std::fmt;
use std::ops::Range;
use std::path::PathBuf;

/// One step of a key path: a table key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    /// A key in a table, e.g. `unit_cost_usd`.
    Key(String),
    /// A position in an array or array of tables (0-based).
    Index(usize),
}

/// Where in the file a problem is, as TOML keys: `item[2].unit_cost_usd`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyPath(pub Vec<Seg>);

impl KeyPath {
    /// The empty path (the whole file).
    #[must_use]
    pub fn root() -> KeyPath {
        KeyPath(Vec::new())
    }

    /// This path extended by a key.
    #[must_use]
    pub fn key(&self, k: &str) -> KeyPath {
        let mut v = self.0.clone();
        v.push(Seg::Key(k.to_owned()));
        KeyPath(v)
    }

    /// This path extended by an index.
    #[must_use]
    pub fn index(&self, i: usize) -> KeyPath {
        let mut v = self.0.clone();
        v.push(Seg::Index(i));
        KeyPath(v)
    }
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(top level)");
        }
        for (n, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) if n == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(i) => write!(f, "[{i}]")?,
            }
        }
        Ok(())
    }
}

/// One problem found in a scenario file.
#[derive(Debug, Clone)]
pub struct Problem {
    /// The key the problem is about.
    pub path: KeyPath,
    /// What is wrong, in a sentence.
    pub message: String,
    /// How to fix it, when we can say.
    pub help: Option<String>,
    /// Byte range in the file; filled from `path` when the parser did not give one.
    pub span: Option<Range<usize>>,
}

impl Problem {
    /// A problem at `path` with a message and a hint.
    #[must_use]
    pub fn new(path: KeyPath, message: impl Into<String>, help: Option<String>) -> Problem {
        Problem {
            path,
            message: message.into(),
            help,
            span: None,
        }
    }
}

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be opened or read.
    #[error("could not read the scenario file {path}: {reason}\n  = help: {help}")]
    Read {
        /// The path given.
        path: PathBuf,
        /// What the operating system said.
        reason: String,
        /// What to do.
        help: String,
    },
    /// The file is too large to be a scenario.
    #[error("{path}: the file is {bytes} bytes; a scenario file may be at most {limit} bytes\n  = help: is this really a scenario file? Scenarios are short TOML files")]
    TooLarge {
        /// The path given.
        path: PathBuf,
        /// Its size.
        bytes: u64,
        /// The limit.
        limit: u64,
    },
    /// The bytes are not UTF-8 text.
    #[error("{path}:{line}:{column}: the file is not UTF-8 text (invalid byte at offset {offset})\n  = help: scenario files are TOML text; save the file as UTF-8 from your editor, or check that you passed the right file")]
    NotText {
        /// The path given.
        path: PathBuf,
        /// 1-based line of the first bad byte.
        line: usize,
        /// 1-based column of the first bad byte.
        column: usize,
        /// Its byte offset.
        offset: usize,
    },
    /// Syntax, type or meaning problems, each with a location.
    #[error("{}", render(path, source_text, problems))]
    Invalid {
        /// The path given.
        path: PathBuf,
        /// The file's text (for the snippets).
        source_text: String,
        /// Every problem found.
        problems: Vec<Problem>,
    },
}

impl LoadError {
    /// The problems of an `Invalid` error (empty for the others).
    #[must_use]
    pub fn problems(&self) -> &[Problem] {
        match self {
            LoadError::Invalid { problems, .. } => problems,
            _ => &[],
        }
    }
}

/// 1-based (line, column) of a byte offset; the column counts characters.
#[must_use]
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn render(path: &std::path::Path, text: &str, problems: &[Problem]) -> String {
    let origin = path.display().to_string();
    // The snippet renderer widens tabs but not the caret under them; a space has the same length,
    // so every span stays valid.
    let shown = text.replace('\t', " ");
    let text = shown.as_str();
    let renderer = Renderer::plain();
    let mut out = String::new();
    let count = problems.len();
    for (n, p) in problems.iter().enumerate() {
        let title = format!("{}: {}", p.path, p.message);
        let rendered = match &p.span {
            Some(span) if !text.is_empty() => {
                let mut span = span.start.min(text.len())..span.end.min(text.len());
                let (mut line, mut col) = line_col(text, span.start);
                if span.start == text.len() {
                    // At the very end of the file (e.g. an unclosed string): mark the last character,
                    // as the renderer cannot show an empty span past the end.
                    let last = text
                        .trim_end_matches(['\n', '\r'])
                        .char_indices()
                        .last()
                        .map_or(0, |(i, _)| i);
                    span = last..last;
                    (line, col) = line_col(text, last);
                }
                if span.is_empty() && span.start < text.len() {
                    span.end =
                        span.start + text[span.start..].chars().next().map_or(1, char::len_utf8);
                }
                let label = format!("{origin}:{line}:{col}");
                let mut msg = Level::Error.title(&title).snippet(
                    Snippet::source(text)
                        .line_start(1)
                        .origin(&origin)
                        .fold(true)
                        .annotation(Level::Error.span(span).label(&p.message)),
                );
                if let Some(h) = &p.help {
                    msg = msg.footer(Level::Help.title(h));
                }
                // The `-->` line already shows file:line:column; the plain location line makes
                // it greppable and stable for tools.
                format!("{label}: error\n{}", renderer.render(msg))
            }
            _ => {
                let mut msg = Level::Error.title(&title);
                if let Some(h) = &p.help {
                    msg = msg.footer(Level::Help.title(h));
                }
                format!("{origin}: error\n{}", renderer.render(msg))
            }
        };
        out.push_str(&rendered);
        if n + 1 < count {
            out.push_str("\n\n");
        }
    }
    if count > 1 {
        out.push_str(&format!("\n\n{count} problems found in {origin}"));
    }
    out
}

/// The byte range of the value (or, failing that, the key or table) at `path` in a TOML text.
#[must_use]
pub fn locate(text: &str, path: &KeyPath) -> Option<Range<usize>> {
    use toml_edit::{Item, Value};
    let doc = toml_edit::ImDocument::parse(text).ok()?;
    #[derive(Clone, Copy)]
    enum Node<'a> {
        Item(&'a Item),
        Value(&'a Value),
        Table(&'a toml_edit::Table),
    }
    let mut node = Node::Table(doc.as_table());
    let mut best: Option<Range<usize>> = None;
    for seg in &path.0 {
        let table = match node {
            Node::Table(t) | Node::Item(Item::Table(t)) => Some(t),
            _ => None,
        };
        let inline = match node {
            Node::Item(Item::Value(Value::InlineTable(t))) | Node::Value(Value::InlineTable(t)) => {
                Some(t)
            }
            _ => None,
        };
        let next = match seg {
            Seg::Key(k) => {
                let (key, item) = match (table, inline) {
                    (Some(t), _) => t.get_key_value(k)?,
                    (None, Some(t)) => t.get_key_value(k)?,
                    _ => break,
                };
                if let Some(s) = key.span() {
                    best = Some(s);
                }
                Node::Item(item)
            }
            Seg::Index(i) => match node {
                Node::Item(Item::ArrayOfTables(a)) => Node::Table(a.get(*i)?),
                Node::Item(Item::Value(Value::Array(a))) | Node::Value(Value::Array(a)) => {
                    Node::Value(a.get(*i)?)
                }
                _ => break,
            },
        };
        let span = match next {
            Node::Item(i) => i.span(),
            Node::Value(v) => v.span(),
            Node::Table(t) => t.span(),
        };
        if let Some(s) = span {
            best = Some(s);
        }
        node = next;
    }
    best
}

//! The one error type of the scenario boundary: what went wrong, where (file:line:column and key
//! path), and how to fix it, rendered with the offending line and a caret. Text taken from the
//! file (source lines, names, values) is shown with control characters escaped.

use super::keypath::KeyPath;
use crate::text::terminal;
use annotate_snippets::{Level, Renderer, Snippet};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// One problem found in a scenario file.
#[derive(Debug, Clone)]
pub struct Problem {
    /// The key the problem is about.
    pub path: KeyPath,
    /// What is wrong, in a sentence.
    pub message: String,
    /// How to fix it, when we can say.
    pub help: Option<String>,
    /// Byte range in the file, when the problem is about one place in it.
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
    /// Problems of a scenario resolved from several files or `--set` options, each rendered
    /// against the file or option that wrote the value.
    #[error("{rendered}")]
    Resolved {
        /// The problems as shown.
        rendered: String,
        /// Every problem found.
        problems: Vec<Problem>,
    },
}

impl LoadError {
    /// The problems of an `Invalid` or `Resolved` error (empty for the others).
    #[must_use]
    pub fn problems(&self) -> &[Problem] {
        match self {
            LoadError::Invalid { problems, .. } | LoadError::Resolved { problems, .. } => problems,
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

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The file is refused.
    Error,
    /// The file loads, but a value looks like a slip.
    Warning,
}

/// The file's text as shown in snippets: tabs become spaces (the renderer widens tabs but not the
/// caret under them) and characters a terminal could interpret become visible `\u{..}` escapes.
/// Returns the shown text and a map from byte offsets in the file to offsets in the shown text.
struct Shown {
    text: String,
    /// (offset in the file, bytes added before it) at each escaped character, in order.
    shifts: Vec<(usize, usize)>,
}

impl Shown {
    fn new(text: &str) -> Shown {
        let mut out = String::with_capacity(text.len());
        let mut shifts = Vec::new();
        let mut added = 0;
        for (i, c) in text.char_indices() {
            match c {
                '\t' => out.push(' '),
                '\n' | '\r' => out.push(c),
                c if crate::text::is_terminal_unsafe(c) => {
                    let esc = terminal(c.encode_utf8(&mut [0; 4])).into_owned();
                    added += esc.len() - c.len_utf8();
                    out.push_str(&esc);
                    shifts.push((i + c.len_utf8(), added));
                }
                c => out.push(c),
            }
        }
        Shown { text: out, shifts }
    }

    fn map(&self, offset: usize) -> usize {
        let k = self.shifts.partition_point(|&(at, _)| at <= offset);
        offset + k.checked_sub(1).map_or(0, |k| self.shifts[k].1)
    }
}

/// Renders problems of one severity as the user sees them: `file:line:col: error`, the title
/// `key.path: message`, the source line with a caret, and `help:`.
#[must_use]
pub fn render_problems(
    path: &Path,
    text: &str,
    problems: &[Problem],
    severity: Severity,
) -> String {
    let origin = terminal(&path.display().to_string()).into_owned();
    let shown = Shown::new(text);
    let renderer = Renderer::plain();
    let (level, word) = match severity {
        Severity::Error => (Level::Error, "error"),
        Severity::Warning => (Level::Warning, "warning"),
    };
    // Line starts, once: every problem is located and shown in time proportional to its own
    // lines, not to the file, so thousands of problems render in linear time.
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |off: usize| starts.partition_point(|&s| s <= off) - 1;
    let locate = |off: usize| {
        let li = line_of(off);
        let col = text[starts[li]..floor_char_boundary(text, off).max(starts[li])]
            .chars()
            .count()
            + 1;
        (li + 1, col)
    };
    let mut out = String::new();
    let count = problems.len();
    for (n, p) in problems.iter().enumerate() {
        let message = terminal(&p.message).into_owned();
        let help = p.help.as_deref().map(|h| terminal(h).into_owned());
        let title = format!("{}: {message}", terminal(&p.path.to_string()));
        let rendered = match &p.span {
            Some(span) if !text.is_empty() => {
                let mut start = span.start.min(text.len());
                let mut end = span.end.min(text.len()).max(start);
                let (mut line, mut col) = locate(start);
                if start == text.len() {
                    // At the very end of the file (e.g. an unclosed string): mark the last
                    // character, as the renderer cannot show an empty span past the end.
                    let last = text
                        .trim_end_matches(['\n', '\r'])
                        .char_indices()
                        .last()
                        .map_or(0, |(i, _)| i);
                    (start, end) = (last, last);
                    (line, col) = locate(last);
                }
                if start == end && start < text.len() {
                    end = start + text[start..].chars().next().map_or(1, char::len_utf8);
                }
                // Show the lines of the span (at most five).
                let first = line_of(start);
                let last = line_of(end.saturating_sub(1).max(start)).min(first + 4);
                let (from, to) = (
                    starts[first],
                    starts.get(last + 1).copied().unwrap_or(text.len()),
                );
                let end = end.min(to).max(start);
                let (sf, st) = (shown.map(from), shown.map(to));
                let span = shown.map(start) - sf..shown.map(end) - sf;
                let label = format!("{origin}:{line}:{col}");
                let mut msg = level.title(&title).snippet(
                    Snippet::source(&shown.text[sf..st])
                        .line_start(first + 1)
                        .origin(&origin)
                        .fold(true)
                        .annotation(level.span(span).label(&message)),
                );
                if let Some(h) = &help {
                    msg = msg.footer(Level::Help.title(h));
                }
                // The `-->` line already shows file:line:column; the plain location line makes
                // it greppable and stable for tools.
                format!("{label}: {word}\n{}", renderer.render(msg))
            }
            _ => {
                let mut msg = level.title(&title);
                if let Some(h) = &help {
                    msg = msg.footer(Level::Help.title(h));
                }
                format!("{origin}: {word}\n{}", renderer.render(msg))
            }
        };
        out.push_str(&rendered);
        if n + 1 < count {
            out.push_str("\n\n");
        }
    }
    if count > 1 {
        let what = match severity {
            Severity::Error => "problems",
            Severity::Warning => "warnings",
        };
        out.push_str(&format!("\n\n{count} {what} found in {origin}"));
    }
    out
}

fn render(path: &Path, text: &str, problems: &[Problem]) -> String {
    render_problems(path, text, problems, Severity::Error)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(span: Range<usize>, message: &str) -> Problem {
        Problem {
            path: KeyPath::root().key("item").key("a"),
            message: message.into(),
            help: Some("do this".into()),
            span: Some(span),
        }
    }

    #[test]
    fn location_counts_characters_and_lines() {
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("é\nx", 3), (2, 1));
        assert_eq!(line_col("", 5), (1, 1));
    }

    #[test]
    fn renders_location_path_message_and_help() {
        let text = "[[item]]\nname = 5\n";
        let out = render_problems(
            Path::new("f.toml"),
            text,
            &[problem(16..17, "bad")],
            Severity::Error,
        );
        assert!(out.starts_with("f.toml:2:8: error\n"), "{out}");
        assert!(out.contains("item.a: bad"), "{out}");
        assert!(out.contains("help: do this"), "{out}");
        let w = render_problems(
            Path::new("f.toml"),
            text,
            &[problem(16..17, "odd")],
            Severity::Warning,
        );
        assert!(w.starts_with("f.toml:2:8: warning\n"), "{w}");
    }

    #[test]
    fn control_characters_from_the_file_are_escaped() {
        let text = "label = \"a\u{1b}[2Jb\"\nx = 1\n";
        let at = text.find("x =").unwrap();
        let mut p = problem(at..at + 1, "label \"a\u{1b}[2Jb\" is odd");
        p.help = Some("\u{7}".into());
        let out = render_problems(Path::new("f\u{1b}.toml"), text, &[p], Severity::Error);
        assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
        assert!(out.contains("\\u{1b}"), "{out}");
        assert!(out.contains("f\\u{1b}.toml:2:1"), "{out}");
        // The caret still sits under the value on the line after the escaped one.
        let lines: Vec<&str> = out.lines().collect();
        let src = lines.iter().position(|l| l.ends_with("x = 1")).expect(&out);
        assert_eq!(lines[src].find('x'), lines[src + 1].find('^'), "{out}");
    }

    #[test]
    fn several_problems_are_counted() {
        let text = "a = 1\nb = 2\n";
        let out = render_problems(
            Path::new("f.toml"),
            text,
            &[problem(0..1, "one"), problem(6..7, "two")],
            Severity::Error,
        );
        assert!(out.ends_with("2 problems found in f.toml"), "{out}");
        assert!(out.find("f.toml:1:1").unwrap() < out.find("f.toml:2:1").unwrap());
    }
}

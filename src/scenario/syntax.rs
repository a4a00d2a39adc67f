//! TOML syntax errors: the parser's structured error (its position) turned into a problem with a
//! key path and a hint.
//!
//! The parser's message is shown as it is, never interpreted. The key path comes from parsing the
//! text before the failing line (the table it is in) and the key written on that line; the hint
//! comes from what is written around the error position (an unclosed quote, a bare word, a
//! number followed by more text, a table header, …), so a parser upgrade that rewords its
//! messages cannot silently change the advice.

use super::diagnostics::Problem;
use super::keypath::{entry_segs, KeyPath, Seg};
use toml_edit::{ImDocument, Item, Table, TomlError};

const TEXT_BLOCK: &str =
    "a text block opened with \"\"\" (or ''') is never closed: end it with the same three quotes";
const STRING: &str = "close the text with the same quote it opens with, on the same line (name = \"purl\"); text may not contain control characters";
const QUOTES: &str = "text values need quotes (name = \"purl\"); numbers (4_000) and dates (2025-09-01) do not, and every `=` needs a value";
const DUPLICATE: &str = "each key and each [table] may appear only once; delete or merge the repeated one (repeated tables are written [[name]])";
const HEADER: &str = "table headers are [name] for a single table and [[name]] for a repeated one; check the brackets";
const DATE: &str = "write a real calendar date as YYYY-MM-DD without quotes, e.g. 2025-09-01; check that the day exists in that month";
const TOO_LARGE: &str = "this number does not fit in a 64-bit integer; scenario values are far smaller (at most 1e12 units, 1e13 US dollars)";
const NUMBER: &str = "write numbers like 0.5, 4000, 4_000 or 5e8: a digit before the decimal point, no leading zeros, commas or units";
const NESTED: &str =
    "values are nested too deeply to be part of a scenario; check for unbalanced [ or { brackets";
const INLINE: &str = "an inline table is { key = value, key = value } on one line, closed with } and with no comma before it";
const ARRAY: &str = "close the list with ] and separate its entries with commas";
const END_OF_LINE: &str = "a value must end the line (a # comment may follow): write numbers without commas or units (4000 or 4_000), \
     dates as 2025-09-01, and each key = value on its own line";
const KEY: &str = "each line is key = value; keys have no spaces (horizon_days, not horizon days)";
const GENERIC: &str =
    "check the TOML syntax here: text values need quotes (name = \"purl\"), dates do not \
     (start = 2025-09-01), tables are [name] and repeated tables [[name]]";

/// The problem for a file the parser refused.
pub(super) fn problem(text: &str, err: &TomlError) -> Problem {
    let span = err.span().unwrap_or(text.len()..text.len());
    let offset = span.start.min(text.len());
    let message = err.message().trim().replace('\n', "; ");
    let message = if message.is_empty() {
        "the TOML is incomplete or malformed here".to_owned()
    } else {
        message
    };
    let error_line = line_start(text, offset);
    let open = opening_line(text, error_line);
    let line = line_at(text, open);
    let (help, span) = if open < error_line {
        // A construct (text block, list, inline table) opened on an earlier line never closed.
        match line
            .find("\"\"\"")
            .into_iter()
            .chain(line.find("'''"))
            .min()
        {
            Some(q) => (TEXT_BLOCK, open + q..open + q + 3),
            None => (hint(line, line.len()), span),
        }
    } else {
        (hint(line, offset - open), span)
    };
    let at = if open < error_line {
        line.len()
    } else {
        offset - open
    };
    Problem {
        path: path_of(text, open, line, at),
        message,
        help: Some(help.to_owned()),
        span: Some(span),
    }
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

fn line_at(text: &str, start: usize) -> &str {
    let rest = &text[start..];
    rest.split('\n').next().unwrap_or("").trim_end_matches('\r')
}

/// The start of the line where the failing construct opened: the last line start whose prefix
/// parses (the text before the first error parses; a multi-line construct makes every prefix
/// that ends inside it fail, so a binary search finds where it began).
fn opening_line(text: &str, error_line: usize) -> usize {
    if ImDocument::parse(&text[..error_line]).is_ok() {
        return error_line;
    }
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text[..error_line].match_indices('\n').map(|(i, _)| i + 1))
        .filter(|&s| s <= error_line)
        .collect();
    let (mut lo, mut hi) = (0, starts.len() - 1);
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        if ImDocument::parse(&text[..starts[mid]]).is_ok() {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    starts[lo]
}

/// The hint for an error at byte `at` of `line`, from what is written there.
fn hint(line: &str, at: usize) -> &'static str {
    let indent = line.len() - line.trim_start().len();
    let trimmed = line.trim();
    if trimmed.starts_with('[') {
        let header = trimmed.split('#').next().unwrap_or("").trim_end();
        let well_formed = (header.starts_with("[[") && header.ends_with("]]") && header.len() > 4)
            || (!header.starts_with("[[") && header.ends_with(']') && header.len() > 2);
        return if well_formed { DUPLICATE } else { HEADER };
    }
    if line
        .get(at..)
        .is_some_and(|r| r.starts_with(|c: char| c.is_control() && c != '\t'))
    {
        return STRING;
    }
    let Some(eq) = line.find('=') else {
        return if trimmed.is_empty() { GENERIC } else { KEY };
    };
    if at <= eq {
        return if at <= indent { DUPLICATE } else { KEY };
    }
    let value = &line[eq + 1..];
    let vstart = eq + 1 + (value.len() - value.trim_start().len());
    let rest = line[vstart..].trim_end();
    let Some(c) = rest.chars().next() else {
        return QUOTES;
    };
    if c == '#' {
        return QUOTES;
    }
    if unclosed_quote(rest) {
        return STRING;
    }
    if c == '[' || c == '{' {
        let depth = rest.chars().filter(|&c| c == '[' || c == '{').count();
        return if depth > 50 {
            NESTED
        } else if c == '{' {
            INLINE
        } else {
            ARRAY
        };
    }
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 4 && rest.as_bytes().get(4) == Some(&b'-') {
        return DATE;
    }
    if at > vstart {
        return END_OF_LINE;
    }
    let word: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    if c.is_alphabetic() && !matches!(word.as_str(), "true" | "false" | "inf" | "nan") {
        return QUOTES;
    }
    let all_digits = rest
        .trim_start_matches(['+', '-'])
        .chars()
        .filter(|&c| c != '_')
        .take_while(char::is_ascii_digit)
        .count();
    if all_digits > 18 {
        TOO_LARGE
    } else {
        NUMBER
    }
}

/// Whether `s` has a `"` or `'` string that does not close on the line.
fn unclosed_quote(s: &str) -> bool {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in s.chars() {
        match quote {
            Some('"') if escaped => escaped = false,
            Some('"') if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' => return false,
            None => {}
        }
    }
    quote.is_some()
}

/// The key path of the key written on `line` (at `line_start`), inside the table the text before
/// it ends in; the table's path when the error is before the `=`.
fn path_of(text: &str, line_start: usize, line: &str, at: usize) -> KeyPath {
    if line.trim_start().starts_with('[') {
        return KeyPath::root();
    }
    let table = ImDocument::parse(&text[..line_start])
        .map(|d| current_table(d.as_table()))
        .unwrap_or_default();
    match line.find('=') {
        Some(eq) if at > eq => match toml_edit::Key::parse(line[..eq].trim()) {
            Ok(keys) => keys.iter().fold(table, |p, k| p.key(k.get())),
            Err(_) => table,
        },
        _ => table,
    }
}

/// The path of the table whose header comes last in the document.
fn current_table(root: &Table) -> KeyPath {
    let mut best = (0, KeyPath::root());
    visit(root, &KeyPath::root(), &mut best);
    best.1
}

fn visit(t: &Table, path: &KeyPath, best: &mut (usize, KeyPath)) {
    for (k, item) in t.iter() {
        let here = path.key(k);
        match item {
            Item::Table(sub) => {
                if let Some(s) = sub.span() {
                    if s.start >= best.0 {
                        *best = (s.start, here.clone());
                    }
                }
                visit(sub, &here, best);
            }
            Item::ArrayOfTables(a) => {
                let segs = if path.0.is_empty() {
                    let names: Vec<Option<&str>> = a
                        .iter()
                        .map(|e| {
                            e.get(if k == "consumption" { "item" } else { "name" })
                                .and_then(Item::as_str)
                        })
                        .collect();
                    entry_segs(&names)
                } else {
                    (0..a.len()).map(Seg::Index).collect()
                };
                for (e, seg) in a.iter().zip(segs) {
                    let entry = here.seg(seg);
                    if let Some(s) = e.span() {
                        if s.start >= best.0 {
                            *best = (s.start, entry.clone());
                        }
                    }
                    visit(e, &entry, best);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Problem {
        let e = ImDocument::parse(text).expect_err(text);
        problem(text, &e)
    }

    #[test]
    fn path_comes_from_the_table_and_the_key() {
        let t = "[scenario]\nname = \"a\"\n[[item]]\nname = \"shell\"\nunit_cost_usd = 4,000\n";
        assert_eq!(p(t).path.to_string(), "item.shell.unit_cost_usd");
        let t = "[[funding]]\nname = \"d\"\n[[funding.recurring]]\nevery = monthly\n";
        assert_eq!(p(t).path.to_string(), "funding.d.recurring[0].every");
        assert_eq!(p("horizon days = 3\n").path.to_string(), "(top level)");
    }

    #[test]
    fn hints_come_from_the_text() {
        let help = |t: &str| p(t).help.unwrap();
        assert_eq!(help("name = \"base\n"), STRING);
        assert_eq!(help("name = base\n"), QUOTES);
        assert_eq!(help("x =\n"), QUOTES);
        assert_eq!(help("x = 4,000\n"), END_OF_LINE);
        assert_eq!(help("x = .5\n"), NUMBER);
        assert_eq!(help("x = 99999999999999999999\n"), TOO_LARGE);
        assert_eq!(help("s = 2025-02-30\n"), DATE);
        assert_eq!(help("a = 1\na = 2\n"), DUPLICATE);
        assert_eq!(help("[a]\n[a]\n"), DUPLICATE);
        assert_eq!(help("[[item]\n"), HEADER);
        assert_eq!(help("y = { a = 1, }\n"), INLINE);
        assert_eq!(help("horizon days = 3\n"), KEY);
        assert_eq!(help(&format!("x = {}", "[".repeat(1000))), NESTED);
    }

    #[test]
    fn an_unclosed_text_block_points_at_its_opening() {
        let t = "[scenario]\nname = \"a\"\ndescription = \"\"\" long\ntext\n";
        let pb = p(t);
        assert_eq!(pb.help.as_deref(), Some(TEXT_BLOCK));
        assert_eq!(pb.span, Some(36..39));
        assert_eq!(pb.path.to_string(), "scenario.description");
    }
}

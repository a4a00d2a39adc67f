//! Text taken from scenario files is untrusted: these functions make it safe to show on a
//! terminal, inside XML (SVG, HTML) and inside Markdown, without changing what a reader sees for
//! ordinary text.
//!
//! Each function borrows its input unchanged when nothing needs escaping, so the common case
//! costs no allocation.

use std::borrow::Cow;
use std::fmt::Write as _;

/// A character a terminal may interpret instead of printing: C0 controls (tab and newline
/// included, since a label spanning lines breaks a table), DEL, C1 controls, and the Unicode
/// bidirectional overrides and isolates that can reorder what a reader sees.
#[must_use]
pub fn is_terminal_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Shows `s` on a terminal as written, except that control characters and bidirectional
/// overrides appear as visible escapes (`\u{1b}`), so a label cannot clear the screen, retitle
/// the window or hide text.
#[must_use]
pub fn terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_terminal_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_terminal_unsafe(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Like [`terminal`], but keeps line breaks: for multi-line text such as an error message whose
/// lines are the program's own.
#[must_use]
pub fn terminal_multiline(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c != '\n' && is_terminal_unsafe(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&terminal(line));
    }
    Cow::Owned(out)
}

/// Whether XML 1.0 allows `c` in character data: tab, newline, carriage return, and everything
/// from U+0020 except the non-characters U+FFFE and U+FFFF (Rust strings hold no surrogates).
#[must_use]
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
}

/// Escapes `s` for XML text or a quoted attribute value: the five markup characters become
/// entities and every character XML 1.0 forbids (and every other control character) becomes
/// U+FFFD, so the document stays well-formed whatever a label holds.
#[must_use]
pub fn xml(s: &str) -> Cow<'_, str> {
    let needs =
        |c: char| matches!(c, '&' | '<' | '>' | '"' | '\'') || !is_xml_char(c) || c.is_control();
    if !s.chars().any(needs) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if !is_xml_char(c) || c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Escapes `s` for inline Markdown, including a table cell: Markdown punctuation is
/// backslash-escaped (so `[x](javascript:…)` is not a link and `|` does not split a cell), `&`,
/// `<` and `>` become HTML entities (so raw HTML is shown, never interpreted), and line breaks
/// and other control characters become spaces.
#[must_use]
pub fn markdown(s: &str) -> Cow<'_, str> {
    const PUNCT: &str = "\\`*_{}[]()#+-.!|~";
    let needs = |c: char| PUNCT.contains(c) || matches!(c, '&' | '<' | '>') || c.is_control();
    if !s.chars().any(needs) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if c.is_control() => out.push(' '),
            c if PUNCT.contains(c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plain_text_is_borrowed() {
        for f in [terminal, terminal_multiline, xml, markdown] {
            assert!(matches!(f("Flamingo cruise missile"), Cow::Borrowed(_)));
        }
    }

    #[test]
    fn terminal_escapes_controls_visibly() {
        assert_eq!(terminal("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(terminal("x\ny"), "x\\u{a}y");
        assert_eq!(terminal("\u{202E}evil"), "\\u{202e}evil");
        assert_eq!(terminal("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(
            terminal_multiline("line 1\nline\u{7} 2"),
            "line 1\nline\\u{7} 2"
        );
    }

    #[test]
    fn xml_escapes_markup_and_forbidden_characters() {
        assert_eq!(xml("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(xml("form\u{c}feed"), "form\u{FFFD}feed");
        assert_eq!(xml("\u{FFFF}"), "\u{FFFD}");
    }

    #[test]
    fn markdown_defuses_links_tables_and_html() {
        assert_eq!(markdown("a|b"), "a\\|b");
        assert_eq!(
            markdown("[x](javascript:alert(1))"),
            "\\[x\\]\\(javascript:alert\\(1\\)\\)"
        );
        assert_eq!(markdown("<script>"), "&lt;script&gt;");
        assert_eq!(markdown("two\nlines"), "two lines");
    }

    proptest! {
        #[test]
        fn terminal_output_has_no_controls(s in any::<String>()) {
            let t = terminal(&s);
            prop_assert!(!t.chars().any(is_terminal_unsafe));
        }

        #[test]
        fn xml_output_is_well_formed_text(s in any::<String>()) {
            let x = xml(&s);
            prop_assert!(x.chars().all(|c| is_xml_char(c) && !c.is_control()));
            // No markup survives: every '&' starts an entity.
            prop_assert!(!x.contains('<') && !x.contains('>'));
        }

        #[test]
        fn markdown_output_is_one_line_without_raw_html(s in any::<String>()) {
            let m = markdown(&s);
            prop_assert!(!m.contains('\n') && !m.contains('<') && !m.contains('>'));
            // Every '|' is escaped.
            let b = m.as_bytes();
            for (i, &c) in b.iter().enumerate() {
                if c == b'|' {
                    prop_assert!(i > 0 && b[i - 1] == b'\\');
                }
            }
        }
    }
}

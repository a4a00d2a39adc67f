//! The one key-path syntax: how every message (and every later feature that names a key) points
//! at a value in a scenario file.
//!
//! - tables by key: `scenario.horizon_days`
//! - entries of the top-level repeated tables by their name: `funding.purl-donors.payment_probability`
//!   (a `[[consumption]]` entry by its `item`: `consumption.shell.daily`)
//! - entries without a usable name, and unnamed lists, by 0-based index:
//!   `funding.germany.recurring[0].amount_usd`, `line.lockheed-pac3.capacity[1].per_year`
//! - distribution parameters by name: `line.x.delivery_lag_days.median`
//!
//! A key that is not a bare TOML key (letters, digits, `-`, `_`) is written in double quotes:
//! `channel."Purl Fund".name`. [`KeyPath`] parses and displays this syntax, and the two agree.

use std::fmt;
use std::str::FromStr;

/// One step of a key path: a table key (or an entry's name) or a list index.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Seg {
    /// A key in a table (`unit_cost_usd`) or the name of an entry of a repeated table (`shell`).
    Key(String),
    /// A 0-based position in a list or repeated table.
    Index(usize),
}

/// Where a value is in a scenario file, e.g. `line.shell-line.capacity[1].per_day`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
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
        self.seg(Seg::Key(k.to_owned()))
    }

    /// This path extended by an index.
    #[must_use]
    pub fn index(&self, i: usize) -> KeyPath {
        self.seg(Seg::Index(i))
    }

    /// This path extended by one step.
    #[must_use]
    pub fn seg(&self, s: Seg) -> KeyPath {
        let mut v = Vec::with_capacity(self.0.len() + 1);
        v.extend_from_slice(&self.0);
        v.push(s);
        KeyPath(v)
    }

    /// The last key of the path (skipping indices), if any.
    #[must_use]
    pub fn last_key(&self) -> Option<&str> {
        self.0.iter().rev().find_map(|s| match s {
            Seg::Key(k) => Some(k.as_str()),
            Seg::Index(_) => None,
        })
    }
}

/// Whether `k` can be written without quotes.
#[must_use]
pub fn is_bare_key(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// How the entries of a top-level repeated table appear in key paths, given each entry's name
/// (`None` when it has none that can be read): by name when the name is a bare key that no
/// earlier entry uses, otherwise by index.
#[must_use]
pub fn entry_segs(names: &[Option<&str>]) -> Vec<Seg> {
    let mut seen = std::collections::HashSet::new();
    names
        .iter()
        .enumerate()
        .map(|(i, n)| match n {
            Some(n) if is_bare_key(n) && seen.insert(*n) => Seg::Key((*n).to_owned()),
            _ => Seg::Index(i),
        })
        .collect()
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(top level)");
        }
        for (n, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) => {
                    if n > 0 {
                        f.write_str(".")?;
                    }
                    if is_bare_key(k) {
                        f.write_str(k)?;
                    } else {
                        write!(f, "\"{}\"", k.replace('\\', "\\\\").replace('"', "\\\""))?;
                    }
                }
                Seg::Index(i) => write!(f, "[{i}]")?,
            }
        }
        Ok(())
    }
}

/// Why a key path could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid key path at character {at}: {what}")]
pub struct KeyPathError {
    /// 0-based character position of the problem.
    pub at: usize,
    /// What is wrong.
    pub what: &'static str,
}

impl FromStr for KeyPath {
    type Err = KeyPathError;

    /// Parses `a.b[2]."quoted key".c`; the empty string and `(top level)` are the root.
    fn from_str(s: &str) -> Result<KeyPath, KeyPathError> {
        if s.is_empty() || s == "(top level)" {
            return Ok(KeyPath::root());
        }
        let chars: Vec<char> = s.chars().collect();
        let err = |at: usize, what| Err(KeyPathError { at, what });
        let mut segs = Vec::new();
        let mut i = 0;
        let mut need_key = true;
        while i < chars.len() {
            match chars[i] {
                '[' => {
                    let start = i + 1;
                    let mut j = start;
                    while j < chars.len() && chars[j].is_ascii_digit() {
                        j += 1;
                    }
                    if j == start || j >= chars.len() || chars[j] != ']' {
                        return err(i, "expected [N] with a whole number N");
                    }
                    let n: String = chars[start..j].iter().collect();
                    let Ok(n) = n.parse() else {
                        return err(start, "index too large");
                    };
                    if segs.is_empty() {
                        return err(i, "a path starts with a key");
                    }
                    segs.push(Seg::Index(n));
                    i = j + 1;
                    need_key = false;
                }
                '.' if !need_key => {
                    i += 1;
                    need_key = true;
                }
                '"' if need_key => {
                    let mut k = String::new();
                    let mut j = i + 1;
                    loop {
                        match chars.get(j) {
                            None => return err(i, "unclosed quote"),
                            Some('"') => break,
                            Some('\\') => {
                                match chars.get(j + 1) {
                                    Some(c @ ('"' | '\\')) => k.push(*c),
                                    _ => return err(j, "only \\\" and \\\\ may be escaped"),
                                }
                                j += 2;
                                continue;
                            }
                            Some(c) => k.push(*c),
                        }
                        j += 1;
                    }
                    segs.push(Seg::Key(k));
                    i = j + 1;
                    need_key = false;
                }
                c if need_key && (c.is_ascii_alphanumeric() || c == '-' || c == '_') => {
                    let start = i;
                    while i < chars.len()
                        && (chars[i].is_ascii_alphanumeric() || chars[i] == '-' || chars[i] == '_')
                    {
                        i += 1;
                    }
                    segs.push(Seg::Key(chars[start..i].iter().collect()));
                    need_key = false;
                }
                _ if need_key => return err(i, "expected a key"),
                _ => return err(i, "expected `.` or `[` after a key"),
            }
        }
        if need_key {
            return err(chars.len(), "the path ends with `.`");
        }
        Ok(KeyPath(segs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> KeyPath {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn display_and_parse_agree() {
        for s in [
            "scenario.horizon_days",
            "funding.purl-donors.payment_probability",
            "funding.germany.recurring[0].amount_usd",
            "line.lockheed-pac3.capacity[1].per_year",
            "line.x.delivery_lag_days.median",
            "item[3].name",
            "channel.\"Purl Fund\".name",
            "a.\"say \\\"hi\\\"\".b",
            "(top level)",
        ] {
            assert_eq!(p(s).to_string(), s);
        }
    }

    #[test]
    fn builders_match_the_syntax() {
        let k = KeyPath::root()
            .key("line")
            .key("x")
            .key("capacity")
            .index(1)
            .key("per_day");
        assert_eq!(k, p("line.x.capacity[1].per_day"));
        assert_eq!(k.last_key(), Some("per_day"));
        assert_eq!(KeyPath::root().key("a b").to_string(), "\"a b\"");
    }

    #[test]
    fn bad_paths_are_refused_with_a_position() {
        for (s, at) in [
            ("a.", 2),
            (".a", 0),
            ("a..b", 2),
            ("[0]", 0),
            ("a[x]", 1),
            ("a[1", 1),
            ("a\"b\"", 1),
            ("a.\"b", 2),
            ("a b", 1),
        ] {
            let e = s.parse::<KeyPath>().unwrap_err();
            assert_eq!(e.at, at, "{s}: {e}");
        }
    }

    #[test]
    fn entries_are_named_once_and_indexed_otherwise() {
        let segs = entry_segs(&[Some("a"), Some("a"), None, Some("b c"), Some("b")]);
        assert_eq!(
            segs,
            vec![
                Seg::Key("a".into()),
                Seg::Index(1),
                Seg::Index(2),
                Seg::Index(3),
                Seg::Key("b".into())
            ]
        );
    }
}

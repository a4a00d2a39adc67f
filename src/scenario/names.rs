//! Names and references: every entry has a name that becomes part of file and folder names, and
//! entries refer to each other by these names.
//!
//! A name uses only ASCII letters, digits, `-` and `_`, starts with a letter or digit, is at most
//! 64 characters, is not a device name that Windows reserves (`con`, `nul`, `com1`, …) and does
//! not differ only by case from another name of the same kind (chart files are named after
//! items, and macOS and Windows do not tell `A` from `a`).

use super::doc::{At, Ctx, Sp};
use super::hints::nearest;
use std::collections::{HashMap, HashSet};

/// Device names Windows reserves in any case and with any extension.
fn is_reserved(name: &str) -> bool {
    let base = name.split('.').next().unwrap_or(name).to_ascii_lowercase();
    matches!(base.as_str(), "con" | "nul" | "aux" | "prn")
        || ((base.starts_with("com") || base.starts_with("lpt"))
            && base.len() == 4
            && matches!(base.as_bytes()[3], b'1'..=b'9'))
}

/// A valid name close to `name`, for the hint.
fn suggestion(name: &str) -> String {
    let fix: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let fix: String = fix
        .trim_matches(|c| c == '-' || c == '_')
        .chars()
        .take(64)
        .collect();
    let fix = fix.trim_end_matches(['-', '_']).to_owned();
    if fix.is_empty() {
        "my-name".to_owned()
    } else if is_reserved(&fix) {
        format!("{fix}-1")
    } else {
        fix
    }
}

/// Checks a name; reports and returns false when it cannot be used.
pub(super) fn check_name(ctx: &mut Ctx, at: &At, name: &str, what: &str) -> bool {
    let ok_chars = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let problem = if name.is_empty() {
        "is empty".to_owned()
    } else if name.len() > 64 {
        format!(
            "is {} characters long; at most 64 are allowed",
            name.chars().count()
        )
    } else if !ok_chars {
        format!("\"{name}\" contains characters other than letters, digits, '-' and '_'")
    } else if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        format!("\"{name}\" must start with a letter or digit")
    } else if is_reserved(name) {
        ctx.err(
            at,
            format!("the {what} name \"{name}\" is a device name that Windows reserves"),
            Some(format!("con, nul, aux, prn, com1–com9 and lpt1–lpt9 cannot be file names on Windows, in any case; choose another name, e.g. \"{name}-1\"")),
        );
        return false;
    } else {
        return true;
    };
    ctx.err(
        at,
        format!("the {what} name {problem}"),
        Some(format!("names become file and folder names, so they may use only letters, digits, '-' and '_', e.g. \"{}\"; use label = \"...\" for a display name with spaces", suggestion(name))),
    );
    false
}

/// The names of one kind of entry, for resolving references.
#[derive(Debug)]
pub(super) struct Names {
    kind: &'static str,
    table: &'static str,
    map: HashMap<String, usize>,
    list: Vec<String>,
    /// Names already reported as invalid: references to them are not reported again.
    invalid: HashSet<String>,
    /// Some entry's name could not be read at all: an unknown reference may be meant for it.
    unreadable: bool,
}

/// `items` → `item`.
fn singular(kind: &str) -> &str {
    kind.strip_suffix('s').unwrap_or(kind)
}

impl Names {
    /// Checks the names of the entries of `[[table]]` (`None`: the name was missing or not
    /// text, already reported) and reports duplicates once each.
    pub fn build(
        ctx: &mut Ctx,
        kind: &'static str,
        table: &'static str,
        names: &[Option<&Sp<String>>],
    ) -> Names {
        let mut n = Names {
            kind,
            table,
            map: HashMap::new(),
            list: Vec::new(),
            invalid: HashSet::new(),
            unreadable: false,
        };
        let mut folded: HashMap<String, String> = HashMap::new();
        for (i, name) in names.iter().enumerate() {
            let Some(name) = name else {
                n.unreadable = true;
                continue;
            };
            if !check_name(ctx, &name.at, &name.v, singular(kind)) {
                n.invalid.insert(name.v.clone());
                continue;
            }
            if n.map.contains_key(&name.v) {
                ctx.err(
                    &name.at,
                    format!(
                        "the name \"{}\" is already used by an earlier [[{table}]] ({table}.{})",
                        name.v, name.v
                    ),
                    Some(format!(
                        "every [[{table}]] needs its own name, e.g. \"{}-2\"",
                        name.v
                    )),
                );
                continue;
            }
            if let Some(other) = folded.get(&name.v.to_ascii_lowercase()) {
                ctx.err(
                    &name.at,
                    format!("the name \"{}\" differs only by case from \"{other}\" ({table}.{other})", name.v),
                    Some("names become file names, and macOS and Windows do not tell upper from lower case: make the names differ by more than case".into()),
                );
                n.invalid.insert(name.v.clone());
                continue;
            }
            folded.insert(name.v.to_ascii_lowercase(), name.v.clone());
            n.map.insert(name.v.clone(), i);
            n.list.push(name.v.clone());
        }
        n
    }

    /// Unknown references are not reported: the table itself was written wrongly (reported).
    pub fn unreadable(mut self, yes: bool) -> Names {
        self.unreadable |= yes;
        self
    }

    /// Whether some entry's name could not be read (unknown references are then not reported).
    pub fn is_unreadable(&self) -> bool {
        self.unreadable
    }

    /// The index of the entry called `name`, without reporting.
    pub fn get(&self, name: &str) -> Option<usize> {
        self.map.get(name).copied()
    }

    /// The index of the entry called `name`; reports an unknown name with the known ones.
    pub fn resolve(&self, ctx: &mut Ctx, at: &At, name: &str) -> Option<usize> {
        if let Some(i) = self.get(name) {
            return Some(i);
        }
        if self.invalid.contains(name) || self.unreadable {
            return None;
        }
        let known = if self.list.is_empty() && !self.invalid.is_empty() {
            format!(
                "no [[{}]] in this file has a valid name yet; fix the names reported above",
                self.table
            )
        } else if self.list.is_empty() {
            format!(
                "this file defines no {} yet: add a [[{}]] table",
                self.kind, self.table
            )
        } else {
            let list = self
                .list
                .iter()
                .map(|n| format!("\"{n}\""))
                .collect::<Vec<_>>()
                .join(", ");
            match nearest(name, self.list.iter().map(String::as_str)) {
                Some(n) => format!(
                    "did you mean \"{n}\"? The {} in this file are: {list}",
                    self.kind
                ),
                None => format!("the {} in this file are: {list}", self.kind),
            }
        };
        ctx.err(
            at,
            format!("there is no {} named \"{name}\"", singular(self.kind)),
            Some(known),
        );
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::keypath::KeyPath;

    fn sp(v: &str, i: usize) -> Sp<String> {
        Sp {
            v: v.into(),
            at: At::path(KeyPath::root().key("item").index(i).key("name")),
        }
    }

    #[test]
    fn reserved_and_case_colliding_names_are_refused() {
        let names = [
            sp("shell", 0),
            sp("Shell", 1),
            sp("COM3", 2),
            sp("nul", 3),
            sp("com10", 4),
        ];
        let refs: Vec<_> = names.iter().map(Some).collect();
        let mut ctx = Ctx::default();
        let n = Names::build(&mut ctx, "items", "item", &refs);
        let msgs: Vec<_> = ctx.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(msgs.len(), 3, "{msgs:?}");
        assert!(msgs[0].contains("differs only by case"));
        assert!(msgs[1].contains("reserves") && msgs[2].contains("reserves"));
        assert_eq!(n.get("com10"), Some(4));
        // References to refused names are not reported again.
        assert_eq!(
            n.resolve(&mut ctx, &At::path(KeyPath::root()), "Shell"),
            None
        );
        assert_eq!(ctx.problems.len(), 3);
    }

    #[test]
    fn duplicates_are_reported_once_and_unknown_references_suggest() {
        let names = [sp("shell", 0), sp("shell", 1)];
        let refs: Vec<_> = names.iter().map(Some).collect();
        let mut ctx = Ctx::default();
        let n = Names::build(&mut ctx, "items", "item", &refs);
        assert_eq!(ctx.problems.len(), 1);
        assert_eq!(n.get("shell"), Some(0));
        n.resolve(&mut ctx, &At::path(KeyPath::root()), "shel");
        assert!(ctx.problems[1]
            .help
            .as_deref()
            .unwrap()
            .starts_with("did you mean \"shell\""));
        assert_eq!(suggestion("Purl Fund"), "purl-fund");
        assert_eq!(suggestion("con"), "con-1");
    }
}

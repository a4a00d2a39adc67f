//! Reading the spanned TOML document: typed access to tables and values that keeps every key's and
//! value's place in the file, and collects every problem (wrong type, missing key, unknown key)
//! instead of stopping at the first.
//!
//! The file is parsed once by `toml_edit`; nothing here looks at the parser's message text.

use super::diagnostics::Problem;
use super::hints::{key_help, missing_key_help, nearest_key, parent_key_help, unknown_key_help};
use super::keypath::KeyPath;
use std::collections::HashSet;
use std::ops::Range;
use toml_edit::{InlineTable, Item, Table, Value};

pub(super) use super::values::{
    date, int, num, num_or_table, string, table, tables, text_or_table, NumOrTable, TextOrTable,
};
pub(super) use toml_edit::Datetime;

/// Where a value is: its key path and its byte range in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct At {
    /// The key path.
    pub path: KeyPath,
    /// The byte range, when the value has one place in the file.
    pub span: Option<Range<usize>>,
}

impl At {
    /// A place with no span (the whole file or a derived value).
    pub fn path(path: KeyPath) -> At {
        At { path, span: None }
    }
}

/// A value read from the file, with where it is.
#[derive(Debug, Clone)]
pub(super) struct Sp<T> {
    /// The value.
    pub v: T,
    /// Where it was written.
    pub at: At,
}

/// The problems and warnings found so far in one file.
#[derive(Debug, Default)]
pub(super) struct Ctx {
    /// Errors: the file is refused when there is any.
    pub problems: Vec<Problem>,
    /// Plausibility warnings.
    pub warnings: Vec<Problem>,
    /// (table, key) pairs an unknown key was taken for: that key's absence is the same mistake
    /// and is not reported again.
    suggested: HashSet<(KeyPath, String)>,
}

impl Ctx {
    /// Whether an unknown key in the table at `table` was reported as a misspelling of `key`.
    pub fn was_suggested(&self, table: &KeyPath, key: &str) -> bool {
        !self.suggested.is_empty() && self.suggested.contains(&(table.clone(), key.to_owned()))
    }

    /// Records an error at `at`; without a hint, the key's own hint is used.
    pub fn err(&mut self, at: &At, message: impl Into<String>, help: Option<String>) {
        let help = help.or_else(|| key_help(&at.path));
        self.problems.push(Problem {
            path: at.path.clone(),
            message: message.into(),
            help,
            span: at.span.clone(),
        });
    }

    /// Records a plausibility warning at `at`.
    pub fn warn(&mut self, at: &At, message: impl Into<String>, help: String) {
        self.warnings.push(Problem {
            path: at.path.clone(),
            message: message.into(),
            help: Some(help),
            span: at.span.clone(),
        });
    }

    /// Records "invalid type: <what was found>, expected <what>".
    pub(super) fn wrong_type(&mut self, at: &At, node: Node<'_>, expected: &str) {
        let help = key_help(&at.path).or_else(|| parent_key_help(&at.path));
        self.err(
            at,
            format!("invalid type: {}, expected {expected}", node.describe()),
            help,
        );
    }
}

/// A value or table in the document.
#[derive(Debug, Clone, Copy)]
pub(super) enum Node<'a> {
    /// A top-level or standard-table item.
    Item(&'a Item),
    /// A value inside an inline table or array.
    Value(&'a Value),
}

impl<'a> Node<'a> {
    pub(super) fn value(self) -> Option<&'a Value> {
        match self {
            Node::Item(Item::Value(v)) | Node::Value(v) => Some(v),
            Node::Item(_) => None,
        }
    }

    /// The byte range of the value or table header.
    pub fn span(self) -> Option<Range<usize>> {
        match self {
            Node::Item(Item::ArrayOfTables(a)) => {
                a.span().or_else(|| a.get(0).and_then(Table::span))
            }
            Node::Item(i) => i.span(),
            Node::Value(v) => v.span(),
        }
    }

    /// What the value is, as a scenario author says it (for "invalid type" messages).
    pub(super) fn describe(self) -> String {
        match self {
            Node::Item(Item::Table(_)) | Node::Value(Value::InlineTable(_)) => "table".into(),
            Node::Item(Item::ArrayOfTables(_)) => "list of tables".into(),
            Node::Item(Item::None) => "nothing".into(),
            Node::Item(Item::Value(v)) | Node::Value(v) => match v {
                Value::String(s) => format!("string \"{}\"", s.value()),
                Value::Integer(i) => format!("integer `{}`", i.value()),
                Value::Float(f) => format!("decimal number `{}`", f.value()),
                Value::Boolean(b) => format!("boolean `{}`", b.value()),
                Value::Datetime(d) => format!("date `{}`", d.value()),
                Value::Array(_) => "list".into(),
                Value::InlineTable(_) => "table".into(),
            },
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub(super) enum TblRef<'a> {
    Std(&'a Table),
    Inline(&'a InlineTable),
}

/// A table (standard or inline) at a key path.
#[derive(Debug, Clone)]
pub(super) struct Tbl<'a> {
    /// Where the table is (its header or its braces).
    pub at: At,
    pub(super) t: TblRef<'a>,
}

impl<'a> Tbl<'a> {
    /// The document's root table.
    pub fn root(t: &'a Table) -> Tbl<'a> {
        Tbl {
            at: At {
                path: KeyPath::root(),
                span: Some(0..0),
            },
            t: TblRef::Std(t),
        }
    }

    /// The same table under another path (an entry named once its name is known).
    pub fn at_path(mut self, path: KeyPath) -> Tbl<'a> {
        self.at.path = path;
        self
    }

    fn entry(&self, key: &str) -> Option<(Option<Range<usize>>, Node<'a>)> {
        match self.t {
            TblRef::Std(t) => t.get_key_value(key).map(|(k, i)| (k.span(), Node::Item(i))),
            TblRef::Inline(t) => t.get_key_value(key).map(|(k, i)| (k.span(), Node::Item(i))),
        }
    }

    /// The value at `key` and where it is (the value's span, or the key's).
    pub fn get(&self, key: &str) -> Option<(At, Node<'a>)> {
        let (key_span, node) = self.entry(key)?;
        let path = self.at.path.key(key);
        Some((
            At {
                path,
                span: node.span().or(key_span),
            },
            node,
        ))
    }

    /// The text at `key` if it is text, without reporting anything (to name an entry).
    pub fn peek_str(&self, key: &str) -> Option<&'a str> {
        match self.entry(key)?.1 {
            Node::Item(Item::Value(Value::String(s))) | Node::Value(Value::String(s)) => {
                Some(s.value().as_str())
            }
            _ => None,
        }
    }

    /// Whether the table has `key`.
    pub fn has(&self, key: &str) -> bool {
        self.entry(key).is_some()
    }

    /// The keys of the table, in file order.
    pub fn keys(&self) -> Vec<&'a str> {
        match self.t {
            TblRef::Std(t) => t.iter().map(|(k, _)| k).collect(),
            TblRef::Inline(t) => t.iter().map(|(k, _)| k).collect(),
        }
    }

    /// Reports every key not in `allowed` (by the key's own span), with "did you mean".
    pub fn check_keys(&self, ctx: &mut Ctx, allowed: &[&str]) {
        for k in self.keys() {
            if !allowed.contains(&k) {
                if let Some(meant) = nearest_key(k, allowed) {
                    if !self.has(meant) {
                        ctx.suggested
                            .insert((self.at.path.clone(), meant.to_owned()));
                    }
                }
                let (span, _) = self.entry(k).unwrap_or((None, Node::Item(&Item::None)));
                let at = At {
                    path: self.at.path.key(k),
                    span: span.or_else(|| self.at.span.clone()),
                };
                ctx.problems.push(Problem {
                    path: at.path,
                    message: format!("unknown key `{k}`"),
                    help: Some(unknown_key_help(k, allowed)),
                    span: at.span,
                });
            }
        }
    }

    /// Reports that `key` is required here (unless a misspelling of it was reported).
    pub fn missing(&self, ctx: &mut Ctx, key: &str) {
        if ctx.was_suggested(&self.at.path, key) {
            return;
        }
        ctx.err(
            &self.at,
            format!("missing key `{key}`"),
            Some(missing_key_help(&self.at.path, key)),
        );
    }

    /// A required key read with `read`; reports it when absent.
    pub fn req<T>(
        &self,
        ctx: &mut Ctx,
        key: &str,
        read: impl FnOnce(&mut Ctx, At, Node<'a>) -> Option<T>,
    ) -> Option<T> {
        match self.get(key) {
            Some((at, node)) => read(ctx, at, node),
            None => {
                self.missing(ctx, key);
                None
            }
        }
    }

    /// An optional key read with `read` (`None` when absent or reported).
    pub fn opt<T>(
        &self,
        ctx: &mut Ctx,
        key: &str,
        read: impl FnOnce(&mut Ctx, At, Node<'a>) -> Option<T>,
    ) -> Option<T> {
        let (at, node) = self.get(key)?;
        read(ctx, at, node)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_doc<R>(text: &str, f: impl FnOnce(&mut Ctx, Tbl<'_>) -> R) -> (R, Ctx) {
        let doc = toml_edit::ImDocument::parse(text).unwrap();
        let mut ctx = Ctx::default();
        let r = f(&mut ctx, Tbl::root(doc.as_table()));
        (r, ctx)
    }

    #[test]
    fn wrong_types_are_all_reported_with_spans() {
        let text = "a = \"x\"\nb = true\nc = [1]\n";
        let (_, ctx) = with_doc(text, |ctx, t| {
            for k in ["a", "b", "c"] {
                t.req(ctx, k, num);
            }
        });
        let msgs: Vec<_> = ctx.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            msgs,
            [
                "invalid type: string \"x\", expected a number",
                "invalid type: boolean `true`, expected a number",
                "invalid type: list, expected a number"
            ]
        );
        assert_eq!(ctx.problems[1].span, Some(12..16));
    }

    #[test]
    fn missing_and_unknown_keys() {
        let (_, ctx) = with_doc("[t]\nnmae = 1\n[u]\nx = 1\n", |ctx, root| {
            for k in ["t", "u"] {
                let (at, node) = root.get(k).unwrap();
                let t = table(ctx, at, node).unwrap();
                t.check_keys(ctx, &["name", "x"]);
                t.req(ctx, "name", string);
            }
        });
        // `nmae` is reported as a misspelling of `name`, once; `u` lacks `name`.
        assert_eq!(ctx.problems.len(), 2, "{:?}", ctx.problems);
        assert_eq!(ctx.problems[0].message, "unknown key `nmae`");
        assert!(ctx.problems[0].help.as_deref().unwrap().contains("`name`"));
        assert_eq!(ctx.problems[0].path.to_string(), "t.nmae");
        assert_eq!(ctx.problems[1].message, "missing key `name`");
        assert_eq!(ctx.problems[1].span.as_ref().map(|s| s.start), Some(13));
    }

    #[test]
    fn repeated_tables_and_inline_lists() {
        let (n, ctx) = with_doc(
            "x = [{ a = 1 }, { a = 2 }]\n[[y]]\n[[y]]\n[z]\n",
            |ctx, root| {
                let mut n = Vec::new();
                for k in ["x", "y", "z"] {
                    let (at, node) = root.get(k).unwrap();
                    n.push(tables(ctx, at, node).map(|v| v.len()));
                }
                n
            },
        );
        assert_eq!(n, [Some(2), Some(2), None]);
        assert!(ctx.problems[0].help.as_deref().unwrap().contains("[[z]]"));
    }
}

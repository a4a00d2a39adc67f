//! Typed values read from the spanned document: numbers, whole numbers, text, dates, tables and
//! lists, each reported as "invalid type: `<found>`, expected `<wanted>`" at its own span when it is
//! something else.

use super::doc::{At, Ctx, Datetime, Node, Sp, Tbl, TblRef};
use super::keypath::Seg;
use toml_edit::{Item, Value};

/// A number (integer or decimal).
pub(super) fn num(ctx: &mut Ctx, at: At, node: Node<'_>) -> Option<Sp<f64>> {
    match node.value() {
        Some(Value::Float(f)) => Some(Sp { v: *f.value(), at }),
        #[allow(clippy::cast_precision_loss)]
        Some(Value::Integer(i)) => Some(Sp {
            v: *i.value() as f64,
            at,
        }),
        _ => {
            ctx.wrong_type(&at, node, "a number");
            None
        }
    }
}

/// A whole number.
pub(super) fn int(ctx: &mut Ctx, at: At, node: Node<'_>) -> Option<Sp<i64>> {
    if let Some(Value::Integer(i)) = node.value() {
        return Some(Sp { v: *i.value(), at });
    }
    ctx.wrong_type(&at, node, "a whole number");
    None
}

/// Text.
pub(super) fn string(ctx: &mut Ctx, at: At, node: Node<'_>) -> Option<Sp<String>> {
    if let Some(Value::String(s)) = node.value() {
        return Some(Sp {
            v: s.value().clone(),
            at,
        });
    }
    ctx.wrong_type(&at, node, "a string");
    None
}

/// A TOML date or date-time (checked further by the validators).
pub(super) fn date(ctx: &mut Ctx, at: At, node: Node<'_>) -> Option<Sp<Datetime>> {
    if let Some(Value::Datetime(d)) = node.value() {
        return Some(Sp { v: *d.value(), at });
    }
    ctx.wrong_type(&at, node, "a date");
    None
}

/// Text or a table: how keys such as `pays_into` and distributions are written.
pub(super) enum TextOrTable<'a> {
    Text(Sp<String>),
    Table(Tbl<'a>),
}

/// A table (standard or inline).
pub(super) fn table<'a>(ctx: &mut Ctx, at: At, node: Node<'a>) -> Option<Tbl<'a>> {
    match node {
        Node::Item(Item::Table(t)) => Some(Tbl {
            at,
            t: TblRef::Std(t),
        }),
        Node::Item(Item::Value(Value::InlineTable(t))) | Node::Value(Value::InlineTable(t)) => {
            Some(Tbl {
                at,
                t: TblRef::Inline(t),
            })
        }
        Node::Item(Item::ArrayOfTables(_)) if at.path.0.len() == 1 => {
            let key = at.path.to_string();
            ctx.err(
                &at,
                format!(
                    "[{key}] is a single table, but it is written as the repeated table [[{key}]]"
                ),
                Some(format!("write the header with single brackets: [{key}]")),
            );
            None
        }
        _ => {
            ctx.wrong_type(&at, node, "a table");
            None
        }
    }
}

/// A list of values, each with its place (`key[0]`, `key[1]`, …).
pub(super) fn list<'a>(ctx: &mut Ctx, at: At, node: Node<'a>) -> Option<Vec<(At, Node<'a>)>> {
    if let Some(Value::Array(a)) = node.value() {
        return Some(
            a.iter()
                .enumerate()
                .map(|(i, v)| {
                    (
                        At {
                            path: at.path.index(i),
                            span: v.span(),
                        },
                        Node::Value(v),
                    )
                })
                .collect(),
        );
    }
    ctx.wrong_type(&at, node, "a list");
    None
}

/// A repeated table (`[[name]]`) or a list of inline tables; each entry's path is `key[i]`.
pub(super) fn tables<'a>(ctx: &mut Ctx, at: At, node: Node<'a>) -> Option<Vec<Tbl<'a>>> {
    if let Node::Item(Item::ArrayOfTables(a)) = node {
        return Some(
            a.iter()
                .enumerate()
                .map(|(i, t)| Tbl {
                    at: At {
                        path: at.path.index(i),
                        span: t.span(),
                    },
                    t: TblRef::Std(t),
                })
                .collect(),
        );
    }
    if let Node::Item(Item::Table(_)) = node {
        let dotted: Vec<&str> = at
            .path
            .0
            .iter()
            .filter_map(|s| match s {
                Seg::Key(k) => Some(k.as_str()),
                Seg::Index(_) => None,
            })
            .collect();
        // Entry names are not part of a table header: `funding.donor.lump_sum` → funding.lump_sum.
        let header = match dotted.as_slice() {
            [top, _name, rest @ ..] if !rest.is_empty() => format!("{top}.{}", rest.join(".")),
            _ => dotted.join("."),
        };
        ctx.err(
            &at,
            format!("invalid type: {}, expected a list", node.describe()),
            Some(format!("[[{header}]] is a repeated table: write its header with double brackets, [[{header}]], even when there is only one")),
        );
        return None;
    }
    let items = list(ctx, at, node)?;
    let mut out = Vec::with_capacity(items.len());
    for (at, n) in items {
        out.push(table(ctx, at, n)?);
    }
    Some(out)
}

/// A string or a table, for keys that accept either.
pub(super) fn text_or_table<'a>(
    ctx: &mut Ctx,
    at: At,
    node: Node<'a>,
    expected: &str,
) -> Option<TextOrTable<'a>> {
    match node {
        Node::Item(Item::Value(Value::String(s))) | Node::Value(Value::String(s)) => {
            Some(TextOrTable::Text(Sp {
                v: s.value().clone(),
                at,
            }))
        }
        Node::Item(Item::Table(_) | Item::Value(Value::InlineTable(_)))
        | Node::Value(Value::InlineTable(_)) => table(ctx, at, node).map(TextOrTable::Table),
        _ => {
            ctx.wrong_type(&at, node, expected);
            None
        }
    }
}

/// A number or a table (a distribution).
pub(super) enum NumOrTable<'a> {
    Num(Sp<f64>),
    Table(Tbl<'a>),
}

/// A number or a table, for uncertain numbers.
pub(super) fn num_or_table<'a>(
    ctx: &mut Ctx,
    at: At,
    node: Node<'a>,
    expected: &str,
) -> Option<NumOrTable<'a>> {
    match node {
        Node::Item(Item::Value(Value::Float(_) | Value::Integer(_)))
        | Node::Value(Value::Float(_) | Value::Integer(_)) => {
            num(ctx, at, node).map(NumOrTable::Num)
        }
        Node::Item(Item::Table(_) | Item::Value(Value::InlineTable(_)))
        | Node::Value(Value::InlineTable(_)) => table(ctx, at, node).map(NumOrTable::Table),
        _ => {
            ctx.wrong_type(&at, node, expected);
            None
        }
    }
}

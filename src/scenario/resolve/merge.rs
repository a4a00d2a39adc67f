//! How a variant merges into its base: tables key by key, repeated tables by the names of their
//! entries (`remove = true` drops one), everything else replaced whole.

use crate::scenario::diagnostics::Problem;
use crate::scenario::keypath::KeyPath;
use toml_edit::{ArrayOfTables, Item, Table};

/// The key that names entries of a repeated table (`item` for consumption, else `name`).
pub(super) fn name_key(path: &KeyPath, key: &str) -> &'static str {
    if path.0.is_empty() && key == "consumption" {
        "item"
    } else {
        "name"
    }
}

/// The name of every entry, when all have one.
pub(super) fn names<'a>(a: &'a ArrayOfTables, by: &str) -> Option<Vec<&'a str>> {
    a.iter().map(|t| t.get(by).and_then(Item::as_str)).collect()
}

/// Merges `over` into `base` (see the module's rules); `bad` receives each problem.
pub(super) fn merge_tables(
    base: &mut Table,
    over: &Table,
    path: &KeyPath,
    top: bool,
    bad: &mut dyn FnMut(Problem),
) {
    for (k, item) in over.iter() {
        if top && k == "extends" {
            continue;
        }
        let here = path.key(k);
        match (base.get_mut(k), item) {
            (Some(Item::Table(b)), Item::Table(o)) => merge_tables(b, o, &here, false, bad),
            (Some(Item::ArrayOfTables(b)), Item::ArrayOfTables(o)) => {
                let by = name_key(path, k);
                match (names(b, by).is_some(), names(o, by)) {
                    (true, Some(over_names)) => {
                        merge_named(b, o, &over_names, by, &here, bad);
                    }
                    _ => {
                        base.insert(k, item.clone());
                    }
                }
            }
            (_, Item::ArrayOfTables(o)) => {
                let mut o = o.clone();
                strip_remove(&mut o, &here, bad);
                base.insert(k, Item::ArrayOfTables(o));
            }
            _ => {
                base.insert(k, item.clone());
            }
        }
    }
}

/// Gives every table below `t` a document position in tree order (a table before its own
/// sub-tables), which is the order `to_string` prints them in.
pub(super) fn renumber(t: &mut Table, next: &mut usize) {
    for (_, item) in t.iter_mut() {
        match item {
            Item::Table(sub) => {
                sub.set_position(*next);
                *next += 1;
                renumber(sub, next);
            }
            Item::ArrayOfTables(a) => {
                for sub in a.iter_mut() {
                    sub.set_position(*next);
                    *next += 1;
                    renumber(sub, next);
                }
            }
            _ => {}
        }
    }
}

/// Entries with `remove = true` where there is nothing to remove are reported.
fn strip_remove(a: &mut ArrayOfTables, path: &KeyPath, bad: &mut dyn FnMut(Problem)) {
    for t in a.iter() {
        if t.contains_key("remove") {
            bad(Problem {
                path: path.key("remove"),
                message: "`remove = true` drops an entry of the base scenario, but the base has no such list".into(),
                help: Some("delete this entry, or check the name of the list".into()),
                span: t.get("remove").and_then(Item::span),
            });
        }
    }
}

fn merge_named(
    base: &mut ArrayOfTables,
    over: &ArrayOfTables,
    over_names: &[&str],
    by: &str,
    path: &KeyPath,
    bad: &mut dyn FnMut(Problem),
) {
    for (t, name) in over.iter().zip(over_names) {
        let here = path.key(name);
        let at = names(base, by)
            .unwrap_or_default()
            .iter()
            .position(|n| n == name);
        let remove = t.get("remove");
        match remove.map(|r| r.as_bool()) {
            Some(Some(true)) => match at {
                Some(i) => base.remove(i),
                None => bad(Problem {
                    path: here.key("remove"),
                    message: format!(
                        "there is no entry named \"{name}\" in the base scenario to remove"
                    ),
                    help: Some(format!(
                        "the base has: {}",
                        names(base, by).unwrap_or_default().join(", ")
                    )),
                    span: remove.and_then(Item::span),
                }),
            },
            Some(_) => bad(Problem {
                path: here.key("remove"),
                message: "`remove` must be `true` (drop this entry of the base scenario)".into(),
                help: Some("write remove = true, or delete the key".into()),
                span: remove.and_then(Item::span),
            }),
            None => match at {
                Some(i) => {
                    let b = base.get_mut(i).expect("index found above");
                    merge_tables(b, t, &here, false, bad);
                }
                None => base.push(t.clone()),
            },
        }
    }
}

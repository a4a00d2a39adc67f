//! `--set key.path=value`: reads the option and sets one value in the merged scenario, naming
//! what is there when the key path does not exist.

use super::merge::{name_key, names};
use crate::scenario::diagnostics::LoadError;
use crate::scenario::diagnostics::Problem;
use crate::scenario::keypath::{KeyPath, KeyPathError, Seg};
use toml_edit::{Item, Table, Value};

/// Splits `key.path=value`; the value is TOML (`0.6`, `"text"`, `[1, 2]`,
/// `{ dist = "uniform", min = 1, max = 2 }`, a date), or plain text when it is not.
pub(super) fn parse_set(s: &str) -> Result<(KeyPath, Value), LoadError> {
    let fail = |message: String, help: &str| LoadError::Resolved {
        rendered: format!("error: --set {s}: {message}\n  = help: {help}"),
        problems: vec![Problem::new(
            KeyPath::root(),
            message,
            Some(help.to_owned()),
        )],
    };
    let Some((k, v)) = s.split_once('=') else {
        return Err(fail(
            "expected key.path=value".into(),
            "e.g. --set funding.purl-donors.payment_probability=0.6",
        ));
    };
    let path: KeyPath = k.trim().parse().map_err(|e: KeyPathError| {
        fail(
            format!("`{}` is not a key path: {e}", k.trim()),
            "key paths are written as in messages: table.key, repeated tables by name (funding.germany.amount_usd), lists by index (capacity[1].per_day)",
        )
    })?;
    if path.0.is_empty() {
        return Err(fail(
            "the key path is empty".into(),
            "e.g. --set scenario.horizon_days=730",
        ));
    }
    let v = v.trim();
    let value = v.parse::<Value>().unwrap_or_else(|_| Value::from(v));
    Ok((path, value))
}

/// Sets `path` to `value` in the merged document.
pub(super) fn set_value(
    root: &mut Table,
    path: &KeyPath,
    value: Value,
) -> Result<(), (String, String)> {
    let segs = &path.0;
    let mut table: &mut Table = root;
    let mut here = KeyPath::root();
    let mut i = 0;
    loop {
        let Seg::Key(k) = &segs[i] else {
            return Err((
                format!("{here} is a table; it has keys, not positions"),
                "name a key of it".into(),
            ));
        };
        let last = i + 1 == segs.len();
        if last {
            let decor_keep = table
                .get(k)
                .and_then(Item::as_value)
                .map(|v| v.decor().clone());
            let mut value = value;
            if let Some(d) = decor_keep {
                *value.decor_mut() = d;
            }
            table.insert(k, Item::Value(value));
            return Ok(());
        }
        let top = here.0.is_empty();
        let by = name_key(&here, k);
        let child = here.key(k);
        let Some(item) = table.get_mut(k) else {
            return Err((
                format!("the scenario has no `{child}`"),
                "check the key path against the scenario file (key paths are shown in every error message)".into(),
            ));
        };
        match item {
            Item::Table(t) => {
                table = t;
                here = child;
                i += 1;
            }
            Item::ArrayOfTables(a) => {
                let (pos, seg) = match &segs[i + 1] {
                    Seg::Index(n) => ((*n < a.len()).then_some(*n), Seg::Index(*n)),
                    Seg::Key(name) if top || names(a, by).is_some() => (
                        a.iter()
                            .position(|t| t.get(by).and_then(Item::as_str) == Some(name.as_str())),
                        Seg::Key(name.clone()),
                    ),
                    Seg::Key(_) => (None, segs[i + 1].clone()),
                };
                let Some(pos) = pos else {
                    let known = names(a, by).unwrap_or_default().join(", ");
                    return Err((
                        format!("there is no `{}`", child.seg(seg)),
                        format!("the entries of {child} are: {known}"),
                    ));
                };
                let entry = a.get_mut(pos).expect("position found above");
                if i + 2 == segs.len() {
                    return Err((
                        format!(
                            "{} is a whole entry; --set changes one value",
                            child.seg(seg)
                        ),
                        "name a key of the entry".into(),
                    ));
                }
                table = entry;
                here = child.seg(seg);
                i += 2;
            }
            Item::Value(v) => {
                return set_in_value(v, &segs[i + 1..], &child, value);
            }
            Item::None => unreachable!("a present key has an item"),
        }
    }
}

/// Sets a value inside an inline table or list.
fn set_in_value(
    v: &mut Value,
    segs: &[Seg],
    here: &KeyPath,
    value: Value,
) -> Result<(), (String, String)> {
    let next = here.seg(segs[0].clone());
    let slot: &mut Value = match (v, &segs[0]) {
        (Value::InlineTable(t), Seg::Key(k)) => {
            if segs.len() == 1 {
                t.insert(k, value);
                return Ok(());
            }
            t.get_mut(k).ok_or_else(|| {
                (
                    format!("the scenario has no `{next}`"),
                    "check the key path".into(),
                )
            })?
        }
        (Value::Array(a), Seg::Index(n)) => {
            let len = a.len();
            let slot = a.get_mut(*n).ok_or_else(|| {
                (
                    format!("{here} has {len} entries; there is no [{n}]"),
                    format!(
                        "positions start at 0: use [0] to [{}]",
                        len.saturating_sub(1)
                    ),
                )
            })?;
            if segs.len() == 1 {
                let d = slot.decor().clone();
                *slot = value;
                *slot.decor_mut() = d;
                return Ok(());
            }
            slot
        }
        _ => {
            return Err((
                format!("`{here}` has no part `{next}`"),
                "a list takes a position ([0]), a table a key".into(),
            ))
        }
    };
    set_in_value(slot, &segs[1..], &next, value)
}

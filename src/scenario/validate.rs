//! Parse → validate: turns TOML text into a checked [`Scenario`], collecting every problem with
//! its key path, what is wrong and how to fix it. Distributions are built here, with the checked
//! constructors of `rand_distr`, so nothing can fail later.

use super::error::{KeyPath, Problem, Seg};
use super::raw::{
    RawChannel, RawConsumption, RawDist, RawDistTable, RawFunding, RawHeader, RawItem, RawLine,
    RawScenario, RawSplit,
};
use super::{
    Allocation, Buy, Channel, ChannelId, Consumption, Demand, FundingSource, Installment, Item,
    ItemId, Line, LineId, Scenario, MAX_ENTITIES, MAX_HORIZON_DAYS, MAX_INSTALLMENTS, MAX_UNITS,
    MAX_USD,
};
use crate::sampling::{Dist, StreamKey};
use crate::units::{Cents, Day};
use chrono::{Months, NaiveDate};
use std::collections::HashMap;
use toml::value::Datetime;

/// z-score of the 90th percentile of a standard normal.
const Z90: f64 = 1.281_551_565_544_600_4;
/// Longest delay or lag accepted, in days (10 years).
const MAX_DELAY_DAYS: f64 = 3_650.0;
/// Most money all installments together may add up to, in cents (half of what an i64 holds).
const MAX_TOTAL_CENTS: f64 = 4.0e18;
/// Largest capacity accepted, in units per day.
const MAX_RATE_PER_DAY: f64 = 1e9;

/// Parses TOML text and validates it.
pub(super) fn parse_and_validate(text: &str) -> Result<Scenario, Vec<Problem>> {
    if text.trim().is_empty() {
        return Err(vec![Problem::new(
            KeyPath::root(),
            "the file is empty",
            Some(
                "a scenario needs at least a [scenario] table with name and start; copy scenarios/baseline.toml \
                 and edit it, or see docs/scenario-format.md"
                    .into(),
            ),
        )]);
    }
    let raw = parse(text).map_err(|p| vec![p])?;
    let mut v = Validator {
        problems: Vec::new(),
    };
    let scenario = v.scenario(&raw);
    match scenario {
        Some(s) if v.problems.is_empty() => Ok(s),
        _ => {
            if v.problems.is_empty() {
                v.problems.push(Problem::new(
                    KeyPath::root(),
                    "the scenario is not valid",
                    None,
                ));
            }
            Err(v.problems)
        }
    }
}

fn parse(text: &str) -> Result<RawScenario, Problem> {
    let de = toml::Deserializer::new(text);
    serde_path_to_error::deserialize::<_, RawScenario>(de).map_err(|e| {
        let mut path = KeyPath(
            e.path()
                .iter()
                .filter_map(|s| match s {
                    serde_path_to_error::Segment::Map { key } => Some(Seg::Key(key.clone())),
                    serde_path_to_error::Segment::Seq { index } => Some(Seg::Index(*index)),
                    _ => None,
                })
                .collect(),
        );
        let inner = e.inner();
        let message = inner.message().trim().replace('\n', "; ");
        let mut span = inner.span();
        let missing = message.strip_prefix("missing field `").and_then(|r| r.split_once('`')).map(|(k, _)| k.to_owned());
        let help = if let Some(h) = unknown_key_help(&message) {
            Some(h)
        } else if let Some(k) = &missing {
            Some(missing_key_help(&path, k))
        } else if path.0.is_empty() && is_syntax(&message) {
            // The parser gives no key path for syntax errors; recover it from the lines above.
            if let Some(s) = &span {
                let (p, block) = syntax_path(text, s.start);
                path = p;
                if let Some(at) = block {
                    span = Some(at..at + 3);
                }
            }
            Some(syntax_help(&message).into())
        } else if let Some(h) = repeated_table_help(&path, &message) {
            Some(h)
        } else {
            key_help(&path).or_else(|| parent_key_help(&path))
        };
        let message = if message.is_empty() {
            "the TOML is incomplete or malformed here".to_owned()
        } else if missing.is_some() {
            message.replacen("missing field", "missing key", 1)
        } else if message.starts_with("unknown field") {
            message.replacen("unknown field", "unknown key", 1)
        } else {
            plain_types(&message)
        };
        // `[[scenario]]`: serde reads the array as the header struct and fails on a confusing type.
        if matches!(path.0.as_slice(), [Seg::Key(k), Seg::Index(_), ..] if k == "scenario") && message.contains("table") {
            return Problem {
                path: KeyPath::root().key("scenario"),
                message: "[scenario] is a single table, but it is written as the repeated table [[scenario]]".into(),
                help: Some("write the header with single brackets: [scenario]".into()),
                span,
            };
        }
        Problem { path, message, help, span }
    })
}

fn is_syntax(message: &str) -> bool {
    !(message.starts_with("invalid type")
        || message.starts_with("invalid value")
        || message.starts_with("missing"))
}

/// Serde's type names in words a scenario author knows.
fn plain_types(message: &str) -> String {
    let mut m = message.to_owned();
    for (from, to) in [
        ("expected f64", "expected a number"),
        ("expected i64", "expected a whole number"),
        ("expected a sequence", "expected a list"),
        ("expected a TOML datetime", "expected a date"),
        ("invalid type: map", "invalid type: table"),
        ("invalid type: sequence", "invalid type: list"),
        (
            "invalid type: floating point",
            "invalid type: decimal number",
        ),
    ] {
        m = m.replace(from, to);
    }
    m
}

/// Help for a key that is required but absent (the span is the table that lacks it).
fn missing_key_help(path: &KeyPath, key: &str) -> String {
    let what = key_help(&path.key(key));
    match (path.0.is_empty(), what) {
        (true, Some(h)) => h,
        (false, Some(h)) => format!("add `{key}` to this table: {h}"),
        (_, None) => {
            format!("add `{key} = ...` to this table; docs/scenario-format.md lists every key")
        }
    }
}

/// `[item]` written for `[[item]]`.
fn repeated_table_help(path: &KeyPath, message: &str) -> Option<String> {
    if !message.starts_with("invalid type: map, expected a sequence") {
        return None;
    }
    let Some(Seg::Key(last)) = path.0.last() else {
        return None;
    };
    if ![
        "item",
        "funding",
        "channel",
        "line",
        "consumption",
        "lump_sum",
        "recurring",
        "buy",
        "period",
    ]
    .contains(&last.as_str())
    {
        return None;
    }
    let dotted = path
        .0
        .iter()
        .filter_map(|s| {
            if let Seg::Key(k) = s {
                Some(k.as_str())
            } else {
                None
            }
        })
        .collect::<Vec<_>>()
        .join(".");
    Some(format!("[[{dotted}]] is a repeated table: write its header with double brackets, [[{dotted}]], even when there is only one"))
}

/// A hint for a key inside an inline table (a distribution or share table), from the key that holds it.
fn parent_key_help(path: &KeyPath) -> Option<String> {
    let n = path.0.len();
    match path.0.get(n.checked_sub(2)?) {
        Some(Seg::Key(k)) if k != "scenario" => key_help(&KeyPath(path.0[..n - 1].to_vec())),
        _ => None,
    }
}

/// What to do about a TOML syntax error, by the parser's message.
fn syntax_help(message: &str) -> &'static str {
    if message.contains("multiline") {
        "a text block opened with \"\"\" (or ''') is never closed: end it with the same three quotes"
    } else if message.contains("basic string") || message.contains("literal string") {
        "close the text with the same quote it opens with, on the same line (name = \"purl\"); text may not contain control characters"
    } else if message.starts_with("invalid string") {
        "text values need quotes (name = \"purl\"); numbers (4_000) and dates (2025-09-01) do not, and every `=` needs a value"
    } else if message.contains("duplicate key") {
        "each key and each [table] may appear only once; delete or merge the repeated one (repeated tables are written [[name]])"
    } else if message.contains("table header") {
        "table headers are [name] for a single table and [[name]] for a repeated one; check the brackets"
    } else if message.contains("date-time") {
        "write a real calendar date as YYYY-MM-DD without quotes, e.g. 2025-09-01; check that the day exists in that month"
    } else if message.contains("too large") {
        "this number does not fit in a 64-bit integer; scenario values are far smaller (at most 1e12 units, 1e13 US dollars)"
    } else if message.contains("floating-point")
        || message.contains("invalid integer")
        || message.contains("leading zero")
    {
        "write numbers like 0.5, 4000, 4_000 or 5e8: a digit before the decimal point, no leading zeros, commas or units"
    } else if message.contains("recursion limit") {
        "values are nested too deeply to be part of a scenario; check for unbalanced [ or { brackets"
    } else if message.contains("inline table") {
        "an inline table is { key = value, key = value } on one line, closed with } and with no comma before it"
    } else if message.contains("invalid array") {
        "close the list with ] and separate its entries with commas"
    } else if message.contains("expected newline") {
        "a value must end the line (a # comment may follow): write numbers without commas or units (4000 or 4_000), \
         dates as 2025-09-01, and each key = value on its own line"
    } else if message.contains("expected `.`, `=`") {
        "each line is key = value; keys have no spaces (horizon_days, not horizon days)"
    } else {
        "check the TOML syntax here: text values need quotes (name = \"purl\"), dates do not \
         (start = 2025-09-01), tables are [name] and repeated tables [[name]]"
    }
}

/// The key path of the line holding byte `offset`, from the table headers above it: good enough
/// to name the place of a syntax error, which the parser reports without one. When the error is
/// inside a `"""` text block that never closes, also the offset where the block opens.
fn syntax_path(text: &str, offset: usize) -> (KeyPath, Option<usize>) {
    let offset = offset.min(text.len());
    let mut path = KeyPath::root();
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut block: Option<(KeyPath, usize)> = None;
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let end = line_start + line.len();
        let here = offset < end || end == text.len();
        if let Some((p, at)) = &block {
            if here {
                return (p.clone(), Some(*at));
            }
        } else {
            if let Some(rest) = line.trim().strip_prefix('[') {
                if here {
                    return (KeyPath::root(), None);
                }
                let (name, repeated) = match rest.strip_prefix('[').and_then(|r| r.split_once("]]"))
                {
                    Some((n, _)) => (n.trim(), true),
                    None => (rest.split_once(']').map_or("", |(n, _)| n.trim()), false),
                };
                if is_bare_path(name) {
                    if repeated {
                        *counts.entry(name.to_owned()).or_default() += 1;
                        let prefix = format!("{name}.");
                        counts.retain(|k, _| !k.starts_with(&prefix));
                    }
                    path = header_path(name, &counts);
                }
            }
        }
        let key_path = || -> Option<KeyPath> {
            let eq = line.find('=')?;
            let key = line[..eq].trim();
            if !is_bare_path(key) || here && offset <= line_start + eq {
                return None;
            }
            Some(key.split('.').fold(path.clone(), |p, k| p.key(k.trim())))
        };
        if here {
            return (key_path().unwrap_or_else(|| path.clone()), None);
        }
        let quotes = line.matches("\"\"\"").count() + line.matches("'''").count();
        if quotes % 2 == 1 {
            block = match block {
                Some(_) => None,
                None => {
                    let at = line
                        .find("\"\"\"")
                        .into_iter()
                        .chain(line.find("'''"))
                        .min()
                        .unwrap_or(0);
                    Some((key_path().unwrap_or_else(|| path.clone()), line_start + at))
                }
            };
        }
        line_start = end;
    }
    (path, None)
}

fn is_bare_path(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|k| {
            let k = k.trim();
            !k.is_empty()
                && k.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
}

/// `funding.lump_sum` with the counts of repeated tables so far → `funding[1].lump_sum[0]`.
fn header_path(name: &str, counts: &HashMap<String, usize>) -> KeyPath {
    let mut path = KeyPath::root();
    let mut dotted = String::new();
    for k in name.split('.') {
        let k = k.trim();
        if !dotted.is_empty() {
            dotted.push('.');
        }
        dotted.push_str(k);
        path = path.key(k);
        if let Some(&n) = counts.get(&dotted) {
            path = path.index(n.saturating_sub(1));
        }
    }
    path
}

/// "unknown field `unit_cost`, expected one of `name`, ..." → "did you mean `unit_cost_usd`?"
fn unknown_key_help(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (bad, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    let best = expected
        .iter()
        .map(|k| (strsim::jaro_winkler(bad, k), *k))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .filter(|(s, _)| *s > 0.7);
    Some(match best {
        Some((_, k)) => format!(
            "did you mean `{k}`? Unknown keys are errors so that typos are not silently ignored"
        ),
        None => {
            "remove this key or check its spelling; docs/scenario-format.md lists every key".into()
        }
    })
}

/// A hint for a key, by its last name.
fn key_help(path: &KeyPath) -> Option<String> {
    let last = path.0.iter().rev().find_map(|s| match s {
        Seg::Key(k) => Some(k.as_str()),
        Seg::Index(_) => None,
    })?;
    let h = match last {
        "start" | "end" | "date" | "from" | "to" | "first_order" => {
            "write a TOML date without quotes, e.g. 2025-09-01"
        }
        "scenario" => "start the file with a [scenario] table: name = \"my-scenario\", start = 2025-09-01, horizon_days = 1095",
        "name" | "item" | "line" => "write a name in quotes, e.g. name = \"pac3-mse\"",
        "label" | "title" | "description" => "write text in quotes, e.g. label = \"PAC-3 MSE interceptor\"",
        "format" => "format = 1 (or leave it out)",
        "seed" | "runs" | "max_units_per_order" => "a whole number, e.g. 1000",
        "every" => "every = \"monthly\" (or \"weekly\", \"quarterly\", \"yearly\")",
        "multiplier" => "a number ≥ 0 that scales daily use, e.g. multiplier = 2 for twice the usual rate",
        "per_day" | "per_month" | "per_year" => "units made in that time, e.g. per_day = 2",
        "unit_cost_usd" => "the price of one unit in US dollars, e.g. unit_cost_usd = 4_000_000",
        "initial_stock" | "safe_stock" => "a whole number of units, e.g. initial_stock = 60",
        "amount_usd" => "US dollars as a number (500_000_000) or a distribution ({ dist = \"lognormal\", median = 5e8, p90 = 8e8 })",
        "pays_into" => "a channel name (pays_into = \"purl\") or shares (pays_into = { purl = 0.6, direct = 0.4 })",
        "horizon_days" => "a whole number of days, e.g. horizon_days = 1095 for three years",
        "order_every_days" | "every_days" => "a whole number of days, e.g. 30",
        "capacity" => "a list of ramp points, e.g. capacity = [{ date = 2025-09-01, per_day = 1 }, { date = 2026-06-01, per_day = 7 }]",
        "daily" => "e.g. daily = { dist = \"poisson\", mean = 2.5 }",
        "dist" => "one of fixed, uniform, triangular, pert, normal, lognormal, poisson, negative_binomial, bernoulli",
        _ if last.ends_with("_days") => "a number of days or a distribution, e.g. { dist = \"uniform\", min = 10, max = 30 }",
        _ if last.contains("probability") || last.contains("rate") || last.contains("loss") || last.contains("share") => {
            "a probability between 0 and 1, e.g. 0.9"
        }
        _ => return None,
    };
    Some(h.to_owned())
}

/// Closest names to `bad`, for "did you mean".
fn nearest<'a>(bad: &str, names: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    names
        .map(|n| (strsim::jaro_winkler(bad, n), n))
        .filter(|(s, _)| *s > 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n)| n)
}

/// What values a distribution may produce at a given key.
#[derive(Clone, Copy)]
struct Support {
    lo: f64,
    hi: f64,
    what: &'static str,
}

const DELAY: Support = Support {
    lo: 0.0,
    hi: MAX_DELAY_DAYS,
    what: "days",
};
const SLIP: Support = Support {
    lo: -MAX_DELAY_DAYS,
    hi: MAX_DELAY_DAYS,
    what: "days",
};
const SHARE: Support = Support {
    lo: 0.0,
    hi: 1.0,
    what: "a share",
};
const MONEY: Support = Support {
    lo: 0.0,
    hi: MAX_USD,
    what: "US dollars",
};

struct Validator {
    problems: Vec<Problem>,
}

struct Names<'a> {
    kind: &'static str,
    table: &'static str,
    map: HashMap<&'a str, usize>,
    list: Vec<&'a str>,
    /// Names already reported as invalid: references to them are not reported again.
    invalid: Vec<&'a str>,
}

impl<'a> Names<'a> {
    fn resolve(&self, v: &mut Validator, path: KeyPath, name: &str) -> Option<usize> {
        if let Some(&i) = self.map.get(name) {
            return Some(i);
        }
        if self.invalid.contains(&name) {
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
            match nearest(name, self.list.iter().copied()) {
                Some(n) => format!(
                    "did you mean \"{n}\"? The {} in this file are: {list}",
                    self.kind
                ),
                None => format!("the {} in this file are: {list}", self.kind),
            }
        };
        v.err(
            path,
            format!("there is no {} named \"{name}\"", singular(self.kind)),
            Some(known),
        );
        None
    }
}

fn singular(kind: &str) -> &str {
    kind.strip_suffix('s').unwrap_or(kind)
}

impl Validator {
    fn err(&mut self, path: KeyPath, message: impl Into<String>, help: Option<String>) {
        let help = help.or_else(|| key_help(&path));
        self.problems.push(Problem::new(path, message, help));
    }

    fn scenario(&mut self, raw: &RawScenario) -> Option<Scenario> {
        let (name, title, start, horizon, seed, runs) = self.header(&raw.scenario)?;
        let end = start + chrono::Days::new(u64::from(horizon));
        let cal = Calendar {
            start,
            end,
            horizon,
        };

        for (table, len) in [
            ("item", raw.items.len()),
            ("funding", raw.funding.len()),
            ("channel", raw.channels.len()),
            ("line", raw.lines.len()),
        ] {
            if len > MAX_ENTITIES {
                self.err(
                    KeyPath::root().key(table),
                    format!("{len} [[{table}]] tables; at most {MAX_ENTITIES} are allowed"),
                    Some("split the scenario, or group similar entries".into()),
                );
                return None;
            }
        }
        if raw.items.is_empty() {
            self.err(
                KeyPath::root(),
                "the scenario has no items",
                Some(
                    "add at least one [[item]] table with name, unit_cost_usd and initial_stock"
                        .into(),
                ),
            );
        }

        let items_n = self.names("items", "item", raw.items.iter().map(|i| i.name.as_str()));
        let chans_n = self.names(
            "channels",
            "channel",
            raw.channels.iter().map(|c| c.name.as_str()),
        );
        let lines_n = self.names("lines", "line", raw.lines.iter().map(|l| l.name.as_str()));
        let _funds_n = self.names(
            "funding sources",
            "funding",
            raw.funding.iter().map(|f| f.name.as_str()),
        );

        let items: Vec<Option<Item>> = raw
            .items
            .iter()
            .enumerate()
            .map(|(i, it)| self.item(i, it))
            .collect();
        let lines: Vec<Option<Line>> = raw
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| self.line(i, l, &items_n, &cal))
            .collect();
        let line_items: Vec<Option<ItemId>> =
            lines.iter().map(|l| l.as_ref().map(|l| l.item)).collect();
        let channels: Vec<Option<Channel>> = raw
            .channels
            .iter()
            .enumerate()
            .map(|(i, c)| self.channel(i, c, &items_n, &lines_n, &line_items, &raw.lines, &cal))
            .collect();
        let funding: Vec<Option<FundingSource>> = raw
            .funding
            .iter()
            .enumerate()
            .map(|(i, f)| self.funding(i, f, &chans_n, &cal))
            .collect();
        let mut consumption: Vec<Option<Consumption>> = vec![None; raw.items.len()];
        let mut seen: HashMap<usize, usize> = HashMap::new();
        for (i, c) in raw.consumption.iter().enumerate() {
            let path = KeyPath::root().key("consumption").index(i);
            let Some(item) = items_n.resolve(self, path.key("item"), &c.item) else {
                continue;
            };
            if let Some(prev) = seen.insert(item, i) {
                self.err(path.key("item"), format!("item \"{}\" already has a [[consumption]] table (consumption[{prev}])", c.item), Some("merge the two into one table; use [[consumption.period]] for changes over time".into()));
                continue;
            }
            consumption[item] = self.consumption(&path, c, &cal);
        }

        // Money is counted exactly in integer cents (64-bit): refuse funding that could overflow.
        let most_cents: f64 = funding
            .iter()
            .flatten()
            .flat_map(|f| f.installments.iter())
            .map(|i| i.amount_usd.upper_bound().min(MAX_USD) * 100.0)
            .sum();
        if most_cents > MAX_TOTAL_CENTS {
            self.err(
                KeyPath::root().key("funding"),
                format!(
                    "all installments together could reach ${:e}, more than the ${:e} the simulator can count exactly",
                    most_cents / 100.0,
                    MAX_TOTAL_CENTS / 100.0
                ),
                Some("use fewer installments (a longer interval) or bounded amounts (uniform, triangular or pert instead of lognormal)".into()),
            );
        }
        if !self.problems.is_empty() {
            return None;
        }
        Some(Scenario {
            name,
            title,
            description: raw.scenario.description.clone(),
            start,
            horizon,
            default_seed: seed,
            default_runs: runs,
            items: items.into_iter().collect::<Option<Vec<_>>>()?,
            funding: funding.into_iter().collect::<Option<Vec<_>>>()?,
            channels: channels.into_iter().collect::<Option<Vec<_>>>()?,
            lines: lines.into_iter().collect::<Option<Vec<_>>>()?,
            consumption,
        })
    }

    #[allow(clippy::type_complexity)]
    fn header(
        &mut self,
        h: &RawHeader,
    ) -> Option<(String, String, NaiveDate, u32, Option<u64>, Option<u64>)> {
        let p = KeyPath::root().key("scenario");
        if let Some(f) = h.format {
            if f != 1 {
                self.err(
                    p.key("format"),
                    format!("format {f} is not supported; this version reads format 1"),
                    Some("set format = 1 or remove the key".into()),
                );
            }
        }
        let name_ok = self.check_name(p.key("name"), &h.name, "scenario");
        let start = self.date(p.key("start"), &h.start);
        let horizon = match (h.horizon_days, &h.end, start) {
            (Some(_), Some(_), _) => {
                self.err(
                    p.key("end"),
                    "both horizon_days and end are given",
                    Some("keep one of them: horizon_days = 1095 or end = 2028-08-31".into()),
                );
                None
            }
            (None, None, _) => {
                self.err(
                    p.clone(),
                    "missing key `horizon_days` (or `end`)",
                    Some(
                        "say how long to simulate: horizon_days = 1095, or end = 2028-08-31".into(),
                    ),
                );
                None
            }
            (Some(d), None, _) => {
                if d < 1 || d > i64::from(MAX_HORIZON_DAYS) {
                    self.err(p.key("horizon_days"), format!("horizon_days must be between 1 and {MAX_HORIZON_DAYS} (100 years), got {d}"), Some("a whole number of days, e.g. horizon_days = 1095 for three years".into()));
                    None
                } else {
                    Some(d as u32)
                }
            }
            (None, Some(e), Some(s)) => {
                let end = self.date(p.key("end"), e)?;
                let days = (end - s).num_days();
                if days < 1 {
                    self.err(p.key("end"), format!("end ({end}) must be after start ({s})"), Some("end is the last simulated date; set it after start, or give horizon_days instead".into()));
                    None
                } else if days > i64::from(MAX_HORIZON_DAYS) {
                    self.err(p.key("end"), format!("the horizon from {s} to {end} is {days} days; at most {MAX_HORIZON_DAYS} (100 years) are allowed"), Some("move end closer to start".into()));
                    None
                } else {
                    Some(days as u32)
                }
            }
            (None, Some(_), None) => None,
        };
        let seed = match h.seed {
            Some(s) if s < 0 => {
                self.err(
                    p.key("seed"),
                    format!("seed must be a whole number ≥ 0, got {s}"),
                    None,
                );
                None
            }
            s => s.map(|s| s as u64),
        };
        let runs = match h.runs {
            Some(r) if !(1..=crate::MAX_RUNS as i64).contains(&r) => {
                self.err(
                    p.key("runs"),
                    format!("runs must be between 1 and {}, got {r}", crate::MAX_RUNS),
                    Some("1,000 runs give percentiles good to about ±1%; 10,000 is plenty".into()),
                );
                None
            }
            r => r.map(|r| r as u64),
        };
        if let Some(t) = &h.title {
            if t.chars().count() > 200 {
                self.err(
                    p.key("title"),
                    "title is longer than 200 characters",
                    Some("keep titles short; put detail in description".into()),
                );
            }
        }
        let start = start?;
        let horizon = horizon?;
        if !name_ok {
            return None;
        }
        let title = h.title.clone().unwrap_or_else(|| h.name.clone());
        Some((h.name.clone(), title, start, horizon, seed, runs))
    }

    /// Names are used in file and folder names: letters, digits, '-' and '_' only.
    fn check_name(&mut self, path: KeyPath, name: &str, what: &str) -> bool {
        let ok_chars = name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        let problem = if name.is_empty() {
            Some("is empty".to_owned())
        } else if name.len() > 64 {
            Some(format!(
                "is {} characters long; at most 64 are allowed",
                name.len()
            ))
        } else if !ok_chars {
            Some(format!(
                "\"{name}\" contains characters other than letters, digits, '-' and '_'"
            ))
        } else if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            Some(format!("\"{name}\" must start with a letter or digit"))
        } else {
            None
        };
        if let Some(pb) = problem {
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
            let fix = if fix.is_empty() {
                "my-name".to_owned()
            } else {
                fix
            };
            self.err(
                path,
                format!("the {what} name {pb}"),
                Some(format!("names become file and folder names, so they may use only letters, digits, '-' and '_', e.g. \"{fix}\"; use label = \"...\" for a display name with spaces")),
            );
            return false;
        }
        true
    }

    fn names<'a>(
        &mut self,
        kind: &'static str,
        table: &'static str,
        names: impl Iterator<Item = &'a str>,
    ) -> Names<'a> {
        let mut map = HashMap::new();
        let mut list = Vec::new();
        let mut invalid = Vec::new();
        for (i, n) in names.enumerate() {
            let path = KeyPath::root().key(table).index(i).key("name");
            if !self.check_name(path.clone(), n, singular(kind)) {
                invalid.push(n);
                continue;
            }
            if let Some(prev) = map.insert(n, i) {
                self.err(
                    path,
                    format!("the name \"{n}\" is already used by {table}[{prev}]"),
                    Some(format!(
                        "every [[{table}]] needs its own name, e.g. \"{n}-2\""
                    )),
                );
                map.insert(n, prev);
            } else {
                list.push(n);
            }
        }
        Names {
            kind,
            table,
            map,
            list,
            invalid,
        }
    }

    fn date(&mut self, path: KeyPath, dt: &Datetime) -> Option<NaiveDate> {
        match (dt.date, dt.time) {
            (Some(d), None) if dt.offset.is_none() => {
                let nd = NaiveDate::from_ymd_opt(
                    i32::from(d.year),
                    u32::from(d.month),
                    u32::from(d.day),
                );
                if nd.is_none() {
                    self.err(path, format!("{dt} is not a calendar date"), None);
                }
                nd
            }
            _ => {
                self.err(
                    path,
                    format!("{dt} has a time of day; only a date is expected"),
                    Some("write just the date, e.g. 2025-09-01".into()),
                );
                None
            }
        }
    }

    /// A date that must fall within the simulated period.
    fn day_in(&mut self, path: KeyPath, dt: &Datetime, cal: &Calendar) -> Option<Day> {
        let d = self.date(path.clone(), dt)?;
        if d < cal.start || d > cal.end {
            self.err(
                path,
                format!(
                    "{d} is outside the simulated period {} to {}",
                    cal.start, cal.end
                ),
                Some(
                    "move the date inside the period, or change [scenario] start / horizon_days"
                        .into(),
                ),
            );
            return None;
        }
        Some(Day((d - cal.start).num_days() as u32))
    }

    fn number(&mut self, path: KeyPath, v: f64, lo: f64, hi: f64, what: &str) -> Option<f64> {
        if !v.is_finite() {
            self.err(
                path,
                format!("{v} is not a finite number"),
                Some(format!(
                    "give {what} between {} and {}",
                    fmt_num(lo),
                    fmt_num(hi)
                )),
            );
            return None;
        }
        if v < lo || v > hi {
            self.err(
                path,
                format!(
                    "{} is out of range: expected {what} between {} and {}",
                    fmt_num(v),
                    fmt_num(lo),
                    fmt_num(hi)
                ),
                None,
            );
            return None;
        }
        Some(v)
    }

    fn probability(
        &mut self,
        path: KeyPath,
        v: Option<f64>,
        default: f64,
        below_one: bool,
    ) -> Option<f64> {
        let Some(v) = v else { return Some(default) };
        let hi = if below_one { 0.999_999 } else { 1.0 };
        let r = self.number(path, v, 0.0, hi, "a probability");
        if r.is_none() && below_one && v >= 1.0 {
            if let Some(p) = self.problems.last_mut() {
                p.help = Some("a rate of 1 or more would reject every unit, so nothing would ever be delivered; give a probability below 1, e.g. 0.02".into());
            }
        }
        r
    }

    fn units(&mut self, path: KeyPath, v: i64) -> Option<u64> {
        if v < 0 || v as u64 > MAX_UNITS {
            self.err(
                path,
                format!(
                    "{v} is out of range: expected a whole number of units between 0 and {}",
                    fmt_num(MAX_UNITS as f64)
                ),
                None,
            );
            return None;
        }
        Some(v as u64)
    }

    fn item(&mut self, i: usize, it: &RawItem) -> Option<Item> {
        let p = KeyPath::root().key("item").index(i);
        let cost = self.number(
            p.key("unit_cost_usd"),
            it.unit_cost_usd,
            0.0,
            MAX_USD,
            "US dollars",
        );
        let cost = match cost.map(Cents::from_usd) {
            Some(c) if c.0 < 1 => {
                self.err(
                    p.key("unit_cost_usd"),
                    "unit_cost_usd must be at least one cent",
                    Some(
                        "the price of one unit in US dollars, e.g. unit_cost_usd = 4_000_000"
                            .into(),
                    ),
                );
                None
            }
            c => c,
        };
        let initial = self.units(p.key("initial_stock"), it.initial_stock);
        let safe = match it.safe_stock {
            Some(s) => Some(self.units(p.key("safe_stock"), s)?),
            None => None,
        };
        Some(Item {
            name: it.name.clone(),
            label: it.label.clone().unwrap_or_else(|| it.name.clone()),
            unit_cost: cost?,
            initial_stock: initial?,
            safe_stock: safe,
        })
    }

    fn funding(
        &mut self,
        i: usize,
        f: &RawFunding,
        chans: &Names<'_>,
        cal: &Calendar,
    ) -> Option<FundingSource> {
        let p = KeyPath::root().key("funding").index(i);
        let split = self.split(p.key("pays_into"), &f.pays_into, chans);
        let prob = self.probability(
            p.key("payment_probability"),
            f.payment_probability,
            1.0,
            false,
        );
        let delay = self.opt_dist(
            p.key("payment_delay_days"),
            f.payment_delay_days.as_ref(),
            DELAY,
        );
        let mut installments = Vec::new();
        if f.lump_sum.is_empty() && f.recurring.is_empty() {
            self.err(p.clone(), format!("funding source \"{}\" has no payments", f.name), Some("add [[funding.lump_sum]] (date, amount_usd) or [[funding.recurring]] (every, amount_usd)".into()));
        }
        for (k, l) in f.lump_sum.iter().enumerate() {
            let lp = p.key("lump_sum").index(k);
            let due = self.day_in(lp.key("date"), &l.date, cal);
            let amount = self.dist(lp.key("amount_usd"), &l.amount_usd, MONEY);
            if let (Some(due), Some(amount_usd)) = (due, amount) {
                installments.push(Installment { due, amount_usd });
            }
        }
        for (k, r) in f.recurring.iter().enumerate() {
            let rp = p.key("recurring").index(k);
            let amount = self.dist(rp.key("amount_usd"), &r.amount_usd, MONEY);
            let from = match &r.from {
                Some(d) => self.day_in(rp.key("from"), d, cal),
                None => Some(Day(0)),
            };
            let to = match &r.to {
                Some(d) => self.day_in(rp.key("to"), d, cal),
                None => Some(Day(cal.horizon)),
            };
            let step = match (&r.every, r.every_days) {
                (Some(_), Some(_)) => {
                    self.err(
                        rp.key("every_days"),
                        "both every and every_days are given",
                        Some("keep one: every = \"monthly\" or every_days = 30".into()),
                    );
                    None
                }
                (None, None) => {
                    self.err(rp.clone(), "missing key `every` (or `every_days`)", Some("say how often: every = \"monthly\" (or \"weekly\", \"quarterly\", \"yearly\"), or every_days = 30".into()));
                    None
                }
                (Some(e), None) => match e.as_str() {
                    "weekly" => Some(Step::Days(7)),
                    "monthly" => Some(Step::Months(1)),
                    "quarterly" => Some(Step::Months(3)),
                    "yearly" | "annually" => Some(Step::Months(12)),
                    other => {
                        let near = nearest(
                            other,
                            ["weekly", "monthly", "quarterly", "yearly"].into_iter(),
                        );
                        self.err(rp.key("every"), format!("\"{other}\" is not a known interval"), Some(match near {
                            Some(n) => format!("did you mean \"{n}\"? Use weekly, monthly, quarterly or yearly, or every_days = N"),
                            None => "use weekly, monthly, quarterly or yearly, or every_days = N".into(),
                        }));
                        None
                    }
                },
                (None, Some(d)) => {
                    if (1..=3650).contains(&d) {
                        Some(Step::Days(d as u32))
                    } else {
                        self.err(
                            rp.key("every_days"),
                            format!("every_days must be between 1 and 3650, got {d}"),
                            None,
                        );
                        None
                    }
                }
            };
            let (Some(from), Some(to), Some(step), Some(amount)) = (from, to, step, amount) else {
                continue;
            };
            if to < from {
                self.err(
                    rp.key("to"),
                    format!("to ({}) is before from ({})", cal.date(to), cal.date(from)),
                    Some("swap the two dates".into()),
                );
                continue;
            }
            let from_date = cal.date(from);
            let mut k = 0u32;
            loop {
                let date = match step {
                    Step::Days(d) => {
                        from_date.checked_add_days(chrono::Days::new(u64::from(d) * u64::from(k)))
                    }
                    Step::Months(m) => from_date.checked_add_months(Months::new(m * k)),
                };
                let Some(date) = date else { break };
                let day = (date - cal.start).num_days();
                if day > i64::from(to.0) {
                    break;
                }
                installments.push(Installment {
                    due: Day(day as u32),
                    amount_usd: amount.clone(),
                });
                if installments.len() > MAX_INSTALLMENTS {
                    self.err(
                        rp.clone(),
                        format!("more than {MAX_INSTALLMENTS} installments"),
                        Some("use a longer interval".into()),
                    );
                    return None;
                }
                k += 1;
            }
        }
        installments.sort_by_key(|i| i.due);
        Some(FundingSource {
            name: f.name.clone(),
            label: f.label.clone().unwrap_or_else(|| f.name.clone()),
            split: split?,
            pay_probability: prob?,
            delay: delay?,
            installments,
            key_paid: StreamKey::new("funding", &f.name, "payment"),
            key_delay: StreamKey::new("funding", &f.name, "delay"),
            key_amount: StreamKey::new("funding", &f.name, "amount"),
        })
    }

    fn split(
        &mut self,
        path: KeyPath,
        s: &RawSplit,
        chans: &Names<'_>,
    ) -> Option<Vec<(ChannelId, f64)>> {
        match s {
            RawSplit::One(name) => chans
                .resolve(self, path, name)
                .map(|c| vec![(ChannelId(c), 1.0)]),
            RawSplit::Shares(map) => {
                if map.is_empty() {
                    self.err(path, "pays_into is an empty table", None);
                    return None;
                }
                let mut out = Vec::new();
                let mut sum = 0.0;
                for (name, share) in map {
                    let c = chans.resolve(self, path.key(name), name);
                    let sh = self.number(path.key(name), *share, 0.0, 1.0, "a share");
                    if let (Some(c), Some(sh)) = (c, sh) {
                        sum += sh;
                        out.push((ChannelId(c), sh));
                    }
                }
                if out.len() == map.len() && (sum - 1.0).abs() > 1e-9 {
                    self.err(path, format!("the shares add up to {}, not 1", fmt_share(sum)), Some("make the shares of pays_into sum to 1, e.g. { purl = 0.6, direct = 0.4 }".into()));
                    return None;
                }
                (out.len() == map.len()).then_some(out)
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn channel(
        &mut self,
        i: usize,
        c: &RawChannel,
        items: &Names<'_>,
        lines: &Names<'_>,
        line_items: &[Option<ItemId>],
        raw_lines: &[RawLine],
        cal: &Calendar,
    ) -> Option<Channel> {
        let p = KeyPath::root().key("channel").index(i);
        let every = if (1..=3650).contains(&c.order_every_days) {
            Some(c.order_every_days as u32)
        } else {
            self.err(
                p.key("order_every_days"),
                format!(
                    "order_every_days must be between 1 and 3650, got {}",
                    c.order_every_days
                ),
                None,
            );
            None
        };
        let first = match (&c.first_order, every) {
            (Some(d), _) => self.day_in(p.key("first_order"), d, cal),
            (None, Some(e)) => Some(Day(e)),
            (None, None) => None,
        };
        let allocation = match c.allocation.as_deref() {
            None | Some("shares") => Some(Allocation::Shares),
            Some("priority") => Some(Allocation::Priority),
            Some(other) => {
                self.err(p.key("allocation"), format!("\"{other}\" is not an allocation rule"), Some("use \"shares\" (each item gets a fixed share of the balance) or \"priority\" (buy items in the listed order)".into()));
                None
            }
        };
        let default_delay = self.opt_dist(
            p.key("contract_delay_days"),
            c.contract_delay_days.as_ref(),
            DELAY,
        );
        if c.buy.is_empty() {
            self.err(
                p.clone(),
                format!("channel \"{}\" buys nothing", c.name),
                Some("add a [[channel.buy]] table with item = \"...\"".into()),
            );
        }
        let mut buys = Vec::new();
        let mut share_sum = 0.0;
        for (k, b) in c.buy.iter().enumerate() {
            let bp = p.key("buy").index(k);
            let Some(item) = items.resolve(self, bp.key("item"), &b.item) else {
                continue;
            };
            let line = match &b.line {
                Some(l) => {
                    let Some(li) = lines.resolve(self, bp.key("line"), l) else {
                        continue;
                    };
                    if line_items[li].is_some_and(|it| it.0 != item) {
                        self.err(
                            bp.key("line"),
                            format!(
                                "line \"{l}\" makes \"{}\", not \"{}\"",
                                raw_lines[li].item, b.item
                            ),
                            Some("name a line whose item is the one bought".into()),
                        );
                        continue;
                    }
                    Some(LineId(li))
                }
                None => {
                    let makers: Vec<usize> = raw_lines
                        .iter()
                        .enumerate()
                        .filter(|(_, l)| l.item == b.item)
                        .map(|(n, _)| n)
                        .collect();
                    match makers.as_slice() {
                        [one] => Some(LineId(*one)),
                        [] => {
                            self.err(
                                bp.key("item"),
                                format!("no production line makes \"{}\"", b.item),
                                Some(format!(
                                    "add a [[line]] with item = \"{}\" and a capacity",
                                    b.item
                                )),
                            );
                            None
                        }
                        many => {
                            let names = many
                                .iter()
                                .map(|n| format!("\"{}\"", raw_lines[*n].name))
                                .collect::<Vec<_>>()
                                .join(", ");
                            self.err(
                                bp.clone(),
                                format!("several lines make \"{}\": {names}", b.item),
                                Some("say which one with line = \"...\"".into()),
                            );
                            None
                        }
                    }
                }
            };
            let share = match (allocation, b.share) {
                (Some(Allocation::Shares), Some(s)) => {
                    self.number(bp.key("share"), s, 0.0, 1.0, "a share")
                }
                (Some(Allocation::Shares), None) => {
                    self.err(bp.clone(), "missing key `share`", Some("with allocation = \"shares\" every buy needs share = 0.25 (the part of the balance spent on it)".into()));
                    None
                }
                (Some(Allocation::Priority), Some(_)) => {
                    self.err(
                        bp.key("share"),
                        "share is only used with allocation = \"shares\"",
                        Some("remove share, or set allocation = \"shares\" on the channel".into()),
                    );
                    None
                }
                (_, _) => Some(0.0),
            };
            share_sum += share.unwrap_or(0.0);
            let max_units = match b.max_units_per_order {
                Some(m) if m < 1 || m as u64 > MAX_UNITS => {
                    self.err(
                        bp.key("max_units_per_order"),
                        format!(
                            "max_units_per_order must be between 1 and {}, got {m}",
                            fmt_num(MAX_UNITS as f64)
                        ),
                        None,
                    );
                    continue;
                }
                m => m.map(|m| m as u64),
            };
            let delay = match &b.contract_delay_days {
                Some(d) => self.dist(bp.key("contract_delay_days"), d, DELAY),
                None => default_delay.clone(),
            };
            if let (Some(line), Some(share), Some(contract_delay)) = (line, share, delay) {
                buys.push(Buy {
                    item: ItemId(item),
                    line,
                    share,
                    max_units,
                    contract_delay,
                    key_contract: StreamKey::new(
                        "channel",
                        // Keyed by channel, item and line, so two buys never share draws.
                        &format!("{}/{}/{}", c.name, b.item, raw_lines[line.0].name),
                        "contract delay",
                    ),
                });
            }
        }
        if allocation == Some(Allocation::Shares) && share_sum > 1.0 + 1e-9 {
            self.err(p.key("buy"), format!("the shares of the buys add up to {}, more than 1", fmt_share(share_sum)), Some("make the shares sum to 1 or less (what is left stays in the pool for the next order)".into()));
            return None;
        }
        Some(Channel {
            name: c.name.clone(),
            label: c.label.clone().unwrap_or_else(|| c.name.clone()),
            every: every?,
            first: first?,
            allocation: allocation?,
            buys,
        })
    }

    fn line(&mut self, i: usize, l: &RawLine, items: &Names<'_>, cal: &Calendar) -> Option<Line> {
        let p = KeyPath::root().key("line").index(i);
        let item = items.resolve(self, p.key("item"), &l.item);
        let mut ramp: Vec<(f64, f64)> = Vec::new();
        if l.capacity.is_empty() {
            self.err(p.key("capacity"), "capacity has no points", Some("e.g. capacity = [{ date = 2025-09-01, per_day = 1 }, { date = 2026-06-01, per_day = 7 }]".into()));
        }
        let mut ok = true;
        for (k, pt) in l.capacity.iter().enumerate() {
            let pp = p.key("capacity").index(k);
            let Some(date) = self.date(pp.key("date"), &pt.date) else {
                ok = false;
                continue;
            };
            let day = (date - cal.start).num_days() as f64;
            let rate = match (pt.per_day, pt.per_month, pt.per_year) {
                (Some(d), None, None) => {
                    self.number(pp.key("per_day"), d, 0.0, MAX_RATE_PER_DAY, "units per day")
                }
                (None, Some(m), None) => self
                    .number(
                        pp.key("per_month"),
                        m,
                        0.0,
                        MAX_RATE_PER_DAY * 30.0,
                        "units per month",
                    )
                    .map(|m| m * 12.0 / 365.25),
                (None, None, Some(y)) => self
                    .number(
                        pp.key("per_year"),
                        y,
                        0.0,
                        MAX_RATE_PER_DAY * 365.0,
                        "units per year",
                    )
                    .map(|y| y / 365.25),
                _ => {
                    self.err(
                        pp.clone(),
                        "give exactly one of per_day, per_month or per_year",
                        Some("e.g. { date = 2026-01-01, per_month = 200 }".into()),
                    );
                    None
                }
            };
            let Some(rate) = rate else {
                ok = false;
                continue;
            };
            if let Some(&(prev, _)) = ramp.last() {
                if day <= prev {
                    self.err(
                        pp.key("date"),
                        format!("ramp dates must increase; {date} is not after the previous point"),
                        Some("list capacity points in date order".into()),
                    );
                    ok = false;
                    continue;
                }
            }
            ramp.push((day, rate));
        }
        let slip = self.opt_dist(p.key("ramp_slip_days"), l.ramp_slip_days.as_ref(), SLIP);
        let other = self.opt_dist(
            p.key("other_customers_share"),
            l.other_customers_share.as_ref(),
            SHARE,
        );
        let defect = self.probability(p.key("defect_rate"), l.defect_rate, 0.0, true);
        let lag = self.opt_dist(
            p.key("delivery_lag_days"),
            l.delivery_lag_days.as_ref(),
            DELAY,
        );
        let loss = self.probability(p.key("transit_loss"), l.transit_loss, 0.0, false);
        if !ok || ramp.is_empty() {
            return None;
        }
        Some(Line {
            name: l.name.clone(),
            label: l.label.clone().unwrap_or_else(|| l.name.clone()),
            item: ItemId(item?),
            ramp,
            slip: slip?,
            other_share: other?,
            defect_rate: defect?,
            lag: lag?,
            transit_loss: loss?,
            key_slip: StreamKey::new("line", &l.name, "ramp slip"),
            key_share: StreamKey::new("line", &l.name, "other customers"),
            key_defects: StreamKey::new("line", &l.name, "defects"),
            key_lag: StreamKey::new("line", &l.name, "delivery lag"),
            key_loss: StreamKey::new("line", &l.name, "transit loss"),
        })
    }

    fn consumption(
        &mut self,
        p: &KeyPath,
        c: &RawConsumption,
        cal: &Calendar,
    ) -> Option<Consumption> {
        let dp = p.key("daily");
        let demand = match &c.daily {
            RawDist::Number(v) => self
                .number(dp.clone(), *v, 0.0, MAX_RATE_PER_DAY, "units per day")
                .map(Demand::Fixed),
            RawDist::Table(t) => {
                let mean_of = |v: &mut Validator, t: &RawDistTable| -> Option<f64> {
                    match t.mean {
                        Some(m) => {
                            v.number(dp.key("mean"), m, 0.0, MAX_RATE_PER_DAY, "units per day")
                        }
                        None => {
                            v.err(
                                dp.clone(),
                                format!("a {} daily use needs mean", t.dist),
                                Some(format!(
                                    "e.g. daily = {{ dist = \"{}\", mean = 2.5 }}",
                                    t.dist
                                )),
                            );
                            None
                        }
                    }
                };
                match t.dist.as_str() {
                    "poisson" => {
                        self.unused(&dp, t, &["mean"]);
                        mean_of(self, t).map(|mean| Demand::Poisson { mean })
                    }
                    "negative_binomial" => {
                        self.unused(&dp, t, &["mean", "shape"]);
                        let mean = mean_of(self, t);
                        let shape = match t.shape {
                            Some(s) => self.number(
                                dp.key("shape"),
                                s,
                                1e-6,
                                1e6,
                                "a shape (smaller = burstier)",
                            ),
                            None => {
                                self.err(dp.clone(), "a negative_binomial daily use needs shape", Some("shape k sets burstiness: variance = mean + mean²/k; e.g. shape = 0.5 for strongly clustered attacks".into()));
                                None
                            }
                        };
                        Some(Demand::NegBinomial {
                            mean: mean?,
                            shape: shape?,
                        })
                    }
                    "fixed" => {
                        self.unused(&dp, t, &["value"]);
                        match t.value {
                            Some(v) => self
                                .number(dp.key("value"), v, 0.0, MAX_RATE_PER_DAY, "units per day")
                                .map(Demand::Fixed),
                            None => {
                                self.err(dp.clone(), "a fixed daily use needs value", None);
                                None
                            }
                        }
                    }
                    other => {
                        self.err(dp.key("dist"), format!("\"{other}\" cannot describe daily use"), Some("daily use is a count: use dist = \"poisson\" (mean), \"negative_binomial\" (mean, shape) or \"fixed\" (value)".into()));
                        None
                    }
                }
            }
        };
        let mut periods = Vec::new();
        for (k, per) in c.period.iter().enumerate() {
            let pp = p.key("period").index(k);
            let from = self.day_in(pp.key("from"), &per.from, cal);
            let to = self.day_in(pp.key("to"), &per.to, cal);
            let m = self.number(
                pp.key("multiplier"),
                per.multiplier,
                0.0,
                1000.0,
                "a multiplier",
            );
            if let (Some(f), Some(t), Some(m)) = (from, to, m) {
                if t < f {
                    self.err(
                        pp.key("to"),
                        format!("to ({}) is before from ({})", cal.date(t), cal.date(f)),
                        Some("swap the two dates".into()),
                    );
                } else {
                    periods.push((f, t, m));
                }
            }
        }
        Some(Consumption {
            demand: demand?,
            periods,
            key_demand: StreamKey::new("item", &c.item, "demand"),
        })
    }

    fn opt_dist(&mut self, path: KeyPath, raw: Option<&RawDist>, sup: Support) -> Option<Dist> {
        match raw {
            None => Some(Dist::Fixed(0.0)),
            Some(r) => self.dist(path, r, sup),
        }
    }

    fn unused(&mut self, path: &KeyPath, t: &RawDistTable, used: &[&str]) {
        let present = [
            ("value", t.value),
            ("min", t.min),
            ("max", t.max),
            ("mode", t.mode),
            ("mean", t.mean),
            ("sd", t.sd),
            ("median", t.median),
            ("p90", t.p90),
            ("mu", t.mu),
            ("sigma", t.sigma),
            ("shape", t.shape),
            ("p", t.p),
        ];
        for (k, v) in present {
            if v.is_some() && !used.contains(&k) {
                self.err(
                    path.key(k),
                    format!("`{k}` is not a parameter of a {} distribution", t.dist),
                    Some(format!(
                        "a {} distribution takes: {}",
                        t.dist,
                        used.join(", ")
                    )),
                );
            }
        }
    }

    fn positive_median(&mut self, p: &KeyPath, med: f64) -> Option<()> {
        let msg = if !med.is_finite() {
            format!("{med} is not a finite number")
        } else if med <= 0.0 {
            format!("median must be greater than 0, got {}", fmt_num(med))
        } else {
            return Some(());
        };
        self.err(
            p.key("median"),
            msg,
            Some(
                "the median is the middle value: half the draws are below it, e.g. median = 120"
                    .into(),
            ),
        );
        None
    }

    fn need(
        &mut self,
        path: &KeyPath,
        t: &RawDistTable,
        key: &str,
        v: Option<f64>,
        params: &str,
    ) -> Option<f64> {
        match v {
            None => {
                self.err(
                    path.clone(),
                    format!("a {} distribution needs `{key}`", t.dist),
                    Some(format!("write {{ dist = \"{}\", {params} }}", t.dist)),
                );
                None
            }
            Some(x) if !x.is_finite() => {
                self.err(path.key(key), format!("{x} is not a finite number"), Some(format!("write an ordinary number; nan and inf are not allowed, e.g. {{ dist = \"{}\", {params} }}", t.dist)));
                None
            }
            Some(x) => Some(x),
        }
    }

    /// Builds a checked distribution whose values must lie in `sup`.
    fn dist(&mut self, path: KeyPath, raw: &RawDist, sup: Support) -> Option<Dist> {
        let within = |v: &mut Validator, key: KeyPath, x: f64| -> Option<f64> {
            v.number(key, x, sup.lo, sup.hi, sup.what)
        };
        let t = match raw {
            RawDist::Number(x) => return within(self, path, *x).map(Dist::Fixed),
            RawDist::Table(t) => t,
        };
        let p = &path;
        match t.dist.as_str() {
            "fixed" => {
                self.unused(p, t, &["value"]);
                let v = self.need(p, t, "value", t.value, "value = 10")?;
                within(self, p.key("value"), v).map(Dist::Fixed)
            }
            "uniform" => {
                self.unused(p, t, &["min", "max"]);
                let lo = self.need(p, t, "min", t.min, "min = 10, max = 20")?;
                let hi = self.need(p, t, "max", t.max, "min = 10, max = 20")?;
                let lo = within(self, p.key("min"), lo)?;
                let hi = within(self, p.key("max"), hi)?;
                if hi < lo {
                    self.err(
                        p.key("max"),
                        format!("max ({}) is less than min ({})", fmt_num(hi), fmt_num(lo)),
                        Some("swap min and max".into()),
                    );
                    return None;
                }
                if hi == lo {
                    return Some(Dist::Fixed(lo));
                }
                Dist::uniform(lo, hi).ok()
            }
            "triangular" | "pert" => {
                self.unused(p, t, &["min", "mode", "max"]);
                let ex = "min = 10, mode = 20, max = 40";
                let lo = self.need(p, t, "min", t.min, ex)?;
                let mode = self.need(p, t, "mode", t.mode, ex)?;
                let hi = self.need(p, t, "max", t.max, ex)?;
                let lo = within(self, p.key("min"), lo)?;
                let hi = within(self, p.key("max"), hi)?;
                if hi < lo {
                    self.err(
                        p.key("max"),
                        format!("max ({}) is less than min ({})", fmt_num(hi), fmt_num(lo)),
                        Some("swap min and max".into()),
                    );
                    return None;
                }
                if mode < lo || mode > hi {
                    self.err(
                        p.key("mode"),
                        format!(
                            "mode ({}) is outside [min, max] = [{}, {}]",
                            fmt_num(mode),
                            fmt_num(lo),
                            fmt_num(hi)
                        ),
                        Some(
                            "the mode is the most likely value and must lie between min and max"
                                .into(),
                        ),
                    );
                    return None;
                }
                if hi == lo {
                    return Some(Dist::Fixed(lo));
                }
                if t.dist == "pert" {
                    Dist::pert(lo, mode, hi).ok()
                } else {
                    Dist::triangular(lo, mode, hi).ok()
                }
            }
            "normal" => {
                self.unused(p, t, &["mean", "sd", "min", "max"]);
                let mean = self.need(p, t, "mean", t.mean, "mean = 30, sd = 5")?;
                let sd = self.need(p, t, "sd", t.sd, "mean = 30, sd = 5")?;
                if sd <= 0.0 {
                    self.err(
                        p.key("sd"),
                        format!("sd must be greater than 0, got {}", fmt_num(sd)),
                        Some("for a certain value write the number itself".into()),
                    );
                    return None;
                }
                let lo = match t.min {
                    Some(m) => within(self, p.key("min"), m)?,
                    None => sup.lo,
                };
                let hi = match t.max {
                    Some(m) => within(self, p.key("max"), m)?,
                    None => sup.hi,
                };
                if hi < lo {
                    self.err(
                        p.key("max"),
                        format!("max ({}) is less than min ({})", fmt_num(hi), fmt_num(lo)),
                        Some("swap min and max".into()),
                    );
                    return None;
                }
                if hi < mean - 4.0 * sd || lo > mean + 4.0 * sd {
                    self.err(
                        p.clone(),
                        format!(
                            "almost none of Normal(mean = {}, sd = {}) lies within [{}, {}] ({})",
                            fmt_num(mean),
                            fmt_num(sd),
                            fmt_num(lo),
                            fmt_num(hi),
                            sup.what
                        ),
                        Some("move the mean inside the allowed range".into()),
                    );
                    return None;
                }
                Dist::normal(mean, sd, lo, hi).ok()
            }
            "lognormal" => {
                self.unused(p, t, &["median", "p90", "mu", "sigma"]);
                if sup.lo > 0.0 {
                    self.err(
                        p.clone(),
                        "a lognormal can be close to 0, which is not allowed here",
                        None,
                    );
                    return None;
                }
                let (mu, sigma) = match (t.median, t.p90, t.mu, t.sigma) {
                    (Some(med), Some(p90), None, None) => {
                        self.positive_median(p, med)?;
                        if !(p90 > med && p90.is_finite()) {
                            self.err(
                                p.key("p90"),
                                format!(
                                    "p90 ({}) must be greater than median ({})",
                                    fmt_num(p90),
                                    fmt_num(med)
                                ),
                                Some("p90 is the value exceeded only 10% of the time".into()),
                            );
                            return None;
                        }
                        (med.ln(), (p90 / med).ln() / Z90)
                    }
                    (Some(med), None, None, Some(s)) => {
                        self.positive_median(p, med)?;
                        (med.ln(), s)
                    }
                    (None, None, Some(mu), Some(s)) => (mu, s),
                    _ => {
                        self.err(
                            p.clone(),
                            "a lognormal needs median and p90, median and sigma, or mu and sigma",
                            Some("e.g. { dist = \"lognormal\", median = 120, p90 = 200 }".into()),
                        );
                        return None;
                    }
                };
                if !(mu.is_finite() && mu.abs() <= 700.0) {
                    self.err(p.key("mu"), format!("mu must be a finite number between -700 and 700, got {}", fmt_num(mu)), Some("mu is the natural log of the median; giving median and p90 instead is easier, e.g. { dist = \"lognormal\", median = 120, p90 = 200 }".into()));
                    return None;
                }
                if !(sigma > 0.0 && sigma.is_finite() && sigma <= 10.0) {
                    let at = if t.sigma.is_some() {
                        p.key("sigma")
                    } else {
                        p.key("p90")
                    };
                    self.err(
                        at,
                        format!(
                            "sigma must be greater than 0 and at most 10, got {}",
                            fmt_num(sigma)
                        ),
                        Some(
                            "sigma is the spread of the log; 0.2 is narrow, 1 is very wide".into(),
                        ),
                    );
                    return None;
                }
                if mu > sup.hi.ln() {
                    self.err(
                        p.clone(),
                        format!(
                            "the median {} is above the largest allowed value {} ({})",
                            fmt_num(mu.exp()),
                            fmt_num(sup.hi),
                            sup.what
                        ),
                        None,
                    );
                    return None;
                }
                Dist::lognormal(mu, sigma, sup.hi).ok()
            }
            "poisson" => {
                self.unused(p, t, &["mean"]);
                let mean = self.need(p, t, "mean", t.mean, "mean = 3")?;
                let mean = self.number(p.key("mean"), mean, 0.0, sup.hi.min(1e7), sup.what)?;
                if sup.lo > 0.0 || sup.hi < 1e3 {
                    self.err(
                        p.clone(),
                        format!(
                            "a poisson distribution gives whole counts, which do not fit {}",
                            sup.what
                        ),
                        Some("use uniform, triangular, pert or normal here".into()),
                    );
                    return None;
                }
                if mean == 0.0 {
                    return Some(Dist::Fixed(0.0));
                }
                Dist::poisson(mean).ok()
            }
            "negative_binomial" => {
                self.unused(p, t, &["mean", "shape"]);
                let mean = self.need(p, t, "mean", t.mean, "mean = 3, shape = 0.5")?;
                let shape = self.need(p, t, "shape", t.shape, "mean = 3, shape = 0.5")?;
                let mean = self.number(p.key("mean"), mean, 0.0, sup.hi.min(1e7), sup.what)?;
                let shape = self.number(p.key("shape"), shape, 1e-6, 1e6, "a shape")?;
                if sup.lo > 0.0 || sup.hi < 1e3 {
                    self.err(p.clone(), format!("a negative_binomial distribution gives whole counts, which do not fit {}", sup.what), Some("use uniform, triangular, pert or normal here".into()));
                    return None;
                }
                if mean == 0.0 {
                    return Some(Dist::Fixed(0.0));
                }
                Dist::negative_binomial(mean, shape).ok()
            }
            "bernoulli" => {
                self.unused(p, t, &["p"]);
                let pr = self.need(p, t, "p", t.p, "p = 0.3")?;
                let pr = self.number(p.key("p"), pr, 0.0, 1.0, "a probability")?;
                if sup.lo > 0.0 || sup.hi < 1.0 {
                    self.err(
                        p.clone(),
                        format!(
                            "a bernoulli distribution gives 0 or 1, which does not fit {}",
                            sup.what
                        ),
                        None,
                    );
                    return None;
                }
                Dist::bernoulli(pr).ok()
            }
            other => {
                let kinds = [
                    "fixed",
                    "uniform",
                    "triangular",
                    "pert",
                    "normal",
                    "lognormal",
                    "poisson",
                    "negative_binomial",
                    "bernoulli",
                ];
                let near = nearest(other, kinds.into_iter());
                self.err(
                    p.key("dist"),
                    format!("\"{other}\" is not a known distribution"),
                    Some(match near {
                        Some(n) => format!("did you mean \"{n}\"? Known: {}", kinds.join(", ")),
                        None => format!("known distributions: {}", kinds.join(", ")),
                    }),
                );
                None
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Step {
    Days(u32),
    Months(u32),
}

struct Calendar {
    start: NaiveDate,
    end: NaiveDate,
    horizon: u32,
}

impl Calendar {
    fn date(&self, d: Day) -> NaiveDate {
        self.start + chrono::Days::new(u64::from(d.0))
    }
}

/// A sum of shares without float noise: 0.8999999999999999 → "0.9".
fn fmt_share(v: f64) -> String {
    let s = format!("{v:.6}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// A number as a person writes it: 1500000000 → "1.5e9", 0.25 → "0.25".
fn fmt_num(v: f64) -> String {
    if v.abs() >= 1e7 && v.is_finite() {
        format!("{v:e}")
    } else {
        let s = format!("{v}");
        s
    }
}

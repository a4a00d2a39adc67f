//! The bad-input catalogue: every way a hand-written scenario can be wrong gets a clear error with
//! file:line:column, the key path, what is wrong and (where the code knows) how to fix it, and
//! never a panic.
//!
//! Each case takes [`BASE`], a small valid scenario, changes one thing, and lists substrings the
//! rendered [`porcupine::scenario::LoadError`] must contain (location, key path, complaint, hint).
//! Unless a case says otherwise it must report exactly one problem, so that one mistake does not
//! cascade into several messages. The exact text of every message is also pinned by an `insta`
//! snapshot per test (`tests/it/snapshots/`): a change of wording shows up as a snapshot diff to
//! review and accept, while the substring checks keep the four parts from being dropped.

use porcupine::scenario::{self, LoadError};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

/// A small valid scenario; line numbers in the cases below refer to it.
pub(crate) const BASE: &str = r#"[scenario]
name = "base"
start = 2025-09-01
horizon_days = 365

[[item]]
name = "shell"
unit_cost_usd = 4000
initial_stock = 1000

[[funding]]
name = "donor"
pays_into = "purl"
payment_probability = 0.9
[[funding.lump_sum]]
date = 2025-10-01
amount_usd = 50_000_000
[[funding.recurring]]
every = "monthly"
amount_usd = 10_000_000

[[channel]]
name = "purl"
order_every_days = 30
[[channel.buy]]
item = "shell"
share = 1.0

[[line]]
name = "shell-line"
item = "shell"
capacity = [{ date = 2025-09-01, per_day = 100 }]

[[consumption]]
item = "shell"
daily = { dist = "poisson", mean = 50 }
"#;

/// Validates `toml` as "bad.toml" and returns the rendered error (panics if it is accepted).
fn err(toml: &str) -> String {
    match scenario::from_str(toml, Path::new("bad.toml")) {
        Ok(_) => panic!("the scenario was accepted:\n{toml}"),
        Err(e) => format!("{e}"),
    }
}

/// Asserts that `toml` is refused with a message containing every expected substring.
fn assert_err(toml: &str, expected: &[&str]) {
    let msg = err(toml);
    for e in expected {
        assert!(msg.contains(e), "expected {e:?} in:\n{msg}");
    }
}

/// [`BASE`] with `old` (which must occur exactly once) replaced by `new`.
fn with(old: &str, new: &str) -> String {
    assert_eq!(
        BASE.matches(old).count(),
        1,
        "{old:?} must occur once in BASE"
    );
    BASE.replacen(old, new, 1)
}

/// One bad file and what its error must say.
pub(crate) struct Case {
    name: &'static str,
    text: String,
    expect: Vec<&'static str>,
    problems: usize,
    absent: Vec<&'static str>,
}

/// A case built from [`BASE`] by replacing `old` with `new`.
pub(crate) fn case(name: &'static str, old: &str, new: &str, expect: &[&'static str]) -> Case {
    raw(name, with(old, new), expect)
}

/// A case with its own text.
pub(crate) fn raw(name: &'static str, text: impl Into<String>, expect: &[&'static str]) -> Case {
    Case {
        name,
        text: text.into(),
        expect: expect.to_vec(),
        problems: 1,
        absent: Vec::new(),
    }
}

impl Case {
    /// The case reports this many problems (default 1).
    pub(crate) fn problems(mut self, n: usize) -> Case {
        self.problems = n;
        self
    }

    /// The message must not contain these.
    fn without(mut self, absent: &[&'static str]) -> Case {
        self.absent = absent.to_vec();
        self
    }
}

/// Checks every case, then fails once listing every case that went wrong; then compares the
/// exact text of every case's message with the committed snapshot of the test (one snapshot file
/// per test, named after it, holding each case's message under its name).
pub(crate) fn check(cases: Vec<Case>) {
    let mut failures = Vec::new();
    let mut exact = String::new();
    for c in &cases {
        let got = catch_unwind(AssertUnwindSafe(|| {
            scenario::from_str(&c.text, Path::new("bad.toml"))
        }));
        let e = match got {
            Err(_) => {
                failures.push(format!("[{}] PANICKED", c.name));
                continue;
            }
            Ok(Ok(_)) => {
                failures.push(format!("[{}] was accepted", c.name));
                continue;
            }
            Ok(Err(e)) => e,
        };
        let msg = format!("{e}");
        exact.push_str(&format!("=== {}\n{msg}\n\n", c.name));
        let missing: Vec<_> = c.expect.iter().filter(|x| !msg.contains(*x)).collect();
        let present: Vec<_> = c.absent.iter().filter(|x| msg.contains(*x)).collect();
        let n = e.problems().len();
        if !missing.is_empty() || !present.is_empty() || n != c.problems {
            failures.push(format!(
                "[{}] missing {missing:?}, unwanted {present:?}, {n} problem(s) (expected {}):\n{msg}",
                c.name, c.problems
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
    let test = std::thread::current()
        .name()
        .unwrap_or("bad_input")
        .replace("::", "__");
    insta::assert_snapshot!(test, exact);
}

#[test]
fn the_base_scenario_is_valid() {
    scenario::from_str(BASE, Path::new("bad.toml")).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn toml_syntax_errors() {
    check(vec![
        case(
            "unclosed string",
            r#"name = "base""#,
            r#"name = "base"#,
            &[
                "bad.toml:2:13",
                "scenario.name: invalid basic string",
                "help: close the text with the same quote it opens with",
            ],
        ),
        case(
            "unclosed string at end of file",
            "daily = { dist = \"poisson\", mean = 50 }\n",
            "daily = { dist = \"poisson",
            &["bad.toml:36:", "consumption.shell.daily:"],
        ),
        case(
            "missing ]] in a repeated table header",
            "[[item]]",
            "[[item]",
            &[
                "bad.toml:6:7",
                "invalid table header; expected `.`, `]]`",
                "help: table headers are [name] for a single table and [[name]] for a repeated one",
            ],
        ),
        case(
            "missing ] in a table header",
            "[scenario]",
            "[scenario",
            &[
                "bad.toml:1:10",
                "invalid table header",
                "help: table headers are [name]",
            ],
        ),
        case(
            "bare word as a name",
            r#"name = "base""#,
            "name = base",
            &[
                "bad.toml:2:8",
                "scenario.name: invalid string",
                "help: text values need quotes (name = \"purl\")",
            ],
        ),
        case(
            "bare word in a repeated sub-table",
            r#"every = "monthly""#,
            "every = monthly",
            &[
                "bad.toml:19:9",
                "funding.donor.recurring[0].every: invalid string",
                "help: text values need quotes",
            ],
        ),
        case(
            "key without a value",
            "horizon_days = 365",
            "horizon_days =",
            &[
                "bad.toml:4:15",
                "scenario.horizon_days:",
                "every `=` needs a value",
            ],
        ),
        case(
            "key with a space",
            "horizon_days = 365",
            "horizon days = 365",
            &[
                "bad.toml:4:9",
                "scenario: expected `.`, `=`",
                "help: each line is key = value; keys have no spaces",
            ],
        ),
        case(
            "duplicate key",
            "horizon_days = 365",
            "horizon_days = 365\nhorizon_days = 366",
            &[
                "bad.toml:5:1",
                "duplicate key `horizon_days` in table `scenario`",
                "help: each key and each [table] may appear only once",
            ],
        ),
        case(
            "table defined twice",
            "[[funding]]",
            "[scenario]\nseed = 1\n\n[[funding]]",
            &[
                "bad.toml:11:1",
                "duplicate key `scenario`",
                "help: each key and each [table] may appear only once",
            ],
        ),
        case(
            "thousands separator",
            "unit_cost_usd = 4000",
            "unit_cost_usd = 4,000",
            &[
                "bad.toml:8:18",
                "item.shell.unit_cost_usd: expected newline",
                "help: a value must end the line",
                "without commas or units (4000 or 4_000)",
            ],
        ),
        case(
            "unit after a number",
            "amount_usd = 10_000_000",
            "amount_usd = 10m",
            &[
                "bad.toml:20:16",
                "funding.donor.recurring[0].amount_usd: expected newline",
                "without commas or units",
            ],
        ),
        case(
            "number without a leading digit",
            "share = 1.0",
            "share = 1.0\n[[channel.buy]]\nitem = \"shell\"\nshare = .5",
            &[
                "bad.toml:30:9",
                "channel.purl.buy[1].share: invalid floating-point number",
                "help: write numbers like 0.5",
            ],
        ),
        case(
            "trailing comma in an inline table",
            "mean = 50 }",
            "mean = 50, }",
            &[
                "bad.toml:36:38",
                "consumption.shell.daily: invalid inline table",
                "help: an inline table is { key = value, key = value } on one line",
            ],
        ),
        case(
            "unclosed text block",
            r#"name = "base""#,
            "name = \"base\"\ndescription = \"\"\" a long\ntext that never ends",
            &[
                "bad.toml:3:15",
                "scenario.description: invalid multiline basic string",
                "help: a text block opened with \"\"\" (or ''') is never closed",
            ],
        ),
        case(
            "impossible calendar date",
            "start = 2025-09-01",
            "start = 2025-02-30",
            &[
                "bad.toml:3:17",
                "scenario.start: invalid date-time",
                "check that the day exists in that month",
            ],
        ),
        case(
            "integer beyond 64 bits",
            "initial_stock = 1000",
            "initial_stock = 99999999999999999999",
            &[
                "bad.toml:9:17",
                "item.shell.initial_stock: number too large",
                "help: this number does not fit in a 64-bit integer",
            ],
        ),
        case(
            "control character in a string",
            r#"name = "shell""#,
            "name = \"sh\u{1}ell\"",
            &[
                "bad.toml:7:11",
                "item[0].name: invalid basic string",
                "text may not contain control characters",
            ],
        ),
        raw(
            "two keys on one line, after non-ASCII text",
            with(
                r#"name = "shell""#,
                "label = \"Снаряд 🚀\", name = \"shell\"",
            ),
            &[
                // Columns count characters, not bytes.
                "bad.toml:7:19",
                "item[0].label: expected newline",
                "each key = value on its own line",
            ],
        ),
        raw(
            "Windows line endings",
            with(r#"name = "shell""#, "name = shell").replace('\n', "\r\n"),
            &["bad.toml:7:8", "item[0].name: invalid string"],
        ),
    ]);
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    check(vec![
        raw(
            "10,000 nested arrays",
            format!("x = {}", "[".repeat(10_000)),
            &[
                "bad.toml:1:",
                "x: recursion limit exceeded",
                "help: values are nested too deeply",
            ],
        ),
        raw(
            "10,000 nested inline tables",
            format!("x = {}", "{ a = ".repeat(10_000)),
            &[
                "bad.toml:1:",
                "recursion limit exceeded",
                "help: values are nested too deeply",
            ],
        ),
        raw(
            "nested arrays inside a valid file",
            with(
                "horizon_days = 365",
                &format!("horizon_days = 365\nx = {}", "[".repeat(10_000)),
            ),
            &["bad.toml:5:", "scenario.x: recursion limit exceeded"],
        ),
    ]);
}

#[test]
fn wrong_types() {
    check(vec![
        case("string for a number", "unit_cost_usd = 4000", r#"unit_cost_usd = "4000""#, &[
            "bad.toml:8:17",
            "item.shell.unit_cost_usd: invalid type: string \"4000\", expected a number",
            "help: the price of one unit in US dollars, e.g. unit_cost_usd = 4_000_000",
        ]),
        case("boolean for a number", "unit_cost_usd = 4000", "unit_cost_usd = true", &[
            "bad.toml:8:17",
            "item.shell.unit_cost_usd: invalid type: boolean `true`, expected a number",
        ]),
        case("list for a number", "unit_cost_usd = 4000", "unit_cost_usd = [4000]", &[
            "bad.toml:8:17",
            "item.shell.unit_cost_usd: invalid type: list, expected a number",
        ]),
        case("number for a name", r#"name = "shell""#, "name = 42", &[
            "bad.toml:7:8",
            "item[0].name: invalid type: integer `42`, expected a string",
            "help: write a name in quotes",
        ]),
        case("number for a label", r#"name = "shell""#, "name = \"shell\"\nlabel = 5", &[
            "bad.toml:8:9",
            "item.shell.label: invalid type: integer `5`, expected a string",
            "help: write text in quotes",
        ]),
        case("quoted start date", "start = 2025-09-01", r#"start = "2025-09-01""#, &[
            "bad.toml:3:9",
            "scenario.start: invalid type: string \"2025-09-01\", expected a date",
            "help: write a TOML date without quotes, e.g. 2025-09-01",
        ]),
        case("quoted lump-sum date", "date = 2025-10-01", r#"date = "2025-10-01""#, &[
            "bad.toml:16:8",
            "funding.donor.lump_sum[0].date: invalid type: string \"2025-10-01\", expected a date",
            "help: write a TOML date without quotes",
        ]),
        case("fraction for a whole number", "initial_stock = 1000", "initial_stock = 1000.5", &[
            "bad.toml:9:17",
            "item.shell.initial_stock: invalid type: decimal number `1000.5`, expected a whole number",
            "help: a whole number of units, e.g. initial_stock = 60",
        ]),
        case("text for a share", "share = 1.0", r#"share = "all""#, &[
            "bad.toml:27:9",
            "channel.purl.buy[0].share: invalid type: string \"all\", expected a number",
            "help: a probability between 0 and 1",
        ]),
        case("text for an amount", "amount_usd = 50_000_000", r#"amount_usd = "50 million""#, &[
            "bad.toml:17:14",
            "funding.donor.lump_sum[0].amount_usd: invalid type: string \"50 million\", expected a number, or a distribution",
            "help: US dollars as a number (500_000_000) or a distribution",
        ]),
        case("number for pays_into", r#"pays_into = "purl""#, "pays_into = 5", &[
            "bad.toml:13:13",
            "funding.donor.pays_into: invalid type: integer `5`, expected a channel name",
            "help: a channel name (pays_into = \"purl\") or shares",
        ]),
        case("text for a pays_into share", r#"pays_into = "purl""#, r#"pays_into = { purl = "all" }"#, &[
            "bad.toml:13:22",
            "funding.donor.pays_into.purl: invalid type: string \"all\", expected a number",
            "help: a channel name (pays_into = \"purl\") or shares",
        ]),
        case("number for a distribution name", "amount_usd = 50_000_000", "amount_usd = { dist = 5 }", &[
            "bad.toml:17:23",
            "funding.donor.lump_sum[0].amount_usd.dist: invalid type: integer `5`, expected a string",
            "help: one of fixed, uniform, triangular, pert, normal, lognormal",
        ]),
        case("[item] for [[item]]", "[[item]]", "[item]", &[
            "bad.toml:6:1",
            "item: invalid type: table, expected a list",
            "help: [[item]] is a repeated table: write its header with double brackets",
        ]),
        case("[funding.lump_sum] for [[funding.lump_sum]]", "[[funding.lump_sum]]", "[funding.lump_sum]", &[
            "bad.toml:15:1",
            "funding.donor.lump_sum: invalid type: table, expected a list",
            "help: [[funding.lump_sum]] is a repeated table",
        ]),
        case("[[scenario]] for [scenario]", "[scenario]", "[[scenario]]", &[
            "bad.toml:1:1",
            "scenario: [scenario] is a single table, but it is written as the repeated table [[scenario]]",
            "help: write the header with single brackets: [scenario]",
        ]),
    ]);
}

#[test]
fn missing_keys_point_at_the_table() {
    check(vec![
        case("no start", "start = 2025-09-01\n", "", &[
            "bad.toml:1:1",
            "scenario: missing key `start`",
            "help: add `start` to this table: write a TOML date without quotes, e.g. 2025-09-01",
        ]),
        case("no unit cost", "unit_cost_usd = 4000\n", "", &[
            "bad.toml:6:1",
            "item.shell: missing key `unit_cost_usd`",
            "help: add `unit_cost_usd` to this table: the price of one unit in US dollars",
        ])
        .without(&["write a name in quotes"]),
        case("no item name", "name = \"shell\"\n", "", &[
            "bad.toml:6:1",
            "item[0]: missing key `name`",
            "help: add `name` to this table: write a name in quotes",
        ]),
        case("no capacity", "capacity = [{ date = 2025-09-01, per_day = 100 }]\n", "", &[
            "bad.toml:29:1",
            "line.shell-line: missing key `capacity`",
            "help: add `capacity` to this table: a list of ramp points",
        ]),
        case("no order interval", "order_every_days = 30\n", "", &[
            "bad.toml:22:1",
            "channel.purl: missing key `order_every_days`",
            "help: add `order_every_days` to this table: a whole number of days",
        ]),
        case("no horizon", "horizon_days = 365\n", "", &[
            "bad.toml:1:1",
            "scenario: missing key `horizon_days` (or `end`)",
            "help: say how long to simulate: horizon_days = 1095, or end = 2028-08-31",
        ]),
        case("no [scenario] table", "[scenario]\nname = \"base\"\nstart = 2025-09-01\nhorizon_days = 365\n", "", &[
            "bad.toml:1:1",
            "(top level): missing key `scenario`",
            "help: start the file with a [scenario] table: name = \"my-scenario\", start = 2025-09-01",
        ]),
        case("distribution without dist", "amount_usd = 50_000_000", "amount_usd = { min = 1, max = 2 }", &[
            "bad.toml:17:14",
            "funding.donor.lump_sum[0].amount_usd: missing key `dist`",
            "help: add `dist` to this table: one of fixed, uniform, triangular",
        ]),
        case("recurring without an interval", "every = \"monthly\"\n", "", &[
            "bad.toml:18:1",
            "funding.donor.recurring[0]: missing key `every` (or `every_days`)",
            "help: say how often: every = \"monthly\"",
        ]),
        case("lump sum without amount", "amount_usd = 50_000_000\n", "", &[
            "bad.toml:15:1",
            "funding.donor.lump_sum[0]: missing key `amount_usd`",
            "help: add `amount_usd` to this table: US dollars as a number",
        ]),
    ]);
}

#[test]
fn unknown_keys_suggest_the_nearest() {
    check(vec![
        case("unit_cost for unit_cost_usd", "unit_cost_usd = 4000", "unit_cost = 4000", &[
            "bad.toml:8:1",
            "item.shell.unit_cost: unknown key `unit_cost`",
            "help: did you mean `unit_cost_usd`? Unknown keys are errors so that typos are not silently ignored",
        ]),
        case("misspelt table", "[scenario]", "[scenarios]", &[
            "bad.toml:1:2",
            "scenarios: unknown key `scenarios`",
            "help: did you mean `scenario`?",
        ]),
        case("plural repeated table", "[[item]]", "[[items]]", &[
            "bad.toml:6:3",
            "items: unknown key `items`",
            "help: did you mean `item`?",
        ]),
        case("misspelt distribution parameter", "mean = 50 }", "maen = 50 }", &[
            "bad.toml:36:29",
            "consumption.shell.daily.maen: unknown key `maen`",
            "help: did you mean `mean`?",
        ]),
        case("long name for a distribution parameter", "amount_usd = 50_000_000", "amount_usd = { dist = \"uniform\", min = 1, maximum = 2 }", &[
            "bad.toml:17:43",
            "funding.donor.lump_sum[0].amount_usd.maximum: unknown key `maximum`",
            "help: did you mean `max`?",
        ]),
        case("key with no near match", "initial_stock = 1000", "initial_stock = 1000\ncolour = \"red\"", &[
            "bad.toml:10:1",
            "item.shell.colour: unknown key `colour`",
            "help: remove this key or check its spelling",
        ]),
    ]);
}

#[test]
fn bad_numbers() {
    check(vec![
        case("negative price", "unit_cost_usd = 4000", "unit_cost_usd = -4000", &[
            "bad.toml:8:17",
            "item.shell.unit_cost_usd: -4000 is out of range: expected US dollars between 0 and 1e13",
        ]),
        case("zero price", "unit_cost_usd = 4000", "unit_cost_usd = 0", &[
            "bad.toml:8:17",
            "item.shell.unit_cost_usd: unit_cost_usd must be at least one cent",
            "help: the price of one unit in US dollars",
        ]),
        case("nan price", "unit_cost_usd = 4000", "unit_cost_usd = nan", &[
            "bad.toml:8:17",
            "item.shell.unit_cost_usd: NaN is not a finite number",
            "help: give US dollars between 0 and 1e13",
        ]),
        case("infinite amount", "amount_usd = 50_000_000", "amount_usd = inf", &[
            "bad.toml:17:14",
            "funding.donor.lump_sum[0].amount_usd: inf is not a finite number",
            "help: give US dollars between 0 and 1e13",
        ]),
        case("1e300 dollars", "amount_usd = 50_000_000", "amount_usd = 1e300", &[
            "bad.toml:17:14",
            "funding.donor.lump_sum[0].amount_usd: 1e300 is out of range: expected US dollars between 0 and 1e13",
        ]),
        case("1e300 unit price", "unit_cost_usd = 4000", "unit_cost_usd = 1e300", &[
            "bad.toml:8:17",
            "item.shell.unit_cost_usd: 1e300 is out of range: expected US dollars between 0 and 1e13",
        ]),
        case("initial stock 10^15", "initial_stock = 1000", "initial_stock = 1_000_000_000_000_000", &[
            "bad.toml:9:17",
            "item.shell.initial_stock: 1000000000000000 is out of range: expected a whole number of units between 0 and 1e12",
        ]),
        case("negative stock", "initial_stock = 1000", "initial_stock = -5", &[
            "bad.toml:9:17",
            "item.shell.initial_stock: -5 is out of range",
        ]),
        case("horizon of a billion days", "horizon_days = 365", "horizon_days = 1_000_000_000", &[
            "bad.toml:4:16",
            "scenario.horizon_days: horizon_days must be between 1 and 36525 (100 years), got 1000000000",
            "help: a whole number of days",
        ]),
        case("zero horizon", "horizon_days = 365", "horizon_days = 0", &[
            "bad.toml:4:16",
            "scenario.horizon_days: horizon_days must be between 1 and 36525",
        ]),
        case("negative delay", "payment_probability = 0.9", "payment_probability = 0.9\npayment_delay_days = -5", &[
            "bad.toml:15:22",
            "funding.donor.payment_delay_days: -5 is out of range: expected days between 0 and 3650",
            "help: a number of days or a distribution",
        ]),
        case("ramp slip of a billion days", "per_day = 100 }]", "per_day = 100 }]\nramp_slip_days = 1e9", &[
            "bad.toml:33:18",
            "line.shell-line.ramp_slip_days: 1e9 is out of range: expected days between -3650 and 3650",
        ]),
        case("nan capacity", "per_day = 100 }]", "per_month = nan }]", &[
            "bad.toml:32:46",
            "line.shell-line.capacity[0].per_month: NaN is not a finite number",
            "help: give units per month between 0 and 3e10",
        ]),
        case("negative multiplier", "mean = 50 }", "mean = 50 }\n[[consumption.period]]\nfrom = 2025-10-01\nto = 2025-12-01\nmultiplier = -2", &[
            "bad.toml:40:14",
            "consumption.shell.period[0].multiplier: -2 is out of range: expected a multiplier between 0 and 1000",
        ]),
        case("zero orders interval", "order_every_days = 30", "order_every_days = 0", &[
            "bad.toml:24:20",
            "channel.purl.order_every_days: order_every_days must be between 1 and 3650, got 0",
        ]),
        case("zero units per order", "share = 1.0", "share = 1.0\nmax_units_per_order = 0", &[
            "bad.toml:28:23",
            "channel.purl.buy[0].max_units_per_order: max_units_per_order must be between 1 and 1e12, got 0",
        ]),
        case("negative every_days", "every = \"monthly\"", "every_days = -1", &[
            "bad.toml:19:14",
            "funding.donor.recurring[0].every_days: every_days must be between 1 and 3650, got -1",
        ]),
    ]);
}

#[test]
fn bad_distributions() {
    let amount = "amount_usd = 50_000_000";
    check(vec![
        case("uniform min > max", amount, "amount_usd = { dist = \"uniform\", min = 60e6, max = 40e6 }", &[
            "bad.toml:17:52",
            "funding.donor.lump_sum[0].amount_usd.max: max (4e7) is less than min (6e7)",
            "help: swap min and max",
        ]),
        case("triangular mode above max", amount, "amount_usd = { dist = \"triangular\", min = 40e6, mode = 90e6, max = 60e6 }", &[
            "bad.toml:17:56",
            "funding.donor.lump_sum[0].amount_usd.mode: mode (9e7) is outside [min, max] = [4e7, 6e7]",
            "help: the mode is the most likely value and must lie between min and max",
        ]),
        case("pert mode below min", amount, "amount_usd = { dist = \"pert\", min = 40e6, mode = 10e6, max = 60e6 }", &[
            "bad.toml:17:50",
            "funding.donor.lump_sum[0].amount_usd.mode: mode (1e7) is outside [min, max]",
            "help: the mode is the most likely value",
        ]),
        case("lognormal p90 below median", amount, "amount_usd = { dist = \"lognormal\", median = 50e6, p90 = 30e6 }", &[
            "bad.toml:17:57",
            "funding.donor.lump_sum[0].amount_usd.p90: p90 (3e7) must be greater than median (5e7)",
            "help: p90 is the value exceeded only 10% of the time",
        ]),
        case("lognormal with an absurd spread", amount, "amount_usd = { dist = \"lognormal\", median = 1, p90 = 1e12 }", &[
            "bad.toml:17:54",
            "funding.donor.lump_sum[0].amount_usd.p90: sigma must be greater than 0 and at most 10",
            "help: sigma is the spread of the log",
        ]),
        case("lognormal mu out of range", amount, "amount_usd = { dist = \"lognormal\", mu = 1e6, sigma = 1 }", &[
            "bad.toml:17:41",
            "funding.donor.lump_sum[0].amount_usd.mu: mu must be a finite number between -700 and 700, got 1000000",
            "help: mu is the natural log of the median",
        ])
        .without(&["sigma must"]),
        case("lognormal nan mu", amount, "amount_usd = { dist = \"lognormal\", mu = nan, sigma = 1 }", &[
            "bad.toml:17:41",
            "funding.donor.lump_sum[0].amount_usd.mu: mu must be a finite number",
        ]),
        case("lognormal infinite median", amount, "amount_usd = { dist = \"lognormal\", median = inf, sigma = 1 }", &[
            "bad.toml:17:45",
            "funding.donor.lump_sum[0].amount_usd.median: inf is not a finite number",
            "help: the median is the middle value",
        ])
        .without(&["greater than 0, got inf"]),
        case("lognormal zero sigma", amount, "amount_usd = { dist = \"lognormal\", median = 5e7, sigma = 0 }", &[
            "bad.toml:17:58",
            "funding.donor.lump_sum[0].amount_usd.sigma: sigma must be greater than 0 and at most 10, got 0",
        ]),
        case("unknown distribution with a near name", amount, "amount_usd = { dist = \"lognormel\", median = 50e6, p90 = 80e6 }", &[
            "bad.toml:17:23",
            "funding.donor.lump_sum[0].amount_usd.dist: \"lognormel\" is not a known distribution",
            "help: did you mean \"lognormal\"? Known: fixed, uniform, triangular, pert, normal, lognormal",
        ]),
        case("unknown distribution with no near name", amount, "amount_usd = { dist = \"gaussian\", mean = 50e6, sd = 1e6 }", &[
            "bad.toml:17:23",
            "\"gaussian\" is not a known distribution",
            "help: known distributions: fixed, uniform",
        ]),
        case("parameter that does not belong", amount, "amount_usd = { dist = \"uniform\", min = 40e6, max = 60e6, mode = 50e6 }", &[
            "bad.toml:17:65",
            "funding.donor.lump_sum[0].amount_usd.mode: `mode` is not a parameter of a uniform distribution",
            "help: a uniform distribution takes: min, max",
        ]),
        case("parameter missing", amount, "amount_usd = { dist = \"uniform\", min = 40e6 }", &[
            "bad.toml:17:14",
            "funding.donor.lump_sum[0].amount_usd: a uniform distribution needs `max`",
            "help: write { dist = \"uniform\", min = 10, max = 20 }",
        ]),
        case("nan parameter", amount, "amount_usd = { dist = \"uniform\", min = nan, max = 60e6 }", &[
            "bad.toml:17:40",
            "funding.donor.lump_sum[0].amount_usd.min: NaN is not a finite number",
            "help: write an ordinary number; nan and inf are not allowed",
        ]),
        case("normal with zero sd", "payment_probability = 0.9", "payment_probability = 0.9\npayment_delay_days = { dist = \"normal\", mean = 10, sd = 0 }", &[
            "bad.toml:15:57",
            "funding.donor.payment_delay_days.sd: sd must be greater than 0, got 0",
            "help: for a certain value write the number itself",
        ]),
        case("normal with infinite sd", "payment_probability = 0.9", "payment_probability = 0.9\npayment_delay_days = { dist = \"normal\", mean = 10, sd = inf }", &[
            "bad.toml:15:57",
            "funding.donor.payment_delay_days.sd: inf is not a finite number",
        ]),
        case("normal far outside the allowed range", "payment_probability = 0.9", "payment_probability = 0.9\npayment_delay_days = { dist = \"normal\", mean = -100, sd = 1 }", &[
            "bad.toml:15:22",
            "funding.donor.payment_delay_days: almost none of Normal(mean = -100, sd = 1) lies within [0, 3650] (days)",
            "help: move the mean inside the allowed range",
        ]),
        case("daily use as a uniform", "daily = { dist = \"poisson\", mean = 50 }", "daily = { dist = \"uniform\", min = 1, max = 5 }", &[
            "bad.toml:36:18",
            "consumption.shell.daily.dist: \"uniform\" cannot describe daily use",
            "help: daily use is a count: use dist = \"poisson\" (mean), \"negative_binomial\" (mean, shape) or \"fixed\" (value)",
        ]),
        case("negative binomial without shape", "daily = { dist = \"poisson\", mean = 50 }", "daily = { dist = \"negative_binomial\", mean = 5 }", &[
            "bad.toml:36:9",
            "consumption.shell.daily: a negative_binomial daily use needs shape",
            "help: shape k sets burstiness",
        ]),
        case("negative binomial with zero shape", "daily = { dist = \"poisson\", mean = 50 }", "daily = { dist = \"negative_binomial\", mean = 5, shape = 0 }", &[
            "bad.toml:36:57",
            "consumption.shell.daily.shape: 0 is out of range: expected a shape (smaller = burstier) between 0.000001 and 1000000",
        ]),
        case("daily use with a foreign parameter", "mean = 50 }", "mean = 50, sd = 3 }", &[
            "bad.toml:36:45",
            "consumption.shell.daily.sd: `sd` is not a parameter of a poisson distribution",
            "help: a poisson distribution takes: mean",
        ]),
    ]);
}

#[test]
fn probabilities_outside_0_1() {
    let after_capacity = "per_day = 100 }]";
    check(vec![
        case("payment probability 1.5", "payment_probability = 0.9", "payment_probability = 1.5", &[
            "bad.toml:14:23",
            "funding.donor.payment_probability: 1.5 is out of range: expected a probability between 0 and 1",
            "help: a probability between 0 and 1, e.g. 0.9",
        ]),
        case("transit loss -0.1", after_capacity, "per_day = 100 }]\ntransit_loss = -0.1", &[
            "bad.toml:33:16",
            "line.shell-line.transit_loss: -0.1 is out of range: expected a probability between 0 and 1",
        ]),
        case("defect rate 1", after_capacity, "per_day = 100 }]\ndefect_rate = 1", &[
            "bad.toml:33:15",
            "line.shell-line.defect_rate: 1 is out of range: expected a probability between 0 and 0.999999",
            "help: a rate of 1 or more would reject every unit",
        ]),
        case("other customers' share 1.2", after_capacity, "per_day = 100 }]\nother_customers_share = 1.2", &[
            "bad.toml:33:25",
            "line.shell-line.other_customers_share: 1.2 is out of range: expected a share between 0 and 1",
        ])
        .without(&["between 0 and 1 between"]),
        case("buy share 2", "share = 1.0", "share = 2", &[
            "bad.toml:27:9",
            "channel.purl.buy[0].share: 2 is out of range: expected a share between 0 and 1",
        ]),
        case("bernoulli p 1.5", "per_day = 100 }]", "per_day = 100 }]\nother_customers_share = { dist = \"bernoulli\", p = 1.5 }", &[
            "bad.toml:33:51",
            "line.shell-line.other_customers_share.p: 1.5 is out of range: expected a probability between 0 and 1",
        ]),
    ]);
}

#[test]
fn dates_outside_the_period_or_with_times() {
    let period = "mean = 50 }\n[[consumption.period]]\nfrom = 2026-01-01\n";
    check(vec![
        case("lump sum before the start", "date = 2025-10-01", "date = 2025-01-01", &[
            "bad.toml:16:8",
            "funding.donor.lump_sum[0].date: 2025-01-01 is outside the simulated period 2025-09-01 to 2026-09-01",
            "help: move the date inside the period, or change [scenario] start / horizon_days",
        ]),
        case("lump sum after the horizon", "date = 2025-10-01", "date = 2027-01-01", &[
            "bad.toml:16:8",
            "funding.donor.lump_sum[0].date: 2027-01-01 is outside the simulated period 2025-09-01 to 2026-09-01",
        ]),
        case("consumption period after the horizon", "mean = 50 }", &format!("{period}to = 2027-01-01\nmultiplier = 2"), &[
            "bad.toml:39:6",
            "consumption.shell.period[0].to: 2027-01-01 is outside the simulated period",
        ]),
        case("consumption period to before from", "mean = 50 }", &format!("{period}to = 2025-12-01\nmultiplier = 2"), &[
            "bad.toml:39:6",
            "consumption.shell.period[0].to: to (2025-12-01) is before from (2026-01-01)",
            "help: swap the two dates",
        ]),
        case("recurring to before from", "every = \"monthly\"", "every = \"monthly\"\nfrom = 2026-01-01\nto = 2025-12-01", &[
            "bad.toml:21:6",
            "funding.donor.recurring[0].to: to (2025-12-01) is before from (2026-01-01)",
            "help: swap the two dates",
        ]),
        case("recurring from before the start", "every = \"monthly\"", "every = \"monthly\"\nfrom = 2024-01-01", &[
            "bad.toml:20:8",
            "funding.donor.recurring[0].from: 2024-01-01 is outside the simulated period",
        ]),
        case("first order before the start", "order_every_days = 30", "order_every_days = 30\nfirst_order = 2024-01-01", &[
            "bad.toml:25:15",
            "channel.purl.first_order: 2024-01-01 is outside the simulated period 2025-09-01 to 2026-09-01",
        ]),
        case("date with a time of day", "date = 2025-10-01", "date = 2025-10-01T12:00:00", &[
            "bad.toml:16:8",
            "funding.donor.lump_sum[0].date: 2025-10-01T12:00:00 has a time of day; only a date is expected",
            "help: write just the date, e.g. 2025-09-01",
        ]),
        case("start with a time zone", "start = 2025-09-01", "start = 2025-09-01T08:00:00Z", &[
            "bad.toml:3:9",
            "scenario.start: 2025-09-01T08:00:00Z has a time of day",
            "help: write just the date",
        ]),
        case("a time for a date", "start = 2025-09-01", "start = 08:00:00", &[
            "bad.toml:3:9",
            "scenario.start: 08:00:00 has a time of day",
        ]),
    ]);
}

#[test]
fn unknown_references_list_the_names() {
    check(vec![
        case(
            "bought item misspelt",
            "item = \"shell\"\nshare",
            "item = \"shel\"\nshare",
            &[
                "bad.toml:26:8",
                "channel.purl.buy[0].item: there is no item named \"shel\"",
                "help: did you mean \"shell\"? The items in this file are: \"shell\"",
            ],
        ),
        case(
            "channel misspelt",
            r#"pays_into = "purl""#,
            r#"pays_into = "purrl""#,
            &[
                "bad.toml:13:13",
                "funding.donor.pays_into: there is no channel named \"purrl\"",
                "help: did you mean \"purl\"? The channels in this file are: \"purl\"",
            ],
        ),
        case(
            "channel misspelt in shares",
            r#"pays_into = "purl""#,
            r#"pays_into = { purl = 0.5, prul = 0.5 }"#,
            &[
                "bad.toml:13:34",
                "funding.donor.pays_into.prul: there is no channel named \"prul\"",
                "help: did you mean \"purl\"?",
            ],
        ),
        case(
            "line misspelt",
            "share = 1.0",
            "share = 1.0\nline = \"shell-lin\"",
            &[
                "bad.toml:28:8",
                "channel.purl.buy[0].line: there is no line named \"shell-lin\"",
                "help: did you mean \"shell-line\"? The lines in this file are: \"shell-line\"",
            ],
        ),
        case(
            "consumed item unknown",
            "[[consumption]]\nitem = \"shell\"",
            "[[consumption]]\nitem = \"tank\"",
            &[
                "bad.toml:35:8",
                "consumption.tank.item: there is no item named \"tank\"",
                "help: the items in this file are: \"shell\"",
            ],
        ),
        case(
            "line makes an unknown item",
            "item = \"shell\"\ncapacity",
            "item = \"shells\"\ncapacity",
            &[
                "bad.toml:31:8",
                "line.shell-line.item: there is no item named \"shells\"",
                "help: did you mean \"shell\"?",
                // The buy then has no line: reported too, at the buy.
                "bad.toml:26:8",
                "channel.purl.buy[0].item: no production line makes \"shell\"",
            ],
        )
        .problems(2),
    ]);
}

#[test]
fn names() {
    let second_item =
        "[[item]]\nname = \"shell\"\nunit_cost_usd = 1\ninitial_stock = 0\n\n[[funding]]";
    check(vec![
        case("duplicate item", "[[funding]]", second_item, &[
            "bad.toml:12:8",
            "item[1].name: the name \"shell\" is already used by an earlier [[item]] (item.shell)",
            "help: every [[item]] needs its own name, e.g. \"shell-2\"",
        ]),
        case("duplicate consumption", "[[consumption]]", "[[consumption]]\nitem = \"shell\"\ndaily = 5\n\n[[consumption]]", &[
            "bad.toml:39:8",
            "consumption[1].item: item \"shell\" already has a [[consumption]] table (consumption.shell)",
            "help: merge the two into one table",
        ]),
        case("name escaping the output folder", r#"name = "base""#, r#"name = "../../x""#, &[
            "bad.toml:2:8",
            "scenario.name: the scenario name \"../../x\" contains characters other than letters, digits, '-' and '_'",
            "help: names become file and folder names, so they may use only letters, digits, '-' and '_', e.g. \"x\"",
        ]),
        case("absolute path as a name", r#"name = "base""#, r#"name = "/etc/passwd""#, &[
            "bad.toml:2:8",
            "scenario.name:",
            "e.g. \"etc-passwd\"",
        ]),
        case("line name with a slash", r#"name = "shell-line""#, r#"name = "shell/line""#, &[
            "bad.toml:30:8",
            "line[0].name: the line name \"shell/line\" contains characters",
            "e.g. \"shell-line\"",
        ]),
        raw("channel name with a space", with(r#"name = "purl""#, r#"name = "Purl Fund""#).replacen(r#"pays_into = "purl""#, r#"pays_into = "Purl Fund""#, 1), &[
            "bad.toml:23:8",
            "channel[0].name: the channel name \"Purl Fund\" contains characters",
            "e.g. \"purl-fund\"; use label = \"...\" for a display name with spaces",
        ])
        // The reference to the bad name is not reported again.
        .without(&["there is no channel"]),
        case("item name with a space", r#"name = "shell""#, r#"name = "155mm shell""#, &[
            "bad.toml:7:8",
            "item[0].name: the item name \"155mm shell\" contains characters",
            "e.g. \"155mm-shell\"",
            // The references to "shell" are wrong too; the hint says why there is nothing to list.
            "bad.toml:26:8",
            "channel.purl.buy[0].item: there is no item named \"shell\"",
            "help: no [[item]] in this file has a valid name yet; fix the names reported above",
            "4 problems found in bad.toml",
        ])
        .problems(4)
        .without(&["defines no items yet"]),
        case("empty name", r#"name = "donor""#, r#"name = """#, &[
            "bad.toml:12:8",
            "funding[0].name: the funding source name is empty",
            "e.g. \"my-name\"",
        ]),
        case("name starting with a dash", r#"name = "base""#, r#"name = "-base""#, &[
            "bad.toml:2:8",
            "scenario.name: the scenario name \"-base\" must start with a letter or digit",
            "e.g. \"base\"",
        ]),
        case("name too long", r#"name = "base""#, &format!("name = \"{}\"", "a".repeat(70)), &[
            "bad.toml:2:8",
            "scenario.name: the scenario name is 70 characters long; at most 64 are allowed",
            // The suggestion is itself a valid name.
            &*Box::leak(format!("e.g. \"{}\";", "a".repeat(64)).into_boxed_str()),
        ]),
    ]);
}

#[test]
fn funding_channels_and_lines() {
    let tank = "[[item]]\nname = \"tank\"\nunit_cost_usd = 1\ninitial_stock = 0\n\n[[line]]\nname = \"tank-line\"\nitem = \"tank\"\ncapacity = [{ date = 2025-09-01, per_day = 1 }]\n\n[[line]]";
    let mut different_item = with("[[line]]", tank);
    different_item = different_item.replacen("share = 1.0", "share = 1.0\nline = \"tank-line\"", 1);
    check(vec![
        case("pays_into shares below 1", r#"pays_into = "purl""#, "pays_into = { purl = 0.5 }", &[
            "bad.toml:13:13",
            "funding.donor.pays_into: the shares add up to 0.5, not 1",
            "help: make the shares of pays_into sum to 1",
        ]),
        case("pays_into empty", r#"pays_into = "purl""#, "pays_into = {}", &[
            "bad.toml:13:13",
            "funding.donor.pays_into: pays_into is an empty table",
            "help: a channel name (pays_into = \"purl\") or shares",
        ]),
        case("funding without payments", "[[funding.lump_sum]]\ndate = 2025-10-01\namount_usd = 50_000_000\n[[funding.recurring]]\nevery = \"monthly\"\namount_usd = 10_000_000\n", "", &[
            "bad.toml:11:1",
            "funding.donor: funding source \"donor\" has no payments",
            "help: add [[funding.lump_sum]] (date, amount_usd) or [[funding.recurring]] (every, amount_usd)",
        ]),
        case("unknown interval", r#"every = "monthly""#, r#"every = "montly""#, &[
            "bad.toml:19:9",
            "funding.donor.recurring[0].every: \"montly\" is not a known interval",
            "help: did you mean \"monthly\"?",
        ]),
        case("both every and every_days", r#"every = "monthly""#, "every = \"monthly\"\nevery_days = 30", &[
            "bad.toml:20:14",
            "funding.donor.recurring[0].every_days: both every and every_days are given",
            "help: keep one: every = \"monthly\" or every_days = 30",
        ]),
        case("buy shares over 1", "share = 1.0", "share = 0.7\n[[channel.buy]]\nitem = \"shell\"\nshare = 0.6", &[
            "bad.toml:25:1",
            "channel.purl.buy: the shares of the buys add up to 1.3, more than 1",
            "help: make the shares sum to 1 or less",
        ]),
        case("shares mode without share", "share = 1.0\n", "", &[
            "bad.toml:25:1",
            "channel.purl.buy[0]: missing key `share`",
            "help: with allocation = \"shares\" every buy needs share = 0.25",
        ]),
        case("priority mode with share", "order_every_days = 30", "order_every_days = 30\nallocation = \"priority\"", &[
            "bad.toml:28:9",
            "channel.purl.buy[0].share: share is only used with allocation = \"shares\"",
            "help: remove share, or set allocation = \"shares\" on the channel",
        ]),
        case("unknown allocation", "order_every_days = 30", "order_every_days = 30\nallocation = \"prio\"", &[
            "bad.toml:25:14",
            "channel.purl.allocation: \"prio\" is not an allocation rule",
            "help: use \"shares\"",
        ]),
        case("channel buys nothing", "[[channel.buy]]\nitem = \"shell\"\nshare = 1.0\n", "", &[
            "bad.toml:22:1",
            "channel.purl: channel \"purl\" buys nothing",
            "help: add a [[channel.buy]] table with item = \"...\"",
        ]),
        raw("line makes a different item", different_item, &[
            "bad.toml:28:8",
            "channel.purl.buy[0].line: line \"tank-line\" makes \"tank\", not \"shell\"",
            "help: name a line whose item is the one bought",
        ]),
        case("several lines, no line =", "[[consumption]]", "[[line]]\nname = \"shell-line-2\"\nitem = \"shell\"\ncapacity = [{ date = 2025-09-01, per_day = 1 }]\n\n[[consumption]]", &[
            "bad.toml:25:1",
            "channel.purl.buy[0]: several lines make \"shell\": \"shell-line\", \"shell-line-2\"",
            "help: say which one with line = \"...\"",
        ]),
        case("no line makes the bought item", "[[line]]\nname = \"shell-line\"\nitem = \"shell\"\ncapacity = [{ date = 2025-09-01, per_day = 100 }]\n", "", &[
            "bad.toml:26:8",
            "channel.purl.buy[0].item: no production line makes \"shell\"",
            "help: add a [[line]] with item = \"shell\" and a capacity",
        ]),
        case("empty capacity", "capacity = [{ date = 2025-09-01, per_day = 100 }]", "capacity = []", &[
            "bad.toml:32:12",
            "line.shell-line.capacity: capacity has no points",
            "help: e.g. capacity = [{ date = 2025-09-01, per_day = 1 }",
        ]),
        case("capacity point with per_day and per_month", "per_day = 100 }]", "per_day = 100, per_month = 3000 }]", &[
            "bad.toml:32:13",
            "line.shell-line.capacity[0]: give exactly one of per_day, per_month or per_year",
            "help: e.g. { date = 2026-01-01, per_month = 200 }",
        ]),
        case("capacity point without a rate", "capacity = [{ date = 2025-09-01, per_day = 100 }]", "capacity = [{ date = 2025-09-01 }]", &[
            "bad.toml:32:13",
            "line.shell-line.capacity[0]: give exactly one of per_day, per_month or per_year",
        ]),
        case("ramp dates not increasing", "capacity = [{ date = 2025-09-01, per_day = 100 }]", "capacity = [{ date = 2026-01-01, per_day = 100 }, { date = 2025-12-01, per_day = 200 }]", &[
            "bad.toml:32:60",
            "line.shell-line.capacity[1].date: ramp dates must increase; 2025-12-01 is not after the previous point",
            "help: list capacity points in date order",
        ]),
        case("ramp date with a time", "capacity = [{ date = 2025-09-01, per_day = 100 }]", "capacity = [{ date = 2025-09-01T10:00:00, per_day = 100 }]", &[
            "bad.toml:32:22",
            "line.shell-line.capacity[0].date: 2025-09-01T10:00:00 has a time of day",
        ]),
    ]);
}

#[test]
fn the_scenario_header() {
    check(vec![
        raw("empty file", "", &["bad.toml: error", "(top level): the file is empty", "help: a scenario needs at least a [scenario] table"]),
        raw("whitespace only", "  \n\t\n   \n", &["bad.toml: error", "the file is empty"]),
        raw("comments only", "# a scenario\n# to be written\n", &[
            "bad.toml:1:1",
            "missing key `scenario`",
            "help: start the file with a [scenario] table",
            "the scenario has no items",
        ])
        .problems(2),
        raw("no items", "[scenario]\nname = \"a\"\nstart = 2025-09-01\nhorizon_days = 10\n", &[
            "bad.toml: error",
            "the scenario has no items",
            "help: add at least one [[item]] table with name, unit_cost_usd and initial_stock",
        ]),
        case("format 2", "[scenario]", "[scenario]\nformat = 2", &[
            "bad.toml:2:10",
            "scenario.format: format 2 is not supported; this version reads format 1",
            "help: set format = 1 or remove the key",
        ]),
        case("horizon_days and end", "horizon_days = 365", "horizon_days = 365\nend = 2026-09-01", &[
            "bad.toml:5:7",
            "scenario.end: both horizon_days and end are given",
            "help: keep one of them",
        ]),
        case("end before start", "horizon_days = 365", "end = 2025-01-01", &[
            "bad.toml:4:7",
            "scenario.end: end (2025-01-01) must be after start (2025-09-01)",
            "help: end is the last simulated date; set it after start",
        ]),
        case("end beyond 100 years", "horizon_days = 365", "end = 2300-01-01", &[
            "bad.toml:4:7",
            "scenario.end: the horizon from 2025-09-01 to 2300-01-01 is 100198 days; at most 36525 (100 years) are allowed",
            "help: move end closer to start",
        ]),
        case("runs = 0", "horizon_days = 365", "horizon_days = 365\nruns = 0", &[
            "bad.toml:5:8",
            "scenario.runs: runs must be between 1 and 1000000000, got 0",
            "help: 1,000 runs give percentiles good to about ±1%",
        ]),
        case("runs = 10^12", "horizon_days = 365", "horizon_days = 365\nruns = 1_000_000_000_000", &[
            "bad.toml:5:8",
            "scenario.runs: runs must be between 1 and 1000000000, got 1000000000000",
        ]),
        case("negative seed", "horizon_days = 365", "horizon_days = 365\nseed = -1", &[
            "bad.toml:5:8",
            "scenario.seed: seed must be a whole number ≥ 0, got -1",
        ]),
        case("title too long", "horizon_days = 365", &format!("horizon_days = 365\ntitle = \"{}\"", "t".repeat(201)), &[
            "bad.toml:5:9",
            "scenario.title: title is longer than 200 characters",
            "help: keep titles short",
        ]),
    ]);
}

#[test]
fn rendering_survives_odd_text() {
    // A tab before the value: the caret must still sit under the value.
    let msg = err(&with("unit_cost_usd = 4000", "unit_cost_usd =\t\t-1"));
    assert!(msg.contains("bad.toml:8:18"), "{msg}");
    let lines: Vec<&str> = msg.lines().collect();
    let src = lines
        .iter()
        .position(|l| l.contains("unit_cost_usd ="))
        .expect(&msg);
    let value_at = lines[src].find("-1").expect(&msg);
    let caret_at = lines[src + 1].find('^').expect(&msg);
    assert_eq!(value_at, caret_at, "caret misplaced:\n{msg}");

    // An error at the very end of a file without a final newline.
    assert_err(
        "[scenario]\nname =",
        &[
            "bad.toml:2:",
            "scenario.name:",
            "the TOML is incomplete or malformed here",
        ],
    );
    // A byte-order mark does not shift the position.
    assert_err(
        &format!(
            "\u{feff}{}",
            with("unit_cost_usd = 4000", "unit_cost_usd = -1")
        ),
        &[
            "bad.toml:8:17",
            "item.shell.unit_cost_usd: -1 is out of range",
        ],
    );
    // Several problems are all reported, in order, with a count.
    let msg = err(
        &with("unit_cost_usd = 4000", "unit_cost_usd = -1").replacen(
            "payment_probability = 0.9",
            "payment_probability = 2",
            1,
        ),
    );
    let a = msg.find("bad.toml:8:17").expect(&msg);
    let b = msg.find("bad.toml:14:23").expect(&msg);
    assert!(
        a < b && msg.ends_with("2 problems found in bad.toml"),
        "{msg}"
    );
}

#[test]
fn files_that_cannot_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let shown = |e: LoadError| format!("{e}");

    // Missing file.
    let missing = dir.path().join("nope.toml");
    let msg = shown(scenario::load(&missing).unwrap_err());
    assert!(
        msg.contains(&format!(
            "could not read the scenario file {}: no such file",
            missing.display()
        )),
        "{msg}"
    );
    assert!(
        msg.contains("help: check the path; bundled scenarios are in the scenarios/ folder"),
        "{msg}"
    );

    // A folder.
    let msg = shown(scenario::load(dir.path()).unwrap_err());
    assert!(
        msg.contains(&format!(
            "{}: this is a folder, not a file",
            dir.path().display()
        )),
        "{msg}"
    );
    assert!(
        msg.contains("help: give the path of a .toml scenario file inside it"),
        "{msg}"
    );

    // Over the size limit.
    let huge = dir.path().join("huge.toml");
    let mut text = String::from(BASE);
    while (text.len() as u64) <= scenario::MAX_FILE_BYTES {
        text.push_str(
            "# padding padding padding padding padding padding padding padding padding\n",
        );
    }
    std::fs::write(&huge, &text).unwrap();
    let msg = shown(scenario::load(&huge).unwrap_err());
    assert!(
        msg.contains(&format!(
            "{}: the file is {} bytes; a scenario file may be at most 4194304 bytes",
            huge.display(),
            text.len()
        )),
        "{msg}"
    );
    assert!(
        msg.contains("help: is this really a scenario file?"),
        "{msg}"
    );

    // Not UTF-8: Latin-1 "é" on line 7, column 13.
    let latin1 = dir.path().join("latin1.toml");
    let mut bytes = with(r#"name = "shell""#, "name = \"shell\"\nlabel = \"obus X\"").into_bytes();
    let x = bytes.iter().position(|&b| b == b'X').unwrap();
    bytes[x] = 0xE9;
    std::fs::write(&latin1, &bytes).unwrap();
    let msg = shown(scenario::load(&latin1).unwrap_err());
    assert!(
        msg.contains(&format!(
            "{}:8:15: the file is not UTF-8 text (invalid byte at offset {x})",
            latin1.display()
        )),
        "{msg}"
    );
    assert!(
        msg.contains("help: scenario files are TOML text; save the file as UTF-8"),
        "{msg}"
    );

    // A device that never ends is refused, not read forever.
    #[cfg(unix)]
    {
        let msg = shown(scenario::load(Path::new("/dev/zero")).unwrap_err());
        assert!(
            msg.contains("/dev/zero") && msg.contains("longer than 4194304 bytes"),
            "{msg}"
        );
    }

    // A readable file with a mistake names the real path with line:column.
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, with("initial_stock = 1000", "initial_stock = -1")).unwrap();
    let msg = shown(scenario::load(&bad).unwrap_err());
    assert!(
        msg.contains(&format!("{}:9:17", bad.display()))
            && msg.contains("item.shell.initial_stock"),
        "{msg}"
    );
}

#[test]
fn funding_that_could_overflow_exact_cents_is_refused() {
    let toml = r#"
[scenario]
name = "overflow"
start = 2025-01-01
horizon_days = 36000

[[item]]
name = "x"
unit_cost_usd = 1
initial_stock = 0

[[channel]]
name = "c"
order_every_days = 30
[[channel.buy]]
item = "x"
share = 1.0

[[line]]
name = "l"
item = "x"
capacity = [{ date = 2025-01-01, per_day = 1 }]

[[funding]]
name = "f"
pays_into = "c"
[[funding.recurring]]
every_days = 1
amount_usd = { dist = "lognormal", median = 1e12, p90 = 5e12 }
"#;
    let e = porcupine::scenario::from_str(toml, std::path::Path::new("bad.toml"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("funding: all installments together could reach"),
        "{e}"
    );
    assert!(e.contains("help: use fewer installments"), "{e}");
}

#[test]
fn every_problem_of_a_file_is_reported_in_one_pass() {
    // Three wrong types: three problems, in file order.
    let text = with("unit_cost_usd = 4000", "unit_cost_usd = \"4000\"")
        .replacen("initial_stock = 1000", "initial_stock = 1.5", 1)
        .replacen("order_every_days = 30", "order_every_days = \"30\"", 1);
    let e = scenario::from_str(&text, Path::new("bad.toml")).unwrap_err();
    let paths: Vec<String> = e.problems().iter().map(|p| p.path.to_string()).collect();
    assert_eq!(
        paths,
        [
            "item.shell.unit_cost_usd",
            "item.shell.initial_stock",
            "channel.purl.order_every_days"
        ]
    );
    assert!(e.to_string().ends_with("3 problems found in bad.toml"));
}

/// A file with 999 each of items, funding sources, channels and lines, every one with a
/// wrong-type value, and four more in the header: 4,000 problems, all reported in one pass.
/// (Time it with `porcupine validate` on such a file: well under a second.)
#[test]
fn four_thousand_bad_tables_are_all_reported() {
    let mut text = String::from(
        "[scenario]\nname = \"many\"\nstart = 2025-09-01\nhorizon_days = 365\n\
         seed = \"x\"\nruns = \"x\"\ntitle = 5\ndescription = 5\n",
    );
    for i in 0..999 {
        text.push_str(&format!(
            "\n[[item]]\nname = \"i{i}\"\nunit_cost_usd = \"a\"\ninitial_stock = 1\n\
             \n[[funding]]\nname = \"f{i}\"\npays_into = \"c0\"\npayment_probability = \"x\"\n\
             [[funding.lump_sum]]\ndate = 2025-10-01\namount_usd = 1\n\
             \n[[channel]]\nname = \"c{i}\"\norder_every_days = \"x\"\n[[channel.buy]]\nitem = \"i0\"\nline = \"l0\"\nshare = 0.5\n\
             \n[[line]]\nname = \"l{i}\"\nitem = \"i0\"\ncapacity = \"x\"\n"
        ));
    }
    let started = std::time::Instant::now();
    let e = scenario::from_str(&text, Path::new("bad.toml")).unwrap_err();
    let elapsed = started.elapsed();
    let shown = e.to_string();
    assert_eq!(
        e.problems().len(),
        4000,
        "{}",
        shown.lines().take(40).collect::<Vec<_>>().join("\n")
    );
    assert!(shown.ends_with("4000 problems found in bad.toml"));
    // Generous sanity bound only (busy machines); the measurement is the command above.
    assert!(elapsed.as_secs() < 30, "{elapsed:?}");
}

#[test]
fn case_colliding_and_reserved_names() {
    let second_item = |name: &str| {
        with(
            "[[funding]]",
            &format!(
                "[[item]]\nname = \"{name}\"\nunit_cost_usd = 1\ninitial_stock = 0\n\n[[funding]]"
            ),
        )
    };
    check(vec![
        raw("names differing only by case", second_item("Shell"), &[
            "bad.toml:12:8",
            "item.Shell.name: the name \"Shell\" differs only by case from \"shell\" (item.shell)",
            "help: names become file names, and macOS and Windows do not tell upper from lower case",
        ]),
        raw("reserved device name", second_item("NUL"), &[
            "bad.toml:12:8",
            "item.NUL.name: the item name \"NUL\" is a device name that Windows reserves",
            "help: con, nul, aux, prn, com1–com9 and lpt1–lpt9 cannot be file names on Windows",
        ]),
        case("reserved scenario name", r#"name = "base""#, r#"name = "com1""#, &[
            "bad.toml:2:8",
            "scenario.name: the scenario name \"com1\" is a device name that Windows reserves",
            "e.g. \"com1-1\"",
        ]),
    ]);
}

#[test]
fn control_characters_from_the_file_are_shown_escaped() {
    // A TOML escape puts ESC into a name that the error then shows.
    let text = with("initial_stock = 1000", "initial_stock = -1").replacen(
        "[[funding]]",
        "[[item]]\nname = \"a\\u001b[2Jb\"\nunit_cost_usd = 1\ninitial_stock = 0\n\n[[funding]]",
        1,
    );
    let msg = err(&text);
    assert!(!msg.chars().any(|c| c.is_control() && c != '\n'), "{msg:?}");
    assert!(
        msg.contains("item[1].name: the item name \"a\\u{1b}[2Jb\" contains characters"),
        "{msg}"
    );
    assert!(
        msg.contains("item.shell.initial_stock: -1 is out of range"),
        "{msg}"
    );
    // A raw control character in the source line is shown escaped too.
    let msg = err(&with(r#"name = "shell""#, "name = \"a\u{1b}[2Jb\""));
    assert!(!msg.chars().any(|c| c.is_control() && c != '\n'), "{msg:?}");
    assert!(msg.contains("name = \"a\\u{1b}[2Jb\""), "{msg}");
}

#[test]
fn plausibility_warnings_and_deny_warnings() {
    let text = with("per_day = 100 }]", "per_day = 100 }]\ntransit_loss = 1").replacen(
        "amount_usd = 50_000_000",
        "amount_usd = 1250",
        1,
    );
    let loaded = scenario::check_str(&text, Path::new("w.toml")).expect("warnings are not errors");
    let shown = loaded.render_warnings(Path::new("w.toml"), &text);
    for expected in [
        "w.toml:17:14: warning",
        "funding.donor.lump_sum[0].amount_usd: an installment of $1250 cannot buy one unit of the cheapest item ($4000)",
        "help: amount_usd is in US dollars, not millions: for 1250 million write 1.25e9",
        "w.toml:33:16: warning",
        "line.shell-line.transit_loss: transit_loss = 1 loses every unit shipped",
        "2 warnings found in w.toml",
    ] {
        assert!(shown.contains(expected), "{expected:?} in:\n{shown}");
    }
    let denied = loaded
        .deny_warnings(true, Path::new("w.toml"), &text)
        .unwrap_err()
        .to_string();
    assert!(denied.contains("w.toml:33:16: error"), "{denied}");
    assert!(
        denied.contains("refused because of --deny-warnings"),
        "{denied}"
    );
    // Without the flag the scenario is used as written.
    let s = scenario::check_str(&text, Path::new("w.toml"))
        .unwrap()
        .deny_warnings(false, Path::new("w.toml"), &text)
        .unwrap();
    assert_eq!(s.lines[0].transit_loss, 1.0);
    // A per-day figure that reads as per-year.
    let text = with(
        "per_day = 100 }]",
        "per_day = 100 }, { date = 2026-01-01, per_day = 6200 }]",
    );
    let loaded = scenario::check_str(&text, Path::new("w.toml")).unwrap();
    let shown = loaded.render_warnings(Path::new("w.toml"), &text);
    assert!(shown.contains("line.shell-line.capacity[1].per_day: per_day = 6200 is 62 times the line's other capacity points (100 a day)"), "{shown}");
    assert!(shown.contains("write per_year = 6200"), "{shown}");
    // The bundled scenarios have none.
    for f in ["scenarios/baseline.toml", "scenarios/bench-canonical.toml"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(f);
        let text = std::fs::read_to_string(&path).unwrap();
        let l = scenario::check_str(&text, &path).unwrap();
        assert!(
            l.warnings.is_empty(),
            "{f}: {}",
            l.render_warnings(&path, &text)
        );
    }
}

#[test]
fn demand_the_samplers_cannot_draw_is_refused() {
    let periods = (0..5)
        .map(|_| "[[consumption.period]]\nfrom = 2025-10-01\nto = 2025-12-01\nmultiplier = 1000\n")
        .collect::<String>();
    let msg = err(&with("mean = 50 }", &format!("mean = 50 }}\n{periods}")));
    assert!(
        msg.contains("consumption.shell.daily: daily use could reach 5e16 units a day"),
        "{msg}"
    );
    assert!(
        msg.contains("help: overlapping [[consumption.period]] multipliers multiply"),
        "{msg}"
    );
    let msg = err(&with(
        "daily = { dist = \"poisson\", mean = 50 }",
        "daily = { dist = \"negative_binomial\", mean = 1e9, shape = 0.000001 }\n[[consumption.period]]\nfrom = 2025-10-01\nto = 2025-12-01\nmultiplier = 2",
    ));
    assert!(
        msg.contains("mean / shape reaches 1e15") || msg.contains("bursts that large"),
        "{msg}"
    );
}

#[test]
fn sub_cent_unit_costs_are_refused() {
    assert_err(
        &with("unit_cost_usd = 4000", "unit_cost_usd = 1.005"),
        &[
            "bad.toml:8:17",
            "item.shell.unit_cost_usd: 1.005 US dollars is not a whole number of cents",
            "help: money is counted in whole cents",
        ],
    );
}

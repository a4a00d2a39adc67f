//! One reading of the format: where docs/scenario-format.md could be read two ways, the docs say
//! which reading porcupine follows, and each such place is pinned here.

use porcupine::sampling::Dist;
use porcupine::scenario;
use std::path::Path;

use crate::util::{records, scenario};

const BASE: &str = r#"[scenario]
name = "readings"
start = 2025-09-01
horizon_days = 365

[[item]]
name = "shell"
unit_cost_usd = 4000
initial_stock = 1000

[[funding]]
name = "donor"
pays_into = "purl"
DELAY
[[funding.lump_sum]]
date = 2025-10-01
amount_usd = 50_000_000

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
"#;

fn delay(spec: &str) -> Dist {
    let text = BASE.replace("DELAY", spec);
    let s = scenario::from_str(&text, Path::new("r.toml")).unwrap_or_else(|e| panic!("{e}"));
    s.funding[0].delay.clone()
}

/// Reading 11: a normal is truncated to its own min/max when given, otherwise to the range the
/// key allows (0 to 3,650 days for a delay); min and max must themselves lie in that range.
#[test]
fn normal_is_truncated_to_min_max_else_to_the_keys_range() {
    match delay("payment_delay_days = { dist = \"normal\", mean = 10, sd = 5 }") {
        Dist::Normal(t) => assert_eq!(t.bounds(), (0.0, 3650.0)),
        d => panic!("{d:?}"),
    }
    match delay("payment_delay_days = { dist = \"normal\", mean = 10, sd = 5, min = 2, max = 20 }")
    {
        Dist::Normal(t) => assert_eq!(t.bounds(), (2.0, 20.0)),
        d => panic!("{d:?}"),
    }
    let text = BASE.replace(
        "DELAY",
        "payment_delay_days = { dist = \"normal\", mean = 10, sd = 5, min = -5 }",
    );
    let e = scenario::from_str(&text, Path::new("r.toml"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("funding.donor.payment_delay_days.min: -5 is out of range: expected days between 0 and 3650"),
        "{e}"
    );
}

/// A one-item scenario with a line, a channel that orders on day 1 and a donor; `EXTRA` lines
/// are appended, and the placeholders are replaced by each test.
const SMALL: &str = r#"[scenario]
name = "readings"
start = 2025-01-01
horizon_days = HORIZON

[[item]]
name = "shell"
unit_cost_usd = 1
initial_stock = INITIAL
safe_stock = SAFE

[[funding]]
name = "donor"
pays_into = "buy"
[[funding.lump_sum]]
date = 2025-01-01
amount_usd = 1_000_000

[[channel]]
name = "buy"
order_every_days = 1000
first_order = 2025-01-01
[[channel.buy]]
item = "shell"
share = 1.0
max_units_per_order = ORDER

[[line]]
name = "factory"
item = "shell"
LINE
"#;

fn small(horizon: u32, initial: u64, order: u64, line: &str, extra: &str) -> String {
    SMALL
        .replace("HORIZON", &horizon.to_string())
        .replace("INITIAL", &initial.to_string())
        .replace("SAFE", "0")
        .replace("ORDER", &order.to_string())
        .replace("LINE", line)
        + extra
}

/// Units delivered by the end of each day 1..=horizon (stock minus the initial stock when
/// nothing is used).
fn cumulative(text: &str) -> Vec<u64> {
    let s = scenario(text);
    let rec = &records(&s, 1, 0..1)[0];
    let init = s.items[0].initial_stock;
    rec.stock_of(0, s.days())[1..]
        .iter()
        .map(|&v| v - init)
        .collect()
}

/// Reading 1: day d's capacity is the ramp's value at day d itself (not at d − 1, nor mid-day):
/// a ramp from 0 a day on day 0 to 10 a day on day 10 makes 1, 2, …, 10 units on days 1–10,
/// so 1, 3, 6, …, 55 in all.
#[test]
fn ramp_uses_the_value_on_the_day_itself() {
    let line =
        "capacity = [{ date = 2025-01-01, per_day = 0 }, { date = 2025-01-11, per_day = 10 }]";
    let got = cumulative(&small(12, 0, 1000, line, ""));
    let want: Vec<u64> = (1..=12u64)
        .map(|d| (1..=d.min(10)).sum::<u64>() + 10 * d.saturating_sub(10))
        .collect();
    assert_eq!(got, want);
    assert_eq!(got[9], 55);
}

/// Reading 2: a negative slip that would move a point to or before the point in front of it
/// puts it just after that point (a billionth of a day later): the climb becomes a step, and
/// the line works at the moved point's rate from day 1.
#[test]
fn a_negative_slip_past_the_previous_point_is_a_step_on_day_one() {
    let line = "ramp_slip_days = -100\ncapacity = [{ date = 2025-01-01, per_day = 1 }, { date = 2025-02-20, per_day = 10 }]";
    let got = cumulative(&small(5, 0, 1000, line, ""));
    assert_eq!(got, [10, 20, 30, 40, 50]);
}

/// Reading 3: a drawn amount of money is rounded to the nearest cent, halves away from zero
/// ($10.125 → $10.13).
#[test]
fn drawn_amounts_round_half_cents_up() {
    let text = BASE.replace("DELAY", "").replace(
        "amount_usd = 50_000_000",
        "amount_usd = { dist = \"uniform\", min = 10.125, max = 10.125 }",
    );
    let s = scenario::from_str(&text, Path::new("r.toml")).unwrap_or_else(|e| panic!("{e}"));
    let rec = &records(&s, 1, 0..1)[0];
    assert_eq!(rec.funding[0].paid, 1013);
}

/// Reading 4: the cents left over by a split go to the channel whose name sorts last in byte
/// order (upper case before lower case), even when its share is 0.
#[test]
fn left_over_cents_go_to_the_last_name_in_byte_order_even_with_share_zero() {
    let text = r#"[scenario]
name = "cents"
start = 2025-01-01
horizon_days = 3

[[item]]
name = "shell"
unit_cost_usd = 1000000
initial_stock = 0

[[funding]]
name = "donor"
pays_into = { Zulu = 0.5, alpha = 0.5, beta = 0.0 }
[[funding.lump_sum]]
date = 2025-01-01
amount_usd = 0.03

[[channel]]
name = "alpha"
order_every_days = 1
[[channel.buy]]
item = "shell"
share = 1.0

[[channel]]
name = "beta"
order_every_days = 1
[[channel.buy]]
item = "shell"
share = 1.0

[[channel]]
name = "Zulu"
order_every_days = 1
[[channel.buy]]
item = "shell"
share = 1.0

[[line]]
name = "factory"
item = "shell"
capacity = [{ date = 2025-01-01, per_day = 1 }]
"#;
    let s = scenario(text);
    let rec = &records(&s, 1, 0..1)[0];
    let received = |name: &str| {
        let c = s.channels.iter().position(|c| c.name == name).unwrap();
        rec.channels[c].received
    };
    // 3 cents: Zulu and alpha get floor(1.5) = 1 each; "beta" sorts last in byte order
    // ('Z' < 'a' < 'b') and takes the cent left over although its share is 0.
    assert_eq!(
        (received("Zulu"), received("alpha"), received("beta")),
        (1, 1, 1)
    );
}

/// Reading 5: days below safe stock count the start day (day 0), whose report shows the
/// initial stock: a stock always below its safe level over a 30-day horizon counts 31 days.
#[test]
fn days_below_safe_stock_count_day_zero() {
    let text = small(
        30,
        5,
        0,
        "capacity = [{ date = 2025-01-01, per_day = 1 }]",
        "",
    )
    .replace("safe_stock = 0", "safe_stock = 10")
    .replace("max_units_per_order = 0\n", "max_units_per_order = 1\n")
    .replace("amount_usd = 1_000_000", "amount_usd = 0.5");
    let s = scenario(&text);
    let rec = &records(&s, 1, 0..1)[0];
    assert_eq!(rec.items[0].days_below_safe, 31);
    assert_eq!(rec.items[0].first_below_safe, Some(0));
}

/// Reading 6: an item's *ordered* counts units when the order is placed (paid for), and the
/// line's backlog as reported includes orders whose contract has not started yet (pending).
#[test]
fn ordered_counts_at_order_time_and_pending_contracts_are_backlog() {
    let text = small(
        10,
        0,
        30,
        "capacity = [{ date = 2025-01-01, per_day = 1 }]",
        "",
    )
    .replace(
        "max_units_per_order = 30\n",
        "max_units_per_order = 30\ncontract_delay_days = 5\n",
    );
    let s = scenario(&text);
    let rec = &records(&s, 1, 0..1)[0];
    assert_eq!(rec.items[0].ordered, 30);
    let l = &rec.lines[0];
    // Contract starts on day 5 (ordered on day 0): days 5–10 make 6 units.
    assert_eq!(l.produced, 6);
    assert_eq!(l.backlog + l.pending, 24);
}

/// Reading 7: in a period, a fixed daily use is multiplied before the fractional carry: 0.5 a
/// day × 1.5 is 0.75 a day, so 4 days use 3 units (not 0, 1, 0, 1 units times 1.5).
#[test]
fn period_multiplier_applies_before_the_carry() {
    let extra = r#"
[[consumption]]
item = "shell"
daily = 0.5
[[consumption.period]]
from = 2025-01-02
to = 2025-01-05
multiplier = 1.5
"#;
    let text = small(
        4,
        100,
        0,
        "capacity = [{ date = 2025-01-01, per_day = 0 }]",
        extra,
    )
    .replace("max_units_per_order = 0\n", "max_units_per_order = 1\n")
    .replace("amount_usd = 1_000_000", "amount_usd = 0.5");
    let s = scenario(&text);
    let rec = &records(&s, 1, 0..1)[0];
    assert_eq!(rec.stock_of(0, s.days()), [100, 100, 99, 98, 97]);
    assert_eq!(rec.items[0].consumed, 3);
}

/// Readings 8 and 9: *produced* counts good units only (produced = delivered + in transit +
/// lost), and the daily cap of "units ordered and not yet made" applies to every unit made,
/// rejected ones included: a 10-a-day line with 5 units on order and a 50% defect rate makes 5
/// units on day 1, of which about half are good.
#[test]
fn produced_is_good_units_and_the_cap_counts_rejected_units() {
    let text = small(
        1,
        0,
        5,
        "capacity = [{ date = 2025-01-01, per_day = 10 }]\ndefect_rate = 0.5",
        "",
    );
    let s = scenario(&text);
    let recs = records(&s, 3, 0..400);
    let mut good = 0;
    for rec in &recs {
        let l = &rec.lines[0];
        assert_eq!(
            l.produced + l.defective,
            5,
            "five units made on day 1, whatever their quality"
        );
        assert_eq!(l.produced, l.delivered + l.in_transit + l.lost);
        good += l.produced;
    }
    // Binomial(5, 0.5) per future: mean 2.5 (if the cap counted good units only, it would be
    // about 5). 400 futures: standard error 0.056.
    let mean = good as f64 / 400.0;
    assert!((mean - 2.5).abs() < 0.3, "{mean}");
}

/// Reading 10: on a first-in, first-out shared line, an order's place in the queue is the day
/// its contract starts (it joins the line then), not the day it was placed: orders other buyers
/// placed between the two are served first.
#[test]
fn fifo_queues_by_the_day_a_contract_starts() {
    let extra = r#"
[[line.customer]]
name = "others"
units_per_year = 7305
"#;
    // Our 10 units are ordered on day 0 and join the line on day 5; the line makes 10 a day and
    // the other buyer orders 20 a day (7,305 a year), so by day 5 its orders of days 3 and 4
    // (40 units) are still waiting and go first: ours are made on day 9.
    let line = "queue = \"fifo\"\ncapacity = [{ date = 2025-01-01, per_day = 10 }]";
    let text = small(12, 0, 10, line, extra).replace(
        "max_units_per_order = 10\n",
        "max_units_per_order = 10\ncontract_delay_days = 5\n",
    );
    let s = scenario(&text);
    let rec = &records(&s, 1, 0..1)[0];
    let stock = rec.stock_of(0, s.days());
    assert_eq!(stock[8], 0, "{stock:?}");
    assert_eq!(stock[9], 10, "{stock:?}");
}

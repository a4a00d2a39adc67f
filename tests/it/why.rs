//! "Why, in words": small scenarios built so that each constraint binds, and the sentence that
//! names it (the rule is in docs/outputs.md).

use crate::util::{experiment, scenario};
use porcupine::analysis::why::Binding;
use porcupine::report::{self, Metadata};

/// One item bought with one lump sum from one line, used 5 a day for a year.
fn case(
    initial: u64,
    usd: u64,
    per_day: u32,
    lag: u32,
    extra_line: &str,
    extra_buy: &str,
) -> String {
    format!(
        r#"
[scenario]
name = "why"
start = 2026-01-01
end = 2026-12-31

[[item]]
name = "shell"
unit_cost_usd = 1000
initial_stock = {initial}

[[funding]]
name = "donor"
pays_into = "buyer"
[[funding.lump_sum]]
date = 2026-01-01
amount_usd = {usd}

[[channel]]
name = "buyer"
order_every_days = 30
first_order = 2026-01-01
[[channel.buy]]
item = "shell"
share = 1.0
{extra_buy}

[[line]]
name = "factory"
item = "shell"
capacity = [{{ date = 2026-01-01, per_day = {per_day} }}]
delivery_lag_days = {lag}
{extra_line}

[[consumption]]
item = "shell"
daily = 5
"#
    )
}

fn why(text: &str) -> (Binding, String) {
    let s = scenario(text);
    let acc = experiment(&s, 4, 1, 2);
    let r = report::prepare(
        &s,
        &acc,
        Metadata {
            version: "t".into(),
            seed: 1,
            runs: 4,
            scenario_file: "why.toml".into(),
            scenario_hash: "abc".into(),
            percentile_method: report::percentile_method(),
            reproduce: String::new(),
        },
    );
    let w = &r.summary.items[0].why;
    (w.binding, w.sentence.clone())
}

#[test]
fn little_money_binds_money() {
    // $100,000 buys 100 units on day 0, all delivered on day 1; 364 × 5 − 100 more are wanted.
    let (b, text) = why(&case(0, 100_000, 100, 0, "", ""));
    assert_eq!(b, Binding::Money, "{text}");
    assert!(
        text.starts_with("ordered 100, delivered 100, unmet demand 1,720: money limits orders"),
        "{text}"
    );
}

#[test]
fn a_slow_line_binds_capacity_and_a_shared_one_our_share() {
    // A billion dollars orders a million units; the line makes 1 a day.
    let (b, text) = why(&case(0, 1_000_000_000, 1, 0, "", ""));
    assert_eq!(b, Binding::Capacity, "{text}");
    assert!(
        text.starts_with("ordered 1,000,000, delivered 364: the line's capacity limits deliveries"),
        "{text}"
    );
    let (b, text) = why(&case(
        0,
        1_000_000_000,
        2,
        0,
        "other_customers_share = 0.5",
        "",
    ));
    assert_eq!(b, Binding::Share, "{text}");
    assert!(
        text.contains("the shared line's share limits deliveries"),
        "{text}"
    );
}

#[test]
fn a_long_lag_binds_lags() {
    // 2,000 units made in two days, then 400 days on the way: none arrive within the year.
    let (b, text) = why(&case(0, 2_000_000, 1000, 400, "", ""));
    assert_eq!(b, Binding::Lags, "{text}");
    assert!(text.starts_with("ordered 2,000, delivered 0: delivery lags hold the orders, 2,000 in transit at the end"), "{text}");
}

#[test]
fn a_full_store_binds_demand() {
    let (b, text) = why(&case(10_000, 100_000, 100, 0, "", ""));
    assert_eq!(b, Binding::Demand, "{text}");
    assert!(
        text.contains("unmet demand 0.0: stock covered use"),
        "{text}"
    );
}

#[test]
fn a_cap_on_orders_binds_the_buying_rules() {
    // One unit an order, 13 orders; nearly ten million dollars wait.
    let (b, text) = why(&case(0, 10_000_000, 100, 0, "", "max_units_per_order = 1"));
    assert_eq!(b, Binding::BuyingRules, "{text}");
    assert!(text.contains("not money ($"), "{text}");
}

#[test]
fn an_item_fired_when_available_is_bound_by_supply_never_by_demand() {
    let fired = |text: String| text.replace("daily = 5", "use = \"available\"\nmax_daily = 5");
    // Everything bought arrives and is fired: money limits it, not demand.
    let (b, text) = why(&fired(case(0, 100_000, 100, 0, "", "")));
    assert_eq!(b, Binding::Money, "{text}");
    assert!(
        text.starts_with(
            "ordered 100, delivered 100, all of it fired when available: money limits orders"
        ),
        "{text}"
    );
    // A slow line: its capacity limits it.
    let (b, text) = why(&fired(case(0, 1_000_000_000, 1, 0, "", "")));
    assert_eq!(b, Binding::Capacity, "{text}");
}

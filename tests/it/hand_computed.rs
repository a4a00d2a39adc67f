//! A deterministic scenario whose every number is computed by hand below.

use crate::util::{experiment, records, scenario};

/// Day 0 = 2025-01-01. $1,000 arrive on day 0; the channel orders every 2 days from day 2 and buys
/// 10 shells at $100; the line makes 3 a day; shipments take 1 day; 2 shells are used a day.
///
/// | day | event                                   | stock |
/// |-----|-----------------------------------------|-------|
/// | 0   | start                                   | 10    |
/// | 1   | use 2 (line idle: no orders)            | 8     |
/// | 2   | order 10 ($1,000), make 3, use 2        | 6     |
/// | 3   | +3 arrive, make 3, use 2                | 7     |
/// | 4   | +3, make 3, use 2                       | 8     |
/// | 5   | +3, make the last 1, use 2              | 9     |
/// | 6   | +1, use 2                               | 8     |
/// | 7-9 | use 2 a day                             | 6,4,2 |
/// | 10  | use 2                                   | 0     |
/// | 11-12 | want 2, have 0: 2 unmet each day      | 0,0   |
const HAND: &str = r#"
[scenario]
name = "hand"
start = 2025-01-01
horizon_days = 12

[[item]]
name = "shell"
unit_cost_usd = 100
initial_stock = 10
safe_stock = 5

[[funding]]
name = "gov"
pays_into = "buy"
[[funding.lump_sum]]
date = 2025-01-01
amount_usd = 1000

[[channel]]
name = "buy"
order_every_days = 2
[[channel.buy]]
item = "shell"
share = 1.0

[[line]]
name = "factory"
item = "shell"
capacity = [{ date = 2025-01-01, per_day = 3 }]
delivery_lag_days = 1

[[consumption]]
item = "shell"
daily = 2
"#;

const EXPECTED: [u64; 13] = [10, 8, 6, 7, 8, 9, 8, 6, 4, 2, 0, 0, 0];

#[test]
fn stock_path_matches_hand_computation() {
    let s = scenario(HAND);
    for rec in records(&s, 7, 0..3) {
        assert_eq!(rec.stock_of(0, s.days()), EXPECTED);
        let it = &rec.items[0];
        assert_eq!(it.ordered, 10);
        assert_eq!(it.delivered, 10);
        assert_eq!(it.consumed, 20);
        assert_eq!(it.demand, 24);
        assert_eq!(it.unmet, 4);
        assert_eq!(it.days_short, 2);
        assert_eq!(it.end_stock, 0);
        assert_eq!(it.first_below_safe, Some(8));
        assert_eq!(it.days_below_safe, 5);
        assert_eq!(rec.channels[0].spent, 100_000);
        assert_eq!(rec.channels[0].balance, 0);
        assert_eq!(rec.funding[0].paid, 100_000);
        assert_eq!(rec.spent[2], 100_000);
        assert!(rec.conservation_violations(&s).is_empty());
    }
}

#[test]
fn statistics_of_a_certain_future_are_exact() {
    let s = scenario(HAND);
    let acc = experiment(&s, 17, 1, 2);
    for (d, &want) in EXPECTED.iter().enumerate() {
        let cell = &acc.daily[d];
        assert_eq!(cell.moments.mean(), want as f64);
        assert_eq!(cell.moments.sd(), 0.0);
        assert_eq!(cell.hist.quantiles([0.05, 0.5, 0.95]), [want as f64; 3]);
        assert_eq!(cell.below_safe, if want < 5 { 17 } else { 0 });
        assert_eq!(cell.zero, if want == 0 { 17 } else { 0 });
    }
    assert_eq!(acc.items[0].first_below_safe[8], 17);
    assert_eq!(acc.items[0].runs_short, 17);
}

#[test]
fn priority_allocation_and_caps() {
    // $1,000 in the pool; priority buys at most 3 "a" ($150 each) then "b" ($200) with the rest:
    // 3 × 150 = 450, then floor(550 / 200) = 2 "b" = 400, leaving $150 for the next order.
    let toml = HAND.replace(
        "[[channel.buy]]\nitem = \"shell\"\nshare = 1.0",
        "allocation = \"priority\"\n[[channel.buy]]\nitem = \"a\"\nmax_units_per_order = 3\n[[channel.buy]]\nitem = \"b\"",
    )
    .replace("order_every_days = 2", "order_every_days = 100\nfirst_order = 2025-01-02")
    .replace(
        "[[line]]",
        "[[item]]\nname = \"a\"\nunit_cost_usd = 150\ninitial_stock = 0\n[[item]]\nname = \"b\"\nunit_cost_usd = 200\ninitial_stock = 0\n\
         [[line]]\nname = \"la\"\nitem = \"a\"\ncapacity = [{ date = 2025-01-01, per_day = 1 }]\n\
         [[line]]\nname = \"lb\"\nitem = \"b\"\ncapacity = [{ date = 2025-01-01, per_day = 1 }]\n[[line]]",
    );
    let s = scenario(&toml);
    let rec = &records(&s, 1, 0..1)[0];
    assert_eq!(rec.items[1].ordered, 3);
    assert_eq!(rec.items[2].ordered, 2);
    assert_eq!(rec.channels[0].spent, 85_000);
    assert_eq!(rec.channels[0].balance, 15_000);
    assert!(rec.conservation_violations(&s).is_empty());
}

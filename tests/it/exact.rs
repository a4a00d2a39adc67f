//! Exact fixed-point arithmetic of fractional rates and shares, checked against hand-computed
//! units on every day of a ten-year horizon.

use crate::util::{records, scenario};
use porcupine::scenario::Scenario;

/// One item made by one line at `rate` (a TOML capacity point's rate key and value), ordered in
/// bulk on day 0 with no delays, and used at `daily`.
fn line_scenario(rate: &str, share: &str, initial: u64, daily: &str) -> Scenario {
    scenario(&format!(
        r#"
[scenario]
name = "exact"
start = 2025-01-01
horizon_days = 3650

[[item]]
name = "shell"
unit_cost_usd = 1
initial_stock = {initial}

[[funding]]
name = "gov"
pays_into = "buy"
[[funding.lump_sum]]
date = 2025-01-01
amount_usd = 1000000

[[channel]]
name = "buy"
order_every_days = 3650
first_order = 2025-01-01
[[channel.buy]]
item = "shell"
share = 1.0

[[line]]
name = "factory"
item = "shell"
capacity = [{{ date = 2025-01-01, {rate} }}]
other_customers_share = {share}

[[consumption]]
item = "shell"
daily = {daily}
"#
    ))
}

/// Stock on every day, checked against `want(day)`.
fn assert_stock(s: &Scenario, want: impl Fn(u64) -> u64) {
    for rec in records(s, 3, 0..2) {
        let path = rec.stock_of(0, s.days());
        for (d, &got) in path.iter().enumerate() {
            assert_eq!(got, want(d as u64), "day {d}");
        }
        assert!(rec.conservation_violations(s).is_empty());
    }
}

#[test]
fn a_tenth_a_day_makes_the_nth_unit_on_day_10n() {
    // Production starts on day 1 and arrives the same day: after day d, d/10 units.
    let s = line_scenario("per_day = 0.1", "0", 0, "0");
    assert_stock(&s, |d| d / 10);
    assert_eq!(records(&s, 3, 0..1)[0].lines[0].produced, 365);
}

#[test]
fn a_half_share_line_gives_the_hand_computed_units() {
    // 0.7 a day × (1 − 0.5) = 0.35 a day: floor(35·d / 100) units after day d (in binary floating
    // point 0.35 is 0.34999999999999997, and some days came up a unit short).
    let s = line_scenario("per_day = 0.7", "0.5", 0, "0");
    assert_stock(&s, |d| 35 * d / 100);
    let s = line_scenario("per_day = 1", "0.5", 0, "0");
    assert_stock(&s, |d| d / 2);
}

#[test]
fn a_third_a_day_follows_the_documented_rounding() {
    // 1/3 is kept as 0.333333333 (nearest billionth): the third unit comes on day 4, not day 3,
    // and the count after day d is floor(333,333,333·d / 10^9) on every day.
    let s = line_scenario("per_day = 0.3333333333333333", "0", 0, "0");
    assert_stock(&s, |d| 333_333_333 * d / 1_000_000_000);
    let path = records(&s, 3, 0..1)[0].stock_of(0, s.days()).to_vec();
    assert_eq!(&path[..7], &[0, 0, 0, 0, 1, 1, 1]);
}

#[test]
fn yearly_and_monthly_rates_convert_exactly_when_they_are_whole_per_day() {
    // 365.25 a year and 30.4375 a month are both exactly one a day.
    for rate in ["per_year = 365.25", "per_month = 30.4375"] {
        let s = line_scenario(rate, "0", 0, "0");
        assert_stock(&s, |d| d);
    }
}

#[test]
fn fixed_use_of_a_quarter_and_a_tenth_a_day() {
    let s = line_scenario("per_day = 0", "0", 10_000, "0.25");
    assert_stock(&s, |d| 10_000 - d / 4);
    let s = line_scenario("per_day = 0", "0", 10_000, "0.1");
    assert_stock(&s, |d| 10_000 - d / 10);
}

#[test]
fn money_shares_are_exact_to_the_cent() {
    // 100 cents × 0.29 is 28.999999999999996 in binary floating point; channel "a" gets 29 cents
    // and "b", whose name sorts last, the remaining 71.
    let s = scenario(
        r#"
[scenario]
name = "split"
start = 2025-01-01
horizon_days = 10

[[item]]
name = "shell"
unit_cost_usd = 1000
initial_stock = 0

[[funding]]
name = "gov"
pays_into = { a = 0.29, b = 0.71 }
[[funding.lump_sum]]
date = 2025-01-01
amount_usd = 1

[[channel]]
name = "a"
order_every_days = 5
[[channel.buy]]
item = "shell"
share = 0.29

[[channel]]
name = "b"
order_every_days = 5
[[channel.buy]]
item = "shell"
share = 1

[[line]]
name = "factory"
item = "shell"
capacity = [{ date = 2025-01-01, per_day = 1 }]
"#,
    );
    let rec = &records(&s, 1, 0..1)[0];
    assert_eq!(rec.channels[0].received, 29);
    assert_eq!(rec.channels[1].received, 71);
}

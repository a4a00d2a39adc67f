//! Disruption events computed by hand (a capacity stop loses exactly its days of output, a
//! delivery pause delays the held shipments to its end without losing any, an order pause keeps
//! the money in the balance, a stock loss destroys its share), and a random U.S. sales pause
//! that raises the probability of running out of PAC-3.

use crate::util::{experiment, records, root, scenario};

/// A line making 2 a day from day 0 for a large order placed on day 0; shipments take 2 days.
const LINE: &str = r#"
[scenario]
name = "events"
start = 2025-01-01
horizon_days = 40

[[item]]
name = "shell"
unit_cost_usd = 100
initial_stock = 100

[[funding]]
name = "gov"
pays_into = "buy"
[[funding.lump_sum]]
date = 2025-01-01
amount_usd = 1_000_000

[[channel]]
name = "buy"
order_every_days = 10
first_order = 2025-01-01
[[channel.buy]]
item = "shell"
share = 1.0
max_units_per_order = 1000

[[line]]
name = "factory"
item = "shell"
capacity = [{ date = 2025-01-01, per_day = 2 }]
delivery_lag_days = 2
"#;

fn with_event(event: &str) -> porcupine::scenario::Scenario {
    scenario(&format!("{LINE}\n[[event]]\n{event}"))
}

#[test]
fn a_capacity_stop_of_n_days_loses_exactly_n_days_of_output() {
    let base = records(&scenario(LINE), 1, 0..1).remove(0);
    let s = with_event(
        "name = \"strike\"\napplies_to = { lines = [\"factory\"] }\neffect = \"capacity\"\ncapacity_multiplier = 0\ndate = 2025-01-11\nduration_days = 5",
    );
    let rec = records(&s, 1, 0..1).remove(0);
    assert_eq!(base.lines[0].produced - rec.lines[0].produced, 5 * 2);
    assert_eq!(rec.events[0].occurrences, 1);
    assert_eq!(rec.events[0].days, 5);
    assert!(rec.conservation_violations(&s).is_empty());
    // Half capacity for 5 days loses 5 units.
    let half = with_event(
        "name = \"strike\"\napplies_to = { lines = [\"factory\"] }\neffect = \"capacity\"\ncapacity_multiplier = 0.5\ndate = 2025-01-11\nduration_days = 5",
    );
    let rec = records(&half, 1, 0..1).remove(0);
    assert_eq!(base.lines[0].produced - rec.lines[0].produced, 5);
}

#[test]
fn a_delivery_pause_holds_shipments_to_its_end_without_losing_any() {
    let s0 = scenario(LINE);
    let base = records(&s0, 1, 0..1).remove(0);
    // Paused on days 10-14; it ends on day 15, when the 10 units held leave (arriving day 17).
    let s = with_event(
        "name = \"pause\"\napplies_to = { lines = [\"factory\"] }\neffect = \"pause_deliveries\"\ndate = 2025-01-11\nduration_days = 5",
    );
    let rec = records(&s, 1, 0..1).remove(0);
    let (a, b) = (base.stock_of(0, s.days()), rec.stock_of(0, s.days()));
    for d in 0..s.days() {
        let missing = if (12..=16).contains(&d) {
            2 * (d as u64 - 11)
        } else {
            0
        };
        assert_eq!(a[d] - b[d], missing, "day {d}");
    }
    assert_eq!(base.lines[0].produced, rec.lines[0].produced);
    assert_eq!(base.items[0].delivered, rec.items[0].delivered);
    assert!(rec.conservation_violations(&s).is_empty());
}

#[test]
fn an_order_pause_keeps_the_money_and_holds_contracts() {
    // The first order is placed on day 0, before a pause from day 0 for 20 days: no order on
    // days 0 and 10, and the money waits; the order of day 20 spends it.
    let s = with_event(
        "name = \"sales-pause\"\napplies_to = { channels = [\"buy\"] }\neffect = \"pause_orders\"\ndate = 2025-01-01\nduration_days = 20",
    );
    let rec = records(&s, 1, 0..1).remove(0);
    assert_eq!(rec.spent[..20].iter().sum::<i64>(), 0);
    assert_eq!(rec.spent[20], 1000 * 100 * 100);
    assert_eq!(rec.lines[0].produced, 2 * 21);
    assert!(rec.conservation_violations(&s).is_empty());
    // A contract already placed but not started when the pause begins waits for its end.
    let toml = format!("{LINE}\n[[event]]\nname = \"p\"\napplies_to = {{ channels = [\"buy\"] }}\neffect = \"pause_orders\"\ndate = 2025-01-02\nduration_days = 9")
        .replace("order_every_days = 10", "order_every_days = 10\ncontract_delay_days = 3");
    let s = scenario(&toml);
    let rec = records(&s, 1, 0..1).remove(0);
    // Ordered on day 0, due to start on day 3, started on day 10 when the pause ends.
    assert_eq!(rec.lines[0].produced, 2 * 31);
    assert!(rec.conservation_violations(&s).is_empty());
}

#[test]
fn a_stock_loss_destroys_its_share_on_the_start_day() {
    let s = with_event(
        "name = \"depot\"\napplies_to = { items = [\"shell\"] }\neffect = \"stock_loss\"\nstock_loss = 0.25\ndate = 2025-01-02",
    );
    let rec = records(&s, 1, 0..1).remove(0);
    // Day 1: 100 in stock at the start of the day (the first shipments arrive on day 2).
    assert_eq!(rec.items[0].destroyed, 25);
    assert_eq!(rec.stock_of(0, s.days())[1], 75);
    assert_eq!(rec.events[0].days, 1);
    assert!(rec.conservation_violations(&s).is_empty());
}

#[test]
fn overlapping_occurrences_combine() {
    // Two capacity events on the same line: 0.5 × 0.5 on the 3 days they overlap.
    let s = scenario(&format!(
        "{LINE}\n[[event]]\nname = \"a\"\napplies_to = {{ lines = [\"factory\"] }}\neffect = \"capacity\"\ncapacity_multiplier = 0.5\ndate = 2025-01-11\nduration_days = 5\n\
         [[event]]\nname = \"b\"\napplies_to = {{ lines = [\"factory\"] }}\neffect = \"capacity\"\ncapacity_multiplier = 0.5\ndate = 2025-01-13\nduration_days = 5\n"
    ));
    let base = records(&scenario(LINE), 1, 0..1).remove(0);
    let rec = records(&s, 1, 0..1).remove(0);
    // Days 10-11: 1 a day; 12-14: 0.5 a day; 15-16: 1 a day: 5.5 of 14 made. The half unit
    // stays a carry to the horizon (82 made without the events, 73.5 with them).
    assert_eq!(base.lines[0].produced - rec.lines[0].produced, 9);
    assert_eq!((rec.events[0].days, rec.events[1].days), (5, 5));
}

#[test]
fn a_random_us_sales_pause_raises_the_risk_of_no_pac3() {
    let path = root().join("scenarios/examples/threat-driven-interceptors.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let calm = scenario(&text);
    let paused = scenario(&format!(
        "{text}\n[[event]]\nname = \"us-sales-pause\"\napplies_to = {{ channels = [\"purl\"], lines = [\"lockheed-pac3\"] }}\neffect = \"pause\"\nrate_per_year = 1.0\n\
         duration_days = {{ dist = \"lognormal\", median = 30, p90 = 90 }}\n"
    ));
    let runs = 2000;
    let (a, b) = (
        experiment(&calm, runs, 3, 2),
        experiment(&paused, runs, 3, 2),
    );
    let zero_days =
        |acc: &porcupine::stats::Accumulator| -> u64 { acc.daily.iter().map(|c| c.zero).sum() };
    assert!(
        zero_days(&b) > zero_days(&a),
        "{} vs {}",
        zero_days(&b),
        zero_days(&a)
    );
    // The pause can start on any day of 16 months: P(at least one) = 1 − exp(−1.33) ≈ 0.74.
    let p = b.events[0].runs_happened as f64 / runs as f64;
    let want = 1.0 - (-(calm.horizon as f64 + 1.0) / 365.25f64).exp();
    assert!((p - want).abs() < 0.04, "{p} vs {want}");
}

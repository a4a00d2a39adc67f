//! Use decided by rules, computed by hand: fire what is available above a reserve, use only
//! between two dates, a daily cap, and interceptors fired at a threat (launches × engaged share ×
//! shots per engagement, fractions carried exactly).

use crate::util::{experiment, records, scenario};

const HEAD: &str = r#"
[scenario]
name = "rules"
start = 2025-01-01
horizon_days = 20

[[item]]
name = "strike"
unit_cost_usd = 100
initial_stock = 50
"#;

#[test]
fn available_use_fires_down_to_the_reserve_between_its_dates() {
    // Days 5..=18: up to 4 a day while more than 20 remain: 4 × 7 (days 5-11), then 2 on day 12.
    let s = scenario(&format!(
        "{HEAD}\n[[consumption]]\nitem = \"strike\"\nuse = \"available\"\nmax_daily = 4\nreserve = 20\nfrom = 2025-01-06\nto = 2025-01-19\n"
    ));
    let rec = &records(&s, 3, 0..1)[0];
    let stock = rec.stock_of(0, s.days());
    let mut want = vec![50u64; 21];
    for (d, w) in want.iter_mut().enumerate().skip(5) {
        *w = 50 - (4 * (d as u64 - 4)).min(30);
    }
    assert_eq!(stock, want);
    let it = &rec.items[0];
    assert_eq!(
        (it.demand, it.consumed, it.unmet, it.days_short),
        (30, 30, 0, 0)
    );
    assert_eq!(it.end_stock, 20);
    assert!(rec.conservation_violations(&s).is_empty());
}

#[test]
fn daily_use_waits_for_its_first_date_and_is_capped() {
    // 3 a day wanted from day 11 (2025-01-12), at most 2 a day fired.
    let s = scenario(&format!(
        "{HEAD}\n[[consumption]]\nitem = \"strike\"\ndaily = 3\nmax_daily = 2\nfrom = 2025-01-12\n"
    ));
    let rec = &records(&s, 3, 0..1)[0];
    let stock = rec.stock_of(0, s.days());
    assert_eq!(stock[10], 50);
    assert_eq!(stock[11], 48);
    assert_eq!(stock[20], 50 - 2 * 10);
    assert_eq!(rec.items[0].demand, 20);
}

const THREAT: &str = r#"
[[threat]]
name = "ballistic"
label = "Ballistic missiles"
daily = 3
[[threat.period]]
from = 2025-01-11
to = 2025-01-20
multiplier = 2

[[consumption]]
item = "strike"
threat = "ballistic"
engaged_share = 0.5
shots_per_engagement = 1
"#;

#[test]
fn threat_use_is_launches_times_share_times_shots() {
    // Days 1-9: 3 × 0.5 × 1 = 1.5 a day (1, 2, 1, 2, …); days 10-19 (2025-01-11 on): 3 a day;
    // day 20 (the horizon, after the period): 1.5 again, and the half carried makes it 2.
    let s = scenario(&format!("{HEAD}{THREAT}"));
    for rec in records(&s, 5, 0..3) {
        let stock = rec.stock_of(0, s.days());
        let used: Vec<u64> = stock.windows(2).map(|w| w[0] - w[1]).collect();
        let mut want = vec![1, 2, 1, 2, 1, 2, 1, 2, 1];
        want.extend([3; 10]);
        want.push(2);
        assert_eq!(used, want);
        assert_eq!(rec.items[0].demand, 13 + 30 + 2);
        assert_eq!(rec.items[0].unmet, 0);
        assert!(rec.conservation_violations(&s).is_empty());
    }
}

#[test]
fn threat_use_beyond_stock_is_threats_not_engaged_and_the_cap_binds() {
    let toml = format!("{HEAD}{THREAT}").replace(
        "shots_per_engagement = 1",
        "shots_per_engagement = 2\nmax_daily = 5",
    );
    let s = scenario(&toml);
    let rec = &records(&s, 5, 0..1)[0];
    // 3 a day for days 1-9 (27), then min(6, 5) = 5 a day for days 10-19 (50), then 3: 80 wanted.
    let it = &rec.items[0];
    assert_eq!(it.demand, 27 + 50 + 3);
    assert_eq!(it.consumed, 50);
    assert_eq!(it.unmet, 30);
    assert!(rec.conservation_violations(&s).is_empty());
}

#[test]
fn uncertain_engaged_share_is_drawn_once_per_future() {
    // A certain threat of 10 a day and a share drawn once: each future uses the same whole number
    // of units every day, and futures differ.
    let toml = format!("{HEAD}{THREAT}")
        .replace("daily = 3", "daily = 10")
        .replace("multiplier = 2", "multiplier = 1")
        .replace(
            "engaged_share = 0.5",
            "engaged_share = { dist = \"uniform\", min = 0.1, max = 0.2 }",
        )
        .replace("initial_stock = 50", "initial_stock = 5000");
    let s = scenario(&toml);
    let recs = records(&s, 9, 0..20);
    let totals: Vec<u64> = recs.iter().map(|r| r.items[0].consumed).collect();
    assert!(totals.iter().all(|&t| (20..=40).contains(&t)), "{totals:?}");
    assert!(totals.iter().any(|&t| t != totals[0]));
    let acc = experiment(&s, 50, 9, 2);
    assert_eq!(acc.runs, 50);
}

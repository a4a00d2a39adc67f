//! Shared lines: other buyers with their own orders, a priority queue, and the seller's stock
//! released to our new orders, checked day by day against a table computed by hand.

use crate::util::{records, scenario};

/// A 10-a-day line with a priority queue. Customer "a" (priority 1) orders 1,826 a year:
/// 1,826 / 365.25 = 4.999315537 a day in fixed point, so 4 units on day 1 and then 5 a day
/// (the carry loses 0.000684463 a day and stays above zero for years). Customer "b" and our
/// orders share priority 2; "b" orders 2,191.5 a year, exactly 6 a day. The seller holds 20
/// finished units and refills them with half of each day's output (taken before allocation).
/// We order 30 units on days 10 and 20; each time the seller's 20 ship at once (2-day lag) and
/// 10 join the queue.
///
/// Day 18, for instance: "a" takes 5 of the 10; "b" waits for 46 and we for 6, so the 5 left
/// split 5·46/52 = 4.42 and 5·6/52 = 0.58: 4 and 0 whole units, remainders 22/52 and 30/52, and
/// the one unit left goes to the larger remainder, ours.
///
/// | day | a made | a waits | b made | b waits | ours made | ours wait | seller stock | released | arrived |
/// |----:|-------:|--------:|-------:|--------:|----------:|----------:|-------------:|---------:|--------:|
/// |  1  |   4 | 0 |   6 |  0 |  0 |  0 | 20 |  0 |  0 |
/// |  2  |   9 | 0 |  11 |  1 |  0 |  0 | 20 |  0 |  0 |
/// |  9  |  44 | 0 |  46 |  8 |  0 |  0 | 20 |  0 |  0 |
/// | 10  |  49 | 0 |  46 | 14 |  0 | 10 |  5 | 20 |  0 |
/// | 13  |  64 | 0 |  46 | 32 |  0 | 10 | 20 | 20 | 20 |
/// | 14  |  69 | 0 |  50 | 34 |  1 |  9 | 20 | 20 | 20 |
/// | 18  |  89 | 0 |  66 | 42 |  5 |  5 | 20 | 20 | 23 |
/// | 19  |  94 | 0 |  71 | 43 |  5 |  5 | 20 | 20 | 24 |
/// | 20  |  99 | 0 |  71 | 49 |  5 | 15 |  5 | 40 | 25 |
/// | 30  | 149 | 0 | 100 | 80 | 11 |  9 | 20 | 40 | 50 |
///
/// (`EXPECTED` below has every day.)
const QUEUE: &str = r#"
[scenario]
name = "queue"
start = 2025-01-01
horizon_days = HORIZON

[[item]]
name = "missile"
unit_cost_usd = 1
initial_stock = 0

[[funding]]
name = "gov"
pays_into = "buyer"
[[funding.lump_sum]]
date = 2025-01-01
amount_usd = 60

[[channel]]
name = "buyer"
order_every_days = 10
[[channel.buy]]
item = "missile"
share = 1.0
max_units_per_order = 30
line_priority = 2

[[line]]
name = "factory"
item = "missile"
capacity = [{ date = 2025-01-01, per_day = 10 }]
delivery_lag_days = 2
queue = "priority"
releasable_stock = 20
restock_share = 0.5
[[line.customer]]
name = "a"
priority = 1
units_per_year = 1826
[[line.customer]]
name = "b"
priority = 2
units_per_year = 2191.5
"#;

/// Per day 1..=30: (a made, a waits, b made, b waits, ours made, ours wait, seller stock,
/// released, arrived).
const EXPECTED: [[u64; 9]; 30] = [
    [4, 0, 6, 0, 0, 0, 20, 0, 0],
    [9, 0, 11, 1, 0, 0, 20, 0, 0],
    [14, 0, 16, 2, 0, 0, 20, 0, 0],
    [19, 0, 21, 3, 0, 0, 20, 0, 0],
    [24, 0, 26, 4, 0, 0, 20, 0, 0],
    [29, 0, 31, 5, 0, 0, 20, 0, 0],
    [34, 0, 36, 6, 0, 0, 20, 0, 0],
    [39, 0, 41, 7, 0, 0, 20, 0, 0],
    [44, 0, 46, 8, 0, 0, 20, 0, 0],
    [49, 0, 46, 14, 0, 10, 5, 20, 0],
    [54, 0, 46, 20, 0, 10, 10, 20, 0],
    [59, 0, 46, 26, 0, 10, 15, 20, 20],
    [64, 0, 46, 32, 0, 10, 20, 20, 20],
    [69, 0, 50, 34, 1, 9, 20, 20, 20],
    [74, 0, 54, 36, 2, 8, 20, 20, 20],
    [79, 0, 58, 38, 3, 7, 20, 20, 21],
    [84, 0, 62, 40, 4, 6, 20, 20, 22],
    [89, 0, 66, 42, 5, 5, 20, 20, 23],
    [94, 0, 71, 43, 5, 5, 20, 20, 24],
    [99, 0, 71, 49, 5, 15, 5, 40, 25],
    [104, 0, 71, 55, 5, 15, 10, 40, 25],
    [109, 0, 71, 61, 5, 15, 15, 40, 45],
    [114, 0, 71, 67, 5, 15, 20, 40, 45],
    [119, 0, 75, 69, 6, 14, 20, 40, 45],
    [124, 0, 79, 71, 7, 13, 20, 40, 45],
    [129, 0, 83, 73, 8, 12, 20, 40, 46],
    [134, 0, 87, 75, 9, 11, 20, 40, 47],
    [139, 0, 91, 77, 10, 10, 20, 40, 48],
    [144, 0, 95, 79, 11, 9, 20, 40, 49],
    [149, 0, 100, 80, 11, 9, 20, 40, 50],
];

#[test]
fn priority_queue_and_seller_stock_match_the_hand_table() {
    // The ledgers hold totals at the horizon, so a run that ends on day d shows day d.
    for (d, want) in EXPECTED.iter().enumerate() {
        let day = d + 1;
        let s = scenario(&QUEUE.replace("HORIZON", &day.to_string()));
        let rec = &records(&s, 1, 0..1)[0];
        let (a, b, l) = (&rec.customers[0], &rec.customers[1], &rec.lines[0]);
        let got = [
            a.delivered,
            a.backlog,
            b.delivered,
            b.backlog,
            l.produced,
            l.backlog,
            l.stock_end,
            l.released,
            rec.items[0].delivered,
        ];
        assert_eq!(&got, want, "day {day}");
        assert_eq!(a.ordered, a.delivered + a.backlog);
        assert!(rec.conservation_violations(&s).is_empty());
    }
}

#[test]
fn first_in_first_out_serves_the_oldest_order_whoever_placed_it() {
    // The same line first in, first out: our 10 waiting units (day 10) come after b's older
    // orders (one unit a day left over since day 2) and before every customer order of day 10.
    let fifo = QUEUE
        .replace("HORIZON", "14")
        .replace("queue = \"priority\"\n", "")
        .replace("line_priority = 2\n", "");
    let s = scenario(&fifo);
    let rec = &records(&s, 1, 0..1)[0];
    // Days 1-9: 10 a day to the customers (b's 9 extra units wait); days 10-13: 5 a day refill
    // the seller's stock and 5 go to the oldest orders: b's 9, then our 10 (1 + 5 + 4 by day
    // 13), and day 14's whole capacity finishes ours.
    assert_eq!(rec.lines[0].produced, 10);
    assert_eq!(rec.lines[0].backlog, 0);
    assert!(rec.conservation_violations(&s).is_empty());
}

/// The rendered error of a scenario that must be refused.
fn refused(toml: &str) -> String {
    match porcupine::scenario::from_str(toml, std::path::Path::new("bad.toml")) {
        Ok(_) => panic!("accepted:\n{toml}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn contradictory_or_unknown_settings_are_refused_with_place_and_hint() {
    let base = QUEUE.replace("HORIZON", "30");
    let cases: [(String, &[&str]); 7] = [
        (
            base.replace("queue = \"priority\"", "queue = \"lifo\""),
            &["bad.toml:33:", "line.factory.queue", "\"lifo\" is not a queue rule", "\"fifo\""],
        ),
        (
            base.replace("restock_share = 0.5", "restock_share = 0.5\nother_customers_share = 0.3"),
            &["line.factory.other_customers_share", "both describe the other buyers", "remove other_customers_share"],
        ),
        (
            base.replace("releasable_stock = 20\n", ""),
            &["line.factory.restock_share", "does not have", "add releasable_stock"],
        ),
        (
            base.replace("priority = 1\n", "priority = 0\n"),
            &["line.factory.customer[0].priority", "between 1 and 1000"],
        ),
        (
            base.replace("name = \"b\"", "name = \"a\""),
            &["line.factory.customer[1].name", "already used"],
        ),
        (
            base.replace("queue = \"priority\"\n", ""),
            &["channel.buyer.buy[0].line_priority", "only used on a line with queue = \"priority\"", "add queue = \"priority\""],
        ),
        (
            base.replace("units_per_year = 2191.5", "units_per_year = [{ date = 2025-03-01, value = 10 }, { date = 2025-02-01, value = 5 }]"),
            &["line.factory.customer[1].units_per_year[1].date", "must increase"],
        ),
    ];
    for (toml, expect) in cases {
        let e = refused(&toml);
        for want in expect {
            assert!(e.contains(want), "missing {want:?} in:\n{e}");
        }
    }
}

#[test]
fn buys_of_one_line_must_agree_on_its_priority() {
    let two = QUEUE.replace("HORIZON", "30").replace(
        "[[line]]",
        "[[channel]]\nname = \"second\"\norder_every_days = 10\n[[channel.buy]]\nitem = \"missile\"\nshare = 1.0\nline_priority = 3\n\n[[line]]",
    );
    let e = refused(&two);
    assert!(e.contains("channel.second.buy[0].line_priority"), "{e}");
    assert!(e.contains("puts it at 2"), "{e}");
}

/// A shared line with random customers, queue rule, seller stock and defects.
#[allow(clippy::too_many_arguments)]
fn shared_toml(
    priority: bool,
    customers: &[(u32, u32)],
    stock: u32,
    restock: f64,
    ours: Option<u32>,
    defect: f64,
    money: u32,
    project: Option<(bool, u32, f64)>,
) -> String {
    let mut t = format!(
        "[scenario]\nname = \"prop\"\nstart = 2025-01-01\nhorizon_days = 200\n\n\
         [[item]]\nname = \"m\"\nunit_cost_usd = 10\ninitial_stock = 5\n\n\
         [[funding]]\nname = \"f\"\npays_into = \"c\"\n[[funding.recurring]]\nevery_days = 15\n\
         amount_usd = {{ dist = \"uniform\", min = 0, max = {money} }}\n\n\
         [[channel]]\nname = \"c\"\norder_every_days = 7\ncontract_delay_days = {{ dist = \"uniform\", min = 0, max = 20 }}\n\
         [[channel.buy]]\nitem = \"m\"\nshare = 1\n"
    );
    if let (true, Some(p)) = (priority, ours) {
        t += &format!("line_priority = {p}\n");
    }
    t += &format!(
        "\n[[line]]\nname = \"l\"\nitem = \"m\"\ncapacity = [{{ date = 2025-01-01, per_day = 3.7 }}]\n\
         defect_rate = {defect:.3}\ntransit_loss = 0.05\ndelivery_lag_days = {{ dist = \"uniform\", min = 0, max = 9 }}\n\
         queue = \"{}\"\nreleasable_stock = {{ dist = \"uniform\", min = 0, max = {stock} }}\nrestock_share = {restock:.3}\n",
        if priority { "priority" } else { "fifo" }
    );
    for (k, (p, rate)) in customers.iter().enumerate() {
        t += &format!(
            "[[line.customer]]\nname = \"k{k}\"\npriority = {p}\nunits_per_year = {{ dist = \"uniform\", min = 0, max = {rate} }}\n"
        );
    }
    if let Some((dedicated, cost, success)) = project {
        t += &format!(
            "[[line.expansion]]\nname = \"x\"\nfunded_by = \"c\"\ncost_usd = {{ dist = \"uniform\", min = 0, max = {cost} }}\n\
             adds_per_month = {{ dist = \"uniform\", min = 0, max = 90 }}\nlead_time_days = {{ dist = \"uniform\", min = 0, max = 90 }}\n\
             success_probability = {success:.3}\ndedicated = {dedicated}\n"
        );
    }
    t
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 48, ..Default::default() })]

    #[test]
    fn shared_lines_conserve_units_money_and_seller_stock(
        priority in proptest::prelude::any::<bool>(),
        customers in proptest::collection::vec((1u32..4, 1u32..2_000), 0..4),
        stock in 1u32..300,
        restock in 0.0f64..1.0,
        ours in proptest::option::of(1u32..4),
        defect in 0.0f64..0.3,
        money in 1u32..20_000,
        project in proptest::option::of((proptest::prelude::any::<bool>(), 0u32..20_000, 0.0f64..1.0)),
        seed in proptest::prelude::any::<u64>(),
    ) {
        let text = shared_toml(priority, &customers, stock, restock, ours, defect, money, project);
        let s = scenario(&text);
        for rec in records(&s, seed, 0..4) {
            let bad = rec.conservation_violations(&s);
            proptest::prop_assert!(bad.is_empty(), "{bad:?}\n{text}");
        }
    }
}

/// Mean PAC-3 deliveries of the shared-line example by `end`, with PURL money scaled by `k`.
fn mean_deliveries(k: f64, end: &str) -> f64 {
    let text = std::fs::read_to_string(
        crate::util::root().join("scenarios/examples/shared-line-priority.toml"),
    )
    .unwrap()
    .replace(
        "median = 186_000_000, p90 = 305_000_000",
        &format!(
            "median = {:.0}, p90 = {:.0}",
            186_000_000.0 * k,
            305_000_000.0 * k
        ),
    )
    .replace("end = 2027-12-31", &format!("end = {end}"));
    let s = scenario(&text);
    let recs = records(&s, 5, 0..300);
    recs.iter()
        .map(|r| r.items[0].delivered as f64)
        .sum::<f64>()
        / recs.len() as f64
}

#[test]
fn more_purl_money_brings_interceptors_sooner_on_a_priority_line_with_seller_stock() {
    // A 62% cut, today's money, and twice today's money: more money, more PAC-3 by each date
    // (by mid-2026, twice the money adds little: the seller's stock and the line's share at
    // priority 2 are mostly taken already).
    for end in ["2026-06-30", "2027-12-31"] {
        let got: Vec<f64> = [0.38, 1.0, 2.0]
            .iter()
            .map(|&k| mean_deliveries(k, end))
            .collect();
        assert!(
            got[0] + 10.0 < got[1] && got[1] < got[2],
            "by {end}: {got:?}"
        );
    }
}

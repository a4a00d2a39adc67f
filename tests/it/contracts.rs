//! Ordering discipline and contracts: a contract's schedule and payments worked out day by day,
//! `max_backlog_days` / `lot_size` / `min_units_per_order` on a tiny line, payment split
//! between advance and delivery, and every new key's bad inputs.

use crate::bad_input::{case, check, raw, BASE};
use crate::util::{records, scenario};

/// $100 arrive on day 0 and $100 on day 12 into a channel that orders every 10 days (days 10,
/// 20, …) and whose buy never orders (its minimum is out of reach). The contract is signed on
/// day 2: 10 units by day 6 and 5 more by day 16, slipped by 3 days, at $10 a unit ($150), 30%
/// in advance.
///
/// Deliveries: 10 units evenly over days 6–9 (cumulative ⌊10·j/4⌋ = 2, 5, 7, 10), then 5 over
/// days 10–19 (⌊5·j/10⌋: one on days 11, 13, 15, 17 and 19).
///
/// Money: on day 2 the channel sets aside its whole balance ($100) and pays the $45 advance.
/// Each delivered unit makes ⌊$105 × delivered / 15⌋ of the on-delivery part due; due money is
/// paid while the set-aside covers it (up to $100 until day 20). The $100 of day 12 stay in the
/// balance until the order day 20, when $50 more are set aside and everything due is paid.
const CONTRACT: &str = r#"
[scenario]
name = "contract"
start = 2025-01-01
horizon_days = HORIZON

[[item]]
name = "shell"
unit_cost_usd = 10
initial_stock = 0

[[funding]]
name = "gov"
pays_into = "direct"
[[funding.lump_sum]]
date = 2025-01-01
amount_usd = 100
[[funding.lump_sum]]
date = 2025-01-13
amount_usd = 100

[[channel]]
name = "direct"
order_every_days = 10
[[channel.buy]]
item = "shell"
share = 1.0
min_units_per_order = 1_000_000

[[line]]
name = "factory"
item = "shell"
capacity = [{ date = 2025-01-01, per_day = 0 }]

[[contract]]
name = "deal"
channel = "direct"
item = "shell"
signed = 2025-01-03
deliveries = [{ by = 2025-01-07, units = 10 }, { by = 2025-01-17, units = 5 }]
slip_days = 3
payment = { advance = 0.3, on_delivery = 0.7 }
"#;

/// Units delivered by the end of `day`.
fn delivered_by(day: u32) -> u64 {
    let early = [0, 0, 0, 0, 0, 0, 2, 5, 7, 10];
    match day {
        0..=9 => early[day as usize],
        10..=19 => 10 + u64::from(day - 9) / 2,
        _ => 15,
    }
}

#[test]
fn a_contract_schedule_and_its_payments_day_by_day() {
    // The ledgers at the end of each day from the day the second payment is due (an earlier
    // horizon would leave it outside the period); the days before, from the daily records below.
    for day in 12..=25u32 {
        let s = scenario(&CONTRACT.replace("HORIZON", &day.to_string()));
        let rec = &records(&s, 7, 0..1)[0];
        let units = delivered_by(day);
        assert_eq!(rec.items[0].end_stock, units, "stock on day {day}");
        let k = &rec.contracts[0];
        let ch = &rec.channels[0];
        assert_eq!((k.units, k.price, k.slip_days), (15, 15_000, 3));
        assert_eq!(k.delivered, units, "day {day}");
        let due = 4_500 + 10_500 * units as i64 / 15;
        assert_eq!(k.due, due, "due on day {day}");
        let (set_aside, balance) = match day {
            12..=19 => (10_000, 10_000),
            _ => (15_000, 5_000),
        };
        assert_eq!(k.set_aside, set_aside, "set aside on day {day}");
        assert_eq!(k.paid, due.min(set_aside), "paid on day {day}");
        assert_eq!(ch.balance, balance, "balance on day {day}");
        assert_eq!(ch.spent, k.paid);
        assert_eq!(ch.committed, set_aside - k.paid);
        assert_eq!(rec.items[0].delivered_cost, units as i64 * 1_000);
        assert!(rec.conservation_violations(&s).is_empty());
    }
    // The payments of each day, from one run over the whole period.
    let s = scenario(&CONTRACT.replace("HORIZON", "25"));
    let rec = &records(&s, 7, 0..1)[0];
    let mut want = [0i64; 26];
    for (d, v) in [
        (2, 4_500),
        (6, 1_400),
        (7, 2_100),
        (8, 1_400),
        (9, 600),
        (20, 5_000),
    ] {
        want[d] = v;
    }
    assert_eq!(rec.spent, want);
    let stock: Vec<u64> = (0..=25).map(delivered_by).collect();
    assert_eq!(rec.stock_of(0, 26), stock.as_slice());
}

/// $1,000 on day 0; $10 a unit; a line making 2 a day with no lag; the channel orders every 5
/// days from day 0 with `max_backlog_days = 10` (at most 20 units waiting), `lot_size = 4` and
/// `min_units_per_order = 12`, paying 25% in advance and 75% as units arrive.
const DISCIPLINE: &str = r#"
[scenario]
name = "discipline"
start = 2025-01-01
horizon_days = HORIZON

[[item]]
name = "shell"
unit_cost_usd = 10
initial_stock = 0

[[funding]]
name = "gov"
pays_into = "direct"
[[funding.lump_sum]]
date = 2025-01-01
amount_usd = 1000

[[channel]]
name = "direct"
order_every_days = 5
first_order = 2025-01-01
[[channel.buy]]
item = "shell"
share = 1.0
max_backlog_days = 10
lot_size = 4
min_units_per_order = 12
payment = { advance = 0.25, on_delivery = 0.75 }

[[line]]
name = "factory"
item = "shell"
capacity = [{ date = 2025-01-01, per_day = 2 }]
"#;

/// By hand: on each order day the line can make 20 units within 10 days, less what waits.
///
/// | order day | made before | waiting | room | whole lots | ordered |
/// |----------:|------------:|--------:|-----:|-----------:|--------:|
/// | 0         | 0           | 0       | 20   | 20         | 20      |
/// | 5         | 8           | 12      | 8    | 8 < 12     | 0       |
/// | 10        | 18          | 2       | 18   | 16         | 16      |
/// | 15        | 28          | 8       | 12   | 12         | 12      |
/// | 20        | 38          | 10      | 10   | 8 < 12     | 0       |
/// | 25        | 48          | 0       | 20   | 20         | 20      |
fn ordered_by(day: u32) -> u64 {
    match day {
        0..=9 => 20,
        10..=14 => 36,
        15..=24 => 48,
        _ => 68,
    }
}

#[test]
fn backlog_cap_lots_and_minimum_orders() {
    let mut made = 0u64;
    for day in 1..=30u32 {
        // Production from day 1, after the day's orders: two a day while anything waits.
        made += 2.min(ordered_by(day) - made);
        let s = scenario(&DISCIPLINE.replace("HORIZON", &day.to_string()));
        let rec = &records(&s, 3, 0..1)[0];
        let ordered = ordered_by(day);
        assert_eq!(rec.lines[0].ordered, ordered, "ordered by day {day}");
        assert_eq!(rec.items[0].delivered, made, "delivered by day {day}");
        // $2.50 a unit at order and $7.50 a unit on delivery.
        let ch = &rec.channels[0];
        assert_eq!(ch.balance, 100_000 - 1_000 * ordered as i64, "day {day}");
        assert_eq!(
            ch.spent,
            250 * ordered as i64 + 750 * made as i64,
            "day {day}"
        );
        assert_eq!(ch.committed, 750 * (ordered - made) as i64, "day {day}");
        assert!(rec.conservation_violations(&s).is_empty());
    }
}

#[test]
fn contract_keys_are_checked() {
    let base = format!(
        "{BASE}\n[[contract]]\nname = \"deal\"\nchannel = \"purl\"\nitem = \"shell\"\nsigned = 2025-10-01\ndeliveries = [{{ by = 2026-03-01, units = 100 }}]\n"
    );
    let with = |old: &str, new: &str| base.replacen(old, new, 1);
    check(vec![
        raw("unknown contract channel", with("channel = \"purl\"\nitem", "channel = \"pur\"\nitem"), &[
            "contract.deal.channel",
            "there is no channel named \"pur\"",
            "did you mean \"purl\"",
        ]),
        raw("unknown contract item", with("item = \"shell\"\nsigned", "item = \"shel\"\nsigned"), &[
            "contract.deal.item",
            "did you mean \"shell\"",
        ]),
        raw("delivery before signing", with("by = 2026-03-01", "by = 2025-09-15"), &[
            "contract.deal.deliveries[0].by: delivery date 2025-09-15 is not after the signing date (2025-10-01)",
            "help: list the deliveries in date order",
        ]),
        raw("deliveries out of order", with("units = 100 }]", "units = 100 }, { by = 2026-02-01, units = 5 }]"), &[
            "contract.deal.deliveries[1].by: delivery date 2026-02-01 is not after the previous delivery (2026-03-01)",
        ]),
        raw("signed outside the period", with("signed = 2025-10-01", "signed = 2027-10-01"), &[
            "contract.deal.signed: 2027-10-01 is outside the simulated period",
        ]),
        raw("zero units", with("units = 100 }]", "units = 0 }]"), &[
            "contract.deal.deliveries[0].units: units must be a whole number between 1 and",
        ]),
        raw("no deliveries", with("deliveries = [{ by = 2026-03-01, units = 100 }]", "deliveries = []"), &[
            "contract.deal.deliveries: a contract needs between 1 and 1000 deliveries, got 0",
        ]),
        raw("negative slip", format!("{base}slip_days = -5\n"), &[
            "contract.deal.slip_days: -5 is out of range: expected days between 0 and 3650",
        ]),
        raw("contract payment not summing to one", format!("{base}payment = {{ advance = 0.5, on_delivery = 0.6 }}\n"), &[
            "contract.deal.payment: advance (0.5) and on_delivery (0.6) add up to 1.1, not 1",
        ]),
        raw("contract without a schedule", with("deliveries = [{ by = 2026-03-01, units = 100 }]\n", ""), &[
            "contract.deal: missing key `deliveries`",
        ]),
        raw("unknown contract key", format!("{base}slip = 5\n"), &[
            "contract.deal.slip: unknown key `slip`",
        ]),
    ]);
}

#[test]
fn ordering_keys_are_checked() {
    let buy = "share = 1.0\n";
    check(vec![
        case("payment shares not summing to one", buy, "share = 1.0\npayment = { advance = 0.3, on_delivery = 0.6 }\n", &[
            "channel.purl.buy[0].payment: advance (0.3) and on_delivery (0.6) add up to 0.9, not 1",
            "help: the two shares split the whole price",
        ]),
        case("payment without on_delivery", buy, "share = 1.0\npayment = { advance = 1 }\n", &[
            "channel.purl.buy[0].payment: missing key `on_delivery`",
        ]),
        case("negative advance", buy, "share = 1.0\npayment = { advance = -0.5, on_delivery = 1.5 }\n", &[
            "channel.purl.buy[0].payment.advance: -0.5 is out of range",
        ])
        .problems(2),
        case("minimum not a multiple of the lot", buy, "share = 1.0\nlot_size = 10\nmin_units_per_order = 15\n", &[
            "channel.purl.buy[0].lot_size: min_units_per_order (15) is not a multiple of lot_size (10)",
            "use min_units_per_order = 20",
        ]),
        case("cap below one lot", buy, "share = 1.0\nlot_size = 10\nmax_units_per_order = 5\n", &[
            "max_units_per_order (5) is below the smallest order this buy can place (10)",
        ]),
        case("zero lot", buy, "share = 1.0\nlot_size = 0\n", &[
            "channel.purl.buy[0].lot_size: lot_size must be a whole number between 1 and",
        ]),
        case("zero backlog days", buy, "share = 1.0\nmax_backlog_days = 0\n", &[
            "channel.purl.buy[0].max_backlog_days: max_backlog_days must be a whole number between 1 and 3650, got 0",
        ]),
        case("negative minimum", buy, "share = 1.0\nmin_units_per_order = -1\n", &[
            "channel.purl.buy[0].min_units_per_order: min_units_per_order must be a whole number",
        ]),
        case("zero price multiplier", buy, "share = 1.0\nprice_multiplier = 0\n", &[
            "channel.purl.buy[0].price_multiplier: 0 is out of range: expected a price multiplier between 0.01 and 100",
        ]),
    ]);
}

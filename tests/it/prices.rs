//! Prices and currencies: escalation compounded exactly, price multipliers, a fixed exchange
//! rate converting a euro pledge exactly, dated rates, drawn unit costs and rates on their own
//! streams, and every new key's bad inputs.

use crate::bad_input::{case, check, raw, BASE};
use crate::util::{records, scenario};

/// $100 a unit, 10% a year. Two channels each buy one unit on days 0, 365 and 730; one of them
/// pays 1.5 times the price (an FMS-style surcharge).
///
/// | day | price × (1.1)^(day/365) | × 1.5     |
/// |----:|------------------------:|----------:|
/// | 0   | $100.00                 | $150.00   |
/// | 365 | $110.00                 | $165.00   |
/// | 730 | $121.00                 | $181.50   |
const ESCALATION: &str = r#"
[scenario]
name = "escalation"
start = 2025-01-01
horizon_days = 730

[[item]]
name = "shell"
unit_cost_usd = 100
price_escalation_per_year = 0.1
initial_stock = 0

[[funding]]
name = "gov"
pays_into = { direct = 0.5, fms = 0.5 }
[[funding.lump_sum]]
date = 2025-01-01
amount_usd = 2000

[[channel]]
name = "direct"
order_every_days = 365
first_order = 2025-01-01
[[channel.buy]]
item = "shell"
share = 1.0
max_units_per_order = 1

[[channel]]
name = "fms"
order_every_days = 365
first_order = 2025-01-01
[[channel.buy]]
item = "shell"
share = 1.0
max_units_per_order = 1
price_multiplier = 1.5

[[line]]
name = "factory"
item = "shell"
capacity = [{ date = 2025-01-01, per_day = 10 }]
"#;

#[test]
fn escalation_compounds_from_the_start_date() {
    let s = scenario(ESCALATION);
    let rec = &records(&s, 1, 0..1)[0];
    assert_eq!(rec.channels[0].spent, 10_000 + 11_000 + 12_100);
    assert_eq!(rec.channels[1].spent, 15_000 + 16_500 + 18_150);
    assert_eq!(rec.spent[0], 25_000);
    assert_eq!(rec.spent[365], 27_500);
    assert_eq!(rec.spent[730], 30_250);
    // Every unit arrived; the cost of delivered units is what they were ordered at.
    assert_eq!(rec.items[0].delivered, 6);
    assert_eq!(rec.items[0].delivered_cost, 82_750);
    assert!(rec.conservation_violations(&s).is_empty());
}

const CURRENCY: &str = r#"
[scenario]
name = "currency"
start = 2025-01-01
horizon_days = 60

[[item]]
name = "shell"
unit_cost_usd = 100
initial_stock = 0

[[currency]]
code = "EUR"
usd_per_unit = EUR_RATE

[[currency]]
code = "NOK"
usd_per_unit = [{ date = 2025-01-01, value = 0.1 }, { date = 2025-01-10, value = 0.095 }]

[[funding]]
name = "eu"
pays_into = "direct"
[[funding.lump_sum]]
date = 2025-01-01
amount = 287_500_000
currency = "EUR"
[[funding.lump_sum]]
date = 2025-01-20
amount = 287_500_000
currency = "EUR"

[[funding]]
name = "norway"
pays_into = "direct"
[[funding.lump_sum]]
date = 2025-01-05
amount = 1_000_000
currency = "NOK"
[[funding.lump_sum]]
date = 2025-01-15
amount = 1_000_000
currency = "NOK"

[[channel]]
name = "direct"
order_every_days = 30
[[channel.buy]]
item = "shell"
share = 1.0

[[line]]
name = "factory"
item = "shell"
capacity = [{ date = 2025-01-01, per_day = 10 }]
"#;

#[test]
fn a_fixed_rate_converts_a_euro_pledge_exactly() {
    let s = scenario(&CURRENCY.replace("EUR_RATE", "1.16"));
    for rec in records(&s, 5, 0..3) {
        // €287,500,000 × 1.16 = $333,500,000, twice.
        assert_eq!(rec.funding[0].paid, 2 * 33_350_000_000);
        // NOK 1,000,000 at $0.10 on 5 January, at $0.095 from 10 January.
        assert_eq!(rec.funding[1].paid, 10_000_000 + 9_500_000);
        assert_eq!(rec.paid[4], 10_000_000);
        assert_eq!(rec.paid[14], 9_500_000);
        assert!(rec.conservation_violations(&s).is_empty());
    }
}

#[test]
fn a_drawn_rate_is_drawn_once_per_future() {
    let s =
        scenario(&CURRENCY.replace("EUR_RATE", r#"{ dist = "uniform", min = 1.0, max = 1.2 }"#));
    let recs = records(&s, 5, 0..20);
    let mut seen = Vec::new();
    for rec in &recs {
        // Both installments of a future convert at its one rate.
        assert_eq!(rec.paid[0], rec.paid[19]);
        let usd = rec.paid[0] as f64 / 100.0 / 287_500_000.0;
        assert!((1.0..=1.2).contains(&usd), "{usd}");
        seen.push(rec.paid[0]);
    }
    seen.sort_unstable();
    seen.dedup();
    assert!(seen.len() > 15, "the rate varies between futures");
    // The rate has its own stream: the other draws of a future do not move with it.
    let fixed = scenario(&CURRENCY.replace("EUR_RATE", "1.16"));
    for (a, b) in recs.iter().zip(records(&fixed, 5, 0..20)) {
        assert_eq!(a.funding[1].paid, b.funding[1].paid);
    }
}

#[test]
fn a_drawn_unit_cost_is_drawn_once_per_future_on_its_own_stream() {
    let text = ESCALATION
        .replace(
            "unit_cost_usd = 100",
            r#"unit_cost_usd = { dist = "triangular", min = 90, mode = 100, max = 130 }"#,
        )
        .replace("price_escalation_per_year = 0.1\n", "");
    let s = scenario(&text);
    let recs = records(&s, 9, 0..20);
    let mut costs: Vec<i64> = recs.iter().map(|r| r.items[0].unit_cost).collect();
    for rec in &recs {
        let c = rec.items[0].unit_cost;
        assert!((9_000..=13_000).contains(&c), "{c}");
        // Three units at the cost, three at 1.5 times it (to the cent).
        let surcharge = (c as f64 * 1.5).round() as i64;
        assert_eq!(rec.channels[0].spent, 3 * c);
        assert_eq!(rec.channels[1].spent, 3 * surcharge);
        assert!(rec.conservation_violations(&s).is_empty());
    }
    // Another funding amount changes nothing about the cost drawn.
    let other = scenario(&text.replace("amount_usd = 2000", "amount_usd = 3000"));
    let again: Vec<i64> = records(&other, 9, 0..20)
        .iter()
        .map(|r| r.items[0].unit_cost)
        .collect();
    assert_eq!(costs, again);
    costs.sort_unstable();
    costs.dedup();
    assert!(costs.len() > 15, "the cost varies between futures");
}

#[test]
fn price_and_currency_keys_are_checked() {
    let eur = "\n[[currency]]\ncode = \"EUR\"\nusd_per_unit = 1.16\n";
    let with_eur = |old: &str, new: &str| format!("{BASE}{eur}").replacen(old, new, 1);
    check(vec![
        case("escalation above 100%", "initial_stock = 1000", "initial_stock = 1000\nprice_escalation_per_year = 2", &[
            "item.shell.price_escalation_per_year: 2 is out of range: expected a yearly rate between -0.5 and 1",
        ]),
        case("drawn cost below a cent", "unit_cost_usd = 4000", "unit_cost_usd = { dist = \"uniform\", min = 0, max = 10 }", &[
            "item.shell.unit_cost_usd",
            "expected US dollars between 0.01 and 1e13",
        ]),
        raw("currency code in lower case", format!("{BASE}\n[[currency]]\ncode = \"eur\"\nusd_per_unit = 1.16\n"), &[
            "currency.eur.code: \"eur\" is not a currency code",
            "help: use three capital letters",
        ]),
        raw("US dollars as a currency", format!("{BASE}\n[[currency]]\ncode = \"USD\"\nusd_per_unit = 1\n"), &[
            "currency.USD.code: USD is the model's own currency",
        ]),
        raw("currency defined twice", format!("{BASE}{eur}{eur}"), &[
            "currency \"EUR\" is defined twice",
        ]),
        raw("zero rate", format!("{BASE}\n[[currency]]\ncode = \"EUR\"\nusd_per_unit = 0\n"), &[
            "currency.EUR.usd_per_unit: 0 is out of range: expected US dollars per unit between",
        ]),
        raw("dated rates out of order", format!("{BASE}\n[[currency]]\ncode = \"EUR\"\nusd_per_unit = [{{ date = 2026-01-01, value = 1.1 }}, {{ date = 2025-12-01, value = 1.2 }}]\n"), &[
            "the dates of usd_per_unit must increase",
        ]),
        raw("amount without currency", with_eur("amount_usd = 50_000_000", "amount = 50_000_000"), &[
            "funding.donor.lump_sum[0]: missing key `currency`",
        ]),
        raw("amount_usd and amount", with_eur("amount_usd = 50_000_000", "amount_usd = 50_000_000\namount = 5"), &[
            "funding.donor.lump_sum[0].amount: both amount_usd and amount are given",
            "not both",
        ]),
        raw("amount_usd and currency", with_eur("amount_usd = 10_000_000", "amount_usd = 10_000_000\ncurrency = \"EUR\""), &[
            "funding.donor.recurring[0].currency: both amount_usd and currency are given",
        ]),
        raw("unknown currency", with_eur("amount_usd = 50_000_000", "amount = 50_000_000\ncurrency = \"EUX\""), &[
            "funding.donor.lump_sum[0].currency: unknown currency \"EUX\"",
            "did you mean \"EUR\"",
        ]),
        raw("currency without a table", BASE.replacen("amount_usd = 50_000_000", "amount = 50_000_000\ncurrency = \"EUR\"", 1), &[
            "unknown currency \"EUR\"",
            "add a [[currency]] table with code = \"EUR\"",
        ]),
        raw("currency without amount", with_eur("amount_usd = 50_000_000", "currency = \"EUR\""), &[
            "funding.donor.lump_sum[0]: missing key `amount`",
        ]),
    ]);
}

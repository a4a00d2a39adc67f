//! One reading of the format: where docs/scenario-format.md could be read two ways, the docs say
//! which reading porcupine follows, and each such place is pinned here.

use porcupine::sampling::Dist;
use porcupine::scenario;
use std::path::Path;

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

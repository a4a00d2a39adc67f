//! bad_input (exploration)
use std::path::Path;

pub const BASE: &str = r#"[scenario]
name = "base"
start = 2025-09-01
horizon_days = 365

[[item]]
name = "shell"
unit_cost_usd = 4000
initial_stock = 1000

[[funding]]
name = "donor"
pays_into = "purl"
payment_probability = 0.9
[[funding.lump_sum]]
date = 2025-10-01
amount_usd = 50_000_000
[[funding.recurring]]
every = "monthly"
amount_usd = 10_000_000

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

[[consumption]]
item = "shell"
daily = { dist = "poisson", mean = 50 }
"#;

#[test]
fn explore() {
    porcupine::scenario::from_str(BASE, Path::new("bad.toml")).unwrap();
    let dir = std::env::var("EXPLORE").unwrap_or_default();
    if dir.is_empty() { return; }
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for f in files {
        if f.extension().map_or(true, |e| e != "toml") { continue; }
        let text = std::fs::read_to_string(&f).unwrap();
        let r = std::panic::catch_unwind(|| porcupine::scenario::from_str(&text, Path::new("bad.toml")));
        println!("===== {}", f.display());
        match r {
            Ok(Ok(_)) => println!("!!! ACCEPTED"),
            Ok(Err(e)) => println!("{e}"),
            Err(_) => println!("!!! PANIC"),
        }
    }
}

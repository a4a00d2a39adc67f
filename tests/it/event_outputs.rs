//! The results of disruption events beyond `summary.json`: `events.csv` (one row per event, the
//! share of futures in which it happened and the distribution of its days disrupted), a section
//! of `report.md`; none of it for a scenario without events.

use crate::util::{bundled, experiment, scenario};
use porcupine::output;
use porcupine::report::{self, Metadata};

fn files(s: &porcupine::scenario::Scenario) -> Vec<output::OutFile> {
    let acc = experiment(s, 200, 4, 2);
    let meta = Metadata {
        version: "test".into(),
        seed: 4,
        runs: 200,
        scenario_file: "x".into(),
        scenario_hash: "0".into(),
        percentile_method: report::percentile_method(),
        reproduce: String::new(),
    };
    let r = report::prepare(s, &acc, meta);
    output::render(s, &r, "").unwrap()
}

#[test]
fn events_get_a_table_and_a_report_section() {
    let s = bundled("examples/disruptions.toml");
    let out = files(&s);
    let csv = out
        .iter()
        .find(|f| f.name == "events.csv")
        .expect("events.csv");
    let text = String::from_utf8(csv.bytes.clone()).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows[0], output::events::HEADER.join(","));
    assert_eq!(rows.len(), 1 + s.events.len());
    assert!(rows[1].starts_with("us-sales-pause,"), "{}", rows[1]);
    // The share of futures is a probability; days disrupted are ordered percentiles.
    for row in &rows[1..] {
        let v: Vec<&str> = row.split(',').collect();
        let p: f64 = v[3].parse().unwrap();
        assert!((0.0..=1.0).contains(&p));
        let q: Vec<f64> = v[7..12].iter().map(|x| x.parse().unwrap()).collect();
        assert!(q.windows(2).all(|w| w[0] <= w[1]), "{q:?}");
    }
    let md = out.iter().find(|f| f.name == "report.md").unwrap();
    let md = String::from_utf8(md.bytes.clone()).unwrap();
    assert!(md.contains("## Disruption events"));
    assert!(md.contains("% of futures"));
}

#[test]
fn no_events_no_event_results() {
    let s = scenario(crate::bad_input::BASE);
    let out = files(&s);
    assert!(out.iter().all(|f| f.name != "events.csv"));
    let md = out.iter().find(|f| f.name == "report.md").unwrap();
    assert!(!String::from_utf8_lossy(&md.bytes).contains("Disruption events"));
}

#[test]
fn stock_losses_report_the_units_each_event_destroyed() {
    // Day 1: "strike" destroys a quarter of a (100 → 25 lost) and of b (40 → 10 lost): 35.
    // Day 5: "fire" destroys half of b's 30: 15. Day 2: "empty" hits c, which has no stock: it
    // happens in every future but destroys nothing. A capacity-free scenario: nothing else moves.
    let s = scenario(
        r#"
[scenario]
name = "losses"
start = 2025-01-01
horizon_days = 10

[[item]]
name = "a"
unit_cost_usd = 1
initial_stock = 100
[[item]]
name = "b"
unit_cost_usd = 1
initial_stock = 40
[[item]]
name = "c"
unit_cost_usd = 1
initial_stock = 0

[[event]]
name = "strike"
applies_to = { items = ["a", "b"] }
effect = "stock_loss"
stock_loss = 0.25
date = 2025-01-02
[[event]]
name = "empty"
applies_to = { items = ["c"] }
effect = "stock_loss"
stock_loss = 0.5
date = 2025-01-03
[[event]]
name = "fire"
applies_to = { items = ["b"] }
effect = "stock_loss"
stock_loss = 0.5
date = 2025-01-06
"#,
    );
    let rec = crate::util::records(&s, 1, 0..1).remove(0);
    let destroyed: Vec<u64> = rec.events.iter().map(|e| e.destroyed).collect();
    assert_eq!(destroyed, [35, 0, 15]);
    assert_eq!(rec.items[1].end_stock, 15);
    assert!(rec.conservation_violations(&s).is_empty());
    let out = files(&s);
    let csv = out.iter().find(|f| f.name == "events.csv").unwrap();
    let text = String::from_utf8(csv.bytes.clone()).unwrap();
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
    let at = |name: &str| rows[0].iter().position(|h| *h == name).unwrap();
    let (mean, se, p) = (
        at("units_destroyed_mean"),
        at("units_destroyed_mean_se"),
        at("prob_destroyed"),
    );
    let got: Vec<[&str; 4]> = rows[1..]
        .iter()
        .map(|r| [r[0], r[mean], r[se], r[p]])
        .collect();
    assert_eq!(
        got,
        [
            ["strike", "35", "0", "1"],
            ["empty", "0", "0", "0"],
            ["fire", "15", "0", "1"]
        ]
    );
    let md = out.iter().find(|f| f.name == "report.md").unwrap();
    let md = String::from_utf8(md.bytes.clone()).unwrap();
    assert!(md.contains("| 35.0 (100.0%) |"), "{md}");
    assert!(md.contains("| 0.0 (0.0%) |"), "{md}");
}

#[test]
fn events_other_than_stock_losses_leave_the_destroyed_columns_empty() {
    let s = bundled("examples/disruptions.toml");
    let out = files(&s);
    let csv = out.iter().find(|f| f.name == "events.csv").unwrap();
    let text = String::from_utf8(csv.bytes.clone()).unwrap();
    for (row, e) in text.lines().skip(1).zip(&s.events) {
        let v: Vec<&str> = row.split(',').collect();
        let blank = v[12..15].iter().all(|x| x.is_empty());
        assert_eq!(blank, e.effect.name() != "stock_loss", "{row}");
    }
}

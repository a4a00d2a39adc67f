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

//! Capacity bought with money: a project paid from a channel's balance adds capacity after its
//! lead time, or fails and loses its money; checked by hand and on the Flamingo example.

use crate::util::{records, scenario};

/// $1,500 arrive on day 0. The channel orders every 5 days; on day 5 it first pays the $1,000
/// project (before its buys), then buys 50 units at $10 with the $500 left. The line makes 2 a
/// day; the project is done on day 5 + 10 = 15 and adds 3 a day from that day's production.
///
/// | days  | made a day | made in all (end of the last day) |
/// |-------|-----------:|----------------------------------:|
/// | 1–4   | 0 (nothing ordered) | 0  |
/// | 5–14  | 2          | 20 |
/// | 15–20 | 5          | 50 |
/// | 21–30 | 0 (nothing left to make) | 50 |
const PROJECT: &str = r#"
[scenario]
name = "project"
start = 2025-01-01
horizon_days = HORIZON

[[item]]
name = "shell"
unit_cost_usd = 10
initial_stock = 0

[[funding]]
name = "gov"
pays_into = "buy"
[[funding.lump_sum]]
date = 2025-01-01
amount_usd = 1500

[[channel]]
name = "buy"
order_every_days = 5
[[channel.buy]]
item = "shell"
share = 1.0

[[line]]
name = "factory"
item = "shell"
capacity = [{ date = 2025-01-01, per_day = 2 }]
[[line.expansion]]
name = "second-shift"
funded_by = "buy"
cost_usd = 1000
adds_per_day = 3
lead_time_days = 10
SUCCESS
"#;

fn made_by(day: u32) -> u64 {
    match day {
        0..=4 => 0,
        5..=14 => 2 * u64::from(day - 4),
        15..=20 => 20 + 5 * u64::from(day - 14),
        _ => 50,
    }
}

#[test]
fn a_project_adds_capacity_after_its_lead_time() {
    for day in 1..=30 {
        let s = scenario(
            &PROJECT
                .replace("HORIZON", &day.to_string())
                .replace("SUCCESS", ""),
        );
        let rec = &records(&s, 1, 0..1)[0];
        assert_eq!(rec.lines[0].produced, made_by(day), "day {day}");
        let e = &rec.expansions[0];
        if day >= 5 {
            assert_eq!((e.paid, e.funded), (100_000, Some(5)), "day {day}");
            assert_eq!(rec.channels[0].capacity, 100_000);
            assert_eq!(rec.channels[0].spent, 50_000);
            assert_eq!(rec.channels[0].balance, 0);
        } else {
            assert_eq!(*e, porcupine::engine::ExpansionLedger::default());
        }
        let done = (day >= 15).then_some(15);
        assert_eq!(
            (e.done, e.succeeded),
            (done, done.map(|_| true)),
            "day {day}"
        );
        assert!(rec.conservation_violations(&s).is_empty());
    }
}

#[test]
fn a_failed_project_loses_its_money_and_adds_nothing() {
    let s = scenario(
        &PROJECT
            .replace("HORIZON", "30")
            .replace("SUCCESS", "success_probability = 0"),
    );
    let rec = &records(&s, 1, 0..1)[0];
    // 2 a day from day 5 through day 29 finishes the 50 units on day 29.
    assert_eq!(rec.lines[0].produced, 50);
    let e = &rec.expansions[0];
    assert_eq!((e.done, e.succeeded), (Some(15), Some(false)));
    assert_eq!(
        (rec.channels[0].capacity, rec.channels[0].lost),
        (0, 100_000)
    );
    let s = scenario(
        &PROJECT
            .replace("HORIZON", "20")
            .replace("SUCCESS", "success_probability = 0"),
    );
    assert_eq!(records(&s, 1, 0..1)[0].lines[0].produced, 32);
}

#[test]
fn bad_projects_are_refused_with_place_and_hint() {
    let base = PROJECT.replace("HORIZON", "30").replace("SUCCESS", "");
    let cases: [(String, &[&str]); 4] = [
        (
            base.replace("funded_by = \"buy\"", "funded_by = \"buyy\""),
            &[
                "line.factory.expansion[0].funded_by",
                "no channel named \"buyy\"",
            ],
        ),
        (
            base.replace("adds_per_day = 3", "adds_per_day = 3\nadds_per_year = 100"),
            &["line.factory.expansion", "exactly one of adds_per_day"],
        ),
        (
            base.replace(
                "lead_time_days = 10",
                "lead_time_days = 10\nsuccess_probability = 1.5",
            ),
            &["success_probability", "between 0 and 1"],
        ),
        (
            base.replace(
                "lead_time_days = 10",
                "lead_time_days = 10\nearliest = 2030-01-01",
            ),
            &["earliest", "outside the simulated period"],
        ),
    ];
    for (toml, expect) in cases {
        let e = match porcupine::scenario::from_str(&toml, std::path::Path::new("bad.toml")) {
            Ok(_) => panic!("accepted:\n{toml}"),
            Err(e) => e.to_string(),
        };
        for want in expect {
            assert!(e.contains(want), "missing {want:?} in:\n{e}");
        }
    }
}

/// Mean Flamingo deliveries and end backlog of the expansion example, with the quarterly money
/// multiplied by `k`, with or without the project.
fn flamingo(k: f64, project: bool) -> (f64, f64) {
    let mut text = std::fs::read_to_string(
        crate::util::root().join("scenarios/examples/capacity-expansion.toml"),
    )
    .unwrap()
    .replace(
        "amount_usd = 500_000_000",
        &format!("amount_usd = {:.0}", 500_000_000.0 * k),
    );
    if !project {
        let cut = text.find("# [A] no public figures").unwrap();
        let end = text.find("[[consumption]]").unwrap();
        text.replace_range(cut..end, "");
    }
    let s = scenario(&text);
    let recs = records(&s, 9, 0..300);
    let n = recs.len() as f64;
    let delivered = recs
        .iter()
        .map(|r| r.items[0].delivered as f64)
        .sum::<f64>()
        / n;
    let backlog = recs.iter().map(|r| r.lines[0].backlog as f64).sum::<f64>() / n;
    (delivered, backlog)
}

#[test]
fn expansion_money_raises_deliveries_while_the_same_money_alone_grows_the_backlog() {
    let base = flamingo(1.0, false);
    let more = flamingo(1.5, false);
    let built = flamingo(1.5, true);
    // The line is the bottleneck: more money without a project delivers the same, and waits.
    assert!((more.0 - base.0).abs() < 1.0, "{base:?} {more:?}");
    assert!(more.1 > base.1 + 500.0, "{base:?} {more:?}");
    // The same money with the project: more delivered after its lead time, less waiting.
    assert!(built.0 > more.0 + 200.0, "{more:?} {built:?}");
    assert!(built.1 < more.1, "{more:?} {built:?}");
}

#[test]
fn results_report_each_project_and_the_money_it_took() {
    let s = scenario(
        &PROJECT
            .replace("HORIZON", "30")
            .replace("SUCCESS", "success_probability = 0"),
    );
    let acc = crate::util::experiment(&s, 20, 1, 2);
    assert_eq!(acc.expansions[0].failed, 20);
    assert_eq!(acc.expansions[0].done_on[15], 20);
    assert_eq!(acc.channels[0].lost, 20 * 100_000);
    let meta = porcupine::report::Metadata {
        version: "t".into(),
        seed: 1,
        runs: 20,
        scenario_file: "project.toml".into(),
        scenario_hash: "abc".into(),
        percentile_method: porcupine::report::percentile_method(),
        reproduce: String::new(),
    };
    let r = porcupine::report::prepare(&s, &acc, meta);
    let x = &r.summary.expansions[0];
    assert_eq!(
        (x.share_funded, x.share_failed, x.paid_usd),
        (1.0, 1.0, 1000.0)
    );
    assert_eq!(
        x.done_p50.map(|d| d.to_string()).as_deref(),
        Some("2025-01-16")
    );
    let files = porcupine::output::render(&s, &r, "").unwrap();
    assert!(files.iter().any(|f| f.name == "expansions.csv"));
}

//! Risk measures worked out by hand: a stock of 40 used at exactly 1 a day from day 1 is zero
//! from day 40 (2026-02-10) on, in every future.

use crate::util::{bundled, experiment, records, scenario};
use porcupine::report::{self, Metadata};
use porcupine::stats::risk;

/// 2026-01-01 to 2026-02-28: days 0 to 58; closing stock on day d is 40 − d until day 40.
fn tiny(report: &str) -> String {
    format!(
        r#"
[scenario]
name = "tiny"
start = 2026-01-01
end = 2026-02-28

[[item]]
name = "shell"
unit_cost_usd = 1000
initial_stock = 40
safe_stock = 15

[[consumption]]
item = "shell"
daily = 1
{report}
"#
    )
}

fn prepared(text: &str) -> report::Results {
    let s = scenario(text);
    let acc = experiment(&s, 7, 1, 2);
    report::prepare(
        &s,
        &acc,
        Metadata {
            version: "t".into(),
            seed: 1,
            runs: 7,
            scenario_file: "tiny.toml".into(),
            scenario_hash: "abc".into(),
            percentile_method: report::percentile_method(),
            reproduce: String::new(),
        },
    )
}

const WINDOWS: &str = r#"
[[report.window]]
name = "january"
from = 2026-01-01
to = 2026-01-31
[[report.window]]
name = "around-zero"
from = 2026-02-05
to = 2026-02-10
[[report.window]]
name = "before-zero"
from = 2026-02-05
to = 2026-02-09
"#;

#[test]
fn first_zero_days_at_zero_and_windows_match_the_hand_count() {
    let r = prepared(&tiny(&format!("[report]\n{WINDOWS}")));
    let k = &r.summary.items[0].risk;
    assert_eq!(k.counted_from.to_string(), "2026-01-01");
    assert_eq!(k.prob_zero_any_day, 1.0);
    // Every future: first zero on day 40, 2026-02-10.
    for d in [k.first_zero.p5, k.first_zero.p50, k.first_zero.p95] {
        assert_eq!(d.map(|d| d.to_string()).as_deref(), Some("2026-02-10"));
    }
    assert_eq!(k.first_zero.share_never, 0.0);
    // Days 40 to 58 closed at zero: 19 days, the same in every future.
    assert_eq!(k.expected_days_at_zero, 19.0);
    assert_eq!(k.expected_days_at_zero_se, 0.0);
    // 40 units used over 59 days of 365.25 / 12: 40 / (59 / 30.4375) a month; nothing left.
    assert!((k.mean_monthly_use - 40.0 / (59.0 / 30.4375)).abs() < 1e-12);
    assert_eq!(k.months_of_cover_at_end, Some(0.0));
    // End of January: 10 left (below the safe 15, not zero); end of February: zero.
    let months: Vec<(String, f64, Option<f64>)> = k
        .by_month
        .iter()
        .map(|m| (m.month.clone(), m.prob_zero, m.prob_below_safe))
        .collect();
    assert_eq!(
        months,
        [
            ("2026-01".to_owned(), 0.0, Some(1.0)),
            ("2026-02".to_owned(), 1.0, Some(1.0))
        ]
    );
    let windows: Vec<(&str, f64)> = k
        .windows
        .iter()
        .map(|w| (w.name.as_str(), w.prob_zero_any_day))
        .collect();
    assert_eq!(
        windows,
        [("january", 0.0), ("around-zero", 1.0), ("before-zero", 0.0)]
    );
}

#[test]
fn a_warm_up_leaves_out_the_days_before_it() {
    let r = prepared(&tiny(&format!("[report]\nwarm_up = 2026-02-15\n{}", "")));
    let k = &r.summary.items[0].risk;
    assert_eq!(k.counted_from.to_string(), "2026-02-15");
    // Counted from day 45: days 45 to 58 at zero, the first counted day already at zero.
    assert_eq!(k.expected_days_at_zero, 14.0);
    assert_eq!(
        k.first_zero.p50.map(|d| d.to_string()).as_deref(),
        Some("2026-02-15")
    );
    let months: Vec<&str> = k.by_month.iter().map(|m| m.month.as_str()).collect();
    assert_eq!(months, ["2026-02"]);
}

#[test]
fn a_stock_that_never_runs_out_is_never_at_zero() {
    let r = prepared(&tiny("").replace("initial_stock = 40", "initial_stock = 100"));
    let k = &r.summary.items[0].risk;
    assert_eq!(k.prob_zero_any_day, 0.0);
    assert_eq!(k.first_zero.share_never, 1.0);
    assert_eq!(k.first_zero.p50, None);
    assert_eq!(k.expected_days_at_zero, 0.0);
    // 58 used, 42 left: 42 / (58 / (59 / 30.4375)) months.
    let cover = k.months_of_cover_at_end.unwrap();
    assert!((cover - 42.0 / (58.0 / (59.0 / 30.4375))).abs() < 1e-9);
    assert_eq!(risk::DAYS_PER_MONTH, 30.4375);
}

#[test]
fn the_outputs_show_the_risk_measures() {
    let r = prepared(&tiny(&format!("[report]\n{WINDOWS}")));
    let s = scenario(&tiny(&format!("[report]\n{WINDOWS}")));
    let files = porcupine::output::render(&s, &r, "").unwrap();
    let text = |name: &str| {
        String::from_utf8(files.iter().find(|f| f.name == name).unwrap().bytes.clone()).unwrap()
    };
    assert_eq!(
        text("risk_by_month.csv"),
        "item,month,date,prob_zero,prob_below_safe\nshell,2026-01,2026-01-31,0,1\nshell,2026-02,2026-02-28,1,1\n"
    );
    let csv = text("summary.csv");
    let header = csv.lines().next().unwrap();
    assert!(header.ends_with(
        "expected_days_at_zero,expected_days_at_zero_se,months_of_cover_at_end,window_january_prob_zero_any_day,window_around-zero_prob_zero_any_day,window_before-zero_prob_zero_any_day"
    ));
    assert!(csv.lines().nth(1).unwrap().ends_with(",19,0,0,0,1,0"));
    let json = text("summary.json");
    assert!(json.contains("\"first_zero\""), "{json}");
    assert!(
        json.contains("\"prob_any_shortfall\""),
        "kept for compatibility"
    );
    let md = text("report.md");
    assert!(md.contains("## Risk of running out"));
    assert!(
        md.lines()
            .any(|l| l.contains("around") && l.contains("| 2026-02-05 | 2026-02-10 | 100.0% |")),
        "{md}"
    );
    assert!(text("report.html").contains("chance of no stock on any day"));
}

#[test]
fn bad_report_settings_are_clear_errors() {
    for (report, message) in [
        (
            "[report]\nwarm_up = 2027-01-01\n",
            "outside the simulated period",
        ),
        (
            "[report]\n[[report.window]]\nname = \"w\"\nfrom = 2026-02-01\nto = 2026-01-01\n",
            "ends on 2026-01-01 before it starts on 2026-02-01",
        ),
        (
            "[report]\nwarm_up = 2026-02-01\n[[report.window]]\nname = \"w\"\nfrom = 2026-01-01\nto = 2026-01-10\n",
            "before the warm-up date",
        ),
        ("[report]\nwarmup = 2026-02-01\n", "unknown key `warmup`"),
        (
            "[report]\n[[report.window]]\nname = \"w\"\nfrom = 2026-01-01\n",
            "missing key `to`",
        ),
    ] {
        let err = porcupine::scenario::from_str(&tiny(report), std::path::Path::new("t.toml"))
            .err()
            .unwrap_or_else(|| panic!("{report} was accepted"))
            .to_string();
        assert!(err.contains(message), "{report}: {err}");
        assert!(err.contains("report."), "{report}: no key path in {err}");
    }
}

#[test]
fn the_days_at_zero_counted_in_a_run_are_those_of_its_stock_path() {
    // The engine counts each item's days at zero and its first day at zero (from the warm-up
    // day on) as it goes; the risk measures use those counts instead of reading the path again.
    for name in ["examples/risk-windows.toml", "bench-canonical.toml"] {
        let s = bundled(name);
        let days = s.days();
        let warm = s.report.warm_up.0 as usize;
        let mut zeros_seen = 0;
        for rec in records(&s, 11, 0..40) {
            for (i, led) in rec.items.iter().enumerate() {
                let counted = &rec.stock_of(i, days)[warm.min(days)..];
                let at_zero = counted.iter().filter(|&&v| v == 0).count();
                let first = counted.iter().position(|&v| v == 0);
                assert_eq!(
                    (led.days_at_zero as usize, led.first_zero),
                    (at_zero, first.map(|d| (warm + d) as u32)),
                    "{name}, future {}, item {i}",
                    rec.run
                );
                zeros_seen += at_zero;
            }
        }
        assert!(zeros_seen > 0, "{name}: some future runs out");
    }
}

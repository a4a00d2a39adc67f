//! Delays whose parameters are drawn once per future (`delivery_lag_days = { dist = "lognormal",
//! median = { dist = "uniform", … }, p90 = 200 }`, likewise payment and contract delays): each
//! future draws its law with the value `runs.csv` reports (matched exactly on a line's
//! deliveries), or the copula's value when it is correlated; across futures the deliveries
//! follow the closed form of the mixed law; an event's `duration_days` and a regime factor's
//! `fatigued_days` are drawn likewise (a dated pause lasts exactly the drawn days; every
//! occurrence and spell of a future uses its law); a parameter written as a single number keeps the old draws; the results do not depend on the
//! thread count; and a law that some future could draw invalid is refused at load time.

use crate::bad_input::{case, check};
use crate::util::{column, prepared, records, runs_csv_of, scenario};
use porcupine::analysis::sensitivity::inputs;

/// One line making 10 units a day for one large order (money for a million units on day 0, an
/// order every day), nothing used: the units delivered by day 200 depend only on the delays.
fn line(lag: &str, payment: &str, contract: &str) -> String {
    format!(
        r#"[scenario]
name = "lags"
start = 2025-01-01
horizon_days = 200

[[item]]
name = "x"
unit_cost_usd = 1000
initial_stock = 0

[[funding]]
name = "donor"
pays_into = "c"
payment_delay_days = {payment}
[[funding.lump_sum]]
date = 2025-01-01
amount_usd = 1_000_000_000

[[channel]]
name = "c"
order_every_days = 1
contract_delay_days = {contract}
[[channel.buy]]
item = "x"
share = 1.0

[[line]]
name = "l"
item = "x"
capacity = [{{ date = 2025-01-01, per_day = 10 }}]
delivery_lag_days = {lag}
"#
    )
}

/// The value of the per-future draw at `path` in future `run` of seed `seed`.
fn drawn(s: &porcupine::scenario::Scenario, path: &str, seed: u64, run: u64) -> f64 {
    inputs(s)
        .into_iter()
        .find(|i| i.path == path)
        .unwrap_or_else(|| panic!("{path} is not a per-future draw"))
        .value(seed, run)
}

#[test]
fn each_future_ships_with_the_lag_it_drew() {
    // With lag L days, the batch made on day d arrives on d + L and counts when d + L ≤ 200:
    // of the n production days that deliver with no lag, n − L deliver, so each future delivers
    // exactly 10·(n − ⌈v⌉), v its drawn value.
    let none = records(&scenario(&line("0", "0", "0")), 5, 0..1)[0].lines[0].delivered;
    assert!(none > 1_500, "{none}");
    let text = line(
        "{ dist = \"fixed\", value = { dist = \"uniform\", min = 10, max = 40 } }",
        "0",
        "0",
    );
    let s = scenario(&text);
    for (run, r) in records(&s, 5, 0..40).iter().enumerate() {
        let v = drawn(&s, "line.l.delivery_lag_days.value", 5, run as u64);
        assert!((10.0..=40.0).contains(&v), "{v}");
        assert_eq!(
            r.lines[0].delivered,
            none - 10 * v.ceil() as u64,
            "run {run}: lag {v}"
        );
    }
    // runs.csv reports that value: its column gives each future's deliveries by the same rule.
    let (header, rows) = runs_csv_of(&text, 25, 5);
    let value = column(&header, "line.l.delivery_lag_days.value");
    let delivered = column(&header, "x.delivered");
    for (n, row) in rows.iter().enumerate() {
        let v: f64 = row[value].parse().unwrap();
        assert_eq!(v, drawn(&s, "line.l.delivery_lag_days.value", 5, n as u64));
        let d: u64 = row[delivered].parse().unwrap();
        assert_eq!(d, none - 10 * v.ceil() as u64, "run {n}");
    }
    assert_eq!(rows.len(), 25);
}

#[test]
fn a_correlated_lag_parameter_is_the_copula_value() {
    // Correlated with a factor level (which nothing loads on), the lag's value comes from the
    // copula, not from its own stream; runs.csv reports that value and the engine ships with it.
    let none = records(&scenario(&line("0", "0", "0")), 5, 0..1)[0].lines[0].delivered;
    let text = format!(
        "{}\n[[factor]]\nname = \"mood\"\nkind = \"level\"\nlevel = {{ dist = \"uniform\", min = 0.5, max = 1 }}\n\n\
         [[correlation]]\nbetween = [\"line.l.delivery_lag_days.value\", \"factor.mood.level\"]\nrank = 0.9\n",
        line(
            "{ dist = \"fixed\", value = { dist = \"uniform\", min = 10, max = 40 } }",
            "0",
            "0"
        )
    );
    let s = scenario(&text);
    let draws = porcupine::analysis::draws::Draws::new(&s);
    let k = draws
        .inputs
        .iter()
        .position(|i| i.path == "line.l.delivery_lag_days.value")
        .unwrap();
    let (mut scratch, mut values) = (Vec::new(), Vec::new());
    let mut moved = 0;
    for (run, r) in records(&s, 5, 0..30).iter().enumerate() {
        draws.values_into(5, run as u64, &mut scratch, &mut values);
        let v = values[k];
        assert_eq!(
            r.lines[0].delivered,
            none - 10 * v.ceil() as u64,
            "run {run}"
        );
        moved += usize::from(v != draws.inputs[k].value(5, run as u64));
    }
    assert!(
        moved > 25,
        "the copula sets the value ({moved} of 30 differ from the own stream)"
    );
}

#[test]
fn payment_and_contract_delays_use_the_drawn_value() {
    // Each future equals, record for record, the same scenario with its delays fixed at the
    // whole days it drew (a fixed delay draws nothing, so every other stream is the same).
    let uniform = "{ dist = \"fixed\", value = { dist = \"uniform\", min = 0, max = 30 } }";
    let pert = "{ dist = \"fixed\", value = { dist = \"pert\", min = 2, mode = 5, max = 20 } }";
    let s = scenario(&line(pert, uniform, uniform));
    let all = records(&s, 8, 0..12);
    for (run, rec) in all.iter().enumerate() {
        let run = run as u64;
        let days = |path: &str| drawn(&s, path, 8, run).ceil().to_string();
        let fixed = scenario(&line(
            &days("line.l.delivery_lag_days.value"),
            &days("funding.donor.payment_delay_days.value"),
            &days("channel.c.contract_delay_days.value"),
        ));
        let alone = records(&fixed, 8, run..run + 1);
        assert_eq!(alone[0].items, rec.items, "run {run}");
        assert_eq!(alone[0].lines, rec.lines, "run {run}");
        assert_eq!(alone[0].funding, rec.funding, "run {run}");
    }
}

#[test]
fn an_uncertain_longest_lag_matches_the_closed_form() {
    // L = ⌈U(0, M)⌉ with M ~ uniform(10, 30) drawn once per future. Given M, the batch made j
    // days before the horizon arrives in time with probability p_j(M) = P(U ≤ j) = min(1, j/M),
    // independently, so E[delivered | M] = 10·Σ p_j(M) and Var(delivered | M) =
    // 100·Σ p_j(1 − p_j); across futures E = E[10·Σ p_j] and
    // Var = E[100·Σ p_j(1 − p_j)] + Var(10·Σ p_j), integrated over M (midpoint rule).
    let n = records(&scenario(&line("0", "0", "0")), 5, 0..1)[0].lines[0].delivered / 10;
    let s = scenario(&line(
        "{ dist = \"uniform\", min = 0, max = { dist = \"uniform\", min = 10, max = 30 } }",
        "0",
        "0",
    ));
    let futures = 4_000;
    let got: Vec<f64> = records(&s, 21, 0..futures)
        .iter()
        .map(|r| r.lines[0].delivered as f64)
        .collect();
    let (steps, mut e, mut e2, mut within) = (4_000, 0.0, 0.0, 0.0);
    for k in 0..steps {
        let m = 10.0 + 20.0 * (k as f64 + 0.5) / steps as f64;
        let p = |j: u64| (j as f64 / m).min(1.0);
        let mean: f64 = (0..n).map(|j| 10.0 * p(j)).sum();
        e += mean / steps as f64;
        e2 += mean * mean / steps as f64;
        within += (0..n).map(|j| 100.0 * p(j) * (1.0 - p(j))).sum::<f64>() / steps as f64;
    }
    let var = within + e2 - e * e;
    let f = futures as f64;
    let mean = got.iter().sum::<f64>() / f;
    let sample_var = got.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (f - 1.0);
    // Tolerance: 4 standard errors of the mean; 10% on the variance (its relative standard
    // error on 4,000 near-normal futures is about √(2/4000) ≈ 2.2%).
    let se = (var / f).sqrt();
    assert!((mean - e).abs() < 4.0 * se, "{mean} vs {e} (SE {se})");
    assert!(
        (sample_var / var - 1.0).abs() < 0.1,
        "{sample_var} vs {var}"
    );
    // With M fixed at its mean (20), the futures vary far less: the drawn M is what widens them.
    let fixed: f64 = (0..n)
        .map(|j| {
            let p = (j as f64 / 20.0).min(1.0);
            100.0 * p * (1.0 - p)
        })
        .sum();
    assert!(var > 2.5 * fixed, "{var} vs {fixed}");
}

#[test]
fn a_single_number_keeps_the_old_draws() {
    let a = scenario(&line(
        "{ dist = \"lognormal\", median = 20, p90 = 40 }",
        "0",
        "0",
    ));
    let b = scenario(&line(
        "{ dist = \"lognormal\", median = { dist = \"fixed\", value = 20 }, p90 = { dist = \"uniform\", min = 40, max = 40 } }",
        "0",
        "0",
    ));
    assert!(b.lines[0].lag_drawn.is_none());
    let (ra, rb) = (records(&a, 3, 0..10), records(&b, 3, 0..10));
    for (x, y) in ra.iter().zip(&rb) {
        assert_eq!(x.lines, y.lines);
    }
}

#[test]
fn uncertain_lags_are_reproducible_and_thread_independent() {
    let s = crate::util::bundled("examples/uncertain-lags.toml");
    assert!(s.lines[0].lag_drawn.is_some());
    assert!(s.funding[0].delay_drawn.is_some());
    assert!(s.channels[0].buys[0].contract_delay_drawn.is_some());
    assert!(s.events[0].duration_drawn.is_some());
    let batch = records(&s, 42, 0..6);
    let alone = records(&s, 42, 4..5);
    assert_eq!(batch[4].items, alone[0].items);
    assert_eq!(batch[4].lines, alone[0].lines);
    assert_ne!(batch[4].items, batch[5].items);
    let summary = |threads| {
        let r = prepared(&s, 200, 9, threads);
        (
            porcupine::output::summary_json(&r).unwrap(),
            porcupine::output::daily_csv(&r).unwrap(),
        )
    };
    assert!(summary(1) == summary(2), "1 and 2 threads differ");
}

#[test]
fn bad_uncertain_delays() {
    const LINE: &str = "capacity = [{ date = 2025-09-01, per_day = 100 }]";
    let lag = |law: &str| format!("{LINE}\ndelivery_lag_days = {law}");
    check(vec![
        case("median drawn above p90", LINE, &lag("{ dist = \"lognormal\", median = { dist = \"uniform\", min = 60, max = 250 }, p90 = 200 }"), &[
            "bad.toml:33:52",
            "line.shell-line.delivery_lag_days.median: some futures would draw an invalid law: with median = 250",
            "p90 (200) must be greater than median (250)",
            "help: the law must be valid for every value",
        ]),
        case("drawn min above max", "payment_probability = 0.9", "payment_probability = 0.9\npayment_delay_days = { dist = \"uniform\", min = { dist = \"triangular\", min = 0, mode = 5, max = 20 }, max = 10 }", &[
            "funding.donor.payment_delay_days.min: some futures would draw an invalid law: with min = 20 (ends of the drawn ranges), max (10) is less than min (20)",
        ]),
        case("negative drawn parameter", "order_every_days = 30", "order_every_days = 30\ncontract_delay_days = { dist = \"uniform\", min = 0, max = { dist = \"uniform\", min = -5, max = 10 } }", &[
            "channel.purl.contract_delay_days.max.min: -5 is out of range",
        ]),
        case("unbounded drawn parameter", LINE, &lag("{ dist = \"uniform\", min = 0, max = { dist = \"poisson\", mean = 20 } }"), &[
            "line.shell-line.delivery_lag_days.max: `max` is drawn from a distribution with no largest value",
            "help: a parameter drawn once per future needs a bounded distribution",
        ]),
        case("lognormal median can come close to 0", LINE, &lag("{ dist = \"lognormal\", median = { dist = \"lognormal\", median = 50, p90 = 80 }, p90 = 3000 }"), &[
            "with median = 0 (ends of the drawn ranges), median must be greater than 0",
            "a lognormal comes arbitrarily close to 0",
        ]),
        case("drawn parameter of a key that takes numbers", LINE, &format!("{LINE}\nramp_slip_days = {{ dist = \"uniform\", min = {{ dist = \"uniform\", min = 0, max = 5 }}, max = 10 }}"), &[
            "line.shell-line.ramp_slip_days.min: `min` is a distribution, but here each parameter must be a number",
            "help: a parameter may be drawn once per future only in daily use",
        ]),
        case("event duration drawn past its max", LINE, &format!("{LINE}\n\n[[event]]\nname = \"strike\"\napplies_to = {{ lines = [\"shell-line\"] }}\neffect = \"pause_deliveries\"\nrate_per_year = 1\nduration_days = {{ dist = \"triangular\", min = 0, mode = {{ dist = \"uniform\", min = 5, max = 50 }}, max = 40 }}"), &[
            "event.strike.duration_days.mode: some futures would draw an invalid law: with mode = 50 (ends of the drawn ranges)",
            "help: the law must be valid for every value",
        ]),
        case("factor fatigued_days median drawn above p90", LINE, &format!("{LINE}\n\n[[factor]]\nname = \"fatigue\"\nkind = \"regime\"\nto_fatigued_per_year = 1\nfatigued_days = {{ dist = \"lognormal\", median = {{ dist = \"uniform\", min = 30, max = 120 }}, p90 = 90 }}"), &[
            "factor.fatigue.fatigued_days.median: some futures would draw an invalid law: with median = 120",
            "p90 (90) must be greater than median (120)",
        ]),
        case("a drawn parameter's own parameter drawn", LINE, &lag("{ dist = \"uniform\", min = 0, max = { dist = \"uniform\", min = 5, max = { dist = \"uniform\", min = 10, max = 20 } } }"), &[
            "line.shell-line.delivery_lag_days.max.max: `max` is a distribution, but here each parameter must be a number",
        ]),
    ]);
}

/// [`line`] with a delivery pause on line `l` and a regime factor the donor loads on.
fn disrupted(duration: &str, start: &str, fatigued: &str) -> String {
    format!(
        "{}\n[[event]]\nname = \"strike\"\napplies_to = {{ lines = [\"l\"] }}\neffect = \"pause_deliveries\"\n{start}\nduration_days = {duration}\n\n\
         [[factor]]\nname = \"fatigue\"\nkind = \"regime\"\nto_fatigued_per_year = 20\nfatigued_days = {fatigued}\n",
        line("0", "0", "0").replace("payment_delay_days = 0", "payment_delay_days = 0\nfactor = { name = \"fatigue\", fatigued_multiplier = 0.3 }\n[[funding.recurring]]\nevery_days = 7\namount_usd = 100_000")
    )
}

#[test]
fn a_dated_events_duration_is_the_drawn_value() {
    // One occurrence on day 20, lasting ⌈v⌉ whole days (v its drawn value, 5 to 60, all within
    // the horizon): the event's days in effect are exactly ⌈v⌉, v as runs.csv reports it.
    let text = disrupted(
        "{ dist = \"fixed\", value = { dist = \"uniform\", min = 5, max = 60 } }",
        "date = 2025-01-21",
        "30",
    );
    let s = scenario(&text);
    assert!(s.events[0].duration_drawn.is_some());
    let path = "event.strike.duration_days.value";
    let mut seen = Vec::new();
    for (run, r) in records(&s, 4, 0..30).iter().enumerate() {
        let v = drawn(&s, path, 4, run as u64);
        assert!((5.0..=60.0).contains(&v), "{v}");
        assert_eq!(r.events[0].occurrences, 1);
        assert_eq!(r.events[0].days, v.ceil() as u32, "run {run}: {v}");
        seen.push(r.events[0].days);
        assert!(r.conservation_violations(&s).is_empty());
    }
    seen.dedup();
    assert!(seen.len() > 10, "{seen:?}");
    // runs.csv lists the drawn duration under its key path.
    let (header, rows) = runs_csv_of(&text, 10, 4);
    let col = column(&header, path);
    for (n, row) in rows.iter().enumerate() {
        let v: f64 = row[col].parse().unwrap();
        assert_eq!(v, drawn(&s, path, 4, n as u64));
    }
    assert_eq!(rows.len(), 10);
}

#[test]
fn every_occurrence_and_spell_of_a_future_uses_its_drawn_law() {
    // Random occurrences and fatigued spells: each future equals, record for record, the same
    // scenario with the duration and the spells' length fixed at the whole days it drew (a
    // fixed law draws nothing, so every other stream is the same), so every occurrence and
    // every spell of the future lasted exactly that.
    let uniform = |a, b| {
        format!("{{ dist = \"fixed\", value = {{ dist = \"uniform\", min = {a}, max = {b} }} }}")
    };
    let start = "rate_per_year = 8";
    let s = scenario(&disrupted(&uniform(2, 30), start, &uniform(5, 40)));
    assert!(s.events[0].duration_drawn.is_some());
    let all = records(&s, 6, 0..12);
    let mut differ = 0;
    for (run, rec) in all.iter().enumerate() {
        let run = run as u64;
        let days = |path: &str| drawn(&s, path, 6, run).ceil().to_string();
        let fixed = scenario(&disrupted(
            &days("event.strike.duration_days.value"),
            start,
            &days("factor.fatigue.fatigued_days.value"),
        ));
        let alone = records(&fixed, 6, run..run + 1);
        assert_eq!(alone[0].items, rec.items, "run {run}");
        assert_eq!(alone[0].lines, rec.lines, "run {run}");
        assert_eq!(alone[0].funding, rec.funding, "run {run}");
        assert_eq!(alone[0].events, rec.events, "run {run}");
        differ += usize::from(rec.funding != all[0].funding);
        assert!(rec.conservation_violations(&s).is_empty());
    }
    assert!(differ > 8, "{differ}");
}

//! Correlated per-future draws (`[[correlation]]`, a Gaussian copula within each future): the
//! requested rank correlation is reached within sampling error on 10,000 futures, each marginal
//! keeps its law (Kolmogorov–Smirnov), every future stays reproducible alone and the same
//! whatever the number of futures or threads; bad correlations are refused with the pair that
//! breaks them.

use crate::bad_input::{check, raw};
use crate::util::{prepared, records, scenario};
use porcupine::engine::{Simulator, Worker};
use porcupine::scenario::Scenario;

/// A line with an uncertain ramp slip and two level factors, correlated by `correlations`.
fn base(correlations: &str) -> String {
    format!(
        r#"[scenario]
name = "c"
start = 2025-01-01
horizon_days = 365

[[item]]
name = "x"
unit_cost_usd = 100
initial_stock = 0

[[channel]]
name = "pool"
order_every_days = 30
[[channel.buy]]
item = "x"
share = 1.0

[[line]]
name = "l"
item = "x"
capacity = [{{ date = 2025-01-01, per_day = 1 }}, {{ date = 2025-06-01, per_day = 5 }}]
ramp_slip_days = {{ dist = "lognormal", median = 30, p90 = 90 }}

[[funding]]
name = "d"
pays_into = "pool"
factor = {{ name = "mood" }}
[[funding.lump_sum]]
date = 2025-01-01
amount_usd = 1_000_000

[[funding]]
name = "e"
pays_into = "pool"
factor = {{ name = "hope" }}
[[funding.lump_sum]]
date = 2025-01-01
amount_usd = 1_000_000

[[factor]]
name = "mood"
kind = "level"
level = {{ dist = "uniform", min = 0, max = 1 }}

[[factor]]
name = "hope"
kind = "level"
level = {{ dist = "pert", min = 0.2, mode = 0.5, max = 1 }}

[[consumption]]
item = "x"
daily = {{ dist = "poisson", mean = 1 }}
{correlations}"#
    )
}

const TWO: &str = r#"
[[correlation]]
between = ["line.l.ramp_slip_days", "factor.mood.level"]
rank = -0.6

[[correlation]]
between = ["factor.hope.level", "factor.mood.level"]
rank = 0.5
"#;

/// The correlated values of `n` futures, one column per draw.
fn columns(s: &Scenario, seed: u64, n: u64) -> Vec<Vec<f64>> {
    let sim = Simulator::new(s);
    let mut w = Worker::new(s);
    let k = s.correlations.draws.len();
    let mut cols = vec![Vec::with_capacity(n as usize); k];
    for run in 0..n {
        for (c, &v) in cols.iter_mut().zip(w.correlated_values(&sim, seed, run)) {
            c.push(v);
        }
    }
    cols
}

/// Ranks 1..n (the draws here are continuous: no ties).
fn ranks(x: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..x.len()).collect();
    idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut r = vec![0.0; x.len()];
    for (rank, &i) in idx.iter().enumerate() {
        r[i] = rank as f64 + 1.0;
    }
    r
}

fn spearman(a: &[f64], b: &[f64]) -> f64 {
    let (ra, rb) = (ranks(a), ranks(b));
    let n = a.len() as f64;
    let m = (n + 1.0) / 2.0;
    let cov: f64 = ra.iter().zip(&rb).map(|(x, y)| (x - m) * (y - m)).sum();
    let var: f64 = ra.iter().map(|x| (x - m).powi(2)).sum();
    cov / var
}

#[test]
fn the_copula_reaches_the_requested_rank_correlation() {
    let s = scenario(&base(TWO));
    let names: Vec<&str> = s
        .correlations
        .draws
        .iter()
        .map(|d| d.path.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "line.l.ramp_slip_days",
            "factor.mood.level",
            "factor.hope.level"
        ]
    );
    let c = columns(&s, 3, 10_000);
    // The standard error of a Spearman correlation near r on n draws is about (1 − r²)/√n
    // (≤ 0.01 here); 0.03 is three of them.
    let slip_mood = spearman(&c[0], &c[1]);
    let hope_mood = spearman(&c[2], &c[1]);
    assert!((slip_mood + 0.6).abs() < 0.03, "{slip_mood}");
    assert!((hope_mood - 0.5).abs() < 0.03, "{hope_mood}");
    // Nothing was asked between the slip and hope: the matrix holds 0 for that pair.
    let unasked = spearman(&c[0], &c[2]);
    assert!(unasked.abs() < 0.03, "{unasked}");
}

#[test]
fn each_marginal_keeps_its_law() {
    let s = scenario(&base(TWO));
    let c = columns(&s, 3, 10_000);
    for (col, d) in c.iter().zip(&s.correlations.draws) {
        let mut x = col.clone();
        x.sort_by(f64::total_cmp);
        let n = x.len() as f64;
        let ks = x
            .iter()
            .enumerate()
            .map(|(i, &v)| {
                let f = d.dist.cdf(v).unwrap();
                (f - i as f64 / n).abs().max((f - (i + 1) as f64 / n).abs())
            })
            .fold(0.0, f64::max);
        // Kolmogorov–Smirnov critical value at the 0.1% level: 1.95/√n.
        assert!(ks < 1.95 / n.sqrt(), "{}: D = {ks}", d.path);
    }
    // Uncorrelated draws are still drawn from their own streams, as before.
    let plain = scenario(&base(""));
    assert!(plain.correlations.is_empty());
}

#[test]
fn correlated_futures_are_reproducible_alone_and_in_any_number() {
    let s = scenario(&base(TWO));
    let batch = records(&s, 42, 0..8);
    let alone = records(&s, 42, 5..6);
    assert_eq!(batch[5].stock, alone[0].stock);
    assert_eq!(batch[5].items, alone[0].items);
    assert_eq!(batch[5].funding, alone[0].funding);
    assert_ne!(batch[5].funding, batch[6].funding);
    // The first 1,000 of 10,000 futures are those of an experiment of 1,000.
    let many = records(&s, 7, 0..10_000);
    let few = records(&s, 7, 0..1_000);
    for (a, b) in few.iter().zip(&many) {
        assert_eq!(a.stock, b.stock);
        assert_eq!(a.funding, b.funding);
    }
    // The correlation reaches the outcomes: a late ramp (large slip) comes with a high mood.
    let paid: Vec<f64> = many.iter().map(|r| r.funding[0].paid as f64).collect();
    let cols = columns(&s, 7, 10_000);
    assert!(spearman(&cols[0], &paid) < -0.5);
}

#[test]
fn one_and_two_threads_give_identical_results() {
    let s = scenario(&base(TWO));
    let summary = |threads| {
        let r = prepared(&s, 300, 9, threads);
        (
            porcupine::output::summary_json(&r).unwrap(),
            porcupine::output::daily_csv(&r).unwrap(),
        )
    };
    assert!(summary(1) == summary(2));
}

/// A correlation naming a fixed number (as a variant's `--set`, a sweep or a sensitivity analysis
/// writes one) is ignored with a warning, and the scenario runs without it.
#[test]
fn a_fixed_draw_drops_its_correlation_with_a_warning() {
    let text = base(
        "\n[[correlation]]\nbetween = [\"line.l.other_customers_share\", \"factor.mood.level\"]\nrank = 0.3\n",
    );
    let loaded = porcupine::scenario::check_str(&text, std::path::Path::new("w.toml"))
        .expect("a fixed draw is a warning, not an error");
    let shown = loaded.render_warnings(std::path::Path::new("w.toml"), &text);
    assert!(
        shown.contains("correlation[0].between[0]: \"line.l.other_customers_share\" is a fixed number in this scenario, so this correlation is ignored"),
        "{shown}"
    );
    assert!(
        shown.contains(
            "help: give it a distribution to correlate it, or remove this [[correlation]]"
        ),
        "{shown}"
    );
    assert!(loaded.scenario.correlations.is_empty());
}

#[test]
fn a_daily_parameter_fixed_by_a_variant_drops_its_correlation_with_a_warning() {
    // What `--set consumption.x.daily.mean=3` or a sensitivity analysis leaves of a drawn mean.
    let text = base(
        "\n[[correlation]]\nbetween = [\"consumption.x.daily.mean\", \"factor.mood.level\"]\nrank = 0.3\n",
    );
    let loaded = porcupine::scenario::check_str(&text, std::path::Path::new("w.toml"))
        .expect("a fixed daily parameter is a warning, not an error");
    let shown = loaded.render_warnings(std::path::Path::new("w.toml"), &text);
    assert!(
        shown.contains("correlation[0].between[0]: \"consumption.x.daily.mean\" is a fixed number in this scenario, so this correlation is ignored"),
        "{shown}"
    );
    assert!(loaded.scenario.correlations.is_empty());
}

#[test]
fn bad_correlations_are_refused_with_a_reason() {
    let pair = |a: &str, b: &str, rank: &str| {
        base(&format!(
            "\n[[correlation]]\nbetween = [\"{a}\", \"{b}\"]\nrank = {rank}\n"
        ))
    };
    check(vec![
        raw("unknown key path", pair("line.l.ramp_slip_day", "factor.mood.level", "0.3"), &[
            "correlation[0].between[0]: \"line.l.ramp_slip_day\" is not a per-future draw of this scenario",
            "did you mean \"line.l.ramp_slip_days\"?",
            "the draws that can be correlated here are: \"line.l.ramp_slip_days\"",
        ]),
        raw("a draw made each day", pair("consumption.x.daily", "factor.mood.level", "0.3"), &[
            "\"consumption.x.daily\" is not a per-future draw of this scenario",
        ]),
        raw("rank of one", pair("line.l.ramp_slip_days", "factor.mood.level", "1"), &[
            "correlation[0].rank: rank must be strictly between -1 and 1, got 1",
        ]),
        raw("itself", pair("factor.mood.level", "factor.mood.level", "0.3"), &[
            "a correlation between \"factor.mood.level\" and itself",
        ]),
        raw("three names", base("\n[[correlation]]\nbetween = [\"factor.mood.level\", \"factor.hope.level\", \"line.l.ramp_slip_days\"]\nrank = 0.2\n"), &[
            "correlation[0].between: between names 3 draws; a correlation is between exactly two",
        ]),
        raw("no rank", base("\n[[correlation]]\nbetween = [\"factor.mood.level\", \"factor.hope.level\"]\n"), &[
            "correlation[0]",
            "rank",
        ]),
        raw("conflicting pairs", base("\n[[correlation]]\nbetween = [\"factor.mood.level\", \"factor.hope.level\"]\nrank = 0.2\n[[correlation]]\nbetween = [\"factor.hope.level\", \"factor.mood.level\"]\nrank = 0.4\n"), &[
            "correlation[1]: the pair \"factor.hope.level\" and \"factor.mood.level\" is already correlated with rank 0.2, here 0.4: conflicting pairs",
            "help: keep one [[correlation]] per pair of draws",
        ]),
        raw("not positive definite", base(
            "\n[[correlation]]\nbetween = [\"factor.mood.level\", \"factor.hope.level\"]\nrank = 0.9\n\
             [[correlation]]\nbetween = [\"factor.mood.level\", \"line.l.ramp_slip_days\"]\nrank = 0.9\n\
             [[correlation]]\nbetween = [\"factor.hope.level\", \"line.l.ramp_slip_days\"]\nrank = -0.9\n"), &[
            "correlation[2].rank: the correlations cannot hold together: with the pairs before it, rank -0.9 between \"factor.hope.level\" and \"line.l.ramp_slip_days\" is impossible (the correlation matrix is not positive definite)",
            "help: if a is strongly tied to b and to c",
        ]),
    ]);
}

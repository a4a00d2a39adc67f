//! Uncertain parameters drawn once per future: a daily use whose mean is itself a distribution.
//! The across-futures variance of a future's mean daily use matches the closed form
//! Var(M) + E[variance of one day] / D; a written number keeps the old draws exactly; bad
//! parameters are refused at the parameter.

use crate::bad_input::{case, check};
use crate::util::{records, scenario};

/// One item used from day 1 to day 365 (D = 365 days), with plenty of stock.
fn used(daily: &str) -> String {
    format!(
        "[scenario]\nname = \"u\"\nstart = 2025-01-01\nhorizon_days = 365\n\n[[item]]\nname = \"x\"\nunit_cost_usd = 1\ninitial_stock = 1_000_000\n\n[[consumption]]\nitem = \"x\"\ndaily = {daily}\n"
    )
}

/// The mean daily use of each of `n` futures.
fn future_means(daily: &str, n: u64) -> Vec<f64> {
    let s = scenario(&used(daily));
    records(&s, 11, 0..n)
        .iter()
        .map(|r| r.items[0].demand as f64 / 365.0)
        .collect()
}

fn mean_var(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    (
        m,
        x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1.0),
    )
}

#[test]
fn an_uncertain_poisson_mean_varies_between_futures_as_the_closed_form_says() {
    // M ~ uniform(2, 6): E[M] = 4, Var(M) = 4²/12 = 4/3. Given M, a future's mean of 365
    // Poisson days has variance M/365, so Var(future mean) = 4/3 + 4/365 = 1.34429.
    let means = future_means(
        "{ dist = \"poisson\", mean = { dist = \"uniform\", min = 2, max = 6 } }",
        4_000,
    );
    let (m, v) = mean_var(&means);
    assert!((m - 4.0).abs() < 0.06, "{m}"); // SE √(1.344/4000) = 0.018
    let exact = 4.0 / 3.0 + 4.0 / 365.0;
    // The sample variance of a near-uniform variable has a relative SE √((κ − 1)/n) ≈ 0.014.
    assert!((v / exact - 1.0).abs() < 0.06, "{v} vs {exact}");
    // A certain mean: only the day-to-day noise is left, variance 4/365.
    let (_, v) = mean_var(&future_means("{ dist = \"poisson\", mean = 4 }", 2_000));
    assert!((v / (4.0 / 365.0) - 1.0).abs() < 0.15, "{v}");
}

#[test]
fn an_uncertain_negative_binomial_mean_matches_the_closed_form() {
    // M lognormal with median 8 and p90 15: σ = ln(15/8)/1.2816, E[M] = 8·e^{σ²/2},
    // Var(M) = E[M]²(e^{σ²} − 1). Given M, one day has variance M + M²/k (k = 0.5), so
    // Var(future mean) = Var(M) + (E[M] + E[M²]/k)/365.
    let means = future_means(
        "{ dist = \"negative_binomial\", mean = { dist = \"lognormal\", median = 8, p90 = 15 }, shape = 0.5 }",
        10_000,
    );
    let sigma = (15.0f64 / 8.0).ln() / 1.281_551_565_544_600_4;
    let e = 8.0 * (sigma * sigma / 2.0).exp();
    let var_m = e * e * ((sigma * sigma).exp() - 1.0);
    let exact = var_m + (e + (var_m + e * e) / 0.5) / 365.0;
    let (m, v) = mean_var(&means);
    assert!((m / e - 1.0).abs() < 0.02, "{m} vs {e}");
    // Lognormal kurtosis ≈ 8.6 at this σ: relative SE of the variance √(7.6/10⁴) ≈ 0.028.
    assert!((v / exact - 1.0).abs() < 0.1, "{v} vs {exact}");
}

#[test]
fn written_numbers_keep_the_old_draws() {
    // A parameter written as { dist = "fixed" } inside daily is a number: the future is drawn
    // exactly as before, from the same tables and stream.
    let a = scenario(&used(
        "{ dist = \"negative_binomial\", mean = 5, shape = 0.5 }",
    ));
    let b = scenario(&used(
        "{ dist = \"negative_binomial\", mean = { dist = \"fixed\", value = 5 }, shape = 0.5 }",
    ));
    assert!(b.consumption[0].as_ref().unwrap().uncertain.is_none());
    let (ra, rb) = (records(&a, 3, 0..20), records(&b, 3, 0..20));
    for (x, y) in ra.iter().zip(&rb) {
        assert_eq!(x.items, y.items);
    }
    // An uncertain mean is reproducible alone.
    let c = scenario(&used(
        "{ dist = \"poisson\", mean = { dist = \"triangular\", min = 1, mode = 2, max = 9 } }",
    ));
    assert_eq!(records(&c, 3, 0..6)[4].items, records(&c, 3, 4..5)[0].items);
}

#[test]
fn bad_uncertain_parameters() {
    const DAILY: &str = "daily = { dist = \"poisson\", mean = 50 }";
    check(vec![
        case("negative uncertain mean", DAILY, "daily = { dist = \"poisson\", mean = { dist = \"uniform\", min = -1, max = 3 } }", &[
            "consumption.shell.daily.mean.min: -1 is out of range",
        ]),
        case("uncertain parameter of a law that is not a count", DAILY, "daily = { dist = \"uniform\", min = { dist = \"uniform\", min = 1, max = 2 }, max = 3 }", &[
            "consumption.shell.daily.dist: \"uniform\" cannot describe daily use",
        ]),
        case("missing shape", DAILY, "daily = { dist = \"negative_binomial\", mean = { dist = \"uniform\", min = 1, max = 3 } }", &[
            "consumption.shell.daily: a negative_binomial daily use needs shape",
        ]),
        case("parameter of another law", DAILY, "daily = { dist = \"poisson\", mean = { dist = \"uniform\", min = 1, max = 3 }, shape = 2 }", &[
            "consumption.shell.daily.shape: `shape` is not a parameter of a poisson daily use",
            "help: it takes: mean",
        ]),
        case("unknown distribution of a parameter", DAILY, "daily = { dist = \"poisson\", mean = { dist = \"unifrom\", min = 1, max = 3 } }", &[
            "consumption.shell.daily.mean.dist: \"unifrom\" is not a known distribution",
            "did you mean \"uniform\"?",
        ]),
    ]);
}

/// One interceptor following a threat whose launches a day are `daily`, 1 shot per launch, with
/// plenty of stock: its demand over the 365 days is the launches.
fn threat_means(daily: &str, n: u64) -> (porcupine::scenario::Scenario, Vec<f64>) {
    let s = scenario(&format!(
        "[scenario]\nname = \"t\"\nstart = 2025-01-01\nhorizon_days = 365\n\n[[item]]\nname = \"x\"\nunit_cost_usd = 1\ninitial_stock = 1_000_000\n\n\
         [[threat]]\nname = \"ballistic\"\ndaily = {daily}\n\n[[consumption]]\nitem = \"x\"\nthreat = \"ballistic\"\n"
    ));
    let means = records(&s, 11, 0..n)
        .iter()
        .map(|r| r.items[0].demand as f64 / 365.0)
        .collect();
    (s, means)
}

#[test]
fn an_uncertain_threat_rate_is_drawn_once_per_future() {
    // A fixed number of launches a day whose value is uniform(2, 6) per future: each future
    // launches exactly its drawn value a day (fractions carried), so its mean over 365 days is
    // that value within 1/365, and across futures E = 4, Var = 4/3.
    let (s, means) = threat_means(
        "{ dist = \"fixed\", value = { dist = \"uniform\", min = 2, max = 6 } }",
        2_000,
    );
    let drawn = porcupine::analysis::sensitivity::inputs(&s);
    let value = drawn
        .iter()
        .find(|i| i.path == "threat.ballistic.daily.value")
        .expect("listed as a per-future draw");
    for (run, m) in means.iter().enumerate().take(50) {
        let v = value.value(11, run as u64);
        // ⌊365·v⌋ launches in 365 days (the carry keeps the fraction).
        assert!((m - v).abs() <= 1.0 / 365.0 + 1e-9, "run {run}: {m} vs {v}");
    }
    let (m, v) = mean_var(&means);
    assert!((m - 4.0).abs() < 0.1, "{m}"); // SE √(4/3/2000) = 0.026
    assert!((v / (4.0 / 3.0) - 1.0).abs() < 0.1, "{v}");
    // A Poisson mean drawn per future: Var(future mean) = Var(M) + E[M]/365 (closed form).
    let (_, means) = threat_means(
        "{ dist = \"poisson\", mean = { dist = \"uniform\", min = 2, max = 6 } }",
        4_000,
    );
    let (m, v) = mean_var(&means);
    assert!((m - 4.0).abs() < 0.06, "{m}");
    let exact = 4.0 / 3.0 + 4.0 / 365.0;
    assert!((v / exact - 1.0).abs() < 0.06, "{v} vs {exact}");
}

#[test]
fn an_uncertain_threat_rate_can_be_correlated() {
    // Rank correlation 0.9 between the threat's drawn mean and the engaged share: futures with
    // more launches also engage more of them.
    let s = scenario(
        "[scenario]\nname = \"t\"\nstart = 2025-01-01\nhorizon_days = 30\n\n[[item]]\nname = \"x\"\nunit_cost_usd = 1\ninitial_stock = 1_000_000\n\n\
         [[threat]]\nname = \"ballistic\"\ndaily = { dist = \"poisson\", mean = { dist = \"uniform\", min = 1, max = 9 } }\n\n\
         [[consumption]]\nitem = \"x\"\nthreat = \"ballistic\"\nengaged_share = { dist = \"uniform\", min = 0.1, max = 0.9 }\n\n\
         [[correlation]]\nbetween = [\"threat.ballistic.daily.mean\", \"consumption.x.engaged_share\"]\nrank = 0.9\n",
    );
    let sim = porcupine::engine::Simulator::new(&s);
    let mut w = porcupine::engine::Worker::new(&s);
    let pairs: Vec<(f64, f64)> = (0..2_000)
        .map(|run| {
            let v = w.correlated_values(&sim, 3, run);
            (v[0], v[1])
        })
        .collect();
    let concordant = pairs
        .iter()
        .zip(pairs.iter().skip(1))
        .filter(|(a, b)| (a.0 - b.0) * (a.1 - b.1) > 0.0)
        .count() as f64
        / (pairs.len() - 1) as f64;
    // Kendall's τ of a Gaussian copula with Spearman ρ 0.9 is about 0.73: 86% concordant pairs.
    assert!(concordant > 0.8, "{concordant}");
    // The engine's demand follows the correlated mean: the futures with the highest drawn mean
    // use more than those with the lowest.
    let recs = records(&s, 3, 0..200);
    let (mut hi, mut lo) = (0.0, 0.0);
    for (r, &(mean, _)) in recs.iter().zip(&pairs) {
        if mean > 6.0 {
            hi += r.items[0].demand as f64;
        } else if mean < 4.0 {
            lo += r.items[0].demand as f64;
        }
    }
    assert!(hi > lo, "{hi} vs {lo}");
}

#[test]
fn bad_uncertain_threat_parameters() {
    let threat = |daily: &str| {
        format!(
            "{}\n[[threat]]\nname = \"b\"\ndaily = {daily}\n",
            crate::bad_input::BASE
        )
    };
    check(vec![
        crate::bad_input::raw(
            "negative uncertain launches",
            threat("{ dist = \"poisson\", mean = { dist = \"uniform\", min = -1, max = 3 } }"),
            &["threat.b.daily.mean.min: -1 is out of range"],
        ),
        crate::bad_input::raw(
            "missing shape",
            threat(
                "{ dist = \"negative_binomial\", mean = { dist = \"uniform\", min = 1, max = 3 } }",
            ),
            &["threat.b.daily: a negative_binomial daily use needs shape"],
        ),
    ]);
}

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

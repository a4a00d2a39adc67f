//! Truncated distributions are sampled exactly: Kolmogorov–Smirnov tests of 100,000 draws
//! against the exact truncated CDF, in the body, in each tail and straddling the mean; and
//! distributions that cannot be sampled are refused by `Dist::check`.

use porcupine::sampling::{stream, Dist, StreamKey};
use statrs::function::erf::erfc;

/// Φ(z), the standard normal CDF, written independently of the sampler.
fn phi(z: f64) -> f64 {
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}

/// The CDF of Normal(mean, sd) truncated to [lo, hi], computed in the tail where it is accurate.
fn truncated_normal_cdf(mean: f64, sd: f64, lo: f64, hi: f64) -> impl Fn(f64) -> f64 {
    let (a, b) = ((lo - mean) / sd, (hi - mean) / sd);
    move |x: f64| {
        let z = ((x - mean) / sd).clamp(a, b);
        if a > 0.0 {
            // Upper tail: 1 − Φ(z) = Φ(−z).
            (phi(-a) - phi(-z)) / (phi(-a) - phi(-b))
        } else {
            (phi(z) - phi(a)) / (phi(b) - phi(a))
        }
    }
}

const N: usize = 100_000;
/// The Kolmogorov–Smirnov critical value at significance 0.001 for N draws.
fn ks_critical() -> f64 {
    1.949 / (N as f64).sqrt()
}

/// The Kolmogorov–Smirnov statistic of N draws of `d` against `cdf`.
fn ks(d: &Dist, cdf: impl Fn(f64) -> f64, seed: u64) -> f64 {
    let mut rng = stream(seed, 0, StreamKey::new("test", "ks", "draws"));
    let mut xs: Vec<f64> = (0..N).map(|_| d.sample(&mut rng)).collect();
    xs.sort_by(f64::total_cmp);
    let n = N as f64;
    xs.iter()
        .enumerate()
        .map(|(i, &x)| {
            let f = cdf(x);
            (f - i as f64 / n).max((i + 1) as f64 / n - f)
        })
        .fold(0.0, f64::max)
}

fn assert_truncated_normal_fits(mean: f64, sd: f64, lo: f64, hi: f64) {
    let d = Dist::normal(mean, sd, lo, hi).unwrap();
    d.check().unwrap();
    let stat = ks(&d, truncated_normal_cdf(mean, sd, lo, hi), 11);
    assert!(
        stat < ks_critical(),
        "Normal({mean}, {sd}) on [{lo}, {hi}]: KS statistic {stat} ≥ {}",
        ks_critical()
    );
}

#[test]
fn a_very_wide_normal_in_a_narrow_window_is_its_truncated_law() {
    // A payment delay of normal(3000, sd 1e6) kept to [0, 1095]: nearly uniform on the window
    // (it used to collapse to the mean, clamped to 1095, after 64 rejections).
    assert_truncated_normal_fits(3000.0, 1e6, 0.0, 1095.0);
    let d = Dist::normal(3000.0, 1e6, 0.0, 1095.0).unwrap();
    let mut rng = stream(5, 0, StreamKey::new("test", "wide", "draws"));
    let early = (0..N).filter(|_| d.sample(&mut rng) <= 547.5).count() as f64 / N as f64;
    assert!((early - 0.5).abs() < 0.01, "{early}");
}

#[test]
fn tails_and_windows_around_the_mean_fit_exactly() {
    assert_truncated_normal_fits(0.0, 1.0, 4.0, 5.0); // far upper tail, mass 3e-5
    assert_truncated_normal_fits(0.0, 1.0, -5.0, -4.0); // far lower tail
    assert_truncated_normal_fits(0.0, 1.0, -0.3, 0.2); // straddling, small mass: inverse CDF
    assert_truncated_normal_fits(10.0, 5.0, 0.0, 30.0); // mostly kept: rejection
    assert_truncated_normal_fits(10.0, 5.0, 9.0, f64::INFINITY); // one-sided
}

#[test]
fn truncated_lognormals_fit_exactly() {
    let (mu, sigma) = (120f64.ln(), 1.0);
    for hi in [60.0, 200.0, 1e6] {
        let d = Dist::lognormal(mu, sigma, hi).unwrap();
        d.check().unwrap();
        let top = phi((hi.ln() - mu) / sigma);
        let cdf = |x: f64| {
            if x <= 0.0 {
                0.0
            } else {
                (phi((x.ln() - mu) / sigma) / top).min(1.0)
            }
        };
        let stat = ks(&d, cdf, 12);
        assert!(stat < ks_critical(), "hi {hi}: KS statistic {stat}");
    }
}

#[test]
fn negligible_truncations_and_oversized_counts_are_refused() {
    let far = Dist::normal(0.0, 1.0, 6.0, 7.0).unwrap();
    let msg = far.check().unwrap_err();
    assert!(msg.contains("only") && msg.contains("[6, 7]"), "{msg}");
    let low = Dist::lognormal(100f64.ln(), 0.1, 1.0).unwrap();
    assert!(low.check().unwrap_err().contains("log-normal"));
    assert!(Dist::poisson(2e19).is_err());
    assert!(Dist::poisson(1e18).unwrap().check().is_ok());
    let nb = Dist::negative_binomial(1e16, 1.0).unwrap();
    assert!(nb.check().is_err());
    let bursty = Dist::negative_binomial(1e12, 1e-6).unwrap();
    assert!(bursty.check().unwrap_err().contains("shape"));
    assert!(Dist::negative_binomial(1e7, 1e-6).unwrap().check().is_ok());
    assert!(Dist::uniform(2.0, 1.0).is_err());
    assert!(Dist::normal(0.0, 0.0, -1.0, 1.0).is_err());
}

#[test]
fn a_bursty_negative_binomial_never_draws_zero_by_fallback() {
    // Gamma(1e-3, 1e10) has mean 1e7: most days are 0, a few are huge; the mean must hold.
    let d = Dist::negative_binomial(1e7, 1e-3).unwrap();
    d.check().unwrap();
    let mut rng = stream(9, 0, StreamKey::new("test", "nb", "draws"));
    let n = 200_000;
    let mean = (0..n).map(|_| d.sample(&mut rng)).sum::<f64>() / f64::from(n);
    // About 200 draws carry the mass, so the sample mean is within 7% (one sd) of 1e7.
    assert!((mean / 1e7 - 1.0).abs() < 0.3, "{mean}");
}

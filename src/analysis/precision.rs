//! `--precision`: how precisely the headline figures are known after n futures. Probabilities
//! (stock at zero at the end, on any day) by the half-width of their 95% Wilson interval; means
//! (end stock, deliveries, days at zero, unmet demand) by the half-width of their 95% interval
//! relative to the mean. Exact integer sums from the per-future rows of [`super::futures`].

use super::futures::FutureRow;
use super::paired::Z95;

/// Per-future values per item in a [`FutureRow`] (see `futures::extract`).
const PER_ITEM: usize = 5;

/// Running sums for the precision check.
#[derive(Debug, Clone)]
pub struct Precision {
    target: f64,
    items: Vec<String>,
    n: u64,
    /// Per item: futures with zero stock at the end, and on any day.
    zero: Vec<(u64, u64)>,
    /// Per item and mean outcome (end stock, days at zero, delivered, unmet): Σx and Σx².
    sums: Vec<[(i128, i128); 4]>,
}

/// The least precise headline figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Worst {
    /// What it is, e.g. "interceptor: P(stock = 0 at the end)".
    pub what: String,
    /// Its half-width (absolute for probabilities, relative for means).
    pub half_width: f64,
}

/// Half-width of the 95% Wilson score interval of `k` successes in `n` trials.
#[must_use]
pub fn wilson_half_width(k: u64, n: u64) -> f64 {
    if n == 0 {
        return f64::INFINITY;
    }
    let (n, p, z2) = (n as f64, k as f64 / n as f64, Z95 * Z95);
    Z95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / (1.0 + z2 / n)
}

impl Precision {
    /// Empty sums for the named items, aiming at `target` (e.g. 0.005).
    #[must_use]
    pub fn new(items: Vec<String>, target: f64) -> Precision {
        let k = items.len();
        Precision {
            target,
            items,
            n: 0,
            zero: vec![(0, 0); k],
            sums: vec![[(0, 0); 4]; k],
        }
    }

    /// Adds futures.
    pub fn add(&mut self, rows: &[FutureRow]) {
        for (_, v) in rows {
            self.n += 1;
            for (i, (z, s)) in self.zero.iter_mut().zip(&mut self.sums).enumerate() {
                let x = &v[i * PER_ITEM..(i + 1) * PER_ITEM];
                z.0 += u64::from(x[0] == 0);
                z.1 += u64::from(x[1] >= 0);
                for (cell, value) in s.iter_mut().zip([x[0], x[2], x[3], x[4]]) {
                    let value = i128::from(value);
                    cell.0 += value;
                    cell.1 += value * value;
                }
            }
        }
    }

    /// Futures added.
    #[must_use]
    #[cfg(any(test, feature = "internals"))]
    pub fn runs(&self) -> u64 {
        self.n
    }

    /// The least precise headline figure (None before any future).
    #[must_use]
    pub fn worst(&self) -> Option<Worst> {
        const MEANS: [&str; 4] = ["end stock", "days at zero", "deliveries", "unmet demand"];
        let mut worst: Option<Worst> = None;
        let mut consider = |what: String, half_width: f64| {
            if worst.as_ref().is_none_or(|w| half_width > w.half_width) {
                worst = Some(Worst { what, half_width });
            }
        };
        for (i, name) in self.items.iter().enumerate() {
            let (end, any) = self.zero[i];
            consider(
                format!("{name}: P(stock = 0 at the end)"),
                wilson_half_width(end, self.n),
            );
            consider(
                format!("{name}: P(stock = 0 on any day)"),
                wilson_half_width(any, self.n),
            );
            for (k, &(sum, sq)) in self.sums[i].iter().enumerate() {
                let iv = super::Interval::from_sums(sum, sq, self.n);
                let rel = if iv.se == 0.0 {
                    0.0
                } else {
                    Z95 * iv.se / iv.mean.abs()
                };
                consider(format!("{name}: mean {}", MEANS[k]), rel);
            }
        }
        worst
    }

    /// Whether every headline figure is known to the target.
    #[must_use]
    pub fn reached(&self) -> bool {
        self.n > 0 && self.worst().is_none_or(|w| w.half_width <= self.target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_half_width_matches_a_textbook_value() {
        // 50 of 100: centre 0.5, half-width 0.0962 (95%).
        assert!((wilson_half_width(50, 100) - 0.096_2).abs() < 1e-4);
        // Never zero width, even at p = 0.
        assert!(wilson_half_width(0, 1000) > 0.001);
    }

    #[test]
    fn constant_futures_are_known_exactly_except_for_probabilities() {
        let mut p = Precision::new(vec!["a".into()], 0.002);
        let rows: Vec<FutureRow> = (0..400).map(|r| (r, vec![5, -1, 0, 10, 0])).collect();
        p.add(&rows);
        let w = p.worst().unwrap();
        assert!(w.what.contains("P(stock = 0"), "{w:?}");
        assert!(!p.reached(), "Wilson at p = 0, n = 400 is wider than 0.2%");
        p.add(&rows);
        p.add(&rows);
        assert!(p.reached(), "{:?}", p.worst());
    }
}

//! Exact inversion tables for whole-number laws: a day's Poisson or negative-binomial demand
//! at a fixed mean, and a delay rounded up to whole days.
//!
//! An [`IntTable`] holds the law's cumulative distribution function over the values that carry
//! its mass, and a guide table (Chen and Asau's indexed search) that maps a uniform draw to the
//! first table entry worth comparing. One draw is one 64-bit random number (its top 53 bits
//! are the uniform number `u`), one lookup and two integer comparisons counted without a
//! branch (a search one threshold at a time only in the rare guide entries that span more);
//! it returns the smallest `k` with `u < F(k)`. That is inversion of the law's CDF, so the draw follows the law exactly, to the
//! 2⁻⁵³ resolution of the uniform number (as every floating-point sampler does). The general
//! samplers it replaces spend tens of random numbers (Knuth's Poisson method multiplies one
//! uniform per unit of the mean) or a rejection loop with logarithms and exponentials per draw.
//!
//! **What is tabulated.** Count laws are built from their probability ratios
//! (`p(k+1)/p(k)`), starting at the mode, outwards until the mass left beyond the table is
//! below 10⁻²⁰ of the whole (bounded by a geometric series); that mass, far below 2⁻⁵³, is not
//! drawn. A whole-day delay `⌈X⌉` has `P(⌈X⌉ ≤ k) = F_X(k)`, tabulated from 0 day until the
//! CDF rounds to 1. A law that would need more than [`MAX_TABLE_LEN`] entries has no table and
//! keeps its general sampler.

use super::{whole_days, Dist};
use rand::Rng;

/// Most entries one table holds (12 bytes each: 48 KiB).
pub const MAX_TABLE_LEN: usize = 4096;

/// Mass of the tails a count table leaves out, relative to the whole (far below 2⁻⁵³).
const TAIL: f64 = 1e-20;

/// A whole-number law sampled by inversion of its tabulated CDF.
///
/// The uniform draw is the top 53 bits `v` of one 64-bit random number (u = v·2⁻⁵³), and the
/// CDF is stored as the integer thresholds `t[i] = ⌈F(lo + i)·2⁵³⌉`, so `u < F` is `v < t`
/// exactly, without floating point. The guide table has a power-of-two size `m`, so the guide
/// entry of u, ⌊u·m⌋, is the top log₂ m bits of the same random number.
#[derive(Debug, Clone)]
pub struct IntTable {
    /// Smallest value in the table.
    lo: u64,
    /// `thresholds[i]` = ⌈P(X ≤ lo + i)·2⁵³⌉; the last entry of the law is 2⁵³, followed by
    /// [`NEAR`] more entries of 2⁵³ (never at or below a draw), so that the [`NEAR`] thresholds
    /// from any entry on, and the one after them, lie within the table.
    thresholds: Box<[u64]>,
    /// `guide[j]` = the smallest `i` with P(X ≤ lo + i) > j / guide.len(), with [`FAR`] set
    /// when a draw of entry j may be answered by an index more than [`NEAR`] beyond it.
    guide: Box<[u32]>,
    /// 64 − log₂ guide.len().
    shift: u32,
}

/// How many thresholds from its guide entry's index on a draw compares, all at once and
/// without a branch. The guide is sized so that all but one entry in 32 have their answer
/// among them. (A search one threshold at a time ends on a branch that goes one way or the
/// other at random, a misprediction in a draw of four or so, which cost more than the
/// comparisons.)
const NEAR: usize = 2;

/// The guide-entry flag of an entry whose draws may be answered more than [`NEAR`] indices
/// beyond it (the search then goes on one threshold at a time). Table indices stay below 2¹³,
/// so the bit is free.
const FAR: u32 = 1 << 31;

/// 2⁵³, the number of values of a 53-bit uniform draw.
const TWO_53: f64 = 9_007_199_254_740_992.0;

impl IntTable {
    /// The table of a law given by its unnormalised weights for `lo, lo + 1, …`.
    fn from_weights(lo: u64, weights: &[f64]) -> Option<IntTable> {
        let total: f64 = weights.iter().sum();
        if weights.is_empty() || weights.len() > MAX_TABLE_LEN || total.is_nan() || total <= 0.0 {
            return None;
        }
        let mut acc = 0.0;
        let cdf: Vec<f64> = weights
            .iter()
            .map(|w| {
                acc += w;
                acc / total
            })
            .collect();
        IntTable::from_cdf(lo, cdf)
    }

    /// The table of a CDF tabulated from `lo` (non-decreasing; the last entry is taken as 1).
    fn from_cdf(lo: u64, cdf: Vec<f64>) -> Option<IntTable> {
        let n = cdf.len();
        if n == 0 {
            return None;
        }
        // Scaling by a power of two is exact, and so is rounding up.
        let mut thresholds: Vec<u64> = cdf
            .iter()
            .map(|f| (f.clamp(0.0, 1.0) * TWO_53).ceil() as u64)
            .collect();
        thresholds[n - 1] = 1 << 53;
        thresholds.extend([1 << 53; NEAR]);
        // The smallest guide whose entries are all but one in 32 answered within the NEAR
        // thresholds after them: a table's far tail (hundreds of entries of negligible mass)
        // needs no guide entries of its own, and a small guide stays in the first-level cache.
        let largest = n.next_power_of_two().max(2);
        let mut m = 2;
        let (guide, bits) = loop {
            let (guide, near) = guide_of(&thresholds, m)?;
            if 32 * near >= 31 * m || m == largest {
                break (guide, m.trailing_zeros());
            }
            m *= 2;
        };
        Some(IntTable {
            lo,
            thresholds: thresholds.into_boxed_slice(),
            guide,
            shift: 64 - bits,
        })
    }

    /// Poisson(`mean`), when its table fits.
    #[must_use]
    pub fn poisson(mean: f64) -> Option<IntTable> {
        if !(mean > 0.0 && mean < 1e6) {
            return None;
        }
        let mode = mean.floor();
        count_table(
            mode as u64,
            // p(k+1)/p(k) = mean/(k+1): the supremum beyond k is the ratio at k.
            |k| mean / (k as f64 + 1.0),
            |k| mean / (k as f64 + 1.0),
        )
    }

    /// Negative binomial with `mean` and `shape` r (a Poisson whose mean is Gamma(r, mean/r)),
    /// when its table fits.
    #[must_use]
    pub fn negative_binomial(mean: f64, shape: f64) -> Option<IntTable> {
        if !(mean > 0.0 && mean < 1e6 && shape > 0.0 && shape.is_finite()) {
            return None;
        }
        let p = mean / (mean + shape);
        let mode = if shape > 1.0 {
            ((shape - 1.0) * p / (1.0 - p)).floor()
        } else {
            0.0
        };
        let ratio = move |k: u64| (k as f64 + shape) / (k as f64 + 1.0) * p;
        // The ratio tends to p monotonically: its supremum beyond k is the larger of the two.
        count_table(mode as u64, ratio, move |k| ratio(k).max(p))
    }

    /// The whole days `⌈X⌉` (0 when X ≤ 0) of a continuous delay X, when its CDF is known and
    /// the table fits.
    #[must_use]
    pub fn whole_days(d: &Dist) -> Option<IntTable> {
        let mut cdf = Vec::new();
        for k in 0..MAX_TABLE_LEN {
            let f = d.cdf(k as f64)?;
            cdf.push(f);
            if f >= 1.0 {
                return IntTable::from_cdf(0, cdf);
            }
        }
        None
    }

    /// One draw.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> u64 {
        let x = rng.next_u64();
        let g = self.guide[(x >> self.shift) as usize];
        let v = x >> 11;
        let mut i = (g & !FAR) as usize;
        if g & FAR == 0 {
            // The answer is i plus the number of thresholds from i on at or below v (they
            // rise, so those come first, and the entry's answer is at most i + NEAR): counted
            // without a branch.
            if let Some(t) = self
                .thresholds
                .get(i..)
                .and_then(<[u64]>::first_chunk::<NEAR>)
            {
                return self.lo + i as u64 + t.iter().map(|&t| u64::from(t <= v)).sum::<u64>();
            }
        }
        // The last threshold is 2⁵³ > v, so the search stops within the table.
        while self.thresholds[i] <= v {
            i += 1;
        }
        self.lo + i as u64
    }

    /// Bytes the table holds.
    #[must_use]
    #[cfg(any(test, feature = "internals"))]
    pub fn bytes(&self) -> usize {
        self.thresholds.len() * 8 + self.guide.len() * 4
    }

    /// P(X = k) as tabulated.
    #[must_use]
    #[cfg(any(test, feature = "internals"))]
    pub fn probability(&self, k: u64) -> f64 {
        let Some(i) = k.checked_sub(self.lo).map(|i| i as usize) else {
            return 0.0;
        };
        let t = |i: usize| self.thresholds[i] as f64 / TWO_53;
        match i {
            0 => t(0),
            _ if i < self.thresholds.len() => t(i) - t(i - 1),
            _ => 0.0,
        }
    }
}

/// The guide of `m` entries (a power of two) for `thresholds` (with their [`NEAR`] entries
/// of padding), and how many of its entries are near (not [`FAR`]); `None` when an index does
/// not fit the guide's 31 bits.
fn guide_of(thresholds: &[u64], m: usize) -> Option<(Box<[u32]>, usize)> {
    let bits = m.trailing_zeros();
    let mut guide = Vec::with_capacity(m);
    let mut near = 0;
    let mut i = 0usize;
    for j in 0..m as u64 {
        // Entry j covers v in [j·2⁵³/m, (j+1)·2⁵³/m): skip the i whose threshold is at or
        // below the start (those never hold a draw of this entry).
        let (start, end) = (j << (53 - bits), (j + 1) << (53 - bits));
        while thresholds[i] <= start {
            i += 1;
        }
        let index = u32::try_from(i).ok().filter(|&i| i < FAR)?;
        // Every v of the entry is at least start ≥ thresholds[i − 1] and below end; when
        // thresholds[i + NEAR] is at least end, every v is below it, so the answer is at most
        // i + NEAR.
        if thresholds[i + NEAR] >= end {
            near += 1;
            guide.push(index);
        } else {
            guide.push(index | FAR);
        }
    }
    Some((guide.into_boxed_slice(), near))
}

/// The table of a unimodal count law from its mode, `ratio(k)` = p(k+1)/p(k) and an upper
/// bound of the ratio beyond k (for the geometric bound of the upper tail).
fn count_table(
    mode: u64,
    ratio: impl Fn(u64) -> f64,
    sup_beyond: impl Fn(u64) -> f64,
) -> Option<IntTable> {
    // Upward from the mode (weight 1).
    let mut up = vec![1.0f64];
    let mut sum = 1.0;
    let mut k = mode;
    loop {
        let w = up[up.len() - 1] * ratio(k);
        k += 1;
        up.push(w);
        sum += w;
        let q = sup_beyond(k);
        if q < 1.0 && w * q / (1.0 - q) < TAIL * sum {
            break;
        }
        if up.len() > MAX_TABLE_LEN {
            return None;
        }
    }
    // Downward: below the mode p(k−1)/p(k) = 1/ratio(k−1) falls as k falls (log-concave laws),
    // so the lower tail is bounded by a geometric series with the current ratio.
    let mut down = Vec::new();
    let mut w = 1.0;
    let mut k = mode;
    while k > 0 {
        let r = 1.0 / ratio(k - 1);
        w *= r;
        k -= 1;
        down.push(w);
        sum += w;
        if r < 1.0 && w * r / (1.0 - r) < TAIL * sum {
            break;
        }
        if up.len() + down.len() > MAX_TABLE_LEN {
            return None;
        }
    }
    let lo = k;
    let weights: Vec<f64> = down.into_iter().rev().chain(up).collect();
    IntTable::from_weights(lo, &weights)
}

/// A whole number of days drawn from a delay: certain, by table, or by the general sampler.
#[derive(Debug, Clone)]
pub enum WholeDays {
    /// Always this many days.
    Fixed(u32),
    /// By inversion of the tabulated law of ⌈X⌉.
    Table(IntTable),
    /// The general sampler, rounded up.
    Draw(Dist),
}

impl WholeDays {
    /// The sampler of `⌈X⌉` for a delay X.
    #[must_use]
    pub fn new(d: &Dist) -> WholeDays {
        if let Some(v) = d.fixed_value() {
            WholeDays::Fixed(whole_days(v))
        } else if let Some(t) = IntTable::whole_days(d) {
            WholeDays::Table(t)
        } else {
            WholeDays::Draw(d.clone())
        }
    }

    /// The sampler of `⌈X⌉` by the general sampler, without building a table (for a law built
    /// once per future, used for that future's draws only).
    #[must_use]
    pub fn direct(d: &Dist) -> WholeDays {
        match d.fixed_value() {
            Some(v) => WholeDays::Fixed(whole_days(v)),
            None => WholeDays::Draw(d.clone()),
        }
    }

    /// One draw (inlined: it is the engine's most frequent call, once per line and day).
    #[inline(always)]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> u32 {
        match self {
            WholeDays::Fixed(v) => *v,
            WholeDays::Table(t) => u32::try_from(t.sample(rng)).unwrap_or(u32::MAX),
            WholeDays::Draw(d) => whole_days(d.sample(rng)),
        }
    }

    /// Bytes held by a table.
    #[must_use]
    #[cfg(any(test, feature = "internals"))]
    pub fn bytes(&self) -> usize {
        match self {
            WholeDays::Table(t) => t.bytes(),
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    //! Goodness of fit: a million draws of each table against the exact law, by a chi-square
    //! test on cells of expected count at least 5 (pooled tails), at the 10⁻⁶ level so a
    //! correct sampler fails once in a million builds.
    use super::*;
    use crate::sampling::{stream, StreamKey};
    use statrs::distribution::{ChiSquared, ContinuousCDF};

    const DRAWS: usize = 1_000_000;

    /// Chi-square p-value of `counts` (values from 0) against `pmf`.
    fn chi_square_p(counts: &[u64], pmf: impl Fn(u64) -> f64) -> f64 {
        let n = counts.iter().sum::<u64>() as f64;
        let (mut stat, mut cells) = (0.0, 0usize);
        let (mut obs, mut exp) = (0.0, 0.0);
        let mut covered = 0.0;
        for (k, &c) in counts.iter().enumerate() {
            let p = pmf(k as u64);
            covered += p;
            obs += c as f64;
            exp += p * n;
            if exp >= 5.0 {
                stat += (obs - exp).powi(2) / exp;
                cells += 1;
                obs = 0.0;
                exp = 0.0;
            }
        }
        // What is left, and the law's mass beyond the counted values, is the last cell.
        exp += (1.0 - covered).max(0.0) * n;
        if exp > 0.0 {
            stat += (obs - exp).powi(2) / exp;
            cells += 1;
        }
        let df = (cells - 1) as f64;
        1.0 - ChiSquared::new(df).unwrap().cdf(stat)
    }

    fn counts(t: &IntTable, name: &str) -> Vec<u64> {
        let mut rng = stream(7, 0, StreamKey::new("test", name, "gof"));
        let mut c = Vec::new();
        for _ in 0..DRAWS {
            let k = t.sample(&mut rng) as usize;
            if k >= c.len() {
                c.resize(k + 1, 0);
            }
            c[k] += 1;
        }
        c
    }

    fn ln_factorial(k: u64) -> f64 {
        statrs::function::gamma::ln_gamma(k as f64 + 1.0)
    }

    #[test]
    fn poisson_tables_fit_the_law() {
        for mean in [0.4, 1.2, 2.0, 80.0, 1500.0] {
            let t = IntTable::poisson(mean).expect("fits");
            // The exact pmf, computed independently in log space.
            let pmf = |k: u64| (k as f64 * mean.ln() - mean - ln_factorial(k)).exp();
            let p = chi_square_p(&counts(&t, "poisson"), pmf);
            assert!(p > 1e-6, "Poisson({mean}): chi-square p = {p}");
            // Probabilities as tabulated match the law to the 2⁻⁵³ resolution of the draw.
            let sd = mean.sqrt();
            for k in [mean - 2.0 * sd, mean, mean + 3.0 * sd] {
                let k = k.max(0.0) as u64;
                let (a, b) = (t.probability(k), pmf(k));
                assert!(
                    (a - b).abs() <= 1e-9 * b + 4.0 / TWO_53,
                    "{mean} {k}: {a} vs {b}"
                );
            }
        }
    }

    #[test]
    fn negative_binomial_tables_fit_the_law() {
        for (mean, shape) in [(1.2, 0.8), (80.0, 4.0), (30.0, 50.0)] {
            let t = IntTable::negative_binomial(mean, shape).expect("fits");
            let p = mean / (mean + shape);
            let pmf = |k: u64| {
                let k = k as f64;
                (statrs::function::gamma::ln_gamma(k + shape)
                    - statrs::function::gamma::ln_gamma(shape)
                    - statrs::function::gamma::ln_gamma(k + 1.0)
                    + k * p.ln()
                    + shape * (1.0 - p).ln())
                .exp()
            };
            let pv = chi_square_p(&counts(&t, "nb"), pmf);
            assert!(pv > 1e-6, "NB({mean}, {shape}): chi-square p = {pv}");
        }
    }

    #[test]
    fn whole_day_tables_fit_the_law() {
        let lognormal = Dist::lognormal(120f64.ln(), 0.35, 1e6).unwrap();
        let uniform = Dist::uniform(0.0, 20.0).unwrap();
        let normal = Dist::normal(30.0, 10.0, 0.0, f64::INFINITY).unwrap();
        let triangular = Dist::triangular(5.0, 10.0, 40.0).unwrap();
        let pert = Dist::pert(5.0, 10.0, 40.0).unwrap();
        for (name, d) in [
            ("lognormal", lognormal),
            ("uniform", uniform),
            ("normal", normal),
            ("triangular", triangular),
            ("pert", pert),
        ] {
            let t = IntTable::whole_days(&d).expect("fits");
            // The law of ⌈X⌉ from draws of X itself, compared by chi-square with the table's
            // law, and the table's law compared with the CDF.
            let mut rng = stream(9, 0, StreamKey::new("test", name, "reference"));
            let mut c = Vec::new();
            for _ in 0..DRAWS {
                let k = whole_days(d.sample(&mut rng)) as usize;
                if k >= c.len() {
                    c.resize(k + 1, 0);
                }
                c[k] += 1;
            }
            let p = chi_square_p(&c, |k| t.probability(k));
            assert!(p > 1e-6, "{name}: chi-square p = {p}");
            let p = chi_square_p(&counts(&t, name), |k| t.probability(k));
            assert!(p > 1e-6, "{name} table draws: chi-square p = {p}");
        }
    }

    /// A "random" source that returns one chosen number.
    struct Once(u64);

    impl rand::RngCore for Once {
        fn next_u32(&mut self) -> u32 {
            self.0 as u32
        }
        fn next_u64(&mut self) -> u64 {
            self.0
        }
        fn fill_bytes(&mut self, _: &mut [u8]) {
            unreachable!("table draws take one 64-bit number")
        }
    }

    /// The smallest k with v < F(k) by a plain search from the start of the table.
    fn plain_search(t: &IntTable, x: u64) -> u64 {
        let v = x >> 11;
        t.lo + t
            .thresholds
            .iter()
            .position(|&th| v < th)
            .expect("last is 2^53") as u64
    }

    /// Draws counted among the thresholds after their guide entry (and searched beyond them in
    /// a far entry) are the draws of a plain search, for random numbers, for those at every
    /// entry's edges and at every threshold.
    #[test]
    fn guided_draws_give_the_searched_value() {
        let lognormal = Dist::lognormal(120f64.ln(), 0.35, 1e6).unwrap();
        let tables = [
            IntTable::poisson(0.4).unwrap(),
            IntTable::poisson(1500.0).unwrap(),
            IntTable::negative_binomial(1.2, 0.8).unwrap(),
            IntTable::whole_days(&lognormal).unwrap(),
            IntTable::whole_days(&Dist::uniform(0.0, 20.0).unwrap()).unwrap(),
        ];
        let mut rng = stream(5, 0, StreamKey::new("test", "guide", "edges"));
        for t in &tables {
            let near = t.guide.iter().filter(|&&g| g & FAR == 0).count();
            assert!(4 * near >= 3 * t.guide.len(), "{near} of {}", t.guide.len());
            let edges = (0..t.guide.len() as u64).flat_map(|j| {
                let start = j << t.shift;
                [start, start | ((1u64 << t.shift) - 1)]
            });
            // And the numbers whose 53 bits are at, just below and just above each threshold.
            let at_thresholds = t.thresholds.iter().flat_map(|&th| {
                let x = th.min((1 << 53) - 1) << 11;
                [
                    x,
                    x.saturating_sub(1 << 11),
                    x | 0x7ff,
                    x.saturating_add(1 << 11),
                ]
            });
            let edges = edges.chain(at_thresholds);
            let random: Vec<u64> = (0..100_000).map(|_| rng.random::<u64>()).collect();
            for x in edges.chain(random) {
                assert_eq!(t.sample(&mut Once(x)), plain_search(t, x), "x = {x:#x}");
            }
        }
    }

    #[test]
    fn too_wide_laws_have_no_table() {
        assert!(IntTable::poisson(1e7).is_none());
        assert!(IntTable::negative_binomial(1e5, 0.01).is_none());
        assert!(IntTable::whole_days(&Dist::lognormal(10.0, 3.0, 1e12).unwrap()).is_none());
        assert!(IntTable::whole_days(&Dist::poisson(3.0).unwrap()).is_none());
    }

    #[test]
    fn certain_and_untabulated_delays_round_up() {
        let mut rng = stream(1, 0, StreamKey::new("test", "days", "fixed"));
        assert_eq!(WholeDays::new(&Dist::Fixed(2.5)).sample(&mut rng), 3);
        assert!(matches!(
            WholeDays::new(&Dist::poisson(3.0).unwrap()),
            WholeDays::Draw(_)
        ));
    }
}

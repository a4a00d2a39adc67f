//! A mergeable log-linear histogram of whole numbers with a bounded relative error.
//!
//! Values below 256 each have their own bucket (exact). Above, every power of two is split into
//! 128 equal buckets, so a bucket spans at most 1/128 of its values and its midpoint is within
//! 0.4% of any value in it. Counts are integers, so merging is exact and order-free: the same
//! runs give the same bits whatever the order or thread count. Only the window of buckets between
//! the smallest and largest value seen is stored (a stock that stays between 4,400 and 4,800
//! needs 12 counters, not 900), so memory follows the spread of the values, never their number;
//! keeping it small keeps the millions of updates per second in cache.

const SUB_BITS: u32 = 7;
const SUB: u64 = 1 << SUB_BITS; // 128
const EXACT: u64 = 2 * SUB; // 256

/// Relative error bound of any percentile read from a [`LogHistogram`].
pub const RELATIVE_ERROR: f64 = 1.0 / (2.0 * SUB as f64);

/// Histogram of u64 values.
#[derive(Debug, Clone, Default)]
pub struct LogHistogram {
    /// Counts of buckets `base..base + counts.len()`.
    counts: Vec<u32>,
    base: usize,
    total: u64,
}

/// Bucket index of a value.
#[inline]
#[must_use]
pub fn bucket_of(v: u64) -> usize {
    if v < EXACT {
        v as usize
    } else {
        let e = 63 - v.leading_zeros(); // floor(log2 v) ≥ 8
        let shift = e - SUB_BITS;
        (((u64::from(shift)) << SUB_BITS) + (v >> shift)) as usize
    }
}

/// Smallest value and width of a bucket.
#[must_use]
pub fn bucket_range(index: usize) -> (u64, u64) {
    let i = index as u64;
    if i < EXACT {
        (i, 1)
    } else {
        let shift = (i >> SUB_BITS) - 1;
        let q = i - (shift << SUB_BITS);
        (q << shift, 1 << shift)
    }
}

impl LogHistogram {
    /// Empty histogram.
    #[must_use]
    pub fn new() -> LogHistogram {
        LogHistogram::default()
    }

    /// Counts one value.
    #[inline]
    pub fn add(&mut self, v: u64) {
        self.add_count(bucket_of(v), 1);
    }

    #[inline(always)]
    fn add_count(&mut self, b: usize, n: u32) {
        // Fast path: the bucket is inside the window (wrapping_sub turns "below" into "huge").
        let i = b.wrapping_sub(self.base);
        if i < self.counts.len() {
            self.counts[i] += n;
        } else {
            self.widen(b);
            self.counts[b - self.base] += n;
        }
        self.total += u64::from(n);
    }

    /// Widens the window to include bucket `b` (rare once the spread of values is known).
    #[cold]
    #[inline(never)]
    fn widen(&mut self, b: usize) {
        if self.counts.is_empty() {
            self.base = b;
            self.counts.push(0);
        } else if b < self.base {
            let grow = self.base - b;
            self.counts.splice(0..0, std::iter::repeat(0).take(grow));
            self.base = b;
        } else {
            self.counts.resize(b - self.base + 1, 0);
        }
    }

    /// Adds another histogram's counts (exact, order-free).
    pub fn merge(&mut self, other: &LogHistogram) {
        if other.counts.is_empty() {
            return;
        }
        // Make room for the other window at both ends first, then add.
        self.add_count(other.base, 0);
        self.add_count(other.base + other.counts.len() - 1, 0);
        let off = other.base - self.base;
        for (a, b) in self.counts[off..].iter_mut().zip(&other.counts) {
            *a += b;
        }
        self.total += other.total;
    }

    /// Number of values counted.
    #[must_use]
    pub fn count(&self) -> u64 {
        self.total
    }

    /// Nearest-rank percentiles (`qs` in [0, 1], ascending), each the midpoint of its bucket:
    /// exact below 256, within [`RELATIVE_ERROR`] above.
    #[must_use]
    pub fn quantiles<const N: usize>(&self, qs: [f64; N]) -> [f64; N] {
        let mut out = [f64::NAN; N];
        if self.total == 0 {
            return out;
        }
        let ranks = qs.map(|q| ((q * self.total as f64).ceil() as u64).clamp(1, self.total));
        let mut seen = 0u64;
        let mut k = 0;
        for (i, &c) in self.counts.iter().enumerate() {
            seen += u64::from(c);
            while k < N && seen >= ranks[k] {
                let (lo, w) = bucket_range(self.base + i);
                out[k] = lo as f64 + (w - 1) as f64 / 2.0;
                k += 1;
            }
            if k == N {
                break;
            }
        }
        out
    }
}

/// Exact count, sum and sum of squares of u64 values (mergeable, order-free).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Moments {
    /// Values counted.
    pub n: u64,
    /// Their sum.
    pub sum: u128,
    /// Sum of squares.
    pub sum_sq: u128,
}

impl Moments {
    /// Counts one value.
    #[inline]
    pub fn add(&mut self, v: u64) {
        self.n += 1;
        self.sum += u128::from(v);
        self.sum_sq += u128::from(v) * u128::from(v);
    }

    /// Adds another's totals.
    pub fn merge(&mut self, o: &Moments) {
        self.n += o.n;
        self.sum += o.sum;
        self.sum_sq += o.sum_sq;
    }

    /// Mean (NaN when empty).
    #[must_use]
    pub fn mean(&self) -> f64 {
        if self.n == 0 {
            f64::NAN
        } else {
            self.sum as f64 / self.n as f64
        }
    }

    /// Sample standard deviation (0 for fewer than two values).
    #[must_use]
    pub fn sd(&self) -> f64 {
        if self.n < 2 {
            return 0.0;
        }
        // n·Σx² − (Σx)² is exact in integers, so no cancellation error.
        let n = self.n as u128;
        let num = n * self.sum_sq - self.sum * self.sum;
        (num as f64 / (self.n as f64 * (self.n - 1) as f64)).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn buckets_are_contiguous_and_cover() {
        let mut prev_end = 0u64;
        for i in 0..5000 {
            let (lo, w) = bucket_range(i);
            assert_eq!(lo, prev_end, "bucket {i}");
            assert_eq!(bucket_of(lo), i);
            assert_eq!(bucket_of(lo + w - 1), i);
            prev_end = lo + w;
        }
    }

    #[test]
    fn small_values_are_exact() {
        let mut h = LogHistogram::new();
        for v in 1..=100 {
            h.add(v);
        }
        assert_eq!(h.quantiles([0.05, 0.5, 0.95]), [5.0, 50.0, 95.0]);
    }

    proptest! {
        #[test]
        fn quantile_error_is_bounded(vals in proptest::collection::vec(0u64..10_000_000_000, 1..300), q in 0.0f64..1.0) {
            let mut h = LogHistogram::new();
            for &v in &vals { h.add(v); }
            let mut sorted = vals.clone();
            sorted.sort_unstable();
            let rank = ((q * vals.len() as f64).ceil() as usize).clamp(1, vals.len());
            let exact = sorted[rank - 1] as f64;
            let got = h.quantiles([q])[0];
            prop_assert!((got - exact).abs() <= exact * RELATIVE_ERROR + 1e-9, "q={q} exact={exact} got={got}");
        }

        #[test]
        fn merge_is_order_free(a in proptest::collection::vec(0u64..1_000_000, 0..100), b in proptest::collection::vec(0u64..1_000_000, 0..100)) {
            let (mut ha, mut hb, mut all) = (LogHistogram::new(), LogHistogram::new(), LogHistogram::new());
            let (mut ma, mut mb, mut mall) = (Moments::default(), Moments::default(), Moments::default());
            for &v in &a { ha.add(v); ma.add(v); all.add(v); mall.add(v); }
            for &v in &b { hb.add(v); mb.add(v); all.add(v); mall.add(v); }
            let mut ab = ha.clone(); ab.merge(&hb);
            let mut ba = hb.clone(); ba.merge(&ha);
            prop_assert_eq!(ab.quantiles([0.05, 0.5, 0.95]).map(f64::to_bits), all.quantiles([0.05, 0.5, 0.95]).map(f64::to_bits));
            prop_assert_eq!(ab.quantiles([0.25, 0.75]).map(f64::to_bits), ba.quantiles([0.25, 0.75]).map(f64::to_bits));
            let mut m = ma; m.merge(&mb);
            prop_assert_eq!(m, mall);
        }
    }

    #[test]
    fn moments_match_textbook() {
        let mut m = Moments::default();
        for v in [2u64, 4, 4, 4, 5, 5, 7, 9] {
            m.add(v);
        }
        assert_eq!(m.mean(), 5.0);
        assert!((m.sd() - 2.138_089_935_299_395).abs() < 1e-12);
    }
}

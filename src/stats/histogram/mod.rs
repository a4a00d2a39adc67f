//! A mergeable log-linear histogram of whole numbers with a bounded relative error and a
//! bounded size.
//!
//! Values below 256 each have their own bucket (exact). Above, every power of two is split into
//! 128 equal buckets, so a bucket spans at most 1/128 of its values. Only the window of buckets
//! between the smallest and largest value seen is stored (a stock that stays between 4,400 and
//! 4,800 needs 12 counters, not 900), so memory follows the spread of the values, never their
//! number; keeping it small keeps the millions of updates per second in cache.
//!
//! **Hard cap.** A window never holds more than [`MAX_COUNTERS_PER_CELL`] buckets (8 bytes
//! each, 8 KiB). When the values of one histogram spread wider than that (from 0 to past
//! 16,384, or a largest value more than about 256 times the smallest), pairs of neighbouring
//! buckets are merged into one, as many times as needed (the histogram's *level* L, at most 3
//! for any u64 values), so the memory of a histogram is bounded whatever the values.
//!
//! **Percentiles are values that occurred.** Each bucket also remembers whether all its values
//! are the same one, and which (for buckets narrower than 2³², i.e. values below 2³⁹ ≈ 5·10¹¹
//! at level 0 and below 2³⁶ ≈ 6·10¹⁰ at level 3). A percentile is the nearest-rank order statistic's bucket: when
//! that bucket holds one distinct value, the percentile is that value, exactly; otherwise it is
//! the whole number in the middle of the bucket, never below the smallest value seen nor above
//! the largest. Hence a quantity that is the same in every run reports exactly that value.
//!
//! **Error bound.** Against the exact nearest-rank order statistic v, a reported percentile is
//! off by at most max(v · 2^L / 256, 2^L / 2): at level 0 exact below 256 and within
//! [`RELATIVE_ERROR`] (0.4%) above; under the cap at worst within [`MAX_RELATIVE_ERROR`]
//! (3.1%), or 4 units below 128.
//!
//! Counts are integers, "one distinct value" is a property of the set of values, and the level
//! is a function of the smallest and largest value only, so merging is exact and order-free: the same runs give the same bits whatever the order or
//! thread count.

mod buckets;

pub use buckets::bucket_of;
#[cfg(any(test, feature = "internals"))]
pub use buckets::bucket_range;

use buckets::{bucket_and_offset, coarse_range, join, level_for, rebase, tag, Bucket, MANY, SUB};

/// Most buckets one histogram holds (8 bytes each: 8 KiB); wider spreads use coarser buckets.
pub const MAX_COUNTERS_PER_CELL: usize = 1024;

/// Relative error bound of any percentile read from a [`LogHistogram`] at level 0, i.e. whose
/// values span at most [`MAX_COUNTERS_PER_CELL`] fine buckets (exact below 256).
pub const RELATIVE_ERROR: f64 = 1.0 / (2.0 * SUB as f64);

/// The coarsest level the cap can ever need: u64 values span 7,424 fine buckets, and
/// 7,424 / 2³ ≤ [`MAX_COUNTERS_PER_CELL`].
pub const MAX_LEVEL: u32 = 3;

/// Relative error bound of any percentile of 128 or more, under the cap, whatever the values
/// (below 128 the bound is 4 units).
#[cfg(any(test, feature = "internals"))]
pub const MAX_RELATIVE_ERROR: f64 = (1u64 << MAX_LEVEL) as f64 * RELATIVE_ERROR;

/// Histogram of u64 values.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct LogHistogram {
    /// Buckets `base..base + buckets.len()` at `level`.
    buckets: Vec<Bucket>,
    base: usize,
    /// Each bucket groups 2^level fine buckets.
    level: u32,
    total: u64,
    /// Smallest and largest value counted (meaningless while empty).
    min: u64,
    max: u64,
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
        let (fine, offset) = bucket_and_offset(v);
        let b = fine >> self.level;
        // Fast path: the bucket is inside the window (wrapping_sub turns "below" into "huge").
        let i = b.wrapping_sub(self.base);
        if i < self.buckets.len() && self.level == 0 {
            let bucket = &mut self.buckets[i];
            bucket.count += 1;
            // Written only when it changes (rarely: once a bucket holds two values it stays MANY).
            let t = tag(offset);
            if bucket.only != t && bucket.only != MANY {
                bucket.only = join(bucket.only, t);
            }
        } else {
            self.add_slow(v);
        }
        self.total += 1;
        self.min = self.min.min(v);
        self.max = self.max.max(v);
    }

    /// Counts every value of `values`: the same result as adding them one by one, with the
    /// window checked, and widened if need be, once for the whole slice (the statistics fold a
    /// batch of runs per cell).
    #[inline]
    pub fn add_all(&mut self, values: &[u64]) {
        let (Some(&lo), Some(&hi)) = (values.iter().min(), values.iter().max()) else {
            return;
        };
        let inside = |v: u64| bucket_of(v).wrapping_sub(self.base) < self.buckets.len();
        let ready = self.total != 0 && self.level == 0 && inside(lo) && inside(hi);
        if !ready && !self.widen_to(lo, hi) {
            for &v in values {
                self.add(v);
            }
            return;
        }
        if lo == hi {
            // One value throughout (a cell that is the same in every run of the batch, such as
            // a certain capacity or nothing at all): one bucket takes them all at once.
            let (fine, offset) = bucket_and_offset(lo);
            let bucket = &mut self.buckets[fine - self.base];
            bucket.count += values.len() as u32;
            bucket.only = join(bucket.only, tag(offset));
        } else {
            for &v in values {
                let (fine, offset) = bucket_and_offset(v);
                let bucket = &mut self.buckets[fine - self.base];
                bucket.count += 1;
                let t = tag(offset);
                if bucket.only != t && bucket.only != MANY {
                    bucket.only = join(bucket.only, t);
                }
            }
        }
        self.total += values.len() as u64;
        self.min = self.min.min(lo);
        self.max = self.max.max(hi);
    }

    /// Reads one counter of each cache line of the window, so that a coming
    /// [`LogHistogram::add_all`] finds them in cache (the statistics fold one cell after
    /// another, and each cell's window was last used a whole batch of runs ago); returns their
    /// sum, to be passed to [`std::hint::black_box`] so the reads are kept.
    #[inline]
    pub fn touch(&self) -> u32 {
        self.buckets
            .iter()
            .step_by(8)
            .fold(0, |a, b| a.wrapping_add(b.count))
    }

    /// Widens the window of fine buckets to hold `lo..=hi` as well, when that keeps level 0 (the
    /// window a histogram reaches depends only on its smallest and largest value, so widening
    /// first and counting after gives the same buckets as counting one by one). False, and
    /// nothing changed, when the histogram is or would become coarser.
    #[cold]
    #[inline(never)]
    fn widen_to(&mut self, lo: u64, hi: u64) -> bool {
        let (lo, hi) = if self.total == 0 {
            (lo, hi)
        } else {
            (lo.min(self.min), hi.max(self.max))
        };
        let (first, last) = (bucket_of(lo), bucket_of(hi));
        if self.level != 0 || level_for(first, last) != 0 {
            return false;
        }
        if self.total == 0 {
            *self = LogHistogram {
                buckets: Vec::with_capacity(last - first + 1),
                base: first,
                level: 0,
                total: 0,
                min: lo,
                max: hi,
            };
            self.buckets.resize(last - first + 1, Bucket::default());
        } else {
            self.set_window(0, first, last);
        }
        true
    }

    /// Counts one value outside the window or in a coarsened histogram.
    #[cold]
    #[inline(never)]
    fn add_slow(&mut self, v: u64) {
        if self.total == 0 {
            *self = LogHistogram {
                buckets: Vec::with_capacity(4),
                base: bucket_of(v),
                level: 0,
                total: 0,
                min: v,
                max: v,
            };
            self.buckets.push(Bucket::default());
        }
        let lo = bucket_of(v.min(self.min));
        let hi = bucket_of(v.max(self.max));
        self.set_window(level_for(lo, hi), lo, hi);
        let b = bucket_of(v) >> self.level;
        let start = coarse_range(b, self.level).0;
        let bucket = &mut self.buckets[b - self.base];
        bucket.count += 1;
        bucket.only = join(bucket.only, tag(v - start));
    }

    /// Re-buckets to `level` (never finer than now) and extends the window to fine buckets
    /// `lo..=hi` (which include the current window).
    fn set_window(&mut self, level: u32, lo: usize, hi: usize) {
        debug_assert!(level >= self.level);
        let (new_base, new_len) = (lo >> level, (hi >> level) - (lo >> level) + 1);
        debug_assert!(new_len <= MAX_COUNTERS_PER_CELL);
        if level == self.level && new_base == self.base && new_len == self.buckets.len() {
            return;
        }
        let shift = level - self.level;
        if shift == 0 {
            // Same buckets: grow in place, never past the cap in capacity either. A quarter
            // more room rather than double: windows widen rarely (a cell's window depends only
            // on its smallest and largest value), and of a million runs' cells most room left
            // by doubling would stay unused.
            let front = self.base - new_base;
            let back = new_len - self.buckets.len() - front;
            let room = self.buckets.capacity() + self.buckets.capacity() / 4;
            let target = room.clamp(new_len, MAX_COUNTERS_PER_CELL);
            self.buckets
                .reserve_exact(target.saturating_sub(self.buckets.len()));
            self.buckets
                .splice(0..0, std::iter::repeat_n(Bucket::default(), front));
            self.buckets
                .extend(std::iter::repeat_n(Bucket::default(), back));
        } else {
            let mut buckets = vec![Bucket::default(); new_len];
            for (k, b) in self.buckets.iter().enumerate() {
                let j = (self.base + k) >> shift;
                let to = &mut buckets[j - new_base];
                to.count += b.count;
                let from = coarse_range(self.base + k, self.level).0;
                to.only = join(to.only, rebase(b.only, from, coarse_range(j, level).0));
            }
            self.buckets = buckets;
        }
        self.base = new_base;
        self.level = level;
    }

    /// Adds another histogram's counts (exact, order-free).
    pub fn merge(&mut self, other: &LogHistogram) {
        if other.total == 0 {
            return;
        }
        if self.total == 0 {
            self.clone_from(other);
            return;
        }
        let lo = bucket_of(self.min.min(other.min));
        let hi = bucket_of(self.max.max(other.max));
        let level = level_for(lo, hi).max(self.level).max(other.level);
        self.set_window(level, lo, hi);
        let shift = level - other.level;
        for (k, b) in other.buckets.iter().enumerate() {
            let j = (other.base + k) >> shift;
            let to = &mut self.buckets[j - self.base];
            to.count += b.count;
            let from = coarse_range(other.base + k, other.level).0;
            to.only = join(to.only, rebase(b.only, from, coarse_range(j, level).0));
        }
        self.total += other.total;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    /// Number of values counted.
    #[must_use]
    pub fn count(&self) -> u64 {
        self.total
    }

    /// Buckets held (at most [`MAX_COUNTERS_PER_CELL`]).
    #[must_use]
    pub fn counters(&self) -> usize {
        self.buckets.len()
    }

    /// Buckets allocated (at most [`MAX_COUNTERS_PER_CELL`]).
    #[must_use]
    pub fn capacity(&self) -> usize {
        self.buckets.capacity()
    }

    /// Bytes one bucket takes.
    #[must_use]
    pub const fn bytes_per_counter() -> usize {
        std::mem::size_of::<Bucket>()
    }

    /// Whether a histogram read back from a file keeps the invariants the other methods rely
    /// on: a level and window within the cap, a window that covers the smallest and largest
    /// value, and bucket counts that add up to the total.
    #[must_use]
    pub fn well_formed(&self) -> bool {
        let counted: u64 = self.buckets.iter().map(|b| u64::from(b.count)).sum();
        if counted != self.total || self.buckets.len() > MAX_COUNTERS_PER_CELL {
            return false;
        }
        if self.total == 0 {
            return true;
        }
        let last = self.base.checked_add(self.buckets.len() - 1);
        self.level <= MAX_LEVEL
            && self.min <= self.max
            && last.is_some_and(|l| l <= bucket_of(u64::MAX) >> self.level)
            && bucket_of(self.min) >> self.level >= self.base
            && last.is_some_and(|l| bucket_of(self.max) >> self.level <= l)
    }

    /// How many times neighbouring buckets were merged to respect the cap (0 to [`MAX_LEVEL`]).
    #[must_use]
    pub fn level(&self) -> u32 {
        self.level
    }

    /// The smallest and largest value counted (None when empty).
    #[must_use]
    pub fn min_max(&self) -> Option<(u64, u64)> {
        (self.total > 0).then_some((self.min, self.max))
    }

    /// Nearest-rank percentiles (`qs` in [0, 1], ascending), each a whole number: the order
    /// statistic itself when its bucket holds one distinct value, otherwise the middle of its
    /// bucket, kept within the smallest and largest value seen. See the module documentation
    /// for the error bound. NaN when empty.
    #[must_use]
    pub fn quantiles<const N: usize>(&self, qs: [f64; N]) -> [f64; N] {
        let mut out = [f64::NAN; N];
        if self.total == 0 {
            return out;
        }
        let ranks = qs.map(|q| ((q * self.total as f64).ceil() as u64).clamp(1, self.total));
        let mut seen = 0u64;
        let mut k = 0;
        for (i, b) in self.buckets.iter().enumerate() {
            seen += u64::from(b.count);
            while k < N && seen >= ranks[k] {
                let (lo, hi) = coarse_range(self.base + i, self.level);
                let v = match b.only {
                    0 | MANY => (lo + (hi - lo) / 2).clamp(self.min, self.max),
                    t => lo + u64::from(t - 1),
                };
                out[k] = v as f64;
                k += 1;
            }
            if k == N {
                break;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::buckets::EXACT;
    use super::*;
    use crate::stats::Moments;
    use proptest::prelude::*;

    #[test]
    fn small_values_are_exact() {
        let mut h = LogHistogram::new();
        for v in 1..=100 {
            h.add(v);
        }
        assert_eq!(h.quantiles([0.05, 0.5, 0.95]), [5.0, 50.0, 95.0]);
    }

    #[test]
    fn a_constant_reads_exactly() {
        for v in [1_000u64, 3_353, 4_194_305, 987_654_321_012] {
            let mut h = LogHistogram::new();
            for _ in 0..1000 {
                h.add(v);
            }
            assert_eq!(h.quantiles([0.05, 0.5, 0.95]), [v as f64; 3], "{v}");
        }
        // Values at the ends of a wide spread read exactly too.
        let mut h = LogHistogram::new();
        for _ in 0..60 {
            h.add(3_353);
        }
        for _ in 0..40 {
            h.add(10_000_000);
        }
        assert_eq!(
            h.quantiles([0.05, 0.5, 0.95]),
            [3_353.0, 3_353.0, 10_000_000.0]
        );
        // One distinct value per bucket, spread so wide that buckets were coarsened.
        let mut h = LogHistogram::new();
        for v in [0u64, 3_353, 3_353, 1 << 34, 1 << 35] {
            h.add(v);
        }
        assert_eq!(h.level(), 2);
        let want = [
            0.0,
            3_353.0,
            3_353.0,
            (1u64 << 34) as f64,
            (1u64 << 35) as f64,
        ];
        assert_eq!(h.quantiles([0.2, 0.4, 0.6, 0.8, 1.0]), want);
    }

    /// The documented bound: max(v · 2^L / 256, 2^L / 2).
    fn bound(v: f64, level: u32) -> f64 {
        let f = f64::from(1u32 << level);
        (v * f * RELATIVE_ERROR).max(f / 2.0)
    }

    fn check_quantiles(h: &LogHistogram, vals: &[u64], q: f64) -> Result<(), TestCaseError> {
        let mut sorted = vals.to_vec();
        sorted.sort_unstable();
        let rank = ((q * vals.len() as f64).ceil() as usize).clamp(1, vals.len());
        let exact = sorted[rank - 1];
        let got = h.quantiles([q])[0];
        prop_assert_eq!(got.fract(), 0.0, "a whole number");
        prop_assert!(got >= sorted[0] as f64 && got <= sorted[vals.len() - 1] as f64);
        if sorted[vals.len() - 1] < EXACT {
            prop_assert_eq!(got, exact as f64);
        } else {
            let err = (got - exact as f64).abs();
            prop_assert!(
                err <= bound(exact as f64, h.level()),
                "q={} exact={} got={} level={}",
                q,
                exact,
                got,
                h.level()
            );
            prop_assert!(
                err <= (exact as f64 * MAX_RELATIVE_ERROR).max(f64::from(1u32 << MAX_LEVEL) / 2.0)
            );
        }
        Ok(())
    }

    fn values() -> impl Strategy<Value = Vec<u64>> {
        prop_oneof![
            proptest::collection::vec(0u64..256, 1..300),
            proptest::collection::vec(0u64..10_000_000_000, 1..300),
            proptest::collection::vec(any::<u64>(), 1..300),
            proptest::collection::vec(prop_oneof![0u64..300, 1_000_000u64..1_100_000], 1..300),
        ]
    }

    proptest! {
        #[test]
        fn percentiles_occur_and_are_within_the_bound(vals in values(), q in 0.0f64..1.0) {
            let mut h = LogHistogram::new();
            for &v in &vals { h.add(v); }
            prop_assert!(h.counters() <= MAX_COUNTERS_PER_CELL);
            check_quantiles(&h, &vals, q)?;
            // A value alone in its bucket is reported exactly.
            let mut sorted = vals.clone();
            sorted.sort_unstable();
            let rank = ((q * vals.len() as f64).ceil() as usize).clamp(1, vals.len());
            let exact = sorted[rank - 1];
            let b = bucket_of(exact) >> h.level();
            let narrow = exact < 1u64 << (39 - h.level());
            if narrow && sorted.iter().all(|&v| bucket_of(v) >> h.level() != b || v == exact) {
                prop_assert_eq!(h.quantiles([q])[0], exact as f64);
            }
            check_quantiles(&h, &vals, 0.5)?;
        }

        #[test]
        fn merge_is_order_free(a in values(), b in values()) {
            let (mut ha, mut hb, mut all) = (LogHistogram::new(), LogHistogram::new(), LogHistogram::new());
            let (mut ma, mut mb, mut mall) = (Moments::default(), Moments::default(), Moments::default());
            // Moments are exact for the values the model produces (stock and totals far below
            // 2^40 units); the histogram takes any u64.
            let small = |v: u64| v % (1 << 40);
            for &v in &a { ha.add(v); ma.add(small(v)); all.add(v); mall.add(small(v)); }
            for &v in &b { hb.add(v); mb.add(small(v)); all.add(v); mall.add(small(v)); }
            let mut ab = ha.clone(); ab.merge(&hb);
            let mut ba = hb.clone(); ba.merge(&ha);
            let qs = [0.05, 0.25, 0.5, 0.75, 0.95];
            prop_assert_eq!(ab.quantiles(qs).map(f64::to_bits), all.quantiles(qs).map(f64::to_bits));
            prop_assert_eq!(ab.quantiles(qs).map(f64::to_bits), ba.quantiles(qs).map(f64::to_bits));
            prop_assert_eq!((&ab.buckets, ab.base, ab.level), (&all.buckets, all.base, all.level));
            prop_assert_eq!((&ab.buckets, ab.base, ab.level), (&ba.buckets, ba.base, ba.level));
            let mut m = ma; m.merge(&mb);
            prop_assert_eq!(m, mall);
        }

        #[test]
        fn adding_a_slice_is_adding_one_by_one(
            first in values(),
            mut chunks in proptest::collection::vec(values(), 1..4),
            (same, times, at) in (prop_oneof![0u64..5_000, any::<u64>()], 1usize..300, 0usize..4),
        ) {
            // A slice of one value repeated (as a cell that is the same in every run gives).
            chunks.insert(at.min(chunks.len()), vec![same; times]);
            let (mut one, mut all) = (LogHistogram::new(), LogHistogram::new());
            let (mut m1, mut mall) = (Moments::default(), Moments::default());
            let small = |v: u64| v % (1 << 40);
            for &v in &first { one.add(v); all.add(v); }
            for c in &chunks {
                for &v in c { one.add(v); m1.add(small(v)); }
                all.add_all(c);
                mall.add_all(&c.iter().map(|&v| small(v)).collect::<Vec<_>>());
            }
            prop_assert_eq!((&one.buckets, one.base, one.level), (&all.buckets, all.base, all.level));
            prop_assert_eq!((one.total, one.min, one.max), (all.total, all.min, all.max));
            prop_assert_eq!(m1, mall);
            // And from empty, slices only.
            let (mut one, mut all) = (LogHistogram::new(), LogHistogram::new());
            for c in &chunks {
                for &v in c { one.add(v); }
                all.add_all(c);
            }
            prop_assert_eq!((&one.buckets, one.base, one.level), (&all.buckets, all.base, all.level));
            prop_assert_eq!((one.total, one.min, one.max), (all.total, all.min, all.max));
        }
    }

    #[test]
    fn a_wide_spread_stays_under_the_cap() {
        // 200,000 values over 0..10^12 (a pseudo-random walk over the whole range).
        let mut h = LogHistogram::new();
        let mut vals = Vec::new();
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for k in 0..200_000u64 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let v = match k % 3 {
                0 => x % 1_000_000_000_000,
                1 => x % 1_000_000,
                _ => x % 300,
            };
            vals.push(v);
            h.add(v);
            assert!(h.counters() <= MAX_COUNTERS_PER_CELL && h.capacity() <= MAX_COUNTERS_PER_CELL);
        }
        assert!(h.level() >= 1);
        for q in [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0] {
            check_quantiles(&h, &vals, q).unwrap();
        }
    }
}

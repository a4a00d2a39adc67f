//! The bucket layout of a [`LogHistogram`](super::LogHistogram): which fine bucket a value falls
//! in, the values a bucket spans at each level, and each bucket's count and "one distinct value"
//! tag, with its compact serialised form.

use super::MAX_COUNTERS_PER_CELL;

pub(super) const SUB_BITS: u32 = 7;
pub(super) const SUB: u64 = 1 << SUB_BITS; // 128
pub(super) const EXACT: u64 = 2 * SUB; // 256

/// A bucket's tag when its values are not all the same (or the offset does not fit).
pub(super) const MANY: u32 = u32::MAX;

/// One bucket: how many values it holds, and which one when they are all the same.
/// Serialised compactly (partial results hold about a million of them), see [`BucketRepr`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(from = "BucketRepr", into = "BucketRepr")]
pub(super) struct Bucket {
    pub(super) count: u32,
    /// 0: empty; [`MANY`]: several distinct values; otherwise 1 + the single value's offset
    /// from the bucket's smallest value.
    pub(super) only: u32,
}

/// A bucket as written: `count` alone when it is empty or holds several distinct values (the
/// common cases), `[count, only]` when its values are all one.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
enum BucketRepr {
    Counted(u32),
    Single(u32, u32),
}

impl From<BucketRepr> for Bucket {
    fn from(r: BucketRepr) -> Bucket {
        match r {
            BucketRepr::Counted(0) => Bucket::default(),
            BucketRepr::Counted(count) => Bucket { count, only: MANY },
            BucketRepr::Single(count, only) => Bucket { count, only },
        }
    }
}

impl From<Bucket> for BucketRepr {
    fn from(b: Bucket) -> BucketRepr {
        if b.count == 0 || b.only == MANY {
            BucketRepr::Counted(b.count)
        } else {
            BucketRepr::Single(b.count, b.only)
        }
    }
}

/// The tag of a value at `offset` from its bucket's start.
#[inline]
pub(super) fn tag(offset: u64) -> u32 {
    if offset < u64::from(MANY - 1) {
        offset as u32 + 1
    } else {
        MANY
    }
}

/// The tag of a bucket holding the values of two buckets tagged `a` and `b` (same start).
#[inline]
pub(super) fn join(a: u32, b: u32) -> u32 {
    if a == 0 || a == b {
        b
    } else if b == 0 {
        a
    } else {
        MANY
    }
}

/// Re-bases a tag from a bucket starting at `from` to one starting at `to` ≤ `from`.
pub(super) fn rebase(t: u32, from: u64, to: u64) -> u32 {
    match t {
        0 | MANY => t,
        _ => tag(from - to + u64::from(t - 1)),
    }
}

/// Fine bucket index of a value.
#[inline]
#[must_use]
pub fn bucket_of(v: u64) -> usize {
    bucket_and_offset(v).0
}

/// Fine bucket index of a value and the value's offset from the bucket's smallest value.
///
/// Without a branch: below [`EXACT`] the shift is 0, so the bucket is the value itself (the
/// statistics fold values on both sides of 256 in one loop, where a branch mispredicts).
#[inline]
pub(super) fn bucket_and_offset(v: u64) -> (usize, u64) {
    let e = 63 - (v | 1).leading_zeros(); // floor(log2 v), 0 for v ≤ 1
    let shift = e.saturating_sub(SUB_BITS);
    (
        ((u64::from(shift) << SUB_BITS) + (v >> shift)) as usize,
        v & ((1u64 << shift) - 1),
    )
}

/// Smallest value and width of a fine bucket.
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

/// Smallest and largest value of bucket `j` at `level`.
pub(super) fn coarse_range(j: usize, level: u32) -> (u64, u64) {
    let first = j << level;
    let last = ((j + 1) << level) - 1;
    let (lo, _) = bucket_range(first);
    let (l2, w2) = bucket_range(last);
    (lo, l2 + (w2 - 1))
}

/// The coarsest-needed level for a window of fine buckets `lo..=hi`.
pub(super) fn level_for(lo: usize, hi: usize) -> u32 {
    let mut l = 0;
    while (hi >> l) - (lo >> l) + 1 > MAX_COUNTERS_PER_CELL {
        l += 1;
    }
    l
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::histogram::MAX_LEVEL;

    #[test]
    fn branch_free_buckets_match_the_two_case_rule() {
        // Below 256 a value is its own bucket; above, 128 buckets per power of two.
        let rule = |v: u64| {
            if v < EXACT {
                (v as usize, 0)
            } else {
                let shift = 63 - v.leading_zeros() - SUB_BITS;
                (
                    ((u64::from(shift) << SUB_BITS) + (v >> shift)) as usize,
                    v & ((1u64 << shift) - 1),
                )
            }
        };
        let edges = (0..64).flat_map(|b| {
            let p = 1u64 << b;
            [p - 1, p, p + 1, p.wrapping_mul(3) / 2]
        });
        for v in (0..5000).chain(edges).chain([u64::MAX, u64::MAX - 1]) {
            assert_eq!(bucket_and_offset(v), rule(v), "value {v}");
        }
    }

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
        assert_eq!(level_for(bucket_of(0), bucket_of(u64::MAX)), MAX_LEVEL);
    }
}

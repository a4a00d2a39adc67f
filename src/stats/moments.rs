//! [`Moments`]: exact count, sum and sum of squares of whole numbers, for means and standard
//! deviations that merge exactly and in any order.

/// Exact count, sum and sum of squares of u64 values (mergeable, order-free).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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

    /// Counts every value of `values` (as many [`Moments::add`]).
    #[inline]
    pub fn add_all(&mut self, values: &[u64]) {
        let (mut sum, mut sum_sq) = (0u128, 0u128);
        for &v in values {
            sum += u128::from(v);
            sum_sq += u128::from(v) * u128::from(v);
        }
        self.n += values.len() as u64;
        self.sum += sum;
        self.sum_sq += sum_sq;
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

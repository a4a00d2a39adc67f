//! A Gaussian copula within one future: the rank correlations asked for become the correlations
//! of standard normals (ρ = 2 sin(π r / 6)), whose Cholesky factor turns independent normals into
//! correlated ones; each correlated draw then takes its value by its own inverse CDF, so every
//! marginal keeps exactly its law. Nothing here depends on other futures: flat memory, and each
//! future reproducible alone.

/// The normal correlation ρ whose Gaussian copula has Spearman rank correlation `rank`.
#[must_use]
pub fn normal_correlation(rank: f64) -> f64 {
    2.0 * (std::f64::consts::PI * rank / 6.0).sin()
}

/// The lower Cholesky factor of a correlation matrix, row by row.
#[derive(Debug, Clone, Default)]
pub struct Copula {
    /// Number of correlated draws.
    n: usize,
    /// Lower triangle of L with L·Lᵀ = the normal correlation matrix, row-major (n × n).
    lower: Vec<f64>,
}

/// Why a correlation matrix has no Cholesky factor: the first row whose pivot is not positive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotPositiveDefinite {
    /// The row (draw) at which the factorisation failed.
    pub row: usize,
}

impl Copula {
    /// Factors the `n` × `n` symmetric matrix `m` (row-major, ones on the diagonal).
    ///
    /// # Errors
    /// When the matrix is not positive definite (a pivot at or below 1e-10): the first row where
    /// the correlations so far cannot hold together.
    pub fn new(n: usize, m: &[f64]) -> Result<Copula, NotPositiveDefinite> {
        assert_eq!(m.len(), n * n, "a square matrix");
        let mut l = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..=i {
                let dot: f64 = (0..j).map(|k| l[i * n + k] * l[j * n + k]).sum();
                if i == j {
                    let pivot = m[i * n + i] - dot;
                    if pivot <= 1e-10 {
                        return Err(NotPositiveDefinite { row: i });
                    }
                    l[i * n + i] = pivot.sqrt();
                } else {
                    l[i * n + j] = (m[i * n + j] - dot) / l[j * n + j];
                }
            }
        }
        Ok(Copula { n, lower: l })
    }

    /// Number of correlated draws.
    #[must_use]
    pub fn len(&self) -> usize {
        self.n
    }

    /// Whether there is nothing to correlate.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Turns independent standard normals into correlated ones, in place (z ← L·z).
    pub fn correlate(&self, z: &mut [f64]) {
        let n = self.n;
        // From the last row up: row i reads only z[..=i], which are still the inputs.
        for i in (0..n).rev() {
            z[i] = (0..=i).map(|j| self.lower[i * n + j] * z[j]).sum();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_to_normal_correlation() {
        assert_eq!(normal_correlation(0.0), 0.0);
        assert!((normal_correlation(1.0) - 1.0).abs() < 1e-15);
        assert!(
            (normal_correlation(-0.5) + 2.0 * (std::f64::consts::PI / 12.0).sin()).abs() < 1e-15
        );
    }

    #[test]
    fn factor_of_a_two_by_two() {
        let rho = 0.6;
        let c = Copula::new(2, &[1.0, rho, rho, 1.0]).unwrap();
        let mut z = [1.0, 2.0];
        c.correlate(&mut z);
        assert_eq!(z[0], 1.0);
        assert!((z[1] - (rho + 2.0 * (1.0 - rho * rho).sqrt())).abs() < 1e-12);
    }

    #[test]
    fn an_impossible_triangle_is_refused_at_its_last_row() {
        // a ~ b and a ~ c strongly, but b and c strongly opposed: no such three variables.
        let m = [1.0, 0.9, 0.9, 0.9, 1.0, -0.9, 0.9, -0.9, 1.0];
        assert_eq!(
            Copula::new(3, &m).unwrap_err(),
            NotPositiveDefinite { row: 2 }
        );
        assert_eq!(
            Copula::new(2, &[1.0, 1.0, 1.0, 1.0]).unwrap_err(),
            NotPositiveDefinite { row: 1 }
        );
    }
}

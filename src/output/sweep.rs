//! `sweep.csv`: one row per combination, item and outcome of a sweep.

use super::OutputError;
use crate::analysis::sweep::SweepRow;

/// The rows as CSV with a header.
///
/// # Errors
/// When a row cannot be serialised (never for finite numbers).
pub fn csv(rows: &[SweepRow]) -> Result<Vec<u8>, OutputError> {
    let err = |message: String| OutputError::Serialize {
        file: "sweep.csv",
        message,
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.serialize(r).map_err(|e| err(e.to_string()))?;
    }
    w.into_inner().map_err(|e| err(e.to_string()))
}

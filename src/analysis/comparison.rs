//! A finished comparison, prepared for writing: one row per outcome and variant with both
//! scenarios' means, the paired difference and its 95% interval, and how much pairing narrowed it.

use super::{OutcomeLayout, PairedSums};
use serde::Serialize;

/// One compared scenario.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioInfo {
    /// Short name.
    pub name: String,
    /// Title.
    pub title: String,
    /// File as given.
    pub file: String,
    /// Hash of the file's bytes.
    pub hash: String,
}

/// One outcome of one variant against the first scenario.
#[derive(Debug, Clone, Serialize)]
pub struct ComparisonRow {
    /// Item name (empty for scenario-wide outcomes).
    pub item: String,
    /// Item label (or "all funding").
    pub label: String,
    /// Outcome key, e.g. `end_stock`.
    pub outcome: &'static str,
    /// Outcome in words.
    pub outcome_label: &'static str,
    /// Whether the means are probabilities.
    #[serde(skip)]
    pub probability: bool,
    /// The variant's scenario name.
    pub variant: String,
    /// Mean in the first scenario.
    pub base_mean: f64,
    /// Mean in the variant.
    pub variant_mean: f64,
    /// Mean paired difference, variant − first.
    pub difference: f64,
    /// Lower end of its 95% interval.
    pub ci95_low: f64,
    /// Upper end of its 95% interval.
    pub ci95_high: f64,
    /// Standard error of the paired difference.
    pub se_paired: f64,
    /// Standard error had the futures been independent.
    pub se_independent: f64,
}

/// Everything `porcupine compare` reports.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// Program version.
    pub version: String,
    /// Master seed (the same for every scenario).
    pub seed: u64,
    /// Futures per scenario.
    pub runs: u64,
    /// The command that reproduces the comparison.
    pub reproduce: String,
    /// The scenarios; the first is the one the others are compared against.
    pub scenarios: Vec<ScenarioInfo>,
    /// Items that are not in every scenario and so are not compared.
    pub not_compared: Vec<String>,
    /// The rows, per item and outcome, then per variant.
    pub rows: Vec<ComparisonRow>,
}

impl Comparison {
    /// Prepares the rows from the exact sums.
    #[must_use]
    pub fn new(
        meta: (String, u64, u64, String),
        scenarios: Vec<ScenarioInfo>,
        not_compared: Vec<String>,
        layout: &OutcomeLayout,
        sums: &PairedSums,
    ) -> Comparison {
        let (version, seed, runs, reproduce) = meta;
        let mut rows = Vec::new();
        for (j, (item, label, outcome)) in layout.rows.iter().enumerate() {
            for (k, variant) in scenarios.iter().enumerate().skip(1) {
                let d = sums.difference(k, j);
                let scale = outcome.scale();
                let paired = d.paired.scaled(scale);
                rows.push(ComparisonRow {
                    item: item.clone().unwrap_or_default(),
                    label: label.clone(),
                    outcome: outcome.key(),
                    outcome_label: outcome.label(),
                    probability: outcome.is_probability(),
                    variant: variant.name.clone(),
                    base_mean: d.base.mean * scale,
                    variant_mean: d.variant.mean * scale,
                    difference: paired.mean,
                    ci95_low: paired.low,
                    ci95_high: paired.high,
                    se_paired: paired.se,
                    se_independent: d.se_independent * scale,
                });
            }
        }
        Comparison {
            version,
            seed,
            runs,
            reproduce,
            scenarios,
            not_compared,
            rows,
        }
    }
}

//! A sweep: a grid of variants of one scenario, each a set of `--set` values, simulated on the
//! same futures; one row per combination, item and outcome with its mean, 95% interval and the
//! paired difference from the first combination.

use super::{OutcomeLayout, PairedSums};
use serde::Serialize;

/// Most combinations one sweep may have.
pub const MAX_COMBINATIONS: usize = 200;

/// One `--vary key.path=values`: the key and its values as TOML text.
#[derive(Debug, Clone, PartialEq)]
pub struct Vary {
    /// The key path, as typed.
    pub key: String,
    /// The values, as TOML text.
    pub values: Vec<String>,
}

impl Vary {
    /// Parses `key.path=v1,v2,…` or `key.path=a..b:n` (n evenly spaced numbers from a to b;
    /// whole numbers when a, b and the step are whole). Commas inside brackets, braces or
    /// quotes do not split values.
    ///
    /// # Errors
    /// A sentence saying what is wrong and how to write it.
    pub fn parse(s: &str) -> Result<Vary, String> {
        let Some((key, rest)) = s.split_once('=') else {
            return Err(format!(
                "--vary {s}: expected key.path=v1,v2,… or key.path=from..to:count"
            ));
        };
        let key = key.trim().to_owned();
        let rest = rest.trim();
        let values = if let Some(v) = range(rest)? {
            v
        } else {
            split_top_level(rest)
        };
        if values.is_empty() || values.iter().any(String::is_empty) {
            return Err(format!("--vary {s}: a value is empty"));
        }
        Ok(Vary { key, values })
    }
}

/// `a..b:n`, when the text has that form.
fn range(s: &str) -> Result<Option<Vec<String>>, String> {
    let Some((ab, n)) = s.rsplit_once(':') else {
        return Ok(None);
    };
    let Some((a, b)) = ab.split_once("..") else {
        return Ok(None);
    };
    let num = |t: &str| t.trim().replace('_', "").parse::<f64>().ok();
    let (Some(a), Some(b)) = (num(a), num(b)) else {
        return Ok(None);
    };
    let n: usize = n.trim().parse().map_err(|_| {
        format!("in {s}, the count after `:` must be a whole number of values, e.g. 0..100:5")
    })?;
    if !(2..=MAX_COMBINATIONS).contains(&n) || !a.is_finite() || !b.is_finite() {
        return Err(format!(
            "in {s}, give between 2 and {MAX_COMBINATIONS} values from one finite number to another"
        ));
    }
    let step = (b - a) / (n - 1) as f64;
    let whole = a.fract() == 0.0 && b.fract() == 0.0 && step.fract() == 0.0;
    Ok(Some(
        (0..n)
            .map(|i| {
                let x = if i + 1 == n { b } else { a + step * i as f64 };
                if whole {
                    format!("{}", x as i64)
                } else {
                    format!("{x}")
                }
            })
            .collect(),
    ))
}

/// Splits on commas outside brackets, braces and quotes.
fn split_top_level(s: &str) -> Vec<String> {
    let (mut out, mut cur, mut depth, mut quote) = (Vec::new(), String::new(), 0i32, false);
    for c in s.chars() {
        match c {
            '"' => quote = !quote,
            '[' | '{' if !quote => depth += 1,
            ']' | '}' if !quote => depth -= 1,
            ',' if !quote && depth == 0 => {
                out.push(cur.trim().to_owned());
                cur.clear();
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur.trim().to_owned());
    out
}

/// Every combination of the values, the first `--vary` changing slowest.
#[must_use]
pub fn grid(varies: &[Vary]) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = vec![Vec::new()];
    for v in varies {
        out = out
            .into_iter()
            .flat_map(|c| {
                v.values.iter().map(move |x| {
                    let mut c = c.clone();
                    c.push(x.clone());
                    c
                })
            })
            .collect();
    }
    out
}

/// One row of `sweep.csv`.
#[derive(Debug, Clone, Serialize)]
pub struct SweepRow {
    /// 1-based number of the combination.
    pub combination: usize,
    /// The values of the varied keys, `key=value; …`.
    pub values: String,
    /// Item name (empty for scenario-wide outcomes).
    pub item: String,
    /// Outcome key.
    pub outcome: &'static str,
    /// Outcome in words.
    pub outcome_label: &'static str,
    /// Mean over the futures.
    pub mean: f64,
    /// Lower end of its 95% interval.
    pub ci95_low: f64,
    /// Upper end of its 95% interval.
    pub ci95_high: f64,
    /// Mean paired difference from combination 1 (0 for it).
    pub difference_from_first: f64,
    /// Lower end of the difference's 95% interval.
    pub difference_ci95_low: f64,
    /// Upper end of the difference's 95% interval.
    pub difference_ci95_high: f64,
}

/// The rows of a finished sweep, combination by combination.
#[must_use]
pub fn rows(
    varies: &[Vary],
    combos: &[Vec<String>],
    layout: &OutcomeLayout,
    sums: &PairedSums,
) -> Vec<SweepRow> {
    let mut out = Vec::new();
    for (k, combo) in combos.iter().enumerate() {
        let values = varies
            .iter()
            .zip(combo)
            .map(|(v, x)| format!("{}={x}", v.key))
            .collect::<Vec<_>>()
            .join("; ");
        for (j, (item, _, outcome)) in layout.rows.iter().enumerate() {
            let scale = outcome.scale();
            let level = sums.level(k, j).scaled(scale);
            let (d, lo, hi) = if k == 0 {
                (0.0, 0.0, 0.0)
            } else {
                let p = sums.difference(k, j).paired.scaled(scale);
                (p.mean, p.low, p.high)
            };
            out.push(SweepRow {
                combination: k + 1,
                values: values.clone(),
                item: item.clone().unwrap_or_default(),
                outcome: outcome.key(),
                outcome_label: outcome.label(),
                mean: level.mean,
                ci95_low: level.low,
                ci95_high: level.high,
                difference_from_first: d,
                difference_ci95_low: lo,
                difference_ci95_high: hi,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_ranges_and_grids() {
        let v = Vary::parse("funding.a.amount_usd=1,2,3").unwrap();
        assert_eq!(v.values, ["1", "2", "3"]);
        let v = Vary::parse("x.y=0..100:5").unwrap();
        assert_eq!(v.values, ["0", "25", "50", "75", "100"]);
        let v = Vary::parse("x.y=0..1:3").unwrap();
        assert_eq!(v.values, ["0", "0.5", "1"]);
        let v = Vary::parse("x.d={ dist = \"uniform\", min = 1, max = 2 },[1, 2]").unwrap();
        assert_eq!(
            v.values,
            ["{ dist = \"uniform\", min = 1, max = 2 }", "[1, 2]"]
        );
        assert!(Vary::parse("x.y").is_err());
        assert!(Vary::parse("x.y=1..2:1").is_err());
        assert!(Vary::parse("x.y=1,,2").is_err());
        let g = grid(&[
            Vary::parse("a=1,2").unwrap(),
            Vary::parse("b=x,y,z").unwrap(),
        ]);
        assert_eq!(g.len(), 6);
        assert_eq!(g[0], ["1", "x"]);
        assert_eq!(g[5], ["2", "z"]);
    }
}

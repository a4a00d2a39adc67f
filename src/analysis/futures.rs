//! `runs.csv`: one row per simulated future with its outcomes (per item: end stock, first date at
//! zero, days at zero, deliveries, unmet demand; per funding source: money paid in) and every
//! per-future draw (ramp slips, shares, prices, rates…, one column each, named by key path), for
//! users' own analysis in pandas, R or Excel. Outcomes are extracted as integers while the
//! futures run; draws are recomputed from (seed, run) when the row is written, exactly as the
//! future drew them. Rows are written in run order, chunk by chunk, so memory does not grow with
//! the number of futures.

use crate::engine::RunRecord;
use crate::scenario::Scenario;
use crate::units::Day;

/// One future's outcomes, in the column order of [`header`].
pub type FutureRow = (u64, Vec<i64>);

/// Most futures for which `runs.csv` is written unless asked for explicitly.
pub const DEFAULT_MAX_FUTURES: u64 = 100_000;

/// The column names: the run, the outcomes, then the per-future draws by key path.
#[must_use]
pub fn header(s: &Scenario) -> Vec<String> {
    let mut h = outcome_header(s);
    h.extend(super::draws::inputs(s).into_iter().map(|i| i.path));
    h
}

/// The number of outcome columns (after `run`): the length of a [`FutureRow`]'s values.
#[must_use]
pub fn outcome_columns(s: &Scenario) -> usize {
    outcome_header(s).len() - 1
}

/// The run and outcome column names.
fn outcome_header(s: &Scenario) -> Vec<String> {
    let mut h = vec!["run".to_owned()];
    for it in &s.items {
        for col in [
            "end_stock",
            "first_zero_date",
            "days_at_zero",
            "delivered",
            "unmet_demand",
        ] {
            h.push(format!("{}.{col}", it.name));
        }
    }
    for f in &s.funding {
        h.push(format!("{}.paid_usd", f.name));
    }
    h
}

/// The outcomes of one future as integers (a first date at zero is a day number, −1 for never;
/// money in cents).
pub fn extract(s: &Scenario, rec: &RunRecord, out: &mut Vec<i64>) {
    out.clear();
    let days = s.days();
    let big = |u: u64| i64::try_from(u).unwrap_or(i64::MAX);
    for (i, led) in rec.items.iter().enumerate() {
        let path = rec.stock_of(i, days);
        out.push(big(led.end_stock));
        out.push(path.iter().position(|&v| v == 0).map_or(-1, |d| d as i64));
        out.push(path.iter().filter(|&&v| v == 0).count() as i64);
        out.push(big(led.delivered));
        out.push(big(led.unmet));
    }
    out.extend(rec.funding.iter().map(|f| f.paid));
}

/// Formats rows as CSV records: dates as calendar dates, money as dollars with cents, each
/// per-future draw in its shortest round-trip form (as drawn, before any rounding to whole days or
/// cents).
pub struct Writer<'a> {
    s: &'a Scenario,
    seed: u64,
    draws: super::draws::Draws,
    scratch: Vec<f64>,
    values: Vec<f64>,
    rec: Vec<String>,
}

impl<'a> Writer<'a> {
    /// The writer of the futures of experiment `seed` of `s`.
    #[must_use]
    pub fn new(s: &'a Scenario, seed: u64) -> Self {
        Writer {
            s,
            seed,
            draws: super::draws::Draws::new(s),
            scratch: Vec::new(),
            values: Vec::new(),
            rec: Vec::new(),
        }
    }

    /// Writes `rows` (in run order) to `w`.
    pub fn write<W: std::io::Write>(
        &mut self,
        w: &mut csv::Writer<W>,
        rows: &[FutureRow],
    ) -> csv::Result<()> {
        let (s, items) = (self.s, self.s.items.len());
        for (run, v) in rows {
            let rec = &mut self.rec;
            rec.clear();
            rec.push(run.to_string());
            for (k, x) in v.iter().enumerate() {
                rec.push(if k < items * 5 && k % 5 == 1 {
                    u32::try_from(*x)
                        .map(|d| s.date(Day(d)).to_string())
                        .unwrap_or_default()
                } else if k >= items * 5 {
                    format!("{}.{:02}", x / 100, (x % 100).abs())
                } else {
                    x.to_string()
                });
            }
            self.draws
                .values_into(self.seed, *run, &mut self.scratch, &mut self.values);
            rec.extend(self.values.iter().map(f64::to_string));
            w.write_record(&*rec)?;
        }
        Ok(())
    }
}

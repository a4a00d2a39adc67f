//! `runs.csv`: one row per simulated future with its outcomes (per item: end stock, first date at
//! zero, days at zero, deliveries, unmet demand; per funding source: money paid in) and every
//! per-future draw (ramp slips, shares, prices, rates…, one column each, named by key path), for
//! users' own analysis in pandas, R or Excel. Outcomes are extracted as integers while the
//! futures run; draws are recomputed from (seed, run) when the row is written, exactly as the
//! future drew them. Rows are written in run order, chunk by chunk, so memory does not grow with
//! the number of futures.

use crate::engine::RunRecord;
use crate::output::csv_rows::Num;
use crate::scenario::Scenario;
use crate::units::Day;
use serde::{Serialize, Serializer};

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

/// How an outcome column writes its integer.
#[derive(Debug, Clone, Copy)]
enum Form {
    /// As is.
    Count,
    /// A day number as its calendar date; empty for −1 (never).
    Date,
    /// Cents as dollars with two decimals.
    Dollars,
}

/// Each item's outcome columns (`<item>.<column>`), in the order [`extract`] writes them.
const ITEM_COLUMNS: [(&str, Form); 5] = [
    ("end_stock", Form::Count),
    ("first_zero_date", Form::Date),
    ("days_at_zero", Form::Count),
    ("delivered", Form::Count),
    ("unmet_demand", Form::Count),
];

/// Each funding source's outcome column (`<source>.paid_usd`), after every item's.
const FUNDING_COLUMN: (&str, Form) = ("paid_usd", Form::Dollars);

/// The run and outcome column names.
fn outcome_header(s: &Scenario) -> Vec<String> {
    let mut h = vec!["run".to_owned()];
    for it in &s.items {
        h.extend(
            ITEM_COLUMNS
                .iter()
                .map(|(col, _)| format!("{}.{col}", it.name)),
        );
    }
    let col = FUNDING_COLUMN.0;
    h.extend(s.funding.iter().map(|f| format!("{}.{col}", f.name)));
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

/// A CSV writer of `runs.csv` on `out`, its header written: the rows follow through
/// [`Writer::write`].
///
/// # Errors
/// When the header cannot be written.
pub fn csv_writer<W: std::io::Write>(s: &Scenario, out: W) -> csv::Result<csv::Writer<W>> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(out);
    w.write_record(header(s))?;
    Ok(w)
}

/// One row of `runs.csv`, serialised by serde: the run, its outcomes, then its draws (a list
/// field is one field per element).
#[derive(Serialize)]
struct Row<'r> {
    run: u64,
    outcomes: Outcomes<'r>,
    draws: DrawValues<'r>,
}

/// One future's draws, each in its shortest round-trip form ([`Num`]).
struct DrawValues<'r>(&'r [f64]);

impl Serialize for DrawValues<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        ser.collect_seq(self.0.iter().map(|&v| Num(v)))
    }
}

/// One future's outcomes, each written in its column's [`Form`].
struct Outcomes<'r> {
    s: &'r Scenario,
    values: &'r [i64],
}

impl Serialize for Outcomes<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let per_items = self.s.items.len() * ITEM_COLUMNS.len();
        ser.collect_seq(self.values.iter().enumerate().map(|(k, &x)| {
            let form = if k < per_items {
                ITEM_COLUMNS[k % ITEM_COLUMNS.len()].1
            } else {
                FUNDING_COLUMN.1
            };
            Outcome { form, x, s: self.s }
        }))
    }
}

/// One outcome in its column's form.
struct Outcome<'r> {
    form: Form,
    x: i64,
    s: &'r Scenario,
}

impl Serialize for Outcome<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let x = self.x;
        match self.form {
            Form::Count => ser.serialize_i64(x),
            Form::Date => match u32::try_from(x) {
                Ok(d) => ser.collect_str(&self.s.date(Day(d))),
                Err(_) => ser.serialize_none(),
            },
            Form::Dollars => ser.collect_str(&format_args!("{}.{:02}", x / 100, (x % 100).abs())),
        }
    }
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
        }
    }

    /// Writes `rows` (in run order) to `w`, a writer from [`csv_writer`].
    ///
    /// # Errors
    /// When a row cannot be written.
    pub fn write<W: std::io::Write>(
        &mut self,
        w: &mut csv::Writer<W>,
        rows: &[FutureRow],
    ) -> csv::Result<()> {
        for (run, v) in rows {
            self.draws
                .values_into(self.seed, *run, &mut self.scratch, &mut self.values);
            w.serialize(Row {
                run: *run,
                outcomes: Outcomes {
                    s: self.s,
                    values: v,
                },
                draws: DrawValues(&self.values),
            })?;
        }
        Ok(())
    }
}

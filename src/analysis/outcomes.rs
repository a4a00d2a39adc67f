//! The headline outcomes of one simulated future, as exact integers: per item the end stock,
//! whether stock is zero at the end and whether it ever reached zero, days at zero, units
//! delivered and unmet demand; for the whole scenario the money paid in and committed to orders
//! (cents). Items are matched across scenarios by name.

use crate::engine::RunRecord;
use crate::scenario::Scenario;

/// One headline outcome of an item in one future.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Units in stock at the end of the horizon.
    EndStock,
    /// 1 if the stock is zero at the end, else 0 (its mean is a probability).
    ZeroAtEnd,
    /// 1 if the stock was zero on any day, else 0 (its mean is a probability).
    EverZero,
    /// Days whose closing stock was zero.
    DaysAtZero,
    /// Units that arrived in stock.
    Delivered,
    /// Units wanted but not in stock.
    Unmet,
    /// Money that reached channels, in cents (scenario-wide).
    MoneyPaidIn,
    /// Money committed to orders, in cents (scenario-wide).
    MoneyCommitted,
}

impl Outcome {
    /// The per-item outcomes, in report order.
    pub const PER_ITEM: [Outcome; 6] = [
        Outcome::EndStock,
        Outcome::ZeroAtEnd,
        Outcome::EverZero,
        Outcome::DaysAtZero,
        Outcome::Delivered,
        Outcome::Unmet,
    ];
    /// The scenario-wide outcomes.
    pub const MONEY: [Outcome; 2] = [Outcome::MoneyPaidIn, Outcome::MoneyCommitted];

    /// Machine name (CSV and JSON).
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Outcome::EndStock => "end_stock",
            Outcome::ZeroAtEnd => "p_zero_at_end",
            Outcome::EverZero => "p_zero_any_day",
            Outcome::DaysAtZero => "days_at_zero",
            Outcome::Delivered => "delivered",
            Outcome::Unmet => "unmet_demand",
            Outcome::MoneyPaidIn => "money_paid_in_usd",
            Outcome::MoneyCommitted => "money_committed_usd",
        }
    }

    /// Words for a reader.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Outcome::EndStock => "end stock (units)",
            Outcome::ZeroAtEnd => "P(stock = 0 at the end)",
            Outcome::EverZero => "P(stock = 0 on any day)",
            Outcome::DaysAtZero => "days at zero",
            Outcome::Delivered => "delivered (units)",
            Outcome::Unmet => "unmet demand (units)",
            Outcome::MoneyPaidIn => "money paid in (USD)",
            Outcome::MoneyCommitted => "money committed to orders (USD)",
        }
    }

    /// How to show a value of this outcome: units, a probability or US dollars from cents.
    #[must_use]
    pub fn scale(self) -> f64 {
        match self {
            Outcome::MoneyPaidIn | Outcome::MoneyCommitted => 0.01,
            _ => 1.0,
        }
    }

    /// Whether the mean is a probability.
    #[must_use]
    pub fn is_probability(self) -> bool {
        matches!(self, Outcome::ZeroAtEnd | Outcome::EverZero)
    }
}

/// Which outcomes are compared, and where each comes from in each scenario's records.
#[derive(Debug, Clone)]
pub struct OutcomeLayout {
    /// The compared rows: (item name or `None` for scenario-wide, item label, outcome).
    pub rows: Vec<(Option<String>, String, Outcome)>,
    /// Per scenario, per row: the item index in that scenario (None for money rows).
    index: Vec<Vec<Option<usize>>>,
}

impl OutcomeLayout {
    /// The outcomes shared by all `scenarios`: every item present in each (matched by name, in
    /// the first scenario's order), then the money outcomes. Also returns the names of items
    /// missing from some scenario, which cannot be compared.
    #[must_use]
    pub fn new(scenarios: &[&Scenario]) -> (OutcomeLayout, Vec<String>) {
        let first = scenarios[0];
        let mut rows = Vec::new();
        let mut index: Vec<Vec<Option<usize>>> = vec![Vec::new(); scenarios.len()];
        let mut missing = Vec::new();
        for item in &first.items {
            let found: Vec<Option<usize>> = scenarios
                .iter()
                .map(|s| s.items.iter().position(|i| i.name == item.name))
                .collect();
            if found.iter().any(Option::is_none) {
                missing.push(item.name.clone());
                continue;
            }
            for o in Outcome::PER_ITEM {
                rows.push((Some(item.name.clone()), item.label.clone(), o));
                for (k, f) in found.iter().enumerate() {
                    index[k].push(*f);
                }
            }
        }
        for s in &scenarios[1..] {
            for item in &s.items {
                if !first.items.iter().any(|i| i.name == item.name) && !missing.contains(&item.name)
                {
                    missing.push(item.name.clone());
                }
            }
        }
        for o in Outcome::MONEY {
            rows.push((None, "all funding".to_owned(), o));
            for ix in &mut index {
                ix.push(None);
            }
        }
        (OutcomeLayout { rows, index }, missing)
    }

    /// Number of compared outcomes.
    #[must_use]
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// The compared items' rows (name, label), in order.
    pub fn items(&self) -> impl Iterator<Item = (&str, &str)> {
        self.rows.iter().filter_map(|(name, label, o)| {
            (*o == Outcome::PER_ITEM[0]).then_some((name.as_deref()?, label.as_str()))
        })
    }

    /// The index in scenario `k` of each compared item, in the order of [`OutcomeLayout::items`].
    #[must_use]
    pub fn item_indices(&self, k: usize) -> Vec<usize> {
        self.rows
            .iter()
            .zip(&self.index[k])
            .filter_map(|((_, _, o), ix)| (*o == Outcome::PER_ITEM[0]).then_some(*ix)?)
            .collect()
    }

    /// Whether nothing is compared.
    #[must_use]
    #[cfg(any(test, feature = "internals"))]
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The outcomes of one future of scenario `k` (whose record is `rec`), into `out`.
    pub fn extract(&self, k: usize, s: &Scenario, rec: &RunRecord, out: &mut Vec<i64>) {
        out.clear();
        let days = s.days();
        for ((_, _, o), ix) in self.rows.iter().zip(&self.index[k]) {
            let v = match (o, ix) {
                (Outcome::MoneyPaidIn, _) => rec.channels.iter().map(|c| c.received).sum(),
                (Outcome::MoneyCommitted, _) => rec.channels.iter().map(|c| c.spent).sum(),
                (o, Some(i)) => item_outcome(*o, rec, *i, days),
                (_, None) => 0,
            };
            out.push(v);
        }
    }
}

fn item_outcome(o: Outcome, rec: &RunRecord, i: usize, days: usize) -> i64 {
    let led = &rec.items[i];
    let as_i64 = |u: u64| i64::try_from(u).unwrap_or(i64::MAX);
    match o {
        Outcome::EndStock => as_i64(led.end_stock),
        Outcome::ZeroAtEnd => i64::from(led.end_stock == 0),
        Outcome::EverZero => i64::from(rec.stock_of(i, days).contains(&0)),
        Outcome::DaysAtZero => {
            as_i64(rec.stock_of(i, days).iter().filter(|&&v| v == 0).count() as u64)
        }
        Outcome::Delivered => as_i64(led.delivered),
        Outcome::Unmet => as_i64(led.unmet),
        Outcome::MoneyPaidIn | Outcome::MoneyCommitted => 0,
    }
}

//! The scenario file exactly as written: a serde mirror of the TOML with no meaning attached.
//!
//! Every table denies unknown keys so that a typo is an error, not a silently ignored line.
//! Nothing here is checked beyond TOML types; `validate` turns this into a [`crate::scenario::Scenario`].

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use toml::value::Datetime;

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub scenario: RawHeader,
    #[serde(default, rename = "item")]
    pub items: Vec<RawItem>,
    #[serde(default, rename = "funding")]
    pub funding: Vec<RawFunding>,
    #[serde(default, rename = "channel")]
    pub channels: Vec<RawChannel>,
    #[serde(default, rename = "line")]
    pub lines: Vec<RawLine>,
    #[serde(default, rename = "consumption")]
    pub consumption: Vec<RawConsumption>,
}

/// `[scenario]`: name, calendar and defaults.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHeader {
    pub format: Option<i64>,
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub start: Datetime,
    pub horizon_days: Option<i64>,
    pub end: Option<Datetime>,
    pub seed: Option<i64>,
    pub runs: Option<i64>,
}

/// `[[item]]`: a munition or system type.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawItem {
    pub name: String,
    pub label: Option<String>,
    pub unit_cost_usd: f64,
    pub initial_stock: i64,
    pub safe_stock: Option<i64>,
}

/// `[[funding]]`: a donor, budget line or loan.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFunding {
    pub name: String,
    pub label: Option<String>,
    pub pays_into: RawSplit,
    pub payment_probability: Option<f64>,
    pub payment_delay_days: Option<RawDist>,
    #[serde(default)]
    pub lump_sum: Vec<RawLumpSum>,
    #[serde(default)]
    pub recurring: Vec<RawRecurring>,
}

/// Where a funding source's money goes: one channel by name, or a table of channel shares.
#[derive(Debug)]
pub enum RawSplit {
    One(String),
    Shares(BTreeMap<String, f64>),
}

impl<'de> Deserialize<'de> for RawSplit {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawSplit;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a channel name such as \"purl\", or a table of shares such as { purl = 0.6, danish-model = 0.4 }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawSplit, E> {
                Ok(RawSplit::One(v.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawSplit, A::Error> {
                BTreeMap::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(RawSplit::Shares)
            }
        }
        d.deserialize_any(V)
    }
}

/// `[[funding.lump_sum]]`: one payment on one date.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLumpSum {
    pub date: Datetime,
    pub amount_usd: RawDist,
}

/// `[[funding.recurring]]`: installments at a fixed interval between two dates.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRecurring {
    pub every: Option<String>,
    pub every_days: Option<i64>,
    pub amount_usd: RawDist,
    pub from: Option<Datetime>,
    pub to: Option<Datetime>,
}

/// `[[channel]]`: a procurement channel that turns money into orders.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChannel {
    pub name: String,
    pub label: Option<String>,
    pub order_every_days: i64,
    pub first_order: Option<Datetime>,
    pub allocation: Option<String>,
    pub contract_delay_days: Option<RawDist>,
    #[serde(default)]
    pub buy: Vec<RawBuy>,
}

/// `[[channel.buy]]`: one item a channel buys.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBuy {
    pub item: String,
    pub line: Option<String>,
    pub share: Option<f64>,
    pub max_units_per_order: Option<i64>,
    pub contract_delay_days: Option<RawDist>,
}

/// `[[line]]`: a production line making one item.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLine {
    pub name: String,
    pub label: Option<String>,
    pub item: String,
    pub capacity: Vec<RawRampPoint>,
    pub ramp_slip_days: Option<RawDist>,
    pub other_customers_share: Option<RawDist>,
    pub defect_rate: Option<f64>,
    pub delivery_lag_days: Option<RawDist>,
    pub transit_loss: Option<f64>,
}

/// One point of a capacity ramp.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRampPoint {
    pub date: Datetime,
    pub per_day: Option<f64>,
    pub per_month: Option<f64>,
    pub per_year: Option<f64>,
}

/// `[[consumption]]`: how fast an item is used.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConsumption {
    pub item: String,
    pub daily: RawDist,
    #[serde(default)]
    pub period: Vec<RawPeriod>,
}

/// `[[consumption.period]]`: a stretch of higher or lower intensity.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPeriod {
    pub from: Datetime,
    pub to: Datetime,
    pub multiplier: f64,
    pub label: Option<String>,
}

/// An uncertain number: a bare number (fixed) or a table `{ dist = "...", ... }`.
#[derive(Debug, Clone)]
pub enum RawDist {
    Number(f64),
    Table(Box<RawDistTable>),
}

/// The keys a distribution table may have; which ones are required depends on `dist`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawDistTable {
    pub dist: String,
    pub value: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub mode: Option<f64>,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub median: Option<f64>,
    pub p90: Option<f64>,
    pub mu: Option<f64>,
    pub sigma: Option<f64>,
    pub shape: Option<f64>,
    pub p: Option<f64>,
}

impl<'de> Deserialize<'de> for RawDist {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawDist;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number, or a distribution such as { dist = \"triangular\", min = 10, mode = 20, max = 40 }")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawDist, E> {
                Ok(RawDist::Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawDist, E> {
                Ok(RawDist::Number(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawDist, E> {
                Ok(RawDist::Number(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawDist, A::Error> {
                RawDistTable::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|t| RawDist::Table(Box::new(t)))
            }
        }
        d.deserialize_any(V)
    }
}

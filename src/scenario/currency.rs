//! The `[[currency]]` schema and validator: a currency that funding may be pledged in, with its
//! rate in US dollars per unit (a number, a distribution drawn once per future, or dated points).

use super::distributions::{compile as dist, dated, drawn_or_dated, DrawnOrDated, Support};
use super::doc::{string, At, Ctx, Sp, Tbl};
use super::header::Calendar;
use super::hints::nearest;
use crate::sampling::{Dist, StreamKey};
use crate::units::Day;

const KEYS: [&str; 2] = ["code", "usd_per_unit"];
/// US dollars per unit of a currency.
const RATE: Support = Support {
    lo: 1e-6,
    hi: 1e4,
    what: "US dollars per unit",
};

/// Index of a currency in [`super::Scenario::currencies`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CurrencyId(pub usize);

/// How a currency's rate is known.
#[derive(Debug, Clone)]
pub enum Rate {
    /// Drawn once per future (a plain number is a distribution that is always that number).
    Drawn(Dist),
    /// Dated points: from each point's day on, its rate (before the first point, the first).
    Dated(Vec<(Day, f64)>),
}

/// A currency.
#[derive(Debug, Clone)]
pub struct Currency {
    /// ISO-style code, e.g. "EUR".
    pub code: String,
    /// US dollars per unit.
    pub rate: Rate,
    /// Stream for a drawn rate.
    pub key_rate: StreamKey,
}

impl Currency {
    /// The largest rate a future can see.
    #[must_use]
    pub fn max_rate(&self) -> f64 {
        match &self.rate {
            Rate::Drawn(d) => d.upper_bound().min(RATE.hi),
            Rate::Dated(p) => p.iter().map(|&(_, v)| v).fold(0.0, f64::max),
        }
    }
}

/// One `[[currency]]` as written.
#[derive(Debug)]
pub(super) struct CurrencyDoc {
    pub code: Option<Sp<String>>,
    pub rate: Option<DrawnOrDated>,
}

/// Reads one `[[currency]]` table.
pub(super) fn read(ctx: &mut Ctx, t: &Tbl<'_>) -> CurrencyDoc {
    t.check_keys(ctx, &KEYS);
    CurrencyDoc {
        code: t.req(ctx, "code", string),
        rate: t.req(ctx, "usd_per_unit", drawn_or_dated),
    }
}

fn compile_rate(ctx: &mut Ctx, r: &DrawnOrDated, cal: &Calendar) -> Option<Rate> {
    match r {
        DrawnOrDated::Drawn(d) => dist(ctx, d, RATE).map(Rate::Drawn),
        DrawnOrDated::Dated(points) => {
            dated(ctx, points, cal, RATE, "usd_per_unit").map(Rate::Dated)
        }
    }
}

/// Checks every currency; the second value maps codes to indices.
pub(super) fn compile(
    ctx: &mut Ctx,
    docs: &[CurrencyDoc],
    cal: &Calendar,
) -> (Vec<Option<Currency>>, Codes) {
    let mut codes = Codes::default();
    let list = docs
        .iter()
        .map(|d| {
            let code = d.code.as_ref()?;
            let ok = code.v.len() == 3 && code.v.bytes().all(|b| b.is_ascii_uppercase());
            if !ok {
                ctx.err(
                    &code.at,
                    format!("\"{}\" is not a currency code", code.v),
                    Some("use three capital letters, e.g. code = \"EUR\"".into()),
                );
                return None;
            }
            if code.v == "USD" {
                ctx.err(
                    &code.at,
                    "USD is the model's own currency and needs no [[currency]]",
                    Some("remove this table; amounts in US dollars are written amount_usd".into()),
                );
                return None;
            }
            if codes.list.contains(&code.v) {
                ctx.err(
                    &code.at,
                    format!("currency \"{}\" is defined twice", code.v),
                    Some("keep one [[currency]] per code".into()),
                );
                return None;
            }
            codes.list.push(code.v.clone());
            let rate = compile_rate(ctx, d.rate.as_ref()?, cal)?;
            Some(Currency {
                key_rate: StreamKey::new("currency", &code.v, "rate"),
                code: code.v.clone(),
                rate,
            })
        })
        .collect();
    (list, codes)
}

/// The currency codes of a file, in file order.
#[derive(Debug, Default)]
pub(super) struct Codes {
    list: Vec<String>,
}

impl Codes {
    /// The currency called `code`; reports an unknown code with the known ones.
    pub fn resolve(&self, ctx: &mut Ctx, at: &At, code: &str) -> Option<CurrencyId> {
        if let Some(i) = self.list.iter().position(|c| c == code) {
            return Some(CurrencyId(i));
        }
        let help = if self.list.is_empty() {
            format!("add a [[currency]] table with code = \"{code}\" and usd_per_unit, or give the amount in US dollars with amount_usd")
        } else {
            let known = self.list.join(", ");
            match nearest(code, self.list.iter().map(String::as_str)) {
                Some(n) => format!("did you mean \"{n}\"? Known currencies: {known}"),
                None => {
                    format!("known currencies: {known}; add a [[currency]] table for \"{code}\"")
                }
            }
        };
        ctx.err(at, format!("unknown currency \"{code}\""), Some(help));
        None
    }
}

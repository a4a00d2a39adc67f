//! The `[[funding]]` schema and validator: who pays, into which channels, how reliably, and the
//! schedule of installments (`[[funding.lump_sum]]`, `[[funding.recurring]]`).

use super::currency::{Codes, CurrencyId};
use super::distributions::{compile as dist, number, DELAY, MONEY};
use super::doc::{
    date, int, num, string, tables, text_or_table, At, Ctx, Datetime, Sp, Tbl, TextOrTable,
};
use super::header::Calendar;
use super::hints::{fmt_share, nearest};
use super::names::Names;
use super::schema::{read_dist, DistDoc, Purpose};
use super::{ChannelId, FundingSource, Installment, MAX_INSTALLMENTS};
use crate::sampling::{Dist, StreamKey};
use crate::units::Day;
use chrono::Months;

const KEYS: [&str; 8] = [
    "name",
    "label",
    "pays_into",
    "payment_probability",
    "payment_delay_days",
    "lump_sum",
    "recurring",
    "factor",
];
const LUMP_KEYS: [&str; 4] = ["date", "amount_usd", "amount", "currency"];
const RECUR_KEYS: [&str; 7] = [
    "every",
    "every_days",
    "amount_usd",
    "amount",
    "currency",
    "from",
    "to",
];

/// How often a recurring payment falls due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Every {
    /// Every N days.
    Days(u32),
    /// Every N calendar months (on the same day of the month, or the month's last day).
    Months(u32),
}

/// Where the money goes, as written.
#[derive(Debug)]
pub(super) enum SplitDoc {
    /// One channel by name.
    One(Sp<String>),
    /// Shares by channel name.
    Shares(At, Vec<(Sp<String>, Option<Sp<f64>>)>),
}

/// One `[[funding.lump_sum]]`.
#[derive(Debug)]
pub(super) struct LumpDoc {
    pub date: Option<Sp<Datetime>>,
    /// `amount_usd`, or `amount` in `currency`.
    pub amount: Option<DistDoc>,
    pub currency: Option<Sp<String>>,
}

/// One `[[funding.recurring]]`.
#[derive(Debug)]
pub(super) struct RecurDoc {
    pub at: At,
    pub every: Option<Sp<Every>>,
    /// `amount_usd`, or `amount` in `currency`.
    pub amount: Option<DistDoc>,
    pub currency: Option<Sp<String>>,
    pub from: Option<Sp<Datetime>>,
    pub to: Option<Sp<Datetime>>,
}

/// One `[[funding]]` as written.
#[derive(Debug)]
pub(super) struct FundingDoc {
    pub name: Option<Sp<String>>,
    pub label: Option<Sp<String>>,
    pub pays_into: Option<SplitDoc>,
    pub probability: Option<Sp<f64>>,
    pub delay: Option<super::law::LawDoc>,
    pub lump_sum: Option<Vec<LumpDoc>>,
    pub recurring: Option<Vec<RecurDoc>>,
    pub factor: Option<super::factor::LoadDoc>,
}

fn every(ctx: &mut Ctx, t: &Tbl<'_>) -> Option<Sp<Every>> {
    let word = t.opt(ctx, "every", string);
    let days = t.opt(ctx, "every_days", int);
    match (word, days) {
        (Some(_), Some(d)) => {
            ctx.err(
                &d.at,
                "both every and every_days are given",
                Some("keep one: every = \"monthly\" or every_days = 30".into()),
            );
            None
        }
        (None, None) => {
            if !t.has("every") && !t.has("every_days") {
                ctx.err(&t.at, "missing key `every` (or `every_days`)", Some("say how often: every = \"monthly\" (or \"weekly\", \"quarterly\", \"yearly\"), or every_days = 30".into()));
            }
            None
        }
        (Some(w), None) => {
            let v = match w.v.as_str() {
                "weekly" => Every::Days(7),
                "monthly" => Every::Months(1),
                "quarterly" => Every::Months(3),
                "yearly" | "annually" => Every::Months(12),
                other => {
                    let help = match nearest(other, ["weekly", "monthly", "quarterly", "yearly"].into_iter()) {
                        Some(n) => format!("did you mean \"{n}\"? Use weekly, monthly, quarterly or yearly, or every_days = N"),
                        None => "use weekly, monthly, quarterly or yearly, or every_days = N".into(),
                    };
                    ctx.err(
                        &w.at,
                        format!("\"{other}\" is not a known interval"),
                        Some(help),
                    );
                    return None;
                }
            };
            Some(Sp { v, at: w.at })
        }
        (None, Some(d)) => match u32::try_from(d.v) {
            Ok(n @ 1..=3650) => Some(Sp {
                v: Every::Days(n),
                at: d.at,
            }),
            _ => {
                ctx.err(
                    &d.at,
                    format!("every_days must be between 1 and 3650, got {}", d.v),
                    None,
                );
                None
            }
        },
    }
}

fn split(ctx: &mut Ctx, at: At, node: super::doc::Node<'_>) -> Option<SplitDoc> {
    let expected = "a channel name such as \"purl\", or a table of shares such as { purl = 0.6, danish-model = 0.4 }";
    match text_or_table(ctx, at, node, expected)? {
        TextOrTable::Text(s) => Some(SplitDoc::One(s)),
        TextOrTable::Table(t) => {
            let shares = t
                .keys()
                .into_iter()
                .map(|k| {
                    let share = t.opt(ctx, k, num);
                    let (at, _) = t.get(k).expect("the key was listed");
                    (
                        Sp {
                            v: k.to_owned(),
                            at,
                        },
                        share,
                    )
                })
                .collect();
            Some(SplitDoc::Shares(t.at, shares))
        }
    }
}

/// Reads `amount_usd`, or `amount` with `currency` (exactly one of the two forms).
fn amount(ctx: &mut Ctx, t: &Tbl<'_>) -> (Option<DistDoc>, Option<Sp<String>>) {
    let general = |c: &mut Ctx, a, n| read_dist(c, a, n, Purpose::General);
    let (usd, amt, cur) = (t.has("amount_usd"), t.has("amount"), t.has("currency"));
    if usd && (amt || cur) {
        let key = if amt { "amount" } else { "currency" };
        let at = t.get(key).map_or_else(|| t.at.clone(), |(a, _)| a);
        ctx.err(
            &at,
            format!("both amount_usd and {key} are given"),
            Some("give amount_usd = N for US dollars, or amount = N with currency = \"EUR\", not both".into()),
        );
        return (None, None);
    }
    if !usd && (amt || cur) {
        let amount = t.req(ctx, "amount", general);
        let currency = t.req(ctx, "currency", string);
        return (amount, currency);
    }
    (t.req(ctx, "amount_usd", general), None)
}

/// Reads one `[[funding]]` table (already named).
pub(super) fn read(ctx: &mut Ctx, t: &Tbl<'_>) -> FundingDoc {
    t.check_keys(ctx, &KEYS);
    let name = t.req(ctx, "name", string);
    let label = t.opt(ctx, "label", string);
    let pays_into = t.req(ctx, "pays_into", split);
    let probability = t.opt(ctx, "payment_probability", num);
    let delay = t.opt(ctx, "payment_delay_days", super::law::read);
    let lump_sum = t.opt(ctx, "lump_sum", tables).map(|ls| {
        ls.iter()
            .map(|l| {
                l.check_keys(ctx, &LUMP_KEYS);
                let (amount, currency) = amount(ctx, l);
                LumpDoc {
                    date: l.req(ctx, "date", date),
                    amount,
                    currency,
                }
            })
            .collect()
    });
    let recurring = t.opt(ctx, "recurring", tables).map(|rs| {
        rs.iter()
            .map(|r| {
                r.check_keys(ctx, &RECUR_KEYS);
                let every = every(ctx, r);
                let (amount, currency) = amount(ctx, r);
                RecurDoc {
                    at: r.at.clone(),
                    every,
                    amount,
                    currency,
                    from: r.opt(ctx, "from", date),
                    to: r.opt(ctx, "to", date),
                }
            })
            .collect()
    });
    let absent = (!t.has("lump_sum"), !t.has("recurring"));
    let none_l = lump_sum.as_ref().is_some_and(Vec::is_empty);
    let none_r = recurring.as_ref().is_some_and(Vec::is_empty);
    if (absent.0 || none_l) && (absent.1 || none_r) {
        let n = name.as_ref().map_or("", |n| n.v.as_str());
        ctx.err(&t.at, format!("funding source \"{n}\" has no payments"), Some("add [[funding.lump_sum]] (date, amount_usd) or [[funding.recurring]] (every, amount_usd)".into()));
    }
    FundingDoc {
        factor: t.opt(ctx, "factor", super::factor::read_load),
        name,
        label,
        pays_into,
        probability,
        delay,
        lump_sum,
        recurring,
    }
}

fn compile_split(ctx: &mut Ctx, s: &SplitDoc, chans: &Names) -> Option<Vec<(ChannelId, f64)>> {
    match s {
        SplitDoc::One(name) => chans
            .resolve(ctx, &name.at, &name.v)
            .map(|c| vec![(ChannelId(c), 1.0)]),
        SplitDoc::Shares(at, shares) => {
            if shares.is_empty() {
                ctx.err(at, "pays_into is an empty table", None);
                return None;
            }
            let mut out = Vec::new();
            let mut sum = 0.0;
            for (name, share) in shares {
                let c = chans.resolve(ctx, &name.at, &name.v);
                let sh = share
                    .as_ref()
                    .and_then(|s| number(ctx, &s.at, s.v, 0.0, 1.0, "a share"));
                if let (Some(c), Some(sh)) = (c, sh) {
                    sum += sh;
                    out.push((ChannelId(c), sh));
                }
            }
            if out.len() != shares.len() {
                return None;
            }
            if (sum - 1.0).abs() > 1e-9 {
                ctx.err(
                    at,
                    format!("the shares add up to {}, not 1", fmt_share(sum)),
                    Some(
                        "make the shares of pays_into sum to 1, e.g. { purl = 0.6, direct = 0.4 }"
                            .into(),
                    ),
                );
                return None;
            }
            Some(out)
        }
    }
}

fn schedule(
    ctx: &mut Ctx,
    r: &RecurDoc,
    cal: &Calendar,
    (amount, currency): (Dist, Option<CurrencyId>),
    out: &mut Vec<Installment>,
) -> Option<()> {
    let from = match &r.from {
        Some(d) => cal.day_in(ctx, d),
        None => Some(Day(0)),
    };
    let to = match &r.to {
        Some(d) => cal.day_in(ctx, d),
        None => Some(Day(cal.horizon)),
    };
    let (from, to, step) = (from?, to?, r.every.as_ref()?.v);
    if to < from {
        let at = r.to.as_ref().map_or(&r.at, |t| &t.at);
        ctx.err(
            at,
            format!("to ({}) is before from ({})", cal.date(to), cal.date(from)),
            Some("swap the two dates".into()),
        );
        return None;
    }
    let from_date = cal.date(from);
    for k in 0u32.. {
        let date = match step {
            Every::Days(d) => {
                from_date.checked_add_days(chrono::Days::new(u64::from(d) * u64::from(k)))
            }
            Every::Months(m) => from_date.checked_add_months(Months::new(m * k)),
        };
        let Some(date) = date else { break };
        let day = (date - cal.start).num_days();
        if day > i64::from(to.0) {
            break;
        }
        out.push(Installment {
            due: Day(u32::try_from(day).ok()?),
            amount_usd: amount.clone(),
            currency,
        });
        if out.len() > MAX_INSTALLMENTS {
            ctx.err(
                &r.at,
                format!("more than {MAX_INSTALLMENTS} installments"),
                Some("use a longer interval".into()),
            );
            return None;
        }
    }
    Some(())
}

/// An installment's amount: in US dollars, or in a known currency.
fn money(
    ctx: &mut Ctx,
    amount: Option<&DistDoc>,
    currency: Option<&Sp<String>>,
    codes: &Codes,
) -> Option<(Dist, Option<CurrencyId>)> {
    let cur = match currency {
        Some(c) => Some(codes.resolve(ctx, &c.at, &c.v)?),
        None => None,
    };
    let sup = if cur.is_some() {
        super::distributions::Support {
            what: "units of the currency",
            ..MONEY
        }
    } else {
        MONEY
    };
    Some((dist(ctx, amount?, sup)?, cur))
}

/// Checks one funding source and expands its installments.
pub(super) fn compile(
    ctx: &mut Ctx,
    f: &FundingDoc,
    chans: &Names,
    cal: &Calendar,
    factors: (&Names, &[Option<bool>]),
    codes: &Codes,
) -> Option<FundingSource> {
    let factor = f
        .factor
        .as_ref()
        .map(|l| super::factor::load(ctx, l, factors.0, factors.1));
    let split = f
        .pays_into
        .as_ref()
        .and_then(|s| compile_split(ctx, s, chans));
    let prob = match &f.probability {
        Some(p) => number(ctx, &p.at, p.v, 0.0, 1.0, "a probability"),
        None => Some(1.0),
    };
    let entity = f.name.as_ref().map_or("", |n| n.v.as_str());
    let delay = match &f.delay {
        Some(d) => super::law::compile(ctx, d, DELAY, ("funding", entity, "payment_delay_days")),
        None => Some((Dist::Fixed(0.0), None)),
    };
    let mut installments = Vec::new();
    let mut ok = true;
    for l in f.lump_sum.iter().flatten() {
        let due = l.date.as_ref().and_then(|d| cal.day_in(ctx, d));
        let amount = money(ctx, l.amount.as_ref(), l.currency.as_ref(), codes);
        match (due, amount) {
            (Some(due), Some((amount_usd, currency))) => installments.push(Installment {
                due,
                amount_usd,
                currency,
            }),
            _ => ok = false,
        }
    }
    for r in f.recurring.iter().flatten() {
        let amount = money(ctx, r.amount.as_ref(), r.currency.as_ref(), codes);
        ok &= match amount {
            Some(a) => schedule(ctx, r, cal, a, &mut installments).is_some(),
            None => false,
        };
    }
    installments.sort_by_key(|i| i.due);
    let name = f.name.as_ref()?.v.clone();
    if !ok {
        return None;
    }
    let factor = match factor {
        Some(l) => Some(l?),
        None => None,
    };
    Some(FundingSource {
        factor,
        label: f
            .label
            .as_ref()
            .map_or_else(|| name.clone(), |l| l.v.clone()),
        split: split?,
        pay_probability: prob?,
        delay: delay.as_ref()?.0.clone(),
        delay_drawn: delay?.1,
        installments,
        key_paid: StreamKey::new("funding", &name, "payment"),
        key_delay: StreamKey::new("funding", &name, "delay"),
        key_amount: StreamKey::new("funding", &name, "amount"),
        name,
    })
}

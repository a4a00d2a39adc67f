//! The shared-line keys of `[[line]]` (`queue`, `[[line.customer]]`, `releasable_stock`,
//! `restock_share`) and the `line_priority` of the buys that order from such a line: who else
//! buys from a line, in what order the line serves its buyers, and the finished units the seller
//! can release at once.

use super::channel::ChannelDoc;
use super::distributions::{
    compile as dist, dated, drawn_or_dated, number, DrawnOrDated, Support, MAX_RATE_PER_DAY,
};
use super::doc::{int, num, string, tables, At, Ctx, Sp, Tbl};
use super::header::Calendar;
use super::names::Names;
use super::schema::{read_dist, DistDoc, Purpose};
use super::{Channel, Customer, Flow, Line, Queue, MAX_UNITS};
use crate::sampling::{Dist, StreamKey};

/// The keys this module reads from a `[[line]]` table.
pub(super) const KEYS: [&str; 4] = ["queue", "customer", "releasable_stock", "restock_share"];
const CUSTOMER_KEYS: [&str; 3] = ["name", "priority", "units_per_year"];
/// Highest priority number accepted.
const MAX_PRIORITY: i64 = 1_000;

/// Counts of units held in stock.
const UNITS: Support = Support {
    lo: 0.0,
    #[allow(clippy::cast_precision_loss)]
    hi: MAX_UNITS as f64,
    what: "units",
};
/// Orders per year.
const PER_YEAR: Support = Support {
    lo: 0.0,
    hi: MAX_RATE_PER_DAY * 365.0,
    what: "units per year",
};

/// One `[[line.customer]]` as written.
#[derive(Debug)]
pub(super) struct CustomerDoc {
    pub name: Option<Sp<String>>,
    pub priority: Option<Sp<i64>>,
    pub rate: Option<DrawnOrDated>,
}

/// The shared-line keys of one `[[line]]` as written.
#[derive(Debug, Default)]
pub(super) struct SharedDoc {
    pub queue: Option<Sp<String>>,
    pub customers: Vec<CustomerDoc>,
    pub releasable: Option<DistDoc>,
    pub restock: Option<Sp<f64>>,
}

/// Reads the shared-line keys of one `[[line]]` table (its keys are checked by the caller).
pub(super) fn read(ctx: &mut Ctx, t: &Tbl<'_>) -> SharedDoc {
    let customers = t
        .opt(ctx, "customer", tables)
        .unwrap_or_default()
        .iter()
        .map(|c| {
            c.check_keys(ctx, &CUSTOMER_KEYS);
            CustomerDoc {
                name: c.req(ctx, "name", string),
                priority: c.opt(ctx, "priority", int),
                rate: c.req(ctx, "units_per_year", drawn_or_dated),
            }
        })
        .collect();
    SharedDoc {
        queue: t.opt(ctx, "queue", string),
        customers,
        releasable: t.opt(ctx, "releasable_stock", |c, a, n| {
            read_dist(c, a, n, Purpose::General)
        }),
        restock: t.opt(ctx, "restock_share", num),
    }
}

/// The checked shared-line settings of one line.
pub(super) struct Shared {
    pub queue: Queue,
    pub customers: Vec<Customer>,
    pub releasable: Dist,
    pub restock_share: f64,
}

/// A priority: a whole number from 1 (served first) to [`MAX_PRIORITY`].
pub(super) fn priority(ctx: &mut Ctx, p: &Sp<i64>) -> Option<u32> {
    if (1..=MAX_PRIORITY).contains(&p.v) {
        return u32::try_from(p.v).ok();
    }
    ctx.err(
        &p.at,
        format!("priority must be between 1 and {MAX_PRIORITY}, got {}", p.v),
        Some("1 is served first, then 2, and so on".into()),
    );
    None
}

fn compile_flow(ctx: &mut Ctx, f: &DrawnOrDated, cal: &Calendar) -> Option<Flow> {
    match f {
        DrawnOrDated::Drawn(d) => dist(ctx, d, PER_YEAR).map(Flow::Drawn),
        DrawnOrDated::Dated(points) => {
            dated(ctx, points, cal, PER_YEAR, "units_per_year").map(Flow::Dated)
        }
    }
}

/// Checks the shared-line keys of line `line` (`other_share`: where `other_customers_share`
/// is written, if it is).
pub(super) fn compile(
    ctx: &mut Ctx,
    d: &SharedDoc,
    line: &str,
    other_share: Option<&At>,
    cal: &Calendar,
) -> Option<Shared> {
    let mut ok = true;
    let queue = match d.queue.as_ref().map(|q| (q.v.as_str(), &q.at)) {
        None | Some(("fifo", _)) => Queue::Fifo,
        Some(("priority", _)) => Queue::Priority,
        Some((other, at)) => {
            ctx.err(at, format!("\"{other}\" is not a queue rule"), Some("use \"fifo\" (the oldest waiting order first, whoever placed it) or \"priority\" (priority 1 first, ties shared pro rata)".into()));
            ok = false;
            Queue::Fifo
        }
    };
    if let (Some(at), false) = (other_share, d.customers.is_empty()) {
        ctx.err(at, "other_customers_share and [[line.customer]] both describe the other buyers", Some("remove other_customers_share: each customer's orders now take their part of the capacity".into()));
        ok = false;
    }
    let names = Names::build(
        ctx,
        "customers",
        "line.customer",
        &d.customers
            .iter()
            .map(|c| c.name.as_ref())
            .collect::<Vec<_>>(),
    );
    let mut customers = Vec::new();
    for (k, c) in d.customers.iter().enumerate() {
        let prio = match &c.priority {
            Some(p) => priority(ctx, p),
            None => Some(1),
        };
        let rate = c.rate.as_ref().and_then(|r| compile_flow(ctx, r, cal));
        let name = c
            .name
            .as_ref()
            .filter(|n| names.get(&n.v) == Some(k))
            .map(|n| n.v.clone());
        match (name, prio, rate) {
            (Some(name), Some(priority), Some(units_per_year)) => customers.push(Customer {
                key_rate: StreamKey::new("line", &format!("{line}/{name}"), "customer orders"),
                name,
                priority,
                units_per_year,
            }),
            _ => ok = false,
        }
    }
    let releasable = match &d.releasable {
        Some(r) => dist(ctx, r, UNITS),
        None => Some(Dist::Fixed(0.0)),
    };
    let restock_share = match &d.restock {
        Some(r) if d.releasable.is_none() => {
            ctx.err(
                &r.at,
                "restock_share refills releasable_stock, which this line does not have",
                Some(
                    "add releasable_stock = 20 (units the seller holds), or remove restock_share"
                        .into(),
                ),
            );
            None
        }
        Some(r) => number(ctx, &r.at, r.v, 0.0, 1.0, "a share"),
        None => Some(0.0),
    };
    if !ok {
        return None;
    }
    Some(Shared {
        queue,
        customers,
        releasable: releasable?,
        restock_share: restock_share?,
    })
}

/// Sets each line's place of this scenario's orders in its queue from the buys' `line_priority`
/// (by default after every customer), reporting a `line_priority` on a first-in, first-out line
/// and buys of one line that disagree.
pub(super) fn our_priorities(
    ctx: &mut Ctx,
    docs: &[ChannelDoc],
    channels: &[Option<Channel>],
    lines: &mut [Option<Line>],
) {
    let mut seen: Vec<Option<(u32, At)>> = vec![None; lines.len()];
    for (doc, ch) in docs.iter().zip(channels) {
        let Some(ch) = ch else { continue };
        for (b, bd) in ch.buys.iter().zip(doc.buy.iter().flatten()) {
            let (Some(p), Some(at)) = (b.line_priority, bd.line_priority.as_ref().map(|p| &p.at))
            else {
                continue;
            };
            let Some(line) = lines[b.line.0].as_ref() else {
                continue;
            };
            if line.queue != Queue::Priority {
                ctx.err(
                    at,
                    format!(
                        "line_priority is only used on a line with queue = \"priority\"; line \"{}\" serves the oldest order first",
                        line.name
                    ),
                    Some(format!(
                        "add queue = \"priority\" to [[line]] \"{}\", or remove line_priority",
                        line.name
                    )),
                );
                continue;
            }
            match &seen[b.line.0] {
                Some((q, first)) if *q != p => ctx.err(
                    at,
                    format!(
                        "this buy puts line \"{}\" at priority {p}, but {} puts it at {q}",
                        line.name, first.path
                    ),
                    Some("all of this scenario's orders on one line share one place in its queue: give them the same line_priority".into()),
                ),
                Some(_) => {}
                None => seen[b.line.0] = Some((p, at.clone())),
            }
        }
    }
    for (line, seen) in lines.iter_mut().zip(seen) {
        if let Some(l) = line {
            l.our_priority = seen.map_or_else(
                || l.customers.iter().map(|c| c.priority).max().unwrap_or(0) + 1,
                |(p, _)| p,
            );
        }
    }
}

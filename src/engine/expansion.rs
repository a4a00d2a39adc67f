//! Capacity projects within one run: a channel pays for a project from its balance on its order
//! days (before its buys), once the project's `earliest` day has come and the balance covers the
//! whole price; after the lead time the project either adds its capacity to the line or fails
//! and its money is lost.
//!
//! Every project's price, added capacity, lead time and success are drawn once per future from
//! its own streams, so adding a project does not change any other draw. A scenario without
//! projects has empty lists and does no work here.

use super::record::RunRecord;
use super::{Event, EventQueue};
use crate::sampling::{stream, whole_days, Dist};
use crate::scenario::Scenario;
use crate::units::{Cents, Day, Fixed};
use rand::Rng;

/// One project within one run.
#[derive(Debug, Default, Clone)]
pub(super) struct Project {
    /// Its line.
    pub line: usize,
    cost: i64,
    /// Capacity added on success, units per day.
    pub adds: Fixed,
    lead: u32,
    pub success: bool,
    funded: bool,
}

/// Every project of a scenario, numbered line by line in file order, and by channel.
#[derive(Debug, Default)]
pub(super) struct Plan {
    /// (line, index within the line) per project.
    pub list: Vec<(usize, usize)>,
    /// Per channel: the projects it pays for, in number order.
    pub by_channel: Vec<Vec<u32>>,
    /// Per project: the channel that pays, and the first day it may be paid.
    payer: Vec<(usize, Day)>,
}

impl Plan {
    pub(super) fn new(s: &Scenario) -> Plan {
        let list: Vec<(usize, usize)> = s
            .lines
            .iter()
            .enumerate()
            .flat_map(|(n, l)| (0..l.expansions.len()).map(move |k| (n, k)))
            .collect();
        let mut by_channel = vec![Vec::new(); s.channels.len()];
        for (p, &(n, k)) in list.iter().enumerate() {
            by_channel[s.lines[n].expansions[k].funded_by.0].push(p as u32);
        }
        let payer = list
            .iter()
            .map(|&(n, k)| {
                let e = &s.lines[n].expansions[k];
                (e.funded_by.0, e.earliest)
            })
            .collect();
        Plan {
            list,
            by_channel,
            payer,
        }
    }
}

fn draw(d: &Dist, seed: u64, run: u64, key: crate::sampling::StreamKey) -> f64 {
    d.fixed_value()
        .unwrap_or_else(|| d.sample(&mut stream(seed, run, key)))
}

/// Draws every project of run `run` into `out` (reusing its memory).
pub(super) fn start(s: &Scenario, plan: &Plan, seed: u64, run: u64, out: &mut Vec<Project>) {
    out.clear();
    out.extend(plan.list.iter().map(|&(n, k)| {
        let e = &s.lines[n].expansions[k];
        let usd = draw(&e.cost_usd, seed, run, e.key_cost).clamp(0.0, crate::scenario::MAX_USD);
        let adds = draw(&e.adds, seed, run, e.key_adds).max(0.0) * e.per_day;
        let success = e.success_probability >= 1.0
            || stream(seed, run, e.key_success).random::<f64>() < e.success_probability;
        Project {
            line: n,
            cost: Cents::from_usd(usd).0.max(0),
            adds: Fixed::from_f64(adds),
            lead: whole_days(draw(&e.lead_time, seed, run, e.key_lead)),
            success,
            funded: false,
        }
    }));
}

/// Channel `c` orders on `day` with `balance`: pays for each of its projects that may start and
/// that the balance covers, in number order, and schedules its completion.
pub(super) fn fund(
    plan: &Plan,
    projects: &mut [Project],
    c: usize,
    day: Day,
    balance: &mut i64,
    queue: &mut EventQueue,
    out: &mut RunRecord,
) {
    for &p in &plan.by_channel[c] {
        let pr = &mut projects[p as usize];
        if pr.funded || day < plan.payer[p as usize].1 || *balance < pr.cost {
            continue;
        }
        pr.funded = true;
        *balance -= pr.cost;
        out.channels[c].capacity += pr.cost;
        let led = &mut out.expansions[p as usize];
        led.paid = pr.cost;
        led.funded = Some(day.0);
        // A project done after the horizon stays pending.
        queue.schedule(day.plus(pr.lead), Event::ExpansionDone { project: p });
    }
}

/// Project `p` is done on `day`: records its outcome; a failed project's money is lost.
/// Returns the project (the caller adds its capacity on success).
pub(super) fn done<'p>(
    plan: &Plan,
    projects: &'p [Project],
    p: usize,
    day: Day,
    out: &mut RunRecord,
) -> &'p Project {
    let pr = &projects[p];
    let led = &mut out.expansions[p];
    led.done = Some(day.0);
    led.succeeded = Some(pr.success);
    if !pr.success {
        let ch = &mut out.channels[plan.payer[p].0];
        ch.capacity -= pr.cost;
        ch.lost += pr.cost;
    }
    pr
}

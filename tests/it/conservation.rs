//! Conservation laws, as properties over randomly generated valid scenarios: in every run,
//! money in = paid to suppliers + committed to open orders and contracts + spent on capacity +
//! lost on failed projects + balance, units ordered = produced + backlog + pending (+ contract
//! units), produced = delivered + in transit + lost, initial + delivered − consumed = stock,
//! exactly.

use crate::util::{experiment, records, scenario};
use proptest::prelude::*;
use std::fmt::Write;

/// A random uncertain number of days, written as TOML.
fn delay() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..40).prop_map(|d| d.to_string()),
        (0u32..20, 0u32..40)
            .prop_map(|(a, b)| format!("{{ dist = \"uniform\", min = {a}, max = {} }}", a + b)),
        (1u32..30, 0.1f64..1.0)
            .prop_map(|(m, s)| format!("{{ dist = \"lognormal\", median = {m}, sigma = {s:.3} }}")),
        (0u32..10, 0u32..10, 0u32..10).prop_map(|(a, b, c)| format!(
            "{{ dist = \"triangular\", min = {a}, mode = {}, max = {} }}",
            a + b,
            a + b + c
        )),
        (5u32..30, 1u32..10)
            .prop_map(|(m, s)| format!("{{ dist = \"normal\", mean = {m}, sd = {s} }}")),
        (0u32..10, 0u32..10, 1u32..10).prop_map(|(a, b, c)| format!(
            "{{ dist = \"pert\", min = {a}, mode = {}, max = {} }}",
            a + b,
            a + b + c
        )),
        // Parameters drawn once per future.
        (0u32..10, 0u32..10, 1u32..20).prop_map(|(a, b, c)| format!(
            "{{ dist = \"uniform\", min = {a}, max = {{ dist = \"uniform\", min = {}, max = {} }} }}",
            a + b,
            a + b + c
        )),
        (1u32..30, 1u32..10).prop_map(|(m, w)| format!(
            "{{ dist = \"lognormal\", median = {{ dist = \"triangular\", min = {m}, mode = {}, max = {} }}, p90 = {} }}",
            m + w / 2,
            m + w,
            m + w + 15
        )),
    ]
}

fn demand() -> impl Strategy<Value = String> {
    prop_oneof![
        (0.0f64..50.0).prop_map(|m| format!("{{ dist = \"poisson\", mean = {m:.3} }}")),
        (0.0f64..50.0, 0.1f64..5.0).prop_map(|(m, k)| format!(
            "{{ dist = \"negative_binomial\", mean = {m:.3}, shape = {k:.3} }}"
        )),
        (0.0f64..20.0).prop_map(|v| format!("{v:.3}")),
    ]
}

/// (unit cost, initial stock, safe stock, delivery lag, daily use, defect rate, transit loss,
/// other customers' share, units per day).
type ItemSpec = (u32, u32, u32, String, String, f64, f64, f64, f64);

/// (use rule: 0 daily, 1 threat, 2 available; daily cap; reserve; from and to as day offsets).
type RuleSpec = (u8, Option<u32>, u32, Option<(u32, u32)>);

#[derive(Debug, Clone)]
struct Spec {
    horizon: u32,
    items: Vec<ItemSpec>,
    funds: Vec<(u32, f64, String, u32, bool)>,
    priority: bool,
    order_every: u32,
    contract: String,
    period: Option<(u32, u32, f64)>,
    /// Per item: the use rule (0 daily, 1 threat, 2 available), daily cap, reserve, and dates.
    rules: Vec<RuleSpec>,
    /// The threat's launches a day.
    threat: String,
    /// Disruptions: (effect 0-4, rate a year, median duration in days, size).
    events: Vec<(u8, f64, u32, f64)>,
    /// Substitution: bit i set gives item i (unless fired when available) the next item and
    /// then the one after as substitutes, at these units per missing unit.
    subst: (u8, f64, f64),
}

fn spec() -> impl Strategy<Value = Spec> {
    let item = (
        1u32..5_000,
        0u32..500,
        0u32..30,
        delay(),
        demand(),
        0.0f64..0.3,
        0.0f64..0.3,
        0.0f64..0.8,
        0.1f64..40.0,
    );
    (
        20u32..400,
        proptest::collection::vec(item, 1..4),
        proptest::collection::vec(
            (1u32..100_000, 0.5f64..1.0, delay(), 1u32..40, any::<bool>()),
            1..4,
        ),
        any::<bool>(),
        1u32..45,
        delay(),
        proptest::option::of((0u32..200, 0u32..200, 0.0f64..4.0)),
        proptest::collection::vec(
            (
                0u8..3,
                proptest::option::of(0u32..30),
                0u32..50,
                proptest::option::of((0u32..200, 0u32..200)),
            ),
            4,
        ),
        (
            demand(),
            proptest::collection::vec((0u8..5, 0.1f64..20.0, 1u32..60, 0.0f64..1.0), 0..4),
        ),
        (any::<u8>(), 0.001f64..4.0, 0.5f64..2.0),
    )
        .prop_map(
            |(
                horizon,
                items,
                funds,
                priority,
                order_every,
                contract,
                period,
                rules,
                (threat, events),
                subst,
            )| {
                Spec {
                    horizon,
                    items,
                    funds,
                    priority,
                    order_every,
                    contract,
                    period,
                    rules,
                    threat,
                    events,
                    subst,
                }
            },
        )
}

fn toml(s: &Spec) -> String {
    let mut t = format!(
        "[scenario]\nname = \"prop\"\nstart = 2025-01-01\nhorizon_days = {}\n\n",
        s.horizon
    );
    let n = s.items.len();
    for (i, (cost, init, safe, lag, dem, defect, loss, other, rate)) in s.items.iter().enumerate() {
        let _ = write!(
            t,
            "[[item]]\nname = \"i{i}\"\nunit_cost_usd = {cost}\ninitial_stock = {init}\nsafe_stock = {safe}\n\n\
             [[line]]\nname = \"l{i}\"\nitem = \"i{i}\"\ncapacity = [{{ date = 2025-01-01, per_day = {rate:.3} }}, {{ date = 2025-04-01, per_day = {:.3} }}]\n\
             ramp_slip_days = {{ dist = \"uniform\", min = -10, max = 30 }}\nother_customers_share = {other:.3}\ndefect_rate = {defect:.3}\n\
             transit_loss = {loss:.3}\ndelivery_lag_days = {lag}\n\n[[consumption]]\nitem = \"i{i}\"\n",
            rate * 2.0
        );
        let (rule, cap, reserve, dates) = s.rules[i];
        let _ = match rule {
            0 => writeln!(t, "daily = {dem}"),
            1 => writeln!(
                t,
                "threat = \"t\"\nengaged_share = {{ dist = \"uniform\", min = 0.2, max = 0.9 }}\nshots_per_engagement = {{ dist = \"triangular\", min = 1, mode = 2, max = 3 }}"
            ),
            _ => writeln!(
                t,
                "use = \"available\"\nreserve = {reserve}\nmax_daily = {}",
                cap.unwrap_or(5)
            ),
        };
        let (mask, first, second) = s.subst;
        if rule != 2 && n > 1 && mask & (1 << i) != 0 {
            let _ = write!(
                t,
                "substitutes = [{{ item = \"i{}\", per_unit = {first:.3} }}",
                (i + 1) % n
            );
            if n > 2 {
                let _ = write!(
                    t,
                    ", {{ item = \"i{}\", per_unit = {second:.3} }}",
                    (i + 2) % n
                );
            }
            t.push_str("]\n");
        }
        if rule != 2 {
            if let Some(c) = cap {
                let _ = writeln!(t, "max_daily = {c}");
            }
        }
        if let Some((a, b)) = dates {
            let from = a.min(s.horizon);
            let to = (a + b).min(s.horizon);
            let _ = writeln!(t, "from = {}\nto = {}", date(from), date(to));
        }
        if let (0, Some((a, b, m))) = (rule, s.period) {
            let from = a.min(s.horizon);
            let to = (a + b).min(s.horizon);
            let _ = writeln!(
                t,
                "[[consumption.period]]\nfrom = {}\nto = {}\nmultiplier = {m:.3}",
                date(from),
                date(to)
            );
        }
        t.push('\n');
    }
    let _ = writeln!(t, "[[threat]]\nname = \"t\"\ndaily = {}\n", s.threat);
    let _ = writeln!(
        t,
        "[[factor]]\nname = \"fatigue\"\nkind = \"regime\"\nto_fatigued_per_year = 2\nfatigued_days = {{ dist = \"lognormal\", median = {{ dist = \"uniform\", min = 20, max = 40 }}, p90 = 90 }}\n"
    );
    for (k, &(effect, rate, median, size)) in s.events.iter().enumerate() {
        let (effect, applies, extra) = match effect {
            0 => ("pause_orders", "channels = [\"c0\"]", String::new()),
            1 => ("pause_deliveries", "lines = [\"l0\"]", String::new()),
            2 => (
                "pause",
                "channels = [\"c1\"], lines = [\"l0\"]",
                String::new(),
            ),
            3 => (
                "capacity",
                "lines = [\"l0\"]",
                format!("capacity_multiplier = {size:.3}\n"),
            ),
            _ => (
                "stock_loss",
                "items = [\"i0\"]",
                format!("stock_loss = {size:.3}\n"),
            ),
        };
        let duration = if effect == "stock_loss" {
            String::new()
        } else if k % 2 == 1 {
            // A median drawn once per future.
            format!("duration_days = {{ dist = \"lognormal\", median = {{ dist = \"uniform\", min = {median}, max = {} }}, sigma = 0.8 }}\n", 2 * median)
        } else {
            format!("duration_days = {{ dist = \"lognormal\", median = {median}, sigma = 0.8 }}\n")
        };
        let _ = writeln!(
            t,
            "[[event]]\nname = \"e{k}\"\napplies_to = {{ {applies} }}\neffect = \"{effect}\"\nrate_per_year = {rate:.3}\n{extra}{duration}"
        );
    }
    for (c, priority) in [("c0", s.priority), ("c1", !s.priority)] {
        let _ = writeln!(
            t,
            "[[channel]]\nname = \"{c}\"\norder_every_days = {}\nallocation = \"{}\"\ncontract_delay_days = {}",
            s.order_every,
            if priority { "priority" } else { "shares" },
            s.contract
        );
        for i in 0..n {
            let _ = writeln!(t, "[[channel.buy]]\nitem = \"i{i}\"");
            if priority {
                let _ = writeln!(t, "max_units_per_order = {}", 5 + 7 * i);
            } else {
                let _ = writeln!(t, "share = {}", 1.0 / n as f64);
            }
        }
        t.push('\n');
    }
    for (k, (amount, p, delay, every, split)) in s.funds.iter().enumerate() {
        let pays = if *split {
            "{ c0 = 0.3, c1 = 0.7 }".to_owned()
        } else {
            "\"c0\"".to_owned()
        };
        let _ = writeln!(
            t,
            "[[funding]]\nname = \"f{k}\"\npays_into = {pays}\npayment_probability = {p:.3}\npayment_delay_days = {delay}\n\
             factor = {{ name = \"fatigue\", fatigued_multiplier = 0.4 }}\n\
             [[funding.lump_sum]]\ndate = 2025-01-01\namount_usd = {}\n[[funding.recurring]]\nevery_days = {every}\n\
             amount_usd = {{ dist = \"lognormal\", median = {amount}, p90 = {} }}\n",
            amount * 3,
            amount * 2
        );
    }
    t
}

fn date(day: u32) -> String {
    (chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Days::new(u64::from(day)))
        .to_string()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn every_run_conserves_money_and_units(spec in spec(), seed in any::<u64>()) {
        let text = toml(&spec);
        let s = scenario(&text);
        for rec in records(&s, seed, 0..4) {
            let bad = rec.conservation_violations(&s);
            prop_assert!(bad.is_empty(), "{bad:?}\n{text}");
            for (i, it) in rec.items.iter().enumerate() {
                let days = s.days();
                // Nothing arrives or is used on day 0; only a stock loss may strike then.
                let day0 = rec.stock_of(i, days)[0];
                prop_assert!(day0 == it.initial || (day0 < it.initial && it.destroyed > 0));
            }
        }
    }

    #[test]
    fn no_statistic_is_nan(spec in spec(), seed in any::<u64>()) {
        let s = scenario(&toml(&spec));
        let acc = experiment(&s, 6, seed, 2);
        for cell in &acc.daily {
            prop_assert!(cell.moments.mean().is_finite());
            prop_assert!(cell.moments.sd().is_finite());
            prop_assert!(cell.hist.quantiles([0.05, 0.5, 0.95]).iter().all(|v| v.is_finite()));
        }
    }

    #[test]
    fn orders_contracts_prices_and_currencies_conserve_money_and_units(
        spec in spec(),
        seed in any::<u64>(),
        money in (1u64..=5, 1u32..120, 0u8..=4, 0u32..=20),
        contract in (0u32..200, 1u32..200, 1u32..300, 1u64..500, 1u64..500, 0u8..=4),
    ) {
        let (lot, backlog_days, advance, escalation) = money;
        let (signed, first, second, u1, u2, k_advance) = contract;
        let share = |q: u8| (f64::from(q) / 4.0, 1.0 - f64::from(q) / 4.0);
        let (a, d) = share(advance);
        let text = toml(&spec)
            .replace(
                "[[channel.buy]]\n",
                &format!(
                    "[[channel.buy]]\nlot_size = {lot}\nmin_units_per_order = {lot}\nmax_backlog_days = {backlog_days}\n\
                     payment = {{ advance = {a}, on_delivery = {d} }}\n\
                     price_multiplier = {{ dist = \"uniform\", min = 0.8, max = 1.6 }}\n"
                ),
            )
            .replace(
                "initial_stock = ",
                &format!("price_escalation_per_year = {:.2}\ninitial_stock = ", f64::from(escalation) / 100.0),
            );
        let signed = signed.min(spec.horizon);
        let (ka, kd) = share(k_advance);
        let text = format!(
            "{text}\n[[contract]]\nname = \"deal\"\nchannel = \"c0\"\nitem = \"i0\"\nsigned = {}\n\
             deliveries = [{{ by = {}, units = {u1} }}, {{ by = {}, units = {u2} }}]\n\
             slip_days = {{ dist = \"uniform\", min = 0, max = 40 }}\npayment = {{ advance = {ka}, on_delivery = {kd} }}\n\
             \n[[currency]]\ncode = \"EUR\"\nusd_per_unit = {{ dist = \"uniform\", min = 1.0, max = 1.3 }}\n\
             \n[[funding]]\nname = \"eu\"\npays_into = \"c1\"\n[[funding.recurring]]\nevery_days = 20\namount = 4000\ncurrency = \"EUR\"\n",
            date(signed),
            date(signed + first),
            date(signed + first + second),
        );
        let s = scenario(&text);
        for rec in records(&s, seed, 0..4) {
            let bad = rec.conservation_violations(&s);
            prop_assert!(bad.is_empty(), "{bad:?}\n{text}");
            let ch = &rec.channels;
            prop_assert!(ch.iter().all(|c| c.balance >= 0 && c.committed >= 0));
        }
    }
}

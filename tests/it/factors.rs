//! Shared factors: a level factor scales every loading donor's payments together (by hand), and
//! a donor-fatigue regime shared by eight donors widens the spread of total funding compared with
//! eight donors fatigued independently with the same means.

use crate::util::{records, scenario};
use std::fmt::Write;

fn donors(n: usize, factor: impl Fn(usize) -> String) -> String {
    let mut t = String::from(
        "[scenario]\nname = \"f\"\nstart = 2025-01-01\nhorizon_days = 730\n\n[[item]]\nname = \"x\"\nunit_cost_usd = 100\ninitial_stock = 0\n\n\
         [[channel]]\nname = \"pool\"\norder_every_days = 30\n[[channel.buy]]\nitem = \"x\"\nshare = 1.0\n\n\
         [[line]]\nname = \"l\"\nitem = \"x\"\ncapacity = [{ date = 2025-01-01, per_day = 1 }]\n\n",
    );
    for k in 0..n {
        let _ = write!(
            t,
            "[[funding]]\nname = \"d{k}\"\npays_into = \"pool\"\n{}\n[[funding.recurring]]\nevery = \"monthly\"\namount_usd = {}\n\n",
            factor(k),
            1000 * (k + 1)
        );
    }
    t
}

#[test]
fn a_level_factor_scales_every_donors_payments_together() {
    let plain = scenario(&donors(3, |_| String::new()));
    let halved = scenario(&format!(
        "{}[[factor]]\nname = \"mood\"\nkind = \"level\"\nlevel = 0.5\n",
        donors(3, |_| "factor = { name = \"mood\" }".into())
    ));
    let (a, b) = (&records(&plain, 1, 0..1)[0], &records(&halved, 1, 0..1)[0]);
    for k in 0..3 {
        assert_eq!(a.funding[k].paid, 2 * b.funding[k].paid);
        assert!(b.funding[k].paid > 0);
    }
    // An uncertain level: within a future, every donor gets the same multiplier.
    let uncertain = scenario(&format!(
        "{}[[factor]]\nname = \"mood\"\nkind = \"level\"\nlevel = {{ dist = \"uniform\", min = 0.2, max = 1 }}\n",
        donors(3, |_| "factor = { name = \"mood\" }".into())
    ));
    let mut levels = Vec::new();
    for rec in records(&uncertain, 1, 0..20) {
        let r: Vec<f64> = (0..3)
            .map(|k| rec.funding[k].paid as f64 / a.funding[k].paid as f64)
            .collect();
        // Equal up to the rounding of each payment to the cent.
        assert!(
            (r[0] - r[1]).abs() < 1e-5 && (r[1] - r[2]).abs() < 1e-5,
            "{r:?}"
        );
        levels.push(r[0]);
        assert!(rec.conservation_violations(&uncertain).is_empty());
    }
    assert!(levels.iter().any(|&l| (l - levels[0]).abs() > 0.01));
}

#[test]
fn shared_donor_fatigue_widens_the_spread_of_total_funding() {
    let regime = |name: &str| {
        format!("[[factor]]\nname = \"{name}\"\nkind = \"regime\"\nto_fatigued_per_year = 0.6\nfatigued_days = {{ dist = \"lognormal\", median = 60, p90 = 180 }}\n")
    };
    let load = |k: usize, shared: bool| {
        let name = if shared {
            "fatigue".to_owned()
        } else {
            format!("fatigue-{k}")
        };
        format!("factor = {{ name = \"{name}\", fatigued_multiplier = 0.43 }}")
    };
    let shared = scenario(&format!(
        "{}{}",
        donors(8, |k| load(k, true)),
        regime("fatigue")
    ));
    let own: String = (0..8).map(|k| regime(&format!("fatigue-{k}"))).collect();
    let independent = scenario(&format!("{}{own}", donors(8, |k| load(k, false))));
    let totals = |s: &porcupine::scenario::Scenario| -> Vec<f64> {
        records(s, 5, 0..600)
            .iter()
            .map(|r| r.funding.iter().map(|f| f.paid as f64).sum())
            .collect()
    };
    let stats = |v: &[f64]| {
        let m = v.iter().sum::<f64>() / v.len() as f64;
        let sd = (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64).sqrt();
        (m, sd)
    };
    let ((m1, sd1), (m2, sd2)) = (stats(&totals(&shared)), stats(&totals(&independent)));
    // Same means (within sampling error), a spread about √8 times wider when shared.
    assert!((m1 - m2).abs() / m2 < 0.03, "{m1} vs {m2}");
    assert!(sd1 > 1.8 * sd2, "shared sd {sd1} vs independent sd {sd2}");
}

//! Reproducibility: the same (seed, run) gives the same future, whatever the thread count or the
//! order runs are simulated in; and adding an entity does not shift another entity's draws.

use crate::util::{bundled, prepared, records, scenario};
use porcupine::output;

fn rendered(s: &porcupine::scenario::Scenario, threads: usize) -> Vec<(String, Vec<u8>)> {
    let r = prepared(s, 120, 9, threads);
    vec![
        ("daily.csv".into(), output::daily_csv(&r).unwrap()),
        ("funding.csv".into(), output::funding_csv(&r).unwrap()),
        (
            "trajectories.csv".into(),
            output::trajectories_csv(s, &r).unwrap(),
        ),
        ("summary.json".into(), output::summary_json(&r).unwrap()),
    ]
}

#[test]
fn one_and_four_threads_give_identical_bytes() {
    for name in ["bench-canonical.toml", "baseline.toml"] {
        let s = bundled(name);
        let one = rendered(&s, 1);
        let four = rendered(&s, 4);
        for ((f, a), (_, b)) in one.iter().zip(&four) {
            assert!(a == b, "{name}: {f} differs between 1 and 4 threads");
        }
        let three = rendered(&s, 3);
        assert!(one == three, "{name}: 3 threads differ");
    }
}

#[test]
fn a_run_is_reproducible_alone() {
    let s = bundled("baseline.toml");
    let batch = records(&s, 42, 0..8);
    let alone = records(&s, 42, 5..6);
    assert_eq!(batch[5].stock, alone[0].stock);
    assert_eq!(batch[5].items, alone[0].items);
    assert_ne!(
        batch[5].stock, batch[6].stock,
        "different runs should differ"
    );
}

#[test]
fn adding_a_donor_does_not_shift_a_line() {
    // A line with its own lag and share draws, fed by a fixed order, then the same scenario with
    // an extra random donor into another channel: the line's shipments must be the same.
    let base = r#"
[scenario]
name = "streams"
start = 2025-01-01
horizon_days = 200
[[item]]
name = "x"
unit_cost_usd = 10
initial_stock = 0
[[funding]]
name = "a"
pays_into = "c"
[[funding.lump_sum]]
date = 2025-01-01
amount_usd = 10000
[[channel]]
name = "c"
order_every_days = 10
[[channel.buy]]
item = "x"
share = 1.0
[[line]]
name = "l"
item = "x"
capacity = [{ date = 2025-01-01, per_day = 3.7 }]
other_customers_share = { dist = "uniform", min = 0, max = 0.5 }
delivery_lag_days = { dist = "lognormal", median = 12, sigma = 0.5 }
"#;
    let extra = format!(
        "{base}\n[[channel]]\nname = \"other\"\norder_every_days = 7\n[[channel.buy]]\nitem = \"y\"\nshare = 1.0\n\
         [[item]]\nname = \"y\"\nunit_cost_usd = 5\ninitial_stock = 0\n[[line]]\nname = \"ly\"\nitem = \"y\"\ncapacity = [{{ date = 2025-01-01, per_day = 2 }}]\n\
         delivery_lag_days = {{ dist = \"uniform\", min = 1, max = 9 }}\n\
         [[funding]]\nname = \"z\"\npays_into = \"other\"\npayment_probability = 0.5\npayment_delay_days = {{ dist = \"uniform\", min = 0, max = 9 }}\n\
         [[funding.recurring]]\nevery_days = 5\namount_usd = {{ dist = \"uniform\", min = 10, max = 100 }}\n"
    );
    let a = scenario(base);
    let b = scenario(&extra);
    for seed in [1, 2, 3] {
        let ra = &records(&a, seed, 0..1)[0];
        let rb = &records(&b, seed, 0..1)[0];
        let days = a.days();
        assert_eq!(ra.stock_of(0, days), rb.stock_of(0, days), "seed {seed}");
        assert_eq!(ra.lines[0], rb.lines[0]);
    }
}

#[test]
fn pinned_result_of_the_canonical_benchmark() {
    // Guards portability: these numbers must not change across platforms, thread counts or
    // releases unless the model changes on purpose (then update them in the same commit).
    let s = bundled("bench-canonical.toml");
    let recs = records(&s, 1, 0..3);
    let ends: Vec<Vec<u64>> = recs
        .iter()
        .map(|r| r.items.iter().map(|i| i.end_stock).collect())
        .collect();
    assert_eq!(ends, PINNED.iter().map(|r| r.to_vec()).collect::<Vec<_>>());
}

const PINNED: [[u64; 5]; 3] = [
    [379, 4485, 547, 342, 0],
    [443, 4693, 521, 446, 0],
    [393, 4493, 552, 469, 0],
];

#[test]
fn staging_runs_in_batches_of_any_size_gives_the_same_statistics() {
    // The runner copies each run into a cell-major staging area and folds it into the cells
    // when full; the batch size must not change a single count, and each daily cell must be
    // what counting its values one by one gives.
    use porcupine::stats::{Accumulator, DailyCell, Staged};
    let s = bundled("bench-canonical.toml");
    let recs = records(&s, 7, 0..10);
    let json = |acc: &Accumulator| serde_json::to_string(acc).unwrap();
    let staged = |capacity: usize| {
        let mut acc = Accumulator::new(&s, 3);
        let mut st = Staged::new(&acc, capacity);
        for rec in &recs {
            acc.stage(&mut st, rec);
        }
        acc.fold(&mut st);
        acc
    };
    let whole = staged(10);
    for capacity in [1, 3, 4, 16] {
        assert_eq!(json(&staged(capacity)), json(&whole), "capacity {capacity}");
    }
    let mut all = Accumulator::new(&s, 3);
    all.add_runs(&recs);
    assert_eq!(json(&all), json(&whole));
    let days = s.days();
    for (k, cell) in whole.daily.iter().enumerate() {
        let mut one = DailyCell::default();
        for rec in &recs {
            one.add(rec.stock[k], s.items[k / days].safe_stock);
        }
        assert_eq!(
            serde_json::to_string(&one).unwrap(),
            serde_json::to_string(cell).unwrap(),
            "cell {k}"
        );
    }
    assert_eq!(whole.runs, 10);
}

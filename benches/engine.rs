//! Micro-benchmarks (criterion): one run of the canonical scenario, the event queue, distribution
//! sampling, and the statistics accumulator's update and merge.
//!
//! `cargo bench --bench engine`

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};
use porcupine::engine::{Event, EventQueue, RunRecord, Simulator, Worker};
use porcupine::sampling::{stream, Dist, StreamKey};
use porcupine::stats::{Accumulator, Staged};
use porcupine::units::Day;
use std::path::Path;

fn canonical() -> porcupine::scenario::Scenario {
    porcupine::scenario::load(Path::new("scenarios/bench-canonical.toml"))
        .expect("bench-canonical.toml")
}

fn one_run(c: &mut Criterion) {
    let s = canonical();
    let sim = Simulator::new(&s);
    let mut w = Worker::new(&s);
    let mut rec = RunRecord::new(&s);
    let mut run = 0u64;
    c.bench_function("engine/one run of bench-canonical", |b| {
        b.iter(|| {
            run += 1;
            w.simulate(&sim, 1, run, &mut rec);
            black_box(rec.items[0].end_stock)
        });
    });
}

fn queue(c: &mut Criterion) {
    let mut q = EventQueue::new(1095);
    c.bench_function("queue/schedule+pop 6,000 events over 1,095 days", |b| {
        b.iter(|| {
            q.reset();
            let mut x = 12345u64;
            for i in 0..6_000u32 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let day = (i / 6 + (x % 120) as u32).min(1095);
                q.schedule(
                    Day(day),
                    Event::ShipmentArrived {
                        line: i % 5,
                        units: 1,
                    },
                );
            }
            let mut n = 0;
            for d in 0..q.days() {
                q.begin_day(Day(d as u32));
                while let Some(e) = q.next_before(None) {
                    n += u64::from(matches!(e, Event::ShipmentArrived { .. }));
                }
            }
            black_box(n)
        });
    });
}

fn sampling(c: &mut Criterion) {
    let mut rng = stream(1, 2, StreamKey::new("bench", "x", "y"));
    let lognormal = Dist::lognormal(120f64.ln(), 0.35, 3650.0).unwrap();
    let poisson_small = Dist::poisson(1.2).unwrap();
    let poisson_large = Dist::poisson(1500.0).unwrap();
    c.bench_function("sampling/lognormal lag", |b| {
        b.iter(|| black_box(lognormal.sample(&mut rng)))
    });
    c.bench_function("sampling/poisson mean 1.2", |b| {
        b.iter(|| black_box(poisson_small.sample(&mut rng)))
    });
    c.bench_function("sampling/poisson mean 1500", |b| {
        b.iter(|| black_box(poisson_large.sample(&mut rng)))
    });
    c.bench_function("sampling/new stream", |b| {
        let k = StreamKey::new("line", "fire-point", "ramp slip");
        let mut r = 0;
        b.iter(|| {
            r += 1;
            black_box(stream(42, r, k))
        });
    });
}

fn accumulator(c: &mut Criterion) {
    let s = canonical();
    let sim = Simulator::new(&s);
    let mut w = Worker::new(&s);
    let batch: Vec<RunRecord> = (0..32)
        .map(|r| {
            let mut rec = RunRecord::new(&s);
            w.simulate(&sim, 1, r, &mut rec);
            rec
        })
        .collect();
    let mut acc = Accumulator::new(&s, 0);
    acc.add_runs(&batch);
    let mut staged = Staged::new(&acc, batch.len());
    c.bench_function(
        "stats/stage and fold a batch of 32 runs (5 items x 1,096 days)",
        |b| {
            b.iter(|| {
                for rec in black_box(&batch) {
                    acc.stage(&mut staged, rec);
                }
            })
        },
    );
    let other = acc.clone();
    c.bench_function("stats/merge two accumulators", |b| {
        b.iter_batched(
            || acc.clone(),
            |mut a| a.merge(black_box(&other)),
            BatchSize::LargeInput,
        );
    });
}

/// Charts, CSV, JSON and the report for 10 items over 1,095 days (the bench scenario's five
/// items twice over).
fn render(c: &mut Criterion) {
    let text =
        std::fs::read_to_string("scenarios/bench-canonical.toml").expect("bench-canonical.toml");
    let mut ten = text.clone();
    for n in ["interceptor", "cruise", "ballistic", "drone", "artillery"] {
        ten = ten.replace(&format!("\"{n}\""), &format!("\"{n}-a\""));
        ten = ten.replace(&format!("\"{n}-line\""), &format!("\"{n}-a-line\""));
    }
    // Append a second copy of the items, lines and consumption with other names.
    let extra: String = text[text.find("[[item]]").unwrap_or(0)..].to_owned();
    let ten = format!("{ten}\n{extra}");
    let s = porcupine::scenario::from_str(&ten, Path::new("ten.toml")).expect("ten items");
    assert_eq!(s.items.len(), 10);
    let cfg = porcupine::runner::RunConfig {
        runs: 200,
        seed: 1,
        threads: Some(1),
        samples: 20,
    };
    let acc = porcupine::runner::run(
        &s,
        &cfg,
        &|_| {},
        &std::sync::atomic::AtomicBool::new(false),
    )
    .expect("run");
    let meta = porcupine::report::Metadata {
        version: "bench".into(),
        seed: 1,
        runs: 200,
        scenario_file: "ten.toml".into(),
        scenario_hash: "0".into(),
        percentile_method: porcupine::report::percentile_method(),
        reproduce: String::new(),
    };
    let mut g = c.benchmark_group("output");
    g.sample_size(10);
    g.bench_function("prepare + render all files, 10 items x 1,096 days", |b| {
        b.iter(|| {
            let r = porcupine::report::prepare(&s, &acc, meta.clone());
            black_box(
                porcupine::output::render(&s, &r, &ten)
                    .expect("render")
                    .len(),
            )
        });
    });
    g.finish();
}

criterion_group!(benches, one_run, queue, sampling, accumulator, render);
criterion_main!(benches);

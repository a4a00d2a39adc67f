//! Micro-benchmarks (criterion): one run of the canonical scenario, the event queue, distribution
//! sampling, and the statistics accumulator's update and merge.
//!
//! `cargo bench --bench engine`

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};
use porcupine::engine::{Event, EventQueue, RunRecord, Simulator, Worker};
use porcupine::sampling::{stream, Dist, StreamKey};
use porcupine::stats::Accumulator;
use porcupine::units::Day;
use rand_distr::{LogNormal, Poisson};
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
            q.schedule_daily(Day(1), Event::DailyProduction);
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
            while let Some((_, e)) = q.pop() {
                n += u64::from(matches!(e, Event::ShipmentArrived { .. }));
            }
            black_box(n)
        });
    });
}

fn sampling(c: &mut Criterion) {
    let mut rng = stream(1, 2, StreamKey::new("bench", "x", "y"));
    let lognormal = Dist::LogNormal {
        d: LogNormal::new(120f64.ln(), 0.35).unwrap(),
        hi: 3650.0,
    };
    let poisson_small = Dist::Poisson(Poisson::new(1.2).unwrap());
    let poisson_large = Dist::Poisson(Poisson::new(1500.0).unwrap());
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
    c.bench_function("stats/add a batch of 32 runs (5 items x 1,096 days)", |b| {
        b.iter(|| acc.add_runs(black_box(&batch)))
    });
    let other = acc.clone();
    c.bench_function("stats/merge two accumulators", |b| {
        b.iter_batched(
            || acc.clone(),
            |mut a| a.merge(black_box(&other)),
            BatchSize::LargeInput,
        );
    });
}

criterion_group!(benches, one_run, queue, sampling, accumulator);
criterion_main!(benches);

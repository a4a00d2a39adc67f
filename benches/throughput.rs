//! Runs per second of a whole experiment (simulation and streaming statistics, no file output)
//! on a scenario, for comparing with the yardstick back to back.
//!
//! `cargo bench --bench throughput -- [SCENARIO] [RUNS] [THREADS]`
//! (defaults: scenarios/bench-canonical.toml, 10000, all cores). Prints one line:
//! `porcupine runs=… threads=… seconds=… runs_per_s=…`.

use porcupine::runner::{self, RunConfig};
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let path = PathBuf::from(
        args.first()
            .map_or("scenarios/bench-canonical.toml", String::as_str),
    );
    let runs: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let threads: Option<usize> = args.get(2).and_then(|s| s.parse().ok());
    let scenario = match porcupine::scenario::load(&path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let cfg = RunConfig {
        runs,
        seed: 1,
        threads,
        samples: porcupine::SAMPLE_PATHS,
    };
    let t0 = Instant::now();
    let acc = runner::run(&scenario, &cfg, &|_| {}, &AtomicBool::new(false)).expect("run");
    let dt = t0.elapsed().as_secs_f64();
    let used =
        threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    // Print a statistic so the work cannot be optimised away.
    let mean0 = acc.items[0].end_stock.moments.mean();
    println!("porcupine runs={runs} threads={used} seconds={dt:.3} runs_per_s={:.0} (mean end stock of {}: {mean0:.1})", runs as f64 / dt, scenario.items[0].name);
}

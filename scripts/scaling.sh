#!/usr/bin/env bash
# Thread scaling on the canonical benchmark: runs per second of porcupine (simulation and full
# daily statistics) and of the yardstick at 1, 2, 4, 8 and 16 threads (those the machine has),
# with speed-ups relative to 1 thread. A few minutes at most on a 16-core machine.
# Usage: scripts/scaling.sh [RUNS=20000]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-20000}
YARD_SRC=${YARDSTICK:-../shared/bench/limit}
cargo bench --bench throughput --no-run --quiet 2>/dev/null
BENCH=$(ls -t target/release/deps/throughput-* | grep -v '\.d$' | head -1)
rm -rf target/yardstick && mkdir -p target/yardstick && cp -r "$YARD_SRC"/. target/yardstick/
cargo build --release --quiet --manifest-path target/yardstick/Cargo.toml --target-dir target/yardstick/target
YARD=target/yardstick/target/release/limit
CORES=$(nproc)
echo "machine: $CORES cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $RUNS runs of scenarios/bench-canonical.toml"
printf "%8s %14s %9s %14s %9s %7s\n" threads porcupine/s speedup yardstick/s speedup ratio
base_p=""; base_y=""
for T in 1 2 4 8 16; do
  [ "$T" -gt "$CORES" ] && break
  p=$("$BENCH" scenarios/bench-canonical.toml "$RUNS" "$T" | sed -E 's/.*runs_per_s=([0-9]+).*/\1/')
  y=$(RAYON_NUM_THREADS=$T "$YARD" "$RUNS" | tail -1 | sed -E 's/.*runs_per_s=([0-9]+).*/\1/')
  [ -z "$base_p" ] && base_p=$p && base_y=$y
  awk -v t="$T" -v p="$p" -v y="$y" -v bp="$base_p" -v by="$base_y" \
    'BEGIN { printf "%8d %14d %8.2fx %14d %8.2fx %7.2f\n", t, p, p / bp, y, y / by, p / y }'
done

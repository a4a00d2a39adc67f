#!/usr/bin/env bash
# Measures porcupine against the yardstick on the canonical benchmark scenario, back to back:
#   - runs per second at 1 thread and at all threads (best of ROUNDS alternating rounds, since
#     shared machines are noisy) and the porcupine / yardstick ratio;
#   - peak resident memory of a full `porcupine run` at 10,000 and 1,000,000 runs.
# Usage: scripts/bench.sh [RUNS_FOR_SPEED=6000] [ROUNDS=5] [--no-memory]
# The yardstick is built from ../shared/bench/limit (copied to target/yardstick first).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-6000}
ROUNDS=${2:-5}
MEMORY=1
for a in "$@"; do [ "$a" = "--no-memory" ] && MEMORY=0; done
SCEN=scenarios/bench-canonical.toml
YARD_SRC=${YARDSTICK:-../shared/bench/limit}

cargo build --release --quiet
cargo bench --bench throughput --no-run --quiet 2>/dev/null
BENCH=$(ls -t target/release/deps/throughput-* | grep -v '\.d$' | head -1)
if [ -d "$YARD_SRC" ]; then
  rm -rf target/yardstick && mkdir -p target/yardstick && cp -r "$YARD_SRC"/. target/yardstick/
  cargo build --release --quiet --manifest-path target/yardstick/Cargo.toml --target-dir target/yardstick/target
  YARD=target/yardstick/target/release/limit
else
  echo "yardstick not found at $YARD_SRC (set YARDSTICK=path)"; exit 1
fi
ALL=$(nproc)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "workload: $SCEN, $RUNS runs, best of $ROUNDS alternating rounds"
for T in 1 "$ALL"; do
  best_p=0; best_y=0
  for _ in $(seq "$ROUNDS"); do
    p=$("$BENCH" "$SCEN" "$RUNS" "$T" | sed -E 's/.*runs_per_s=([0-9]+).*/\1/')
    y=$(RAYON_NUM_THREADS=$T "$YARD" "$RUNS" | tail -1 | sed -E 's/.*runs_per_s=([0-9]+).*/\1/')
    [ "$p" -gt "$best_p" ] && best_p=$p
    [ "$y" -gt "$best_y" ] && best_y=$y
  done
  ratio=$(awk -v a="$best_p" -v b="$best_y" 'BEGIN { printf "%.2f", a / b }')
  echo "threads=$T porcupine_runs_per_s=$best_p yardstick_runs_per_s=$best_y ratio=$ratio"
done
if [ "$MEMORY" = 1 ]; then
  for N in 10000 1000000; do
    out=$(mktemp -d)
    /usr/bin/time -f "%M" -o "$out/mem" target/release/porcupine run "$SCEN" --runs "$N" --quiet --out "$out/r"
    echo "runs=$N peak_rss_mib=$(awk '{ printf "%.1f", $1 / 1024 }' "$out/mem")"
    rm -rf "$out"
  done
fi

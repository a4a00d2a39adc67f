#!/usr/bin/env bash
# Measures porcupine against the yardstick on the canonical benchmark scenario, back to back:
#   - runs per second at 1 thread and at all threads (best of ROUNDS rounds, since shared
#     machines are noisy) and the porcupine / yardstick ratio. Each round runs porcupine and the
#     yardstick at 1 thread and then at all threads, one right after the other;
#   - the speed-up from 1 thread to all threads: the median over the rounds of each round's
#     all-thread / 1-thread speed (both measured within seconds of each other, so a change in
#     the machine's speed between rounds does not enter it);
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
# shellcheck source=scripts/measure.sh
. scripts/measure.sh

cargo build --release --quiet
build_bench
build_yardstick
ALL=$(nproc)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "workload: $SCEN, $RUNS runs, best of $ROUNDS rounds"
declare -A best cur
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for _ in $(seq "$ROUNDS"); do
  for T in 1 "$ALL"; do
    p=$("$BENCH" "$SCEN" "$RUNS" "$T" | speed)
    y=$(RAYON_NUM_THREADS=$T "$YARD" "$RUNS" | tail -1 | speed)
    [ "${best[p$T]:-0}" -lt "$p" ] && best[p$T]=$p
    [ "${best[y$T]:-0}" -lt "$y" ] && best[y$T]=$y
    cur[p$T]=$p
    cur[y$T]=$y
  done
  awk -v a="${cur[p$ALL]}" -v b="${cur[p1]}" 'BEGIN { print a / b }' >>"$tmp/p"
  awk -v a="${cur[y$ALL]}" -v b="${cur[y1]}" 'BEGIN { print a / b }' >>"$tmp/y"
done
for T in 1 "$ALL"; do
  ratio=$(awk -v a="${best[p$T]}" -v b="${best[y$T]}" 'BEGIN { printf "%.2f", a / b }')
  echo "threads=$T porcupine_runs_per_s=${best[p$T]} yardstick_runs_per_s=${best[y$T]} ratio=$ratio"
done
printf "speedup_1_to_%s_threads porcupine=%.2fx yardstick=%.2fx (median of the rounds)\n" \
  "$ALL" "$(median "$tmp/p")" "$(median "$tmp/y")"
if [ "$MEMORY" = 1 ]; then
  for N in 10000 1000000; do
    out=$(mktemp -d)
    /usr/bin/time -f "%M" -o "$out/mem" target/release/porcupine run "$SCEN" --runs "$N" --quiet --out "$out/r"
    echo "runs=$N peak_rss_mib=$(awk '{ printf "%.1f", $1 / 1024 }' "$out/mem")"
    rm -rf "$out"
  done
fi

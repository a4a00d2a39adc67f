#!/usr/bin/env bash
# Thread scaling on the canonical benchmark: runs per second of porcupine (simulation and full
# daily statistics) and of the yardstick at 1, 2, 4, 8 and 16 threads (those the machine has),
# with speed-ups relative to 1 thread. Each round runs every thread count one after the other,
# so a round's speed-ups compare measurements made within a minute; the table shows the median
# over the rounds of the runs per second and of each round's own speed-ups. A few minutes at
# most on a 16-core machine.
# Usage: scripts/scaling.sh [RUNS=20000] [ROUNDS=3]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-20000}
ROUNDS=${2:-3}
# shellcheck source=scripts/measure.sh
. scripts/measure.sh
build_bench
build_yardstick
CORES=$(nproc)
echo "machine: $CORES cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $RUNS runs of scenarios/bench-canonical.toml, median of $ROUNDS rounds"
THREADS=()
for T in 1 2 4 8 16; do [ "$T" -le "$CORES" ] && THREADS+=("$T"); done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for _ in $(seq "$ROUNDS"); do
  for T in "${THREADS[@]}"; do
    p=$("$BENCH" scenarios/bench-canonical.toml "$RUNS" "$T" | speed)
    y=$(RAYON_NUM_THREADS=$T "$YARD" "$RUNS" | tail -1 | speed)
    [ "$T" = 1 ] && p1=$p && y1=$y
    echo "$p" >>"$tmp/p$T"
    echo "$y" >>"$tmp/y$T"
    awk -v a="$p" -v b="$p1" 'BEGIN { print a / b }' >>"$tmp/sp$T"
    awk -v a="$y" -v b="$y1" 'BEGIN { print a / b }' >>"$tmp/sy$T"
    awk -v a="$p" -v b="$y" 'BEGIN { print a / b }' >>"$tmp/r$T"
  done
done
printf "%8s %14s %9s %14s %9s %7s\n" threads porcupine/s speedup yardstick/s speedup ratio
for T in "${THREADS[@]}"; do
  printf "%8d %14.0f %8.2fx %14.0f %8.2fx %7.2f\n" "$T" "$(median "$tmp/p$T")" "$(median "$tmp/sp$T")" \
    "$(median "$tmp/y$T")" "$(median "$tmp/sy$T")" "$(median "$tmp/r$T")"
done

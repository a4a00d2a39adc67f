#!/usr/bin/env bash
# Compares two builds by running them at the same time, one thread each, on two different cores
# (swapped every round), so that both meet the same machine: on a shared virtual machine whose
# speed moves by ±20% from one minute to the next, the ratio of two runs made side by side
# moves far less than either run. Prints each round and the median ratio B / A.
#
# Usage: scripts/paired.sh BENCH_A BENCH_B [ROUNDS=10] [RUNS=2000]
# BENCH_A, BENCH_B: throughput benchmark binaries of the two builds (`cargo bench --bench
# throughput --no-run` prints the path of the current build's; copy it aside before changing
# the code). Needs two cores; pins with `taskset` where it is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
A=$1
B=$2
ROUNDS=${3:-10}
RUNS=${4:-2000}
SCEN=scenarios/bench-canonical.toml
pin() { if command -v taskset >/dev/null; then taskset -c "$1" "${@:2}"; else "${@:2}"; fi; }
speed() { sed -E 's/.*runs_per_s=([0-9]+).*/\1/' "$1"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for r in $(seq "$ROUNDS"); do
  ca=$((r % 2)); cb=$(((r + 1) % 2))
  pin "$ca" "$A" "$SCEN" "$RUNS" 1 >"$tmp/a" &
  pin "$cb" "$B" "$SCEN" "$RUNS" 1 >"$tmp/b" &
  wait
  a=$(speed "$tmp/a"); b=$(speed "$tmp/b")
  ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b / a }')
  echo "round $r: A $a runs/s, B $b runs/s, B/A $ratio"
  echo "$ratio" >>"$tmp/ratios"
done
sort -n "$tmp/ratios" | awk '{ v[NR] = $1 } END {
  m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
  w = 0; for (i = 1; i <= NR; i++) if (v[i] > 1) w++
  printf "median B/A %.3f; B faster in %d of %d rounds\n", m, w, NR }'

#!/usr/bin/env bash
# Compares two builds by running them at the same time, one thread each, on two different cores,
# so that both meet the same machine: on a shared virtual machine whose speed moves by ±20% from
# one minute to the next, the ratio of two runs made side by side moves far less than either
# run. In one check with the same binary on both sides, the side started first was faster in 9
# rounds of 10 (by about 10%), so the starting order alternates every round and the cores every
# second round: any four rounds in a row give each build each order and each core once. Prints
# each round and the median ratio B / A.
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
# shellcheck source=scripts/measure.sh
. scripts/measure.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for r in $(seq "$ROUNDS"); do
  ca=$(((r / 2) % 2)); cb=$((1 - ca))
  if [ $((r % 2)) = 1 ]; then
    pin "$ca" "$A" "$SCEN" "$RUNS" 1 >"$tmp/a" &
    pin "$cb" "$B" "$SCEN" "$RUNS" 1 >"$tmp/b" &
  else
    pin "$cb" "$B" "$SCEN" "$RUNS" 1 >"$tmp/b" &
    pin "$ca" "$A" "$SCEN" "$RUNS" 1 >"$tmp/a" &
  fi
  wait
  a=$(speed <"$tmp/a"); b=$(speed <"$tmp/b")
  ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b / a }')
  first=$([ $((r % 2)) = 1 ] && echo A || echo B)
  echo "round $r ($first started first): A $a runs/s, B $b runs/s, B/A $ratio"
  echo "$ratio" >>"$tmp/ratios"
done
wins=$(awk '$1 > 1' "$tmp/ratios" | wc -l)
printf "median B/A %.3f; B faster in %d of %d rounds\n" "$(median "$tmp/ratios")" "$wins" "$ROUNDS"

#!/bin/sh
# The same sharded workflow on one workstation: N shards, JOBS at a time (xargs -P),
# then the merge, which runs only if every shard succeeded.
#
# usage: scripts/slurm/local.sh SCENARIO SHARDS PARTS OUT [RUNS [SEED]]
# Environment: PORCUPINE (default: target/release/porcupine), JOBS (default: 2), THREADS per
# shard (default: cores / JOBS), MERGE_OPTS for merge.
set -eu
[ $# -ge 4 ] || { sed -n '5,7p' "$0" >&2; exit 2; }
SCENARIO=$1 SHARDS=$2 PARTS=$3 OUT=$4 RUNS=${5:-} SEED=${6:-}
PORCUPINE=${PORCUPINE:-target/release/porcupine}
JOBS=${JOBS:-2}
THREADS=${THREADS:-$(( $(nproc) / JOBS > 0 ? $(nproc) / JOBS : 1 ))}
mkdir -p "$PARTS"
export PORCUPINE SCENARIO SHARDS PARTS RUNS SEED THREADS
shard='"$PORCUPINE" run "$SCENARIO" --shard "$1/$SHARDS" ${RUNS:+--runs} ${RUNS:+"$RUNS"} ${SEED:+--seed} ${SEED:+"$SEED"} --threads "$THREADS" --quiet --force --out "$PARTS/shard-$1-of-$SHARDS.json"'
# xargs exits non-zero if any shard failed, and then the merge does not run.
seq 1 "$SHARDS" | xargs -P "$JOBS" -I{} sh -c "$shard" shard {}
# shellcheck disable=SC2086 # MERGE_OPTS is a list of options
"$PORCUPINE" merge "$PARTS"/shard-*-of-"$SHARDS".json --out "$OUT" --force ${MERGE_OPTS:-}

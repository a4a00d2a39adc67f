#!/bin/sh
# Submits a sharded porcupine experiment to Slurm: a job array of N shards, then a merge job that
# starts only if every shard succeeded (and is cancelled if one fails).
#
# usage: scripts/slurm/submit.sh SCENARIO SHARDS PARTS OUT [RUNS [SEED]]
#   SCENARIO  scenario file, as the results should name it (relative to the current folder,
#             where the jobs start)
#   SHARDS    number of shards N (array tasks 1..N)
#   PARTS     folder for the partial files (on storage every node can reach)
#   OUT       results folder written by the merge job
#   RUNS SEED optional: total runs and seed (default: the scenario's)
# Environment: PORCUPINE (default: target/release/porcupine), extra sbatch options in
# SBATCH_SHARD_OPTS and SBATCH_MERGE_OPTS (e.g. "--partition=short"), MERGE_OPTS for merge.
# Prints the array job id and the merge job id.
set -eu
[ $# -ge 4 ] || { sed -n '5,14p' "$0" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
SCENARIO=$1 SHARDS=$2 PARTS=$3 OUT=$4 RUNS=${5:-} SEED=${6:-}
PORCUPINE=${PORCUPINE:-target/release/porcupine}
case $PORCUPINE in /*) ;; *) PORCUPINE=$(pwd)/$PORCUPINE ;; esac
[ -x "$PORCUPINE" ] || { echo "error: $PORCUPINE is not an executable porcupine; build it (cargo build --release) or set PORCUPINE" >&2; exit 2; }
mkdir -p "$PARTS"
export PORCUPINE SCENARIO SHARDS PARTS OUT RUNS SEED
# shellcheck disable=SC2086 # the *_OPTS variables are lists of options
array=$(sbatch --parsable --array="1-$SHARDS" ${SBATCH_SHARD_OPTS:-} "$here/shard.sbatch")
array=${array%%;*}
# shellcheck disable=SC2086
merge=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes \
  ${SBATCH_MERGE_OPTS:-} "$here/merge.sbatch")
echo "$array ${merge%%;*}"

#!/usr/bin/env bash
# Self-test on a real Slurm: installs Debian's slurm-wlm and munge if missing, starts a one-node
# cluster on this machine (munged, slurmctld, slurmd, started by hand: no systemd needed),
# submits a job array of 4 shards and the merge job with submit.sh, waits with a bounded poll,
# and checks that the merged results are byte for byte those of one run; then that a failing
# shard gets the merge job cancelled. Stops only the daemons it started. Uses the release binary
# already built (target/release/porcupine).
#
# Without CI=true a missing install or a cluster that does not start skips the test (exit 0,
# with a message); with CI=true it fails (exit 1). Needs root to install and to run munged.
set -euo pipefail
cd "$(dirname "$0")/../.."
t0=$EPOCHREALTIME
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
skip() {
  if [ "${CI:-}" = true ]; then echo "slurm self-test FAILED: $1" >&2; exit 1; fi
  echo "slurm self-test skipped: $1" >&2; exit 0
}
fail() { echo "slurm self-test FAILED: $1" >&2; exit 1; }
BIN=target/release/porcupine
[ -x "$BIN" ] || fail "$BIN is missing: run cargo build --release first"

# 1. Packages.
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
  [ "$(id -u)" = 0 ] || skip "slurm-wlm and munge are not installed and this is not root"
  install() { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null; }
  install 2>/dev/null || { apt-get update -qq >/dev/null && install; } || skip "could not install slurm-wlm and munge"
fi
echo "packages ready in $(since "$t0") s ($(slurmctld -V))"

# 2. A one-node cluster in a scratch folder, on ports of its own.
work=$(mktemp -d /tmp/porcupine-slurm.XXXXXX)
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do while kill -0 "$p" 2>/dev/null; do sleep 0.1; done; done
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
t1=$EPOCHREALTIME
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  [ -s /etc/munge/munge.key ] || { mungekey --create >/dev/null 2>&1 || dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null; }
  chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
  mkdir -p /run/munge /var/log/munge /var/lib/munge && chown munge:munge /run/munge /var/log/munge /var/lib/munge
  rm -f /run/munge/munged.pid
  runuser -u munge -- /usr/sbin/munged || skip "munged did not start"
  for _ in $(seq 50); do [ -s /run/munge/munged.pid ] && break; sleep 0.1; done
  pids+=("$(cat /run/munge/munged.pid)")
  munge -n | unmunge >/dev/null || skip "munge does not work"
fi
host=$(hostname -s)
cpus=$(nproc)
mem=$(slurmd -C | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p')
port=$(( 20000 + $$ % 20000 ))
mkdir -p "$work/state" "$work/spool"
export SLURM_CONF=$work/slurm.conf
cat > "$SLURM_CONF" <<CONF
ClusterName=porcupine-selftest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$(( port + 1 ))
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerParameters=batch_sched_delay=0
DependencyParameters=kill_invalid_depend
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
ReturnToService=2
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$(( mem * 9 / 10 )) State=UNKNOWN
PartitionName=selftest Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -D -i >/dev/null 2>&1 &
pids+=("$!")
slurmd -D >/dev/null 2>&1 &
pids+=("$!")
up=
for _ in $(seq 150); do
  if sinfo -h -o %T 2>/dev/null | grep -qx idle; then up=1; break; fi
  sleep 0.1
done
[ -n "$up" ] || { tail -5 "$work/slurmctld.log" "$work/slurmd.log" >&2 || true; skip "the one-node cluster did not start"; }
echo "cluster of 1 node, $cpus CPUs, up in $(since "$t1") s"

# 3. Four shards and the merge, through the documented scripts.
t2=$EPOCHREALTIME
scenario=scenarios/bench-canonical.toml runs=400 seed=7
read -r array merge < <(SBATCH_SHARD_OPTS="--cpus-per-task=1 --mem=500M --output=$work/shard-%a.out" \
  SBATCH_MERGE_OPTS="--cpus-per-task=1 --mem=500M --output=$work/merge.out" MERGE_OPTS=--quiet \
  scripts/slurm/submit.sh "$scenario" 4 "$work/parts" "$work/merged" "$runs" "$seed")
echo "submitted array job $array (4 shards) and merge job $merge (afterok:$array)"
# Waits (at most a minute) for job $1 to end; prints its final state.
wait_job() {
  local state=
  for _ in $(seq 600); do
    state=$(scontrol show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')
    case $state in COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY) break ;; esac
    sleep 0.1
  done
  echo "$state"
}
state=$(wait_job "$merge")
[ "$state" = COMPLETED ] || { cat "$work"/*.out >&2 2>/dev/null || true; fail "merge job ended $state"; }
echo "array and merge completed in $(since "$t2") s"

# 4. The same experiment in one run; every file must be identical.
"$BIN" run "$scenario" --runs "$runs" --seed "$seed" --quiet --out "$work/single"
diff -r "$work/single" "$work/merged" >/dev/null || fail "merged results differ from one run"
echo "merged results identical to one run: $(find "$work/single" -type f | wc -l) files, byte for byte"

# 5. A failing shard: the merge job must be cancelled, not left pending.
t3=$EPOCHREALTIME
read -r array merge < <(SBATCH_SHARD_OPTS="--cpus-per-task=1 --mem=500M --output=/dev/null" \
  SBATCH_MERGE_OPTS="--cpus-per-task=1 --mem=500M --output=/dev/null" \
  scripts/slurm/submit.sh scenarios/no-such-scenario.toml 2 "$work/parts-bad" "$work/bad" 10)
state=$(wait_job "$merge")
[ "$state" = CANCELLED ] || fail "after a failed shard the merge job ended ${state:-pending}, not CANCELLED"
[ ! -e "$work/bad" ] || fail "the merge job of a failed shard wrote results"
echo "a failing shard: merge job $merge cancelled in $(since "$t3") s"
echo "slurm self-test passed in $(since "$t0") s"

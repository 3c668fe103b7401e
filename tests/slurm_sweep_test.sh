#!/usr/bin/env bash
# The Slurm back-end against a real single-node Slurm started here: munge, slurmctld and slurmd on
# localhost (non-default ports, a private munge socket, everything in a temporary directory), a tiny
# sweep submitted with `vtasim sweep --backend slurm --submit`, and a wait for the array and the merge
# that depends on it. Every daemon started is stopped by its PID.
# Usage: slurm_sweep_test.sh VTASIM_BIN   (needs root and the Debian packages slurmctld slurmd
# slurm-client munge, which scripts/test.sh installs). Exit 77 (skipped) when not root.
set -euo pipefail
bin="$1"
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: starting slurmctld/slurmd/munged needs root"
  exit 77
fi
for c in slurmctld slurmd sbatch sinfo munged runuser; do
  command -v "$c" > /dev/null || { echo "FAIL: $c is missing (apt-get install slurmctld slurmd slurm-client munge)"; exit 1; }
done

work=$(mktemp -d /tmp/vtasim_slurm.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  timeout 10 scancel --full --quiet -u root 2> /dev/null || true
  for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2> /dev/null || true; done
  if [ -f "$work/munge/munged.pid" ]; then kill "$(cat "$work/munge/munged.pid")" 2> /dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# munge: a private key, socket and state, run as the munge user.
mkdir -p "$work/munge"
dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
chown -R munge:munge "$work/munge"
chmod 755 "$work/munge"  # munged requires a socket directory everyone can traverse
chmod 400 "$work/munge/munge.key"
runuser -u munge -- munged --key-file="$work/munge/munge.key" --socket="$work/munge/munge.sock" \
  --pid-file="$work/munge/munged.pid" --log-file="$work/munge/munged.log" --seed-file="$work/munge/munged.seed"

host=$(hostname -s)
mkdir -p "$work/state" "$work/spool"
{
  echo "ClusterName=vtasimtest"
  echo "SlurmctldHost=${host}(127.0.0.1)"
  echo "SlurmUser=root"
  echo "SlurmdUser=root"
  echo "SlurmctldPort=16817"
  echo "SlurmdPort=16818"
  echo "AuthType=auth/munge"
  echo "AuthInfo=socket=$work/munge/munge.sock"
  echo "CredType=cred/munge"
  echo "StateSaveLocation=$work/state"
  echo "SlurmdSpoolDir=$work/spool"
  echo "SlurmctldPidFile=$work/slurmctld.pid"
  echo "SlurmdPidFile=$work/slurmd.pid"
  echo "ProctrackType=proctrack/linuxproc"
  echo "TaskPlugin=task/none"
  echo "ReturnToService=2"
  echo "SchedulerType=sched/builtin"
  echo "SelectType=select/cons_tres"
  echo "SelectTypeParameters=CR_CPU"
  echo "AccountingStorageType=accounting_storage/none"
  echo "JobAcctGatherType=jobacct_gather/none"
  echo "JobCompType=jobcomp/none"
  echo "MpiDefault=none"
  echo "SlurmctldLogFile=$work/slurmctld.log"
  echo "SlurmdLogFile=$work/slurmd.log"
  echo "NodeName=${host} NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN"
  echo "PartitionName=debug Nodes=${host} Default=YES MaxTime=INFINITE State=UP"
} > "$work/slurm.conf"
export SLURM_CONF="$work/slurm.conf"
slurmctld -D -f "$SLURM_CONF" > "$work/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" > "$work/slurmd.out" 2>&1 &
pids+=($!)

up=0
for _ in $(seq 1 60); do
  if timeout 10 sinfo -h -o '%t' 2> /dev/null | grep -qE 'idle|mix|alloc'; then up=1; break; fi
  sleep 1
done
if [ "$up" -ne 1 ]; then
  echo "FAIL: the Slurm node did not come up"
  tail -20 "$work/slurmctld.log" "$work/slurmd.log" "$work/slurmctld.out" "$work/slurmd.out" 2> /dev/null || true
  exit 1
fi

echo '{"axes": {"dram.latency": [8, 16, 32]}, "layers": ["C11"], "threads": [1], "engine": "timing"}' > "$work/spec.json"
"$bin" sweep "$work/spec.json" --out "$work/sweep" --backend slurm --submit

done=0
for _ in $(seq 1 180); do
  if [ -f "$work/sweep/points.csv" ] && [ "$(grep -c ',ok,' "$work/sweep/points.csv")" -eq 3 ]; then done=1; break; fi
  sleep 1
done
if [ "$done" -ne 1 ]; then
  echo "FAIL: the array and merge did not finish"
  timeout 10 squeue 2> /dev/null || true
  ls -R "$work/sweep" | head -40
  cat "$work/sweep/slurm/logs/"* 2> /dev/null | tail -20
  exit 1
fi
# Let the merge job finish (it draws the figures after writing points.csv) before the daemons stop.
for _ in $(seq 1 60); do
  [ -z "$(timeout 10 squeue -h 2> /dev/null)" ] && break
  sleep 1
done
rows=$(grep -c . "$work/sweep/sweep.csv")
[ "$rows" -eq 4 ] || { echo "FAIL: sweep.csv has $rows lines, expected 4"; exit 1; }
ls "$work/sweep/slurm/logs/" | grep -q '^point_' || { echo "FAIL: no array task logs"; exit 1; }
ls "$work/sweep/slurm/logs/" | grep -q '^merge_' || { echo "FAIL: no merge job log"; exit 1; }
echo "slurm back-end: 3 array tasks and the dependent merge ran"
echo "1 passed, 0 failed"

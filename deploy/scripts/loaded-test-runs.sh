#!/usr/bin/env bash
# `make test` several times in a row on a deliberately loaded machine (issue 16: CI must not be flaky).
#
# Usage: deploy/scripts/loaded-test-runs.sh [RUNS] [BURNERS]   (defaults: 3 runs, 2 CPU burners)
# Each burner keeps one core busy (sha256 of an endless stream of zeros) for as long as the runs last,
# bounded by `timeout` and stopped on exit. The 1-minute load average is sampled every 30 s. Per run
# it prints its duration, its summary line and the load seen; it stops at the first failing run.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-3}
burners=${2:-2}
out=${LOADED_RUNS_DIR:-$root/var/loaded-runs}
mkdir -p "$out"
limit=$((runs * 45 * 60))  # never longer than 45 minutes a run

pids=()
stop() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done; }
trap stop EXIT
for _ in $(seq "$burners"); do
  timeout "$limit" sha256sum /dev/zero >/dev/null 2>&1 &
  pids+=($!)
done
(while sleep 30; do cut -d' ' -f1 /proc/loadavg >>"$out/load.txt"; done) &
pids+=($!)

cd "$root" || exit 2
echo "$(nproc) cores, $burners CPU burners, $runs runs of make test; logs in $out"
for run in $(seq "$runs"); do
  : >"$out/load.txt"
  started=$(date +%s)
  make test >"$out/run-$run.log" 2>&1
  code=$?
  summary=$(grep -E "^total: " "$out/run-$run.log" | tail -1)
  load=$(sort -n "$out/load.txt" | awk '{a[NR]=$1; s+=$1} END {if (NR) printf "load avg min %.1f, mean %.1f, max %.1f", a[1], s/NR, a[NR]}')
  echo "run $run: exit $code after $(( $(date +%s) - started )) s; ${summary:-no summary}; ${load}"
  [ "$code" -eq 0 ] || exit "$code"
done

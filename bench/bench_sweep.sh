#!/usr/bin/env bash
# Sweep throughput: the demo sweep (sweeps/demo.json, timing engine, twelve ResNet-18 layers, both
# thread counts) run with 1 and with 2 jobs; reports points per second, and the wall time of one
# design point on the timing engine (twelve layers, one thread count).
# Usage: bench/bench_sweep.sh   (build first)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${VTASIM_BIN:-$root/build/app/vtasim}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$root"
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

best=""
for _ in 1 2 3 4 5; do
  t0=$(now)
  taskset -c 0 "$bin" run --engine timing --threads 1 --no-plots --out "$work/point" > /dev/null 2>&1
  t=$(elapsed "$t0" "$(now)")
  if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; fi
done
echo "timing engine, one design point (12 ResNet-18 layers, 1 thread count): best ${best} s of 5"

points=$("$bin" sweep sweeps/demo.json --out "$work/dry" --dry-run | tail -1 | awk '{print $1}')
for jobs in 1 2; do
  t0=$(now)
  "$bin" sweep sweeps/demo.json --out "$work/sweep$jobs" --jobs "$jobs" --no-plots > /dev/null 2>&1 || true
  t=$(elapsed "$t0" "$(now)")
  awk -v n="$points" -v t="$t" -v j="$jobs" 'BEGIN { printf "demo sweep, %d points, %d job(s): %.2f s, %.2f points/s\n", n, j, t, n / t }'
done

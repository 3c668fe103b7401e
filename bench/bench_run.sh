#!/usr/bin/env bash
# Times the full default exploration run (twelve ResNet-18 layers, one and two threads, timed and
# bit-exact) on one core: best and median of N runs of the built vtasim. With --profile, also prints
# where the time goes (perf, when available).
# Usage: bench/bench_run.sh [N] [--profile]   (build first: scripts/test.sh or cmake --build build)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${VTASIM_BIN:-$root/build/app/vtasim}"
n="${1:-5}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
measure() {  # label, extra vtasim arguments...
  local label="$1"
  shift
  local times=() start end sorted best median verified
  for ((i = 0; i < n; i++)); do
    start=$(date +%s.%N)
    taskset -c 0 "$bin" run --out "$out" "$@" > /dev/null 2>&1
    end=$(date +%s.%N)
    times+=("$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", b - a }')")
  done
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  best=$(echo "$sorted" | head -1)
  median=$(echo "$sorted" | sed -n "$(( (n + 1) / 2 ))p")
  verified=$(grep -c ',yes,\|,n/a,' "$out/layers.csv" || true)
  printf 'vtasim run %s(ResNet-18, 12 layers x 2 thread counts): best %.3f s, median %.3f s over %d runs; %s of 24 rows verified or n/a (timing only)\n' \
    "$label" "$best" "$median" "$n" "$verified"
}
measure "timed, bit-exact, --no-plots " --no-plots
measure "timed, bit-exact, with figures and report "
measure "--engine timing --no-plots (one design point of a sweep) " --engine timing --no-plots
measure "--engine timing --no-plots --candidates 1 " --engine timing --no-plots --candidates 1
if [[ "${2:-}" == "--profile" ]] && command -v perf > /dev/null; then
  perf record -q -o "$out/perf.data" "$bin" run --out "$out" > /dev/null 2>&1
  perf report -i "$out/perf.data" --no-children --sort symbol 2> /dev/null | grep -v '^#' | grep '%' | head -12 | cut -c1-100
fi

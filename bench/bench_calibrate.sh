#!/usr/bin/env bash
# Times the Pynq calibration (4 parameters on the 12 published measurements, with leave-one-out) on one
# core: best and median of N runs; the issue's budget is 60 s.
# Usage: bench/bench_calibrate.sh [N]   (build first)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-3}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
times=()
for ((i = 0; i < n; i++)); do
  start=$(date +%s.%N)
  taskset -c 0 "$root/scripts/calibrate_pynq2018.sh" "$out/cal" > "$out/stdout" 2> /dev/null
  end=$(date +%s.%N)
  times+=("$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')")
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
printf 'calibrate (4 parameters, 12 measurements, leave-one-out included): best %.2f s, median %.2f s over %d runs\n' \
  "$(echo "$sorted" | head -1)" "$(echo "$sorted" | sed -n "$(( (n + 1) / 2 ))p")" "$n"
cat "$out/stdout"

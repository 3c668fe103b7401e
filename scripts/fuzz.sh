#!/usr/bin/env bash
# Long fuzzing runs: every harness in tests/fuzz (or those named) for SECONDS each, JOBS at a time,
# from the seed corpus; new inputs and findings are kept in fuzz-out/<harness>/. Run
# scripts/test_sanitized.sh first (it builds the harnesses).
# Usage: scripts/fuzz.sh SECONDS [JOBS] [HARNESS...]     e.g. scripts/fuzz.sh 1800 2
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${VTASIM_BUILD_SANITIZED:-$root/build-sanitized}"
seconds="${1:?usage: scripts/fuzz.sh SECONDS [JOBS] [HARNESS...]}"
jobs="${2:-1}"
shift $(($# > 1 ? 2 : 1))
harnesses=("$@")
[[ ${#harnesses[@]} -eq 0 ]] && harnesses=(config workload schedule sweep program)
out="${VTASIM_FUZZ_OUT:-$root/fuzz-out}"
run_one() {
  local h="$1"
  "$root/tests/fuzz/run_fuzz.sh" "$build/tests/fuzz/fuzz_$h" "$root/tests/fuzz/corpus/$h" "$seconds" "$out/$h" \
    > "$out/$h.log" 2>&1 && echo "$h: no findings" || echo "$h: FINDINGS (see $out/$h.log)"
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$out/$h.log" | sed "s/^/  $h /"
}
mkdir -p "$out"
export -f run_one
export root build seconds out
printf '%s\n' "${harnesses[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one {}'

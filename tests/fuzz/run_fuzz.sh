#!/usr/bin/env bash
# Runs one libFuzzer harness for N seconds from its seed corpus, writing new inputs and any crash
# into a scratch directory (never into the source tree). Exit 0 when nothing was found.
# Usage: run_fuzz.sh HARNESS SEED_DIR SECONDS [OUT_DIR]   (OUT_DIR kept, for long runs)
# VTASIM_FUZZ_SEED fixes libFuzzer's random seed (the suite's smoke runs use 1, so a CI run repeats
# the same mutations; long runs leave it unset for fresh ones).
set -euo pipefail
harness="$1" seeds="$2" seconds="$3"
out="${4:-}"
if [[ -z "$out" ]]; then
  out="$(mktemp -d "${TMPDIR:-/tmp}/vtasim-fuzz.XXXXXX")"
  trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out/corpus" "$out/artifacts"
seed_arg=()
[[ -n "${VTASIM_FUZZ_SEED:-}" ]] && seed_arg=(-seed="$VTASIM_FUZZ_SEED")
"$harness" "$out/corpus" "$seeds" "${seed_arg[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -artifact_prefix="$out/artifacts/" -print_final_stats=1 2>&1 | tail -25
status=${PIPESTATUS[0]}
# crash-, leak-, timeout- and oom- files are findings; slow-unit- files only say an input once took
# long (libFuzzer's -report_slow_units, wall clock: a loaded machine produces them), so they are listed.
if compgen -G "$out/artifacts/slow-unit-*" > /dev/null; then
  echo "slow inputs (not failures; rerun each to time it alone):"; ls "$out/artifacts" | grep '^slow-unit-'
fi
if ls "$out/artifacts" | grep -qv '^slow-unit-'; then
  echo "findings in $out/artifacts:"; ls "$out/artifacts" | grep -v '^slow-unit-'
  exit 1
fi
exit "$status"

#!/usr/bin/env bash
# The bad-input corpus: every case in cases.txt runs vtasim once, under a time limit and (outside
# sanitizer builds) a memory limit, and must end with the exit code it names (2 unless it says
# otherwise), no signal, and stderr containing the text it names, so each message shows the value.
#
# cases.txt: one case per line, `name | expected text | vtasim arguments` (`#` starts a comment line).
# The expected text is prefixed `exit=N ` when the case must end with N instead of 2 (inputs that were
# once rejected by mistake and must now run). The arguments are expanded by bash with $F (the corpus's
# small files), $G (inputs generated below: too large, too deep or binary, so not committed) and $T (a
# scratch directory) set. Leading NAME=VALUE words set environment variables for that case only.
#
# Usage: run_corpus.sh VTASIM [NAME-FILTER]     Environment: VTASIM_SANITIZED=1 skips the memory limit
# (sanitizers reserve terabytes of address space), VTASIM_CORPUS_TIMEOUT (s, default 20).
set -uo pipefail
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
filter="${2:-}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
F="$here/files"
work="$(mktemp -d "${TMPDIR:-/tmp}/vtasim-corpus.XXXXXX")"
trap 'rm -rf "$work"' EXIT
G="$work/generated"
mkdir -p "$G"
limit_s="${VTASIM_CORPUS_TIMEOUT:-20}"
limit_kb=$((4 * 1024 * 1024))

# --- generated inputs -------------------------------------------------------------------------------
# Instructions are 16 bytes, low 64-bit word first, little-endian; $(le64 N) prints N as 8 bytes.
le64() { local v=$1 i; for ((i = 0; i < 8; i++)); do printf "\\x$(printf %02x $(((v >> (8 * i)) & 255)))"; done; }
finish() { le64 3; le64 0; }
# STORE of one OUT element (memory type 4) from SRAM 0 to dram_base $1: y_size 1, x_size 1, x_stride 1.
store_out() { le64 $((1 | (4 << 7) | ($1 << 26))); le64 $((1 | (1 << 16) | (1 << 32))); }
# LOAD of one INP element (memory type 2) to SRAM 0 from dram_base $1.
load_inp() { le64 $((0 | (2 << 7) | ($1 << 26))); le64 $((1 | (1 << 16) | (1 << 32))); }
# GEMM over micro-ops [0, $1) with iter_out $2 and iter_in $3 (no micro-ops are loaded: all zero).
gemm() { le64 $((2 | (0 << 8) | ($1 << 21) | ($2 << 35) | ($3 << 49))); le64 0; }
{ store_out 0; finish; } > "$G/store.bin"
{ load_inp 0; finish; } > "$G/load.bin"
{ le64 7; le64 0; finish; } > "$G/bad_opcode.bin"
{ gemm 8192 16383 16383; finish; } > "$G/huge_gemm.bin"
{ finish; } > "$G/finish.bin"
head -c 17 /dev/zero > "$G/seventeen.bin"
# JSON nested deeper than any reader should follow, at the top, under "vtasim" and in a sweep axis.
deep() { printf '%*s' "$1" '' | tr ' ' '['; printf '%*s' "$1" '' | tr ' ' ']'; }
deep 100000 > "$G/deep.json"
{ printf '{"vtasim": {"dram": '; deep 20000; printf '}}'; } > "$G/deep_vtasim.json"
{ printf '{"axes": {"dram.latency": '; deep 20000; printf '}}'; } > "$G/deep_sweep.json"
{ printf '{"a": '; for ((i = 0; i < 20000; i++)); do printf '{"k": '; done; printf 1
  for ((i = 0; i < 20000; i++)); do printf '}'; done; printf '}'; } > "$G/deep_objects.json"
# A config of 40 MB (over the reader's size limit).
{ printf '{"HW_VER": "'; head -c 40000000 /dev/zero | tr '\0' 'x'; printf '"}'; } > "$G/huge.json"
# A sweep of 10^6 points: three axes of 100 values.
seq100=$(seq -s, 1 100)
printf '{"axes": {"dram.latency": [%s], "gemm.fill": [%s], "alu.cycles": [%s]}}' "$seq100" "$seq100" "$seq100" \
  > "$G/million.json"
# A workload line of 2 MB.
{ echo "name,H,W,IC,OC,KH,KW,pad,stride,count"; printf 'A%*s,14,14,32,32,3,3,1,1,1\n' 2000000 '' | tr ' ' 'x'; } \
  > "$G/long_line.csv"
head -c 4096 /dev/urandom > "$G/random.bin"
mkdir -p "$G/a_directory"
echo "not a directory" > "$G/a_file"
# A results directory whose layers.csv has only its header, and others with broken run.json.
make_results() {  # dir, layers.csv text, run.json text
  mkdir -p "$1"
  printf '%s' "$2" > "$1/layers.csv"
  printf '%s' "$3" > "$1/run.json"
}
header="$(head -1 "$F/layers_ok.csv")"
row="$(sed -n 2p "$F/layers_ok.csv")"
field() { echo "$row" | awk -F, -v OFS=, -v n="$1" -v v="$2" '{ $n = v; print }'; }  # row with field n = v
drop() { echo "$1" | awk -F, -v OFS=, -v n="$2" '{ $n = ""; sub(",,", ","); print }'; }  # without field n
runjson="$(cat "$F/run_ok.json")"
make_results "$G/res_header_only" "$header"$'\n' "$runjson"
make_results "$G/res_no_runjson_fields" "$header"$'\n'"$row"$'\n' '{"vtasim_version": "x"}'
make_results "$G/res_runjson_types" "$header"$'\n'"$row"$'\n' '{"configuration": 5, "workload": [], "schedule": 3}'
make_results "$G/res_runjson_not_json" "$header"$'\n'"$row"$'\n' '{"configuration": '
make_results "$G/res_cycles_1e300" "$header"$'\n'"$(field 5 1e300)"$'\n' "$runjson"
make_results "$G/res_cycles_nan" "$header"$'\n'"$(field 5 nan)"$'\n' "$runjson"
make_results "$G/res_cycles_negative" "$header"$'\n'"$(field 5 -1)"$'\n' "$runjson"
make_results "$G/res_threads_nan" "$header"$'\n'"$(field 2 nan)"$'\n' "$runjson"
make_results "$G/res_missing_column" "$(drop "$header" 5)"$'\n'"$(drop "$row" 5)"$'\n' "$runjson"
make_results "$G/res_short_row" "$header"$'\n'"T1,1,2"$'\n' "$runjson"
make_results "$G/res_gops_text" "$header"$'\n'"$(field 9 fast)"$'\n' "$runjson"
mkdir -p "$G/res_no_layers"
cp "$F/run_ok.json" "$G/res_no_layers/run.json"
mkdir -p "$G/sweep_empty" "$G/sweep_malformed" "$G/sweep_types" "$G/sweep_deep"
: > "$G/sweep_empty/sweep.json"
echo '{"points": [' > "$G/sweep_malformed/sweep.json"
echo '{"points": 7, "spec": "x"}' > "$G/sweep_types/sweep.json"
cp "$G/deep.json" "$G/sweep_deep/sweep.json"

# --- the cases --------------------------------------------------------------------------------------
pass=0 fail=0 n=0
start=$(date +%s)
while IFS= read -r line; do
  [[ -z "$line" || "$line" == \#* ]] && continue
  name="$(echo "${line%%|*}" | xargs)"
  rest="${line#*|}"
  expect="$(echo "${rest%%|*}" | sed 's/^ *//; s/ *$//')"
  args="${rest#*|}"
  [[ -n "$filter" && "$name" != *"$filter"* ]] && continue
  want=2
  if [[ "$expect" == exit=* ]]; then
    want="${expect%% *}"; want="${want#exit=}"
    expect="${expect#* }"; [[ "$expect" == exit=* ]] && expect=""
  fi
  n=$((n + 1))
  T="$work/case_$n"
  mkdir -p "$T"
  eval "set -- $args"
  (
    cd "$T" || exit 99
    [[ "${VTASIM_SANITIZED:-0}" == 1 ]] || ulimit -v "$limit_kb"
    while [[ $# -gt 0 && "$1" =~ ^[A-Z_]+= ]]; do export "$1"; shift; done
    exec timeout -s KILL "$limit_s" "$bin" "$@"
  ) > "$T/stdout" 2> "$T/stderr" < /dev/null
  code=$?
  err="$(cat "$T/stderr")"
  problem=""
  if ((code == 137)); then
    problem="killed after ${limit_s} s (a hang) or by the memory limit"
  elif ((code > 128)); then
    problem="signal $((code - 128))"
  elif ((code != want)); then
    problem="exit $code, expected $want"
  elif [[ -n "$expect" && "$err" != *"$expect"* ]]; then
    problem="stderr lacks '$expect'"
  elif ((want == 2)) && grep -qi "internal error\|terminate called\|what():" "$T/stderr"; then
    problem="an internal error message for a user error"
  fi
  if [[ -n "$problem" ]]; then
    fail=$((fail + 1))
    echo "FAIL $name: $problem"
    echo "     vtasim $args"
    tail -c 600 "$T/stderr" | sed 's/^/     | /'
  else
    pass=$((pass + 1))
  fi
  rm -rf "$T"
done < "$here/cases.txt"
echo "bad-input corpus: $pass of $n cases passed in $(($(date +%s) - start)) s"
((n > 0 && fail == 0))

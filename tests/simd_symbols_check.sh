#!/bin/sh
# The SIMD translation units (models/simd/avx2.cpp, avx512_vnni.cpp) are compiled with instruction-set
# flags the rest of the build does not have. Any function they define that another unit could also
# define (an inline function or a template instantiated for shared types, such as std::vector<int>'s
# members: weak symbols) could be the copy the linker keeps, and then portable code would run AVX-512
# instructions on a CPU without them. So each may define, with external linkage, only its entry points.
# Usage: simd_symbols_check.sh LIBRARY (the static library holding the SIMD objects)
set -eu
lib=$1
status=0
for obj in avx2.cpp.o avx512_vnni.cpp.o; do
  # Members of the archive named like the object; the code it defines for others: global (T), weak
  # (W), indirect (i) or unique (u) functions. (Weak data, such as the type descriptions the
  # sanitizer build emits, runs nowhere.)
  syms=$(nm -C --defined-only "$lib" 2>/dev/null | awk -v o="$obj:" '
    /:$/ { inside = ($0 == o); next }
    inside && NF >= 3 && $2 ~ /^[TWiu]$/ { $1 = ""; print }')
  [ -n "$syms" ] || { echo "FAIL: $obj not found in $lib or defines nothing" >&2; status=1; continue; }
  extra=$(printf '%s\n' "$syms" | grep -v -E '^ T vtasim::simd::(gemm_avx2_kernel|alu_avx2_kernel|gemm_avx512_kernel|alu_avx512_kernel|splitmix_bytes_avx512|touch_lines8_avx2|touch_lines8_avx512)\(' || true)
  if [ -n "$extra" ]; then
    echo "FAIL: $obj defines symbols beyond its entry points:" >&2
    printf '%s\n' "$extra" >&2
    status=1
  else
    echo "ok: $obj"
  fi
done
exit $status

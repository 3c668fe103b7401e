#!/bin/sh
# Checks that the HLS kernel folder stands on its own in the synthesizable subset:
#  - every file compiles as strict C++14 without exceptions or RTTI, warnings as errors, with g++
#    and with clang++ when present, in the ordinary build and with __SYNTHESIS__ defined;
#  - the only outside header is <cstdint>;
#  - no heap, STL, exceptions, RTTI or virtual calls appear in the code.
# (The synthesis form is compiled with -Wno-unknown-pragmas and -Wno-unused-label: the pragmas and
# loop labels are for the HLS tool.)
# Usage: hls_kernels_check.sh HLS_DIR INSTANTIATE_CPP
set -eu
dir=$1
inst=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flags="-std=c++14 -fno-exceptions -fno-rtti -Wall -Wextra -Wpedantic -Werror"
status=0

compilers="g++"
command -v clang++ >/dev/null 2>&1 && compilers="$compilers clang++"
for cxx in $compilers; do
  for f in "$dir"/*.h "$dir"/*.cpp; do
    if ! $cxx $flags -fsyntax-only -x c++ "$f"; then echo "FAIL: $cxx cannot compile $f" >&2; status=1; fi
  done
  if ! $cxx $flags -O2 -I"$dir" "$inst" "$dir/compute_top.cpp" -o "$tmp/inst_$cxx"; then
    echo "FAIL: $cxx cannot build the kernel instantiations" >&2; status=1
  fi
  if ! $cxx $flags -Wno-unknown-pragmas -Wno-unused-label -D__SYNTHESIS__ -fsyntax-only -I"$dir" "$inst"; then
    echo "FAIL: $cxx cannot compile the synthesis form (__SYNTHESIS__)" >&2; status=1
  fi
  echo "ok: $cxx"
done

# Only <cstdint> and the folder's own headers may be included.
for f in "$dir"/*.h "$dir"/*.cpp; do
  grep -E '^[[:space:]]*#[[:space:]]*include' "$f" | while read -r line; do
    case "$line" in
      *"<cstdint>"*) ;;
      *\"*\"*)
        inc=$(echo "$line" | sed -E 's/.*"([^"]+)".*/\1/')
        if [ ! -f "$dir/$inc" ]; then echo "FAIL: $f includes $inc from outside the kernel folder" >&2; exit 1; fi ;;
      *) echo "FAIL: $f includes $line (only <cstdint> is allowed)" >&2; exit 1 ;;
    esac
  done || status=1
done

# Constructs HLS tools reject (comments stripped first).
if sed -e 's://.*$::' "$dir"/*.h "$dir"/*.cpp | grep -nE '\b(new|delete|malloc|free|throw|try|catch|virtual|typeid|dynamic_cast)\b|std::'; then
  echo "FAIL: construct outside the synthesizable subset (above)" >&2; status=1
fi
[ $status -eq 0 ] && echo "hls kernels: all checks passed"
exit $status

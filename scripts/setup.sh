#!/usr/bin/env bash
# Shared set-up for run.sh and test.sh: installs missing Debian packages (as root: apt-get update
# once, then apt-get install -y; otherwise prints the command and fails), then configures and builds.
# Idempotent: with everything present it makes no apt call and rebuilds only what changed.
set -euo pipefail

VTASIM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VTASIM_BUILD="${VTASIM_BUILD:-$VTASIM_ROOT/build}"

# Packages needed to build and run vtasim. test.sh adds the test-only ones.
VTASIM_PACKAGES=(g++ cmake make pkg-config git libsystemc-dev libboost-program-options-dev
  libboost-iostreams-dev libboost-filesystem-dev libboost-system-dev libgnuplot-iostream-dev gnuplot-nox
  nlohmann-json3-dev libdnnl-dev)

vtasim_missing_packages() {
  local missing=() p
  for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  echo "${missing[@]:-}"
}

vtasim_install() {
  local missing
  missing="$(vtasim_missing_packages "$@")"
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "vtasim: missing Debian packages; install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y $missing" >&2
    exit 1
  fi
  echo "vtasim: installing $missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq $missing >&2
}

# Configures (always: packages installed since the last run must be seen; quick when cached) and
# builds. Extra arguments go to the configure step.
vtasim_build() {
  mkdir -p "$VTASIM_BUILD"
  cmake -S "$VTASIM_ROOT" -B "$VTASIM_BUILD" -DCMAKE_BUILD_TYPE=Release "$@" > "$VTASIM_BUILD/configure.log" 2>&1 ||
    { cat "$VTASIM_BUILD/configure.log" >&2; exit 1; }
  cmake --build "$VTASIM_BUILD" -j "$(nproc)" >&2
}

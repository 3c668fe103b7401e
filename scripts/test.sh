#!/usr/bin/env bash
# Sets everything up on a fresh Debian 12 machine, builds, and runs the whole test suite (ctest).
# Extra arguments are passed to ctest (for example -R isa).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
VTASIM_TEST_PACKAGES=(catch2 clang parallel slurmctld slurmd slurm-client munge)
vtasim_install "${VTASIM_PACKAGES[@]}" "${VTASIM_TEST_PACKAGES[@]}"
vtasim_build -DVTASIM_BUILD_TESTS=ON -DVTASIM_REQUIRE_TESTS=ON
ctest --test-dir "$VTASIM_BUILD" --output-on-failure --no-tests=error -j "$(nproc)" "$@"

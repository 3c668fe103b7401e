#!/usr/bin/env bash
# Sets everything up on a fresh Debian 12 machine and runs vtasim's main job.
# Extra arguments are passed to vtasim.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
vtasim_install "${VTASIM_PACKAGES[@]}"
vtasim_build
cd "$VTASIM_ROOT"
"$VTASIM_BUILD/app/vtasim" config --config configs/vta_config.json "$@"

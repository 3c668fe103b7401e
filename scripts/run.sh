#!/usr/bin/env bash
# Sets everything up on a fresh Debian 12 machine and runs vtasim's main job, the default
# exploration: ResNet-18's convolution layers on the default Pynq configuration with one and two
# virtual threads, timed and checked bit for bit, results in results/. Extra arguments go to
# `vtasim run` (for example --layers C2,C6 or --set LOG_BLOCK=5).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
vtasim_install "${VTASIM_PACKAGES[@]}"
vtasim_build
cd "$VTASIM_ROOT"
"$VTASIM_BUILD/app/vtasim" run --config configs/vta_config.json --out results "$@"

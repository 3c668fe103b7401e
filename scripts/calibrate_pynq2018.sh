#!/usr/bin/env bash
# Reproduces the Pynq preset (configs/pynq2018.json): fits four timing parameters of the 2018 VTA on a
# Pynq-Z1 to the published per-layer throughput in workloads/measurements/pynq2018.csv, starting from
# the ideal memory system plus the facts of the 2018 HLS design (see configs/pynq2018.json for the
# reasons behind every value). Writes DIR (default calibration/): calibrated.json, calibration.md,
# calibration.csv and the figure. Usage: scripts/calibrate_pynq2018.sh [DIR]   (build first)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${VTASIM_BIN:-$root/build/app/vtasim}"
out="${1:-calibration}"
"$bin" calibrate --measurements "$root/workloads/measurements/pynq2018.csv" --out "$out" \
  --config "$root/configs/pynq_ideal.json" \
  --set dma.wgt_policy=row_serial --set dma.store_policy=row_serial --set dma.compute_policy=row_serial \
  --set dma.row_cycles=2 --set dma.pad_row_cycles=3 --set alu.imm_cycles=1 \
  --set cache.kib=512 --set cache.line=32 --set cache.ways=8 --set cache.hit_latency=20 \
  --params dram.latency=25:45,dram.gbps=0.3:0.8,alu.cycles=1:24,dma.inp_policy

# Vitis HLS script: synthesises the compute stage of the default VTA design (1 x 16 x 16 GEMM core,
# Pynq buffer sizes) from the same kernels vtasim simulates, for the Pynq part at 100 MHz.
#
# It cannot run on vtasim's development machines (no HLS compiler is installable there); the suite
# only checks that compute_top.cpp and every kernel header compile as strict C++14 without
# exceptions or RTTI (tests/hls_kernels_check.sh). Run it with:  vitis_hls -f vitis_hls.tcl
open_project -reset vtasim_compute
set_top vtasim::hls::vta_compute_top
add_files compute_top.cpp -cflags "-std=c++14"
add_files compute_top.h
add_files compute_kernel.h
add_files gemm_kernel.h
add_files alu_kernel.h
add_files dma_kernel.h
add_files hls_pragma.h
open_solution -reset "pynq_100mhz" -flow_target vivado
set_part {xc7z020clg484-1}
create_clock -period 10 -name default
csynth_design
exit

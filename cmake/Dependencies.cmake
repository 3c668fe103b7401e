# Third-party dependencies, all from Debian packages (see scripts/setup.sh).
find_package(PkgConfig REQUIRED)

# SystemC has no CMake package in Debian, only pkg-config. Wrap it in an alias so a later
# SystemC release with its own CMake config can replace this block without touching targets.
pkg_check_modules(SystemC REQUIRED IMPORTED_TARGET systemc)
add_library(vtasim_systemc INTERFACE)
target_link_libraries(vtasim_systemc INTERFACE PkgConfig::SystemC)
get_target_property(_sc_inc PkgConfig::SystemC INTERFACE_INCLUDE_DIRECTORIES)
if(_sc_inc)
  target_include_directories(vtasim_systemc SYSTEM INTERFACE ${_sc_inc})
else()
  target_include_directories(vtasim_systemc SYSTEM INTERFACE /usr/include)
endif()
# sc_spawn is used by the timed model; the define must be identical in every translation unit.
target_compile_definitions(vtasim_systemc INTERFACE SC_INCLUDE_DYNAMIC_PROCESSES)
add_library(SystemC::systemc ALIAS vtasim_systemc)

find_package(nlohmann_json 3 REQUIRED)
find_package(Boost 1.71 REQUIRED COMPONENTS program_options)
find_package(Threads REQUIRED)

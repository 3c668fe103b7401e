// Catch2 main for test executables that run the SystemC model: SystemC owns main() and calls
// sc_main. Each test case runs in its own process (catch_discover_tests), since SystemC elaborates
// once per process.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <systemc>

int sc_main(int argc, char** argv) { return Catch::Session().run(argc, argv); }

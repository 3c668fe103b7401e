// The automatic schedule search across the configuration range of the runtime issue: BLOCK 8-64,
// BATCH 1-4 and buffers from a quarter to four times the default sizes. Every ResNet-18 layer must get
// a valid schedule, or the configuration / search must say exactly why none exists.
#include <catch2/catch.hpp>

#include "runtime/conv_schedule.h"
#include "models/errors.h"

using namespace vtasim;

namespace {

void check_block(int log_block) {
  const auto layers = load_workload("resnet18_convs");
  int configs = 0, rejected = 0, layers_ok = 0, layers_explained = 0;
  for (int log_batch = 0; log_batch <= 2; ++log_batch) {
    for (int scale = -2; scale <= 2; ++scale) {  // buffers x 1/4 .. x 4
      std::vector<std::string> sets = {"LOG_BLOCK=" + std::to_string(log_block), "LOG_BATCH=" + std::to_string(log_batch),
                                       "LOG_UOP_BUFF_SIZE=" + std::to_string(15 + scale),
                                       "LOG_INP_BUFF_SIZE=" + std::to_string(15 + scale),
                                       "LOG_WGT_BUFF_SIZE=" + std::to_string(18 + scale),
                                       "LOG_ACC_BUFF_SIZE=" + std::to_string(17 + scale)};
      ++configs;
      std::unique_ptr<HwConfig> cfg;
      try {
        cfg = std::make_unique<HwConfig>(HwConfig::from_json_text("{}", "range", sets));
      } catch (const UserError& e) {
        // The configuration itself cannot exist: the reason names what no longer fits.
        const std::string msg = e.what();
        INFO(msg);
        CHECK((msg.find("no longer fits") != std::string::npos || msg.find("micro-op") != std::string::npos ||
               msg.find("16-bit sram_base") != std::string::npos));
        ++rejected;
        continue;
      }
      for (const auto& l : layers) {
        for (uint32_t t : {1u, 2u}) {
          INFO("BLOCK 2^" << log_block << " BATCH 2^" << log_batch << " buffers x2^" << scale << " " << l.name << " t" << t);
          try {
            const ConvSchedule s = auto_schedule(l, *cfg, t);
            ConvPlan p;
            std::string why;
            CHECK(plan_conv(l, *cfg, s, p, why));
            CHECK(s.threads() == t);
            ++layers_ok;
          } catch (const UserError& e) {
            const std::string msg = e.what();
            CHECK(msg.find("no schedule fits layer " + l.name) != std::string::npos);
            INFO(msg);
            CHECK((msg.find("needs") != std::string::npos || msg.find("same accumulator") != std::string::npos));
            ++layers_explained;
          }
        }
      }
    }
  }
  WARN("BLOCK " << (1 << log_block) << ": " << configs << " configurations, " << rejected
                << " not encodable; layer schedules found: " << layers_ok << ", explained failures: " << layers_explained);
  CHECK(layers_ok > 0);
}

}  // namespace

TEST_CASE("auto schedules across the configuration range with BLOCK 8", "[runtime][schedule][range]") { check_block(3); }
TEST_CASE("auto schedules across the configuration range with BLOCK 16", "[runtime][schedule][range]") { check_block(4); }
TEST_CASE("auto schedules across the configuration range with BLOCK 32", "[runtime][schedule][range]") { check_block(5); }
TEST_CASE("auto schedules across the configuration range with BLOCK 64", "[runtime][schedule][range]") { check_block(6); }

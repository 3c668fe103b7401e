// Schedule CSV, applied to a small layer. Property: a schedule that is accepted divides the layer.
#include "fuzz_common.h"
#include "models/errors.h"
#include "models/hw_config.h"
#include "runtime/conv_schedule.h"
#include "workloads/conv_layer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vtasim;
  static const HwConfig cfg = HwConfig::defaults();
  static const ConvLayer layer = parse_workload_csv("name,H,W,IC,OC,KH,KW,pad,stride,count\nT1,8,8,32,32,3,3,1,1,1\n",
                                                    "fuzz layer")
                                     .front();
  try {
    const ScheduleSource source = ScheduleSource::from_csv("fuzz.csv", fuzz::as_text(data, size));
    for (uint32_t threads : {1u, 2u}) {
      try {
        const ConvSchedule s = choose_schedule(layer, cfg, threads, source);
        if (s.describe().empty()) fuzz::property_failed();
      } catch (const UserError&) {
      }
    }
  } catch (const UserError&) {
  }
  return 0;
}

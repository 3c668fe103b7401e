// Workload CSV. Property: every layer that parses has a usable name and a shape whose output is at
// least one pixel, within the limits the parser documents.
#include "fuzz_common.h"
#include "models/errors.h"
#include "workloads/conv_layer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vtasim;
  try {
    for (const ConvLayer& l : parse_workload_csv(fuzz::as_text(data, size), "fuzz.csv")) {
      const ConvShape& s = l.shape;
      if (!layer_name_problem(l.name).empty()) fuzz::property_failed();
      if (s.h < 1 || s.w < 1 || s.ic < 1 || s.oc < 1 || s.kh < 1 || s.kw < 1 || s.stride < 1 || s.pad < 0) fuzz::property_failed();
      if (s.out_h() < 1 || s.out_w() < 1 || l.count < 0) fuzz::property_failed();
    }
  } catch (const UserError&) {
  }
  return 0;
}

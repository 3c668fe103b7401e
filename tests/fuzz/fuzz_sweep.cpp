// Sweep specification. Property: the points expanded (at most 16) are as many as count_points says,
// with distinct ids.
#include <set>

#include "fuzz_common.h"
#include "models/errors.h"
#include "sweeps/sweep_spec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vtasim;
  try {
    const SweepSpec spec = parse_sweep_spec(fuzz::as_text(data, size), "fuzz.json", "/nonexistent-fuzz-dir");
    const uint64_t n = count_points(spec);
    const auto points = expand_sweep(spec, 16);
    if (points.size() != n) fuzz::property_failed();
    std::set<std::string> ids;
    for (const auto& p : points) ids.insert(p.id);
    if (ids.size() != points.size()) fuzz::property_failed();
  } catch (const UserError&) {
  }
  return 0;
}

// Configuration loader (file text plus --set items after a NUL byte). Property: a configuration that
// loads writes back (to_config_json) into text that loads to the same configuration.
#include "fuzz_common.h"
#include "models/errors.h"
#include "models/hw_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vtasim;
  const auto [text, sets] = fuzz::split_extra(fuzz::as_text(data, size));
  try {
    const HwConfig cfg = HwConfig::from_json_text(text, "fuzz.json", sets);
    const std::string once = cfg.to_config_json();
    if (HwConfig::from_json_text(once, "written.json").to_config_json() != once) fuzz::property_failed();
  } catch (const UserError&) {
  }
  return 0;
}

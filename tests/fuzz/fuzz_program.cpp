// Program images: decode, then run on the functional engine. The first byte picks the instruction
// count (1..16), the next five bytes the base addresses (multiples of 4 KiB), the rest is the DRAM
// image with the instructions at address 0. Properties: every instruction that decodes encodes back
// to a word that decodes the same; a run ends normally or with a UserError, within bounds
// (AddressSanitizer) and within the small work limit set here.
#include "fuzz_common.h"
#include "models/errors.h"
#include "models/functional_engine.h"
#include "models/hw_config.h"
#include "models/program_image.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vtasim;
  static const HwConfig cfg =
      HwConfig::from_json_text("{}", "fuzz", {"sim.watchdog=2000000", "sim.max_seconds=5", "sim.max_memory_mb=64"});
  if (size < 6 || size > (1u << 16)) return 0;
  ProgramImage image;
  image.insn_count = 1 + data[0] % 16;
  uint64_t* bases[5] = {&image.bases.uop, &image.bases.inp, &image.bases.wgt, &image.bases.acc, &image.bases.out};
  for (int i = 0; i < 5; ++i) *bases[i] = uint64_t(data[1 + i]) << 12;
  image.dram.assign(data + 6, data + size);
  image.dram.resize(image.dram.size() + (1u << 16), 0);
  const Isa& isa = cfg.isa();
  for (uint32_t i = 0; i < image.insn_count && (i + 1) * kInsnBytes <= size - 6; ++i) {
    try {
      const Insn once = isa.decode(insn_word_from_bytes(&image.dram[i * kInsnBytes]));
      const InsnWord word = isa.encode(once);
      if (!(isa.encode(isa.decode(word)) == word)) fuzz::property_failed();
    } catch (const UserError&) {
    }
  }
  try {
    FunctionalEngine engine(cfg);
    engine.run(image);
  } catch (const UserError&) {
  }
  return 0;
}

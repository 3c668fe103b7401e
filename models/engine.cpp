// Engine kinds (see engine.h).
#include "models/engine.h"

#include "models/errors.h"

namespace vtasim {

const char* engine_kind_name(EngineKind k) {
  switch (k) {
    case EngineKind::Timed: return "timed";
    case EngineKind::Functional: return "functional";
    case EngineKind::Timing: return "timing";
  }
  return "?";
}

EngineKind parse_engine_kind(const std::string& text, const std::string& what) {
  for (EngineKind k : {EngineKind::Timed, EngineKind::Functional, EngineKind::Timing})
    if (text == engine_kind_name(k)) return k;
  throw UserError(what + " '" + text + "' is not an engine; use timed (SystemC/TLM, with data), functional "
                  "(untimed) or timing (timed, no data)");
}

}  // namespace vtasim

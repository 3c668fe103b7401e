// Shared by the libFuzzer harnesses: the input as text, and the one rule every harness checks besides
// its own property: bad input ends in a UserError, anything else escaping is a finding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace vtasim::fuzz {

inline std::string as_text(const uint8_t* data, size_t size) { return std::string(reinterpret_cast<const char*>(data), size); }

// Splits at the first NUL byte: what comes before, and the lines after (extra inputs such as --set items).
inline std::pair<std::string, std::vector<std::string>> split_extra(const std::string& text) {
  const size_t nul = text.find('\0');
  if (nul == std::string::npos) return {text, {}};
  std::vector<std::string> lines;
  size_t start = nul + 1;
  while (start <= text.size()) {
    const size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return {text.substr(0, nul), lines};
}

// A violated property: abort, so libFuzzer records the input.
[[noreturn]] inline void property_failed() { __builtin_trap(); }

}  // namespace vtasim::fuzz

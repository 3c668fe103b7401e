// The one way vtasim reads JSON it did not just write itself (configurations, sweep specifications,
// run requests, results files): a nesting-depth limit checked before parsing (deep documents would
// otherwise exhaust the stack of recursive consumers), and every JSON error, numbers out of range
// included, reported as a user error naming the input.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace vtasim {

constexpr int kMaxJsonDepth = 64;

// `what` names the input in messages ("configuration file 'x.json'"). Throws UserError.
nlohmann::ordered_json parse_json_input(const std::string& text, const std::string& what, int max_depth = kMaxJsonDepth);

// The one way vtasim writes JSON: text that came from users (a --set value, a path, a command line)
// need not be valid UTF-8, so invalid bytes become U+FFFD instead of an exception.
template <typename Json>
std::string dump_json(const Json& j, int indent = -1) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace vtasim

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

}  // namespace vtasim

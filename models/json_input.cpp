// JSON input (see json_input.h).
#include "models/json_input.h"

#include "models/errors.h"

namespace vtasim {

namespace {

// Deepest bracket nesting outside strings; stops counting once past the limit.
int nesting_depth(const std::string& text, int limit) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') {
      if (++depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return deepest;
}

}  // namespace

nlohmann::ordered_json parse_json_input(const std::string& text, const std::string& what, int max_depth) {
  if (nesting_depth(text, max_depth) > max_depth) {
    throw UserError(what + " nests objects or lists more than " + std::to_string(max_depth) +
                    " levels deep; vtasim's inputs need at most a few");
  }
  try {
    return nlohmann::ordered_json::parse(text);
  } catch (const nlohmann::json::out_of_range& e) {
    throw UserError(what + " holds a number out of range: " + e.what());
  } catch (const nlohmann::json::exception& e) {
    throw UserError(what + " is not valid JSON: " + e.what());
  }
}

}  // namespace vtasim

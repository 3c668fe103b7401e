// "Did you mean" for names people type: the closest known name by edit distance, case-insensitively,
// when it is close enough to be a likely typo.
#pragma once

#include <string>
#include <vector>

namespace vtasim {

// Levenshtein distance of the lower-cased texts.
size_t edit_distance(const std::string& a, const std::string& b);
// "; did you mean 'x'?" naming the closest of `known`, or "" when none is within a third of the
// name's length (at least 1, at most 3 edits).
std::string did_you_mean(const std::string& name, const std::vector<std::string>& known);

}  // namespace vtasim

// Closest-name suggestions (see suggest.h).
#include "models/suggest.h"

#include <algorithm>
#include <cctype>

namespace vtasim {

size_t edit_distance(const std::string& a, const std::string& b) {
  auto low = [](char c) { return char(std::tolower(static_cast<unsigned char>(c))); };
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t subst = prev[j - 1] + (low(a[i - 1]) == low(b[j - 1]) ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string did_you_mean(const std::string& name, const std::vector<std::string>& known) {
  if (name.size() > 200) return "";  // nobody mistypes a paragraph
  const size_t limit = std::min<size_t>(3, std::max<size_t>(1, name.size() / 3));
  const std::string* best = nullptr;
  size_t best_d = limit + 1;
  for (const auto& k : known) {
    const size_t d = edit_distance(name, k);
    if (d < best_d) {
      best_d = d;
      best = &k;
    }
  }
  return best ? "; did you mean '" + *best + "'?" : "";
}

}  // namespace vtasim

// Search cache (see search_cache.h).
#include "runtime/search_cache.h"

#include <sstream>

namespace vtasim {

std::string SearchCache::layer_key(const ConvLayer& l, const HwConfig& cfg) {
  std::ostringstream k;
  const ConvShape& s = l.shape;
  k << cfg.structural_key() << '|' << op_name(l.op) << ' ' << s.n << ' ' << s.h << ' ' << s.w << ' ' << s.ic << ' '
    << s.oc << ' ' << s.kh << ' ' << s.kw << ' ' << s.pad << ' ' << s.stride << ' ' << l.groups << ' '
    << l.epilogue.shift << ' ' << l.epilogue.relu;
  return k.str();
}

std::string SearchCache::schedule_key(const ConvSchedule& c) {
  std::ostringstream k;
  k << c.oc_factor << ',' << c.ko_factor << ',' << c.h_factor << ',' << c.w_factor << ',' << c.oc_nthread << ','
    << c.h_nthread << ',' << c.kh_factor << ',' << c.source;
  return k.str();
}

const std::vector<SearchCache::Sized>* SearchCache::sized(const std::string& key) const {
  const auto it = sized_.find(key);
  return it == sized_.end() ? nullptr : &it->second;
}

void SearchCache::put_sized(const std::string& key, std::vector<Sized> tilings) { sized_[key] = std::move(tilings); }

const SearchCache::Fit* SearchCache::full_fit(const std::string& key) const {
  const auto it = full_fit_.find(key);
  return it == full_fit_.end() ? nullptr : &it->second;
}

void SearchCache::put_full_fit(const std::string& key, Fit fit) { full_fit_[key] = std::move(fit); }

const CompiledLayer* SearchCache::program(const std::string& key) const {
  const auto it = programs_.find(key);
  return it == programs_.end() ? nullptr : &it->second;
}

void SearchCache::put_program(const std::string& key, const CompiledLayer& program) {
  if (programs_.size() < kMaxPrograms) programs_.emplace(key, program);
}

const std::vector<SearchCache::Choice>* SearchCache::search(const std::string& timing, const std::string& key) const {
  const auto t = searches_.find(timing);
  if (t == searches_.end()) return nullptr;
  const auto it = t->second.find(key);
  return it == t->second.end() ? nullptr : &it->second;
}

void SearchCache::put_search(const std::string& timing, const std::string& key, std::vector<Choice> choices) {
  if (search_count_ >= kMaxSearches) return;
  search_count_ += searches_[timing].emplace(key, std::move(choices)).second;
}

const std::vector<size_t>* SearchCache::last_winners(const std::string& key) const {
  const auto it = last_winners_.find(key);
  return it == last_winners_.end() ? nullptr : &it->second;
}

void SearchCache::put_last_winners(const std::string& key, std::vector<size_t> winners) {
  const auto it = last_winners_.find(key);
  if (it == last_winners_.end()) {
    if (last_winners_.size() < kMaxSearches) last_winners_.emplace(key, std::move(winners));
    return;
  }
  // The winners kept were this search's leads.
  for (size_t t = 0; t < winners.size() && t < it->second.size(); ++t) {
    ++leads_.led;
    leads_.lost += it->second[t] != winners[t];
  }
  it->second = std::move(winners);
}

}  // namespace vtasim

// The compile / run / verify loop (see run_layers.h).
#include "runtime/run_layers.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "models/data_order.h"
#include "models/timing/cycle_bound.h"
#include "runtime/layer_compiler.h"
#include "runtime/search_cache.h"

namespace vtasim {

std::string first_difference(const Int8Tensor& got, const Int8Tensor& want) {
  if (got.d0 != want.d0 || got.d1 != want.d1 || got.d2 != want.d2 || got.d3 != want.d3) {
    return "the output has a different shape than the reference";
  }
  if (got.data == want.data) return "";  // the common case, compared at memory speed
  for (int n = 0; n < want.d0; ++n)
    for (int c = 0; c < want.d1; ++c)
      for (int y = 0; y < want.d2; ++y)
        for (int x = 0; x < want.d3; ++x)
          if (got.at(n, c, y, x) != want.at(n, c, y, x)) {
            std::ostringstream os;
            os << "output (n=" << n << ", c=" << c << ", y=" << y << ", x=" << x << ") is " << int(got.at(n, c, y, x))
               << ", the reference says " << int(want.at(n, c, y, x));
            return os.str();
          }
  return "";
}

namespace {

using Choice = SearchCache::Choice;

// The fastest of each thread count's candidate schedules by simulated cycles (timing only, no data),
// the best estimate winning ties; the first candidate where there is one, or the engine has no time.
// Candidates are simulated in the order of their proven lower bounds (models/timing/cycle_bound.h);
// one whose bound cannot beat the best simulated so far (fewer cycles, or as few and an earlier
// candidate) is not simulated: the choice is the one simulating every candidate gives. `first`
// (optional, per thread count): a candidate to simulate before the others, without its bound (the
// winner of the layer's previous search in a sweep worker); `winners` receives each list's winner.
// `record`: each choice keeps the order in which its simulation moved data (Choice::order).
std::vector<Choice> choose_by_simulation(LayerCompiler& lc, Engine& engine, const HwConfig& cfg,
                                         const std::vector<std::vector<ConvSchedule>>& per_thread,
                                         const std::vector<size_t>* first = nullptr,
                                         std::vector<size_t>* winners = nullptr, bool record = false) {
  std::vector<Choice> out;
  bool have_data = false;
  DataOrder recording, kept;  // the run being simulated, the best one's
  for (size_t t = 0; t < per_thread.size(); ++t) {
    const auto& list = per_thread[t];
    Choice best{list.front(), 1, std::nullopt, nullptr};
    size_t best_index = 0;
    if (list.size() > 1 && engine_has_time(engine.kind())) {
      if (!have_data) lc.make_zero_data();
      have_data = true;
      best.simulated = uint32_t(list.size());
      const size_t lead = first && t < first->size() && (*first)[t] < list.size() ? (*first)[t] : list.size();
      const auto consider = [&](size_t index, const CompiledLayer& c) {
        std::optional<TimedStats> stats = engine.run_timing_only(c.image, c.decoded.get(), record ? &recording : nullptr);
        if (!best.stats || stats->cycles < best.stats->cycles || (stats->cycles == best.stats->cycles && index < best_index)) {
          best.schedule = list[index];
          best.stats = std::move(stats);
          best_index = index;
          std::swap(recording, kept);
        }
      };
      if (lead < list.size()) consider(lead, lc.compile(list[lead]));
      // Every other candidate compiled (a timing-only image is small) with its bound; then simulated
      // in the order of their bounds until no bound can beat the best (ties go to the earlier one).
      struct Candidate {
        size_t index;
        Cycles bound;
        CompiledLayer compiled;
      };
      std::vector<Candidate> cands;
      for (size_t i = 0; i < list.size(); ++i) {
        if (i == lead) continue;
        CompiledLayer c = lc.compile(list[i]);
        // Decoded once, for the bound and the simulation both.
        if (!c.decoded) c.decoded = std::make_shared<const std::vector<Insn>>(decode_program(c.image, cfg.isa()));
        const auto b = cycle_lower_bound(*c.decoded, c.image.bases, c.image.insn_addr, cfg, c.cold.get());
        cands.push_back({i, b ? b->value() : 0, std::move(c)});
      }
      std::stable_sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) { return a.bound < b.bound; });
      for (Candidate& c : cands) {
        const bool cannot_win = best.stats && (c.bound > best.stats->cycles || (c.bound == best.stats->cycles && c.index > best_index));
        if (!cannot_win) consider(c.index, c.compiled);
      }
      if (record && best.stats) best.order = std::make_shared<const DataOrder>(std::move(kept));
    }
    if (winners) winners->push_back(best_index);
    out.push_back(std::move(best));
  }
  return out;
}

// The data a timed run of `c` leaves, from the order its timing-only run recorded; false where the
// order does not fit the program (then the program runs with data).
bool replayed(CompiledLayer& c, const DataOrder& order, const HwConfig& cfg) {
  if (c.decoded) return replay_data_order(cfg, c.image, *c.decoded, order);
  return replay_data_order(cfg, c.image, decode_program(c.image, cfg.isa()), order);
}

// Everything a layer's programs (and so their timing) depend on within one run, besides the
// configuration: its operator, shape and epilogue and the candidate schedules; not its name, count
// or data. Layers with equal keys (a network's repeated blocks) share one schedule search.
std::string search_key(const ConvLayer& l, const std::vector<std::vector<ConvSchedule>>& per_thread) {
  std::ostringstream k;
  const ConvShape& s = l.shape;
  k << op_name(l.op) << ' ' << s.n << ' ' << s.h << ' ' << s.w << ' ' << s.ic << ' ' << s.oc << ' ' << s.kh << ' '
    << s.kw << ' ' << s.pad << ' ' << s.stride << ' ' << l.groups << ' ' << l.epilogue.shift << ' '
    << l.epilogue.relu;
  for (const auto& list : per_thread) {
    k << " |";
    for (const ConvSchedule& c : list)
      k << ' ' << c.oc_factor << ',' << c.ko_factor << ',' << c.h_factor << ',' << c.w_factor << ',' << c.oc_nthread
        << ',' << c.h_nthread << ',' << c.kh_factor << ',' << c.source;
  }
  return k.str();
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

// A warning for each batch that leaves GEMM rows idle: the core computes BATCH images at a time.
std::vector<std::string> batch_notes(const std::vector<ConvLayer>& layers, const HwConfig& cfg) {
  std::map<int, std::vector<std::string>> by_batch;  // images -> layers
  const int core = int(cfg.batch());
  for (const auto& l : layers) {
    if (l.shape.n % core != 0) by_batch[l.shape.n].push_back(l.name);
  }
  std::vector<std::string> notes;
  for (const auto& [n, names] : by_batch) {
    const int padded = (n + core - 1) / core * core;
    std::ostringstream os;
    os << "batch " << n << " on a BATCH-" << core << " core: " << int(std::lround(100.0 * (padded - n) / padded))
       << "% of the GEMM rows compute padding in "
       << (names.size() == layers.size() ? std::string("every layer") : "layers " + join_names(names))
       << " (run a batch that is a multiple of " << core << ": --batch " << core << ")";
    notes.push_back(os.str());
  }
  return notes;
}

}  // namespace

ConvSchedule searched_schedule(LayerCompiler& lc, Engine& engine, const HwConfig& cfg, uint32_t threads,
                               const ScheduleSource& source, size_t candidates) {
  return choose_by_simulation(lc, engine, cfg, {lc.schedule_candidates(threads, source, candidates)}).front().schedule;
}

std::string default_trace_layer(const RunRequest& request) {
  const auto layers = request.layers();
  const auto smallest =
      std::min_element(layers.begin(), layers.end(), [](const ConvLayer& a, const ConvLayer& b) { return a.macs() < b.macs(); });
  return smallest == layers.end() ? "" : smallest->name;
}

RunOutcome run_layers(const RunRequest& req, Engine& engine, const LayerDone& done, SearchCache* cache) {
  if (engine.kind() != req.engine) {
    throw std::logic_error(std::string("run_layers: the request asks for the ") + engine_kind_name(req.engine) +
                           " engine but was given the " + engine_kind_name(engine.kind()) + " engine");
  }
  req.validate();
  const HwConfig& cfg = req.config;
  const bool with_data = engine_moves_data(req.engine);
  const bool with_time = engine_has_time(req.engine);
  const auto layers = req.layers();

  std::vector<std::unique_ptr<LayerCompiler>> compilers;
  std::vector<std::vector<std::vector<ConvSchedule>>> candidates;  // per layer, per thread count
  for (const auto& l : layers) {
    compilers.push_back(make_layer_compiler(l, cfg, cache));
    candidates.emplace_back();
    for (uint32_t t : req.threads) {
      candidates.back().push_back(compilers.back()->schedule_candidates(t, req.schedule, req.candidates));
    }
  }

  RunOutcome out;
  out.notes = batch_notes(layers, cfg);
  std::map<std::string, std::vector<Choice>> searched;  // search_key -> the choice made for it
  // Across runs (a sweep worker's points), searches are kept under the cycle-level timing too.
  const bool keep_searches = cache && with_time;
  const std::string timing_key = keep_searches ? cfg.cycle_key() : "";
  // A timed run with data of a schedule the search simulated replays the order in which that simulation
  // moved data (models/data_order.h) instead of simulating again: the same memory, bit for bit.
  const bool replay = req.engine == EngineKind::Timed;
  for (size_t li = 0; li < layers.size(); ++li) {
    const ConvLayer& layer = layers[li];
    LayerCompiler& lc = *compilers[li];
    const std::string key = search_key(layer, candidates[li]);
    auto known = searched.find(key);
    if (known == searched.end()) {
      const std::vector<Choice>* kept = keep_searches ? cache->search(timing_key, key) : nullptr;
      if (kept) {
        known = searched.emplace(key, *kept).first;
      } else {
        std::vector<size_t> winners;
        const std::vector<size_t>* lead = keep_searches ? cache->last_winners(key) : nullptr;
        known = searched.emplace(key, choose_by_simulation(lc, engine, cfg, candidates[li], lead, &winners, replay)).first;
        if (keep_searches) {
          cache->put_search(timing_key, key, known->second);
          cache->put_last_winners(key, std::move(winners));
        }
      }
    }
    std::vector<Choice> chosen = known->second;
    // Runs that never look at values get no data and no reference.
    if (with_data) lc.make_data(req.seed);
    else lc.make_zero_data();
    for (size_t ti = 0; ti < req.threads.size(); ++ti) {
      const ConvSchedule& sched = chosen[ti].schedule;
      LayerResult r;
      r.layer = layer.name;
      r.threads = req.threads[ti];
      r.count = layer.count;
      r.images = uint32_t(layer.shape.n);
      r.op = op_name(layer.op);
      r.candidates = chosen[ti].simulated;
      r.schedule = sched.source + ": " + sched.describe();
      r.macs = lc.macs();
      r.ops = lc.ops();
      r.timed = with_time;
      const bool tracing = with_time && layer.name == req.trace_layer;
      CompiledLayer compiled;
      if (req.engine == EngineKind::Timing && !tracing && chosen[ti].stats) {
        r.timing = std::move(chosen[ti].stats);  // the search ran exactly this already
        r.access = r.timing->counters.access;
      } else {
        compiled = lc.compile(sched);
        if (replay && !tracing && chosen[ti].stats && chosen[ti].order && replayed(compiled, *chosen[ti].order, cfg)) {
          r.timing = std::move(chosen[ti].stats);
          r.access = r.timing->counters.access;
        } else {
          LayerTrace trace{layer.name, r.threads, {}};
          EngineRun run = engine.run(compiled.image, tracing ? &trace.trace : nullptr);
          if (tracing) out.traces.push_back(std::move(trace));
          r.timing = std::move(run.timing);
          r.access = run.counters.access;
          const uint64_t insn_bytes = uint64_t(compiled.image.insn_count) * kInsnBytes;
          if (!r.timing) {
            for (int k = 0; k < kByteKindCount; ++k) r.bytes[k] = run.counters.bytes(ByteKind(k), insn_bytes);
            for (auto b : r.bytes) r.dram_bytes += b;
          }
        }
      }
      r.derive(cfg);
      const std::string diff = with_data ? first_difference(lc.read_output(compiled), lc.reference()) : "";
      r.verified = !with_data ? "n/a" : diff.empty() ? "yes" : "no";
      if (!diff.empty() && out.mismatch.empty()) {
        out.mismatch = "layer " + layer.name + " (" + std::to_string(r.threads) + " thread(s)): " + diff;
      }
      if (done) done(r);
      out.rows.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace vtasim

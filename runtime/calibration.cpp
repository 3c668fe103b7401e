// Measurements, model predictions and the fitter (see calibration.h).
#include "runtime/calibration.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <limits>
#include <sstream>

#include "models/csv.h"
#include "models/errors.h"
#include "models/file_io.h"
#include "models/parse.h"
#include "runtime/run_layers.h"

namespace vtasim {

const char* metric_name(Metric m) {
  switch (m) {
    case Metric::Gops: return "gops";
    case Metric::Cycles: return "cycles";
    case Metric::TimeUs: return "time_us";
  }
  return "?";
}

std::vector<Measurement> parse_measurements(const std::string& text, const std::string& origin, const Workload& w) {
  const CsvTable t = CsvTable::parse(text, origin);
  t.allow_only({"layer", "threads", "schedule", "gops", "cycles", "time_us", "config"});
  t.require_columns({"layer", "threads", "schedule"});
  int metric_col = -1;
  Metric metric = Metric::Gops;
  for (Metric m : {Metric::Gops, Metric::Cycles, Metric::TimeUs}) {
    const int c = t.column(metric_name(m));
    if (c < 0) continue;
    if (metric_col >= 0) throw UserError(origin + ": give one of the columns gops, cycles or time_us, not several");
    metric_col = c;
    metric = m;
  }
  if (metric_col < 0) throw UserError(origin + ": the header lacks a measured column (gops, cycles or time_us)");
  const auto slash = origin.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "" : origin.substr(0, slash + 1);
  const int config_col = t.column("config");
  std::vector<Measurement> out;
  for (const CsvRow& row : t.rows()) {
    Measurement m;
    m.where = t.where(row);
    const size_t layer_col = size_t(t.column("layer"));
    m.layer = row.fields[layer_col];
    try {
      select_layers(w, {m.layer});
    } catch (const UserError& e) {
      throw UserError(t.where(row, layer_col) + ": " + e.what());
    }
    m.threads = uint32_t(t.integer(row, size_t(t.column("threads")), 1, 2));
    const size_t sched_col = size_t(t.column("schedule"));
    const std::string sched = row.fields[sched_col];
    try {
      const bool keyword = sched == "auto" || sched == "vta2018";
      m.schedule = ScheduleSource::parse(keyword || sched.empty() || sched[0] == '/' || !file_exists(dir + sched)
                                             ? sched
                                             : dir + sched);
    } catch (const UserError& e) {
      throw UserError(t.where(row, sched_col) + ": " + e.what());
    }
    m.metric = metric;
    m.value = t.real(row, size_t(metric_col), 0, 1e300);
    if (!(m.value > 0)) throw UserError(t.where(row, size_t(metric_col)) + ": a measurement must be positive");
    if (config_col >= 0 && !row.fields[size_t(config_col)].empty()) {
      std::stringstream ss(row.fields[size_t(config_col)]);
      std::string kv;
      while (std::getline(ss, kv, ';')) {
        if (kv.empty()) continue;
        try {
          ParamOverride o = parse_set_override(kv);
          o.where = t.where(row, size_t(config_col));
          m.config.push_back(o);
        } catch (const UserError& e) {
          throw UserError(t.where(row, size_t(config_col)) + ": " + e.what());
        }
      }
    }
    out.push_back(std::move(m));
  }
  if (out.empty()) throw UserError(origin + ": no measurements");
  return out;
}

std::vector<Measurement> load_measurements(const std::string& path, const Workload& w) {
  return parse_measurements(read_text_file(path, "measurement file"), path, w);
}

CalibrationModel::CalibrationModel(const Workload& workload, std::vector<Measurement> measurements, Engine& engine)
    : m_(std::move(measurements)), engine_(engine) {
  for (const auto& m : m_) {
    Row r;
    r.layer = select_layers(workload, {m.layer}).front();
    rows_.push_back(std::move(r));
  }
}

LayerResult CalibrationModel::simulate(size_t i, const HwConfig& base) {
  const Measurement& m = m_[i];
  Row& row = rows_[i];
  try {
    const HwConfig cfg = m.config.empty() ? base : HwConfig::from_json_overrides(base.to_config_json(), base.origin(), m.config);
    engine_.retime(cfg);
    if (!row.compiler) {
      row.compiler = make_layer_compiler(row.layer, cfg);
      row.compiler->make_zero_data();
    }
    // The automatic search depends on timing parameters, so the schedule is chosen under this
    // configuration, as `vtasim run` chooses it; programs are compiled once per schedule.
    const ConvSchedule sched = searched_schedule(*make_layer_compiler(row.layer, cfg), engine_, cfg, m.threads, m.schedule,
                                                 RunRequest().candidates);
    const std::string key = sched.describe();
    auto it = row.programs.find(key);
    if (it == row.programs.end()) it = row.programs.emplace(key, row.compiler->compile(sched).image).first;
    const EngineRun run = engine_.run(it->second);
    ++simulations_;
    LayerResult r;
    r.layer = row.layer.name;
    r.threads = m.threads;
    r.ops = 2 * row.compiler->macs();
    r.timed = true;
    r.timing = run.timing;
    r.derive(cfg);
    return r;
  } catch (const UserError& e) {
    throw UserError(m.where + " (layer " + m.layer + ", " + std::to_string(m.threads) + " thread(s)): " + e.what());
  }
}

std::vector<double> CalibrationModel::predict(const HwConfig& cfg) {
  std::vector<double> out;
  for (size_t i = 0; i < m_.size(); ++i) {
    const LayerResult r = simulate(i, cfg);
    out.push_back(m_[i].metric == Metric::Gops ? r.gops : m_[i].metric == Metric::Cycles ? double(r.cycles) : r.time_us);
  }
  return out;
}

std::vector<double> CalibrationModel::predicted_gops(const HwConfig& cfg) {
  std::vector<double> out;
  for (size_t i = 0; i < m_.size(); ++i) {
    const LayerResult r = simulate(i, cfg);
    // Cycles measure the device alone; the other metrics the layer's whole time.
    out.push_back(m_[i].metric == Metric::Cycles ? r.device_gops : r.gops);
  }
  return out;
}

std::vector<double> CalibrationModel::measured_gops() const {
  std::vector<double> out;
  for (size_t i = 0; i < m_.size(); ++i) {
    const Measurement& m = m_[i];
    const double ops = 2.0 * double(rows_[i].layer.macs());
    switch (m.metric) {
      case Metric::Gops: out.push_back(m.value); break;
      case Metric::TimeUs: out.push_back(ops / (m.value * 1e3)); break;
      case Metric::Cycles: {
        // Cycles become throughput at the row's clock.
        const HwConfig cfg = HwConfig::from_json_overrides("{}", "<defaults>", m.config);
        out.push_back(ops / (m.value / cfg.params().clock_mhz * 1e3));
        break;
      }
    }
  }
  return out;
}

AttachOutcome attach_measurements(std::vector<LayerResult>& rows, const std::vector<Measurement>& m, const HwConfig& cfg,
                                  const ScheduleSource& schedule) {
  AttachOutcome out;
  for (auto& r : rows) {
    for (const auto& x : m) {
      if (x.layer != r.layer || x.threads != r.threads) continue;
      if (x.schedule.kind != schedule.kind || x.schedule.text != schedule.text) {
        ++out.other_schedule;
        continue;
      }
      if (!x.config.empty()) {
        ++out.own_settings;
        continue;
      }
      const double ops = double(r.ops);
      r.measured_gops = x.metric == Metric::Gops     ? x.value
                        : x.metric == Metric::TimeUs ? ops / (x.value * 1e3)
                                                     : ops / (x.value / cfg.params().clock_mhz * 1e3);
      ++out.attached;
    }
  }
  return out;
}

std::vector<double> relative_errors(const std::vector<double>& model, const std::vector<double>& measured) {
  std::vector<double> e;
  for (size_t i = 0; i < model.size(); ++i) e.push_back(std::fabs(model[i] / measured[i] - 1.0));
  return e;
}

std::vector<FitParameter> parse_fit_parameters(const std::string& text) {
  std::vector<FitParameter> out;
  for (const auto& item : parse_name_list(text)) {
    const auto eq = item.find('=');
    const std::string name = item.substr(0, eq);
    FitParameter f;
    f.def = find_param(name);
    if (!f.def) throw UserError("--params: '" + name + "' is not a parameter (see vtasim config)");
    const bool vta_key = std::isupper(static_cast<unsigned char>(name[0]));
    if (vta_key || name.rfind("queue.", 0) == 0) {
      throw UserError("--params: " + name + " shapes the hardware, not its timing; sweep it instead of fitting it");
    }
    for (const auto& other : out)
      if (other.def == f.def) throw UserError("--params: " + name + " is listed twice");
    if (f.def->kind == ParamKind::Text) {
      if (!f.def->choices) throw UserError("--params: " + name + " has no fixed set of values to choose from");
      if (eq != std::string::npos) throw UserError("--params: " + name + " takes no range (its values are its choices)");
      f.choices = parse_name_list(f.def->choices);
      out.push_back(f);
      continue;
    }
    f.lo = f.def->min;
    f.hi = f.def->max;
    if (eq != std::string::npos) {
      const std::string range = item.substr(eq + 1);
      const auto colon = range.find(':');
      const auto lo = colon == std::string::npos ? std::nullopt : parse_real(range.substr(0, colon));
      const auto hi = colon == std::string::npos ? std::nullopt : parse_real(range.substr(colon + 1));
      if (!lo || !hi || *lo >= *hi) {
        throw UserError("--params: '" + item + "' must give the range as " + name + "=LO:HI with LO < HI");
      }
      if (*lo < f.def->min || *hi > f.def->max) {
        throw UserError("--params: the range " + range + " of " + name + " leaves its limits " +
                        format_number(f.def->min) + ".." + format_number(f.def->max));
      }
      f.lo = *lo;
      f.hi = *hi;
    }
    f.log_scale = f.lo >= 0 && f.hi > 100 * (f.lo + 1);
    out.push_back(f);
  }
  if (out.empty()) throw UserError("--params: name at least one parameter to fit");
  return out;
}

namespace {

using Clock = std::chrono::steady_clock;

double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? 0 : s / double(v.size());
}

double maximum(const std::vector<double>& v) { return v.empty() ? 0 : *std::max_element(v.begin(), v.end()); }

// A point of the search: for a numeric parameter its value, for a text parameter its choice index.
using Point = std::vector<double>;

class Fitter {
 public:
  Fitter(const HwConfig& base, const std::vector<FitParameter>& params, CalibrationModel& model)
      : base_(base), p_(params), model_(model), measured_(model.measured_gops()) {}

  // The starting point: the base configuration's values, inside the searched ranges.
  Point start() const {
    Point x;
    for (const auto& f : p_) {
      const HwParams& hp = base_.params();
      if (f.def->kind == ParamKind::Text) {
        const std::string v = hp.*f.def->text_member;
        x.push_back(double(std::find(f.choices.begin(), f.choices.end(), v) - f.choices.begin()));
        if (x.back() >= double(f.choices.size())) x.back() = 0;
      } else {
        const double v = f.def->kind == ParamKind::Int ? double(hp.*f.def->int_member) : hp.*f.def->real_member;
        x.push_back(std::clamp(v, f.lo, f.hi));
      }
    }
    return x;
  }

  HwConfig config(const Point& x) const {
    std::vector<ParamOverride> o;
    for (size_t i = 0; i < p_.size(); ++i) o.push_back({p_[i].def->name, json_value(i, x[i]), "calibration"});
    return HwConfig::from_json_overrides(base_.to_config_json(), base_.origin(), o);
  }

  std::string text(size_t i, double v) const {
    if (p_[i].def->kind == ParamKind::Text) return p_[i].choices[size_t(v)];
    return format_number(v);
  }

  // Throughput predicted for every measurement at x (memoised).
  const std::vector<double>& predictions(const Point& x) {
    auto it = memo_.find(x);
    if (it == memo_.end()) {
      ++evaluations_;
      it = memo_.emplace(x, model_.predicted_gops(config(x))).first;
    }
    return it->second;
  }

  // Mean relative error of throughput over the rows `use` marks (all when empty).
  double objective(const Point& x, const std::vector<bool>& use) {
    const auto err = relative_errors(predictions(x), measured_);
    double s = 0;
    size_t n = 0;
    for (size_t k = 0; k < err.size(); ++k) {
      if (!use.empty() && !use[k]) continue;
      s += err[k];
      ++n;
    }
    return n ? s / double(n) : 0.0;
  }

  // Bounded coordinate pattern search from x over the parameters `active` marks.
  Point search(Point x, const std::vector<bool>& active, const std::vector<bool>& use, double first_step,
               uint64_t max_evals) {
    double f = objective(x, use);
    std::vector<double> step(p_.size(), first_step);
    const uint64_t limit = evaluations_ + max_evals;
    while (evaluations_ < limit) {
      bool improved = false;
      for (size_t i = 0; i < p_.size() && evaluations_ < limit; ++i) {
        if (!active[i]) continue;
        for (const double candidate : neighbours(i, x[i], step[i])) {
          Point y = x;
          y[i] = candidate;
          const double g = objective(y, use);
          if (g < f - 1e-12) {
            x = y;
            f = g;
            improved = true;
            break;
          }
        }
      }
      if (improved) continue;
      bool all_small = true;
      for (size_t i = 0; i < p_.size(); ++i) {
        if (!active[i] || p_[i].def->kind == ParamKind::Text) continue;
        if (step[i] > 1e-4) all_small = false;
        step[i] /= 2;
      }
      if (all_small) break;
    }
    return x;
  }

  // The mean error at `points` values spread over parameter i's range, the others at x.
  std::vector<std::pair<double, double>> profile(const Point& x, size_t i, int points) {
    std::vector<std::pair<double, double>> out;
    std::vector<double> values;
    if (p_[i].def->kind == ParamKind::Text) {
      for (size_t c = 0; c < p_[i].choices.size(); ++c) values.push_back(double(c));
    } else {
      for (int k = 0; k < points; ++k) values.push_back(from_u(i, double(k) / double(points - 1)));
      values.push_back(x[i]);
    }
    for (double v : values) {
      Point y = x;
      y[i] = v;
      out.emplace_back(v, objective(y, {}));
    }
    return out;
  }

  // Points of a coarse grid over the active parameters (three levels of each numeric range, every
  // choice of a text one), the others at x: starting points that keep the search out of the local
  // minima a single start can fall into.
  std::vector<Point> grid(const Point& x, const std::vector<bool>& active) const {
    std::vector<Point> points = {x};
    for (size_t i = 0; i < p_.size(); ++i) {
      if (!active[i]) continue;
      std::vector<double> levels;
      if (p_[i].def->kind == ParamKind::Text) {
        for (size_t c = 0; c < p_[i].choices.size(); ++c) levels.push_back(double(c));
      } else {
        for (double u : {1.0 / 6, 0.5, 5.0 / 6}) levels.push_back(from_u(i, u));
      }
      std::vector<Point> next;
      for (const Point& q : points)
        for (double v : levels) {
          Point y = q;
          y[i] = v;
          next.push_back(y);
        }
      points = std::move(next);
    }
    return points;
  }

  uint64_t evaluations() const { return evaluations_; }
  const std::vector<double>& measured() const { return measured_; }

 private:
  std::string json_value(size_t i, double v) const {
    const ParamDef& d = *p_[i].def;
    if (d.kind == ParamKind::Text) return "\"" + p_[i].choices[size_t(v)] + "\"";
    if (d.kind == ParamKind::Int) return std::to_string(int64_t(std::llround(v)));
    std::ostringstream os;
    os.precision(17);
    os << v;
    return os.str();
  }

  double to_u(size_t i, double v) const {
    const FitParameter& f = p_[i];
    return f.log_scale ? std::log1p(v - f.lo) / std::log1p(f.hi - f.lo) : (v - f.lo) / (f.hi - f.lo);
  }

  double from_u(size_t i, double u) const {
    const FitParameter& f = p_[i];
    u = std::clamp(u, 0.0, 1.0);
    double v = f.log_scale ? f.lo + std::expm1(u * std::log1p(f.hi - f.lo)) : f.lo + u * (f.hi - f.lo);
    if (p_[i].def->kind == ParamKind::Int) v = std::round(v);
    return std::clamp(v, f.lo, f.hi);
  }

  // Values to try next for parameter i: up and down by the step (at least one unit for integers), or
  // every other choice.
  std::vector<double> neighbours(size_t i, double v, double step) const {
    std::vector<double> out;
    if (p_[i].def->kind == ParamKind::Text) {
      for (size_t c = 0; c < p_[i].choices.size(); ++c)
        if (double(c) != v) out.push_back(double(c));
      return out;
    }
    for (double dir : {1.0, -1.0}) {
      double w = from_u(i, to_u(i, v) + dir * step);
      if (p_[i].def->kind == ParamKind::Int && w == v) w = std::clamp(v + dir, p_[i].lo, p_[i].hi);
      if (w != v) out.push_back(w);
    }
    return out;
  }

  HwConfig base_;
  std::vector<FitParameter> p_;
  CalibrationModel& model_;
  std::vector<double> measured_;
  std::map<Point, std::vector<double>> memo_;
  uint64_t evaluations_ = 0;
};

// A profile's spread (max - min of the error) and the values within half a point of its best.
std::pair<double, std::string> summarise_profile(const std::vector<std::pair<double, double>>& prof,
                                                 const std::function<std::string(double)>& text) {
  double lo = 1e300, hi = -1e300;
  for (const auto& [v, e] : prof) {
    lo = std::min(lo, e);
    hi = std::max(hi, e);
  }
  std::vector<double> good;
  for (const auto& [v, e] : prof)
    if (e <= lo + 0.005) good.push_back(v);
  std::sort(good.begin(), good.end());
  good.erase(std::unique(good.begin(), good.end()), good.end());
  std::string within;
  if (!good.empty()) within = good.size() == 1 ? text(good.front()) : text(good.front()) + " .. " + text(good.back());
  return {hi - lo, within};
}

}  // namespace

CalibrationOutcome calibrate(const HwConfig& base, const std::vector<FitParameter>& params, CalibrationModel& model,
                             const CalibrationProgress& progress) {
  const auto t0 = Clock::now();
  auto say = [&](const std::string& s) {
    if (progress) progress(s);
  };
  Fitter fit(base, params, model);
  CalibrationOutcome out;
  out.before = base;
  out.measured = fit.measured();
  const Point x0 = fit.start();
  out.model_before = fit.predictions(x0);

  // Which parameters the measurements depend on at all: a parameter whose whole range moves the mean
  // error by less than 0.2 percentage points cannot be identified and is kept at its starting value.
  std::vector<bool> active(params.size(), true);
  for (size_t i = 0; i < params.size(); ++i) {
    ParameterReport rep;
    rep.name = params[i].def->name;
    rep.unit = params[i].def->unit;
    rep.before = fit.text(i, x0[i]);
    rep.spread = summarise_profile(fit.profile(x0, i, 7), [&](double v) { return fit.text(i, v); }).first;
    if (rep.spread < 0.002) {
      active[i] = false;
      rep.identifiable = false;
      say("calibrate: " + rep.name + " cannot be identified from these measurements (the error moves " +
          format_number(std::round(rep.spread * 1e4) / 100) + " points over its range); kept at " + rep.before);
    }
    out.parameters.push_back(rep);
  }

  say("calibrate: fitting " + std::to_string(std::count(active.begin(), active.end(), true)) + " parameter(s) to " +
      std::to_string(out.measured.size()) + " measurements");
  const auto t_fit = Clock::now();
  // Multi-start: the starting point and the three best points of a coarse grid, each refined by the
  // pattern search; the best result wins (ties: the earlier start).
  std::vector<std::pair<double, Point>> starts = {{fit.objective(x0, {}), x0}};
  std::vector<std::pair<double, Point>> scored;
  for (const Point& g : fit.grid(x0, active)) scored.emplace_back(fit.objective(g, {}), g);
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (size_t k = 0; k < scored.size() && k < 3; ++k) starts.push_back(scored[k]);
  Point best = x0;
  double best_f = 1e300;
  for (const auto& [f0, start] : starts) {
    const Point y = fit.search(start, active, {}, 0.25, 2000);
    const double f = fit.objective(y, {});
    if (f < best_f - 1e-12) {
      best = y;
      best_f = f;
    }
  }
  out.fit_seconds = std::chrono::duration<double>(Clock::now() - t_fit).count();
  out.after = fit.config(best);
  out.model_after = fit.predictions(best);
  for (size_t i = 0; i < params.size(); ++i) {
    ParameterReport& rep = out.parameters[i];
    rep.after = fit.text(i, best[i]);
    if (!rep.identifiable) continue;
    rep.range_within = summarise_profile(fit.profile(best, i, 9), [&](double v) { return fit.text(i, v); }).second;
  }
  say("calibrate: mean error " + format_number(std::round(mean(relative_errors(out.model_before, out.measured)) * 1000) / 10) +
      "% -> " + format_number(std::round(mean(relative_errors(out.model_after, out.measured)) * 1000) / 10) + "%");

  // Leave-one-out: refit without each measurement (from the full fit), then predict it.
  out.loo_prediction.resize(out.measured.size());
  for (size_t k = 0; k < out.measured.size(); ++k) {
    std::vector<bool> use(out.measured.size(), true);
    use[k] = false;
    const Point xk = fit.search(best, active, use, 0.03, 300);
    out.loo_prediction[k] = fit.predictions(xk)[k];
    say("calibrate: leave-one-out " + std::to_string(k + 1) + "/" + std::to_string(out.measured.size()));
  }

  const auto eb = relative_errors(out.model_before, out.measured), ea = relative_errors(out.model_after, out.measured),
             el = relative_errors(out.loo_prediction, out.measured);
  out.mean_before = mean(eb);
  out.max_before = maximum(eb);
  out.mean_after = mean(ea);
  out.max_after = maximum(ea);
  out.loo_mean = mean(el);
  out.loo_max = maximum(el);
  out.evaluations = fit.evaluations();
  out.simulations = model.simulations();
  out.total_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return out;
}

}  // namespace vtasim

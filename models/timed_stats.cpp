// Names and serialisation of the timed model's statistics.
#include "timed_stats.h"

#include <nlohmann/json.hpp>

namespace vtasim {

const char* module_name(Module m) {
  switch (m) {
    case Module::Fetch: return "fetch";
    case Module::Load: return "load";
    case Module::Compute: return "compute";
    case Module::Store: return "store";
  }
  return "?";
}

const char* activity_name(Activity a) {
  switch (a) {
    case Activity::Busy: return "busy";
    case Activity::WaitMemory: return "wait_memory";
    case Activity::WaitCmd: return "wait_cmd";
    case Activity::Idle: return "idle";
    case Activity::WaitTokenLoadToCompute: return "wait_token.load_to_compute";
    case Activity::WaitTokenComputeToLoad: return "wait_token.compute_to_load";
    case Activity::WaitTokenComputeToStore: return "wait_token.compute_to_store";
    case Activity::WaitTokenStoreToCompute: return "wait_token.store_to_compute";
    case Activity::FullTokenLoadToCompute: return "full_token.load_to_compute";
    case Activity::FullTokenComputeToLoad: return "full_token.compute_to_load";
    case Activity::FullTokenComputeToStore: return "full_token.compute_to_store";
    case Activity::FullTokenStoreToCompute: return "full_token.store_to_compute";
    case Activity::FullCmdLoad: return "full_cmd.load";
    case Activity::FullCmdCompute: return "full_cmd.compute";
    case Activity::FullCmdStore: return "full_cmd.store";
  }
  return "?";
}

const std::vector<Activity>& module_activities(Module m) {
  using A = Activity;
  static const std::vector<Activity> fetch = {A::Busy, A::WaitMemory, A::FullCmdLoad, A::FullCmdCompute,
                                              A::FullCmdStore, A::Idle};
  static const std::vector<Activity> load = {A::Busy, A::WaitMemory, A::WaitCmd, A::WaitTokenComputeToLoad,
                                             A::FullTokenLoadToCompute};
  static const std::vector<Activity> compute = {A::Busy,
                                                A::WaitMemory,
                                                A::WaitCmd,
                                                A::WaitTokenLoadToCompute,
                                                A::WaitTokenStoreToCompute,
                                                A::FullTokenComputeToLoad,
                                                A::FullTokenComputeToStore};
  static const std::vector<Activity> store = {A::Busy, A::WaitMemory, A::WaitCmd, A::WaitTokenComputeToStore,
                                              A::FullTokenStoreToCompute};
  switch (m) {
    case Module::Fetch: return fetch;
    case Module::Load: return load;
    case Module::Compute: return compute;
    case Module::Store: break;
  }
  return store;
}

const char* byte_kind_name(ByteKind k) {
  switch (k) {
    case ByteKind::Insn: return "insn";
    case ByteKind::Uop: return "uop";
    case ByteKind::Inp: return "inp";
    case ByteKind::Wgt: return "wgt";
    case ByteKind::Acc: return "acc";
    case ByteKind::Out: return "out";
  }
  return "?";
}

uint64_t TimedStats::total_bytes() const {
  uint64_t t = 0;
  for (auto b : bytes) t += b;
  return t;
}

std::vector<std::pair<std::string, double>> TimedStats::flat(double clock_mhz) const {
  std::vector<std::pair<std::string, double>> out;
  out.emplace_back("cycles", double(cycles));
  out.emplace_back("finish_cycle", double(finish_cycle));
  out.emplace_back("time_us", double(cycles) / clock_mhz);
  for (int m = 0; m < kModuleCount; ++m) {
    const std::string prefix = std::string(module_name(Module(m))) + ".";
    out.emplace_back(prefix + "instructions", double(modules[m].instructions));
    for (Activity a : module_activities(Module(m))) out.emplace_back(prefix + activity_name(a), double(modules[m].activity[int(a)]));
  }
  out.emplace_back("port.busy", double(port_busy_cycles));
  out.emplace_back("port.bursts", double(bursts));
  out.emplace_back("port.gbps", cycles ? double(total_bytes()) / double(cycles) * clock_mhz / 1000.0 : 0.0);
  for (int k = 0; k < kByteKindCount; ++k) out.emplace_back(std::string("bytes.") + byte_kind_name(ByteKind(k)), double(bytes[k]));
  out.emplace_back("bytes.total", double(total_bytes()));
  for (const auto& [name, value] : counters.vta_named()) out.emplace_back(name, double(value));
  return out;
}

std::string TimedStats::to_json(double clock_mhz) const {
  nlohmann::ordered_json j;
  for (const auto& [name, value] : flat(clock_mhz)) {
    if (value == double(uint64_t(value))) j[name] = uint64_t(value);
    else j[name] = value;
  }
  return j.dump(2);
}

}  // namespace vtasim

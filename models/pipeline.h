// The pipeline's topology as data: the modules, the command queues fetch fills, the dependency-token
// queues between neighbouring stages, which module executes which instruction, and what a module can
// be doing at any moment (its activities, parameterised by the queue involved). Both engines, the
// statistics and the error messages derive from these tables, so a new stage or queue is added here.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/isa.h"

namespace vtasim {

// Instruction-executing modules, in pipeline order; each has one command queue fed by fetch.
enum class Stage : uint8_t { Load = 0, Compute = 1, Store = 2 };
constexpr int kStageCount = 3;
constexpr std::array<Stage, kStageCount> kStages = {Stage::Load, Stage::Compute, Stage::Store};
const char* stage_name(Stage s);

// Every module of the timed model: fetch plus the stages.
enum class Module : uint8_t { Fetch = 0, Load = 1, Compute = 2, Store = 3 };
constexpr int kModuleCount = 4;
constexpr std::array<Module, kModuleCount> kModules = {Module::Fetch, Module::Load, Module::Compute, Module::Store};
const char* module_name(Module m);
Module module_of(Stage s);

// The one-bit dependency-token queues, each from one stage to a neighbouring one.
enum class TokenQueue : uint8_t { LoadToCompute = 0, ComputeToLoad = 1, ComputeToStore = 2, StoreToCompute = 3 };
constexpr int kTokenQueueCount = 4;
struct TokenQueueInfo {
  TokenQueue queue;
  Stage from;
  Stage to;
  const char* arrow;  // "load->compute", for messages
  const char* id;     // "load_to_compute", for statistic names
};
const std::array<TokenQueueInfo, kTokenQueueCount>& token_queues();
const TokenQueueInfo& token_queue_info(TokenQueue q);
const char* token_queue_name(TokenQueue q);  // the arrow form

// The queue a dependency flag of an instruction executed by `stage` pops from or pushes to. A stage's
// "prev" neighbour comes before it in pipeline order, "next" after it; a flag toward a neighbour that
// does not exist names no queue. (Inline: the modules and the cycle bound ask for every instruction;
// tests/test_pipeline.cpp checks them against token_queues().)
inline std::optional<TokenQueue> pop_queue(Stage stage, bool prev) {
  switch (stage) {
    case Stage::Load: return prev ? std::nullopt : std::optional<TokenQueue>(TokenQueue::ComputeToLoad);
    case Stage::Compute: return prev ? TokenQueue::LoadToCompute : TokenQueue::StoreToCompute;
    case Stage::Store: return prev ? std::optional<TokenQueue>(TokenQueue::ComputeToStore) : std::nullopt;
  }
  return std::nullopt;
}
// A stage pushes toward a neighbour into the queue that neighbour pops from the other side.
inline std::optional<TokenQueue> push_queue(Stage stage, bool prev) {
  const int n = int(stage) + (prev ? -1 : 1);
  return n < 0 || n >= kStageCount ? std::nullopt : pop_queue(Stage(n), !prev);
}

// Text that names an instruction in error messages: "instruction 7 (GEMM uop=0:4 ...)".
std::string insn_ref(const Insn& insn, size_t index);

// Which module executes an instruction (fetch's routing). Throws UserError for combinations no
// module executes (LOAD of OUT, STORE of anything but OUT). (Inline for the valid cases: fetch, the
// cycle bound and the compiler ask once per instruction.)
Stage stage_of_checked(const Insn& insn, size_t index);
inline Stage stage_of(const Insn& insn, size_t index) {
  if (insn.opcode == Opcode::Gemm || insn.opcode == Opcode::Alu || insn.opcode == Opcode::Finish) return Stage::Compute;
  if (insn.opcode == Opcode::Store && insn.memory_type == MemType::Out) return Stage::Store;
  if (insn.opcode == Opcode::Load && (insn.memory_type == MemType::Inp || insn.memory_type == MemType::Wgt)) return Stage::Load;
  return stage_of_checked(insn, index);
}
// Throws UserError for a dependency flag toward a neighbour the executing stage does not have.
void check_flags(const Insn& insn, Stage stage, size_t index);

// What a module spends a cycle on; exactly one at any time, so a module's activities add up to the
// program's cycles. WaitToken / FullToken carry the token queue, FullCmd the stage whose command
// queue is full.
enum class ActivityKind : uint8_t {
  Busy,        // doing its own work (beats it moves, GEMM/ALU cycles, padding, dispatch)
  WaitMemory,  // waiting for the memory port / DRAM (latency, contention, bandwidth)
  WaitCmd,     // its command queue is empty
  Idle,        // fetch only: the whole program has been fetched
  WaitToken,   // waiting to pop a token
  FullToken,   // waiting for room to push a token
  FullCmd,     // fetch only: a command queue is full
};
struct Activity {
  ActivityKind kind = ActivityKind::Busy;
  uint8_t queue = 0;  // TokenQueue for WaitToken/FullToken, Stage for FullCmd

  static Activity busy() { return {ActivityKind::Busy, 0}; }
  static Activity wait_memory() { return {ActivityKind::WaitMemory, 0}; }
  static Activity wait_cmd() { return {ActivityKind::WaitCmd, 0}; }
  static Activity idle() { return {ActivityKind::Idle, 0}; }
  static Activity wait_token(TokenQueue q) { return {ActivityKind::WaitToken, uint8_t(q)}; }
  static Activity full_token(TokenQueue q) { return {ActivityKind::FullToken, uint8_t(q)}; }
  static Activity full_cmd(Stage s) { return {ActivityKind::FullCmd, uint8_t(s)}; }

  // Dense index for per-activity arrays, 0 <= index() < kActivityCount.
  int index() const;
  // Stable name used in statistics: "busy", "wait_token.load_to_compute", "full_cmd.store".
  std::string name() const;
  bool operator==(const Activity& o) const { return kind == o.kind && queue == o.queue; }
};
constexpr int kActivityCount = 4 + 2 * kTokenQueueCount + kStageCount;
Activity activity_at(int index);
// The activities a module can have, in a fixed order (so CSV columns are stable): its own work and
// memory waits, then a wait per queue it pops and a full per queue it pushes.
const std::vector<Activity>& module_activities(Module m);

// "load waits for a token on the compute->load queue at instruction 3 (...)": how a blocked module is
// described in deadlock reports, the same for every engine.
std::string blocked_message(Module m, Activity a, const std::string& where);
// "deadlock: no module can proceed and FINISH has not run; <blocked>; <blocked>".
std::string deadlock_message(const std::vector<std::string>& blocked);
// "tokens left in dependency queues at FINISH: 1 on load->compute (...)", or "" when all are empty.
std::string leftover_tokens_message(const std::array<uint64_t, kTokenQueueCount>& tokens);

}  // namespace vtasim

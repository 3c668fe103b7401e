// `vtasim exec`: replay a program image (DRAM content + instruction stream) on an engine.
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "app/cli.h"
#include "app/run_job.h"
#include "models/energy.h"
#include "models/errors.h"
#include "models/file_io.h"
#include "models/json_input.h"
#include "models/limits.h"
#include "models/parse.h"
#include "models/program_image.h"

namespace po = boost::program_options;

namespace vtasim::cli {

namespace {

uint64_t parse_u64(const std::string& option, const std::string& text) {
  const auto v = parse_uint(text);
  if (!v) throw UserError("--" + option + " '" + text + "' is not a non-negative integer (decimal, or hex with 0x)");
  return *v;
}

// The image options as given, all text (numbers take decimal or 0x hex).
struct ImageOptions {
  std::string dram_file, dram_size, insn_addr, insn_count;
  std::string base[5];  // uop, inp, wgt, acc, out
};

ProgramImage load_image(const ImageOptions& o, const HwConfig& cfg) {
  namespace fs = std::filesystem;
  ProgramImage image;
  std::error_code ec;
  const fs::file_status st = fs::status(o.dram_file, ec);
  if (!ec && fs::exists(st) && !fs::is_directory(st) && !fs::is_regular_file(st)) {
    throw UserError("DRAM image '" + o.dram_file + "' is not a regular file (a device or a pipe); give a file");
  }
  const uint64_t file_bytes = fs::is_regular_file(st) ? fs::file_size(o.dram_file, ec) : 0;
  if (!ec) check_memory_budget(cfg, double(file_bytes), "the DRAM image '" + o.dram_file + "'");
  image.dram = read_binary_file(o.dram_file, "DRAM image", uint64_t(1) << 36);
  if (!o.dram_size.empty()) {
    const uint64_t size = parse_u64("dram-size", o.dram_size);
    if (size < image.dram.size()) {
      throw UserError("--dram-size " + o.dram_size + " is smaller than the DRAM file '" + o.dram_file + "' (" +
                      std::to_string(image.dram.size()) + " bytes); give at least the file size");
    }
    check_memory_budget(cfg, double(size), "--dram-size " + o.dram_size);
    image.dram.resize(size, 0);
  }
  image.insn_addr = parse_u64("insn-addr", o.insn_addr);
  const uint64_t count = parse_u64("insn-count", o.insn_count);
  if (count == 0 || count > 0xFFFFFFFFull) {
    throw UserError("--insn-count " + o.insn_count + " must be between 1 and 2^32-1");
  }
  image.insn_count = uint32_t(count);
  const char* names[5] = {"base-uop", "base-inp", "base-wgt", "base-acc", "base-out"};
  uint64_t* bases[5] = {&image.bases.uop, &image.bases.inp, &image.bases.wgt, &image.bases.acc, &image.bases.out};
  for (int i = 0; i < 5; ++i) {
    if (!o.base[i].empty()) *bases[i] = parse_u64(names[i], o.base[i]);
  }
  return image;
}

}  // namespace

int cmd_exec(int argc, char** argv) {
  ConfigOptions copts;
  ImageOptions img;
  std::string dump, stats, engine = "timed", trace_file, vcd_file;
  po::options_description desc("vtasim exec: run a program image");
  copts.add_to(desc);
  desc.add_options()
      ("dram", po::value<std::string>(&img.dram_file)->required(), "DRAM image, loaded at physical address 0")
      ("dram-size", po::value<std::string>(&img.dram_size), "memory size in bytes (zero-filled beyond the file)")
      ("insn-addr", po::value<std::string>(&img.insn_addr)->required(), "byte address of the first instruction")
      ("insn-count", po::value<std::string>(&img.insn_count)->required(), "number of 16-byte instructions")
      ("base-uop", po::value<std::string>(&img.base[0]), "byte address of dram_base 0 for UOP (default 0)")
      ("base-inp", po::value<std::string>(&img.base[1]), "same for INP")
      ("base-wgt", po::value<std::string>(&img.base[2]), "same for WGT")
      ("base-acc", po::value<std::string>(&img.base[3]), "same for ACC and ACC_8BIT")
      ("base-out", po::value<std::string>(&img.base[4]), "same for OUT")
      ("dump", po::value<std::string>(&dump), "write the whole DRAM image after the run")
      ("stats", po::value<std::string>(&stats), "write the run's counters as JSON")
      ("engine", po::value<std::string>(&engine),
       "timed (SystemC/TLM, default), functional (untimed), or timing (timed without data movement)")
      ("trace", po::value<std::string>(&trace_file), "timed: write a Chrome/Perfetto trace-event JSON of the run")
      ("vcd", po::value<std::string>(&vcd_file), "timed: write a VCD of the modules' busy signals");
  if (!parse("exec",
             "--dram FILE [--dram-size BYTES] --insn-addr ADDR --insn-count N [--base-uop A]... "
             "[--config FILE] [--set K=V]... [--dump FILE] [--stats FILE] [--engine timed|functional|timing] "
             "[--trace FILE] [--vcd FILE]",
             argc, argv, desc)) {
    return kOk;
  }
  const EngineKind kind = parse_engine_kind(engine, "--engine");
  if (!engine_has_time(kind) && !(trace_file.empty() && vcd_file.empty())) {
    throw UserError("--trace and --vcd need the timed engine (--engine timed)");
  }
  const HwConfig cfg = copts.load();
  print_notes(cfg);

  ProgramImage image = load_image(img, cfg);

  nlohmann::ordered_json j;
  j["engine"] = engine_kind_name(kind);
  const auto eng = make_engine(kind, cfg, vcd_file);
  TraceRecorder trace;
  const EngineRun run = eng->run(image, trace_file.empty() ? nullptr : &trace);
  const ExecCounters& counters = run.counters;
  const uint64_t instructions = image.insn_count;
  if (run.timing) {
    const TimedStats& ts = *run.timing;
    j["timing"] = nlohmann::ordered_json::parse(ts.to_json(cfg.params().clock_mhz));
    if (!trace_file.empty()) write_file_atomic(trace_file, trace.to_json(cfg.params().clock_mhz, "vtasim exec " + img.dram_file));
    std::cerr << "vtasim exec: " << ts.cycles << " cycles (" << double(ts.cycles) / cfg.params().clock_mhz << " us at "
              << cfg.params().clock_mhz << " MHz)\n";
  }

  if (!dump.empty()) write_file_atomic(dump, std::string(image.dram.begin(), image.dram.end()));
  if (!stats.empty()) {
    j["instructions"] = instructions;
    j["counters"] = nlohmann::ordered_json::parse(counters.to_json());
    // Energy estimated from the counts (energy.* parameters; static energy only with time).
    uint64_t dram_bytes = uint64_t(instructions) * kInsnBytes;
    for (int k = 1; k < kByteKindCount; ++k) dram_bytes += counters.bytes(ByteKind(k), 0);
    const double seconds = run.timing ? double(run.timing->cycles) / (cfg.params().clock_mhz * 1e6) : 0.0;
    const EnergyBreakdown e = energy_of(counters.access, dram_bytes, seconds, cfg);
    auto& ej = j["energy_pj"];
    ej["total"] = e.total();
    const auto values = e.components();
    for (size_t k = 0; k < values.size(); ++k) ej[EnergyBreakdown::component_names()[k]] = values[k];
    write_file_atomic(stats, dump_json(j, 2) + "\n");
  }
  std::cerr << "vtasim exec: " << instructions << " instructions, " << counters.gemm_counter << " GEMM and "
            << counters.alu_counter << " ALU micro-ops\n";
  return kOk;
}

}  // namespace vtasim::cli

// Throughput of the Epstein model: agent updates per second (agents x steps / seconds spent stepping),
// for grid sizes, activation modes and thread counts, with the time of each phase, and a roofline note:
// the memory traffic each synchronous phase needs per agent update, set against the bandwidth STREAM
// measures on the same machine in the same run. An experiment, not a test: it reports, it never fails on
// a slow machine. Every row carries the machine, compiler, flags, commit and thread count.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "bench_common.hpp"
#include "core/parallel.hpp"
#include "model/model.hpp"
#include "scenario/loader.hpp"

namespace po = boost::program_options;
using namespace pocsim;

namespace {

struct Result {
  double updates_per_second;
  double seconds;
  std::int64_t steps;
  std::size_t agents;
  std::size_t state_bytes_per_agent;
  model::PhaseSeconds phases{};
};

Result measure(const model::Params& p, double min_seconds, std::int64_t min_steps) {
  model::Model m(p);
  m.step();  // warm-up: first-touch of working memory
  const std::size_t agents = m.citizens().size() + m.cops_on_duty();
  std::int64_t steps = 0;
  model::PhaseSeconds phases{};
  m.time_phases(&phases);
  const auto start = std::chrono::steady_clock::now();
  double seconds = 0;
  while (steps < min_steps || seconds < min_seconds) {
    m.step();
    ++steps;
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  m.time_phases(nullptr);
  const std::size_t bytes = m.citizens().bytes_per_row() * m.citizens().size() + m.cops().bytes_per_row() * m.cops().size() +
                            m.cells().bytes_per_row() * m.cells().size();
  return {static_cast<double>(agents) * static_cast<double>(steps) / seconds, seconds, steps, agents, bytes / agents, phases};
}

// Memory traffic a synchronous phase cannot avoid on a grid far larger than the cache, bytes per agent
// update (reads plus writes, as STREAM counts them), for run2's densities: 0.7 citizens and 0.04 cops per
// cell, so 1.35 cells per agent. Counted from the columns each pass touches (model/state.hpp):
//  - movement: propose reads state 1 + cell 4 and the vision's cell codes (1.35, the rest are cached),
//    writes the target 4 and claims its slot (8 read + 8 written); settle reads the target 4 and slot 8
//    and moves (cell code and agent of both cells, 10); clear reads the target 4 and rewrites the slot 16.
//  - rebellion: the row counts read each cell's code and write its count (5 per cell, 6.75); each
//    citizen reads state 1, cell 4 and five float columns 20, and writes its next state 1; then state and
//    next state are compared (2).
//  - arrests: the row counts are rebuilt (6.75, as above); a cop (one agent in 18) reads two counts in
//    each of its vision's 15 rows, 64-byte lines not shared with the last cop it was near (960 / 18). The
//    scan that finds the suspect, only for cops that see an active, is not counted.
//  - sentences: every citizen's state 1 is read and its release target 4 written.
const std::map<model::Phase, double> compulsory_bytes_per_update = {
    {model::Phase::movement, 26.35 + 22 + 20},
    {model::Phase::rebellion, 6.75 + 26 + 2},
    {model::Phase::arrests, 6.75 + 960.0 / 18},
    {model::Phase::sentences, 5},
};

}  // namespace

int main(int argc, char** argv) {
  std::string sizes = "40,400,2000";
  std::string modes = "sequential,synchronous";
  std::string threads = "1,2";
  std::string csv;
  std::string scenario_path = "benchmarks/scenarios/epstein_run2.yaml";  // frozen: figures stay comparable
  double min_seconds = 2.0;
  std::int64_t min_steps = 3;
  bool roofline = true;
  po::options_description opts(
      "Usage: bench_epstein [options]\n\nMeasures agent updates per second of the Epstein model, per phase, and sets the\n"
      "synchronous phases' memory traffic against the bandwidth STREAM measures (best triad).\n\nOptions");
  opts.add_options()("help,h", "show this help")
      ("sizes", po::value(&sizes)->default_value(sizes), "grid sides, comma-separated")
      ("modes", po::value(&modes)->default_value(modes), "activation modes, comma-separated")
      ("threads", po::value(&threads)->default_value(threads), "thread counts, comma-separated")
      ("scenario", po::value(&scenario_path)->default_value(scenario_path), "base scenario")
      ("min-seconds", po::value(&min_seconds)->default_value(min_seconds), "time each configuration at least this long")
      ("min-steps", po::value(&min_steps)->default_value(min_steps), "and at least this many steps")
      ("no-roofline", "skip the bandwidth measurement and the roofline note")
      ("csv", po::value(&csv), "append the results to this CSV file");
  po::variables_map vm;
  std::vector<int> thread_counts;
  auto check = [&] {
    thread_counts = bench::thread_counts(threads);
    if (min_steps < 1) throw std::invalid_argument("--min-steps wants a positive number of steps");
  };
  if (const int stop = bench::parse_command_line("bench_epstein", argc, argv, opts, vm, check); stop >= 0) return stop;
  roofline = vm.count("no-roofline") == 0;

  std::printf("%s\n", bench::tag_lines().c_str());
  try {
    std::unique_ptr<bench::CsvLog> log;  // opened before measuring, so a wrong file fails at once
    if (!csv.empty())
      log = std::make_unique<bench::CsvLog>(
          csv, bench::header_with_tags({"threads", "grid", "activation", "agents", "steps", "seconds", "updates_per_second",
                                        "state_bytes_per_agent", "phase_ms_per_step", "stream_triad_gb_per_s"}));
    std::map<int, double> triad;  // GB/s per thread count
    if (roofline) {
      for (const int t : thread_counts) triad[t] = bench::measure_bandwidth(t, std::size_t{1} << 24, 3).triad_gbs;
      std::printf("STREAM triad (3 x 128 MiB, best of 3):");
      for (const auto& [t, gbs] : triad) std::printf("  %d thread%s %.1f GB/s", t, t == 1 ? "" : "s", gbs);
      std::printf("\n\n");
    }
    std::printf("%-6s %-12s %7s %10s %7s %9s %14s %10s\n", "grid", "activation", "threads", "agents", "steps", "seconds",
                "updates/s", "B/agent");
    for (const std::string& size : bench::split(sizes))
      for (const std::string& mode : bench::split(modes))
        for (const int t : thread_counts) {
          const auto sc = scenario::load_scenario(
              scenario_path, {"grid.width=" + size, "grid.height=" + size, "rules.activation=" + mode});
          Result r{};
          core::ThreadLimit limit(t);
          limit.run([&] { r = measure(sc.params(), min_seconds, min_steps); });
          std::printf("%-6s %-12s %7d %10zu %7lld %9.2f %14.4g %10zu\n", size.c_str(), mode.c_str(), t, r.agents,
                      static_cast<long long>(r.steps), r.seconds, r.updates_per_second, r.state_bytes_per_agent);
          const std::vector<bench::PhaseTime> times = bench::phase_times(r.phases, r.steps, r.seconds, 0.005);  // below 0.5 %: noise
          for (const bench::PhaseTime& pt : times) {
            const double seconds = pt.ms_per_step / 1e3;
            std::printf("    %-12s %8.2f ms/step", pt.name.c_str(), pt.ms_per_step);
            const auto bytes = compulsory_bytes_per_update.find(pt.phase);
            if (roofline && mode == "synchronous" && bytes != compulsory_bytes_per_update.end()) {
              const double gbs = bytes->second * static_cast<double>(r.agents) / seconds / 1e9;
              std::printf("   %5.1f B/update  %6.2f GB/s = %4.1f %% of STREAM triad", bytes->second, gbs,
                          100 * gbs / triad[t]);
            }
            std::printf("\n");
          }
          std::fflush(stdout);
          if (log)
            log->row(bench::row_with_tags({std::to_string(t), size, mode, std::to_string(r.agents), std::to_string(r.steps),
                                           bench::fixed(r.seconds, 3), bench::fixed(r.updates_per_second, 0),
                                           std::to_string(r.state_bytes_per_agent), bench::phase_column(times),
                                           roofline ? bench::fixed(triad[t], 2) : ""}));
        }
  } catch (const scenario::ScenarioError& e) {
    std::cerr << e.what();
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "bench_epstein: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

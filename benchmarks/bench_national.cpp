// The full model at national scale (by default benchmarks/scenarios/national.yaml, a frozen copy of the
// national scenario): set-up time, steps per second, agent updates per second, the time of each phase,
// peak memory and bytes per agent, for one thread count per process, so that the peak is this
// configuration's own. An experiment, not a test: it reports, it never fails on a slow machine. Every row
// carries the machine, compiler, flags, commit and thread count.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "bench_common.hpp"
#include "core/parallel.hpp"
#include "model/memory.hpp"
#include "model/model.hpp"
#include "scenario/loader.hpp"

namespace po = boost::program_options;
using namespace pocsim;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::string scenario_path = "benchmarks/scenarios/national.yaml";  // frozen: figures stay comparable
  std::vector<std::string> overrides;
  int threads = 2;
  std::int64_t steps = 0;
  std::string csv;
  po::options_description opts(
      "Usage: bench_national [options]\n\nTimes the whole model on a national-scale scenario: set-up, every phase of every\n"
      "step, and peak memory (resident set). One thread count per run, so the peak is its own.\n\nOptions");
  opts.add_options()("help,h", "show this help")
      ("scenario", po::value(&scenario_path)->default_value(scenario_path), "scenario file")
      ("set", po::value(&overrides)->composing(), "override a scenario key, KEY=VALUE (repeatable), as pocsim run --set")
      ("threads", po::value(&threads)->default_value(threads), "worker threads")
      ("steps", po::value(&steps), "steps to time (default: the scenario's run.steps)")
      ("csv", po::value(&csv), "append the result to this CSV file");
  po::variables_map vm;
  auto check = [&] {
    if (threads < 1) throw std::invalid_argument("--threads wants a positive integer");
    if (vm.count("steps") && steps < 1) throw std::invalid_argument("--steps wants a positive integer");
  };
  if (const int stop = bench::parse_command_line("bench_national", argc, argv, opts, vm, check); stop >= 0) return stop;

  std::printf("%s\n", bench::tag_lines().c_str());
  try {
    std::unique_ptr<bench::CsvLog> log;  // opened before measuring, so a wrong file fails at once
    if (!csv.empty())
      log = std::make_unique<bench::CsvLog>(
          csv, bench::header_with_tags({"threads", "scenario", "overrides", "cells", "agents", "setup_seconds", "steps",
                                        "step_seconds", "steps_per_second", "updates_per_second", "peak_rss_bytes",
                                        "phase_ms_per_step"}));
    const auto sc = scenario::load_scenario(scenario_path, overrides);
    if (!vm.count("steps")) steps = sc.params().run.steps;
    core::ThreadLimit limit(threads);
    limit.run([&] {
      const auto setup_start = std::chrono::steady_clock::now();
      model::Model m(sc.params());
      const double setup = seconds_since(setup_start);
      const std::size_t cells = m.grid().cell_count();
      const std::size_t agents = m.citizens().size() + m.cops_on_duty();
      const std::size_t after_setup = bench::current_rss_bytes();
      std::printf("%s: %zu cells, %zu households, %zu police; %d thread%s; set-up %.2f s\n", scenario_path.c_str(), cells,
                  m.citizens().size(), m.cops_on_duty(), threads, threads == 1 ? "" : "s", setup);
      model::PhaseSeconds phases{};
      m.time_phases(&phases);
      const auto start = std::chrono::steady_clock::now();
      const std::int64_t report_every = std::max<std::int64_t>(1, steps / 10);
      for (std::int64_t s = 1; s <= steps; ++s) {
        m.step();
        if (s % report_every == 0 || s == steps) {
          std::printf("  step %4lld  %7.1f s  %5.2f steps/s\n", static_cast<long long>(s), seconds_since(start),
                      static_cast<double>(s) / seconds_since(start));
          std::fflush(stdout);
        }
      }
      const double stepping = seconds_since(start);
      m.time_phases(nullptr);
      const std::size_t peak = bench::peak_rss_bytes();
      const double updates = static_cast<double>(agents) * static_cast<double>(steps) / stepping;
      std::printf("\n%lld steps in %.1f s: %.2f steps/s, %.3g agent updates/s; set-up %.1f s; peak RSS %.0f MiB\n\n",
                  static_cast<long long>(steps), stepping, static_cast<double>(steps) / stepping, updates, setup,
                  static_cast<double>(peak) / (1 << 20));
      // Memory per agent: the peak over agents and over the people they stand for, beside the estimate
      // a run checks before it starts (model::estimate_memory_bytes).
      const double mib = 1 << 20;
      std::printf("memory: peak RSS %.0f MiB (%.0f MiB after set-up), %.0f bytes per agent, %.1f per person "
                  "represented (%lld people); the model's own estimate %.0f MiB\n\n",
                  static_cast<double>(peak) / mib, static_cast<double>(after_setup) / mib,
                  static_cast<double>(peak) / static_cast<double>(agents),
                  static_cast<double>(peak) / static_cast<double>(std::max<std::int64_t>(1, m.people_represented())),
                  static_cast<long long>(m.people_represented()), static_cast<double>(model::estimate_memory_bytes(sc.params())) / mib);
      std::printf("  %-18s %10s %7s\n", "phase", "ms/step", "share");
      const std::vector<bench::PhaseTime> times = bench::phase_times(phases, steps, stepping, 0);
      for (const bench::PhaseTime& pt : times)
        std::printf("  %-18s %10.2f %6.1f%%\n", pt.name.c_str(), pt.ms_per_step, 100 * pt.share);
      std::string set;
      for (const std::string& o : overrides) set += (set.empty() ? "" : " ") + o;
      if (log)
        log->row(bench::row_with_tags({std::to_string(threads), scenario_path, set, std::to_string(cells),
                                       std::to_string(agents), bench::fixed(setup, 3), std::to_string(steps),
                                       bench::fixed(stepping, 3), bench::fixed(static_cast<double>(steps) / stepping, 4),
                                       bench::fixed(updates, 0), std::to_string(peak), bench::phase_column(times)}));
    });
  } catch (const scenario::ScenarioError& e) {
    std::cerr << e.what();
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "bench_national: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

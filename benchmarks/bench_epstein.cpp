// Throughput of the Epstein model: agent updates per second (agents x steps / seconds spent stepping),
// for grid sizes, activation modes and thread counts. An experiment, not a test: it reports, it never
// fails on a slow machine. Every row carries the machine, compiler, flags, commit and thread count.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/program_options.hpp>

#include "core/parallel.hpp"
#include "model/model.hpp"
#include "model/observables.hpp"
#include "io/provenance.hpp"
#include "pocsim/build_info.hpp"
#include "scenario/loader.hpp"

namespace po = boost::program_options;
using namespace pocsim;

namespace {

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');) out.push_back(item);
  return out;
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown";
}

struct Result {
  double updates_per_second;
  double seconds;
  std::int64_t steps;
  std::size_t agents;
  std::size_t state_bytes_per_agent;
};

Result measure(const model::Params& p, double min_seconds, std::int64_t min_steps) {
  model::Model m(p);
  m.step();  // warm-up: first-touch of working memory
  const std::size_t agents = m.citizens().size() + m.cops_on_duty();
  std::int64_t steps = 0;
  const auto start = std::chrono::steady_clock::now();
  double seconds = 0;
  while (steps < min_steps || seconds < min_seconds) {
    m.step();
    ++steps;
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  const std::size_t bytes = m.citizens().bytes_per_row() * m.citizens().size() + m.cops().bytes_per_row() * m.cops().size() +
                            m.cells().bytes_per_row() * m.cells().size();
  return {static_cast<double>(agents) * static_cast<double>(steps) / seconds, seconds, steps, agents, bytes / agents};
}

}  // namespace

int main(int argc, char** argv) {
  std::string sizes = "40,400,2000";
  std::string modes = "sequential,synchronous";
  std::string threads = "1,2";
  std::string csv;
  std::string scenario_path = "scenarios/epstein/run2.yaml";
  double min_seconds = 2.0;
  std::int64_t min_steps = 3;
  po::options_description opts(
      "Usage: bench_epstein [options]\n\nMeasures agent updates per second of the Epstein model.\n\nOptions");
  opts.add_options()("help,h", "show this help")
      ("sizes", po::value(&sizes)->default_value(sizes), "grid sides, comma-separated")
      ("modes", po::value(&modes)->default_value(modes), "activation modes, comma-separated")
      ("threads", po::value(&threads)->default_value(threads), "thread counts, comma-separated")
      ("scenario", po::value(&scenario_path)->default_value(scenario_path), "base scenario")
      ("min-seconds", po::value(&min_seconds)->default_value(min_seconds), "time each configuration at least this long")
      ("min-steps", po::value(&min_steps)->default_value(min_steps), "and at least this many steps")
      ("csv", po::value(&csv), "append the results to this CSV file");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, opts), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "bench_epstein: " << e.what() << "\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << opts;
    return 0;
  }

  const std::string machine = cpu_model() + ", " + std::to_string(std::thread::hardware_concurrency()) + " hardware threads";
  const std::string commit = std::string(build_info::git_commit).substr(0, 12) + (build_info::git_dirty ? "+dirty" : "");
  std::printf("machine:  %s\ncompiler: %s, %s\ncommit:   %s\n\n", machine.c_str(), build_info::compiler,
              build_info::build_type, commit.c_str());
  std::printf("%-6s %-12s %7s %10s %7s %9s %14s %10s\n", "grid", "activation", "threads", "agents", "steps", "seconds",
              "updates/s", "B/agent");
  std::ofstream out;
  if (!csv.empty()) {
    const bool fresh = !std::ifstream(csv).good();
    out.open(csv, std::ios::app);
    if (fresh) out << "date,commit,machine,compiler,build_type,grid,activation,threads,agents,steps,seconds,updates_per_second,state_bytes_per_agent\n";
  }
  try {
    for (const std::string& size : split(sizes))
      for (const std::string& mode : split(modes))
        for (const std::string& t : split(threads)) {
          const auto sc = scenario::load_scenario(
              scenario_path, {"grid.width=" + size, "grid.height=" + size, "rules.activation=" + mode});
          Result r{};
          core::ThreadLimit limit(std::stoi(t));
          limit.run([&] { r = measure(sc.params(), min_seconds, min_steps); });
          std::printf("%-6s %-12s %7s %10zu %7lld %9.2f %14.4g %10zu\n", size.c_str(), mode.c_str(), t.c_str(), r.agents,
                      static_cast<long long>(r.steps), r.seconds, r.updates_per_second, r.state_bytes_per_agent);
          std::fflush(stdout);
          if (out)
            out << io::utc_now_iso8601() << "," << commit << ",\"" << machine << "\"," << build_info::compiler << ","
                << build_info::build_type << "," << size << "," << mode << "," << t << "," << r.agents << "," << r.steps
                << "," << r.seconds << "," << r.updates_per_second << "," << r.state_bytes_per_agent << "\n";
        }
  } catch (const scenario::ScenarioError& e) {
    std::cerr << e.what();
    return 2;
  }
  return 0;
}

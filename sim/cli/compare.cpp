// pocsim compare: mandate options against the baseline over replicates.
#include "cli/commands.hpp"
#include "cli/shared.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <type_traits>
#include <filesystem>
#include <iostream>
#include <sstream>

#include <boost/program_options.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/progress.hpp"
#include "core/parallel.hpp"
#include "ensemble/compare.hpp"
#include "ensemble/sweep.hpp"
#include "io/checkpoint.hpp"
#include "io/hdf5.hpp"
#include "io/run_writer.hpp"
#include "model/checkpoint.hpp"
#include "model/model.hpp"
#include "model/observables.hpp"
#include "model/report.hpp"
#include "pocsim/build_info.hpp"
#include "scenario/loader.hpp"
#include "scenario/schema.hpp"
#include "serve/server.hpp"
#include "serve/session.hpp"

namespace pocsim::cli {

int command_compare(const std::vector<std::string>& args, const std::string& command_line) {
  std::string output;
  std::vector<std::string> option_files;
  std::vector<std::string> sets;
  std::string seed;
  std::string steps;
  int replicates = 20;
  int threads = 0;
  bool quiet = false;
  bool force = false;
  po::options_description opts(
      "Usage: pocsim compare SCENARIO --options A.yaml [B.yaml ...] [options]\n\n"
      "Compares mandate options against the baseline SCENARIO. Each replicate runs the baseline with its own\n"
      "seed to the options' decision date; every option branches from that state (so the warm-up is shared),\n"
      "and replicate i of every option meets the same random numbers (common random numbers). Replicates run\n"
      "in parallel; each run's outcomes are written to the HDF5 file as it finishes.\n\n"
      "Prints, and writes beside the file as .csv and .md, a table: for each outcome the mean and 95% interval\n"
      "per option, the paired difference from the baseline with its interval, and the difference per $1M of\n"
      "extra mission cost. Option files and the file layout: docs/comparing.md.\n\n"
      "Options");
  opts.add_options()
      ("help,h", "show this help")
      ("options", po::value(&option_files)->multitoken(), "option files (YAML: name, description, decision, levers)")
      ("replicates,n", po::value(&replicates)->default_value(20), "replicates per option")
      ("output,o", po::value(&output), "output file (default: results/<scenario name>-comparison.h5)")
      ("seed", po::value(&seed), "seed the replicates' seeds are derived from; same as --set run.seed=N")
      ("steps", po::value(&steps), "number of steps; same as --set run.steps=N")
      ("threads", po::value(&threads)->default_value(0), "worker threads, 0 = all cores; results do not depend on it")
      ("set", po::value(&sets)->composing(), "override a key of the scenario, for the baseline and every option")
      ("force", po::bool_switch(&force), "overwrite the output files if they exist")
      ("quiet,q", po::bool_switch(&quiet), "print nothing but errors");
  const po::variables_map vm = parse(args, opts, "scenario", po::value<std::string>(), 1, "compare");
  if (vm.count("help")) {
    std::cout << opts << "\nExample:\n  pocsim compare scenarios/library/mali/base.yaml --options scenarios/library/mali/options/*.yaml"
                         " --replicates 20 -o mali.h5\n";
    return exit_ok;
  }
  if (!vm.count("scenario")) throw UsageError("no scenario given", "write 'pocsim compare SCENARIO.yaml --options A.yaml'");
  if (option_files.empty()) throw UsageError("no option given", "name the option files: --options A.yaml B.yaml");
  if (threads < 0) throw UsageError("--threads must be 0 (all cores) or more", "for example --threads 2");
  if (replicates < 1) throw UsageError("--replicates must be at least 1", "ask for 20 or more for intervals worth reading");
  const std::string scenario_path = vm["scenario"].as<std::string>();
  std::vector<std::string> overrides = sets;
  if (!seed.empty()) overrides.push_back("run.seed=" + seed);
  if (!steps.empty()) overrides.push_back("run.steps=" + steps);

  ensemble::ComparisonPlan plan;
  plan.baseline = scenario::load_scenario(scenario_path, overrides);
  std::vector<scenario::Diagnostic> problems;
  for (const std::string& f : option_files) {
    try {
      plan.options.push_back(scenario::load_option(scenario_path, f, overrides));
    } catch (const scenario::ScenarioError& e) {
      problems.insert(problems.end(), e.diagnostics().begin(), e.diagnostics().end());
    }
  }
  if (!problems.empty()) throw scenario::ScenarioError(problems);
  plan.replicates = replicates;
  plan.command_line = command_line;
  ensemble::check_plan(plan);
  plan.output = checked_output(output, "results/" + scenario::scenario_name(scenario_path) + "-comparison.h5", {".csv", ".md"}, force);

  core::ThreadLimit limit(threads);
  StopOnSignal stop_on_signal;
  const std::int64_t runs = static_cast<std::int64_t>(replicates) * static_cast<std::int64_t>(plan.options.size() + 1);
  Progress progress(runs, Progress::style_for_stderr(quiet), "run");
  ensemble::Observer observer;
  observer.progress = [&](std::int64_t done, std::int64_t) { progress.update(done); };
  observer.stop_requested = [] { return stop_requested != 0; };
  ensemble::Outcome result;
  limit.run([&] { result = ensemble::run_comparison(plan, limit.threads(), observer); });
  if (!result.complete) {
    std::fprintf(stderr, "\npocsim: interrupted; %lld of %d replicates finished for every option are in %s (marked complete = 0)\n",
                 static_cast<long long>(result.replicates_done), replicates, result.path.c_str());
    return exit_interrupted;
  }
  progress.finish();
  const ensemble::Table table = ensemble::read_table(result.path);
  const std::filesystem::path out(result.path);
  const std::string csv = std::filesystem::path(out).replace_extension(".csv").string();
  const std::string md = std::filesystem::path(out).replace_extension(".md").string();
  write_text_file(csv, ensemble::format_csv(table));
  write_text_file(md, ensemble::format_markdown(table));
  if (!quiet) {
    std::printf("\npocsim compare  %s  (%d threads, %s)\n\n", scenario_path.c_str(), limit.threads(),
                format_duration(result.wall_seconds).c_str());
    std::fputs(ensemble::format_text(table).c_str(), stdout);
    std::printf("\n  %-10s %s\n  %-10s %s\n  %-10s %s\n", "results", std::filesystem::absolute(result.path).string().c_str(),
                "table", std::filesystem::absolute(csv).string().c_str(), "", std::filesystem::absolute(md).string().c_str());
  }
  return exit_ok;
}

}  // namespace pocsim::cli

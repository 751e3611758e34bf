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
#include "ensemble/explain.hpp"
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

namespace {
// What `compare` and `explain` are both given: a scenario, its options, replicates and the run's settings.
struct OptionArgs {
  std::string output, seed, steps;
  std::vector<std::string> option_files, sets;
  int replicates = 20, threads = 0;
  bool quiet = false, force = false;
  std::string scenario_path;
  std::vector<std::string> overrides;

  void add_to(po::options_description& opts, const std::string& replicates_meaning, const std::string& default_output) {
    opts.add_options()
        ("help,h", "show this help")
        ("options", po::value(&option_files)->multitoken(), "option files (YAML: name, description, decision, levers)")
        ("replicates,n", po::value(&replicates)->default_value(20), replicates_meaning.c_str())
        ("output,o", po::value(&output), ("output file (default: " + default_output + ")").c_str())
        ("seed", po::value(&seed), "seed the replicates' seeds are derived from; same as --set run.seed=N")
        ("steps", po::value(&steps), "number of steps; same as --set run.steps=N")
        ("threads", po::value(&threads)->default_value(0), "worker threads, 0 = all cores; results do not depend on it")
        ("set", po::value(&sets)->composing(), "override a key of the scenario, for the baseline and every option")
        ("force", po::bool_switch(&force), "overwrite the output files if they exist")
        ("quiet,q", po::bool_switch(&quiet), "print nothing but errors");
  }
  // Checks what both commands need, after parsing; fills scenario_path and overrides.
  void check(const po::variables_map& vm, const std::string& command) {
    if (!vm.count("scenario")) throw UsageError("no scenario given", "write 'pocsim " + command + " SCENARIO.yaml --options A.yaml'");
    if (option_files.empty()) throw UsageError("no option given", "name the option files: --options A.yaml B.yaml");
    if (threads < 0) throw UsageError("--threads must be 0 (all cores) or more", "for example --threads 2");
    if (replicates < 1) throw UsageError("--replicates must be at least 1", "ask for 20 or more for intervals worth reading");
    scenario_path = vm["scenario"].as<std::string>();
    overrides = sets;
    if (!seed.empty()) overrides.push_back("run.seed=" + seed);
    if (!steps.empty()) overrides.push_back("run.steps=" + steps);
  }
};

// Every option file against the scenario, every problem of every file reported together.
std::vector<scenario::Scenario> load_options(const std::string& scenario_path, const std::vector<std::string>& files,
                                             const std::vector<std::string>& overrides) {
  std::vector<scenario::Scenario> options;
  std::vector<scenario::Diagnostic> problems;
  for (const std::string& f : files) {
    try {
      options.push_back(scenario::load_option(scenario_path, f, overrides));
    } catch (const scenario::ScenarioError& e) {
      problems.insert(problems.end(), e.diagnostics().begin(), e.diagnostics().end());
    }
  }
  if (!problems.empty()) throw scenario::ScenarioError(problems);
  return options;
}
}  // namespace

int command_compare(const std::vector<std::string>& args, const std::string& command_line) {
  OptionArgs a;
  int draws = 0;
  std::string posterior, criteria, pareto, decide_on;
  bool adaptive = false;
  int max_worlds = 0;
  double capture_threshold = model::default_capture_threshold;
  po::options_description opts(
      "Usage: pocsim compare SCENARIO --options A.yaml [B.yaml ...] [options]\n\n"
      "Compares mandate options against the baseline SCENARIO. Each replicate runs the baseline with its own\n"
      "seed to the options' decision date; every option branches from that state (so the warm-up is shared),\n"
      "and replicate i of every option meets the same random numbers (common random numbers). Replicates run\n"
      "in parallel; each run's outcomes are written to the HDF5 file, and journalled in OUTPUT.journal, as it\n"
      "finishes. Interrupted, killed or stopped by an error (a full disk), the same command run again takes the\n"
      "runs the journal holds and runs only the rest; the journal goes once the file is complete.\n\n"
      "Prints, and writes beside the file as .csv and .md, a table: for each outcome the mean and 95% interval\n"
      "per option, the paired difference from the baseline with its interval, and the difference per $1M of\n"
      "extra mission cost, with the probability that each option beats the baseline and is best, and its regret.\n\n"
      "Parameter uncertainty: with --draws N, every option meets the same N worlds drawn from the scenario's\n"
      "'uncertain:' block (or the rows of a --posterior table), each with --replicates runs; probabilities are then\n"
      "shares of those worlds. Option files, the uncertain block and the file layout: docs/comparing.md.\n\n"
      "Options");
  a.add_to(opts, "replicates per option (per parameter draw with --draws)", "results/<scenario name>-comparison.h5");
  opts.add_options()
      ("draws", po::value(&draws)->default_value(0), "parameter draws from the scenario's uncertain: block (or the first N rows of --posterior); 0 = none")
      ("posterior", po::value(&posterior), "CSV of parameter draws (a header of scenario keys, a row per draw), e.g. a calibration's posterior")
      ("criteria", po::value(&criteria), "weighted score of outcomes, NAME=WEIGHT,... (each over the baseline's level, higher is better)")
      ("pareto", po::value(&pareto), "outcomes A,B,... whose Pareto set to report (share of worlds no option beats an option on all)")
      ("adaptive", po::bool_switch(&adaptive), "add worlds in batches of 10 until the decision is clear or --max-worlds are spent")
      ("max-worlds", po::value(&max_worlds)->default_value(0), "budget of the adaptive mode: replicates, or draws with --draws (default 200, or --draws)")
      ("decide-on", po::value(&decide_on), "the outcome the adaptive mode decides on (default fatalities; weighted_score with --criteria)")
      ("capture-threshold", po::value(&capture_threshold)->default_value(model::default_capture_threshold, "0.1"),
       "capture index counted as the state captured (the capture_crossed outcome)");
  const po::variables_map vm = parse(args, opts, "scenario", po::value<std::string>(), 1, "compare");
  if (vm.count("help")) {
    std::cout << opts << "\nExample:\n  pocsim compare scenarios/library/mali/base.yaml --options scenarios/library/mali/options/*.yaml"
                         " --replicates 20 -o mali.h5\n";
    return exit_ok;
  }
  a.check(vm, "compare");
  const std::string& scenario_path = a.scenario_path;
  const std::vector<std::string>& overrides = a.overrides;
  const std::vector<std::string>& option_files = a.option_files;
  const int replicates = a.replicates;

  ensemble::ComparisonPlan plan;
  plan.baseline = scenario::load_scenario(scenario_path, overrides);
  plan.options = load_options(scenario_path, option_files, overrides);
  plan.replicates = replicates;
  plan.command_line = command_line;
  plan.capture_threshold = capture_threshold;
  if (!(capture_threshold > 0 && capture_threshold <= 1)) throw UsageError("--capture-threshold must be in (0, 1]", "for example --capture-threshold 0.1");
  if (draws < 0) throw UsageError("--draws must be 0 (none) or more", "for example --draws 100");
  // Parameter draws: from the posterior's rows, or sampled from the scenario's uncertain block.
  if (!posterior.empty()) {
    const ensemble::PosteriorTable table = ensemble::read_posterior(posterior);
    std::vector<scenario::UncertainParameter> columns;
    for (const std::string& key : table.keys) {
      scenario::UncertainParameter u;
      u.key = key;
      u.integer = scenario::integer_key(key);
      u.where = posterior + ":1";
      columns.push_back(u);
    }
    std::vector<std::vector<double>> rows = table.rows;
    if (draws > 0 && static_cast<std::size_t>(draws) < rows.size()) rows.resize(static_cast<std::size_t>(draws));
    ensemble::load_draws(plan, scenario_path, option_files, overrides, columns, rows, false);  // each row is checked as it loads
    plan.parameter_source = "posterior " + posterior;
  } else if (draws > 0) {
    const std::vector<scenario::UncertainParameter>& uncertain = plan.baseline.uncertain;
    if (uncertain.empty())
      throw scenario::ScenarioError({{scenario_path, "uncertain", "--draws asks for parameter draws, but the scenario declares no uncertain parameters",
                                      "add an 'uncertain:' block (docs/comparing.md), e.g. uncertain: [{key: citizens.moral_cost, "
                                      "distribution: uniform, min: 0.25, max: 0.75, source: assumed}], or give --posterior FILE"}});
    ensemble::load_draws(plan, scenario_path, option_files, overrides, uncertain,
                         ensemble::sample_draws(uncertain, static_cast<std::size_t>(draws), plan.baseline.params().run.seed), true);
    plan.parameter_source = "uncertain block of " + scenario_path;
  }
  plan.criteria = ensemble::parse_criteria(criteria, pareto);
  plan.adaptive.on = adaptive;
  plan.adaptive.max_worlds = max_worlds > 0 ? max_worlds : !plan.draws.empty() ? static_cast<int>(plan.draws.size()) : 200;
  plan.adaptive.decide_on = !decide_on.empty() ? decide_on : plan.criteria.weights.empty() ? "fatalities" : "weighted_score";
  ensemble::check_plan(plan);
  plan.output = checked_output(a.output, "results/" + scenario::scenario_name(scenario_path) + "-comparison.h5", {".csv", ".md"}, a.force,
                               true);

  core::ThreadLimit limit(a.threads);
  StopOnSignal stop_on_signal;
  const std::int64_t worlds = adaptive ? plan.adaptive.max_worlds : plan.draws.empty() ? 1 : static_cast<std::int64_t>(plan.draws.size());
  const std::int64_t runs = (adaptive && plan.draws.empty() ? 1 : replicates) * worlds * static_cast<std::int64_t>(plan.options.size() + 1);
  Progress progress(runs, Progress::style_for_stderr(a.quiet), "run");
  ensemble::Observer observer;
  observer.progress = [&](std::int64_t done, std::int64_t) { progress.update(done); };
  observer.stop_requested = [] { return stop_requested != 0; };
  ensemble::Outcome result;
  limit.run([&] { result = ensemble::run_comparison(plan, limit.threads(), observer); });
  if (!result.complete) {
    std::fprintf(stderr,
                 "\npocsim: interrupted; %lld replicates finished for every option are in %s (marked complete = 0), and every "
                 "finished run in %s: run the same command again to continue\n",
                 static_cast<long long>(result.replicates_done), result.path.c_str(), result.journal.c_str());
    return exit_interrupted;
  }
  progress.finish();
  const ensemble::Table table = ensemble::read_table(result.path);
  const std::filesystem::path out(result.path);
  const std::string csv = std::filesystem::path(out).replace_extension(".csv").string();
  const std::string md = std::filesystem::path(out).replace_extension(".md").string();
  write_text_file(csv, ensemble::format_csv(table));
  write_text_file(md, ensemble::format_markdown(table));
  if (!a.quiet) {
    std::printf("\npocsim compare  %s  (%d threads, %s)\n\n", scenario_path.c_str(), limit.threads(),
                format_duration(result.wall_seconds).c_str());
    if (result.runs_resumed > 0)
      std::printf("%lld runs were taken from the journal of an earlier attempt (%s), the rest run now.\n\n",
                  static_cast<long long>(result.runs_resumed), result.journal.c_str());
    std::fputs(ensemble::format_text(table).c_str(), stdout);
    std::printf("\n  %-10s %s\n  %-10s %s\n  %-10s %s\n", "results", std::filesystem::absolute(result.path).string().c_str(),
                "table", std::filesystem::absolute(csv).string().c_str(), "", std::filesystem::absolute(md).string().c_str());
  }
  return exit_ok;
}

int command_explain(const std::vector<std::string>& args, const std::string& command_line) {
  OptionArgs a;
  int permutations = 64, exact_up_to = 6;
  po::options_description opts(
      "Usage: pocsim explain SCENARIO --options A.yaml [B.yaml ...] [options]\n\n"
      "Explains each option's effect: which of its lever entries did it, and what moved in between. For every\n"
      "replicate, the option is run with every subset of its lever entries (sampled orders beyond --exact-up-to\n"
      "entries), each branching from the baseline at the decision date with common random numbers; each entry's\n"
      "Shapley value — its average marginal effect over the orders in which the entries could be added — is its\n"
      "part of the effect, and the parts add up to it. Also: each entry's effect alone, the interaction (the\n"
      "effect minus the sum of the entries alone), the intermediate quantities between levers and outcomes\n"
      "(recruits, desertions, seizures, bribes, convictions, grievance...), and the entries that moved their\n"
      "lever's intended quantity the other way. Prints a paragraph and a table per option; writes the HDF5 file\n"
      "and a CSV beside it. docs/explaining.md.\n\n"
      "Options");
  a.add_to(opts, "replicates", "results/<scenario name>-explanation.h5");
  opts.add_options()
      ("exact-up-to", po::value(&exact_up_to)->default_value(6), "run every subset for options of up to this many lever entries (2^n runs a replicate)")
      ("permutations", po::value(&permutations)->default_value(64), "sampled orders of the entries beyond that");
  const po::variables_map vm = parse(args, opts, "scenario", po::value<std::string>(), 1, "explain");
  if (vm.count("help")) {
    std::cout << opts << "\nExample:\n  pocsim explain scenarios/library/mali/base.yaml --options scenarios/library/mali/options/*.yaml"
                         " --replicates 20\n";
    return exit_ok;
  }
  a.check(vm, "explain");
  if (exact_up_to < 0 || exact_up_to > 12) throw UsageError("--exact-up-to must be from 0 to 12", "2^12 runs a replicate is already 4,096");
  if (permutations < 1) throw UsageError("--permutations must be at least 1", "64 is the default");
  const std::string& scenario_path = a.scenario_path;
  ensemble::ExplainPlan plan;
  plan.baseline = scenario::load_scenario(scenario_path, a.overrides);
  plan.options = load_options(scenario_path, a.option_files, a.overrides);
  plan.replicates = a.replicates;
  plan.exact_up_to = exact_up_to;
  plan.permutations = permutations;
  plan.command_line = command_line;
  for (const scenario::Scenario& o : plan.options)
    if (o.option->levers_of(o.params()).size() > 31)
      throw scenario::ScenarioError({{o.option->path, "levers", "has more than 31 lever entries", "split the option: an explanation's subsets are numbered in 32 bits"}});
  plan.output = checked_output(a.output, "results/" + scenario::scenario_name(scenario_path) + "-explanation.h5", {".csv"}, a.force);

  core::ThreadLimit limit(a.threads);
  StopOnSignal stop_on_signal;
  Progress progress(ensemble::explanation_runs(plan), Progress::style_for_stderr(a.quiet), "run");
  ensemble::Observer observer;
  observer.progress = [&](std::int64_t done, std::int64_t) { progress.update(done); };
  observer.stop_requested = [] { return stop_requested != 0; };
  ensemble::Outcome result;
  limit.run([&] { result = ensemble::run_explanation(plan, limit.threads(), observer); });
  if (!result.complete) {
    std::fprintf(stderr, "\npocsim: interrupted; %lld replicates finished are in %s (marked complete = 0)\n",
                 static_cast<long long>(result.replicates_done), result.path.c_str());
    return exit_interrupted;
  }
  progress.finish();
  const ensemble::Explanation e = ensemble::read_explanation(result.path);
  const std::string csv = std::filesystem::path(result.path).replace_extension(".csv").string();
  write_text_file(csv, ensemble::explanation_csv(e));
  if (!a.quiet) {
    std::printf("\npocsim explain  %s  (%d threads, %s)\n\n", scenario_path.c_str(), limit.threads(), format_duration(result.wall_seconds).c_str());
    std::fputs(ensemble::format_explanation(e).c_str(), stdout);
    std::printf("\n  %-10s %s\n  %-10s %s\n", "results", std::filesystem::absolute(result.path).string().c_str(), "table",
                std::filesystem::absolute(csv).string().c_str());
  }
  return exit_ok;
}

}  // namespace pocsim::cli

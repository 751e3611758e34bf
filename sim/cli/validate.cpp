// pocsim validate and pocsim schema: check scenario, option and sweep files; print every key.
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
#include "model/memory.hpp"
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
// The memory a run of the scenario needs, as validation estimates it (model::estimate_memory_bytes).
std::string memory_text(const scenario::Scenario& s) {
  const double mib = static_cast<double>(model::estimate_memory_bytes(s.params())) / (1 << 20);
  char text[64];
  std::snprintf(text, sizeof text, mib >= 1024 ? "%.1f GiB of memory" : "%.0f MiB of memory", mib >= 1024 ? mib / 1024 : mib);
  return text;
}
}  // namespace

int command_validate(const std::vector<std::string>& args, const std::string&) {
  std::string against;
  std::vector<std::string> sets;
  po::options_description opts(
      "Usage: pocsim validate FILE... [--scenario BASE] [--set KEY=VALUE]...\n\n"
      "Checks each scenario file as 'pocsim run' would (every key, type, range and combination) without\n"
      "running it. A mandate option file (one with a 'decision' key) is checked against the scenario it\n"
      "changes: --scenario BASE, or else base.yaml in the folder above its options/ folder. A sweep file\n"
      "(one with 'design' and 'parameters') is checked as 'pocsim sweep' would. With --set, each file is\n"
      "checked with the overrides a run would take, and a valid scenario says how much memory it needs.\n"
      "Exit code 0 when all are valid, 2 when any is not.\n\nOptions");
  opts.add_options()("help,h", "show this help")("scenario", po::value(&against), "the scenario option files are checked against")
      ("set", po::value(&sets)->composing(), "override a scenario key, as 'pocsim run --set' does (repeatable)");
  const po::variables_map vm = parse(args, opts, "files", po::value<std::vector<std::string>>(), -1, "validate");
  if (vm.count("help")) {
    std::cout << opts;
    return exit_ok;
  }
  if (!vm.count("files")) throw UsageError("no scenario file given", "write 'pocsim validate FILE.yaml'");
  int rc = exit_ok;
  for (const std::string& f : vm["files"].as<std::vector<std::string>>()) {
    try {
      if (ensemble::is_sweep_file(f)) {
        ensemble::load_sweep(f, sets);
        std::cout << f << ": ok (a sweep)\n";
      } else if (scenario::is_option_file(f)) {
        const std::filesystem::path beside = std::filesystem::path(f).parent_path().parent_path() / "base.yaml";
        const std::string base = !against.empty() ? against : std::filesystem::exists(beside) ? beside.string() : "";
        if (base.empty())
          throw scenario::ScenarioError({{f, "decision", "is a mandate option, checked against the scenario it changes",
                                          "name that scenario: pocsim validate " + f + " --scenario BASE.yaml"}});
        const scenario::Scenario s = scenario::load_option(base, f, sets);
        std::cout << f << ": ok (an option of " << base << "; needs about " << memory_text(s) << ")\n";
      } else {
        const scenario::Scenario s = scenario::load_scenario(f, sets);
        std::cout << f << ": ok (needs about " << memory_text(s) << ")\n";
      }
    } catch (const scenario::ScenarioError& e) {
      report_errors(e);
      rc = exit_bad_input;
    }
  }
  return rc;
}

int command_schema(const std::vector<std::string>& args, const std::string&) {
  bool markdown = false, json = false;
  po::options_description opts(
      "Usage: pocsim schema [--markdown | --json]\n\n"
      "Prints every scenario key with its type, unit, allowed range, default, meaning and source.\n\n"
      "With --json, a JSON Schema of scenario and option files for editors that complete and check YAML: save it\n"
      "(pocsim schema --json > pocsim.schema.json) and point the editor at it, e.g. with the first line\n"
      "'# yaml-language-server: $schema=pocsim.schema.json' (README: scenarios in an editor).\n\nOptions");
  opts.add_options()("help,h", "show this help")("markdown", po::bool_switch(&markdown),
                                                   "print as Markdown (this is docs/parameters.md)")(
      "json", po::bool_switch(&json), "print a JSON Schema (this is docs/scenario.schema.json)");
  const po::variables_map vm = parse(args, opts, {}, "schema");
  if (vm.count("help")) {
    std::cout << opts;
    return exit_ok;
  }
  if (markdown && json) throw UsageError("--markdown and --json cannot be given together", "choose one of them");
  std::cout << (json ? scenario::schema_json() : markdown ? scenario::schema_markdown() : scenario::schema_text());
  return exit_ok;
}

}  // namespace pocsim::cli

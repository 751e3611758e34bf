#include "cli/commands.hpp"

#include <iostream>
#include <string>
#include <vector>

#include "cli/shared.hpp"
#include "io/hdf5.hpp"

namespace pocsim::cli {

namespace {

// Every command: its name, what it does (the main help lists these), and its function.
struct Command {
  const char* name;
  const char* synopsis;
  int (*run)(const std::vector<std::string>& args, const std::string& command_line);
};

const Command commands[] = {
    {"run", "run SCENARIO        run a scenario and write its results to an HDF5 file", command_run},
    {"resume", "resume CHECKPOINT   continue an interrupted run from its checkpoint, to the result it would have had",
     command_resume},
    {"serve", "serve SCENARIO      run a scenario live in the browser: a map and charts, levers switched mid-run,\n"
              "                      side-by-side comparison, saved and replayed runs (for training)",
     command_serve},
    {"compare", "compare SCENARIO    compare mandate options against the baseline over replicates: means, intervals,\n"
                "                      paired differences and cost-effectiveness",
     command_compare},
    {"explain", "explain SCENARIO    which lever entries of each option did what (Shapley values over the entries),\n"
                "                      and what moved between levers and outcomes",
     command_explain},
    {"sweep", "sweep SWEEP         run a parameter sweep (designs, replicates; resumable; shards; mpirun)", command_sweep},
    {"merge", "merge SHARD...      combine the stores of a sweep's shards", command_merge},
    {"analyse", "analyse STORE       sensitivity of outcomes to parameters (Morris, Sobol, rank correlation)", command_analyse},
    {"report", "report FILE         a self-contained HTML report of a comparison, explanation, run or sweep", command_report},
    {"export", "export FILE --csv   any of those files as one tidy CSV: a row per value, its dataset and coordinates", command_export},
    {"validate", "validate FILE...    check scenario files without running them", command_validate},
    {"schema", "schema              print every scenario key with its type, unit, range, default and source", command_schema},
};

std::string main_help() {
  std::string commands_text;
  for (const Command& c : commands) commands_text += std::string("  ") + c.synopsis + "\n";
  return "pocsim — agent-based simulation of criminal economies around a UN peace operation\n\n"
         "Usage: pocsim <command> [options]\n\n"
         "Commands:\n" +
         commands_text +
         "\nRun 'pocsim <command> --help' for a command's options. 'pocsim --version' prints the build.\n\n"
         "Exit codes: 0 success; 1 the run failed (e.g. the output could not be written);\n"
         "            2 bad input (scenario or options) — nothing was run and no output was left behind;\n"
         "            130 interrupted (Ctrl-C or SIGTERM): the current step finished, the steps done were written\n"
         "            to <output stem>.incomplete.h5, marked complete = 0, and the run's state to\n"
         "            <output stem>.checkpoint.h5 ('pocsim resume' continues it).\n\n"
         "Example:\n"
         "  pocsim run scenarios/epstein/run2.yaml -o run2.h5 --seed 7 --threads 2\n";
}

}  // namespace

int run_main(const std::vector<std::string>& args) {
  std::string command_line = "pocsim";
  for (const std::string& a : args) command_line += " " + a;
  try {
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
      std::cout << main_help();
      return args.empty() ? exit_bad_input : exit_ok;
    }
    if (args[0] == "--version") {
      std::cout << version_text() << "\n";
      return exit_ok;
    }
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    const std::string name = args[0] == "analyze" ? "analyse" : args[0];
    std::vector<std::string> names;
    for (const Command& c : commands) {
      if (name == c.name) return c.run(rest, command_line);
      names.emplace_back(c.name);
    }
    const std::string close = scenario::nearest(args[0], names);
    throw UsageError("unknown command '" + args[0] + "'",
                     (close.empty() ? std::string() : "did you mean '" + close + "'? ") + "run 'pocsim --help'");
  } catch (const scenario::ScenarioError& e) {
    return report_errors(e);
  } catch (const UsageError& e) {
    std::cerr << "pocsim: error: " << e.what() << "\n  hint: " << e.hint << "\n";
    return exit_bad_input;
  } catch (const io::OutputTakenError& e) {
    std::cerr << "pocsim: error: " << e.what() << "\n  hint: rename the kept file to keep this result; give concurrent runs "
                 "their own -o\n";
    return exit_failure;
  } catch (const io::Hdf5Error& e) {
    std::cerr << "pocsim: error: " << e.what() << "\n  hint: check that the output directory is writable and has space\n";
    return exit_failure;
  } catch (const std::exception& e) {
    std::cerr << "pocsim: internal error: " << e.what() << "\n";
    return exit_failure;
  }
}

}  // namespace pocsim::cli

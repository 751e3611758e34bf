// pocsim report: a self-contained HTML report of a file, by the analysis package.
#include "cli/commands.hpp"
#include "cli/shared.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cmath>
#include <cstdio>
#include <cstdlib>
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

namespace {
// Where the analysis package is: the folder POCSIM_ANALYSIS_ROOT names, else <prefix>/share/pocsim beside
// an installed command (bin/pocsim), else the source tree this command was built from.
std::string analysis_root(const std::string& self) {
  namespace fs = std::filesystem;
  auto holds_analysis = [](const fs::path& root) { return fs::is_regular_file(root / "analysis" / "report.py"); };
  if (const char* chosen = std::getenv("POCSIM_ANALYSIS_ROOT"); chosen && *chosen) {
    if (!holds_analysis(chosen))
      throw UsageError(std::string("POCSIM_ANALYSIS_ROOT is ") + chosen + ", which holds no analysis/report.py",
                       "set it to the folder that holds pocsim's analysis/ folder, or unset it");
    return chosen;
  }
  const fs::path installed = fs::path(self).parent_path().parent_path() / "share" / "pocsim";
  if (!self.empty() && holds_analysis(installed)) return installed.string();
  if (holds_analysis(POCSIM_ANALYSIS_ROOT)) return POCSIM_ANALYSIS_ROOT;
  throw UsageError("the analysis package is neither beside this pocsim (" + (installed / "analysis").string() +
                       ") nor in the source tree it was built from (" POCSIM_ANALYSIS_ROOT "/analysis)",
                   "reinstall pocsim, or set POCSIM_ANALYSIS_ROOT to the folder that holds pocsim's analysis/ folder");
}
}  // namespace

int command_report(const std::vector<std::string>& args, const std::string&) {
  std::string output, sensitivity;
  po::options_description opts(
      "Usage: pocsim report FILE [-o REPORT.html] [--sensitivity CSV]\n\n"
      "Writes a self-contained HTML report of a comparison, an explanation, a run or a sweep store: what was run, the headline\n"
      "table with intervals and costs, the figures and the provenance, for readers who do not read code.\n"
      "Runs python3 -m analysis.report (Debian's /usr/bin/python3 with python3-h5py, -matplotlib, -pandas,\n"
      "-scipy, -yaml: ./build.sh deps installs them; or the interpreter the environment variable POCSIM_PYTHON\n"
      "names), from <prefix>/share/pocsim beside an installed pocsim, from the source tree in a build folder, or\n"
      "from the folder the environment variable POCSIM_ANALYSIS_ROOT names.\n\nOptions");
  opts.add_options()("help,h", "show this help")("output,o", po::value(&output), "the report (default: FILE with .html)")
      ("sensitivity", po::value(&sensitivity), "a sweep's sensitivity table (pocsim analyse -o); computed when not given");
  const po::variables_map vm = parse(args, opts, "file", po::value<std::string>(), 1, "report");
  if (vm.count("help")) {
    std::cout << opts;
    return exit_ok;
  }
  if (!vm.count("file")) throw UsageError("no file given", "write 'pocsim report FILE.h5 -o report.html'");
  const std::string file = vm["file"].as<std::string>();
  if (!std::filesystem::is_regular_file(file)) throw UsageError(file + " is not a file", "name an HDF5 file written by pocsim");
  const char* const chosen_python = std::getenv("POCSIM_PYTHON");
  const bool chosen = chosen_python && *chosen_python;
  const std::string python = chosen ? chosen_python : "/usr/bin/python3";
  if (access(python.c_str(), X_OK) != 0)
    throw UsageError(python + " is missing or cannot be run",
                     chosen ? "set POCSIM_PYTHON to a Python with h5py, matplotlib, pandas, scipy and yaml, or unset it"
                            : "install it with ./build.sh deps, or set POCSIM_PYTHON to another Python interpreter");
  char self_path[4096] = {};
  const ssize_t n = readlink("/proc/self/exe", self_path, sizeof self_path - 1);
  const std::string self = n > 0 ? std::string(self_path, static_cast<std::size_t>(n)) : "";
  const std::string root = analysis_root(self);
  std::vector<std::string> argv{python, "-m", "analysis.report", file, "--pocsim", self.empty() ? "pocsim" : self};
  if (!output.empty()) argv.insert(argv.end(), {"-o", output});
  if (!sensitivity.empty()) argv.insert(argv.end(), {"--sensitivity", sensitivity});
  std::fflush(stdout);
  const pid_t child = fork();
  if (child == 0) {
    setenv("PYTHONPATH", root.c_str(), 1);
    // No __pycache__ beside an installed package (which its package manager would not remove) or in the source tree.
    setenv("PYTHONDONTWRITEBYTECODE", "1", 1);
    std::vector<char*> c_argv;
    for (std::string& a : argv) c_argv.push_back(a.data());
    c_argv.push_back(nullptr);
    execv(python.c_str(), c_argv.data());
    _exit(127);
  }
  int status = 0;
  if (child < 0 || waitpid(child, &status, 0) < 0) throw std::runtime_error("cannot start " + std::string(python));
  return WIFEXITED(status) ? WEXITSTATUS(status) : exit_failure;
}

}  // namespace pocsim::cli

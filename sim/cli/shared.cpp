#include "cli/shared.hpp"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "ensemble/sweep.hpp"
#include "io/hdf5.hpp"
#include "io/pending_file.hpp"
#include "pocsim/build_info.hpp"
#include "scenario/loader.hpp"

namespace pocsim::cli {

volatile std::sig_atomic_t stop_requested = 0;

namespace {
extern "C" void request_stop(int) { stop_requested = 1; }
}  // namespace

StopOnSignal::StopOnSignal() {
  stop_requested = 0;
  struct sigaction sa {};
  sa.sa_handler = request_stop;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &old_int_);
  sigaction(SIGTERM, &sa, &old_term_);
}

StopOnSignal::~StopOnSignal() {
  sigaction(SIGINT, &old_int_, nullptr);
  sigaction(SIGTERM, &old_term_, nullptr);
}

std::string version_text() {
  std::ostringstream o;
  o << "pocsim " << build_info::version << " (commit " << build_info::git_commit
    << (build_info::git_dirty ? ", modified" : "") << ", " << build_info::build_type << ", " << build_info::compiler << ", "
    << (ensemble::MpiSession::available() ? std::string("MPI: ") + ensemble::MpiSession::library() : std::string("without MPI"))
    << ")";
  return o.str();
}

po::variables_map parse(const std::vector<std::string>& args, const po::options_description& visible,
                        const po::positional_options_description& positional, const std::string& command) {
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(visible).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(e.what(), "run 'pocsim " + command + " --help' for the options");
  }
  return vm;
}

po::variables_map parse(const std::vector<std::string>& args, const po::options_description& visible, const char* name,
                        const po::value_semantic* semantic, int max, const std::string& command) {
  po::options_description all;
  all.add(visible).add_options()(name, semantic);
  po::positional_options_description pos;
  pos.add(name, max);
  return parse(args, all, pos, command);
}

int report_errors(const scenario::ScenarioError& e) {
  std::cerr << e.what();
  const std::size_t n = e.diagnostics().size();
  std::cerr << n << (n == 1 ? " error" : " errors") << "; nothing was run.\n";
  return exit_bad_input;
}

std::string stem_of(const std::string& path) { return std::filesystem::path(path).stem().string(); }

std::string checked_output(std::string given, const std::string& fallback, const std::vector<std::string>& companions,
                           bool force, bool journalled) {
  if (given.empty()) {
    given = fallback;
    std::filesystem::create_directories(std::filesystem::path(fallback).parent_path());
  }
  const std::filesystem::path out(given);
  if (!out.parent_path().empty() && !std::filesystem::is_directory(out.parent_path()))
    throw UsageError("the output directory " + out.parent_path().string() + " does not exist", "create it, or choose another -o FILE");
  if (std::filesystem::is_directory(out))
    throw UsageError("the output " + given + " is a directory", "name a file inside it, e.g. -o " + (out / "result.h5").string());
  if (journalled && std::filesystem::exists(given + ".journal")) return given;
  std::vector<std::string> files{given};
  for (const std::string& suffix : companions) files.push_back(std::filesystem::path(given).replace_extension(suffix).string());
  for (const std::string& f : files)
    if (std::filesystem::exists(f) && !force)
      throw UsageError("output file " + f + " exists", "choose another -o FILE, or add --force to overwrite it");
  return given;
}

void write_text_file(const std::string& path, const std::string& text) { io::write_file_atomically(path, text); }

scenario::Scenario reload_scenario(const std::string& path, const std::string& option, const std::vector<std::string>& overrides,
                                   const std::string& recorded, const std::string& consequence, const std::string& fix) {
  scenario::Scenario sc = option.empty() ? scenario::load_scenario(path, overrides) : scenario::load_option(path, option, overrides);
  if (const std::string difference = scenario::parameters_difference(recorded, sc.resolved_yaml); !difference.empty())
    throw UsageError("the scenario " + path + (option.empty() ? "" : " with option " + option) +
                         " no longer gives the parameters the run had (" + difference + "), so " + consequence,
                     fix);
  return sc;
}

std::string absolute(const std::string& path) { return path.empty() ? path : std::filesystem::absolute(path).lexically_normal().string(); }

}  // namespace pocsim::cli

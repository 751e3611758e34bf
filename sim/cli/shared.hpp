#pragma once
// Internal to sim/cli: what every command shares — stopping on a signal, usage errors, option parsing,
// output files that are never overwritten unawares, reloading a run's scenario — and the commands, each in
// a file of its own (run.cpp, serve.cpp, compare.cpp, sweep.cpp, report.cpp, validate.cpp).
#include <csignal>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "scenario/diagnostics.hpp"
#include "scenario/loader.hpp"

namespace pocsim::cli {

namespace po = boost::program_options;

// Set by SIGINT or SIGTERM while a StopOnSignal is alive; long commands check it between steps or runs.
extern volatile std::sig_atomic_t stop_requested;

// Installs the stop handlers for the lifetime of a run and restores the previous ones after it.
class StopOnSignal {
 public:
  StopOnSignal();
  ~StopOnSignal();
  StopOnSignal(const StopOnSignal&) = delete;
  StopOnSignal& operator=(const StopOnSignal&) = delete;

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

// Bad command-line usage: reported like a scenario error, exit code 2.
struct UsageError : std::runtime_error {
  std::string hint;
  UsageError(const std::string& message, std::string fix) : std::runtime_error(message), hint(std::move(fix)) {}
};

std::string version_text();

// Parses a command's options; a bad option is a UsageError pointing at the command's --help.
po::variables_map parse(const std::vector<std::string>& args, const po::options_description& visible,
                        const po::positional_options_description& positional, const std::string& command);
// The same, for a command whose positional arguments all go to one hidden option `name` (at most `max`
// of them; -1: any number), read with `semantic`.
po::variables_map parse(const std::vector<std::string>& args, const po::options_description& visible, const char* name,
                        const po::value_semantic* semantic, int max, const std::string& command);

// Prints a scenario's diagnostics and a count; returns the bad-input exit code.
int report_errors(const scenario::ScenarioError& e);

std::string stem_of(const std::string& path);
std::string absolute(const std::string& path);

// The output file to write: `given`, or `fallback` under results/ (created); refused when it, or one of
// the companion files written beside it (same stem, other suffixes), exists without --force, or when its
// directory does not.
// A command that journals its runs (compare, sweep) passes `journalled`: a journal beside the output means
// the last such command on it stopped before removing the journal (perhaps just after writing the output),
// so running it again completes from the journal and replaces what is there without --force; a journal of
// another command is refused when it is read.
std::string checked_output(std::string given, const std::string& fallback, const std::vector<std::string>& companions, bool force,
                           bool journalled = false);

// Writes a text file whole, or removes it and throws io::Hdf5Error naming it.
void write_text_file(const std::string& path, const std::string& text);

// A run's scenario read again from its files (to resume or replay it), refused when the files no longer give
// the parameters recorded with the run (compared as parameters: order and number format aside).
scenario::Scenario reload_scenario(const std::string& path, const std::string& option, const std::vector<std::string>& overrides,
                                   const std::string& recorded, const std::string& consequence, const std::string& fix);

// ---- The commands: each takes its arguments (after the command's name) and the whole command line ----
int command_run(const std::vector<std::string>& args, const std::string& command_line);
int command_resume(const std::vector<std::string>& args, const std::string& command_line);
int command_serve(const std::vector<std::string>& args, const std::string& command_line);
int command_compare(const std::vector<std::string>& args, const std::string& command_line);
int command_explain(const std::vector<std::string>& args, const std::string& command_line);
int command_sweep(const std::vector<std::string>& args, const std::string& command_line);
int command_merge(const std::vector<std::string>& args, const std::string& command_line);
int command_analyse(const std::vector<std::string>& args, const std::string& command_line);
int command_report(const std::vector<std::string>& args, const std::string& command_line);
int command_export(const std::vector<std::string>& args, const std::string& command_line);
int command_validate(const std::vector<std::string>& args, const std::string& command_line);
int command_schema(const std::vector<std::string>& args, const std::string& command_line);

}  // namespace pocsim::cli

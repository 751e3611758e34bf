#pragma once
// Scenario files: read, validate every key against the parameter table, apply command-line overrides
// through the same validation, and freeze the result. Any problem throws ScenarioError listing every
// diagnostic found, not only the first.
#include <optional>
#include <string>
#include <vector>

#include "io/provenance.hpp"
#include "model/params.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/parameters.hpp"
#include "scenario/uncertain.hpp"

namespace pocsim::scenario {

// A mandate option: levers added to a scenario from a decision date, when it branches from the baseline.
struct OptionInfo {
  std::string path;
  std::string text;                    // the option file verbatim
  std::string name;                    // 'name:' or the file's stem
  std::string description;
  std::int64_t decision = 0;           // first step at which the option differs from the baseline
  std::string decision_where;
  std::size_t first_lever = 0;         // the option's levers are params.levers[first_lever...]
  [[nodiscard]] std::vector<model::LeverDef> levers_of(const model::Params& p) const;
};

struct Scenario {
  std::string path;                    // as given
  std::string text;                    // the file verbatim
  std::vector<std::pair<std::string, std::string>> bases;  // (path, text) of the files it overlays, base first
  std::optional<OptionInfo> option;    // set by load_option
  std::vector<std::string> overrides;  // "key=value" as given on the command line
  Settings settings;                   // validated, defaults filled in
  std::string resolved_yaml;           // every parameter's value in force, as YAML
  // The `uncertain:` block of the nearest file that has one (an overlay's replaces its base's).
  std::vector<UncertainParameter> uncertain;

  [[nodiscard]] const model::Params& params() const { return settings.params; }
};

// Loads and validates a scenario file, then applies overrides ("key=value", each validated as if it
// were in the file). Throws ScenarioError.
Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides = {});

// The same, for scenario text that did not come from a file (`name` is used in messages).
Scenario parse_scenario(const std::string& text, const std::string& name,
                        const std::vector<std::string>& overrides = {});

// The scenario with a mandate option's levers added after its own (see docs/comparing.md for the option
// file). Throws ScenarioError, naming the option file's lines for problems in it.
Scenario load_option(const std::string& scenario_path, const std::string& option_path,
                     const std::vector<std::string>& overrides = {});

// Every parameter in force, as YAML nested by key path in the table's order, read through each row's
// binding (stored in every output file as parameters_resolved).
std::string resolved_parameters(const model::Params& params);

// Where two records of parameters in force (resolved_parameters) differ, as "KEY was A, now B", or "" when
// they give the same parameters: compared as values, so key order and number formats do not matter (a
// checkpoint written by an earlier build still resumes).
std::string parameters_difference(const std::string& recorded, const std::string& now);

// Whether a file reads as a mandate option (a mapping with a 'decision' key) rather than a scenario.
bool is_option_file(const std::string& path);

// Where a result came from, for the output file: the scenario (and the files it overlays), every
// parameter in force, the overrides and the command.
io::RunProvenance provenance_of(const Scenario& s, const std::string& command_line, int threads);

// A scenario's name for output files and displays: its stem, or for a library setting's base.yaml the
// setting's folder (results/mali.h5, not results/base.h5 for every setting).
std::string scenario_name(const std::string& path);

// Physical memory of this machine in bytes, used to refuse scenarios that cannot fit.
std::uint64_t physical_memory_bytes();

}  // namespace pocsim::scenario

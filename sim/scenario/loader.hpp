#pragma once
// Scenario files: read, validate every key against the parameter table, apply command-line overrides
// through the same validation, and freeze the result. Any problem throws ScenarioError listing every
// diagnostic found, not only the first.
#include <string>
#include <vector>

#include "model/params.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/parameters.hpp"

namespace pocsim::scenario {

struct Scenario {
  std::string path;                    // as given
  std::string text;                    // the file verbatim
  std::vector<std::string> overrides;  // "key=value" as given on the command line
  Settings settings;                   // validated, defaults filled in
  std::string resolved_yaml;           // every parameter's value in force, as YAML

  [[nodiscard]] const model::Params& params() const { return settings.params; }
};

// Loads and validates a scenario file, then applies overrides ("key=value", each validated as if it
// were in the file). Throws ScenarioError.
Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides = {});

// The same, for scenario text that did not come from a file (`name` is used in messages).
Scenario parse_scenario(const std::string& text, const std::string& name,
                        const std::vector<std::string>& overrides = {});

// Physical memory of this machine in bytes, used to refuse scenarios that cannot fit.
std::uint64_t physical_memory_bytes();

}  // namespace pocsim::scenario

#pragma once
// Internal to sim/scenario. Reading a scenario's YAML into validated values (the Validator: reading.cpp),
// the checks that need the whole scenario, grouped by mechanism (checks.cpp), and the files and overlays a
// scenario is read from (files.cpp); loader.cpp puts them together.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "scenario/calendar.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/parameters.hpp"
#include "scenario/yaml_input.hpp"

namespace pocsim::scenario::detail {

inline constexpr std::uintmax_t max_scenario_bytes = 16u << 20;
inline constexpr int max_nesting = 64;                  // far deeper than any valid input (a schedule in a record: 5)
inline constexpr std::size_t max_values = 2'000'000;    // values in one file, aliases expanded

// Keys that may appear directly under a section ("" is the top level), in table order.
std::vector<std::string> children_of(const std::string& section);
bool is_section(const std::string& path);
std::vector<std::string> all_paths();
std::string scalar_text(const YAML::Node& n);
// What a node is, for messages: its text quoted, "a list", "a mapping" or "nothing".
std::string shown(const YAML::Node& n);
std::string flow_yaml(const YAML::Node& n);
bool parse_double(const std::string& text, double& out);

// A raster a scenario names: which key, the file as written, where it was written.
struct RasterFile {
  std::string key, file, where;
};

// Validates values against the parameter table, collecting every problem with where it was written.
class Validator {
 public:
  // Where values are being read from: a file (locations get line and column) or one --set option.
  std::string source;
  bool source_has_lines = true;
  std::string loc(const YAML::Mark& m) const { return source_has_lines ? location(source, m) : source; }

  std::vector<Diagnostic> errors;
  Calendar calendar;                          // for times written as durations or dates (set before reading)
  std::map<std::string, Value> given;         // validated values, by path
  std::map<std::string, std::string> where;   // where each given value came from

  // ---- Reading values (reading.cpp) ----
  void walk(const YAML::Node& node, const std::string& section);
  static std::string unknown_key_hint(const std::string& key, const std::string& section);
  // Validates one value against its spec; on failure records a diagnostic and returns false.
  bool read_value(const ParamInfo& spec, const YAML::Node& node, const std::string& at, Value& out);
  static bool read_coordinate(const YAML::Node& n, int& out);
  static bool read_point(const YAML::Node& n, std::array<int, 2>& p);
  bool read_records(const ParamInfo& spec, const YAML::Node& node, const std::string& at, Value& out);
  static std::string field_names(const ParamInfo& spec);
  bool read_schedule(const ParamInfo& spec, const YAML::Node& node, const std::string& at, Value& out);
  void read_change(const YAML::Node& c, const std::string& item, ParamInfo level, ParamInfo step_spec, std::vector<core::ScheduledChange>& changes);
  void apply_override(const std::string& text);
  // LIST[i].FIELD=VALUE changes one field of one entry of a list the scenario gives: the entry is
  // rewritten in YAML and the whole list validated again, exactly as if the file had said so.
  // Returns false when the path is not of that form.
  bool override_list_field(const std::string& at, const std::string& path, const std::string& value_text);
  std::string where_of(const std::string& path, const std::string& fallback) const;
  // The records of a list key as given (empty when the scenario did not give it).
  const std::vector<Record>& records_of(const std::string& path) const;
  static std::string where_in(const Record& r, const std::string& key);

  // ---- Checks of the whole scenario, by mechanism (checks.cpp) ----
  // Resolves names between entries and checks that every place lies on the grid.
  void link(Settings& s, const std::string& file);
  // The file a value was written in, from its location "file:line:column" (a --set value: `fallback`).
  // Paths in a file are relative to that file, also when an overlay of another folder uses it.
  static std::string origin_file(const std::string& where, const std::string& fallback);
  // A raster layer named by a scenario key: read through io, then checked against the grid and the
  // layer's meaning (terrain multipliers > 0; population weights and road marks >= 0).
  void read_raster(const RasterFile& raster, const std::string& scenario_file, model::Params& p);
  void check_combinations(const Settings& s, const std::string& file);
  void check_people(const model::Params& p, const core::Grid& grid, const std::string& file);
};

// Every default in the table, read as a scenario's would be (durations with its step length).
Settings defaults(const Calendar& calendar);

// ---- Files (files.cpp) ----
// One file of a scenario: an overlay names the file it changes with `base:`; the chain is read base first.
struct Layer {
  std::string name;
  std::string text;
  YAML::Node root;
};

// A file's text, with the guards of every input (missing, directory, device, oversized): ScenarioError.
std::string read_file(const std::string& path, const std::string& what = "scenario file");
// Parses YAML text with the guards against bombs (nesting, aliases) and invalid UTF-8: ScenarioError.
YAML::Node parse_yaml(const std::string& text, const std::string& name);
// The layers of a scenario, base first. `base:` is resolved relative to the file that names it.
std::vector<Layer> read_layers(const std::string& text, const std::string& name);
// The step length and start date, read ahead of everything else (see files.cpp).
Calendar calendar_of(const std::vector<Layer>& layers, const std::vector<std::string>& overrides);

}  // namespace pocsim::scenario::detail

#pragma once
// The parameter table: every scenario key declared once, with its type, unit, range, default, meaning
// and source. Validation, `pocsim schema` and docs/parameters.md are all generated from it.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/schedule.hpp"
#include "model/params.hpp"

namespace pocsim::scenario {

enum class ValueType { boolean, integer, real, text, choice, schedule };

// A validated value; only the member matching the spec's type is meaningful.
struct Value {
  bool boolean = false;
  std::int64_t integer = 0;
  double real = 0;
  std::string text;
  core::Schedule schedule;
};

// What a scenario file sets: the model's parameters plus text about the scenario itself.
struct Settings {
  std::string description;
  model::Params params;
};

struct ParamSpec {
  std::string path;              // dotted key path, e.g. "citizens.legitimacy"
  ValueType type;
  std::string unit;              // "1" for dimensionless shares and probabilities
  double min = 0;                // inclusive bounds for integer, real and schedule values
  double max = 0;
  std::vector<std::string> choices;
  std::string default_value;     // as written in YAML
  std::string meaning;
  std::string source;
  std::function<void(Settings&, const Value&)> apply;
};

const std::vector<ParamSpec>& parameter_table();
const ParamSpec* find_parameter(const std::string& path);

// "number in [0, 1]", "one of floor, round, none", ... as used in messages and docs.
std::string describe_allowed(const ParamSpec& spec);
std::string type_name(ValueType t);

}  // namespace pocsim::scenario

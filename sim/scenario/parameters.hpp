#pragma once
// The parameter table: every scenario key declared once, with its type, unit, range, default, meaning
// and source. Validation, `pocsim schema` and docs/parameters.md are all generated from it.
#include <cstdint>
#include <array>
#include <functional>
#include <string>
#include <vector>

#include "core/schedule.hpp"
#include "model/params.hpp"

namespace pocsim::scenario {

// point: [x, y] cells; points: a list of points (a polyline or polygon); rect: [x0, y0, x1, y1];
// records: a list of mappings, each with the keys declared in ParamSpec::fields.
enum class ValueType { boolean, integer, real, text, choice, schedule, point, points, rect, records };

struct Record;

// A validated value; only the members matching the spec's type are meaningful.
struct Value {
  bool boolean = false;
  std::int64_t integer = 0;
  double real = 0;
  std::string text;
  core::Schedule schedule;
  std::vector<std::array<int, 2>> points;  // point: one; points: the list; rect: two corners
  std::vector<Record> records;
  std::string where;  // where it was given (file:line:column or --set ...), for cross-checks
  std::string yaml;   // as given, in flow YAML, for the record of resolved parameters
};

// One item of a records list: its fields in the order given.
struct Record {
  // Special members defined in parameters.cpp, where Value is complete: defined implicitly here, they
  // would make clang (libstdc++'s std::pair checks) instantiate Value's members inside its own definition.
  Record();
  ~Record();
  Record(const Record&);
  Record(Record&&) noexcept;
  Record& operator=(const Record&);
  Record& operator=(Record&&) noexcept;

  std::string where;
  std::vector<std::pair<std::string, Value>> fields;
  [[nodiscard]] const Value* get(const std::string& key) const;
  [[nodiscard]] std::string text(const std::string& key) const;  // "" when absent
};

// Names a scenario uses to refer to other entries, resolved (and checked) once everything is read.
struct CommodityLinks {
  std::string from, to, network;
};

// A raster a scenario names: which key, the file as written, where it was written.
struct RasterFile {
  std::string key, file, where;
};

// What a scenario file sets: the model's parameters plus text about the scenario itself.
struct Settings {
  std::string description;
  model::Params params;
  std::vector<CommodityLinks> commodity_links;  // one per economy.commodities entry
  std::vector<RasterFile> raster_files;
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
  std::vector<ParamSpec> fields;  // records: the keys of each item; a field whose default is "" is required
};

const std::vector<ParamSpec>& parameter_table();
const ParamSpec* find_parameter(const std::string& path);

// "number in [0, 1]", "one of floor, round, none", ... as used in messages and docs.
std::string describe_allowed(const ParamSpec& spec);
std::string type_name(ValueType t);

}  // namespace pocsim::scenario

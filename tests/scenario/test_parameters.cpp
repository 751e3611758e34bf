// The parameter table is the one place a key's default lives: what `pocsim schema` says is what a run
// records when the scenario leaves the key out, and every row reads back what it set.
#include <catch2/catch.hpp>

#include <string>

#include <yaml-cpp/yaml.h>

#include "model/parameters.hpp"
#include "scenario/calendar.hpp"
#include "scenario/loader.hpp"
#include "support/support.hpp"

using namespace pocsim;

namespace {
// The value at a dotted path of a YAML record of parameters.
YAML::Node at_path(YAML::Node root, const std::string& path) {
  YAML::Node n = root;
  std::string rest = path;
  for (auto dot = rest.find('.'); dot != std::string::npos; dot = rest.find('.')) {
    n.reset(n[rest.substr(0, dot)]);
    rest = rest.substr(dot + 1);
  }
  return n[rest];
}

// Whether a recorded value is the default a schema row states (durations in the run's steps).
bool is_default(const model::ParamInfo& spec, const YAML::Node& recorded, const scenario::Calendar& calendar) {
  const YAML::Node given = YAML::Load(spec.default_value);
  if (given.IsSequence() || recorded.IsSequence()) return given.IsSequence() && recorded.IsSequence() && given.size() == recorded.size();
  std::string text = given.Scalar();
  if (spec.type == model::ValueType::integer && spec.unit == "step") {
    std::string why;
    if (const auto steps = scenario::steps_of(text, calendar, why)) text = std::to_string(*steps);
  }
  if (spec.type == model::ValueType::integer || spec.type == model::ValueType::real || spec.type == model::ValueType::schedule)
    return recorded.as<double>() == std::stod(text);
  return recorded.Scalar() == text;
}
}  // namespace

TEST_CASE("every key a scenario leaves out is recorded with the default pocsim schema states", "[scenario][parameters]") {
  for (const char* step : {"week", "month"}) {
    const auto s = scenario::parse_scenario(std::string("run: {step_length: ") + step + "}\n", "s.yaml");
    const YAML::Node recorded = YAML::Load(s.resolved_yaml);
    scenario::Calendar calendar;
    calendar.step = std::string(step) == "month" ? scenario::StepLength::month : scenario::StepLength::week;
    for (const model::ParamSpec& spec : model::parameter_table()) {
      if (spec.path == "run.step_length") continue;  // set above
      INFO(spec.path << " (steps of a " << step << "): schema says " << spec.default_value << ", the run recorded "
                     << YAML::Dump(at_path(recorded, spec.path)));
      CHECK(is_default(spec, at_path(recorded, spec.path), calendar));
    }
  }
}

TEST_CASE("the fields a list entry leaves out are recorded with their schema defaults", "[scenario][parameters]") {
  // One entry of every list, with only its required fields.
  const auto s = scenario::parse_scenario(
      "grid: {width: 20, height: 20}\n"
      "citizens: {vision: 2}\n"
      "geography:\n  regions: [{name: r, rect: [0, 0, 9, 9]}]\n  roads: [{name: road, path: [[0, 0], [9, 9]]}]\n"
      "  points: [{name: a, kind: town, at: [1, 1]}, {name: b, kind: border_crossing, at: [18, 18]}]\n"
      "economy:\n  networks: [{name: n}]\n"
      "  commodities: [{name: c, kind: drugs, from: a, to: b, network: n, volume: 1, source_price: 1, exit_price: 2}]\n"
      "police:\n  vision: 2\n  posts: [{name: p, at: [5, 5]}]\n  interdiction: [{target: road, multiplier: 2}]\n"
      "armed_groups:\n  groups: [{name: g, base: [10, 10], fighters: 5}]\n"
      "state_forces:\n  garrisons: [{name: h, at: [3, 3], troops: 10}]\n"
      "mission:\n  bases: [{name: m, at: [12, 12], troops: 100}]\n"
      "levers: [{lever: cvr, intensity: 10}]\n",
      "s.yaml");
  const YAML::Node recorded = YAML::Load(s.resolved_yaml);
  const scenario::Calendar calendar;
  int checked = 0;
  for (const model::ParamSpec& spec : model::parameter_table()) {
    if (spec.type != model::ValueType::records) continue;
    const YAML::Node item = at_path(recorded, spec.path)[0];
    REQUIRE(item.IsMap());
    for (const model::ParamInfo& field : spec.fields) {
      if (field.default_value.empty() || field.default_value == "null") continue;  // required, or optional without default
      if (field.path == "fighters") continue;                                      // given above
      INFO(spec.path << "[0]." << field.path << ": schema says " << field.default_value << ", recorded " << YAML::Dump(item[field.path]));
      CHECK(is_default(field, item[field.path], calendar));
      ++checked;
    }
  }
  CHECK(checked > 30);
}

TEST_CASE("every row reads back what it set, so the record of a run is the model's parameters", "[scenario][parameters]") {
  // A shipped setting with every mechanism: setting each row to the value it reads changes nothing.
  const auto s = scenario::load_scenario(test::source_path("scenarios/library/mali/base.yaml"));
  model::Params p = s.params();
  for (const model::ParamSpec& spec : model::parameter_table()) spec.set(p, spec.get(s.params()));
  CHECK(scenario::resolved_parameters(p) == s.resolved_yaml);
  // And the record reads back as a scenario that resolves to the same record.
  CHECK(scenario::parse_scenario(s.resolved_yaml, "resolved.yaml").resolved_yaml == s.resolved_yaml);
}

TEST_CASE("parameter records are compared as values, not as text", "[scenario][parameters]") {
  CHECK(scenario::parameters_difference("a: {b: 1.0, c: [1, 2]}\n", "a: {c: [1, 2], b: 1}\n").empty());
  CHECK(scenario::parameters_difference("a: {b: 1}\n", "a: {b: 2}\n") == "a.b was 1, now 2");
  CHECK(scenario::parameters_difference("a: [1, 2]\n", "a: [1, 3]\n") == "a[1] was 2, now 3");
  CHECK(scenario::parameters_difference("a: 1\n", "a: 1\nb: x\n") == "b was (nothing), now x");
}

#include "scenario/loader.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

#include <yaml-cpp/yaml.h>

#include "core/text.hpp"
#include "scenario/reading.hpp"
#include "scenario/yaml_input.hpp"

namespace pocsim::scenario {

namespace fs = std::filesystem;
using core::join;
using core::quoted;
using core::shortest;
using namespace detail;

namespace detail {
// Every default in the table is valid by construction; a failure here is a bug in the table.
// Defaults written as durations ("1 year") depend on the scenario's step length.
Settings defaults(const Calendar& calendar) {
  Settings s;
  Validator v;
  v.calendar = calendar;
  for (const ParamSpec& spec : parameter_table()) {
    Value value;
    if (!v.read_value(spec, YAML::Load(spec.default_value), "default", value))
      throw std::logic_error("invalid default for " + spec.path + ": " + v.errors.back().format());
    spec.set(s.params, value);
  }
  return s;
}
}  // namespace detail

namespace {

YAML::Node flow_sequence() {
  YAML::Node n(YAML::NodeType::Sequence);
  n.SetStyle(YAML::EmitterStyle::Flow);
  return n;
}

YAML::Node point_node(const std::array<int, 2>& p) {
  YAML::Node n = flow_sequence();
  n.push_back(p[0]);
  n.push_back(p[1]);
  return n;
}

// A value as YAML, in the canonical form of the record of parameters in force (durations as steps).
YAML::Node value_node(const ParamInfo& spec, const Value& v) {
  switch (spec.type) {
    case ValueType::point: return point_node(v.points.at(0));
    case ValueType::points: {
      YAML::Node n = flow_sequence();
      for (const auto& p : v.points) n.push_back(point_node(p));
      return n;
    }
    case ValueType::rect: {
      YAML::Node n = flow_sequence();
      for (const auto& p : v.points) {
        n.push_back(p[0]);
        n.push_back(p[1]);
      }
      return n;
    }
    case ValueType::records: {
      YAML::Node list(YAML::NodeType::Sequence);
      for (const Record& r : v.records) {
        YAML::Node item(YAML::NodeType::Map);
        item.SetStyle(YAML::EmitterStyle::Flow);
        for (const auto& [key, value] : r.fields)
          for (const ParamInfo& f : spec.fields)
            if (f.path == key) item[key] = value_node(f, value);
        list.push_back(item);
      }
      return list;
    }
    case ValueType::text:
    case ValueType::choice: return YAML::Node(v.text);
    case ValueType::boolean: return YAML::Node(v.boolean);
    case ValueType::integer: return YAML::Node(v.integer);
    case ValueType::real: return YAML::Load(shortest(v.real));
    case ValueType::schedule: {
      if (v.schedule.constant()) return YAML::Load(shortest(v.schedule.initial()));
      YAML::Node n;
      n.SetStyle(YAML::EmitterStyle::Flow);
      n["initial"] = YAML::Load(shortest(v.schedule.initial()));
      for (const auto& c : v.schedule.changes()) {
        YAML::Node change;
        change["at"] = c.at;
        change["to"] = YAML::Load(shortest(c.to));
        change["over"] = c.over;
        n["changes"].push_back(change);
      }
      return n;
    }
  }
  return {};
}

}  // namespace

// Every parameter in force, nested by its dotted path, in the table's order: read from the parameters
// themselves through each row's binding, so the record cannot say other than what the model was given.
std::string resolved_parameters(const model::Params& params) {
  YAML::Node root(YAML::NodeType::Map);
  for (const ParamSpec& spec : parameter_table()) {
    YAML::Node value = value_node(spec, spec.get(params));
    YAML::Node at = root;
    std::string rest = spec.path;
    for (auto dot = rest.find('.'); dot != std::string::npos; dot = rest.find('.')) {
      const std::string section = rest.substr(0, dot);
      // yaml-cpp attaches a child to its parent only when the child is assigned: create it first.
      if (!at[section]) at[section] = YAML::Node(YAML::NodeType::Map);
      at.reset(at[section]);  // reset rebinds; '=' would assign into the node
      rest = rest.substr(dot + 1);
    }
    at[rest] = value;
  }
  YAML::Emitter out;
  out << root;
  return std::string(out.c_str()) + "\n";
}

namespace {

std::string yaml_text(const YAML::Node& n) {
  if (!n.IsDefined() || n.IsNull()) return "(nothing)";
  if (n.IsScalar()) return n.Scalar();
  return flow_yaml(n);
}

// The first difference between two parameter records, as "key was A, now B"; "" when none.
std::string first_difference(const YAML::Node& a, const YAML::Node& b, const std::string& at) {
  const auto differ = [&] { return (at.empty() ? std::string("the parameters") : at) + " was " + yaml_text(a) + ", now " + yaml_text(b); };
  if (a.Type() != b.Type()) return differ();
  if (a.IsScalar()) {
    double x = 0, y = 0;
    if (parse_double(a.Scalar(), x) && parse_double(b.Scalar(), y)) return x == y ? "" : differ();
    return a.Scalar() == b.Scalar() ? "" : differ();
  }
  if (a.IsSequence()) {
    if (a.size() != b.size()) return differ();
    for (std::size_t i = 0; i < a.size(); ++i)
      if (std::string d = first_difference(a[i], b[i], at + "[" + std::to_string(i) + "]"); !d.empty()) return d;
    return "";
  }
  if (a.IsMap()) {
    for (const auto& kv : a) {
      const std::string key = kv.first.Scalar();
      if (std::string d = first_difference(kv.second, b[key], at.empty() ? key : at + "." + key); !d.empty()) return d;
    }
    for (const auto& kv : b)
      if (!a[kv.first.Scalar()]) return first_difference(YAML::Node(), kv.second, at.empty() ? kv.first.Scalar() : at + "." + kv.first.Scalar());
  }
  return "";
}

const char* const option_keys = "name, description, decision, levers";

// A mandate option's file: its levers are added to the scenario's (after them, so they are funded after
// the scenario's own levers when the budget is short).
void read_option(Validator& v, const Layer& option, OptionInfo& info) {
  v.source = option.name;
  v.source_has_lines = true;
  const YAML::Node& root = option.root;
  if (!root.IsMap()) {
    v.errors.push_back({location(option.name, root.Mark()), "", "expected a mapping of keys, got " + shown(root),
                        "an option file has the keys " + std::string(option_keys)});
    return;
  }
  info.name = fs::path(option.name).stem().string();
  std::string name_where = option.name;
  bool have_decision = false, have_levers = false;
  for (const auto& kv : root) {
    const std::string key = scalar_text(kv.first);
    const std::string at = location(option.name, kv.first.Mark());
    const std::string value_at = kv.second.IsNull() ? at : location(option.name, kv.second.Mark());
    Value value;
    if (key == "name" || key == "description") {
      const ParamInfo text{key, ValueType::text, "", 0, 0, {}, "", "", ""};
      if (v.read_value(text, kv.second, value_at, value)) (key == "name" ? info.name : info.description) = value.text;
      if (key == "name") name_where = value_at;
    } else if (key == "decision") {
      have_decision = true;
      const ParamInfo decision{"decision", ValueType::integer, "step", 1, 10'000'000, {}, "", "", ""};
      if (v.read_value(decision, kv.second, value_at, value)) info.decision = value.integer;
      info.decision_where = value_at;
    } else if (key == "levers") {
      have_levers = true;
      if (!v.read_value(*find_parameter("levers"), kv.second, value_at, value)) continue;
      if (value.records.empty()) {
        v.errors.push_back({value_at, "levers", "an option needs at least one lever", "list the levers the option adds"});
        continue;
      }
      auto it = v.given.find("levers");
      if (it == v.given.end()) {
        v.given["levers"] = value;
        v.where["levers"] = value_at;
      } else {
        // One list, the scenario's entries then the option's, each keeping where it was written.
        YAML::Node both = YAML::Load(it->second.yaml);
        for (const YAML::Node& item : YAML::Load(value.yaml)) both.push_back(item);
        it->second.yaml = flow_yaml(both);
        for (Record& r : value.records) it->second.records.push_back(std::move(r));
      }
    } else {
      const std::string close = nearest(key, {"name", "description", "decision", "levers"});
      v.errors.push_back({at, key, "unknown key in an option file",
                          (close.empty() ? std::string() : "did you mean " + quoted(close) + "? ") +
                              "an option file has the keys " + option_keys});
    }
  }
  // The name labels the option in files and tables (an HDF5 group, a CSV field).
  const bool plain = !info.name.empty() && info.name != "." && info.name != ".." &&
                     info.name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == std::string::npos;
  if (!plain)
    v.errors.push_back({name_where, "name", "'" + info.name + "' cannot name an option",
                        "use letters, digits, '_', '-' and '.', e.g. name: sanctions_north"});
  if (!have_decision)
    v.errors.push_back({option.name, "decision", "missing key 'decision'",
                        "add 'decision: DATE' (or a step or duration): the options branch from the baseline there"});
  if (!have_levers)
    v.errors.push_back({option.name, "levers", "missing key 'levers'", "list the levers the option adds, as in a scenario"});
}

Scenario build(const std::vector<Layer>& layers, const std::vector<std::string>& overrides, const Layer* option) {
  const Layer& top = layers.back();
  if (top.root.IsNull())
    throw ScenarioError({{top.name, "", "the scenario is empty",
                          "start from a shipped scenario, e.g. scenarios/epstein/run2.yaml, or see 'pocsim schema'"}});
  Validator v;
  v.calendar = calendar_of(layers, overrides);
  std::vector<UncertainParameter> uncertain;
  for (const Layer& layer : layers) {
    if (!layer.root.IsMap()) {
      v.errors.push_back({location(layer.name, layer.root.Mark()), "", "expected a mapping of keys at the top level, got " +
                          shown(layer.root), "a scenario is a YAML mapping; valid top-level keys: " + join(children_of(""))});
      continue;
    }
    v.source = layer.name;
    v.source_has_lines = true;
    v.walk(layer.root, "");
    if (layer.root["uncertain"]) uncertain = read_uncertain(layer.root["uncertain"], layer.name, v.errors);
  }
  for (const std::string& o : overrides) v.apply_override(o);
  std::size_t scenario_levers = v.records_of("levers").size();
  Scenario s;
  if (option) {
    s.option.emplace();
    s.option->path = option->name;
    s.option->text = option->text;
    s.option->first_lever = scenario_levers;
    read_option(v, *option, *s.option);
  }
  if (!v.errors.empty()) throw ScenarioError(v.errors);

  s.path = top.name;
  s.text = top.text;
  for (std::size_t i = 0; i + 1 < layers.size(); ++i) s.bases.emplace_back(layers[i].name, layers[i].text);
  s.overrides = overrides;
  s.uncertain = std::move(uncertain);
  s.settings = defaults(v.calendar);
  for (const ParamSpec& spec : parameter_table())
    if (const auto it = v.given.find(spec.path); it != v.given.end()) spec.set(s.settings.params, it->second);
  v.link(s.settings, top.name);
  v.check_combinations(s.settings, top.name);
  if (s.option) {
    // The option's levers follow the scenario's in one list; in its own file they are numbered from 0.
    for (Diagnostic& d : v.errors)
      if (d.where.rfind(option->name + ":", 0) == 0 && d.key.rfind("levers[", 0) == 0) {
        const std::size_t close = d.key.find(']');
        const std::size_t index = std::stoul(d.key.substr(7, close - 7)) - s.option->first_lever;
        d.key = "levers[" + std::to_string(index) + d.key.substr(close);
      }
    const model::Params& p = s.settings.params;
    const auto& records = v.records_of("levers");
    if (s.option->decision > p.run.steps)
      v.errors.push_back({s.option->decision_where, "decision", "is step " + std::to_string(s.option->decision) +
                          ", after the run's last step " + std::to_string(p.run.steps),
                          "choose a decision date within the run"});
    if (p.mission.bases.empty() && s.option->first_lever == 0 && p.mission.contracts <= 0)
      v.errors.push_back({Validator::where_in(records.at(s.option->first_lever), "lever"), "levers",
                          "the scenario has no mission (no base, lever or contracts) for the option's levers to belong to",
                          "give the scenario a mission: a base under mission.bases, or mission.contracts"});
    for (std::size_t i = s.option->first_lever; i < p.mission.levers.size(); ++i)
      if (p.mission.levers[i].start < s.option->decision)
        v.errors.push_back({Validator::where_in(records[i], "start"), "levers[" + std::to_string(i - s.option->first_lever) + "].start",
                            "starts at step " + std::to_string(p.mission.levers[i].start) + ", before the option's decision at step " +
                                std::to_string(s.option->decision),
                            "start it on or after the decision date: every option shares the baseline's run until then"});
  }
  if (!v.errors.empty()) throw ScenarioError(v.errors);
  s.resolved_yaml = resolved_parameters(s.settings.params);
  return s;
}

}  // namespace

std::string parameters_difference(const std::string& recorded, const std::string& now) {
  YAML::Node a, b;
  try {
    a = YAML::Load(recorded);
    b = YAML::Load(now);
  } catch (const YAML::Exception& e) {
    return "the recorded parameters do not read as YAML: " + e.msg;
  }
  return first_difference(a, b, "");
}

std::vector<model::LeverDef> OptionInfo::levers_of(const model::Params& p) const {
  return {p.mission.levers.begin() + static_cast<std::ptrdiff_t>(first_lever), p.mission.levers.end()};
}

Scenario parse_scenario(const std::string& text, const std::string& name, const std::vector<std::string>& overrides) {
  return build(read_layers(text, name), overrides, nullptr);
}

Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  return parse_scenario(read_file(path), path, overrides);
}




std::string scenario_name(const std::string& path) {
  const fs::path p(path);
  const std::string parent = p.parent_path().filename().string();
  return p.stem() == "base" && !parent.empty() && parent != "." ? parent : p.stem().string();
}

io::RunProvenance provenance_of(const Scenario& s, const std::string& command_line, int threads) {
  io::RunProvenance prov;
  prov.scenario_path = s.path;
  prov.scenario_text = s.text;
  for (const auto& [path, text] : s.bases) prov.scenario_bases += "# ---- " + path + "\n" + text;
  if (s.option) {
    prov.option_path = s.option->path;
    prov.option_text = s.option->text;
  }
  prov.parameters_resolved = s.resolved_yaml;
  for (const std::string& o : s.overrides) prov.overrides += o + "\n";
  prov.command_line = command_line;
  prov.seed = s.params().run.seed;
  prov.threads = threads;
  prov.start_time = io::utc_now_iso8601();
  return prov;
}

Scenario load_option(const std::string& scenario_path, const std::string& option_path,
                     const std::vector<std::string>& overrides) {
  const std::string text = read_file(option_path);
  const Layer option{option_path, text, parse_yaml(text, option_path)};
  return build(read_layers(read_file(scenario_path), scenario_path), overrides, &option);
}

}  // namespace pocsim::scenario

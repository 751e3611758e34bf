#include "scenario/parameters.hpp"

#include <limits>
#include <sstream>
#include <stdexcept>

namespace pocsim::scenario {

namespace {

using model::Params;

// Sources cited by more than one parameter.
const char* const epstein = "Epstein (2002), Modeling civil violence, PNAS 99(suppl. 3):7243-7250";
const char* const netlogo = "Wilensky (2004), NetLogo Rebellion model";
const char* const mesa = "Mesa examples, epstein_civil_violence (Mesa 3.x)";
const char* const design = "pocsim design choice (docs/odd.md)";

template <class Enum>
Enum pick(const std::vector<std::string>& names, const std::vector<Enum>& values, const std::string& chosen) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == chosen) return values[i];
  throw std::logic_error("choice not validated: " + chosen);  // validation admits only listed names
}

std::vector<ParamSpec> build_table() {
  constexpr double int_max = 9007199254740991.0;  // 2^53 - 1: exact as a double and in every YAML reader
  std::vector<ParamSpec> t;
  auto add = [&](ParamSpec s) { t.push_back(std::move(s)); };

  add({"description", ValueType::text, "", 0, 0, {}, "\"\"",
       "What the scenario represents and what it is meant to show; stored in every output file.", design,
       [](Settings& s, const Value& v) { s.description = v.text; }});

  // run
  add({"run.steps", ValueType::integer, "step", 1, 10'000'000, {}, "500",
       "Number of steps to simulate after the initial state (step 0).", design,
       [](Settings& s, const Value& v) { s.params.run.steps = v.integer; }});
  add({"run.seed", ValueType::integer, "", 0, int_max, {}, "1",
       "Seed of every random stream. The same seed and scenario give bit-identical results at any thread count.",
       design, [](Settings& s, const Value& v) { s.params.run.seed = static_cast<std::uint64_t>(v.integer); }});
  add({"run.snapshot_every", ValueType::integer, "step", 0, 10'000'000, {}, "10",
       "Interval between grid snapshots in the output; 0 records none. Step 0 is always recorded when > 0.",
       design, [](Settings& s, const Value& v) { s.params.run.snapshot_every = v.integer; }});

  // grid
  add({"grid.width", ValueType::integer, "cell", 1, 65536, {}, "40", "Number of columns of the grid.", epstein,
       [](Settings& s, const Value& v) { s.params.grid.width = static_cast<int>(v.integer); }});
  add({"grid.height", ValueType::integer, "cell", 1, 65536, {}, "40", "Number of rows of the grid.", epstein,
       [](Settings& s, const Value& v) { s.params.grid.height = static_cast<int>(v.integer); }});
  add({"grid.topology", ValueType::choice, "", 0, 0, {"torus", "bounded"}, "torus",
       "torus: edges wrap around (the paper's lattice); bounded: cells beyond an edge do not exist.", epstein,
       [](Settings& s, const Value& v) {
         s.params.grid.topology =
             pick<core::Topology>({"torus", "bounded"}, {core::Topology::torus, core::Topology::bounded}, v.text);
       }});

  // citizens
  add({"citizens.density", ValueType::real, "1", 0, 1, {}, "0.7",
       "Share of cells holding a citizen at step 0 (Epstein's agent density).", epstein,
       [](Settings& s, const Value& v) { s.params.citizens.density = v.real; }});
  add({"citizens.vision", ValueType::integer, "cell", 0, 1000, {}, "7",
       "How far a citizen sees cops and actives, in cells, under rules.vision_shape.", epstein,
       [](Settings& s, const Value& v) { s.params.citizens.vision = static_cast<int>(v.integer); }});
  add({"citizens.threshold", ValueType::real, "1", 0, 1, {}, "0.1",
       "T: a citizen turns active when grievance minus net risk exceeds it.", epstein,
       [](Settings& s, const Value& v) { s.params.citizens.threshold = v.real; }});
  add({"citizens.legitimacy", ValueType::schedule, "1", 0, 1, {}, "0.82",
       "L: the state's legitimacy as citizens perceive it; grievance is H (1 - L). A number, or a schedule "
       "{initial, changes: [{at, to, over}]}.",
       epstein, [](Settings& s, const Value& v) { s.params.citizens.legitimacy = v.schedule; }});

  // police
  add({"police.density", ValueType::schedule, "1", 0, 1, {}, "0.04",
       "Share of cells holding a cop on duty. A number, or a schedule; a change deploys or withdraws cops.",
       epstein, [](Settings& s, const Value& v) { s.params.police.density = v.schedule; }});
  add({"police.vision", ValueType::integer, "cell", 0, 1000, {}, "7",
       "How far a cop sees actives it can arrest, in cells.", epstein,
       [](Settings& s, const Value& v) { s.params.police.vision = static_cast<int>(v.integer); }});
  add({"police.max_jail_term", ValueType::integer, "step", 0, 1'000'000, {}, "30",
       "J_max: a jail term is drawn uniformly from {0, ..., J_max} steps.", epstein,
       [](Settings& s, const Value& v) { s.params.police.max_jail_term = static_cast<int>(v.integer); }});
  add({"police.arrest_constant", ValueType::real, "1", 0, 100, {}, "2.3",
       "k in the estimated arrest probability P = 1 - exp(-k (C/A)); 2.3 makes P = 0.9 when C = A = 1.",
       epstein, [](Settings& s, const Value& v) { s.params.police.arrest_constant = v.real; }});

  // rules: the structural choices that change the model's behaviour
  add({"rules.arrest_ratio", ValueType::choice, "", 0, 0, {"floor", "round", "none"}, "floor",
       "How C/A enters P: floor (NetLogo Rebellion; gives punctuated outbursts), round (Mesa; half to even), "
       "none (the paper's formula read literally; no outbursts).",
       std::string(netlogo) + "; " + mesa + "; " + epstein,
       [](Settings& s, const Value& v) {
         s.params.rules.arrest_ratio = pick<model::ArrestRatioRule>(
             {"floor", "round", "none"},
             {model::ArrestRatioRule::floor, model::ArrestRatioRule::round, model::ArrestRatioRule::none}, v.text);
       }});
  add({"rules.vision_shape", ValueType::choice, "", 0, 0, {"euclidean", "von_neumann", "moore"}, "euclidean",
       "Shape of vision: euclidean disc (NetLogo's in-radius), von_neumann (the paper's N/S/E/W lattice "
       "positions), moore (Mesa's square).",
       std::string(netlogo) + "; " + epstein + "; " + mesa,
       [](Settings& s, const Value& v) {
         s.params.rules.vision_shape = pick<core::NeighbourhoodShape>(
             {"euclidean", "von_neumann", "moore"},
             {core::NeighbourhoodShape::euclidean, core::NeighbourhoodShape::von_neumann,
              core::NeighbourhoodShape::moore},
             v.text);
       }});
  add({"rules.activation", ValueType::choice, "", 0, 0, {"sequential", "synchronous"}, "sequential",
       "sequential: agents act one at a time in an order reshuffled every step, each seeing earlier moves "
       "(the paper, NetLogo, Mesa); synchronous: all read the previous state, conflicts resolved by seeded "
       "priority; runs in parallel.",
       std::string(epstein) + "; " + design,
       [](Settings& s, const Value& v) {
         s.params.rules.activation = pick<model::Activation>(
             {"sequential", "synchronous"}, {model::Activation::sequential, model::Activation::synchronous}, v.text);
       }});
  add({"rules.movement", ValueType::boolean, "", 0, 0, {}, "true",
       "Whether agents move each step to a random empty cell within vision.", epstein,
       [](Settings& s, const Value& v) { s.params.rules.movement = v.boolean; }});
  add({"rules.jail", ValueType::choice, "", 0, 0, {"off_grid", "hold_cell"}, "off_grid",
       "off_grid: the jailed leave the grid and the arresting cop takes the cell (the paper, NetLogo); "
       "hold_cell: the jailed stay on their cell, blocking it (Mesa).",
       std::string(epstein) + "; " + mesa,
       [](Settings& s, const Value& v) {
         s.params.rules.jail = pick<model::JailRule>({"off_grid", "hold_cell"},
                                                     {model::JailRule::off_grid, model::JailRule::hold_cell}, v.text);
       }});
  add({"rules.placement", ValueType::choice, "", 0, 0, {"exact", "probabilistic"}, "exact",
       "exact: round(density x cells) agents of each kind on random cells; probabilistic: each cell "
       "independently a cop, a citizen or empty (NetLogo).",
       std::string(netlogo) + "; " + design,
       [](Settings& s, const Value& v) {
         s.params.rules.placement = pick<model::Placement>(
             {"exact", "probabilistic"}, {model::Placement::exact, model::Placement::probabilistic}, v.text);
       }});
  return t;
}

// Whole numbers in full (a seed bound of 2^53 - 1 must not print as 9.0072e+15), others as written.
std::string number(double v) {
  if (v == static_cast<double>(static_cast<std::int64_t>(v))) return std::to_string(static_cast<std::int64_t>(v));
  std::ostringstream o;
  o << v;
  return o.str();
}

}  // namespace

const std::vector<ParamSpec>& parameter_table() {
  static const std::vector<ParamSpec> table = build_table();
  return table;
}

const ParamSpec* find_parameter(const std::string& path) {
  for (const ParamSpec& s : parameter_table())
    if (s.path == path) return &s;
  return nullptr;
}

const Value* Record::get(const std::string& key) const {
  for (const auto& [k, v] : fields)
    if (k == key) return &v;
  return nullptr;
}

std::string Record::text(const std::string& key) const {
  const Value* v = get(key);
  return v ? v->text : std::string();
}

std::string type_name(ValueType t) {
  switch (t) {
    case ValueType::boolean: return "boolean";
    case ValueType::integer: return "whole number";
    case ValueType::real: return "number";
    case ValueType::text: return "text";
    case ValueType::choice: return "choice";
    case ValueType::schedule: return "number or schedule";
    case ValueType::point: return "point";
    case ValueType::points: return "list of points";
    case ValueType::rect: return "rectangle";
    case ValueType::records: return "list";
  }
  return "?";
}

std::string describe_allowed(const ParamSpec& spec) {
  switch (spec.type) {
    case ValueType::boolean: return "true or false";
    case ValueType::text: return "text";
    case ValueType::choice: {
      std::string s = "one of ";
      for (std::size_t i = 0; i < spec.choices.size(); ++i) s += (i ? ", " : "") + spec.choices[i];
      return s;
    }
    case ValueType::integer:
      return "a whole number from " + number(spec.min) + " to " + number(spec.max);
    case ValueType::point: return "[x, y] in cells, inside the grid";
    case ValueType::points: return "a list of at least " + number(spec.min) + " points [x, y]";
    case ValueType::rect: return "[x0, y0, x1, y1] in cells, corners included";
    case ValueType::records: return "a list of mappings (keys below)";
    case ValueType::real:
    case ValueType::schedule:
      return "a number from " + number(spec.min) + " to " + number(spec.max);
  }
  return "?";
}

}  // namespace pocsim::scenario

#include "model/parameters.hpp"

#include "model/common/parameters.hpp"
#include "model/common/sources.hpp"
#include "model/conflict/parameters.hpp"
#include "model/economy/parameters.hpp"
#include "model/geography/parameters.hpp"
#include "model/mission/parameters.hpp"
#include "model/police/parameters.hpp"
#include "model/population/parameters.hpp"
#include "model/state/parameters.hpp"

namespace pocsim::model {

namespace {
std::vector<ParamSpec> build_table() {
  ParamRows<Params> t;
  ParamRows<Params> run;
  run.add({"description", ValueType::text, "", 0, 0, {}, "\"\"",
           "What the scenario represents and what it is meant to show; stored in every output file.", sources::design},
          [](auto& p) -> auto& { return p.description; });
  t.include(run, [](auto& p) -> auto& { return p; }, "run");
  t.include(run_parameters(), [](auto& p) -> auto& { return p.run; }, "run");
  t.include(grid_parameters(), [](auto& p) -> auto& { return p.grid; }, "run");
  t.include(geography_parameters(), [](auto& p) -> auto& { return p.geography; }, "geography");
  t.include(population_parameters(), [](auto& p) -> auto& { return p.population; }, "population");
  t.include(police_parameters(), [](auto& p) -> auto& { return p.police; }, "police");
  t.include(conflict_parameters(), [](auto& p) -> auto& { return p.conflict; }, "conflict");
  t.include(economy_parameters(), [](auto& p) -> auto& { return p.economy; }, "economy");
  t.include(state_parameters(), [](auto& p) -> auto& { return p.state; }, "state");
  t.include(mission_parameters(), [](auto& p) -> auto& { return p.mission; }, "mission");
  return std::move(t.rows);
}
}  // namespace

const std::vector<ParamSpec>& parameter_table() {
  static const std::vector<ParamSpec> table = build_table();
  return table;
}

std::string mechanism_title(const std::string& mechanism) {
  if (mechanism == "run") return "The run and its grid: description, run.*, grid.*";
  if (mechanism == "geography") return "Geography, the map (sim/model/geography): geography.*";
  if (mechanism == "population")
    return "Population, households and Epstein's civil violence (sim/model/population): citizens.*, Epstein's cops "
           "(police.density, police.vision, police.max_jail_term, police.arrest_constant), rules.*";
  if (mechanism == "police") return "Police and justice (sim/model/police): the other police.* keys, justice.*";
  if (mechanism == "conflict") return "Armed groups and state forces (sim/model/conflict): armed_groups.*, state_forces.*";
  if (mechanism == "economy") return "The criminal economy (sim/model/economy): economy.*";
  if (mechanism == "state") return "The state and its elites (sim/model/state): state.*";
  if (mechanism == "mission") return "The mission and its levers (sim/model/mission): mission.*, levers";
  return mechanism;
}

const ParamSpec* find_parameter(const std::string& path) {
  for (const ParamSpec& s : parameter_table())
    if (s.path == path) return &s;
  return nullptr;
}

}  // namespace pocsim::model

#pragma once
// The frozen configuration of one run: each mechanism's parameters, side by side. Built and validated by
// sim/scenario from the parameter table (sim/model/parameters.hpp), which holds the one default of every
// key; the model only reads it.
//
// A key's member is its mechanism followed by the key, where the key's first section is dropped when it
// names the mechanism: citizens.legitimacy is population.citizens.legitimacy, police.density (Epstein's
// cops) population.police.density, police.salary police.salary, justice.sentence_steps
// police.justice.sentence_steps, armed_groups.clash_rate conflict.armed_groups.clash_rate, levers
// mission.levers; description, run.* and grid.* are the run's own.
#include <string>

#include "model/common/run_params.hpp"
#include "model/conflict/params.hpp"
#include "model/economy/params.hpp"
#include "model/geography/params.hpp"
#include "model/mission/params.hpp"
#include "model/police/params.hpp"
#include "model/population/params.hpp"
#include "model/state/params.hpp"

namespace pocsim::model {

struct Params {
  std::string description;
  RunParams run;
  GridParams grid;
  GeographyParams geography;
  PopulationParams population;
  PoliceParams police;
  ConflictParams conflict;
  EconomyParams economy;
  StateParams state;
  MissionParams mission;
};

}  // namespace pocsim::model

#pragma once
// The rows of the population's keys (citizens.*, Epstein's police.*, rules.*).
#include "model/common/parameter_table.hpp"
#include "model/population/params.hpp"

namespace pocsim::model {

ParamRows<PopulationParams> population_parameters();

}  // namespace pocsim::model

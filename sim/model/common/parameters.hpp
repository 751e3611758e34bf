#pragma once
// The rows of the run's and the grid's keys (run.*, grid.*).
#include "model/common/parameter_table.hpp"
#include "model/common/run_params.hpp"

namespace pocsim::model {

ParamRows<RunParams> run_parameters();
ParamRows<GridParams> grid_parameters();

}  // namespace pocsim::model

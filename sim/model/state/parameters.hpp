#pragma once
// The rows of the state's keys (state.*).
#include "model/common/parameter_table.hpp"
#include "model/state/params.hpp"

namespace pocsim::model {

ParamRows<StateParams> state_parameters();

}  // namespace pocsim::model

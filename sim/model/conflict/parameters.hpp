#pragma once
// The rows of armed groups' and state forces' keys (armed_groups.*, state_forces.*).
#include "model/common/parameter_table.hpp"
#include "model/conflict/params.hpp"

namespace pocsim::model {

ParamRows<ConflictParams> conflict_parameters();

}  // namespace pocsim::model

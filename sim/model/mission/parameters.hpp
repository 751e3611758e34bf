#pragma once
// The rows of the mission's keys (mission.*, levers).
#include "model/common/parameter_table.hpp"
#include "model/mission/params.hpp"

namespace pocsim::model {

ParamRows<MissionParams> mission_parameters();

}  // namespace pocsim::model

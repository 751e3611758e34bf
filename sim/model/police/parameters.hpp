#pragma once
// The rows of the police's and the courts' keys (police.* but Epstein's four, justice.*).
#include "model/common/parameter_table.hpp"
#include "model/police/params.hpp"

namespace pocsim::model {

ParamRows<PoliceParams> police_parameters();

}  // namespace pocsim::model

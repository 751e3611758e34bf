#pragma once
// The rows of the criminal economy's keys (economy.*).
#include "model/common/parameter_table.hpp"
#include "model/economy/params.hpp"

namespace pocsim::model {

ParamRows<EconomyParams> economy_parameters();

}  // namespace pocsim::model

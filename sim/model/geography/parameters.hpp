#pragma once
// The rows of the map's keys (geography.*).
#include "model/common/parameter_table.hpp"
#include "model/geography/params.hpp"

namespace pocsim::model {

ParamRows<GeographyParams> geography_parameters();

}  // namespace pocsim::model

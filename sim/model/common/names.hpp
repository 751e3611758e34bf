#pragma once
// The model's enums take their names from one table each (core/names.hpp): to_string and from_string
// find those tables by argument-dependent lookup, so they are brought into the model's namespace here.
#include "core/names.hpp"

namespace pocsim::model {

using core::from_string;
using core::to_string;

}  // namespace pocsim::model

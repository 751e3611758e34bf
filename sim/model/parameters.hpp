#pragma once
// The parameter table: every scenario key once, with its type, unit, range, default, meaning and source,
// bound to the member of Params it sets and reads. Each mechanism declares its rows beside its parameter
// struct; this assembles them in order. Validation, `pocsim schema`, docs/parameters.md and the record of
// parameters in force in every output file are made from it.
#include <string>
#include <vector>

#include "model/common/parameter_table.hpp"
#include "model/params.hpp"

namespace pocsim::model {

using ParamSpec = BoundParam<Params>;

const std::vector<ParamSpec>& parameter_table();
const ParamSpec* find_parameter(const std::string& path);

// What a mechanism's rows are headed by in `pocsim schema` and docs/parameters.md (ParamInfo::mechanism).
std::string mechanism_title(const std::string& mechanism);

}  // namespace pocsim::model

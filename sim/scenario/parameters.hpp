#pragma once
// The parameter table as the scenario layer reads it: every key's row (model/parameters.hpp, declared by
// each mechanism beside its parameter struct) and the values a scenario's YAML is validated into.
#include "model/parameters.hpp"

namespace pocsim::scenario {

using model::describe_allowed;
using model::find_parameter;
using model::parameter_table;
using model::ParamInfo;
using model::ParamSpec;
using model::Record;
using model::type_name;
using model::Value;
using model::ValueType;

// What a scenario file sets: the model's parameters, every one bound to its row in the table.
struct Settings {
  model::Params params;
};

}  // namespace pocsim::scenario

#pragma once
// The parameters of the run itself and of its grid: keys run.* and grid.* (sim/model/common/parameters.cpp).
//
// Parameter structs carry no defaults of their own: every Params is built from the parameter table,
// whose rows hold the one default of each key and bind it to the member it sets.
#include <cstdint>
#include <string>

#include "core/grid.hpp"

namespace pocsim::model {

struct RunParams {
  std::uint64_t seed;
  std::int64_t steps;
  std::int64_t snapshot_every;  // 0 = no grid snapshots
  std::string step_length;      // what one step is: day, week or month (times in scenarios were converted with it)
  std::string start_date;       // date of step 0 (YYYY-MM-DD), or empty
};

struct GridParams {
  int width;
  int height;
  core::Topology topology;
};

}  // namespace pocsim::model

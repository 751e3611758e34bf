#pragma once
// Reporters: read-only measurements of the model state, kept apart from the dynamics so that what is
// recorded can change without touching how the model runs.
#include <cstdint>
#include <vector>

#include "model/model.hpp"

namespace pocsim::model {

struct StepRecord {
  std::int64_t step = 0;
  std::int64_t quiet = 0;
  std::int64_t active = 0;
  std::int64_t jailed = 0;
  std::int64_t fighters = 0;  // serving in armed groups, off the grid
  std::int64_t dead = 0;      // killed since the start
  std::int64_t cops_on_duty = 0;
  double legitimacy = 0;
  double mean_grievance = 0;
};

StepRecord measure(const Model& m);

// One CellCode per cell, for grid snapshots. The codes are part of the output format (docs/outputs.md).
std::vector<std::uint8_t> cell_codes(const Model& m);

}  // namespace pocsim::model

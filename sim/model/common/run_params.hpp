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

inline constexpr double days_per_year = 365.25;

// Steps in a year of the run's calendar (a month is a twelfth of a year), for rates per year.
inline double steps_per_year(const RunParams& run) {
  if (run.step_length == "day") return days_per_year;
  if (run.step_length == "month") return 12.0;
  return days_per_year / 7.0;
}

// What turns a count of one step into a rate per 100,000 people a year, for a population of `people`
// (the people the map stands for: Model::people_represented).
inline double per_100k_people_a_year(const RunParams& run, std::int64_t people) {
  return 1e5 * steps_per_year(run) / static_cast<double>(people > 0 ? people : 1);
}

struct GridParams {
  int width;
  int height;
  core::Topology topology;
};

}  // namespace pocsim::model

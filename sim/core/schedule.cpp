#include "core/schedule.hpp"

#include <utility>

namespace pocsim::core {

Schedule::Schedule(double initial, std::vector<ScheduledChange> changes)
    : initial_(initial), changes_(std::move(changes)) {}

double Schedule::value_at(std::int64_t step) const {
  double v = initial_;
  for (const ScheduledChange& c : changes_) {
    if (step < c.at) break;
    if (c.over == 0 || step >= c.at + c.over) {
      v = c.to;
    } else {
      // Ramp from the value in force at its start, arriving at `to` after `over` steps; the first step
      // of the ramp already moves one increment (as "1 % a step" reads).
      const double from = v;
      v = from + (c.to - from) * static_cast<double>(step - c.at + 1) / static_cast<double>(c.over);
      break;
    }
  }
  return v;
}

}  // namespace pocsim::core

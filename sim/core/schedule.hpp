#pragma once
// A scalar that changes over time: an initial value and a list of changes, each a jump (over = 0) or a
// linear ramp to a target over a number of steps. Used for any parameter a scenario lets vary in time.
#include <cstdint>
#include <vector>

namespace pocsim::core {

struct ScheduledChange {
  std::int64_t at;     // first step of the change
  double to;           // value reached at step at + over
  std::int64_t over;   // 0 = jump at `at`; n > 0 = linear ramp reaching `to` at step at + n
};

class Schedule {
 public:
  Schedule() = default;
  explicit Schedule(double initial, std::vector<ScheduledChange> changes = {});

  // Value in force during `step`. Changes apply in the order given; each starts from the value in
  // force when it begins.
  [[nodiscard]] double value_at(std::int64_t step) const;
  [[nodiscard]] double initial() const { return initial_; }
  [[nodiscard]] const std::vector<ScheduledChange>& changes() const { return changes_; }
  [[nodiscard]] bool constant() const { return changes_.empty(); }

 private:
  double initial_ = 0.0;
  std::vector<ScheduledChange> changes_;
};

}  // namespace pocsim::core

#include "model/common/money.hpp"

#include <cmath>

namespace pocsim::model {

Cents to_cents(double dollars) {
  // 9e16 dollars is the largest amount whose cents fit an int64 with room to add.
  if (!(std::fabs(dollars) < 9e16)) throw std::overflow_error("an amount of money is too large to account for in cents");
  return static_cast<Cents>(std::llround(dollars * 100.0));
}

}  // namespace pocsim::model

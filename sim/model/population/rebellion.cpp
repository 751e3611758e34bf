#include "model/population/rebellion.hpp"

#include <cmath>

namespace pocsim::model {

double arrest_probability(std::uint32_t cops, std::uint32_t actives_including_self, double k, ArrestRatioRule rule) {
  const double ratio = static_cast<double>(cops) / static_cast<double>(actives_including_self);
  double r = ratio;
  switch (rule) {
    case ArrestRatioRule::floor: r = std::floor(ratio); break;
    case ArrestRatioRule::round: r = std::nearbyint(ratio); break;  // default rounding mode: half to even
    case ArrestRatioRule::none: break;
  }
  return 1.0 - std::exp(-k * r);
}

ArrestOdds::ArrestOdds(double k, ArrestRatioRule rule, std::uint32_t max_cops) : k_(k), rule_(rule) {
  if (rule == ArrestRatioRule::none) return;
  by_ratio_.resize(max_cops + 1);
  // r = C / 1 reaches every whole ratio, and 1 - exp(-k r) is computed exactly as arrest_probability does.
  for (std::uint32_t r = 0; r <= max_cops; ++r) by_ratio_[r] = arrest_probability(r, 1, k, rule);
}

}  // namespace pocsim::model

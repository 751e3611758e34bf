#pragma once
// Epstein's civil-violence rules (Model I, PNAS 2002), as pure functions of one citizen's view.
#include <cstdint>
#include <vector>

#include "model/population/params.hpp"

namespace pocsim::model {

// Estimated arrest probability P = 1 - exp(-k * r(C/A)), where C counts cops and A counts actives
// (the citizen itself included) within vision, and r is the scenario's rounding rule.
double arrest_probability(std::uint32_t cops, std::uint32_t actives_including_self, double k, ArrestRatioRule rule);

// arrest_probability for one step's k and rule, the same bits from a table: under the floor and round
// rules r is a whole number no larger than the cops in view, so P takes few values, and millions of
// citizens a step need not each pay for a division and an exponential.
class ArrestOdds {
 public:
  // max_cops: the most cops a citizen can see (its vision's cell count).
  ArrestOdds(double k, ArrestRatioRule rule, std::uint32_t max_cops);
  [[nodiscard]] double operator()(std::uint32_t cops, std::uint32_t actives_including_self) const {
    if (rule_ == ArrestRatioRule::none || cops >= by_ratio_.size()) return arrest_probability(cops, actives_including_self, k_, rule_);
    // Whole-number division: floor(C/A) exactly; round adds one above the half, and at the half
    // rounds to even, as nearbyint does with the default rounding mode.
    std::uint32_t r = cops / actives_including_self;
    if (rule_ == ArrestRatioRule::round) {
      const std::uint32_t twice_rest = 2 * (cops % actives_including_self);
      if (twice_rest > actives_including_self || (twice_rest == actives_including_self && (r & 1u))) ++r;
    }
    return by_ratio_[r];
  }

 private:
  double k_;
  ArrestRatioRule rule_;
  std::vector<double> by_ratio_;  // P for r = 0, 1, ..., max_cops
};

// Grievance G = H (1 - L).
inline double grievance(double hardship, double legitimacy) { return hardship * (1.0 - legitimacy); }

// A citizen is active when G - R P > T.
inline bool turns_active(double hardship, double risk_aversion, double legitimacy, double arrest_p, double threshold) {
  return grievance(hardship, legitimacy) - risk_aversion * arrest_p > threshold;
}

}  // namespace pocsim::model

#pragma once
// Epstein's civil-violence rules (Model I, PNAS 2002), as pure functions of one citizen's view.
#include <cstdint>

#include "model/params.hpp"

namespace pocsim::model {

// Estimated arrest probability P = 1 - exp(-k * r(C/A)), where C counts cops and A counts actives
// (the citizen itself included) within vision, and r is the scenario's rounding rule.
double arrest_probability(std::uint32_t cops, std::uint32_t actives_including_self, double k, ArrestRatioRule rule);

// Grievance G = H (1 - L).
inline double grievance(double hardship, double legitimacy) { return hardship * (1.0 - legitimacy); }

// A citizen is active when G - R P > T.
inline bool turns_active(double hardship, double risk_aversion, double legitimacy, double arrest_p, double threshold) {
  return grievance(hardship, legitimacy) - risk_aversion * arrest_p > threshold;
}

}  // namespace pocsim::model

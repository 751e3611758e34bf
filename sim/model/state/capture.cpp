#include "model/state/capture.hpp"

#include <algorithm>

namespace pocsim::model {

void StateCapture::update(const StateParams& p, const EconomyStep& economy, const PoliceStep& police, const ConflictStep& conflict) {
  double elite = 0, criminal = static_cast<double>(police.extortion_value);
  for (std::size_t f = 0; f < economy.sales.size(); ++f) {
    elite += static_cast<double>(economy.revenue[f][static_cast<std::size_t>(Recipient::elites)]);
    criminal += static_cast<double>(economy.sales[f]);
  }
  for (const GroupFlows& g : conflict.groups) criminal += static_cast<double>(g.extortion);
  elite_rents = p.capture_memory * elite_rents + (1.0 - p.capture_memory) * elite / 100.0;
  criminal_rents = p.capture_memory * criminal_rents + (1.0 - p.capture_memory) * criminal / 100.0;
  index = criminal_rents > 0 ? std::min(1.0, elite_rents / criminal_rents) : 0.0;
  political_will = std::clamp(1.0 - p.will_loss * index, 0.0, 1.0);
}

}  // namespace pocsim::model

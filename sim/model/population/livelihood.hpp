#pragma once
// What a household earns from licit work and how far it tolerates criminals, with what the mechanisms
// above the population add: the youth livelihoods a scenario schedules (armed_groups.youth_livelihood),
// the mission's support income (CVR stipends, reintegration packages) and its strategic communications.
// The labour market (economy) and recruitment (armed groups) weigh illicit work and joining against it.
#include <cstdint>
#include <vector>

#include "model/geography/geography.hpp"
#include "model/population/agents.hpp"

namespace pocsim::model {

struct Livelihood {
  const Citizens& citizens;
  const Geography& geo;
  const std::vector<std::uint8_t>& young;          // per citizen: 1 when it has a young member (the armed groups' GroupTies)
  double youth_livelihood = 0;                     // $ per step added to the income of the young
  const std::vector<float>* support_income = nullptr;   // per citizen, $ per step; null without a mission
  const std::vector<double>* tolerance_kept = nullptr;  // per region slot; null without a mission

  [[nodiscard]] double licit_income(AgentId c) const {
    const double support = support_income ? static_cast<double>((*support_income)[c]) : 0.0;
    return citizens.licit_income[c] + (young[c] ? youth_livelihood : 0.0) + support;
  }
  [[nodiscard]] double tolerance(AgentId c) const {
    const double kept = tolerance_kept ? (*tolerance_kept)[geo.region_slot(citizens.cell[c])] : 1.0;
    return citizens.tolerance[c] * kept;
  }
};

}  // namespace pocsim::model

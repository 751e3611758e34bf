#include "model/memory.hpp"

#include <algorithm>
#include <thread>

#include "model/model.hpp"

namespace pocsim::model {

std::uint64_t estimate_memory_bytes(const Params& p) {
  const auto cells = static_cast<std::uint64_t>(p.grid.width) * static_cast<std::uint64_t>(p.grid.height);
  const double max_cop_density = [&] {
    double d = p.population.police.density.initial();
    for (const auto& c : p.population.police.density.changes()) d = d > c.to ? d : c.to;
    return d;
  }();
  const auto citizens = static_cast<std::uint64_t>(p.population.citizens.density * static_cast<double>(cells)) + 1;
  const auto cops = static_cast<std::uint64_t>(max_cop_density * static_cast<double>(cells)) + 1;
  // Cells: code + agent id + claim slot + row counts of vision; placement: kind + shuffled order;
  // snapshot buffer: one byte.
  const std::uint64_t per_cell = sizeof(CellCode) + sizeof(AgentId) + sizeof(std::uint64_t) + 4 + 1 + 4 + 1;
  // Citizens: columns + move target + next state + activation order; cops: columns + target + order.
  const std::uint64_t per_citizen = 2 * sizeof(float) + sizeof(CitizenState) + 4 + 4 + 4 + 1 + 4;
  const std::uint64_t per_cop = 1 + 4 + 4 + 4;
  // Households' economy columns; the map (region, travel cost, road, presence, dominant post,
  // interdiction, protection tax, flow map); per network two learned rates (value and step per cell);
  // per commodity a catchment; A* working memory while a network replans.
  const std::uint64_t per_household = 4 + 4 + 1 + 2 + 4 + 4 + 1;
  std::uint64_t economy = citizens * per_household;
  if (!p.economy.commodities.empty() || !p.police.posts.empty()) {
    economy += cells * (2 + 4 + 1 + 4 + 2 + 4 + 4 + 4);
    economy += cells * 16 * p.economy.networks.size() + cells * p.economy.commodities.size();
    // A* working memory (best cost, predecessor, cost field, penalised copy, open list) per search; the
    // searches of different commodities run at once, one per thread.
    const std::uint64_t searches_at_once =
        std::max<std::uint64_t>(1, std::min<std::uint64_t>(p.economy.commodities.size(), std::thread::hardware_concurrency()));
    if (!p.economy.networks.empty()) economy += cells * (8 + 4 + 4 + 24) * searches_at_once;
  }
  // Armed groups: youth and group columns per household; per cell the control map, contest flag, state
  // strength, fatality map and the working memory of deployment and control (sites, strengths).
  std::uint64_t conflict = citizens * (1 + 2);
  if (!p.conflict.armed_groups.groups.empty()) conflict += cells * (2 + 1 + 4 + 4) + cells * (1 + 4 + 4 + 12);
  return cells * per_cell + citizens * per_citizen + cops * per_cop + economy + conflict;
}

}  // namespace pocsim::model

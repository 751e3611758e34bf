#include "model/memory.hpp"

#include <algorithm>
#include <set>
#include <thread>

#include "model/model.hpp"

namespace pocsim::model {

// Each term names the columns it counts; a column added to a mechanism belongs here too, and
// tests/cli_memory.sh sets the estimate beside the peak a run takes (within 20 % at a size where the
// model dominates the program).
std::uint64_t estimate_memory_bytes(const Params& p) {
  const auto cells = static_cast<std::uint64_t>(p.grid.width) * static_cast<std::uint64_t>(p.grid.height);
  const double max_cop_density = [&] {
    double d = p.population.police.density.initial();
    for (const auto& c : p.population.police.density.changes()) d = d > c.to ? d : c.to;
    return d;
  }();
  const auto citizens = static_cast<std::uint64_t>(p.population.citizens.density * static_cast<double>(cells)) + 1;
  const auto cops = static_cast<std::uint64_t>(max_cop_density * static_cast<double>(cells)) + 1;
  // The program itself: code, libraries, HDF5 and TBB's threads (measured: about 20 MiB for a 40 x 40 run).
  const std::uint64_t program = 20ull << 20;

  // Per cell, whatever the scenario switches on. Population: code and agent id, the claim board (8), the
  // row counts of vision (4) and the snapshot buffer (1). Geography: region (2), travel cost (4), road (1).
  // Police: interdiction presence (4), presence (4), dominant post (2). Conflict: state strength, protection
  // tax and fatalities (4 each). Mission: troops (4), base (2). Economy: flow (4).
  std::uint64_t per_cell = (sizeof(CellCode) + sizeof(AgentId) + 8 + 4 + 1) + (2 + 4 + 1) + (4 + 4 + 2) + 12 + (4 + 2) + 4;
  // Placing agents (construction only, but the peak may fall there): a kind per cell and a shuffled order.
  per_cell += 1 + 4;
  // People the map stands for (geography.people): residents per cell (4), and while they are settled an
  // area per cell (8), a share and a remainder (8 each) and an order (4).
  if (p.geography.people > 0) per_cell += 4 + 8 + 8 + 8 + 4;
  // Per citizen: its columns (Citizens), move target and next state, activation order; the groups' ties
  // (3) and the mission's support income (4). Per cop: its columns, target and order.
  // With people stated, the band serving with each fighter agent (4).
  const std::uint64_t per_citizen = Citizens{}.bytes_per_row() + 4 + 1 + 4 + 3 + 4 + (p.geography.people > 0 ? 4 : 0);
  const std::uint64_t per_cop = Cops{}.bytes_per_row() + 4 + 4;

  std::uint64_t economy = 0;
  if (!p.economy.networks.empty()) {
    // Per network two learned rates (value and step per cell, 8 bytes each); per commodity a catchment;
    // per destination a cost-to-go field guiding the searches (4); A* working memory per search: best
    // cost and predecessor (16, kept by each thread between searches), cost field (4), penalised copy (4)
    // and the open list (a fraction of the cells: 4), the searches of different commodities running at
    // once, one per thread (more than the 8 bytes a cell the cost-to-go fields take while computed).
    economy += cells * 16 * p.economy.networks.size() + cells * p.economy.commodities.size();
    std::set<std::size_t> destinations;
    for (const CommodityDef& c : p.economy.commodities) destinations.insert(c.to_point);
    economy += cells * 4 * destinations.size();
    const std::uint64_t searches_at_once =
        std::max<std::uint64_t>(1, std::min<std::uint64_t>(p.economy.commodities.size(), std::thread::hardware_concurrency()));
    economy += cells * (16 + 4 + 4 + 4) * searches_at_once;
  }
  // Armed groups, when there are any: owner (2), contest flag (1), site (4), three strength sums (12), mine
  // point (4) per cell.
  const std::uint64_t conflict = p.conflict.armed_groups.groups.empty() ? 0 : cells * (2 + 1 + 4 + 12 + 4);
  return program + cells * per_cell + citizens * per_citizen + cops * per_cop + economy + conflict;
}

}  // namespace pocsim::model

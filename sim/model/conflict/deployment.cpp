// Deployment: armed units move toward the sites worth most to them, units meet, merge, fragment, and
// control follows presence (docs/odd.md 7.14 and 7.15).
#include <algorithm>
#include <cmath>

#include "core/distributions.hpp"
#include "core/parallel.hpp"
#include "model/conflict/conflict.hpp"

namespace pocsim::model {

namespace {
// Entities of a unit's per-step decisions, kept apart so adding one never shifts another's draws.
std::uint64_t fragment_entity(AgentId group) { return (std::uint64_t{1} << 32) | group; }
}  // namespace

void Conflict::deploy(const ConflictParams& p, std::int64_t step_number, const Geography& geo, const Population& population,
                      const Police& police, double political_will, const MissionOnGroups& mission, const Routes& routes,
                      double mean_licit_income) {
  if (!active) return;
  const ArmedGroupParams& a = p.armed_groups;
  Units& u = units;
  const auto step = static_cast<std::uint32_t>(step_number);
  const std::size_t n_cells = grid_.cell_count();
  const Cells& cells = population.cells;

  // State strength in force: police presence (with interdiction and political will) and garrisons.
  core::parallel_for(n_cells, [&](std::size_t c) {
    state_strength[c] = static_cast<float>(police.presence_at(static_cast<CellIndex>(c), political_will));
  });
  for (std::size_t i = 0; i < garrison_cells_.size(); ++i) {
    const auto per_cell = static_cast<float>(p.state_forces.garrisons[i].troops.value_at(step_number) /
                                             static_cast<double>(garrison_cells_[i].size()));
    for (CellIndex c : garrison_cells_[i]) state_strength[c] += per_cell;
  }

  // Sites worth holding: named points, group bases, and route cells a control square apart.
  const int r = a.control_radius;
  // site_at_ is -1 everywhere between steps; it marks sites while they are gathered, then numbers them.
  sites_.clear();
  auto add_site = [&](CellIndex c) {
    if (site_at_[c] < 0) {
      site_at_[c] = 0;
      sites_.push_back(c);
    }
  };
  for (CellIndex c : geo.point_cell) add_site(c);
  for (const GroupDef& g : a.groups) add_site(grid_.index(g.base[0], g.base[1]));
  for (const auto& commodity : routes)
    for (const auto& route : commodity)
      for (std::size_t i = 0; i < route.size(); i += static_cast<std::size_t>(2 * r + 1)) add_site(route[i]);
  std::sort(sites_.begin(), sites_.end());

  // What each site offers, and who stands near it now. A consignment pays a group once however many
  // of the group's sites it passes, so a site's rent is the set of routes it can tax.
  const std::size_t n_sites = sites_.size();
  const std::size_t n_groups = groups.size();
  std::vector<double> mine(n_sites, 0.0), households(n_sites, 0.0), state(n_sites, 0.0);
  core::parallel_for(n_sites, [&](std::size_t s) {
    for_each_in_square(grid_, sites_[s], r, [&](CellIndex c) {
      households[s] += household_at(cells.code[c]);
      state[s] += state_strength[c] + mission.troops_at(c);
    });
    if (mine_point_[sites_[s]] >= 0) mine[s] = mine_rent[static_cast<std::size_t>(mine_point_[sites_[s]])];
  });
  for (std::size_t s = 0; s < n_sites; ++s) site_at_[sites_[s]] = static_cast<std::int32_t>(s);
  std::vector<double> route_value;                      // per route, numbered across commodities
  std::vector<std::vector<std::uint32_t>> site_routes(n_sites);
  for (std::size_t f = 0; f < routes.size(); ++f)
    for (std::size_t j = 0; j < routes[f].size(); ++j) {
      const auto id = static_cast<std::uint32_t>(route_value.size());
      route_value.push_back(j < route_rent[f].size() ? route_rent[f][j] : 0.0);
      for (CellIndex cell : routes[f][j])
        for_each_in_square(grid_, cell, r, [&](CellIndex c) {
          if (site_at_[c] < 0) return;
          auto& list = site_routes[static_cast<std::size_t>(site_at_[c])];
          if (list.empty() || list.back() != id) list.push_back(id);
        });
    }
  for (CellIndex c : sites_) site_at_[c] = -1;
  std::vector<std::uint8_t> covered(n_groups * route_value.size(), 0);  // [group][route]: taxed by a unit assigned already
  std::vector<double> near(n_sites * n_groups, 0.0);  // [site][group]: fighters within the square of the site
  for (AgentId id = 0; id < u.size(); ++id) {
    if (u.group[id] == no_group) continue;
    const double weight = leaderless(static_cast<std::size_t>(u.group[id]), step_number) ? a.leaderless_weakness : 1.0;
    for (std::size_t s = 0; s < n_sites; ++s)
      if (chebyshev(grid_, u.cell[id], sites_[s]) <= r) near[s * n_groups + static_cast<std::size_t>(u.group[id])] += weight * u.fighters(id);
  }

  const double area = std::pow(2.0 * r + 1.0, 2.0);
  // Each unit in turn picks the site where its share of the rents, discounted by the opposition it
  // would face and the distance to go, is largest; units already assigned crowd the ones after them.
  std::vector<double> assigned(n_sites * n_groups, 0.0);
  std::vector<double> potential(n_groups, 0.0);
  for (AgentId id = 0; id < u.size(); ++id) {
    if (u.group[id] == no_group) continue;
    const auto g = static_cast<std::size_t>(u.group[id]);
    const GroupDef& group = def_of(p, g);
    const CellIndex base = grid_.index(group.base[0], group.base[1]);
    const double f = u.fighters(id);
    double best_score = 0;
    std::size_t best = n_sites;
    double best_value = 0;
    for (std::size_t s = 0; s < n_sites; ++s) {
      if (chebyshev(grid_, base, sites_[s]) > group.range) continue;
      double rent = 0;
      for (std::uint32_t route : site_routes[s])
        if (!covered[g * route_value.size() + route]) rent += route_value[route];
      const double value = group.tax_rate * rent + group.mine_tax * mine[s] +
                           group.extortion_rate * group.extortion_share * mean_licit_income * households[s];
      if (value <= 0) continue;
      double opposition = state[s];
      for (std::size_t h = 0; h < n_groups; ++h)
        if (h != g) opposition += near[s * n_groups + h];
      const double friends = assigned[s * n_groups + g];
      // A site where the state outnumbers what the group could field cannot be held, so it yields nothing.
      if ((friends + f) / area <= state_strength[sites_[s]] + mission.troops_at(sites_[s])) continue;
      const double share = value * f / (friends + f);
      double score = share * std::exp(-a.deterrence * opposition / (friends + f)) *
                     std::exp(-static_cast<double>(chebyshev(grid_, u.cell[id], sites_[s])) / std::max(1, group.range));
      if (sites_[s] == u.site[id]) score *= 1.0 + a.stickiness;
      if (score > best_score) {
        best_score = score;
        best = s;
        best_value = share;
      }
    }
    if (best < n_sites) {
      assigned[best * n_groups + g] += f;
      potential[g] += best_value;
      for (std::uint32_t route : site_routes[best]) covered[g * route_value.size() + route] = 1;
    }
    // A group in a peace process stays where it is; otherwise a unit with nowhere worth going falls back.
    if (predatory(g)) u.site[id] = best < n_sites ? sites_[best] : base;
    // Move up to `speed` cells along each axis toward the site, the short way round a torus.
    const CellIndex at = u.cell[id];
    const CellIndex to = u.site[id];
    int dx = grid_.x_of(to) - grid_.x_of(at);
    int dy = grid_.y_of(to) - grid_.y_of(at);
    if (grid_.topology() == core::Topology::torus) {
      if (2 * std::abs(dx) > grid_.width()) dx -= (dx > 0 ? 1 : -1) * grid_.width();
      if (2 * std::abs(dy) > grid_.height()) dy -= (dy > 0 ? 1 : -1) * grid_.height();
    }
    dx = std::clamp(dx, -a.speed, a.speed);
    dy = std::clamp(dy, -a.speed, a.speed);
    if (const auto next = grid_.shifted(at, dx, dy)) u.cell[id] = *next;
  }
  for (std::size_t g = 0; g < n_groups; ++g) {
    GroupState& gs = groups[g];
    const double per_fighter = gs.fighters ? potential[g] / gs.fighters : 0.0;
    gs.rent_per_fighter = a.rent_memory * gs.rent_per_fighter + (1.0 - a.rent_memory) * per_fighter;
  }

  // Units of a group that meet merge.
  std::vector<AgentId> order;
  for (AgentId id = 0; id < u.size(); ++id)
    if (u.group[id] != no_group) order.push_back(id);
  std::sort(order.begin(), order.end(), [&](AgentId x, AgentId y) {
    return std::tie(u.group[x], u.cell[x], x) < std::tie(u.group[y], u.cell[y], y);
  });
  for (std::size_t i = 1; i < order.size(); ++i) {
    const AgentId keep = order[i - 1], other = order[i];
    if (u.group[keep] != u.group[other] || u.cell[keep] != u.cell[other]) continue;
    u.members[keep].insert(u.members[keep].end(), u.members[other].begin(), u.members[other].end());
    u.members[other].clear();
    u.group[other] = no_group;
    order[i] = keep;  // later units on the same cell merge into the same one
  }
  // Coalescence and fragmentation (Johnson et al.; Bohorquez et al. 2009): each step, in each group, a unit
  // drawn in proportion to its size either disperses into single fighters (with chance `fragmentation`)
  // or joins another unit drawn the same way. This keeps unit sizes, and so the sizes of the events units
  // take part in, spread over a power law rather than around a typical size.
  for (std::size_t g = 0; g < n_groups; ++g) {
    if (!predatory(g) || groups[g].fighters < 2) continue;
    core::Draws d = rng_.unit.at(step, fragment_entity(static_cast<AgentId>(g)));
    auto draw_unit = [&](AgentId except) {
      std::uint32_t total = 0;
      for (AgentId id = 0; id < u.size(); ++id)
        if (u.group[id] == static_cast<std::int16_t>(g) && id != except) total += u.fighters(id);
      if (total == 0) return no_unit;
      std::uint32_t pick = core::uniform_below(d, total);
      for (AgentId id = 0; id < u.size(); ++id) {
        if (u.group[id] != static_cast<std::int16_t>(g) || id == except) continue;
        if (pick < u.fighters(id)) return id;
        pick -= u.fighters(id);
      }
      return no_unit;
    };
    const AgentId chosen = draw_unit(no_unit);
    if (d.uniform() < a.fragmentation) {
      std::vector<AgentId> members = std::move(u.members[chosen]);
      u.members[chosen].assign(1, members[0]);
      for (std::size_t i = 1; i < members.size(); ++i) {
        const AgentId single = new_unit(static_cast<std::int16_t>(g), u.cell[chosen]);
        u.site[single] = u.site[chosen];
        u.members[single].assign(1, members[i]);
      }
    } else if (const AgentId other = draw_unit(chosen); other != no_unit) {
      // The smaller joins the larger where the larger stands.
      const bool chosen_larger = u.fighters(chosen) >= u.fighters(other);
      const AgentId keep = chosen_larger ? chosen : other, gone = chosen_larger ? other : chosen;
      u.members[keep].insert(u.members[keep].end(), u.members[gone].begin(), u.members[gone].end());
      u.members[gone].clear();
      u.group[gone] = no_group;
    }
  }
  recompute_control(p, mission);
}

}  // namespace pocsim::model

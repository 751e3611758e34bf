// Armed groups, state forces and state capture: the phases (see Model::step for their order) and their
// building blocks. docs/odd.md, section 7.15 onwards, describes each submodel.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/distributions.hpp"
#include "model/civil_violence.hpp"
#include "model/model.hpp"

namespace pocsim::model {

std::string_view to_string(PeaceStatus s) {
  switch (s) {
    case PeaceStatus::outside: return "outside";
    case PeaceStatus::joined: return "joined";
    case PeaceStatus::defected: return "defected";
  }
  return "?";
}

std::string_view to_string(EventType t) {
  switch (t) {
    case EventType::clash: return "clash";
    case EventType::state_operation: return "state_operation";
    case EventType::attack_on_civilians: return "attack_on_civilians";
  }
  return "?";
}

void ConflictStep::start_step(std::size_t n_groups, std::size_t n_regions) {
  // The fatality map is not reset here: it accumulates until the writer takes a snapshot.
  groups.assign(n_groups, {});
  events.clear();
  region_events.assign(n_regions, 0);
  region_fatalities.assign(n_regions, 0);
  leaders_removed = splits = 0;
}

namespace {
// Binomial(n, p) by counting successes: exact, and cheap at the sizes of units and neighbourhoods.
std::int32_t binomial(core::Draws& d, std::uint32_t n, double p) {
  if (p <= 0) return 0;
  if (p >= 1) return static_cast<std::int32_t>(n);
  std::int32_t k = 0;
  for (std::uint32_t i = 0; i < n; ++i) k += d.uniform() < p;
  return k;
}

// The draws of one event between two parties in one step.
std::uint64_t pair_entity(std::uint32_t a, std::uint32_t b) { return (static_cast<std::uint64_t>(a) << 32) | b; }

// Entities of a unit's per-step decisions, kept apart so adding one never shifts another's draws.
enum class UnitDraw : std::uint64_t { fragment = 1, operation = 2, attack = 3 };
std::uint64_t unit_entity(UnitDraw what, AgentId unit) { return (static_cast<std::uint64_t>(what) << 32) | unit; }
}  // namespace

// ---------------------------------------------------------------------------------------------------
// Building blocks

int Model::chebyshev(CellIndex a, CellIndex b) const {
  int dx = std::abs(grid_.x_of(a) - grid_.x_of(b));
  int dy = std::abs(grid_.y_of(a) - grid_.y_of(b));
  if (grid_.topology() == core::Topology::torus) {
    dx = std::min(dx, grid_.width() - dx);
    dy = std::min(dy, grid_.height() - dy);
  }
  return std::max(dx, dy);
}

bool Model::predatory(std::size_t group) const {
  const GroupState& g = conflict_.groups[group];
  return g.exists && g.peace != PeaceStatus::joined;
}

AgentId Model::new_unit(std::int16_t group, CellIndex at) {
  Units& u = conflict_.units;
  AgentId id = 0;
  while (id < u.size() && u.group[id] != no_group) ++id;  // reuse the lowest free row
  if (id == u.size()) u.append();
  u.group[id] = group;
  u.cell[id] = at;
  u.site[id] = at;
  u.members[id].clear();
  return id;
}

void Model::count_fighters() {
  for (GroupState& g : conflict_.groups) g.fighters = 0;
  const Units& u = conflict_.units;
  for (AgentId k = 0; k < u.size(); ++k)
    if (u.group[k] != no_group) conflict_.groups[static_cast<std::size_t>(u.group[k])].fighters += u.fighters(k);
  // A group whose last fighter is gone no longer exists; its treasury stays on the books.
  for (GroupState& g : conflict_.groups)
    if (g.exists && g.fighters == 0) g.exists = false;
}

void Model::record_event(const ViolenceEvent& e) {
  ConflictStep& now = conflict_.now;
  now.events.push_back(e);
  now.cell_fatalities[e.cell] += static_cast<float>(e.fatalities());
  if (const auto r = geo_.region[e.cell]; r != no_region) {
    ++now.region_events[static_cast<std::size_t>(r)];
    now.region_fatalities[static_cast<std::size_t>(r)] += e.fatalities();
  }
}

// Removes n members from a unit: killed, or arrested and handed to the justice chain.
void Model::remove_members(AgentId unit, std::int32_t n, Loss how) {
  Units& u = conflict_.units;
  const auto g = static_cast<std::size_t>(u.group[unit]);
  for (std::int32_t i = 0; i < n && !u.members[unit].empty(); ++i) {
    const AgentId c = u.members[unit].back();
    u.members[unit].pop_back();
    citizens_.group[c] = no_group;
    citizens_.illicit_income[c] = 0;
    if (how == Loss::arrested) {
      hold_for_trial(c);
      ++conflict_.now.groups[g].arrested;
    } else {
      citizens_.state[c] = CitizenState::dead;  // off the grid already
      ++conflict_.deaths;
      ++conflict_.now.groups[g].killed;
    }
  }
  if (u.members[unit].empty()) u.group[unit] = no_group;
}

std::int32_t Model::kill_civilians_around(CellIndex centre, int radius, double p_each, core::Draws& d) {
  std::int32_t killed = 0;
  for_each_in_square(centre, radius, [&](CellIndex c) {
    const CellCode code = cells_.code[c];
    if (code != CellCode::quiet && code != CellCode::active) return;
    if (d.uniform() >= p_each) return;
    const AgentId who = cells_.agent[c];
    set_state(who, CitizenState::dead);  // empties the cell
    citizens_.work[who] = static_cast<std::uint8_t>(Work::licit);
    citizens_.employer[who] = -1;
    ++killed;
  });
  conflict_.deaths += killed;
  return killed;
}

// A fighter leaving a group goes back to its home cell, or a free cell within vision of it.
bool Model::return_home(AgentId c, core::Draws& d) {
  const CellIndex home = citizens_.cell[c];
  const CellIndex to = empty(home) ? home : random_empty_cell_near(home, citizen_vision_, d);
  if (to == core::no_cell) return false;
  citizens_.cell[c] = to;
  cells_.agent[to] = c;
  citizens_.group[c] = no_group;
  set_state(c, CitizenState::quiet);
  return true;
}

void Model::remove_leader(std::size_t group, core::Draws& d) {
  const ArmedGroupParams& a = params_.armed_groups;
  GroupState& g = conflict_.groups[group];
  if (!g.exists) return;
  g.leaderless_until = step_ + a.succession_delay + 1;
  ++g.successions;
  ++conflict_.now.leaders_removed;
  // A contested succession: a challenger leaves with a share of the units and of the treasury.
  const std::size_t n_initial = a.groups.size();
  const std::size_t root = group < n_initial ? group : static_cast<std::size_t>(conflict_.def[group]);
  GroupState& rootg = conflict_.groups[root];
  if (d.uniform() >= a.split_probability || rootg.splinters >= a.max_splinters || g.fighters < 2) return;
  const std::size_t slot = n_initial + root * static_cast<std::size_t>(a.max_splinters) + static_cast<std::size_t>(rootg.splinters);
  ++rootg.splinters;
  GroupState& s = conflict_.groups[slot];
  s = GroupState{};
  s.exists = true;
  s.parent = static_cast<std::int16_t>(group);
  s.wage = g.wage;
  Units& u = conflict_.units;
  std::vector<AgentId> leaving;
  for (AgentId k = 0; k < u.size(); ++k)
    if (u.group[k] == static_cast<std::int16_t>(group) && d.uniform() < a.split_share) leaving.push_back(k);
  if (leaving.empty() || leaving.size() == static_cast<std::size_t>(std::count(u.group.begin(), u.group.end(), static_cast<std::int16_t>(group)))) {
    // One unit (or all of them) drawn: the largest unit splits in two instead.
    AgentId largest = 0;
    std::uint32_t most = 0;
    for (AgentId k = 0; k < u.size(); ++k)
      if (u.group[k] == static_cast<std::int16_t>(group) && u.fighters(k) > most) {
        most = u.fighters(k);
        largest = k;
      }
    if (most < 2) {
      // No unit to split: the succession is contested in name only.
      s.exists = false;
      --rootg.splinters;
      return;
    }
    const AgentId half = new_unit(static_cast<std::int16_t>(slot), u.cell[largest]);
    std::vector<AgentId>& from = u.members[largest];
    const std::size_t keep = from.size() - from.size() / 2;
    u.members[half].assign(from.begin() + static_cast<std::ptrdiff_t>(keep), from.end());
    from.resize(keep);
    for (AgentId c : u.members[half]) citizens_.group[c] = static_cast<std::int16_t>(slot);
  } else {
    for (AgentId k : leaving) {
      u.group[k] = static_cast<std::int16_t>(slot);
      for (AgentId c : u.members[k]) citizens_.group[c] = static_cast<std::int16_t>(slot);
    }
  }
  const Cents share = to_cents(static_cast<double>(economy_.ledger.balance(economy_.ledger.group_account(group))) / 100.0 * a.split_share);
  if (share > 0) economy_.ledger.transfer(economy_.ledger.group_account(group), economy_.ledger.group_account(slot), share);
  ++conflict_.now.splits;
  count_fighters();
}

void Model::recompute_control() {
  const ArmedGroupParams& a = params_.armed_groups;
  Conflict& k = conflict_;
  const Units& u = k.units;
  std::fill(k.owner.begin(), k.owner.end(), no_group);
  std::fill(k.contested.begin(), k.contested.end(), 0);
  std::fill(protection_tax_.begin(), protection_tax_.end(), 0.0f);
  // A unit's fighters spread over the square it holds, so strength is fighters per cell, comparable with
  // the state's officers per cell. Per group: sum over its units; then keep the strongest and runner-up.
  const double area = std::pow(2.0 * a.control_radius + 1.0, 2.0);
  // Scratch maps kept between steps: zero everywhere except the cells touched this step, reset below.
  std::vector<float>& sum = k.strength_sum;
  std::vector<float>& best = k.strength_best;
  std::vector<float>& second = k.strength_second;
  std::vector<CellIndex> touched, group_cells;
  for (std::size_t g = 0; g < k.groups.size(); ++g) {
    group_cells.clear();
    for (AgentId id = 0; id < u.size(); ++id) {
      if (u.group[id] != static_cast<std::int16_t>(g)) continue;
      const auto per_cell = static_cast<float>(u.fighters(id) / area);
      for_each_in_square(u.cell[id], a.control_radius, [&](CellIndex c) {
        if (sum[c] == 0) group_cells.push_back(c);
        sum[c] += per_cell;
      });
    }
    for (CellIndex c : group_cells) {
      if (best[c] == 0 && second[c] == 0) touched.push_back(c);
      if (sum[c] > best[c]) {
        second[c] = best[c];
        best[c] = sum[c];
        k.owner[c] = static_cast<std::int16_t>(g);
      } else if (sum[c] > second[c]) {
        second[c] = sum[c];
      }
      sum[c] = 0;
    }
  }
  for (CellIndex c : touched) {
    // Where the state's forces, with the mission's peacekeepers, are as strong, nobody holds the cell.
    if (best[c] <= k.state_strength[c] + (mission_.active ? mission_.troops[c] : 0.0f)) {
      k.owner[c] = no_group;  // the state holds it
      continue;
    }
    k.contested[c] = second[c] >= 0.5f * best[c];
    const auto g = static_cast<std::size_t>(k.owner[c]);
    ++k.now.groups[g].territory;
    if (predatory(g)) protection_tax_[c] = static_cast<float>(def_of(g).tax_rate);
  }
  for (CellIndex c : touched) best[c] = second[c] = 0.0f;
}

// ---------------------------------------------------------------------------------------------------
// Set-up

void Model::set_up_armed_groups() {
  const ArmedGroupParams& a = params_.armed_groups;
  Conflict& k = conflict_;
  const std::size_t n_cells = grid_.cell_count();
  for (AgentId c = 0; c < citizens_.size(); ++c) {
    citizens_.young[c] = youth_rng_.at(0, c).uniform() < a.youth_share;
    citizens_.group[c] = no_group;
  }
  for (const GarrisonDef& g : params_.state_forces.garrisons)
    garrison_cells_.push_back(disc_cells(grid_, grid_.index(g.at[0], g.at[1]), g.radius));
  k.state_strength.assign(n_cells, 0.0f);
  k.now.cell_fatalities.assign(n_cells, 0.0f);
  k.active = !a.groups.empty();
  // Slots: the initial groups, then max_splinters slots for each.
  const std::size_t n_slots = a.groups.size() * (1 + static_cast<std::size_t>(a.max_splinters));
  k.groups.assign(n_slots, {});
  for (std::size_t g = 0; g < n_slots; ++g) {
    const bool initial = g < a.groups.size();
    const std::size_t root = initial ? g : (g - a.groups.size()) / static_cast<std::size_t>(a.max_splinters);
    k.def.push_back(root);
    k.names.push_back(initial ? a.groups[g].name
                              : a.groups[root].name + " splinter " +
                                    std::to_string((g - a.groups.size()) % static_cast<std::size_t>(a.max_splinters) + 1));
  }
  k.now.start_step(n_slots, params_.geography.regions.size());
  if (!k.active) return;
  k.owner.assign(n_cells, no_group);
  k.contested.assign(n_cells, 0);
  k.site_at.assign(n_cells, -1);
  k.strength_sum.assign(n_cells, 0.0f);
  k.strength_best.assign(n_cells, 0.0f);
  k.strength_second.assign(n_cells, 0.0f);
  k.mine_point.assign(n_cells, -1);
  for (std::size_t p = 0; p < params_.geography.points.size(); ++p)
    if (params_.geography.points[p].kind == PointKind::mine) k.mine_point[geo_.point_cell[p]] = static_cast<std::int32_t>(p);
  k.route_rent.assign(economy_.flows.size(), {});
  k.mine_rent.assign(params_.geography.points.size(), 0.0);

  // Each group's first fighters are the households nearest its base, taken ring by ring.
  for (std::size_t g = 0; g < a.groups.size(); ++g) {
    const GroupDef& def = a.groups[g];
    const CellIndex base = grid_.index(def.base[0], def.base[1]);
    std::vector<AgentId> recruits;
    const int max_ring = std::max(grid_.width(), grid_.height());
    for (int ring = 0; ring <= max_ring && static_cast<int>(recruits.size()) < def.fighters; ++ring)
      for (int dy = -ring; dy <= ring; ++dy)
        for (int dx = -ring; dx <= ring; ++dx) {
          if (std::max(std::abs(dx), std::abs(dy)) != ring || static_cast<int>(recruits.size()) >= def.fighters) continue;
          const auto c = grid_.shifted(base, dx, dy);
          if (!c || (cells_.code[*c] != CellCode::quiet && cells_.code[*c] != CellCode::active)) continue;
          recruits.push_back(cells_.agent[*c]);
          cells_.code[*c] = CellCode::empty;  // leaves at once, so the next ring search skips it
        }
    k.groups[g].exists = !recruits.empty();
    k.groups[g].wage = def.wage;
    AgentId unit = 0;
    for (std::size_t i = 0; i < recruits.size(); ++i) {
      if (i % static_cast<std::size_t>(a.unit_size) == 0) unit = new_unit(static_cast<std::int16_t>(g), base);
      const AgentId c = recruits[i];
      citizens_.state[c] = CitizenState::fighter;
      citizens_.group[c] = static_cast<std::int16_t>(g);
      citizens_.young[c] = 1;  // fighters are young by definition; once home again they can be recruited anew
      k.units.members[unit].push_back(c);
    }
    economy_.ledger.transfer(Ledger::world_producers, economy_.ledger.group_account(g), to_cents(def.treasury));
  }
  count_fighters();
}

// ---------------------------------------------------------------------------------------------------
// Phases

void Model::deploy_units() {
  if (!conflict_.active) return;
  const ArmedGroupParams& a = params_.armed_groups;
  Conflict& k = conflict_;
  Units& u = k.units;
  const std::uint32_t step = step_counter();
  const std::size_t n_cells = grid_.cell_count();

  // State strength in force: police presence (with interdiction and political will) and garrisons.
  core::parallel_for(n_cells, [&](std::size_t c) { k.state_strength[c] = static_cast<float>(presence_at(static_cast<CellIndex>(c))); });
  for (std::size_t i = 0; i < garrison_cells_.size(); ++i) {
    const auto per_cell = static_cast<float>(params_.state_forces.garrisons[i].troops.value_at(step_) /
                                             static_cast<double>(garrison_cells_[i].size()));
    for (CellIndex c : garrison_cells_[i]) k.state_strength[c] += per_cell;
  }

  // Sites worth holding: named points, group bases, and route cells a control square apart.
  const int r = a.control_radius;
  // k.site_at is -1 everywhere between steps; it marks sites while they are gathered, then numbers them.
  k.sites.clear();
  auto add_site = [&](CellIndex c) {
    if (k.site_at[c] < 0) {
      k.site_at[c] = 0;
      k.sites.push_back(c);
    }
  };
  for (CellIndex c : geo_.point_cell) add_site(c);
  for (const GroupDef& g : a.groups) add_site(grid_.index(g.base[0], g.base[1]));
  for (const Flow& flow : economy_.flows)
    for (const Route& route : flow.routes)
      for (std::size_t i = 0; i < route.cells.size(); i += static_cast<std::size_t>(2 * r + 1)) add_site(route.cells[i]);
  std::sort(k.sites.begin(), k.sites.end());

  // What each site offers, and who stands near it now. A consignment pays a group once however many
  // of the group's sites it passes, so a site's rent is the set of routes it can tax.
  const std::size_t n_sites = k.sites.size();
  const std::size_t n_groups = k.groups.size();
  std::vector<double> mine(n_sites, 0.0), households(n_sites, 0.0), state(n_sites, 0.0);
  core::parallel_for(n_sites, [&](std::size_t s) {
    for_each_in_square(k.sites[s], r, [&](CellIndex c) {
      households[s] += cells_.code[c] == CellCode::quiet || cells_.code[c] == CellCode::active;
      state[s] += k.state_strength[c] + (mission_.active ? mission_.troops[c] : 0.0f);
    });
    if (k.mine_point[k.sites[s]] >= 0) mine[s] = k.mine_rent[static_cast<std::size_t>(k.mine_point[k.sites[s]])];
  });
  for (std::size_t s = 0; s < n_sites; ++s) k.site_at[k.sites[s]] = static_cast<std::int32_t>(s);
  std::vector<double> route_value;                      // per route, numbered across commodities
  std::vector<std::vector<std::uint32_t>> site_routes(n_sites);
  for (std::size_t f = 0; f < economy_.flows.size(); ++f)
    for (std::size_t j = 0; j < economy_.flows[f].routes.size(); ++j) {
      const auto id = static_cast<std::uint32_t>(route_value.size());
      route_value.push_back(j < k.route_rent[f].size() ? k.route_rent[f][j] : 0.0);
      for (CellIndex cell : economy_.flows[f].routes[j].cells)
        for_each_in_square(cell, r, [&](CellIndex c) {
          if (k.site_at[c] < 0) return;
          auto& list = site_routes[static_cast<std::size_t>(k.site_at[c])];
          if (list.empty() || list.back() != id) list.push_back(id);
        });
    }
  for (CellIndex c : k.sites) k.site_at[c] = -1;
  std::vector<std::uint8_t> covered(n_groups * route_value.size(), 0);  // [group][route]: taxed by a unit assigned already
  std::vector<double> near(n_sites * n_groups, 0.0);  // [site][group]: fighters within the square of the site
  for (AgentId id = 0; id < u.size(); ++id) {
    if (u.group[id] == no_group) continue;
    const double weight = leaderless(static_cast<std::size_t>(u.group[id])) ? a.leaderless_weakness : 1.0;
    for (std::size_t s = 0; s < n_sites; ++s)
      if (chebyshev(u.cell[id], k.sites[s]) <= r) near[s * n_groups + static_cast<std::size_t>(u.group[id])] += weight * u.fighters(id);
  }

  const double area = std::pow(2.0 * r + 1.0, 2.0);
  // Each unit in turn picks the site where its share of the rents, discounted by the opposition it
  // would face and the distance to go, is largest; units already assigned crowd the ones after them.
  std::vector<double> assigned(n_sites * n_groups, 0.0);
  std::vector<double> potential(n_groups, 0.0);
  for (AgentId id = 0; id < u.size(); ++id) {
    if (u.group[id] == no_group) continue;
    const auto g = static_cast<std::size_t>(u.group[id]);
    const GroupDef& def = def_of(g);
    const CellIndex base = grid_.index(def.base[0], def.base[1]);
    const double f = u.fighters(id);
    double best_score = 0;
    std::size_t best = n_sites;
    double best_value = 0;
    for (std::size_t s = 0; s < n_sites; ++s) {
      if (chebyshev(base, k.sites[s]) > def.range) continue;
      double rent = 0;
      for (std::uint32_t route : site_routes[s])
        if (!covered[g * route_value.size() + route]) rent += route_value[route];
      const double value = def.tax_rate * rent + def.mine_tax * mine[s] +
                           def.extortion_rate * def.extortion_share * params_.economy.licit_income * households[s];
      if (value <= 0) continue;
      double opposition = state[s];
      for (std::size_t h = 0; h < n_groups; ++h)
        if (h != g) opposition += near[s * n_groups + h];
      const double friends = assigned[s * n_groups + g];
      // A site where the state outnumbers what the group could field cannot be held, so it yields nothing.
      if ((friends + f) / area <= k.state_strength[k.sites[s]] + (mission_.active ? mission_.troops[k.sites[s]] : 0.0f)) continue;
      const double share = value * f / (friends + f);
      double score = share * std::exp(-a.deterrence * opposition / (friends + f)) *
                     std::exp(-static_cast<double>(chebyshev(u.cell[id], k.sites[s])) / std::max(1, def.range));
      if (k.sites[s] == u.site[id]) score *= 1.0 + a.stickiness;
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
    if (predatory(g)) u.site[id] = best < n_sites ? k.sites[best] : base;
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
    GroupState& gs = k.groups[g];
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
    if (!predatory(g) || k.groups[g].fighters < 2) continue;
    core::Draws d = unit_rng_.at(step, unit_entity(UnitDraw::fragment, static_cast<AgentId>(g)));
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
  recompute_control();
}

void Model::extort_for_groups() {
  if (!conflict_.active) return;
  Conflict& k = conflict_;
  const std::uint32_t step = step_counter();
  // Serial in cell order: the takings go to a few accounts in a fixed order.
  for (std::size_t c = 0; c < k.owner.size(); ++c) {
    if (k.owner[c] == no_group) continue;
    const auto g = static_cast<std::size_t>(k.owner[c]);
    if (!predatory(g)) continue;
    const GroupDef& def = def_of(g);
    if (def.extortion_rate <= 0) continue;
    const CellCode code = cells_.code[c];
    if (code != CellCode::quiet && code != CellCode::active) continue;
    const AgentId who = cells_.agent[c];
    if (group_extortion_rng_.at(step, who).uniform() >= def.extortion_rate) continue;
    const Cents taken = to_cents(def.extortion_share * citizens_.licit_income[who] * (1.0 - freeze_bite(g)));
    economy_.ledger.transfer(Ledger::communities, economy_.ledger.group_account(g), taken);
    k.now.groups[g].extortion += taken;
  }
}

void Model::pay_fighters() {
  if (!conflict_.active) return;
  const ArmedGroupParams& a = params_.armed_groups;
  Conflict& k = conflict_;
  Units& u = k.units;
  const std::uint32_t step = step_counter();
  const double dividend = a.peace_dividend.value_at(step_);
  const double lambda = 1.0 / std::max(1, a.shortfall_memory);
  std::vector<double> paid_share(k.groups.size(), 1.0);
  for (std::size_t g = 0; g < k.groups.size(); ++g) {
    GroupState& gs = k.groups[g];
    if (!gs.exists) continue;
    const std::size_t account = economy_.ledger.group_account(g);
    if (gs.peace == PeaceStatus::joined && dividend > 0) {
      const Cents d = to_cents(dividend * gs.fighters);
      economy_.ledger.transfer(Ledger::state, account, d);
      k.now.groups[g].dividend += d;
    }
    const double bill = (gs.wage + a.operations_cost) * gs.fighters;
    const double available = static_cast<double>(std::max<Cents>(0, economy_.ledger.balance(account))) / 100.0;
    const double share = bill > 0 ? std::min(1.0, available / bill) : 1.0;
    const Cents wages = std::min(economy_.ledger.balance(account), to_cents(gs.wage * gs.fighters * share));
    if (wages > 0) economy_.ledger.transfer(account, Ledger::communities, wages);
    const Cents operations = std::min(economy_.ledger.balance(account), to_cents(a.operations_cost * gs.fighters * share));
    if (operations > 0) economy_.ledger.transfer(account, Ledger::world_producers, operations);
    k.now.groups[g].wages += wages;
    k.now.groups[g].operations += operations;
    paid_share[g] = share;
    gs.shortfall = (1.0 - lambda) * gs.shortfall + lambda * (1.0 - share);
  }
  // Fighters whose wages go unpaid leave and go home.
  for (AgentId id = 0; id < u.size(); ++id) {
    if (u.group[id] == no_group) continue;
    const auto g = static_cast<std::size_t>(u.group[id]);
    const double p_leave = a.desertion * k.groups[g].shortfall;
    std::vector<AgentId> staying;
    for (AgentId c : u.members[id]) {
      citizens_.illicit_income[c] = static_cast<float>(k.groups[g].wage * paid_share[g]);
      core::Draws d = desertion_rng_.at(step, c);
      if (p_leave > 0 && d.uniform() < p_leave && return_home(c, d)) {
        ++k.now.groups[g].deserters;
        continue;
      }
      staying.push_back(c);
    }
    u.members[id] = std::move(staying);
    if (u.members[id].empty()) u.group[id] = no_group;
  }
  count_fighters();
}

void Model::recruit_fighters() {
  if (!conflict_.active) return;
  const ArmedGroupParams& a = params_.armed_groups;
  Conflict& k = conflict_;
  Units& u = k.units;
  const std::uint32_t step = step_counter();
  std::vector<std::uint8_t> seen(citizens_.size(), 0);  // asked by the current group already
  std::vector<AgentId> asked;
  for (std::size_t g = 0; g < k.groups.size(); ++g) {
    GroupState& gs = k.groups[g];
    if (!predatory(g)) continue;
    const GroupDef& def = def_of(g);
    // A group hires while its treasury covers hiring_horizon steps of pay for every fighter.
    const double per_fighter = (def.wage + a.operations_cost) * a.hiring_horizon;
    const double balance = static_cast<double>(economy_.ledger.balance(economy_.ledger.group_account(g))) / 100.0;
    const double affordable = per_fighter > 0 ? std::floor(balance / per_fighter) : 0.0;
    const double vacancies = affordable - gs.fighters;
    // A group short of fighters raises its wage, the more the larger the share of its posts left vacant.
    gs.wage = def.wage * (1.0 + a.wage_response * std::clamp(vacancies / std::max(1.0, affordable), 0.0, 1.0));
    if (vacancies < 1) continue;
    // The young around its units weigh its wage, net of the risk they see in its losses, and their
    // grievance against what they earn and their reluctance to join criminals.
    const double risk = std::min(1.0, a.risk_weight * gs.attrition);
    const double wage = gs.wage * (1.0 - gs.shortfall);
    std::vector<std::pair<AgentId, AgentId>> willing;  // (citizen, unit that found it)
    // It recruits around its units and around its base, where a recruit joins its largest unit.
    AgentId largest = 0;
    for (AgentId id = 0; id < u.size(); ++id)
      if (u.group[id] == static_cast<std::int16_t>(g) && (u.group[largest] != static_cast<std::int16_t>(g) || u.fighters(id) > u.fighters(largest)))
        largest = id;
    std::vector<std::pair<CellIndex, AgentId>> centres;
    for (AgentId id = 0; id < u.size(); ++id)
      if (u.group[id] == static_cast<std::int16_t>(g)) centres.emplace_back(u.cell[id], id);
    if (centres.empty()) continue;
    centres.emplace_back(grid_.index(def.base[0], def.base[1]), largest);
    for (const auto& [centre, unit] : centres) {
      const AgentId id = unit;  // clang before 16 cannot capture a structured binding (C++20), and the fuzz build uses clang 14
      for_each_in_square(centre, a.recruit_radius, [&](CellIndex c) {
        const CellCode code = cells_.code[c];
        if (code != CellCode::quiet && code != CellCode::active) return;
        const AgentId who = cells_.agent[c];
        if (!citizens_.young[who] || seen[who]) return;
        seen[who] = 1;
        asked.push_back(who);
        const double g_i = grievance(effective_hardship(who), effective_legitimacy(who));
        const double join = wage * (1.0 - risk * citizens_.risk_aversion[who]) + a.grievance_premium * g_i;
        const double stay = licit_income_of(who) + citizens_.illicit_income[who] +
                            params_.economy.moral_cost * (1.0 - tolerance_of(who)) * citizens_.licit_income[who];
        if (join > stay) willing.emplace_back(who, id);
      });
    }
    for (AgentId who : asked) seen[who] = 0;
    asked.clear();
    std::sort(willing.begin(), willing.end());
    const double accept = std::min(1.0, vacancies / static_cast<double>(std::max<std::size_t>(1, willing.size())));
    for (const auto& [who, id] : willing) {
      if (recruit_rng_.at(step, who).uniform() >= accept) continue;
      set_state(who, CitizenState::fighter);  // leaves the grid; its cell stays its home
      citizens_.group[who] = static_cast<std::int16_t>(g);
      citizens_.work[who] = static_cast<std::uint8_t>(Work::licit);
      citizens_.employer[who] = -1;
      u.members[id].push_back(who);
      ++k.now.groups[g].recruits;
    }
  }
  count_fighters();
}

void Model::fight() {
  if (!conflict_.active) return;
  const ArmedGroupParams& a = params_.armed_groups;
  const StateForcesParams& sf = params_.state_forces;
  Conflict& k = conflict_;
  Units& u = k.units;
  const std::uint32_t step = step_counter();
  const std::size_t rows = u.size();
  std::vector<std::uint32_t> lost(k.groups.size(), 0);
  auto violence = [&](std::size_t g) { return leaderless(g) ? a.leaderless_violence : 1.0; };
  // Local mediation lowers crime-related violence in its regions.
  auto mediated = [&](CellIndex c) { return mission_.active ? mission_.violence_kept[region_slot(c)] : 1.0; };

  // Clashes between hostile units whose squares touch. A group in a peace process does not attack, but
  // can be attacked. A clash draws in every unit of either side within reach of one already fighting,
  // so most clashes are skirmishes between small bands and a few are battles of many units.
  const int reach = 2 * a.control_radius;
  std::vector<std::uint8_t> fought(rows, 0);
  std::vector<AgentId> side[2];
  for (AgentId x = 0; x < rows; ++x) {
    for (AgentId y = x + 1; y < rows; ++y) {
      if (fought[x] || fought[y] || u.group[x] == no_group || u.group[y] == no_group || u.group[x] == u.group[y]) continue;
      if (chebyshev(u.cell[x], u.cell[y]) > reach) continue;
      const auto gx = static_cast<std::size_t>(u.group[x]), gy = static_cast<std::size_t>(u.group[y]);
      const int attackers = predatory(gx) + predatory(gy);
      if (attackers == 0) continue;
      const double p = a.clash_rate * violence(gx) * violence(gy) * (attackers == 2 ? 1.0 : 0.5) * mediated(u.cell[x]);
      core::Draws d = clash_rng_.at(step, pair_entity(x, y));
      if (d.uniform() >= p) continue;
      side[0].assign(1, x);
      side[1].assign(1, y);
      fought[x] = fought[y] = 1;
      for (bool grew = true; grew;) {  // reinforcements: units of either side within reach of the fighting
        grew = false;
        for (AgentId z = 0; z < rows; ++z) {
          if (fought[z] || (u.group[z] != u.group[x] && u.group[z] != u.group[y])) continue;
          const auto touches = [&](AgentId w) { return chebyshev(u.cell[z], u.cell[w]) <= reach; };
          if (std::none_of(side[0].begin(), side[0].end(), touches) && std::none_of(side[1].begin(), side[1].end(), touches)) continue;
          side[u.group[z] == u.group[x] ? 0 : 1].push_back(z);
          fought[z] = 1;
          grew = true;
        }
      }
      double strength[2] = {0, 0};
      for (int k2 = 0; k2 < 2; ++k2)
        for (AgentId w : side[k2]) strength[k2] += u.fighters(w);
      ViolenceEvent e;
      e.cell = u.cell[x];
      e.type = EventType::clash;
      e.side_a = u.group[x];
      e.side_b = u.group[y];
      std::int32_t* killed[2] = {&e.fighters_killed_a, &e.fighters_killed_b};
      for (int k2 = 0; k2 < 2; ++k2) {
        const double p_killed = std::min(1.0, 2.0 * a.lethality * strength[1 - k2] / (strength[0] + strength[1]));
        for (AgentId w : side[k2]) {
          const std::int32_t n = binomial(d, u.fighters(w), p_killed);
          remove_members(w, n, Loss::killed);
          *killed[k2] += n;
        }
      }
      lost[gx] += static_cast<std::uint32_t>(e.fighters_killed_a);
      lost[gy] += static_cast<std::uint32_t>(e.fighters_killed_b);
      record_event(e);
    }
  }

  // State operations: local ones where state forces stand, and raids that seek units out wherever they
  // are, each as far as political will allows.
  const double will = capture_.political_will;
  const double tempo = sf.operations.value_at(step_) * will;
  const double raids = sf.raids.value_at(step_) * will;
  std::uint32_t all_fighters = 0;
  for (AgentId x = 0; x < rows; ++x)
    if (u.group[x] != no_group && predatory(static_cast<std::size_t>(u.group[x]))) all_fighters += u.fighters(x);
  for (AgentId x = 0; x < rows && (tempo > 0 || raids > 0); ++x) {
    if (u.group[x] == no_group || !predatory(static_cast<std::size_t>(u.group[x]))) continue;
    double local = 0;
    for_each_in_square(u.cell[x], a.control_radius, [&](CellIndex c) { local += k.state_strength[c]; });
    core::Draws d = operation_rng_.at(step, unit_entity(UnitDraw::operation, x));
    const double u_local = d.uniform(), u_raid = d.uniform();
    const bool local_operation = local > 0 && u_local < 1.0 - std::exp(-tempo * local);
    const double supported = mission_.active ? mission_.operations_support[region_slot(u.cell[x])] : 1.0;
    const bool raid = all_fighters > 0 && u_raid < 1.0 - std::exp(-raids * supported * u.fighters(x) / all_fighters);
    if (!local_operation && !raid) continue;
    const double strength = local + (raid ? sf.raid_strength : 0.0);
    const auto g = static_cast<std::size_t>(u.group[x]);
    const double f = u.fighters(x);
    const double state_share = strength / (strength + f);
    ViolenceEvent e;
    e.cell = u.cell[x];
    e.type = EventType::state_operation;
    e.side_a = u.group[x];
    e.fighters_killed_a = binomial(d, u.fighters(x), std::min(1.0, 2.0 * sf.lethality * state_share));
    e.state_losses = binomial(d, static_cast<std::uint32_t>(std::llround(strength)), std::min(1.0, 2.0 * a.lethality * (1.0 - state_share)));
    const double unit_share = f / std::max(1.0, static_cast<double>(k.groups[g].fighters));
    const bool leader_taken = d.uniform() < sf.leader_exposure * unit_share;
    remove_members(x, e.fighters_killed_a, Loss::killed);
    e.arrested = binomial(d, u.fighters(x), std::min(1.0, 2.0 * sf.arrest_share * state_share));
    if (u.group[x] != no_group) remove_members(x, e.arrested, Loss::arrested);
    lost[g] += static_cast<std::uint32_t>(e.fighters_killed_a + e.arrested);
    record_event(e);
    if (leader_taken && !leaderless(g)) {
      core::Draws s = succession_rng_.at(step, g);
      count_fighters();
      remove_leader(g, s);
    }
  }

  // Attacks on the households around a unit: likelier where its hold is contested or its leader gone.
  for (AgentId x = 0; x < u.size(); ++x) {
    if (u.group[x] == no_group) continue;
    const auto g = static_cast<std::size_t>(u.group[x]);
    if (!predatory(g)) continue;
    core::Draws d = attack_rng_.at(step, unit_entity(UnitDraw::attack, x));
    // Peacekeepers nearby protect civilians (Hultman et al. 2013): the chance falls with their number.
    double peacekeepers = 0;
    if (mission_.active) for_each_in_square(u.cell[x], a.control_radius, [&](CellIndex c) { peacekeepers += mission_.troops[c]; });
    const double p = a.civilian_targeting * violence(g) * (1.0 + k.contested[u.cell[x]]) * mediated(u.cell[x]) *
                     std::exp(-params_.mission.protection * peacekeepers);
    if (d.uniform() >= p) continue;
    ViolenceEvent e;
    e.cell = u.cell[x];
    e.type = EventType::attack_on_civilians;
    e.side_a = u.group[x];
    // A larger unit sweeps a larger area: attack_area cells per fighter, as a square around it.
    const double sweep = std::sqrt(a.attack_area * u.fighters(x));
    const int radius = static_cast<int>(std::ceil((sweep - 1.0) / 2.0));
    e.civilians_killed = kill_civilians_around(u.cell[x], std::max(0, radius), a.civilian_lethality, d);
    record_event(e);
  }
  count_fighters();
  for (std::size_t g = 0; g < k.groups.size(); ++g) {
    GroupState& gs = k.groups[g];
    const double rate = gs.fighters + lost[g] > 0 ? static_cast<double>(lost[g]) / (gs.fighters + lost[g]) : 0.0;
    gs.attrition = 0.9 * gs.attrition + 0.1 * rate;
  }
}

void Model::lead_groups() {
  if (!conflict_.active) return;
  const ArmedGroupParams& a = params_.armed_groups;
  Conflict& k = conflict_;
  const std::uint32_t step = step_counter();
  for (std::size_t g = 0; g < a.groups.size(); ++g)
    if (a.groups[g].remove_leader_at == step_ && k.groups[g].exists) {
      core::Draws d = succession_rng_.at(step, g);
      remove_leader(g, d);
    }
  // Peace process: a group joins when the dividend beats what its sites are worth per fighter, and
  // defects when crime pays more again. A leaderless group cannot commit either way.
  const double dividend = a.peace_dividend.value_at(step_);
  const double margin = 1.0 + a.peace_hysteresis;
  for (std::size_t g = 0; g < k.groups.size(); ++g) {
    GroupState& gs = k.groups[g];
    if (!gs.exists || leaderless(g)) continue;
    if (gs.peace == PeaceStatus::joined) {
      if (gs.rent_per_fighter > dividend * margin) gs.peace = PeaceStatus::defected;
    } else if (dividend > 0 && dividend > gs.rent_per_fighter * margin) {
      gs.peace = PeaceStatus::joined;
    }
  }
}

void Model::update_capture() {
  if (!economy_.active) return;
  const CaptureParams& cp = params_.capture;
  const EconomyStep& now = economy_.now;
  double elite = 0, criminal = static_cast<double>(now.extortion_value);
  for (std::size_t f = 0; f < now.sales.size(); ++f) {
    elite += static_cast<double>(now.revenue[f][static_cast<std::size_t>(Recipient::elites)]);
    criminal += static_cast<double>(now.sales[f]);
  }
  for (const GroupFlows& g : conflict_.now.groups) criminal += static_cast<double>(g.extortion);
  StateCapture& s = capture_;
  s.elite_rents = cp.memory * s.elite_rents + (1.0 - cp.memory) * elite / 100.0;
  s.criminal_rents = cp.memory * s.criminal_rents + (1.0 - cp.memory) * criminal / 100.0;
  s.index = s.criminal_rents > 0 ? std::min(1.0, s.elite_rents / s.criminal_rents) : 0.0;
  s.political_will = std::clamp(1.0 - cp.will_loss * s.index, 0.0, 1.0);
}

}  // namespace pocsim::model

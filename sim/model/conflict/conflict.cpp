// The armed groups' and state forces' set-up and building blocks. The phases are in deployment.cpp,
// finances.cpp (extortion, pay, recruitment), fighting.cpp and leadership.cpp.
#include "model/conflict/conflict.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace pocsim::model {


Conflict::Streams::Streams(std::uint64_t seed)
    : youth(seed, "household.youth"),
      unit(seed, "group.unit"),
      extortion(seed, "group.extortion"),
      desertion(seed, "group.desertion"),
      recruit(seed, "group.recruitment"),
      clash(seed, "group.clash"),
      operation(seed, "state.operation"),
      attack(seed, "group.attack"),
      succession(seed, "group.succession") {}

void ConflictStep::start_step(std::size_t n_groups, std::size_t n_regions) {
  // The fatality map is not reset here: it accumulates until the writer takes a snapshot.
  groups.assign(n_groups, {});
  events.clear();
  region_events.assign(n_regions, 0);
  region_fatalities.assign(n_regions, 0);
  leaders_removed = splits = 0;
  peace_joined = peace_left = 0;
}

Conflict::Conflict(const ConflictParams& p, const GeographyParams& g, const Geography& geo, const core::Grid& grid,
                   std::size_t commodities, Population& population, Ledger& books, std::uint64_t seed)
    : grid_(grid), rng_(seed) {
  const ArmedGroupParams& a = p.armed_groups;
  const std::size_t n_cells = grid_.cell_count();
  Citizens& citizens = population.citizens;
  Cells& cells = population.cells;
  ties.resize(citizens.size());
  for (AgentId c = 0; c < citizens.size(); ++c) {
    ties.young[c] = rng_.youth.at(0, c).uniform() < a.youth_share;
    ties.group[c] = no_group;
  }
  for (const GarrisonDef& garrison : p.state_forces.garrisons)
    garrison_cells_.push_back(disc_cells(grid_, grid_.index(garrison.at[0], garrison.at[1]), garrison.radius));
  state_strength.assign(n_cells, 0.0f);
  protection_tax.assign(n_cells, 0.0f);
  now.cell_fatalities.assign(n_cells, 0.0f);
  active = !a.groups.empty();
  // Slots: the initial groups, then max_splinters slots for each.
  const std::size_t n_slots = a.groups.size() * (1 + static_cast<std::size_t>(a.max_splinters));
  groups.assign(n_slots, {});
  for (std::size_t s = 0; s < n_slots; ++s) {
    const bool initial = s < a.groups.size();
    const std::size_t root = initial ? s : (s - a.groups.size()) / static_cast<std::size_t>(a.max_splinters);
    def.push_back(root);
    names.push_back(initial ? a.groups[s].name
                            : a.groups[root].name + " splinter " +
                                  std::to_string((s - a.groups.size()) % static_cast<std::size_t>(a.max_splinters) + 1));
  }
  now.start_step(n_slots, g.regions.size());
  if (!active) return;
  owner.assign(n_cells, no_group);
  contested.assign(n_cells, 0);
  site_at_.assign(n_cells, -1);
  strength_sum_.assign(n_cells, 0.0f);
  strength_best_.assign(n_cells, 0.0f);
  strength_second_.assign(n_cells, 0.0f);
  mine_point_.assign(n_cells, -1);
  for (std::size_t pt = 0; pt < g.points.size(); ++pt)
    if (g.points[pt].kind == PointKind::mine) mine_point_[geo.point_cell[pt]] = static_cast<std::int32_t>(pt);
  route_rent.assign(commodities, {});
  mine_rent.assign(g.points.size(), 0.0);

  // Each group's first fighters are the households nearest its base, taken ring by ring.
  for (std::size_t gi = 0; gi < a.groups.size(); ++gi) {
    const GroupDef& group = a.groups[gi];
    const CellIndex base = grid_.index(group.base[0], group.base[1]);
    std::vector<AgentId> recruits;
    const int max_ring = std::max(grid_.width(), grid_.height());
    for (int ring = 0; ring <= max_ring && static_cast<int>(recruits.size()) < group.fighters; ++ring)
      for (int dy = -ring; dy <= ring; ++dy)
        for (int dx = -ring; dx <= ring; ++dx) {
          if (std::max(std::abs(dx), std::abs(dy)) != ring || static_cast<int>(recruits.size()) >= group.fighters) continue;
          const auto c = grid_.shifted(base, dx, dy);
          if (!c || !household_at(cells.code[*c])) continue;
          recruits.push_back(cells.agent[*c]);
          cells.code[*c] = CellCode::empty;  // leaves at once, so the next ring search skips it
        }
    groups[gi].exists = !recruits.empty();
    groups[gi].wage = group.wage;
    AgentId unit = 0;
    for (std::size_t i = 0; i < recruits.size(); ++i) {
      if (i % static_cast<std::size_t>(a.unit_size) == 0) unit = new_unit(static_cast<std::int16_t>(gi), base);
      const AgentId c = recruits[i];
      citizens.state[c] = CitizenState::fighter;  // its cell was emptied above
      ties.group[c] = static_cast<std::int16_t>(gi);
      ties.young[c] = 1;  // fighters are young by definition; once home again they can be recruited anew
      units.members[unit].push_back(c);
    }
    books.transfer(Ledger::world_producers, books.group_account(gi), to_cents(group.treasury));
  }
  count_fighters();
}

void Conflict::apply_schedules(const ConflictParams& p, std::int64_t step) {
  youth_livelihood = p.armed_groups.youth_livelihood.value_at(step);
}

// ---------------------------------------------------------------------------------------------------
// Building blocks

bool Conflict::predatory(std::size_t group) const {
  const GroupState& g = groups[group];
  return g.exists && g.peace != PeaceStatus::joined;
}

AgentId Conflict::new_unit(std::int16_t group, CellIndex at) {
  AgentId id = 0;
  while (id < units.size() && units.group[id] != no_group) ++id;  // reuse the lowest free row
  if (id == units.size()) units.append();
  units.group[id] = group;
  units.cell[id] = at;
  units.site[id] = at;
  units.members[id].clear();
  return id;
}

void Conflict::count_fighters() {
  for (GroupState& g : groups) g.fighters = 0;
  for (AgentId k = 0; k < units.size(); ++k)
    if (units.group[k] != no_group) groups[static_cast<std::size_t>(units.group[k])].fighters += units.fighters(k);
  // A group whose last fighter is gone no longer exists; its treasury stays on the books.
  for (GroupState& g : groups)
    if (g.exists && g.fighters == 0) g.exists = false;
}

void Conflict::release_members(AgentId unit, std::vector<AgentId> staying) {
  units.members[unit] = std::move(staying);
  if (units.members[unit].empty()) units.group[unit] = no_group;
}

void Conflict::clear_fatality_map() { std::fill(now.cell_fatalities.begin(), now.cell_fatalities.end(), 0.0f); }

void Conflict::record_event(const Geography& geo, const ViolenceEvent& e) {
  now.events.push_back(e);
  now.cell_fatalities[e.cell] += static_cast<float>(e.fatalities());
  if (const auto r = geo.region[e.cell]; r != no_region) {
    ++now.region_events[static_cast<std::size_t>(r)];
    now.region_fatalities[static_cast<std::size_t>(r)] += e.fatalities();
  }
}

// Removes n members from a unit: killed, or arrested and handed to the justice chain.
void Conflict::remove_members(AgentId unit, std::int32_t n, Loss how, const JusticeParams& justice, std::int64_t step,
                              Population& population, Police& police) {
  const auto g = static_cast<std::size_t>(units.group[unit]);
  for (std::int32_t i = 0; i < n && !units.members[unit].empty(); ++i) {
    const AgentId c = units.members[unit].back();
    units.members[unit].pop_back();
    ties.group[c] = no_group;
    population.citizens.illicit_income[c] = 0;
    if (how == Loss::arrested) {
      police.hold_for_trial(justice, step, population, c);
      ++now.groups[g].arrested;
    } else {
      population.citizens.state[c] = CitizenState::dead;  // off the grid already
      ++deaths;
      ++now.groups[g].killed;
    }
  }
  if (units.members[unit].empty()) units.group[unit] = no_group;
}

// Band members arrested are not held (the justice chain holds agents): they leave the group and go home.
void Conflict::lose_people(AgentId unit, std::int32_t n, Loss how, const JusticeParams& justice, std::int64_t step,
                           Population& population, Police& police) {
  if (n <= 0) return;
  if (!population.band.empty()) {
    const auto g = static_cast<std::size_t>(units.group[unit]);
    const std::vector<AgentId>& members = units.members[unit];
    for (auto it = members.rbegin(); it != members.rend() && n > 0; ++it) {
      const auto taken = static_cast<std::int32_t>(std::min<std::uint32_t>(population.band[*it], static_cast<std::uint32_t>(n)));
      if (taken == 0) continue;
      population.lose_band(*it, static_cast<std::uint32_t>(taken), how == Loss::killed);
      n -= taken;
      if (how == Loss::killed) {
        deaths += taken;
        now.groups[g].killed += taken;
      } else {
        now.groups[g].arrested += taken;
      }
    }
  }
  remove_members(unit, n, how, justice, step, population, police);
}

std::uint32_t Conflict::people_of(AgentId unit, const Population& population) const {
  std::uint32_t people = units.fighters(unit);
  if (!population.band.empty())
    for (const AgentId c : units.members[unit]) people += population.band[c];
  return people;
}

std::uint32_t Conflict::bands_of(AgentId unit, const Population& population) const {
  const std::uint32_t agents = units.fighters(unit);
  if (agents == 0) return 1;
  return std::max<std::uint32_t>(1, static_cast<std::uint32_t>(std::llround(static_cast<double>(people_of(unit, population)) / agents)));
}

void Conflict::raise_bands(const ArmedGroupParams& a, Population& population) const {
  if (!active || a.people_per_fighter <= 1 || population.band.empty()) return;
  for (AgentId k = 0; k < units.size(); ++k)
    if (units.group[k] != no_group)
      for (const AgentId c : units.members[k]) population.raise_band(c, static_cast<std::uint32_t>(a.people_per_fighter - 1));
}

void Conflict::remove_leader(const ArmedGroupParams& a, std::int64_t step, std::size_t group, core::Draws& d, Ledger& books) {
  GroupState& g = groups[group];
  if (!g.exists) return;
  g.leaderless_until = step + a.succession_delay + 1;
  ++g.successions;
  ++now.leaders_removed;
  // A contested succession: a challenger leaves with a share of the units and of the treasury.
  const std::size_t n_initial = a.groups.size();
  const std::size_t root = group < n_initial ? group : static_cast<std::size_t>(def[group]);
  GroupState& rootg = groups[root];
  if (d.uniform() >= a.split_probability || rootg.splinters >= a.max_splinters || g.fighters < 2) return;
  const std::size_t slot = n_initial + root * static_cast<std::size_t>(a.max_splinters) + static_cast<std::size_t>(rootg.splinters);
  ++rootg.splinters;
  GroupState& s = groups[slot];
  s = GroupState{};
  s.exists = true;
  s.parent = static_cast<std::int16_t>(group);
  s.wage = g.wage;
  Units& u = units;
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
    for (AgentId c : u.members[half]) ties.group[c] = static_cast<std::int16_t>(slot);
  } else {
    for (AgentId k : leaving) {
      u.group[k] = static_cast<std::int16_t>(slot);
      for (AgentId c : u.members[k]) ties.group[c] = static_cast<std::int16_t>(slot);
    }
  }
  const Cents share = to_cents(static_cast<double>(books.balance(books.group_account(group))) / 100.0 * a.split_share);
  if (share > 0) books.transfer(books.group_account(group), books.group_account(slot), share);
  ++now.splits;
  count_fighters();
}

void Conflict::rejoin(std::size_t splinter, std::size_t parent, Ledger& books) {
  const auto from = static_cast<std::int16_t>(splinter), to = static_cast<std::int16_t>(parent);
  for (AgentId k = 0; k < units.size(); ++k) {
    if (units.group[k] != from) continue;
    units.group[k] = to;
    for (AgentId c : units.members[k]) ties.group[c] = to;
  }
  const Cents treasury = books.balance(books.group_account(splinter));
  if (treasury > 0) books.transfer(books.group_account(splinter), books.group_account(parent), treasury);
  groups[splinter].exists = false;
  count_fighters();
}

void Conflict::recompute_control(const ConflictParams& p, const MissionOnGroups& mission) {
  const ArmedGroupParams& a = p.armed_groups;
  const Units& u = units;
  std::fill(owner.begin(), owner.end(), no_group);
  std::fill(contested.begin(), contested.end(), 0);
  std::fill(protection_tax.begin(), protection_tax.end(), 0.0f);
  // A unit's fighters spread over the square it holds, so strength is fighters per cell, comparable with
  // the state's officers per cell. Per group: sum over its units; then keep the strongest and runner-up.
  const double area = std::pow(2.0 * a.control_radius + 1.0, 2.0);
  // Scratch maps kept between steps: zero everywhere except the cells touched this step, reset below.
  std::vector<float>& sum = strength_sum_;
  std::vector<float>& best = strength_best_;
  std::vector<float>& second = strength_second_;
  std::vector<CellIndex> touched, group_cells;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    group_cells.clear();
    for (AgentId id = 0; id < u.size(); ++id) {
      if (u.group[id] != static_cast<std::int16_t>(g)) continue;
      const auto per_cell = static_cast<float>(u.fighters(id) / area);
      for_each_in_square(grid_, u.cell[id], a.control_radius, [&](CellIndex c) {
        if (sum[c] == 0) group_cells.push_back(c);
        sum[c] += per_cell;
      });
    }
    for (CellIndex c : group_cells) {
      if (best[c] == 0 && second[c] == 0) touched.push_back(c);
      if (sum[c] > best[c]) {
        second[c] = best[c];
        best[c] = sum[c];
        owner[c] = static_cast<std::int16_t>(g);
      } else if (sum[c] > second[c]) {
        second[c] = sum[c];
      }
      sum[c] = 0;
    }
  }
  for (CellIndex c : touched) {
    // Where the state's forces, with the mission's peacekeepers, are as strong, nobody holds the cell.
    if (best[c] <= state_strength[c] + mission.troops_at(c)) {
      owner[c] = no_group;  // the state holds it
      continue;
    }
    contested[c] = second[c] >= 0.5f * best[c];
    const auto g = static_cast<std::size_t>(owner[c]);
    ++now.groups[g].territory;
    if (predatory(g)) protection_tax[c] = static_cast<float>(def_of(p, g).tax_rate);
  }
  for (CellIndex c : touched) best[c] = second[c] = 0.0f;
}

}  // namespace pocsim::model

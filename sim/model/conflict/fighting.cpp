// Violence: clashes between armed groups, state operations and raids against them, attacks on
// civilians (docs/odd.md 7.18).
#include <algorithm>
#include <cmath>

#include "model/conflict/conflict.hpp"

namespace pocsim::model {

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

// Entities of a unit's per-step decisions, kept apart so adding one never shifts another's draws (the
// unit's fragmentation draw, entity 1, is in deployment.cpp).
enum class UnitDraw : std::uint64_t { operation = 2, attack = 3 };
std::uint64_t unit_entity(UnitDraw what, AgentId unit) { return (static_cast<std::uint64_t>(what) << 32) | unit; }
}  // namespace

void Conflict::fight(const ConflictParams& p, const JusticeParams& justice, std::int64_t step_number, const Geography& geo,
                     Population& population, Police& police, Ledger& books, double political_will, const MissionOnGroups& mission) {
  if (!active) return;
  const ArmedGroupParams& a = p.armed_groups;
  const StateForcesParams& sf = p.state_forces;
  Units& u = units;
  const auto step = static_cast<std::uint32_t>(step_number);
  const std::size_t rows = u.size();
  std::vector<std::uint32_t> lost(groups.size(), 0);
  // A unit whose fighter agents stand for several people each (people_per_fighter) is that many bands of its
  // size in one place, each clashing, meeting operations and attacking civilians on its own draws.
  std::vector<std::uint32_t> bands(rows, 1);
  for (AgentId x = 0; x < rows; ++x)
    if (u.group[x] != no_group) bands[x] = bands_of(x, population);
  auto violence = [&](std::size_t g) { return leaderless(g, step_number) ? a.leaderless_violence : 1.0; };
  // Local mediation lowers crime-related violence in its regions.
  auto mediated = [&](CellIndex c) { return mission.violence_kept ? (*mission.violence_kept)[geo.region_slot(c)] : 1.0; };

  // Clashes between hostile units whose squares touch. A group in a peace process does not attack, but
  // can be attacked. A clash draws in every unit of either side within reach of one already fighting,
  // so most clashes are skirmishes between small bands and a few are battles of many units.
  const int reach = 2 * a.control_radius;
  std::vector<std::uint8_t> fought(rows, 0);
  std::vector<AgentId> side[2];
  for (AgentId x = 0; x < rows; ++x) {
    for (AgentId y = x + 1; y < rows; ++y) {
      if (fought[x] || fought[y] || u.group[x] == no_group || u.group[y] == no_group || u.group[x] == u.group[y]) continue;
      if (chebyshev(grid_, u.cell[x], u.cell[y]) > reach) continue;
      const auto gx = static_cast<std::size_t>(u.group[x]), gy = static_cast<std::size_t>(u.group[y]);
      const int attackers = predatory(gx) + predatory(gy);
      if (attackers == 0) continue;
      const double chance = a.clash_rate * violence(gx) * violence(gy) * (attackers == 2 ? 1.0 : 0.5) * mediated(u.cell[x]);
      core::Draws d = rng_.clash.at(step, pair_entity(x, y));
      std::uint32_t clashes = 0;  // between their bands, each pair on its own draw
      for (std::uint32_t b = 0; b < std::max(bands[x], bands[y]); ++b) clashes += d.uniform() < chance;
      if (clashes == 0) continue;
      side[0].assign(1, x);
      side[1].assign(1, y);
      fought[x] = fought[y] = 1;
      for (bool grew = true; grew;) {  // reinforcements: units of either side within reach of the fighting
        grew = false;
        for (AgentId z = 0; z < rows; ++z) {
          if (fought[z] || (u.group[z] != u.group[x] && u.group[z] != u.group[y])) continue;
          const auto touches = [&](AgentId w) { return chebyshev(grid_, u.cell[z], u.cell[w]) <= reach; };
          if (std::none_of(side[0].begin(), side[0].end(), touches) && std::none_of(side[1].begin(), side[1].end(), touches)) continue;
          side[u.group[z] == u.group[x] ? 0 : 1].push_back(z);
          fought[z] = 1;
          grew = true;
        }
      }
      double strength[2] = {0, 0};
      for (int k2 = 0; k2 < 2; ++k2)
        for (AgentId w : side[k2]) strength[k2] += u.fighters(w);
      // Each clash is an event of its own; the dead are taken from the units once all are fought, and no
      // clash kills more of a unit than it has left.
      std::vector<std::int32_t> dead[2] = {std::vector<std::int32_t>(side[0].size(), 0), std::vector<std::int32_t>(side[1].size(), 0)};
      std::vector<std::uint32_t> left[2];
      for (int k2 = 0; k2 < 2; ++k2)
        for (AgentId w : side[k2]) left[k2].push_back(people_of(w, population));
      for (std::uint32_t c = 0; c < clashes; ++c) {
        ViolenceEvent e;
        e.cell = u.cell[x];
        e.type = EventType::clash;
        e.side_a = u.group[x];
        e.side_b = u.group[y];
        std::int32_t* killed[2] = {&e.fighters_killed_a, &e.fighters_killed_b};
        for (int k2 = 0; k2 < 2; ++k2) {
          const double p_killed = std::min(1.0, 2.0 * a.lethality * strength[1 - k2] / (strength[0] + strength[1]));
          for (std::size_t i = 0; i < side[k2].size(); ++i) {
            const std::int32_t n = binomial(d, std::min(u.fighters(side[k2][i]), left[k2][i]), p_killed);
            left[k2][i] -= static_cast<std::uint32_t>(n);
            dead[k2][i] += n;
            *killed[k2] += n;
          }
        }
        lost[gx] += static_cast<std::uint32_t>(e.fighters_killed_a);
        lost[gy] += static_cast<std::uint32_t>(e.fighters_killed_b);
        record_event(geo, e);
      }
      for (int k2 = 0; k2 < 2; ++k2)
        for (std::size_t i = 0; i < side[k2].size(); ++i)
          lose_people(side[k2][i], dead[k2][i], Loss::killed, justice, step_number, population, police);
    }
  }

  // State operations: local ones where state forces stand, and raids that seek units out wherever they
  // are, each as far as political will allows.
  const double tempo = sf.operations.value_at(step_number) * political_will;
  const double raids = sf.raids.value_at(step_number) * political_will;
  // Raids pick a band in proportion to its fighters: the bands' fighters of every predatory unit.
  std::uint32_t all_fighters = 0;
  for (AgentId x = 0; x < rows; ++x)
    if (u.group[x] != no_group && predatory(static_cast<std::size_t>(u.group[x]))) all_fighters += u.fighters(x) * bands[x];
  // One band meets the state where the state's forces stand (`local`), or a raid finds it.
  auto meet_the_state = [&](AgentId x, double local, core::Draws& d) {
    const double u_local = d.uniform(), u_raid = d.uniform();
    const bool local_operation = local > 0 && u_local < 1.0 - std::exp(-tempo * local);
    const double supported = mission.operations_support ? (*mission.operations_support)[geo.region_slot(u.cell[x])] : 1.0;
    const bool raid = all_fighters > 0 && u_raid < 1.0 - std::exp(-raids * supported * u.fighters(x) / all_fighters);
    if (!local_operation && !raid) return;
    const double strength = local + (raid ? sf.raid_strength : 0.0);
    const auto g = static_cast<std::size_t>(u.group[x]);
    const double f = u.fighters(x);
    // The state, like rivals, finds a leaderless group weaker than its numbers.
    const double f_seen = f * (leaderless(g, step_number) ? a.leaderless_weakness : 1.0);
    const double state_share = strength / (strength + f_seen);
    ViolenceEvent e;
    e.cell = u.cell[x];
    e.type = EventType::state_operation;
    e.side_a = u.group[x];
    e.fighters_killed_a = binomial(d, u.fighters(x), std::min(1.0, 2.0 * sf.lethality * state_share));
    e.state_losses = binomial(d, static_cast<std::uint32_t>(std::llround(strength)), std::min(1.0, 2.0 * a.lethality * (1.0 - state_share)));
    // A band's share of its group: its unit's share over the unit's bands.
    const double unit_share = f / std::max(1.0, static_cast<double>(groups[g].fighters)) / bands[x];
    const bool leader_taken = d.uniform() < sf.leader_exposure * unit_share;
    lose_people(x, e.fighters_killed_a, Loss::killed, justice, step_number, population, police);
    e.arrested = binomial(d, u.fighters(x), std::min(1.0, 2.0 * sf.arrest_share * state_share));
    if (u.group[x] != no_group) lose_people(x, e.arrested, Loss::arrested, justice, step_number, population, police);
    lost[g] += static_cast<std::uint32_t>(e.fighters_killed_a + e.arrested);
    record_event(geo, e);
    if (leader_taken && !leaderless(g, step_number)) {
      core::Draws s = rng_.succession.at(step, g);
      count_fighters();
      remove_leader(a, step_number, g, s, books);
    }
  };
  for (AgentId x = 0; x < rows && (tempo > 0 || raids > 0); ++x) {
    if (u.group[x] == no_group || !predatory(static_cast<std::size_t>(u.group[x]))) continue;
    double local = 0;
    for_each_in_square(grid_, u.cell[x], a.control_radius, [&](CellIndex c) { local += state_strength[c]; });
    core::Draws d = rng_.operation.at(step, unit_entity(UnitDraw::operation, x));
    for (std::uint32_t band = 0; band < bands[x] && u.group[x] != no_group; ++band) meet_the_state(x, local, d);
  }

  // One band attacks the households around its unit. A larger unit sweeps a larger area: attack_area cells
  // per fighter, as a square around it. Each person in the area dies with civilian_lethality: the cell's
  // citizen agent, and in a scenario stating its people, the people living there besides it.
  const bool residents = !population.residents.empty();
  auto attack = [&](AgentId x, core::Draws& d) {
    ViolenceEvent e;
    e.cell = u.cell[x];
    e.type = EventType::attack_on_civilians;
    e.side_a = u.group[x];
    const double sweep = std::sqrt(a.attack_area * u.fighters(x));
    const int radius = std::max(0, static_cast<int>(std::ceil((sweep - 1.0) / 2.0)));
    for_each_in_square(grid_, u.cell[x], radius, [&](CellIndex c) {
      if (household_at(population.cells.code[c]) && d.uniform() < a.civilian_lethality) {
        population.kill(population.cells.agent[c]);
        ++e.civilians_killed;
      }
      if (residents && population.residents[c] > 0)
        e.civilians_killed += static_cast<std::int32_t>(population.kill_residents(c, a.civilian_lethality, d.uniform()));
    });
    deaths += e.civilians_killed;
    record_event(geo, e);
  };
  // Attacks are likelier where a unit's hold is contested or its leader gone. Units a split made this step
  // (rows past `rows`) attack too.
  for (AgentId x = 0; x < u.size(); ++x) {
    if (u.group[x] == no_group) continue;
    const auto g = static_cast<std::size_t>(u.group[x]);
    if (!predatory(g)) continue;
    core::Draws d = rng_.attack.at(step, unit_entity(UnitDraw::attack, x));
    // Peacekeepers nearby protect civilians (Hultman et al. 2013): the chance falls with their number.
    double peacekeepers = 0;
    if (mission.troops) for_each_in_square(grid_, u.cell[x], a.control_radius, [&](CellIndex c) { peacekeepers += (*mission.troops)[c]; });
    // Unpaid fighters live off the households around them: discipline fails with the group's remembered shortfall.
    const double chance = a.civilian_targeting * violence(g) * (1.0 + a.indiscipline * groups[g].shortfall) *
                          (1.0 + contested[u.cell[x]]) * mediated(u.cell[x]) * std::exp(-mission.protection * peacekeepers);
    const std::uint32_t n = x < rows ? bands[x] : bands_of(x, population);
    for (std::uint32_t band = 0; band < n; ++band)
      if (d.uniform() < chance) attack(x, d);
  }
  count_fighters();
  // Attrition: the people lost over the people serving (fighter agents and their bands).
  std::vector<std::uint64_t> serving(groups.size(), 0);
  for (AgentId x = 0; x < u.size(); ++x)
    if (u.group[x] != no_group) serving[static_cast<std::size_t>(u.group[x])] += people_of(x, population);
  for (std::size_t g = 0; g < groups.size(); ++g) {
    GroupState& gs = groups[g];
    const double rate = serving[g] + lost[g] > 0 ? static_cast<double>(lost[g]) / static_cast<double>(serving[g] + lost[g]) : 0.0;
    gs.attrition = 0.9 * gs.attrition + 0.1 * rate;
  }
}

}  // namespace pocsim::model

// What each lever does in the levers phase (the rows of the lever table, levers.hpp, point here). A
// lever reaches its region's cells (or every cell), spends through Mission::spend and counts what it
// reached. docs/odd.md 7.22 describes each one.
#include <algorithm>
#include <cmath>

#include "core/parallel.hpp"
#include "model/mission/mission.hpp"

namespace pocsim::model::lever_functions {

namespace {
// The draws of lever `index` for entity `who` (a citizen or a group).
std::uint64_t lever_entity(std::size_t index, std::uint64_t who) { return (static_cast<std::uint64_t>(index) << 32) | who; }

// ---- What a lever could act on where it is aimed (the lever table's `targets`) ----
double posts_in(const LeverAction& act, const LeverDef& l) {
  double n = 0;
  for (const PostDef& post : act.police_params.posts) n += act.targets(l, act.grid.index(post.at[0], post.at[1]));
  return n;
}

// Cells the police patrol: where interdiction can raise presence.
double patrolled_cells_in(const LeverAction& act, const LeverDef& l) {
  // A count over every cell, for every such lever every step: in parallel (whole numbers add exactly, in
  // any order).
  return static_cast<double>(core::deterministic_sum<std::int64_t>(act.police.presence.size(), [&](std::size_t c) {
    return std::int64_t{act.police.presence[c] > 0 && act.targets(l, static_cast<CellIndex>(c))};
  }));
}

double fighters_in(const LeverAction& act, const LeverDef& l) {
  const Units& u = act.conflict.units;
  double n = 0;
  for (AgentId id = 0; id < u.size(); ++id)
    if (u.group[id] != no_group && act.targets(l, u.cell[id])) n += u.fighters(id);
  return n;
}

// Groups based in the region that `eligible` accepts.
template <class Eligible>
double groups_based_in(const LeverAction& act, const LeverDef& l, Eligible eligible) {
  double n = 0;
  for (std::size_t g = 0; g < act.conflict.groups.size(); ++g) {
    const GroupDef& def = act.conflict.def_of(act.conflict_params, g);
    n += act.conflict.groups[g].exists && eligible(g) && act.targets(l, act.grid.index(def.base[0], def.base[1]));
  }
  return n;
}

double households_in(const LeverAction& act, const LeverDef& l, bool young_only) {
  const Citizens& citizens = act.population.citizens;
  return static_cast<double>(core::deterministic_sum<std::int64_t>(citizens.size(), [&](std::size_t i) {
    const auto c = static_cast<AgentId>(i);
    return std::int64_t{at_large(citizens.state[c]) && (!young_only || act.conflict.ties.young[c]) && act.targets(l, citizens.cell[c])};
  }));
}

// Training (capacity) or vetting (integrity) of the posts in the region moves toward 1 by `intensity` of
// the remaining gap each step.
void improve_posts(LeverAction& act, const LeverDef& l, bool integrity) {
  for (std::size_t k = 0; k < act.police_params.posts.size(); ++k) {
    const PostDef& post = act.police_params.posts[k];
    if (!act.targets(l, act.grid.index(post.at[0], post.at[1]))) continue;
    double& level = integrity ? act.police.posts[k].integrity : act.police.posts[k].capacity;
    level += std::min(1.0, l.intensity * act.gain) * (1.0 - level);
    act.mission.now.add_reach(l.kind, l.region_index, 1);
  }
  act.mission.spend(l.kind, l.region_index, Ledger::world_producers, to_cents(l.budget), act.books);
}

// A lever that scales an effect per region slot by `factor` and spends its budget.
void scale_and_spend(LeverAction& act, const LeverDef& l, std::vector<double>& effect, double factor) {
  act.scale(l, effect, factor);
  act.mission.spend(l.kind, l.region_index, Ledger::world_producers, to_cents(l.budget), act.books);
}
}  // namespace

double cvr_targets(const LeverAction& act, const LeverDef& l) { return households_in(act, l, true); }
double police_salaries_targets(const LeverAction& act, const LeverDef& l) { return posts_in(act, l); }
double capacity_building_targets(const LeverAction& act, const LeverDef& l) { return posts_in(act, l); }
double vetting_targets(const LeverAction& act, const LeverDef& l) { return posts_in(act, l); }
double justice_support_targets(const LeverAction& act, const LeverDef& l) {
  return static_cast<double>(act.police.cases_waiting(act.geo, act.population, l.region_index));
}
double interdiction_targets(const LeverAction& act, const LeverDef& l) { return patrolled_cells_in(act, l); }
double strategic_comms_targets(const LeverAction& act, const LeverDef& l) { return households_in(act, l, false); }
double local_mediation_targets(const LeverAction& act, const LeverDef& l) { return fighters_in(act, l); }
double ddr_targets(const LeverAction& act, const LeverDef& l) { return fighters_in(act, l); }
double due_diligence_targets(const LeverAction& act, const LeverDef& l) {
  // Contracts leak where the first base stands (Mission::contracts_and_incidents).
  const MissionParams& mp = act.params;
  if (mp.contracts <= 0) return 0;
  if (l.region_index < 0) return 1;
  return !mp.bases.empty() && act.targets(l, act.mission.base_centre[0]) ? 1 : 0;
}
double sanctions_targets(const LeverAction& act, const LeverDef& l) {
  return groups_based_in(act, l, [&](std::size_t g) { return act.conflict.groups[g].listed_at < 0; });
}
double national_mediation_targets(const LeverAction& act, const LeverDef& l) {
  return groups_based_in(act, l, [&](std::size_t g) { return !act.conflict.leaderless(g, act.step); });
}
double soc_support_targets(const LeverAction& act, const LeverDef& l) { return fighters_in(act, l) + patrolled_cells_in(act, l); }

void cvr(LeverAction& act, const LeverDef& l, std::size_t index) {
  // Short-term livelihoods: a stipend of `intensity` a step for as many young people in the region
  // as the budget pays for, the same people while they remain eligible. With intelligence, the
  // programme finds those closest to joining an armed group (the poorest) instead of anyone.
  Mission& ms = act.mission;
  const Citizens& citizens = act.population.citizens;
  const auto places = static_cast<std::size_t>(l.intensity > 0 ? std::floor(l.budget / l.intensity) : 0.0);
  std::vector<std::pair<double, AgentId>> eligible;
  for (AgentId c = 0; c < citizens.size(); ++c)
    if (act.conflict.ties.young[c] && at_large(citizens.state[c]) && act.targets(l, citizens.cell[c])) {
      const double chance = ms.rng.cvr.at(0, lever_entity(index, c)).uniform();
      const double need = citizens.licit_income[c] / (2.0 * act.households.licit_income);  // 0.25 .. 0.75
      eligible.emplace_back(ms.intelligence * need + (1.0 - ms.intelligence) * chance, c);
    }
  const std::size_t n = std::min(places, eligible.size());
  std::partial_sort(eligible.begin(), eligible.begin() + static_cast<std::ptrdiff_t>(n), eligible.end());
  for (std::size_t k = 0; k < n; ++k) {
    const AgentId c = eligible[k].second;
    ms.support_income[c] = static_cast<float>(std::max<double>(ms.support_income[c], l.intensity));
  }
  ms.spend(l.kind, l.region_index, Ledger::communities, to_cents(static_cast<double>(n) * l.intensity), act.books);
  ms.now.add_reach(l.kind, l.region_index, static_cast<std::int64_t>(n));
  ms.now.add_offered(l.kind, static_cast<std::int64_t>(places));
}

void police_salaries(LeverAction& act, const LeverDef& l, std::size_t) {
  // Donors pay `intensity` of the payroll of the region's posts, on top of what the state pays, up to all
  // of it; paid (and counted) when the police are paid (Mission::top_up_police_pay).
  Mission& ms = act.mission;
  for (std::size_t slot = 0; slot < ms.donor_pay.size(); ++slot)
    if (l.region_index < 0 || slot == static_cast<std::size_t>(l.region_index + 1)) {
      if (ms.donor_pay[slot] <= 0) ms.donor_payer[slot] = l.region_index;
      ms.donor_pay[slot] = std::min(1.0, ms.donor_pay[slot] + l.intensity);
    }
}

void capacity_building(LeverAction& act, const LeverDef& l, std::size_t) { improve_posts(act, l, false); }

void vetting(LeverAction& act, const LeverDef& l, std::size_t) { improve_posts(act, l, true); }

void justice_support(LeverAction& act, const LeverDef& l, std::size_t) {
  // Extra trials of the region's cases (oldest first, once the state's own capacity is used); the
  // trials held are counted when the courts sit (Mission::count_trials).
  const auto trials = static_cast<int>(std::lround(l.intensity));
  act.mission.extra_trials.push_back({l.region_index, trials, 0});
  act.mission.now.add_offered(l.kind, trials);
  act.mission.spend(l.kind, l.region_index, Ledger::world_producers, to_cents(l.budget), act.books);
}

void interdiction(LeverAction& act, const LeverDef& l, std::size_t) {
  scale_and_spend(act, l, act.mission.interdiction, 1.0 + l.intensity * act.gain);
}

void strategic_comms(LeverAction& act, const LeverDef& l, std::size_t) {
  scale_and_spend(act, l, act.mission.tolerance_kept, 1.0 - std::min(1.0, l.intensity * act.gain));
}

void local_mediation(LeverAction& act, const LeverDef& l, std::size_t) {
  scale_and_spend(act, l, act.mission.violence_kept, 1.0 - std::min(1.0, l.intensity * act.gain));
}

void ddr(LeverAction&, const LeverDef&, std::size_t) {
  // Fighters leave in the DDR phase, after the groups have paid them (Mission::demobilise).
}

void soc_support(LeverAction& act, const LeverDef& l, std::size_t) {
  // The serious-and-organized-crime unit supports the host's operations: raids against armed units and
  // the exposure of kingpins at seizures in the region rise by `intensity`, sharpened by intelligence.
  scale_and_spend(act, l, act.mission.operations_support, 1.0 + l.intensity * act.gain);
}

void due_diligence(LeverAction& act, const LeverDef& l, std::size_t) {
  act.mission.due_diligence = std::max(act.mission.due_diligence, std::min(1.0, l.intensity * act.gain));
  act.mission.spend(l.kind, l.region_index, Ledger::world_producers, to_cents(l.budget), act.books);
}

void sanctions(LeverAction& act, const LeverDef& l, std::size_t index) {
  // The committee lists a targeted group's leaders at `listing_rate` a step; a listing hits them
  // (rather than the wrong people) with an accuracy that rises with the intelligence the mission
  // shares with the Panel of Experts. A hit freezes `intensity` of the group's treasury and withholds
  // `intensity` of its revenue, less what it learns to evade.
  Mission& ms = act.mission;
  Conflict& conflict = act.conflict;
  const double shared = ms.intelligence * (act.params.share_with_panel ? 1.0 : 0.25);
  const double accuracy = 0.2 + 0.8 * shared;
  for (std::size_t g = 0; g < conflict.groups.size(); ++g) {
    GroupState& gs = conflict.groups[g];
    const GroupDef& def = conflict.def_of(act.conflict_params, g);
    if (!gs.exists || gs.listed_at >= 0 || !act.targets(l, act.grid.index(def.base[0], def.base[1]))) continue;
    core::Draws d = ms.rng.sanctions.at(static_cast<std::uint32_t>(act.step), lever_entity(index, g));
    if (d.uniform() >= act.params.listing_rate) continue;
    if (d.uniform() >= accuracy) {
      ++ms.wrong_listings;
      continue;
    }
    gs.listed_at = act.step;
    gs.freeze = std::min(1.0, l.intensity);
    const std::size_t account = act.books.group_account(g);
    const Cents frozen = to_cents(static_cast<double>(act.books.balance(account)) / 100.0 * gs.freeze);
    if (frozen > 0) act.books.transfer(account, Ledger::state, frozen);
    ++ms.listings;
    ms.now.add_reach(l.kind, l.region_index, 1);
  }
  ms.spend(l.kind, l.region_index, Ledger::world_producers, to_cents(l.budget), act.books);
}

void national_mediation(LeverAction& act, const LeverDef& l, std::size_t index) {
  // A negotiated exit: a leader takes a package of `intensity` a step when it beats his share of his
  // group's rents. He leaves; his group goes through a succession (and may split), and rivals may
  // move into its routes while it is leaderless.
  Mission& ms = act.mission;
  Conflict& conflict = act.conflict;
  for (std::size_t g = 0; g < conflict.groups.size(); ++g) {
    const GroupState& gs = conflict.groups[g];
    const GroupDef& def = conflict.def_of(act.conflict_params, g);
    if (!gs.exists || conflict.leaderless(g, act.step) || !act.targets(l, act.grid.index(def.base[0], def.base[1]))) continue;
    const double leader_take = act.params.leader_share * gs.rent_per_fighter * gs.fighters;
    if (l.intensity <= leader_take) continue;
    core::Draws d = ms.rng.mediation.at(static_cast<std::uint32_t>(act.step), lever_entity(index, g));
    conflict.remove_leader(act.conflict_params.armed_groups, act.step, g, d, act.books);
    ms.transitions.push_back({index, act.step, false});
    ++ms.exits;
    ms.now.add_reach(l.kind, l.region_index, 1);
  }
  ms.spend(l.kind, l.region_index, Ledger::world_producers, to_cents(l.budget), act.books);
}

}  // namespace pocsim::model::lever_functions

#include "model/mission/mission.hpp"

#include <algorithm>
#include <cmath>

#include "core/parallel.hpp"

namespace pocsim::model {

void MissionStep::start_step(std::size_t n_regions) {
  spending = {};
  reach = {};
  offered = {};
  unfunded = {};
  spending_by_target.assign(lever_kind_count, std::vector<Cents>(n_regions + 1, 0));
  reach_by_target.assign(lever_kind_count, std::vector<std::int64_t>(n_regions + 1, 0));
  incidents = 0;
  contracts = contract_leakage = 0;
  region_incidents.assign(n_regions, 0);
}

void MissionStep::add_reach(LeverKind k, std::int16_t region, std::int64_t n) {
  reach[static_cast<std::size_t>(k)] += n;
  reach_by_target[static_cast<std::size_t>(k)][static_cast<std::size_t>(region + 1)] += n;
}

void LeverAction::scale(const LeverDef& l, std::vector<double>& effect, double factor) const {
  for (std::size_t slot = 0; slot < effect.size(); ++slot)
    if (l.region_index < 0 || slot == static_cast<std::size_t>(l.region_index + 1)) effect[slot] *= factor;
}

Mission::Streams::Streams(std::uint64_t seed)
    : cvr(seed, "mission.cvr"),
      ddr(seed, "mission.ddr"),
      incident(seed, "mission.incident"),
      sanctions(seed, "mission.sanctions"),
      mediation(seed, "mission.mediation") {}

Mission::Mission(const MissionParams& p, const core::Grid& grid, bool is_active, std::size_t citizens, std::size_t regions,
                 std::uint64_t seed)
    : active(is_active), rng(seed) {
  const std::size_t n_cells = grid.cell_count();
  const std::size_t slots = regions + 1;
  interdiction.assign(slots, 1.0);
  tolerance_kept.assign(slots, 1.0);
  violence_kept.assign(slots, 1.0);
  operations_support.assign(slots, 1.0);
  donor_pay.assign(slots, 0.0);
  donor_payer.assign(slots, -1);
  support_income.assign(citizens, 0.0f);
  troops.assign(n_cells, 0.0f);
  base_at.assign(n_cells, -1);
  for (std::size_t b = 0; b < p.bases.size(); ++b) {
    const BaseDef& base = p.bases[b];
    base_centre.push_back(grid.index(base.at[0], base.at[1]));
    std::vector<CellIndex> cells = disc_cells(grid, base_centre.back(), base.radius);
    for (CellIndex c : cells)
      if (base_at[c] < 0) base_at[c] = static_cast<std::int16_t>(b);
    base_cells.push_back(std::move(cells));
  }
  disruption.assign(p.bases.size(), 0.0);
  now.start_step(regions);
}

void Mission::spend(LeverKind kind, std::int16_t region, std::size_t to, Cents amount, Ledger& books) {
  if (amount <= 0) return;
  books.transfer(Ledger::mission, to, amount);
  now.spending[static_cast<std::size_t>(kind)] += amount;
  now.spending_by_target[static_cast<std::size_t>(kind)][static_cast<std::size_t>(region + 1)] += amount;
  budget_left -= amount;
}

bool Mission::affordable(const MissionParams& p, std::int64_t step, Cents amount) const {
  return p.budget.value_at(step) <= 0 || amount <= budget_left;
}

double Mission::freeze_bite(const MissionParams& p, const GroupState& g, std::int64_t step, bool cross_border) const {
  if (g.listed_at < 0) return 0.0;
  // The freeze withholds its share of everything; on cross-border trade the travel ban costs a share of
  // the rest. Evasion erodes both with time since listing, unless neighbours enforce them.
  const double bite = cross_border ? 1.0 - (1.0 - g.freeze) * (1.0 - p.travel_ban) : g.freeze;
  const double enforcement = std::min(1.0, p.cross_border_enforcement);
  if (enforcement >= 1.0) return bite;
  const double time = static_cast<double>(p.evasion_time) / (1.0 - enforcement);
  return bite * std::exp(-static_cast<double>(step - g.listed_at) / time);
}

SanctionsBite Mission::sanctions_bite(const MissionParams& p, const Conflict& conflict, std::int64_t step) const {
  SanctionsBite b;
  for (const GroupState& g : conflict.groups) {
    b.domestic.push_back(freeze_bite(p, g, step, false));
    b.cross_border.push_back(freeze_bite(p, g, step, true));
  }
  return b;
}

// ---------------------------------------------------------------------------------------------------
// Phases

void Mission::apply_levers(LeverAction& act, const StateCapture& capture) {
  if (!active) return;
  const MissionParams& mp = act.params;
  const std::int64_t step = act.step;
  const std::int64_t renewal = 1 + (step - 1) / std::max<std::int64_t>(1, mp.mandate_length);
  if (renewal != mandate || step == 1) budget_left = to_cents(mp.budget.value_at(step));  // a new mandate, a new budget
  mandate = renewal;

  deploy_peacekeepers(mp, step, act.grid, act.conflict);

  intelligence = std::clamp(mp.intelligence.value_at(step), 0.0, 1.0);
  if (consent_withdrawn) std::fill(troops.begin(), troops.end(), 0.0f);  // the mission has left
  std::fill(interdiction.begin(), interdiction.end(), 1.0);
  std::fill(tolerance_kept.begin(), tolerance_kept.end(), 1.0);
  std::fill(violence_kept.begin(), violence_kept.end(), 1.0);
  std::fill(operations_support.begin(), operations_support.end(), 1.0);
  std::fill(donor_pay.begin(), donor_pay.end(), 0.0);
  extra_trials.clear();
  due_diligence = 0;
  // Support income fades unless a programme renews it this step.
  const double keep = std::exp(-1.0 / std::max(1, mp.cvr_fade));
  core::parallel_for(support_income.size(), [&](std::size_t c) { support_income[c] = static_cast<float>(support_income[c] * keep); });

  // Intelligence makes levers that must find their targets (places, officers, people) work better.
  act.gain = 1.0 + mp.intelligence_gain * intelligence;
  // Intrusion: each intrusive lever acting counts by the share of the country's targets it reaches.
  double intrusion = 0;
  for (std::size_t i = 0; i < mp.levers.size() && !consent_withdrawn; ++i) {
    const LeverDef& l = mp.levers[i];
    const double targets = engaged(act, l);
    if (targets <= 0) continue;
    // Levers are funded in the order listed while the mandate's budget lasts (salaries are checked when
    // paid, DDR when it demobilises: each counts its own unfunded steps there, once).
    if (l.kind != LeverKind::police_salaries && !affordable(mp, step, to_cents(l.budget))) {
      if (l.kind != LeverKind::ddr) ++now.unfunded[static_cast<std::size_t>(l.kind)];
      continue;
    }
    const LeverInfo& info = lever_info(l.kind);
    if (info.intrusive) {
      LeverDef everywhere = l;
      everywhere.region_index = -1;
      intrusion += l.region_index < 0 ? 1.0 : std::min(1.0, targets / info.targets(act, everywhere));
    }
    info.apply(act, l, i);
  }
  // Exited leaders move into the legal economy in tranches: the package is paid (to legal businesses) each
  // step of the transition while the mediation that agreed it lasts; if it ends early the transition is
  // interrupted and payments stop.
  for (Transition& t : transitions) {
    if (t.interrupted || step - t.exit_step > mp.transition_length) continue;
    const LeverDef& l = mp.levers[t.lever];
    if (consent_withdrawn || !l.in_force(step)) {
      t.interrupted = true;
      ++transitions_interrupted;
      continue;
    }
    if (step - t.exit_step == mp.transition_length) ++transitions_completed;
    spend(l.kind, l.region_index, Ledger::communities, to_cents(l.intensity), act.books);
  }
  // Consent: intrusive levers cost it, the more the more the state is captured; it recovers without them.
  if (!consent_withdrawn) {
    if (intrusion > 0)
      consent -= mp.consent_loss * capture.index * intrusion;
    else
      consent += mp.consent_recovery * (1.0 - consent);
    consent = std::clamp(consent, 0.0, 1.0);
    if (consent < mp.consent_threshold) consent_withdrawn = true;
  }
  act.police.interdiction_changed = true;  // the presence map is rebuilt with the levers' multipliers
}

void Mission::deploy_peacekeepers(const MissionParams& mp, std::int64_t step, const core::Grid& grid, const Conflict& conflict) {
  // Where armed units stood at the end of the last step, within patrol_range of a base: its patrols go there
  // (a unit in reach of several bases is patrolled from the nearest, the first listed on a tie).
  std::vector<std::vector<std::pair<CellIndex, double>>> threats(mp.bases.size());
  std::vector<double> threatened(mp.bases.size(), 0.0);
  const Units& u = conflict.units;
  for (AgentId id = 0; id < u.size() && conflict.active && mp.patrol_share > 0; ++id) {
    if (u.group[id] == no_group || u.fighters(id) == 0) continue;
    std::size_t nearest = mp.bases.size();
    int best = mp.patrol_range + 1;
    for (std::size_t b = 0; b < mp.bases.size(); ++b)
      if (const int d = chebyshev(grid, base_centre[b], u.cell[id]); d < best) {
        best = d;
        nearest = b;
      }
    if (nearest == mp.bases.size()) continue;
    threats[nearest].emplace_back(u.cell[id], static_cast<double>(u.fighters(id)));
    threatened[nearest] += u.fighters(id);
  }
  std::fill(troops.begin(), troops.end(), 0.0f);
  for (std::size_t b = 0; b < mp.bases.size(); ++b) {
    const double in_force = mp.bases[b].troops.value_at(step) * mp.bases[b].surge;
    const double patrolling = threatened[b] > 0 ? in_force * std::clamp(mp.patrol_share, 0.0, 1.0) : 0.0;
    const auto per_cell = static_cast<float>((in_force - patrolling) / static_cast<double>(base_cells[b].size()));
    for (CellIndex c : base_cells[b]) troops[c] += per_cell;
    for (const auto& [cell, fighters] : threats[b]) troops[cell] += static_cast<float>(patrolling * fighters / threatened[b]);
  }
}

double Mission::engaged(const LeverAction& act, const LeverDef& l) {
  const LeverInfo& info = lever_info(l.kind);
  if (!l.in_force(act.step) || l.intensity <= 0 || (info.dose == Dose::budget && l.budget <= 0)) return 0;
  return info.targets(act, l);
}

std::vector<double> Mission::top_up_police_pay(const MissionParams& mp, const PoliceParams& p, const Geography& geo, Police& police,
                                               Ledger& books, std::int64_t step) {
  std::vector<double> donor_share(p.posts.size(), 0.0);
  if (!active) return donor_share;
  for (std::size_t k = 0; k < p.posts.size(); ++k) {
    // The state pays its share; donors (the police_salaries levers of the post's region) may pay part or all of the rest.
    const auto slot = static_cast<std::size_t>(geo.region[police.post_cell[k]] + 1);
    const double donors = std::min(donor_pay[slot], 1.0 - police.paid_share);
    const Cents topped_up = to_cents(p.posts[k].personnel * p.salary * donors);
    if (topped_up <= 0) continue;
    if (!affordable(mp, step, topped_up)) {
      ++now.unfunded[static_cast<std::size_t>(LeverKind::police_salaries)];
      continue;
    }
    spend(LeverKind::police_salaries, donor_payer[slot], Ledger::police, topped_up, books);
    now.add_reach(LeverKind::police_salaries, donor_payer[slot], 1);
    police.now.salaries_paid += topped_up;
    donor_share[k] = donors;
  }
  return donor_share;
}

void Mission::count_trials() {
  for (const ExtraTrials& t : extra_trials) now.add_reach(LeverKind::justice_support, t.region, t.held);
}

void Mission::demobilise(LeverAction& act) {
  if (!active || !act.conflict.active || consent_withdrawn) return;
  const MissionParams& mp = act.params;
  Units& u = act.conflict.units;
  const auto step = static_cast<std::uint32_t>(act.step);
  for (std::size_t i = 0; i < mp.levers.size(); ++i) {
    const LeverDef& l = mp.levers[i];
    if (l.kind != LeverKind::ddr || engaged(act, l) <= 0) continue;
    if (!affordable(mp, act.step, to_cents(l.budget))) {
      ++now.unfunded[static_cast<std::size_t>(LeverKind::ddr)];
      continue;
    }
    // A reintegration package of `intensity` a step, as many as the budget pays for, taken by fighters in
    // the region whose group is in a peace process or pays them less than the package.
    auto places = static_cast<std::int64_t>(std::floor(l.budget / l.intensity));
    now.add_offered(l.kind, places);
    std::int64_t taken = 0;
    for (AgentId id = 0; id < u.size() && taken < places; ++id) {
      if (u.group[id] == no_group || !act.targets(l, u.cell[id])) continue;
      const GroupState& g = act.conflict.groups[static_cast<std::size_t>(u.group[id])];
      const double pay = g.wage * (1.0 - g.shortfall);
      if (g.peace != PeaceStatus::joined && pay >= l.intensity) continue;
      std::vector<AgentId> staying;
      for (AgentId c : u.members[id]) {
        core::Draws d = rng.ddr.at(step, c);
        if (taken < places && act.population.return_home(c, d)) {
          act.conflict.ties.group[c] = no_group;
          support_income[c] = static_cast<float>(l.intensity);
          ++taken;
          continue;
        }
        staying.push_back(c);
      }
      act.conflict.release_members(id, std::move(staying));
    }
    spend(l.kind, l.region_index, Ledger::communities, to_cents(static_cast<double>(taken) * l.intensity), act.books);
    now.add_reach(l.kind, l.region_index, taken);
  }
  act.conflict.count_fighters();
}

void Mission::contracts_and_incidents(const MissionParams& p, std::int64_t step, const Geography& geo, const Conflict& conflict,
                                      const EconomyStep& economy, Ledger& books) {
  if (!active) return;
  // What traffic lost to seizures within a base's patrols this step (weighted 0.1: the smoothing below).
  for (const Seizure& s : economy.seizures)
    if (base_at[s.cell] >= 0) disruption[static_cast<std::size_t>(base_at[s.cell])] += 0.1 * s.value;
  const auto counter = static_cast<std::uint32_t>(step);
  // Local contracts: what leaks goes to whoever controls the first base's cell, else to political elites.
  if (p.contracts > 0 && !consent_withdrawn) {
    const Cents value = to_cents(p.contracts);
    const Cents leak = to_cents(p.contracts * p.contract_leakage * (1.0 - due_diligence));
    std::size_t to = Ledger::elites;
    if (conflict.active && !p.bases.empty()) {
      const std::int16_t holder = conflict.owner[base_centre[0]];
      if (holder != no_group) to = books.group_account(static_cast<std::size_t>(holder));
    }
    books.transfer(Ledger::mission, Ledger::communities, value - leak);
    if (leak > 0) books.transfer(Ledger::mission, to, leak);
    budget_left -= value;
    now.contracts += value;
    now.contract_leakage += leak;
  }
  // Incidents against mission personnel: a small rate anywhere, rising with the trafficking the mission
  // disrupts near its bases ("no direct threat ... until peacekeepers get involved").
  for (std::size_t b = 0; b < p.bases.size() && !consent_withdrawn; ++b) {
    if (p.bases[b].troops.value_at(step) * p.bases[b].surge <= 0) continue;
    const double rate = p.incident_rate + p.disruption_weight * disruption[b] / 1000.0;
    if (rng.incident.at(counter, b).uniform() >= 1.0 - std::exp(-rate)) continue;
    ++now.incidents;
    const auto r = geo.region[base_centre[b]];
    if (r != no_region) ++now.region_incidents[static_cast<std::size_t>(r)];
  }
  for (double& d : disruption) d *= 0.9;  // the seizures traffic added this step were weighted 0.1
}

}  // namespace pocsim::model

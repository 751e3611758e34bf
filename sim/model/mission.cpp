// The mission and its levers: the phases (see Model::step for their order) and their building blocks.
// docs/odd.md 7.24 describes each lever.
#include "model/mission.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "core/distributions.hpp"
#include "model/model.hpp"

namespace pocsim::model {

std::string_view to_string(LeverKind k) {
  switch (k) {
    case LeverKind::cvr: return "cvr";
    case LeverKind::police_salaries: return "police_salaries";
    case LeverKind::capacity_building: return "capacity_building";
    case LeverKind::vetting: return "vetting";
    case LeverKind::justice_support: return "justice_support";
    case LeverKind::interdiction: return "interdiction";
    case LeverKind::strategic_comms: return "strategic_comms";
    case LeverKind::local_mediation: return "local_mediation";
    case LeverKind::ddr: return "ddr";
    case LeverKind::due_diligence: return "due_diligence";
    case LeverKind::sanctions: return "sanctions";
    case LeverKind::national_mediation: return "national_mediation";
    case LeverKind::soc_support: return "soc_support";
  }
  return "?";
}

void MissionStep::start_step(std::size_t n_regions) {
  spending = {};
  reach = {};
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

namespace {

// Levers that reach into the host state's own institutions and can expose officials' links to traffickers.
bool intrusive(LeverKind k) {
  return k == LeverKind::sanctions || k == LeverKind::vetting || k == LeverKind::justice_support ||
         k == LeverKind::capacity_building || k == LeverKind::soc_support;
}
}  // namespace

std::size_t Model::region_slot(CellIndex c) const { return static_cast<std::size_t>(geo_.region[c] + 1); }

bool Model::targets(const LeverDef& l, CellIndex c) const {
  return l.region_index < 0 || geo_.region[c] == l.region_index;
}

void Model::spend(LeverKind kind, std::int16_t region, std::size_t to, Cents amount) {
  if (amount <= 0) return;
  economy_.ledger.transfer(Ledger::mission, to, amount);
  mission_.now.spending[static_cast<std::size_t>(kind)] += amount;
  mission_.now.spending_by_target[static_cast<std::size_t>(kind)][static_cast<std::size_t>(region + 1)] += amount;
  mission_.budget_left -= amount;
}

bool Model::affordable(Cents amount) const {
  return params_.mission.budget.value_at(step_) <= 0 || amount <= mission_.budget_left;
}

void Model::set_up_mission() {
  const MissionParams& mp = params_.mission;
  MissionState& ms = mission_;
  const std::size_t n_cells = grid_.cell_count();
  const std::size_t slots = params_.geography.regions.size() + 1;
  ms.active = !mp.bases.empty() || !params_.levers.empty() || mp.contracts > 0;
  ms.interdiction.assign(slots, 1.0);
  ms.tolerance_kept.assign(slots, 1.0);
  ms.violence_kept.assign(slots, 1.0);
  ms.operations_support.assign(slots, 1.0);
  ms.support_income.assign(citizens_.size(), 0.0f);
  ms.troops.assign(n_cells, 0.0f);
  ms.base_at.assign(n_cells, -1);
  for (std::size_t b = 0; b < mp.bases.size(); ++b) {
    const BaseDef& base = mp.bases[b];
    std::vector<CellIndex> cells = disc_cells(grid_, grid_.index(base.at[0], base.at[1]), base.radius);
    for (CellIndex c : cells)
      if (ms.base_at[c] < 0) ms.base_at[c] = static_cast<std::int16_t>(b);
    ms.base_cells.push_back(std::move(cells));
  }
  ms.disruption.assign(mp.bases.size(), 0.0);
  ms.now.start_step(params_.geography.regions.size());
}

Model Model::branch(const std::vector<LeverDef>& levers) const {
  if (!levers.empty() && !mission_.active)
    throw std::invalid_argument("the scenario has no mission (no base, lever or contracts), so an option cannot add levers to it");
  for (const LeverDef& l : levers)
    if (l.start <= step_)
      throw std::invalid_argument("a " + std::string(to_string(l.kind)) + " lever starts at step " + std::to_string(l.start) +
                                  ", not after the branching step " + std::to_string(step_));
  Model copy(*this);
  copy.phase_times_ = nullptr;  // the branch's time is its caller's to measure
  copy.params_.levers.insert(copy.params_.levers.end(), levers.begin(), levers.end());
  return copy;
}

double Model::freeze_bite(std::size_t group, bool cross_border) const {
  const GroupState& g = conflict_.groups[group];
  if (g.listed_at < 0) return 0.0;
  // The freeze withholds its share of everything; on cross-border trade the travel ban costs a share of
  // the rest. Evasion erodes both with time since listing, unless neighbours enforce them.
  const double bite = cross_border ? 1.0 - (1.0 - g.freeze) * (1.0 - params_.mission.travel_ban) : g.freeze;
  const double enforcement = std::min(1.0, params_.mission.cross_border_enforcement);
  if (enforcement >= 1.0) return bite;
  const double time = static_cast<double>(params_.mission.evasion_time) / (1.0 - enforcement);
  return bite * std::exp(-static_cast<double>(step_ - g.listed_at) / time);
}

// ---------------------------------------------------------------------------------------------------

void Model::apply_levers() {
  if (!mission_.active) return;
  const MissionParams& mp = params_.mission;
  MissionState& ms = mission_;
  const std::int64_t mandate = 1 + (step_ - 1) / std::max<std::int64_t>(1, mp.mandate_length);
  if (mandate != ms.mandate || step_ == 1) ms.budget_left = to_cents(mp.budget.value_at(step_));  // a new mandate, a new budget
  ms.mandate = mandate;

  // Peacekeepers in force, spread over the discs their bases patrol.
  std::fill(ms.troops.begin(), ms.troops.end(), 0.0f);
  for (std::size_t b = 0; b < mp.bases.size(); ++b) {
    const auto per_cell = static_cast<float>(mp.bases[b].troops.value_at(step_) * mp.bases[b].surge / static_cast<double>(ms.base_cells[b].size()));
    for (CellIndex c : ms.base_cells[b]) ms.troops[c] += per_cell;
  }

  ms.intelligence = std::clamp(mp.intelligence.value_at(step_), 0.0, 1.0);
  if (ms.consent_withdrawn) std::fill(ms.troops.begin(), ms.troops.end(), 0.0f);  // the mission has left
  std::fill(ms.interdiction.begin(), ms.interdiction.end(), 1.0);
  std::fill(ms.tolerance_kept.begin(), ms.tolerance_kept.end(), 1.0);
  std::fill(ms.violence_kept.begin(), ms.violence_kept.end(), 1.0);
  std::fill(ms.operations_support.begin(), ms.operations_support.end(), 1.0);
  ms.donor_pay = 0;
  ms.extra_prosecutions = 0;
  ms.due_diligence = 0;
  // Support income fades unless a programme renews it this step.
  const double keep = std::exp(-1.0 / std::max(1, mp.cvr_fade));
  core::parallel_for(ms.support_income.size(), [&](std::size_t c) {
    ms.support_income[c] = static_cast<float>(ms.support_income[c] * keep);
  });

  // Intelligence makes levers that must find their targets (places, officers, people) work better.
  const double gain = 1.0 + mp.intelligence_gain * ms.intelligence;
  int intrusive_in_force = 0;
  for (std::size_t i = 0; i < params_.levers.size() && !ms.consent_withdrawn; ++i) {
    const LeverDef& l = params_.levers[i];
    if (!l.in_force(step_)) continue;
    const auto kind = static_cast<std::size_t>(l.kind);
    // Levers are funded in the order listed while the mandate's budget lasts (salaries are checked when paid).
    if (l.kind != LeverKind::police_salaries && !affordable(to_cents(l.budget))) {
      ++ms.now.unfunded[kind];
      continue;
    }
    intrusive_in_force += intrusive(l.kind);
    // Effects on a region slot: every slot when the lever targets everywhere.
    auto scale = [&](std::vector<double>& effect, double factor) {
      for (std::size_t slot = 0; slot < effect.size(); ++slot)
        if (l.region_index < 0 || slot == static_cast<std::size_t>(l.region_index + 1)) effect[slot] *= factor;
    };
    switch (l.kind) {
      case LeverKind::cvr: {
        // Short-term livelihoods: a stipend of `intensity` a step for as many young people in the region
        // as the budget pays for, the same people while they remain eligible. With intelligence, the
        // programme finds those closest to joining an armed group (the poorest) instead of anyone.
        const auto places = static_cast<std::size_t>(l.intensity > 0 ? std::floor(l.budget / l.intensity) : 0.0);
        std::vector<std::pair<double, AgentId>> eligible;
        for (AgentId c = 0; c < citizens_.size(); ++c)
          if (citizens_.young[c] && at_large(citizens_.state[c]) && targets(l, citizens_.cell[c])) {
            const double chance = cvr_rng_.at(0, (static_cast<std::uint64_t>(i) << 32) | c).uniform();
            const double need = citizens_.licit_income[c] / (2.0 * params_.economy.licit_income);  // 0.25 .. 0.75
            eligible.emplace_back(ms.intelligence * need + (1.0 - ms.intelligence) * chance, c);
          }
        const std::size_t n = std::min(places, eligible.size());
        std::partial_sort(eligible.begin(), eligible.begin() + static_cast<std::ptrdiff_t>(n), eligible.end());
        for (std::size_t k = 0; k < n; ++k) {
          const AgentId c = eligible[k].second;
          ms.support_income[c] = static_cast<float>(std::max<double>(ms.support_income[c], l.intensity));
        }
        spend(l.kind, l.region_index, Ledger::communities, to_cents(static_cast<double>(n) * l.intensity));
        ms.now.add_reach(l.kind, l.region_index, static_cast<std::int64_t>(n));
        break;
      }
      case LeverKind::police_salaries:
        // Donors pay `intensity` of the payroll, on top of what the state pays, up to all of it.
        ms.donor_pay = std::min(1.0, ms.donor_pay + l.intensity);
        break;  // paid (and counted) in pay_police
      case LeverKind::capacity_building:
      case LeverKind::vetting: {
        // Training (capacity) or vetting (integrity) of the posts in the region moves toward 1 by
        // `intensity` of the remaining gap each step.
        for (std::size_t k = 0; k < params_.police_pay.posts.size(); ++k) {
          const PostDef& post = params_.police_pay.posts[k];
          if (!targets(l, grid_.index(post.at[0], post.at[1]))) continue;
          double& level = l.kind == LeverKind::vetting ? economy_.posts[k].integrity : economy_.posts[k].capacity;
          level += std::min(1.0, l.intensity * gain) * (1.0 - level);
          ms.now.add_reach(l.kind, l.region_index, 1);
        }
        spend(l.kind, l.region_index, Ledger::world_producers, to_cents(l.budget));
        break;
      }
      case LeverKind::justice_support:
        ms.extra_prosecutions += static_cast<int>(std::lround(l.intensity));
        ms.now.add_reach(l.kind, l.region_index, std::lround(l.intensity));
        spend(l.kind, l.region_index, Ledger::world_producers, to_cents(l.budget));
        break;
      case LeverKind::interdiction:
        scale(ms.interdiction, 1.0 + l.intensity * gain);
        spend(l.kind, l.region_index, Ledger::world_producers, to_cents(l.budget));
        break;
      case LeverKind::strategic_comms:
        scale(ms.tolerance_kept, 1.0 - std::min(1.0, l.intensity * gain));
        spend(l.kind, l.region_index, Ledger::world_producers, to_cents(l.budget));
        break;
      case LeverKind::local_mediation:
        scale(ms.violence_kept, 1.0 - std::min(1.0, l.intensity * gain));
        spend(l.kind, l.region_index, Ledger::world_producers, to_cents(l.budget));
        break;
      case LeverKind::ddr:
        break;  // fighters leave in demobilise(), after the groups have paid them
      case LeverKind::soc_support:
        // The serious-and-organized-crime unit supports the host's operations: raids against armed units and
        // the exposure of kingpins at seizures in the region rise by `intensity`, sharpened by intelligence.
        scale(ms.operations_support, 1.0 + l.intensity * gain);
        spend(l.kind, l.region_index, Ledger::world_producers, to_cents(l.budget));
        break;
      case LeverKind::due_diligence:
        ms.due_diligence = std::max(ms.due_diligence, std::min(1.0, l.intensity * gain));
        spend(l.kind, l.region_index, Ledger::world_producers, to_cents(l.budget));
        break;
      case LeverKind::sanctions: {
        // The committee lists a targeted group's leaders at `listing_rate` a step; a listing hits them
        // (rather than the wrong people) with an accuracy that rises with the intelligence the mission
        // shares with the Panel of Experts. A hit freezes `intensity` of the group's treasury and withholds
        // `intensity` of its revenue, less what it learns to evade.
        const double shared = ms.intelligence * (mp.share_with_panel ? 1.0 : 0.25);
        const double accuracy = 0.2 + 0.8 * shared;
        for (std::size_t g = 0; g < conflict_.groups.size(); ++g) {
          GroupState& gs = conflict_.groups[g];
          const GroupDef& def = def_of(g);
          if (!gs.exists || gs.listed_at >= 0 || !targets(l, grid_.index(def.base[0], def.base[1]))) continue;
          core::Draws d = sanctions_rng_.at(step_counter(), (static_cast<std::uint64_t>(i) << 32) | g);
          if (d.uniform() >= mp.listing_rate) continue;
          if (d.uniform() >= accuracy) {
            ++ms.wrong_listings;
            continue;
          }
          gs.listed_at = step_;
          gs.freeze = std::min(1.0, l.intensity);
          const std::size_t account = economy_.ledger.group_account(g);
          const Cents frozen = to_cents(static_cast<double>(economy_.ledger.balance(account)) / 100.0 * gs.freeze);
          if (frozen > 0) economy_.ledger.transfer(account, Ledger::state, frozen);
          ++ms.listings;
          ms.now.add_reach(l.kind, l.region_index, 1);
        }
        spend(l.kind, l.region_index, Ledger::world_producers, to_cents(l.budget));
        break;
      }
      case LeverKind::national_mediation: {
        // A negotiated exit: a leader takes a package of `intensity` a step when it beats his share of his
        // group's rents. He leaves; his group goes through a succession (and may split), and rivals may
        // move into its routes while it is leaderless.
        for (std::size_t g = 0; g < conflict_.groups.size(); ++g) {
          const GroupState& gs = conflict_.groups[g];
          const GroupDef& def = def_of(g);
          if (!gs.exists || leaderless(g) || !targets(l, grid_.index(def.base[0], def.base[1]))) continue;
          const double leader_take = mp.leader_share * gs.rent_per_fighter * gs.fighters;
          if (l.intensity <= leader_take) continue;
          core::Draws d = mediation_rng_.at(step_counter(), (static_cast<std::uint64_t>(i) << 32) | g);
          remove_leader(g, d);
          ms.transitions.push_back({i, step_, false});
          ++ms.exits;
          ms.now.add_reach(l.kind, l.region_index, 1);
        }
        spend(l.kind, l.region_index, Ledger::world_producers, to_cents(l.budget));
        break;
      }
    }
  }
  // Exited leaders move into the legal economy in tranches: the package is paid (to legal businesses) each
  // step of the transition while the mediation that agreed it lasts; if it ends early the transition is
  // interrupted and payments stop.
  for (MissionState::Transition& t : ms.transitions) {
    if (t.interrupted || step_ - t.exit_step > mp.transition_length) continue;
    const LeverDef& l = params_.levers[t.lever];
    if (ms.consent_withdrawn || !l.in_force(step_)) {
      t.interrupted = true;
      ++ms.transitions_interrupted;
      continue;
    }
    if (step_ - t.exit_step == mp.transition_length) ++ms.transitions_completed;
    spend(l.kind, l.region_index, Ledger::communities, to_cents(l.intensity));
  }
  // Consent: intrusive levers cost it, the more the more the state is captured; it recovers without them.
  if (!ms.consent_withdrawn) {
    if (intrusive_in_force > 0)
      ms.consent -= mp.consent_loss * capture_.index * intrusive_in_force;
    else
      ms.consent += mp.consent_recovery * (1.0 - ms.consent);
    ms.consent = std::clamp(ms.consent, 0.0, 1.0);
    if (ms.consent < mp.consent_threshold) ms.consent_withdrawn = true;
  }
  interdiction_changed_ = true;  // the presence map is rebuilt with the levers' multipliers
}

void Model::demobilise() {
  if (!mission_.active || !conflict_.active || mission_.consent_withdrawn) return;
  Units& u = conflict_.units;
  const std::uint32_t step = step_counter();
  for (std::size_t i = 0; i < params_.levers.size(); ++i) {
    const LeverDef& l = params_.levers[i];
    if (l.kind != LeverKind::ddr || !l.in_force(step_) || l.intensity <= 0) continue;
    if (!affordable(to_cents(l.budget))) {
      ++mission_.now.unfunded[static_cast<std::size_t>(LeverKind::ddr)];
      continue;
    }
    // A reintegration package of `intensity` a step, as many as the budget pays for, taken by fighters in
    // the region whose group is in a peace process or pays them less than the package.
    auto places = static_cast<std::int64_t>(std::floor(l.budget / l.intensity));
    std::int64_t taken = 0;
    for (AgentId id = 0; id < u.size() && taken < places; ++id) {
      if (u.group[id] == no_group || !targets(l, u.cell[id])) continue;
      const GroupState& g = conflict_.groups[static_cast<std::size_t>(u.group[id])];
      const double pay = g.wage * (1.0 - g.shortfall);
      if (g.peace != PeaceStatus::joined && pay >= l.intensity) continue;
      std::vector<AgentId> staying;
      for (AgentId c : u.members[id]) {
        core::Draws d = ddr_rng_.at(step, c);
        if (taken < places && return_home(c, d)) {
          mission_.support_income[c] = static_cast<float>(l.intensity);
          ++taken;
          continue;
        }
        staying.push_back(c);
      }
      u.members[id] = std::move(staying);
      if (u.members[id].empty()) u.group[id] = no_group;
    }
    spend(l.kind, l.region_index, Ledger::communities, to_cents(static_cast<double>(taken) * l.intensity));
    mission_.now.add_reach(l.kind, l.region_index, taken);
  }
  count_fighters();
}

void Model::mission_contracts_and_incidents() {
  if (!mission_.active) return;
  const MissionParams& mp = params_.mission;
  MissionState& ms = mission_;
  const std::uint32_t step = step_counter();
  // Local contracts: what leaks goes to whoever controls the first base's cell, else to political elites.
  if (mp.contracts > 0 && !ms.consent_withdrawn) {
    const Cents value = to_cents(mp.contracts);
    const Cents leak = to_cents(mp.contracts * mp.contract_leakage * (1.0 - ms.due_diligence));
    std::size_t to = Ledger::elites;
    if (conflict_.active && !mp.bases.empty()) {
      const std::int16_t holder = conflict_.owner[grid_.index(mp.bases[0].at[0], mp.bases[0].at[1])];
      if (holder != no_group) to = economy_.ledger.group_account(static_cast<std::size_t>(holder));
    }
    economy_.ledger.transfer(Ledger::mission, Ledger::communities, value - leak);
    if (leak > 0) economy_.ledger.transfer(Ledger::mission, to, leak);
    ms.budget_left -= value;
    ms.now.contracts += value;
    ms.now.contract_leakage += leak;
  }
  // Incidents against mission personnel: a small rate anywhere, rising with the trafficking the mission
  // disrupts near its bases ("no direct threat ... until peacekeepers get involved").
  for (std::size_t b = 0; b < mp.bases.size() && !ms.consent_withdrawn; ++b) {
    if (mp.bases[b].troops.value_at(step_) * mp.bases[b].surge <= 0) continue;
    const double rate = mp.incident_rate + mp.disruption_weight * ms.disruption[b] / 1000.0;
    if (incident_rng_.at(step, b).uniform() >= 1.0 - std::exp(-rate)) continue;
    ++ms.now.incidents;
    const auto r = geo_.region[grid_.index(mp.bases[b].at[0], mp.bases[b].at[1])];
    if (r != no_region) ++ms.now.region_incidents[static_cast<std::size_t>(r)];
  }
  for (double& d : ms.disruption) d *= 0.9;  // the seizures traffic added this step were weighted 0.1
}

}  // namespace pocsim::model

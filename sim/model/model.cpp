#include "model/model.hpp"

#include <chrono>
#include <stdexcept>
#include <string>
#include <utility>

namespace pocsim::model {

namespace {
std::size_t group_slots(const ArmedGroupParams& a) { return a.groups.size() * (1 + static_cast<std::size_t>(a.max_splinters)); }

// Whether anything in the scenario moves money (the books, the economy's records and state capture).
bool moves_money(const Params& p) {
  const MissionParams& m = p.mission;
  return !p.economy.commodities.empty() || !p.police.posts.empty() || !p.conflict.armed_groups.groups.empty() || !m.bases.empty() ||
         !m.levers.empty() || m.contracts > 0;
}

bool has_mission(const MissionParams& m) { return !m.bases.empty() || !m.levers.empty() || m.contracts > 0; }

// The areas geography.people is spread over: each region that states its people (slot r + 1), and the
// rest of the map (slot 0), which holds what those regions leave. Per cell its area, per area its people.
std::pair<std::vector<std::int64_t>, std::vector<std::size_t>> people_areas(const GeographyParams& g, const Geography& geo) {
  std::vector<std::int64_t> people(g.regions.size() + 1, 0);
  people[0] = g.people;
  for (std::size_t r = 0; r < g.regions.size(); ++r) {
    people[r + 1] = g.regions[r].people;
    people[0] -= g.regions[r].people;
  }
  std::vector<std::size_t> area(geo.region.size(), 0);
  for (std::size_t c = 0; c < area.size(); ++c)
    if (geo.region[c] != no_region && g.regions[static_cast<std::size_t>(geo.region[c])].people > 0)
      area[c] = geo.region_slot(static_cast<CellIndex>(c));
  return {std::move(people), std::move(area)};
}
}  // namespace

Model::Model(const Params& params)
    : params_(params),
      grid_(params.grid.width, params.grid.height, params.grid.topology),
      geo_(std::make_shared<const Geography>(build_geography(params.geography, grid_))),
      books_(params.economy.networks.size(), group_slots(params.conflict.armed_groups)),
      population_(params.population, params.geography.population_values, grid_, params.run.seed),
      police_(params.police, params.geography, *geo_, grid_, params.economy.networks.size(), params.run.seed),
      conflict_(params.conflict, params.geography, *geo_, grid_, params.economy.commodities.size(), population_, books_,
                params.run.seed),
      economy_(params.economy, *geo_, grid_, moves_money(params), params.geography.regions.size(), params.run.seed),
      mission_(params.mission, grid_, has_mission(params.mission), population_.citizens.size(), params.geography.regions.size(),
               params.run.seed) {
  if (params.geography.people > 0) {
    const auto [people, area] = people_areas(params.geography, *geo_);
    population_.settle_residents(people, area, params.geography.population_values);
    conflict_.raise_bands(params.conflict.armed_groups, population_);
  }
}

// ---------------------------------------------------------------------------------------------------
// One step. Each phase reads the state the previous phase left and writes only its own results; what a
// mechanism takes from another is an argument here.
void Model::step() {
  ++step_;
  const Params& p = params_;
  const Geography& geo = *geo_;
  run_phase(Phase::start, [&] { start_step(); });  // clear this step's records
  run_phase(Phase::levers, [&] {  // the mission's levers in force: peacekeepers, programmes, their effects and costs
    LeverAction act = lever_action();
    mission_.apply_levers(act, capture_);
    bite_ = mission_.sanctions_bite(p.mission, conflict_, step_);
  });
  run_phase(Phase::schedules, [&] {  // legitimacy, police strength, pay, interdiction and youth livelihoods in force
    population_.apply_schedules(p.population, step_, capture_.legitimacy_kept(p.state));
    police_.apply_schedules(p.police, step_, capture_.fiscal_kept(p.state), mission_.active ? &mission_.interdiction : nullptr, geo);
    conflict_.apply_schedules(p.conflict, step_);
  });
  run_phase(Phase::police_pay, [&] {  // the state pays its share of the police payroll, donors may top it up; unpaid officers remember
    police_.pay_state_share(p.police, books_);
    police_.remember_shortfall(p.police, mission_.top_up_police_pay(p.mission, p.police, geo, police_, books_, step_));
  });
  run_phase(Phase::deployment, [&] {  // armed units move toward the sites worth most to them; control follows presence
    conflict_.deploy(p.conflict, step_, geo, population_, police_, capture_.political_will, mission_on_groups(), routes(),
                     p.population.citizens.licit_income);
  });
  run_phase(Phase::work, [&] {  // households weigh illicit work near routes and mines against their licit livelihood
    economy_.choose_work(p.economy, p.population.citizens, step_, population_, police_, livelihood());
  });
  run_phase(Phase::trafficking, [&] {  // consignments choose routes, pay protection, meet police (bribe, seizure, miss), are sold
    const MissionOnTrade mission = mission_on_trade();
    economy_.traffic(step_, {p.economy, p.police, p.conflict, p.geography, geo, population_, police_, conflict_, books_,
                             capture_.political_will, capture_.integrity_kept(p.state), bite_, mission});
  });
  run_phase(Phase::police_extortion, [&] {  // unpaid, corrupt police extort households they patrol
    if (!economy_.active) return;  // nothing to remember: no posts, no extortion
    population_.fade_extortion_memory(p.population.citizens.extortion_memory);
    police_.extort(p.police, step_, population_, books_, capture_.integrity_kept(p.state));
  });
  run_phase(Phase::group_extortion, [&] { conflict_.extort(p.conflict, step_, population_, books_, bite_); });  // armed groups extort households in their territory
  run_phase(Phase::fighter_pay, [&] { conflict_.pay_fighters(p.conflict, step_, population_, books_); });  // groups pay as far as their treasury goes; the unpaid desert
  run_phase(Phase::ddr, [&] {  // DDR: fighters offered a better package leave their groups
    LeverAction act = lever_action();
    mission_.demobilise(act);
  });
  run_phase(Phase::recruitment, [&] {  // the young near a group's units weigh its wage and their grievance against their livelihood
    conflict_.recruit(p.conflict, p.population.citizens, step_, population_, books_, livelihood());
  });
  run_phase(Phase::fighting, [&] {  // clashes between groups, state operations and raids, attacks on civilians
    conflict_.fight(p.conflict, p.police.justice, step_, geo, population_, police_, books_, capture_.political_will, mission_on_groups());
  });
  run_phase(Phase::leadership, [&] { conflict_.lead(p.conflict, step_, books_); });  // leader removals, successions and splits; the peace process
  run_phase(Phase::contracts, [&] {  // contracts (and what leaks), incidents against mission personnel
    mission_.contracts_and_incidents(p.mission, step_, geo, conflict_, economy_.now, books_);
  });
  run_phase(Phase::capture, [&] {  // the share of criminal rents reaching elites, and the political will it erodes
    if (economy_.active) capture_.update(p.state, economy_.now, police_.now, conflict_.now);
  });
  if (p.population.rules.activation == Activation::sequential) {
    run_phase(Phase::activation, [&] { population_.activate_sequentially(p.population, step_); });  // each agent in a fresh random order: move, then act
  } else {
    run_phase(Phase::movement, [&] { population_.move_synchronously(step_); });  // every free agent proposes an empty cell in vision; claims resolved by priority
    run_phase(Phase::rebellion, [&] { population_.decide_synchronously(p.population); });  // every free citizen turns active or quiet from what it sees after the moves
    run_phase(Phase::arrests, [&] { population_.arrest_synchronously(p.population, step_); });  // every cop claims one active in vision; winners jail their suspect
  }
  run_phase(Phase::prosecution, [&] {  // the oldest cases are tried as far as prosecutors can; verdicts set terms
    police_.prosecute(p.police.justice, step_, geo, population_, mission_.extra_trials, successor_delays());
    mission_.count_trials();
  });
  run_phase(Phase::sentences, [&] { population_.serve_sentences(step_); });  // jail terms count down; the released return to the grid
}

void Model::start_step() {
  const std::size_t regions = params_.geography.regions.size();
  economy_.now.start_step(params_.economy.commodities.size(), regions, economy_.flows);
  police_.now.start_step(regions);
  conflict_.now.start_step(conflict_.groups.size(), regions);
  mission_.now.start_step(regions);
}

template <class Body>
void Model::run_phase(Phase phase, Body&& body) {
  if (!phase_times_) {
    body();
    return;
  }
  const auto start = std::chrono::steady_clock::now();
  body();
  (*phase_times_)[static_cast<std::size_t>(phase)] += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// ---------------------------------------------------------------------------------------------------
// What the mechanisms above pass to those below

LeverAction Model::lever_action() {
  return {params_.mission, params_.police, params_.conflict, params_.population.citizens, step_, grid_, *geo_, population_,
          police_, conflict_, books_, mission_, 1.0};
}

Livelihood Model::livelihood() const {
  return {population_.citizens, *geo_, conflict_.ties.young, conflict_.youth_livelihood,
          mission_.active ? &mission_.support_income : nullptr, mission_.active ? &mission_.tolerance_kept : nullptr};
}

MissionOnGroups Model::mission_on_groups() const {
  if (!mission_.active) return {nullptr, nullptr, nullptr, params_.mission.protection};
  return {&mission_.troops, &mission_.violence_kept, &mission_.operations_support, params_.mission.protection};
}

MissionOnTrade Model::mission_on_trade() const {
  if (!mission_.active) return {nullptr, params_.mission.stability, nullptr};
  return {&mission_.troops, params_.mission.stability, &mission_.operations_support};
}

Routes Model::routes() const {
  Routes r(economy_.flows.size());
  for (std::size_t f = 0; f < economy_.flows.size(); ++f)
    for (const Route& route : economy_.flows[f].routes) r[f].emplace_back(route.cells);
  return r;
}

std::vector<int> Model::successor_delays() const {
  std::vector<int> delays;
  for (const NetworkDef& n : params_.economy.networks) delays.push_back(n.successor_delay);
  return delays;
}

// ---------------------------------------------------------------------------------------------------

Model Model::branch(const std::vector<LeverDef>& levers) const {
  if (!levers.empty() && !mission_.active)
    throw std::invalid_argument("the scenario has no mission (no base, lever or contracts), so an option cannot add levers to it");
  for (const LeverDef& l : levers)
    if (l.start <= step_)
      throw std::invalid_argument("a " + std::string(to_string(l.kind)) + " lever starts at step " + std::to_string(l.start) +
                                  ", not after the branching step " + std::to_string(step_));
  Model copy(*this);
  copy.phase_times_ = nullptr;  // the branch's time is its caller's to measure
  copy.params_.mission.levers.insert(copy.params_.mission.levers.end(), levers.begin(), levers.end());
  return copy;
}

double Model::freeze_bite(std::size_t group, bool cross_border) const {
  return mission_.freeze_bite(params_.mission, conflict_.groups[group], step_, cross_border);
}

void Model::clear_accumulated_maps() {
  economy_.clear_flow_map();
  conflict_.clear_fatality_map();
}

}  // namespace pocsim::model

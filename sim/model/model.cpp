#include "model/model.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cassert>
#include <cmath>
#include <numeric>
#include <optional>
#include <span>

#include "core/distributions.hpp"
#include "model/civil_violence.hpp"

namespace pocsim::model {

namespace {
constexpr std::uint32_t cop_flag = 0x80000000u;  // marks a cop in the sequential activation order

// Claims of different phases in one step draw different priorities. (A mover draws its priority from
// its own movement draws, which spares a second Philox block for millions of movers a step.) The values
// are part of the random-number key: renumbering them changes every result.
enum class ClaimPhase : std::uint64_t { arrest = 2, release = 3 };

// The claim key of one claimant in one phase of one step: a random priority and the claimant's id.
std::uint64_t claim_key(const core::RandomStream& rng, std::uint32_t step, ClaimPhase phase, std::uint32_t claimant) {
  const std::uint64_t entity = (static_cast<std::uint64_t>(phase) << 32) | claimant;
  return core::ClaimBoard::key(rng.at(step, entity).next_u32(), claimant);
}
}  // namespace

Model::Model(const Params& params)
    : params_(params),
      grid_(params.grid.width, params.grid.height, params.grid.topology),
      citizen_vision_(params.rules.vision_shape, params.citizens.vision),
      cop_vision_(params.rules.vision_shape, params.police.vision),
      geo_(build_geography(params, grid_)),
      claims_(grid_.cell_count()),
      placement_rng_(params.run.seed, "placement"),
      attributes_rng_(params.run.seed, "citizen.attributes"),
      order_rng_(params.run.seed, "activation.order"),
      citizen_move_rng_(params.run.seed, "citizen.move"),
      cop_move_rng_(params.run.seed, "cop.move"),
      arrest_rng_(params.run.seed, "cop.arrest"),
      jail_term_rng_(params.run.seed, "jail.term"),
      release_rng_(params.run.seed, "jail.release"),
      deploy_rng_(params.run.seed, "police.deploy"),
      claim_rng_(params.run.seed, "claim.priority"),
      household_rng_(params.run.seed, "household.attributes"),
      hiring_rng_(params.run.seed, "work.hiring"),
      route_rng_(params.run.seed, "route.choice"),
      encounter_rng_(params.run.seed, "police.encounter"),
      extortion_rng_(params.run.seed, "police.extortion"),
      verdict_rng_(params.run.seed, "justice.verdict"),
      youth_rng_(params.run.seed, "household.youth"),
      unit_rng_(params.run.seed, "group.unit"),
      group_extortion_rng_(params.run.seed, "group.extortion"),
      desertion_rng_(params.run.seed, "group.desertion"),
      recruit_rng_(params.run.seed, "group.recruitment"),
      clash_rng_(params.run.seed, "group.clash"),
      operation_rng_(params.run.seed, "state.operation"),
      attack_rng_(params.run.seed, "group.attack"),
      succession_rng_(params.run.seed, "group.succession"),
      cvr_rng_(params.run.seed, "mission.cvr"),
      ddr_rng_(params.run.seed, "mission.ddr"),
      incident_rng_(params.run.seed, "mission.incident"),
      sanctions_rng_(params.run.seed, "mission.sanctions"),
      mediation_rng_(params.run.seed, "mission.mediation") {
  cells_.resize(grid_.cell_count());
  legitimacy_ = params_.citizens.legitimacy.value_at(0);
  cop_density_ = params_.police.density.value_at(0);
  place_initial_population();
  set_up_economy();
  set_up_armed_groups();
  set_up_mission();
}

void Model::place_initial_population() {
  const std::size_t n_cells = grid_.cell_count();
  std::vector<CellCode> kind(n_cells, CellCode::empty);
  const std::vector<float>& population = params_.geography.population_raster;
  if (params_.rules.placement == Placement::exact) {
    const auto n_cops = std::min<std::size_t>(
        n_cells, static_cast<std::size_t>(std::llround(cop_density_ * static_cast<double>(n_cells))));
    // Densities that sum to 1 can each round up: never more agents than cells.
    const auto n_citizens = std::min<std::size_t>(
        n_cells - n_cops, static_cast<std::size_t>(std::llround(params_.citizens.density * static_cast<double>(n_cells))));
    std::vector<CellIndex> order(n_cells);
    for (std::size_t i = 0; i < n_cells; ++i) order[i] = static_cast<CellIndex>(i);
    core::Draws d = placement_rng_.at(0, 0);
    core::shuffle(d, std::span<CellIndex>(order));
    if (population.empty()) {
      for (std::size_t i = 0; i < n_cops; ++i) kind[order[i]] = CellCode::cop;
      for (std::size_t i = n_cops; i < n_cops + n_citizens; ++i) kind[order[i]] = CellCode::quiet;
    } else {
      // Citizens first, where people live: weighted sampling without replacement (Efraimidis and
      // Spirakis 2006), each populated cell drawing the key Exp(1) / weight, the smallest keys winning.
      // Cops then take the first free cells of the uniform order.
      std::vector<std::pair<double, CellIndex>> keyed;
      for (std::size_t c = 0; c < n_cells; ++c) {
        if (population[c] <= 0) continue;
        core::Draws k = placement_rng_.at(1, c);
        keyed.emplace_back(core::exponential(k, 1.0) / population[c], static_cast<CellIndex>(c));
      }
      const std::size_t take = std::min(n_citizens, keyed.size());
      std::partial_sort(keyed.begin(), keyed.begin() + static_cast<std::ptrdiff_t>(take), keyed.end());
      for (std::size_t i = 0; i < take; ++i) kind[keyed[i].second] = CellCode::quiet;
      std::size_t placed = 0;
      for (std::size_t i = 0; i < n_cells && placed < n_cops; ++i)
        if (kind[order[i]] == CellCode::empty) {
          kind[order[i]] = CellCode::cop;
          ++placed;
        }
    }
  } else {
    const double p_cop = cop_density_;
    double mean_weight = 1.0;
    if (!population.empty())
      mean_weight = std::accumulate(population.begin(), population.end(), 0.0) / static_cast<double>(n_cells);
    core::parallel_for(n_cells, [&](std::size_t c) {
      const double weight = population.empty() ? 1.0 : population[c] / mean_weight;
      const double p_citizen = std::min(1.0 - p_cop, params_.citizens.density * weight);
      const double u = placement_rng_.at(0, c).uniform();
      kind[c] = u < p_cop ? CellCode::cop : (u < p_cop + p_citizen ? CellCode::quiet : CellCode::empty);
    });
  }
  // Ids in cell order, so they do not depend on thread count.
  for (std::size_t c = 0; c < n_cells; ++c) {
    const auto cell = static_cast<CellIndex>(c);
    if (kind[c] == CellCode::quiet) {
      const AgentId id = citizens_.append();
      core::Draws d = attributes_rng_.at(0, id);
      citizens_.hardship[id] = static_cast<float>(d.uniform());
      citizens_.risk_aversion[id] = static_cast<float>(d.uniform());
      citizens_.state[id] = CitizenState::quiet;
      citizens_.cell[id] = cell;
      // A separate stream, so adding the economy left every Epstein draw unchanged.
      core::Draws h = household_rng_.at(0, id);
      citizens_.licit_income[id] = static_cast<float>(params_.economy.licit_income * (0.5 + h.uniform()));
      citizens_.tolerance[id] = static_cast<float>(std::min(1.0, 2.0 * params_.economy.tolerance * h.uniform()));
      citizens_.employer[id] = -1;
      cells_.code[c] = CellCode::quiet;
      cells_.agent[c] = id;
    } else if (kind[c] == CellCode::cop) {
      const AgentId id = cops_.append();
      cops_.on_duty[id] = 1;
      cops_.cell[id] = cell;
      cells_.code[c] = CellCode::cop;
      cells_.agent[c] = id;
    }
  }
  cops_on_duty_ = cops_.size();
  citizen_target_.assign(citizens_.size(), core::no_cell);
  next_state_.assign(citizens_.size(), CitizenState::quiet);
}

// ---------------------------------------------------------------------------------------------------
// One step. Each phase reads the state the previous phase left and writes only its own results.
void Model::step() {
  ++step_;
  run_phase(Phase::start, &Model::start_step);     // clear this step's records
  run_phase(Phase::levers, &Model::apply_levers);  // the mission's levers in force: peacekeepers, programmes, their effects and costs
  run_phase(Phase::schedules, &Model::apply_schedules);  // legitimacy, police strength, pay, interdiction and volumes in force this step
  run_phase(Phase::police_pay, &Model::pay_police);  // the state pays the share of the police payroll it can; unpaid officers remember
  run_phase(Phase::deployment, &Model::deploy_units);  // armed units move toward the sites worth most to them; control follows presence
  run_phase(Phase::work, &Model::choose_work);  // households weigh illicit work near routes and mines against licit income
  run_phase(Phase::trafficking, &Model::traffic);  // consignments choose routes, pay protection, meet police (bribe, seizure, miss), are sold
  run_phase(Phase::police_extortion, &Model::extort_communities);  // unpaid, corrupt police extort households they patrol
  run_phase(Phase::group_extortion, &Model::extort_for_groups);    // armed groups extort households in their territory
  run_phase(Phase::fighter_pay, &Model::pay_fighters);  // groups pay wages and operations as far as their treasury goes; the unpaid desert
  run_phase(Phase::ddr, &Model::demobilise);            // DDR: fighters offered a better package leave their groups
  run_phase(Phase::recruitment, &Model::recruit_fighters);  // the young near a group's units weigh its wage and their grievance against licit income
  run_phase(Phase::fighting, &Model::fight);            // clashes between groups, state operations, attacks on civilians
  run_phase(Phase::leadership, &Model::lead_groups);    // scripted leader removals, successions and splits; peace-process decisions
  run_phase(Phase::contracts, &Model::mission_contracts_and_incidents);  // contracts (and what leaks), incidents against mission personnel
  run_phase(Phase::capture, &Model::update_capture);    // the share of criminal rents reaching elites, and the political will it erodes
  if (params_.rules.activation == Activation::sequential) {
    run_phase(Phase::activation, &Model::activate_sequentially);  // each agent in a fresh random order: move, then act
  } else {
    run_phase(Phase::movement, &Model::move_synchronously);  // every free agent proposes an empty cell in vision; claims resolved by priority
    run_phase(Phase::rebellion, &Model::decide_synchronously);  // every free citizen turns active or quiet from what it sees after the moves
    run_phase(Phase::arrests, &Model::arrest_synchronously);  // every cop claims one active in vision; winners jail their suspect
  }
  run_phase(Phase::prosecution, &Model::prosecute);     // the oldest cases are tried as far as prosecutors can; verdicts set terms
  run_phase(Phase::sentences, &Model::serve_sentences);  // jail terms count down; the released return to the grid
}

void Model::start_step() {
  economy_.now.start_step(params_.economy.commodities.size(), params_.geography.regions.size(), economy_.flows);
  conflict_.now.start_step(conflict_.groups.size(), params_.geography.regions.size());
  mission_.now.start_step(params_.geography.regions.size());
}

void Model::run_phase(Phase phase, void (Model::*body)()) {
  if (!phase_times_) {
    (this->*body)();
    return;
  }
  const auto start = std::chrono::steady_clock::now();
  (this->*body)();
  (*phase_times_)[static_cast<std::size_t>(phase)] += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string_view to_string(Phase p) {
  static constexpr std::array<std::string_view, phase_count> names = {
      "start", "levers", "schedules", "police_pay", "deployment", "work", "trafficking", "police_extortion",
      "group_extortion", "fighter_pay", "ddr", "recruitment", "fighting", "leadership", "contracts", "capture",
      "activation", "movement", "rebellion", "arrests", "prosecution", "sentences"};
  return names[static_cast<std::size_t>(p)];
}
// ---------------------------------------------------------------------------------------------------

void Model::apply_schedules() {
  // State capture, as it stood at the end of the last step, erodes legitimacy and the payroll.
  legitimacy_ = params_.citizens.legitimacy.value_at(step_) * (1.0 - params_.capture.legitimacy_loss * capture_.index);
  paid_share_ = params_.police_pay.paid_share.value_at(step_) * (1.0 - params_.capture.fiscal_loss * capture_.index);
  youth_livelihood_ = params_.armed_groups.youth_livelihood.value_at(step_);
  bool interdiction_changed = interdiction_changed_;
  interdiction_changed_ = false;
  for (std::size_t i = 0; i < interdiction_multiplier_.size(); ++i) {
    const double m = params_.police_pay.interdiction[i].multiplier.value_at(step_);
    interdiction_changed |= m != interdiction_multiplier_[i];
    interdiction_multiplier_[i] = m;
  }
  if (interdiction_changed) {
    if (mission_.active) {
      // The mission's interdiction levers first, per region; then the scenario's targets.
      core::parallel_for(interdiction_presence_.size(), [&](std::size_t c) {
        interdiction_presence_[c] = static_cast<float>(mission_.interdiction[region_slot(static_cast<CellIndex>(c))]);
      });
    } else {
      for (const auto& cells : geo_.interdiction_cells)
        for (CellIndex c : cells) interdiction_presence_[c] = 1.0f;
    }
    for (std::size_t i = 0; i < interdiction_multiplier_.size(); ++i)
      for (CellIndex c : geo_.interdiction_cells[i])
        interdiction_presence_[c] = static_cast<float>(interdiction_presence_[c] * interdiction_multiplier_[i]);
  }
  const double density = params_.police.density.value_at(step_);
  if (density != cop_density_) {
    cop_density_ = density;
    set_police_strength(static_cast<std::size_t>(std::llround(density * static_cast<double>(grid_.cell_count()))));
  }
}

void Model::set_police_strength(std::size_t target) {
  // Withdraw the most recently deployed first; redeploy the longest-serving first.
  for (std::size_t i = cops_.size(); i-- > 0 && cops_on_duty_ > target;) {
    if (!cops_.on_duty[i]) continue;
    cops_.on_duty[i] = 0;
    cells_.code[cops_.cell[i]] = CellCode::empty;
    cops_.cell[i] = core::no_cell;
    --cops_on_duty_;
  }
  AgentId next_off_duty = 0;
  const auto n_cells = static_cast<std::uint32_t>(grid_.cell_count());
  while (cops_on_duty_ < target) {
    while (next_off_duty < cops_.size() && cops_.on_duty[next_off_duty]) ++next_off_duty;
    const AgentId id = next_off_duty;  // == cops_.size() when a new cop must be hired
    core::Draws d = deploy_rng_.at(step_counter(), id);
    CellIndex where = core::no_cell;
    for (int attempt = 0; attempt < 64 && where == core::no_cell; ++attempt) {
      const CellIndex c = core::uniform_below(d, n_cells);
      if (empty(c)) where = c;
    }
    if (where == core::no_cell) {  // a crowded grid: choose among all free cells
      std::vector<CellIndex> free_cells;
      for (CellIndex c = 0; c < n_cells; ++c)
        if (empty(c)) free_cells.push_back(c);
      if (free_cells.empty()) break;  // no room for more police
      where = free_cells[core::uniform_below(d, static_cast<std::uint32_t>(free_cells.size()))];
    }
    if (id == cops_.size()) cops_.append();
    cops_.on_duty[id] = 1;
    cops_.cell[id] = where;
    cells_.code[where] = CellCode::cop;
    cells_.agent[where] = id;
    ++cops_on_duty_;
  }
}

CellIndex Model::random_empty_cell_near(CellIndex from, const core::Neighbourhood& n, core::Draws& d) const {
  // Rejection sampling over the neighbourhood's offsets, then a full scan if that keeps failing. Each
  // route picks uniformly among the empty cells in reach, so their mixture does too; the scan only runs
  // in crowded neighbourhoods.
  const auto& offsets = n.offsets();
  if (offsets.empty()) return core::no_cell;
  const auto n_offsets = static_cast<std::uint32_t>(offsets.size());
  // Most cells of a large grid have no edge in reach: there an offset is plain arithmetic.
  const bool interior = grid_.interior(from, n.radius());
  const auto width = static_cast<std::int64_t>(grid_.width());
  for (int attempt = 0; attempt < 16; ++attempt) {
    const core::Offset o = offsets[core::uniform_below(d, n_offsets)];
    const auto c = interior ? std::optional(static_cast<CellIndex>(static_cast<std::int64_t>(from) + o.dy * width + o.dx))
                            : grid_.shifted(from, o.dx, o.dy);
    if (c && empty(*c)) return *c;
  }
  std::uint32_t n_empty = 0;
  grid_.for_each_neighbour(from, n, [&](CellIndex c) { n_empty += empty(c) ? 1u : 0u; });
  if (n_empty == 0) return core::no_cell;
  std::uint32_t pick = core::uniform_below(d, n_empty);
  CellIndex chosen = core::no_cell;
  grid_.for_each_neighbour(from, n, [&](CellIndex c) {
    if (empty(c) && pick-- == 0) chosen = c;
  });
  return chosen;
}

ArrestOdds Model::arrest_odds() const {
  return {params_.police.arrest_constant, params_.rules.arrest_ratio,
          static_cast<std::uint32_t>(citizen_vision_.offsets().size() + 1)};
}

bool Model::decide(AgentId c, const View& seen, const ArrestOdds& odds) const {
  return turns_active(effective_hardship(c), citizens_.risk_aversion[c], effective_legitimacy(c),
                      odds(seen.cops, seen.actives_including_self), params_.citizens.threshold);
}

bool Model::rebuild_vision_counts() {
  if (!core::RowCounts::fits(grid_)) return false;
  vision_counts_.rebuild(grid_, cells_.code.data(), [](CellCode k) { return k == CellCode::cop; },
                         [](CellCode k) { return k == CellCode::active; });
  return true;
}

Model::View Model::view_from(CellIndex at, bool self_active, const core::RowCounts::Window* counts) const {
  View v;
  if (counts) {
    const core::RowCounts::Counts seen = counts->around(at);
    v.cops = seen.a;
    v.actives_including_self = seen.b;
  } else {
    const CellCode* code = cells_.code.data();
    grid_.for_each_run(at, citizen_vision_, [&](CellIndex first, int length) {
      const CellCode* p = code + first;
      std::uint32_t cops = 0;
      std::uint32_t actives = 0;
      for (int i = 0; i < length; ++i) {
        cops += p[i] == CellCode::cop;
        actives += p[i] == CellCode::active;
      }
      v.cops += cops;
      v.actives_including_self += actives;
    });
  }
  // The runs include the centre, which holds the citizen: never a cop, and an active only if it is
  // active itself; A counts the citizen as active whatever its state (Epstein 2002).
  if (!self_active) ++v.actives_including_self;
  return v;
}

void Model::set_state(AgentId c, CitizenState s) {
  citizens_.state[c] = s;
  cells_.code[citizens_.cell[c]] = code_of(s);
}

CellIndex Model::pick_suspect(AgentId cop, core::Draws& d, const core::RowCounts::Window* counts) const {
  // Count the actives in view, draw one of them, then find it: two passes over contiguous runs of
  // cells instead of collecting candidates (the first from the row counts when given).
  const CellIndex at = cops_.cell[cop];
  const CellCode* code = cells_.code.data();
  std::uint32_t n_active = 0;
  if (counts) {
    n_active = counts->around(at).b;
  } else {
    grid_.for_each_run(at, cop_vision_, [&](CellIndex first, int length) {
      for (int i = 0; i < length; ++i) n_active += code[first + static_cast<CellIndex>(i)] == CellCode::active;
    });
  }
  if (n_active == 0) return core::no_cell;  // the cop's own cell is never active, so the runs may include it
  std::uint32_t pick = core::uniform_below(d, n_active);
  CellIndex chosen = core::no_cell;
  grid_.for_each_run(at, cop_vision_, [&](CellIndex first, int length) {
    for (int i = 0; i < length && chosen == core::no_cell; ++i)
      if (code[first + static_cast<CellIndex>(i)] == CellCode::active && pick-- == 0) chosen = first + static_cast<CellIndex>(i);
  });
  return chosen;
}

void Model::arrest(AgentId cop, CellIndex suspect_cell) {
  const AgentId c = cells_.agent[suspect_cell];
  assert(cells_.code[suspect_cell] == CellCode::active && citizens_.state[c] == CitizenState::active);
  core::Draws d = jail_term_rng_.at(step_counter(), c);
  detain(c, Custody::detention, static_cast<std::int32_t>(core::uniform_int(d, 0, params_.police.max_jail_term)));
  // The paper's jail is off the grid; the cop steps into the suspect's cell, as in NetLogo's Rebellion.
  if (params_.rules.jail == JailRule::off_grid) move_agent(Kind::cop, cop, suspect_cell);
}

void Model::detain(AgentId c, Custody why, std::int32_t term) {
  if (at_large(citizens_.state[c])) {
    set_state(c, CitizenState::jailed);
    if (params_.rules.jail == JailRule::off_grid) cells_.code[citizens_.cell[c]] = CellCode::empty;
  } else {
    // A fighter is off the grid already; its cell is the one it will return to, perhaps taken meanwhile.
    citizens_.state[c] = CitizenState::jailed;
  }
  citizens_.jail_left[c] = term;
  citizens_.custody[c] = static_cast<std::uint8_t>(why);
  citizens_.work[c] = static_cast<std::uint8_t>(Work::licit);
  citizens_.employer[c] = -1;
}

void Model::hold_for_trial(AgentId c) {
  detain(c, Custody::pretrial, params_.justice.max_pretrial_steps);
  economy_.backlog.push_back({false, c, step_ + params_.justice.max_pretrial_steps});
}

void Model::move_agent(Kind kind, AgentId id, CellIndex to) {
  CellIndex& from = kind == Kind::citizen ? citizens_.cell[id] : cops_.cell[id];
  cells_.code[to] = cells_.code[from];
  cells_.agent[to] = id;
  cells_.code[from] = CellCode::empty;
  from = to;
}

void Model::activate_sequentially() {
  activation_order_.clear();
  for (AgentId c = 0; c < citizens_.size(); ++c)
    if (at_large(citizens_.state[c])) activation_order_.push_back(c);
  for (AgentId k = 0; k < cops_.size(); ++k)
    if (cops_.on_duty[k]) activation_order_.push_back(k | cop_flag);
  core::Draws order = order_rng_.at(step_counter(), 0);
  core::shuffle(order, std::span<std::uint32_t>(activation_order_));

  const bool movement = params_.rules.movement;
  const ArrestOdds odds = arrest_odds();
  for (const std::uint32_t handle : activation_order_) {
    if (handle & cop_flag) {
      const AgentId k = handle & ~cop_flag;
      if (movement) {
        core::Draws d = cop_move_rng_.at(step_counter(), k);
        const CellIndex to = random_empty_cell_near(cops_.cell[k], cop_vision_, d);
        if (to != core::no_cell) move_agent(Kind::cop, k, to);
      }
      core::Draws d = arrest_rng_.at(step_counter(), k);
      const CellIndex suspect = pick_suspect(k, d);
      if (suspect != core::no_cell) arrest(k, suspect);
    } else {
      const AgentId c = handle;
      if (!at_large(citizens_.state[c])) continue;  // arrested earlier in this step
      if (movement) {
        core::Draws d = citizen_move_rng_.at(step_counter(), c);
        const CellIndex to = random_empty_cell_near(citizens_.cell[c], citizen_vision_, d);
        if (to != core::no_cell) move_agent(Kind::citizen, c, to);
      }
      const View v = view_from(citizens_.cell[c], citizens_.state[c] == CitizenState::active);
      set_state(c, decide(c, v, odds) ? CitizenState::active : CitizenState::quiet);
    }
  }
}

void Model::move_synchronously() {
  if (!params_.rules.movement) return;
  const std::uint32_t step = step_counter();
  cop_target_.assign(cops_.size(), core::no_cell);
  // Agents are numbered in the cell order they started in and move a few cells a step, so a pass in id
  // order sweeps the grid roughly row by row. The claims a citizen may make lie within its vision, a
  // band of rows around it; the cache is asked for the band's next row ahead of need, because the board
  // is too large to stay in cache and the pattern (many rows at once) defeats the hardware prefetcher.
  const std::size_t row_ahead = static_cast<std::size_t>(citizen_vision_.radius() + 1) * static_cast<std::size_t>(grid_.width());
  // Proposals read the grid as it was at the start of the phase.
  core::parallel_for(citizens_.size(), [&](std::size_t i) {
    const auto c = static_cast<AgentId>(i);
    citizen_target_[c] = core::no_cell;
    if (!at_large(citizens_.state[c])) return;
    claims_.prefetch(citizens_.cell[c] + row_ahead);
    core::Draws d = citizen_move_rng_.at(step, c);
    const CellIndex to = random_empty_cell_near(citizens_.cell[c], citizen_vision_, d);
    if (to == core::no_cell) return;
    citizen_target_[c] = to;
    claims_.claim(to, core::ClaimBoard::key(d.next_u32(), c));  // the priority: the mover's next draw
  });
  core::parallel_for(cops_.size(), [&](std::size_t i) {
    const auto k = static_cast<AgentId>(i);
    if (!cops_.on_duty[k]) return;
    core::Draws d = cop_move_rng_.at(step, k);
    const CellIndex to = random_empty_cell_near(cops_.cell[k], cop_vision_, d);
    if (to == core::no_cell) return;
    cop_target_[k] = to;
    claims_.claim(to, core::ClaimBoard::key(d.next_u32(), cop_claimant(k)));
  });
  // Winners move. A target was empty at the start of the phase and a mover's old cell is its own, so
  // no two winners write the same cell. The slots a later citizen will read are fetched ahead.
  constexpr std::size_t look_ahead = 16;
  core::parallel_for(citizens_.size(), [&](std::size_t i) {
    const auto c = static_cast<AgentId>(i);
    if (i + look_ahead < citizens_.size()) claims_.prefetch(citizen_target_[i + look_ahead]);
    const CellIndex to = citizen_target_[c];
    if (to != core::no_cell && claims_.won_by(to, c)) move_agent(Kind::citizen, c, to);
  });
  core::parallel_for(cops_.size(), [&](std::size_t i) {
    const auto k = static_cast<AgentId>(i);
    const CellIndex to = cop_target_[k];
    if (to != core::no_cell && claims_.won_by(to, cop_claimant(k))) move_agent(Kind::cop, k, to);
  });
  core::parallel_for(citizens_.size(), [&](std::size_t c) {
    if (c + look_ahead < citizens_.size()) claims_.prefetch(citizen_target_[c + look_ahead]);
    if (citizen_target_[c] != core::no_cell) claims_.clear(citizen_target_[c]);
  });
  core::parallel_for(cops_.size(), [&](std::size_t k) {
    if (cop_target_[k] != core::no_cell) claims_.clear(cop_target_[k]);
  });
}

void Model::decide_synchronously() {
  // Decisions are written to a side column first: every citizen must see the states of the start of
  // the phase, and the grid codes are what neighbours read.
  std::optional<core::RowCounts::Window> counts;
  if (rebuild_vision_counts()) counts.emplace(vision_counts_, grid_, citizen_vision_);
  const ArrestOdds odds = arrest_odds();
  core::parallel_for(citizens_.size(), [&](std::size_t i) {
    const auto c = static_cast<AgentId>(i);
    next_state_[c] = citizens_.state[c];
    if (!at_large(citizens_.state[c])) return;
    const View v = view_from(citizens_.cell[c], citizens_.state[c] == CitizenState::active, counts ? &*counts : nullptr);
    next_state_[c] = decide(c, v, odds) ? CitizenState::active : CitizenState::quiet;
  });
  core::parallel_for(citizens_.size(), [&](std::size_t i) {
    const auto c = static_cast<AgentId>(i);
    if (next_state_[c] != citizens_.state[c]) set_state(c, next_state_[c]);
  });
}

void Model::arrest_synchronously() {
  const std::uint32_t step = step_counter();
  cop_target_.assign(cops_.size(), core::no_cell);
  std::optional<core::RowCounts::Window> counts;
  if (rebuild_vision_counts()) counts.emplace(vision_counts_, grid_, cop_vision_);
  core::parallel_for(cops_.size(), [&](std::size_t i) {
    const auto k = static_cast<AgentId>(i);
    if (!cops_.on_duty[k]) return;
    core::Draws d = arrest_rng_.at(step, k);
    const CellIndex suspect = pick_suspect(k, d, counts ? &*counts : nullptr);
    if (suspect == core::no_cell) return;
    cop_target_[k] = suspect;
    claims_.claim(suspect, claim_key(claim_rng_, step, ClaimPhase::arrest, k));
  });
  // A suspect's cell is claimed by one winner; a cop's own cell is claimed by nobody else, so the
  // winners' moves into their suspects' cells never collide.
  core::parallel_for(cops_.size(), [&](std::size_t i) {
    const auto k = static_cast<AgentId>(i);
    const CellIndex suspect = cop_target_[k];
    if (suspect == core::no_cell) return;
    if (claims_.won_by(suspect, k)) arrest(k, suspect);
  });
  core::parallel_for(cops_.size(), [&](std::size_t k) {
    if (cop_target_[k] != core::no_cell) claims_.clear(cop_target_[k]);
  });
}

void Model::serve_sentences() {
  const std::uint32_t step = step_counter();
  const bool off_grid = params_.rules.jail == JailRule::off_grid;
  // A term of t steps releases the citizen at the end of the t-th step after its arrest step.
  core::parallel_for(citizens_.size(), [&](std::size_t i) {
    const auto c = static_cast<AgentId>(i);
    citizen_target_[c] = core::no_cell;
    if (citizens_.state[c] != CitizenState::jailed) return;
    if (citizens_.jail_left[c] > 0) {
      --citizens_.jail_left[c];
      return;
    }
    citizens_.custody[c] = static_cast<std::uint8_t>(Custody::none);
    if (!off_grid) {
      set_state(c, CitizenState::quiet);
      return;
    }
    // Back to the arrest cell if it is free, else to a free cell within vision of it; when none is free
    // or a rival claim wins, the citizen tries again next step.
    const CellIndex home = citizens_.cell[c];
    core::Draws d = release_rng_.at(step, c);
    const CellIndex to = empty(home) ? home : random_empty_cell_near(home, citizen_vision_, d);
    if (to == core::no_cell) return;
    citizen_target_[c] = to;
    claims_.claim(to, claim_key(claim_rng_, step, ClaimPhase::release, c));
  });
  if (!off_grid) return;
  core::parallel_for(citizens_.size(), [&](std::size_t i) {
    const auto c = static_cast<AgentId>(i);
    const CellIndex to = citizen_target_[c];
    if (to == core::no_cell) return;
    if (!claims_.won_by(to, c)) return;
    citizens_.cell[c] = to;
    cells_.agent[to] = c;
    set_state(c, CitizenState::quiet);
  });
  core::parallel_for(citizens_.size(), [&](std::size_t c) {
    if (citizen_target_[c] != core::no_cell) claims_.clear(citizen_target_[c]);
  });
}

}  // namespace pocsim::model

#include "model/memory.hpp"

#include <algorithm>
#include <thread>

namespace pocsim::model {

std::uint64_t estimate_memory_bytes(const Params& p) {
  const auto cells = static_cast<std::uint64_t>(p.grid.width) * static_cast<std::uint64_t>(p.grid.height);
  const double max_cop_density = [&] {
    double d = p.police.density.initial();
    for (const auto& c : p.police.density.changes()) d = d > c.to ? d : c.to;
    return d;
  }();
  const auto citizens = static_cast<std::uint64_t>(p.citizens.density * static_cast<double>(cells)) + 1;
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
  if (!p.economy.commodities.empty() || !p.police_pay.posts.empty()) {
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
  if (!p.armed_groups.groups.empty()) conflict += cells * (2 + 1 + 4 + 4) + cells * (1 + 4 + 4 + 12);
  return cells * per_cell + citizens * per_citizen + cops * per_cop + economy + conflict;
}

}  // namespace pocsim::model

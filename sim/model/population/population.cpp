#include "model/population/population.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>
#include <optional>
#include <span>

#include "core/distributions.hpp"

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

std::uint32_t counter(std::int64_t step) { return static_cast<std::uint32_t>(step); }
}  // namespace

Population::Streams::Streams(std::uint64_t seed)
    : placement(seed, "placement"),
      attributes(seed, "citizen.attributes"),
      household(seed, "household.attributes"),
      order(seed, "activation.order"),
      citizen_move(seed, "citizen.move"),
      cop_move(seed, "cop.move"),
      arrest(seed, "cop.arrest"),
      jail_term(seed, "jail.term"),
      release(seed, "jail.release"),
      deploy(seed, "police.deploy"),
      claim(seed, "claim.priority") {}

Population::Population(const PopulationParams& p, const std::vector<float>& weights, const core::Grid& grid, std::uint64_t seed)
    : grid_(grid),
      rules_(p.rules),
      citizen_vision_(p.rules.vision_shape, p.citizens.vision),
      cop_vision_(p.rules.vision_shape, p.police.vision),
      claims_(grid.cell_count()),
      rng_(seed) {
  cells.resize(grid_.cell_count());
  legitimacy = p.citizens.legitimacy.value_at(0);
  cop_density = p.police.density.value_at(0);
  place(p, weights);
  people_represented_ = static_cast<std::int64_t>(citizens.size());
}

void Population::settle_residents(const std::vector<std::int64_t>& area_people, const std::vector<std::size_t>& area_of,
                                  const std::vector<float>& weights) {
  const std::size_t n_cells = grid_.cell_count();
  residents.assign(n_cells, 0);
  band.assign(citizens.size(), 0);
  // An area's citizen agents are among its people: the cells hold the rest.
  std::vector<std::int64_t> left = area_people;
  for (std::size_t i = 0; i < citizens.size(); ++i) --left[area_of[citizens.cell[i]]];
  std::vector<double> total_weight(area_people.size(), 0.0);
  std::vector<std::size_t> cells_in(area_people.size(), 0);
  for (std::size_t c = 0; c < n_cells; ++c) {
    total_weight[area_of[c]] += weights.empty() ? 0.0 : weights[c];
    ++cells_in[area_of[c]];
  }
  std::vector<double> share(n_cells);
  for (std::size_t c = 0; c < n_cells; ++c) {
    const std::size_t a = area_of[c];
    share[c] = total_weight[a] > 0 ? weights[c] / total_weight[a] : 1.0 / static_cast<double>(cells_in[a]);
  }
  // Floors first, then one more person to the cells with the largest remainders (ties: lower cell).
  std::vector<std::int64_t> placed(area_people.size(), 0);
  std::vector<double> remainder(n_cells);
  for (std::size_t c = 0; c < n_cells; ++c) {
    const double ideal = share[c] * static_cast<double>(std::max<std::int64_t>(0, left[area_of[c]]));
    residents[c] = static_cast<std::uint32_t>(std::floor(ideal));
    remainder[c] = ideal - std::floor(ideal);
    placed[area_of[c]] += residents[c];
  }
  std::vector<CellIndex> order(n_cells);
  for (std::size_t i = 0; i < n_cells; ++i) order[i] = static_cast<CellIndex>(i);
  std::stable_sort(order.begin(), order.end(), [&](CellIndex x, CellIndex y) { return remainder[x] > remainder[y]; });
  for (const CellIndex c : order) {
    const std::size_t a = area_of[c];
    if (placed[a] < left[a]) {
      ++residents[c];
      ++placed[a];
    }
  }
  // An area with fewer people than citizen agents holds its agents and no residents.
  people_represented_ = people_alive();
}

std::int64_t Population::people_alive() const {
  std::int64_t n = 0;
  for (const std::uint32_t r : residents) n += r;
  for (const std::uint32_t b : band) n += b;
  for (const CitizenState s : citizens.state) n += s != CitizenState::dead;
  return n;
}

void Population::place(const PopulationParams& p, const std::vector<float>& population) {
  const std::size_t n_cells = grid_.cell_count();
  std::vector<CellCode> kind(n_cells, CellCode::empty);
  if (rules_.placement == Placement::exact) {
    const auto n_cops = std::min<std::size_t>(
        n_cells, static_cast<std::size_t>(std::llround(cop_density * static_cast<double>(n_cells))));
    // Densities that sum to 1 can each round up: never more agents than cells.
    const auto n_citizens = std::min<std::size_t>(
        n_cells - n_cops, static_cast<std::size_t>(std::llround(p.citizens.density * static_cast<double>(n_cells))));
    std::vector<CellIndex> order(n_cells);
    for (std::size_t i = 0; i < n_cells; ++i) order[i] = static_cast<CellIndex>(i);
    core::Draws d = rng_.placement.at(0, 0);
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
        core::Draws k = rng_.placement.at(1, c);
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
    const double p_cop = cop_density;
    double mean_weight = 1.0;
    if (!population.empty())
      mean_weight = std::accumulate(population.begin(), population.end(), 0.0) / static_cast<double>(n_cells);
    core::parallel_for(n_cells, [&](std::size_t c) {
      const double weight = population.empty() ? 1.0 : population[c] / mean_weight;
      const double p_citizen = std::min(1.0 - p_cop, p.citizens.density * weight);
      const double u = rng_.placement.at(0, c).uniform();
      kind[c] = u < p_cop ? CellCode::cop : (u < p_cop + p_citizen ? CellCode::quiet : CellCode::empty);
    });
  }
  // Ids in cell order, so they do not depend on thread count. Reserved, so the columns hold no spare room.
  citizens.reserve(static_cast<std::size_t>(std::count(kind.begin(), kind.end(), CellCode::quiet)));
  cops.reserve(static_cast<std::size_t>(std::count(kind.begin(), kind.end(), CellCode::cop)));
  for (std::size_t c = 0; c < n_cells; ++c) {
    const auto cell = static_cast<CellIndex>(c);
    if (kind[c] == CellCode::quiet) {
      const AgentId id = citizens.append();
      core::Draws d = rng_.attributes.at(0, id);
      citizens.hardship[id] = static_cast<float>(d.uniform());
      citizens.risk_aversion[id] = static_cast<float>(d.uniform());
      citizens.state[id] = CitizenState::quiet;
      citizens.cell[id] = cell;
      // A separate stream, so adding the economy left every Epstein draw unchanged.
      core::Draws h = rng_.household.at(0, id);
      citizens.licit_income[id] = static_cast<float>(p.citizens.licit_income * (0.5 + h.uniform()));
      citizens.tolerance[id] = static_cast<float>(std::min(1.0, 2.0 * p.citizens.tolerance * h.uniform()));
      citizens.employer[id] = -1;
      cells.code[c] = CellCode::quiet;
      cells.agent[c] = id;
    } else if (kind[c] == CellCode::cop) {
      const AgentId id = cops.append();
      cops.on_duty[id] = 1;
      cops.cell[id] = cell;
      cells.code[c] = CellCode::cop;
      cells.agent[c] = id;
    }
  }
  cops_on_duty = cops.size();
  activation_order_.reserve(citizens.size() + cops.size());
  citizen_target_.assign(citizens.size(), core::no_cell);
  next_state_.assign(citizens.size(), CitizenState::quiet);
}

// ---------------------------------------------------------------------------------------------------
// Phases

void Population::apply_schedules(const PopulationParams& p, std::int64_t step, double legitimacy_kept) {
  legitimacy = p.citizens.legitimacy.value_at(step) * legitimacy_kept;
  const double density = p.police.density.value_at(step);
  if (density != cop_density) {
    cop_density = density;
    set_police_strength(static_cast<std::size_t>(std::llround(density * static_cast<double>(grid_.cell_count()))), step);
  }
}

void Population::set_police_strength(std::size_t target, std::int64_t step) {
  // Withdraw the most recently deployed first; redeploy the longest-serving first.
  for (std::size_t i = cops.size(); i-- > 0 && cops_on_duty > target;) {
    if (!cops.on_duty[i]) continue;
    cops.on_duty[i] = 0;
    cells.code[cops.cell[i]] = CellCode::empty;
    cops.cell[i] = core::no_cell;
    --cops_on_duty;
  }
  AgentId next_off_duty = 0;
  const auto n_cells = static_cast<std::uint32_t>(grid_.cell_count());
  while (cops_on_duty < target) {
    while (next_off_duty < cops.size() && cops.on_duty[next_off_duty]) ++next_off_duty;
    const AgentId id = next_off_duty;  // == cops.size() when a new cop must be hired
    core::Draws d = rng_.deploy.at(counter(step), id);
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
    if (id == cops.size()) cops.append();
    cops.on_duty[id] = 1;
    cops.cell[id] = where;
    cells.code[where] = CellCode::cop;
    cells.agent[where] = id;
    ++cops_on_duty;
  }
}

void Population::activate_sequentially(const PopulationParams& p, std::int64_t step) {
  // Under Mesa's countdown the jailed take turns too: they count their terms down in them.
  const bool jailed_take_turns = rules_.jail_countdown == JailCountdown::own_activation;
  activation_order_.clear();
  for (AgentId c = 0; c < citizens.size(); ++c)
    if (at_large(citizens.state[c]) || (jailed_take_turns && citizens.state[c] == CitizenState::jailed))
      activation_order_.push_back(c);
  for (AgentId k = 0; k < cops.size(); ++k)
    if (cops.on_duty[k]) activation_order_.push_back(k | cop_flag);
  core::Draws order = rng_.order.at(counter(step), 0);
  core::shuffle(order, std::span<std::uint32_t>(activation_order_));

  const bool movement = rules_.movement;
  const ArrestOdds odds = arrest_odds(p);
  auto move_cop = [&](AgentId k) {
    core::Draws d = rng_.cop_move.at(counter(step), k);
    const CellIndex to = random_empty_cell_near(cops.cell[k], cop_vision_, d);
    if (to != core::no_cell) move_agent(Kind::cop, k, to);
  };
  auto enforce = [&](AgentId k) {
    core::Draws d = rng_.arrest.at(counter(step), k);
    const CellIndex suspect = pick_suspect(k, d);
    if (suspect != core::no_cell) arrest(p, k, suspect, step);
  };
  auto move_citizen = [&](AgentId c) {
    core::Draws d = rng_.citizen_move.at(counter(step), c);
    const CellIndex to = random_empty_cell_near(citizens.cell[c], citizen_vision_, d);
    if (to != core::no_cell) move_agent(Kind::citizen, c, to);
  };
  auto decide_here = [&](AgentId c) {
    const View v = view_from(citizens.cell[c], citizens.state[c] == CitizenState::active);
    set_state(c, decide(p, c, v, odds) ? CitizenState::active : CitizenState::quiet);
  };
  const bool cop_moves_first = rules_.cop_order == TurnOrder::move_then_act;
  const bool citizen_moves_first = rules_.citizen_order == TurnOrder::move_then_act;
  for (const std::uint32_t handle : activation_order_) {
    if (handle & cop_flag) {
      const AgentId k = handle & ~cop_flag;
      if (movement && cop_moves_first) move_cop(k);
      enforce(k);
      if (movement && !cop_moves_first) move_cop(k);
      continue;
    }
    const AgentId c = handle;
    if (citizens.state[c] == CitizenState::jailed) {
      if (!jailed_take_turns) continue;  // arrested earlier in this step
      if (citizens.jail_left[c] > 0) {
        --citizens.jail_left[c];
        continue;
      }
      citizens.custody[c] = static_cast<std::uint8_t>(Custody::none);  // served: the turn is its first one free
    } else if (!at_large(citizens.state[c])) {
      continue;
    }
    if (movement && citizen_moves_first) move_citizen(c);
    decide_here(c);
    if (movement && !citizen_moves_first) move_citizen(c);
  }
}

void Population::move_synchronously(std::int64_t step_number) {
  if (!rules_.movement) return;
  const std::uint32_t step = counter(step_number);
  cop_target_.assign(cops.size(), core::no_cell);
  // Agents are numbered in the cell order they started in and move a few cells a step, so a pass in id
  // order sweeps the grid roughly row by row. The claims a citizen may make lie within its vision, a
  // band of rows around it; the cache is asked for the band's next row ahead of need, because the board
  // is too large to stay in cache and the pattern (many rows at once) defeats the hardware prefetcher.
  const std::size_t row_ahead = static_cast<std::size_t>(citizen_vision_.radius() + 1) * static_cast<std::size_t>(grid_.width());
  // Proposals read the grid as it was at the start of the phase.
  core::parallel_for(citizens.size(), [&](std::size_t i) {
    const auto c = static_cast<AgentId>(i);
    citizen_target_[c] = core::no_cell;
    if (!at_large(citizens.state[c])) return;
    claims_.prefetch(citizens.cell[c] + row_ahead);
    core::Draws d = rng_.citizen_move.at(step, c);
    const CellIndex to = random_empty_cell_near(citizens.cell[c], citizen_vision_, d);
    if (to == core::no_cell) return;
    citizen_target_[c] = to;
    claims_.claim(to, core::ClaimBoard::key(d.next_u32(), c));  // the priority: the mover's next draw
  });
  core::parallel_for(cops.size(), [&](std::size_t i) {
    const auto k = static_cast<AgentId>(i);
    if (!cops.on_duty[k]) return;
    core::Draws d = rng_.cop_move.at(step, k);
    const CellIndex to = random_empty_cell_near(cops.cell[k], cop_vision_, d);
    if (to == core::no_cell) return;
    cop_target_[k] = to;
    claims_.claim(to, core::ClaimBoard::key(d.next_u32(), cop_claimant(k)));
  });
  // Winners move. A target was empty at the start of the phase and a mover's old cell is its own, so
  // no two winners write the same cell. The slots a later citizen will read are fetched ahead.
  constexpr std::size_t look_ahead = 16;
  core::parallel_for(citizens.size(), [&](std::size_t i) {
    const auto c = static_cast<AgentId>(i);
    if (i + look_ahead < citizens.size()) claims_.prefetch(citizen_target_[i + look_ahead]);
    const CellIndex to = citizen_target_[c];
    if (to != core::no_cell && claims_.won_by(to, c)) move_agent(Kind::citizen, c, to);
  });
  core::parallel_for(cops.size(), [&](std::size_t i) {
    const auto k = static_cast<AgentId>(i);
    const CellIndex to = cop_target_[k];
    if (to != core::no_cell && claims_.won_by(to, cop_claimant(k))) move_agent(Kind::cop, k, to);
  });
  core::parallel_for(citizens.size(), [&](std::size_t c) {
    if (c + look_ahead < citizens.size()) claims_.prefetch(citizen_target_[c + look_ahead]);
    if (citizen_target_[c] != core::no_cell) claims_.clear(citizen_target_[c]);
  });
  core::parallel_for(cops.size(), [&](std::size_t k) {
    if (cop_target_[k] != core::no_cell) claims_.clear(cop_target_[k]);
  });
}

void Population::decide_synchronously(const PopulationParams& p) {
  // Decisions are written to a side column first: every citizen must see the states of the start of
  // the phase, and the grid codes are what neighbours read.
  std::optional<core::RowCounts::Window> counts;
  if (rebuild_vision_counts()) counts.emplace(vision_counts_, grid_, citizen_vision_);
  const ArrestOdds odds = arrest_odds(p);
  core::parallel_for(citizens.size(), [&](std::size_t i) {
    const auto c = static_cast<AgentId>(i);
    next_state_[c] = citizens.state[c];
    if (!at_large(citizens.state[c])) return;
    const View v = view_from(citizens.cell[c], citizens.state[c] == CitizenState::active, counts ? &*counts : nullptr);
    next_state_[c] = decide(p, c, v, odds) ? CitizenState::active : CitizenState::quiet;
  });
  core::parallel_for(citizens.size(), [&](std::size_t i) {
    const auto c = static_cast<AgentId>(i);
    if (next_state_[c] != citizens.state[c]) set_state(c, next_state_[c]);
  });
}

void Population::arrest_synchronously(const PopulationParams& p, std::int64_t step_number) {
  const std::uint32_t step = counter(step_number);
  cop_target_.assign(cops.size(), core::no_cell);
  std::optional<core::RowCounts::Window> counts;
  if (rebuild_vision_counts()) counts.emplace(vision_counts_, grid_, cop_vision_);
  core::parallel_for(cops.size(), [&](std::size_t i) {
    const auto k = static_cast<AgentId>(i);
    if (!cops.on_duty[k]) return;
    core::Draws d = rng_.arrest.at(step, k);
    const CellIndex suspect = pick_suspect(k, d, counts ? &*counts : nullptr);
    if (suspect == core::no_cell) return;
    cop_target_[k] = suspect;
    claims_.claim(suspect, claim_key(rng_.claim, step, ClaimPhase::arrest, k));
  });
  // A suspect's cell is claimed by one winner; a cop's own cell is claimed by nobody else, so the
  // winners' moves into their suspects' cells never collide.
  core::parallel_for(cops.size(), [&](std::size_t i) {
    const auto k = static_cast<AgentId>(i);
    const CellIndex suspect = cop_target_[k];
    if (suspect == core::no_cell) return;
    if (claims_.won_by(suspect, k)) arrest(p, k, suspect, step_number);
  });
  core::parallel_for(cops.size(), [&](std::size_t k) {
    if (cop_target_[k] != core::no_cell) claims_.clear(cop_target_[k]);
  });
}

void Population::serve_sentences(std::int64_t step_number) {
  if (rules_.jail_countdown == JailCountdown::own_activation) return;  // counted in the jailed citizens' turns
  const std::uint32_t step = counter(step_number);
  const bool off_grid = rules_.jail == JailRule::off_grid;
  // A term of t steps releases the citizen at the end of the t-th step after its arrest step.
  core::parallel_for(citizens.size(), [&](std::size_t i) {
    const auto c = static_cast<AgentId>(i);
    citizen_target_[c] = core::no_cell;
    if (citizens.state[c] != CitizenState::jailed) return;
    if (citizens.jail_left[c] > 0) {
      --citizens.jail_left[c];
      return;
    }
    citizens.custody[c] = static_cast<std::uint8_t>(Custody::none);
    if (!off_grid) {
      set_state(c, CitizenState::quiet);
      return;
    }
    // Back to the arrest cell if it is free, else to a free cell within vision of it; when none is free
    // or a rival claim wins, the citizen tries again next step.
    const CellIndex home = citizens.cell[c];
    core::Draws d = rng_.release.at(step, c);
    const CellIndex to = empty(home) ? home : random_empty_cell_near(home, citizen_vision_, d);
    if (to == core::no_cell) return;
    citizen_target_[c] = to;
    claims_.claim(to, claim_key(rng_.claim, step, ClaimPhase::release, c));
  });
  if (!off_grid) return;
  core::parallel_for(citizens.size(), [&](std::size_t i) {
    const auto c = static_cast<AgentId>(i);
    const CellIndex to = citizen_target_[c];
    if (to == core::no_cell) return;
    if (!claims_.won_by(to, c)) return;
    citizens.cell[c] = to;
    cells.agent[to] = c;
    set_state(c, CitizenState::quiet);
  });
  core::parallel_for(citizens.size(), [&](std::size_t c) {
    if (citizen_target_[c] != core::no_cell) claims_.clear(citizen_target_[c]);
  });
}

void Population::fade_extortion_memory(double memory) {
  core::parallel_for(citizens.size(), [&](std::size_t i) { citizens.extortion[i] = static_cast<float>(citizens.extortion[i] * memory); });
}

// ---------------------------------------------------------------------------------------------------
// What other mechanisms do to households

void Population::set_state(AgentId c, CitizenState s) {
  citizens.state[c] = s;
  cells.code[citizens.cell[c]] = code_of(s);
}

void Population::detain(AgentId c, Custody why, std::int32_t term) {
  if (at_large(citizens.state[c])) {
    set_state(c, CitizenState::jailed);
    if (rules_.jail == JailRule::off_grid) cells.code[citizens.cell[c]] = CellCode::empty;
  } else {
    // A fighter is off the grid already; its cell is the one it will return to, perhaps taken meanwhile.
    citizens.state[c] = CitizenState::jailed;
  }
  citizens.jail_left[c] = term;
  citizens.custody[c] = static_cast<std::uint8_t>(why);
  citizens.work[c] = static_cast<std::uint8_t>(Work::licit);
  citizens.employer[c] = -1;
}

void Population::enlist(AgentId c, std::uint32_t band_size) {
  set_state(c, CitizenState::fighter);  // leaves the grid; its cell stays its home
  citizens.work[c] = static_cast<std::uint8_t>(Work::licit);
  citizens.employer[c] = -1;
  raise_band(c, band_size);
}

void Population::raise_band(AgentId c, std::uint32_t n) {
  if (n == 0 || residents.empty()) return;
  const CellIndex home = citizens.cell[c];
  const std::uint32_t joining = std::min(n, residents[home]);
  residents[home] -= joining;
  band[c] += joining;
}

void Population::lose_band(AgentId c, std::uint32_t n, bool killed) {
  n = std::min(n, band[c]);
  band[c] -= n;
  if (!killed) residents[citizens.cell[c]] += n;
}

void Population::kill(AgentId c) {
  set_state(c, CitizenState::dead);  // empties the cell
  citizens.work[c] = static_cast<std::uint8_t>(Work::licit);
  citizens.employer[c] = -1;
}

std::uint32_t Population::kill_residents(CellIndex c, double chance, double u) {
  const std::uint32_t killed = core::binomial_from_uniform(u, residents[c], chance);
  residents[c] -= killed;
  return killed;
}

bool Population::return_home(AgentId c, core::Draws& d) {
  const CellIndex home = citizens.cell[c];
  const CellIndex to = empty(home) ? home : random_empty_cell_near(home, citizen_vision_, d);
  if (to == core::no_cell) return false;
  if (!band.empty() && band[c] > 0) lose_band(c, band[c], false);  // its band goes home before it moves
  citizens.cell[c] = to;
  cells.agent[to] = c;
  set_state(c, CitizenState::quiet);
  return true;
}

double Population::effective_hardship(const CitizenParams& p, AgentId c) const {
  const double income_share = std::min(1.0, static_cast<double>(citizens.illicit_income[c]) /
                                                std::max(1e-9, static_cast<double>(citizens.licit_income[c])));
  const double h = citizens.hardship[c] - p.income_relief * income_share + p.extortion_hardship * citizens.extortion[c];
  return std::clamp(h, 0.0, 1.0);
}

double Population::effective_legitimacy(const CitizenParams& p, AgentId c) const {
  const double lost = p.extortion_legitimacy * std::min(1.0, static_cast<double>(citizens.extortion[c]));
  return legitimacy * (1.0 - lost);
}

// ---------------------------------------------------------------------------------------------------
// Building blocks

CellIndex Population::random_empty_cell_near(CellIndex from, const core::Neighbourhood& n, core::Draws& d) const {
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

ArrestOdds Population::arrest_odds(const PopulationParams& p) const {
  return {p.police.arrest_constant, rules_.arrest_ratio, static_cast<std::uint32_t>(citizen_vision_.offsets().size() + 1)};
}

bool Population::decide(const PopulationParams& p, AgentId c, const View& seen, const ArrestOdds& odds) const {
  return turns_active(effective_hardship(p.citizens, c), citizens.risk_aversion[c], effective_legitimacy(p.citizens, c),
                      odds(seen.cops, seen.actives_including_self), p.citizens.threshold);
}

bool Population::rebuild_vision_counts() {
  if (!core::RowCounts::fits(grid_)) return false;
  vision_counts_.rebuild(grid_, cells.code.data(), [](CellCode k) { return k == CellCode::cop; },
                         [](CellCode k) { return k == CellCode::active; });
  return true;
}

Population::View Population::view_from(CellIndex at, bool self_active, const core::RowCounts::Window* counts) const {
  View v;
  if (counts) {
    const core::RowCounts::Counts seen = counts->around(at);
    v.cops = seen.a;
    v.actives_including_self = seen.b;
  } else {
    const CellCode* code = cells.code.data();
    grid_.for_each_run(at, citizen_vision_, [&](CellIndex first, int length) {
      const CellCode* q = code + first;
      std::uint32_t n_cops = 0;
      std::uint32_t actives = 0;
      for (int i = 0; i < length; ++i) {
        n_cops += q[i] == CellCode::cop;
        actives += q[i] == CellCode::active;
      }
      v.cops += n_cops;
      v.actives_including_self += actives;
    });
  }
  // The runs include the centre, which holds the citizen: never a cop, and an active only if it is
  // active itself; A counts the citizen as active whatever its state (Epstein 2002).
  if (!self_active) ++v.actives_including_self;
  return v;
}

CellIndex Population::pick_suspect(AgentId cop, core::Draws& d, const core::RowCounts::Window* counts) const {
  // Count the actives in view, draw one of them, then find it: two passes over contiguous runs of
  // cells instead of collecting candidates (the first from the row counts when given).
  const CellIndex at = cops.cell[cop];
  const CellCode* code = cells.code.data();
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

void Population::arrest(const PopulationParams& p, AgentId cop, CellIndex suspect_cell, std::int64_t step) {
  const AgentId c = cells.agent[suspect_cell];
  assert(cells.code[suspect_cell] == CellCode::active && citizens.state[c] == CitizenState::active);
  core::Draws d = rng_.jail_term.at(counter(step), c);
  detain(c, Custody::detention, static_cast<std::int32_t>(core::uniform_int(d, 0, p.police.max_jail_term)));
  // The paper's jail is off the grid; the cop steps into the suspect's cell, as in NetLogo's Rebellion.
  if (rules_.jail == JailRule::off_grid) move_agent(Kind::cop, cop, suspect_cell);
}

void Population::move_agent(Kind kind, AgentId id, CellIndex to) {
  CellIndex& from = kind == Kind::citizen ? citizens.cell[id] : cops.cell[id];
  cells.code[to] = cells.code[from];
  cells.agent[to] = id;
  cells.code[from] = CellCode::empty;
  from = to;
}

}  // namespace pocsim::model

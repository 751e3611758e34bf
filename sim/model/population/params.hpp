#pragma once
// Parameters of the population: households on the grid, Epstein's civil-violence model (its citizens,
// its cops and the rules that choose between its published implementations) and what couples a
// household's grievance to the criminal economy. Keys citizens.*, police.density, police.vision,
// police.max_jail_term, police.arrest_constant and rules.* (sim/model/population/parameters.cpp).
#include <array>
#include <cstdint>
#include <string_view>

#include "core/grid.hpp"
#include "core/schedule.hpp"

#include "model/common/names.hpp"

namespace pocsim::model {

// How the estimated arrest probability treats the cop-to-active ratio C/A (Epstein 2002, eq. for P).
enum class ArrestRatioRule : std::uint8_t {
  floor,  // floor(C/A), as NetLogo's Rebellion model: produces punctuated outbursts
  round,  // round half to even, as Mesa's example (Python's round)
  none,   // C/A as the paper literally reads: P stays high, no outbursts
};
constexpr auto enum_names(ArrestRatioRule) { return std::to_array<std::string_view>({"floor", "round", "none"}); }

// Who sees whose moves within a step.
enum class Activation : std::uint8_t {
  sequential,   // agents act one by one in an order reshuffled every step; later agents see earlier moves
  synchronous,  // every agent reads the previous state; proposals are resolved deterministically; parallel
};
constexpr auto enum_names(Activation) { return std::to_array<std::string_view>({"sequential", "synchronous"}); }

// Where a jailed citizen is.
enum class JailRule : std::uint8_t {
  off_grid,   // removed from the grid, as in the paper; the arresting cop moves into the cell
  hold_cell,  // stays on its cell, blocking it, as in Mesa's example
};
constexpr auto enum_names(JailRule) { return std::to_array<std::string_view>({"off_grid", "hold_cell"}); }

// What an agent does first in its activation under sequential activation.
enum class TurnOrder : std::uint8_t {
  move_then_act,  // moves, then decides (a citizen) or arrests (a cop) where it arrived: the paper, NetLogo's Rebellion
  act_then_move,  // decides or arrests where it stands, then moves: Mesa 3.x's example
};
constexpr auto enum_names(TurnOrder) { return std::to_array<std::string_view>({"move_then_act", "act_then_move"}); }

// When a jailed citizen's term counts down.
enum class JailCountdown : std::uint8_t {
  step_end,        // every jailed citizen, once after every agent has acted (NetLogo's Rebellion)
  own_activation,  // in the jailed citizen's own turn, which at zero it spends deciding and moving (Mesa 3.x)
};
constexpr auto enum_names(JailCountdown) { return std::to_array<std::string_view>({"step_end", "own_activation"}); }

enum class Placement : std::uint8_t {
  exact,          // exactly round(density x cells) agents of each kind, on cells chosen at random
  probabilistic,  // each cell independently a cop, a citizen or empty with the given probabilities
};
constexpr auto enum_names(Placement) { return std::to_array<std::string_view>({"exact", "probabilistic"}); }

struct CitizenParams {
  double density;                 // share of cells holding a citizen (a household) at start
  int vision;                     // cells
  double threshold;               // T: net grievance needed to turn active
  core::Schedule legitimacy;      // L: perceived legitimacy of the state, 0..1
  // The household's economy.
  double licit_income;            // $ per step, mean over households
  double tolerance;               // mean tolerance of criminals, 0..1
  double moral_cost;              // share of licit income an intolerant household needs as compensation
  // What couples grievance to the criminal economy.
  double income_relief;           // hardship relieved by illicit income, per unit of licit income
  double extortion_hardship;      // hardship added per unit of remembered extortion
  double extortion_legitimacy;    // share of legitimacy lost per unit of remembered extortion
  double extortion_memory;        // per-step retention of remembered extortion
};

// Epstein's cops: the keys police.density, police.vision, police.max_jail_term, police.arrest_constant.
struct CopParams {
  core::Schedule density;         // share of cells holding a cop on duty
  int vision;                     // cells
  int max_jail_term;              // J_max, steps; a term is uniform on {0, ..., J_max}
  double arrest_constant;         // k in P = 1 - exp(-k (C/A))
};

struct RuleParams {
  ArrestRatioRule arrest_ratio;
  core::NeighbourhoodShape vision_shape;
  Activation activation;
  bool movement;
  JailRule jail;
  Placement placement;
  TurnOrder citizen_order;
  TurnOrder cop_order;
  JailCountdown jail_countdown;
};

struct PopulationParams {
  CitizenParams citizens;
  CopParams police;
  RuleParams rules;
};

}  // namespace pocsim::model

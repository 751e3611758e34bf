#pragma once
// The frozen configuration of one run. Built and validated by sim/scenario from the parameter table
// (the one place where defaults, units, ranges and sources live); the model only reads it.
#include <cstdint>
#include <string_view>

#include "core/grid.hpp"
#include "core/schedule.hpp"

namespace pocsim::model {

// How the estimated arrest probability treats the cop-to-active ratio C/A (Epstein 2002, eq. for P).
enum class ArrestRatioRule : std::uint8_t {
  floor,  // floor(C/A), as NetLogo's Rebellion model: produces punctuated outbursts
  round,  // round half to even, as Mesa's example (Python's round)
  none,   // C/A as the paper literally reads: P stays high, no outbursts
};

// Who sees whose moves within a step.
enum class Activation : std::uint8_t {
  sequential,   // agents act one by one in an order reshuffled every step; later agents see earlier moves
  synchronous,  // every agent reads the previous state; proposals are resolved deterministically; parallel
};

// Where a jailed citizen is.
enum class JailRule : std::uint8_t {
  off_grid,   // removed from the grid, as in the paper; the arresting cop moves into the cell
  hold_cell,  // stays on its cell, blocking it, as in Mesa's example
};

enum class Placement : std::uint8_t {
  exact,          // exactly round(density x cells) agents of each kind, on cells chosen at random
  probabilistic,  // each cell independently a cop, a citizen or empty with the given probabilities
};

struct GridParams {
  int width = 0;
  int height = 0;
  core::Topology topology = core::Topology::torus;
};

struct CitizenParams {
  double density = 0;             // share of cells holding a citizen at start
  int vision = 0;                 // cells
  double threshold = 0;           // T: net grievance needed to turn active
  core::Schedule legitimacy;      // L: perceived legitimacy of the state, 0..1
};

struct PoliceParams {
  core::Schedule density;         // share of cells holding a cop on duty
  int vision = 0;                 // cells
  int max_jail_term = 0;          // J_max, steps; a term is uniform on {0, ..., J_max}
  double arrest_constant = 0;     // k in P = 1 - exp(-k (C/A))
};

struct RuleParams {
  ArrestRatioRule arrest_ratio = ArrestRatioRule::floor;
  core::NeighbourhoodShape vision_shape = core::NeighbourhoodShape::moore;
  Activation activation = Activation::sequential;
  bool movement = true;
  JailRule jail = JailRule::off_grid;
  Placement placement = Placement::exact;
};

struct RunParams {
  std::uint64_t seed = 0;
  std::int64_t steps = 0;
  std::int64_t snapshot_every = 0;  // 0 = no grid snapshots
};

struct Params {
  RunParams run;
  GridParams grid;
  CitizenParams citizens;
  PoliceParams police;
  RuleParams rules;
};

std::string_view to_string(ArrestRatioRule r);
std::string_view to_string(Activation a);
std::string_view to_string(JailRule j);
std::string_view to_string(Placement p);

}  // namespace pocsim::model

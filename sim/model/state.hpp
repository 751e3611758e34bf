#pragma once
// Agent and cell state, as columns. Each later part of the model (networks, armed groups, the mission)
// adds tables beside these rather than fields inside them.
#include <cstdint>
#include <vector>

#include "core/columns.hpp"
#include "core/grid.hpp"

namespace pocsim::model {

using core::AgentId;
using core::CellIndex;

// fighter: serving in an armed group's unit, off the grid; dead: killed, off the grid for good. Both keep
// their row, so people are counted, never erased.
enum class CitizenState : std::uint8_t { quiet = 0, active = 1, jailed = 2, fighter = 3, dead = 4 };

// Free and on the grid: the citizens who move, see, decide, work and can be recruited.
inline bool at_large(CitizenState s) { return s == CitizenState::quiet || s == CitizenState::active; }

struct Citizens : core::ColumnTable<Citizens> {
  std::vector<float> hardship;           // H ~ U(0,1), fixed
  std::vector<float> risk_aversion;      // R ~ U(0,1), fixed
  std::vector<CitizenState> state;
  std::vector<std::int32_t> jail_left;   // steps still to serve while jailed
  std::vector<CellIndex> cell;           // current cell, or the arrest cell while jailed off the grid
  // The household's economy (sim/model/economy.hpp).
  std::vector<float> licit_income;       // $ per step from licit work, fixed
  std::vector<float> tolerance;          // tolerance of criminals, 0..1, fixed
  std::vector<std::uint8_t> work;        // Work this step
  std::vector<std::int16_t> employer;    // commodity whose traffic employs it this step, or -1
  std::vector<float> illicit_income;     // $ received from illicit work this step
  std::vector<float> extortion;          // remembered police extortion, in units of licit income
  std::vector<std::uint8_t> custody;     // Custody while jailed
  // Armed groups (sim/model/armed_groups.hpp).
  std::vector<std::uint8_t> young;       // 1 when the household has a young member who can be recruited
  std::vector<std::int16_t> group;       // armed group it serves while a fighter, else -1

  auto columns() {
    return std::tie(hardship, risk_aversion, state, jail_left, cell, licit_income, tolerance, work, employer,
                    illicit_income, extortion, custody, young, group);
  }
};

struct Cops : core::ColumnTable<Cops> {
  std::vector<std::uint8_t> on_duty;     // 0 once withdrawn by the cop-density schedule
  std::vector<CellIndex> cell;

  auto columns() { return std::tie(on_duty, cell); }
};

// What a cell shows: empty, a cop, or a citizen in its visible state. The citizen part repeats
// Citizens::state on purpose: vision scans then read one byte per cell in row order, instead of
// following an id to another array for every cell in view. Model keeps the two in step.
enum class CellCode : std::uint8_t { empty = 0, quiet = 1, active = 2, jailed = 3, cop = 4 };

struct Cells : core::ColumnTable<Cells> {
  std::vector<CellCode> code;
  std::vector<AgentId> agent;            // id in Citizens or Cops, by code

  auto columns() { return std::tie(code, agent); }
};

inline CellCode code_of(CitizenState s) {
  switch (s) {
    case CitizenState::quiet: return CellCode::quiet;
    case CitizenState::active: return CellCode::active;
    case CitizenState::jailed: return CellCode::jailed;
    case CitizenState::fighter:
    case CitizenState::dead: return CellCode::empty;
  }
  return CellCode::empty;
}

}  // namespace pocsim::model

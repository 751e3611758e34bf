#pragma once
// The population's agents, as columns: citizens (households), Epstein's cops, and what each cell shows.
// Other mechanisms keep columns of their own beside these, indexed by the same citizen id (the armed
// groups' GroupTies, the mission's support income).
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/columns.hpp"
#include "core/grid.hpp"

namespace pocsim::model {

using core::AgentId;
using core::CellIndex;

// fighter: serving in an armed group's unit, off the grid; dead: killed, off the grid for good. Both keep
// their row, so people are counted, never erased.
enum class CitizenState : std::uint8_t { quiet = 0, active = 1, jailed = 2, fighter = 3, dead = 4 };
constexpr auto enum_names(CitizenState) {
  return std::to_array<std::string_view>({"quiet", "active", "jailed", "fighter", "dead"});
}

// Free and on the grid: the citizens who move, see, decide, work and can be recruited.
inline bool at_large(CitizenState s) { return s == CitizenState::quiet || s == CitizenState::active; }

// What a household's member does this step: licit work, or work for a trafficking network.
enum class Work : std::uint8_t { licit = 0, courier = 1, smuggler = 2, miner = 3 };
constexpr auto enum_names(Work) { return std::to_array<std::string_view>({"licit", "courier", "smuggler", "miner"}); }
inline constexpr std::size_t work_count = 4;

// Where a jailed citizen stands with the law.
enum class Custody : std::uint8_t { none = 0, detention = 1, pretrial = 2, sentenced = 3 };

struct Citizens : core::ColumnTable<Citizens> {
  std::vector<float> hardship;           // H ~ U(0,1), fixed
  std::vector<float> risk_aversion;      // R ~ U(0,1), fixed
  std::vector<CitizenState> state;
  std::vector<std::int32_t> jail_left;   // steps still to serve while jailed
  std::vector<CellIndex> cell;           // current cell, or the arrest cell (the home) while off the grid
  // The household's economy.
  std::vector<float> licit_income;       // $ per step from licit work, fixed
  std::vector<float> tolerance;          // tolerance of criminals, 0..1, fixed
  std::vector<std::uint8_t> work;        // Work this step (set by the labour market, reset when the member leaves)
  std::vector<std::int16_t> employer;    // commodity whose traffic employs it this step, or -1
  std::vector<float> illicit_income;     // $ received from crime this step (illicit work, a fighter's pay)
  std::vector<float> extortion;          // remembered police extortion, in units of licit income
  std::vector<std::uint8_t> custody;     // Custody while jailed

  auto columns() {
    return std::tie(hardship, risk_aversion, state, jail_left, cell, licit_income, tolerance, work, employer,
                    illicit_income, extortion, custody);
  }
};

struct Cops : core::ColumnTable<Cops> {
  std::vector<std::uint8_t> on_duty;     // 0 once withdrawn by the cop-density schedule
  std::vector<CellIndex> cell;

  auto columns() { return std::tie(on_duty, cell); }
};

// What a cell shows: empty, a cop, or a citizen in its visible state. The citizen part repeats
// Citizens::state on purpose: vision scans then read one byte per cell in row order, instead of
// following an id to another array for every cell in view. Population keeps the two in step.
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

// A household on the grid and free: one that can be extorted, recruited, attacked or employed.
inline bool household_at(CellCode c) { return c == CellCode::quiet || c == CellCode::active; }

}  // namespace pocsim::model

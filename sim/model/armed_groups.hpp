#pragma once
// State of the armed groups, the state's forces and its elites, and what happened this step (read by
// reporters). The phases that change it are in armed_groups.cpp; their order is in Model::step.
//
// A group is a treasury (a Ledger account), a leader, and units: bands of fighters who are households
// of the grid that joined it, off the grid while they serve. Units move between sites worth holding
// (routes they can tax, mines, towns); what a group controls is where its units outnumber everyone else,
// recomputed every step, so territory follows presence and contest rather than a map.
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/columns.hpp"
#include "core/grid.hpp"
#include "model/state.hpp"

namespace pocsim::model {

inline constexpr std::int16_t no_group = -1;
inline constexpr AgentId no_unit = UINT32_MAX;

enum class PeaceStatus : std::uint8_t { outside = 0, joined = 1, defected = 2 };
std::string_view to_string(PeaceStatus s);

// Units are few (hundreds), and a unit's members change every step, so a unit keeps its members as a
// list. Rows are reused once a unit has no members left (a free row has group == no_group), so an id
// names one unit for as long as it exists.
struct Units : core::ColumnTable<Units> {
  std::vector<std::int16_t> group;
  std::vector<CellIndex> cell;
  std::vector<CellIndex> site;           // where it is heading
  std::vector<std::vector<AgentId>> members;

  auto columns() { return std::tie(group, cell, site, members); }
  [[nodiscard]] std::uint32_t fighters(AgentId u) const { return static_cast<std::uint32_t>(members[u].size()); }
};

struct GroupState {
  bool exists = false;                   // false for a splinter slot not yet split off, or a group wiped out
  std::int16_t parent = no_group;        // the group a splinter left
  std::int16_t splinters = 0;            // splinter slots used
  std::int64_t leaderless_until = -1;    // a successor takes over at this step
  int successions = 0;
  double wage = 0;                       // $ per fighter per step it pays now: its base wage, raised while short of fighters
  double shortfall = 0;                  // remembered share of wages unpaid, 0..1
  double attrition = 0;                  // smoothed fighters lost (killed, arrested) per fighter per step
  double rent_per_fighter = 0;           // smoothed rents its sites are worth, $ per fighter per step
  PeaceStatus peace = PeaceStatus::outside;
  std::int64_t listed_at = -1;           // step its leaders were listed by the sanctions committee, or -1
  double freeze = 0;                     // share of its revenue an asset freeze withholds before evasion
  std::uint32_t fighters = 0;            // members of its units, counted after every phase that changes them
};

enum class EventType : std::uint8_t { clash = 0, state_operation = 1, attack_on_civilians = 2 };
std::string_view to_string(EventType t);

// One violent event: where, who, and how many died or were arrested.
struct ViolenceEvent {
  CellIndex cell = 0;
  EventType type = EventType::clash;
  std::int16_t side_a = no_group;        // the group attacking (or the first in a clash)
  std::int16_t side_b = no_group;        // the other group; no_group for the state or civilians
  std::int32_t fighters_killed_a = 0;
  std::int32_t fighters_killed_b = 0;
  std::int32_t civilians_killed = 0;
  std::int32_t state_losses = 0;         // officers or soldiers put out of action (counted, not modelled as agents)
  std::int32_t arrested = 0;
  [[nodiscard]] std::int32_t fatalities() const { return fighters_killed_a + fighters_killed_b + civilians_killed + state_losses; }
};

// Money a group received or spent this step, in cents.
struct GroupFlows {
  std::int64_t taxes = 0, mines = 0, extortion = 0, dividend = 0, wages = 0, operations = 0;
  std::int64_t recruits = 0, deserters = 0, killed = 0, arrested = 0, territory = 0;
};

struct ConflictStep {
  std::vector<GroupFlows> groups;        // per group slot
  std::vector<ViolenceEvent> events;
  std::vector<std::int64_t> region_events, region_fatalities;
  std::vector<float> cell_fatalities;    // accumulated between snapshots, like the flow map
  std::int64_t leaders_removed = 0, splits = 0;

  void start_step(std::size_t n_groups, std::size_t n_regions);
};

// Capture of the state by criminal rents: the share of criminal revenue reaching political elites,
// each smoothed over time, and the political will to act against trafficking that it erodes.
struct StateCapture {
  double elite_rents = 0;                // $ per step, smoothed
  double criminal_rents = 0;             // $ per step, smoothed: sales of every commodity plus extortion
  double index = 0;                      // elite_rents / criminal_rents
  double political_will = 1;             // 1 - will_loss x index, in [0, 1]
};

struct Conflict {
  std::vector<GroupState> groups;        // initial groups, then each one's splinter slots
  std::vector<std::string> names;        // per slot
  std::vector<std::size_t> def;          // per slot: the GroupDef it follows (a splinter follows its parent's)
  Units units;
  std::vector<std::int16_t> owner;       // per cell: the group controlling it, or no_group
  std::vector<std::uint8_t> contested;   // per cell: 1 where a second group is at least half as strong
  std::vector<float> state_strength;     // per cell: police and garrison strength in force this step
  std::vector<std::vector<double>> route_rent;  // [commodity][route]: smoothed value sent along it, $ per step
  std::vector<double> mine_rent;         // per geography point: smoothed value mined there, $ per step
  std::vector<CellIndex> sites;          // cells worth holding: named points, bases, and route cells
  std::vector<std::int32_t> mine_point;  // per cell: the geography point of a mine there, or -1
  // Per-cell working memory of deploy_units and recompute_control, kept so a step allocates no maps.
  std::vector<std::int32_t> site_at;
  std::vector<float> strength_sum, strength_best, strength_second;
  std::int64_t deaths = 0;               // citizens killed since the start
  ConflictStep now;
  bool active = false;                   // false when the scenario has no armed groups
};

}  // namespace pocsim::model

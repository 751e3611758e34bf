#pragma once
// Parameters of the UN mission and of the levers a scenario schedules: keys mission.* and levers
// (sim/model/mission/parameters.cpp). What each lever kind is and does is in the lever table,
// sim/model/mission/levers.hpp.
#include <cstdint>
#include <string>
#include <vector>

#include "core/schedule.hpp"
#include "model/geography/params.hpp"
#include "model/mission/levers.hpp"

namespace pocsim::model {

struct BaseDef {
  std::string name;
  Point at;
  core::Schedule troops;              // peacekeepers at the base
  int radius;                         // cells its patrols cover (disc)
  double surge = 1;                   // not a scenario key: troops multiplied by this, a surge ordered live (pocsim serve)
};

struct LeverDef {
  LeverKind kind;
  std::int64_t start;                 // first step in force
  std::int64_t end;                   // last step in force; 0: to the end of the run
  std::string region;                 // target region name; empty: everywhere
  double budget;                      // $ per step while in force
  double intensity;                   // meaning by kind (the lever table; docs/odd.md)
  std::int16_t region_index = -1;     // not a scenario key: `region` resolved by the scenario loader; -1 everywhere
  [[nodiscard]] bool in_force(std::int64_t step) const { return step >= start && (end == 0 || step <= end); }
};

struct MissionParams {
  std::int64_t mandate_length;        // steps between mandate renewals
  std::vector<BaseDef> bases;
  double protection;                  // protection of civilians per peacekeeper per cell of an attacker's square
  double patrol_share;                // share of a base's peacekeepers patrolling where armed units stand within patrol_range
  int patrol_range;                   // cells from a base its patrols reach (Chebyshev distance)
  double stability;                   // share of traffickers' transport cost saved where peacekeepers patrol
  double incident_rate;               // incidents per base per step with no disruption of trafficking
  double disruption_weight;           // added log-rate of incidents per $1,000 of goods seized near a base per step
  double contracts;                   // $ per step the mission spends on local contracts
  double contract_leakage;            // share of contract value that leaks into the criminal economy without due diligence
  int cvr_fade;                       // steps over which CVR's effect fades once funding ends
  core::Schedule budget;              // $ per mandate for levers and contracts; 0: not capped
  double travel_ban;                  // share of a listed group's take from cross-border trade lost to its leaders' travel ban
  core::Schedule intelligence;        // quality of the Joint Mission Analysis Centre's intelligence, 0..1
  bool share_with_panel;              // whether the mission shares it with the sanctions committee's Panel of Experts
  double listing_rate;                // chance per step that the committee lists a targeted group's leaders
  int evasion_time;                   // steps over which a listed group learns to evade a freeze (e-folding)
  double cross_border_enforcement;    // 0..1: how far neighbours enforce the freeze; 1 stops evasion
  double leader_share;                // share of its group's rents a leader weighs against an exit package
  std::int64_t transition_length;     // steps over which an exited leader's package is paid, in tranches
  double intelligence_gain;           // how much better-targeted levers work at full intelligence (x (1 + gain))
  double consent_loss;                // consent lost per step per intrusive lever, per unit of capture index
  double consent_recovery;            // share of lost consent regained per step without intrusive levers
  double consent_threshold;           // below it the host state withdraws consent and the levers stop
  std::vector<LeverDef> levers;       // key: levers
};

}  // namespace pocsim::model

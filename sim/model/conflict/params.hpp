#pragma once
// Parameters of armed groups and of the state's forces: keys armed_groups.* and state_forces.*
// (sim/model/conflict/parameters.cpp).
#include <cstdint>
#include <string>
#include <vector>

#include "core/schedule.hpp"
#include "model/geography/params.hpp"

namespace pocsim::model {

struct GroupDef {
  std::string name;
  Point base;                         // where its fighters gather at start and fall back to
  int fighters;                       // at start, drawn from the households nearest the base
  double treasury;                    // $ at start
  double wage;                        // $ per fighter per step
  double tax_rate;                    // share of a consignment's value taken once per passage through its territory
  double mine_tax;                    // share of a held mine's output value taken
  double extortion_rate;              // chance per step that a household in its territory is extorted
  double extortion_share;             // share of that household's licit income taken
  int range;                          // cells from its base within which its units operate
  std::int64_t remove_leader_at;      // step at which its leader is removed by a scripted operation; 0 never
};

struct ArmedGroupParams {
  std::vector<GroupDef> groups;
  int unit_size;                      // fighters per unit at start
  int people_per_fighter;             // people a fighter agent stands for: itself and a band taken from its cell's residents
  int control_radius;                 // cells a unit holds around itself (Chebyshev)
  int speed;                          // cells a unit moves per step
  double deterrence;                  // weight of opposing strength in a site's attraction
  double stickiness;                  // bonus of a unit's current site over a new one
  double rent_memory;                 // per-step retention of the smoothed rents units look for
  double fragmentation;               // chance that a group's coalescence-fragmentation event of the step is a fragmentation
  double clash_rate;                  // chance per step that hostile units in contact fight
  double lethality;                   // share of a side's fighters killed in a clash against equal numbers
  double civilian_targeting;          // chance per step that a unit attacks the households around it
  double civilian_lethality;          // chance that an attacked household loses its member
  double attack_area;                 // cells a unit's attack sweeps per fighter
  double operations_cost;             // $ per fighter per step besides wages
  int shortfall_memory;               // steps over which fighters remember unpaid wages
  double desertion;                   // chance per step that a fighter with wholly unpaid wages deserts
  double youth_share;                 // share of households with a young member who can be recruited
  core::Schedule youth_livelihood;    // $ per step added to the licit income of young people (CVR's lever)
  double grievance_premium;           // $ per step a recruit counts for a grievance of 1
  double risk_weight;                 // perceived risk of joining per unit of attrition rate
  int recruit_radius;                 // cells around a unit within which it recruits
  int hiring_horizon;                 // steps of pay a group holds in reserve for each fighter it hires
  double wage_response;               // raise of the wage, as a share of it, when every post is vacant
  int succession_delay;               // steps without a leader after a removal
  double split_probability;           // chance a succession is contested and the group splits
  double split_share;                 // share of the units that leave with a splinter
  int max_splinters;                  // splinter groups each group can give rise to
  double leaderless_violence;         // extra multiplier of clash and civilian-attack chances while leaderless (1: none)
  double leaderless_weakness;         // how strong a leaderless group looks to its rivals and the state
  double reunification_rate;          // chance per step that a splinter rejoins its parent once both are led
  double succession_pay;              // share of its wage bill a leaderless group pays
  double indiscipline;                // added civilian-attack chance, relative, per unit of remembered wage shortfall
  core::Schedule peace_dividend;      // $ per fighter per step offered to groups in a peace process; 0: none open
  double peace_hysteresis;            // margin one side must beat the other by before a group switches
};

struct GarrisonDef {
  std::string name;
  Point at;
  core::Schedule troops;              // soldiers (officer-equivalents)
  int radius;                         // cells the garrison secures (disc)
};

struct StateForcesParams {
  std::vector<GarrisonDef> garrisons;
  core::Schedule raids;               // raids per step against armed units, each on a unit drawn by its size
  double raid_strength;               // officers or soldiers in a raid, besides the state's strength where it strikes
  core::Schedule operations;          // operations per step per unit of state strength in a unit's area
  double lethality;                   // share of engaged fighters killed per operation against equal numbers
  double arrest_share;                // share of an operation's surviving fighters arrested, against equal numbers
  double leader_exposure;             // chance an operation against a group captures its leader, scaled by the unit's share
};

struct ConflictParams {
  ArmedGroupParams armed_groups;
  StateForcesParams state_forces;
};

}  // namespace pocsim::model

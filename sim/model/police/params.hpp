#pragma once
// Parameters of the host state's police and justice: posts, pay, bribery, extortion, interdiction and
// the courts. Keys police.* (but Epstein's four, which the population holds) and justice.*
// (sim/model/police/parameters.cpp).
#include <string>
#include <vector>

#include "core/schedule.hpp"
#include "model/geography/params.hpp"

namespace pocsim::model {

struct PostDef {
  std::string name;
  Point at;
  int personnel;
  int radius;                         // cells patrolled around the post
  double capacity;                    // training: chance that an honest officer who stops a shipment seizes it
  double integrity;                   // 0 corruptible .. 1 incorruptible
};

struct InterdictionDef {
  std::string target;                 // a road or region name
  core::Schedule multiplier;          // police presence multiplier on the target's cells
};

// P(bribe) = (1 - integrity) (1 - oversight) logistic(base + shortfall x remembered shortfall + offer x offer / salary)
struct BribeParams {
  double base;
  double shortfall;
  double offer;
};

struct PoliceExtortionParams {
  double rate;                        // chance per step that an unpaid, corrupt post extorts a household
  double share;                       // share of a household's licit income taken
};

struct JusticeParams {
  int prosecutions_per_step;
  double conviction_probability;
  int max_pretrial_steps;
  int sentence_steps;
};

struct PoliceParams {
  std::vector<PostDef> posts;
  double salary;                      // $ per officer per step
  core::Schedule paid_share;          // share of the police payroll the state pays
  int shortfall_memory;               // steps over which officers remember unpaid salary
  double detection;                   // encounter rate per unit of police presence per cell crossed
  BribeParams bribe;
  double oversight;                   // internal oversight, 0..1: scales the chance of a bribe by (1 - oversight)
  PoliceExtortionParams extortion;
  std::vector<InterdictionDef> interdiction;
  JusticeParams justice;
};

}  // namespace pocsim::model

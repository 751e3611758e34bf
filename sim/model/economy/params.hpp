#pragma once
// Parameters of the criminal economy: trafficking networks and the commodities they move. Keys economy.*
// (sim/model/economy/parameters.cpp).
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/schedule.hpp"

#include "model/common/names.hpp"

namespace pocsim::model {

enum class CommodityKind : std::uint8_t { drugs, arms, migrants, resources, fuel };
constexpr auto enum_names(CommodityKind) {
  return std::to_array<std::string_view>({"drugs", "arms", "migrants", "resources", "fuel"});
}

struct CommodityDef {
  std::string name;
  CommodityKind kind;
  std::string from;                   // names as given: the points where it enters and leaves, the network that moves it
  std::string to;
  std::string network;
  core::Schedule volume;              // units per step
  double source_price;                // $ per unit paid where it enters
  double exit_price;                  // $ per unit received where it leaves
  double workers_per_unit;            // couriers, smugglers or miners needed per unit per step
  int consignments;                   // shipments a step's volume is split into
  // The names above resolved by the scenario loader: indices into geography.points and economy.networks.
  std::size_t from_point = 0;
  std::size_t to_point = 0;
  std::size_t network_index = 0;
};

struct NetworkDef {
  std::string name;
  double wage;                        // $ per worker per step
  double bribe_share;                 // share of a consignment's value offered at a police encounter
  double elite_share;                 // share of sales paid to political elites for protection
  double learning_rate;               // weight of one passage or seizure in the learned risk of a cell
  double risk_memory;                 // per-step retention of learned seizure risk
  double observed_weight;             // weight of other networks' seizures in what this one learns
  double kingpin_exposure;            // chance that a seizure leads to the kingpin's arrest
  int successor_delay;                // steps before a convicted kingpin is replaced
  int routes;                         // alternative routes considered per commodity
  int replan_every;                   // steps between searches for a better route
  double route_temperature;           // spread of the logit route choice, relative to mean expected cost
  double transport_cost;              // $ per unit per cost unit of travel
};

struct EconomyParams {
  std::vector<NetworkDef> networks;
  std::vector<CommodityDef> commodities;
  int recruit_radius;                 // cells: how far from a route (or a mine) workers are recruited
};

}  // namespace pocsim::model

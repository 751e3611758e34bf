#pragma once
// The economy mechanism: trafficking networks that hire households, choose routes by expected cost and
// learned risk, pay armed groups for protection, meet the police, and sell; and the accounts of who got
// every dollar of the sales. docs/odd.md, sections 7.7, 7.8, 7.10 and 7.13, describes it.
//
// Above the population, the police and the armed groups: it employs and pays households, passes through
// the police's stops and feeds their courts, pays protection taxes and mine cuts into groups' treasuries
// and keeps the rents groups look for. What the mechanisms above it do arrives as arguments: the mission
// (MissionOnTrade, through Trade), the political will and integrity that state capture leaves.
//
// Phases (Model::step runs them): choose_work, traffic.
#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "core/grid.hpp"
#include "core/rng.hpp"
#include "core/routing.hpp"
#include "model/common/money.hpp"
#include "model/conflict/conflict.hpp"
#include "model/economy/params.hpp"
#include "model/geography/geography.hpp"
#include "model/police/police.hpp"
#include "model/population/livelihood.hpp"
#include "model/population/population.hpp"

namespace pocsim::model {

// Who ends up with a commodity's sales revenue.
enum class Recipient : std::uint8_t { network, workers, police, elites, armed_groups, producers };
constexpr auto enum_names(Recipient) {
  return std::to_array<std::string_view>({"network", "workers", "police", "elites", "armed_groups", "producers"});
}
inline constexpr std::size_t recipient_count = 6;

// The work a commodity offers.
Work work_for(CommodityKind k);

struct Route {
  std::vector<CellIndex> cells;        // source to exit
  double travel_cost = 0;              // cost units
};

// One commodity's traffic: its routes and workforce.
struct Flow {
  std::vector<Route> routes;
  std::vector<std::uint8_t> catchment;  // per cell: 1 where workers may be recruited
  std::vector<AgentId> hired;           // this step's workers, in id order
  double volume = 0;                    // units the network wants to move this step (0 while leaderless)
  double demand = 0;                    // workers wanted this step
  double arrest_rate = 0;               // smoothed arrests per worker per step, as workers perceive it
};

// A chance learned per cell from experience: moved toward 1 when the event happens on a passage and
// toward 0 when it does not, fading toward 0 without news. Fading is applied lazily, when the cell is
// read or updated, so a step costs nothing for cells nobody crosses.
class LearnedRate {
 public:
  void resize(std::size_t cells) {
    value_.assign(cells, 0.0f);
    step_.assign(cells, 0);
  }
  [[nodiscard]] double at(CellIndex c, std::uint32_t now, double memory) const {
    if (value_[c] == 0.0f) return 0.0;  // most cells of a large map have learned nothing: skip std::pow
    return value_[c] * std::pow(memory, static_cast<double>(now - step_[c]));
  }
  void learn(CellIndex c, std::uint32_t now, double memory, bool happened, double rate) {
    const double v = at(c, now, memory);
    value_[c] = static_cast<float>(happened ? v + rate * (1.0 - v) : v * (1.0 - rate));
    step_[c] = now;
  }
  // Saving and restoring a model's state (model/checkpoint.cpp) goes through here.
  template <class Archive>
  void visit_state(Archive& a) {
    a.fixed(value_, "cells of a learned rate");
    a.fixed(step_, "cells of a learned rate");
  }

 private:
  std::vector<float> value_;
  std::vector<std::uint32_t> step_;
};

// What a network has learned of the map (its kingpin's custody is the police's: KingpinRecord).
struct NetworkState {
  LearnedRate seizure;                  // per cell: chance of losing a consignment there
  LearnedRate bribe;                    // per cell: chance of having to pay a bribe there
};

// A seizure where it happened, for the mission (incidents rise with the trafficking it disrupts).
struct Seizure {
  CellIndex cell = 0;
  double value = 0;                     // $ at exit price
};

// What happened during the current step; reset at its start.
struct EconomyStep {
  std::vector<std::array<Cents, recipient_count>> revenue;  // [commodity][recipient]; sums to sales
  std::vector<Cents> sales;                                   // [commodity]
  std::vector<double> shipped, delivered, seized_volume;      // [commodity], units
  std::vector<Cents> seized_value;                            // [commodity], at exit price
  std::vector<std::vector<double>> route_volume;              // [commodity][route], units sent
  std::array<std::int64_t, work_count> workers{};
  std::vector<std::int64_t> region_workers;                   // per region
  std::vector<double> region_flow;
  std::vector<float> cell_flow;                               // units passing each cell, accumulated between snapshots
  std::vector<Seizure> seizures;                              // in the order they happened (not saved: read within the step)

  // Zeroes the record for a new step, sized for the scenario.
  void start_step(std::size_t n_commodities, std::size_t n_regions, const std::vector<Flow>& flows);
};

// What the mission does to traffickers this step; null pointers when there is no mission.
struct MissionOnTrade {
  const std::vector<float>* troops = nullptr;              // peacekeepers per cell: the "minimum stability" traffickers enjoy too
  double stability = 0;                                    // mission.stability
  const std::vector<double>* operations_support = nullptr; // per region slot: SOC support's multiplier of kingpin exposure
};

// Everything trafficking reads and acts on besides the economy's own state.
struct Trade {
  const EconomyParams& economy;
  const PoliceParams& police_params;
  const ConflictParams& conflict_params;
  const GeographyParams& geography_params;
  const Geography& geo;
  Population& population;
  Police& police;
  Conflict& conflict;
  Ledger& books;
  double political_will;                // scales police presence
  double integrity_kept;                // what state capture leaves of police integrity
  const SanctionsBite& bite;
  const MissionOnTrade& mission;
};

class Economy {
 public:
  // Plans each commodity's first routes. `active`: whether the scenario has anything that moves money
  // (commodities, posts, armed groups or a mission).
  Economy(const EconomyParams& e, const Geography& geo, const core::Grid& grid, bool active, std::size_t regions, std::uint64_t seed);

  // ---- Phases ----
  // Households weigh illicit work near routes and mines against their licit livelihood.
  void choose_work(const EconomyParams& e, const CitizenParams& households, std::int64_t step, Population& population,
                   const Police& police, const Livelihood& livelihood);
  // Networks due to re-plan search new routes (in parallel); consignments choose routes, pay protection,
  // meet the police (bribe, seizure, miss) and are sold.
  void traffic(std::int64_t step, const Trade& t);

  void clear_flow_map();

  // ---- State (checkpoints save it; reporters read it) ----
  bool active = false;
  std::vector<Flow> flows;              // per commodity
  std::vector<NetworkState> networks;
  EconomyStep now;

 private:
  void plan_routes(const EconomyParams& e, std::size_t commodity, const Geography& geo, const Trade* replan, std::int64_t step);
  [[nodiscard]] float risk_at(const EconomyParams& e, std::size_t network, CellIndex c, std::uint32_t step) const;
  [[nodiscard]] double seizure_risk(const EconomyParams& e, std::size_t network, const Route& r, std::uint32_t step) const;
  [[nodiscard]] double expected_bribes(const EconomyParams& e, std::size_t network, const Route& r, std::uint32_t step) const;
  [[nodiscard]] double protection_tax(const Conflict& conflict, const Route& r) const;
  // Expected cost of moving one unit of a commodity along a route: transport, and the value it expects to
  // lose to seizures, bribes and protection taxes.
  [[nodiscard]] double route_cost(const Trade& t, std::size_t commodity, const Route& r, std::uint32_t step) const;
  void learn_passage(const EconomyParams& e, std::size_t network, CellIndex c, Stop outcome, std::uint32_t step);
  void learn_seizure_seen(const EconomyParams& e, std::size_t network, CellIndex c, std::uint32_t step);
  // A payment out of a commodity's sales, recorded by recipient.
  void pay(Ledger& books, std::size_t from, std::size_t to, Cents amount, std::size_t commodity, Recipient r);

  core::Grid grid_;
  core::RandomStream hiring_rng_;
  core::RandomStream route_rng_;
  // Searches towards each commodity's destination are guided by the least travel cost to it, computed
  // once from the map (travel costs do not change during a run) and shared with the run's branches.
  std::shared_ptr<const std::vector<core::CostToGo>> guides_;
  std::vector<std::size_t> guide_of_;  // per commodity: index into *guides_
};

}  // namespace pocsim::model

#pragma once
// State of the criminal economy: money, routes, networks, police posts, the justice queue, and what
// happened this step (read by reporters).
//
// Money is kept in whole cents (int64) and moves only by Ledger::transfer, so every dollar of illicit
// revenue can be followed to its recipient and the books balance to the cent.
#include <array>
#include <cmath>
#include <cstdint>
#include <deque>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "core/grid.hpp"
#include "model/params.hpp"
#include "model/state.hpp"

namespace pocsim::model {

using Cents = std::int64_t;
Cents to_cents(double dollars);

// Who ends up with a commodity's sales revenue.
enum class Recipient : std::uint8_t { network, workers, police, elites, armed_groups, producers };
inline constexpr std::size_t recipient_count = 6;
std::string_view to_string(Recipient r);

// Double-entry books: every transfer debits one account and credits another; the sum of all balances
// is therefore always zero (outside buyers and producers hold negative or positive balances).
class Ledger {
 public:
  // Fixed accounts, then one per network, then one per armed-group slot.
  enum Account : std::size_t { world_buyers, world_producers, state, communities, police, elites, mission, first_network };
  Ledger(std::size_t networks, std::size_t groups) : balance_(first_network + networks + groups, 0), first_group_(first_network + networks) {}
  [[nodiscard]] std::size_t group_account(std::size_t group) const { return first_group_ + group; }
  // Throws std::overflow_error rather than let a balance wrap around.
  void transfer(std::size_t from, std::size_t to, Cents amount) {
    Cents debited = 0;
    Cents credited = 0;
    if (__builtin_sub_overflow(balance_[from], amount, &debited) || __builtin_add_overflow(balance_[to], amount, &credited))
      throw std::overflow_error("an account balance exceeds what cents in 64 bits can hold");
    balance_[from] = debited;
    balance_[to] = credited;
  }
  [[nodiscard]] Cents balance(std::size_t account) const { return balance_[account]; }
  [[nodiscard]] const std::vector<Cents>& balances() const { return balance_; }
  // Saving and restoring a model's state (model/checkpoint.cpp) goes through here.
  template <class Archive>
  void visit_state(Archive& a) {
    a.fixed(balance_, "ledger accounts");
    a(first_group_);
  }

 private:
  std::vector<Cents> balance_;
  std::size_t first_group_;
};

// Occupation of a citizen this step.
enum class Work : std::uint8_t { licit = 0, courier = 1, smuggler = 2, miner = 3 };
inline constexpr std::size_t work_count = 4;
std::string_view to_string(Work w);
Work work_for(CommodityKind k);

// Where a jailed citizen stands with the law.
enum class Custody : std::uint8_t { none = 0, detention = 1, pretrial = 2, sentenced = 3 };

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

enum class Kingpin : std::uint8_t { free, detained, convicted };

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

struct NetworkState {
  Kingpin kingpin = Kingpin::free;
  std::int64_t leaderless_until = -1;   // step at which a successor takes over, while > current step
  int kingpins_replaced = 0;
  LearnedRate seizure;                  // per cell: chance of losing a consignment there
  LearnedRate bribe;                    // per cell: chance of having to pay a bribe there
};

struct PostState {
  double shortfall = 0;                 // remembered share of salary unpaid, 0..1
  double capacity = 0;                  // training now (starts at the post's; capacity building raises it)
  double integrity = 0;                 // integrity now, before state capture (starts at the post's; vetting raises it)
};

struct CaseFile {
  bool kingpin = false;
  std::uint32_t who = 0;                // citizen id, or network index for a kingpin
  std::int64_t expires = 0;             // step at which pretrial detention runs out
};

// What happened during the current step; reset at its start.
struct EconomyStep {
  std::vector<std::array<Cents, recipient_count>> revenue;  // [commodity][recipient]; sums to sales
  std::vector<Cents> sales;                                   // [commodity]
  std::vector<double> shipped, delivered, seized_volume;      // [commodity], units
  std::vector<Cents> seized_value;                            // [commodity], at exit price
  std::vector<std::vector<double>> route_volume;              // [commodity][route], units sent
  std::array<std::int64_t, work_count> workers{};
  std::int64_t encounters = 0, bribes = 0, seizures = 0, worker_arrests = 0, kingpin_arrests = 0;
  std::int64_t prosecutions = 0, convictions = 0, acquittals = 0, released_untried = 0;
  Cents bribe_value = 0, extortion_value = 0, salaries_paid = 0, payroll = 0;
  std::int64_t extortions = 0;
  // Per region (index = region), and per cell for the flow map.
  std::vector<std::int64_t> region_seizures, region_arrests, region_bribes, region_workers;
  std::vector<double> region_flow;
  std::vector<float> cell_flow;                               // units passing each cell, accumulated between snapshots

  // Zeroes the record for a new step, sized for the scenario.
  void start_step(std::size_t n_commodities, std::size_t n_regions, const std::vector<Flow>& flows);
};

struct Economy {
  Ledger ledger{0, 0};
  std::vector<Flow> flows;              // per commodity
  std::vector<NetworkState> networks;
  std::vector<PostState> posts;
  std::deque<CaseFile> backlog;         // awaiting prosecution, oldest first
  EconomyStep now;
  bool active = false;                  // false when the scenario has no commodities and no posts
};

}  // namespace pocsim::model

#pragma once
// Money, in whole cents, and the double-entry books every mechanism pays through.
//
// Money is kept in whole cents (int64) and moves only by Ledger::transfer, so every dollar can be
// followed to its recipient and the books balance to the cent: the sum of all balances is always zero
// (outside buyers and producers hold negative or positive balances).
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace pocsim::model {

using Cents = std::int64_t;
// Dollars to cents, rounded to the nearest cent; throws std::overflow_error beyond what cents can hold.
Cents to_cents(double dollars);

class Ledger {
 public:
  // Fixed accounts, then one per network, then one per armed-group slot.
  enum Account : std::size_t { world_buyers, world_producers, state, communities, police, elites, mission, first_network };
  Ledger(std::size_t networks, std::size_t groups) : balance_(first_network + networks + groups, 0), first_group_(first_network + networks) {}
  [[nodiscard]] std::size_t network_account(std::size_t network) const { return first_network + network; }
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

}  // namespace pocsim::model

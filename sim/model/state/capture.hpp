#pragma once
// The state mechanism: capture of the state by criminal rents — the share of criminal revenue reaching
// political elites, each smoothed over time — and what it erodes: the political will to act against
// trafficking (police presence, state operations), legitimacy, police integrity and the payroll.
// docs/odd.md, section 7.21, describes it.
//
// Above the population, police, armed groups and economy, whose step records it reads; the others read
// its index and will, which it sets at the end of each step, as arguments at the next.
//
// Phase (Model::step runs it): update.
#include "model/conflict/conflict.hpp"
#include "model/economy/economy.hpp"
#include "model/police/police.hpp"
#include "model/state/params.hpp"

namespace pocsim::model {

class StateCapture {
 public:
  // The share of criminal rents reaching elites this step, smoothed, and the political will it leaves.
  void update(const StateParams& p, const EconomyStep& economy, const PoliceStep& police, const ConflictStep& conflict);

  // What capture leaves of legitimacy, police integrity and the payroll the state pays, as multipliers.
  [[nodiscard]] double legitimacy_kept(const StateParams& p) const { return 1.0 - p.legitimacy_loss * index; }
  [[nodiscard]] double integrity_kept(const StateParams& p) const { return 1.0 - p.integrity_loss * index; }
  [[nodiscard]] double fiscal_kept(const StateParams& p) const { return 1.0 - p.fiscal_loss * index; }

  // ---- State (checkpoints save it; reporters read it) ----
  double elite_rents = 0;                // $ per step, smoothed
  double criminal_rents = 0;             // $ per step, smoothed: sales of every commodity plus extortion
  double index = 0;                      // elite_rents / criminal_rents
  double political_will = 1;             // 1 - will_loss x index, in [0, 1]
};

}  // namespace pocsim::model

#pragma once
// State of the UN mission and of the levers a scenario schedules, and what they did this step (read by
// reporters). The phase that applies them is in mission.cpp; docs/odd.md 7.24 describes each lever.
#include <array>
#include <cstdint>
#include <vector>

#include "core/grid.hpp"
#include "model/params.hpp"
#include "model/state.hpp"

namespace pocsim::model {

using Cents = std::int64_t;

struct MissionStep {
  std::array<Cents, lever_kind_count> spending{};        // per lever kind, this step
  std::array<std::int64_t, lever_kind_count> reach{};    // per lever kind: beneficiaries, posts, cases, cells, ...
  // The same by target: [lever kind][0 everywhere, r + 1 region r].
  std::vector<std::vector<Cents>> spending_by_target;
  std::vector<std::vector<std::int64_t>> reach_by_target;
  std::array<std::int64_t, lever_kind_count> unfunded{};  // levers in force left unfunded: the mandate's budget ran out
  std::int64_t incidents = 0;                            // against mission personnel
  Cents contracts = 0, contract_leakage = 0;             // contract value paid, and the part that leaked
  std::vector<std::int64_t> region_incidents;

  void start_step(std::size_t n_regions);
  void add_reach(LeverKind k, std::int16_t region, std::int64_t n);
};

struct MissionState {
  bool active = false;                     // bases, levers or contracts
  std::int64_t mandate = 1;                // the mandate in force (renewed every mandate_length steps)
  std::vector<std::vector<CellIndex>> base_cells;   // cells each base's patrols cover
  std::vector<std::int16_t> base_at;       // per cell: a base whose patrols cover it, or -1
  std::vector<float> troops;               // per cell: peacekeepers per cell this step
  std::vector<double> disruption;          // per base: smoothed value seized near it, $ per step
  // Effects of the levers in force this step, per region slot (0: cells in no region; r + 1: region r).
  std::vector<double> interdiction;        // police presence multiplier
  std::vector<double> tolerance_kept;      // share of households' tolerance of criminals left by communications
  std::vector<double> violence_kept;       // share of clash and attack chances left by local mediation
  std::vector<double> operations_support;  // multiplier of raids and kingpin exposure from the SOC unit's support
  double donor_pay = 0;                    // share of the police payroll donors pay
  int extra_prosecutions = 0;
  double due_diligence = 0;                // 0..1
  double intelligence = 0;                 // JMAC quality in force, 0..1
  double consent = 1;                      // the host state's consent, 0..1
  Cents budget_left = 0;                   // of the current mandate's budget (when one is set)
  bool consent_withdrawn = false;          // once withdrawn, levers and bases stop for good
  std::int64_t listings = 0, wrong_listings = 0, exits = 0;  // since the start
  // A leader who took an exit: paid his package in tranches over the transition while the mediation lasts.
  struct Transition {
    std::size_t lever = 0;
    std::int64_t exit_step = 0;
    bool interrupted = false;
  };
  std::vector<Transition> transitions;
  std::int64_t transitions_completed = 0, transitions_interrupted = 0;
  std::vector<float> support_income;       // per citizen: $ per step from CVR or reintegration, fading
  MissionStep now;
};

}  // namespace pocsim::model

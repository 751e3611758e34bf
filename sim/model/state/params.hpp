#pragma once
// Parameters of the state and its elites: capture by criminal rents and what it erodes. Keys state.*
// (sim/model/state/parameters.cpp).
namespace pocsim::model {

struct StateParams {
  double capture_memory;              // per-step retention of the smoothed rents behind the capture index
  double will_loss;                   // political will lost per unit of capture
  double legitimacy_loss;             // share of legitimacy lost per unit of capture
  double integrity_loss;              // share of police integrity lost per unit of capture
  double fiscal_loss;                 // share of the police payroll diverted per unit of capture
};

}  // namespace pocsim::model

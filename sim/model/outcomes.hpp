#pragma once
// The outcomes a planner compares mandate options by: each a value per step, and one number per run over
// an evaluation window (from the options' decision date to the end). Shared by `pocsim compare` and the
// sweeps, so every table of results means the same thing by the same name.
#include <cstdint>
#include <string>
#include <vector>

#include "model/common/names.hpp"
#include "model/model.hpp"

namespace pocsim::model {

// How a run's steps combine into its one number.
enum class Combine : std::uint8_t {
  total,  // summed over the window (events, deaths, dollars)
  mean,   // averaged over the window (levels: fighters, capture)
  ratio   // a rate of two totals over the window (bribes per police stop)
};
constexpr auto enum_names(Combine) { return std::to_array<std::string_view>({"total", "mean", "ratio"}); }

struct OutcomeSpec {
  std::string name;         // e.g. "civilian_fatalities"
  std::string label;        // for tables, e.g. "civilian deaths"
  std::string units;        // "people", "$", "1", ...
  std::string description;
  Combine combine = Combine::total;
};

// Every outcome, in the order values are reported.
const std::vector<OutcomeSpec>& outcome_specs();

// Reads outcomes from a model step by step and combines them over the steps it saw.
class OutcomeMeter {
 public:
  OutcomeMeter();
  // This step's values, in outcome_specs() order; also counted into the run's summary.
  std::vector<double> observe(const Model& m);
  // The run's number for each outcome over the steps observed (0 for a rate with no denominator).
  [[nodiscard]] std::vector<double> summary() const;

 private:
  std::vector<double> sums_;
  std::vector<double> denominators_;  // for ratios
  std::int64_t steps_ = 0;
};

}  // namespace pocsim::model

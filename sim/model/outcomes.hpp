#pragma once
// The outcomes a planner compares mandate options by: each a value per step, and one number per run over
// an evaluation window (from the options' decision date to the end). Shared by `pocsim compare` and the
// sweeps, so every table of results means the same thing by the same name.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "model/common/names.hpp"
#include "model/model.hpp"

namespace pocsim::model {

// How a run's steps combine into its one number.
enum class Combine : std::uint8_t {
  total,  // summed over the window (events, deaths, dollars)
  mean,   // averaged over the window (levels: fighters, capture)
  ratio,  // a rate of two totals over the window (bribes per police stop)
  max     // the largest value in the window: for a 0/1 event, 1 if it happened (a share over replicates)
};
constexpr auto enum_names(Combine) { return std::to_array<std::string_view>({"total", "mean", "ratio", "max"}); }

// Which way an outcome should move for an option to be better: declared once, here, for comparisons'
// probabilities and the report alike. `neither` where more is not plainly better or worse (citizens in
// jail; the one-sided share of deaths, which also falls when battles rise).
enum class Better : std::uint8_t { lower, higher, neither };
constexpr auto enum_names(Better) { return std::to_array<std::string_view>({"lower", "higher", "neither"}); }

struct OutcomeSpec {
  std::string name;         // e.g. "civilian_fatalities"
  std::string label;        // for tables, e.g. "civilian deaths"
  std::string units;        // "people", "$", "1", ...
  std::string description;
  Combine combine = Combine::total;
  Better better = Better::lower;
  // The values a run's number can take (its support): every outcome is at least 0; shares are at most 1.
  double lowest = 0;
  double highest = std::numeric_limits<double>::infinity();
  // A regime event (consent withdrawn, a leader removed, a group joining the peace process...): a
  // comparison reports the share of runs in which it happened and when it first did.
  bool event = false;
};

// The capture index above which a comparison counts the state as captured (the capture_crossed outcome),
// unless the comparison names another: elites taking a tenth of criminal revenue. Assumed, not published:
// no dataset measures the index; it reads as a planner's red line, not a finding.
inline constexpr double default_capture_threshold = 0.1;

// Every outcome, in the order values are reported.
const std::vector<OutcomeSpec>& outcome_specs();

// Reads outcomes from a model step by step and combines them over the steps it saw.
class OutcomeMeter {
 public:
  explicit OutcomeMeter(double capture_threshold = default_capture_threshold);
  // This step's values, in outcome_specs() order; also counted into the run's summary.
  std::vector<double> observe(const Model& m);
  // The run's number for each outcome over the steps observed (0 for a rate with no denominator).
  [[nodiscard]] std::vector<double> summary() const;

 private:
  std::vector<double> sums_;
  std::vector<double> denominators_;  // for ratios
  std::int64_t steps_ = 0;
  double capture_threshold_;
};

}  // namespace pocsim::model

#pragma once
// Explaining an option's effect: which of its levers did it, and what moved in between. Each lever entry of
// an option is a player of a cooperative game whose value, for a set of entries, is what the option with
// only those entries does to every outcome (paired with the baseline, common random numbers, branching
// from the shared warm-up). The Shapley value of each entry — its average marginal effect over every
// order in which the entries could be added — apportions the option's effect so that the parts add up to
// it. Exact over every subset for a few entries; sampled orders beyond. docs/explaining.md.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/statistics.hpp"
#include "ensemble/compare.hpp"
#include "scenario/loader.hpp"

namespace pocsim::ensemble {

// A quantity between levers and outcomes (a report quantity, summed over its elements), with how a run's
// steps combine into one number: totals for flows, means for levels.
struct Intermediate {
  std::string_view path;   // as in the run file (docs/outputs.md)
  std::string_view label;
  std::string_view units;  // after conversion: money reported in cents is explained in $
  bool mean;               // false: total over the window; true: mean over its steps (of the mean over elements)
};
// Every intermediate an explanation measures: the chain's links, and every lever's intended quantity.
const std::vector<Intermediate>& intermediates();

struct ExplainPlan {
  scenario::Scenario baseline;
  std::vector<scenario::Scenario> options;  // each from scenario::load_option, all with one decision date
  int replicates = 20;
  int exact_up_to = 6;                      // players up to which every subset is run (2^n runs a replicate)
  int permutations = 64;                    // sampled orders beyond that
  std::string output;
  std::string command_line;
};

// Shapley values of `players` players for a game whose value is a vector (one entry per quantity): exact,
// from the value of every subset (bit i of the mask: player i is in). Their sum is value(all) − value(∅).
std::vector<std::vector<double>> shapley_exact(std::size_t players, const std::function<const std::vector<double>&(std::uint32_t)>& value);
// The same estimated from the given orders of the players (each a permutation of 0..players-1): each
// order's marginal effects sum to value(all) − value(∅), and so does their mean.
std::vector<std::vector<double>> shapley_sampled(std::size_t players, const std::vector<std::vector<std::size_t>>& orders,
                                                 const std::function<const std::vector<double>&(std::uint32_t)>& value);
// `count` orders of `players` players, fixed by the seed.
std::vector<std::vector<std::size_t>> sample_orders(std::size_t players, int count, std::uint64_t seed);

// Runs an explanation takes: the baseline and every subset (or sampled prefix) of every option, per replicate.
std::int64_t explanation_runs(const ExplainPlan& plan);

// Runs every replicate's games and writes the explanation file.
Outcome run_explanation(const ExplainPlan& plan, int threads, const Observer& observer);

// One lever entry's part of an option's effect on one quantity, over replicates.
struct Part {
  std::string player;               // "cvr in north" (with its entry number where two read alike)
  std::string kind;                 // the lever kind (lever_table name)
  core::Estimate shapley;           // its Shapley value
  core::Estimate alone;             // the effect of the option with this entry alone
};

struct ExplainRow {
  std::string option, quantity, label, units;
  std::string better;               // lower, higher or neither (outcomes); neither for intermediates
  bool outcome = true;              // false for an intermediate quantity
  core::Estimate total;             // the option's effect (option − baseline)
  core::Estimate interaction;       // total − the sum of each entry's effect alone
  std::vector<Part> parts;          // per player, in the option's order
};

struct Explanation {
  std::vector<std::string> options;
  std::vector<std::vector<std::string>> players;  // per option
  std::vector<std::string> methods;               // per option: "exact" or "N sampled orders"
  std::int64_t replicates = 0, decision = 0, steps = 0;
  double confidence = 0.95;
  std::vector<ExplainRow> rows;                   // by option, then quantity
  // Lever entries whose part in their lever's intended quantity goes the other way, with intervals that
  // agree on it: "option: player raised groups/recruits by 12 [4, 20], against its intent".
  std::vector<std::string> against_intent;
};

Explanation read_explanation(const std::string& path);
// Per option: a paragraph for each outcome whose effect is clear, the table of parts, and the flags.
std::string format_explanation(const Explanation& e);
std::string explanation_csv(const Explanation& e);

}  // namespace pocsim::ensemble

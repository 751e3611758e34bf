#pragma once
// Comparing mandate options. Every replicate runs the baseline with its own seed; at the options' decision
// date each option branches from that replicate's baseline (Model::branch), so the warm-up is run once
// and shared, and replicate i of every option meets the same random numbers for the same events (common
// random numbers). Each run's outcomes are written to one HDF5 file as it finishes; the table of means,
// intervals, paired differences and cost-effectiveness is computed from that file alone.
// docs/comparing.md describes the method and the file.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/statistics.hpp"
#include "scenario/loader.hpp"

namespace pocsim::ensemble {

struct ComparisonPlan {
  scenario::Scenario baseline;
  std::vector<scenario::Scenario> options;  // each from scenario::load_option, all with one decision date
  int replicates = 20;
  std::string output;                       // the HDF5 file
  std::string command_line;                 // for the provenance
};

// Problems of the plan as a whole (options that name different decision dates, or one name twice):
// throws scenario::ScenarioError pointing at the option files.
void check_plan(const ComparisonPlan& plan);

struct Observer {
  std::function<void(std::int64_t runs_done, std::int64_t runs_total)> progress;  // called under a lock
  std::function<bool()> stop_requested;                                            // polled between steps
};

struct Outcome {
  bool complete = false;
  std::string path;         // the comparison file, or <stem>.incomplete.h5 when stopped
  std::int64_t replicates_done = 0;
  double wall_seconds = 0;
};

// Runs the plan with the worker threads of the current arena (replicates in parallel) and writes the file.
Outcome run_comparison(const ComparisonPlan& plan, int threads, const Observer& observer);

// One row of the table: an option's level of one outcome, and its paired difference from the baseline.
struct TableRow {
  std::string option;
  std::string outcome, label, units;
  core::Estimate level;
  core::Estimate difference;     // option − baseline, replicate by replicate; n = 0 for the baseline
  double extra_cost = 0;         // mean paired difference in mission cost, $
  double per_million = 0;        // difference per $1,000,000 of extra cost; NaN without extra cost
  // Shares of replicates, by the outcome's declared direction (NaN where it has none, or for the
  // baseline's comparison with itself): the option better than the baseline, equal to it, worse.
  double p_better = 0, p_tie = 0, p_worse = 0;
  // Shares of replicates in which the option alone is best of all (baseline included), and in which it
  // shares the best value with others.
  double p_best = 0, p_best_tied = 0;
};

struct Table {
  std::vector<std::string> options;   // baseline first
  std::vector<std::string> outcomes;  // names, in outcome order
  std::int64_t replicates = 0, decision = 0, steps = 0;
  double confidence = 0.95;
  std::vector<std::string> better;    // per outcome: lower, higher or neither (model::Better)
  std::vector<TableRow> rows;         // by outcome, then option
};

// Fewer replicates than this give intervals and probabilities too rough to decide on: the table says so.
inline constexpr std::int64_t minimum_replicates = 10;

// The standard error of a share p estimated from n replicates (binomial), for "p ± error".
double share_error(double p, std::int64_t n);

// The table, computed from a comparison file (complete or not: only finished replicates count).
Table read_table(const std::string& path);

std::string format_text(const Table& t);
std::string format_csv(const Table& t);
std::string format_markdown(const Table& t);

}  // namespace pocsim::ensemble

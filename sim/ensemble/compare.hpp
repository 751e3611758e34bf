#pragma once
// Comparing mandate options. Every replicate runs the baseline with its own seed; at the options' decision
// date each option branches from that replicate's baseline (Model::branch), so the warm-up is run once
// and shared, and replicate i of every option meets the same random numbers for the same events (common
// random numbers). With uncertain parameters, that is done in every parameter draw: each draw is a world
// all options meet, and the statistics are over worlds. Each run's outcomes are written to one HDF5 file
// as it finishes; the table of means, intervals, paired differences, probabilities, regret and
// cost-effectiveness is computed from that file alone.
// docs/comparing.md describes the method and the file.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/statistics.hpp"
#include "scenario/loader.hpp"
#include "scenario/uncertain.hpp"

namespace pocsim::ensemble {

// One world the options are compared in: a draw of the uncertain parameters, with the baseline and every
// option loaded at those values.
struct ParameterDraw {
  std::vector<double> values;               // per ComparisonPlan::parameters
  scenario::Scenario baseline;
  std::vector<scenario::Scenario> options;
};

// What matters to the planner, beyond each outcome alone: a weighted score of named outcomes (each
// scaled by the baseline's mean, signed by its direction, so "1" is the baseline's level of that outcome),
// and a set of outcomes among which an option is Pareto-efficient when no other beats it on all of them.
struct Criteria {
  std::vector<std::pair<std::string, double>> weights;  // outcome name, weight
  std::vector<std::string> pareto;                      // outcome names
};

// The adaptive mode: worlds (replicates, or parameter draws) are added in batches until the decision on one
// outcome is clear, or the budget of worlds is spent.
struct Adaptive {
  bool on = false;
  std::int64_t max_worlds = 200;
  std::int64_t batch = 10;
  std::string decide_on = "fatalities";  // an outcome, or "weighted_score" when criteria weights are given
};

struct ComparisonPlan {
  scenario::Scenario baseline;
  std::vector<scenario::Scenario> options;  // each from scenario::load_option, all with one decision date
  int replicates = 20;                      // per parameter draw, or in all without draws
  // Uncertain parameters: their keys, where their draws come from, and the draws (empty: the scenario's
  // own values only, and every replicate is a world).
  std::vector<std::string> parameters;
  std::string parameter_source;
  std::vector<ParameterDraw> draws;
  Criteria criteria;
  Adaptive adaptive;
  double capture_threshold = 0.1;           // model::default_capture_threshold
  std::string output;                       // the HDF5 file
  std::string command_line;                 // for the provenance
};

// Draws of the uncertain parameters: `n` independent draws, draw d's value of parameter i from the
// stream keyed by (d, i), so the first n draws of a longer plan are the same draws.
std::vector<std::vector<double>> sample_draws(const std::vector<scenario::UncertainParameter>& uncertain, std::size_t n,
                                              std::uint64_t seed);

// A calibration's posterior, or any table of parameter draws: CSV, a header of scenario keys and one row
// of values per draw. Throws scenario::ScenarioError naming the line.
struct PosteriorTable {
  std::vector<std::string> keys;
  std::vector<std::vector<double>> rows;
};
PosteriorTable read_posterior(const std::string& path);

// --criteria "NAME=WEIGHT,..." and --pareto "A,B,...", parsed (names are checked by check_plan).
Criteria parse_criteria(const std::string& weights, const std::string& pareto);

// Loads the baseline and every option at each draw's values (with the command line's overrides first),
// after checking each uncertain parameter's extremes (when asked: a posterior's rows have none but
// themselves); errors name the block's entry or the draw.
void load_draws(ComparisonPlan& plan, const std::string& scenario_path, const std::vector<std::string>& option_paths,
                const std::vector<std::string>& overrides, const std::vector<scenario::UncertainParameter>& uncertain,
                const std::vector<std::vector<double>>& values, bool check_extremes);

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
  std::string journal;      // <output>.journal: every finished run, kept until the file is complete
  std::int64_t replicates_done = 0;
  std::int64_t runs_resumed = 0;  // found in the journal of an earlier, interrupted or failed, attempt
  double wall_seconds = 0;
};

// Runs the plan with the worker threads of the current arena (replicates in parallel) and writes the file.
// Every finished run is also appended to <output>.journal as it finishes; the same plan started again
// (the same scenario, options, --set, seed, replicates and draws) takes the runs the journal holds and
// runs only the rest, so an interrupted, killed or failed comparison loses at most the runs under way.
// The journal is removed once the complete file is in place.
Outcome run_comparison(const ComparisonPlan& plan, int threads, const Observer& observer);

// One row of the table: an option's level of one outcome, and its paired difference from the baseline.
// Every statistic is over worlds: parameter draws (each its replicates' mean) when the comparison draws
// parameters, otherwise replicates.
struct TableRow {
  std::string option;
  std::string outcome, label, units;
  core::Estimate level;
  core::Estimate difference;     // option − baseline, world by world; n = 0 for the baseline
  double extra_cost = 0;         // mean paired difference in mission cost, $
  double per_million = 0;        // difference per $1,000,000 of extra cost; NaN without extra cost
  double per_million_low = 0, per_million_high = 0;  // its 95 % interval over worlds (Fieller's)
  // Shares of worlds, by the outcome's declared direction (NaN where it has none, or for the
  // baseline's comparison with itself): the option better than the baseline, equal to it, worse.
  double p_better = 0, p_tie = 0, p_worse = 0;
  // Shares of worlds in which the option alone is best of all (baseline included), and in which it
  // shares the best value with others.
  double p_best = 0, p_best_tied = 0;
  double regret = 0;             // mean over worlds of how far the option falls short of the best, ≥ 0
  // Share of the option's variance between worlds due to the parameters (the rest is the dice); NaN
  // without parameter draws of two or more replicates.
  double share_parameters = 0;
  // Regime events: the share of runs in which it happened, and the mean step it first did in those.
  double p_happened = 0, first_step = 0;
};

struct Table {
  std::vector<std::string> options;   // baseline first
  std::vector<std::string> outcomes;  // names, in outcome order (then weighted_score when weights are given)
  std::int64_t replicates = 0;        // finished runs per option
  std::int64_t worlds = 0;            // the unit of every statistic: draws, or replicates without draws
  std::int64_t draws = 0;             // parameter draws (0: none)
  std::int64_t decision = 0, steps = 0;
  double confidence = 0.95;
  std::vector<std::string> better;    // per outcome: lower, higher or neither (model::Better)
  std::vector<std::uint8_t> event;    // per outcome: 1 for a regime event
  std::vector<TableRow> rows;         // by outcome, then option
  std::vector<std::string> pareto;    // the Pareto set's outcomes (empty: none asked)
  std::vector<double> p_pareto;       // per option: share of worlds in which no other option beats it on all of them
  // Per outcome, [row option][column option]: the share of worlds in which the row beats the column (by the
  // outcome's direction; NaN without one, and on the diagonal).
  std::vector<std::vector<std::vector<double>>> p_beats;
  std::string stopped_because;        // the adaptive mode's reason for stopping ("" when not adaptive)
};

// Fewer replicates than this give intervals and probabilities too rough to decide on: the table says so.
inline constexpr std::int64_t minimum_replicates = 10;

// a − b element by element: an option's values less the baseline's, world by world (or run by run).
std::vector<double> paired_differences(const std::vector<double>& a, const std::vector<double>& b);

// The standard error of a share p estimated from n worlds (binomial), for "p ± error".
double share_error(double p, std::int64_t n);

// Numbers for people: four significant digits, no exponent below a billion; "-" for NaN.
std::string readable(double v);
// "mean [low, high]", the mean alone without an interval, "" without a mean.
std::string interval(const core::Estimate& e);

// The table, computed from a comparison file (complete or not: only finished replicates count).
Table read_table(const std::string& path);

std::string format_text(const Table& t);
std::string format_csv(const Table& t);
std::string format_markdown(const Table& t);

}  // namespace pocsim::ensemble

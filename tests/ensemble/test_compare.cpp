// Comparing options: the design really pairs, results do not depend on threads, the file holds every
// number of the table, interrupted comparisons keep only whole replicates, and bad plans are refused.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>

#include "core/parallel.hpp"
#include "ensemble/compare.hpp"
#include "io/hdf5.hpp"
#include "model/outcomes.hpp"
#include "support/support.hpp"

using namespace pocsim;

namespace {
const std::string sahel = "scenarios/mission/sahel_mandate.yaml";

// The Sahel mandate over 40 weeks, deciding at week 20, with the given options (file name -> text).
ensemble::ComparisonPlan plan_for(const test::TempDir& dir, const std::vector<std::pair<std::string, std::string>>& options,
                                  int replicates) {
  ensemble::ComparisonPlan plan;
  const std::vector<std::string> overrides{"run.steps=40"};
  plan.baseline = scenario::load_scenario(test::source_path(sahel), overrides);
  for (const auto& [name, text] : options)
    plan.options.push_back(scenario::load_option(test::source_path(sahel), test::write_text(dir.file(name), text), overrides));
  plan.replicates = replicates;
  plan.output = dir.file("comparison.h5");
  plan.command_line = "test";
  return plan;
}

const char* const idle = "description: a programme with no money and no reach\ndecision: 20\n"
                         "levers: [{lever: cvr, start: 20, region: north, budget: 0, intensity: 0}]\n";
const char* const sanctions = "decision: 20\nlevers: [{lever: sanctions, start: 20, region: north, intensity: 1},"
                              " {lever: cvr, start: 20, region: north, budget: 20000, intensity: 100}]\n";

ensemble::Outcome run(const ensemble::ComparisonPlan& plan, int threads, ensemble::Observer observer = {}) {
  core::ThreadLimit limit(threads);
  ensemble::Outcome out;
  limit.run([&] { out = ensemble::run_comparison(plan, threads, observer); });
  return out;
}

// Equal bit for bit (NaN, where a value does not apply, included).
bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

const ensemble::TableRow& row(const ensemble::Table& t, const std::string& option, const std::string& outcome) {
  for (const ensemble::TableRow& r : t.rows)
    if (r.option == option && r.outcome == outcome) return r;
  FAIL("no row " << option << " / " << outcome);
  return t.rows.front();
}
}  // namespace

TEST_CASE("the baseline against itself: a lever that does nothing differs by exactly zero", "[compare]") {
  test::TempDir dir;
  const auto plan = plan_for(dir, {{"idle.yaml", idle}, {"sanctions.yaml", sanctions}}, 4);
  const ensemble::Outcome out = run(plan, 2);
  REQUIRE(out.complete);
  CHECK(out.replicates_done == 4);
  const ensemble::Table t = ensemble::read_table(out.path);
  CHECK(t.options == std::vector<std::string>{"baseline", "idle", "sanctions"});
  CHECK(t.replicates == 4);
  CHECK(t.decision == 20);
  bool sanctions_moved_something = false;
  for (const std::string& outcome : t.outcomes) {
    INFO(outcome);
    const ensemble::TableRow& r = row(t, "idle", outcome);
    CHECK(r.difference.mean == 0.0);
    CHECK(r.difference.low == 0.0);   // the interval holds zero, and nothing else
    CHECK(r.difference.high == 0.0);
    CHECK(r.level.mean == row(t, "baseline", outcome).level.mean);
    sanctions_moved_something |= row(t, "sanctions", outcome).difference.mean != 0.0;
  }
  CHECK(sanctions_moved_something);
  CHECK(row(t, "sanctions", "mission_cost").difference.mean > 0);
  // Probabilities: the idle option ties the baseline in every replicate, so neither is ever best alone;
  // in each replicate either sanctions are best alone or the baseline shares the best value.
  for (std::size_t o = 0; o < t.outcomes.size(); ++o) {
    const std::string& outcome = t.outcomes[o];
    INFO(outcome);
    const ensemble::TableRow& idle_row = row(t, "idle", outcome);
    const ensemble::TableRow& base_row = row(t, "baseline", outcome);
    const ensemble::TableRow& sanctions_row = row(t, "sanctions", outcome);
    if (t.better[o] == "neither") {
      CHECK(std::isnan(idle_row.p_better));
      CHECK(std::isnan(sanctions_row.p_best));
      continue;
    }
    CHECK(idle_row.p_tie == 1.0);
    CHECK(idle_row.p_better == 0.0);
    CHECK(idle_row.p_worse == 0.0);
    CHECK(std::isnan(base_row.p_better));
    CHECK(base_row.p_best == 0.0);
    CHECK(idle_row.p_best == 0.0);
    CHECK(idle_row.p_best_tied == base_row.p_best_tied);
    CHECK(sanctions_row.p_best + base_row.p_best_tied == 1.0);
    CHECK(sanctions_row.p_better + sanctions_row.p_tie + sanctions_row.p_worse == Approx(1.0));
  }
  // Levels' intervals stay in the outcomes' supports: no count below zero, no share above one.
  const auto& specs = model::outcome_specs();
  for (std::size_t o = 0; o < t.outcomes.size(); ++o)
    for (const std::string& option : t.options) {
      const ensemble::TableRow& r = row(t, option, t.outcomes[o]);
      INFO(option << " / " << t.outcomes[o] << ": [" << r.level.low << ", " << r.level.high << "]");
      CHECK(r.level.low >= specs[o].lowest);
      CHECK(r.level.high <= specs[o].highest);
      CHECK(r.level.low <= r.level.mean);
      CHECK(r.level.mean <= r.level.high);
    }
  // Dominated by construction: the sanctions option costs more in every replicate.
  CHECK(t.better[static_cast<std::size_t>(std::find(t.outcomes.begin(), t.outcomes.end(), "mission_cost") - t.outcomes.begin())] == "lower");
  CHECK(row(t, "sanctions", "mission_cost").p_worse == 1.0);
  CHECK(row(t, "sanctions", "mission_cost").p_best == 0.0);
  CHECK(row(t, "baseline", "mission_cost").p_best_tied == 1.0);
  // Four replicates are too few to rank options, and the table says so.
  CHECK(ensemble::format_text(t).find("WARNING: only 4 replicates") != std::string::npos);
  CHECK(ensemble::format_markdown(t).find("WARNING: only 4 replicates") != std::string::npos);
  CHECK(std::isnan(row(t, "idle", "fighters").per_million));  // no extra cost, no cost-effectiveness
  const ensemble::TableRow& fighters = row(t, "sanctions", "fighters");
  CHECK(fighters.per_million == Approx(fighters.difference.mean / (fighters.extra_cost / 1e6)));
}

TEST_CASE("a comparison is the same for any thread count, and its file holds every number of the table", "[compare]") {
  test::TempDir one, two;
  const auto plan1 = plan_for(one, {{"sanctions.yaml", sanctions}}, 3);
  const auto plan2 = plan_for(two, {{"sanctions.yaml", sanctions}}, 3);
  run(plan1, 1);
  run(plan2, 2);
  const io::Handle f1 = io::open_file_read(plan1.output);
  const io::Handle f2 = io::open_file_read(plan2.output);
  for (const char* path : {"outcomes/fatalities", "outcomes/illicit_revenue", "series/fighters", "seeds", "table/mean",
                           "table/difference_high"})
    CHECK(same_bits(io::read_double(f1.id(), path), io::read_double(f2.id(), path)));

  // The table recomputed by hand from the raw outcomes in the file, and as the file stores it.
  const std::vector<double> raw = io::read_double(f1.id(), "outcomes/revenue_armed_groups");  // [option, replicate]
  const ensemble::Table t = ensemble::read_table(plan1.output);
  const ensemble::TableRow& r = row(t, "sanctions", "revenue_armed_groups");
  CHECK(r.level.mean == (raw[3] + raw[4] + raw[5]) / 3.0);
  CHECK(r.difference.mean == ((raw[3] - raw[0]) + (raw[4] - raw[1]) + (raw[5] - raw[2])) / 3.0);
  const std::vector<double> stored_mean = io::read_double(f1.id(), "table/mean");  // [option, outcome]
  const std::vector<double> stored_low = io::read_double(f1.id(), "table/difference_low");
  const std::size_t o = static_cast<std::size_t>(
      std::find(t.outcomes.begin(), t.outcomes.end(), "revenue_armed_groups") - t.outcomes.begin());
  CHECK(stored_mean[1 * t.outcomes.size() + o] == r.level.mean);
  CHECK(stored_low[1 * t.outcomes.size() + o] == r.difference.low);
  // The series of the last step and the per-run outcome agree for a level (mean over the window).
  CHECK(io::get_string_attribute(f1.id(), "kind") == "comparison");
  CHECK(io::get_int_attribute(f1.id(), "complete") == 1);
  CHECK(!io::get_string_attribute(f1.id(), "scenario_yaml").empty());

  // CSV carries the numbers exactly.
  const std::string csv = ensemble::format_csv(t);
  char expected[64];
  std::snprintf(expected, sizeof expected, ",%.17g,", r.level.mean);
  CHECK(csv.find("sanctions,revenue_armed_groups,$,3" + std::string(expected)) != std::string::npos);
}

TEST_CASE("an interrupted comparison is marked incomplete and counts only whole replicates", "[compare]") {
  test::TempDir dir;
  const auto plan = plan_for(dir, {{"sanctions.yaml", sanctions}}, 6);
  int polls = 0;
  ensemble::Observer observer;
  std::int64_t runs_seen = 0;
  observer.progress = [&](std::int64_t done, std::int64_t total) {
    runs_seen = done;
    CHECK(total == 12);
  };
  observer.stop_requested = [&] { return runs_seen >= 3 && ++polls > 0; };
  const ensemble::Outcome out = run(plan, 1, observer);
  CHECK_FALSE(out.complete);
  CHECK(out.path == dir.file("comparison.incomplete.h5"));
  CHECK_FALSE(std::filesystem::exists(plan.output));
  const io::Handle f = io::open_file_read(out.path);
  CHECK(io::get_int_attribute(f.id(), "complete") == 0);
  const ensemble::Table t = ensemble::read_table(out.path);
  CHECK(t.replicates == out.replicates_done);
  CHECK(t.replicates >= 1);
  CHECK(t.replicates < 6);
}

TEST_CASE("options that cannot be compared together are refused with where and why", "[compare][errors]") {
  test::TempDir dir;
  auto plan = plan_for(dir, {{"a.yaml", sanctions}, {"b.yaml", "name: a\ndecision: 25\nlevers: [{lever: ddr, start: 25, intensity: 0.1}]\n"}}, 2);
  try {
    ensemble::check_plan(plan);
    FAIL("no error");
  } catch (const scenario::ScenarioError& e) {
    CHECK(std::string(e.what()) ==
          dir.file("b.yaml") + ":2:11: error: decision: is step 25, but " + dir.file("a.yaml") + " decides at step 20\n"
          "  hint: options compared together branch from one warm-up: give them the same decision date\n" +
          dir.file("b.yaml") + ": error: name: the option name 'a' is also used by " + dir.file("a.yaml") + "\n"
          "  hint: give each option its own 'name:' (or file name); 'baseline' is reserved\n");
  }
}

TEST_CASE("one run of a comparison is reproduced by running its option with its replicate's seed", "[compare]") {
  test::TempDir dir;
  const auto plan = plan_for(dir, {{"sanctions.yaml", sanctions}}, 2);
  run(plan, 2);
  const io::Handle f = io::open_file_read(plan.output);
  const std::vector<std::int64_t> seeds = io::read_int64(f.id(), "seeds");
  const std::vector<std::string> names = io::get_string_list_attribute(f.id(), "outcomes");
  // What `pocsim run SCENARIO --option sanctions.yaml --seed SEED --steps 40` runs: levers from the start.
  const scenario::Scenario s = scenario::load_option(test::source_path(sahel), dir.file("sanctions.yaml"),
                                                     {"run.steps=40", "run.seed=" + std::to_string(seeds[1])});
  model::Model m(s.params());
  model::OutcomeMeter meter;
  for (std::int64_t step = 1; step <= 40; ++step) {
    m.step();
    if (step >= 20) meter.observe(m);
  }
  const std::vector<double> summary = meter.summary();
  for (std::size_t i = 0; i < names.size(); ++i) {
    INFO(names[i]);
    CHECK(io::read_double(f.id(), "outcomes/" + names[i])[1 * 2 + 1] == summary[i]);  // [option 1, replicate 1]
  }
}

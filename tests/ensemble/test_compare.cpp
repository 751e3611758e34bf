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

namespace {
// The Sahel mandate with an uncertain block, written beside the options.
std::string unsure_scenario(const test::TempDir& dir) {
  return test::write_text(dir.file("unsure.yaml"),
                          "base: " + test::source_path(sahel) + "\nuncertain:\n"
                          "  - {key: citizens.moral_cost, distribution: uniform, min: 0.25, max: 1.0}\n"
                          "  - {key: armed_groups.civilian_targeting, distribution: triangular, min: 0.005, mode: 0.01, max: 0.02}\n");
}

ensemble::ComparisonPlan plan_with_draws(const test::TempDir& dir, const std::vector<std::pair<std::string, std::string>>& options,
                                         std::size_t draws, int replicates) {
  const std::string path = unsure_scenario(dir);
  const std::vector<std::string> overrides{"run.steps=40"};
  ensemble::ComparisonPlan plan;
  plan.baseline = scenario::load_scenario(path, overrides);
  std::vector<std::string> files;
  for (const auto& [name, text] : options) {
    files.push_back(test::write_text(dir.file(name), text));
    plan.options.push_back(scenario::load_option(path, files.back(), overrides));
  }
  ensemble::load_draws(plan, path, files, overrides, plan.baseline.uncertain,
                       ensemble::sample_draws(plan.baseline.uncertain, draws, plan.baseline.params().run.seed), true);
  plan.replicates = replicates;
  plan.output = dir.file("comparison.h5");
  plan.command_line = "test";
  return plan;
}

const char* const cvr = "decision: 20\nlevers: [{lever: cvr, start: 20, region: north, budget: 20000, intensity: 100}]\n";
}  // namespace

TEST_CASE("parameter draws: every option meets the same worlds, for any thread count, and statistics are per draw", "[compare]") {
  test::TempDir one, two;
  const auto plan1 = plan_with_draws(one, {{"idle.yaml", idle}, {"sanctions.yaml", sanctions}}, 5, 2);
  const auto plan2 = plan_with_draws(two, {{"idle.yaml", idle}, {"sanctions.yaml", sanctions}}, 5, 2);
  REQUIRE(plan1.draws.size() == 5);
  // Draws are fixed by the seed, and a shorter plan's draws begin a longer one's.
  const auto longer = ensemble::sample_draws(plan1.baseline.uncertain, 8, plan1.baseline.params().run.seed);
  for (std::size_t d = 0; d < 5; ++d) CHECK(plan1.draws[d].values == longer[d]);
  for (const auto& draw : plan1.draws) {
    CHECK(draw.values[0] >= 0.25);
    CHECK(draw.values[0] <= 1.0);
    CHECK(draw.baseline.params().population.citizens.moral_cost == draw.values[0]);
    CHECK(draw.options[1].params().population.citizens.moral_cost == draw.values[0]);  // the option meets the same world
  }
  REQUIRE(run(plan1, 1).complete);
  REQUIRE(run(plan2, 2).complete);
  const io::Handle f1 = io::open_file_read(plan1.output);
  const io::Handle f2 = io::open_file_read(plan2.output);
  for (const char* path : {"outcomes/fatalities", "draws/values", "table/p_best", "table/regret", "table/share_parameters"})
    CHECK(same_bits(io::read_double(f1.id(), path), io::read_double(f2.id(), path)));
  const ensemble::Table t = ensemble::read_table(plan1.output);
  CHECK(t.draws == 5);
  CHECK(t.worlds == 5);
  CHECK(t.replicates == 10);
  // A level is the mean over draws of each draw's mean over its replicates; probabilities count draws.
  const std::vector<double> raw = io::read_double(f1.id(), "outcomes/revenue_armed_groups");  // [option, column]
  double sum = 0, better = 0;
  for (std::size_t d = 0; d < 5; ++d) {
    const double base = (raw[2 * d] + raw[2 * d + 1]) / 2, option = (raw[20 + 2 * d] + raw[20 + 2 * d + 1]) / 2;
    sum += option;
    better += option < base;
  }
  CHECK(row(t, "sanctions", "revenue_armed_groups").level.mean == Approx(sum / 5).epsilon(1e-12));
  CHECK(row(t, "sanctions", "revenue_armed_groups").p_better == better / 5);
  for (const std::string& outcome : t.outcomes) {
    INFO(outcome);
    CHECK(row(t, "idle", outcome).difference.mean == 0.0);
    const double share = row(t, "baseline", outcome).share_parameters;
    CHECK((std::isnan(share) || (share >= 0 && share <= 1)));
  }
  // Civilian targeting is drawn, so the parameters account for some of the variation in civilian deaths.
  CHECK(row(t, "baseline", "civilian_fatalities").share_parameters > 0);
  CHECK(ensemble::format_text(t).find("5 parameter draws x 2 replicates") != std::string::npos);
}

TEST_CASE("an option dominated by construction loses with probability 1, and its regret is what it gives up", "[compare]") {
  test::TempDir dir;
  const auto plan = plan_for(dir, {{"cvr.yaml", cvr}}, 4);
  REQUIRE(run(plan, 2).complete);
  const ensemble::Table t = ensemble::read_table(plan.output);
  const ensemble::TableRow& base = row(t, "baseline", "mission_cost");
  const ensemble::TableRow& option = row(t, "cvr", "mission_cost");
  CHECK(base.p_best == 1.0);
  CHECK(base.regret == 0.0);
  CHECK(option.p_worse == 1.0);
  CHECK(option.regret == Approx(option.difference.mean));
  // Who beats whom: the baseline beats the option on cost in every replicate, never the other way.
  const auto cost = static_cast<std::size_t>(std::find(t.outcomes.begin(), t.outcomes.end(), "mission_cost") - t.outcomes.begin());
  CHECK(t.p_beats[cost][0][1] == 1.0);
  CHECK(t.p_beats[cost][1][0] == 0.0);
  CHECK(std::isnan(t.p_beats[cost][0][0]));
  // Cost-effectiveness: the interval holds the estimate.
  const ensemble::TableRow& groups = row(t, "cvr", "revenue_armed_groups");
  CHECK(groups.per_million_low <= groups.per_million);
  CHECK(groups.per_million <= groups.per_million_high);
}

TEST_CASE("the adaptive mode stops after its first batch on a clear case and runs on a close one", "[compare]") {
  auto adaptive = [](const std::string& outcome, const char* option_text) {
    test::TempDir dir;
    auto plan = plan_for(dir, {{"option.yaml", option_text}}, 1);
    plan.adaptive.on = true;
    plan.adaptive.max_worlds = 40;
    plan.adaptive.decide_on = outcome;
    const ensemble::Outcome out = run(plan, 2);
    REQUIRE(out.complete);
    const ensemble::Table t = ensemble::read_table(plan.output);
    INFO(t.stopped_because);
    return t.worlds;
  };
  // CVR costs more than nothing in every world: clear after the first 10.
  CHECK(adaptive("mission_cost", cvr) == ensemble::minimum_replicates);
  // Sanctions' effect on deaths over 20 weeks is small beside the dice: it runs to the budget.
  CHECK(adaptive("fatalities", sanctions) > ensemble::minimum_replicates);
}

TEST_CASE("regime events: the share of runs in which one happened, and its first step, from the file", "[compare]") {
  test::TempDir dir;
  const auto plan = plan_for(dir, {{"sanctions.yaml", sanctions}}, 4);
  REQUIRE(run(plan, 2).complete);
  const ensemble::Table t = ensemble::read_table(plan.output);
  const io::Handle f = io::open_file_read(plan.output);
  for (std::size_t o = 0; o < t.outcomes.size(); ++o) {
    const bool event = model::outcome_specs()[o].event;
    CHECK(static_cast<bool>(t.event[o]) == event);
    if (!event) {
      CHECK(std::isnan(row(t, "baseline", t.outcomes[o]).p_happened));
      continue;
    }
    const std::vector<double> values = io::read_double(f.id(), "outcomes/" + t.outcomes[o]);
    const std::vector<double> series = io::read_double(f.id(), "series/" + t.outcomes[o]);  // [option, replicate, step]
    for (std::size_t k = 0; k < 2; ++k) {
      double happened = 0, first = 0;
      for (std::size_t r = 0; r < 4; ++r) {
        if (values[k * 4 + r] <= 0) continue;
        ++happened;
        for (std::size_t s = 20; s <= 40; ++s)
          if (series[(k * 4 + r) * 41 + s] > 0) {
            first += static_cast<double>(s);
            break;
          }
      }
      const ensemble::TableRow& r = row(t, t.options[k], t.outcomes[o]);
      INFO(t.outcomes[o] << " / " << t.options[k]);
      CHECK(r.p_happened == happened / 4);
      if (happened > 0) CHECK(r.first_step == first / happened);
    }
  }
}

TEST_CASE("an uncertain block's mistakes name the line, the key, why and the fix", "[compare][errors]") {
  test::TempDir dir;
  auto errors_of = [&](const std::string& block) -> std::string {
    const std::string path = test::write_text(dir.file("u.yaml"), "base: " + test::source_path(sahel) + "\nuncertain:\n" + block);
    try {
      const scenario::Scenario s = scenario::load_scenario(path, {"run.steps=40"});
      ensemble::ComparisonPlan plan;
      ensemble::load_draws(plan, path, {}, {"run.steps=40"}, s.uncertain, ensemble::sample_draws(s.uncertain, 2, 1), true);
    } catch (const scenario::ScenarioError& e) {
      return e.what();
    }
    return "no error";
  };
  const std::string f = dir.file("u.yaml");
  CHECK(errors_of("  - {key: citizens.moral_cost, distribution: unifrom, min: 0, max: 1}\n") ==
        f + ":3:46: error: uncertain[0].distribution: unknown distribution 'unifrom'\n"
        "  hint: did you mean 'uniform'? one of: uniform, triangular, normal, lognormal\n");
  CHECK(errors_of("  - {key: citizens.moral_cost, distribution: normal, mean: 0.5}\n") ==
        f + ":3:5: error: uncertain[0].sd: a normal distribution needs 'sd'\n"
        "  hint: e.g. {key: K, distribution: normal, mean: 0.4, sd: 0.05, min: 0, max: 1}\n");
  CHECK(errors_of("  - {key: citizens.moral_cost, distribution: uniform, min: 0.8, max: 0.2}\n") ==
        f + ":3:70: error: uncertain[0].max: max 0.2 is not above min 0.8\n  hint: give min < max\n");
  CHECK(errors_of("  - {key: citizens.moral_cost, distribution: uniform, min: -1, max: 0.5}\n") ==
        f + ":3:11: error: uncertain: at citizens.moral_cost = -0.9985, the lowest value it draws (0.1 % from the end): value "
            "-0.9985 is out of range\n  hint: use a number from 0 to 10; the default is 0.5\n");
}

TEST_CASE("a posterior table's and the criteria's mistakes say where, why and the fix", "[compare][errors]") {
  test::TempDir dir;
  const std::string path = test::write_text(dir.file("p.csv"), "citizens.moral_cost,armed_groups.civilian_targeting\n0.5,0.01\n0.6,x\n0.7\n");
  try {
    ensemble::read_posterior(path);
    FAIL("no error");
  } catch (const scenario::ScenarioError& e) {
    CHECK(std::string(e.what()) == path + ":3: error: armed_groups.civilian_targeting: 'x' is not a number\n  hint: write plain decimal numbers\n" +
                                       path + ":4: error: has 1 values for 2 columns\n  hint: give one value per key named in the header\n");
  }
  auto plan = plan_for(dir, {{"cvr.yaml", cvr}}, 2);
  plan.criteria = ensemble::parse_criteria("deaths=1,jailed=2", "fatalities");
  try {
    ensemble::check_plan(plan);
    FAIL("no error");
  } catch (const scenario::ScenarioError& e) {
    const std::string what = e.what();
    CHECK(what.find("--criteria: error: unknown outcome 'deaths'\n") != std::string::npos);
    CHECK(what.find("--criteria: error: 'jailed' has no direction (more of it is not plainly better or worse)\n") != std::string::npos);
    CHECK(what.find("--pareto: error: names one outcome; a Pareto set weighs two or more\n") != std::string::npos);
  }
  CHECK_THROWS_AS(ensemble::parse_criteria("fatalities", ""), scenario::ScenarioError);
}

// Sweep files: read as planned, and every mistake reported with the file's line, the key, why and the fix.
#include <catch2/catch.hpp>

#include <filesystem>

#include "ensemble/sweep.hpp"
#include "support/support.hpp"

using namespace pocsim;

namespace {
std::string sweep_errors(const test::TempDir& dir, const std::string& body) {
  std::string text = "scenario: ";  // appended: GCC 12 warns falsely (-Wrestrict) on this + chain
  text += test::source_path("scenarios/library/mali/base.yaml");
  text += "\n";
  text += body;
  const std::string path = test::write_text(dir.file("s.yaml"), text);
  try {
    ensemble::load_sweep(path);
  } catch (const scenario::ScenarioError& e) {
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST_CASE("a sweep file is read into its plan", "[sweep]") {
  test::TempDir dir;
  const std::string path = test::write_text(dir.file("s.yaml"),
                                            "scenario: " + test::source_path("scenarios/library/mali/base.yaml") + "\n"
                                            "seed: 9\nreplicates: 3\nseeds: per_replicate\n"
                                            "design: {type: morris, samples: 5}\n"
                                            "parameters:\n"
                                            "  - {key: citizens.legitimacy, min: 0.6, max: 0.9}\n"
                                            "  - {key: police.max_jail_term, min: 5, max: 30}\n"
                                            "  - {key: 'armed_groups.groups[0].wage', min: 50, max: 150}\n"
                                            "outcomes: [fighters, civilian_fatalities]\n"
                                            "from: 2028-01-01\n");
  const ensemble::SweepPlan plan = ensemble::load_sweep(path);
  CHECK(plan.design.kind == ensemble::DesignKind::morris);
  CHECK(plan.design.levels == 4);  // Morris' default
  CHECK(plan.design.seed == 9);
  CHECK(plan.replicates == 3);
  CHECK(plan.seed_per_replicate);
  REQUIRE(plan.factors.size() == 3);
  CHECK_FALSE(plan.factors[0].integer);
  CHECK(plan.factors[1].integer);
  CHECK_FALSE(plan.factors[2].integer);
  CHECK(plan.outcomes.size() == 2);
  CHECK(plan.from == 52);
  CHECK(plan.steps == 261);
  CHECK(ensemble::make_design(plan.design, plan.factors).points() == 5 * 4);
}

TEST_CASE("mistakes in a sweep file name the line, the key, why and the fix", "[sweep][errors]") {
  test::TempDir dir;
  const std::string f = dir.file("s.yaml");
  CHECK(sweep_errors(dir, "design: {type: latin_hypercube}\nparameters: [{key: citizens.legitimacy, min: 0.5, max: 2}]\nreplicate: 2\n") ==
        f + ":2:9: error: design.samples: a latin_hypercube design needs 'samples'\n"
        "  hint: the number of points, e.g. samples: 200\n" +
        f + ":3:20: error: parameters[0]: at citizens.legitimacy = 2: value 2 is out of range\n"
        "  hint: use a number from 0 to 1; the default is 0.82\n" +
        f + ":4:1: error: replicate: unknown key in a sweep file\n"
        "  hint: did you mean 'replicates'? a sweep file has the keys description, scenario, option, seed, replicates, seeds, "
        "design, parameters, outcomes, from, series\n");
  CHECK(sweep_errors(dir, "design: {type: sobol, samples: 8}\nparameters: [{key: police.paid_share, levels: [0.2, 0.5]}]\n"
                          "outcomes: [deaths]\n") ==
        f + ":3:14: error: parameters[0]: a sobol design samples ranges, not levels\n  hint: give min and max\n" +
        f + ":4:12: error: outcomes: unknown outcome 'deaths'\n"
        "  hint: outcomes: violent_events, fatalities, civilian_fatalities, illicit_revenue, revenue_armed_groups, revenue_police, "
        "revenue_elites, revenue_traffickers, fighters, bribery_rate, capture_index, mission_incidents, mission_cost, active, "
        "jailed, fatality_rate, civilian_fatality_rate, one_sided_share, household_bribery_rate, consent_withdrawn, "
        "leaders_removed, splits, peace_joined, peace_left, capture_crossed\n");
  CHECK(sweep_errors(dir, "design: {type: latin_hypercube, samples: 4}\nparameters: [{key: run.steps, min: 10, max: 20}]\n") ==
        f + ":3:20: error: parameters[0].key: 'run.steps' cannot be swept: the sweep sets every run's seed, and runs must share "
        "their length and calendar\n  hint: vary model parameters; give run.steps with --set for the whole sweep\n");
  CHECK(sweep_errors(dir, "design: {type: lhs, samples: 4}\nparameters: [{key: citizens.legitimacyy, min: 0.5, max: 0.6}]\n") ==
        f + ":2:16: error: design.type: unknown design\n"
        "  hint: use one of: full_factorial, one_at_a_time, latin_hypercube, morris, sobol\n" +
        f + ":3:20: error: parameters[0]: at citizens.legitimacyy = 0.5: unknown key\n"
        "  hint: did you mean 'citizens.legitimacy'?\n");
}

TEST_CASE("every shipped sweep file is valid", "[sweep]") {
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(test::source_path("scenarios/sweeps"))) {
    if (e.path().extension() != ".yaml") continue;
    INFO(e.path());
    CHECK_NOTHROW(ensemble::load_sweep(e.path().string()));
    ++n;
  }
  CHECK(n >= 3);
}

// Epstein's rules in isolation, and limit cases of the whole model.
#include <catch2/catch.hpp>

#include <cmath>

#include "model/population/rebellion.hpp"
#include "support/support.hpp"

using namespace pocsim;
using model::ArrestRatioRule;

TEST_CASE("the C/A rounding rules", "[rules]") {
  const double k = 2.3;
  // One cop, two actives: the ratio 0.5.
  CHECK(model::arrest_probability(1, 2, k, ArrestRatioRule::floor) == 0.0);
  CHECK(model::arrest_probability(1, 2, k, ArrestRatioRule::round) == 0.0);  // half to even: 0
  CHECK(model::arrest_probability(3, 2, k, ArrestRatioRule::round) == Approx(1 - std::exp(-2 * k)));  // 1.5 -> 2
  CHECK(model::arrest_probability(5, 2, k, ArrestRatioRule::round) == Approx(1 - std::exp(-2 * k)));  // 2.5 -> 2
  CHECK(model::arrest_probability(1, 2, k, ArrestRatioRule::none) == Approx(1 - std::exp(-0.5 * k)));
  CHECK(model::arrest_probability(1, 1, 2.3, ArrestRatioRule::none) == Approx(0.8997).margin(1e-4));  // Epstein: k = 2.3 gives 0.9
  CHECK(model::arrest_probability(0, 1, k, ArrestRatioRule::none) == 0.0);
}

TEST_CASE("the arrest-odds table gives arrest_probability's bits for every view", "[rules]") {
  for (const ArrestRatioRule rule : {ArrestRatioRule::floor, ArrestRatioRule::round, ArrestRatioRule::none})
    for (const double k : {2.3, 0.7}) {
      const model::ArrestOdds odds(k, rule, 149);
      for (std::uint32_t cops = 0; cops <= 160; ++cops)  // past the table too
        for (std::uint32_t actives = 1; actives <= 149; ++actives)
          REQUIRE(odds(cops, actives) == model::arrest_probability(cops, actives, k, rule));
    }
}

TEST_CASE("the activation rule G - R P > T", "[rules]") {
  CHECK(model::grievance(0.5, 0.8) == Approx(0.1));
  CHECK(model::turns_active(0.9, 0.0, 0.5, 1.0, 0.1));        // G = 0.45, no risk aversion
  CHECK_FALSE(model::turns_active(0.9, 1.0, 0.5, 0.9, 0.1));  // 0.45 - 0.9 < 0.1
  CHECK_FALSE(model::turns_active(1.0, 0.0, 1.0, 0.0, 0.1));  // full legitimacy: no grievance
}

TEST_CASE("limit: full legitimacy means nobody ever turns active", "[limits]") {
  for (const char* activation : {"sequential", "synchronous"}) {
    auto p = test::scenario_params("scenarios/epstein/run2.yaml",
                                   {"citizens.legitimacy=1", "run.steps=100", std::string("rules.activation=") + activation});
    for (const auto& r : test::run_records(p)) REQUIRE(r.active == 0);
  }
}

TEST_CASE("limit: without cops, exactly the citizens with G > T turn active and none is jailed", "[limits]") {
  for (const char* activation : {"sequential", "synchronous"}) {
    auto p = test::scenario_params("scenarios/epstein/run2.yaml",
                                   {"police.density=0", "run.steps=3", std::string("rules.activation=") + activation});
    model::Model m(p);
    std::int64_t expected = 0;
    for (std::size_t c = 0; c < m.citizens().size(); ++c)
      expected += model::grievance(m.citizens().hardship[c], 0.82) > 0.1;
    for (int s = 0; s < 3; ++s) m.step();
    const auto r = model::measure(m);
    CHECK(r.active == expected);
    CHECK(r.jailed == 0);
    CHECK(r.cops_on_duty == 0);
  }
}

TEST_CASE("limit: without movement, agents stay on their cells", "[limits]") {
  auto p = test::scenario_params("scenarios/epstein/run2.yaml", {"rules.movement=false", "police.density=0", "run.steps=5"});
  model::Model m(p);
  const auto before = m.citizens().cell;
  for (int s = 0; s < 5; ++s) m.step();
  CHECK(m.citizens().cell == before);
}

TEST_CASE("exact placement puts exactly round(density x cells) agents, one per cell", "[limits]") {
  auto p = test::scenario_params("scenarios/epstein/run2.yaml");
  model::Model m(p);
  CHECK(m.citizens().size() == 1120);
  CHECK(m.cops().size() == 64);
  CHECK(test::state_problem(m).empty());
  auto q = test::scenario_params("scenarios/epstein/run2.yaml", {"rules.placement=probabilistic"});
  model::Model mq(q);
  CHECK(mq.citizens().size() == Approx(1120).margin(80));  // binomial sd ~ 18
  CHECK(test::state_problem(mq).empty());
}

TEST_CASE("jail terms lie in {0, ..., J_max} and hold_cell keeps the jailed on the grid", "[limits]") {
  auto p = test::scenario_params("scenarios/epstein/run2.yaml", {"rules.jail=hold_cell", "police.max_jail_term=4",
                                                                 "citizens.legitimacy=0.5", "run.steps=30"});
  model::Model m(p);
  bool saw_jailed_cell = false;
  for (int s = 0; s < 30; ++s) {
    m.step();
    for (std::size_t c = 0; c < m.citizens().size(); ++c) {
      REQUIRE(m.citizens().jail_left[c] >= 0);
      REQUIRE(m.citizens().jail_left[c] <= 4);
    }
    for (auto code : m.cells().code) saw_jailed_cell |= code == model::CellCode::jailed;
    REQUIRE(test::state_problem(m).empty());
  }
  CHECK(saw_jailed_cell);
}

TEST_CASE("the cop-density schedule deploys and withdraws police", "[limits]") {
  auto p = test::scenario_params(
      "scenarios/epstein/run2.yaml",
      {"police.density={initial: 0.04, changes: [{at: 3, to: 0.01}, {at: 6, to: 0.08}, {at: 9, to: 0.02, over: 4}]}",
       "run.steps=14"});
  model::Model m(p);
  const std::vector<std::size_t> expected{64, 64, 64, 16, 16, 16, 128, 128, 128, 104, 80, 56, 32, 32};
  for (std::size_t s = 1; s < expected.size(); ++s) {
    m.step();
    INFO("step " << s);
    CHECK(m.cops_on_duty() == expected[s]);
    REQUIRE(test::state_problem(m).empty());
  }
}

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "scenario/loader.hpp"
#include "scenario/schema.hpp"
#include "support/support.hpp"

using namespace pocsim;

TEST_CASE("every shipped scenario validates", "[scenario]") {
  int n = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(test::source_path("scenarios"))) {
    if (e.path().extension() != ".yaml") continue;
    INFO(e.path());
    if (e.path().parent_path().filename() == "sweeps") continue;  // sweep files: tests/ensemble/test_sweep.cpp
    if (e.path().parent_path().filename() == "options") {  // mandate options: checked against their scenario
      CHECK_NOTHROW(scenario::load_option((e.path().parent_path().parent_path() / "base.yaml").string(), e.path().string()));
      continue;
    }
    CHECK_NOTHROW(scenario::load_scenario(e.path().string()));
    ++n;
  }
  CHECK(n >= 5);
}

TEST_CASE("keys left out take the table's defaults", "[scenario]") {
  const auto s = scenario::parse_scenario("run:\n  steps: 12\n", "s.yaml");
  const model::Params& p = s.params();
  CHECK(p.run.steps == 12);
  CHECK(p.run.seed == 1);
  CHECK(p.grid.width == 40);
  CHECK(p.grid.topology == core::Topology::torus);
  CHECK(p.population.citizens.legitimacy.initial() == 0.82);
  CHECK(p.population.police.density.initial() == 0.04);
  CHECK(p.population.police.arrest_constant == 2.3);
  CHECK(p.population.rules.arrest_ratio == model::ArrestRatioRule::floor);
  CHECK(p.population.rules.vision_shape == core::NeighbourhoodShape::euclidean);
  CHECK(p.population.rules.activation == model::Activation::sequential);
  CHECK(p.population.rules.movement);
}

TEST_CASE("every value of a scenario reaches the parameters", "[scenario]") {
  const auto s = scenario::load_scenario(test::source_path("scenarios/epstein/run4_jump.yaml"));
  const model::Params& p = s.params();
  CHECK(p.run.steps == 300);
  CHECK(p.population.citizens.legitimacy.value_at(76) == 0.9);
  CHECK(p.population.citizens.legitimacy.value_at(77) == 0.7);
  CHECK(s.text.find("legitimacy") != std::string::npos);
  CHECK(s.params().description.find("jump") != std::string::npos);
}

TEST_CASE("overrides replace file values and go through the same validation", "[scenario]") {
  const auto s = scenario::load_scenario(test::source_path("scenarios/epstein/run2.yaml"),
                                         {"citizens.legitimacy=0.7", "rules.activation=synchronous",
                                          "police.density={initial: 0.04, changes: [{at: 5, to: 0.02, over: 10}]}"});
  CHECK(s.params().population.citizens.legitimacy.initial() == 0.7);
  CHECK(s.params().population.rules.activation == model::Activation::synchronous);
  CHECK(s.params().population.police.density.value_at(14) == Approx(0.02));
  CHECK(s.resolved_yaml.find("legitimacy: 0.7") != std::string::npos);
  CHECK(s.resolved_yaml.find("activation: synchronous") != std::string::npos);
  CHECK_THROWS_AS(scenario::load_scenario(test::source_path("scenarios/epstein/run2.yaml"), {"citizens.legitimacy=2"}),
                  scenario::ScenarioError);
}

TEST_CASE("the resolved parameters are themselves a valid scenario giving the same run", "[scenario]") {
  const auto s = scenario::load_scenario(test::source_path("scenarios/epstein/run3_gradual.yaml"));
  const auto again = scenario::parse_scenario(s.resolved_yaml, "resolved.yaml");
  CHECK(again.resolved_yaml == s.resolved_yaml);
  CHECK(again.params().population.citizens.legitimacy.value_at(86) == s.params().population.citizens.legitimacy.value_at(86));
}

namespace {
std::string committed(const std::string& path) {
  std::ifstream in(test::source_path(path));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}
}  // namespace

TEST_CASE("docs/parameters.md and docs/scenario.schema.json are generated from the parameter table and current", "[scenario][docs]") {
  INFO("stale: run scripts/update-docs.sh and commit the result");
  CHECK(committed("docs/parameters.md") == scenario::schema_markdown());
  CHECK(committed("docs/scenario.schema.json") == scenario::schema_json());
}

TEST_CASE("every parameter is documented with meaning and source", "[scenario][docs]") {
  for (const auto& spec : scenario::parameter_table()) {
    INFO(spec.path);
    CHECK_FALSE(spec.meaning.empty());
    CHECK_FALSE(spec.source.empty());
    CHECK(spec.set);
    CHECK(spec.get);
  }
}

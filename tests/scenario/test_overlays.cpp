// Overlays (`base:`) change only what they name; options add levers from a decision date. Both keep
// every error pointing at the file and line it came from.
#include <catch2/catch.hpp>

#include "scenario/loader.hpp"
#include "support/support.hpp"

using namespace pocsim;

namespace {
const char* const base_yaml =
    "description: base\n"
    "run: {steps: 2 years, step_length: week, start_date: 2027-01-01, seed: 4}\n"
    "grid: {width: 30, height: 20}\n"
    "citizens: {density: 0.5, legitimacy: 0.8}\n"
    "geography:\n"
    "  regions:\n"
    "    - {name: north, rect: [0, 0, 29, 9]}\n"
    "    - {name: south, rect: [0, 10, 29, 19]}\n"
    "mission:\n"
    "  bases:\n"
    "    - {name: camp, at: [10, 5], troops: 100, radius: 3}\n"
    "levers:\n"
    "  - {lever: cvr, start: 2027-06-01, region: south, budget: 1000, intensity: 50}\n";

std::string errors_loading(const std::string& path) {
  try {
    scenario::load_scenario(path);
  } catch (const scenario::ScenarioError& e) {
    return e.what();
  }
  return "(no error)";
}

std::string errors_loading_option(const std::string& scenario, const std::string& option) {
  try {
    scenario::load_option(scenario, option);
  } catch (const scenario::ScenarioError& e) {
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST_CASE("an overlay changes only the keys it gives, and replaces lists whole", "[overlays]") {
  test::TempDir dir;
  test::write_text(dir.file("base.yaml"), base_yaml);
  std::filesystem::create_directory(dir.path() / "variants");
  const std::string overlay = test::write_text(dir.file("variants/richer.yaml"),
                                               "base: ../base.yaml\n"
                                               "description: a richer north\n"
                                               "citizens: {legitimacy: 0.6}\n"
                                               "levers: []\n");
  const scenario::Scenario b = scenario::load_scenario(dir.file("base.yaml"));
  const scenario::Scenario o = scenario::load_scenario(overlay);
  CHECK(o.params().population.citizens.legitimacy.initial() == 0.6);
  CHECK(o.params().population.citizens.density == b.params().population.citizens.density);
  CHECK(o.params().run.steps == 104);
  CHECK(o.params().run.seed == 4);
  CHECK(o.params().mission.bases.size() == 1);
  CHECK(b.params().mission.levers.size() == 1);
  CHECK(o.params().mission.levers.empty());
  CHECK(o.params().description == "a richer north");
  REQUIRE(o.bases.size() == 1);
  CHECK(o.bases[0].second == base_yaml);
  CHECK(o.text.rfind("base: ../base.yaml", 0) == 0);

  // An overlay of an overlay: the calendar of the deepest base still reads the top's durations.
  const std::string twice = test::write_text(dir.file("variants/short.yaml"), "base: richer.yaml\nrun: {steps: 6 months}\n");
  const scenario::Scenario t = scenario::load_scenario(twice);
  CHECK(t.params().run.steps == 26);
  CHECK(t.params().population.citizens.legitimacy.initial() == 0.6);
  CHECK(t.bases.size() == 2);
}

TEST_CASE("errors in an overlay and in its base name their own file and line", "[overlays][errors]") {
  test::TempDir dir;
  test::write_text(dir.file("base.yaml"), std::string(base_yaml) + "police: {vison: 3}\n");
  const std::string overlay = test::write_text(dir.file("o.yaml"), "base: base.yaml\ncitizens: {legitimacy: 2}\n");
  CHECK(errors_loading(overlay) ==
        dir.file("base.yaml") + ":14:10: error: police.vison: unknown key\n"
        "  hint: did you mean 'vision'? valid keys in 'police': density, vision, max_jail_term, arrest_constant, posts, "
        "salary, paid_share, shortfall_memory, detection, bribe, oversight, extortion, interdiction\n" +
        overlay + ":2:24: error: citizens.legitimacy: value 2 is out of range\n"
        "  hint: use a number from 0 to 1; the default is 0.82\n");

  const std::string missing = test::write_text(dir.file("m.yaml"), "description: x\nbase: nowhere.yaml\n");
  CHECK(errors_loading(missing) ==
        missing + ":2:7: error: base: the base scenario '" + dir.file("nowhere.yaml") +
            "' cannot read the scenario file: no such file\n"
            "  hint: check the path; the shipped scenarios are under scenarios/, e.g. scenarios/epstein/run2.yaml\n");

  test::write_text(dir.file("a.yaml"), "base: b.yaml\n");
  test::write_text(dir.file("b.yaml"), "base: a.yaml\n");
  CHECK(errors_loading(dir.file("a.yaml")) ==
        dir.file("b.yaml") + ":1:7: error: base: 'a.yaml' is already in this chain of bases: it would never end\n"
        "  hint: point 'base' at a scenario that does not name this file as its own base\n");

  const std::string listed = test::write_text(dir.file("l.yaml"), "base: [base.yaml]\n");
  CHECK(errors_loading(listed) ==
        listed + ":1:7: error: base: expected the path of the scenario this one changes, got a list\n"
        "  hint: write 'base: FILE.yaml', relative to this file\n");
}

TEST_CASE("an option adds its levers after the scenario's, from its decision date", "[overlays][options]") {
  test::TempDir dir;
  const std::string scenario = test::write_text(dir.file("base.yaml"), base_yaml);
  const std::string option = test::write_text(dir.file("sanctions_north.yaml"),
                                              "description: list the northern group\n"
                                              "decision: 2028-01-01\n"
                                              "levers:\n"
                                              "  - {lever: sanctions, start: 2028-01-01, region: north, intensity: 1}\n"
                                              "  - {lever: ddr, start: 2028-03-01, end: 2028-12-31, region: north, budget: 500, intensity: 0.1}\n");
  const scenario::Scenario s = scenario::load_option(scenario, option);
  REQUIRE(s.option);
  CHECK(s.option->name == "sanctions_north");
  CHECK(s.option->description == "list the northern group");
  CHECK(s.option->decision == 52);
  CHECK(s.option->first_lever == 1);
  const auto added = s.option->levers_of(s.params());
  REQUIRE(added.size() == 2);
  CHECK(added[0].kind == model::LeverKind::sanctions);
  CHECK(added[0].region_index == 0);
  CHECK(added[0].start == 52);
  CHECK(added[1].end == 104);
  CHECK(s.params().mission.levers[0].kind == model::LeverKind::cvr);
  // Everything else is the scenario's.
  const scenario::Scenario plain = scenario::load_scenario(scenario);
  CHECK(s.params().mission.bases.size() == plain.params().mission.bases.size());
  CHECK(s.params().run.seed == plain.params().run.seed);
}

TEST_CASE("mistakes in an option file name the option's line", "[overlays][options][errors]") {
  test::TempDir dir;
  const std::string scenario = test::write_text(dir.file("base.yaml"), base_yaml);
  const std::string early = test::write_text(dir.file("early.yaml"),
                                             "decision: 2028-01-01\n"
                                             "levers:\n"
                                             "  - {lever: cvr, start: 2027-12-01, region: west, intensity: 1}\n");
  CHECK(errors_loading_option(scenario, early) ==
        early + ":3:25: error: levers[0].start: starts at step 48, before the option's decision at step 52\n"
        "  hint: start it on or after the decision date: every option shares the baseline's run until then\n" +
        early + ":3:45: error: levers[0].region: no region is named 'west'\n"
        "  hint: defined: north, south\n");
  const std::string bad_keys = test::write_text(dir.file("keys.yaml"), "decison: 10\nlevers: []\n");
  CHECK(errors_loading_option(scenario, bad_keys) ==
        bad_keys + ":1:1: error: decison: unknown key in an option file\n"
        "  hint: did you mean 'decision'? an option file has the keys name, description, decision, levers\n" +
        bad_keys + ":2:9: error: levers: an option needs at least one lever\n"
        "  hint: list the levers the option adds\n" +
        bad_keys + ": error: decision: missing key 'decision'\n"
        "  hint: add 'decision: DATE' (or a step or duration): the options branch from the baseline there\n");
  const std::string named = test::write_text(dir.file("named.yaml"), "name: a/b\ndecision: 60\nlevers: [{lever: cvr, start: 60, intensity: 1}]\n");
  CHECK(errors_loading_option(scenario, named) ==
        named + ":1:7: error: name: 'a/b' cannot name an option\n"
        "  hint: use letters, digits, '_', '-' and '.', e.g. name: sanctions_north\n");
  const std::string no_mission = test::write_text(dir.file("no_mission.yaml"), "run: {steps: 20}\n");
  const std::string option_there = test::write_text(dir.file("cvr.yaml"), "decision: 10\nlevers: [{lever: cvr, start: 10, intensity: 1}]\n");
  CHECK(errors_loading_option(no_mission, option_there) ==
        option_there + ":2:18: error: levers: the scenario has no mission (no base, lever or contracts) for the option's levers to belong to\n"
        "  hint: give the scenario a mission: a base under mission.bases, or mission.contracts\n");
  const std::string late = test::write_text(dir.file("late.yaml"), "decision: 2030-01-01\nlevers: [{lever: cvr, start: 2030-01-01, intensity: 1}]\n");
  CHECK(errors_loading_option(scenario, late) ==
        late + ":1:11: error: decision: is step 157, after the run's last step 104\n"
        "  hint: choose a decision date within the run\n");
}

// Bad input: each kind gets an exact message naming where, which key, the value, why, and the fix.
#include <catch2/catch.hpp>

#include <filesystem>

#include "scenario/loader.hpp"
#include "support/support.hpp"

using namespace pocsim;

namespace {
std::string errors_of(const std::string& text, const std::vector<std::string>& overrides = {}) {
  return test::scenario_errors(text, overrides);
}
std::string file_errors_of(const std::string& path) {
  try {
    scenario::load_scenario(path);
  } catch (const scenario::ScenarioError& e) {
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST_CASE("a misspelt key names its line and the nearest valid key", "[errors]") {
  CHECK(errors_of("citizens:\n  density: 0.7\n  legitimacyy: 0.8\n") ==
        "s.yaml:3:3: error: citizens.legitimacyy: unknown key\n"
        "  hint: did you mean 'legitimacy'? valid keys in 'citizens': density, vision, threshold, legitimacy, "
        "licit_income, tolerance, moral_cost, income_relief, extortion_hardship, extortion_legitimacy, extortion_memory\n");
}

TEST_CASE("a key in the wrong section points to where it belongs", "[errors]") {
  CHECK(errors_of("vision: 7\n") ==
        "s.yaml:1:1: error: vision: unknown key\n"
        "  hint: did you mean 'citizens.vision'? valid keys at the top level: description, run, grid, geography, "
        "citizens, police, rules, justice, armed_groups, state_forces, economy, state, mission, levers\n");
}

TEST_CASE("text where a number belongs", "[errors]") {
  CHECK(errors_of("citizens:\n  threshold: high\n") ==
        "s.yaml:2:14: error: citizens.threshold: expected a number, got 'high'\n"
        "  hint: use a number from 0 to 1; the default is 0.1\n");
}

TEST_CASE("a quoted number is text", "[errors]") {
  CHECK(errors_of("citizens:\n  threshold: \"0.1\"\n") ==
        "s.yaml:2:14: error: citizens.threshold: expected a number, got the quoted text '0.1'\n"
        "  hint: use a number from 0 to 1; the default is 0.1\n");
}

TEST_CASE("a fraction where a whole number belongs", "[errors]") {
  CHECK(errors_of("police:\n  vision: 2.5\n") ==
        "s.yaml:2:11: error: police.vision: expected a whole number, got '2.5'\n"
        "  hint: use a whole number from 0 to 1000 (cell); the default is 7\n");
}

TEST_CASE("a value out of range names the range", "[errors]") {
  CHECK(errors_of("citizens:\n  legitimacy: 1.5\n") ==
        "s.yaml:2:15: error: citizens.legitimacy: value 1.5 is out of range\n"
        "  hint: use a number from 0 to 1; the default is 0.82\n");
}

TEST_CASE("NaN and infinity are refused", "[errors]") {
  CHECK(errors_of("citizens:\n  threshold: nan\n") ==
        "s.yaml:2:14: error: citizens.threshold: 'nan' is not a finite number\n"
        "  hint: use a number from 0 to 1; the default is 0.1\n");
  CHECK(errors_of("citizens:\n  threshold: .inf\n") ==
        "s.yaml:2:14: error: citizens.threshold: expected a number, got '.inf'\n"
        "  hint: use a number from 0 to 1; the default is 0.1\n");
}

TEST_CASE("an unknown choice suggests the nearest", "[errors]") {
  CHECK(errors_of("rules:\n  arrest_ratio: flor\n") ==
        "s.yaml:2:17: error: rules.arrest_ratio: 'flor' is not a valid choice\n"
        "  hint: did you mean 'floor'? Use one of floor, round, none\n");
}

TEST_CASE("a boolean must be true or false", "[errors]") {
  CHECK(errors_of("rules:\n  movement: maybe\n") ==
        "s.yaml:2:13: error: rules.movement: expected true or false, got 'maybe'\n"
        "  hint: use true or false; the default is true\n");
}

TEST_CASE("a key without a value", "[errors]") {
  CHECK(errors_of("citizens:\n  legitimacy:\n") ==
        "s.yaml:2:3: error: citizens.legitimacy: no value given\n"
        "  hint: use a number from 0 to 1; the default is 0.82\n");
}

TEST_CASE("a duplicate key", "[errors]") {
  CHECK(errors_of("run:\n  steps: 5\n  steps: 6\n") ==
        "s.yaml:3:3: error: run.steps: duplicate key\n"
        "  hint: give each key once; the later value would silently win\n");
}

TEST_CASE("a section written as a value", "[errors]") {
  CHECK(errors_of("police: 5\n") ==
        "s.yaml:1:9: error: police: expected a mapping of keys, got '5'\n"
        "  hint: write the keys of 'police' indented below it: density, vision, max_jail_term, arrest_constant, posts, "
        "salary, paid_share, shortfall_memory, detection, bribe, oversight, extortion, interdiction\n");
}

TEST_CASE("malformed YAML gives the parser's position", "[errors]") {
  CHECK(errors_of("grid:\n  width: [40\n") ==
        "s.yaml:3:1: error: malformed YAML: end of sequence flow not found\n"
        "  hint: check the indentation and that each entry is written 'key: value'\n");
}

TEST_CASE("a scenario that is not a mapping", "[errors]") {
  CHECK(errors_of("- 1\n- 2\n") ==
        "s.yaml:1:1: error: expected a mapping of keys at the top level, got a list\n"
        "  hint: a scenario is a YAML mapping; valid top-level keys: description, run, grid, geography, citizens, police, "
        "rules, justice, armed_groups, state_forces, economy, state, mission, levers\n");
}

TEST_CASE("an empty scenario", "[errors]") {
  CHECK(errors_of("# nothing but a comment\n") ==
        "s.yaml: error: the scenario is empty\n"
        "  hint: start from a shipped scenario, e.g. scenarios/epstein/run2.yaml, or see 'pocsim schema'\n");
}

TEST_CASE("text that is not UTF-8", "[errors]") {
  CHECK(errors_of("description: ok\ndescription2: \xff\xfe\n") ==
        "s.yaml:2: error: the file is not valid UTF-8 text\n"
        "  hint: save it as UTF-8 (byte 30 is not part of a UTF-8 character)\n");
}

TEST_CASE("missing files, directories and devices", "[errors]") {
  CHECK(file_errors_of("no/such/file.yaml") ==
        "no/such/file.yaml: error: cannot read the scenario file: no such file\n"
        "  hint: check the path; the shipped scenarios are under scenarios/, e.g. scenarios/epstein/run2.yaml\n");
  test::TempDir dir;
  CHECK(file_errors_of(dir.path().string()) ==
        dir.path().string() + ": error: is a directory, not a scenario file\n  hint: name a .yaml file inside it\n");
  CHECK(file_errors_of("/dev/null") == "/dev/null: error: is not a regular file\n  hint: name a .yaml scenario file\n");
}

TEST_CASE("densities that do not fit on the grid", "[errors]") {
  CHECK(errors_of("citizens:\n  density: 0.98\npolice:\n  density: 0.04\n") ==
        "s.yaml:2:12: error: citizens.density: citizens.density + police.density = 0.98 + 0.04 = 1.02 exceeds 1\n"
        "  hint: lower one of them: together they are the share of cells occupied (one agent per cell)\n");
}

TEST_CASE("vision that wraps around a small torus", "[errors]") {
  CHECK(errors_of("grid:\n  width: 10\n  height: 12\ncitizens:\n  vision: 5\n  density: 0.5\n") ==
        "s.yaml:5:11: error: citizens.vision: vision 5 wraps around a 10 x 12 torus and would see cells twice\n"
        "  hint: use at most 4, a larger grid, or grid.topology: bounded\n"
        "s.yaml: error: police.vision: vision 7 wraps around a 10 x 12 torus and would see cells twice\n"
        "  hint: use at most 4, a larger grid, or grid.topology: bounded\n");
}

TEST_CASE("a grid too large for this machine's memory", "[errors]") {
  const std::string e = errors_of("grid:\n  width: 46000\n  height: 46000\n");
  CHECK_THAT(e, Catch::StartsWith("s.yaml:2:10: error: grid: a 46000 x 46000 grid needs about "));
  CHECK_THAT(e, Catch::Contains(" GiB of memory; this machine has "));
  CHECK_THAT(e, Catch::EndsWith("  hint: use a smaller grid or lower densities, or run on a larger machine\n"));
}

TEST_CASE("schedules: missing parts, unknown keys, changes out of order", "[errors]") {
  CHECK(errors_of("citizens:\n  legitimacy:\n    changes:\n      - {at: 5, too: 0.5}\n") ==
        "s.yaml:3:5: error: citizens.legitimacy: a schedule needs an 'initial' value\n"
        "  hint: add 'initial: VALUE' (a number from 0 to 1)\n"
        "s.yaml:4:9: error: citizens.legitimacy.changes[0]: a change needs 'at' and 'to'\n"
        "  hint: write '{at: STEP, to: VALUE}' (add 'over: STEPS' for a ramp)\n"
        "s.yaml:4:17: error: citizens.legitimacy.changes[0].too: unknown key\n"
        "  hint: did you mean 'to'? a change has the keys at, to, over\n");
  CHECK(errors_of("citizens:\n  legitimacy: {initial: 0.9, changes: [{at: 50, to: 0.5, over: 20}, {at: 60, to: 0.4}]}\n") ==
        "s.yaml:2:15: error: citizens.legitimacy.changes[1]: starts at step 60, before the previous change ends at "
        "step 70\n"
        "  hint: list changes in time order, each starting after the previous one has finished\n");
}

TEST_CASE("command-line overrides are checked like the file", "[errors]") {
  CHECK(errors_of("run:\n  steps: 5\n", {"police.visoin=3", "run.seed", "citizens=1", "run.steps=-4"}) ==
        "--set police.visoin=3: error: police.visoin: unknown key\n"
        "  hint: did you mean 'police.vision'?\n"
        "--set run.seed: error: expected KEY=VALUE\n"
        "  hint: for example --set citizens.legitimacy=0.7\n"
        "--set citizens=1: error: citizens: is a section, not a key\n"
        "  hint: set one of its keys: density, vision, threshold, legitimacy, licit_income, tolerance, moral_cost, "
        "income_relief, extortion_hardship, extortion_legitimacy, extortion_memory\n"
        "--set run.steps=-4: error: run.steps: value -4 is out of range\n"
        "  hint: use a whole number from 1 to 10000000 (step); the default is 500\n");
}

TEST_CASE("all errors are reported together, not only the first", "[errors]") {
  const std::string e = errors_of("citizens:\n  legitimacyy: 0.8\nrules:\n  movement: maybe\n");
  CHECK_THAT(e, Catch::Contains("citizens.legitimacyy: unknown key"));
  CHECK_THAT(e, Catch::Contains("rules.movement: expected true or false"));
}

TEST_CASE("economy entries must name places, networks and targets that exist", "[errors]") {
  const std::string base =
      "grid: {width: 20, height: 20, topology: bounded}\n"
      "geography:\n"
      "  points:\n"
      "    - {name: west, kind: border_crossing, at: [0, 10]}\n"
      "    - {name: east, kind: border_crossing, at: [25, 10]}\n"
      "economy:\n"
      "  networks: [{name: cartel}]\n"
      "  commodities:\n"
      "    - {name: c, kind: drugs, from: wset, to: east, network: cartle, volume: 10, source_price: 1, exit_price: 2}\n"
      "police:\n"
      "  interdiction: [{target: highway, multiplier: 2}]\n";
  CHECK(errors_of(base) ==
        "s.yaml:5:47: error: geography.points[1].at: [25, 10] is outside the 20 x 20 grid\n"
        "  hint: use x from 0 to 19 and y from 0 to 19\n"
        "s.yaml:9:36: error: economy.commodities[0].from: no point is named 'wset'\n"
        "  hint: did you mean 'west'? defined: west, east\n"
        "s.yaml:9:61: error: economy.commodities[0].network: no network is named 'cartle'\n"
        "  hint: did you mean 'cartel'? defined: cartel\n"
        "s.yaml:11:27: error: police.interdiction[0].target: no road or region is named 'highway'\n"
        "  hint: none is defined\n");
}

TEST_CASE("list entries: missing keys, unknown keys, duplicate names, region shapes", "[errors]") {
  CHECK(errors_of("geography:\n  regions:\n    - {name: a, rect: [0, 0, 3, 3]}\n    - {name: a, rectangle: [1, 1, 2, 2]}\n"
                  "    - {rect: [0, 0, 1, 1], polygon: [[0, 0], [1, 0], [1, 1]]}\n") ==
        "s.yaml:4:14: error: geography.regions[1].name: the name 'a' is used twice\n"
        "  hint: give every entry of geography.regions its own name\n"
        "s.yaml:4:17: error: geography.regions[1].rectangle: unknown key\n"
        "  hint: did you mean 'rect'? valid keys: name, rect, polygon, people\n"
        "s.yaml:5:7: error: geography.regions[2]: missing key 'name'\n"
        "  hint: add 'name: ...' (text)\n");
  CHECK(errors_of("geography:\n  regions:\n    - {name: b, rect: [3, 0, 1, 1]}\n") ==
        "s.yaml:3:23: error: geography.regions[0].rect: corners [3, 0, 1, 1] are reversed\n"
        "  hint: write [x0, y0, x1, y1] with x0 <= x1 and y0 <= y1\n");
  CHECK(errors_of("geography:\n  regions:\n    - {name: c}\n") ==
        "s.yaml:3:7: error: geography.regions[0]: has neither 'rect' nor 'polygon'\n"
        "  hint: give exactly one: rect: [x0, y0, x1, y1] or polygon: [[x, y], ...]\n");
}

TEST_CASE("Mesa's turn orders and jail countdown refuse the rules they cannot run under", "[errors]") {
  CHECK(test::scenario_errors("rules:\n  activation: synchronous\n  cop_order: act_then_move\n") ==
        "s.yaml:3:14: error: rules.cop_order: is act_then_move, but rules.activation is synchronous: agents take no turns\n"
        "  hint: use rules.activation: sequential, or leave rules.cop_order out\n");
  CHECK(test::scenario_errors("rules:\n  jail_countdown: own_activation\n") ==
        "s.yaml:2:19: error: rules.jail_countdown: is own_activation, but rules.jail is off_grid: a released citizen "
        "would have no cell to act from\n"
        "  hint: use rules.jail: hold_cell (as Mesa does), or rules.jail_countdown: step_end\n");
  CHECK(test::scenario_errors("rules:\n  jail: hold_cell\n  activation: synchronous\n  jail_countdown: own_activation\n") ==
        "s.yaml:4:19: error: rules.jail_countdown: is own_activation, but rules.activation is synchronous: there are no "
        "turns to count down in\n"
        "  hint: use rules.activation: sequential, or rules.jail_countdown: step_end\n");
  CHECK(test::scenario_errors("rules:\n  jail: hold_cell\n  jail_countdown: own_activation\n  citizen_order: act_then_move\n") ==
        "(no error)");
}

// People the map stands for (geography.people): residents spread exactly as stated, violence that kills
// people rather than agents, per-capita outcomes per those people, people conserved, checkpoints that
// keep them, and exact errors when the figures do not add up.
#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>

#include "model/checkpoint.hpp"
#include "model/outcomes.hpp"
#include "support/support.hpp"

using namespace pocsim;

namespace {
const char* const mali_people = "scenarios/library/mali/people.yaml";

// The people of a region: its cells' residents, and its citizens with the bands serving with them (whose
// home is their citizen's cell).
std::int64_t residents_in(const model::Model& m, std::int16_t region) {
  std::int64_t n = 0;
  const auto& pop = m.population();
  for (std::size_t c = 0; c < pop.residents.size(); ++c)
    if (m.geography().region[c] == region) n += pop.residents[c];
  for (std::size_t i = 0; i < m.citizens().size(); ++i)
    if (m.geography().region[m.citizens().cell[i]] == region) n += 1 + (pop.band.empty() ? 0 : pop.band[i]);
  return n;
}

// Deaths of people of the population in this step's events: fighters and civilians (state losses are the
// state's personnel, not among the people the map stands for).
std::int64_t people_killed(const model::Model& m) {
  std::int64_t n = 0;
  for (const auto& e : m.conflict().now.events) n += e.fighters_killed_a + e.fighters_killed_b + e.civilians_killed;
  return n;
}
}  // namespace

TEST_CASE("the stated people are spread exactly: the total, the regions that state theirs, the rest by area", "[people]") {
  const model::Params p = test::scenario_params(mali_people);
  const model::Model m(p);
  CHECK(m.people_represented() == 21'077'933);
  CHECK(m.population().people_alive() == 21'077'933);
  CHECK(residents_in(m, 0) == 1'812'702);  // the north states its own
  // The centre (22 rows) and the south (18 rows) share the rest by area, to a person per cell.
  const std::int64_t centre = residents_in(m, 1), south = residents_in(m, 2);
  CHECK(centre + south == 21'077'933 - 1'812'702);
  CHECK(std::abs(static_cast<double>(centre) / static_cast<double>(centre + south) - 22.0 / 40.0) < 1e-3);
  // No draw is involved: another seed settles the same residents around differently placed agents.
  const model::Model again(test::scenario_params(mali_people, {"run.seed=7"}));
  CHECK(again.population().people_alive() == 21'077'933);
  CHECK(residents_in(again, 0) == 1'812'702);
}

TEST_CASE("limit: a scenario stating no people has no residents, and each citizen is one person", "[people][limits]") {
  const model::Model m(test::scenario_params("scenarios/library/mali/base.yaml"));
  CHECK(m.population().residents.empty());
  CHECK(m.people_represented() == static_cast<std::int64_t>(m.citizens().size()));
}

TEST_CASE("people are conserved: those alive fall by exactly the fighters and civilians killed", "[people][conservation]") {
  // Attacks more often than the setting's, so that 80 steps see many.
  const model::Params p = test::scenario_params(mali_people, {"run.steps=80", "armed_groups.civilian_targeting=0.2"});
  model::Model m(p);
  std::int64_t killed = 0, civilians = 0;
  for (std::int64_t s = 0; s < p.run.steps; ++s) {
    m.step();
    killed += people_killed(m);
    for (const auto& e : m.conflict().now.events) civilians += e.civilians_killed;
    INFO("step " << m.current_step());
    REQUIRE(m.population().people_alive() == m.people_represented() - killed);
  }
  CHECK(civilians > 20);  // the attacks reached people in the cells, not only agents
}

TEST_CASE("fighter agents standing for bands: people conserved, bands taken from and returned to their cells", "[people][conservation]") {
  // Bands of 20, and more attacks and clashes than the setting's, so that bands die, are arrested and go home.
  const model::Params p = test::scenario_params(mali_people, {"run.steps=200", "armed_groups.people_per_fighter=20",
                                                              "armed_groups.civilian_targeting=0.2", "armed_groups.clash_rate=0.8"});
  model::Model m(p);
  const auto& pop = m.population();
  std::int64_t serving = 0, agents = 0;
  for (std::size_t c = 0; c < pop.band.size(); ++c)
    if (m.citizens().state[c] == model::CitizenState::fighter) {
      serving += pop.band[c];
      ++agents;
    }
  CHECK(serving == 19 * agents);  // every first fighter brought 19 people from its cell
  REQUIRE(m.people_represented() == pop.people_alive());
  std::int64_t killed = 0, band_deaths = 0;
  for (std::int64_t s = 0; s < p.run.steps; ++s) {
    const std::int64_t before = pop.people_alive();
    m.step();
    killed += people_killed(m);
    INFO("step " << m.current_step());
    REQUIRE(pop.people_alive() == m.people_represented() - killed);
    REQUIRE(before - pop.people_alive() == people_killed(m));
    for (const auto& g : m.conflict().now.groups) band_deaths += g.killed;
    // No band larger than it started, and none without its agent serving: bands leave with their agent.
    bool bands_whole = true;
    for (std::size_t c = 0; c < pop.band.size(); ++c)
      bands_whole = bands_whole && pop.band[c] <= 19 && (pop.band[c] == 0 || m.citizens().state[c] == model::CitizenState::fighter);
    REQUIRE(bands_whole);
  }
  INFO("fighters killed " << band_deaths);
  CHECK(band_deaths > 10);
}

TEST_CASE("bands multiply violence: twenty people per fighter agent, about twenty times the deaths, the agents as before", "[people][limits]") {
  std::int64_t deaths[2] = {0, 0}, events[2] = {0, 0};
  double fighters[2] = {0, 0};
  const char* bands[2] = {"armed_groups.people_per_fighter=1", "armed_groups.people_per_fighter=20"};
  for (int k = 0; k < 2; ++k)
    for (std::uint64_t seed = 1; seed <= 4; ++seed) {
      const model::Params p = test::scenario_params(mali_people, {"run.steps=60", bands[k], "run.seed=" + std::to_string(seed)});
      model::Model m(p);
      for (std::int64_t s = 0; s < p.run.steps; ++s) {
        m.step();
        deaths[k] += people_killed(m);
        events[k] += static_cast<std::int64_t>(m.conflict().now.events.size());
      }
      model::OutcomeMeter meter;
      const auto& specs = model::outcome_specs();
      const auto at = static_cast<std::size_t>(
          std::find_if(specs.begin(), specs.end(), [](const model::OutcomeSpec& o) { return o.name == "fighters"; }) - specs.begin());
      fighters[k] += meter.observe(m)[at];
    }
  INFO("deaths " << deaths[0] << " and " << deaths[1] << ", events " << events[0] << " and " << events[1]);
  CHECK(deaths[1] > 8 * deaths[0]);
  CHECK(deaths[1] < 40 * deaths[0]);
  CHECK(events[1] > 8 * events[0]);
  CHECK(fighters[1] > 8 * fighters[0]);
}

TEST_CASE("limit: attacks with no lethality kill no one, with full lethality everyone in their area", "[people][limits]") {
  SECTION("no lethality") {
    const model::Params p = test::scenario_params(
        mali_people, {"run.steps=40", "armed_groups.civilian_targeting=0.3", "armed_groups.civilian_lethality=0"});
    model::Model m(p);
    for (std::int64_t s = 0; s < p.run.steps; ++s) {
      m.step();
      for (const auto& e : m.conflict().now.events) REQUIRE(e.civilians_killed == 0);
    }
  }
  SECTION("full lethality") {
    const model::Params p = test::scenario_params(
        mali_people, {"run.steps=40", "armed_groups.civilian_targeting=0.3", "armed_groups.civilian_lethality=1"});
    model::Model m(p);
    std::int64_t attacks = 0;
    for (std::int64_t s = 0; s < p.run.steps && attacks == 0; ++s) {
      m.step();
      std::int64_t killed = 0;
      for (const auto& e : m.conflict().now.events) {
        if (e.type != model::EventType::attack_on_civilians) continue;
        ++attacks;
        CHECK(m.population().residents[e.cell] == 0);  // the attacker's own cell is always in its area
        killed += e.civilians_killed;  // a later attack on an area already emptied this step kills no one
      }
      if (attacks > 0) CHECK(killed > 1000);  // hundreds to thousands live in each 10 km cell of this setting
    }
    CHECK(attacks > 0);
  }
}

TEST_CASE("per-capita outcomes are per the people the map stands for", "[people][report]") {
  const model::Params p = test::scenario_params(mali_people, {"run.steps=60", "armed_groups.civilian_targeting=0.1"});
  model::Model m(p);
  model::OutcomeMeter meter;
  std::int64_t deaths = 0;
  for (std::int64_t s = 0; s < p.run.steps; ++s) {
    m.step();
    meter.observe(m);
    for (const auto& e : m.conflict().now.events) deaths += e.fatalities();
  }
  const auto& specs = model::outcome_specs();
  std::size_t rate = specs.size();
  for (std::size_t i = 0; i < specs.size(); ++i)
    if (specs[i].name == "fatality_rate") rate = i;
  REQUIRE(rate < specs.size());
  REQUIRE(deaths > 0);
  const double years = static_cast<double>(p.run.steps) / model::steps_per_year(p.run);
  CHECK(meter.summary()[rate] == Approx(1e5 * static_cast<double>(deaths) / 21'077'933.0 / years).epsilon(1e-12));
}

TEST_CASE("a checkpoint keeps the residents: restored and stepped on, the model is the one never stopped", "[people][checkpoint]") {
  const model::Params p = test::scenario_params(mali_people, {"run.steps=60", "armed_groups.civilian_targeting=0.2"});
  model::Model a(p);
  for (int s = 0; s < 30; ++s) a.step();
  const std::vector<std::uint8_t> saved = model::save_state(a);
  model::Model b(p);
  model::restore_state(b, saved);
  for (int s = 0; s < 30; ++s) {
    a.step();
    b.step();
  }
  CHECK(a.population().residents == b.population().residents);
  CHECK(model::save_state(a) == model::save_state(b));
  CHECK(a.population().people_alive() < a.people_represented());
}

TEST_CASE("people that do not add up are refused with the place and the fix", "[people][errors]") {
  const std::string grid = "grid: {width: 20, height: 20}\ncitizens: {density: 0.5}\n";
  CHECK(test::scenario_errors(grid + "geography:\n  regions:\n    - {name: a, rect: [0, 0, 9, 19], people: 1000}\n") ==
        "s.yaml:5:46: error: geography.regions[0].people: states 1000 people, but geography.people (the whole map's) is not "
        "stated\n"
        "  hint: state geography.people: the population of the whole area the setting represents\n");
  CHECK(test::scenario_errors(grid + "geography:\n  people: 20\n") ==
        "s.yaml:4:11: error: geography.people: 20 people, fewer than the about 200 citizen agents, each one person\n"
        "  hint: raise geography.people to the population the setting represents, or lower citizens.density\n");
  CHECK(test::scenario_errors(grid + "geography:\n  people: 1000\n  regions:\n    - {name: a, rect: [0, 0, 9, 19], people: 1500}\n") ==
        "s.yaml:4:11: error: geography.people: 1000 people, fewer than the 1500 its regions state\n"
        "  hint: make geography.people the whole map's population, at least the sum of regions[].people\n");
  CHECK(test::scenario_errors(grid + "geography:\n  people: 1000\n  regions:\n    - {name: a, rect: [0, 0, 19, 19], people: 500}\n") ==
        "s.yaml:4:11: error: geography.people: 1000 people, but the regions that state theirs cover the whole map and add "
        "up to 500\n"
        "  hint: make geography.people the sum of the regions' people, or leave one region's out\n");
  CHECK(test::scenario_errors(grid + "geography:\n  people: 1000\n  regions:\n    - {name: a, rect: [0, 0, 9, 9], people: 500}\n"
                                     "    - {name: b, rect: [0, 0, 19, 19]}\n") ==
        "s.yaml:6:45: error: geography.regions[0].people: states 500 people, but the region keeps no cell (later regions "
        "cover it)\n"
        "  hint: give the region cells of its own, or leave its people out\n");
  CHECK(test::scenario_errors(grid + "geography:\n  people: 1000\n  regions:\n    - {name: a, rect: [0, 0, 9, 19], people: 500}\n") ==
        "(no error)");
  CHECK(test::scenario_errors(grid + "armed_groups:\n  people_per_fighter: 20\n") ==
        "s.yaml:4:23: error: armed_groups.people_per_fighter: 20 people per fighter agent, but the scenario states no people "
        "for the bands to come from\n"
        "  hint: state geography.people (the population the map stands for), or set armed_groups.people_per_fighter to 1\n");
  CHECK(test::scenario_errors(grid + "geography:\n  people: 1000\narmed_groups:\n  people_per_fighter: 20\n") == "(no error)");
}

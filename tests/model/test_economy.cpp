// The criminal economy: limit cases, money conserved to the cent, people conserved.
#include <catch2/catch.hpp>

#include <filesystem>
#include <numeric>

#include "io/hdf5.hpp"
#include "model/report.hpp"
#include "support/support.hpp"

using namespace pocsim;

namespace {
const std::string corridors = "scenarios/economy/two_corridors.yaml";

// Totals over a run of the economy's step records.
struct Totals {
  std::int64_t encounters = 0, bribes = 0, seizures = 0, workers = 0, arrests = 0;
  model::Cents sales = 0;
};

Totals run_totals(const model::Params& p) {
  model::Model m(p);
  Totals t;
  for (std::int64_t s = 0; s < p.run.steps; ++s) {
    m.step();
    const auto& now = m.economy().now;
    const auto& police = m.police().now;
    t.encounters += police.encounters;
    t.bribes += police.bribes;
    t.seizures += police.seizures;
    t.arrests += police.worker_arrests;
    for (auto w : now.workers) t.workers += w;
    for (auto c : now.sales) t.sales += c;
  }
  return t;
}
}  // namespace

TEST_CASE("limit: without police posts there are no stops, seizures or bribes", "[economy][limits]") {
  const Totals t = run_totals(test::scenario_params(corridors, {"police.posts=[]", "police.interdiction=[]", "run.steps=60"}));
  CHECK(t.encounters == 0);
  CHECK(t.seizures == 0);
  CHECK(t.bribes == 0);
  CHECK(t.sales > 0);
}

TEST_CASE("limit: without commodities there is no illicit revenue and no illicit work", "[economy][limits]") {
  const Totals t = run_totals(test::scenario_params(corridors, {"economy.commodities=[]", "run.steps=60"}));
  CHECK(t.sales == 0);
  CHECK(t.workers == 0);
  CHECK(t.encounters == 0);
}

TEST_CASE("limit: paid police of full integrity take no bribes, yet still seize", "[economy][limits]") {
  const Totals t = run_totals(test::scenario_params(
      corridors, {"police.paid_share=1",
                  "police.posts=[{name: a, at: [18, 8], integrity: 1}, {name: b, at: [42, 32], integrity: 1}]",
                  "police.interdiction=[]", "run.steps=100"}));
  CHECK(t.bribes == 0);
  CHECK(t.encounters > 0);
  CHECK(t.seizures > 0);
}

TEST_CASE("limit: full oversight stops bribery even of unpaid, corruptible police", "[economy][limits]") {
  const Totals unpaid = run_totals(test::scenario_params(corridors, {"police.paid_share=0", "police.interdiction=[]", "run.steps=80"}));
  const Totals watched = run_totals(
      test::scenario_params(corridors, {"police.paid_share=0", "police.oversight=1", "police.interdiction=[]", "run.steps=80"}));
  CHECK(unpaid.bribes > 0);
  CHECK(watched.bribes == 0);
  CHECK(watched.seizures > unpaid.seizures);
}

TEST_CASE("households the police meet each pay with chance shortfall x (1 - integrity), and paid police of integrity take nothing",
          "[economy]") {
  struct Met {
    std::int64_t contacts = 0, paid = 0, near_posts = 0;
  };
  auto meetings = [](const std::vector<std::string>& sets) {
    auto p = test::scenario_params(corridors, sets);
    model::Model m(p);
    Met t;
    for (std::int64_t s = 0; s < p.run.steps; ++s) {
      m.step();
      t.contacts += m.police().now.household_contacts;
      t.paid += m.police().now.extortions;
      for (const model::Quantity& q : model::report(m))
        if (q.path == "police/household_bribery_rate")
          CHECK(q.values[0] == (m.police().now.household_contacts
                                    ? static_cast<double>(m.police().now.extortions) / static_cast<double>(m.police().now.household_contacts)
                                    : 0.0));
    }
    return t;
  };
  // Unpaid police of integrity 0 and no oversight: every meeting ends in a payment once the shortfall is
  // remembered in full; paid police of integrity 1 meet as often and are never paid.
  const std::string posts_of = "police.posts=[{name: a, at: [18, 8], integrity: I, radius: 6}, {name: b, at: [42, 32], integrity: I, radius: 6}]";
  auto posts = [&](const char* integrity) {
    std::string s = posts_of;
    for (std::size_t at; (at = s.find("I,")) != std::string::npos;) s.replace(at, 1, integrity);
    return s;
  };
  const Met unpaid = meetings({"police.paid_share=0", "police.shortfall_memory=1", posts("0"), "police.extortion.rate=0.1", "run.steps=80"});
  const Met honest = meetings({"police.paid_share=1", posts("1"), "police.extortion.rate=0.1", "run.steps=80"});
  const Met never = meetings({"police.paid_share=0", posts("0"), "police.extortion.rate=0", "run.steps=80"});
  CHECK(unpaid.contacts > 500);
  CHECK(unpaid.paid == unpaid.contacts);
  CHECK(honest.contacts > 500);
  CHECK(honest.paid == 0);
  CHECK(never.contacts == 0);
  CHECK(never.paid == 0);
}

TEST_CASE("money is conserved to the cent in every step and every sale is accounted to recipients", "[economy][conservation]") {
  auto p = test::scenario_params(corridors, {"run.steps=120", "police.paid_share={initial: 1, changes: [{at: 30, to: 0.3}]}",
                                             "police.extortion.rate=0.3", "justice.prosecutions_per_step=2"});
  model::Model m(p);
  std::vector<model::Cents> before = m.books().balances();
  std::int64_t extortions = 0;
  for (int s = 0; s < 120; ++s) {
    m.step();
    const model::EconomyStep& now = m.economy().now;
    const model::PoliceStep& police = m.police().now;
    const auto& after = m.books().balances();
    INFO("step " << m.current_step());
    REQUIRE(std::accumulate(after.begin(), after.end(), model::Cents{0}) == 0);
    model::Cents to_workers = 0, to_producers = 0, to_police = 0, to_elites = 0, to_network = 0, sales = 0;
    for (std::size_t c = 0; c < now.revenue.size(); ++c) {
      const auto& row = now.revenue[c];
      REQUIRE(std::accumulate(row.begin(), row.end(), model::Cents{0}) == now.sales[c]);
      sales += now.sales[c];
      to_network += row[static_cast<std::size_t>(model::Recipient::network)];
      to_workers += row[static_cast<std::size_t>(model::Recipient::workers)];
      to_producers += row[static_cast<std::size_t>(model::Recipient::producers)];
      to_police += row[static_cast<std::size_t>(model::Recipient::police)];
      to_elites += row[static_cast<std::size_t>(model::Recipient::elites)];
    }
    REQUIRE(to_police == police.bribe_value);
    auto delta = [&](std::size_t account) { return after[account] - before[account]; };
    REQUIRE(delta(model::Ledger::world_buyers) == -sales);
    REQUIRE(delta(model::Ledger::world_producers) == to_producers);
    REQUIRE(delta(model::Ledger::elites) == to_elites);
    REQUIRE(delta(model::Ledger::state) == -police.salaries_paid);
    REQUIRE(delta(model::Ledger::police) == police.bribe_value + police.salaries_paid + police.extortion_value);
    REQUIRE(delta(model::Ledger::communities) == to_workers - police.extortion_value);
    REQUIRE(delta(model::Ledger::first_network) == to_network);
    extortions += police.extortions;
    before = after;
  }
  CHECK(extortions > 0);  // the test covered extortion too
}

TEST_CASE("people are conserved: workers are free households, arrested workers are jailed", "[economy][conservation]") {
  auto p = test::scenario_params("scenarios/economy/revolving_door.yaml", {"run.steps=80", "justice.prosecutions_per_step=3"});
  model::Model m(p);
  const auto n = static_cast<std::int64_t>(m.citizens().size());
  for (int s = 0; s < 80; ++s) {
    m.step();
    const auto r = model::measure(m);
    REQUIRE(r.quiet + r.active + r.jailed == n);
    REQUIRE(test::state_problem(m).empty());
    std::int64_t workers = 0;
    for (auto w : m.economy().now.workers) workers += w;
    std::int64_t counted = 0;
    for (std::size_t c = 0; c < m.citizens().size(); ++c) {
      if (m.citizens().work[c] == static_cast<std::uint8_t>(model::Work::licit)) continue;
      ++counted;
      // A worker arrested this step is jailed; any other worker is free.
      if (m.citizens().state[c] == model::CitizenState::jailed)
        REQUIRE(m.citizens().custody[c] == static_cast<std::uint8_t>(model::Custody::pretrial));
    }
    REQUIRE(counted <= workers);
  }
}

TEST_CASE("reports carry labelled dimensions and rows that add up", "[economy][report]") {
  auto p = test::scenario_params(corridors, {"run.steps=20"});
  model::Model m(p);
  for (int s = 0; s < 20; ++s) m.step();
  bool saw_revenue = false;
  for (const model::Quantity& q : model::report(m)) {
    std::size_t expected = 1;
    for (const auto& labels : q.labels) expected *= labels.size();
    INFO(q.path);
    REQUIRE(q.values.size() == expected);
    REQUIRE(q.dims.size() == q.labels.size());
    if (q.path == "economy/revenue") {
      saw_revenue = true;
      CHECK(q.labels[0] == std::vector<std::string>{"cocaine"});
      CHECK(q.labels[1].size() == model::recipient_count);
    }
  }
  CHECK(saw_revenue);
}

TEST_CASE("regions, roads and points land on the cells they name", "[geography]") {
  auto p = test::scenario_params(corridors);
  const core::Grid g(p.grid.width, p.grid.height, p.grid.topology);
  const model::Model m(p);
  const model::Geography& geo = m.geography();
  CHECK(geo.region[g.index(0, 0)] == 0);
  CHECK(geo.region[g.index(59, 19)] == 0);
  CHECK(geo.region[g.index(59, 20)] == 1);
  CHECK(geo.region[g.index(0, 39)] == 1);
  CHECK(geo.road[g.index(30, 8)] == 1);
  CHECK(geo.road[g.index(30, 9)] == 0);
  CHECK(geo.travel_cost[g.index(30, 8)] == Approx(0.25 * 10));
  CHECK(geo.travel_cost[g.index(30, 9)] == Approx(1.0 * 10));
  CHECK(geo.point_cell[0] == g.index(2, 20));
  CHECK(m.police().dominant_post[g.index(18, 8)] == 0);
  CHECK(m.police().presence[g.index(18, 8)] > 0);
  CHECK(m.police().presence[g.index(30, 20)] == 0);
  CHECK(m.police().interdiction_cells.size() == 1);
}

TEST_CASE("a terrain raster from CSV sets travel costs", "[geography]") {
  test::TempDir dir;
  std::string csv;
  for (int y = 0; y < 4; ++y) csv += "1, 2, 3, 4, 5\n";
  test::write_text(dir.file("terrain.csv"), csv);
  const std::string scenario = test::write_text(dir.file("s.yaml"),
                                                "grid: {width: 5, height: 4, topology: bounded}\n"
                                                "citizens: {vision: 1, density: 0.5}\npolice: {vision: 1}\n"
                                                "geography: {terrain_raster: terrain.csv}\n");
  const auto p = scenario::load_scenario(scenario).params();
  REQUIRE(p.geography.terrain_values.size() == 20);
  const core::Grid g(5, 4, core::Topology::bounded);
  const model::Geography geo = model::build_geography(p.geography, g);
  CHECK(geo.travel_cost[g.index(4, 3)] == Approx(5 * 10.0));
  test::write_text(dir.file("terrain.csv"), "1,2,3,4,5\n1,2,x,4,5\n");
  try {
    scenario::load_scenario(scenario);
    FAIL("a bad raster was accepted");
  } catch (const scenario::ScenarioError& e) {
    CHECK(std::string(e.what()) == dir.file("terrain.csv") + ":2:3: error: geography.terrain_raster: 'x' is not a finite number\n"
                                   "  hint: write one number per cell\n");
  }
  // A file that is not a raster: its contents stay out of the message; a device is refused before reading.
  test::write_text(dir.file("terrain.csv"), "password for the mission's server is hunter2\n");
  try {
    scenario::load_scenario(scenario);
    FAIL("a text file was accepted as a raster");
  } catch (const scenario::ScenarioError& e) {
    CHECK(std::string(e.what()) == dir.file("terrain.csv") + ":1:1: error: geography.terrain_raster: a value of 44 characters is "
                                   "not a finite number\n  hint: write one number per cell\n");
  }
  const std::string device = test::write_text(dir.file("device.yaml"),
                                              "grid: {width: 5, height: 4, topology: bounded}\n"
                                              "citizens: {vision: 1, density: 0.5}\npolice: {vision: 1}\n"
                                              "geography: {terrain_raster: /dev/zero}\n");
  try {
    scenario::load_scenario(device);
    FAIL("a device was read as a raster");
  } catch (const scenario::ScenarioError& e) {
    CHECK_THAT(e.what(), Catch::Contains("/dev/zero: error: geography.terrain_raster: is not a regular file"));
  }
  test::write_text(dir.file("terrain.csv"), "1,2,3,4,5\n1,2,3,4,5\n");
  try {
    scenario::load_scenario(scenario);
    FAIL("a raster of the wrong size was accepted");
  } catch (const scenario::ScenarioError& e) {
    CHECK(std::string(e.what()) == dir.file("s.yaml") + ":4:29: error: geography.terrain_raster: terrain.csv is 2 x 5 (rows x "
                                   "columns); the grid is 4 x 5\n"
                                   "  hint: give one value per cell: grid.height rows of grid.width values\n");
  }
}

TEST_CASE("population and road rasters from HDF5 place citizens and roads", "[geography]") {
  test::TempDir dir;
  {
    // Population only in the left half (weight 1) and a road along row 2.
    io::Handle f = io::create_file(dir.file("layers.h5"));
    std::vector<double> people(20 * 10, 0.0), roads(20 * 10, 0.0);
    for (int y = 0; y < 10; ++y)
      for (int x = 0; x < 10; ++x) people[static_cast<std::size_t>(y * 20 + x)] = 1.0;
    for (int x = 0; x < 20; ++x) roads[static_cast<std::size_t>(2 * 20 + x)] = 1.0;
    io::Series<double> a(f.id(), "population", {20}, "1", "test");
    a.append(people);
    io::Series<double> b(f.id(), "roads", {20}, "1", "test");
    b.append(roads);
  }
  const std::string scenario = test::write_text(
      dir.file("s.yaml"),
      "grid: {width: 20, height: 10, topology: bounded}\ncitizens: {vision: 1, density: 0.3}\npolice: {vision: 1, density: 0}\n"
      "geography: {population_raster: 'layers.h5:/population', roads_raster: 'layers.h5:/roads'}\n");
  for (const char* placement : {"exact", "probabilistic"}) {
    const auto p = scenario::load_scenario(scenario, {std::string("rules.placement=") + placement}).params();
    model::Model m(p);
    INFO(placement);
    CHECK(m.citizens().size() == Approx(60).margin(placement == std::string("exact") ? 0 : 20));
    for (std::size_t c = 0; c < m.citizens().size(); ++c) REQUIRE(m.grid().x_of(m.citizens().cell[c]) < 10);
    CHECK(m.geography().road[m.grid().index(15, 2)] == 1);
    CHECK(m.geography().road[m.grid().index(15, 3)] == 0);
  }
  CHECK_THROWS_WITH(scenario::load_scenario(scenario, {"citizens.density=0.6"}),
                    Catch::Contains("only 100 cells have people, but citizens.density asks for 120 citizens"));
  CHECK_THROWS_WITH(scenario::load_scenario(scenario, {"geography.roads_raster=layers.h5:/nothing"}),
                    Catch::Contains("layers.h5:/nothing: error: geography.roads_raster: cannot read the dataset"));
}

// Regression tests for defects found in review.

TEST_CASE("densities that sum to 1 never place more agents than cells", "[limits]") {
  auto p = test::scenario_params("scenarios/epstein/run2.yaml",
                                 {"grid.width=5", "grid.height=5", "citizens.density=0.5", "police.density=0.5",
                                  "citizens.vision=1", "police.vision=1", "run.steps=3"});
  model::Model m(p);
  CHECK(m.citizens().size() + m.cops().size() == 25);
  CHECK(test::state_problem(m).empty());
  for (int s = 0; s < 3; ++s) m.step();
  CHECK(test::state_problem(m).empty());
}

TEST_CASE("police posts without commodities still write a complete output", "[economy][io]") {
  test::TempDir dir;
  CHECK(test::pocsim({"run", test::source_path(corridors), "-o", dir.file("posts.h5"), "--set", "economy.commodities=[]",
                      "--set", "economy.networks=[]", "--set", "police.extortion.rate=0.5", "--steps", "20", "-q"}) == 0);
  CHECK(std::filesystem::exists(dir.file("posts.h5")));
}

TEST_CASE("a commodity that needs no workers ships its whole volume", "[economy][limits]") {
  auto p = test::scenario_params(corridors, {"run.steps=5", "police.posts=[]", "police.interdiction=[]",
                                             "economy.commodities=[{name: fuel, kind: fuel, from: west_crossing, to: "
                                             "east_crossing, network: cartel, volume: 40, source_price: 1, exit_price: 2, "
                                             "workers_per_unit: 0}]"});
  model::Model m(p);
  for (int s = 0; s < 5; ++s) {
    m.step();
    CHECK(m.economy().now.shipped[0] == 40.0);
    CHECK(m.economy().now.delivered[0] == Approx(40.0));
  }
}

TEST_CASE("a patrol wider than a torus counts each cell once", "[geography]") {
  auto p = test::scenario_params("scenarios/epstein/run2.yaml",
                                 {"grid.width=10", "grid.height=10", "citizens.vision=2", "police.vision=2",
                                  "police.posts=[{name: p, at: [5, 5], radius: 6, personnel: 10}]"});
  const model::Model m(p);
  auto cells = m.police().post_cells[0];
  std::sort(cells.begin(), cells.end());
  CHECK(std::adjacent_find(cells.begin(), cells.end()) == cells.end());
  CHECK(cells.size() > 90);  // nearly the whole grid: corners at (+-5, +-5) lie beyond the disc
  double presence = 0;
  for (float v : m.police().presence) presence += v;
  CHECK(presence == Approx(10 * model::training_factor(0.7)));  // all officers, spread once over the grid
}

TEST_CASE("squares around a cell: the same cells in the same order inside the grid, at its edges and on a torus", "[geography]") {
  for (const core::Topology topology : {core::Topology::bounded, core::Topology::torus}) {
    const core::Grid g(12, 9, topology);
    for (int radius : {0, 1, 3, 5})
      for (core::CellIndex centre = 0; centre < g.cell_count(); ++centre) {
        std::vector<core::CellIndex> visited, expected;
        model::for_each_in_square(g, centre, radius, [&](core::CellIndex c) { visited.push_back(c); });
        for (int dy = -radius; dy <= radius; ++dy)
          for (int dx = -radius; dx <= radius; ++dx)
            if (const auto c = g.shifted(centre, dx, dy)) expected.push_back(*c);
        CHECK(visited == expected);
      }
  }
}

TEST_CASE("a convicted kingpin stops shipments for exactly successor_delay steps", "[economy]") {
  auto p = test::scenario_params(
      corridors, {"run.steps=200", "police.interdiction=[]", "justice.prosecutions_per_step=1000",
                  "justice.conviction_probability=1",
                  "economy.networks=[{name: cartel, kingpin_exposure: 1, successor_delay: 3, replan_every: 0}]"});
  model::Model m(p);
  std::vector<double> shipped{0.0};
  std::vector<int> replaced{0};
  for (int s = 0; s < 200; ++s) {
    m.step();
    shipped.push_back(m.economy().now.shipped[0]);
    replaced.push_back(m.police().kingpins[0].replaced);
  }
  int checked = 0;
  for (std::size_t s = 1; s + 4 < shipped.size(); ++s) {
    if (replaced[s] == replaced[s - 1]) continue;  // no conviction in step s
    INFO("conviction at step " << s);
    CHECK(shipped[s + 1] == 0.0);
    CHECK(shipped[s + 2] == 0.0);
    CHECK(shipped[s + 3] == 0.0);
    CHECK(shipped[s + 4] > 0.0);
    ++checked;
  }
  CHECK(checked > 0);
}

TEST_CASE("a population raster with nobody in it is refused", "[errors]") {
  test::TempDir dir;
  std::string csv;
  for (int y = 0; y < 4; ++y) csv += "0,0,0,0,0\n";
  test::write_text(dir.file("people.csv"), csv);
  const std::string scenario = test::write_text(
      dir.file("s.yaml"), "grid: {width: 5, height: 4, topology: bounded}\ncitizens: {vision: 1, density: 0.5}\n"
                          "police: {vision: 1}\nrules: {placement: probabilistic}\ngeography: {population_raster: people.csv}\n");
  CHECK_THROWS_WITH(scenario::load_scenario(scenario), Catch::Contains("no cell has people (every weight is 0)"));
}

TEST_CASE("money that would overflow 64-bit cents is an error, not a wrap-around", "[economy]") {
  model::Ledger ledger(1, 0);
  ledger.transfer(model::Ledger::state, model::Ledger::police, INT64_MAX - 5);
  CHECK_THROWS_AS(ledger.transfer(model::Ledger::world_buyers, model::Ledger::police, 10), std::overflow_error);
  CHECK(ledger.balance(model::Ledger::police) == INT64_MAX - 5);  // unchanged by the refused transfer
  CHECK_THROWS_AS(model::to_cents(1e18), std::overflow_error);
}

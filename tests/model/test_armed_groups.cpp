// Armed groups, violence and state capture: people and money conserved, limit cases, leader removal and
// splits, the peace process, outputs and input errors.
#include <catch2/catch.hpp>

#include <numeric>

#include "io/hdf5.hpp"
#include "scenario/loader.hpp"
#include "model/observables.hpp"
#include "model/outcomes.hpp"
#include "model/report.hpp"
#include "support/support.hpp"

using namespace pocsim;

namespace {
const std::string spoiler = "scenarios/armed_groups/spoiler_financing.yaml";

std::int64_t group_balance(const model::Model& m, std::size_t g) {
  return m.books().balance(m.books().group_account(g));
}

// Fatalities and events over a run.
struct Violence {
  std::int64_t events = 0, fatalities = 0, clashes = 0, attacks = 0, operations = 0;
};

Violence run_violence(const model::Params& p) {
  model::Model m(p);
  Violence v;
  for (std::int64_t s = 0; s < p.run.steps; ++s) {
    m.step();
    for (const auto& e : m.conflict().now.events) {
      ++v.events;
      v.fatalities += e.fatalities();
      v.clashes += e.type == model::EventType::clash;
      v.attacks += e.type == model::EventType::attack_on_civilians;
      v.operations += e.type == model::EventType::state_operation;
    }
  }
  return v;
}
}  // namespace

TEST_CASE("people are conserved: every citizen is free, jailed, fighting or dead, and fighters are in units", "[groups][conservation]") {
  auto p = test::scenario_params(spoiler, {"run.steps=150", "state_forces.raids=0.5", "armed_groups.groups[0].remove_leader_at=60",
                                           "armed_groups.split_probability=1", "justice.prosecutions_per_step=2"});
  model::Model m(p);
  const auto n = static_cast<std::int64_t>(m.citizens().size());
  std::int64_t arrested = 0, killed = 0, recruits = 0, deserters = 0, splits = 0;
  for (int s = 0; s < 150; ++s) {
    m.step();
    splits += m.conflict().now.splits;
    INFO("step " << m.current_step());
    const auto r = model::measure(m);
    REQUIRE(r.quiet + r.active + r.jailed + r.fighters + r.dead == n);
    REQUIRE(r.dead == m.conflict().deaths);
    REQUIRE(test::state_problem(m).empty());
    const model::Units& u = m.conflict().units;
    std::int64_t members = 0;
    for (model::AgentId k = 0; k < u.size(); ++k) {
      if (u.group[k] == model::no_group) {
        REQUIRE(u.members[k].empty());
        continue;
      }
      REQUIRE_FALSE(u.members[k].empty());
      for (model::AgentId c : u.members[k]) {
        REQUIRE(m.citizens().state[c] == model::CitizenState::fighter);
        REQUIRE(m.conflict().ties.group[c] == u.group[k]);
      }
      members += static_cast<std::int64_t>(u.members[k].size());
    }
    REQUIRE(members == r.fighters);
    std::int64_t by_group = 0;
    for (const auto& g : m.conflict().groups) by_group += g.fighters;
    REQUIRE(by_group == r.fighters);
    for (const auto& g : m.conflict().now.groups) {
      arrested += g.arrested;
      killed += g.killed;
      recruits += g.recruits;
      deserters += g.deserters;
    }
  }
  // The run exercised every way of entering and leaving a group.
  CHECK(arrested > 0);
  CHECK(killed > 0);
  CHECK(recruits > 0);
  CHECK(splits > 0);  // the splinter may have rejoined its parent since
  WARN("arrested " << arrested << ", killed " << killed << ", recruits " << recruits << ", deserters " << deserters);
}

TEST_CASE("money is conserved: group treasuries move only by their recorded revenue and spending", "[groups][conservation]") {
  for (const char* dividend : {"0", "{initial: 0, changes: [{at: 40, to: 5000}]}"}) {
    INFO("peace dividend " << dividend);
    auto p = test::scenario_params(spoiler, {"run.steps=100", std::string("armed_groups.peace_dividend=") + dividend,
                                             "armed_groups.split_probability=0", "state_forces.raids=0.3"});
    model::Model m(p);
    std::vector<std::int64_t> before;
    for (std::size_t g = 0; g < m.conflict().groups.size(); ++g) before.push_back(group_balance(m, g));
    std::int64_t dividends = 0;
    for (int s = 0; s < 100; ++s) {
      m.step();
      INFO("step " << m.current_step());
      const auto& balances = m.books().balances();
      REQUIRE(std::accumulate(balances.begin(), balances.end(), model::Cents{0}) == 0);
      model::Cents to_groups = 0;
      for (const auto& row : m.economy().now.revenue) to_groups += row[static_cast<std::size_t>(model::Recipient::armed_groups)];
      model::Cents taxed = 0;
      for (std::size_t g = 0; g < m.conflict().groups.size(); ++g) {
        const model::GroupFlows& f = m.conflict().now.groups[g];
        const std::int64_t after = group_balance(m, g);
        REQUIRE(after >= 0);
        REQUIRE(after - before[g] == f.taxes + f.mines + f.extortion + f.dividend - f.wages - f.operations);
        taxed += f.taxes + f.mines;
        dividends += f.dividend;
        before[g] = after;
      }
      REQUIRE(to_groups == taxed);  // the economy's record of what groups received agrees with theirs
    }
    if (std::string(dividend) != "0") CHECK(dividends > 0);
  }
}

TEST_CASE("limit: without armed groups there is no violence, territory or group revenue", "[groups][limits]") {
  auto p = test::scenario_params(spoiler, {"run.steps=60", "armed_groups.groups=[]"});
  model::Model m(p);
  for (int s = 0; s < 60; ++s) {
    m.step();
    REQUIRE(m.conflict().now.events.empty());
    for (const auto& row : m.economy().now.revenue) REQUIRE(row[static_cast<std::size_t>(model::Recipient::armed_groups)] == 0);
  }
  CHECK_FALSE(m.conflict().active);
  CHECK(model::measure(m).dead == 0);
  CHECK(model::tables(m).empty());
}

TEST_CASE("limit: groups that never fight, attack or are attacked cause no deaths", "[groups][limits]") {
  const auto v = run_violence(test::scenario_params(
      spoiler, {"run.steps=120", "armed_groups.clash_rate=0", "armed_groups.civilian_targeting=0", "state_forces.operations=0",
                "state_forces.raids=0"}));
  CHECK(v.events == 0);
  CHECK(v.fatalities == 0);
}

TEST_CASE("limit: a group with no income and an empty treasury is deserted by its fighters", "[groups][limits]") {
  auto p = test::scenario_params(spoiler, {"run.steps=100"});
  for (auto& g : p.conflict.armed_groups.groups) g.treasury = g.tax_rate = g.mine_tax = g.extortion_rate = 0;
  model::Model m(p);
  std::int64_t deserters = 0;
  for (int s = 0; s < 100; ++s) {
    m.step();
    for (const auto& g : m.conflict().now.groups) deserters += g.deserters;
  }
  CHECK(deserters >= 200);
  for (std::size_t g = 0; g < 2; ++g) {
    CHECK(m.conflict().groups[g].fighters == 0);
    CHECK_FALSE(m.conflict().groups[g].exists);
  }
}

TEST_CASE("limit: without young people only former fighters are recruited", "[groups][limits]") {
  auto p = test::scenario_params(spoiler, {"run.steps=100", "armed_groups.youth_share=0", "state_forces.raids=0.5"});
  model::Model m(p);
  std::vector<std::uint8_t> veteran(m.citizens().size(), 0);
  for (std::size_t c = 0; c < veteran.size(); ++c) veteran[c] = m.citizens().state[c] == model::CitizenState::fighter;
  for (int s = 0; s < 100; ++s) {
    m.step();
    for (std::size_t c = 0; c < veteran.size(); ++c)
      if (m.citizens().state[c] == model::CitizenState::fighter) REQUIRE(veteran[c]);
  }
}

TEST_CASE("limit: a garrison stronger than any group keeps its cells out of group control", "[groups][limits]") {
  auto p = test::scenario_params(spoiler, {"run.steps=80",
                                           "state_forces.garrisons=[{name: mine_guard, at: [20, 30], troops: 100000, radius: 3}]"});
  model::Model m(p);
  const auto mine = m.grid().index(20, 30);
  for (int s = 0; s < 80; ++s) {
    m.step();
    REQUIRE(m.conflict().owner[mine] == model::no_group);
  }
}

TEST_CASE("a removed leader is replaced after succession_delay steps, and a contested succession splits the group", "[groups]") {
  auto p = test::scenario_params(spoiler, {"run.steps=80", "armed_groups.groups[0].remove_leader_at=30",
                                           "armed_groups.succession_delay=8", "armed_groups.split_probability=1",
                                           "state_forces.leader_exposure=0"});
  model::Model m(p);
  const std::size_t splinter = p.conflict.armed_groups.groups.size();  // the first splinter slot of group 0
  for (int s = 0; s < 80; ++s) {
    m.step();
    const auto t = m.current_step();
    const bool leaderless = m.conflict().groups[0].leaderless_until > t;
    INFO("step " << t);
    // Removed during step 30; steps 31 to 38 run without a leader.
    CHECK(leaderless == (t >= 30 && t <= 38));
    if (t == 30) {
      CHECK(m.conflict().now.leaders_removed == 1);
      CHECK(m.conflict().now.splits == 1);
      CHECK(m.conflict().groups[splinter].exists);
      CHECK(m.conflict().groups[splinter].parent == 0);
      CHECK(m.conflict().groups[splinter].fighters > 0);
      CHECK(m.conflict().names[splinter] == "northern_front splinter 1");
    }
  }
  CHECK(m.conflict().groups[0].successions == 1);
}

TEST_CASE("peace process: groups join when the dividend beats their rents, and a spoiler stays out", "[groups]") {
  SECTION("a dividend far above the rents brings every group in, and joined groups do not prey") {
    auto p = test::scenario_params(spoiler, {"run.steps=120", "armed_groups.peace_dividend={initial: 0, changes: [{at: 20, to: 100000}]}"});
    model::Model m(p);
    std::int64_t late_taxes = 0, late_attacks = 0;
    for (int s = 0; s < 120; ++s) {
      m.step();
      if (m.current_step() <= 30) continue;
      for (const auto& g : m.conflict().now.groups) late_taxes += g.taxes + g.mines + g.extortion;
      for (const auto& e : m.conflict().now.events) late_attacks += e.type == model::EventType::attack_on_civilians;
    }
    for (std::size_t g = 0; g < 2; ++g) CHECK(m.conflict().groups[g].peace == model::PeaceStatus::joined);
    CHECK(late_taxes == 0);
    CHECK(late_attacks == 0);
  }
  SECTION("a dividend below the rents leaves the groups out: crime pays more") {
    auto p = test::scenario_params(spoiler, {"run.steps=120"});
    model::Model m(p);
    for (int s = 0; s < 120; ++s) m.step();
    for (std::size_t g = 0; g < 2; ++g) {
      CHECK(m.conflict().groups[g].peace != model::PeaceStatus::joined);
      CHECK(m.conflict().groups[g].rent_per_fighter > p.conflict.armed_groups.peace_dividend.value_at(120));
    }
  }
}

TEST_CASE("state capture: elite rents raise the index, which erodes will, legitimacy and pay as configured", "[groups][capture]") {
  auto p = test::scenario_params("scenarios/armed_groups/state_capture.yaml", {"run.steps=150"});
  model::Model m(p);
  for (int s = 0; s < 150; ++s) m.step();
  const auto& c = m.capture();
  CHECK(c.index > 0.2);
  CHECK(c.political_will == Approx(1.0 - p.state.will_loss * c.index));
  CHECK(m.legitimacy() == Approx(p.population.citizens.legitimacy.value_at(150) * (1.0 - p.state.legitimacy_loss * c.index)).epsilon(0.02));
  // With the feedbacks off, capture is still measured but changes nothing.
  auto off = test::scenario_params("scenarios/armed_groups/state_capture.yaml",
                                   {"run.steps=150", "state.will_loss=0", "state.legitimacy_loss=0", "state.integrity_loss=0",
                                    "state.fiscal_loss=0"});
  model::Model n(off);
  for (int s = 0; s < 150; ++s) n.step();
  CHECK(n.capture().index > 0.2);
  CHECK(n.capture().political_will == 1.0);
  CHECK(n.legitimacy() == off.population.citizens.legitimacy.value_at(150));
}

TEST_CASE("a run with armed groups writes groups, violence events, capture and control maps", "[groups][io]") {
  test::TempDir dir;
  const std::string out = dir.file("groups.h5");
  REQUIRE(test::pocsim({"run", test::source_path(spoiler), "--set", "run.steps=60", "--quiet", "-o", out}) == 0);
  io::Handle f = io::open_file_read(out);
  std::vector<hsize_t> dims;
  const auto fighters = io::read_double(f.id(), "groups/fighters", &dims);
  REQUIRE(dims == std::vector<hsize_t>{61, 6});
  io::Handle ds = io::open_object(f.id(), "groups/fighters");
  CHECK(io::get_string_list_attribute(ds.id(), "labels_group") ==
        std::vector<std::string>{"northern_front", "eastern_movement", "northern_front splinter 1", "northern_front splinter 2",
                                 "eastern_movement splinter 1", "eastern_movement splinter 2"});
  const auto steps = io::read_int64(f.id(), "violence/events/step");
  const auto killed = io::read_int64(f.id(), "violence/events/fighters_killed_a");
  CHECK(steps.size() == killed.size());
  CHECK_FALSE(steps.empty());
  CHECK(std::is_sorted(steps.begin(), steps.end()));
  const auto deaths = io::read_int64(f.id(), "violence/fighter_deaths");
  std::int64_t from_events = 0;
  for (std::size_t i = 0; i < killed.size(); ++i) from_events += killed[i];
  for (auto k : io::read_int64(f.id(), "violence/events/fighters_killed_b")) from_events += k;
  CHECK(std::accumulate(deaths.begin(), deaths.end(), std::int64_t{0}) == from_events);
  io::read_uint8(f.id(), "snapshots/control", &dims);
  CHECK(dims == std::vector<hsize_t>{5, 60, 80});
  CHECK(io::read_double(f.id(), "state/capture_index").size() == 61);
}

TEST_CASE("bad armed-group input names the place and the fix", "[groups][errors]") {
  const auto errors_of = [](const std::string& yaml, const std::vector<std::string>& overrides = {}) {
    return test::scenario_errors(yaml, overrides);
  };
  const std::string groups = "armed_groups:\n  groups:\n    - {name: a, base: [5, 5]}\n    - {name: a, base: [50, 5]}\n";
  CHECK(errors_of(groups) ==
        "s.yaml:4:14: error: armed_groups.groups[1].name: the name 'a' is used twice\n"
        "  hint: give every entry of armed_groups.groups its own name\n");
  CHECK(errors_of("rules:\n  jail: hold_cell\narmed_groups:\n  groups:\n    - {name: a, base: [5, 5]}\n") ==
        "s.yaml:2:9: error: rules.jail: is hold_cell, but fighters leave the grid while they serve\n"
        "  hint: use rules.jail: off_grid in a scenario with armed groups\n");
  CHECK(errors_of("armed_groups:\n  groups:\n    - {name: a, base: [5, 50]}\n") ==
        "s.yaml:3:23: error: armed_groups.groups[0].base: [5, 50] is outside the 40 x 40 grid\n"
        "  hint: use x from 0 to 39 and y from 0 to 39\n");
  CHECK(errors_of("armed_groups:\n  groups:\n    - {name: a, base: [5, 5]}\n", {"armed_groups.groups[1].wage=5"}) ==
        "--set armed_groups.groups[1].wage=5: error: armed_groups.groups[1].wage: there is no entry [1]\n"
        "  hint: the scenario's armed_groups.groups has 1 entries, numbered from 0\n");
  // An index too large for any integer type is no entry either (it once escaped as an internal error).
  CHECK(errors_of("armed_groups:\n  groups:\n    - {name: a, base: [5, 5]}\n", {"armed_groups.groups[99999999999999999999999].wage=5"}) ==
        "--set armed_groups.groups[99999999999999999999999].wage=5: error: armed_groups.groups[99999999999999999999999].wage: "
        "there is no entry [99999999999999999999999]\n"
        "  hint: the scenario's armed_groups.groups has 1 entries, numbered from 0\n");
  CHECK(errors_of("armed_groups:\n  groups:\n    - {name: a, base: [5, 5]}\n", {"armed_groups.groups[0].salary=5"}) ==
        "--set armed_groups.groups[0].salary=5: error: armed_groups.groups[0].salary: unknown key\n"
        "  hint: keys of each entry: name, base, fighters, treasury, wage, tax_rate, mine_tax, extortion_rate, "
        "extortion_share, range, remove_leader_at\n");
}

TEST_CASE("deaths by type of violence add up to every event's deaths, overall, per region and in the per-capita outcomes",
          "[groups][report]") {
  // The DRC setting has every event type, regions, and a mission; 60 steps see each type many times.
  auto p = test::scenario_params("scenarios/library/drc_east/base.yaml", {"run.steps=60"});
  model::Model m(p);
  model::OutcomeMeter meter;
  const auto& specs = model::outcome_specs();
  auto index = [&](const std::string& name) {
    for (std::size_t i = 0; i < specs.size(); ++i)
      if (specs[i].name == name) return i;
    FAIL("no outcome " << name);
    return std::size_t{0};
  };
  std::int64_t by_type_total[model::violence_type_count] = {}, all = 0, civilians = 0;
  double rate_sum = 0;
  for (std::int64_t s = 0; s < p.run.steps; ++s) {
    m.step();
    const std::vector<double> v = meter.observe(m);
    std::int64_t step_deaths = 0, step_type[model::violence_type_count] = {}, step_civilians = 0, in_regions = 0, in_clashes = 0;
    for (const auto& e : m.conflict().now.events) {
      step_deaths += e.fatalities();
      if (e.type == model::EventType::clash) in_clashes += e.fatalities();
      step_civilians += e.civilians_killed;
      step_type[static_cast<std::size_t>(model::violence_type(e.type))] += e.fatalities();
      if (m.geography().region[e.cell] != model::no_region) in_regions += e.fatalities();
    }
    const model::StepRecord r = model::measure(m);
    for (const model::Quantity& q : model::report(m, r)) {
      if (q.path == "violence/fatalities_by_type") {
        REQUIRE(q.labels[0] == std::vector<std::string>{"state_based", "non_state", "one_sided"});
        for (std::size_t t = 0; t < model::violence_type_count; ++t) CHECK(q.values[t] == static_cast<double>(step_type[t]));
      }
      if (q.path == "regions/fatalities_by_type")
        CHECK(std::accumulate(q.values.begin(), q.values.end(), 0.0) == static_cast<double>(in_regions));
    }
    // One-sided violence is exactly the attacks on civilians, whose deaths are civilians; non-state
    // violence the clashes between groups.
    CHECK(step_type[static_cast<std::size_t>(model::ViolenceType::one_sided)] == step_civilians);
    CHECK(step_type[static_cast<std::size_t>(model::ViolenceType::non_state)] == in_clashes);
    for (std::size_t t = 0; t < model::violence_type_count; ++t) by_type_total[t] += step_type[t];
    all += step_deaths;
    civilians += step_civilians;
    rate_sum += v[index("fatalities")] * 1e5 * model::steps_per_year(p.run) / static_cast<double>(m.citizens().size());
  }
  for (std::int64_t t : by_type_total) CHECK(t > 0);
  CHECK(by_type_total[0] + by_type_total[1] + by_type_total[2] == all);
  // The outcomes: deaths per 100,000 people a year, and the one-sided share of deaths, over the run.
  const std::vector<double> summary = meter.summary();
  const double years = static_cast<double>(p.run.steps) / model::steps_per_year(p.run);
  CHECK(summary[index("fatality_rate")] ==
        Approx(1e5 * static_cast<double>(all) / static_cast<double>(m.citizens().size()) / years).epsilon(1e-12));
  CHECK(summary[index("fatality_rate")] == Approx(rate_sum / static_cast<double>(p.run.steps)).epsilon(1e-12));
  CHECK(summary[index("civilian_fatality_rate")] ==
        Approx(1e5 * static_cast<double>(civilians) / static_cast<double>(m.citizens().size()) / years).epsilon(1e-12));
  CHECK(summary[index("one_sided_share")] == Approx(static_cast<double>(civilians) / static_cast<double>(all)).epsilon(1e-12));
}

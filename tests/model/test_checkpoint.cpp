// Checkpoints: a model saved, restored into a fresh one and stepped on is, bit for bit, the model that was
// never stopped; damaged states and states of another scenario are refused, leaving the model as it was.
#include <catch2/catch.hpp>

#include <cstring>
#include <sstream>

#include "core/parallel.hpp"
#include "model/checkpoint.hpp"
#include "model/report.hpp"
#include "scenario/loader.hpp"
#include "support/support.hpp"

using namespace pocsim;

namespace {

template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

bool same_bits(const model::StepRecord& a, const model::StepRecord& b) {
  return a.step == b.step && a.quiet == b.quiet && a.active == b.active && a.jailed == b.jailed && a.fighters == b.fighters &&
         a.dead == b.dead && a.cops_on_duty == b.cops_on_duty &&
         std::memcmp(&a.legitimacy, &b.legitimacy, sizeof(double)) == 0 &&
         std::memcmp(&a.mean_grievance, &b.mean_grievance, sizeof(double)) == 0;
}

// What a run's writer would record from each model now: "" when it is the same, else the first difference.
std::string output_difference(const model::Model& a, const model::Model& b) {
  if (!same_bits(model::measure(a), model::measure(b))) return "measure";
  const auto qa = model::report(a), qb = model::report(b);
  if (qa.size() != qb.size()) return "number of reported quantities";
  for (std::size_t i = 0; i < qa.size(); ++i)
    if (qa[i].path != qb[i].path || qa[i].labels != qb[i].labels || !same_bits(qa[i].values, qb[i].values)) return qa[i].path;
  const auto ta = model::tables(a), tb = model::tables(b);
  if (ta.size() != tb.size()) return "number of tables";
  for (std::size_t i = 0; i < ta.size(); ++i) {
    if (ta[i].columns.size() != tb[i].columns.size()) return ta[i].path;
    for (std::size_t c = 0; c < ta[i].columns.size(); ++c)
      if (ta[i].columns[c].values != tb[i].columns[c].values) return ta[i].path + "/" + ta[i].columns[c].name;
  }
  const auto la = model::snapshot_layers(a), lb = model::snapshot_layers(b);
  if (la.size() != lb.size()) return "number of snapshot layers";
  for (std::size_t i = 0; i < la.size(); ++i)
    if (la[i].codes != lb[i].codes || !same_bits(la[i].values, lb[i].values)) return la[i].path;
  return "";
}

// Steps both models on together, as a writer would (taking a snapshot, which clears the accumulated maps,
// every `snapshot_every` steps), requiring the same state and the same outputs after every step.
void continue_together(model::Model& original, model::Model& restored, int steps, int snapshot_every = 7) {
  REQUIRE(output_difference(original, restored).empty());
  for (int s = 0; s < steps; ++s) {
    original.step();
    restored.step();
    INFO("step " << original.current_step());
    const bool same_state = model::save_state(original) == model::save_state(restored);
    REQUIRE(same_state);
    REQUIRE(output_difference(original, restored).empty());
    if (original.current_step() % snapshot_every == 0) {
      original.clear_accumulated_maps();
      restored.clear_accumulated_maps();
    }
  }
  REQUIRE(test::state_problem(restored).empty());
}

// Runs `k` steps, saves, restores into a model freshly built from the same Params and continues both;
// returns the model that was never stopped, for checks that something happened.
model::Model check_resume(const model::Params& p, int k, int more = 20) {
  model::Model original(p);
  for (int s = 0; s < k; ++s) original.step();
  const std::vector<std::uint8_t> state = model::save_state(original);
  model::Model restored(p);
  model::restore_state(restored, state);
  CHECK(restored.current_step() == k);
  continue_together(original, restored, more);
  return original;
}

std::string levers(const std::vector<std::string>& bodies) {
  std::string s = "levers=[";
  for (std::size_t i = 0; i < bodies.size(); ++i) s += (i ? ", {" : "{") + bodies[i] + "}";
  return s + "]";
}

// The sahel mandate with most levers in force from step 10, the budget capped, the mediation ending at 30
// (interrupting its transitions) and listings frequent, so every part of the mission's state moves.
model::Params busy_mission() {
  return test::scenario_params(
      "scenarios/mission/sahel_mandate.yaml",
      {"mission.budget=3000000", "mission.listing_rate=0.5",
       levers({"lever: cvr, start: 10, region: north, budget: 20000, intensity: 100",
               "lever: police_salaries, start: 10, intensity: 0.5",
               "lever: capacity_building, start: 10, budget: 5000, intensity: 0.05",
               "lever: vetting, start: 12, budget: 5000, intensity: 0.05",
               "lever: justice_support, start: 10, budget: 5000, intensity: 2",
               "lever: interdiction, start: 10, region: north, budget: 5000, intensity: 2",
               "lever: strategic_comms, start: 10, budget: 5000, intensity: 0.3",
               "lever: local_mediation, start: 10, region: centre, budget: 5000, intensity: 0.3",
               "lever: ddr, start: 10, budget: 20000, intensity: 150",
               "lever: due_diligence, start: 10, budget: 5000, intensity: 0.5",
               "lever: sanctions, start: 10, budget: 5000, intensity: 0.5",
               "lever: national_mediation, start: 10, end: 30, budget: 5000, intensity: 20000",
               "lever: soc_support, start: 10, budget: 5000, intensity: 1"})});
}

const std::string mali = "scenarios/library/mali/base.yaml";
const std::string mali_option = "scenarios/library/mali/options/sanctions_north.yaml";

}  // namespace

TEST_CASE("a restored state continues bit for bit: civil violence", "[checkpoint]") {
  SECTION("Epstein's run 2, sequential") {
    const model::Model m = check_resume(test::scenario_params("scenarios/epstein/run2.yaml"), 80, 40);
    CHECK(model::measure(m).jailed > 0);
  }
  SECTION("synchronous, probabilistic, hold-cell jail, police hired while resumed") {
    const model::Model m = check_resume(
        test::scenario_params("scenarios/epstein/run2.yaml",
                              {"rules.activation=synchronous", "rules.placement=probabilistic", "rules.jail=hold_cell",
                               "police.density={initial: 0.02, changes: [{at: 15, to: 0.06, over: 20}]}"}),
        20);
    CHECK(model::measure(m).jailed > 0);
  }
  SECTION("synchronous, off-grid jail, police withdrawn while resumed") {
    const model::Model m = check_resume(test::scenario_params("scenarios/epstein/run2.yaml",
                                                              {"rules.activation=synchronous",
                                                               "police.density={initial: 0.06, changes: [{at: 15, to: 0.02, over: 20}]}"}),
                                        20);
    CHECK(model::measure(m).jailed > 0);
  }
}

TEST_CASE("a restored state continues bit for bit: the criminal economy", "[checkpoint]") {
  SECTION("police salaries, extortion and a busy justice queue") {
    const model::Model m = check_resume(test::scenario_params("scenarios/economy/police_salaries.yaml",
                                                              {"police.extortion.rate=0.2", "justice.prosecutions_per_step=2"}),
                                        30);
    CHECK(!m.police().backlog.empty());
  }
  SECTION("revolving door: no prosecutors, pretrial detention runs out") {
    const model::Model m = check_resume(test::scenario_params("scenarios/economy/revolving_door.yaml"), 30);
    CHECK(!m.police().backlog.empty());
  }
  SECTION("two corridors, synchronous") {
    check_resume(test::scenario_params("scenarios/economy/two_corridors.yaml", {"rules.activation=synchronous"}), 30);
  }
}

TEST_CASE("a restored state continues bit for bit: armed groups", "[checkpoint]") {
  for (const char* path : {"scenarios/armed_groups/spoiler_financing.yaml", "scenarios/armed_groups/state_capture.yaml"}) {
    INFO(path);
    const model::Model m = check_resume(test::scenario_params(path), 60, 30);
    CHECK(m.conflict().deaths > 0);
    CHECK(m.conflict().units.size() > m.params().conflict.armed_groups.groups.size());
  }
}

TEST_CASE("a restored state continues bit for bit: the mission and its levers", "[checkpoint]") {
  const model::Params p = busy_mission();
  model::Model original(p);
  for (int s = 0; s < 25; ++s) original.step();
  // The levers have acted by the save; the budget runs out and the mediation's transitions are
  // interrupted after it.
  CHECK(original.mission().exits > 0);
  CHECK(original.mission().listings + original.mission().wrong_listings > 0);
  CHECK(original.mission().transitions_interrupted == 0);
  CHECK(original.mission().budget_left > 0);
  model::Model restored(p);
  model::restore_state(restored, model::save_state(original));
  continue_together(original, restored, 20);
  CHECK(original.mission().transitions_interrupted > 0);
  CHECK(original.mission().budget_left < 0);
}

TEST_CASE("a restored branch continues bit for bit, its levers restored with it", "[checkpoint]") {
  // Listings frequent enough to happen in the few steps after the decision.
  const std::vector<std::string> frequent = {"mission.listing_rate=0.5"};
  const scenario::Scenario base = scenario::load_scenario(test::source_path(mali), frequent);
  const scenario::Scenario option = scenario::load_option(test::source_path(mali), test::source_path(mali_option), frequent);
  model::Model warm(base.params());
  while (warm.current_step() < option.option->decision - 1) warm.step();
  model::Model branch = warm.branch(option.option->levers_of(option.params()));
  for (int s = 0; s < 6; ++s) branch.step();
  CHECK(branch.mission().listings + branch.mission().wrong_listings > 0);
  const std::vector<std::uint8_t> state = model::save_state(branch);

  SECTION("into a model of the baseline's parameters") {
    model::Model restored(base.params());
    model::restore_state(restored, state);
    CHECK(restored.params().mission.levers.size() == option.params().mission.levers.size());
    continue_together(branch, restored, 15);
  }
  SECTION("into a model of the option's parameters") {
    model::Model restored(option.params());
    model::restore_state(restored, state);
    continue_together(branch, restored, 15);
  }
}

TEST_CASE("saving a restored state gives the same bytes", "[checkpoint]") {
  for (const char* path : {"scenarios/epstein/run2.yaml", "scenarios/armed_groups/spoiler_financing.yaml"}) {
    INFO(path);
    const model::Params p = test::scenario_params(path);
    model::Model m(p);
    for (int s = 0; s < 15; ++s) m.step();
    const std::vector<std::uint8_t> state = model::save_state(m);
    model::Model fresh(p);
    model::restore_state(fresh, state);
    CHECK(model::save_state(fresh) == state);
    // A model that has run further is overwritten as completely as a fresh one.
    model::Model ahead(p);
    for (int s = 0; s < 25; ++s) ahead.step();
    model::restore_state(ahead, state);
    CHECK(model::save_state(ahead) == state);
    continue_together(m, ahead, 5);
  }
  // Step 0: the state of a model just built.
  const model::Params p = busy_mission();
  const model::Model built(p);
  model::Model fresh(p);
  model::restore_state(fresh, model::save_state(built));
  CHECK(model::save_state(fresh) == model::save_state(built));
}

TEST_CASE("damaged states and states of another scenario are refused, the model left as it was", "[checkpoint]") {
  const model::Params p = test::scenario_params("scenarios/economy/police_salaries.yaml");
  model::Model saved(p);
  for (int s = 0; s < 10; ++s) saved.step();
  const std::vector<std::uint8_t> good = model::save_state(saved);
  model::Model target(p);
  target.step();
  const std::vector<std::uint8_t> before = model::save_state(target);
  auto refused = [&](const std::vector<std::uint8_t>& bytes) {
    std::string message;
    try {
      model::restore_state(target, bytes);
    } catch (const model::CheckpointError& e) {
      message = e.what();
    }
    CHECK(model::save_state(target) == before);
    return message;
  };
  using Catch::Matchers::Contains;

  auto flipped = good;
  flipped[flipped.size() / 2] ^= 0x10;
  CHECK_THAT(refused(flipped), Contains("checksum"));
  auto crc_flipped = good;
  crc_flipped.back() ^= 0x01;
  CHECK_THAT(refused(crc_flipped), Contains("checksum"));

  CHECK_THAT(refused({good.begin(), good.end() - 100}), Contains("truncated"));
  CHECK_THAT(refused({good.begin(), good.begin() + 20}), Contains("truncated"));
  CHECK_THAT(refused({good.begin(), good.begin() + 3}), Contains("not a pocsim state"));
  CHECK_THAT(refused({}), Contains("not a pocsim state"));

  auto wrong_magic = good;
  wrong_magic[0] = 'X';
  CHECK_THAT(refused(wrong_magic), Contains("not a pocsim state"));
  auto newer_version = good;
  newer_version[8] = static_cast<std::uint8_t>(model::checkpoint_format_version + 1);
  CHECK_THAT(refused(newer_version), Contains("format version " + std::to_string(model::checkpoint_format_version + 1)));
  auto no_version = good;
  no_version[8] = 0;
  CHECK_THAT(refused(no_version), Contains("format version 0"));

  // Another population on the same grid, another grid, another seed.
  model::Model denser(test::scenario_params("scenarios/economy/police_salaries.yaml", {"citizens.density=0.6"}));
  for (int s = 0; s < 3; ++s) denser.step();
  CHECK_THAT(refused(model::save_state(denser)), Contains("citizens"));
  model::Model epstein(test::scenario_params("scenarios/epstein/run2.yaml"));
  epstein.step();
  CHECK_THAT(refused(model::save_state(epstein)), Contains("grid cells"));
  const model::Model reseeded(test::scenario_params("scenarios/economy/police_salaries.yaml", {"run.seed=2"}));
  CHECK_THAT(refused(model::save_state(reseeded)), Contains("seed"));
  // Same grid and population, but one commodity fewer.
  model::Params fewer = p;
  fewer.economy.commodities.pop_back();
  CHECK_THAT(refused(model::save_state(model::Model(fewer))), Contains("does not fit"));

  model::restore_state(target, good);
  CHECK(model::save_state(target) == good);
}

TEST_CASE("a state restored with another thread count continues identically", "[checkpoint]") {
  const model::Params p = test::scenario_params("scenarios/mission/sahel_mandate.yaml",
                                                {"rules.activation=synchronous", "police.extortion.rate=0.2"});
  constexpr int k = 15, more = 15;
  std::vector<std::uint8_t> state;
  std::vector<std::vector<std::uint8_t>> expected;
  core::ThreadLimit(1).run([&] {
    model::Model m(p);
    for (int s = 0; s < k; ++s) m.step();
    state = model::save_state(m);
    for (int s = 0; s < more; ++s) {
      m.step();
      expected.push_back(model::save_state(m));
    }
  });
  for (int threads : {2, 4}) {
    INFO(threads << " threads");
    core::ThreadLimit(threads).run([&] {
      model::Model m(p);
      model::restore_state(m, state);
      for (int s = 0; s < more; ++s) {
        m.step();
        const bool same = model::save_state(m) == expected[static_cast<std::size_t>(s)];
        REQUIRE(same);
      }
    });
  }
}

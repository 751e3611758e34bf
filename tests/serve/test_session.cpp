#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <numeric>

#include <string>

#include <yaml-cpp/yaml.h>

#include "core/rng.hpp"
#include "io/hdf5.hpp"
#include "serve/session.hpp"
#include "support/support.hpp"

using namespace pocsim;

namespace {

serve::Session mali_session(std::vector<serve::SteeringEntry> replay = {}, bool replay_mode = false, std::int64_t steps = 0) {
  return serve::Session(scenario::load_scenario(test::source_path("scenarios/library/mali/base.yaml"), {"run.steps=60"}), 1,
                        std::move(replay), replay_mode, steps);
}

std::string send(serve::Session& s, const std::string& message, const std::string& dir = "") {
  const serve::Session::Reply r = s.handle(message, dir, "test");
  return r.to_sender;
}

void advance_to(serve::Session& s, std::int64_t step) {
  while (s.step() < step) REQUIRE_FALSE(s.advance().empty());
}

}  // namespace

TEST_CASE("a steered run saved from the live view replays exactly", "[serve]") {
  test::TempDir dir;
  serve::Session live = mali_session();
  advance_to(live, 5);
  CHECK(send(live, R"({"cmd":"lever","kind":"sanctions","region":"north","on":true})").empty());
  CHECK(send(live, R"({"cmd":"slider","key":"armed_groups.clash_rate","value":0.6})").empty());
  advance_to(live, 12);
  CHECK(send(live, R"({"cmd":"lever","kind":"troop_surge","region":"","on":true})").empty());
  advance_to(live, 20);
  CHECK(send(live, R"({"cmd":"lever","kind":"sanctions","region":"north","on":false})").empty());
  advance_to(live, 30);
  const std::vector<std::string> paths = live.save(dir.file("results"), "test");
  REQUIRE(paths.size() == 1);

  // The record as the file holds it, replayed by a fresh session: the same outcomes at every step.
  std::vector<serve::SteeringEntry> record;
  {
    io::Handle f = io::open_file_read(paths[0]);
    record = serve::steering_from_json(io::get_string_attribute(f.id(), "steering"));
    CHECK(io::get_int_attribute(f.id(), "steered_steps") == 30);
  }
  REQUIRE(record.size() == 4);
  CHECK(record[0].step == 6);
  CHECK(record[0].action == "lever_on");
  serve::Session replay = mali_session(record, true, 30);
  advance_to(replay, 30);
  CHECK(replay.advance().empty());  // a replay ends where the saved run ended
  CHECK(replay.outcome_history(0) == live.outcome_history(0));

  // And the steering mattered: the same run without it differs.
  serve::Session plain = mali_session();
  advance_to(plain, 30);
  CHECK(plain.outcome_history(0) != live.outcome_history(0));
}

TEST_CASE("side by side: the pane without the lever is the unsteered run, the other differs only by it", "[serve]") {
  serve::Session s = mali_session();
  advance_to(s, 4);
  CHECK(send(s, R"({"cmd":"side_by_side","kind":"cvr","region":"","on":true})").empty());
  advance_to(s, 40);
  serve::Session plain = mali_session();
  advance_to(plain, 40);
  CHECK(s.outcome_history(0) == plain.outcome_history(0));
  CHECK(s.outcome_history(1) != plain.outcome_history(0));
  // Identical until the lever's first step (5).
  for (std::size_t step = 0; step <= 4; ++step) CHECK(s.outcome_history(1)[step] == plain.outcome_history(0)[step]);
}

TEST_CASE("side by side runs replicates paired by seed: the frame shows their mean, range and paired differences", "[serve]") {
  serve::Session s = mali_session();
  s.set_replicates(3);
  CHECK(s.replicates() == 3);
  advance_to(s, 2);
  CHECK(send(s, R"({"cmd":"slider","key":"armed_groups.clash_rate","value":0.6})").empty());
  advance_to(s, 6);
  const serve::Session::Reply on = s.handle(R"({"cmd":"side_by_side","kind":"cvr","region":"","on":true})", "", "test");
  REQUIRE(on.to_sender.empty());
  REQUIRE(on.broadcast.size() == 2);
  const YAML::Node hello = YAML::Load(on.broadcast[0]);
  CHECK(hello["replicates"].as<int>() == 3);
  CHECK(hello["scenario"]["dates"].size() == 61);
  CHECK(hello["history"]["panes"][0]["range"]["civilian_fatalities"].size() == 7);
  CHECK_THROWS_WITH(s.set_replicates(5), "the number of replicates cannot change while comparing side by side");
  advance_to(s, 30);

  // Replicate 0 is the run watched so far; replicate r is the scenario with a comparison's r-th seed,
  // steered the same way, as a session of its own would run it.
  const std::uint64_t seed = scenario::load_scenario(test::source_path("scenarios/library/mali/base.yaml"), {}).params().run.seed;
  for (std::size_t r = 0; r < 3; ++r) {
    std::vector<std::string> sets{"run.steps=60"};
    if (r > 0) sets.push_back("run.seed=" + std::to_string(core::derived_seed(seed, r)));
    serve::Session alone(scenario::load_scenario(test::source_path("scenarios/library/mali/base.yaml"), sets), 1);
    advance_to(alone, 2);
    REQUIRE(send(alone, R"({"cmd":"slider","key":"armed_groups.clash_rate","value":0.6})").empty());
    advance_to(alone, 30);
    CHECK(s.outcome_history(0, r) == alone.outcome_history(0));
    // The side with the lever branched from the same replicate: identical until the lever's first step (7).
    for (std::size_t step = 0; step <= 6; ++step) CHECK(s.outcome_history(1, r)[step] == s.outcome_history(0, r)[step]);
  }
  CHECK(s.outcome_history(1, 1) != s.outcome_history(0, 1));
  CHECK(s.outcome_history(0, 1) != s.outcome_history(0, 2));  // replicates differ

  const YAML::Node frame = YAML::Load(s.advance());
  CHECK(frame["replicates"].as<int>() == 3);
  const auto& specs = model::outcome_specs();
  for (std::size_t k = 0; k < specs.size(); ++k) {
    const std::string key(specs[k].name);
    CAPTURE(key);
    double mean[2] = {0, 0}, diff_lo = 1e300, diff_hi = -1e300, diff_mean = 0;
    for (std::size_t r = 0; r < 3; ++r) {
      const double without = s.outcome_history(0, r).back()[k], with = s.outcome_history(1, r).back()[k];
      mean[0] += without / 3;
      mean[1] += with / 3;
      diff_mean += (with - without) / 3;
      diff_lo = std::min(diff_lo, with - without);
      diff_hi = std::max(diff_hi, with - without);
    }
    for (std::size_t pane = 0; pane < 2; ++pane) {
      const YAML::Node p = frame["panes"][pane];
      const double m = p["outcomes"][key].as<double>();
      CHECK(m == Approx(mean[pane]).epsilon(1e-9).margin(1e-12));
      CHECK(p["range"][key][0].as<double>() <= m * (1 + 1e-9) + 1e-12);
      CHECK(p["range"][key][1].as<double>() >= m * (1 - 1e-9) - 1e-12);
    }
    CHECK(frame["difference"][key][0].as<double>() == Approx(diff_mean).epsilon(1e-9).margin(1e-12));
    CHECK(frame["difference"][key][1].as<double>() == Approx(diff_lo).epsilon(1e-9).margin(1e-12));
    CHECK(frame["difference"][key][2].as<double>() == Approx(diff_hi).epsilon(1e-9).margin(1e-12));
  }

  // Switched off, the run watched goes on alone.
  const serve::Session::Reply off = s.handle(R"({"cmd":"side_by_side","kind":"cvr","on":false})", "", "test");
  REQUIRE(off.to_sender.empty());
  CHECK(YAML::Load(off.broadcast[0])["replicates"].as<int>() == 1);
  CHECK_FALSE(YAML::Load(s.advance())["panes"][0]["range"]);
  CHECK_THROWS_WITH(s.set_replicates(0), "replicates must be 1 to 32, not 0");
}

namespace {
std::vector<std::uint8_t> from_base64(const std::string& text) {
  const std::string digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::vector<std::uint8_t> out;
  std::uint32_t bits = 0;
  int held = 0;
  for (const char c : text) {
    if (c == '=') break;
    bits = (bits << 6) | static_cast<std::uint32_t>(digits.find(c));
    held += 6;
    if (held >= 8) {
      held -= 8;
      out.push_back(static_cast<std::uint8_t>((bits >> held) & 0xff));
    }
  }
  return out;
}
template <class T>
std::vector<T> typed(const YAML::Node& n) {
  const std::vector<std::uint8_t> bytes = from_base64(n.as<std::string>());
  REQUIRE(bytes.size() % sizeof(T) == 0);
  std::vector<T> v(bytes.size() / sizeof(T));
  std::memcpy(v.data(), bytes.data(), bytes.size());
  return v;
}
}  // namespace

TEST_CASE("grids go to the page as typed arrays, in blocks on a grid of more than 250,000 cells, keeping totals", "[serve]") {
  // Mali's map on a grid of 601 x 500 cells (a sparse population keeps it quick): blocks of 2 x 2 cells.
  serve::Session s(scenario::load_scenario(test::source_path("scenarios/library/mali/base.yaml"),
                                           {"run.steps=40", "grid.width=601", "grid.height=500", "citizens.density=0.03"}),
                   1);
  CHECK(s.replicates() == 1);  // a large grid compares side by side with one replicate a side unless told
  const YAML::Node hello = YAML::Load(s.hello());
  const YAML::Node map = hello["map"];
  CHECK(map["scale"].as<int>() == 2);
  CHECK(map["width"].as<int>() == 301);
  CHECK(map["height"].as<int>() == 250);
  const std::size_t blocks = 301 * 250;
  const std::vector<std::int16_t> region = typed<std::int16_t>(map["region"]);
  REQUIRE(region.size() == blocks);
  CHECK(std::count(region.begin(), region.end(), 0) > 0);  // north, centre and south all appear
  CHECK(std::count(region.begin(), region.end(), 2) > 0);
  const std::vector<std::uint8_t> road = typed<std::uint8_t>(map["road"]);
  REQUIRE(road.size() == blocks);
  CHECK(std::count(road.begin(), road.end(), 1) > 0);
  // Violence per block sums to the deaths of the step: blocks keep totals. (Frames are read only at the
  // first violent step: parsing each would take most of the test's time.)
  const auto& specs = model::outcome_specs();
  const auto fatalities = static_cast<std::size_t>(
      std::find_if(specs.begin(), specs.end(), [](const model::OutcomeSpec& o) { return o.name == "fatalities"; }) - specs.begin());
  std::string text;
  for (int i = 0; i < 40 && (text.empty() || s.outcome_history(0).back()[fatalities] == 0); ++i) text = s.advance();
  const bool saw_violence = s.outcome_history(0).back()[fatalities] > 0;
  const YAML::Node pane = YAML::Load(text)["panes"][0];
  const std::vector<std::uint8_t> cells = typed<std::uint8_t>(pane["cells"]);
  REQUIRE(cells.size() == blocks);
  CHECK(*std::max_element(cells.begin(), cells.end()) <= 4);
  CHECK(std::count(cells.begin(), cells.end(), 1) > 0);
  CHECK(typed<std::uint8_t>(pane["control"]).size() == blocks);
  CHECK(typed<float>(pane["flow"]).size() == blocks);
  const std::vector<float> violence = typed<float>(pane["violence"]);
  REQUIRE(violence.size() == blocks);
  CHECK(std::accumulate(violence.begin(), violence.end(), 0.0) == Approx(pane["outcomes"]["fatalities"].as<double>()));
  CHECK(saw_violence);
}

TEST_CASE("bad messages from the page get an error back and change nothing", "[serve][errors]") {
  serve::Session s = mali_session();
  advance_to(s, 3);
  const std::string before = s.steering();
  const auto error_of = [&](const std::string& message) {
    const std::string reply = send(s, message);
    CHECK(reply.rfind(R"({"type":"error","message":)", 0) == 0);
    CHECK(s.steering() == before);
    CHECK(s.step() == 3);
    return reply;
  };
  CHECK(error_of("{not json") .find("not valid JSON") != std::string::npos);
  CHECK(error_of(R"(["cmd","play"])").find("a JSON object") != std::string::npos);
  CHECK(error_of(R"({"cmd":"fly"})").find("unknown command 'fly'") != std::string::npos);
  CHECK(error_of(R"({"cmd":"lever","kind":"nonsense","on":true})").find("unknown lever 'nonsense'") != std::string::npos);
  CHECK(error_of(R"({"cmd":"lever","kind":"cvr","region":"atlantis","on":true})").find("unknown region 'atlantis'") != std::string::npos);
  CHECK(error_of(R"({"cmd":"lever","kind":"cvr","on":"maybe"})").find("'on' must be true or false") != std::string::npos);
  CHECK(error_of(R"({"cmd":"lever","kind":"cvr","on":false})").find("cvr everywhere is not on") != std::string::npos);
  CHECK(error_of(R"({"cmd":"slider","key":"run.seed","value":3})").find("cannot be moved during a run") != std::string::npos);
  CHECK(error_of(R"({"cmd":"slider","key":"armed_groups.clash_rate","value":7})").find("out of range") != std::string::npos);
  CHECK(error_of(R"({"cmd":"slider","key":"armed_groups.clash_rate","value":".nan"})").find("must be a") != std::string::npos);
  CHECK(error_of(R"({"cmd":"speed","value":1000})").find("0.5 to 50") != std::string::npos);
  CHECK(error_of(R"({"cmd":"side_by_side","kind":"cvr","on":false})").find("not on") != std::string::npos);
  // Still steerable afterwards.
  CHECK(send(s, R"({"cmd":"lever","kind":"cvr","on":true})").empty());
  CHECK(s.steering() != before);
}

TEST_CASE("a replay refuses steering", "[serve][errors]") {
  serve::Session replay = mali_session({}, true, 10);
  CHECK(send(replay, R"({"cmd":"lever","kind":"cvr","on":true})").find("replay of a saved run") != std::string::npos);
}

TEST_CASE("a lever switched on and off before it starts never acts, and a troop surge is on or off, not doubled", "[serve]") {
  serve::Session s = mali_session();
  CHECK(send(s, R"({"cmd":"lever","kind":"cvr","on":true})").empty());
  CHECK(send(s, R"({"cmd":"lever","kind":"cvr","on":false})").empty());
  CHECK(send(s, R"({"cmd":"lever","kind":"troop_surge","on":true})").empty());
  CHECK(send(s, R"({"cmd":"lever","kind":"troop_surge","on":true})").find("already on") != std::string::npos);
  CHECK(send(s, R"({"cmd":"lever","kind":"troop_surge","on":false})").empty());
  CHECK(send(s, R"({"cmd":"lever","kind":"troop_surge","on":false})").find("a troop surge everywhere is not on") != std::string::npos);
  advance_to(s, 20);
  serve::Session plain = mali_session();
  advance_to(plain, 20);
  CHECK(s.outcome_history(0) == plain.outcome_history(0));
}

TEST_CASE("deferred saves: one at a time, written off the session from a copy, the same file as a direct save", "[serve]") {
  test::TempDir dir;
  serve::Session s = mali_session();
  s.defer_saves();
  advance_to(s, 10);
  CHECK(send(s, R"({"cmd":"slider","key":"armed_groups.clash_rate","value":0.6})").empty());
  advance_to(s, 15);
  const serve::Session::Reply asked = s.handle(R"({"cmd":"save"})", dir.file("results"), "test");
  REQUIRE(asked.save);
  CHECK(asked.to_sender.empty());
  CHECK(send(s, R"({"cmd":"save"})", dir.file("results")).find("a save is being written") != std::string::npos);
  // The run goes on while the save is written: the job holds what it needs.
  advance_to(s, 25);
  core::ThreadLimit one(1);
  const std::vector<std::string> paths = asked.save->write(one);
  REQUIRE(paths.size() == 1);
  CHECK(s.save_written(paths, "").find("\"type\":\"saved\"") != std::string::npos);
  {
    io::Handle f = io::open_file_read(paths[0]);
    CHECK(io::get_int_attribute(f.id(), "steered_steps") == 15);
    CHECK(serve::steering_from_json(io::get_string_attribute(f.id(), "steering")).size() == 1);
  }
  CHECK(s.save_written({}, "disk full").find("the save failed: disk full") != std::string::npos);
  CHECK(s.handle(R"({"cmd":"save"})", dir.file("results"), "test").save);  // the next one may start
}

TEST_CASE("a change broadcasts only the entries it added, and they rebuild the whole record", "[serve]") {
  serve::Session s = mali_session();
  std::string rebuilt = "[]";
  for (int i = 0; i < 50; ++i) {
    const serve::Session::Reply r =
        s.handle(R"({"cmd":"slider","key":"armed_groups.clash_rate","value":)" + std::to_string(0.1 + 0.001 * i) + "}", "", "test");
    const auto steering = std::find_if(r.broadcast.begin(), r.broadcast.end(),
                                       [](const std::string& b) { return b.rfind(R"({"type":"steering")", 0) == 0; });
    REQUIRE(steering != r.broadcast.end());
    const std::string& m = *steering;
    // The message names where its entries go and holds just the one entry, not the record so far.
    INFO(m);
    CHECK(m.rfind(R"({"type":"steering","from":)" + std::to_string(i) + R"(,"steering":[{"step":)", 0) == 0);
    CHECK(m.find(R"("action":"slider")") != std::string::npos);
    CHECK(m.size() < 150);
    const std::string entry = m.substr(m.find(",\"steering\":[") + 13, m.size() - 2 - (m.find(",\"steering\":[") + 13));
    rebuilt = rebuilt == "[]" ? "[" + entry + "]" : rebuilt.substr(0, rebuilt.size() - 1) + "," + entry + "]";
  }
  CHECK(s.steering() == R"({"type":"steering","steering":)" + rebuilt + "}");
}

TEST_CASE("the steering record is capped: the change past the cap is refused and the run goes on", "[serve][errors]") {
  serve::Session s = mali_session();
  for (std::size_t i = 0; i < serve::max_steering_entries; ++i)
    REQUIRE(send(s, R"({"cmd":"slider","key":"armed_groups.clash_rate","value":)" + std::to_string(0.1 + 0.0001 * static_cast<double>(i)) + "}")
                .empty());
  CHECK(send(s, R"({"cmd":"slider","key":"armed_groups.clash_rate","value":0.5})").find("as many as it may") != std::string::npos);
  CHECK(send(s, R"({"cmd":"lever","kind":"cvr","on":true})").find("as many as it may") != std::string::npos);
  CHECK_FALSE(s.advance().empty());
  CHECK(send(s, R"({"cmd":"reset"})").empty());
  CHECK(send(s, R"({"cmd":"slider","key":"armed_groups.clash_rate","value":0.5})").empty());  // reset clears the record
}

TEST_CASE("a lever switched on with its own budget and intensity: applied, recorded, replayed, and checked", "[serve]") {
  const scenario::Scenario sc = scenario::load_scenario(test::source_path("scenarios/library/mali/base.yaml"), {"run.steps=20"});
  model::Model m(sc.params());
  m.step();
  serve::SteeringEntry e;
  e.step = 2;
  e.action = "lever_on";
  e.kind = "cvr";
  e.region = "north";
  e.budget = 12345.5;
  e.intensity = 7;
  serve::check_steering_entry(e, m.params());
  const std::size_t before = m.params().mission.levers.size();
  serve::apply_steering(m, e);
  REQUIRE(m.params().mission.levers.size() == before + 1);
  const model::LeverDef& added = m.params().mission.levers.back();
  CHECK(added.budget == 12345.5);
  CHECK(added.intensity == 7);
  CHECK(added.start == 2);
  CHECK(added.region_index == 0);

  const std::vector<serve::SteeringEntry> back = serve::steering_from_json(serve::to_json({e}));
  REQUIRE(back.size() == 1);
  CHECK(back[0].budget == 12345.5);
  CHECK(back[0].intensity == 7);
  serve::SteeringEntry preset = e;
  preset.budget = preset.intensity = std::numeric_limits<double>::quiet_NaN();
  CHECK(serve::to_json({preset}).find("budget") == std::string::npos);  // the page's clicks: the presets

  const auto refused = [&](serve::SteeringEntry bad) {
    try {
      serve::check_steering_entry(bad, m.params());
    } catch (const std::invalid_argument& ex) {
      return std::string(ex.what());
    }
    return std::string();
  };
  serve::SteeringEntry bad = e;
  bad.budget = -1;
  CHECK(refused(bad) == "a lever's budget and intensity are numbers of at least 0, got -1");
  bad = e;
  bad.region = "atlantis";
  CHECK(refused(bad) == "no region 'atlantis' in this scenario: its regions are north, centre, south");
  bad = e;
  bad.action = "slider";
  bad.key = "citizens.legitimacy";
  CHECK(refused(bad).find("'citizens.legitimacy' cannot change during a run; these can: armed_groups.clash_rate") == 0);
  bad.key = "citizens.moral_cost";
  bad.value = -3;
  CHECK(refused(bad).find("citizens.moral_cost = -3 is out of range") == 0);
}

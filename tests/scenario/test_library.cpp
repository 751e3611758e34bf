// Every scenario of the library, and every mandate option, validates and runs; options branch from the
// baseline at their decision date and their levers act.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "model/report.hpp"
#include "scenario/loader.hpp"
#include "support/support.hpp"

using namespace pocsim;
namespace fs = std::filesystem;

namespace {
std::vector<fs::path> yaml_files(const fs::path& dir) {
  std::vector<fs::path> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".yaml") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}
}  // namespace

TEST_CASE("the scenario library: five settings, each with options, every file valid and running", "[library]") {
  const fs::path library = test::source_path("scenarios/library");
  std::vector<fs::path> settings;
  for (const auto& e : fs::directory_iterator(library))
    if (e.is_directory()) settings.push_back(e.path());
  std::sort(settings.begin(), settings.end());
  CHECK(settings.size() >= 5);
  for (const fs::path& setting : settings) {
    INFO(setting.string());
    const fs::path base = setting / "base.yaml";
    REQUIRE(fs::exists(base));
    // The base and its overlays: valid, and each a few steps of a living model.
    for (const fs::path& file : yaml_files(setting)) {
      INFO(file.string());
      const scenario::Scenario s = scenario::load_scenario(file.string());
      CHECK(!s.params().description.empty());
      CHECK(s.params().description.find("not calibrated") != std::string::npos);
      CHECK((file == base || !s.bases.empty()));  // everything but the base overlays it
      model::Model m(s.params());
      for (int step = 0; step < 3; ++step) m.step();
      CHECK(test::state_problem(m).empty());
    }
    // Its options: all decide on one date; each branches from the baseline there and acts.
    const std::vector<fs::path> options = yaml_files(setting / "options");
    CHECK(options.size() >= 2);
    std::int64_t decision = -1;
    model::Model warm(scenario::load_scenario(base.string()).params());
    for (const fs::path& file : options) {
      INFO(file.string());
      const scenario::Scenario o = scenario::load_option(base.string(), file.string());
      CHECK(!o.option->description.empty());
      if (decision < 0) {
        decision = o.option->decision;
        while (warm.current_step() < decision - 1) warm.step();
      }
      CHECK(o.option->decision == decision);
      model::Model branch = warm.branch(o.option->levers_of(o.params()));
      for (int step = 0; step < 3; ++step) branch.step();
      CHECK(test::state_problem(branch).empty());
    }
  }
}

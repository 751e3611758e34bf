// Levers are exact: at zero dose, aimed at a region with nothing in it, or starting after the run's end, a
// lever leaves every recorded quantity identical to the run without it, every step (common random
// numbers make the paired difference the lever's effect, so anything else would be the lever acting
// where it should not); at its preset dose, aimed everywhere, it changes something.
#include <catch2/catch.hpp>

#include <sstream>

#include "model/report.hpp"
#include "support/support.hpp"

using namespace pocsim;

namespace {
constexpr std::int64_t steps = 16;
const std::vector<std::string> settings{"scenarios/library/mali/base.yaml", "scenarios/library/guinea_bissau/base.yaml",
                                        "scenarios/library/drc_east/base.yaml"};

// Every quantity and table row a run records, step by step, as text (exact: values printed in full).
std::vector<std::string> recording(const model::Params& p) {
  model::Model m(p);
  std::vector<std::string> out;
  for (std::int64_t s = 1; s <= p.run.steps; ++s) {
    m.step();
    std::ostringstream o;
    o.precision(17);
    for (const model::Quantity& q : model::report(m)) {
      o << q.path;
      for (double v : q.values) o << ' ' << v;
      o << '\n';
    }
    for (const model::Table& t : model::tables(m))
      for (const model::TableColumn& c : t.columns) {
        o << t.path << '/' << c.name;
        for (std::int64_t v : c.values) o << ' ' << v;
        o << '\n';
      }
    out.push_back(o.str());
  }
  return out;
}

// The first step and line at which two recordings differ, or "".
std::string first_difference(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (std::size_t s = 0; s < std::min(a.size(), b.size()); ++s) {
    if (a[s] == b[s]) continue;
    std::istringstream x(a[s]), y(b[s]);
    for (std::string lx, ly; std::getline(x, lx) && std::getline(y, ly);)
      if (lx != ly) return "step " + std::to_string(s + 1) + ": " + lx.substr(0, 160) + "  vs  " + ly.substr(0, 160);
  }
  return a.size() == b.size() ? "" : "different lengths";
}

// A setting with one more region, which holds no cell (a degenerate outline), and contracts to leak.
model::Params setting(const std::string& scenario) {
  model::Params p = test::scenario_params(scenario, {"run.steps=" + std::to_string(steps)});
  p.geography.regions.push_back({"nowhere", std::nullopt, {{0, 0}, {1, 0}, {1, 0}}});
  if (p.mission.contracts <= 0) p.mission.contracts = 5000;
  return p;
}

model::LeverDef preset(model::LeverKind kind) {
  const model::LeverInfo& info = model::lever_info(kind);
  return {kind, 1, 0, "", info.preset_budget, info.preset_intensity, -1};
}
}  // namespace

TEST_CASE("a lever at zero dose, in an empty region or after the run's end leaves every quantity as without it", "[mission][levers][exact]") {
  for (const std::string& scenario : settings) {
    const model::Params base = setting(scenario);
    const std::vector<std::string> without = recording(base);
    for (const model::LeverInfo& info : model::lever_table) {
      model::LeverDef zero = preset(info.kind);
      (info.dose == model::Dose::budget ? zero.budget : zero.intensity) = 0;
      model::LeverDef nowhere = preset(info.kind);
      nowhere.region = "nowhere";
      nowhere.region_index = static_cast<std::int16_t>(base.geography.regions.size() - 1);
      model::LeverDef too_late = preset(info.kind);
      too_late.start = steps + 1;
      for (const auto& [how, lever] : {std::pair{"at zero dose", zero}, {"in an empty region", nowhere}, {"after the end", too_late}}) {
        model::Params with = base;
        with.mission.levers.push_back(lever);
        INFO(scenario << ": " << info.name << " " << how);
        CHECK(first_difference(without, recording(with)) == "");
      }
    }
  }
}

TEST_CASE("a lever at its preset dose, aimed everywhere, changes something", "[mission][levers][exact]") {
  const model::Params base = setting(settings[0]);
  const std::vector<std::string> without = recording(base);
  for (const model::LeverInfo& info : model::lever_table) {
    model::Params with = base;
    with.mission.levers.push_back(preset(info.kind));
    INFO(info.name);
    CHECK(first_difference(without, recording(with)) != "");
  }
}

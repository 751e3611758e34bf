// Explaining options: Shapley values on games whose answer is known, and on the model — a single lever
// takes the whole effect, parts add up to the effect, a lever at zero dose takes exactly nothing, and the
// answer does not depend on the thread count.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <numeric>

#include "core/parallel.hpp"
#include "ensemble/explain.hpp"
#include "io/hdf5.hpp"
#include "model/mission/levers.hpp"
#include "model/outcomes.hpp"
#include "support/support.hpp"

using namespace pocsim;

TEST_CASE("Shapley values of a game with a known answer, exact and from every order", "[explain]") {
  // Three players: each adds a_i; players 0 and 1 together add b more (an interaction shared equally).
  const double a[3] = {1.0, 2.0, 4.0}, b = 6.0;
  std::map<std::uint32_t, std::vector<double>> values;
  for (std::uint32_t s = 0; s < 8; ++s) {
    double v = 0;
    for (int i = 0; i < 3; ++i) v += (s >> i & 1u) ? a[i] : 0.0;
    if ((s & 3u) == 3u) v += b;
    values[s] = {v, -2 * v};
  }
  const auto value = [&](std::uint32_t s) -> const std::vector<double>& { return values.at(s); };
  const auto exact = ensemble::shapley_exact(3, value);
  CHECK(exact[0][0] == Approx(a[0] + b / 2));
  CHECK(exact[1][0] == Approx(a[1] + b / 2));
  CHECK(exact[2][0] == Approx(a[2]));
  CHECK(exact[0][1] == Approx(-2 * (a[0] + b / 2)));
  // Efficiency: the parts add up to value(all) − value(∅).
  CHECK(exact[0][0] + exact[1][0] + exact[2][0] == Approx(values[7][0] - values[0][0]));
  // Every one of the six orders gives the exact values.
  std::vector<std::vector<std::size_t>> orders;
  std::vector<std::size_t> order{0, 1, 2};
  do orders.push_back(order);
  while (std::next_permutation(order.begin(), order.end()));
  const auto sampled = ensemble::shapley_sampled(3, orders, value);
  for (int i = 0; i < 3; ++i) CHECK(sampled[i][0] == Approx(exact[i][0]));
  // Sampled orders are permutations, fixed by the seed.
  const auto drawn = ensemble::sample_orders(5, 20, 7);
  CHECK(drawn == ensemble::sample_orders(5, 20, 7));
  for (auto o : drawn) {
    std::sort(o.begin(), o.end());
    CHECK(o == std::vector<std::size_t>{0, 1, 2, 3, 4});
  }
}

TEST_CASE("every lever's intended quantity is among the intermediates an explanation measures", "[explain]") {
  for (const model::LeverInfo& l : model::lever_table) {
    INFO(l.name);
    const auto& list = ensemble::intermediates();
    CHECK(std::any_of(list.begin(), list.end(), [&](const ensemble::Intermediate& i) { return i.path == l.intended.quantity; }));
  }
}

namespace {
const std::string sahel = "scenarios/mission/sahel_mandate.yaml";

ensemble::ExplainPlan plan_for(const test::TempDir& dir, const std::vector<std::pair<std::string, std::string>>& options, int replicates) {
  ensemble::ExplainPlan plan;
  const std::vector<std::string> overrides{"run.steps=40"};
  plan.baseline = scenario::load_scenario(test::source_path(sahel), overrides);
  for (const auto& [name, text] : options)
    plan.options.push_back(scenario::load_option(test::source_path(sahel), test::write_text(dir.file(name), text), overrides));
  plan.replicates = replicates;
  plan.output = dir.file("explanation.h5");
  plan.command_line = "test";
  return plan;
}

ensemble::Outcome run(const ensemble::ExplainPlan& plan, int threads) {
  core::ThreadLimit limit(threads);
  ensemble::Outcome out;
  limit.run([&] { out = ensemble::run_explanation(plan, threads, {}); });
  return out;
}

const char* const one = "decision: 20\nlevers: [{lever: cvr, start: 20, region: north, budget: 20000, intensity: 100}]\n";
const char* const two = "decision: 20\nlevers: [{lever: sanctions, start: 20, region: north, intensity: 1},"
                        " {lever: cvr, start: 20, region: north, budget: 20000, intensity: 100}]\n";
const char* const padded = "decision: 20\nlevers: [{lever: cvr, start: 20, region: north, budget: 20000, intensity: 100},"
                           " {lever: ddr, start: 20, region: north, budget: 0, intensity: 0}]\n";
}  // namespace

TEST_CASE("explaining options: one lever takes all, parts add up, a zero dose takes nothing, any thread count", "[explain]") {
  test::TempDir one_thread, two_threads;
  const auto plan1 = plan_for(one_thread, {{"one.yaml", one}, {"two.yaml", two}, {"padded.yaml", padded}}, 3);
  const auto plan2 = plan_for(two_threads, {{"one.yaml", one}, {"two.yaml", two}, {"padded.yaml", padded}}, 3);
  CHECK(ensemble::explanation_runs(plan1) == 3 * (1 + 1 + 3 + 3));
  REQUIRE(run(plan1, 1).complete);
  REQUIRE(run(plan2, 2).complete);
  const io::Handle f1 = io::open_file_read(plan1.output), f2 = io::open_file_read(plan2.output);
  for (const char* path : {"options/two/shapley", "options/two/total", "options/padded/alone"}) {
    const std::vector<double> a = io::read_double(f1.id(), path), b = io::read_double(f2.id(), path);
    CHECK((a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0));
  }
  const std::size_t n_q = io::get_string_list_attribute(f1.id(), "quantities").size();
  // One lever: its Shapley value is the option's effect, replicate by replicate.
  CHECK(io::read_double(f1.id(), "options/one/shapley") == io::read_double(f1.id(), "options/one/total"));
  // Two levers: the parts add up to the effect (up to rounding).
  const std::vector<double> parts = io::read_double(f1.id(), "options/two/shapley"), total = io::read_double(f1.id(), "options/two/total");
  bool moved = false;
  for (std::size_t i = 0; i < n_q * 3; ++i) {
    CHECK(parts[i] + parts[n_q * 3 + i] == Approx(total[i]).margin(1e-9 * std::max(1.0, std::fabs(total[i]))));
    moved |= total[i] != 0;
  }
  CHECK(moved);
  // A DDR entry at zero dose does nothing: exactly nothing is attributed to it, and CVR takes all.
  const std::vector<double> padded_parts = io::read_double(f1.id(), "options/padded/shapley");
  const std::vector<double> padded_total = io::read_double(f1.id(), "options/padded/total");
  for (std::size_t i = 0; i < n_q * 3; ++i) {
    CHECK(padded_parts[n_q * 3 + i] == 0.0);
    CHECK(padded_parts[i] == padded_total[i]);
  }
  // CVR alone in `padded` is the option `one`: the same runs.
  CHECK(padded_total == io::read_double(f1.id(), "options/one/total"));

  const ensemble::Explanation e = ensemble::read_explanation(plan1.output);
  CHECK(e.options == std::vector<std::string>{"one", "two", "padded"});
  CHECK(e.players[1] == std::vector<std::string>{"sanctions in north", "cvr in north"});
  CHECK(e.methods[1] == "exact");
  CHECK(e.replicates == 3);
  const std::string text = ensemble::format_explanation(e);
  CHECK(text.find("== two (sanctions in north, cvr in north; exact)") != std::string::npos);
  CHECK(ensemble::explanation_csv(e).find("two,fatalities,outcome,\"cvr in north\",cvr,") != std::string::npos);
}

TEST_CASE("sampled orders: the parts still add up to the effect", "[explain]") {
  test::TempDir dir;
  auto plan = plan_for(dir, {{"two.yaml", two}}, 2);
  plan.exact_up_to = 1;  // two entries: sampled
  plan.permutations = 3;
  REQUIRE(run(plan, 2).complete);
  const io::Handle f = io::open_file_read(plan.output);
  const std::vector<double> parts = io::read_double(f.id(), "options/two/shapley"), total = io::read_double(f.id(), "options/two/total");
  const std::size_t n = total.size();
  for (std::size_t i = 0; i < n; ++i) CHECK(parts[i] + parts[n + i] == Approx(total[i]).margin(1e-9 * std::max(1.0, std::fabs(total[i]))));
  CHECK(ensemble::read_explanation(plan.output).methods[0] == "3 sampled orders");
}

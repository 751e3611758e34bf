// MODEL_BRIEF patterns 1-3 (Epstein 2002), each over 20 fixed seeds. Thresholds leave margin against the
// seed-to-seed spread measured when they were set, so the tests do not flake, yet each fails if the
// mechanism behind its pattern is switched off (see the comments on each).
#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>

#include "model/report.hpp"
#include "support/support.hpp"

using namespace pocsim;

namespace {
constexpr int n_seeds = 20;

std::vector<std::int64_t> actives(const std::string& scenario, std::vector<std::string> overrides, int seed) {
  overrides.push_back("run.seed=" + std::to_string(seed));
  std::vector<std::int64_t> out;
  for (const auto& r : test::run_records(test::scenario_params(scenario, overrides))) out.push_back(r.active);
  return out;
}

// One quantity of the economy's report per step, by path (element `index` of a vector quantity).
std::vector<double> economy_series(const std::string& scenario, std::vector<std::string> overrides, int seed,
                                   const std::string& path, std::size_t index = 0) {
  overrides.push_back("run.seed=" + std::to_string(seed));
  const auto p = test::scenario_params(scenario, overrides);
  model::Model m(p);
  std::vector<double> out;
  for (std::int64_t s = 0; s < p.run.steps; ++s) {
    m.step();
    for (const auto& q : model::report(m))
      if (q.path == path) out.push_back(q.values[index]);
  }
  return out;
}

double mean_of(const std::vector<double>& a, std::size_t from, std::size_t to) {
  return std::accumulate(a.begin() + static_cast<std::ptrdiff_t>(from), a.begin() + static_cast<std::ptrdiff_t>(to), 0.0) /
         static_cast<double>(to - from);
}

std::int64_t peak(const std::vector<std::int64_t>& a, std::size_t from = 0) {
  return *std::max_element(a.begin() + static_cast<std::ptrdiff_t>(from), a.end());
}

int rises_above(const std::vector<std::int64_t>& a, std::int64_t level) {
  int n = 0;
  for (std::size_t i = 1; i < a.size(); ++i) n += a[i] > level && a[i - 1] <= level;
  return n;
}

std::size_t longest_calm(const std::vector<std::int64_t>& a, std::int64_t calm_below) {
  std::size_t best = 0;
  std::size_t run = 0;
  for (auto x : a) {
    run = x < calm_below ? run + 1 : 0;
    best = std::max(best, run);
  }
  return best;
}

double mean(const std::vector<std::int64_t>& a, std::size_t from, std::size_t to) {
  return std::accumulate(a.begin() + static_cast<std::ptrdiff_t>(from), a.begin() + static_cast<std::ptrdiff_t>(to), 0.0) /
         static_cast<double>(to - from);
}
}  // namespace

TEST_CASE("pattern 1: punctuated equilibrium with C/A floored, none with the literal rule", "[pattern]") {
  const std::string run2 = "scenarios/epstein/run2.yaml";
  for (int seed = 1; seed <= n_seeds; ++seed) {
    INFO("seed " << seed);
    const auto floored = actives(run2, {}, seed);
    // Outbursts of more than 50 actives, several per run, separated by long calm stretches.
    CHECK(peak(floored) > 50);
    CHECK(rises_above(floored, 50) >= 3);
    CHECK(longest_calm(floored, 10) >= 20);
    // The paper's formula read literally keeps P high wherever a cop is in sight: no outburst at all.
    const auto literal = actives(run2, {"rules.arrest_ratio=none"}, seed);
    CHECK(peak(literal) <= 25);
  }
}

TEST_CASE("pattern 2: a legitimacy cut in one jump beats the same cut in small steps", "[pattern]") {
  int jump_larger = 0;
  for (int seed = 1; seed <= n_seeds; ++seed) {
    const auto jump = actives("scenarios/epstein/run4_jump.yaml", {}, seed);
    const auto gradual = actives("scenarios/epstein/run3_gradual.yaml", {}, seed);
    // Common random numbers: the two runs are identical until the cut begins.
    REQUIRE(std::equal(jump.begin(), jump.begin() + 77, gradual.begin()));
    const auto pj = peak(jump, 77);
    const auto pg = peak(gradual, 77);
    UNSCOPED_INFO("seed " << seed << ": peak after the cut, jump " << pj << ", gradual " << pg);
    jump_larger += pj > pg;
  }
  WARN("the jump gave the larger peak in " << jump_larger << " of " << n_seeds << " paired seeds");
  CHECK(jump_larger >= 15);  // "in most paired seeds"
}

TEST_CASE("pattern 3: withdrawing police gradually tips the population into rebellion", "[pattern]") {
  int tipped = 0;
  for (int seed = 1; seed <= n_seeds; ++seed) {
    const auto withdrawal = actives("scenarios/epstein/run5_cop_withdrawal.yaml", {}, seed);
    const auto control = actives("scenarios/epstein/run5_cop_withdrawal.yaml", {"police.density=0.04"}, seed);
    const double end_withdrawal = mean(withdrawal, 500, 601);
    const double end_control = mean(control, 500, 601);
    const double start_withdrawal = mean(withdrawal, 0, 100);
    UNSCOPED_INFO("seed " << seed << ": mean actives, steps 500-600: withdrawal " << end_withdrawal << ", control "
                          << end_control << "; steps 0-100: " << start_withdrawal);
    tipped += end_withdrawal > 3 * end_control && end_withdrawal > 3 * start_withdrawal && end_withdrawal > 150;
  }
  WARN(tipped << " of " << n_seeds << " seeds tipped");
  CHECK(tipped >= 18);
}

TEST_CASE("pattern 4: interdiction on one corridor moves the flow to the other (balloon effect)", "[pattern]") {
  // Steps are 1-based in these series (index 0 is step 1). Interdiction rises fivefold at step 60.
  const std::string scenario = "scenarios/economy/two_corridors.yaml";
  int shifted = 0;
  for (int seed = 1; seed <= n_seeds; ++seed) {
    const auto north = economy_series(scenario, {}, seed, "regions/flow", 0);
    const auto south = economy_series(scenario, {}, seed, "regions/flow", 1);
    const auto delivered = economy_series(scenario, {}, seed, "economy/delivered", 0);
    const auto control_north = economy_series(scenario, {"police.interdiction=[]"}, seed, "regions/flow", 0);
    const auto control_south = economy_series(scenario, {"police.interdiction=[]"}, seed, "regions/flow", 1);
    auto north_share = [](const std::vector<double>& n, const std::vector<double>& s, std::size_t from, std::size_t to) {
      return mean_of(n, from, to) / (mean_of(n, from, to) + mean_of(s, from, to));
    };
    const double before = north_share(north, south, 20, 59), after = north_share(north, south, 80, 160);
    const double control = north_share(control_north, control_south, 80, 160);
    const double delivered_before = mean_of(delivered, 20, 59), delivered_after = mean_of(delivered, 80, 160);
    UNSCOPED_INFO("seed " << seed << ": northern share of flow " << before << " -> " << after << " (control " << control
                          << "), delivered " << delivered_before << " -> " << delivered_after);
    // Flow leaves the interdicted corridor for the other; what gets through does not fall in proportion
    // to the fivefold interdiction; without interdiction, the northern corridor stays in use.
    shifted += after < 0.1 && after < 0.3 * before && delivered_after > 0.8 * delivered_before && control > 0.1;
  }
  WARN(shifted << " of " << n_seeds << " seeds showed the balloon effect");
  CHECK(shifted >= 18);
}

TEST_CASE("pattern 10a: unpaid police take more bribes and seize less, and paying them lowers bribery", "[pattern]") {
  // police_salaries.yaml: pay falls to 20 % at step 40 and returns to 100 % at step 100.
  const std::string scenario = "scenarios/economy/police_salaries.yaml";
  int held = 0;
  for (int seed = 1; seed <= n_seeds; ++seed) {
    const auto bribery = economy_series(scenario, {}, seed, "police/bribery_rate");
    const auto seizures = economy_series(scenario, {}, seed, "police/seizures");
    const auto paid_seizures = economy_series(scenario, {"police.paid_share=1"}, seed, "police/seizures");
    const double bribery_paid = mean_of(bribery, 0, 39), bribery_unpaid = mean_of(bribery, 60, 99),
                 bribery_restored = mean_of(bribery, 130, 160);
    UNSCOPED_INFO("seed " << seed << ": bribery rate " << bribery_paid << " paid, " << bribery_unpaid << " unpaid, "
                          << bribery_restored << " restored; seizures unpaid " << mean_of(seizures, 60, 99) << " vs "
                          << mean_of(paid_seizures, 60, 99) << " paid");
    // With integrity 0.5 no officer takes more than half the offers, so unpaid pay can at most double the
    // rate; measured over seeds 1-20: x1.6 to x3.0 unpaid, seizures x0.56 to x0.77, restored x0.31 to x0.74.
    held += bribery_unpaid > 1.4 * bribery_paid && mean_of(seizures, 60, 99) < 0.85 * mean_of(paid_seizures, 60, 99) &&
            bribery_restored < 0.85 * bribery_unpaid;
  }
  WARN(held << " of " << n_seeds << " seeds");
  CHECK(held >= 18);
}

TEST_CASE("pattern 10b: arrests without prosecution capacity barely dent the network (revolving door)", "[pattern]") {
  const std::string scenario = "scenarios/economy/revolving_door.yaml";
  int held = 0;
  for (int seed = 1; seed <= n_seeds; ++seed) {
    const auto no_courts = economy_series(scenario, {}, seed, "communities/workers", 0);
    const auto courts = economy_series(scenario, {"justice.prosecutions_per_step=50"}, seed, "communities/workers", 0);
    const auto arrests = economy_series(scenario, {}, seed, "justice/worker_arrests");
    const double early = mean_of(no_courts, 0, 50), late = mean_of(no_courts, 200, 300), late_courts = mean_of(courts, 200, 300);
    UNSCOPED_INFO("seed " << seed << ": workers without courts " << early << " -> " << late << "; with courts, late "
                          << late_courts << "; arrests " << std::accumulate(arrests.begin(), arrests.end(), 0.0));
    // "Barely dent": the workforce without courts stays within the seed-to-seed spread of its start (Epstein
    // unrest and arrests move it by up to a third), while courts cut it to well under half.
    held += std::accumulate(arrests.begin(), arrests.end(), 0.0) > 200 && late > 0.65 * early && late_courts < 0.5 * late;
  }
  WARN(held << " of " << n_seeds << " seeds");
  CHECK(held >= 18);
}

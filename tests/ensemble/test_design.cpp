// Sweep designs have the sample properties they promise, and the sensitivity measures recover known
// answers: Sobol indices of the Ishigami function, Morris effects of a linear function.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>

#include "ensemble/design.hpp"

using namespace pocsim;
using ensemble::DesignKind;

namespace {
std::vector<ensemble::Factor> ranges(std::size_t k, double lo = 0, double hi = 1) {
  std::vector<ensemble::Factor> f(k);
  for (std::size_t i = 0; i < k; ++i) {
    f[i].key = "x" + std::to_string(i);
    f[i].min = lo;
    f[i].max = hi;
  }
  return f;
}
}  // namespace

TEST_CASE("a Latin hypercube hits every stratum of every factor once", "[design]") {
  const auto d = ensemble::make_design({DesignKind::latin_hypercube, 50, 4, 3}, ranges(4, -2, 6));
  REQUIRE(d.points() == 50);
  for (std::size_t i = 0; i < 4; ++i) {
    std::set<int> strata;
    for (std::size_t p = 0; p < 50; ++p) {
      strata.insert(static_cast<int>(std::floor(d.unit[p][i] * 50)));
      CHECK(d.values[p][i] == Approx(-2 + 8 * d.unit[p][i]));
    }
    CHECK(strata.size() == 50);
  }
  // Fixed by the seed; another seed gives another design.
  CHECK(ensemble::make_design({DesignKind::latin_hypercube, 50, 4, 3}, ranges(4)).unit == d.unit);
  CHECK(ensemble::make_design({DesignKind::latin_hypercube, 50, 4, 4}, ranges(4)).unit != d.unit);
}

TEST_CASE("factorial and one-at-a-time designs enumerate their levels", "[design]") {
  auto f = ranges(2);
  f[1].levels = {10, 20, 30};
  const auto full = ensemble::make_design({DesignKind::full_factorial, 0, 2, 1}, f);
  REQUIRE(full.points() == 6);
  CHECK(full.values[0] == std::vector<double>{0, 10});
  CHECK(full.values[1] == std::vector<double>{0, 20});
  CHECK(full.values[5] == std::vector<double>{1, 30});
  const auto oat = ensemble::make_design({DesignKind::one_at_a_time, 0, 3, 1}, f);
  // Centre (0.5, 20), then x0 at 0 and 1, then x1 at 10 and 30.
  REQUIRE(oat.points() == 5);
  CHECK(oat.values[0] == std::vector<double>{0.5, 20});
  CHECK(oat.values[1] == std::vector<double>{0, 20});
  CHECK(oat.values[4] == std::vector<double>{0.5, 30});
  f[0].integer = true;
  f[0].max = 9;
  CHECK(ensemble::make_design({DesignKind::one_at_a_time, 0, 3, 1}, f).values[0][0] == 5);  // 4.5 rounded
}

TEST_CASE("Saltelli matrices have N (k + 2) rows, each A_B^i differing from A in column i only", "[design]") {
  const auto d = ensemble::make_design({DesignKind::sobol, 64, 4, 1}, ranges(3));
  REQUIRE(d.points() == 64 * 5);
  for (std::size_t r = 0; r < 64; ++r) {
    const auto& a = d.unit[r * 5];
    const auto& b = d.unit[r * 5 + 1];
    CHECK(d.role[r * 5] == -2);
    CHECK(d.role[r * 5 + 1] == -1);
    for (std::size_t i = 0; i < 3; ++i) {
      const auto& ab = d.unit[r * 5 + 2 + i];
      for (std::size_t c = 0; c < 3; ++c) CHECK(ab[c] == (c == i ? b[c] : a[c]));
    }
  }
}

TEST_CASE("Morris trajectories move one factor by delta per step", "[design]") {
  const auto d = ensemble::make_design({DesignKind::morris, 10, 4, 7}, ranges(5));
  REQUIRE(d.points() == 10 * 6);
  const double delta = 4.0 / 6.0;
  for (std::size_t p = 0; p < d.points(); ++p) {
    for (double u : d.unit[p]) CHECK((u >= 0 && u <= 1));
    if (d.role[p] < 0) continue;
    for (std::size_t i = 0; i < 5; ++i) {
      const double step = d.unit[p][i] - d.unit[p - 1][i];
      if (static_cast<std::int32_t>(i) == d.role[p]) CHECK(std::fabs(step) == Approx(delta));
      else CHECK(step == 0);
    }
  }
}

TEST_CASE("Sobol indices of the Ishigami function match the analytic values", "[design][sensitivity]") {
  // f = sin x1 + 7 sin^2 x2 + 0.1 x3^4 sin x1 on [-pi, pi]^3 (Ishigami & Homma 1990). Analytic indices
  // (Sobol' & Levitan 1999): S = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437.
  const double pi = std::acos(-1.0);
  const auto d = ensemble::make_design({DesignKind::sobol, 8192, 4, 1}, ranges(3, -pi, pi));
  std::vector<double> y;
  for (const auto& x : d.values)
    y.push_back(std::sin(x[0]) + 7 * std::sin(x[1]) * std::sin(x[1]) + 0.1 * std::pow(x[2], 4) * std::sin(x[0]));
  const auto s = ensemble::sobol_indices(d, y, 200, 1);
  const double first[] = {0.3139, 0.4424, 0.0};
  const double total[] = {0.5576, 0.4424, 0.2437};
  for (std::size_t i = 0; i < 3; ++i) {
    INFO("x" << i + 1 << ": S " << s[i].first << " [" << s[i].first_low << ", " << s[i].first_high << "], ST " << s[i].total
             << " [" << s[i].total_low << ", " << s[i].total_high << "]");
    CHECK(s[i].first == Approx(first[i]).margin(0.02));
    CHECK(s[i].total == Approx(total[i]).margin(0.02));
    CHECK(s[i].first_low <= s[i].first);
    CHECK(s[i].first <= s[i].first_high);
    CHECK(s[i].total_high - s[i].total_low < 0.1);
    CHECK(s[i].first_low - 0.02 <= first[i]);
    CHECK(first[i] <= s[i].first_high + 0.02);
  }
}

TEST_CASE("Morris effects of a linear function are its slopes, with no spread", "[design][sensitivity]") {
  auto f = ranges(3, 0, 10);
  const auto d = ensemble::make_design({DesignKind::morris, 20, 4, 2}, f);
  std::vector<double> y;
  for (const auto& x : d.values) y.push_back(2 * x[0] - 3 * x[1] + 0 * x[2]);
  const auto m = ensemble::morris_indices(d, y, 100, 1);
  // Per unit of the range (10): slopes 20, -30, 0.
  CHECK(m[0].mu_star == Approx(20));
  CHECK(m[0].mu == Approx(20));
  CHECK(m[1].mu_star == Approx(30));
  CHECK(m[1].mu == Approx(-30));
  CHECK(m[2].mu_star == Approx(0).margin(1e-9));
  for (const auto& e : m) CHECK(e.sigma == Approx(0).margin(1e-9));
  CHECK(m[0].effects == 20);
}

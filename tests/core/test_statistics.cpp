// Intervals of replicated outcomes: right on known cases, and covering a known mean as often as they claim.
#include <catch2/catch.hpp>

#include <cmath>

#include "core/distributions.hpp"
#include "core/rng.hpp"
#include "core/statistics.hpp"

using namespace pocsim;

TEST_CASE("mean_interval on small known samples", "[statistics]") {
  const core::Estimate e = core::mean_interval({1.0, 2.0, 3.0});
  CHECK(e.n == 3);
  CHECK(e.mean == 2.0);
  CHECK(e.sd == Approx(1.0));
  // t(0.975, 2) = 4.302652729911275; half-width = t * sd / sqrt(3).
  CHECK(e.high - e.mean == Approx(4.302652729911275 / std::sqrt(3.0)).epsilon(1e-9));
  CHECK(e.mean - e.low == Approx(e.high - e.mean).epsilon(1e-9));

  const core::Estimate same = core::mean_interval({5.0, 5.0, 5.0, 5.0});
  CHECK(same.low == 5.0);
  CHECK(same.high == 5.0);

  const core::Estimate one = core::mean_interval({7.0});
  CHECK(one.mean == 7.0);
  CHECK(std::isnan(one.low));
  CHECK(std::isnan(core::mean_interval({}).mean));
}

TEST_CASE("95% intervals cover a known mean in about 95% of synthetic samples", "[statistics]") {
  // 4,000 samples of 20 normal draws (mean 3, sd 2): coverage is binomial(4000, 0.95), sd 0.34 %.
  const core::RandomStream rng(11, "test.coverage");
  int covered = 0;
  constexpr int samples = 4000;
  for (int s = 0; s < samples; ++s) {
    core::Draws d = rng.at(0, static_cast<std::uint64_t>(s));
    std::vector<double> xs;
    for (int i = 0; i < 20; ++i) xs.push_back(3.0 + 2.0 * core::standard_normal(d));
    const core::Estimate e = core::mean_interval(xs);
    covered += e.low <= 3.0 && 3.0 <= e.high;
  }
  const double coverage = static_cast<double>(covered) / samples;
  WARN("coverage " << coverage);
  CHECK(coverage > 0.935);
  CHECK(coverage < 0.965);

  // A 50% interval is not a 95% one: the confidence level is honoured, not ignored.
  int covered_half = 0;
  for (int s = 0; s < samples; ++s) {
    core::Draws d = rng.at(1, static_cast<std::uint64_t>(s));
    std::vector<double> xs;
    for (int i = 0; i < 20; ++i) xs.push_back(3.0 + 2.0 * core::standard_normal(d));
    const core::Estimate e = core::mean_interval(xs, 0.5);
    covered_half += e.low <= 3.0 && 3.0 <= e.high;
  }
  CHECK(static_cast<double>(covered_half) / samples == Approx(0.5).margin(0.03));
}

TEST_CASE("derived seeds are distinct, fixed and writable in a scenario", "[statistics][rng]") {
  CHECK(core::derived_seed(1, 0) == core::derived_seed(1, 0));
  CHECK(core::derived_seed(1, 0) != core::derived_seed(1, 1));
  CHECK(core::derived_seed(1, 0) != core::derived_seed(2, 0));
  for (std::uint64_t i = 0; i < 1000; ++i) CHECK(core::derived_seed(7, i) < (std::uint64_t{1} << 53));
}

TEST_CASE("Mann-Whitney p-values equal scipy's asymptotic ones, ties included", "[statistics]") {
  // References: scipy.stats.mannwhitneyu(x, y, method="asymptotic").pvalue (SciPy 1.10.1).
  const std::vector<double> x{1.2, 3.4, 2.2, 5.0, 4.1, 3.3, 2.9, 0.7, 4.4, 3.0, 2.5, 1.9};
  const std::vector<double> y{2.8, 4.9, 5.5, 3.9, 6.1, 4.4, 5.2, 3.6, 4.0, 6.6};
  CHECK(core::mann_whitney_p(x, y) == Approx(0.006846421764535181).epsilon(1e-9));
  CHECK(core::mann_whitney_p(y, x) == Approx(0.006846421764535181).epsilon(1e-9));
  const std::vector<double> a{0, 1, 1, 2, 2, 2, 3, 3, 4, 5}, b{2, 3, 3, 4, 4, 5, 5, 5, 6, 7, 7};
  CHECK(core::mann_whitney_p(a, b) == Approx(0.006081712143363773).epsilon(1e-9));
  std::vector<double> c, d;
  for (int i = 0; i < 10; ++i) {
    c.push_back(i);
    d.push_back(i + 0.5);
  }
  CHECK(core::mann_whitney_p(c, d) == Approx(0.7337299956962472).epsilon(1e-9));
  CHECK(core::mann_whitney_p(c, c) == 1.0);
  CHECK(core::mann_whitney_p({}, c) == 1.0);
}

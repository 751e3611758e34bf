#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <numeric>

#include "core/distributions.hpp"
#include "core/rng.hpp"

using namespace pocsim::core;

TEST_CASE("Philox4x32-10 matches Random123's known-answer vectors", "[rng]") {
  // Random123 tests/kat_vectors: philox4x32 10 rounds.
  struct Kat {
    Philox::ctr_type ctr;
    Philox::key_type key;
    std::array<std::uint32_t, 4> expected;
  };
  const Kat kats[] = {
      {{{0, 0, 0, 0}}, {{0, 0}}, {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
      {{{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}}, {{0xffffffff, 0xffffffff}},
       {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
      {{{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}}, {{0xa4093822, 0x299f31d0}},
       {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
  };
  for (const Kat& k : kats) {
    const Philox::ctr_type out = Philox{}(k.ctr, k.key);
    for (int i = 0; i < 4; ++i) CHECK(out[i] == k.expected[i]);
  }
}

TEST_CASE("stream keys and the first draws are pinned", "[rng]") {
  // Pins the derivation of keys from (seed, name) and of counters from (step, entity, block): any
  // change here changes every result pocsim has ever produced, so it must be deliberate.
  const RandomStream s(1, "citizen.move");
  CHECK(s.key()[0] == 0x2ccbd448u);
  CHECK(s.key()[1] == 0x79e1b984u);
  Draws d = s.at(3, 42);
  CHECK(d.next_u32() == 0xc3fab438u);
  CHECK(d.next_u32() == 0xd881b3dbu);
}

TEST_CASE("draws depend on seed, name, step and entity, and on nothing else", "[rng]") {
  const RandomStream a(7, "x");
  CHECK(a.at(1, 2).next_u64() == RandomStream(7, "x").at(1, 2).next_u64());
  CHECK(a.at(1, 2).next_u64() != RandomStream(8, "x").at(1, 2).next_u64());
  CHECK(a.at(1, 2).next_u64() != RandomStream(7, "y").at(1, 2).next_u64());
  CHECK(a.at(1, 2).next_u64() != a.at(2, 2).next_u64());
  CHECK(a.at(1, 2).next_u64() != a.at(1, 3).next_u64());
  CHECK(a.at(1, 2).next_u64() != a.at(1, std::uint64_t{2} | (std::uint64_t{1} << 32)).next_u64());
  // Successive words continue across Philox blocks without repeating.
  Draws d = a.at(0, 0);
  std::array<std::uint32_t, 12> w{};
  for (auto& x : w) x = d.next_u32();
  std::sort(w.begin(), w.end());
  CHECK(std::adjacent_find(w.begin(), w.end()) == w.end());
}

namespace {
constexpr int n_samples = 200000;

template <class F>
std::pair<double, double> mean_variance(F&& draw) {
  Draws d = RandomStream(11, "test.stats").at(0, 0);
  double sum = 0;
  double sum2 = 0;
  for (int i = 0; i < n_samples; ++i) {
    const double x = draw(d);
    sum += x;
    sum2 += x * x;
  }
  const double mean = sum / n_samples;
  return {mean, sum2 / n_samples - mean * mean};
}
}  // namespace

TEST_CASE("uniform draws have the right mean and variance", "[rng][stats]") {
  const auto [m, v] = mean_variance([](Draws& d) { return d.uniform(); });
  // Standard error of the mean sqrt(1/12/n) = 0.00065: allow 5 standard errors.
  CHECK(m == Approx(0.5).margin(0.0033));
  CHECK(v == Approx(1.0 / 12).margin(0.002));
  Draws d = RandomStream(1, "t").at(0, 0);
  for (int i = 0; i < 10000; ++i) {
    const double u = d.uniform();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
  }
}

TEST_CASE("uniform_below is unbiased (chi-square) and stays in range", "[rng][stats]") {
  for (std::uint32_t n : {2u, 3u, 7u, 10u}) {
    std::vector<int> counts(n, 0);
    Draws d = RandomStream(3, "test.int").at(n, 0);
    for (int i = 0; i < n_samples; ++i) {
      const std::uint32_t k = uniform_below(d, n);
      REQUIRE(k < n);
      ++counts[k];
    }
    const double expected = static_cast<double>(n_samples) / n;
    double chi2 = 0;
    for (int c : counts) chi2 += (c - expected) * (c - expected) / expected;
    // 99.9th percentile of chi-square with 9 degrees of freedom is 27.9; fewer degrees, smaller.
    CHECK(chi2 < 27.9);
  }
  Draws d = RandomStream(3, "t").at(0, 0);
  for (int i = 0; i < 1000; ++i) {
    const auto k = uniform_int(d, -2, 2);
    REQUIRE(k >= -2);
    REQUIRE(k <= 2);
  }
}

TEST_CASE("exponential, normal and Bernoulli draws match their moments", "[rng][stats]") {
  const auto [em, ev] = mean_variance([](Draws& d) { return exponential(d, 2.0); });
  CHECK(em == Approx(0.5).margin(0.006));
  CHECK(ev == Approx(0.25).margin(0.01));
  const auto [nm, nv] = mean_variance([](Draws& d) { return standard_normal(d); });
  CHECK(nm == Approx(0.0).margin(0.012));
  CHECK(nv == Approx(1.0).margin(0.015));
  const auto [bm, bv] = mean_variance([](Draws& d) { return bernoulli(d, 0.3) ? 1.0 : 0.0; });
  CHECK(bm == Approx(0.3).margin(0.005));
  (void)bv;
}

TEST_CASE("shuffle permutes, and every item lands everywhere equally often", "[rng][stats]") {
  std::array<std::array<int, 5>, 5> where{};
  for (int trial = 0; trial < 50000; ++trial) {
    std::array<int, 5> items{0, 1, 2, 3, 4};
    Draws d = RandomStream(9, "test.shuffle").at(0, static_cast<std::uint64_t>(trial));
    shuffle(d, std::span<int>(items));
    std::array<int, 5> sorted = items;
    std::sort(sorted.begin(), sorted.end());
    REQUIRE(sorted == std::array<int, 5>{0, 1, 2, 3, 4});
    for (int pos = 0; pos < 5; ++pos) ++where[items[pos]][pos];
  }
  for (const auto& row : where)
    for (int count : row) CHECK(count == Approx(10000).margin(500));  // 5 standard deviations
}

TEST_CASE("the normal quantile matches tabulated values", "[rng]") {
  CHECK(normal_quantile(0.5) == Approx(0.0).margin(1e-12));
  CHECK(normal_quantile(0.975) == Approx(1.959963984540054).epsilon(1e-8));
  CHECK(normal_quantile(0.025) == Approx(-1.959963984540054).epsilon(1e-8));
  CHECK(normal_quantile(0.001) == Approx(-3.090232306167813).epsilon(1e-8));
  CHECK(normal_quantile(0.9999) == Approx(3.719016485455709).epsilon(1e-8));
  CHECK(normal_quantile(0.8413447460685429) == Approx(1.0).epsilon(1e-8));
}

TEST_CASE("binomial from one uniform: limits, exact probabilities by inversion, moments, monotone", "[rng][stats]") {
  // Limits.
  CHECK(binomial_from_uniform(0.7, 0, 0.5) == 0);
  CHECK(binomial_from_uniform(0.999, 1000, 0.0) == 0);
  CHECK(binomial_from_uniform(0.0, 1000, 1.0) == 1000);
  CHECK(binomial_from_uniform(0.3, 1, 0.5) == 0);  // n = 1, by inversion: u below 1 - p gives 0
  CHECK(binomial_from_uniform(0.6, 1, 0.5) == 1);
  // Inversion: the share of a fine grid of u giving k is P(X = k) to the grid's resolution.
  const int grid = 200000;
  for (const auto& [n, p] : {std::pair<std::uint32_t, double>{10, 0.3}, {5000, 0.001}, {40, 0.9}}) {
    std::vector<int> count(n + 1, 0);
    for (int i = 0; i < grid; ++i) ++count[binomial_from_uniform((i + 0.5) / grid, n, p)];
    for (std::uint32_t k = 0; k <= std::min<std::uint32_t>(n, 12); ++k) {
      const double pmf = std::exp(std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0) + k * std::log(p) +
                                  (n - k) * std::log1p(-p));
      INFO("n " << n << " p " << p << " k " << k);
      CHECK(count[k] / static_cast<double>(grid) == Approx(pmf).margin(2.0 / grid));
    }
  }
  // Above a mean of 30, the normal approximation keeps the mean and the variance.
  for (const auto& [n, p] : {std::pair<std::uint32_t, double>{2'000'000, 2.3e-5}, {100'000, 0.3}, {1000, 0.7}}) {
    double sum = 0, sum2 = 0;
    for (int i = 0; i < grid; ++i) {
      const double k = binomial_from_uniform((i + 0.5) / grid, n, p);
      sum += k;
      sum2 += k * k;
    }
    const double mean = sum / grid, var = sum2 / grid - mean * mean;
    INFO("n " << n << " p " << p);
    CHECK(mean == Approx(n * p).epsilon(1e-3));
    CHECK(var == Approx(n * p * (1 - p) + 1.0 / 12).epsilon(0.02));  // rounding adds 1/12
  }
  // Monotone in u: a larger draw never kills fewer.
  std::uint32_t last = 0;
  for (int i = 0; i < 10000; ++i) {
    const std::uint32_t k = binomial_from_uniform(i / 10000.0, 3000, 0.01);
    REQUIRE(k >= last);
    last = k;
  }
}

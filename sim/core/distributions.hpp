#pragma once
// Distributions implemented here rather than taken from <random>: the standard fixes the engines but
// not the distribution algorithms, so std::normal_distribution gives different numbers under libstdc++
// and libc++. Each algorithm below is named, so a result can be reproduced from its description.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <span>
#include <utility>

namespace pocsim::core {

// Uniform integer in [0, n), n >= 1: Lemire's multiply-and-reject (ACM TOMS 2019), exact (no modulo bias).
template <class Gen>
[[gnu::always_inline]] inline std::uint32_t uniform_below(Gen& g, std::uint32_t n) {
  std::uint64_t m = static_cast<std::uint64_t>(g.next_u32()) * n;
  auto low = static_cast<std::uint32_t>(m);
  if (low < n) {
    const std::uint32_t threshold = (0u - n) % n;
    while (low < threshold) {
      m = static_cast<std::uint64_t>(g.next_u32()) * n;
      low = static_cast<std::uint32_t>(m);
    }
  }
  return static_cast<std::uint32_t>(m >> 32);
}

// Uniform integer in [lo, hi] inclusive.
template <class Gen>
std::int64_t uniform_int(Gen& g, std::int64_t lo, std::int64_t hi) {
  return lo + uniform_below(g, static_cast<std::uint32_t>(hi - lo + 1));
}

template <class Gen>
double uniform_real(Gen& g, double lo, double hi) {
  return lo + (hi - lo) * g.uniform();
}

template <class Gen>
bool bernoulli(Gen& g, double p) {
  return g.uniform() < p;
}

// Exponential with the given rate, by inversion.
template <class Gen>
double exponential(Gen& g, double rate) {
  return -std::log1p(-g.uniform()) / rate;
}

// Standard normal by the Box-Muller transform (one of the pair is used; determinism over speed).
template <class Gen>
double standard_normal(Gen& g) {
  const double u1 = 1.0 - g.uniform();  // (0, 1]
  const double u2 = g.uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

// The standard normal's quantile: Acklam's algorithm (rational approximations on a central and two tail
// intervals; relative error below 1.15e-9), for 0 < u < 1.
inline double normal_quantile(double u) {
  constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                          1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                          6.680131188771972e+01,  -1.328068155288572e+01};
  constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                          -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
  constexpr double low = 0.02425;
  if (u < low) {
    const double q = std::sqrt(-2 * std::log(u));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (u > 1 - low) {
    const double q = std::sqrt(-2 * std::log1p(-u));
    return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const double q = u - 0.5, r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

// Binomial(n, p) from one uniform u in [0, 1): the number of n people an event with chance p per person
// reaches, for counts too large to draw one by one. Exact inversion of the cumulative distribution
// (summed from 0) while the mean is at most 30; above it, the normal approximation with continuity
// correction (variance >= 15 there, as p <= 1/2 after the symmetry B(n, p) = n - B(n, 1 - p)), rounded
// and clamped to [0, n]. A larger u never gives fewer: the draw is monotone in u, as inversion is.
inline std::uint32_t binomial_from_uniform(double u, std::uint32_t n, double p) {
  if (n == 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomial_from_uniform(1.0 - u, n, 1.0 - p);
  const double mean = static_cast<double>(n) * p;
  if (mean <= 30) {
    const double odds = p / (1.0 - p);
    double pmf = std::exp(static_cast<double>(n) * std::log1p(-p));
    double cdf = pmf;
    std::uint32_t k = 0;
    while (u >= cdf && k < n) {
      pmf *= odds * static_cast<double>(n - k) / static_cast<double>(k + 1);
      cdf += pmf;
      ++k;
    }
    return k;
  }
  const double z = normal_quantile(std::min(std::max(u, 1e-300), 1.0 - 1e-16));
  const double k = std::floor(mean + std::sqrt(mean * (1.0 - p)) * z + 0.5);
  return static_cast<std::uint32_t>(std::min(std::max(k, 0.0), static_cast<double>(n)));
}

// Fisher-Yates shuffle, from the last element down.
template <class Gen, class T>
void shuffle(Gen& g, std::span<T> items) {
  for (std::size_t i = items.size(); i > 1; --i) {
    const std::size_t j = uniform_below(g, static_cast<std::uint32_t>(i));
    std::swap(items[i - 1], items[j]);
  }
}

}  // namespace pocsim::core

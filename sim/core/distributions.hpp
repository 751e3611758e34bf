#pragma once
// Distributions implemented here rather than taken from <random>: the standard fixes the engines but
// not the distribution algorithms, so std::normal_distribution gives different numbers under libstdc++
// and libc++. Each algorithm below is named, so a result can be reproduced from its description.
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

// Fisher-Yates shuffle, from the last element down.
template <class Gen, class T>
void shuffle(Gen& g, std::span<T> items) {
  for (std::size_t i = items.size(); i > 1; --i) {
    const std::size_t j = uniform_below(g, static_cast<std::uint32_t>(i));
    std::swap(items[i - 1], items[j]);
  }
}

}  // namespace pocsim::core

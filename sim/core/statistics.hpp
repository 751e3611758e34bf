#pragma once
// Summaries of replicated runs: a mean with its confidence interval (Student's t), used for option
// levels and for paired differences alike; and a rank test for whether two sets of runs differ.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

namespace pocsim::core {

struct Estimate {
  std::size_t n = 0;
  double mean = 0;
  double low = std::numeric_limits<double>::quiet_NaN();   // NaN when n < 2: one replicate has no interval
  double high = std::numeric_limits<double>::quiet_NaN();
  double sd = std::numeric_limits<double>::quiet_NaN();
};

// Mean of `xs` and its two-sided `confidence` interval, mean ± t(n-1) × sd / sqrt(n). Summed in order,
// so the same values give the same bits.
inline Estimate mean_interval(const std::vector<double>& xs, double confidence = 0.95) {
  Estimate e;
  e.n = xs.size();
  if (e.n == 0) {
    e.mean = std::numeric_limits<double>::quiet_NaN();
    return e;
  }
  double sum = 0;
  for (double x : xs) sum += x;
  e.mean = sum / static_cast<double>(e.n);
  if (e.n < 2) return e;
  double squares = 0;
  for (double x : xs) squares += (x - e.mean) * (x - e.mean);
  e.sd = std::sqrt(squares / static_cast<double>(e.n - 1));
  const boost::math::students_t t(static_cast<double>(e.n - 1));
  const double half = boost::math::quantile(t, 0.5 + confidence / 2.0) * e.sd / std::sqrt(static_cast<double>(e.n));
  e.low = e.mean - half;
  e.high = e.mean + half;
  return e;
}

// Two-sided p-value of the Mann-Whitney U test that `xs` and `ys` come from the same distribution: the
// normal approximation with midranks for ties, the tie-corrected variance and a continuity correction
// (scipy.stats.mannwhitneyu with method="asymptotic" gives the same). Meant for samples of ten or more
// each; 1 when either is empty or every value is tied.
inline double mann_whitney_p(const std::vector<double>& xs, const std::vector<double>& ys) {
  const std::size_t n1 = xs.size(), n2 = ys.size(), n = n1 + n2;
  if (n1 == 0 || n2 == 0) return 1.0;
  std::vector<std::pair<double, bool>> all;  // value, from xs
  all.reserve(n);
  for (double x : xs) all.emplace_back(x, true);
  for (double y : ys) all.emplace_back(y, false);
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  double rank_sum_x = 0, ties = 0;  // ties: sum of t^3 - t over groups of equal values
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && all[j].first == all[i].first) ++j;
    const double midrank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (std::size_t k = i; k < j; ++k)
      if (all[k].second) rank_sum_x += midrank;
    const auto t = static_cast<double>(j - i);
    ties += t * t * t - t;
    i = j;
  }
  const double a = static_cast<double>(n1), b = static_cast<double>(n2), total = static_cast<double>(n);
  const double u = rank_sum_x - a * (a + 1) / 2.0;
  const double mean = a * b / 2.0;
  const double variance = a * b / 12.0 * ((total + 1) - ties / (total * (total - 1)));
  if (variance <= 0) return 1.0;
  const double z = (std::abs(u - mean) - 0.5) / std::sqrt(variance);
  if (z <= 0) return 1.0;
  return std::min(1.0, 2.0 * boost::math::cdf(boost::math::complement(boost::math::normal(), z)));
}

}  // namespace pocsim::core

#pragma once
// Summaries of replicated runs: a mean with its confidence interval (Student's t), used for option
// levels and for paired differences alike.
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

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

}  // namespace pocsim::core

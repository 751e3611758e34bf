#pragma once
// Experimental designs for sweeps: which points of parameter space to run. Every design is built in the
// unit cube (one coordinate per factor, 0..1) and mapped to each factor's range, and is a fixed function
// of its spec and seed. docs/sweeps.md describes each design and the sensitivity measures computed from it.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/names.hpp"

#include "core/rng.hpp"

namespace pocsim::ensemble {

enum class DesignKind { full_factorial, one_at_a_time, latin_hypercube, morris, sobol };
constexpr auto enum_names(DesignKind) {
  return std::to_array<std::string_view>({"full_factorial", "one_at_a_time", "latin_hypercube", "morris", "sobol"});
}
using core::to_string;

// One parameter a sweep varies: over [min, max], or over explicit levels.
struct Factor {
  std::string key;                 // a scenario key, as for --set
  double min = 0, max = 0;
  std::vector<double> levels;      // explicit levels (factorial and one-at-a-time designs); empty: the range
  bool integer = false;            // values are rounded to whole numbers
  // The value at unit coordinate u (for explicit levels, u = index / (levels - 1)).
  [[nodiscard]] double value(double u) const;
};

struct DesignSpec {
  DesignKind kind = DesignKind::latin_hypercube;
  int samples = 10;   // LHS: points; Morris: trajectories; Sobol: base samples N
  int levels = 4;     // factorial and one-at-a-time: levels of a range factor; Morris: grid levels p (even)
  std::uint64_t seed = 1;
};

struct Design {
  std::vector<std::vector<double>> unit;    // [point][factor], in [0, 1]
  std::vector<std::vector<double>> values;  // [point][factor], in each factor's units
  // Morris: the trajectory of each point, and the factor changed from the previous point (-1: a start).
  // Sobol (Saltelli): the base sample row, and the block (-2: A, -1: B, i: A with column i from B).
  // Other designs: -1 and -1.
  std::vector<std::int32_t> group, role;
  [[nodiscard]] std::size_t points() const { return unit.size(); }
};

// Builds the design; throws std::invalid_argument for specs it cannot honour (checked by the sweep loader
// first, with the file's line).
Design make_design(const DesignSpec& spec, const std::vector<Factor>& factors);

// Sensitivity measures from a design and one outcome per point (NaN for a failed run: left out).
struct MorrisIndex {
  double mu_star = 0, mu_star_low = 0, mu_star_high = 0;  // mean |elementary effect| and its bootstrap interval
  double mu = 0, sigma = 0;                              // mean and standard deviation of the effects
  std::size_t effects = 0;
};
struct SobolIndex {
  double first = 0, first_low = 0, first_high = 0;  // first-order index S_i and its bootstrap interval
  double total = 0, total_low = 0, total_high = 0;  // total index S_Ti
};
// The bootstrap 95 % interval (2.5 and 97.5 percentiles) of statistic(picks) over `bootstrap` resamples of
// `n` units drawn with replacement, each resample b drawn from rng.at(salt, b); NaN when n < 2.
template <class Statistic>
std::pair<double, double> bootstrap_interval(std::size_t n, int bootstrap, const core::RandomStream& rng, std::uint64_t salt,
                                             Statistic&& statistic) {
  if (n < 2 || bootstrap < 1) return {std::nan(""), std::nan("")};
  std::vector<double> stats;
  std::vector<std::size_t> pick(n);
  for (int b = 0; b < bootstrap; ++b) {
    core::Draws draws = rng.at(static_cast<std::uint32_t>(salt), static_cast<std::uint64_t>(b));
    for (std::size_t& p : pick) p = std::min(n - 1, static_cast<std::size_t>(draws.uniform() * static_cast<double>(n)));
    const double s = statistic(pick);
    if (std::isfinite(s)) stats.push_back(s);
  }
  if (stats.empty()) return {std::nan(""), std::nan("")};
  std::sort(stats.begin(), stats.end());
  auto at = [&](double q) { return stats[std::min(stats.size() - 1, static_cast<std::size_t>(q * static_cast<double>(stats.size())))]; };
  return {at(0.025), at(0.975)};
}

// Elementary effects per unit of a factor's range (the unit cube's scale).
std::vector<MorrisIndex> morris_indices(const Design& d, const std::vector<double>& y, int bootstrap, std::uint64_t seed);
// Saltelli (2010) first-order and Jansen (1999) total estimators; bootstrap over base rows.
std::vector<SobolIndex> sobol_indices(const Design& d, const std::vector<double>& y, int bootstrap, std::uint64_t seed);

}  // namespace pocsim::ensemble

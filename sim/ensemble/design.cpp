#include "ensemble/design.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include <boost/random/sobol.hpp>

#include "core/rng.hpp"

namespace pocsim::ensemble {

double Factor::value(double u) const {
  double v = 0;
  if (!levels.empty()) {
    const auto last = static_cast<double>(levels.size() - 1);
    v = levels[static_cast<std::size_t>(std::llround(std::clamp(u, 0.0, 1.0) * last))];
  } else {
    v = min + std::clamp(u, 0.0, 1.0) * (max - min);
  }
  return integer ? std::round(v) : v;
}

namespace {

// Coordinates of `count` evenly spaced levels: 0, 1/(count-1), ..., 1 (one level: the middle).
std::vector<double> grid_levels(std::size_t count) {
  if (count <= 1) return {0.5};
  std::vector<double> out(count);
  for (std::size_t i = 0; i < count; ++i) out[i] = static_cast<double>(i) / static_cast<double>(count - 1);
  return out;
}

std::vector<double> levels_of(const Factor& f, int levels) {
  return grid_levels(f.levels.empty() ? static_cast<std::size_t>(levels) : f.levels.size());
}

// A random permutation of 0..n-1 (Fisher-Yates on a counter-based stream).
std::vector<std::size_t> permutation(std::size_t n, core::Draws& d) {
  std::vector<std::size_t> p(n);
  std::iota(p.begin(), p.end(), 0);
  for (std::size_t i = n; i > 1; --i) std::swap(p[i - 1], p[static_cast<std::size_t>(d.uniform() * static_cast<double>(i))]);
  return p;
}

void add_point(Design& d, std::vector<double> unit, std::int32_t group, std::int32_t role) {
  d.unit.push_back(std::move(unit));
  d.group.push_back(group);
  d.role.push_back(role);
}

}  // namespace

Design make_design(const DesignSpec& spec, const std::vector<Factor>& factors) {
  if (factors.empty()) throw std::invalid_argument("a design needs at least one factor");
  const std::size_t k = factors.size();
  const core::RandomStream rng(spec.seed, "design." + std::string(to_string(spec.kind)));
  Design d;
  switch (spec.kind) {
    case DesignKind::full_factorial: {
      std::vector<std::vector<double>> levels;
      for (const Factor& f : factors) levels.push_back(levels_of(f, spec.levels));
      std::vector<std::size_t> index(k, 0);
      while (true) {  // the last factor varies fastest
        std::vector<double> u(k);
        for (std::size_t i = 0; i < k; ++i) u[i] = levels[i][index[i]];
        add_point(d, u, -1, -1);
        std::size_t i = k;
        while (i > 0 && ++index[i - 1] == levels[i - 1].size()) index[--i] = 0;
        if (i == 0) break;
      }
      break;
    }
    case DesignKind::one_at_a_time: {
      // The centre of every factor, then each factor through its levels with the others at the centre.
      std::vector<double> centre(k);
      for (std::size_t i = 0; i < k; ++i) {
        const std::vector<double> l = levels_of(factors[i], spec.levels);
        centre[i] = l[(l.size() - 1) / 2];
      }
      add_point(d, centre, -1, -1);
      for (std::size_t i = 0; i < k; ++i)
        for (double level : levels_of(factors[i], spec.levels)) {
          if (level == centre[i]) continue;
          std::vector<double> u = centre;
          u[i] = level;
          add_point(d, u, -1, static_cast<std::int32_t>(i));
        }
      break;
    }
    case DesignKind::latin_hypercube: {
      const auto n = static_cast<std::size_t>(spec.samples);
      d.unit.assign(n, std::vector<double>(k));
      for (std::size_t i = 0; i < k; ++i) {
        core::Draws draws = rng.at(0, i);
        const std::vector<std::size_t> strata = permutation(n, draws);
        for (std::size_t j = 0; j < n; ++j) d.unit[j][i] = (static_cast<double>(strata[j]) + draws.uniform()) / static_cast<double>(n);
      }
      d.group.assign(n, -1);
      d.role.assign(n, -1);
      break;
    }
    case DesignKind::morris: {
      // Morris (1991): r trajectories of k + 1 points on a p-level grid, each step moving one factor by
      // delta = p / (2 (p - 1)), up or down, in a random order.
      const int p = spec.levels;
      if (p < 2 || p % 2 != 0) throw std::invalid_argument("Morris levels must be even and at least 2");
      const double delta = static_cast<double>(p) / (2.0 * (p - 1));
      for (int t = 0; t < spec.samples; ++t) {
        core::Draws draws = rng.at(1, static_cast<std::uint64_t>(t));
        std::vector<double> x(k);
        std::vector<int> direction(k);
        for (std::size_t i = 0; i < k; ++i) {
          // Base levels from which +delta stays in the cube: 0, 1/(p-1), ..., 1 - delta.
          const int choices = p / 2;
          const int level = std::min(choices - 1, static_cast<int>(draws.uniform() * choices));
          direction[i] = draws.uniform() < 0.5 ? 1 : -1;
          x[i] = static_cast<double>(level) / (p - 1) + (direction[i] < 0 ? delta : 0.0);
        }
        add_point(d, x, t, -1);
        for (std::size_t i : permutation(k, draws)) {
          x[i] += direction[i] * delta;
          x[i] = std::clamp(x[i], 0.0, 1.0);
          add_point(d, x, t, static_cast<std::int32_t>(i));
        }
      }
      break;
    }
    case DesignKind::sobol: {
      // Saltelli (2010): matrices A and B from one Sobol sequence of dimension 2k (A its first k
      // columns, B the rest), and for each factor i the matrix A with column i taken from B. Boost's
      // sequence starts after the origin, at (1/2, ..., 1/2).
      boost::random::sobol qrng(static_cast<unsigned>(2 * k));
      std::vector<double> row(2 * k);
      for (int j = 0; j < spec.samples; ++j) {
        for (std::size_t c = 0; c < 2 * k; ++c) row[c] = std::ldexp(static_cast<double>(qrng()), -64);
        const std::vector<double> a(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(k));
        const std::vector<double> b(row.begin() + static_cast<std::ptrdiff_t>(k), row.end());
        add_point(d, a, j, -2);
        add_point(d, b, j, -1);
        for (std::size_t i = 0; i < k; ++i) {
          std::vector<double> ab = a;
          ab[i] = b[i];
          add_point(d, ab, j, static_cast<std::int32_t>(i));
        }
      }
      break;
    }
  }
  for (const std::vector<double>& u : d.unit) {
    std::vector<double> v(k);
    for (std::size_t i = 0; i < k; ++i) v[i] = factors[i].value(u[i]);
    d.values.push_back(v);
  }
  return d;
}


std::vector<MorrisIndex> morris_indices(const Design& d, const std::vector<double>& y, int bootstrap, std::uint64_t seed) {
  const std::size_t k = d.unit.empty() ? 0 : d.unit.front().size();
  std::vector<std::vector<double>> effects(k);
  for (std::size_t p = 1; p < d.points(); ++p) {
    if (d.role[p] < 0 || d.group[p] != d.group[p - 1]) continue;
    const auto i = static_cast<std::size_t>(d.role[p]);
    const double step = d.unit[p][i] - d.unit[p - 1][i];
    if (step == 0 || !std::isfinite(y[p]) || !std::isfinite(y[p - 1])) continue;
    effects[i].push_back((y[p] - y[p - 1]) / step);
  }
  const core::RandomStream rng(seed, "analysis.morris.bootstrap");
  std::vector<MorrisIndex> out(k);
  for (std::size_t i = 0; i < k; ++i) {
    const std::vector<double>& e = effects[i];
    MorrisIndex& m = out[i];
    m.effects = e.size();
    if (e.empty()) {
      m.mu_star = m.mu = m.sigma = m.mu_star_low = m.mu_star_high = std::nan("");
      continue;
    }
    auto mean_abs = [&](const std::vector<std::size_t>& pick) {
      double s = 0;
      for (std::size_t j : pick) s += std::fabs(e[j]);
      return s / static_cast<double>(pick.size());
    };
    std::vector<std::size_t> all(e.size());
    std::iota(all.begin(), all.end(), 0);
    m.mu_star = mean_abs(all);
    m.mu = std::accumulate(e.begin(), e.end(), 0.0) / static_cast<double>(e.size());
    double sq = 0;
    for (double v : e) sq += (v - m.mu) * (v - m.mu);
    m.sigma = e.size() > 1 ? std::sqrt(sq / static_cast<double>(e.size() - 1)) : std::nan("");
    std::tie(m.mu_star_low, m.mu_star_high) = bootstrap_interval(e.size(), bootstrap, rng, i, mean_abs);
  }
  return out;
}

std::vector<SobolIndex> sobol_indices(const Design& d, const std::vector<double>& y, int bootstrap, std::uint64_t seed) {
  const std::size_t k = d.unit.empty() ? 0 : d.unit.front().size();
  const std::size_t per_row = k + 2;
  // Rows whose every run finished.
  std::vector<std::size_t> rows;
  for (std::size_t r = 0; r * per_row + per_row <= d.points(); ++r) {
    bool ok = true;
    for (std::size_t j = 0; j < per_row; ++j) ok = ok && std::isfinite(y[r * per_row + j]);
    if (ok) rows.push_back(r);
  }
  auto fa = [&](std::size_t r) { return y[r * per_row]; };
  auto fb = [&](std::size_t r) { return y[r * per_row + 1]; };
  auto fab = [&](std::size_t r, std::size_t i) { return y[r * per_row + 2 + i]; };
  auto variance = [&](const std::vector<std::size_t>& pick) {
    double s = 0, s2 = 0;
    for (std::size_t j : pick) {
      s += fa(rows[j]) + fb(rows[j]);
      s2 += fa(rows[j]) * fa(rows[j]) + fb(rows[j]) * fb(rows[j]);
    }
    const double n = 2.0 * static_cast<double>(pick.size());
    return s2 / n - (s / n) * (s / n);
  };
  auto first = [&](std::size_t i, const std::vector<std::size_t>& pick) {
    double s = 0;
    for (std::size_t j : pick) s += fb(rows[j]) * (fab(rows[j], i) - fa(rows[j]));
    return s / static_cast<double>(pick.size()) / variance(pick);
  };
  auto total = [&](std::size_t i, const std::vector<std::size_t>& pick) {
    double s = 0;
    for (std::size_t j : pick) s += (fa(rows[j]) - fab(rows[j], i)) * (fa(rows[j]) - fab(rows[j], i));
    return s / (2.0 * static_cast<double>(pick.size())) / variance(pick);
  };
  const core::RandomStream rng(seed, "analysis.sobol.bootstrap");
  std::vector<std::size_t> all(rows.size());
  std::iota(all.begin(), all.end(), 0);
  std::vector<SobolIndex> out(k);
  for (std::size_t i = 0; i < k; ++i) {
    SobolIndex& s = out[i];
    if (rows.size() < 2) {
      s.first = s.first_low = s.first_high = s.total = s.total_low = s.total_high = std::nan("");
      continue;
    }
    s.first = first(i, all);
    s.total = total(i, all);
    // The same resamples (salt i) for both indices of a factor.
    std::tie(s.first_low, s.first_high) =
        bootstrap_interval(rows.size(), bootstrap, rng, i, [&](const std::vector<std::size_t>& p) { return first(i, p); });
    std::tie(s.total_low, s.total_high) =
        bootstrap_interval(rows.size(), bootstrap, rng, i, [&](const std::vector<std::size_t>& p) { return total(i, p); });
  }
  return out;
}

}  // namespace pocsim::ensemble

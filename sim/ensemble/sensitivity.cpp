// Sensitivity analysis of a sweep store: Morris, Sobol and Spearman rank correlation, with bootstrap intervals.
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <sstream>

#include "core/statistics.hpp"
#include "core/text.hpp"
#include "ensemble/sweep.hpp"
#include "io/hdf5.hpp"

namespace pocsim::ensemble {

using hs = hsize_t;
using core::shortest;

namespace {
std::vector<double> ranks(const std::vector<double>& x) {
  std::vector<std::size_t> order(x.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  std::vector<double> r(x.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && x[order[j + 1]] == x[order[i]]) ++j;
    for (std::size_t t = i; t <= j; ++t) r[order[t]] = 0.5 * static_cast<double>(i + j);  // ties share their mean rank
    i = j + 1;
  }
  return r;
}

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  const double n = static_cast<double>(a.size());
  const double ma = std::accumulate(a.begin(), a.end(), 0.0) / n, mb = std::accumulate(b.begin(), b.end(), 0.0) / n;
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : std::nan("");
}
}  // namespace

std::vector<SensitivityRow> analyse_store(const std::string& store, int bootstrap) {
  const io::Handle f = io::open_file_read(store);
  if (!io::has_attribute(f.id(), "kind") || io::get_string_attribute(f.id(), "kind") != "sweep")
    throw std::runtime_error(store + " is not a sweep store (written by 'pocsim sweep' or 'pocsim merge')");
  const io::Handle design_group = io::open_object(f.id(), "design");
  const std::vector<std::string> factors = io::get_string_list_attribute(design_group.id(), "factors");
  const std::string type = io::get_string_attribute(design_group.id(), "type");
  std::vector<hs> dims;
  const std::vector<double> unit = io::read_double(f.id(), "design/unit", &dims);
  Design d;
  const std::size_t points = dims.at(0), k = dims.at(1);
  for (std::size_t p = 0; p < points; ++p) d.unit.emplace_back(unit.begin() + static_cast<std::ptrdiff_t>(p * k), unit.begin() + static_cast<std::ptrdiff_t>((p + 1) * k));
  for (std::int64_t g : io::read_int64(f.id(), "design/group")) d.group.push_back(static_cast<std::int32_t>(g));
  for (std::int64_t r : io::read_int64(f.id(), "design/role")) d.role.push_back(static_cast<std::int32_t>(r));
  const std::vector<std::int64_t> point_of = io::read_int64(f.id(), "runs/point");
  const std::uint64_t seed = static_cast<std::uint64_t>(io::get_int_attribute(f.id(), "sweep_seed"));
  std::vector<SensitivityRow> rows;
  for (const std::string& outcome : io::get_string_list_attribute(f.id(), "outcomes")) {
    const std::vector<double> y_run = io::read_double(f.id(), "outcomes/" + outcome);
    // Per point: the mean over its finished replicates (NaN when none finished).
    std::vector<double> sum(points, 0.0), n(points, 0.0);
    for (std::size_t r = 0; r < y_run.size(); ++r)
      if (std::isfinite(y_run[r])) {
        sum[static_cast<std::size_t>(point_of[r])] += y_run[r];
        n[static_cast<std::size_t>(point_of[r])] += 1;
      }
    std::vector<double> y(points);
    for (std::size_t p = 0; p < points; ++p) y[p] = n[p] > 0 ? sum[p] / n[p] : std::nan("");
    if (type == "morris") {
      const auto m = morris_indices(d, y, bootstrap, seed);
      for (std::size_t i = 0; i < k; ++i) {
        rows.push_back({outcome, factors[i], "mu_star", m[i].mu_star, m[i].mu_star_low, m[i].mu_star_high});
        rows.push_back({outcome, factors[i], "mu", m[i].mu, std::nan(""), std::nan("")});
        rows.push_back({outcome, factors[i], "sigma", m[i].sigma, std::nan(""), std::nan("")});
      }
    } else if (type == "sobol") {
      const auto s = sobol_indices(d, y, bootstrap, seed);
      for (std::size_t i = 0; i < k; ++i) {
        rows.push_back({outcome, factors[i], "first_order", s[i].first, s[i].first_low, s[i].first_high});
        rows.push_back({outcome, factors[i], "total", s[i].total, s[i].total_low, s[i].total_high});
      }
    }
    // Spearman's rank correlation for every design, with a bootstrap interval over points.
    std::vector<std::size_t> finished;
    for (std::size_t p = 0; p < points; ++p)
      if (std::isfinite(y[p])) finished.push_back(p);
    const core::RandomStream rng(seed, "analysis.spearman.bootstrap");
    for (std::size_t i = 0; i < k; ++i) {
      auto rho = [&](const std::vector<std::size_t>& pick) {
        std::vector<double> xs, ys;
        for (std::size_t j : pick) {
          xs.push_back(d.unit[finished[j]][i]);
          ys.push_back(y[finished[j]]);
        }
        return pearson(ranks(xs), ranks(ys));
      };
      std::vector<std::size_t> all(finished.size());
      std::iota(all.begin(), all.end(), 0);
      SensitivityRow row{outcome, factors[i], "spearman", finished.size() > 2 ? rho(all) : std::nan(""), std::nan(""), std::nan("")};
      if (finished.size() > 2) std::tie(row.low, row.high) = bootstrap_interval(finished.size(), bootstrap, rng, i, rho);
      rows.push_back(row);
    }
  }
  return rows;
}

std::string format_sensitivity(const std::vector<SensitivityRow>& rows) {
  std::string out, outcome;
  char line[512];
  for (const SensitivityRow& r : rows) {
    if (r.outcome != outcome) {
      outcome = r.outcome;
      out += "\n" + outcome + "\n";
      std::snprintf(line, sizeof line, "  %-40s %-12s %12s  %s\n", "factor", "measure", "value", "95% bootstrap interval");
      out += line;
    }
    char interval[96] = "";
    if (std::isfinite(r.low)) std::snprintf(interval, sizeof interval, "[%.4g, %.4g]", r.low, r.high);
    std::snprintf(line, sizeof line, "  %-40s %-12s %12.4g  %s\n", r.factor.c_str(), r.measure.c_str(), r.value, interval);
    out += line;
  }
  return out;
}

std::string sensitivity_csv(const std::vector<SensitivityRow>& rows) {
  std::string out = "outcome,factor,measure,value,low,high\n";
  auto exact = [](double v) { return std::isfinite(v) ? shortest(v) : std::string(); };
  for (const SensitivityRow& r : rows)
    out += r.outcome + "," + r.factor + "," + r.measure + "," + exact(r.value) + "," + exact(r.low) + "," + exact(r.high) + "\n";
  return out;
}

}  // namespace pocsim::ensemble

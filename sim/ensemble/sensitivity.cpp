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

StoreResults read_store(const std::string& store) {
  const io::Handle f = io::open_file_read(store);
  if (!io::has_attribute(f.id(), "kind") || io::get_string_attribute(f.id(), "kind") != "sweep")
    throw std::runtime_error(store + " is not a sweep store (written by 'pocsim sweep' or 'pocsim merge')");
  StoreResults out;
  const io::Handle design_group = io::open_object(f.id(), "design");
  out.factors = io::get_string_list_attribute(design_group.id(), "factors");
  out.type = io::get_string_attribute(design_group.id(), "type");
  std::vector<hs> dims;
  const std::vector<double> unit = io::read_double(f.id(), "design/unit", &dims);
  const std::vector<double> values = io::read_double(f.id(), "design/values");
  const std::size_t points = dims.at(0), k = dims.at(1);
  Design& d = out.design;
  for (std::size_t p = 0; p < points; ++p) {
    d.unit.emplace_back(unit.begin() + static_cast<std::ptrdiff_t>(p * k), unit.begin() + static_cast<std::ptrdiff_t>((p + 1) * k));
    d.values.emplace_back(values.begin() + static_cast<std::ptrdiff_t>(p * k), values.begin() + static_cast<std::ptrdiff_t>((p + 1) * k));
  }
  for (std::int64_t g : io::read_int64(f.id(), "design/group")) d.group.push_back(static_cast<std::int32_t>(g));
  for (std::int64_t r : io::read_int64(f.id(), "design/role")) d.role.push_back(static_cast<std::int32_t>(r));
  const std::vector<std::int64_t> point_of = io::read_int64(f.id(), "runs/point");
  out.seed = static_cast<std::uint64_t>(io::get_int_attribute(f.id(), "sweep_seed"));
  out.outcomes = io::get_string_list_attribute(f.id(), "outcomes");
  for (const std::string& outcome : out.outcomes) {
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
    out.means.push_back(std::move(y));
  }
  return out;
}

std::vector<SensitivityRow> analyse_store(const std::string& store, int bootstrap) {
  const StoreResults results = read_store(store);
  const Design& d = results.design;
  const std::vector<std::string>& factors = results.factors;
  const std::string& type = results.type;
  const std::size_t points = d.points(), k = factors.size();
  const std::uint64_t seed = results.seed;
  std::vector<SensitivityRow> rows;
  for (std::size_t o = 0; o < results.outcomes.size(); ++o) {
    const std::string& outcome = results.outcomes[o];
    const std::vector<double>& y = results.means[o];
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

std::vector<std::size_t> salib_order(const Design& d, const std::string& type) {
  std::vector<std::size_t> order;
  if (type != "sobol") {
    // SALib's Morris sample lists each trajectory's points in the order they move, as pocsim's does; other
    // designs have no order of their own.
    order.resize(d.points());
    std::iota(order.begin(), order.end(), 0);
    return order;
  }
  // Saltelli's sample in SALib (second-order indices off): per base row A, then A with column i from B for
  // each factor i, then B. pocsim keeps A, B, then those.
  for (std::size_t p = 0; p < d.points(); ++p) {
    if (d.role[p] != -2) continue;
    order.push_back(p);
    std::size_t b = p;
    std::vector<std::size_t> ab;
    for (std::size_t q = p + 1; q < d.points() && d.group[q] == d.group[p]; ++q) {
      if (d.role[q] == -1) b = q;
      else if (d.role[q] >= 0) ab.push_back(q);
    }
    std::sort(ab.begin(), ab.end(), [&](std::size_t x, std::size_t y) { return d.role[x] < d.role[y]; });
    order.insert(order.end(), ab.begin(), ab.end());
    order.push_back(b);
  }
  return order;
}

std::vector<std::pair<std::string, std::string>> salib_files(const StoreResults& r) {
  const std::vector<std::size_t> order = salib_order(r.design, r.type);
  auto number = [](double v) { return std::isfinite(v) ? core::shortest(v) : std::string("nan"); };
  std::vector<std::pair<std::string, std::string>> files;
  std::string problem = "# SALib's parameter file (salib ... -p problem.txt): the sweep's factors in the unit cube of their ranges,\n"
                        "# the scale pocsim analyse works on (values.txt has the same points in each factor's units).\n";
  for (const std::string& f : r.factors) problem += f + " 0 1\n";
  files.emplace_back("problem.txt", problem);
  std::string x, values;
  for (std::size_t p : order) {
    for (std::size_t i = 0; i < r.factors.size(); ++i) {
      x += (i ? " " : "") + number(r.design.unit[p][i]);
      values += (i ? " " : "") + number(r.design.values[p][i]);
    }
    x += "\n";
    values += "\n";
  }
  files.emplace_back("X.txt", x);
  files.emplace_back("values.txt", values);
  for (std::size_t o = 0; o < r.outcomes.size(); ++o) {
    std::string y;
    for (std::size_t p : order) y += number(r.means[o][p]) + "\n";
    files.emplace_back("Y_" + r.outcomes[o] + ".txt", y);
  }
  return files;
}

}  // namespace pocsim::ensemble

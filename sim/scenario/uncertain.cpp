#include "scenario/uncertain.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <boost/math/distributions/normal.hpp>

#include "core/text.hpp"
#include "scenario/parameters.hpp"
#include "scenario/yaml_input.hpp"

namespace pocsim::scenario {

namespace {

// Which keys each distribution takes besides key and source, and which of them it needs.
struct Shape {
  std::vector<std::string> needs, allows;
  std::string example;
};
Shape shape_of(Distribution d) {
  switch (d) {
    case Distribution::uniform: return {{"min", "max"}, {}, "{key: K, distribution: uniform, min: 0.2, max: 0.6}"};
    case Distribution::triangular: return {{"min", "mode", "max"}, {}, "{key: K, distribution: triangular, min: 0.2, mode: 0.3, max: 0.6}"};
    case Distribution::normal: return {{"mean", "sd"}, {"min", "max"}, "{key: K, distribution: normal, mean: 0.4, sd: 0.05, min: 0, max: 1}"};
    case Distribution::lognormal: return {{"median", "sigma"}, {"min", "max"}, "{key: K, distribution: lognormal, median: 0.02, sigma: 0.5}"};
  }
  return {};
}

}  // namespace

bool integer_key(const std::string& key) {
  const auto open = key.find('[');
  if (open == std::string::npos) {
    const ParamSpec* spec = find_parameter(key);
    return spec && spec->type == ValueType::integer;
  }
  const ParamSpec* list = find_parameter(key.substr(0, open));
  const auto dot = key.find("].");
  if (!list || dot == std::string::npos) return false;
  const std::string field = key.substr(dot + 2);
  for (const ParamInfo& f : list->fields)
    if (f.path == field) return f.type == ValueType::integer;
  return false;
}

double UncertainParameter::quantile(double u) const {
  u = std::clamp(u, 1e-12, 1.0 - 1e-12);
  const boost::math::normal standard;
  // A truncated normal or lognormal: u spans only the probability its support holds.
  auto truncated = [&](double lo_z, double hi_z) {
    const double lo = std::isfinite(lo_z) ? boost::math::cdf(standard, lo_z) : 0.0;
    const double hi = std::isfinite(hi_z) ? boost::math::cdf(standard, hi_z) : 1.0;
    return boost::math::quantile(standard, std::clamp(lo + u * (hi - lo), 1e-300, 1.0 - 1e-16));
  };
  double v = 0;
  switch (distribution) {
    case Distribution::uniform: v = min + u * (max - min); break;
    case Distribution::triangular: {
      const double split = (mode - min) / (max - min);
      v = u < split ? min + std::sqrt(u * (max - min) * (mode - min)) : max - std::sqrt((1 - u) * (max - min) * (max - mode));
      break;
    }
    case Distribution::normal: v = mean + sd * truncated((min - mean) / sd, (max - mean) / sd); break;
    case Distribution::lognormal: {
      const double lo = min > 0 ? std::log(min / median) / sigma : -HUGE_VAL;
      const double hi = std::isfinite(max) ? std::log(max / median) / sigma : HUGE_VAL;
      v = median * std::exp(sigma * truncated(lo, hi));
      break;
    }
  }
  v = std::clamp(v, min, max);  // rounding at the ends of the support
  return integer ? std::round(v) : v;
}

std::array<double, 2> UncertainParameter::extremes() const { return {quantile(0.001), quantile(0.999)}; }

std::string override_text(const std::string& key, double v, bool integer) {
  return key + "=" + (integer ? std::to_string(std::llround(v)) : core::shortest(v));
}

std::string UncertainParameter::override_of(double v) const { return override_text(key, v, integer); }

std::vector<UncertainParameter> read_uncertain(const YAML::Node& block, const std::string& file, std::vector<Diagnostic>& errors) {
  std::vector<UncertainParameter> out;
  auto error = [&](const YAML::Node& at, const std::string& key, std::string message, std::string hint) {
    errors.push_back({location(file, at.Mark()), key, std::move(message), std::move(hint)});
  };
  const std::string example = "uncertain: [{key: citizens.moral_cost, distribution: uniform, min: 0.25, max: 0.75, source: \"assumed\"}]";
  if (!block.IsSequence()) {
    error(block, "uncertain", "expected a list of uncertain parameters", example);
    return out;
  }
  const std::vector<std::string> kinds = core::names_of<Distribution>();
  std::set<std::string> keys;
  for (std::size_t i = 0; i < block.size(); ++i) {
    const YAML::Node p = block[i];
    const std::string item = "uncertain[" + std::to_string(i) + "]";
    if (!p.IsMap() || !p["key"] || !p["key"].IsScalar()) {
      error(p, item, "expected {key: KEY, distribution: NAME, ...}", example);
      continue;
    }
    UncertainParameter u;
    u.key = p["key"].Scalar();
    u.where = location(file, p["key"].Mark());
    u.integer = integer_key(u.key);
    bool ok = true;
    if (u.key.rfind("run.", 0) == 0) {
      error(p["key"], item + ".key", "'" + u.key + "' cannot be uncertain: a comparison sets every run's seed, and runs share their length and calendar",
            "declare model parameters uncertain");
      ok = false;
    }
    if (!keys.insert(u.key).second) {
      error(p["key"], item + ".key", "'" + u.key + "' is declared uncertain twice", "give each key one distribution");
      ok = false;
    }
    const YAML::Node kind = p["distribution"];
    if (!kind) {
      error(p, item + ".distribution", "missing key 'distribution'", "one of: " + core::join(kinds));
      out.push_back(u);
      continue;
    }
    const auto it = std::find(kinds.begin(), kinds.end(), kind.IsScalar() ? kind.Scalar() : "");
    if (it == kinds.end()) {
      const std::string close = nearest(kind.IsScalar() ? kind.Scalar() : "", kinds);
      error(kind, item + ".distribution", "unknown distribution " + (kind.IsScalar() ? "'" + kind.Scalar() + "'" : std::string("(not a name)")),
            (close.empty() ? "" : "did you mean '" + close + "'? ") + "one of: " + core::join(kinds));
      out.push_back(u);
      continue;
    }
    u.distribution = static_cast<Distribution>(it - kinds.begin());
    const Shape shape = shape_of(u.distribution);
    std::set<std::string> given;
    for (const auto& kv : p) {
      const std::string k = kv.first.Scalar();
      if (k == "key" || k == "distribution") continue;
      if (k == "source") {
        if (kv.second.IsScalar()) u.source = kv.second.Scalar();
        else { error(kv.second, item + ".source", "expected text", "say where the distribution comes from, or 'assumed'"); ok = false; }
        continue;
      }
      const bool known = std::count(shape.needs.begin(), shape.needs.end(), k) + std::count(shape.allows.begin(), shape.allows.end(), k) > 0;
      if (!known) {
        std::vector<std::string> all = shape.needs;
        all.insert(all.end(), shape.allows.begin(), shape.allows.end());
        error(kv.first, item + "." + k, "is not a parameter of a " + std::string(core::to_string(u.distribution)) + " distribution",
              "a " + std::string(core::to_string(u.distribution)) + " distribution takes " + core::join(all) + ", e.g. " + shape.example);
        ok = false;
        continue;
      }
      double v = 0;
      if (!read_number(kv.second, v)) {
        error(kv.second, item + "." + k, "expected a number, got " + (kv.second.IsScalar() ? "'" + kv.second.Scalar() + "'" : std::string("a structure")), "");
        ok = false;
        continue;
      }
      given.insert(k);
      if (k == "min") u.min = v;
      else if (k == "max") u.max = v;
      else if (k == "mode") u.mode = v;
      else if (k == "mean") u.mean = v;
      else if (k == "sd") u.sd = v;
      else if (k == "median") u.median = v;
      else if (k == "sigma") u.sigma = v;
    }
    for (const std::string& need : shape.needs)
      if (!given.count(need)) {
        error(p, item + "." + need, "a " + std::string(core::to_string(u.distribution)) + " distribution needs '" + need + "'", "e.g. " + shape.example);
        ok = false;
      }
    if (!ok) {
      out.push_back(u);
      continue;
    }
    auto bad = [&](const std::string& k, const std::string& why, const std::string& fix) { error(p[k] ? p[k] : p, item + "." + k, why, fix); };
    if (given.count("min") && given.count("max") && !(u.min < u.max))
      bad("max", "max " + core::shortest(u.max) + " is not above min " + core::shortest(u.min), "give min < max");
    else if (u.distribution == Distribution::triangular && !(u.min <= u.mode && u.mode <= u.max))
      bad("mode", "mode " + core::shortest(u.mode) + " is not between min and max", "give min <= mode <= max");
    else if (u.distribution == Distribution::normal && !(u.sd > 0))
      bad("sd", "sd " + core::shortest(u.sd) + " is not above 0", "a spread of 0 is not uncertain: set the value in the scenario instead");
    else if (u.distribution == Distribution::normal && !(u.mean >= u.min && u.mean <= u.max))
      bad("mean", "mean " + core::shortest(u.mean) + " is outside [min, max]", "a truncated normal's mean lies within its support");
    else if (u.distribution == Distribution::lognormal && !(u.median > 0 && u.sigma > 0))
      bad(u.median > 0 ? "sigma" : "median", "a lognormal needs median > 0 and sigma > 0", "sigma is the standard deviation of the logarithm: 0.5 puts 95 % of draws within x/÷ 2.7 of the median");
    else if (u.distribution == Distribution::lognormal && !(u.median >= u.min && u.median <= u.max))
      bad("median", "median " + core::shortest(u.median) + " is outside [min, max]", "a truncated lognormal's median lies within its support");
    out.push_back(u);
  }
  return out;
}

}  // namespace pocsim::scenario

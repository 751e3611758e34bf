// The worlds of a comparison under parameter uncertainty: draws from a scenario's `uncertain:` block or
// rows of a posterior table, and the scenarios loaded at each draw's values.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "core/rng.hpp"
#include "core/text.hpp"
#include "ensemble/compare.hpp"
#include "scenario/yaml_input.hpp"

namespace pocsim::ensemble {

namespace {
std::string trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

bool number_of(const std::string& text, double& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && std::isfinite(out);
}
}  // namespace

std::vector<std::vector<double>> sample_draws(const std::vector<scenario::UncertainParameter>& uncertain, std::size_t n,
                                              std::uint64_t seed) {
  const core::RandomStream rng(seed, "compare.draws");
  std::vector<std::vector<double>> draws(n, std::vector<double>(uncertain.size()));
  for (std::size_t d = 0; d < n; ++d)
    for (std::size_t i = 0; i < uncertain.size(); ++i)
      draws[d][i] = uncertain[i].quantile(rng.at(static_cast<std::uint32_t>(d), i).uniform());
  return draws;
}

PosteriorTable read_posterior(const std::string& path) {
  const std::string text = scenario::read_input_file(path, "posterior file");
  PosteriorTable table;
  std::istringstream in(text);
  std::string line;
  std::size_t number = 0;
  std::vector<scenario::Diagnostic> errors;
  auto fields_of = [](const std::string& l) {
    std::vector<std::string> out;
    std::string field;
    std::istringstream fields(l);
    while (std::getline(fields, field, ',')) out.push_back(trimmed(field));
    if (!l.empty() && l.back() == ',') out.emplace_back();
    return out;
  };
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (trimmed(line).empty() || line[0] == '#') continue;
    const std::vector<std::string> fields = fields_of(line);
    const std::string at = path + ":" + std::to_string(number);
    if (table.keys.empty()) {
      table.keys = fields;
      for (const std::string& k : table.keys)
        if (k.empty()) errors.push_back({at, "", "the header names an empty column", "the first line names one scenario key per column, e.g. citizens.moral_cost,armed_groups.civilian_targeting"});
      continue;
    }
    if (fields.size() != table.keys.size()) {
      errors.push_back({at, "", "has " + std::to_string(fields.size()) + " values for " + std::to_string(table.keys.size()) + " columns",
                        "give one value per key named in the header"});
      continue;
    }
    std::vector<double> row;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      double v = 0;
      if (!number_of(fields[i], v)) {
        errors.push_back({at, table.keys[i], "'" + fields[i] + "' is not a number", "write plain decimal numbers"});
        continue;
      }
      row.push_back(v);
    }
    if (row.size() == fields.size()) table.rows.push_back(std::move(row));
  }
  if (errors.empty() && table.rows.empty())
    errors.push_back({path, "", "holds no draws", "a header of scenario keys, then one line of values per draw"});
  if (!errors.empty()) throw scenario::ScenarioError(errors);
  return table;
}

Criteria parse_criteria(const std::string& weights, const std::string& pareto) {
  Criteria c;
  auto items = [](const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) if (!trimmed(item).empty()) out.push_back(trimmed(item));
    return out;
  };
  for (const std::string& item : items(weights)) {
    const auto eq = item.find('=');
    double w = 0;
    if (eq == std::string::npos || !number_of(trimmed(item.substr(eq + 1)), w))
      throw scenario::ScenarioError({{"--criteria", "", "'" + item + "' is not NAME=WEIGHT", "e.g. --criteria fatalities=1,mission_cost=0.2"}});
    c.weights.emplace_back(trimmed(item.substr(0, eq)), w);
  }
  c.pareto = items(pareto);
  return c;
}

void load_draws(ComparisonPlan& plan, const std::string& scenario_path, const std::vector<std::string>& option_paths,
                const std::vector<std::string>& overrides, const std::vector<scenario::UncertainParameter>& uncertain,
                const std::vector<std::vector<double>>& values, bool check_extremes) {
  std::vector<scenario::Diagnostic> errors;
  plan.parameters.clear();
  for (const scenario::UncertainParameter& u : uncertain) plan.parameters.push_back(u.key);
  // Each parameter at its extremes first, so that a bad range is reported at its entry, once.
  for (const scenario::UncertainParameter& u : check_extremes ? uncertain : std::vector<scenario::UncertainParameter>{})
    for (int end = 0; end < 2; ++end) {
      const double v = u.extremes()[static_cast<std::size_t>(end)];
      std::vector<std::string> o = overrides;
      o.push_back(u.override_of(v));
      try {
        scenario::load_scenario(scenario_path, o);
      } catch (const scenario::ScenarioError& e) {
        for (const scenario::Diagnostic& d : e.diagnostics())
          errors.push_back({u.where, "uncertain", "at " + u.key + " = " + core::shortest(v) + (end == 0 ? ", the lowest" : ", the highest") +
                            " value it draws (0.1 % from the end): " + (d.where.rfind("--set", 0) == 0 ? "" : d.where + ": ") + d.message, d.hint});
        break;
      }
    }
  if (!errors.empty()) throw scenario::ScenarioError(errors);
  plan.draws.clear();
  for (std::size_t d = 0; d < values.size(); ++d) {
    std::vector<std::string> o = overrides;
    for (std::size_t i = 0; i < uncertain.size(); ++i) o.push_back(uncertain[i].override_of(values[d][i]));
    ParameterDraw draw;
    draw.values = values[d];
    try {
      draw.baseline = scenario::load_scenario(scenario_path, o);
      for (const std::string& f : option_paths) draw.options.push_back(scenario::load_option(scenario_path, f, o));
    } catch (const scenario::ScenarioError& e) {
      std::vector<std::string> set(o.begin() + static_cast<std::ptrdiff_t>(overrides.size()), o.end());
      for (const scenario::Diagnostic& diag : e.diagnostics())
        errors.push_back({diag.where, diag.key, "in parameter draw " + std::to_string(d) + " (" + core::join(set, ", ") + "): " + diag.message, diag.hint});
      break;  // one bad draw says what is wrong; the rest would repeat it
    }
    plan.draws.push_back(std::move(draw));
  }
  if (!errors.empty()) throw scenario::ScenarioError(errors);
}

}  // namespace pocsim::ensemble

// The sweep file: read and validated like a scenario, every parameter checked at its extremes or levels.
#include "ensemble/sweep.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "core/text.hpp"
#include "ensemble/sweep_run.hpp"
#include "model/outcomes.hpp"
#include "scenario/calendar.hpp"
#include "scenario/parameters.hpp"
#include "scenario/uncertain.hpp"
#include "scenario/yaml_input.hpp"

namespace pocsim::ensemble {

namespace fs = std::filesystem;
using core::join;
using core::shortest;
using scenario::Diagnostic;
using scenario::location;
using detail::load_run;
using detail::override_of;
using scenario::read_number;

namespace {

const char* const sweep_keys = "description, scenario, option, seed, replicates, seeds, design, parameters, outcomes, from, series";

}  // namespace

SweepPlan load_sweep(const std::string& path, const std::vector<std::string>& overrides) {
  SweepPlan plan;
  plan.path = path;
  plan.overrides = overrides;
  const YAML::Node root = scenario::read_yaml_file(path, "sweep file", &plan.text);
  std::vector<Diagnostic> errors;
  auto error = [&](const YAML::Node& at, const std::string& key, std::string message, std::string hint) {
    errors.push_back({location(path, at), key, std::move(message), std::move(hint)});
  };
  if (!root.IsMap()) throw scenario::ScenarioError({{path, "", "expected a mapping of keys", std::string("a sweep file has the keys ") + sweep_keys}});
  const fs::path dir = fs::path(path).parent_path();
  auto whole = [&](const YAML::Node& n, const std::string& key, double lo, double hi, std::int64_t& out) {
    double v = 0;
    if (!read_number(n, v) || v != std::floor(v) || v < lo || v > hi) {
      error(n, key, "expected a whole number from " + shortest(lo) + " to " + shortest(hi) + ", got " +
                        (n.IsScalar() ? "'" + n.Scalar() + "'" : std::string("a structure")), "");
      return false;
    }
    out = static_cast<std::int64_t>(v);
    return true;
  };
  YAML::Node parameters, outcomes, from, design;
  for (const auto& kv : root) {
    const std::string key = kv.first.Scalar();
    const YAML::Node& v = kv.second;
    std::int64_t n = 0;
    if (key == "description" && v.IsScalar()) plan.description = v.Scalar();
    else if (key == "scenario" && v.IsScalar()) plan.scenario_path = (dir / v.Scalar()).lexically_normal().string();
    else if (key == "option" && v.IsScalar()) plan.option_path = (dir / v.Scalar()).lexically_normal().string();
    else if (key == "seed") { if (whole(v, "seed", 0, 9007199254740991.0, n)) plan.design.seed = static_cast<std::uint64_t>(n); }
    else if (key == "replicates") { if (whole(v, "replicates", 1, 1e6, n)) plan.replicates = static_cast<int>(n); }
    else if (key == "seeds" && v.IsScalar() && (v.Scalar() == "per_run" || v.Scalar() == "per_replicate")) plan.seed_per_replicate = v.Scalar() == "per_replicate";
    else if (key == "seeds") error(v, key, "expected per_run or per_replicate", "per_replicate gives every point's replicate r the same seed (common random numbers)");
    else if (key == "series" && v.IsScalar() && (v.Scalar() == "true" || v.Scalar() == "false")) plan.series = v.Scalar() == "true";
    else if (key == "series") error(v, key, "expected true or false", "");
    else if (key == "design") design = v;
    else if (key == "parameters") parameters = v;
    else if (key == "outcomes") outcomes = v;
    else if (key == "from") from = v;
    else if (key == "description" || key == "scenario" || key == "option") error(v, key, "expected text", "");
    else {
      const std::string close = scenario::nearest(key, {"description", "scenario", "option", "seed", "replicates", "seeds", "design", "parameters", "outcomes", "from", "series"});
      error(kv.first, key, "unknown key in a sweep file", (close.empty() ? "" : "did you mean '" + close + "'? ") + "a sweep file has the keys " + sweep_keys);
    }
  }
  if (plan.scenario_path.empty()) errors.push_back({path, "scenario", "missing key 'scenario'", "name the scenario to sweep, relative to this file"});

  // The design.
  // A default YAML::Node is a defined null, so absence is tested as null.
  auto absent = [](const YAML::Node& n) { return !n.IsDefined() || n.IsNull(); };
  if (absent(design)) {
    errors.push_back({path, "design", "missing key 'design'", "e.g. design: {type: latin_hypercube, samples: 200}"});
  } else if (!design.IsMap()) {
    error(design, "design", "expected a mapping", "e.g. design: {type: latin_hypercube, samples: 200}");
  } else {
    const std::vector<std::string> kinds = core::names_of<DesignKind>();
    bool have_type = false;
    std::int64_t n = 0;
    plan.design.levels = 0;
    plan.design.samples = 0;
    for (const auto& kv : design) {
      const std::string key = kv.first.Scalar();
      if (key == "type") {
        const auto it = std::find(kinds.begin(), kinds.end(), kv.second.IsScalar() ? kv.second.Scalar() : "");
        if (it == kinds.end()) error(kv.second, "design.type", "unknown design", "use one of: " + join(kinds));
        else plan.design.kind = static_cast<DesignKind>(it - kinds.begin());
        have_type = true;
      } else if (key == "samples") {
        if (whole(kv.second, "design.samples", 1, 1e7, n)) plan.design.samples = static_cast<int>(n);
      } else if (key == "levels") {
        if (whole(kv.second, "design.levels", 1, 1000, n)) plan.design.levels = static_cast<int>(n);
      } else {
        error(kv.first, "design." + key, "unknown key", "a design has the keys type, samples (LHS points, Morris trajectories, Sobol base samples), levels");
      }
    }
    if (!have_type) error(design, "design", "missing key 'type'", "one of: full_factorial, one_at_a_time, latin_hypercube, morris, sobol");
    const DesignKind k = plan.design.kind;
    const bool sampled = k == DesignKind::latin_hypercube || k == DesignKind::morris || k == DesignKind::sobol;
    if (have_type && sampled && plan.design.samples == 0)
      error(design, "design.samples", "a " + std::string(to_string(k)) + " design needs 'samples'",
            k == DesignKind::morris ? "the number of trajectories, e.g. samples: 20" : k == DesignKind::sobol ? "the base sample size N, e.g. samples: 256 (N (k + 2) points)" : "the number of points, e.g. samples: 200");
    if (plan.design.levels == 0) plan.design.levels = k == DesignKind::morris ? 4 : 3;
    if (k == DesignKind::morris && plan.design.levels % 2 != 0)
      error(design, "design.levels", "Morris levels must be even, got " + std::to_string(plan.design.levels), "use 4 or 6");
  }

  // The scenario itself, with the command line's overrides: its own errors, with its own lines.
  scenario::Scenario base;
  if (!plan.scenario_path.empty()) {
    try {
      base = load_run(plan, overrides);
      // What the runs will be made of, for the journal's fingerprint: a resumed sweep must run the same model.
      plan.identity = base.resolved_yaml + (base.option ? base.option->text : std::string());
    } catch (const scenario::ScenarioError& e) {
      errors.insert(errors.end(), e.diagnostics().begin(), e.diagnostics().end());
      throw scenario::ScenarioError(errors);
    }
    plan.steps = base.params().run.steps;
  }

  // The parameters, each checked at its extremes or levels exactly as a scenario is.
  const bool sampled = plan.design.kind == DesignKind::latin_hypercube || plan.design.kind == DesignKind::morris ||
                       plan.design.kind == DesignKind::sobol;
  if (absent(parameters) || !parameters.IsSequence() || parameters.size() == 0) {
    errors.push_back({absent(parameters) ? path : location(path, parameters), "parameters", "expected a list of parameters to vary",
                      "e.g. parameters: [{key: citizens.legitimacy, min: 0.6, max: 0.9}]"});
  } else {
    std::set<std::string> keys;
    for (std::size_t i = 0; i < parameters.size(); ++i) {
      const YAML::Node p = parameters[i];
      const std::string item = "parameters[" + std::to_string(i) + "]";
      if (!p.IsMap() || !p["key"] || !p["key"].IsScalar()) {
        error(p, item, "expected {key: KEY, min: LOW, max: HIGH} or {key: KEY, levels: [...]}", "");
        continue;
      }
      Factor f;
      f.key = p["key"].Scalar();
      f.integer = scenario::integer_key(f.key);
      bool ok = true;
      for (const auto& kv : p) {
        const std::string k = kv.first.Scalar();
        if (k == "key") continue;
        if (k == "min" || k == "max") {
          if (!read_number(kv.second, k == "min" ? f.min : f.max)) { error(kv.second, item + "." + k, "expected a number", ""); ok = false; }
        } else if (k == "levels") {
          if (!kv.second.IsSequence() || kv.second.size() == 0) { error(kv.second, item + ".levels", "expected a list of numbers", ""); ok = false; continue; }
          for (const YAML::Node& l : kv.second) {
            double v = 0;
            if (!read_number(l, v)) { error(l, item + ".levels", "expected a number", ""); ok = false; }
            f.levels.push_back(v);
          }
        } else {
          error(kv.first, item + "." + k, "unknown key", "a parameter has the keys key, min, max, levels");
          ok = false;
        }
      }
      const bool range = p["min"] && p["max"];
      if (ok && range == !f.levels.empty()) {
        error(p, item, range ? "has both a range and levels" : "needs min and max, or levels", "give min and max, or a list of levels");
        ok = false;
      }
      if (ok && range && !(f.min < f.max)) {
        error(p["max"], item + ".max", "max " + shortest(f.max) + " is not above min " + shortest(f.min), "give min < max");
        ok = false;
      }
      if (ok && sampled && !range) {
        error(p, item, "a " + std::string(to_string(plan.design.kind)) + " design samples ranges, not levels", "give min and max");
        ok = false;
      }
      if (f.key.rfind("run.", 0) == 0) {
        error(p["key"], item + ".key", "'" + f.key + "' cannot be swept: the sweep sets every run's seed, and runs must share their length and calendar",
              "vary model parameters; give run.steps with --set for the whole sweep");
        ok = false;
      }
      if (!keys.insert(f.key).second) {
        error(p["key"], item + ".key", "'" + f.key + "' is varied twice", "list each parameter once");
        ok = false;
      }
      if (!ok || plan.scenario_path.empty()) {
        plan.factors.push_back(f);
        continue;
      }
      for (double v : range ? std::vector<double>{f.min, f.max} : f.levels) {
        std::vector<std::string> o = overrides;
        o.push_back(override_of(f, v));
        try {
          load_run(plan, o);
        } catch (const scenario::ScenarioError& e) {
          for (const Diagnostic& d : e.diagnostics())
            errors.push_back({location(path, p["key"]), item,
                              "at " + f.key + " = " + shortest(v) + ": " + (d.where.rfind("--set", 0) == 0 ? "" : d.where + ": ") + d.message,
                              d.hint});
          break;
        }
      }
      plan.factors.push_back(f);
    }
  }

  // Outcomes and the window.
  const std::vector<model::OutcomeSpec>& specs = model::outcome_specs();
  std::vector<std::string> names;
  for (const model::OutcomeSpec& s : specs) names.push_back(s.name);
  if (absent(outcomes)) {
    plan.outcomes.resize(specs.size());
    std::iota(plan.outcomes.begin(), plan.outcomes.end(), 0);
  } else if (!outcomes.IsSequence()) {
    error(outcomes, "outcomes", "expected a list of outcome names", "omit it to record every outcome");
  } else {
    for (const YAML::Node& o : outcomes) {
      const auto it = std::find(names.begin(), names.end(), o.IsScalar() ? o.Scalar() : "");
      if (it == names.end()) {
        const std::string close = scenario::nearest(o.IsScalar() ? o.Scalar() : "", names);
        std::string list;
        for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
        error(o, "outcomes", "unknown outcome " + (o.IsScalar() ? "'" + o.Scalar() + "'" : std::string("(not a name)")),
              (close.empty() ? "" : "did you mean '" + close + "'? ") + "outcomes: " + list);
      } else {
        plan.outcomes.push_back(static_cast<std::size_t>(it - names.begin()));
      }
    }
  }
  if (!absent(from) && !plan.scenario_path.empty()) {
    double v = 0;
    std::string why;
    scenario::Calendar calendar;
    const model::RunParams& run = base.params().run;
    calendar.step = run.step_length == "day" ? scenario::StepLength::day : run.step_length == "month" ? scenario::StepLength::month : scenario::StepLength::week;
    calendar.start = scenario::parse_date(run.start_date);
    std::optional<std::int64_t> steps;
    if (read_number(from, v) && v == std::floor(v)) steps = static_cast<std::int64_t>(v);
    else if (from.IsScalar()) steps = scenario::steps_of(from.Scalar(), calendar, why);
    if (!steps || *steps < 1 || *steps > plan.steps)
      error(from, "from", "is not a step of the run (1 to " + std::to_string(plan.steps) + ")" + (why.empty() ? "" : ": " + why),
            "write a step, a duration ('1 year') or a date within the run");
    else
      plan.from = *steps;
  }
  if (!errors.empty()) throw scenario::ScenarioError(errors);
  return plan;
}

bool is_sweep_file(const std::string& path) {
  try {
    const YAML::Node root = scenario::read_yaml_file(path, "file");
    return root.IsMap() && root["design"] && root["parameters"];
  } catch (const scenario::ScenarioError&) {
    return false;  // unreadable or malformed: reading it as a scenario reports why
  }
}

}  // namespace pocsim::ensemble

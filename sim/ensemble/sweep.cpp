#include "ensemble/sweep.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <numeric>
#include <set>
#include <sstream>
#include <thread>

#include <mpi.h>
#include <sys/file.h>
#include <tbb/task_arena.h>
#include <yaml-cpp/yaml.h>

#include "core/parallel.hpp"
#include "core/rng.hpp"
#include "core/statistics.hpp"
#include "core/text.hpp"
#include "io/hdf5.hpp"
#include "io/pending_file.hpp"
#include "io/provenance.hpp"
#include "model/model.hpp"
#include "model/outcomes.hpp"
#include "scenario/calendar.hpp"
#include "scenario/parameters.hpp"
#include "scenario/yaml_input.hpp"

namespace pocsim::ensemble {

namespace fs = std::filesystem;
using hs = hsize_t;
using scenario::Diagnostic;

// ---- The sweep file --------------------------------------------------------------------------------

namespace {

using core::join;
using core::shortest;
using scenario::location;

bool read_number(const YAML::Node& n, double& out) {
  if (!n.IsScalar() || n.Tag() == "!") return false;
  const std::string& t = n.Scalar();
  char* end = nullptr;
  out = std::strtod(t.c_str(), &end);
  return !t.empty() && end == t.c_str() + t.size() && std::isfinite(out);
}

// Whether a scenario key (possibly LIST[i].FIELD) holds whole numbers.
bool integer_key(const std::string& key) {
  const auto open = key.find('[');
  if (open == std::string::npos) {
    const scenario::ParamSpec* spec = scenario::find_parameter(key);
    return spec && spec->type == scenario::ValueType::integer;
  }
  const scenario::ParamSpec* list = scenario::find_parameter(key.substr(0, open));
  const auto dot = key.find("].");
  if (!list || dot == std::string::npos) return false;
  const std::string field = key.substr(dot + 2);
  for (const scenario::ParamInfo& f : list->fields)
    if (f.path == field) return f.type == scenario::ValueType::integer;
  return false;
}

std::string override_of(const Factor& f, double v) {
  return f.key + "=" + (f.integer ? std::to_string(std::llround(v)) : shortest(v));
}

scenario::Scenario load_run(const SweepPlan& plan, const std::vector<std::string>& overrides) {
  return plan.option_path.empty() ? scenario::load_scenario(plan.scenario_path, overrides)
                                  : scenario::load_option(plan.scenario_path, plan.option_path, overrides);
}

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
      f.integer = integer_key(f.key);
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

// ---- Running -----------------------------------------------------------------------------------------

namespace {

struct RunResult {
  std::size_t index = 0;
  bool ok = false;
  std::vector<double> outcomes;  // the plan's outcomes
  std::vector<double> series;    // [outcome][step] when the plan records series
  std::string error;
};

std::uint64_t run_seed(const SweepPlan& plan, std::size_t run) {
  return core::derived_seed(plan.design.seed, plan.seed_per_replicate ? run % static_cast<std::size_t>(plan.replicates) : run);
}

// nullopt when stopped: an interrupted run is not a result.
std::optional<RunResult> run_one(const SweepPlan& plan, const Design& design, std::size_t run, const std::function<bool()>& stopped) {
  RunResult r;
  r.index = run;
  const std::size_t point = run / static_cast<std::size_t>(plan.replicates);
  std::vector<std::string> overrides = plan.overrides;
  for (std::size_t i = 0; i < plan.factors.size(); ++i) overrides.push_back(override_of(plan.factors[i], design.values[point][i]));
  overrides.push_back("run.seed=" + std::to_string(run_seed(plan, run)));
  try {
    const scenario::Scenario s = load_run(plan, overrides);
    model::Model m(s.params());
    model::OutcomeMeter window, values;
    const std::int64_t steps = s.params().run.steps;
    const auto n_steps = static_cast<std::size_t>(steps + 1);
    if (plan.series) r.series.assign(plan.outcomes.size() * n_steps, std::nan(""));
    auto record = [&](std::int64_t step, const std::vector<double>& v) {
      if (!plan.series) return;
      for (std::size_t o = 0; o < plan.outcomes.size(); ++o) r.series[o * n_steps + static_cast<std::size_t>(step)] = v[plan.outcomes[o]];
    };
    record(0, values.observe(m));
    for (std::int64_t step = 1; step <= steps; ++step) {
      if (stopped && stopped()) return std::nullopt;
      m.step();
      record(step, step >= plan.from ? window.observe(m) : values.observe(m));
    }
    const std::vector<double> summary = window.summary();
    for (std::size_t o : plan.outcomes) r.outcomes.push_back(summary[o]);
    r.ok = true;
  } catch (const scenario::ScenarioError& e) {
    r.error = e.diagnostics().empty() ? e.what() : e.diagnostics().front().format();
  } catch (const std::exception& e) {
    r.error = e.what();
  }
  if (!r.ok) {
    while (!r.error.empty() && r.error.back() == '\n') r.error.pop_back();
    r.outcomes.assign(plan.outcomes.size(), std::nan(""));
  }
  return r;
}

// The journal: one line per finished run, appended and flushed as each finishes, so a killed sweep
// loses at most the line being written (a line without its newline is ignored when read back).
std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '\n' ? std::string("\\n") : c == '\t' ? std::string("\\t") : c == '\\' ? std::string("\\\\") : std::string(1, c);
  return out;
}

std::string unescape(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      const char c = s[++i];
      out += c == 'n' ? '\n' : c == 't' ? '\t' : c;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string journal_line(const RunResult& r) {
  // Built by appending: GCC 12 warns falsely (-Wrestrict) on string + string chains here.
  std::string line = std::to_string(r.index);
  if (!r.ok) {
    line += "\tfailed\t";
    line += escape(r.error);
  } else {
    line += "\tok";
    for (double v : r.outcomes) (line += '\t') += shortest(v);
    if (!r.series.empty()) {
      line += "\t|";
      for (double v : r.series) (line += '\t') += shortest(v);
    }
  }
  line += '\n';
  return line;
}

std::optional<RunResult> parse_journal_line(const std::string& line, std::size_t n_outcomes) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (std::size_t tab = line.find('\t'); tab != std::string::npos; tab = line.find('\t', start)) {
    fields.push_back(line.substr(start, tab - start));
    start = tab + 1;
  }
  fields.push_back(line.substr(start));
  if (fields.size() < 2) return std::nullopt;
  RunResult r;
  try {
    r.index = std::stoull(fields[0]);
    if (fields[1] == "failed" && fields.size() == 3) {
      r.error = unescape(fields[2]);
      r.outcomes.assign(n_outcomes, std::nan(""));
      return r;
    }
    if (fields[1] != "ok" || fields.size() < 2 + n_outcomes) return std::nullopt;
    r.ok = true;
    for (std::size_t i = 0; i < n_outcomes; ++i) r.outcomes.push_back(std::stod(fields[2 + i]));
    if (fields.size() > 2 + n_outcomes) {
      if (fields[2 + n_outcomes] != "|") return std::nullopt;
      for (std::size_t i = 3 + n_outcomes; i < fields.size(); ++i) r.series.push_back(std::stod(fields[i]));
    }
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return r;
}

// What a journal belongs to: the sweep file, the overrides and the shard. A journal of another sweep is
// never resumed.
std::string fingerprint(const SweepPlan& plan, const Shard& shard) {
  std::string identity = plan.text + "\n" + plan.identity + "\n" + shard.text();
  for (const std::string& o : plan.overrides) identity += "\n" + o;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(core::fnv1a64(identity)));
  return buf;
}

std::string journal_header(const SweepPlan& plan, const Shard& shard) {
  return "# pocsim sweep journal 1 " + fingerprint(plan, shard) + "\n";
}

// Reads the runs a journal holds, calling `each` for every complete line. Throws when the journal is of
// another sweep.
void read_journal(const std::string& path, const SweepPlan& plan, const Shard& shard, const std::function<void(const RunResult&)>& each) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  if (!std::getline(in, line) || line + "\n" != journal_header(plan, shard))
    throw scenario::ScenarioError({{path, "", "this journal belongs to another sweep (a different file, --set or --shard)",
                                    "remove it to start the sweep afresh, or run the command that wrote it"}});
  // Line by line: a journal with series can be far larger than memory should hold. A last line without
  // its newline (a run killed while writing it) is ignored; run_sweep cuts it off before appending.
  while (std::getline(in, line))
    if (!in.eof())
      if (auto r = parse_journal_line(line, plan.outcomes.size())) each(*r);
}

// A journal whose last line lacks its newline (killed while writing it) is cut back to its last whole
// line, so the next line appended starts on a line of its own.
void cut_partial_line(const std::string& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec || size == 0) return;
  std::ifstream in(path, std::ios::binary);
  std::uintmax_t keep = size;
  char c = 0;
  while (keep > 0) {
    in.seekg(static_cast<std::streamoff>(keep - 1));
    if (!in.get(c) || c == '\n') break;
    --keep;
  }
  in.close();
  if (keep < size) fs::resize_file(path, keep);
}

// ---- The store -----------------------------------------------------------------------------------------

void write_design(hid_t root, const SweepPlan& plan, const Design& design) {
  const std::size_t points = design.points(), k = plan.factors.size();
  io::ensure_parent_groups(root, "design/x");
  std::vector<std::string> keys;
  for (const Factor& f : plan.factors) keys.push_back(f.key);
  io::Handle group = io::open_object(root, "design");
  io::set_attribute(group.id(), "factors", keys);
  io::set_attribute(group.id(), "type", std::string(to_string(plan.design.kind)));
  io::set_attribute(group.id(), "samples", static_cast<std::int64_t>(plan.design.samples));
  io::set_attribute(group.id(), "levels", static_cast<std::int64_t>(plan.design.levels));
  std::vector<double> unit, values;
  for (std::size_t p = 0; p < points; ++p) {
    unit.insert(unit.end(), design.unit[p].begin(), design.unit[p].end());
    values.insert(values.end(), design.values[p].begin(), design.values[p].end());
  }
  io::Array<double>(group.id(), "unit", {points, k}, {points, k}, 0.0, "1", "Each point's coordinates in the unit cube, [point, factor]")
      .write({0, 0}, {points, k}, unit);
  io::Array<double>(group.id(), "values", {points, k}, {points, k}, 0.0, "",
                    "Each point's parameter values, [point, factor] (factors: this group's attribute)")
      .write({0, 0}, {points, k}, values);
  std::vector<std::int64_t> g(design.group.begin(), design.group.end()), r(design.role.begin(), design.role.end());
  io::Array<std::int64_t>(group.id(), "group", {points}, {points}, 0, "", "Morris: trajectory; Sobol: base sample row; else -1").write({0}, {points}, g);
  io::Array<std::int64_t>(group.id(), "role", {points}, {points}, 0, "",
                          "Morris: factor moved from the previous point (-1 a start); Sobol: -2 A, -1 B, i A with column i from B")
      .write({0}, {points}, r);
}

// Writes a complete store: the design, every run's identity, and the results `feed` delivers.
void write_store(const std::string& path, const SweepPlan& plan, const Design& design, const std::string& shard_text,
                 const std::string& command_line, double wall_seconds,
                 const std::function<void(const std::function<void(const RunResult&)>&)>& feed) {
  const std::size_t runs = design.points() * static_cast<std::size_t>(plan.replicates);
  const auto n_steps = static_cast<std::size_t>(plan.steps + 1);
  io::PendingFile file(path);
  const hid_t root = file.id();
  const scenario::Scenario base = load_run(plan, plan.overrides);
  io::write_provenance(root, scenario::provenance_of(base, command_line, 0));
  io::set_attribute(root, "kind", std::string("sweep"));
  io::set_attribute(root, "sweep_path", plan.path);
  io::set_attribute(root, "sweep_yaml", plan.text);
  io::set_attribute(root, "shard", shard_text);
  io::set_attribute(root, "replicates", static_cast<std::int64_t>(plan.replicates));
  io::set_attribute(root, "runs", static_cast<std::int64_t>(runs));
  io::set_attribute(root, "from_step", plan.from);
  io::set_attribute(root, "steps", plan.steps);
  io::set_attribute(root, "seeds", std::string(plan.seed_per_replicate ? "per_replicate" : "per_run"));
  io::set_attribute(root, "sweep_seed", static_cast<std::int64_t>(plan.design.seed));
  std::vector<std::string> outcome_names;
  for (std::size_t o : plan.outcomes) outcome_names.push_back(model::outcome_specs()[o].name);
  io::set_attribute(root, "outcomes", outcome_names);
  write_design(root, plan, design);

  io::ensure_parent_groups(root, "runs/x");
  std::vector<std::int64_t> point(runs), replicate(runs), seed(runs);
  for (std::size_t r = 0; r < runs; ++r) {
    point[r] = static_cast<std::int64_t>(r / static_cast<std::size_t>(plan.replicates));
    replicate[r] = static_cast<std::int64_t>(r % static_cast<std::size_t>(plan.replicates));
    seed[r] = static_cast<std::int64_t>(run_seed(plan, r));
  }
  io::Array<std::int64_t>(root, "runs/point", {runs}, {runs}, 0, "", "Design point of each run").write({0}, {runs}, point);
  io::Array<std::int64_t>(root, "runs/replicate", {runs}, {runs}, 0, "", "Replicate of each run").write({0}, {runs}, replicate);
  io::Array<std::int64_t>(root, "runs/seed", {runs}, {runs}, 0, "", "Seed of each run").write({0}, {runs}, seed);
  io::Array<std::uint8_t> status(root, "runs/status", {runs}, {std::min<std::size_t>(runs, 65536)}, 0, "",
                                 "0 not run (another shard's), 1 finished, 2 failed (see the attribute 'errors' of /runs)");
  io::ensure_parent_groups(root, "outcomes/x");
  std::vector<io::Array<double>> outcomes, series;
  for (std::size_t o : plan.outcomes) {
    const model::OutcomeSpec& spec = model::outcome_specs()[o];
    outcomes.emplace_back(root, "outcomes/" + spec.name, std::vector<hs>{runs}, std::vector<hs>{std::min<std::size_t>(runs, 65536)},
                          std::nan(""), spec.units, spec.description + " (from step " + std::to_string(plan.from) + ")");
    if (plan.series) {
      io::ensure_parent_groups(root, "series/x");
      series.emplace_back(root, "series/" + spec.name, std::vector<hs>{runs, n_steps}, std::vector<hs>{1, n_steps}, std::nan(""),
                          spec.units, spec.description + ", per step");
    }
  }
  std::map<std::size_t, std::string> errors;
  feed([&](const RunResult& r) {
    if (r.index >= runs) return;
    status.write({r.index}, {1}, {static_cast<std::uint8_t>(r.ok ? 1 : 2)});
    if (!r.ok) errors[r.index] = r.error;
    for (std::size_t o = 0; o < outcomes.size(); ++o) outcomes[o].write({r.index}, {1}, {r.outcomes[o]});
    if (r.ok && plan.series && r.series.size() == outcomes.size() * n_steps)
      for (std::size_t o = 0; o < series.size(); ++o)
        series[o].write({r.index, 0}, {1, n_steps},
                        std::vector<double>(r.series.begin() + static_cast<std::ptrdiff_t>(o * n_steps),
                                            r.series.begin() + static_cast<std::ptrdiff_t>((o + 1) * n_steps)));
  });
  std::vector<std::string> messages;
  for (const auto& [index, message] : errors) messages.push_back(std::to_string(index) + ": " + message);
  io::Handle runs_group = io::open_object(root, "runs");
  io::set_attribute(runs_group.id(), "errors", messages);
  outcomes.clear();
  series.clear();
  file.close_complete(wall_seconds);
}

// Messages: a worker says it is ready (with its thread count), gets a batch of run indices (empty: no
// more), sends the batch's journal lines back (tag_last when it was interrupted and stops).
constexpr int tag_ready = 1, tag_result = 2, tag_work = 3, tag_last = 4;

}  // namespace

// ---- The sweep ---------------------------------------------------------------------------------------

SweepOutcome run_sweep(const SweepPlan& plan, const Shard& shard, const std::string& store, const std::string& command_line,
                       const SweepObserver& observer, bool mpi) {
  const auto wall_start = std::chrono::steady_clock::now();
  const Design design = make_design(plan.design, plan.factors);
  const std::size_t runs = design.points() * static_cast<std::size_t>(plan.replicates);
  int rank = 0, size = 1;
  if (mpi) {
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
  }
  auto stopped = [&] { return observer.stop_requested && observer.stop_requested(); };
  SweepOutcome out;
  out.journal = store + ".journal";
  out.store = store;

  if (rank != 0) {  // an MPI worker: runs the batches the coordinator hands out, one run per thread
    const int slots = std::max(1, tbb::this_task_arena::max_concurrency());
    MPI_Send(&slots, static_cast<int>(sizeof slots), MPI_CHAR, 0, tag_ready, MPI_COMM_WORLD);
    while (true) {
      MPI_Status st;
      MPI_Probe(0, tag_work, MPI_COMM_WORLD, &st);
      int count = 0;
      MPI_Get_count(&st, MPI_LONG_LONG, &count);
      std::vector<long long> batch(static_cast<std::size_t>(count));
      MPI_Recv(batch.data(), count, MPI_LONG_LONG, 0, tag_work, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      if (batch.empty()) break;
      std::vector<std::optional<RunResult>> results(batch.size());
      core::parallel_for(batch.size(), [&](std::size_t i) {
        tbb::this_task_arena::isolate([&] { results[i] = run_one(plan, design, static_cast<std::size_t>(batch[i]), stopped); });
      }, 1);
      std::string lines;
      bool stopping = false;
      for (const auto& r : results) {
        if (r) lines += journal_line(*r);
        else stopping = true;  // interrupted: the finished runs of the batch still count
      }
      MPI_Send(lines.data(), static_cast<int>(lines.size()), MPI_CHAR, 0, stopping ? tag_last : tag_result, MPI_COMM_WORLD);
      if (stopping) break;
    }
    MPI_Barrier(MPI_COMM_WORLD);
    return out;
  }

  // The coordinator (or the only process): the journal says what is done. It is locked for the whole
  // sweep, so two processes never run one sweep into one journal.
  std::FILE* journal = std::fopen(out.journal.c_str(), "ab");
  if (!journal) throw io::Hdf5Error("cannot create " + out.journal);
  if (flock(fileno(journal), LOCK_EX | LOCK_NB) != 0) {
    std::fclose(journal);
    throw scenario::ScenarioError({{out.journal, "", "another pocsim sweep is running on this store",
                                    "wait for it to finish (or stop it), then run this command again to continue"}});
  }
  cut_partial_line(out.journal);  // only now: the line may have been another sweep's, still being written
  std::vector<char> done(runs, 0);
  try {
    if (std::ftell(journal) > 0 || fs::file_size(out.journal) > 0) {
      read_journal(out.journal, plan, shard, [&](const RunResult& r) {
        if (r.index < runs && !done[r.index]) {
          done[r.index] = 1;
          ++out.skipped;
        }
      });
    } else {
      const std::string header = journal_header(plan, shard);
      if (std::fwrite(header.data(), 1, header.size(), journal) != header.size() || std::fflush(journal) != 0)
        throw io::Hdf5Error("cannot write " + out.journal);
    }
  } catch (...) {
    std::fclose(journal);
    throw;
  }
  std::vector<std::size_t> pending;
  for (std::size_t r = 0; r < runs; ++r) {
    if (!shard.owns(r)) continue;
    ++out.runs;
    if (!done[r]) pending.push_back(r);
  }
  std::mutex writing;
  std::int64_t finished = out.skipped;
  auto record = [&](const std::string& line, bool ok) {
    const std::lock_guard<std::mutex> lock(writing);
    if (std::fwrite(line.data(), 1, line.size(), journal) != line.size() || std::fflush(journal) != 0)
      throw io::Hdf5Error("cannot append to " + out.journal + " (disk full?)");
    ++out.done;
    out.failed += ok ? 0 : 1;
    ++finished;
    if (observer.progress) observer.progress(finished, out.runs);
  };
  bool interrupted = false;
  try {
    if (size > 1) {
      std::size_t next = 0;
      int workers = size - 1;
      std::string buffer;
      while (workers > 0) {
        // Polled with a pause rather than a blocking probe, which in Open MPI spins and would take a core
        // from the ranks doing the work.
        MPI_Status st;
        for (int arrived = 0; !arrived;) {
          MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &arrived, &st);
          if (!arrived) std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        int count = 0;
        MPI_Get_count(&st, MPI_CHAR, &count);
        buffer.resize(static_cast<std::size_t>(count));
        MPI_Recv(buffer.data(), count, MPI_CHAR, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        int slots = 1;
        if (st.MPI_TAG == tag_ready && buffer.size() == sizeof slots) std::memcpy(&slots, buffer.data(), sizeof slots);
        if (st.MPI_TAG == tag_result || st.MPI_TAG == tag_last) {
          slots = 0;
          for (std::size_t start = 0, nl = buffer.find('\n'); nl != std::string::npos; start = nl + 1, nl = buffer.find('\n', start)) {
            const std::string line = buffer.substr(start, nl - start + 1);
            const auto r = parse_journal_line(line.substr(0, line.size() - 1), plan.outcomes.size());
            record(line, r && r->ok);
            ++slots;
          }
        }
        if (st.MPI_TAG == tag_last) {
          interrupted = true;
          --workers;
          continue;
        }
        std::vector<long long> batch;
        while (!stopped() && next < pending.size() && static_cast<int>(batch.size()) < std::max(1, slots))
          batch.push_back(static_cast<long long>(pending[next++]));
        interrupted |= stopped();
        MPI_Send(batch.data(), static_cast<int>(batch.size()), MPI_LONG_LONG, st.MPI_SOURCE, tag_work, MPI_COMM_WORLD);
        if (batch.empty()) --workers;
      }
      interrupted |= next < pending.size();
      MPI_Barrier(MPI_COMM_WORLD);
    } else {
      // Isolated like a comparison's replicates: at most one run per thread in memory.
      core::parallel_for(pending.size(), [&](std::size_t i) {
        tbb::this_task_arena::isolate([&] {
          if (stopped()) return;
          if (const auto r = run_one(plan, design, pending[i], stopped)) record(journal_line(*r), r->ok);
        });
      }, 1);
      interrupted = stopped();
    }
    out.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    if (!interrupted && out.done + out.skipped >= out.runs) {
      // The journal stays locked until the store is in place and the journal gone.
      std::size_t arrived = 0;
      write_store(store, plan, design, shard.text(), command_line, out.wall_seconds, [&](const auto& each) {
        std::vector<char> seen(runs, 0);
        read_journal(out.journal, plan, shard, [&](const RunResult& r) {
          if (r.index >= runs || seen[r.index] || !shard.owns(r.index)) return;
          seen[r.index] = 1;
          ++arrived;
          each(r);
        });
        if (arrived != static_cast<std::size_t>(out.runs))
          throw io::Hdf5Error(out.journal + " holds " + std::to_string(arrived) + " of the shard's " + std::to_string(out.runs) +
                              " runs; it is kept: run the same command again to complete it");
      });
      fs::remove(out.journal);
      out.complete = true;
    }
  } catch (...) {
    std::fclose(journal);
    throw;
  }
  std::fclose(journal);
  return out;
}

// ---- Merging shards ----------------------------------------------------------------------------------

void merge_stores(const std::vector<std::string>& shards, const std::string& store, const std::string& command_line) {
  if (shards.empty()) throw std::runtime_error("no shard stores to merge");
  // Every shard must be a complete part of one sweep, run with one scenario and the same overrides.
  std::string sweep_yaml, sweep_path, overrides_text, parameters;
  std::set<int> seen_shards;
  int count = 0;
  for (const std::string& s : shards) {
    const io::Handle f = io::open_file_read(s);
    if (!io::has_attribute(f.id(), "kind") || io::get_string_attribute(f.id(), "kind") != "sweep")
      throw std::runtime_error(s + " is not a sweep store (written by 'pocsim sweep')");
    if (io::get_int_attribute(f.id(), "complete") != 1) throw std::runtime_error(s + " is not complete: finish that shard first");
    const std::string shard = io::get_string_attribute(f.id(), "shard");
    const auto slash = shard.find('/');
    if (slash == std::string::npos) throw std::runtime_error(s + " is a whole sweep (shard '" + shard + "'), not one shard of it");
    const int index = std::stoi(shard.substr(0, slash)), n = std::stoi(shard.substr(slash + 1));
    const std::string yaml = io::get_string_attribute(f.id(), "sweep_yaml");
    const std::string overrides = io::get_string_attribute(f.id(), "overrides");
    const std::string resolved = io::get_string_attribute(f.id(), "parameters_resolved");
    if (sweep_yaml.empty()) {
      sweep_yaml = yaml;
      sweep_path = io::get_string_attribute(f.id(), "sweep_path");
      overrides_text = overrides;
      parameters = resolved;
      count = n;
    } else if (yaml != sweep_yaml || overrides != overrides_text || resolved != parameters) {
      throw std::runtime_error(s + " is a shard of another sweep than " + shards.front() + " (its sweep file, --set or scenario differ)");
    } else if (n != count) {
      throw std::runtime_error(s + " is shard " + shard + ", but " + shards.front() + " is one of " + std::to_string(count));
    }
    if (!seen_shards.insert(index).second) throw std::runtime_error(s + " repeats shard " + shard);
  }
  if (static_cast<int>(seen_shards.size()) != count)
    throw std::runtime_error("the sweep has " + std::to_string(count) + " shards, " + std::to_string(seen_shards.size()) +
                             " given: merge every shard");
  // The plan as the shards ran it: the sweep file is re-read, and must still say, and resolve to, the same.
  std::vector<std::string> overrides;
  std::istringstream lines(overrides_text);
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) overrides.push_back(line);
  const SweepPlan plan = load_sweep(sweep_path, overrides);
  if (plan.text != sweep_yaml || load_run(plan, overrides).resolved_yaml != parameters)
    throw std::runtime_error(sweep_path + " or its scenario has changed since the shards ran: merge with the files they ran");
  const Design design = make_design(plan.design, plan.factors);
  const std::size_t runs = design.points() * static_cast<std::size_t>(plan.replicates);
  const auto n_steps = static_cast<std::size_t>(plan.steps + 1);
  write_store(store, plan, design, "all", command_line, 0.0, [&](const auto& each) {
    for (const std::string& s : shards) {
      const io::Handle f = io::open_file_read(s);
      const std::vector<std::uint8_t> status = io::read_uint8(f.id(), "runs/status");
      std::map<std::size_t, std::string> errors;
      for (const std::string& e : io::get_string_list_attribute(io::open_object(f.id(), "runs").id(), "errors"))
        errors[std::stoull(e.substr(0, e.find(':')))] = e.substr(e.find(':') + 2);
      std::vector<std::vector<double>> outcomes, series;
      for (std::size_t o : plan.outcomes) {
        outcomes.push_back(io::read_double(f.id(), "outcomes/" + model::outcome_specs()[o].name));
        if (plan.series) {
          std::vector<hs> dims;
          series.push_back(io::read_double(f.id(), "series/" + model::outcome_specs()[o].name, &dims));
          if (dims.size() != 2 || dims[1] != n_steps) throw std::runtime_error(s + " holds series of another run length");
        }
      }
      for (std::size_t r = 0; r < runs && r < status.size(); ++r) {
        if (status[r] == 0) continue;
        RunResult result;
        result.index = r;
        result.ok = status[r] == 1;
        result.error = errors[r];
        for (const auto& column : outcomes) result.outcomes.push_back(column[r]);
        for (const auto& column : series)
          result.series.insert(result.series.end(), column.begin() + static_cast<std::ptrdiff_t>(r * n_steps),
                               column.begin() + static_cast<std::ptrdiff_t>((r + 1) * n_steps));
        each(result);
      }
    }
  });
}

// ---- Sensitivity -------------------------------------------------------------------------------------

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

// ---- MPI ---------------------------------------------------------------------------------------------

bool MpiSession::launched_by_mpirun() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") || std::getenv("PMIX_RANK");
}

MpiSession::MpiSession() {
  if (!launched_by_mpirun()) return;
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  active_ = true;
}

void MpiSession::abort_all() {
  std::fflush(stderr);
  MPI_Abort(MPI_COMM_WORLD, 1);
  std::abort();  // MPI_Abort does not return; this keeps the promise if it did
}

MpiSession::~MpiSession() {
  if (active_) MPI_Finalize();
}

}  // namespace pocsim::ensemble

// The store of a sweep: the design, every run's identity and results, in one HDF5 file; and the merge of
// shards' stores into the one an unsharded sweep would have written.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "ensemble/sweep_run.hpp"
#include "io/hdf5.hpp"
#include "io/pending_file.hpp"
#include "io/provenance.hpp"
#include "model/outcomes.hpp"

namespace pocsim::ensemble {

using hs = hsize_t;

namespace detail {

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
  io::Axes axes(root);
  axes.count("design", "point", points);
  axes.labels("design", "factor", keys);
  io::Array<double> unit_ds(group.id(), "unit", {points, k}, {points, k}, 0.0, "1", "Each point's coordinates in the unit cube, [point, factor]");
  unit_ds.write({0, 0}, {points, k}, unit);
  io::Array<double> values_ds(group.id(), "values", {points, k}, {points, k}, 0.0, "",
                              "Each point's parameter values, [point, factor] (factors: this group's attribute)");
  values_ds.write({0, 0}, {points, k}, values);
  std::vector<std::int64_t> g(design.group.begin(), design.group.end()), r(design.role.begin(), design.role.end());
  io::Array<std::int64_t> group_ds(group.id(), "group", {points}, {points}, 0, "", "Morris: trajectory; Sobol: base sample row; else -1");
  group_ds.write({0}, {points}, g);
  io::Array<std::int64_t> role_ds(group.id(), "role", {points}, {points}, 0, "",
                                  "Morris: factor moved from the previous point (-1 a start); Sobol: -2 A, -1 B, i A with column i from B");
  role_ds.write({0}, {points}, r);
  for (hid_t id : {unit_ds.id(), values_ds.id()}) axes.attach(id, "design", {"point", "factor"});
  for (hid_t id : {group_ds.id(), role_ds.id()}) axes.attach(id, "design", {"point"});
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
  io::ensure_parent_groups(root, "outcomes/x");
  if (plan.series) io::ensure_parent_groups(root, "series/x");
  std::vector<std::int64_t> point(runs), replicate(runs), seed(runs);
  for (std::size_t r = 0; r < runs; ++r) {
    point[r] = static_cast<std::int64_t>(r / static_cast<std::size_t>(plan.replicates));
    replicate[r] = static_cast<std::int64_t>(r % static_cast<std::size_t>(plan.replicates));
    seed[r] = static_cast<std::int64_t>(run_seed(plan, r));
  }
  // Every dataset's axes named for netCDF readers (xarray): runs and steps.
  io::Axes axes(root);
  for (const char* group : {"runs", "outcomes"}) axes.count(group, "run", runs);
  if (plan.series) {
    axes.count("series", "run", runs);
    axes.count("series", "step", n_steps);
  }
  io::Array<std::int64_t> point_ds(root, "runs/point", {runs}, {runs}, 0, "", "Design point of each run");
  point_ds.write({0}, {runs}, point);
  io::Array<std::int64_t> replicate_ds(root, "runs/replicate", {runs}, {runs}, 0, "", "Replicate of each run");
  replicate_ds.write({0}, {runs}, replicate);
  io::Array<std::int64_t> seed_ds(root, "runs/seed", {runs}, {runs}, 0, "", "Seed of each run");
  seed_ds.write({0}, {runs}, seed);
  io::Array<std::uint8_t> status(root, "runs/status", {runs}, {std::min<std::size_t>(runs, 65536)}, 0, "",
                                 "0 not run (another shard's), 1 finished, 2 failed (see the attribute 'errors' of /runs)");
  for (hid_t id : {point_ds.id(), replicate_ds.id(), seed_ds.id(), status.id()}) axes.attach(id, "runs", {"run"});
  std::vector<io::Array<double>> outcomes, series;
  for (std::size_t o : plan.outcomes) {
    const model::OutcomeSpec& spec = model::outcome_specs()[o];
    outcomes.emplace_back(root, "outcomes/" + spec.name, std::vector<hs>{runs}, std::vector<hs>{std::min<std::size_t>(runs, 65536)},
                          std::nan(""), spec.units, spec.description + " (from step " + std::to_string(plan.from) + ")");
    axes.attach(outcomes.back().id(), "outcomes", {"run"});
    if (plan.series) {
      series.emplace_back(root, "series/" + spec.name, std::vector<hs>{runs, n_steps}, std::vector<hs>{1, n_steps}, std::nan(""),
                          spec.units, spec.description + ", per step");
      axes.attach(series.back().id(), "series", {"run", "step"});
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

}  // namespace detail

using namespace detail;

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

}  // namespace pocsim::ensemble

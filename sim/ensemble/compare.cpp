#include "ensemble/compare.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include <tbb/task_arena.h>

#include "core/parallel.hpp"
#include "core/rng.hpp"
#include "io/hdf5.hpp"
#include "io/pending_file.hpp"
#include "io/provenance.hpp"
#include "model/model.hpp"
#include "model/outcomes.hpp"

namespace pocsim::ensemble {

namespace {

using hs = hsize_t;
constexpr double confidence = 0.95;

// The datasets every finished run writes into, each at its own [option, replicate] place.
struct Store {
  std::vector<io::Array<double>> outcomes;  // per outcome: [option, replicate]
  std::vector<io::Array<double>> series;    // per outcome: [option, replicate, step]
  std::unique_ptr<io::Array<std::uint8_t>> done;
};

std::string option_name(const ComparisonPlan& plan, std::size_t k) {
  return k == 0 ? "baseline" : plan.options[k - 1].option->name;
}


// The table from a comparison file's outcomes: only replicates that every option finished are counted,
// so every difference is a paired one.
Table compute_table(hid_t file) {
  Table t;
  t.options = io::get_string_list_attribute(file, "options");
  t.outcomes = io::get_string_list_attribute(file, "outcomes");
  t.decision = io::get_int_attribute(file, "decision_step");
  t.steps = io::get_int_attribute(file, "steps");
  t.confidence = confidence;
  std::vector<hs> dims;
  const std::vector<std::uint8_t> done = io::read_uint8(file, "runs/done", &dims);
  const std::size_t n_options = dims.at(0), n_reps = dims.at(1);
  std::vector<std::size_t> finished;
  for (std::size_t r = 0; r < n_reps; ++r) {
    bool all = true;
    for (std::size_t k = 0; k < n_options; ++k) all = all && done[k * n_reps + r] != 0;
    if (all) finished.push_back(r);
  }
  t.replicates = static_cast<std::int64_t>(finished.size());
  auto of_option = [&](const std::vector<double>& values, std::size_t k) {
    std::vector<double> out;
    for (std::size_t r : finished) out.push_back(values[k * n_reps + r]);
    return out;
  };
  auto paired = [&](const std::vector<double>& values, std::size_t k) {
    std::vector<double> out;
    for (std::size_t r : finished) out.push_back(values[k * n_reps + r] - values[r]);
    return out;
  };
  const std::vector<double> cost = io::read_double(file, "outcomes/mission_cost");
  const double nan = std::nan("");
  for (const std::string& name : t.outcomes) {
    const std::vector<double> values = io::read_double(file, "outcomes/" + name);
    const io::Handle dataset = io::open_object(file, "outcomes/" + name);
    // Files written before directions were declared have none: no probabilities for them.
    const std::string better = io::has_attribute(dataset.id(), "better") ? io::get_string_attribute(dataset.id(), "better") : "neither";
    t.better.push_back(better);
    // A level's interval is clipped to the outcome's support: the mean of counts is never below 0, of
    // shares never above 1. The true mean lies in the support, so clipping never lowers the coverage.
    const double lowest = io::has_attribute(dataset.id(), "lowest") ? io::get_double_attribute(dataset.id(), "lowest") : -HUGE_VAL;
    const double highest = io::has_attribute(dataset.id(), "highest") ? io::get_double_attribute(dataset.id(), "highest") : HUGE_VAL;
    const double sign = better == "lower" ? -1.0 : better == "higher" ? 1.0 : 0.0;
    // Per replicate, the best value over all options and how many reach it.
    std::vector<double> best_value;
    std::vector<int> reaching;
    for (std::size_t r : finished) {
      double best = sign * values[r];
      for (std::size_t k = 1; k < n_options; ++k) best = std::max(best, sign * values[k * n_reps + r]);
      int n = 0;
      for (std::size_t k = 0; k < n_options; ++k) n += sign * values[k * n_reps + r] == best;
      best_value.push_back(best);
      reaching.push_back(n);
    }
    const auto n_finished = static_cast<double>(finished.size());
    for (std::size_t k = 0; k < n_options; ++k) {
      TableRow row;
      row.option = t.options[k];
      row.outcome = name;
      row.label = io::get_string_attribute(dataset.id(), "label");
      row.units = io::get_string_attribute(dataset.id(), "units");
      row.level = core::mean_interval(of_option(values, k), confidence);
      if (!std::isnan(row.level.low)) {
        row.level.low = std::clamp(row.level.low, lowest, highest);
        row.level.high = std::clamp(row.level.high, lowest, highest);
      }
      row.difference.mean = row.extra_cost = row.per_million = nan;
      row.p_better = row.p_tie = row.p_worse = row.p_best = row.p_best_tied = nan;
      if (sign != 0 && !finished.empty()) {
        double alone = 0, shared = 0;
        for (std::size_t i = 0; i < finished.size(); ++i) {
          if (sign * values[k * n_reps + finished[i]] != best_value[i]) continue;
          (reaching[i] == 1 ? alone : shared) += 1;
        }
        row.p_best = alone / n_finished;
        row.p_best_tied = shared / n_finished;
        if (k > 0) {
          double better_n = 0, tie_n = 0;
          for (const double d : paired(values, k)) {
            better_n += sign * d > 0;
            tie_n += d == 0;
          }
          row.p_better = better_n / n_finished;
          row.p_tie = tie_n / n_finished;
          row.p_worse = 1.0 - row.p_better - row.p_tie;
        }
      }
      if (k > 0) {
        row.difference = core::mean_interval(paired(values, k), confidence);
        row.extra_cost = core::mean_interval(paired(cost, k)).mean;
        if (row.extra_cost > 0 && name != "mission_cost") row.per_million = row.difference.mean / (row.extra_cost / 1e6);
      }
      t.rows.push_back(row);
    }
  }
  return t;
}

void write_table(hid_t file, const Table& t) {
  const std::size_t n_options = t.options.size(), n_outcomes = t.outcomes.size();
  io::ensure_parent_groups(file, "table/x");
  io::Handle group = io::open_object(file, "table");
  io::set_attribute(group.id(), "description", std::string(
      "The comparison table, [option, outcome]: mean and 95% interval over replicates; paired difference from "
      "the baseline and its interval; mean extra mission cost ($); difference per $1,000,000 of extra cost; "
      "shares of replicates in which the option beats the baseline, equals it and is beaten (by the outcome's "
      "direction, attribute better), and in which it alone is best of all options and shares the best value. "
      "NaN where a value does not apply (the baseline's differences; intervals of one replicate; probabilities "
      "of an outcome with no direction)."));
  io::set_attribute(group.id(), "options", t.options);
  io::set_attribute(group.id(), "outcomes", t.outcomes);
  io::set_attribute(group.id(), "better", t.better);
  auto column = [&](const std::string& name, const std::string& units, auto value_of) {
    std::vector<double> values(n_options * n_outcomes);
    for (std::size_t o = 0; o < n_outcomes; ++o)
      for (std::size_t k = 0; k < n_options; ++k) values[k * n_outcomes + o] = value_of(t.rows[o * n_options + k]);
    io::Array<double>(group.id(), name, {n_options, n_outcomes}, {n_options, n_outcomes}, std::nan(""), units,
                      "see the table group's description")
        .write({0, 0}, {n_options, n_outcomes}, values);
  };
  column("replicates", "", [](const TableRow& r) { return static_cast<double>(r.level.n); });
  column("mean", "outcome", [](const TableRow& r) { return r.level.mean; });
  column("low", "outcome", [](const TableRow& r) { return r.level.low; });
  column("high", "outcome", [](const TableRow& r) { return r.level.high; });
  column("difference", "outcome", [](const TableRow& r) { return r.difference.mean; });
  column("difference_low", "outcome", [](const TableRow& r) { return r.difference.low; });
  column("difference_high", "outcome", [](const TableRow& r) { return r.difference.high; });
  column("extra_cost", "$", [](const TableRow& r) { return r.extra_cost; });
  column("per_million", "outcome per $1,000,000", [](const TableRow& r) { return r.per_million; });
  column("p_better", "1", [](const TableRow& r) { return r.p_better; });
  column("p_tie", "1", [](const TableRow& r) { return r.p_tie; });
  column("p_worse", "1", [](const TableRow& r) { return r.p_worse; });
  column("p_best", "1", [](const TableRow& r) { return r.p_best; });
  column("p_best_tied", "1", [](const TableRow& r) { return r.p_best_tied; });
}

// Numbers for people: four significant digits, no exponent below a billion.
std::string readable(double v) {
  if (std::isnan(v)) return "-";
  char buf[64];
  if (std::fabs(v) >= 1e4 && std::fabs(v) < 1e15) std::snprintf(buf, sizeof buf, "%.0f", v);
  else std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

std::string interval(const core::Estimate& e) {
  if (std::isnan(e.mean)) return "";
  if (std::isnan(e.low)) return readable(e.mean);
  return readable(e.mean) + " [" + readable(e.low) + ", " + readable(e.high) + "]";
}

// A share of replicates for people: "85% ±8" (the binomial standard error), "-" where it does not apply.
std::string share_text(double p, std::int64_t n) {
  if (std::isnan(p)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f%% ±%.0f", 100 * p, 100 * share_error(p, n));
  return buf;
}

// The caution a table carries when it has too few replicates to decide on.
std::string replicate_warning(const Table& t) {
  if (t.replicates >= minimum_replicates) return "";
  return "WARNING: only " + std::to_string(t.replicates) + " replicate" + (t.replicates == 1 ? "" : "s") +
         ": intervals and probabilities this rough cannot rank the options; run " +
         std::to_string(minimum_replicates) + " or more (20 for intervals worth reading).\n";
}

// Numbers for files: exact (reads back as the same double); empty when not applicable.
std::string exact(double v) {
  if (std::isnan(v)) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}
}  // namespace

void check_plan(const ComparisonPlan& plan) {
  std::vector<scenario::Diagnostic> problems;
  if (plan.options.empty())
    problems.push_back({"--options", "", "no option to compare with the baseline", "name one or more option files: --options A.yaml B.yaml"});
  std::map<std::string, std::string> names{{"baseline", "(the baseline)"}};
  for (const scenario::Scenario& o : plan.options) {
    const scenario::OptionInfo& info = *o.option;
    if (info.decision != plan.options.front().option->decision)
      problems.push_back({info.decision_where, "decision",
                          "is step " + std::to_string(info.decision) + ", but " + plan.options.front().option->path +
                              " decides at step " + std::to_string(plan.options.front().option->decision),
                          "options compared together branch from one warm-up: give them the same decision date"});
    if (const auto [it, fresh] = names.emplace(info.name, info.path); !fresh)
      problems.push_back({info.path, "name", "the option name '" + info.name + "' is also used by " + it->second,
                          "give each option its own 'name:' (or file name); 'baseline' is reserved"});
  }
  if (plan.replicates < 1)
    problems.push_back({"--replicates", "", "must be at least 1, got " + std::to_string(plan.replicates),
                        "ask for 20 or more for intervals worth reading"});
  if (!problems.empty()) throw scenario::ScenarioError(problems);
}

Outcome run_comparison(const ComparisonPlan& plan, int threads, const Observer& observer) {
  check_plan(plan);
  const auto wall_start = std::chrono::steady_clock::now();
  const model::Params& base = plan.baseline.params();
  const std::vector<model::OutcomeSpec>& specs = model::outcome_specs();
  const std::size_t n_options = plan.options.size() + 1;
  const auto n_reps = static_cast<std::size_t>(plan.replicates);
  const std::int64_t steps = base.run.steps;
  const std::int64_t decision = plan.options.front().option->decision;
  const auto n_steps = static_cast<std::size_t>(steps + 1);

  io::PendingFile file(plan.output);
  io::write_provenance(file.id(), scenario::provenance_of(plan.baseline, plan.command_line, threads));
  const hid_t root = file.id();
  std::vector<std::string> names, outcome_names;
  for (std::size_t k = 0; k < n_options; ++k) names.push_back(option_name(plan, k));
  for (const model::OutcomeSpec& s : specs) outcome_names.push_back(s.name);
  io::set_attribute(root, "kind", std::string("comparison"));
  io::set_attribute(root, "options", names);
  io::set_attribute(root, "outcomes", outcome_names);
  io::set_attribute(root, "replicates", static_cast<std::int64_t>(n_reps));
  io::set_attribute(root, "decision_step", decision);
  io::set_attribute(root, "steps", steps);
  io::set_attribute(root, "confidence", confidence);
  for (std::size_t k = 1; k < n_options; ++k) {
    const scenario::Scenario& o = plan.options[k - 1];
    io::ensure_parent_groups(root, "options/" + names[k] + "/x");
    io::Handle g = io::open_object(root, "options/" + names[k]);
    io::set_attribute(g.id(), "path", o.option->path);
    io::set_attribute(g.id(), "description", o.option->description);
    io::set_attribute(g.id(), "option_yaml", o.option->text);
    io::set_attribute(g.id(), "parameters_resolved", o.resolved_yaml);
  }

  std::vector<std::int64_t> seeds(n_reps);
  for (std::size_t r = 0; r < n_reps; ++r) seeds[r] = static_cast<std::int64_t>(core::derived_seed(base.run.seed, r));
  io::Array<std::int64_t>(root, "seeds", {n_reps}, {n_reps}, 0, "", "Seed of each replicate, shared by every option: "
                          "pocsim run SCENARIO [--option FILE] --seed SEED reproduces one run").write({0}, {n_reps}, seeds);

  Store store;
  io::ensure_parent_groups(root, "outcomes/x");
  io::ensure_parent_groups(root, "series/x");
  io::ensure_parent_groups(root, "runs/x");
  const double nan = std::nan("");
  for (const model::OutcomeSpec& s : specs) {
    const std::string window = " (" + std::string(model::to_string(s.combine)) + " over steps " + std::to_string(decision) + " to " +
                               std::to_string(steps) + ")";
    store.outcomes.emplace_back(root, "outcomes/" + s.name, std::vector<hs>{n_options, n_reps}, std::vector<hs>{n_options, 4096},
                                nan, s.units, s.description + window);
    io::set_attribute(store.outcomes.back().id(), "label", s.label);
    io::set_attribute(store.outcomes.back().id(), "combine", std::string(model::to_string(s.combine)));
    io::set_attribute(store.outcomes.back().id(), "better", std::string(model::to_string(s.better)));
    io::set_attribute(store.outcomes.back().id(), "lowest", s.lowest);
    io::set_attribute(store.outcomes.back().id(), "highest", s.highest);
    store.series.emplace_back(root, "series/" + s.name, std::vector<hs>{n_options, n_reps, n_steps},
                              std::vector<hs>{1, 1, n_steps}, nan, s.units, s.description + ", per step");
  }
  store.done = std::make_unique<io::Array<std::uint8_t>>(root, "runs/done", std::vector<hs>{n_options, n_reps},
                                                         std::vector<hs>{n_options, 4096}, 0, "1",
                                                         "1 where the run of [option, replicate] finished and was written");

  std::vector<std::vector<model::LeverDef>> option_levers;
  for (const scenario::Scenario& o : plan.options) option_levers.push_back(o.option->levers_of(o.params()));

  std::atomic<std::int64_t> replicates_done{0};
  std::int64_t runs_done = 0;
  const auto runs_total = static_cast<std::int64_t>(n_options * n_reps);
  auto stopped = [&] { return observer.stop_requested && observer.stop_requested(); };

  auto write_run = [&](std::size_t k, std::size_t r, const model::OutcomeMeter& meter, const std::vector<double>& series) {
    const std::vector<double> summary = meter.summary();
    const std::lock_guard<std::mutex> lock(io::library_lock());  // runs finish in any order, on any thread
    for (std::size_t i = 0; i < specs.size(); ++i) {
      store.outcomes[i].write({k, r}, {1, 1}, {summary[i]});
      store.series[i].write({k, r, 0}, {1, 1, n_steps},
                            std::vector<double>(series.begin() + static_cast<std::ptrdiff_t>(i * n_steps),
                                                series.begin() + static_cast<std::ptrdiff_t>((i + 1) * n_steps)));
    }
    store.done->write({k, r}, {1, 1}, {1});
    ++runs_done;
    if (observer.progress) observer.progress(runs_done, runs_total);
  };

  // One replicate: the baseline to the decision, every option branched from it, then the baseline on.
  // Series are [outcome][step]; warm-up steps are the same for every option.
  auto run_replicate = [&](std::size_t r) {
    if (stopped()) return;
    model::Params p = base;
    p.run.seed = static_cast<std::uint64_t>(seeds[r]);
    model::Model trunk(p);
    std::vector<double> warm(specs.size() * n_steps, 0.0);
    auto record = [&](std::vector<double>& series, std::int64_t step, const std::vector<double>& values) {
      for (std::size_t i = 0; i < values.size(); ++i) series[i * n_steps + static_cast<std::size_t>(step)] = values[i];
    };
    model::OutcomeMeter warm_meter;  // values only: the summary counts from the decision on
    record(warm, 0, warm_meter.observe(trunk));
    for (std::int64_t s = 1; s < decision; ++s) {
      if (stopped()) return;
      trunk.step();
      record(warm, s, warm_meter.observe(trunk));
    }
    auto finish = [&](model::Model& m, std::size_t k) {
      model::OutcomeMeter meter;
      std::vector<double> series = warm;
      for (std::int64_t s = decision; s <= steps; ++s) {
        if (stopped()) return false;
        m.step();
        record(series, s, meter.observe(m));
      }
      write_run(k, r, meter, series);
      return true;
    };
    for (std::size_t k = 1; k < n_options; ++k) {
      model::Model branch = trunk.branch(option_levers[k - 1]);
      if (!finish(branch, k)) return;
    }
    if (finish(trunk, 0)) ++replicates_done;
  };

  // Isolated, so that a thread waiting inside one replicate's parallel phases does not start another
  // replicate: at most one replicate per thread is in memory.
  core::parallel_for(n_reps, [&](std::size_t r) { tbb::this_task_arena::isolate([&] { run_replicate(r); }); }, 1);

  Outcome out;
  out.replicates_done = replicates_done.load();
  // Complete when every replicate finished, whatever signal came after the last one.
  out.complete = out.replicates_done == static_cast<std::int64_t>(n_reps);
  store = Store{};  // datasets closed before the file
  if (out.complete) write_table(root, compute_table(root));  // from the file, as read_table computes it
  out.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  out.path = out.complete ? (file.close_complete(out.wall_seconds), plan.output) : file.close_incomplete(out.wall_seconds);
  return out;
}

double share_error(double p, std::int64_t n) {
  return n > 0 && !std::isnan(p) ? std::sqrt(p * (1 - p) / static_cast<double>(n)) : std::nan("");
}

Table read_table(const std::string& path) {
  const io::Handle file = io::open_file_read(path);
  if (!io::has_attribute(file.id(), "kind") || io::get_string_attribute(file.id(), "kind") != "comparison")
    throw io::Hdf5Error(path + " is not a comparison file (written by 'pocsim compare')");
  return compute_table(file.id());
}

std::string format_text(const Table& t) {
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line,
                "%zu option%s against the baseline, %lld replicates with common random numbers; outcomes from step %lld "
                "(the decision) to %lld;\n%.0f%% intervals (Student's t; a level's clipped to what the outcome can take); differences\n"
                "are paired, replicate by replicate;\n"
                "P(better): share of replicates in which the option beats the baseline (ties apart); P(best): in which it\n"
                "alone is best of all options; both ± their binomial standard error.\n",
                t.options.size() - 1, t.options.size() == 2 ? "" : "s", static_cast<long long>(t.replicates),
                static_cast<long long>(t.decision), static_cast<long long>(t.steps), 100 * t.confidence);
  out += line;
  out += replicate_warning(t);
  std::size_t width = 8;
  for (const std::string& o : t.options) width = std::max(width, o.size());
  const int w = static_cast<int>(width);
  for (std::size_t o = 0; o < t.outcomes.size(); ++o) {
    const TableRow& first = t.rows[o * t.options.size()];
    const std::string& better = t.better[o];
    out += "\n" + first.label + " (" + first.units + (better == "neither" ? "" : "; " + better + " is better") + ")\n";
    std::snprintf(line, sizeof line, "  %-*s  %-34s %-34s %-13s %-10s %s\n", w, "option", "mean [95% interval]",
                  "difference from baseline", "per $1M extra", "P(better)", "P(best)");
    out += line;
    for (std::size_t k = 0; k < t.options.size(); ++k) {
      const TableRow& r = t.rows[o * t.options.size() + k];
      std::snprintf(line, sizeof line, "  %-*s  %-34s %-34s %-13s %-10s %s\n", w, r.option.c_str(), interval(r.level).c_str(),
                    interval(r.difference).c_str(), k == 0 ? "" : readable(r.per_million).c_str(),
                    k == 0 ? "" : share_text(r.p_better, t.replicates).c_str(), share_text(r.p_best, t.replicates).c_str());
      out += line;
    }
  }
  return out;
}

// A text field as RFC 4180 writes it: quoted, with quotes doubled, when it holds a comma, quote or line end
// (units such as "per 100,000 people a year").
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string format_csv(const Table& t) {
  std::string out = "option,outcome,units,replicates,mean,low,high,difference,difference_low,difference_high,extra_cost,per_million,"
                    "better,p_better,p_tie,p_worse,p_best,p_best_tied\n";
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const TableRow& r = t.rows[i];
    out += csv_field(r.option) + "," + csv_field(r.outcome) + "," + csv_field(r.units) + "," + std::to_string(r.level.n) + "," + exact(r.level.mean) + "," +
           exact(r.level.low) + "," + exact(r.level.high) + "," + exact(r.difference.mean) + "," + exact(r.difference.low) +
           "," + exact(r.difference.high) + "," + exact(r.extra_cost) + "," + exact(r.per_million) + "," +
           t.better[i / t.options.size()] + "," + exact(r.p_better) + "," + exact(r.p_tie) + "," + exact(r.p_worse) + "," +
           exact(r.p_best) + "," + exact(r.p_best_tied) + "\n";
  }
  return out;
}

std::string format_markdown(const Table& t) {
  std::string out = replicate_warning(t);
  if (!out.empty()) out += '\n';
  out += "| outcome | option | mean [95% interval] | difference from baseline [95% interval] | per $1M extra cost | "
         "P(better than baseline) | P(best) |\n"
         "|---|---|---|---|---|---|---|\n";
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const TableRow& r = t.rows[i];
    const bool baseline = i % t.options.size() == 0;
    const std::string& better = t.better[i / t.options.size()];
    out += "| " + r.label + " (" + r.units + (better == "neither" ? "" : "; " + better + " is better") + ") | " + r.option +
           " | " + interval(r.level) + " | " + (baseline ? std::string("-") : interval(r.difference)) + " | " +
           (baseline ? "-" : readable(r.per_million)) + " | " + (baseline ? "-" : share_text(r.p_better, t.replicates)) +
           " | " + share_text(r.p_best, t.replicates) + " |\n";
  }
  out += '\n';  // appended apart: GCC 12 warns falsely (-Wrestrict) on "\n" + string
  out += std::to_string(t.replicates) + " replicates with common random numbers; outcomes from step " +
         std::to_string(t.decision) + " (the decision) to step " + std::to_string(t.steps) +
         ". P(better): share of replicates in which the option beats the baseline; P(best): in which it alone is best "
         "of all options; ± the binomial standard error.\n";
  return out;
}

}  // namespace pocsim::ensemble

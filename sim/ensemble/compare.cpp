#include "ensemble/compare.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include <boost/math/distributions/students_t.hpp>
#include <tbb/task_arena.h>

#include "core/parallel.hpp"
#include "core/rng.hpp"
#include "core/text.hpp"
#include "ensemble/sweep_run.hpp"
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

// The first line of a comparison's journal: what the runs it holds belong to — everything that decides
// a run's outcomes (the baseline's and each option's parameters in every draw, the seeds' root, the
// replicates, the capture threshold and the adaptive budget) — so a journal of another plan is never
// taken for this one's.
std::string journal_header(const ComparisonPlan& plan, std::size_t n_columns) {
  std::string identity = plan.baseline.resolved_yaml;
  for (const scenario::Scenario& o : plan.options) ((identity += "\n--- option ") += o.option->name) += "\n" + o.resolved_yaml + o.option->text;
  for (const ParameterDraw& d : plan.draws) {
    identity += "\n--- draw";
    for (double v : d.values) (identity += ' ') += core::shortest(v);
  }
  for (const std::string& k : plan.parameters) (identity += "\n--- parameter ") += k;
  identity += "\n--- replicates " + std::to_string(plan.replicates) + " columns " + std::to_string(n_columns) + " threshold " +
              core::shortest(plan.capture_threshold) + (plan.adaptive.on ? " adaptive " + plan.adaptive.decide_on : "");
  return detail::journal_header_of("compare", identity);
}


// The worlds of a comparison file and the runs each holds: only runs every option finished count, so
// every difference is a paired one. Without parameter draws each finished replicate is a world.
struct Worlds {
  std::vector<std::vector<std::size_t>> runs;  // per world: its finished columns
  std::vector<std::size_t> finished;           // every finished column
  std::size_t n_options = 0, n_columns = 0;
  std::size_t per_draw = 1;                    // replicates in a parameter draw (1 without draws)
};

Worlds worlds_of(hid_t file) {
  Worlds w;
  std::vector<hs> dims;
  const std::vector<std::uint8_t> done = io::read_uint8(file, "runs/done", &dims);
  w.n_options = dims.at(0);
  w.n_columns = dims.at(1);
  const std::int64_t draws = io::has_attribute(file, "draws") ? io::get_int_attribute(file, "draws") : 0;
  w.per_draw = draws > 0 ? static_cast<std::size_t>(io::get_int_attribute(file, "replicates")) : std::size_t{1};
  w.runs.resize(draws > 0 ? static_cast<std::size_t>(draws) : w.n_columns);
  for (std::size_t r = 0; r < w.n_columns; ++r) {
    bool all = true;
    for (std::size_t k = 0; k < w.n_options; ++k) all = all && done[k * w.n_columns + r] != 0;
    if (!all) continue;
    w.finished.push_back(r);
    w.runs[r / w.per_draw].push_back(r);
  }
  std::erase_if(w.runs, [](const std::vector<std::size_t>& runs) { return runs.empty(); });
  return w;
}

// An outcome's value per [option][world]: the mean of the world's runs.
std::vector<std::vector<double>> by_world(const Worlds& w, const std::vector<double>& values) {
  std::vector<std::vector<double>> out(w.n_options);
  for (std::size_t k = 0; k < w.n_options; ++k)
    for (const std::vector<std::size_t>& runs : w.runs) {
      double sum = 0;
      for (std::size_t r : runs) sum += values[k * w.n_columns + r];
      out[k].push_back(sum / static_cast<double>(runs.size()));
    }
  return out;
}

// The weighted score of every run, from the criteria written in the file ("name=weight"): each outcome
// over the baseline's mean level (1 where that is 0), signed so that higher is better.
std::vector<double> weighted_score(hid_t file, const Worlds& w, const std::vector<std::string>& criteria) {
  std::vector<double> score(w.n_options * w.n_columns, 0.0);
  for (const std::string& c : criteria) {
    const std::string name = c.substr(0, c.find('='));
    const double weight = std::stod(c.substr(c.find('=') + 1));
    const std::vector<double> values = io::read_double(file, "outcomes/" + name);
    const io::Handle dataset = io::open_object(file, "outcomes/" + name);
    const std::string better = io::get_string_attribute(dataset.id(), "better");
    double scale = 0;
    for (std::size_t r : w.finished) scale += values[r];
    scale = w.finished.empty() ? 0.0 : std::fabs(scale / static_cast<double>(w.finished.size()));
    if (scale == 0) scale = 1;
    const double sign = better == "lower" ? -1.0 : 1.0;
    for (std::size_t i = 0; i < score.size(); ++i) score[i] += weight * sign * values[i] / scale;
  }
  return score;
}

// Fieller's interval for the ratio of the mean difference to the mean extra cost over paired worlds,
// per $1,000,000: every theta with (mean d - theta mean c)^2 <= t^2 var(mean d - theta mean c), the exact
// interval for a ratio of normal means (Fieller 1954). NaN when the extra cost itself is not clearly
// above zero (the set of such theta is then unbounded).
std::pair<double, double> fieller_interval(const std::vector<double>& d, const std::vector<double>& c, double level) {
  const double nan = std::nan("");
  const std::size_t n = d.size();
  if (n < 2) return {nan, nan};
  double dm = 0, cm = 0;
  for (std::size_t i = 0; i < n; ++i) {
    dm += d[i];
    cm += c[i];
  }
  dm /= static_cast<double>(n);
  cm /= static_cast<double>(n);
  double sdd = 0, scc = 0, sdc = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sdd += (d[i] - dm) * (d[i] - dm);
    scc += (c[i] - cm) * (c[i] - cm);
    sdc += (d[i] - dm) * (c[i] - cm);
  }
  const double dof = static_cast<double>(n - 1);
  const double t = boost::math::quantile(boost::math::students_t(dof), 0.5 + level / 2.0);
  const double q = t * t / static_cast<double>(n);
  const double a = cm * cm - q * scc / dof, b = dm * cm - q * sdc / dof, k = dm * dm - q * sdd / dof;
  if (!(a > 0)) return {nan, nan};
  const double root = std::sqrt(std::max(0.0, b * b - a * k));
  return {1e6 * (b - root) / a, 1e6 * (b + root) / a};
}

// The statistics of one outcome for every option, from its values per run.
void outcome_rows(Table& t, const Worlds& w, const std::vector<double>& values, const std::vector<double>& cost,
                  const std::vector<double>* series, std::size_t n_steps, const std::string& name, const std::string& label,
                  const std::string& units, const std::string& better, bool event, double lowest, double highest) {
  const double nan = std::nan("");
  const double sign = better == "lower" ? -1.0 : better == "higher" ? 1.0 : 0.0;
  const std::vector<std::vector<double>> v = by_world(w, values);
  const std::vector<std::vector<double>> c = by_world(w, cost);
  const std::size_t n_worlds = w.runs.size();
  // Per world, the best value over all options and how many reach it.
  std::vector<double> best_value(n_worlds, 0.0);
  std::vector<int> reaching(n_worlds, 0);
  for (std::size_t i = 0; i < n_worlds; ++i) {
    double best = sign * v[0][i];
    for (std::size_t k = 1; k < w.n_options; ++k) best = std::max(best, sign * v[k][i]);
    for (std::size_t k = 0; k < w.n_options; ++k) reaching[i] += sign * v[k][i] == best;
    best_value[i] = best;
  }
  const auto worlds = static_cast<double>(n_worlds);
  for (std::size_t k = 0; k < w.n_options; ++k) {
    TableRow row;
    row.option = t.options[k];
    row.outcome = name;
    row.label = label;
    row.units = units;
    row.level = core::mean_interval(v[k], t.confidence);
    // A level's interval is clipped to the outcome's support: the mean of counts is never below 0, of
    // shares never above 1. The true mean lies in the support, so clipping never lowers the coverage.
    if (!std::isnan(row.level.low)) {
      row.level.low = std::clamp(row.level.low, lowest, highest);
      row.level.high = std::clamp(row.level.high, lowest, highest);
    }
    row.difference.mean = row.extra_cost = row.per_million = row.per_million_low = row.per_million_high = nan;
    row.p_better = row.p_tie = row.p_worse = row.p_best = row.p_best_tied = row.regret = nan;
    row.share_parameters = row.p_happened = row.first_step = nan;
    if (sign != 0 && n_worlds > 0) {
      double alone = 0, shared = 0, regret = 0;
      for (std::size_t i = 0; i < n_worlds; ++i) {
        regret += best_value[i] - sign * v[k][i];
        if (sign * v[k][i] != best_value[i]) continue;
        (reaching[i] == 1 ? alone : shared) += 1;
      }
      row.p_best = alone / worlds;
      row.p_best_tied = shared / worlds;
      row.regret = regret / worlds;
      if (k > 0) {
        double better_n = 0, tie_n = 0;
        for (const double d : paired_differences(v[k], v[0])) {
          better_n += sign * d > 0;
          tie_n += d == 0;
        }
        row.p_better = better_n / worlds;
        row.p_tie = tie_n / worlds;
        row.p_worse = 1.0 - row.p_better - row.p_tie;
      }
    }
    // Between draws and within them (one-way random effects, balanced when every draw finished): the
    // parameters' share of the variance of one run.
    if (t.draws > 0 && w.per_draw >= 2 && n_worlds >= 2) {
      double within = 0;
      std::size_t counted = 0;
      for (std::size_t i = 0; i < n_worlds; ++i) {
        if (w.runs[i].size() < 2) continue;
        std::vector<double> xs;
        for (std::size_t r : w.runs[i]) xs.push_back(values[k * w.n_columns + r]);
        const core::Estimate e = core::mean_interval(xs);
        within += e.sd * e.sd;
        ++counted;
      }
      if (counted > 0) {
        within /= static_cast<double>(counted);
        const double of_means = core::mean_interval(v[k]).sd;
        const double between = std::max(0.0, of_means * of_means - within / static_cast<double>(w.per_draw));
        row.share_parameters = between + within > 0 ? between / (between + within) : 0.0;
      }
    }
    if (event && !w.finished.empty()) {
      double happened = 0, first = 0;
      for (std::size_t r : w.finished) {
        if (!(values[k * w.n_columns + r] > 0)) continue;
        happened += 1;
        if (!series) continue;
        const std::size_t base = (k * w.n_columns + r) * n_steps;
        for (auto s = static_cast<std::size_t>(t.decision); s < n_steps; ++s)
          if ((*series)[base + s] > 0) {
            first += static_cast<double>(s);
            break;
          }
      }
      row.p_happened = happened / static_cast<double>(w.finished.size());
      if (series && happened > 0) row.first_step = first / happened;
    }
    if (k > 0) {
      const std::vector<double> diff = paired_differences(v[k], v[0]);
      const std::vector<double> extra = paired_differences(c[k], c[0]);
      row.difference = core::mean_interval(diff, t.confidence);
      row.extra_cost = core::mean_interval(extra).mean;
      if (row.extra_cost > 0 && name != "mission_cost") {
        row.per_million = row.difference.mean / (row.extra_cost / 1e6);
        std::tie(row.per_million_low, row.per_million_high) = fieller_interval(diff, extra, t.confidence);
      }
    }
    t.rows.push_back(row);
  }
  std::vector<std::vector<double>> beats(w.n_options, std::vector<double>(w.n_options, std::nan("")));
  if (sign != 0 && n_worlds > 0)
    for (std::size_t k = 0; k < w.n_options; ++k)
      for (std::size_t j = 0; j < w.n_options; ++j) {
        if (j == k) continue;
        double n = 0;
        for (std::size_t i = 0; i < n_worlds; ++i) n += sign * v[k][i] > sign * v[j][i];
        beats[k][j] = n / worlds;
      }
  t.p_beats.push_back(std::move(beats));
}

// The Pareto set's share of worlds for every option: not beaten on every named outcome by another option.
std::vector<double> pareto_shares(hid_t file, const Worlds& w, const std::vector<std::string>& names) {
  std::vector<std::vector<std::vector<double>>> signed_values;  // [outcome][option][world], higher is better
  for (const std::string& name : names) {
    const io::Handle dataset = io::open_object(file, "outcomes/" + name);
    const double sign = io::get_string_attribute(dataset.id(), "better") == "lower" ? -1.0 : 1.0;
    std::vector<std::vector<double>> v = by_world(w, io::read_double(file, "outcomes/" + name));
    for (auto& option : v)
      for (double& x : option) x *= sign;
    signed_values.push_back(std::move(v));
  }
  std::vector<double> share(w.n_options, 0.0);
  for (std::size_t i = 0; i < w.runs.size(); ++i)
    for (std::size_t k = 0; k < w.n_options; ++k) {
      bool dominated = false;
      for (std::size_t j = 0; j < w.n_options && !dominated; ++j) {
        if (j == k) continue;
        bool all_at_least = true, one_more = false;
        for (const auto& v : signed_values) {
          all_at_least = all_at_least && v[j][i] >= v[k][i];
          one_more = one_more || v[j][i] > v[k][i];
        }
        dominated = all_at_least && one_more;
      }
      share[k] += dominated ? 0.0 : 1.0;
    }
  for (double& s : share) s = w.runs.empty() ? std::nan("") : s / static_cast<double>(w.runs.size());
  return share;
}

// The table from a comparison file's outcomes.
Table compute_table(hid_t file) {
  Table t;
  t.options = io::get_string_list_attribute(file, "options");
  t.outcomes = io::get_string_list_attribute(file, "outcomes");
  t.decision = io::get_int_attribute(file, "decision_step");
  t.steps = io::get_int_attribute(file, "steps");
  t.draws = io::has_attribute(file, "draws") ? io::get_int_attribute(file, "draws") : 0;
  t.confidence = confidence;
  if (io::has_attribute(file, "stopped_because")) t.stopped_because = io::get_string_attribute(file, "stopped_because");
  const Worlds w = worlds_of(file);
  t.replicates = static_cast<std::int64_t>(w.finished.size());
  t.worlds = static_cast<std::int64_t>(w.runs.size());
  const auto n_steps = static_cast<std::size_t>(t.steps + 1);
  const std::vector<double> cost = io::read_double(file, "outcomes/mission_cost");
  for (const std::string& name : t.outcomes) {
    const std::vector<double> values = io::read_double(file, "outcomes/" + name);
    const io::Handle dataset = io::open_object(file, "outcomes/" + name);
    // Files written before directions, supports and events were declared have none of them.
    auto text = [&](const char* a, const char* absent) { return io::has_attribute(dataset.id(), a) ? io::get_string_attribute(dataset.id(), a) : std::string(absent); };
    auto number = [&](const char* a, double absent) { return io::has_attribute(dataset.id(), a) ? io::get_double_attribute(dataset.id(), a) : absent; };
    const std::string better = text("better", "neither");
    const bool event = number("event", 0) != 0;
    t.better.push_back(better);
    t.event.push_back(event ? 1 : 0);
    std::vector<double> series;
    if (event) series = io::read_double(file, "series/" + name);
    outcome_rows(t, w, values, cost, event ? &series : nullptr, n_steps, name, io::get_string_attribute(dataset.id(), "label"),
                 io::get_string_attribute(dataset.id(), "units"), better, event, number("lowest", -HUGE_VAL), number("highest", HUGE_VAL));
  }
  const std::vector<std::string> criteria = io::has_attribute(file, "criteria") ? io::get_string_list_attribute(file, "criteria") : std::vector<std::string>{};
  if (!criteria.empty()) {
    t.outcomes.push_back("weighted_score");
    t.better.push_back("higher");
    t.event.push_back(0);
    outcome_rows(t, w, weighted_score(file, w, criteria), cost, nullptr, n_steps, "weighted_score",
                 "weighted score (" + core::join(criteria, ", ") + ")", "baseline levels", "higher", false, -HUGE_VAL, HUGE_VAL);
  }
  if (io::has_attribute(file, "pareto")) {
    t.pareto = io::get_string_list_attribute(file, "pareto");
    if (!t.pareto.empty()) t.p_pareto = pareto_shares(file, w, t.pareto);
  }
  return t;
}

void write_table(hid_t file, const Table& t) {
  const std::size_t n_options = t.options.size(), n_outcomes = t.outcomes.size();
  io::ensure_parent_groups(file, "table/x");
  io::Handle group = io::open_object(file, "table");
  io::set_attribute(group.id(), "description", std::string(
      "The comparison table, [option, outcome], every statistic over worlds (parameter draws, each the mean of its "
      "replicates, when the comparison draws parameters; replicates otherwise): mean and 95% interval; paired "
      "difference from the baseline and its interval; mean extra mission cost ($); difference per $1,000,000 of extra "
      "cost and its interval (Fieller's); shares of worlds in which the option beats the baseline, equals it and is "
      "beaten (by the outcome's direction, attribute better), and in which it alone is best of all options and shares "
      "the best value; expected regret (how far short of the best option, in the outcome's units); the parameters' "
      "share of the variance; for regime events, the share of runs in which it happened and the mean first step. "
      "NaN where a value does not apply."));
  io::set_attribute(group.id(), "worlds", t.worlds);
  io::set_attribute(group.id(), "options", t.options);
  io::set_attribute(group.id(), "outcomes", t.outcomes);
  io::set_attribute(group.id(), "better", t.better);
  io::Axes axes(file);
  axes.labels("table", "option", t.options);
  axes.labels("table", "outcome", t.outcomes);
  axes.labels("table", "other_option", t.options);
  auto column = [&](const std::string& name, const std::string& units, auto value_of) {
    std::vector<double> values(n_options * n_outcomes);
    for (std::size_t o = 0; o < n_outcomes; ++o)
      for (std::size_t k = 0; k < n_options; ++k) values[k * n_outcomes + o] = value_of(t.rows[o * n_options + k]);
    io::Array<double> a(group.id(), name, {n_options, n_outcomes}, {n_options, n_outcomes}, std::nan(""), units,
                        "see the table group's description");
    a.write({0, 0}, {n_options, n_outcomes}, values);
    axes.attach(a.id(), "table", {"option", "outcome"});
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
  column("per_million_low", "outcome per $1,000,000", [](const TableRow& r) { return r.per_million_low; });
  column("per_million_high", "outcome per $1,000,000", [](const TableRow& r) { return r.per_million_high; });
  column("regret", "outcome", [](const TableRow& r) { return r.regret; });
  column("share_parameters", "1", [](const TableRow& r) { return r.share_parameters; });
  column("p_happened", "1", [](const TableRow& r) { return r.p_happened; });
  column("first_step", "step", [](const TableRow& r) { return r.first_step; });
  {
    std::vector<double> beats;
    for (const auto& matrix : t.p_beats)
      for (const auto& row : matrix) beats.insert(beats.end(), row.begin(), row.end());
    io::Array<double> a(group.id(), "p_beats", {n_outcomes, n_options, n_options}, {n_outcomes, n_options, n_options}, std::nan(""), "1",
                        "[outcome, row option, column option]: share of worlds in which the row option beats the column "
                        "option by the outcome's direction (ties count for neither); NaN without a direction and on the diagonal");
    a.write({0, 0, 0}, {n_outcomes, n_options, n_options}, beats);
    axes.attach(a.id(), "table", {"outcome", "option", "other_option"});
  }
  if (!t.pareto.empty()) {
    io::set_attribute(group.id(), "pareto", t.pareto);
    io::Array<double> a(group.id(), "p_pareto", {n_options}, {n_options}, std::nan(""), "1",
                        "Per option: share of worlds in which no other option is at least as good on every outcome of the "
                        "attribute pareto and better on one");
    a.write({0}, {n_options}, t.p_pareto);
    axes.attach(a.id(), "table", {"option"});
  }
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
  if (t.worlds >= minimum_replicates) return "";
  const std::string unit = t.draws > 0 ? "parameter draw" : "replicate";
  return "WARNING: only " + std::to_string(t.worlds) + " " + unit + (t.worlds == 1 ? "" : "s") +
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
  // What the planner weighs: outcomes that exist and have a direction.
  const std::vector<model::OutcomeSpec>& specs = model::outcome_specs();
  std::vector<std::string> directed;
  for (const model::OutcomeSpec& s : specs)
    if (s.better != model::Better::neither) directed.push_back(s.name);
  auto check_outcome = [&](const std::string& where, const std::string& name) {
    if (std::find(directed.begin(), directed.end(), name) != directed.end()) return;
    const bool exists = std::any_of(specs.begin(), specs.end(), [&](const model::OutcomeSpec& s) { return s.name == name; });
    const std::string close = scenario::nearest(name, directed);
    problems.push_back({where, "", exists ? "'" + name + "' has no direction (more of it is not plainly better or worse)" : "unknown outcome '" + name + "'",
                        (close.empty() ? "" : "did you mean '" + close + "'? ") + "outcomes with a direction: " + core::join(directed)});
  };
  for (const auto& [name, weight] : plan.criteria.weights) {
    check_outcome("--criteria", name);
    if (!(weight > 0) || !std::isfinite(weight))
      problems.push_back({"--criteria", "", "the weight of '" + name + "' is " + core::shortest(weight) + ", not a positive number",
                          "write NAME=WEIGHT with WEIGHT > 0, e.g. --criteria fatalities=1,mission_cost=0.2"});
  }
  for (const std::string& name : plan.criteria.pareto) check_outcome("--pareto", name);
  if (plan.criteria.pareto.size() == 1)
    problems.push_back({"--pareto", "", "names one outcome; a Pareto set weighs two or more", "e.g. --pareto fatalities,mission_cost,revenue_armed_groups"});
  if (plan.adaptive.on) {
    if (plan.adaptive.decide_on == "weighted_score") {
      if (plan.criteria.weights.empty())
        problems.push_back({"--decide-on", "", "weighted_score needs --criteria", "give --criteria NAME=WEIGHT,..., or decide on one outcome"});
    } else {
      check_outcome("--decide-on", plan.adaptive.decide_on);
    }
    if (plan.adaptive.max_worlds < minimum_replicates)
      problems.push_back({"--max-worlds", "", "is " + std::to_string(plan.adaptive.max_worlds) + ", below the first batch of " +
                          std::to_string(minimum_replicates), "allow at least " + std::to_string(minimum_replicates) + " worlds; 200 or more lets a close decision run long enough"});
    if (!plan.draws.empty() && plan.adaptive.max_worlds > static_cast<std::int64_t>(plan.draws.size()))
      problems.push_back({"--max-worlds", "", "is " + std::to_string(plan.adaptive.max_worlds) + ", more than the " +
                          std::to_string(plan.draws.size()) + " parameter draws loaded", "the adaptive mode adds draws: load as many as it may use (--draws)"});
  }
  if (!problems.empty()) throw scenario::ScenarioError(problems);
}

namespace {

// Whether the decision on one outcome is clear after the worlds run so far, and why: the option most
// often best beats every other in paired 95 % intervals (one-sided by the outcome's direction), or its
// probability of being best is known within ±2.5 points (binomial standard error), as it soon is for
// options that tie in every world. "" while it is not, or before the minimum of worlds.
std::string decision_clear(hid_t file, const std::string& outcome) {
  const Table t = compute_table(file);
  if (t.worlds < minimum_replicates) return "";
  const auto o = static_cast<std::size_t>(std::find(t.outcomes.begin(), t.outcomes.end(), outcome) - t.outcomes.begin());
  const std::size_t n = t.options.size();
  auto p_best = [&](std::size_t k) { return t.rows[o * n + k].p_best + t.rows[o * n + k].p_best_tied; };
  std::size_t top = 0;
  for (std::size_t k = 1; k < n; ++k)
    if (p_best(k) > p_best(top)) top = k;
  const Worlds w = worlds_of(file);
  const std::vector<std::vector<double>> v =
      outcome == "weighted_score" ? by_world(w, weighted_score(file, w, io::get_string_list_attribute(file, "criteria")))
                                  : by_world(w, io::read_double(file, "outcomes/" + outcome));
  const double sign = t.better[o] == "lower" ? -1.0 : 1.0;
  bool separated = true;
  for (std::size_t k = 0; k < n && separated; ++k) {
    if (k == top) continue;
    std::vector<double> margin = paired_differences(v[top], v[k]);
    for (double& x : margin) x *= sign;
    separated = core::mean_interval(margin, 0.95).low > 0;
  }
  const std::string after = " after " + std::to_string(t.worlds) + " worlds";
  if (separated) return t.options[top] + " better than every other option on " + outcome + " (paired 95% intervals)" + after;
  if (share_error(p_best(top), t.worlds) < 0.025)
    return "P(best) of " + t.options[top] + " on " + outcome + " known within 2.5 points" + after;
  return "";
}

}  // namespace

Outcome run_comparison(const ComparisonPlan& plan, int threads, const Observer& observer) {
  check_plan(plan);
  const auto wall_start = std::chrono::steady_clock::now();
  const model::Params& base = plan.baseline.params();
  const std::vector<model::OutcomeSpec>& specs = model::outcome_specs();
  const std::size_t n_options = plan.options.size() + 1;
  const auto n_reps = static_cast<std::size_t>(plan.replicates);
  const std::size_t n_draws = plan.draws.size();
  // Columns of the datasets: replicate r of draw d is column d * replicates + r. The adaptive mode
  // reserves room for its budget of worlds and fills it batch by batch.
  const std::size_t max_worlds = plan.adaptive.on ? static_cast<std::size_t>(plan.adaptive.max_worlds) : (n_draws > 0 ? n_draws : n_reps);
  const std::size_t n_columns = n_draws > 0 ? std::min(max_worlds, n_draws) * n_reps : max_worlds;
  const std::int64_t steps = base.run.steps;
  const std::int64_t decision = plan.options.front().option->decision;
  const auto n_steps = static_cast<std::size_t>(steps + 1);

  io::PendingFile file(plan.output);
  io::write_provenance(file.id(), scenario::provenance_of(plan.baseline, plan.command_line, threads));
  const hid_t root = file.id();
  std::vector<std::string> names, outcome_names;
  for (std::size_t k = 0; k < n_options; ++k) names.push_back(option_name(plan, k));
  for (const model::OutcomeSpec& s : specs) outcome_names.push_back(s.name);
  // Every dataset's axes named for netCDF readers (xarray): options, run columns, steps, draws.
  io::Axes axes(root);
  io::set_attribute(root, "kind", std::string("comparison"));
  io::set_attribute(root, "options", names);
  io::set_attribute(root, "outcomes", outcome_names);
  io::set_attribute(root, "replicates", static_cast<std::int64_t>(n_draws > 0 ? n_reps : n_columns));
  io::set_attribute(root, "draws", static_cast<std::int64_t>(n_draws > 0 ? n_columns / n_reps : 0));
  io::set_attribute(root, "decision_step", decision);
  io::set_attribute(root, "steps", steps);
  io::set_attribute(root, "confidence", confidence);
  io::set_attribute(root, "capture_threshold", plan.capture_threshold);
  std::vector<std::string> criteria;
  for (const auto& [name, weight] : plan.criteria.weights) criteria.push_back(name + "=" + core::shortest(weight));
  if (!criteria.empty()) io::set_attribute(root, "criteria", criteria);
  if (!plan.criteria.pareto.empty()) io::set_attribute(root, "pareto", plan.criteria.pareto);
  for (std::size_t k = 1; k < n_options; ++k) {
    const scenario::Scenario& o = plan.options[k - 1];
    io::ensure_parent_groups(root, "options/" + names[k] + "/x");
    io::Handle g = io::open_object(root, "options/" + names[k]);
    io::set_attribute(g.id(), "path", o.option->path);
    io::set_attribute(g.id(), "description", o.option->description);
    io::set_attribute(g.id(), "option_yaml", o.option->text);
    io::set_attribute(g.id(), "parameters_resolved", o.resolved_yaml);
  }
  if (n_draws > 0) {
    const std::size_t d_used = n_columns / n_reps, n_par = plan.parameters.size();
    io::ensure_parent_groups(root, "draws/x");
    io::Handle g = io::open_object(root, "draws");
    io::set_attribute(g.id(), "parameters", plan.parameters);
    io::set_attribute(g.id(), "source", plan.parameter_source);
    std::vector<double> values;
    for (std::size_t d = 0; d < d_used; ++d) values.insert(values.end(), plan.draws[d].values.begin(), plan.draws[d].values.end());
    io::Array<double> a(g.id(), "values", {d_used, n_par}, {d_used, n_par}, std::nan(""), "parameter's units",
                        "Value of each uncertain parameter (attribute parameters) in each draw; column d * replicates + r "
                        "of the outcomes is replicate r of draw d");
    a.write({0, 0}, {d_used, n_par}, values);
    axes.count("draws", "draw", d_used);
    axes.labels("draws", "parameter", plan.parameters);
    axes.attach(a.id(), "draws", {"draw", "parameter"});
  }

  std::vector<std::int64_t> seeds(n_columns);
  for (std::size_t r = 0; r < n_columns; ++r) seeds[r] = static_cast<std::int64_t>(core::derived_seed(base.run.seed, r));
  {
    io::Array<std::int64_t> a(root, "seeds", {n_columns}, {n_columns}, 0, "", "Seed of each run column, shared by every option: "
                              "pocsim run SCENARIO [--option FILE] --seed SEED (with the draw's values set, when the comparison "
                              "draws parameters) reproduces one run");
    a.write({0}, {n_columns}, seeds);
    axes.count("", "column", n_columns);
    axes.attach(a.id(), "", {"column"});
  }

  Store store;
  io::ensure_parent_groups(root, "outcomes/x");
  io::ensure_parent_groups(root, "series/x");
  io::ensure_parent_groups(root, "runs/x");
  const double nan = std::nan("");
  for (const model::OutcomeSpec& s : specs) {
    const std::string window = " (" + std::string(model::to_string(s.combine)) + " over steps " + std::to_string(decision) + " to " +
                               std::to_string(steps) + ")";
    store.outcomes.emplace_back(root, "outcomes/" + s.name, std::vector<hs>{n_options, n_columns}, std::vector<hs>{n_options, 4096},
                                nan, s.units, s.description + window);
    io::set_attribute(store.outcomes.back().id(), "label", s.label);
    io::set_attribute(store.outcomes.back().id(), "combine", std::string(model::to_string(s.combine)));
    io::set_attribute(store.outcomes.back().id(), "better", std::string(model::to_string(s.better)));
    io::set_attribute(store.outcomes.back().id(), "lowest", s.lowest);
    io::set_attribute(store.outcomes.back().id(), "highest", s.highest);
    io::set_attribute(store.outcomes.back().id(), "event", s.event ? 1.0 : 0.0);
    store.series.emplace_back(root, "series/" + s.name, std::vector<hs>{n_options, n_columns, n_steps},
                              std::vector<hs>{1, 1, n_steps}, nan, s.units, s.description + ", per step");
  }
  store.done = std::make_unique<io::Array<std::uint8_t>>(root, "runs/done", std::vector<hs>{n_options, n_columns},
                                                         std::vector<hs>{n_options, 4096}, 0, "1",
                                                         "1 where the run of [option, column] finished and was written");
  for (const char* group : {"outcomes", "series", "runs"}) {
    axes.labels(group, "option", names);
    axes.count(group, "column", n_columns);
  }
  axes.count("series", "step", n_steps);
  for (std::size_t i = 0; i < specs.size(); ++i) {
    axes.attach(store.outcomes[i].id(), "outcomes", {"option", "column"});
    axes.attach(store.series[i].id(), "series", {"option", "column", "step"});
  }
  axes.attach(store.done->id(), "runs", {"option", "column"});

  // Each world's options, with the levers each adds (the draw's values may change them).
  auto baseline_of = [&](std::size_t d) -> const scenario::Scenario& { return n_draws > 0 ? plan.draws[d].baseline : plan.baseline; };
  std::vector<std::vector<std::vector<model::LeverDef>>> option_levers(std::max<std::size_t>(1, n_draws));
  for (std::size_t d = 0; d < option_levers.size(); ++d)
    for (const scenario::Scenario& o : n_draws > 0 ? plan.draws[d].options : plan.options) option_levers[d].push_back(o.option->levers_of(o.params()));

  std::atomic<std::int64_t> columns_done{0};
  std::int64_t runs_done = 0;
  auto stopped = [&] { return observer.stop_requested && observer.stop_requested(); };

  auto store_run = [&](std::size_t k, std::size_t r, const std::vector<double>& summary, const std::vector<double>& series) {
    for (std::size_t i = 0; i < specs.size(); ++i) {
      store.outcomes[i].write({k, r}, {1, 1}, {summary[i]});
      store.series[i].write({k, r, 0}, {1, 1, n_steps},
                            std::vector<double>(series.begin() + static_cast<std::ptrdiff_t>(i * n_steps),
                                                series.begin() + static_cast<std::ptrdiff_t>((i + 1) * n_steps)));
    }
    store.done->write({k, r}, {1, 1}, {1});
  };

  // The journal: runs an earlier attempt at this plan finished go straight into the file, and are not run again.
  Outcome out;
  out.journal = plan.output + ".journal";
  bool resuming = false;
  const std::string header = journal_header(plan, n_columns);
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> journal(
      detail::open_journal(out.journal, header, "another pocsim compare is writing this comparison", resuming), &std::fclose);
  std::vector<std::uint8_t> journalled(n_options * n_columns, 0);
  if (resuming)
    detail::read_journal_lines(out.journal, header, specs.size(), "this journal belongs to another comparison (other options, --set, "
                               "seed, replicates or draws)", [&](const detail::RunResult& run) {
      const std::size_t k = run.index / n_columns, r = run.index % n_columns;
      if (!run.ok || k >= n_options || journalled[run.index] || run.series.size() != specs.size() * n_steps) return;
      journalled[run.index] = 1;
      store_run(k, r, run.outcomes, run.series);
      ++out.runs_resumed;
    });
  runs_done = out.runs_resumed;
  auto is_journalled = [&](std::size_t k, std::size_t r) { return journalled[k * n_columns + r] != 0; };

  auto write_run = [&](std::size_t k, std::size_t r, const model::OutcomeMeter& meter, const std::vector<double>& series,
                       std::int64_t runs_total) {
    detail::RunResult run;
    run.index = k * n_columns + r;
    run.ok = true;
    run.outcomes = meter.summary();
    run.series = series;
    const std::string line = detail::journal_line(run);
    const std::lock_guard<std::mutex> lock(io::library_lock());  // runs finish in any order, on any thread
    detail::append_journal(journal.get(), out.journal, line);   // first: a failing disk stops the comparison now
    store_run(k, r, run.outcomes, series);
    ++runs_done;
    if (observer.progress) observer.progress(runs_done, runs_total);
  };

  // One column: the baseline to the decision, every option branched from it, then the baseline on.
  // Series are [outcome][step]; warm-up steps are the same for every option.
  auto run_column = [&](std::size_t r, std::int64_t runs_total) {
    if (stopped()) return;
    bool all_journalled = true;
    for (std::size_t k = 0; k < n_options; ++k) all_journalled = all_journalled && is_journalled(k, r);
    if (all_journalled) {
      ++columns_done;
      return;
    }
    const std::size_t d = n_draws > 0 ? r / n_reps : 0;
    model::Params p = baseline_of(d).params();
    p.run.seed = static_cast<std::uint64_t>(seeds[r]);
    model::Model trunk(p);
    std::vector<double> warm(specs.size() * n_steps, 0.0);
    auto record = [&](std::vector<double>& series, std::int64_t step, const std::vector<double>& values) {
      for (std::size_t i = 0; i < values.size(); ++i) series[i * n_steps + static_cast<std::size_t>(step)] = values[i];
    };
    model::OutcomeMeter warm_meter(plan.capture_threshold);  // values only: the summary counts from the decision on
    record(warm, 0, warm_meter.observe(trunk));
    for (std::int64_t s = 1; s < decision; ++s) {
      if (stopped()) return;
      trunk.step();
      record(warm, s, warm_meter.observe(trunk));
    }
    auto finish = [&](model::Model& m, std::size_t k) {
      model::OutcomeMeter meter(plan.capture_threshold);
      std::vector<double> series = warm;
      for (std::int64_t s = decision; s <= steps; ++s) {
        if (stopped()) return false;
        m.step();
        record(series, s, meter.observe(m));
      }
      write_run(k, r, meter, series, runs_total);
      return true;
    };
    // A run the journal holds is not run again: every branch is independent of the others, and the
    // baseline is the trunk itself.
    for (std::size_t k = 1; k < n_options; ++k) {
      if (is_journalled(k, r)) continue;
      model::Model branch = trunk.branch(option_levers[d][k - 1]);
      if (!finish(branch, k)) return;
    }
    if (is_journalled(0, r) || finish(trunk, 0)) ++columns_done;
  };

  // Worlds in batches: all at once, or in the adaptive mode a first batch of the minimum and then
  // `batch` more until the decision is clear. Isolated, so that a thread waiting inside one run's
  // parallel phases does not start another: at most one column per thread is in memory.
  const std::size_t per_world = n_draws > 0 ? n_reps : 1;
  const std::size_t total_worlds = n_columns / per_world;
  std::size_t worlds_run = 0;
  std::string stopped_because;
  while (worlds_run < total_worlds && !stopped()) {
    std::size_t next = total_worlds;
    if (plan.adaptive.on)
      next = std::min(total_worlds, worlds_run == 0 ? std::max<std::size_t>(static_cast<std::size_t>(minimum_replicates), 1)
                                                    : worlds_run + static_cast<std::size_t>(plan.adaptive.batch));
    const std::size_t first = worlds_run * per_world, last = next * per_world;
    const auto runs_total = static_cast<std::int64_t>(n_options * (plan.adaptive.on ? n_columns : last));
    core::parallel_for(last - first, [&](std::size_t i) { tbb::this_task_arena::isolate([&] { run_column(first + i, runs_total); }); }, 1);
    worlds_run = next;
    if (!plan.adaptive.on || stopped()) continue;
    {
      const std::lock_guard<std::mutex> lock(io::library_lock());
      stopped_because = decision_clear(root, plan.adaptive.decide_on);
    }
    if (!stopped_because.empty()) break;
  }
  if (plan.adaptive.on && stopped_because.empty() && worlds_run == total_worlds)
    stopped_because = "budget of " + std::to_string(total_worlds) + " worlds spent before the decision was clear";

  out.replicates_done = columns_done.load();
  // Complete when every column asked for finished, whatever signal came after the last one.
  out.complete = out.replicates_done == static_cast<std::int64_t>(worlds_run * per_world) && (!plan.adaptive.on || !stopped_because.empty());
  if (plan.adaptive.on) io::set_attribute(root, "stopped_because", stopped_because);
  store = Store{};  // datasets closed before the file
  if (out.complete) write_table(root, compute_table(root));  // from the file, as read_table computes it
  out.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  out.path = out.complete ? (file.close_complete(out.wall_seconds), plan.output) : file.close_incomplete(out.wall_seconds);
  if (out.complete) {
    std::filesystem::remove(out.journal);  // still locked: no one else appends meanwhile
    // What an interrupted attempt kept is now all in the complete file.
    if (resuming) std::filesystem::remove(io::incomplete_path_for(plan.output));
  }
  return out;
}

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

std::vector<double> paired_differences(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> out(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) out[i] = a[i] - b[i];
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

namespace {
// What a world is in this table, for people: "20 replicates" or "100 parameter draws x 10 replicates".
std::string worlds_text(const Table& t) {
  if (t.draws == 0) return std::to_string(t.replicates) + " replicates with common random numbers";
  return std::to_string(t.worlds) + " parameter draws x " + std::to_string(t.worlds > 0 ? t.replicates / t.worlds : 0) +
         " replicates, common random numbers within each draw";
}

// A regime event's line: how often and when it happened, per option.
std::string event_text(const Table& t, std::size_t o) {
  std::string out = "  happened in:";
  for (std::size_t k = 0; k < t.options.size(); ++k) {
    const TableRow& r = t.rows[o * t.options.size() + k];
    char buf[160];
    if (r.p_happened > 0)
      std::snprintf(buf, sizeof buf, " %s %.0f%% of runs (first at step %.0f on average);", r.option.c_str(), 100 * r.p_happened, r.first_step);
    else
      std::snprintf(buf, sizeof buf, " %s none;", r.option.c_str());
    out += buf;
  }
  out.back() = '\n';
  return out;
}

// The parameters' share of the variation, per option, when the comparison drew parameters.
std::string variation_text(const Table& t, std::size_t o) {
  if (t.draws == 0) return "";
  std::string out = "  variation between runs due to the parameters (the rest is chance):";
  bool any = false;
  for (std::size_t k = 0; k < t.options.size(); ++k) {
    const TableRow& r = t.rows[o * t.options.size() + k];
    if (std::isnan(r.share_parameters)) continue;
    char buf[96];
    std::snprintf(buf, sizeof buf, " %s %.0f%%;", r.option.c_str(), 100 * r.share_parameters);
    out += buf;
    any = true;
  }
  if (!any) return "";
  out.back() = '\n';
  return out;
}

std::string pareto_text(const Table& t) {
  if (t.pareto.empty()) return "";
  std::string out = "\nPareto set on " + core::join(t.pareto, ", ") + ": share of worlds in which no other option is at least as good on all\nof them and better on one:\n";
  for (std::size_t k = 0; k < t.options.size(); ++k) out += "  " + t.options[k] + "  " + share_text(t.p_pareto[k], t.worlds) + "\n";
  return out;
}

// Who beats whom: for every outcome with a direction, the share of worlds in which the row option beats
// the column option.
std::string beats_markdown(const Table& t) {
  std::string out = "\n## Who beats whom\n\nShare of " + std::string(t.draws > 0 ? "parameter draws" : "replicates") +
                    " in which the row option beats the column option (ties count for neither).\n";
  for (std::size_t o = 0; o < t.p_beats.size(); ++o) {
    if (t.better[o] == "neither") continue;
    out += "\n" + t.rows[o * t.options.size()].label + " (" + t.better[o] + " is better)\n\n| |";
    for (const std::string& c : t.options) out += " " + c + " |";
    out += "\n|---|";
    for (std::size_t k = 0; k < t.options.size(); ++k) out += "---|";
    out += "\n";
    for (std::size_t k = 0; k < t.options.size(); ++k) {
      out += "| " + t.options[k] + " |";
      for (std::size_t j = 0; j < t.options.size(); ++j) out += " " + (k == j ? std::string("-") : share_text(t.p_beats[o][k][j], t.worlds)) + " |";
      out += "\n";
    }
  }
  return out;
}

std::string interval_of_ratio(const TableRow& r) {
  if (std::isnan(r.per_million)) return "-";
  if (std::isnan(r.per_million_low)) return readable(r.per_million);
  return readable(r.per_million) + " [" + readable(r.per_million_low) + ", " + readable(r.per_million_high) + "]";
}
}  // namespace

std::string format_text(const Table& t) {
  std::string out;
  char line[768];
  std::snprintf(line, sizeof line,
                "%zu option%s against the baseline, %s; outcomes from step %lld (the decision) to %lld;\n"
                "%.0f%% intervals over %s (Student's t; a level's clipped to what the outcome can take; cost-effectiveness by\n"
                "Fieller's method); differences are paired, world by world;\n"
                "P(better): share of %s in which the option beats the baseline (ties apart); P(best): in which it alone is best\n"
                "of all options; both ± their binomial standard error. Regret: how far short of the best option, on average.\n",
                t.options.size() - 1, t.options.size() == 2 ? "" : "s", worlds_text(t).c_str(), static_cast<long long>(t.decision),
                static_cast<long long>(t.steps), 100 * t.confidence, t.draws > 0 ? "parameter draws" : "replicates",
                t.draws > 0 ? "draws" : "replicates");
  out += line;
  if (!t.stopped_because.empty()) out += "Adaptive: stopped: " + t.stopped_because + ".\n";
  out += replicate_warning(t);
  std::size_t width = 8;
  for (const std::string& o : t.options) width = std::max(width, o.size());
  const int w = static_cast<int>(width);
  for (std::size_t o = 0; o < t.outcomes.size(); ++o) {
    const TableRow& first = t.rows[o * t.options.size()];
    const std::string& better = t.better[o];
    out += "\n" + first.label + " (" + first.units + (better == "neither" ? "" : "; " + better + " is better") + ")\n";
    std::snprintf(line, sizeof line, "  %-*s  %-34s %-34s %-28s %-10s %-10s %s\n", w, "option", "mean [95% interval]",
                  "difference from baseline", "per $1M extra [95%]", "P(better)", "P(best)", "regret");
    out += line;
    for (std::size_t k = 0; k < t.options.size(); ++k) {
      const TableRow& r = t.rows[o * t.options.size() + k];
      std::snprintf(line, sizeof line, "  %-*s  %-34s %-34s %-28s %-10s %-10s %s\n", w, r.option.c_str(), interval(r.level).c_str(),
                    interval(r.difference).c_str(), k == 0 ? "" : interval_of_ratio(r).c_str(),
                    k == 0 ? "" : share_text(r.p_better, t.worlds).c_str(), share_text(r.p_best, t.worlds).c_str(),
                    readable(r.regret).c_str());
      out += line;
    }
    if (t.event[o]) out += event_text(t, o);
    out += variation_text(t, o);
  }
  out += pareto_text(t);
  // Who beats whom on the outcomes a planner named (the weighted score), or on deaths: every outcome's
  // matrix is in the Markdown file and /table/p_beats.
  for (std::size_t o = 0; o < t.outcomes.size(); ++o) {
    if (t.outcomes[o] != (t.outcomes.back() == "weighted_score" ? "weighted_score" : "fatalities")) continue;
    out += "\nWho beats whom on " + t.rows[o * t.options.size()].label + ": share of " + (t.draws > 0 ? "draws" : "replicates") +
           " in which the row beats the column (every outcome's: the .md file)\n";
    std::snprintf(line, sizeof line, "  %-*s", w, "");
    out += line;
    for (const std::string& c : t.options) {
      std::snprintf(line, sizeof line, " %-12.12s", c.c_str());
      out += line;
    }
    out += "\n";
    for (std::size_t k = 0; k < t.options.size(); ++k) {
      std::snprintf(line, sizeof line, "  %-*s", w, t.options[k].c_str());
      out += line;
      for (std::size_t j = 0; j < t.options.size(); ++j) {
        std::snprintf(line, sizeof line, " %-12s", k == j ? "-" : share_text(t.p_beats[o][k][j], t.worlds).c_str());
        out += line;
      }
      out += "\n";
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
                    "better,p_better,p_tie,p_worse,p_best,p_best_tied,per_million_low,per_million_high,regret,share_parameters,"
                    "p_happened,first_step\n";
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const TableRow& r = t.rows[i];
    out += csv_field(r.option) + "," + csv_field(r.outcome) + "," + csv_field(r.units) + "," + std::to_string(r.level.n) + "," + exact(r.level.mean) + "," +
           exact(r.level.low) + "," + exact(r.level.high) + "," + exact(r.difference.mean) + "," + exact(r.difference.low) +
           "," + exact(r.difference.high) + "," + exact(r.extra_cost) + "," + exact(r.per_million) + "," +
           t.better[i / t.options.size()] + "," + exact(r.p_better) + "," + exact(r.p_tie) + "," + exact(r.p_worse) + "," +
           exact(r.p_best) + "," + exact(r.p_best_tied) + "," + exact(r.per_million_low) + "," + exact(r.per_million_high) +
           "," + exact(r.regret) + "," + exact(r.share_parameters) + "," + exact(r.p_happened) + "," + exact(r.first_step) + "\n";
  }
  return out;
}

std::string format_markdown(const Table& t) {
  std::string out = replicate_warning(t);
  if (!out.empty()) out += '\n';
  if (!t.stopped_because.empty()) out += "Adaptive: stopped: " + t.stopped_because + ".\n\n";
  out += "| outcome | option | mean [95% interval] | difference from baseline [95% interval] | per $1M extra cost [95%] | "
         "P(better than baseline) | P(best) | regret | happened in (first step) |\n"
         "|---|---|---|---|---|---|---|---|---|\n";
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const TableRow& r = t.rows[i];
    const bool baseline = i % t.options.size() == 0;
    const std::size_t o = i / t.options.size();
    const std::string& better = t.better[o];
    std::string happened = "-";
    if (t.event[o]) {
      char buf[96];
      if (r.p_happened > 0) std::snprintf(buf, sizeof buf, "%.0f%% (%.0f)", 100 * r.p_happened, r.first_step);
      else std::snprintf(buf, sizeof buf, "0%%");
      happened = buf;
    }
    out += "| " + r.label + " (" + r.units + (better == "neither" ? "" : "; " + better + " is better") + ") | " + r.option +
           " | " + interval(r.level) + " | " + (baseline ? std::string("-") : interval(r.difference)) + " | " +
           (baseline ? "-" : interval_of_ratio(r)) + " | " + (baseline ? "-" : share_text(r.p_better, t.worlds)) +
           " | " + share_text(r.p_best, t.worlds) + " | " + readable(r.regret) + " | " + happened + " |\n";
  }
  out += '\n';  // appended apart: GCC 12 warns falsely (-Wrestrict) on "\n" + string
  out += worlds_text(t) + "; outcomes from step " + std::to_string(t.decision) + " (the decision) to step " +
         std::to_string(t.steps) + ". P(better): share of " + (t.draws > 0 ? "parameter draws" : "replicates") +
         " in which the option beats the baseline; P(best): in which it alone is best of all options; ± the binomial "
         "standard error. Regret: how far short of the best option, on average, in the outcome's units.\n";
  out += pareto_text(t);
  out += beats_markdown(t);
  return out;
}

}  // namespace pocsim::ensemble

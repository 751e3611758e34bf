#include "ensemble/explain.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <mutex>

#include <tbb/task_arena.h>

#include "core/parallel.hpp"
#include "core/rng.hpp"
#include "core/text.hpp"
#include "io/hdf5.hpp"
#include "io/pending_file.hpp"
#include "io/provenance.hpp"
#include "model/mission/levers.hpp"
#include "model/model.hpp"
#include "model/outcomes.hpp"
#include "model/report.hpp"

namespace pocsim::ensemble {

namespace {
using hs = hsize_t;
constexpr double confidence = 0.95;

// What reports call an option's lever entries: the lever and its region, numbered where two read alike.
std::vector<std::string> player_names(const std::vector<model::LeverDef>& levers) {
  std::vector<std::string> names;
  for (const model::LeverDef& l : levers) names.push_back(std::string(model::lever_info(l.kind).name) + (l.region.empty() ? "" : " in " + l.region));
  std::vector<std::string> out = names;
  for (std::size_t i = 0; i < names.size(); ++i)
    if (std::count(names.begin(), names.end(), names[i]) > 1) out[i] += " (entry " + std::to_string(i) + ")";
  return out;
}

// A run's number for every quantity: the outcomes, then the intermediates.
class Meter {
 public:
  void observe(const model::Model& m) {
    outcomes_.observe(m);
    const std::vector<model::Quantity> q = model::report(m);
    const std::vector<Intermediate>& list = intermediates();
    if (sums_.empty()) sums_.assign(list.size(), 0.0);
    for (std::size_t i = 0; i < list.size(); ++i) {
      const auto it = std::find_if(q.begin(), q.end(), [&](const model::Quantity& x) { return x.path == list[i].path; });
      if (it == q.end() || it->values.empty()) continue;  // a mechanism the scenario does not have
      double v = 0;
      for (double x : it->values) v += x;
      if (list[i].mean) v /= static_cast<double>(it->values.size());
      if (it->units == "cent") v /= 100.0;
      sums_[i] += v;
    }
    ++steps_;
  }
  [[nodiscard]] std::vector<double> values() const {
    std::vector<double> out = outcomes_.summary();
    const std::vector<Intermediate>& list = intermediates();
    for (std::size_t i = 0; i < list.size(); ++i) {
      const double s = sums_.empty() ? 0.0 : sums_[i];
      out.push_back(list[i].mean && steps_ > 0 ? s / static_cast<double>(steps_) : s);
    }
    return out;
  }

 private:
  model::OutcomeMeter outcomes_;
  std::vector<double> sums_;
  std::int64_t steps_ = 0;
};

std::vector<std::string> quantity_names() {
  std::vector<std::string> out;
  for (const model::OutcomeSpec& s : model::outcome_specs()) out.push_back(s.name);
  for (const Intermediate& i : intermediates()) out.emplace_back(i.path);
  return out;
}

}  // namespace

const std::vector<Intermediate>& intermediates() {
  static const std::vector<Intermediate> list{
      {"groups/recruits", "recruits", "people", false},
      {"groups/deserters", "desertions", "people", false},
      {"groups/killed", "fighters killed", "people", false},
      {"groups/arrested", "fighters arrested (all causes)", "people", false},
      {"violence/arrests", "fighters arrested in state operations", "people", false},
      {"violence/attacks_on_civilians", "attacks on civilians", "events", false},
      {"violence/leaders_removed", "leaders removed", "events", false},
      {"communities/fighters", "citizens serving in armed groups", "people", true},
      {"communities/illicit_participation", "share of households in illicit work", "1", true},
      {"timeseries/mean_grievance", "mean grievance", "1", true},
      {"groups/revenue", "armed groups' revenue", "$", false},
      {"groups/sanctions_bite", "share of armed groups' revenue withheld by sanctions (mean over groups)", "1", true},
      {"police/bribes", "bribes at police stops", "bribes", false},
      {"police/seizures", "seizures", "seizures", false},
      {"economy/seized_value", "value seized", "$", false},
      {"justice/prosecutions", "prosecutions", "cases", false},
      {"justice/convictions", "convictions", "cases", false},
      {"mission/contract_leakage", "contract value leaked to criminals", "$", false},
      {"mission/reach", "what the levers reached (beneficiaries, posts, trials...)", "count", false},
  };
  return list;
}

std::vector<std::vector<double>> shapley_exact(std::size_t players, const std::function<const std::vector<double>&(std::uint32_t)>& value) {
  const std::uint32_t all = (1u << players) - 1;
  const std::size_t n_q = value(0).size();
  std::vector<double> factorial(players + 1, 1.0);
  for (std::size_t i = 1; i <= players; ++i) factorial[i] = factorial[i - 1] * static_cast<double>(i);
  std::vector<std::vector<double>> phi(players, std::vector<double>(n_q, 0.0));
  for (std::size_t i = 0; i < players; ++i)
    for (std::uint32_t s = 0; s <= all; ++s) {
      if (s & (1u << i)) continue;
      const auto size = static_cast<std::size_t>(__builtin_popcount(s));
      const double weight = factorial[size] * factorial[players - size - 1] / factorial[players];
      const std::vector<double>& with = value(s | (1u << i));
      const std::vector<double>& without = value(s);
      for (std::size_t q = 0; q < n_q; ++q) phi[i][q] += weight * (with[q] - without[q]);
    }
  return phi;
}

std::vector<std::vector<double>> shapley_sampled(std::size_t players, const std::vector<std::vector<std::size_t>>& orders,
                                                 const std::function<const std::vector<double>&(std::uint32_t)>& value) {
  const std::size_t n_q = value(0).size();
  std::vector<std::vector<double>> phi(players, std::vector<double>(n_q, 0.0));
  for (const std::vector<std::size_t>& order : orders) {
    std::uint32_t before = 0;
    for (std::size_t i : order) {
      const std::vector<double>& with = value(before | (1u << i));
      const std::vector<double>& without = value(before);
      for (std::size_t q = 0; q < n_q; ++q) phi[i][q] += with[q] - without[q];
      before |= 1u << i;
    }
  }
  for (auto& p : phi)
    for (double& x : p) x /= static_cast<double>(orders.size());
  return phi;
}

std::vector<std::vector<std::size_t>> sample_orders(std::size_t players, int count, std::uint64_t seed) {
  const core::RandomStream rng(seed, "explain.order");
  std::vector<std::vector<std::size_t>> orders;
  for (int k = 0; k < count; ++k) {
    std::vector<std::size_t> order(players);
    for (std::size_t i = 0; i < players; ++i) order[i] = i;
    core::Draws d = rng.at(0, static_cast<std::uint64_t>(k));
    for (std::size_t i = players; i > 1; --i)  // Fisher-Yates
      std::swap(order[i - 1], order[std::min(i - 1, static_cast<std::size_t>(d.uniform() * static_cast<double>(i)))]);
    orders.push_back(std::move(order));
  }
  return orders;
}

std::int64_t explanation_runs(const ExplainPlan& plan) {
  std::int64_t per_replicate = 1;  // the baseline
  for (const scenario::Scenario& o : plan.options) {
    const std::size_t n_p = o.option->levers_of(o.params()).size();
    const std::size_t subsets = std::size_t{1} << n_p;
    // Sampled orders: at most every prefix of every order is a new subset.
    const std::size_t played = static_cast<int>(n_p) <= plan.exact_up_to ? subsets - 1
                                                                          : std::min(subsets - 1, static_cast<std::size_t>(plan.permutations) * n_p);
    per_replicate += static_cast<std::int64_t>(played);
  }
  return per_replicate * plan.replicates;
}

Outcome run_explanation(const ExplainPlan& plan, int threads, const Observer& observer) {
  ComparisonPlan as_comparison;  // the same checks as a comparison's: one decision date, distinct names
  as_comparison.baseline = plan.baseline;
  as_comparison.options = plan.options;
  as_comparison.replicates = plan.replicates;
  check_plan(as_comparison);
  const auto wall_start = std::chrono::steady_clock::now();
  const model::Params& base = plan.baseline.params();
  const std::vector<std::string> quantities = quantity_names();
  const std::size_t n_q = quantities.size(), n_options = plan.options.size();
  const auto n_reps = static_cast<std::size_t>(plan.replicates);
  const std::int64_t steps = base.run.steps, decision = plan.options.front().option->decision;

  io::PendingFile file(plan.output);
  const hid_t root = file.id();
  io::write_provenance(root, scenario::provenance_of(plan.baseline, plan.command_line, threads));
  std::vector<std::string> option_names, labels, units, better, kinds;
  for (const scenario::Scenario& o : plan.options) option_names.push_back(o.option->name);
  for (const model::OutcomeSpec& s : model::outcome_specs()) {
    labels.push_back(s.label);
    units.push_back(s.units);
    better.emplace_back(model::to_string(s.better));
    kinds.emplace_back("outcome");
  }
  for (const Intermediate& i : intermediates()) {
    labels.emplace_back(i.label);
    units.emplace_back(i.units);
    better.emplace_back("neither");
    kinds.emplace_back("intermediate");
  }
  io::set_attribute(root, "kind", std::string("explanation"));
  io::set_attribute(root, "options", option_names);
  io::set_attribute(root, "quantities", quantities);
  io::set_attribute(root, "labels", labels);
  io::set_attribute(root, "units", units);
  io::set_attribute(root, "better", better);
  io::set_attribute(root, "quantity_kinds", kinds);
  io::set_attribute(root, "replicates", static_cast<std::int64_t>(n_reps));
  io::set_attribute(root, "decision_step", decision);
  io::set_attribute(root, "steps", steps);
  io::set_attribute(root, "confidence", confidence);

  std::vector<std::uint64_t> seeds(n_reps);
  for (std::size_t r = 0; r < n_reps; ++r) seeds[r] = core::derived_seed(base.run.seed, r);
  // Every dataset's axes named for netCDF readers (xarray): replicates, quantities, lever entries.
  io::Axes axes(root);
  {
    io::Array<std::int64_t> a(root, "seeds", {n_reps}, {n_reps}, 0, "", "Seed of each replicate, shared by every subset of every option");
    a.write({0}, {n_reps}, std::vector<std::int64_t>(seeds.begin(), seeds.end()));
    axes.count("", "replicate", n_reps);
    axes.attach(a.id(), "", {"replicate"});
  }

  struct OptionStore {
    std::vector<model::LeverDef> levers;
    std::vector<std::vector<std::size_t>> orders;  // empty: exact
    std::unique_ptr<io::Array<double>> total, shapley, alone;
  };
  std::vector<OptionStore> stores(n_options);
  const double nan = std::nan("");
  for (std::size_t o = 0; o < n_options; ++o) {
    OptionStore& s = stores[o];
    const scenario::Scenario& option = plan.options[o];
    s.levers = option.option->levers_of(option.params());
    const std::size_t n_p = s.levers.size();
    const bool exact = static_cast<int>(n_p) <= plan.exact_up_to;
    if (!exact) s.orders = sample_orders(n_p, plan.permutations, base.run.seed);
    const std::string g = "options/" + option_names[o];
    io::ensure_parent_groups(root, g + "/x");
    io::Handle group = io::open_object(root, g);
    std::vector<std::string> player_kinds;
    for (const model::LeverDef& l : s.levers) player_kinds.push_back(std::string(model::lever_info(l.kind).name));
    io::set_attribute(group.id(), "players", player_names(s.levers));
    io::set_attribute(group.id(), "player_kinds", player_kinds);
    io::set_attribute(group.id(), "method", exact ? std::string("exact") : std::to_string(plan.permutations) + " sampled orders");
    io::set_attribute(group.id(), "option_yaml", option.option->text);
    io::set_attribute(group.id(), "path", option.option->path);
    s.total = std::make_unique<io::Array<double>>(group.id(), "total", std::vector<hs>{n_q, n_reps}, std::vector<hs>{n_q, n_reps}, nan,
                                                  "quantity", "The option's effect (option − baseline) on each quantity, per replicate");
    s.shapley = std::make_unique<io::Array<double>>(group.id(), "shapley", std::vector<hs>{n_p, n_q, n_reps}, std::vector<hs>{n_p, n_q, n_reps},
                                                    nan, "quantity", "Each lever entry's Shapley value: its part of the effect, per replicate");
    s.alone = std::make_unique<io::Array<double>>(group.id(), "alone", std::vector<hs>{n_p, n_q, n_reps}, std::vector<hs>{n_p, n_q, n_reps},
                                                  nan, "quantity", "The effect of the option with this entry alone, per replicate");
    axes.labels(g, "player", player_names(s.levers));
    axes.labels(g, "quantity", quantities);
    axes.count(g, "replicate", n_reps);
    axes.attach(s.total->id(), g, {"quantity", "replicate"});
    axes.attach(s.shapley->id(), g, {"player", "quantity", "replicate"});
    axes.attach(s.alone->id(), g, {"player", "quantity", "replicate"});
  }
  io::ensure_parent_groups(root, "runs/x");
  auto done = std::make_unique<io::Array<std::uint8_t>>(root, "runs/done", std::vector<hs>{n_reps}, std::vector<hs>{n_reps}, 0, "1",
                                                        "1 where every game of the replicate finished and was written");
  axes.count("runs", "replicate", n_reps);
  axes.attach(done->id(), "runs", {"replicate"});

  const std::int64_t runs_total = explanation_runs(plan);
  std::atomic<std::int64_t> runs_done{0}, replicates_done{0};
  auto stopped = [&] { return observer.stop_requested && observer.stop_requested(); };

  auto run_replicate = [&](std::size_t r) {
    if (stopped()) return;
    model::Params p = base;
    p.run.seed = seeds[r];
    model::Model trunk(p);
    for (std::int64_t s = 1; s < decision; ++s) {
      if (stopped()) return;
      trunk.step();
    }
    // One game's value: the run with the levers of `mask` from the decision to the end.
    bool interrupted = false;
    auto play = [&](const std::vector<model::LeverDef>& levers) {
      model::Model m = trunk.branch(levers);
      Meter meter;
      for (std::int64_t s = decision; s <= steps; ++s) {
        if (stopped()) {
          interrupted = true;
          return std::vector<double>(n_q, nan);
        }
        m.step();
        meter.observe(m);
      }
      const std::int64_t n = ++runs_done;
      if (observer.progress) {
        const std::lock_guard<std::mutex> lock(io::library_lock());
        observer.progress(n, runs_total);
      }
      return meter.values();
    };
    const std::vector<double> baseline = play({});
    struct Results {
      std::vector<double> total;
      std::vector<std::vector<double>> shapley, alone;
    };
    std::vector<Results> results(n_options);
    for (std::size_t o = 0; o < n_options && !interrupted; ++o) {
      const OptionStore& s = stores[o];
      const std::size_t n_p = s.levers.size();
      std::map<std::uint32_t, std::vector<double>> cache{{0u, baseline}};
      auto value = [&](std::uint32_t mask) -> const std::vector<double>& {
        if (const auto it = cache.find(mask); it != cache.end()) return it->second;
        std::vector<model::LeverDef> subset;
        for (std::size_t i = 0; i < n_p; ++i)
          if (mask & (1u << i)) subset.push_back(s.levers[i]);
        return cache.emplace(mask, play(subset)).first->second;
      };
      Results& out = results[o];
      out.shapley = s.orders.empty() ? shapley_exact(n_p, value) : shapley_sampled(n_p, s.orders, value);
      out.total = paired_differences(value((1u << n_p) - 1), baseline);
      for (std::size_t i = 0; i < n_p; ++i) out.alone.push_back(paired_differences(value(1u << i), baseline));
    }
    if (interrupted || stopped()) return;
    const std::lock_guard<std::mutex> lock(io::library_lock());
    for (std::size_t o = 0; o < n_options; ++o) {
      const std::size_t n_p = stores[o].levers.size();
      stores[o].total->write({0, r}, {n_q, 1}, results[o].total);
      for (std::size_t i = 0; i < n_p; ++i) {
        stores[o].shapley->write({i, 0, r}, {1, n_q, 1}, results[o].shapley[i]);
        stores[o].alone->write({i, 0, r}, {1, n_q, 1}, results[o].alone[i]);
      }
    }
    done->write({r}, {1}, {1});
    ++replicates_done;
  };
  core::parallel_for(n_reps, [&](std::size_t r) { tbb::this_task_arena::isolate([&] { run_replicate(r); }); }, 1);

  Outcome out;
  out.replicates_done = replicates_done.load();
  out.complete = out.replicates_done == static_cast<std::int64_t>(n_reps);
  stores.clear();
  done.reset();
  out.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  out.path = out.complete ? (file.close_complete(out.wall_seconds), plan.output) : file.close_incomplete(out.wall_seconds);
  return out;
}

Explanation read_explanation(const std::string& path) {
  const io::Handle file = io::open_file_read(path);
  const hid_t root = file.id();
  if (!io::has_attribute(root, "kind") || io::get_string_attribute(root, "kind") != "explanation")
    throw io::Hdf5Error(path + " is not an explanation file (written by 'pocsim explain')");
  Explanation e;
  e.options = io::get_string_list_attribute(root, "options");
  const std::vector<std::string> quantities = io::get_string_list_attribute(root, "quantities");
  const std::vector<std::string> labels = io::get_string_list_attribute(root, "labels");
  const std::vector<std::string> units = io::get_string_list_attribute(root, "units");
  const std::vector<std::string> better = io::get_string_list_attribute(root, "better");
  const std::vector<std::string> kinds = io::get_string_list_attribute(root, "quantity_kinds");
  e.decision = io::get_int_attribute(root, "decision_step");
  e.steps = io::get_int_attribute(root, "steps");
  e.confidence = io::get_double_attribute(root, "confidence");
  const std::vector<std::uint8_t> done = io::read_uint8(root, "runs/done");
  std::vector<std::size_t> finished;
  for (std::size_t r = 0; r < done.size(); ++r)
    if (done[r]) finished.push_back(r);
  e.replicates = static_cast<std::int64_t>(finished.size());
  const std::size_t n_q = quantities.size(), n_reps = done.size();
  auto over = [&](const std::vector<double>& data, std::size_t offset) {
    std::vector<double> xs;
    for (std::size_t r : finished) xs.push_back(data[offset + r]);
    return core::mean_interval(xs, e.confidence);
  };
  for (const std::string& option : e.options) {
    const std::string g = "options/" + option;
    const io::Handle group = io::open_object(root, g);
    const std::vector<std::string> players = io::get_string_list_attribute(group.id(), "players");
    const std::vector<std::string> player_kinds = io::get_string_list_attribute(group.id(), "player_kinds");
    e.players.push_back(players);
    e.methods.push_back(io::get_string_attribute(group.id(), "method"));
    const std::vector<double> total = io::read_double(root, g + "/total");
    const std::vector<double> shapley = io::read_double(root, g + "/shapley");
    const std::vector<double> alone = io::read_double(root, g + "/alone");
    for (std::size_t q = 0; q < n_q; ++q) {
      ExplainRow row;
      row.option = option;
      row.quantity = quantities[q];
      row.label = labels[q];
      row.units = units[q];
      row.better = better[q];
      row.outcome = kinds[q] == "outcome";
      row.total = over(total, q * n_reps);
      std::vector<double> interaction;
      for (std::size_t r : finished) {
        double x = total[q * n_reps + r];
        for (std::size_t i = 0; i < players.size(); ++i) x -= alone[(i * n_q + q) * n_reps + r];
        interaction.push_back(x);
      }
      row.interaction = core::mean_interval(interaction, e.confidence);
      for (std::size_t i = 0; i < players.size(); ++i)
        row.parts.push_back({players[i], player_kinds[i], over(shapley, (i * n_q + q) * n_reps), over(alone, (i * n_q + q) * n_reps)});
      e.rows.push_back(row);
    }
    // A lever entry whose part in its lever's intended quantity goes the other way, by intervals that agree.
    for (const ExplainRow& row : e.rows) {
      if (row.option != option) continue;
      for (const Part& part : row.parts) {
        const auto info = std::find_if(model::lever_table.begin(), model::lever_table.end(), [&](const model::LeverInfo& l) { return l.name == part.kind; });
        if (info == model::lever_table.end() || info->intended.quantity != row.quantity) continue;
        const int dir = info->intended.direction;
        const bool against = dir > 0 ? part.shapley.high < 0 : part.shapley.low > 0;
        if (!against) continue;
        char buf[512];
        std::snprintf(buf, sizeof buf, "%s: %s %s %s by %.4g [%.4g, %.4g] %s, against its intent (to %s it)", option.c_str(),
                      part.player.c_str(), part.shapley.mean > 0 ? "raised" : "lowered", row.label.c_str(), std::fabs(part.shapley.mean),
                      part.shapley.low, part.shapley.high, row.units.c_str(), dir > 0 ? "raise" : "lower");
        e.against_intent.emplace_back(buf);
      }
    }
  }
  return e;
}

namespace {
bool clear(const core::Estimate& e) { return !std::isnan(e.low) && (e.low > 0 || e.high < 0); }
}  // namespace

std::string format_explanation(const Explanation& e) {
  std::string out;
  char line[768];
  std::snprintf(line, sizeof line,
                "Why each option did what it did: %lld replicates, each option's effect (option − baseline, outcomes from step %lld, the\n"
                "decision, to %lld) split among its lever entries by their Shapley values — each entry's average marginal effect\n"
                "over every order the entries could be added in, with common random numbers, so the parts add up to the effect.\n"
                "'alone': the effect of the entry on its own; interaction: the effect minus the sum of the entries alone.\n",
                static_cast<long long>(e.replicates), static_cast<long long>(e.decision), static_cast<long long>(e.steps));
  out += line;
  const std::size_t n_q = e.options.empty() ? 0 : e.rows.size() / e.options.size();
  for (std::size_t o = 0; o < e.options.size(); ++o) {
    out += "\n== " + e.options[o] + " (" + core::join(e.players[o], ", ") + "; " + e.methods[o] + ")\n";
    // The paragraph: every outcome whose effect the replicates agree on.
    std::string story;
    for (std::size_t q = 0; q < n_q; ++q) {
      const ExplainRow& row = e.rows[o * n_q + q];
      if (!row.outcome || !clear(row.total)) continue;
      story += "  " + std::string(row.total.mean < 0 ? "Lowered " : "Raised ") + row.label + " by " + readable(std::fabs(row.total.mean)) +
               (row.units == "1" ? "" : " " + row.units) + " [" + readable(row.total.low) + ", " + readable(row.total.high) + "]";
      if (row.parts.size() > 1) {
        std::vector<std::string> shares;
        for (const Part& part : row.parts)
          shares.push_back(part.player + " " + readable(part.shapley.mean) + " (" +
                           readable(row.total.mean != 0 ? 100.0 * part.shapley.mean / row.total.mean : std::nan("")) + " %)");
        story += ": " + core::join(shares, ", ");
        if (clear(row.interaction)) story += "; interaction (together minus the sum alone) " + readable(row.interaction.mean);
      }
      story += ".\n";
    }
    out += story.empty() ? "  No outcome moved clearly (every interval holds zero).\n" : story;
    std::snprintf(line, sizeof line, "  %-56s %-30s", "quantity", "effect [95%]");
    out += line;
    for (const std::string& p : e.players[o]) {
      std::snprintf(line, sizeof line, " %-30s", p.c_str());
      out += line;
    }
    out += " interaction\n";
    for (std::size_t q = 0; q < n_q; ++q) {
      const ExplainRow& row = e.rows[o * n_q + q];
      if (row.total.mean == 0 && row.total.sd == 0) continue;  // untouched in every replicate
      const std::string name = row.label + " (" + row.units + ")";
      std::snprintf(line, sizeof line, "  %-56s %-30s", name.substr(0, 56).c_str(), interval(row.total).c_str());
      out += line;
      for (const Part& part : row.parts) {
        std::snprintf(line, sizeof line, " %-30s", interval(part.shapley).c_str());
        out += line;
      }
      out += " " + interval(row.interaction) + "\n";
    }
  }
  if (!e.against_intent.empty()) {
    out += "\nAgainst intent (the entry's part in its lever's intended quantity goes the other way, by intervals that agree):\n";
    for (const std::string& f : e.against_intent) out += "  " + f + "\n";
  }
  return out;
}

std::string explanation_csv(const Explanation& e) {
  auto exact = [](double v) {
    if (std::isnan(v)) return std::string();
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return std::string(buf);
  };
  std::string out = "option,quantity,kind,player,lever,shapley,shapley_low,shapley_high,alone,alone_low,alone_high\n";
  for (const ExplainRow& row : e.rows) {
    const std::string head = row.option + "," + row.quantity + "," + (row.outcome ? "outcome" : "intermediate") + ",";
    out += head + "(total),," + exact(row.total.mean) + "," + exact(row.total.low) + "," + exact(row.total.high) + ",,,\n";
    out += head + "(interaction),," + exact(row.interaction.mean) + "," + exact(row.interaction.low) + "," + exact(row.interaction.high) + ",,,\n";
    for (const Part& p : row.parts)
      out += head + "\"" + p.player + "\"," + p.kind + "," + exact(p.shapley.mean) + "," + exact(p.shapley.low) + "," + exact(p.shapley.high) +
             "," + exact(p.alone.mean) + "," + exact(p.alone.low) + "," + exact(p.alone.high) + "\n";
  }
  return out;
}

}  // namespace pocsim::ensemble

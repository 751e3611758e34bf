// Patterns 1-3 (Epstein 2002), each over 20 fixed seeds. Thresholds leave margin against the
// seed-to-seed spread measured when they were set, so the tests do not flake, yet each fails if the
// mechanism behind its pattern is switched off (see the comments on each).
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "core/parallel.hpp"
#include "model/report.hpp"
#include "support/support.hpp"

using namespace pocsim;

namespace {
constexpr int n_seeds = 20;

std::vector<std::int64_t> actives(const std::string& scenario, std::vector<std::string> overrides, int seed) {
  overrides.push_back("run.seed=" + std::to_string(seed));
  std::vector<std::int64_t> out;
  for (const auto& r : test::run_records(test::scenario_params(scenario, overrides))) out.push_back(r.active);
  return out;
}

// One quantity of the economy's report per step, by path (element `index` of a vector quantity).
std::vector<double> economy_series(const std::string& scenario, std::vector<std::string> overrides, int seed,
                                   const std::string& path, std::size_t index = 0) {
  overrides.push_back("run.seed=" + std::to_string(seed));
  const auto p = test::scenario_params(scenario, overrides);
  model::Model m(p);
  std::vector<double> out;
  for (std::int64_t s = 0; s < p.run.steps; ++s) {
    m.step();
    for (const auto& q : model::report(m))
      if (q.path == path) out.push_back(q.values[index]);
  }
  return out;
}

double mean_of(const std::vector<double>& a, std::size_t from, std::size_t to) {
  return std::accumulate(a.begin() + static_cast<std::ptrdiff_t>(from), a.begin() + static_cast<std::ptrdiff_t>(to), 0.0) /
         static_cast<double>(to - from);
}

std::int64_t peak(const std::vector<std::int64_t>& a, std::size_t from = 0) {
  return *std::max_element(a.begin() + static_cast<std::ptrdiff_t>(from), a.end());
}

int rises_above(const std::vector<std::int64_t>& a, std::int64_t level) {
  int n = 0;
  for (std::size_t i = 1; i < a.size(); ++i) n += a[i] > level && a[i - 1] <= level;
  return n;
}

std::size_t longest_calm(const std::vector<std::int64_t>& a, std::int64_t calm_below) {
  std::size_t best = 0;
  std::size_t run = 0;
  for (auto x : a) {
    run = x < calm_below ? run + 1 : 0;
    best = std::max(best, run);
  }
  return best;
}

double mean(const std::vector<std::int64_t>& a, std::size_t from, std::size_t to) {
  return std::accumulate(a.begin() + static_cast<std::ptrdiff_t>(from), a.begin() + static_cast<std::ptrdiff_t>(to), 0.0) /
         static_cast<double>(to - from);
}
}  // namespace

TEST_CASE("pattern 1: punctuated equilibrium with C/A floored, none with the literal rule", "[pattern]") {
  const std::string run2 = "scenarios/epstein/run2.yaml";
  for (int seed = 1; seed <= n_seeds; ++seed) {
    INFO("seed " << seed);
    const auto floored = actives(run2, {}, seed);
    // Outbursts of more than 50 actives, several per run, separated by long calm stretches.
    CHECK(peak(floored) > 50);
    CHECK(rises_above(floored, 50) >= 3);
    CHECK(longest_calm(floored, 10) >= 20);
    // The paper's formula read literally keeps P high wherever a cop is in sight: no outburst at all.
    const auto literal = actives(run2, {"rules.arrest_ratio=none"}, seed);
    CHECK(peak(literal) <= 25);
  }
}

TEST_CASE("pattern 2: a legitimacy cut in one jump beats the same cut in small steps", "[pattern]") {
  int jump_larger = 0;
  for (int seed = 1; seed <= n_seeds; ++seed) {
    const auto jump = actives("scenarios/epstein/run4_jump.yaml", {}, seed);
    const auto gradual = actives("scenarios/epstein/run3_gradual.yaml", {}, seed);
    // Common random numbers: the two runs are identical until the cut begins.
    REQUIRE(std::equal(jump.begin(), jump.begin() + 77, gradual.begin()));
    const auto pj = peak(jump, 77);
    const auto pg = peak(gradual, 77);
    UNSCOPED_INFO("seed " << seed << ": peak after the cut, jump " << pj << ", gradual " << pg);
    jump_larger += pj > pg;
  }
  WARN("the jump gave the larger peak in " << jump_larger << " of " << n_seeds << " paired seeds");
  CHECK(jump_larger >= 15);  // "in most paired seeds"
}

TEST_CASE("pattern 3: withdrawing police gradually tips the population into rebellion", "[pattern]") {
  int tipped = 0;
  for (int seed = 1; seed <= n_seeds; ++seed) {
    const auto withdrawal = actives("scenarios/epstein/run5_cop_withdrawal.yaml", {}, seed);
    const auto control = actives("scenarios/epstein/run5_cop_withdrawal.yaml", {"police.density=0.04"}, seed);
    const double end_withdrawal = mean(withdrawal, 500, 601);
    const double end_control = mean(control, 500, 601);
    const double start_withdrawal = mean(withdrawal, 0, 100);
    UNSCOPED_INFO("seed " << seed << ": mean actives, steps 500-600: withdrawal " << end_withdrawal << ", control "
                          << end_control << "; steps 0-100: " << start_withdrawal);
    tipped += end_withdrawal > 3 * end_control && end_withdrawal > 3 * start_withdrawal && end_withdrawal > 150;
  }
  WARN(tipped << " of " << n_seeds << " seeds tipped");
  CHECK(tipped >= 18);
}

TEST_CASE("pattern 4: interdiction on one corridor moves the flow to the other (balloon effect)", "[pattern]") {
  // Steps are 1-based in these series (index 0 is step 1). Interdiction rises fivefold at step 60.
  const std::string scenario = "scenarios/economy/two_corridors.yaml";
  int shifted = 0;
  for (int seed = 1; seed <= n_seeds; ++seed) {
    const auto north = economy_series(scenario, {}, seed, "regions/flow", 0);
    const auto south = economy_series(scenario, {}, seed, "regions/flow", 1);
    const auto delivered = economy_series(scenario, {}, seed, "economy/delivered", 0);
    const auto control_north = economy_series(scenario, {"police.interdiction=[]"}, seed, "regions/flow", 0);
    const auto control_south = economy_series(scenario, {"police.interdiction=[]"}, seed, "regions/flow", 1);
    auto north_share = [](const std::vector<double>& n, const std::vector<double>& s, std::size_t from, std::size_t to) {
      return mean_of(n, from, to) / (mean_of(n, from, to) + mean_of(s, from, to));
    };
    const double before = north_share(north, south, 20, 59), after = north_share(north, south, 80, 160);
    const double control = north_share(control_north, control_south, 80, 160);
    const double delivered_before = mean_of(delivered, 20, 59), delivered_after = mean_of(delivered, 80, 160);
    UNSCOPED_INFO("seed " << seed << ": northern share of flow " << before << " -> " << after << " (control " << control
                          << "), delivered " << delivered_before << " -> " << delivered_after);
    // Flow leaves the interdicted corridor for the other; what gets through does not fall in proportion
    // to the fivefold interdiction; without interdiction, the northern corridor stays in use.
    shifted += after < 0.1 && after < 0.3 * before && delivered_after > 0.8 * delivered_before && control > 0.1;
  }
  WARN(shifted << " of " << n_seeds << " seeds showed the balloon effect");
  CHECK(shifted >= 18);
}

TEST_CASE("pattern 10a: unpaid police take more bribes and seize less, and paying them lowers bribery", "[pattern]") {
  // police_salaries.yaml: pay falls to 20 % at step 40 and returns to 100 % at step 100.
  const std::string scenario = "scenarios/economy/police_salaries.yaml";
  int held = 0;
  for (int seed = 1; seed <= n_seeds; ++seed) {
    const auto bribery = economy_series(scenario, {}, seed, "police/bribery_rate");
    const auto seizures = economy_series(scenario, {}, seed, "police/seizures");
    const auto paid_seizures = economy_series(scenario, {"police.paid_share=1"}, seed, "police/seizures");
    const double bribery_paid = mean_of(bribery, 0, 39), bribery_unpaid = mean_of(bribery, 60, 99),
                 bribery_restored = mean_of(bribery, 130, 160);
    UNSCOPED_INFO("seed " << seed << ": bribery rate " << bribery_paid << " paid, " << bribery_unpaid << " unpaid, "
                          << bribery_restored << " restored; seizures unpaid " << mean_of(seizures, 60, 99) << " vs "
                          << mean_of(paid_seizures, 60, 99) << " paid");
    // With integrity 0.5 no officer takes more than half the offers, so unpaid pay can at most double the
    // rate; measured over seeds 1-20: x1.6 to x3.0 unpaid, seizures x0.56 to x0.77, restored x0.31 to x0.74.
    held += bribery_unpaid > 1.4 * bribery_paid && mean_of(seizures, 60, 99) < 0.85 * mean_of(paid_seizures, 60, 99) &&
            bribery_restored < 0.85 * bribery_unpaid;
  }
  WARN(held << " of " << n_seeds << " seeds");
  CHECK(held >= 18);
}

TEST_CASE("pattern 10b: arrests without prosecution capacity barely dent the network (revolving door)", "[pattern]") {
  const std::string scenario = "scenarios/economy/revolving_door.yaml";
  int held = 0;
  for (int seed = 1; seed <= n_seeds; ++seed) {
    const auto no_courts = economy_series(scenario, {}, seed, "communities/workers", 0);
    const auto courts = economy_series(scenario, {"justice.prosecutions_per_step=50"}, seed, "communities/workers", 0);
    const auto arrests = economy_series(scenario, {}, seed, "justice/worker_arrests");
    const double early = mean_of(no_courts, 0, 50), late = mean_of(no_courts, 200, 300), late_courts = mean_of(courts, 200, 300);
    UNSCOPED_INFO("seed " << seed << ": workers without courts " << early << " -> " << late << "; with courts, late "
                          << late_courts << "; arrests " << std::accumulate(arrests.begin(), arrests.end(), 0.0));
    // "Barely dent": the workforce without courts stays within the seed-to-seed spread of its start (Epstein
    // unrest and arrests move it by up to a third), while courts cut it to well under half.
    held += std::accumulate(arrests.begin(), arrests.end(), 0.0) > 200 && late > 0.65 * early && late_courts < 0.5 * late;
  }
  WARN(held << " of " << n_seeds << " seeds");
  CHECK(held >= 18);
}

// ---- Armed groups (Patterns 5-7) and the three regimes of the policy brief -----------------
namespace {
const std::string spoiler = "scenarios/armed_groups/spoiler_financing.yaml";

struct ConflictRun {
  std::vector<std::int64_t> fatalities;        // per step (index 0 is step 1)
  std::vector<std::int64_t> fighters;          // per step, all groups
  std::vector<std::int64_t> arrests, recruits; // per step
  std::vector<model::ViolenceEvent> events;    // every event, with its step in `event_step`
  std::vector<std::int64_t> event_step;
  std::vector<std::int16_t> owner_at_mark;     // control map at the end of step `mark`
};

ConflictRun run_conflict(const std::string& scenario, std::vector<std::string> overrides, int seed, std::int64_t mark = -1) {
  overrides.push_back("run.seed=" + std::to_string(seed));
  const auto p = test::scenario_params(scenario, overrides);
  model::Model m(p);
  ConflictRun r;
  for (std::int64_t s = 1; s <= p.run.steps; ++s) {
    m.step();
    std::int64_t fatalities = 0, fighters = 0, arrests = 0, recruits = 0;
    for (const auto& e : m.conflict().now.events) {
      fatalities += e.fatalities();
      arrests += e.arrested;
      r.events.push_back(e);
      r.event_step.push_back(s);
    }
    for (const auto& g : m.conflict().groups) fighters += g.fighters;
    for (const auto& g : m.conflict().now.groups) recruits += g.recruits;
    r.fatalities.push_back(fatalities);
    r.fighters.push_back(fighters);
    r.arrests.push_back(arrests);
    r.recruits.push_back(recruits);
    if (s == mark) r.owner_at_mark = m.conflict().owner;
  }
  return r;
}

std::int64_t total(const std::vector<std::int64_t>& a, std::size_t from = 0, std::size_t to = SIZE_MAX) {
  return std::accumulate(a.begin() + static_cast<std::ptrdiff_t>(from),
                         a.begin() + static_cast<std::ptrdiff_t>(std::min(to, a.size())), std::int64_t{0});
}
}  // namespace

namespace {
// Fatalities after a leader's removal against the same seed without it (common random numbers: identical
// until the removal), in the group's territory at the removal ("local": its cells and those within 2, as a
// municipality is larger than the cells a group holds) and in the ring around it ("spillover": within 15
// but not local, about the neighbouring municipalities), summed over seeds: over the six months after (26 steps) and over months 18-24 (the last
// 26 of 104 steps).
struct RemovalEffect {
  double local_after = 0, local_paired = 0, spill_after = 0, spill_paired = 0, late_after = 0, late_paired = 0;
};

RemovalEffect removal_effect(const std::string& scenario, int group, std::int64_t removal) {
  constexpr std::int64_t six_months = 26, two_years = 104;
  constexpr int local_radius = 2, spill_radius = 15;
  const auto grid = test::scenario_params(scenario).grid;
  const core::Grid g(grid.width, grid.height, grid.topology);
  std::array<RemovalEffect, n_seeds> per_seed{};
  core::parallel_for(n_seeds, [&](std::size_t i) {
    const int seed = static_cast<int>(i) + 1;
    const std::vector<std::string> base{"run.steps=" + std::to_string(removal + two_years)};
    auto with = base;
    with.push_back("armed_groups.groups[" + std::to_string(group) + "].remove_leader_at=" + std::to_string(removal));
    const auto removed = run_conflict(scenario, with, seed, removal);
    const auto paired = run_conflict(scenario, base, seed, removal);
    if (removed.owner_at_mark != paired.owner_at_mark) throw std::runtime_error("the runs differ before the removal");
    // 2: local; 1: spillover ring; 0: elsewhere.
    std::vector<std::uint8_t> area(g.cell_count(), 0);
    for (int radius : {spill_radius, local_radius})
      for (std::size_t c = 0; c < area.size(); ++c) {
        if (removed.owner_at_mark[c] != group) continue;
        for (int dy = -radius; dy <= radius; ++dy)
          for (int dx = -radius; dx <= radius; ++dx)
            if (const auto n = g.shifted(static_cast<core::CellIndex>(c), dx, dy)) area[*n] = radius == local_radius ? 2 : 1;
      }
    auto sum = [&](const ConflictRun& r, std::uint8_t where, std::int64_t from, std::int64_t to) {
      double f = 0;
      for (std::size_t k = 0; k < r.events.size(); ++k)
        if (r.event_step[k] > from && r.event_step[k] <= to && area[r.events[k].cell] == where) f += r.events[k].fatalities();
      return f;
    };
    RemovalEffect& e = per_seed[i];
    e.local_after = sum(removed, 2, removal, removal + six_months);
    e.local_paired = sum(paired, 2, removal, removal + six_months);
    e.spill_after = sum(removed, 1, removal, removal + six_months);
    e.spill_paired = sum(paired, 1, removal, removal + six_months);
    e.late_after = sum(removed, 2, removal + two_years - six_months, removal + two_years) +
                   sum(removed, 1, removal + two_years - six_months, removal + two_years);
    e.late_paired = sum(paired, 2, removal + two_years - six_months, removal + two_years) +
                    sum(paired, 1, removal + two_years - six_months, removal + two_years);
  }, 1);
  RemovalEffect total;
  for (const RemovalEffect& e : per_seed) {
    total.local_after += e.local_after;
    total.local_paired += e.local_paired;
    total.spill_after += e.spill_after;
    total.spill_paired += e.spill_paired;
    total.late_after += e.late_after;
    total.late_paired += e.late_paired;
  }
  return total;
}
}  // namespace

TEST_CASE("pattern 7: removing a leader raises violence in its territory and next to it for months, then it subsides", "[pattern]") {
  // Calderon et al. (2015): about +36 % over six months in the municipality, spilling into its
  // neighbours, and fading. The band: +10 % to +100 % locally over the six months after, more than zero
  // in the ring around, and within 30 % of the paired runs in and around the territory in months 18-24.
  // The violence comes from what the removal changes (docs/odd.md 7.19): pay the commanders cannot reach,
  // indiscipline and desertion, rivals and the state finding the group weaker, contested successions;
  // leaderless_violence, the old multiplier, stays at 1.
  struct Setting {
    std::string scenario;
    int group;
    std::int64_t removal;
  };
  // Three groups of three library settings with enough deaths to measure; docs/odd.md 7.19 gives the
  // figures of every library group (the hidden test below measures them), some of which fall outside the
  // band (small groups, where a split is most of the group, rise more; rings with a handful of deaths).
  for (const Setting& s : {Setting{"scenarios/library/mali/base.yaml", 2, 104}, Setting{"scenarios/library/drc_east/base.yaml", 5, 104},
                           Setting{"scenarios/library/libya/base.yaml", 0, 104}}) {
    const RemovalEffect e = removal_effect(s.scenario, s.group, s.removal);
    const double local = e.local_after / std::max(1.0, e.local_paired) - 1.0;
    const double spill = e.spill_after - e.spill_paired;
    const double late = e.late_after / std::max(1.0, e.late_paired) - 1.0;
    WARN(s.scenario << ", group " << s.group << ": local " << e.local_after << " vs " << e.local_paired << " (" << 100 * local
                    << " %), spillover " << e.spill_after << " vs " << e.spill_paired << ", months 18-24 "
                    << e.late_after << " vs " << e.late_paired << " (" << 100 * late << " %)");
    CHECK(local > 0.10);
    CHECK(local < 1.00);
    CHECK(spill > 0.0);
    CHECK(std::abs(late) < 0.30);
  }
}

TEST_CASE("pattern 6: more arrests raise violence without shrinking groups, while less recruitment shrinks both", "[pattern]") {
  int arrests_held = 0, recruitment_held = 0;
  double size_base = 0, size_arrests = 0;
  for (int seed = 1; seed <= n_seeds; ++seed) {
    const auto base = run_conflict(spoiler, {}, seed);
    const auto arrests = run_conflict(spoiler, {"state_forces.raids=0.6"}, seed);
    const auto cvr = run_conflict(spoiler, {"armed_groups.youth_livelihood=200"}, seed);
    const std::size_t last_year = base.fighters.size() - 52;
    auto size = [&](const ConflictRun& r) { return static_cast<double>(total(r.fighters, last_year)) / 52.0; };
    UNSCOPED_INFO("seed " << seed << ": fatalities base " << total(base.fatalities) << ", more arrests " << total(arrests.fatalities)
                          << ", less recruitment " << total(cvr.fatalities) << "; fighters in the last year " << size(base)
                          << ", " << size(arrests) << ", " << size(cvr) << "; arrests " << total(base.arrests) << " vs "
                          << total(arrests.arrests) << "; recruits " << total(base.recruits) << " vs " << total(arrests.recruits));
    // Raids triple: arrests roughly double, recruits replace those taken, so groups keep their size (1.09
    // of it on average over seeds 1-20 when set) while deaths in raids add to the violence.
    arrests_held += total(arrests.fatalities) > total(base.fatalities) &&
                    static_cast<double>(total(arrests.arrests)) > 1.8 * static_cast<double>(total(base.arrests)) &&
                    total(arrests.recruits) > total(base.recruits) && size(arrests) > 0.55 * size(base);
    // Alternative livelihoods for the young leave groups few to recruit: they wither, and so does the fighting.
    recruitment_held += total(cvr.fatalities) < total(base.fatalities) / 2 && size(cvr) < 0.2 * size(base);
    size_base += size(base);
    size_arrests += size(arrests);
  }
  WARN("more arrests: " << arrests_held << " of " << n_seeds << " (groups at " << size_arrests / size_base
                        << " of their size without); less recruitment: " << recruitment_held << " of " << n_seeds);
  CHECK(arrests_held >= 17);
  CHECK(size_arrests > 0.8 * size_base);
  CHECK(recruitment_held >= 18);
}

TEST_CASE("pattern 5: securing the richest mine moves resource-linked violence to the other mines", "[pattern]") {
  // Pires and Crooks (2016). A garrison takes the western mine at step 104; the paired run has none.
  const std::string scenario = "scenarios/armed_groups/mine_displacement.yaml";
  constexpr std::int64_t secured = 104;
  const std::array<std::pair<int, int>, 3> mines{{{12, 25}, {40, 25}, {68, 25}}};
  const core::Grid g(80, 50, core::Topology::bounded);
  auto near_mines = [&](const ConflictRun& r) {
    std::array<std::int64_t, 3> f{};
    for (std::size_t i = 0; i < r.events.size(); ++i) {
      if (r.event_step[i] <= secured) continue;
      const int x = g.x_of(r.events[i].cell), y = g.y_of(r.events[i].cell);
      for (std::size_t k = 0; k < mines.size(); ++k)
        if (std::max(std::abs(x - mines[k].first), std::abs(y - mines[k].second)) <= 6) f[k] += r.events[i].fatalities();
    }
    return f;
  };
  int displaced = 0;
  std::int64_t secured_with = 0, secured_without = 0, others_with = 0, others_without = 0;
  for (int seed = 1; seed <= n_seeds; ++seed) {
    const auto with = near_mines(run_conflict(scenario, {}, seed));
    const auto without = near_mines(run_conflict(scenario, {"state_forces.garrisons=[]"}, seed));
    UNSCOPED_INFO("seed " << seed << ": fatalities near the western, central and eastern mines after step " << secured
                          << ": secured " << with[0] << ", " << with[1] << ", " << with[2] << "; not secured " << without[0]
                          << ", " << without[1] << ", " << without[2]);
    displaced += with[1] + with[2] > without[1] + without[2];
    secured_with += with[0];
    secured_without += without[0];
    others_with += with[1] + with[2];
    others_without += without[1] + without[2];
  }
  WARN("violence at the other mines rose in " << displaced << " of " << n_seeds << " seeds; at the secured mine "
                                              << secured_without << " -> " << secured_with << ", elsewhere " << others_without
                                              << " -> " << others_with);
  CHECK(displaced >= 16);  // 20 of 20 when set
  CHECK(2 * secured_with < secured_without);          // the secured mine is calmer...
  CHECK(others_with > 2 * others_without);            // ...and the conflict went on at the others
  CHECK(others_with > secured_without - secured_with);  // more than moved: it did not end
}

TEST_CASE("violent events have a heavy tail of casualties, not a thin one", "[pattern]") {
  // Bohorquez et al. (2009): insurgent event sizes follow roughly a power law (exponent about 2.5). Here
  // units coalesce and fragment, and an event's casualties scale with the units in it.
  std::vector<double> sizes;
  for (int seed = 1; seed <= n_seeds; ++seed)
    for (const auto& e : run_conflict(spoiler, {}, seed).events)
      if (e.fatalities() > 0) sizes.push_back(e.fatalities());
  std::sort(sizes.begin(), sizes.end());
  const double mean = std::accumulate(sizes.begin(), sizes.end(), 0.0) / static_cast<double>(sizes.size());
  const double median = sizes[sizes.size() / 2];
  auto share_at_least = [&](double x) {
    return static_cast<double>(sizes.end() - std::lower_bound(sizes.begin(), sizes.end(), x)) / static_cast<double>(sizes.size());
  };
  // A thin tail for comparison: the geometric distribution on 1, 2, ... with the same mean.
  const double x = std::ceil(6 * mean);
  const double geometric = std::pow(1.0 - 1.0 / mean, x - 1.0);
  // Power-law exponent of the tail above 2 by maximum likelihood (Clauset et al. 2009, discrete approximation).
  double log_sum = 0;
  std::size_t tail = 0;
  for (double s : sizes)
    if (s >= 2) {
      log_sum += std::log(s / 1.5);
      ++tail;
    }
  const double alpha = 1.0 + static_cast<double>(tail) / log_sum;
  WARN(sizes.size() << " events with deaths: mean " << mean << ", median " << median << ", largest " << sizes.back()
                    << "; share of at least " << x << ": " << share_at_least(x) << " (geometric " << geometric
                    << "); tail exponent " << alpha);
  CHECK(sizes.size() > 1000);
  CHECK(sizes.back() >= 8 * median);
  CHECK(share_at_least(x) > 20 * geometric);
  CHECK(alpha > 1.5);
  CHECK(alpha < 3.5);
}

TEST_CASE("the three regimes of the policy brief each show their signature", "[pattern][regimes]") {
  // One model, three settings of its parameters (scenarios/armed_groups): crime financing armed groups
  // that spoil a peace process, criminal rents capturing the state's elites, and crime oiling the wheels.
  struct Signature {
    double violence = 0;        // deaths per year over the last two years
    double capture = 0;         // capture index at the end
    double legitimacy_lost = 0; // share of legitimacy lost by the end
    double to_elites = 0, to_groups = 0;  // illicit revenue received in the last year, $
    double sales_kept = 0;      // sales in the last year over sales in the first
    double participation = 0;   // mean share of free households in illicit work, last year
    bool a_group_joined_peace = false;
  };
  auto signature = [](const std::string& scenario, int seed) {
    const auto p = test::scenario_params(scenario, {"run.seed=" + std::to_string(seed)});
    model::Model m(p);
    Signature s;
    double first_sales = 0, last_sales = 0, deaths = 0;
    const std::int64_t steps = p.run.steps;
    for (std::int64_t t = 1; t <= steps; ++t) {
      m.step();
      const auto& now = m.economy().now;
      double sales = 0;
      for (auto c : now.sales) sales += static_cast<double>(c) / 100;
      if (t <= 52) first_sales += sales;
      if (t > steps - 52) {
        last_sales += sales;
        for (const auto& row : now.revenue) {
          s.to_elites += static_cast<double>(row[static_cast<std::size_t>(model::Recipient::elites)]) / 100;
          s.to_groups += static_cast<double>(row[static_cast<std::size_t>(model::Recipient::armed_groups)]) / 100;
        }
        for (const auto& q : model::report(m))
          if (q.path == "communities/illicit_participation") s.participation += q.values[0] / 52;
      }
      if (t > steps - 104)
        for (const auto& e : m.conflict().now.events) deaths += e.fatalities();
    }
    s.violence = deaths / 2;
    s.capture = m.capture().index;
    s.legitimacy_lost = 1.0 - m.legitimacy() / p.population.citizens.legitimacy.value_at(steps);
    s.sales_kept = last_sales / first_sales;
    for (const auto& g : m.conflict().groups) s.a_group_joined_peace |= g.peace == model::PeaceStatus::joined;
    return s;
  };
  int spoiler_held = 0, capture_held = 0, oiling_held = 0;
  for (int seed = 1; seed <= n_seeds; ++seed) {
    const auto sp = signature("scenarios/armed_groups/spoiler_financing.yaml", seed);
    const auto ca = signature("scenarios/armed_groups/state_capture.yaml", seed);
    const auto oi = signature("scenarios/armed_groups/oiling_the_wheels.yaml", seed);
    UNSCOPED_INFO("seed " << seed << ": deaths/year " << sp.violence << ", " << ca.violence << ", " << oi.violence << "; capture "
                          << sp.capture << ", " << ca.capture << ", " << oi.capture << "; participation " << sp.participation
                          << ", " << ca.participation << ", " << oi.participation);
    // Groups financed by crime fight on, stay out of the peace process, and earn far more than elites.
    spoiler_held += !sp.a_group_joined_peace && sp.violence > 3 * ca.violence && sp.violence > 3 * oi.violence &&
                    sp.to_groups > 5 * sp.to_elites && sp.capture < 0.05;
    // Rents flow to elites; capture erodes legitimacy; armed groups stay marginal.
    capture_held += ca.capture > 0.2 && ca.legitimacy_lost > 0.1 && ca.to_elites > 10 * ca.to_groups && sp.legitimacy_lost < 0.05;
    // Trafficking continues, more households take part, little violence and little capture.
    oiling_held += oi.sales_kept > 0.7 && oi.participation > 2 * sp.participation && oi.participation > 2 * ca.participation &&
                   oi.capture < 0.05 && oi.violence < sp.violence / 3;
  }
  WARN("signatures held: spoiler " << spoiler_held << ", state capture " << capture_held << ", oiling the wheels " << oiling_held
                                   << " of " << n_seeds);
  // Since leader removals act through pay, discipline and fewer splits (issue 19), the spoiler regime holds
  // in 17 of 20 seeds (two seeds miss only because a quiet regime had a violent year): deaths a year
  // average about 66 against 8 (capture) and 11 (oiling).
  CHECK(spoiler_held >= 17);
  CHECK(capture_held >= 18);
  CHECK(oiling_held >= 18);
}

// ---- The mission (Patterns 8, 9 and 11) ------------------------------------------------------
namespace {
const std::string sahel = "scenarios/mission/sahel_mandate.yaml";
}  // namespace

TEST_CASE("pattern 9: more peacekeepers in an area, less violence against civilians there", "[pattern]") {
  // Hultman et al. (2013); Fjelde et al. (2019). Three bases across the north, 400 peacekeepers each,
  // against the same seed with empty bases; civilians killed where they patrol, after the first year.
  auto bases = [](int troops) {
    const std::string t = std::to_string(troops);
    return "mission.bases=[{name: w, at: [20, 20], troops: " + t + ", radius: 8}, {name: e, at: [60, 20], troops: " + t +
           ", radius: 8}, {name: n, at: [40, 12], troops: " + t + ", radius: 8}]";
  };
  // Civilians killed by armed units within the bases' patrols (mission.patrol_range of a base), after the
  // first year.
  const int reach = test::scenario_params(sahel).mission.patrol_range;
  auto attacks_near_bases = [reach](const ConflictRun& r) {
    const std::array<std::pair<int, int>, 3> at{{{20, 20}, {60, 20}, {40, 12}}};
    std::int64_t deaths = 0;
    for (std::size_t i = 0; i < r.events.size(); ++i) {
      const int x = static_cast<int>(r.events[i].cell % 80), y = static_cast<int>(r.events[i].cell / 80);
      const bool near = std::any_of(at.begin(), at.end(), [&](const auto& b) {
        return std::max(std::abs(x - b.first), std::abs(y - b.second)) <= reach;
      });
      if (r.event_step[i] > 52 && r.events[i].type == model::EventType::attack_on_civilians && near)
        deaths += r.events[i].civilians_killed;
    }
    return deaths;
  };
  int fewer = 0;
  std::int64_t with = 0, without = 0;
  for (int seed = 1; seed <= n_seeds; ++seed) {
    const auto a = attacks_near_bases(run_conflict(sahel, {bases(400)}, seed));
    const auto b = attacks_near_bases(run_conflict(sahel, {bases(0)}, seed));
    UNSCOPED_INFO("seed " << seed << ": civilians killed near the bases, with peacekeepers " << a << ", without " << b);
    fewer += a <= b;
    with += a;
    without += b;
  }
  WARN("with peacekeepers no more civilian deaths in " << fewer << " of " << n_seeds << " seeds; in total " << without << " -> " << with);
  CHECK(fewer >= 16);  // 20 of 20 with patrols, 2529 -> 35 deaths in total (18 of 20, 157 -> 16, in the bases' discs before)
  CHECK(static_cast<double>(with) < 0.5 * static_cast<double>(without));
}

TEST_CASE("pattern 11: a crackdown on trafficking raises incidents against mission personnel", "[pattern]") {
  const std::string scenario = "scenarios/mission/crackdown.yaml";
  const std::string crackdown = "levers=[{lever: interdiction, start: 40, intensity: 4, budget: 10000}]";
  int more = 0;
  for (int seed = 1; seed <= n_seeds; ++seed) {
    const auto on = economy_series(scenario, {crackdown}, seed, "mission/incidents");
    const auto off = economy_series(scenario, {}, seed, "mission/incidents");
    const double a = mean_of(on, 60, on.size()), b = mean_of(off, 60, off.size());
    UNSCOPED_INFO("seed " << seed << ": incidents per step after the crackdown " << a << ", without " << b);
    more += a > 1.3 * b;
  }
  WARN("the crackdown raised incidents by more than 30 % in " << more << " of " << n_seeds << " seeds");
  CHECK(more >= 18);
}

TEST_CASE("pattern 8: enforcement plus community programmes beats either alone", "[pattern]") {
  // Szekely et al. (2018): enforcement against racketeers and community programmes together. Enforcement
  // here is raids tripled from year two; the community programme is CVR in the north; the outcome is the
  // armed groups' strength in the last year.
  const std::string enforcement = "state_forces.raids={initial: 0.2, changes: [{at: 52, to: 0.6}]}";
  const std::string community = "levers=[{lever: cvr, start: 52, region: north, budget: 20000, intensity: 150}]";
  auto strength = [](const ConflictRun& r) {
    return static_cast<double>(total(r.fighters, r.fighters.size() - 52)) / 52.0;
  };
  int best = 0;
  double sum_both = 0, sum_enforcement = 0, sum_community = 0;
  for (int seed = 1; seed <= n_seeds; ++seed) {
    const double e = strength(run_conflict(sahel, {enforcement}, seed));
    const double c = strength(run_conflict(sahel, {community}, seed));
    const double both = strength(run_conflict(sahel, {enforcement, community}, seed));
    UNSCOPED_INFO("seed " << seed << ": fighters in the last year: enforcement " << e << ", community " << c << ", both " << both);
    best += both < e && both < c;
    sum_both += both;
    sum_enforcement += e;
    sum_community += c;
  }
  WARN("both beat either alone in " << best << " of " << n_seeds << " seeds; fighters " << sum_enforcement / n_seeds << ", "
                                    << sum_community / n_seeds << ", together " << sum_both / n_seeds);
  // Measured when set: 15 of 20 seeds; 146 fighters together against 183 and 162 alone.
  CHECK(best >= 14);
  CHECK(sum_both < 0.95 * std::min(sum_enforcement, sum_community));
}

// A measurement, not a check (hidden; docs/odd.md 7.22 reports it): how the number of peacekeepers
// changes civilian deaths in each library setting, with troops spread evenly over the bases' areas or
// patrolling: no troops, the setting's, and twice as many, over the same 20 seeds; deaths over weeks
// 53-156, in the bases' areas and in the whole country.
// Run: build/release/tests/behaviour_tests "[troops]"
TEST_CASE("peacekeepers and civilian deaths in the library settings (measurement)", "[.][troops]") {
  // Civilians killed per seed over weeks 53-156: [no troops, the setting's, twice as many][in the bases' areas, everywhere].
  auto measure = [](model::Params p) {
    std::array<std::array<double, 2>, 3> deaths{};
    for (std::size_t level = 0; level < 3; ++level) {
      std::array<std::array<double, 2>, n_seeds> per_seed{};
      core::parallel_for(n_seeds, [&](std::size_t i) {
        model::Params q = p;
        q.run.seed = i + 1;
        for (model::BaseDef& b : q.mission.bases) b.surge = static_cast<double>(level);
        model::Model m(q);
        for (std::int64_t s = 1; s <= q.run.steps; ++s) {
          m.step();
          if (s <= 52) continue;
          for (const auto& e : m.conflict().now.events) {
            if (e.type != model::EventType::attack_on_civilians) continue;
            per_seed[i][1] += e.civilians_killed;
            if (m.mission().base_at[e.cell] >= 0) per_seed[i][0] += e.civilians_killed;
          }
        }
      }, 1);
      for (const auto& d : per_seed)
        for (std::size_t k = 0; k < 2; ++k) deaths[level][k] += d[k] / n_seeds;
    }
    return deaths;
  };
  for (const std::string setting : {"car", "drc_east", "guinea_bissau", "libya", "mali"}) {
    model::Params p = test::scenario_params("scenarios/library/" + setting + "/base.yaml", {"run.steps=156"});
    for (const double patrols : {0.0, p.mission.patrol_share}) {
      p.mission.patrol_share = patrols;
      const auto d = measure(p);
      WARN(setting << ", patrol share " << patrols << ": civilians killed a seed, in the bases' areas / everywhere: no troops "
                   << d[0][0] << " / " << d[0][1] << ", the setting's " << d[1][0] << " / " << d[1][1] << ", twice as many "
                   << d[2][0] << " / " << d[2][1]);
    }
  }
}

TEST_CASE("leader removal in every library group (measurement for docs/odd.md 7.19)", "[.][removal]") {
  for (const std::string setting : {"guinea_bissau", "car", "drc_east", "mali", "libya"}) {
    const std::string scenario = "scenarios/library/" + setting + "/base.yaml";
    const model::Params p = test::scenario_params(scenario);
    for (std::size_t g = 0; g < p.conflict.armed_groups.groups.size(); ++g) {
      const RemovalEffect e = removal_effect(scenario, static_cast<int>(g), 104);
      WARN(setting << ", " << p.conflict.armed_groups.groups[g].name << ": territory " << e.local_after << " vs " << e.local_paired
                   << ", ring " << e.spill_after << " vs " << e.spill_paired << ", months 18-24 " << e.late_after << " vs "
                   << e.late_paired);
    }
  }
}

#include "model/police/police.hpp"

#include <algorithm>
#include <cmath>

#include "core/parallel.hpp"

namespace pocsim::model {

namespace {
double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }
}  // namespace

double training_factor(double capacity) { return 0.4 + 0.8 * capacity; }

void PoliceStep::start_step(std::size_t n_regions) {
  encounters = bribes = seizures = worker_arrests = kingpin_arrests = 0;
  prosecutions = convictions = acquittals = released_untried = extortions = household_contacts = 0;
  bribe_value = extortion_value = salaries_paid = payroll = 0;
  region_seizures.assign(n_regions, 0);
  region_arrests.assign(n_regions, 0);
  region_bribes.assign(n_regions, 0);
}

Police::Police(const PoliceParams& p, const GeographyParams& g, const Geography& geo, const core::Grid& grid, std::size_t networks,
               std::uint64_t seed)
    : extortion_(seed, "police.extortion"), verdict_(seed, "justice.verdict"), encounter_(seed, "police.encounter") {
  const std::size_t n = grid.cell_count();
  posts.resize(p.posts.size());
  for (std::size_t k = 0; k < posts.size(); ++k) {
    posts[k].capacity = p.posts[k].capacity;
    posts[k].integrity = p.posts[k].integrity;
  }
  kingpins.resize(networks);
  interdiction_multiplier.assign(p.interdiction.size(), 1.0);
  interdiction_presence.assign(n, 1.0f);

  presence.assign(n, 0.0f);
  dominant_post.assign(n, no_post);
  std::vector<float> strongest(n, 0.0f);
  for (std::size_t k = 0; k < p.posts.size(); ++k) {
    const PostDef& post = p.posts[k];
    std::vector<CellIndex> cells = disc_cells(grid, grid.index(post.at[0], post.at[1]), post.radius);
    // Officers spread their effort evenly over the cells they patrol.
    const auto per_cell = static_cast<float>(post.personnel * training_factor(post.capacity) / static_cast<double>(cells.size()));
    for (CellIndex c : cells) {
      presence[c] += per_cell;
      if (per_cell > strongest[c]) {
        strongest[c] = per_cell;
        dominant_post[c] = static_cast<std::int16_t>(k);
      }
    }
    post_cells.push_back(std::move(cells));
    post_cell.push_back(grid.index(post.at[0], post.at[1]));
  }
  // A target names a road or a region (a region wins where both have the name).
  for (const InterdictionDef& target : p.interdiction) {
    std::vector<CellIndex> cells;
    for (std::size_t r = 0; r < g.roads.size(); ++r)
      if (g.roads[r].name == target.target) cells = geo.road_cells[r];
    for (std::size_t r = 0; r < g.regions.size(); ++r)
      if (g.regions[r].name == target.target) cells = cells_of_region(g.regions[r], grid);
    interdiction_cells.push_back(std::move(cells));
  }
  now.start_step(g.regions.size());
}

// ---------------------------------------------------------------------------------------------------
// Phases

void Police::apply_schedules(const PoliceParams& p, std::int64_t step, double fiscal_kept,
                             const std::vector<double>* mission_interdiction, const Geography& geo) {
  paid_share = p.paid_share.value_at(step) * fiscal_kept;
  bool changed = interdiction_changed;
  interdiction_changed = false;
  for (std::size_t i = 0; i < interdiction_multiplier.size(); ++i) {
    const double m = p.interdiction[i].multiplier.value_at(step);
    changed |= m != interdiction_multiplier[i];
    interdiction_multiplier[i] = m;
  }
  if (!changed) return;
  if (mission_interdiction) {
    // The mission's interdiction levers first, per region; then the scenario's targets.
    core::parallel_for(interdiction_presence.size(), [&](std::size_t c) {
      interdiction_presence[c] = static_cast<float>((*mission_interdiction)[geo.region_slot(static_cast<CellIndex>(c))]);
    });
  } else {
    for (const auto& cells : interdiction_cells)
      for (CellIndex c : cells) interdiction_presence[c] = 1.0f;
  }
  for (std::size_t i = 0; i < interdiction_multiplier.size(); ++i)
    for (CellIndex c : interdiction_cells[i])
      interdiction_presence[c] = static_cast<float>(interdiction_presence[c] * interdiction_multiplier[i]);
}

void Police::pay_state_share(const PoliceParams& p, Ledger& books) {
  for (std::size_t k = 0; k < p.posts.size(); ++k) {
    const Cents payroll = to_cents(p.posts[k].personnel * p.salary);
    const Cents paid = to_cents(p.posts[k].personnel * p.salary * paid_share);
    books.transfer(Ledger::state, Ledger::police, paid);
    now.payroll += payroll;
    now.salaries_paid += paid;
  }
}

void Police::remember_shortfall(const PoliceParams& p, const std::vector<double>& donor_share) {
  const double lambda = 1.0 / std::max(1, p.shortfall_memory);
  for (std::size_t k = 0; k < posts.size(); ++k)
    posts[k].shortfall = (1.0 - lambda) * posts[k].shortfall + lambda * (1.0 - paid_share - donor_share[k]);
}

void Police::extort(const PoliceParams& p, std::int64_t step, Population& population, Ledger& books, double integrity_kept) {
  if (p.extortion.rate <= 0 || p.posts.empty()) return;
  Citizens& citizens = population.citizens;
  const Cells& cells = population.cells;
  // Serial: few households live near posts, and the takings go to one account in a fixed order.
  for (std::size_t k = 0; k < p.posts.size(); ++k) {
    // A household meets the post's police with chance `rate`; the officer takes a bribe with chance
    // shortfall x (1 - integrity). One draw decides both (u < rate: met; u < rate x that: paid), so
    // counting the meetings the surveys ask about changes no draw.
    const double paid = p.extortion.rate * posts[k].shortfall * (1.0 - integrity_of(k, integrity_kept));
    for (CellIndex cell : post_cells[k]) {
      if (dominant_post[cell] != static_cast<std::int16_t>(k) || !household_at(cells.code[cell])) continue;
      const AgentId c = cells.agent[cell];
      const double u = extortion_.at(static_cast<std::uint32_t>(step), c).uniform();
      if (u >= p.extortion.rate) continue;
      ++now.household_contacts;
      if (u >= paid) continue;
      const Cents taken = to_cents(p.extortion.share * citizens.licit_income[c]);
      books.transfer(Ledger::communities, Ledger::police, taken);
      now.extortion_value += taken;
      ++now.extortions;
      citizens.extortion[c] += static_cast<float>(p.extortion.share);
    }
  }
}

namespace {
// The region a case comes from: where the detained citizen lives; a kingpin's case belongs to none.
std::int16_t case_region(const CaseFile& file, const Geography& geo, const Citizens& citizens) {
  return file.kingpin ? no_region : geo.region[citizens.cell[file.who]];
}
}  // namespace

bool Police::still_held(const CaseFile& file, const Citizens& citizens) const {
  return file.kingpin ? kingpins[file.who].status == Kingpin::detained
                      : citizens.state[file.who] == CitizenState::jailed &&
                            citizens.custody[file.who] == static_cast<std::uint8_t>(Custody::pretrial);
}

std::int64_t Police::cases_waiting(const Geography& geo, const Population& population, std::int16_t region) const {
  return std::count_if(backlog.begin(), backlog.end(), [&](const CaseFile& f) {
    return still_held(f, population.citizens) && (region < 0 || case_region(f, geo, population.citizens) == region);
  });
}

void Police::prosecute(const JusticeParams& j, std::int64_t step, const Geography& geo, Population& population,
                       std::span<ExtraTrials> extra, std::span<const int> successor_delay) {
  Citizens& citizens = population.citizens;
  int capacity = j.prosecutions_per_step;
  // Extra trials (justice support) take the oldest cases of their region once the state's own capacity is used.
  const auto extra_trial = [&](const CaseFile& file) {
    for (ExtraTrials& t : extra)
      if (t.held < t.trials && (t.region < 0 || t.region == case_region(file, geo, citizens))) {
        ++t.held;
        return true;
      }
    return false;
  };
  std::deque<CaseFile> waiting;
  for (const CaseFile& file : backlog) {
    if (!still_held(file, citizens)) continue;
    if (capacity > 0 || extra_trial(file)) {
      if (capacity > 0) --capacity;
      ++now.prosecutions;
      const bool guilty = verdict_.at(static_cast<std::uint32_t>(step), (static_cast<std::uint64_t>(file.kingpin) << 32) | file.who)
                              .uniform() < j.conviction_probability;
      guilty ? ++now.convictions : ++now.acquittals;
      if (file.kingpin) {
        KingpinRecord& k = kingpins[file.who];
        k.status = Kingpin::free;
        if (guilty) {
          // A convicted kingpin is replaced after a delay, during which the network ships nothing.
          // Convicted in step s (after this step's shipments): nothing ships in steps s+1 .. s+delay.
          k.leaderless_until = step + successor_delay[file.who] + 1;
          ++k.replaced;
        }
      } else {
        citizens.custody[file.who] = static_cast<std::uint8_t>(guilty ? Custody::sentenced : Custody::pretrial);
        citizens.jail_left[file.who] = guilty ? j.sentence_steps : 0;
      }
      continue;
    }
    if (file.expires <= step) {  // detention without trial has run out: released today
      ++now.released_untried;
      if (file.kingpin) kingpins[file.who].status = Kingpin::free;
      else citizens.jail_left[file.who] = 0;
      continue;
    }
    waiting.push_back(file);
  }
  backlog = std::move(waiting);
}

// ---------------------------------------------------------------------------------------------------
// What other mechanisms ask of the police

Stop Police::stop(const PoliceParams& p, const Geography& geo, CellIndex cell, double offer, double political_will,
                  double integrity_kept, core::Draws& meet) {
  if (meet.uniform() >= 1.0 - std::exp(-p.detection * presence_at(cell, political_will))) return Stop::unseen;
  ++now.encounters;
  const auto region = geo.region[cell];
  const auto post = static_cast<std::size_t>(dominant_post[cell]);
  // Unpaid officers, and a large offer, make a bribe likelier; integrity and oversight make it less likely,
  // and an officer of full integrity never takes one.
  const double p_bribe = (1.0 - integrity_of(post, integrity_kept)) * (1.0 - p.oversight) *
                         logistic(p.bribe.base + p.bribe.shortfall * posts[post].shortfall + p.bribe.offer * offer / std::max(1e-9, p.salary));
  if (offer > 0 && meet.uniform() < p_bribe) {
    ++now.bribes;
    now.bribe_value += to_cents(offer);
    if (region != no_region) ++now.region_bribes[static_cast<std::size_t>(region)];
    return Stop::bribed;
  }
  if (meet.uniform() >= posts[post].capacity) return Stop::missed;  // stopped, but not found or not held
  ++now.seizures;
  if (region != no_region) ++now.region_seizures[static_cast<std::size_t>(region)];
  return Stop::seized;
}

void Police::hold_for_trial(const JusticeParams& j, std::int64_t step, Population& population, AgentId c) {
  population.detain(c, Custody::pretrial, j.max_pretrial_steps);
  backlog.push_back({false, c, step + j.max_pretrial_steps});
}

void Police::detain_kingpin(const JusticeParams& j, std::int64_t step, std::size_t network) {
  kingpins[network].status = Kingpin::detained;
  backlog.push_back({true, static_cast<std::uint32_t>(network), step + j.max_pretrial_steps});
  ++now.kingpin_arrests;
}

}  // namespace pocsim::model

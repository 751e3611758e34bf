#pragma once
// The police mechanism: the host state's police posts — their presence, pay, corruption and interdiction
// — and the justice chain that tries whom they arrest, kingpins included. Above the population (it
// detains and extorts households), below the armed groups and the economy, which stop, bribe and feed it
// through the functions below. docs/odd.md, sections 7.9, 7.11 and 7.12, describes it.
//
// Phases (Model::step runs them): apply_schedules, pay_state_share and remember_shortfall (the mission
// may top pay up between them), extort, prosecute.
//
// Its inputs from mechanisms above it are arguments: the political will and the share of integrity and of
// the payroll that state capture leaves, the mission's interdiction multipliers and extra trials.
#include <array>
#include <cstdint>
#include <deque>
#include <span>
#include <string_view>
#include <vector>

#include "core/grid.hpp"
#include "core/rng.hpp"
#include "model/common/money.hpp"
#include "model/geography/geography.hpp"
#include "model/police/params.hpp"
#include "model/population/population.hpp"

namespace pocsim::model {

inline constexpr std::int16_t no_post = -1;

struct PostState {
  double shortfall = 0;                 // remembered share of salary unpaid, 0..1
  double capacity = 0;                  // training now (starts at the post's; capacity building raises it)
  double integrity = 0;                 // integrity now, before state capture (starts at the post's; vetting raises it)
};

enum class Kingpin : std::uint8_t { free, detained, convicted };

// A trafficking network's kingpin as the police and courts know him.
struct KingpinRecord {
  Kingpin status = Kingpin::free;
  std::int64_t leaderless_until = -1;   // step at which a convicted kingpin's successor takes over, while > current step
  int replaced = 0;                     // kingpins convicted and replaced
};

struct CaseFile {
  bool kingpin = false;
  std::uint32_t who = 0;                // citizen id, or network index for a kingpin
  std::int64_t expires = 0;             // step at which pretrial detention runs out
};

// What happened during the current step; reset at its start.
struct PoliceStep {
  std::int64_t encounters = 0, bribes = 0, seizures = 0, worker_arrests = 0, kingpin_arrests = 0;
  std::int64_t prosecutions = 0, convictions = 0, acquittals = 0, released_untried = 0;
  Cents bribe_value = 0, extortion_value = 0, salaries_paid = 0, payroll = 0;
  std::int64_t extortions = 0;            // households that paid the police at a meeting (extort)
  std::int64_t household_contacts = 0;    // households the police met at their posts (extort), paying or not

  // Share of the households met that paid (Afrobarometer's measure); 0 when none were met.
  [[nodiscard]] double household_bribery_rate() const {
    return household_contacts > 0 ? static_cast<double>(extortions) / static_cast<double>(household_contacts) : 0.0;
  }
  std::vector<std::int64_t> region_seizures, region_arrests, region_bribes;  // per region

  void start_step(std::size_t n_regions);
};

// Trials the mission's justice support funds this step for the cases of a region (-1: any case).
struct ExtraTrials {
  std::int16_t region = -1;
  int trials = 0;
  int held = 0;                         // trials held (prosecute counts them)
};

// How a police stop of a consignment ends.
enum class Stop : std::uint8_t { unseen, bribed, missed, seized };

// Athena's training factor for a post's capacity: effective officers = personnel x this factor
// (proficient 1.2, full 0.9, partial 0.7, none 0.4; Athena, JPL, law-enforcement model), interpolated
// linearly over capacity 0..1 as none (0) .. proficient (1).
double training_factor(double capacity);

class Police {
 public:
  Police(const PoliceParams& p, const GeographyParams& g, const Geography& geo, const core::Grid& grid, std::size_t networks,
         std::uint64_t seed);

  // ---- Phases ----
  // The share of the payroll the state pays (`fiscal_kept`: what state capture leaves of it) and the
  // interdiction map: scenario targets times, when the mission is active, its levers' multipliers per
  // region slot (`mission_interdiction`, else null).
  void apply_schedules(const PoliceParams& p, std::int64_t step, double fiscal_kept, const std::vector<double>* mission_interdiction,
                       const Geography& geo);
  // The state pays its share of each post's payroll.
  void pay_state_share(const PoliceParams& p, Ledger& books);
  // Officers remember what went unpaid; `donor_share` per post: the share of its payroll donors paid.
  void remember_shortfall(const PoliceParams& p, const std::vector<double>& donor_share);
  // Unpaid, corrupt posts extort the households they patrol. `integrity_kept`: what state capture leaves
  // of every post's integrity.
  void extort(const PoliceParams& p, std::int64_t step, Population& population, Ledger& books, double integrity_kept);
  // The oldest cases are tried as far as capacity allows, then as far as the mission's extra trials
  // (justice support) for their region allow; verdicts set terms. `successor_delay` per network: how long
  // a convicted kingpin's network waits.
  void prosecute(const JusticeParams& j, std::int64_t step, const Geography& geo, Population& population, std::span<ExtraTrials> extra,
                 std::span<const int> successor_delay);

  // ---- What other mechanisms ask of the police ----
  // Effective officers per cell now: the posts' presence, interdiction, and the political will to act.
  [[nodiscard]] double presence_at(CellIndex c, double political_will) const {
    return static_cast<double>(presence[c]) * static_cast<double>(interdiction_presence[c]) * political_will;
  }
  [[nodiscard]] double integrity_of(std::size_t post, double integrity_kept) const { return posts[post].integrity * integrity_kept; }
  // A consignment of this value, offering `offer`, crosses a patrolled cell: the stop, if any, and how it
  // ends (the caller pays an accepted bribe). `meet` holds the consignment's encounter draws.
  Stop stop(const PoliceParams& p, const Geography& geo, CellIndex cell, double offer, double political_will, double integrity_kept,
            core::Draws& meet);
  // The draws of a consignment's encounters with the police.
  [[nodiscard]] core::Draws encounter_draws(std::int64_t step, std::uint64_t consignment) const {
    return encounter_.at(static_cast<std::uint32_t>(step), consignment);
  }
  // Pretrial detention, and a case in the justice queue.
  void hold_for_trial(const JusticeParams& j, std::int64_t step, Population& population, AgentId c);
  void detain_kingpin(const JusticeParams& j, std::int64_t step, std::size_t network);
  // Cases awaiting trial from a region (-1: all); a kingpin's case belongs to no region.
  [[nodiscard]] std::int64_t cases_waiting(const Geography& geo, const Population& population, std::int16_t region) const;
  [[nodiscard]] bool network_leaderless(std::size_t network, std::int64_t step) const { return kingpins[network].leaderless_until > step; }

  // ---- State (checkpoints save it; reporters read it) ----
  std::vector<PostState> posts;
  std::vector<KingpinRecord> kingpins;   // per network
  std::deque<CaseFile> backlog;          // awaiting prosecution, oldest first
  PoliceStep now;
  double paid_share = 1;                 // share of the payroll the state pays this step
  bool interdiction_changed = false;     // the interdiction map must be rebuilt (the mission's levers set it)
  std::vector<double> interdiction_multiplier;  // per scenario target, in force this step
  std::vector<float> interdiction_presence;     // per cell: multiplier in force (1 where no target)

  // ---- The posts' map: fixed for the run ----
  std::vector<float> presence;                  // per cell: effective officers, before interdiction and will
  std::vector<std::int16_t> dominant_post;      // per cell: the post contributing most presence, or no_post
  std::vector<std::vector<CellIndex>> post_cells;          // cells each post patrols
  std::vector<CellIndex> post_cell;                        // each post's own cell
  std::vector<std::vector<CellIndex>> interdiction_cells;  // cells of each scenario target

 private:
  [[nodiscard]] bool still_held(const CaseFile& file, const Citizens& citizens) const;  // not released since it was filed

  core::RandomStream extortion_;
  core::RandomStream verdict_;
  core::RandomStream encounter_;
};

}  // namespace pocsim::model

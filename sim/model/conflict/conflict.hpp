#pragma once
// The conflict mechanism: armed groups, the state's forces, and the violence between them and against
// civilians. A group is a treasury (a Ledger account), a leader, and units: bands of fighters who are
// households of the grid that joined it, off the grid while they serve. Units move between sites worth
// holding (routes they can tax, mines, towns); what a group controls is where its units outnumber
// everyone else, recomputed every step, so territory follows presence and contest rather than a map.
// docs/odd.md, sections 7.14 to 7.20, describes it.
//
// Above the population and the police (it recruits, kills and hands fighters to the courts); below the
// economy, which pays it protection taxes and mine cuts, and the mission. What those do to it arrives as
// arguments: the routes and their rents (Routes), the mission's units and levers (MissionOnGroups), what
// sanctions withhold (SanctionsBite), the political will of the state.
//
// Phases (Model::step runs them): apply_schedules, deploy, extort, pay_fighters, recruit, fight, lead.
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/columns.hpp"
#include "core/grid.hpp"
#include "core/names.hpp"
#include "core/rng.hpp"
#include "model/common/money.hpp"
#include "model/conflict/params.hpp"
#include "model/geography/geography.hpp"
#include "model/police/police.hpp"
#include "model/population/livelihood.hpp"
#include "model/population/population.hpp"

namespace pocsim::model {

inline constexpr std::int16_t no_group = -1;
inline constexpr AgentId no_unit = UINT32_MAX;

enum class PeaceStatus : std::uint8_t { outside = 0, joined = 1, defected = 2 };
constexpr auto enum_names(PeaceStatus) { return std::to_array<std::string_view>({"outside", "joined", "defected"}); }

// Each household's ties to the armed groups, by citizen id: whether it has a young member they can
// recruit, and the group its member serves while a fighter.
struct GroupTies : core::ColumnTable<GroupTies> {
  std::vector<std::uint8_t> young;
  std::vector<std::int16_t> group;       // -1 when not serving

  auto columns() { return std::tie(young, group); }
};

// Units are few (hundreds), and a unit's members change every step, so a unit keeps its members as a
// list. Rows are reused once a unit has no members left (a free row has group == no_group), so an id
// names one unit for as long as it exists.
struct Units : core::ColumnTable<Units> {
  std::vector<std::int16_t> group;
  std::vector<CellIndex> cell;
  std::vector<CellIndex> site;           // where it is heading
  std::vector<std::vector<AgentId>> members;

  auto columns() { return std::tie(group, cell, site, members); }
  [[nodiscard]] std::uint32_t fighters(AgentId u) const { return static_cast<std::uint32_t>(members[u].size()); }
};

struct GroupState {
  bool exists = false;                   // false for a splinter slot not yet split off, or a group wiped out
  std::int16_t parent = no_group;        // the group a splinter left
  std::int16_t splinters = 0;            // splinter slots used
  std::int64_t leaderless_until = -1;    // a successor takes over at this step
  int successions = 0;
  double wage = 0;                       // $ per fighter per step it pays now: its base wage, raised while short of fighters
  double shortfall = 0;                  // remembered share of wages unpaid, 0..1
  double attrition = 0;                  // smoothed fighters lost (killed, arrested) per fighter per step
  double rent_per_fighter = 0;           // smoothed rents its sites are worth, $ per fighter per step
  PeaceStatus peace = PeaceStatus::outside;
  std::int64_t listed_at = -1;           // step its leaders were listed by the sanctions committee, or -1
  double freeze = 0;                     // share of its revenue an asset freeze withholds before evasion
  std::uint32_t fighters = 0;            // members of its units, counted after every phase that changes them
};

enum class EventType : std::uint8_t { clash = 0, state_operation = 1, attack_on_civilians = 2 };
constexpr auto enum_names(EventType) {
  return std::to_array<std::string_view>({"clash", "state_operation", "attack_on_civilians"});
}

// How the conflict datasets classify an event (UCDP's types of organized violence; ACLED's "battles" are the
// first two, its "violence against civilians" the third): a state operation is state-based violence (the
// state against an armed group), a clash non-state violence (group against group), an attack on civilians
// one-sided violence. Every death of an event belongs to its type. docs/odd.md 7.18 says what the model
// counts that the datasets would not (UCDP's threshold of 25 deaths a year per dyad is not applied).
enum class ViolenceType : std::uint8_t { state_based = 0, non_state = 1, one_sided = 2 };
constexpr auto enum_names(ViolenceType) {
  return std::to_array<std::string_view>({"state_based", "non_state", "one_sided"});
}
inline constexpr std::size_t violence_type_count = core::enum_count<ViolenceType>();
constexpr ViolenceType violence_type(EventType e) {
  switch (e) {
    case EventType::clash: return ViolenceType::non_state;
    case EventType::state_operation: return ViolenceType::state_based;
    case EventType::attack_on_civilians: return ViolenceType::one_sided;
  }
  return ViolenceType::non_state;
}

// One violent event: where, who, and how many died or were arrested.
struct ViolenceEvent {
  CellIndex cell = 0;
  EventType type = EventType::clash;
  std::int16_t side_a = no_group;        // the group attacking (or the first in a clash)
  std::int16_t side_b = no_group;        // the other group; no_group for the state or civilians
  std::int32_t fighters_killed_a = 0;
  std::int32_t fighters_killed_b = 0;
  std::int32_t civilians_killed = 0;
  std::int32_t state_losses = 0;         // officers or soldiers put out of action (counted, not modelled as agents)
  std::int32_t arrested = 0;
  [[nodiscard]] std::int32_t fatalities() const { return fighters_killed_a + fighters_killed_b + civilians_killed + state_losses; }
};

// Money a group received or spent this step, in cents, and what happened to its people.
struct GroupFlows {
  std::int64_t taxes = 0, mines = 0, extortion = 0, dividend = 0, wages = 0, operations = 0;
  std::int64_t recruits = 0, deserters = 0, killed = 0, arrested = 0, territory = 0;
};

struct ConflictStep {
  std::vector<GroupFlows> groups;        // per group slot
  std::vector<ViolenceEvent> events;
  std::vector<std::int64_t> region_events, region_fatalities;
  std::vector<float> cell_fatalities;    // accumulated between snapshots, like the flow map
  std::int64_t leaders_removed = 0, splits = 0;
  std::int64_t peace_joined = 0, peace_left = 0;  // groups that joined the peace process this step, and that defected

  void start_step(std::size_t n_groups, std::size_t n_regions);
};

// ---- Inputs from the mechanisms above ----

// Where the economy's routes run, [commodity][route]: the sites units can tax.
using Routes = std::vector<std::vector<std::span<const CellIndex>>>;

// What the mission does to armed groups this step; null pointers when there is no mission.
struct MissionOnGroups {
  const std::vector<float>* troops = nullptr;              // peacekeepers per cell
  const std::vector<double>* violence_kept = nullptr;      // per region slot: what local mediation leaves of clash and attack chances
  const std::vector<double>* operations_support = nullptr; // per region slot: SOC support's multiplier of raids
  double protection = 0;                                   // mission.protection: civilians protected per peacekeeper

  [[nodiscard]] float troops_at(CellIndex c) const { return troops ? (*troops)[c] : 0.0f; }
};

// Share of each group's revenue that sanctions withhold this step: of everything, and of what it takes
// from goods that leave by a border crossing (its leaders' travel ban too). Empty: nothing withheld.
struct SanctionsBite {
  std::vector<double> domestic, cross_border;  // per group slot
  [[nodiscard]] double on(std::size_t group, bool cross) const {
    const std::vector<double>& b = cross ? cross_border : domestic;
    return group < b.size() ? b[group] : 0.0;
  }
};

class Conflict {
 public:
  // Draws which households have a young member, forms the groups' first units from the households
  // nearest their bases and gives each its treasury.
  Conflict(const ConflictParams& p, const GeographyParams& g, const Geography& geo, const core::Grid& grid,
           std::size_t commodities, Population& population, Ledger& books, std::uint64_t seed);

  // ---- Phases ----
  void apply_schedules(const ConflictParams& p, std::int64_t step);
  // Armed units move toward the sites worth most to them; control follows presence.
  void deploy(const ConflictParams& p, std::int64_t step, const Geography& geo, const Population& population, const Police& police,
              double political_will, const MissionOnGroups& mission, const Routes& routes, double mean_licit_income);
  // Groups extort households in their territory.
  void extort(const ConflictParams& p, std::int64_t step, const Population& population, Ledger& books, const SanctionsBite& bite);
  // Groups pay wages and operations as far as their treasury goes; the unpaid desert.
  void pay_fighters(const ConflictParams& p, std::int64_t step, Population& population, Ledger& books);
  // The young near a group's units weigh its wage and their grievance against their livelihood.
  void recruit(const ConflictParams& p, const CitizenParams& households, std::int64_t step, Population& population,
               const Ledger& books, const Livelihood& livelihood);
  // Clashes between groups, state operations and raids, attacks on civilians.
  void fight(const ConflictParams& p, const JusticeParams& justice, std::int64_t step, const Geography& geo, Population& population,
             Police& police, Ledger& books, double political_will, const MissionOnGroups& mission);
  // Scripted leader removals, successions and splits; peace-process decisions.
  void lead(const ConflictParams& p, std::int64_t step, Ledger& books);

  // ---- What other mechanisms ask of the armed groups ----
  [[nodiscard]] const GroupDef& def_of(const ConflictParams& p, std::size_t group) const { return p.armed_groups.groups[def[group]]; }
  [[nodiscard]] bool leaderless(std::size_t group, std::int64_t step) const { return groups[group].leaderless_until > step; }
  // Takes rents and fights: exists and is not in a peace process.
  [[nodiscard]] bool predatory(std::size_t group) const;
  // The group's leader is removed: a succession, perhaps contested, in which a splinter breaks away.
  void remove_leader(const ArmedGroupParams& a, std::int64_t step, std::size_t group, core::Draws& d, Ledger& books);
  // Takes fighters out of a unit; an emptied unit's row is freed.
  void release_members(AgentId unit, std::vector<AgentId> staying);
  // A splinter rejoins its parent: its units, fighters and treasury become the parent's.
  void rejoin(std::size_t splinter, std::size_t parent, Ledger& books);
  void count_fighters();
  // In a scenario where a fighter agent stands for several people (armed_groups.people_per_fighter): the
  // first fighters' bands, from the residents of their home cells once the map's people are settled.
  void raise_bands(const ArmedGroupParams& a, Population& population) const;
  // Clears the fatality map (after a snapshot has taken it).
  void clear_fatality_map();

  // ---- State (checkpoints save it; reporters read it) ----
  bool active = false;                   // false when the scenario has no armed groups
  GroupTies ties;                        // per citizen
  std::vector<GroupState> groups;        // initial groups, then each one's splinter slots
  std::vector<std::string> names;        // per slot
  std::vector<std::size_t> def;          // per slot: the GroupDef it follows (a splinter follows its parent's)
  Units units;
  std::vector<std::int16_t> owner;       // per cell: the group controlling it, or no_group
  std::vector<std::uint8_t> contested;   // per cell: 1 where a second group is at least half as strong
  std::vector<float> state_strength;     // per cell: police and garrison strength in force this step
  // Per cell: share of a consignment's value taken by the group controlling the cell (0 where none
  // taxes). A consignment pays each group once per passage; route searches read it per cell.
  std::vector<float> protection_tax;
  std::vector<std::vector<double>> route_rent;  // [commodity][route]: smoothed value sent along it, $ per step (the economy keeps it)
  std::vector<double> mine_rent;         // per geography point: smoothed value mined there, $ per step (the economy keeps it)
  double youth_livelihood = 0;           // armed_groups.youth_livelihood in force this step
  std::int64_t deaths = 0;               // citizens killed since the start
  ConflictStep now;

 private:
  AgentId new_unit(std::int16_t group, CellIndex at);
  void recompute_control(const ConflictParams& p, const MissionOnGroups& mission);
  enum class Loss : std::uint8_t { killed, arrested };
  void remove_members(AgentId unit, std::int32_t n, Loss how, const JusticeParams& justice, std::int64_t step,
                      Population& population, Police& police);
  // Takes n people out of a unit, killed or arrested: from its members' bands first, then its members.
  void lose_people(AgentId unit, std::int32_t n, Loss how, const JusticeParams& justice, std::int64_t step,
                   Population& population, Police& police);
  // The people a unit stands for: its fighter agents and their bands.
  [[nodiscard]] std::uint32_t people_of(AgentId unit, const Population& population) const;
  // The bands a unit stands for: its people over its fighter agents, rounded (1 when agents are fighters).
  [[nodiscard]] std::uint32_t bands_of(AgentId unit, const Population& population) const;
  void record_event(const Geography& geo, const ViolenceEvent& e);

  core::Grid grid_;
  std::vector<std::vector<CellIndex>> garrison_cells_;
  std::vector<CellIndex> sites_;             // cells worth holding: named points, bases, and route cells
  std::vector<std::int32_t> mine_point_;     // per cell: the geography point of a mine there, or -1
  // Per-cell working memory of deploy and recompute_control, kept so a step allocates no maps: site_at is
  // -1 everywhere between steps, the strengths 0 everywhere.
  std::vector<std::int32_t> site_at_;
  std::vector<float> strength_sum_, strength_best_, strength_second_;

  // Random streams, one per kind of decision (core/rng.hpp); the names are their keys.
  struct Streams {
    explicit Streams(std::uint64_t seed);
    core::RandomStream youth, unit, extortion, desertion, recruit, clash, operation, attack, succession;
  } rng_;
};

}  // namespace pocsim::model

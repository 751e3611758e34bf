#pragma once
// The frozen configuration of one run. Built and validated by sim/scenario from the parameter table
// (the one place where defaults, units, ranges and sources live); the model only reads it.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/grid.hpp"
#include "core/schedule.hpp"

namespace pocsim::model {

// How the estimated arrest probability treats the cop-to-active ratio C/A (Epstein 2002, eq. for P).
enum class ArrestRatioRule : std::uint8_t {
  floor,  // floor(C/A), as NetLogo's Rebellion model: produces punctuated outbursts
  round,  // round half to even, as Mesa's example (Python's round)
  none,   // C/A as the paper literally reads: P stays high, no outbursts
};

// Who sees whose moves within a step.
enum class Activation : std::uint8_t {
  sequential,   // agents act one by one in an order reshuffled every step; later agents see earlier moves
  synchronous,  // every agent reads the previous state; proposals are resolved deterministically; parallel
};

// Where a jailed citizen is.
enum class JailRule : std::uint8_t {
  off_grid,   // removed from the grid, as in the paper; the arresting cop moves into the cell
  hold_cell,  // stays on its cell, blocking it, as in Mesa's example
};

enum class Placement : std::uint8_t {
  exact,          // exactly round(density x cells) agents of each kind, on cells chosen at random
  probabilistic,  // each cell independently a cop, a citizen or empty with the given probabilities
};

struct GridParams {
  int width = 0;
  int height = 0;
  core::Topology topology = core::Topology::torus;
};

struct CitizenParams {
  double density = 0;             // share of cells holding a citizen at start
  int vision = 0;                 // cells
  double threshold = 0;           // T: net grievance needed to turn active
  core::Schedule legitimacy;      // L: perceived legitimacy of the state, 0..1
};

struct PoliceParams {
  core::Schedule density;         // share of cells holding a cop on duty
  int vision = 0;                 // cells
  int max_jail_term = 0;          // J_max, steps; a term is uniform on {0, ..., J_max}
  double arrest_constant = 0;     // k in P = 1 - exp(-k (C/A))
};

struct RuleParams {
  ArrestRatioRule arrest_ratio = ArrestRatioRule::floor;
  core::NeighbourhoodShape vision_shape = core::NeighbourhoodShape::moore;
  Activation activation = Activation::sequential;
  bool movement = true;
  JailRule jail = JailRule::off_grid;
  Placement placement = Placement::exact;
};

struct RunParams {
  std::uint64_t seed = 0;
  std::int64_t steps = 0;
  std::int64_t snapshot_every = 0;  // 0 = no grid snapshots
  std::string step_length = "week"; // what one step is: day, week or month (times in scenarios were converted with it)
  std::string start_date;           // date of step 0 (YYYY-MM-DD), or empty
};

// ---- Geography -------------------------------------------------------------------------------------
using Point = std::array<int, 2>;  // [x, y] in cells

struct RegionDef {
  std::string name;
  std::vector<Point> polygon;  // a rectangle is stored as its four corners
};

struct RoadDef {
  std::string name;
  std::vector<Point> path;
};

enum class PointKind : std::uint8_t { border_crossing, mine, town, market };

struct PointDef {
  std::string name;
  PointKind kind = PointKind::town;
  Point at{};
};

struct GeographyParams {
  double cell_km = 10;                 // km per cell side
  double terrain_cost = 1;             // travel cost per km off road (cost units)
  std::vector<float> terrain_raster;   // optional per-cell multiplier of terrain_cost (row-major); empty = 1
  std::vector<float> roads_raster;     // optional per-cell road mark (> 0: road), added to the roads
  std::vector<float> population_raster;  // optional per-cell weight of where citizens live; empty = uniform
  double road_cost = 0.25;             // travel cost per km on a road
  std::vector<RegionDef> regions;      // later regions win where they overlap
  std::vector<RoadDef> roads;
  std::vector<PointDef> points;
};

// ---- Criminal economy -------------------------------------------------------------------------------
enum class CommodityKind : std::uint8_t { drugs, arms, migrants, resources, fuel };

struct CommodityDef {
  std::string name;
  CommodityKind kind = CommodityKind::drugs;
  std::size_t from = 0;               // index into geography.points
  std::size_t to = 0;
  std::size_t network = 0;            // index into economy.networks
  core::Schedule volume;              // units per step
  double source_price = 0;            // $ per unit paid where it enters
  double exit_price = 0;              // $ per unit received where it leaves
  double workers_per_unit = 0;        // couriers, smugglers or miners needed per unit per step
  int consignments = 1;               // shipments a step's volume is split into
};

struct NetworkDef {
  std::string name;
  double wage = 0;                    // $ per worker per step
  double bribe_share = 0;             // share of a consignment's value offered at a police encounter
  double elite_share = 0;             // share of sales paid to political elites for protection
  double learning_rate = 0.1;         // weight of one passage or seizure in the learned risk of a cell
  double risk_memory = 0.9;           // per-step retention of learned seizure risk
  double observed_weight = 0.5;       // weight of other networks' seizures in what this one learns
  double kingpin_exposure = 0;        // chance that a seizure leads to the kingpin's arrest
  int successor_delay = 0;            // steps before a convicted kingpin is replaced
  int routes = 3;                     // alternative routes considered per commodity
  int replan_every = 4;               // steps between searches for a better route
  double route_temperature = 0.1;     // spread of the logit route choice, relative to mean expected cost
  double transport_cost = 0;          // $ per unit per cost unit of travel
};

struct PostDef {
  std::string name;
  Point at{};
  int personnel = 0;
  int radius = 0;                     // cells patrolled around the post
  double capacity = 0.7;              // training: chance that an honest officer who stops a shipment seizes it
  double integrity = 0.5;             // 0 corruptible .. 1 incorruptible
};

struct InterdictionDef {
  std::string target;                 // a road or region name
  core::Schedule multiplier;          // police presence multiplier on the target's cells
};

struct EconomyParams {
  std::vector<CommodityDef> commodities;
  std::vector<NetworkDef> networks;
  int recruit_radius = 3;             // cells: how far from a route (or a mine) workers are recruited
  double moral_cost = 0.5;            // share of licit income an intolerant citizen needs as compensation
  double licit_income = 100;          // $ per step, mean over citizens
  double tolerance = 0.5;             // mean tolerance of criminals in communities, 0..1
};

struct PolicePayParams {
  std::vector<PostDef> posts;
  double salary = 0;                  // $ per officer per step
  core::Schedule paid_share;          // share of the police payroll the state pays
  int shortfall_memory = 12;          // steps over which officers remember unpaid salary
  double detection = 0;               // encounter rate per unit of police presence per cell crossed
  // P(bribe) = (1 - integrity) (1 - oversight) logistic(base + shortfall_coef x shortfall + offer_coef x offer / salary)
  double bribe_base = 0;
  double bribe_shortfall = 0;
  double bribe_offer = 0;
  double oversight = 0;               // internal oversight, 0..1: scales the chance of a bribe by (1 - oversight)
  double extortion_rate = 0;          // chance per step that an unpaid, corrupt post extorts a household
  double extortion_share = 0;         // share of a household's licit income taken
  std::vector<InterdictionDef> interdiction;
};

struct JusticeParams {
  int prosecutions_per_step = 0;
  double conviction_probability = 0;
  int max_pretrial_steps = 0;
  int sentence_steps = 0;
};

struct CouplingParams {
  double income_relief = 0;           // hardship relieved by illicit income, per unit of licit income
  double extortion_hardship = 0;      // hardship added per unit of remembered extortion
  double extortion_legitimacy = 0;    // share of legitimacy lost per unit of remembered extortion
  double extortion_memory = 0.9;      // per-step retention of remembered extortion
};

// ---- Armed groups, state forces and the state's elites ---------------------------------------------
struct GroupDef {
  std::string name;
  Point base{};                       // where its fighters gather at start and fall back to
  int fighters = 0;                   // at start, drawn from the households nearest the base
  double treasury = 0;                // $ at start
  double wage = 0;                    // $ per fighter per step
  double tax_rate = 0;                // share of a consignment's value taken once per passage through its territory
  double mine_tax = 0;                // share of a held mine's output value taken
  double extortion_rate = 0;          // chance per step that a household in its territory is extorted
  double extortion_share = 0;         // share of that household's licit income taken
  int range = 0;                      // cells from its base within which its units operate
  std::int64_t remove_leader_at = 0;  // step at which its leader is removed by a scripted operation; 0 never
};

struct ArmedGroupParams {
  std::vector<GroupDef> groups;
  int unit_size = 25;                 // fighters per unit at start
  int control_radius = 2;             // cells a unit holds around itself (Chebyshev)
  int speed = 2;                      // cells a unit moves per step
  double deterrence = 0.5;            // weight of opposing strength in a site's attraction
  double stickiness = 0.2;            // bonus of a unit's current site over a new one
  double rent_memory = 0.9;           // per-step retention of the smoothed rents units look for
  double fragmentation = 0.1;         // chance that a group's coalescence-fragmentation event of the step is a fragmentation
  double clash_rate = 0.3;            // chance per step that hostile units in contact fight
  double lethality = 0.05;            // share of a side's fighters killed in a clash against equal numbers
  double civilian_targeting = 0.01;   // chance per step that a unit attacks the households around it
  double civilian_lethality = 0.3;    // chance that an attacked household loses its member
  double attack_area = 4;             // cells a unit's attack sweeps per fighter
  double operations_cost = 10;        // $ per fighter per step besides wages
  int shortfall_memory = 4;           // steps over which fighters remember unpaid wages
  double desertion = 0.2;             // chance per step that a fighter with wholly unpaid wages deserts
  double youth_share = 0.3;           // share of households with a young member who can be recruited
  core::Schedule youth_livelihood;    // $ per step added to the licit income of young people (CVR's lever)
  double grievance_premium = 100;     // $ per step a recruit counts for a grievance of 1
  double risk_weight = 3;             // perceived risk of joining per unit of attrition rate
  int recruit_radius = 3;             // cells around a unit within which it recruits
  int hiring_horizon = 26;            // steps of pay a group holds in reserve for each fighter it hires
  double wage_response = 1;           // raise of the wage, as a share of it, when every post is vacant
  int succession_delay = 8;           // steps without a leader after a removal
  double split_probability = 0.8;     // chance a succession is contested and the group splits
  double split_share = 0.4;           // share of the units that leave with a splinter
  int max_splinters = 2;              // splinter groups each group can give rise to
  double leaderless_violence = 2;     // multiplier of clash and civilian-attack chances while leaderless
  double leaderless_weakness = 0.5;   // how strong a leaderless group looks to its rivals
  core::Schedule peace_dividend;      // $ per fighter per step offered to groups in a peace process; 0: none open
  double peace_hysteresis = 0.2;      // margin one side must beat the other by before a group switches
};

struct GarrisonDef {
  std::string name;
  Point at{};
  core::Schedule troops;              // soldiers (officer-equivalents)
  int radius = 3;                     // cells the garrison secures (disc)
};

struct StateForcesParams {
  std::vector<GarrisonDef> garrisons;
  core::Schedule raids;               // raids per step against armed units, each on a unit drawn by its size
  double raid_strength = 50;          // officers or soldiers in a raid, besides the state's strength where it strikes
  core::Schedule operations;          // operations per step per unit of state strength in a unit's area
  double lethality = 0.02;            // share of engaged fighters killed per operation against equal numbers
  double arrest_share = 0.1;          // share of an operation's surviving fighters arrested, against equal numbers
  double leader_exposure = 0.05;      // chance an operation against a group captures its leader, scaled by the unit's share
};

struct CaptureParams {
  double memory = 0.95;               // per-step retention of the smoothed rents behind the capture index
  double will_loss = 0;               // political will lost per unit of capture
  double legitimacy_loss = 0;         // share of legitimacy lost per unit of capture
  double integrity_loss = 0;          // share of police integrity lost per unit of capture
  double fiscal_loss = 0;             // share of the police payroll diverted per unit of capture
};

// ---- The mission and its levers ----------------------------------------------------------------------
struct BaseDef {
  std::string name;
  Point at{};
  core::Schedule troops;              // peacekeepers at the base
  int radius = 5;                     // cells its patrols cover (disc)
  double surge = 1;                   // troops multiplied by this: a surge ordered live (pocsim serve), not a scenario key
};

enum class LeverKind : std::uint8_t {
  cvr, police_salaries, capacity_building, vetting, justice_support, interdiction, strategic_comms,
  local_mediation, ddr, due_diligence, sanctions, national_mediation, soc_support
};
inline constexpr std::size_t lever_kind_count = 13;

struct LeverDef {
  LeverKind kind = LeverKind::cvr;
  std::int64_t start = 0;             // first step in force
  std::int64_t end = 0;               // last step in force; 0: to the end of the run
  std::string region;                 // target region name; empty: everywhere
  std::int16_t region_index = -1;     // resolved when the scenario is read; -1 everywhere
  double budget = 0;                  // $ per step while in force
  double intensity = 0;               // meaning by kind (docs/odd.md 7.24)
  [[nodiscard]] bool in_force(std::int64_t step) const { return step >= start && (end == 0 || step <= end); }
};

struct MissionParams {
  std::int64_t mandate_length = 52;   // steps between mandate renewals
  std::vector<BaseDef> bases;
  double protection = 0.5;            // protection of civilians per peacekeeper per cell of an attacker's square
  double stability = 0.2;             // share of traffickers' transport cost saved where peacekeepers patrol
  double incident_rate = 0.002;       // incidents per base per step with no disruption of trafficking
  double disruption_weight = 0.02;    // added log-rate of incidents per $1,000 of goods seized near a base per step
  double contracts = 0;               // $ per step the mission spends on local contracts
  double contract_leakage = 0.2;      // share of contract value that leaks into the criminal economy without due diligence
  int cvr_fade = 26;                  // steps over which CVR's effect fades once funding ends
  core::Schedule budget;              // $ per mandate for levers and contracts; 0: not capped
  double travel_ban = 0.5;            // share of a listed group's take from cross-border trade lost to its leaders' travel ban
  core::Schedule intelligence;        // quality of the Joint Mission Analysis Centre's intelligence, 0..1
  bool share_with_panel = false;      // whether the mission shares it with the sanctions committee's Panel of Experts
  double listing_rate = 0.1;          // chance per step that the committee lists a targeted group's leaders
  int evasion_time = 52;              // steps over which a listed group learns to evade a freeze (e-folding)
  double cross_border_enforcement = 0;  // 0..1: how far neighbours enforce the freeze; 1 stops evasion
  double leader_share = 0.1;          // share of its group's rents a leader weighs against an exit package
  std::int64_t transition_length = 52; // steps over which an exited leader's package is paid, in tranches
  double intelligence_gain = 0.5;     // how much better-targeted levers work at full intelligence (x (1 + gain))
  double consent_loss = 0.02;         // consent lost per step per intrusive lever, per unit of capture index
  double consent_recovery = 0.01;     // share of lost consent regained per step without intrusive levers
  double consent_threshold = 0.3;     // below it the host state withdraws consent and the levers stop
};

struct Params {
  RunParams run;
  GridParams grid;
  CitizenParams citizens;
  PoliceParams police;
  RuleParams rules;
  GeographyParams geography;
  EconomyParams economy;
  PolicePayParams police_pay;
  JusticeParams justice;
  CouplingParams coupling;
  ArmedGroupParams armed_groups;
  StateForcesParams state_forces;
  CaptureParams capture;
  MissionParams mission;
  std::vector<LeverDef> levers;
};

std::string_view to_string(LeverKind k);

std::string_view to_string(ArrestRatioRule r);
std::string_view to_string(Activation a);
std::string_view to_string(JailRule j);
std::string_view to_string(Placement p);

}  // namespace pocsim::model

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
};

std::string_view to_string(ArrestRatioRule r);
std::string_view to_string(Activation a);
std::string_view to_string(JailRule j);
std::string_view to_string(Placement p);

}  // namespace pocsim::model

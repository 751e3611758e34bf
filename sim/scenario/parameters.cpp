#include "scenario/parameters.hpp"

#include <initializer_list>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace pocsim::scenario {

namespace {

using model::Params;

// Sources cited by more than one parameter.
const char* const epstein = "Epstein (2002), Modeling civil violence, PNAS 99(suppl. 3):7243-7250";
const char* const netlogo = "Wilensky (2004), NetLogo Rebellion model";
const char* const mesa = "Mesa examples, epstein_civil_violence (Mesa 3.x)";
const char* const design = "pocsim design choice (docs/odd.md)";
const char* const stylised = "stylised, not calibrated (docs/odd.md)";
const char* const narcologic = "Magliocca et al. (2019), NarcoLogic; route choice by expected cost and learned risk";
const char* const brief = "policy brief (shared/seeds): unpaid police are part of the problem and the solution";
const char* const brief_groups = "policy brief (shared/seeds): organized crime sustains armed groups that can spoil a peace process";
const char* const bohorquez = "Bohorquez et al. (2009), Common ecology quantifies human insurgency, Nature 462:911-914";
const char* const prieto = "Prieto-Curiel et al. (2023), Reducing cartel recruitment is the only way to lower violence in Mexico, Science 381:1312";
const char* const calderon = "Calderon et al. (2015), The beheading of criminal organizations and the dynamics of violence in Mexico, JCR 59(8)";
const char* const hultman = "Hultman, Kathman and Shannon (2013), United Nations peacekeeping and civilian protection in civil war, AJPS 57(4)";
const char* const pires = "Pires and Crooks (2016), The geography of conflict diamonds: the case of Sierra Leone, SBP-BRiMS, LNCS 9708";

// A field of a list item (its path is the key within the item).
ParamSpec field(std::string key, ValueType type, std::string unit, double min, double max, std::string def,
                std::string meaning, std::vector<std::string> choices = {}) {
  return {std::move(key), type, std::move(unit), min, max, std::move(choices), std::move(def), std::move(meaning), "", nullptr};
}

std::vector<model::Point> rect_polygon(const std::vector<std::array<int, 2>>& corners) {
  // [x0, y0, x1, y1] includes its corner cells: the polygon runs along their outer edges.
  const int x0 = corners[0][0], y0 = corners[0][1], x1 = corners[1][0] + 1, y1 = corners[1][1] + 1;
  return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
}

// The enum value of a validated choice: `values` lists them in the order of the spec's `choices`,
// whose names are written only there.
template <class Enum>
Enum choice(const Value& v, std::initializer_list<Enum> values) {
  return *(values.begin() + v.integer);
}

std::vector<ParamSpec> build_table() {
  constexpr double int_max = 9007199254740991.0;  // 2^53 - 1: exact as a double and in every YAML reader
  std::vector<ParamSpec> t;
  auto add = [&](ParamSpec s) { t.push_back(std::move(s)); };

  add({"description", ValueType::text, "", 0, 0, {}, "\"\"",
       "What the scenario represents and what it is meant to show; stored in every output file.", design,
       [](Settings& s, const Value& v) { s.description = v.text; }});

  // run
  add({"run.steps", ValueType::integer, "step", 1, 10'000'000, {}, "500",
       "Number of steps to simulate after the initial state (step 0); or a duration such as '5 years'.", design,
       [](Settings& s, const Value& v) { s.params.run.steps = v.integer; }});
  add({"run.step_length", ValueType::choice, "", 0, 0, {"day", "week", "month"}, "week",
       "What one step is. Prices, wages and rates are per step; any key measured in steps also takes a duration "
       "('26 weeks', '6 months', '2 years', '10 days') or, with run.start_date, a date (YYYY-MM-DD), converted with it. "
       "Epstein's model has abstract steps: the choice matters only where a scenario writes durations or dates.",
       design, [](Settings& s, const Value& v) { s.params.run.step_length = v.text; }});
  add({"run.start_date", ValueType::text, "", 0, 0, {}, "\"\"",
       "Date of step 0, YYYY-MM-DD; needed only where a scenario writes dates.", design,
       [](Settings& s, const Value& v) { s.params.run.start_date = v.text; }});
  add({"run.seed", ValueType::integer, "", 0, int_max, {}, "1",
       "Seed of every random stream. The same seed and scenario give bit-identical results at any thread count.",
       design, [](Settings& s, const Value& v) { s.params.run.seed = static_cast<std::uint64_t>(v.integer); }});
  add({"run.snapshot_every", ValueType::integer, "step", 0, 10'000'000, {}, "10",
       "Interval between grid snapshots in the output; 0 records none. Step 0 is always recorded when > 0.",
       design, [](Settings& s, const Value& v) { s.params.run.snapshot_every = v.integer; }});

  // grid
  add({"grid.width", ValueType::integer, "cell", 1, 65536, {}, "40", "Number of columns of the grid.", epstein,
       [](Settings& s, const Value& v) { s.params.grid.width = static_cast<int>(v.integer); }});
  add({"grid.height", ValueType::integer, "cell", 1, 65536, {}, "40", "Number of rows of the grid.", epstein,
       [](Settings& s, const Value& v) { s.params.grid.height = static_cast<int>(v.integer); }});
  add({"grid.topology", ValueType::choice, "", 0, 0, {"torus", "bounded"}, "torus",
       "torus: edges wrap around (the paper's lattice); bounded: cells beyond an edge do not exist.", epstein,
       [](Settings& s, const Value& v) {
         s.params.grid.topology =
             choice<core::Topology>(v, {core::Topology::torus, core::Topology::bounded});
       }});

  // citizens
  add({"citizens.density", ValueType::real, "1", 0, 1, {}, "0.7",
       "Share of cells holding a citizen at step 0 (Epstein's agent density).", epstein,
       [](Settings& s, const Value& v) { s.params.citizens.density = v.real; }});
  add({"citizens.vision", ValueType::integer, "cell", 0, 1000, {}, "7",
       "How far a citizen sees cops and actives, in cells, under rules.vision_shape.", epstein,
       [](Settings& s, const Value& v) { s.params.citizens.vision = static_cast<int>(v.integer); }});
  add({"citizens.threshold", ValueType::real, "1", 0, 1, {}, "0.1",
       "T: a citizen turns active when grievance minus net risk exceeds it.", epstein,
       [](Settings& s, const Value& v) { s.params.citizens.threshold = v.real; }});
  add({"citizens.legitimacy", ValueType::schedule, "1", 0, 1, {}, "0.82",
       "L: the state's legitimacy as citizens perceive it; grievance is H (1 - L). A number, or a schedule "
       "{initial, changes: [{at, to, over}]}.",
       epstein, [](Settings& s, const Value& v) { s.params.citizens.legitimacy = v.schedule; }});

  // police
  add({"police.density", ValueType::schedule, "1", 0, 1, {}, "0.04",
       "Share of cells holding a cop on duty. A number, or a schedule; a change deploys or withdraws cops.",
       epstein, [](Settings& s, const Value& v) { s.params.police.density = v.schedule; }});
  add({"police.vision", ValueType::integer, "cell", 0, 1000, {}, "7",
       "How far a cop sees actives it can arrest, in cells.", epstein,
       [](Settings& s, const Value& v) { s.params.police.vision = static_cast<int>(v.integer); }});
  add({"police.max_jail_term", ValueType::integer, "step", 0, 1'000'000, {}, "30",
       "J_max: a jail term is drawn uniformly from {0, ..., J_max} steps.", epstein,
       [](Settings& s, const Value& v) { s.params.police.max_jail_term = static_cast<int>(v.integer); }});
  add({"police.arrest_constant", ValueType::real, "1", 0, 100, {}, "2.3",
       "k in the estimated arrest probability P = 1 - exp(-k (C/A)); 2.3 makes P = 0.9 when C = A = 1.",
       epstein, [](Settings& s, const Value& v) { s.params.police.arrest_constant = v.real; }});

  // rules: the structural choices that change the model's behaviour
  add({"rules.arrest_ratio", ValueType::choice, "", 0, 0, {"floor", "round", "none"}, "floor",
       "How C/A enters P: floor (NetLogo Rebellion; gives punctuated outbursts), round (Mesa; half to even), "
       "none (the paper's formula read literally; no outbursts).",
       std::string(netlogo) + "; " + mesa + "; " + epstein,
       [](Settings& s, const Value& v) {
         s.params.rules.arrest_ratio = choice<model::ArrestRatioRule>(
             v, {model::ArrestRatioRule::floor, model::ArrestRatioRule::round, model::ArrestRatioRule::none});
       }});
  add({"rules.vision_shape", ValueType::choice, "", 0, 0, {"euclidean", "von_neumann", "moore"}, "euclidean",
       "Shape of vision: euclidean disc (NetLogo's in-radius), von_neumann (the paper's N/S/E/W lattice "
       "positions), moore (Mesa's square).",
       std::string(netlogo) + "; " + epstein + "; " + mesa,
       [](Settings& s, const Value& v) {
         s.params.rules.vision_shape = choice<core::NeighbourhoodShape>(
             v, {core::NeighbourhoodShape::euclidean, core::NeighbourhoodShape::von_neumann,
                 core::NeighbourhoodShape::moore});
       }});
  add({"rules.activation", ValueType::choice, "", 0, 0, {"sequential", "synchronous"}, "sequential",
       "sequential: agents act one at a time in an order reshuffled every step, each seeing earlier moves "
       "(the paper, NetLogo, Mesa); synchronous: all read the previous state, conflicts resolved by seeded "
       "priority; runs in parallel.",
       std::string(epstein) + "; " + design,
       [](Settings& s, const Value& v) {
         s.params.rules.activation = choice<model::Activation>(v, {model::Activation::sequential, model::Activation::synchronous});
       }});
  add({"rules.movement", ValueType::boolean, "", 0, 0, {}, "true",
       "Whether agents move each step to a random empty cell within vision.", epstein,
       [](Settings& s, const Value& v) { s.params.rules.movement = v.boolean; }});
  add({"rules.jail", ValueType::choice, "", 0, 0, {"off_grid", "hold_cell"}, "off_grid",
       "off_grid: the jailed leave the grid and the arresting cop takes the cell (the paper, NetLogo); "
       "hold_cell: the jailed stay on their cell, blocking it (Mesa).",
       std::string(epstein) + "; " + mesa,
       [](Settings& s, const Value& v) {
         s.params.rules.jail = choice<model::JailRule>(v, {model::JailRule::off_grid, model::JailRule::hold_cell});
       }});
  add({"rules.placement", ValueType::choice, "", 0, 0, {"exact", "probabilistic"}, "exact",
       "exact: round(density x cells) agents of each kind on random cells; probabilistic: each cell "
       "independently a cop, a citizen or empty (NetLogo).",
       std::string(netlogo) + "; " + design,
       [](Settings& s, const Value& v) {
         s.params.rules.placement = choice<model::Placement>(v, {model::Placement::exact, model::Placement::probabilistic});
       }});
  // ---- geography
  add({"geography.cell_km", ValueType::real, "km", 0.01, 1000, {}, "10", "Side of a grid cell.", design,
       [](Settings& s, const Value& v) { s.params.geography.cell_km = v.real; }});
  add({"geography.terrain_cost", ValueType::real, "cost/km", 0.001, 1e6, {}, "1",
       "Travel cost per km off road, before the terrain raster's multiplier. Routes minimise total cost.", stylised,
       [](Settings& s, const Value& v) { s.params.geography.terrain_cost = v.real; }});
  add({"geography.road_cost", ValueType::real, "cost/km", 0.001, 1e6, {}, "0.25",
       "Travel cost per km on a road cell.", stylised,
       [](Settings& s, const Value& v) { s.params.geography.road_cost = v.real; }});
  add({"geography.terrain_raster", ValueType::text, "", 0, 0, {}, "\"\"",
       "Raster of terrain (remoteness): one multiplier > 0 of terrain_cost per cell. A CSV file (grid.height rows of "
       "grid.width comma-separated numbers, row 0 first) or an HDF5 dataset written file.h5:/path; paths are relative "
       "to the scenario. Empty: uniform terrain.",
       design, [](Settings& s, const Value& v) { s.raster_files.push_back({"geography.terrain_raster", v.text, v.where}); }});
  add({"geography.roads_raster", ValueType::text, "", 0, 0, {}, "\"\"",
       "Raster of roads, as terrain_raster: cells with a value > 0 are roads (in addition to geography.roads).", design,
       [](Settings& s, const Value& v) { s.raster_files.push_back({"geography.roads_raster", v.text, v.where}); }});
  add({"geography.population_raster", ValueType::text, "", 0, 0, {}, "\"\"",
       "Raster of population, as terrain_raster: a weight >= 0 per cell of where citizens live. Exact placement fills "
       "cells in a random order weighted by it; probabilistic placement scales each cell's chance by weight / mean. "
       "Empty: uniform.",
       design, [](Settings& s, const Value& v) { s.raster_files.push_back({"geography.population_raster", v.text, v.where}); }});
  add({"geography.regions", ValueType::records, "", 0, 0, {}, "[]",
       "Named regions: what interventions target and what outputs aggregate over. Where regions overlap the later "
       "one wins; cells in none belong to no region.",
       design,
       [](Settings& s, const Value& v) {
         for (const Record& r : v.records) {
           // Exactly one of rect and polygon is checked after all keys are read (scenario/loader.cpp, link).
           const Value* rect = r.get("rect");
           const Value* polygon = r.get("polygon");
           s.params.geography.regions.push_back(
               {r.text("name"), rect ? rect_polygon(rect->points) : polygon ? polygon->points : std::vector<model::Point>{}});
         }
       },
       {field("name", ValueType::text, "", 0, 0, "", "Region name, unique."),
        field("rect", ValueType::rect, "cell", 0, 0, "null", "Rectangle [x0, y0, x1, y1], corners included (or polygon)."),
        field("polygon", ValueType::points, "cell", 3, 0, "null", "Polygon vertices; a cell is inside when its centre is.")}});
  add({"geography.roads", ValueType::records, "", 0, 0, {}, "[]",
       "Roads and corridors: polylines whose cells cost geography.road_cost per km.", design,
       [](Settings& s, const Value& v) {
         for (const Record& r : v.records) s.params.geography.roads.push_back({r.text("name"), r.get("path")->points});
       },
       {field("name", ValueType::text, "", 0, 0, "", "Road name, unique; interdiction can target it."),
        field("path", ValueType::points, "cell", 2, 0, "", "Vertices of the polyline.")}});
  add({"geography.points", ValueType::records, "", 0, 0, {}, "[]",
       "Named places: border crossings, mines, towns, markets. Commodities enter and leave at them.", design,
       [](Settings& s, const Value& v) {
         for (const Record& r : v.records)
           s.params.geography.points.push_back(
               {r.text("name"),
                choice<model::PointKind>(*r.get("kind"), {model::PointKind::border_crossing, model::PointKind::mine,
                                                         model::PointKind::town,
                                        model::PointKind::market}),
                r.get("at")->points[0]});
       },
       {field("name", ValueType::text, "", 0, 0, "", "Place name, unique."),
        field("kind", ValueType::choice, "", 0, 0, "", "What the place is.", {"border_crossing", "mine", "town", "market"}),
        field("at", ValueType::point, "cell", 0, 0, "", "Its cell.")}});

  // ---- households' economy (citizens are households)
  add({"citizens.licit_income", ValueType::real, "$/step", 0, 1e6, {}, "100",
       "Mean licit income of a household; each draws uniformly from 0.5 to 1.5 times it.", stylised,
       [](Settings& s, const Value& v) { s.params.economy.licit_income = v.real; }});
  add({"citizens.tolerance", ValueType::real, "1", 0, 0.5, {}, "0.3",
       "Mean tolerance of criminals; each household draws uniformly from 0 to twice it. Criminals are often not "
       "seen as such by their communities.",
       brief, [](Settings& s, const Value& v) { s.params.economy.tolerance = v.real; }});
  add({"citizens.moral_cost", ValueType::real, "1", 0, 10, {}, "0.5",
       "Share of its licit income a wholly intolerant household needs as extra pay to work for criminals.", stylised,
       [](Settings& s, const Value& v) { s.params.economy.moral_cost = v.real; }});
  add({"citizens.income_relief", ValueType::real, "1", 0, 1, {}, "0",
       "Hardship relieved by illicit income equal to the household's licit income (0 decouples the economy from "
       "grievance).",
       stylised, [](Settings& s, const Value& v) { s.params.coupling.income_relief = v.real; }});
  add({"citizens.extortion_hardship", ValueType::real, "1", 0, 10, {}, "0",
       "Hardship added per unit of remembered police extortion (in units of licit income).", stylised,
       [](Settings& s, const Value& v) { s.params.coupling.extortion_hardship = v.real; }});
  add({"citizens.extortion_legitimacy", ValueType::real, "1", 0, 1, {}, "0",
       "Share of perceived legitimacy lost per unit of remembered police extortion.", stylised,
       [](Settings& s, const Value& v) { s.params.coupling.extortion_legitimacy = v.real; }});
  add({"citizens.extortion_memory", ValueType::real, "1", 0, 1, {}, "0.9",
       "Share of remembered extortion kept from one step to the next.", stylised,
       [](Settings& s, const Value& v) { s.params.coupling.extortion_memory = v.real; }});

  // ---- criminal economy
  add({"economy.recruit_radius", ValueType::integer, "cell", 0, 1000, {}, "3",
       "Households within this many cells of a commodity's routes (of its mine, for resources) can work for it.",
       stylised, [](Settings& s, const Value& v) { s.params.economy.recruit_radius = static_cast<int>(v.integer); }});
  add({"economy.networks", ValueType::records, "", 0, 0, {}, "[]",
       "Trafficking networks, each with a kingpin; they hire workers, choose routes and pay bribes and elites.",
       narcologic,
       [](Settings& s, const Value& v) {
         for (const Record& r : v.records) {
           model::NetworkDef n;
           n.name = r.text("name");
           n.wage = r.get("wage")->real;
           n.bribe_share = r.get("bribe_share")->real;
           n.elite_share = r.get("elite_share")->real;
           n.risk_memory = r.get("risk_memory")->real;
           n.learning_rate = r.get("learning_rate")->real;
           n.observed_weight = r.get("observed_weight")->real;
           n.kingpin_exposure = r.get("kingpin_exposure")->real;
           n.successor_delay = static_cast<int>(r.get("successor_delay")->integer);
           n.routes = static_cast<int>(r.get("routes")->integer);
           n.replan_every = static_cast<int>(r.get("replan_every")->integer);
           n.route_temperature = r.get("route_temperature")->real;
           n.transport_cost = r.get("transport_cost")->real;
           s.params.economy.networks.push_back(n);
         }
       },
       {field("name", ValueType::text, "", 0, 0, "", "Network name, unique."),
        field("wage", ValueType::real, "$/step", 0, 1e6, "150", "Pay of one worker for one step."),
        field("bribe_share", ValueType::real, "1", 0, 1, "0.05", "Share of a consignment's value offered at a police stop."),
        field("elite_share", ValueType::real, "1", 0, 1, "0.05", "Share of sales paid to political elites for protection."),
        field("learning_rate", ValueType::real, "1", 0, 0.99, "0.1",
              "Weight of one passage (toward 0) or seizure (toward 1) in the learned chance of losing a consignment in a cell."),
        field("risk_memory", ValueType::real, "1", 0, 1, "0.99", "Share of learned seizure risk kept per step without news (forgetting)."),
        field("observed_weight", ValueType::real, "1", 0, 1, "0.5", "Weight of other networks' seizures in what it learns."),
        field("kingpin_exposure", ValueType::real, "1", 0, 1, "0.02", "Chance a seizure leads to the kingpin's arrest."),
        field("successor_delay", ValueType::integer, "step", 0, 10000, "8", "Steps before a convicted kingpin is replaced; the network ships nothing meanwhile."),
        field("routes", ValueType::integer, "", 1, 20, "3", "Alternative routes it keeps per commodity."),
        field("replan_every", ValueType::integer, "step", 0, 10000, "4", "Steps between searches for a better route; 0 never."),
        field("route_temperature", ValueType::real, "1", 0.001, 100, "0.1", "Spread of the logit route choice, relative to the mean expected cost."),
        field("transport_cost", ValueType::real, "$/(unit cost)", 0, 1e9, "1", "Cost of moving one unit one cost unit.")}});
  add({"economy.commodities", ValueType::records, "", 0, 0, {}, "[]",
       "Illicit commodities, each moved by one network from an entry point to an exit point.", narcologic,
       [](Settings& s, const Value& v) {
         for (const Record& r : v.records) {
           model::CommodityDef c;
           c.name = r.text("name");
           c.kind = choice<model::CommodityKind>(*r.get("kind"), {model::CommodityKind::drugs, model::CommodityKind::arms,
                                                model::CommodityKind::migrants, model::CommodityKind::resources,
                                                model::CommodityKind::fuel});
           c.volume = r.get("volume")->schedule;
           c.source_price = r.get("source_price")->real;
           c.exit_price = r.get("exit_price")->real;
           c.workers_per_unit = r.get("workers_per_unit")->real;
           c.consignments = static_cast<int>(r.get("consignments")->integer);
           s.params.economy.commodities.push_back(c);
           s.commodity_links.push_back({r.text("from"), r.text("to"), r.text("network")});
         }
       },
       {field("name", ValueType::text, "", 0, 0, "", "Commodity name, unique."),
        field("kind", ValueType::choice, "", 0, 0, "", "What it is; sets the work it offers (courier, smuggler, miner).",
              {"drugs", "arms", "migrants", "resources", "fuel"}),
        field("from", ValueType::text, "", 0, 0, "", "Point where it enters (a mine for resources)."),
        field("to", ValueType::text, "", 0, 0, "", "Point where it leaves and is sold."),
        field("network", ValueType::text, "", 0, 0, "", "Network that moves it."),
        field("volume", ValueType::schedule, "unit/step", 0, 1e6, "", "Units the network wants to move per step."),
        field("source_price", ValueType::real, "$/unit", 0, 1e6, "", "Price paid where it enters."),
        field("exit_price", ValueType::real, "$/unit", 0, 1e6, "", "Price received where it leaves."),
        field("workers_per_unit", ValueType::real, "worker/unit", 0, 1e6, "0.1", "Workers needed per unit moved per step."),
        field("consignments", ValueType::integer, "", 1, 1000, "10", "Shipments a step's volume is split into; each picks its own route.")}});

  // ---- police pay, corruption and interdiction
  add({"police.posts", ValueType::records, "", 0, 0, {}, "[]",
       "Host-state police posts: officers patrol a disc around the post and stop shipments crossing it.", brief,
       [](Settings& s, const Value& v) {
         for (const Record& r : v.records)
           s.params.police_pay.posts.push_back({r.text("name"), r.get("at")->points[0], static_cast<int>(r.get("personnel")->integer),
                                                static_cast<int>(r.get("radius")->integer), r.get("capacity")->real,
                                                r.get("integrity")->real});
       },
       {field("name", ValueType::text, "", 0, 0, "", "Post name, unique."),
        field("at", ValueType::point, "cell", 0, 0, "", "Its cell."),
        field("personnel", ValueType::integer, "officer", 0, 100000, "20", "Officers at the post."),
        field("radius", ValueType::integer, "cell", 0, 1000, "3", "Radius of the disc they patrol."),
        field("capacity", ValueType::real, "1", 0, 1, "0.7",
              "Training: chance that an honest stop ends in a seizure; effective officers = personnel x (0.4 + 0.8 capacity) (Athena)."),
        field("integrity", ValueType::real, "1", 0, 1, "0.5", "0 corruptible .. 1 incorruptible.")}});
  add({"police.salary", ValueType::real, "$/step", 0, 1e6, {}, "100", "Salary of one officer for one step.", stylised,
       [](Settings& s, const Value& v) { s.params.police_pay.salary = v.real; }});
  add({"police.paid_share", ValueType::schedule, "1", 0, 1, {}, "1",
       "Share of the police payroll the state pays (its fiscal capacity). A number or a schedule.", brief,
       [](Settings& s, const Value& v) { s.params.police_pay.paid_share = v.schedule; }});
  add({"police.shortfall_memory", ValueType::integer, "step", 1, 10000, {}, "12",
       "Steps over which officers remember unpaid salary (exponential smoothing).", stylised,
       [](Settings& s, const Value& v) { s.params.police_pay.shortfall_memory = static_cast<int>(v.integer); }});
  add({"police.detection", ValueType::real, "1/officer", 0, 1e6, {}, "0.05",
       "Encounter rate per effective officer per cell when a shipment crosses a patrolled cell: "
       "P(stop) = 1 - exp(-detection x presence).",
       stylised, [](Settings& s, const Value& v) { s.params.police_pay.detection = v.real; }});
  add({"police.bribe.base", ValueType::real, "logit", -100, 100, {}, "-3",
       "Log-odds of taking a bribe for a fully paid officer offered nothing. P(bribe) = (1 - integrity) x "
       "(1 - oversight) x logistic(base + shortfall x remembered shortfall + offer x offer / salary): an officer of "
       "full integrity never takes one.",
       stylised,
       [](Settings& s, const Value& v) { s.params.police_pay.bribe_base = v.real; }});
  add({"police.bribe.shortfall", ValueType::real, "logit", 0, 100, {}, "4",
       "Added log-odds per unit of remembered salary shortfall (1 = nothing paid).", brief,
       [](Settings& s, const Value& v) { s.params.police_pay.bribe_shortfall = v.real; }});
  add({"police.bribe.offer", ValueType::real, "logit", 0, 100, {}, "0.5",
       "Added log-odds per step's salary offered.", stylised,
       [](Settings& s, const Value& v) { s.params.police_pay.bribe_offer = v.real; }});
  add({"police.oversight", ValueType::real, "1", 0, 1, {}, "0",
       "Internal oversight and anti-corruption control: scales every officer's chance of taking a bribe by "
       "(1 - oversight).",
       brief, [](Settings& s, const Value& v) { s.params.police_pay.oversight = v.real; }});
  add({"police.extortion.rate", ValueType::real, "1/step", 0, 1, {}, "0",
       "Chance per step that a post with full salary shortfall and integrity 0 extorts a household it patrols "
       "(scaled by shortfall x (1 - integrity)).",
       brief, [](Settings& s, const Value& v) { s.params.police_pay.extortion_rate = v.real; }});
  add({"police.extortion.share", ValueType::real, "1", 0, 1, {}, "0.2",
       "Share of the household's step of licit income taken.", stylised,
       [](Settings& s, const Value& v) { s.params.police_pay.extortion_share = v.real; }});
  add({"police.interdiction", ValueType::records, "", 0, 0, {}, "[]",
       "Interdiction: multiplies police presence on a road's or region's cells, on a schedule.", narcologic,
       [](Settings& s, const Value& v) {
         for (const Record& r : v.records) s.params.police_pay.interdiction.push_back({r.text("target"), r.get("multiplier")->schedule});
       },
       {field("target", ValueType::text, "", 0, 0, "", "A road or region name."),
        field("multiplier", ValueType::schedule, "1", 0, 1000, "", "Presence multiplier; a number or a schedule.")}});

  // ---- justice chain
  add({"justice.prosecutions_per_step", ValueType::integer, "case/step", 0, 1000000, {}, "5",
       "Cases prosecutors and courts can try per step, oldest first.", brief,
       [](Settings& s, const Value& v) { s.params.justice.prosecutions_per_step = static_cast<int>(v.integer); }});
  add({"justice.conviction_probability", ValueType::real, "1", 0, 1, {}, "0.6",
       "Chance a tried case ends in conviction (court integrity and evidence).", stylised,
       [](Settings& s, const Value& v) { s.params.justice.conviction_probability = v.real; }});
  add({"justice.max_pretrial_steps", ValueType::integer, "step", 0, 100000, {}, "8",
       "Longest detention without trial; then the suspect is released and returns to work (the revolving door).",
       brief, [](Settings& s, const Value& v) { s.params.justice.max_pretrial_steps = static_cast<int>(v.integer); }});
  add({"justice.sentence_steps", ValueType::integer, "step", 0, 100000, {}, "104",
       "Prison term of a convicted worker.", stylised,
       [](Settings& s, const Value& v) { s.params.justice.sentence_steps = static_cast<int>(v.integer); }});

  // ---- armed groups
  auto group_real = [&](std::string key, std::string unit, double min, double max, std::string def, std::string meaning,
                        std::string source, double model::ArmedGroupParams::*member) {
    add({"armed_groups." + key, ValueType::real, std::move(unit), min, max, {}, std::move(def), std::move(meaning), std::move(source),
         [member](Settings& s, const Value& v) { s.params.armed_groups.*member = v.real; }});
  };
  auto group_int = [&](std::string key, std::string unit, double min, double max, std::string def, std::string meaning,
                       std::string source, int model::ArmedGroupParams::*member) {
    add({"armed_groups." + key, ValueType::integer, std::move(unit), min, max, {}, std::move(def), std::move(meaning), std::move(source),
         [member](Settings& s, const Value& v) { s.params.armed_groups.*member = static_cast<int>(v.integer); }});
  };
  add({"armed_groups.groups", ValueType::records, "", 0, 0, {}, "[]",
       "Armed groups. Each starts with fighters drawn from the households nearest its base, split into units that "
       "move to the sites worth most to them; it controls the cells where it outnumbers the state and its rivals.",
       brief_groups,
       [](Settings& s, const Value& v) {
         for (const Record& r : v.records) {
           model::GroupDef g;
           g.name = r.text("name");
           g.base = r.get("base")->points[0];
           g.fighters = static_cast<int>(r.get("fighters")->integer);
           g.treasury = r.get("treasury")->real;
           g.wage = r.get("wage")->real;
           g.tax_rate = r.get("tax_rate")->real;
           g.mine_tax = r.get("mine_tax")->real;
           g.extortion_rate = r.get("extortion_rate")->real;
           g.extortion_share = r.get("extortion_share")->real;
           g.range = static_cast<int>(r.get("range")->integer);
           g.remove_leader_at = r.get("remove_leader_at")->integer;
           s.params.armed_groups.groups.push_back(g);
         }
       },
       {field("name", ValueType::text, "", 0, 0, "", "Group name, unique."),
        field("base", ValueType::point, "cell", 0, 0, "", "Its base: where its units start and fall back to."),
        field("fighters", ValueType::integer, "people", 1, 1000000, "100", "Fighters at start, taken from the households nearest the base."),
        field("treasury", ValueType::real, "$", 0, 1e12, "20000", "Money at start."),
        field("wage", ValueType::real, "$/step", 0, 1e6, "60", "Pay of one fighter for one step."),
        field("tax_rate", ValueType::real, "1", 0, 1, "0.05",
              "Share of a consignment's value taken once as it passes through the group's territory."),
        field("mine_tax", ValueType::real, "1", 0, 1, "0.3", "Share of the output value of a mine it holds."),
        field("extortion_rate", ValueType::real, "1/step", 0, 1, "0.05", "Chance per step that a household in its territory is extorted."),
        field("extortion_share", ValueType::real, "1", 0, 1, "0.2", "Share of that household's step of licit income taken."),
        field("range", ValueType::integer, "cell", 0, 100000, "30", "How far from its base its units operate."),
        field("remove_leader_at", ValueType::integer, "step", 0, 10000000, "0",
              "Step at which a scripted operation removes its leader; 0 never. Used to study leader removal.")}});
  group_int("unit_size", "people", 1, 1000000, "25", "Fighters per unit at start.", design, &model::ArmedGroupParams::unit_size);
  group_int("control_radius", "cell", 0, 1000, "2", "Half-side of the square a unit holds around itself.", stylised,
            &model::ArmedGroupParams::control_radius);
  group_int("speed", "cell/step", 1, 1000, "2", "Cells a unit moves along each axis per step.", stylised,
            &model::ArmedGroupParams::speed);
  group_real("deterrence", "1", 0, 100, "0.5",
             "Weight of opposing strength (state and rivals) per own fighter in a site's attraction: exp(-deterrence x "
             "opposition / own).",
             stylised, &model::ArmedGroupParams::deterrence);
  group_real("stickiness", "1", 0, 100, "0.2", "Bonus of a unit's current site over others (it does not move for small gains).",
             stylised, &model::ArmedGroupParams::stickiness);
  group_real("rent_memory", "1", 0, 0.9999, "0.9", "Share of the smoothed rents of routes and mines kept from one step to the next.",
             stylised, &model::ArmedGroupParams::rent_memory);
  group_real("fragmentation", "1", 0, 1, "0.1",
             "Each step, in each group, a unit drawn in proportion to its size disperses into single fighters with this "
             "chance, or else joins another unit drawn the same way; units that meet also merge. Coalescence and "
             "fragmentation spread unit sizes, and so event sizes, over a power law.",
             bohorquez, &model::ArmedGroupParams::fragmentation);
  group_real("clash_rate", "1/step", 0, 1, "0.3", "Chance per step that two hostile units whose squares touch fight.", stylised,
             &model::ArmedGroupParams::clash_rate);
  group_real("lethality", "1", 0, 0.5, "0.05",
             "Share of a side's fighters killed in a clash against equal numbers (2 x lethality x enemy / (own + enemy)).",
             stylised, &model::ArmedGroupParams::lethality);
  group_real("civilian_targeting", "1/step", 0, 1, "0.01",
             "Chance per step that a unit attacks the households around it (doubled where its hold is contested).", stylised,
             &model::ArmedGroupParams::civilian_targeting);
  group_real("civilian_lethality", "1", 0, 1, "0.3", "Chance that a household in the area of an attack loses its member.",
             stylised, &model::ArmedGroupParams::civilian_lethality);
  group_real("attack_area", "cell/fighter", 0, 10000, "4",
             "Area an attack on civilians sweeps per attacking fighter (a square around the unit): the larger the unit, "
             "the more households it reaches, so the unit-size distribution carries over to massacre sizes.",
             bohorquez, &model::ArmedGroupParams::attack_area);
  group_real("operations_cost", "$/step", 0, 1e6, "10", "Cost of one fighter's arms, fuel and food per step, besides the wage.",
             stylised, &model::ArmedGroupParams::operations_cost);
  group_int("shortfall_memory", "step", 1, 10000, "4", "Steps over which fighters remember unpaid wages.", stylised,
            &model::ArmedGroupParams::shortfall_memory);
  group_real("desertion", "1/step", 0, 1, "0.2", "Chance per step that a fighter whose wages went wholly unpaid deserts.",
             stylised, &model::ArmedGroupParams::desertion);
  group_real("youth_share", "1", 0, 1, "0.3", "Share of households with a young member whom groups can recruit.", stylised,
             &model::ArmedGroupParams::youth_share);
  add({"armed_groups.youth_livelihood", ValueType::schedule, "$/step", 0, 1e6, {}, "0",
       "Licit income added to young people's households (what community violence reduction pays). A number or a schedule.",
       prieto, [](Settings& s, const Value& v) { s.params.armed_groups.youth_livelihood = v.schedule; }});
  group_real("grievance_premium", "$/step", 0, 1e6, "100", "What a grievance of 1 (G = H (1 - L)) is worth to a recruit, per step.",
             stylised, &model::ArmedGroupParams::grievance_premium);
  group_real("risk_weight", "1", 0, 1000, "3",
             "Perceived risk of joining per unit of the group's attrition rate (killed and arrested per fighter per step), "
             "scaled by the recruit's risk aversion.",
             prieto, &model::ArmedGroupParams::risk_weight);
  group_int("recruit_radius", "cell", 0, 1000, "3", "Half-side of the square around a unit in which it recruits.", stylised,
            &model::ArmedGroupParams::recruit_radius);
  group_int("hiring_horizon", "step", 1, 100000, "26", "Steps of pay a group holds for each fighter: it hires while its treasury allows.",
            stylised, &model::ArmedGroupParams::hiring_horizon);
  group_real("wage_response", "1", 0, 100, "1",
             "How far a group short of fighters raises its wage: wage x (1 + wage_response x vacancies / posts it can "
             "afford). A rich group outbids licit work.",
             stylised, &model::ArmedGroupParams::wage_response);
  group_int("succession_delay", "step", 0, 100000, "8", "Steps without a leader after a removal.", calderon,
            &model::ArmedGroupParams::succession_delay);
  group_real("split_probability", "1", 0, 1, "0.8", "Chance a succession is contested and a splinter group breaks away.", calderon,
             &model::ArmedGroupParams::split_probability);
  group_real("split_share", "1", 0, 1, "0.4", "Share of the units (and of the treasury) that leave with a splinter.", stylised,
             &model::ArmedGroupParams::split_share);
  group_int("max_splinters", "", 0, 16, "2", "Splinter groups each group can give rise to.", design,
            &model::ArmedGroupParams::max_splinters);
  group_real("leaderless_violence", "1", 1, 100, "2", "Multiplier of clash and civilian-attack chances while a group is leaderless.",
             calderon, &model::ArmedGroupParams::leaderless_violence);
  group_real("leaderless_weakness", "1", 0, 1, "0.5", "How strong a leaderless group's fighters look to its rivals (1: undiminished).",
             calderon, &model::ArmedGroupParams::leaderless_weakness);
  add({"armed_groups.peace_dividend", ValueType::schedule, "$/step", 0, 1e6, {}, "0",
       "What a peace process offers per fighter per step (paid by the state); 0 means no process is open. A group joins "
       "when it beats what its sites are worth per fighter, and defects (a spoiler) when crime pays more.",
       brief_groups, [](Settings& s, const Value& v) { s.params.armed_groups.peace_dividend = v.schedule; }});
  group_real("peace_hysteresis", "1", 0, 10, "0.2", "Margin by which one side must beat the other before a group switches.",
             stylised, &model::ArmedGroupParams::peace_hysteresis);

  // ---- state forces
  add({"state_forces.garrisons", ValueType::records, "", 0, 0, {}, "[]",
       "Military garrisons: troops that hold a disc of cells, deter armed units and act against them; securing a "
       "mine this way can displace the fighting rather than end it.",
       pires,
       [](Settings& s, const Value& v) {
         for (const Record& r : v.records)
           s.params.state_forces.garrisons.push_back(
               {r.text("name"), r.get("at")->points[0], r.get("troops")->schedule, static_cast<int>(r.get("radius")->integer)});
       },
       {field("name", ValueType::text, "", 0, 0, "", "Garrison name, unique."),
        field("at", ValueType::point, "cell", 0, 0, "", "Its cell."),
        field("troops", ValueType::schedule, "soldier", 0, 1e6, "", "Soldiers; a number or a schedule."),
        field("radius", ValueType::integer, "cell", 0, 1000, "3", "Radius of the disc it secures.")}});
  add({"state_forces.raids", ValueType::schedule, "1/step", 0, 1000, {}, "0",
       "Raids per step that state forces mount against armed units wherever they are (an arrest campaign); each unit "
       "is raided with probability 1 - exp(-raids x political will x its share of all fighters). A number or a schedule.",
       prieto, [](Settings& s, const Value& v) { s.params.state_forces.raids = v.schedule; }});
  add({"state_forces.raid_strength", ValueType::real, "officer", 0, 1e6, {}, "50",
       "Officers or soldiers in one raid, added to the state's strength where it strikes.", stylised,
       [](Settings& s, const Value& v) { s.params.state_forces.raid_strength = v.real; }});
  add({"state_forces.operations", ValueType::schedule, "1/(officer step)", 0, 100, {}, "0.01",
       "Tempo of local operations against armed units where state forces stand: P(operation against a unit) = "
       "1 - exp(-operations x political will x state strength in the unit's square). A number or a schedule.",
       stylised, [](Settings& s, const Value& v) { s.params.state_forces.operations = v.schedule; }});
  add({"state_forces.lethality", ValueType::real, "1", 0, 0.5, {}, "0.02",
       "Share of a unit's fighters killed in an operation against equal numbers (2 x lethality x state / (state + unit)).",
       stylised, [](Settings& s, const Value& v) { s.params.state_forces.lethality = v.real; }});
  add({"state_forces.arrest_share", ValueType::real, "1", 0, 0.5, {}, "0.1",
       "Share of the surviving fighters arrested in an operation against equal numbers; they go to the justice chain.",
       prieto, [](Settings& s, const Value& v) { s.params.state_forces.arrest_share = v.real; }});
  add({"state_forces.leader_exposure", ValueType::real, "1", 0, 1, {}, "0.05",
       "Chance that an operation against a unit captures its group's leader, times the unit's share of the group.",
       calderon, [](Settings& s, const Value& v) { s.params.state_forces.leader_exposure = v.real; }});

  // ---- the mission
  add({"mission.mandate_length", ValueType::integer, "step", 1, 10'000'000, {}, "1 year",
       "Time between mandate renewals; schedules changing at renewals change what the mission is mandated and "
       "resourced to do.",
       brief_groups, [](Settings& s, const Value& v) { s.params.mission.mandate_length = v.integer; }});
  add({"mission.bases", ValueType::records, "", 0, 0, {}, "[]",
       "Bases of the mission's military units: their patrols cover a disc, deter armed units (who count "
       "peacekeepers as opposition and cannot hold cells where they are as strong), protect civilians, and make "
       "roads safer for traffickers too.",
       hultman,
       [](Settings& s, const Value& v) {
         for (const Record& r : v.records)
           s.params.mission.bases.push_back(
               {r.text("name"), r.get("at")->points[0], r.get("troops")->schedule, static_cast<int>(r.get("radius")->integer)});
       },
       {field("name", ValueType::text, "", 0, 0, "", "Base name, unique."),
        field("at", ValueType::point, "cell", 0, 0, "", "Its cell."),
        field("troops", ValueType::schedule, "soldier", 0, 1e6, "", "Peacekeepers at the base; a number or a schedule."),
        field("radius", ValueType::integer, "cell", 0, 1000, "5", "Radius of the disc its patrols cover.")}});
  auto mission_real = [&](std::string key, std::string unit, double max, std::string def, std::string meaning,
                          std::string source, double model::MissionParams::*member) {
    add({"mission." + key, ValueType::real, std::move(unit), 0, max, {}, std::move(def), std::move(meaning), std::move(source),
         [member](Settings& s, const Value& v) { s.params.mission.*member = v.real; }});
  };
  mission_real("protection", "1/soldier", 10, "0.02",
               "Protection of civilians: an armed unit's chance of attacking is multiplied by exp(-protection x "
               "peacekeepers in its square).",
               hultman, &model::MissionParams::protection);
  mission_real("stability", "1", 1, "0.2",
               "Share of traffickers' transport cost saved on the part of a route where peacekeepers patrol (the "
               "\"minimum stability\" that also serves crime).",
               brief_groups, &model::MissionParams::stability);
  mission_real("incident_rate", "1/step", 10, "0.002", "Incidents against a base's personnel per step when it disrupts no trafficking.",
               brief_groups, &model::MissionParams::incident_rate);
  mission_real("disruption_weight", "1/step per $1000", 100, "0.02",
               "Incidents per step added per $1,000 a step of goods seized within a base's patrols (smoothed): crime "
               "is no direct threat to peacekeepers until they get involved.",
               brief_groups, &model::MissionParams::disruption_weight);
  mission_real("contracts", "$/step", 1e9, "0", "The mission's local contracts (construction, logistics), per step.", brief_groups,
               &model::MissionParams::contracts);
  mission_real("contract_leakage", "1", 1, "0.2",
               "Share of contract value that leaks into the criminal economy without due diligence (to the group holding "
               "the first base's cell, else to political elites).",
               stylised, &model::MissionParams::contract_leakage);
  add({"mission.cvr_fade", ValueType::integer, "step", 1, 10'000'000, {}, "6 months",
       "Time over which the income CVR and reintegration give fades once they stop (e-folding time).", stylised,
       [](Settings& s, const Value& v) { s.params.mission.cvr_fade = static_cast<int>(v.integer); }});
  add({"mission.budget", ValueType::schedule, "$", 0, 1e15, {}, "0",
       "Money for levers and contracts per mandate (renewed with it); levers are funded in the order listed while it "
       "lasts, the rest wait for the next mandate. 0: not capped. A number or a schedule (the value at a mandate's "
       "first step counts).",
       brief_groups, [](Settings& s, const Value& v) { s.params.mission.budget = v.schedule; }});
  mission_real("travel_ban", "1", 1, "0.5",
               "Share of a listed group's protection taxes and mine cuts on goods that leave by a border crossing lost to "
               "the travel ban on its leaders (deals abroad cost more to arrange); it erodes with evasion like the freeze.",
               brief_groups, &model::MissionParams::travel_ban);
  add({"mission.intelligence", ValueType::schedule, "1", 0, 1, {}, "0",
       "Quality of the Joint Mission Analysis Centre's intelligence: CVR finds those closest to joining an armed group, "
       "sanctions listings hit their targets more often when it is shared, and other levers act with intensity x (1 + "
       "intelligence_gain x intelligence). A number or a schedule.",
       brief_groups, [](Settings& s, const Value& v) { s.params.mission.intelligence = v.schedule; }});
  add({"mission.share_with_panel", ValueType::boolean, "", 0, 0, {}, "false",
       "Whether the mission shares its intelligence with the sanctions committee's Panel of Experts (listing accuracy "
       "0.2 + 0.8 x intelligence when shared, 0.2 + 0.2 x intelligence when not).",
       brief_groups, [](Settings& s, const Value& v) { s.params.mission.share_with_panel = v.boolean; }});
  mission_real("listing_rate", "1/step", 1, "0.1", "Chance per step that the sanctions committee lists a targeted group's leaders.",
               stylised, &model::MissionParams::listing_rate);
  add({"mission.evasion_time", ValueType::integer, "step", 1, 10'000'000, {}, "1 year",
       "Time over which a listed group learns to evade an asset freeze (e-folding), lengthened by cross-border "
       "enforcement: evasion_time / (1 - cross_border_enforcement).",
       brief_groups, [](Settings& s, const Value& v) { s.params.mission.evasion_time = static_cast<int>(v.integer); }});
  mission_real("cross_border_enforcement", "1", 1, "0",
               "How far neighbouring states enforce sanctions: 1 stops evasion, 0 leaves it to time.", brief_groups,
               &model::MissionParams::cross_border_enforcement);
  mission_real("leader_share", "1", 1, "0.1",
               "Share of his group's rents a leader weighs against a national-mediation exit package.", stylised,
               &model::MissionParams::leader_share);
  add({"mission.transition_length", ValueType::integer, "step", 0, 10'000'000, {}, "1 year",
       "Transition into the legal economy of a leader who took an exit: his package is paid in tranches over it while "
       "the mediation lasts; if the mediation ends first the transition is interrupted.",
       brief_groups, [](Settings& s, const Value& v) { s.params.mission.transition_length = v.integer; }});
  mission_real("intelligence_gain", "1", 10, "0.5",
               "How much better levers that must find their targets work at full intelligence: interdiction, "
               "communications, mediation, capacity building, vetting, SOC support and due diligence act with intensity x "
               "(1 + gain x intelligence); CVR and sanctions use intelligence to choose whom they reach.",
               brief_groups, &model::MissionParams::intelligence_gain);
  mission_real("consent_loss", "1/step", 1, "0.02",
               "Host consent lost per step per intrusive lever in force (sanctions, vetting, justice support, capacity "
               "building), times the state-capture index: an intrusive mandate exposes officials' links to traffickers.",
               brief_groups, &model::MissionParams::consent_loss);
  mission_real("consent_recovery", "1/step", 1, "0.01", "Share of lost consent regained per step without intrusive levers.",
               stylised, &model::MissionParams::consent_recovery);
  mission_real("consent_threshold", "1", 1, "0.3",
               "Below this consent the host state withdraws it: every lever stops and the peacekeepers leave.", stylised,
               &model::MissionParams::consent_threshold);
  add({"levers", ValueType::records, "", 0, 0, {}, "[]",
       "Interventions, each in force from start to end in one region (or everywhere), with a budget per step and an "
       "intensity whose meaning depends on the lever: cvr ($ stipend per young beneficiary per step; beneficiaries = "
       "budget / intensity), police_salaries (share of the police payroll donors pay), capacity_building and vetting "
       "(share of the gap to full training or integrity closed per step at the region's posts), justice_support "
       "(extra trials per step), interdiction (police presence multiplied by 1 + intensity), strategic_comms (share "
       "of tolerance of criminals removed), local_mediation (share of clash and attack chances removed), ddr ($ "
       "reintegration income per step per fighter; fighters taken = budget / intensity), due_diligence (share of "
       "contract leakage prevented), sanctions (share of a listed group's treasury frozen and of its revenue withheld "
       "before evasion; groups based in the region are listed), national_mediation ($ exit package per step offered to "
       "the leaders of groups based in the region), soc_support (raids against armed units and kingpins' exposure at "
       "seizures in the region multiplied by 1 + intensity x (1 + intelligence_gain x intelligence)).",
       brief_groups,
       [](Settings& s, const Value& v) {
         for (const Record& r : v.records) {
           model::LeverDef l;
           l.kind = choice<model::LeverKind>(
               *r.get("lever"), {model::LeverKind::cvr, model::LeverKind::police_salaries, model::LeverKind::capacity_building,
                                 model::LeverKind::vetting, model::LeverKind::justice_support, model::LeverKind::interdiction,
                                 model::LeverKind::strategic_comms, model::LeverKind::local_mediation, model::LeverKind::ddr,
                                 model::LeverKind::due_diligence, model::LeverKind::sanctions, model::LeverKind::national_mediation,
                                 model::LeverKind::soc_support});
           l.start = r.get("start")->integer;
           l.end = r.get("end")->integer;
           l.region = r.text("region");
           l.budget = r.get("budget")->real;
           l.intensity = r.get("intensity")->real;
           s.params.levers.push_back(l);
         }
       },
       {field("lever", ValueType::choice, "", 0, 0, "", "Which intervention.",
              {"cvr", "police_salaries", "capacity_building", "vetting", "justice_support", "interdiction", "strategic_comms",
               "local_mediation", "ddr", "due_diligence", "sanctions", "national_mediation", "soc_support"}),
        field("start", ValueType::integer, "step", 0, 10'000'000, "0", "First step in force (a time: steps, a duration or a date)."),
        field("end", ValueType::integer, "step", 0, 10'000'000, "0", "Last step in force; 0 until the run ends."),
        field("region", ValueType::text, "", 0, 0, "\"\"", "Target region; empty: everywhere."),
        field("budget", ValueType::real, "$/step", 0, 1e12, "0", "Money spent per step while in force."),
        field("intensity", ValueType::real, "", 0, 1e9, "", "Strength, by lever (see above).")}});

  // ---- the state and its elites
  auto capture_real = [&](std::string key, double max, std::string def, std::string meaning, double model::CaptureParams::*member) {
    add({"state." + key, ValueType::real, "1", 0, max, {}, std::move(def), std::move(meaning), stylised,
         [member](Settings& s, const Value& v) { s.params.capture.*member = v.real; }});
  };
  capture_real("capture_memory", 0.9999, "0.95",
               "Share of smoothed elite receipts and criminal revenue kept per step; the capture index is their ratio.",
               &model::CaptureParams::memory);
  capture_real("will_loss", 1, "0",
               "Political will lost per unit of capture index: scales police presence and state operations by (1 - will_loss x "
               "capture). 0: capture is measured but does not feed back.",
               &model::CaptureParams::will_loss);
  capture_real("legitimacy_loss", 1, "0", "Share of the state's legitimacy lost per unit of capture index.",
               &model::CaptureParams::legitimacy_loss);
  capture_real("integrity_loss", 1, "0", "Share of every post's integrity lost per unit of capture index.",
               &model::CaptureParams::integrity_loss);
  capture_real("fiscal_loss", 1, "0", "Share of the police payroll diverted per unit of capture index.",
               &model::CaptureParams::fiscal_loss);
  return t;
}

// Whole numbers in full (a seed bound of 2^53 - 1 must not print as 9.0072e+15), others as written.
std::string number(double v) {
  if (v == static_cast<double>(static_cast<std::int64_t>(v))) return std::to_string(static_cast<std::int64_t>(v));
  std::ostringstream o;
  o << v;
  return o.str();
}

}  // namespace

const std::vector<ParamSpec>& parameter_table() {
  static const std::vector<ParamSpec> table = build_table();
  return table;
}

const ParamSpec* find_parameter(const std::string& path) {
  for (const ParamSpec& s : parameter_table())
    if (s.path == path) return &s;
  return nullptr;
}

Record::Record() = default;
Record::~Record() = default;
Record::Record(const Record&) = default;
Record::Record(Record&&) noexcept = default;
Record& Record::operator=(const Record&) = default;
Record& Record::operator=(Record&&) noexcept = default;

const Value* Record::get(const std::string& key) const {
  for (const auto& [k, v] : fields)
    if (k == key) return &v;
  return nullptr;
}

std::string Record::text(const std::string& key) const {
  const Value* v = get(key);
  return v ? v->text : std::string();
}

std::string type_name(ValueType t) {
  switch (t) {
    case ValueType::boolean: return "boolean";
    case ValueType::integer: return "whole number";
    case ValueType::real: return "number";
    case ValueType::text: return "text";
    case ValueType::choice: return "choice";
    case ValueType::schedule: return "number or schedule";
    case ValueType::point: return "point";
    case ValueType::points: return "list of points";
    case ValueType::rect: return "rectangle";
    case ValueType::records: return "list";
  }
  return "?";
}

std::string describe_allowed(const ParamSpec& spec) {
  switch (spec.type) {
    case ValueType::boolean: return "true or false";
    case ValueType::text: return "text";
    case ValueType::choice: {
      std::string s = "one of ";
      for (std::size_t i = 0; i < spec.choices.size(); ++i) s += (i ? ", " : "") + spec.choices[i];
      return s;
    }
    case ValueType::integer:
      return "a whole number from " + number(spec.min) + " to " + number(spec.max);
    case ValueType::point: return "[x, y] in cells, inside the grid";
    case ValueType::points: return "a list of at least " + number(spec.min) + " points [x, y]";
    case ValueType::rect: return "[x0, y0, x1, y1] in cells, corners included";
    case ValueType::records: return "a list of mappings (keys below)";
    case ValueType::real:
    case ValueType::schedule:
      return "a number from " + number(spec.min) + " to " + number(spec.max);
  }
  return "?";
}

}  // namespace pocsim::scenario

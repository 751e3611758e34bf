// The checks that need a whole scenario: names that refer to other entries, places on the grid, rasters,
// and combinations of keys, grouped by the mechanism they concern.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>

#include "core/text.hpp"
#include "io/raster.hpp"
#include "model/geography/geography.hpp"
#include "model/memory.hpp"
#include "scenario/loader.hpp"
#include "scenario/reading.hpp"

namespace pocsim::scenario::detail {

namespace fs = std::filesystem;
using core::join;
using core::quoted;
using core::shortest;

// Resolves names between entries and checks that every place lies on the grid.
namespace {
std::string point_text(const model::Point& pt) {
  std::string s = "[";
  s += std::to_string(pt[0]);
  s += ", ";
  s += std::to_string(pt[1]);
  s += "]";
  return s;
}

template <class Items>
long index_of(const Items& items, const std::string& name) {
  for (std::size_t i = 0; i < items.size(); ++i)
    if (items[i].name == name) return static_cast<long>(i);
  return -1;
}

template <class Items>
std::vector<std::string> names_of(const Items& items) {
  std::vector<std::string> out;
  for (const auto& item : items) out.push_back(item.name);
  return out;
}
}  // namespace

// Resolves names between entries (commodities' points and networks, interdiction targets, levers'
// regions), checks that every place lies on the grid, and reads the rasters the scenario names.
void Validator::link(Settings& s, const std::string& file) {
  model::Params& p = s.params;
  auto on_grid = [&](const model::Point& pt) { return pt[0] >= 0 && pt[1] >= 0 && pt[0] < p.grid.width && pt[1] < p.grid.height; };
  auto off_grid = [&](const std::string& at, const std::string& key, const model::Point& pt) {
    errors.push_back({at, key, point_text(pt) + " is outside the " + std::to_string(p.grid.width) + " x " +
                                   std::to_string(p.grid.height) + " grid",
                      "use x from 0 to " + std::to_string(p.grid.width - 1) + " and y from 0 to " +
                          std::to_string(p.grid.height - 1)});
  };
  // Every entry that names one cell must name one on the grid.
  auto check_places = [&](const std::string& list, const std::string& field, const auto& items, auto cell_of) {
    const auto& records = records_of(list);
    for (std::size_t i = 0; i < items.size(); ++i)
      if (!on_grid(cell_of(items[i])))
        off_grid(where_in(records[i], field), list + "[" + std::to_string(i) + "]." + field, cell_of(items[i]));
  };
  auto unknown = [&](const std::string& at, const std::string& key, const std::string& name, const std::string& what,
                     const std::vector<std::string>& choices) {
    const std::string close = nearest(name, choices);
    errors.push_back({at, key, "no " + what + " is named " + quoted(name),
                      (close.empty() ? std::string() : "did you mean " + quoted(close) + "? ") +
                          (choices.empty() ? "none is defined" : "defined: " + join(choices))});
  };

  // ---- Geography: regions, places, roads, rasters
  // Regions and posts are numbered in 16 bits per cell.
  for (const char* key : {"geography.regions", "police.posts"})
    if (records_of(key).size() > 32000)
      errors.push_back({given.at(key).where, key, "has " + std::to_string(records_of(key).size()) + " entries",
                        "at most 32000 are supported"});
  const auto& regions = records_of("geography.regions");
  for (std::size_t i = 0; i < regions.size(); ++i) {
    const std::string key = "geography.regions[" + std::to_string(i) + "]";
    const bool rect = regions[i].get("rect") != nullptr;
    const bool polygon = regions[i].get("polygon") != nullptr;
    if (rect == polygon)
      errors.push_back({regions[i].where, key, rect ? "has both 'rect' and 'polygon'" : "has neither 'rect' nor 'polygon'",
                        "give exactly one: rect: [x0, y0, x1, y1] or polygon: [[x, y], ...]"});
  }
  check_places("geography.points", "at", p.geography.points, [](const model::PointDef& x) { return x.at; });
  const auto& roads = records_of("geography.roads");
  for (std::size_t i = 0; i < p.geography.roads.size(); ++i)
    for (const model::Point& pt : p.geography.roads[i].path)
      if (!on_grid(pt)) {
        off_grid(where_in(roads[i], "path"), "geography.roads[" + std::to_string(i) + "].path", pt);
        break;
      }
  for (const auto& [key, named] : {std::pair<std::string, const std::string*>{"geography.terrain_raster", &p.geography.terrain_raster},
                                   {"geography.roads_raster", &p.geography.roads_raster},
                                   {"geography.population_raster", &p.geography.population_raster}})
    if (!named->empty()) {
      const std::string at = where_of(key, file);
      read_raster(RasterFile{key, *named, at}, origin_file(at, file), p);
    }

  // ---- Police: posts on the grid, interdiction targets that exist
  check_places("police.posts", "at", p.police.posts, [](const model::PostDef& x) { return x.at; });
  const auto& interdiction = records_of("police.interdiction");
  for (std::size_t i = 0; i < p.police.interdiction.size(); ++i) {
    const std::string& target = p.police.interdiction[i].target;
    if (index_of(p.geography.roads, target) >= 0 || index_of(p.geography.regions, target) >= 0) continue;
    std::vector<std::string> targets = names_of(p.geography.roads);
    for (const std::string& r : names_of(p.geography.regions)) targets.push_back(r);
    unknown(where_in(interdiction[i], "target"), "police.interdiction[" + std::to_string(i) + "].target", target,
            "road or region", targets);
  }

  // ---- Armed groups and state forces: bases and garrisons on the grid
  check_places("armed_groups.groups", "base", p.conflict.armed_groups.groups, [](const model::GroupDef& x) { return x.base; });
  check_places("state_forces.garrisons", "at", p.conflict.state_forces.garrisons, [](const model::GarrisonDef& x) { return x.at; });

  // ---- Economy: each commodity's points and network
  const auto& commodities = records_of("economy.commodities");
  for (std::size_t i = 0; i < p.economy.commodities.size(); ++i) {
    model::CommodityDef& c = p.economy.commodities[i];
    const std::string key = "economy.commodities[" + std::to_string(i) + "]";
    const long from = index_of(p.geography.points, c.from);
    const long to = index_of(p.geography.points, c.to);
    const long network = index_of(p.economy.networks, c.network);
    if (from < 0) unknown(where_in(commodities[i], "from"), key + ".from", c.from, "point", names_of(p.geography.points));
    if (to < 0) unknown(where_in(commodities[i], "to"), key + ".to", c.to, "point", names_of(p.geography.points));
    if (network < 0)
      unknown(where_in(commodities[i], "network"), key + ".network", c.network, "network", names_of(p.economy.networks));
    if (from >= 0 && from == to)
      errors.push_back({where_in(commodities[i], "to"), key + ".to", "enters and leaves at the same point " + quoted(std::as_const(c.to)),
                        "name a different exit point"});
    c.from_point = static_cast<std::size_t>(std::max(0L, from));
    c.to_point = static_cast<std::size_t>(std::max(0L, to));
    c.network_index = static_cast<std::size_t>(std::max(0L, network));
  }

  // ---- The mission: bases on the grid, levers' times and regions
  check_places("mission.bases", "at", p.mission.bases, [](const model::BaseDef& x) { return x.at; });
  const auto& levers = records_of("levers");
  for (std::size_t i = 0; i < p.mission.levers.size(); ++i) {
    model::LeverDef& l = p.mission.levers[i];
    const std::string key = "levers[" + std::to_string(i) + "]";
    if (l.end != 0 && l.end < l.start)
      errors.push_back({where_in(levers[i], "end"), key + ".end",
                        "ends at step " + std::to_string(l.end) + ", before it starts at step " + std::to_string(l.start),
                        "give an end after the start, or 0 to keep it in force to the end of the run"});
    if (l.region.empty()) continue;
    for (std::size_t r = 0; r < p.geography.regions.size(); ++r)
      if (p.geography.regions[r].name == l.region) l.region_index = static_cast<std::int16_t>(r);
    if (l.region_index < 0)
      unknown(where_in(levers[i], "region"), key + ".region", l.region, "region", names_of(p.geography.regions));
  }
}

// The file a value was written in, from its location "file:line:column" (a --set value: `fallback`).
// Paths in a file are relative to that file, also when an overlay of another folder uses it.
std::string Validator::origin_file(const std::string& where, const std::string& fallback) {
  if (where.rfind("--set", 0) == 0) return fallback;
  std::string file = where;
  for (int part = 0; part < 2; ++part) {
    const auto colon = file.rfind(':');
    if (colon == std::string::npos || file.find_first_not_of("0123456789", colon + 1) != std::string::npos) return fallback;
    file.resize(colon);
  }
  return file;
}

// A raster layer named by a scenario key: read through io, then checked against the grid and the
// layer's meaning (terrain multipliers > 0; population weights and road marks >= 0).
void Validator::read_raster(const RasterFile& raster, const std::string& scenario_file, model::Params& p) {
  io::Raster r;
  try {
    r = io::read_raster(raster.file, fs::path(scenario_file).parent_path().string());
  } catch (const io::RasterError& e) {
    errors.push_back({e.where(), raster.key, e.what(), e.hint()});
    return;
  }
  if (r.rows != p.grid.height || r.cols != p.grid.width) {
    errors.push_back({raster.where, raster.key,
                      raster.file + " is " + std::to_string(r.rows) + " x " + std::to_string(r.cols) +
                          " (rows x columns); the grid is " + std::to_string(p.grid.height) + " x " + std::to_string(p.grid.width),
                      "give one value per cell: grid.height rows of grid.width values"});
    return;
  }
  const bool terrain = raster.key == "geography.terrain_raster";
  for (std::size_t i = 0; i < r.values.size(); ++i) {
    if (r.values[i] > 0 || (!terrain && r.values[i] == 0)) continue;
    errors.push_back({raster.where, raster.key,
                      "the value at row " + std::to_string(i / static_cast<std::size_t>(r.cols)) + ", column " +
                          std::to_string(i % static_cast<std::size_t>(r.cols)) + " is " + shortest(r.values[i]),
                      terrain ? "terrain multipliers must be > 0" : "values must be >= 0"});
    return;
  }
  if (raster.key == "geography.population_raster" &&
      std::none_of(r.values.begin(), r.values.end(), [](float v) { return v > 0; })) {
    errors.push_back({raster.where, raster.key, "no cell has people (every weight is 0)", "give some cells a weight > 0"});
    return;
  }
  if (raster.key == "geography.population_raster" && p.population.rules.placement == model::Placement::exact) {
    const auto populated = static_cast<std::size_t>(std::count_if(r.values.begin(), r.values.end(), [](float v) { return v > 0; }));
    const auto needed = static_cast<std::size_t>(std::llround(p.population.citizens.density * p.grid.width * p.grid.height));
    if (populated < needed) {
      errors.push_back({raster.where, raster.key,
                        "only " + std::to_string(populated) + " cells have people, but citizens.density asks for " +
                            std::to_string(needed) + " citizens (one per cell)",
                        "lower citizens.density or give more cells a weight > 0"});
      return;
    }
  }
  if (terrain) p.geography.terrain_values = std::move(r.values);
  else if (raster.key == "geography.roads_raster") p.geography.roads_values = std::move(r.values);
  else p.geography.population_values = std::move(r.values);
}

// geography.people and the regions' people: stated together, adding up, each on cells of its own.
void Validator::check_people(const model::Params& p, const core::Grid& grid, const std::string& file) {
  const model::GeographyParams& g = p.geography;
  const auto& regions = records_of("geography.regions");
  std::int64_t stated = 0;
  for (const model::RegionDef& r : g.regions) stated += r.people;
  if (g.people == 0) {
    if (p.conflict.armed_groups.people_per_fighter > 1)
      errors.push_back({where_of("armed_groups.people_per_fighter", file), "armed_groups.people_per_fighter",
                        std::to_string(p.conflict.armed_groups.people_per_fighter) +
                            " people per fighter agent, but the scenario states no people for the bands to come from",
                        "state geography.people (the population the map stands for), or set armed_groups.people_per_fighter to 1"});
    for (std::size_t i = 0; i < g.regions.size(); ++i)
      if (g.regions[i].people > 0)
        errors.push_back({where_in(regions[i], "people"), "geography.regions[" + std::to_string(i) + "].people",
                          "states " + std::to_string(g.regions[i].people) + " people, but geography.people (the whole map's) is not stated",
                          "state geography.people: the population of the whole area the setting represents"});
    return;
  }
  const std::string at = where_of("geography.people", file);
  const auto agents = std::llround(p.population.citizens.density * p.grid.width * p.grid.height);
  if (g.people < agents)
    errors.push_back({at, "geography.people",
                      std::to_string(g.people) + " people, fewer than the about " + std::to_string(agents) +
                          " citizen agents, each one person",
                      "raise geography.people to the population the setting represents, or lower citizens.density"});
  if (stated > g.people) {
    errors.push_back({at, "geography.people",
                      std::to_string(g.people) + " people, fewer than the " + std::to_string(stated) + " its regions state",
                      "make geography.people the whole map's population, at least the sum of regions[].people"});
    return;
  }
  // Later regions win where they overlap: count the cells each keeps.
  std::vector<std::int16_t> owner(grid.cell_count(), model::no_region);
  for (std::size_t r = 0; r < g.regions.size(); ++r)
    for (const auto c : model::cells_of_region(g.regions[r], grid)) owner[c] = static_cast<std::int16_t>(r);
  std::vector<std::size_t> kept(g.regions.size(), 0);
  std::size_t rest = 0;  // cells of the map left for the people the regions do not state
  for (const std::int16_t r : owner) {
    if (r != model::no_region) ++kept[static_cast<std::size_t>(r)];
    if (r == model::no_region || g.regions[static_cast<std::size_t>(r)].people == 0) ++rest;
  }
  for (std::size_t i = 0; i < g.regions.size(); ++i)
    if (g.regions[i].people > 0 && kept[i] == 0)
      errors.push_back({where_in(regions[i], "people"), "geography.regions[" + std::to_string(i) + "].people",
                        "states " + std::to_string(g.regions[i].people) + " people, but the region keeps no cell (later regions cover it)",
                        "give the region cells of its own, or leave its people out"});
  if (rest == 0 && stated < g.people)
    errors.push_back({at, "geography.people",
                      std::to_string(g.people) + " people, but the regions that state theirs cover the whole map and add up to " +
                          std::to_string(stated),
                      "make geography.people the sum of the regions' people, or leave one region's out"});
}

// Keys that are each valid but not together.
void Validator::check_combinations(const Settings& s, const std::string& file) {
  source = file;
  source_has_lines = true;
  const model::Params& p = s.params;
  // ---- Population: one agent per cell, vision that does not see a cell twice
  const model::PopulationParams& pop = p.population;
  double max_cop_density = pop.police.density.initial();
  for (const auto& c : pop.police.density.changes()) max_cop_density = std::max(max_cop_density, c.to);
  if (pop.citizens.density + max_cop_density > 1.0) {
    std::ostringstream m;
    m << "citizens.density + police.density = " << pop.citizens.density << " + " << max_cop_density << " = "
      << pop.citizens.density + max_cop_density << " exceeds 1";
    errors.push_back({where_of("citizens.density", where_of("police.density", file)), "citizens.density",
                      m.str(), "lower one of them: together they are the share of cells occupied (one agent per cell)"});
  }
  const core::Grid grid(p.grid.width, p.grid.height, p.grid.topology);
  for (const auto& [key, vision] : {std::pair<std::string, int>{"citizens.vision", pop.citizens.vision},
                                    std::pair<std::string, int>{"police.vision", pop.police.vision}}) {
    if (grid.fits_without_overlap(vision)) continue;
    const int largest = (std::min(p.grid.width, p.grid.height) - 1) / 2;
    errors.push_back({where_of(key, file), key,
                      "vision " + std::to_string(vision) + " wraps around a " + std::to_string(p.grid.width) + " x " +
                          std::to_string(p.grid.height) + " torus and would see cells twice",
                      "use at most " + std::to_string(largest) + ", a larger grid, or grid.topology: bounded"});
  }
  // ---- Geography: the people the map stands for, and where they live
  check_people(p, grid, file);
  // ---- Turn orders exist only where agents take turns
  if (pop.rules.activation == model::Activation::synchronous)
    for (const auto& [key, order] : {std::pair<std::string, model::TurnOrder>{"rules.citizen_order", pop.rules.citizen_order},
                                     std::pair<std::string, model::TurnOrder>{"rules.cop_order", pop.rules.cop_order}})
      if (order != model::TurnOrder::move_then_act)
        errors.push_back({where_of(key, file), key, "is act_then_move, but rules.activation is synchronous: agents take no turns",
                          "use rules.activation: sequential, or leave " + key + " out"});
  // ---- Mesa's jail countdown happens in a jailed citizen's turn, on its cell
  if (pop.rules.jail_countdown == model::JailCountdown::own_activation) {
    if (pop.rules.activation != model::Activation::sequential)
      errors.push_back({where_of("rules.jail_countdown", file), "rules.jail_countdown",
                        "is own_activation, but rules.activation is synchronous: there are no turns to count down in",
                        "use rules.activation: sequential, or rules.jail_countdown: step_end"});
    if (pop.rules.jail != model::JailRule::hold_cell)
      errors.push_back({where_of("rules.jail_countdown", file), "rules.jail_countdown",
                        "is own_activation, but rules.jail is off_grid: a released citizen would have no cell to act from",
                        "use rules.jail: hold_cell (as Mesa does), or rules.jail_countdown: step_end"});
  }
  // ---- The run: its calendar
  if (!p.run.start_date.empty() && !parse_date(p.run.start_date))
    errors.push_back({where_of("run.start_date", file), "run.start_date", quoted(p.run.start_date) + " is not a date",
                      "write it YYYY-MM-DD, e.g. 2027-01-01"});
  // ---- Armed groups: fighters leave the grid, slots fit a byte, enough households to draw fighters from
  const model::ArmedGroupParams& ag = p.conflict.armed_groups;
  if (!ag.groups.empty()) {
    if (pop.rules.jail != model::JailRule::off_grid)
      errors.push_back({where_of("rules.jail", file), "rules.jail", "is hold_cell, but fighters leave the grid while they serve",
                        "use rules.jail: off_grid in a scenario with armed groups"});
    const std::size_t slots = ag.groups.size() * (1 + static_cast<std::size_t>(ag.max_splinters));
    if (slots > 254)
      errors.push_back({where_of("armed_groups.groups", file), "armed_groups.groups",
                        std::to_string(ag.groups.size()) + " groups with " + std::to_string(ag.max_splinters) +
                            " splinter slots each make " + std::to_string(slots) + " groups",
                        "at most 254 are supported: use fewer groups or a lower armed_groups.max_splinters"});
    double fighters = 0;
    for (const model::GroupDef& g : ag.groups) fighters += g.fighters;
    const double households = pop.citizens.density * p.grid.width * p.grid.height;
    if (fighters > 0.5 * households) {
      std::ostringstream m;
      m << "the groups start with " << fighters << " fighters, more than half of the about " << std::llround(households)
        << " households they are drawn from";
      errors.push_back({where_of("armed_groups.groups", file), "armed_groups.groups", m.str(),
                        "give the groups fewer fighters, or raise citizens.density or the grid size"});
    }
  }
  // ---- The run: a grid that fits cell indices and this machine's memory
  const double cells = static_cast<double>(p.grid.width) * p.grid.height;
  if (cells >= 2147483648.0) {
    errors.push_back({where_of("grid.width", file), "grid", "a grid of " + std::to_string(p.grid.width) + " x " +
                      std::to_string(p.grid.height) + " has more than 2^31 cells", "use fewer cells"});
    return;
  }
  const double need = static_cast<double>(model::estimate_memory_bytes(p));
  const double have = static_cast<double>(physical_memory_bytes());
  if (have > 0 && need > 0.8 * have) {
    std::ostringstream m;
    m.precision(3);
    m << "a " << p.grid.width << " x " << p.grid.height << " grid needs about " << need / (1u << 30)
      << " GiB of memory; this machine has " << have / (1u << 30) << " GiB";
    errors.push_back({where_of("grid.width", file), "grid", m.str(),
                      "use a smaller grid or lower densities, or run on a larger machine"});
  }
}

}  // namespace pocsim::scenario::detail

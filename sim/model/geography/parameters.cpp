#include "model/geography/parameters.hpp"

#include "model/common/sources.hpp"

namespace pocsim::model {

namespace {
// [x0, y0, x1, y1] includes its corner cells: the outline runs along their outer edges.
std::vector<Point> rect_polygon(const std::array<Point, 2>& corners) {
  const int x0 = corners[0][0], y0 = corners[0][1], x1 = corners[1][0] + 1, y1 = corners[1][1] + 1;
  return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
}
}  // namespace

ParamRows<GeographyParams> geography_parameters() {
  using namespace sources;
  ParamRows<GeographyParams> t;
  t.add({"geography.cell_km", ValueType::real, "km", 0.01, 1000, {}, "10", "Side of a grid cell.", design},
        [](auto& g) -> auto& { return g.cell_km; });
  t.add({"geography.terrain_cost", ValueType::real, "cost/km", 0.001, 1e6, {}, "1",
         "Travel cost per km off road, before the terrain raster's multiplier. Routes minimise total cost.", stylised},
        [](auto& g) -> auto& { return g.terrain_cost; });
  t.add({"geography.road_cost", ValueType::real, "cost/km", 0.001, 1e6, {}, "0.25", "Travel cost per km on a road cell.",
         stylised},
        [](auto& g) -> auto& { return g.road_cost; });
  t.add({"geography.people", ValueType::integer, "person", 0, 2e9, {}, "0",
         "People the map stands for: the population of the area and period the setting represents (a census or the "
         "World Bank's estimate, with its source beside it). Stated, it makes every outcome count people: the cells hold "
         "the people who are not citizen agents, spread over the regions that state their own (regions[].people) and the "
         "rest by area and the population raster, and an attack kills each person in its area with "
         "armed_groups.civilian_lethality. Per-capita outcomes are per these people. 0: not stated, and each citizen agent "
         "stands for one person of a population of as many.",
         design},
        [](auto& g) -> auto& { return g.people; });
  t.add({"geography.terrain_raster", ValueType::text, "", 0, 0, {}, "\"\"",
         "Raster of terrain (remoteness): one multiplier > 0 of terrain_cost per cell. A CSV file (grid.height rows of "
         "grid.width comma-separated numbers, row 0 first) or an HDF5 dataset written file.h5:/path; paths are relative "
         "to the scenario. Empty: uniform terrain.",
         design},
        [](auto& g) -> auto& { return g.terrain_raster; });
  t.add({"geography.roads_raster", ValueType::text, "", 0, 0, {}, "\"\"",
         "Raster of roads, as terrain_raster: cells with a value > 0 are roads (in addition to geography.roads).", design},
        [](auto& g) -> auto& { return g.roads_raster; });
  t.add({"geography.population_raster", ValueType::text, "", 0, 0, {}, "\"\"",
         "Raster of population, as terrain_raster: a weight >= 0 per cell of where citizens live. Exact placement fills "
         "cells in a random order weighted by it; probabilistic placement scales each cell's chance by weight / mean. "
         "Empty: uniform.",
         design},
        [](auto& g) -> auto& { return g.population_raster; });
  // Exactly one of rect and polygon is given (checked by the scenario loader); a rect also sets the outline.
  t.add_records<RegionDef>(
      {"geography.regions", ValueType::records, "", 0, 0, {}, "[]",
       "Named regions: what interventions target and what outputs aggregate over. Where regions overlap the later "
       "one wins; cells in none belong to no region.",
       design},
      [](auto& g) -> auto& { return g.regions; },
      {field<RegionDef>({"name", ValueType::text, "", 0, 0, {}, "", "Region name, unique."}, [](auto& r) -> auto& { return r.name; }),
       field<RegionDef>(
           {"rect", ValueType::rect, "cell", 0, 0, {}, "null", "Rectangle [x0, y0, x1, y1], corners included (or polygon)."},
           [](RegionDef& r, const Value& v) {
             binding::assign(r.rect, v);
             r.polygon = rect_polygon(*r.rect);
           },
           [](const RegionDef& r) -> std::optional<Value> {
             if (!r.rect) return std::nullopt;
             return binding::value_of(r.rect);
           }),
       field<RegionDef>(
           {"polygon", ValueType::points, "cell", 3, 0, {}, "null", "Polygon vertices; a cell is inside when its centre is."},
           [](RegionDef& r, const Value& v) { r.polygon = v.points; },
           [](const RegionDef& r) -> std::optional<Value> {
             if (r.rect) return std::nullopt;
             return binding::value_of(r.polygon);
           }),
       field<RegionDef>({"people", ValueType::integer, "person", 0, 2e9, {}, "0",
                         "People living in the region, from its census (needs geography.people, the whole map's). 0: "
                         "its share of what the regions that state theirs leave of geography.people, by area and the "
                         "population raster."},
                        [](auto& r) -> auto& { return r.people; })});
  t.add_records<RoadDef>(
      {"geography.roads", ValueType::records, "", 0, 0, {}, "[]",
       "Roads and corridors: polylines whose cells cost geography.road_cost per km.", design},
      [](auto& g) -> auto& { return g.roads; },
      {field<RoadDef>({"name", ValueType::text, "", 0, 0, {}, "", "Road name, unique; interdiction can target it."},
                      [](auto& r) -> auto& { return r.name; }),
       field<RoadDef>({"path", ValueType::points, "cell", 2, 0, {}, "", "Vertices of the polyline."},
                      [](auto& r) -> auto& { return r.path; })});
  t.add_records<PointDef>(
      {"geography.points", ValueType::records, "", 0, 0, {}, "[]",
       "Named places: border crossings, mines, towns, markets. Commodities enter and leave at them.", design},
      [](auto& g) -> auto& { return g.points; },
      {field<PointDef>({"name", ValueType::text, "", 0, 0, {}, "", "Place name, unique."}, [](auto& p) -> auto& { return p.name; }),
       field<PointDef>({"kind", ValueType::choice, "", 0, 0, core::names_of<PointKind>(), "", "What the place is."},
                       [](auto& p) -> auto& { return p.kind; }),
       field<PointDef>({"at", ValueType::point, "cell", 0, 0, {}, "", "Its cell."}, [](auto& p) -> auto& { return p.at; })});
  return t;
}

}  // namespace pocsim::model

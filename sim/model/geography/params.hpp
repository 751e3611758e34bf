#pragma once
// Parameters of the map: keys geography.* (sim/model/geography/parameters.cpp).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/common/names.hpp"

namespace pocsim::model {

using Point = std::array<int, 2>;  // [x, y] in cells

struct RegionDef {
  std::string name;
  std::optional<std::array<Point, 2>> rect;  // as given: corners [x0, y0] and [x1, y1], included
  std::vector<Point> polygon;                // the region's outline (a rectangle's four corners when given as rect)
  std::int64_t people = 0;                   // people living in it, as stated (0: a share of geography.people by area)
};

struct RoadDef {
  std::string name;
  std::vector<Point> path;
};

enum class PointKind : std::uint8_t { border_crossing, mine, town, market };
constexpr auto enum_names(PointKind) {
  return std::to_array<std::string_view>({"border_crossing", "mine", "town", "market"});
}

struct PointDef {
  std::string name;
  PointKind kind;
  Point at;
};

struct GeographyParams {
  double cell_km;                      // km per cell side
  double terrain_cost;                 // travel cost per km off road (cost units)
  double road_cost;                    // travel cost per km on a road
  std::int64_t people = 0;             // people the map stands for (0: not stated; each citizen agent is one person)
  std::string terrain_raster;          // files as written in the scenario ("" none); read by the scenario loader
  std::string roads_raster;
  std::string population_raster;
  std::vector<RegionDef> regions;      // later regions win where they overlap
  std::vector<RoadDef> roads;
  std::vector<PointDef> points;
  // The rasters' values, row-major, read from the files above (empty when none is named).
  std::vector<float> terrain_values;     // per-cell multiplier of terrain_cost
  std::vector<float> roads_values;       // per-cell road mark (> 0: road), added to the roads
  std::vector<float> population_values;  // per-cell weight of where citizens live
};

}  // namespace pocsim::model

#include "model/geography/geography.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "core/routing.hpp"

namespace pocsim::model {

namespace {
std::vector<std::pair<int, int>> as_pairs(const std::vector<Point>& pts) {
  std::vector<std::pair<int, int>> out;
  for (const Point& p : pts) out.emplace_back(p[0], p[1]);
  return out;
}
}  // namespace

std::vector<CellIndex> cells_of_region(const RegionDef& r, const core::Grid& grid) {
  std::vector<CellIndex> cells;
  const auto poly = as_pairs(r.polygon);
  int x0 = grid.width(), y0 = grid.height(), x1 = -1, y1 = -1;
  for (const Point& p : r.polygon) {
    x0 = std::min(x0, p[0]);
    y0 = std::min(y0, p[1]);
    x1 = std::max(x1, p[0]);
    y1 = std::max(y1, p[1]);
  }
  // A rectangle [x0, y0, x1, y1] includes its corner cells; it is stored as a polygon through the
  // outer corners of those cells, so the cell-centre test includes them.
  for (int y = std::max(0, y0); y <= std::min(grid.height() - 1, y1); ++y)
    for (int x = std::max(0, x0); x <= std::min(grid.width() - 1, x1); ++x)
      if (core::inside_polygon(poly, x + 0.5, y + 0.5)) cells.push_back(grid.index(x, y));
  return cells;
}

std::vector<CellIndex> disc_cells(const core::Grid& grid, CellIndex centre, int radius) {
  const core::Neighbourhood disc(core::NeighbourhoodShape::euclidean, radius);
  std::vector<CellIndex> cells{centre};
  grid.for_each_neighbour(centre, disc, [&](CellIndex c) { cells.push_back(c); });
  // A radius wider than a torus meets itself: count each cell once.
  std::sort(cells.begin(), cells.end());
  cells.erase(std::unique(cells.begin(), cells.end()), cells.end());
  return cells;
}

int chebyshev(const core::Grid& grid, CellIndex a, CellIndex b) {
  int dx = std::abs(grid.x_of(a) - grid.x_of(b));
  int dy = std::abs(grid.y_of(a) - grid.y_of(b));
  if (grid.topology() == core::Topology::torus) {
    dx = std::min(dx, grid.width() - dx);
    dy = std::min(dy, grid.height() - dy);
  }
  return std::max(dx, dy);
}

Geography build_geography(const GeographyParams& g, const core::Grid& grid) {
  const std::size_t n = grid.cell_count();
  Geography geo;
  geo.region.assign(n, no_region);
  for (std::size_t r = 0; r < g.regions.size(); ++r)
    for (CellIndex c : cells_of_region(g.regions[r], grid)) geo.region[c] = static_cast<std::int16_t>(r);

  geo.road.assign(n, 0);
  for (std::size_t c = 0; c < g.roads_values.size(); ++c) geo.road[c] = g.roads_values[c] > 0;
  for (const RoadDef& road : g.roads) {
    geo.road_cells.push_back(core::rasterise_polyline(grid, as_pairs(road.path)));
    for (CellIndex c : geo.road_cells.back()) geo.road[c] = 1;
  }
  geo.travel_cost.resize(n);
  for (std::size_t c = 0; c < n; ++c) {
    const double terrain = g.terrain_values.empty() ? 1.0 : g.terrain_values[c];
    const double per_km = geo.road[c] ? g.road_cost : g.terrain_cost * terrain;
    geo.travel_cost[c] = static_cast<float>(per_km * g.cell_km);
  }
  for (const PointDef& pt : g.points) geo.point_cell.push_back(grid.index(pt.at[0], pt.at[1]));
  return geo;
}

}  // namespace pocsim::model

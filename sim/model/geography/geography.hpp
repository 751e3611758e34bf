#pragma once
// The map derived from a scenario's geography: region of each cell, travel cost, roads and named points.
// Built once when a run starts and read-only afterwards; every mechanism reads it (the model shares one
// copy between a run and its branches).
#include <cstdint>
#include <vector>

#include "core/grid.hpp"
#include "model/geography/params.hpp"

namespace pocsim::model {

using core::CellIndex;

inline constexpr std::int16_t no_region = -1;

struct Geography {
  std::vector<std::int16_t> region;          // per cell: index into geography.regions, or no_region
  std::vector<float> travel_cost;            // per cell: cost units to cross it (per-km cost x cell_km)
  std::vector<std::uint8_t> road;            // per cell: 1 on a road
  std::vector<CellIndex> point_cell;         // per named point
  std::vector<std::vector<CellIndex>> road_cells;  // per road: the cells of its polyline

  // What levers and outputs index by region: slot 0 holds the cells in no region, slot r + 1 region r.
  [[nodiscard]] std::size_t region_slot(CellIndex c) const { return static_cast<std::size_t>(region[c] + 1); }
};

Geography build_geography(const GeographyParams& g, const core::Grid& grid);

// The cells of a region, in cell order: those whose centre lies inside its outline.
std::vector<CellIndex> cells_of_region(const RegionDef& r, const core::Grid& grid);

// The cells within `radius` of `centre` (Euclidean disc), centre included, each once even where a wide
// disc meets itself around a torus; in cell order.
std::vector<CellIndex> disc_cells(const core::Grid& grid, CellIndex centre, int radius);

// Chebyshev distance between two cells, the short way round a torus.
int chebyshev(const core::Grid& grid, CellIndex a, CellIndex b);

// Calls f(cell) for every cell of the square of half-side `radius` around `centre` that exists.
template <class F>
void for_each_in_square(const core::Grid& grid, CellIndex centre, int radius, F&& f) {
  if (grid.interior(centre, radius)) {  // most squares: rows of consecutive cells, no edge to test
    const auto width = static_cast<CellIndex>(grid.width());
    CellIndex row = centre - static_cast<CellIndex>(radius) * width - static_cast<CellIndex>(radius);
    for (int dy = -radius; dy <= radius; ++dy, row += width)
      for (CellIndex c = row; c <= row + static_cast<CellIndex>(2 * radius); ++c) f(c);
    return;
  }
  for (int dy = -radius; dy <= radius; ++dy)
    for (int dx = -radius; dx <= radius; ++dx)
      if (const auto c = grid.shifted(centre, dx, dy)) f(*c);
}

}  // namespace pocsim::model

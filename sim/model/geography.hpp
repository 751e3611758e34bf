#pragma once
// The map derived from a scenario's geography: region of each cell, travel cost, roads, named points,
// and where the police are. Built once when a run starts; read-only afterwards.
#include <cstdint>
#include <string>
#include <vector>

#include "core/grid.hpp"
#include "model/params.hpp"
#include "model/state.hpp"

namespace pocsim::model {

inline constexpr std::int16_t no_region = -1;
inline constexpr std::int16_t no_post = -1;

struct Geography {
  std::vector<std::int16_t> region;          // per cell: index into params.geography.regions, or no_region
  std::vector<float> travel_cost;            // per cell: cost units to cross it (per-km cost x cell_km)
  std::vector<std::uint8_t> road;            // per cell: 1 on a road
  std::vector<CellIndex> point_cell;         // per named point
  std::vector<float> police_presence;        // per cell: effective officers per cell, before interdiction
  std::vector<std::int16_t> dominant_post;   // per cell: the post contributing most presence, or no_post
  std::vector<std::vector<CellIndex>> post_cells;         // cells each post patrols
  std::vector<std::vector<CellIndex>> interdiction_cells; // cells of each interdiction target
};

Geography build_geography(const Params& p, const core::Grid& grid);

// Athena's training factor for a post's capacity: effective officers = personnel x this factor
// (proficient 1.2, full 0.9, partial 0.7, none 0.4; Athena, JPL, law-enforcement model), interpolated
// linearly over capacity 0..1 as none (0) .. proficient (1).
double training_factor(double capacity);

// The cells within `radius` of `centre` (Euclidean disc), centre included, each once even where a wide
// disc meets itself around a torus; in cell order.
std::vector<CellIndex> disc_cells(const core::Grid& grid, CellIndex centre, int radius);

}  // namespace pocsim::model

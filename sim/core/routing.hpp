#pragma once
// Least-cost paths over a grid whose cells carry a travel cost per unit of distance.
//
// Moves go to the 8 neighbours; a move costs the mean of the two cells' costs times the step length
// (1 orthogonally, sqrt 2 diagonally). A* with the octile distance times the smallest cell cost as its
// heuristic, which never overestimates, so the path is optimal. Ties are broken by cell index, so the
// same inputs give the same path on every machine.
#include <cstdint>
#include <vector>

#include "core/grid.hpp"

namespace pocsim::core {

struct Path {
  std::vector<CellIndex> cells;  // from source to target, both included; empty when unreachable
  double cost = 0;
};

// cost: one value per cell, > 0 (cells with an infinite cost are impassable).
Path least_cost_path(const Grid& grid, const std::vector<float>& cost, CellIndex from, CellIndex to);

// Cost of a given path under a cost field, by the same rule least_cost_path uses.
double path_cost(const Grid& grid, const std::vector<float>& cost, const std::vector<CellIndex>& cells);

// Up to k distinct alternative paths: after each path is found, the costs of its cells are multiplied by
// `penalty` and the search is repeated (the penalty method). Paths identical to one already found are
// dropped, so fewer than k may come back.
std::vector<Path> alternative_paths(const Grid& grid, const std::vector<float>& cost, CellIndex from, CellIndex to,
                                    int k, double penalty);

// Cells on the straight segments joining the points (Bresenham), each cell once, in order.
std::vector<CellIndex> rasterise_polyline(const Grid& grid, const std::vector<std::pair<int, int>>& points);

// Whether the cell centre (x + 0.5, y + 0.5) lies inside the polygon (even-odd rule).
bool inside_polygon(const std::vector<std::pair<int, int>>& polygon, double x, double y);

}  // namespace pocsim::core

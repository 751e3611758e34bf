#pragma once
// Least-cost paths over a grid whose cells carry a travel cost per unit of distance.
//
// Moves go to the 8 neighbours; a move costs the mean of the two cells' costs times the step length
// (1 orthogonally, sqrt 2 diagonally). The searches are A*, so the path is optimal whenever the
// heuristic never overestimates what is left to pay:
// - unguided, the octile distance times the smallest cell cost. On a large map with cheap roads this
//   bound is weak and a search explores most of the map;
// - guided by a CostToGo: the exact least cost to the target under a base field that the searched field
//   never undercuts (times a scale). Trafficking searches under travel cost plus learned risk, which is
//   never below travel cost alone, so the guide computed once from the map steers each search almost
//   straight along its route (Hart, Nilsson and Raphael 1968: a consistent heuristic closer to the true
//   cost expands no more cells).
// Among entries of equal estimate the one with more of its cost already paid is expanded first (it is
// nearer the target), then the lower cell index, so the same inputs give the same path on every
// machine. Where several paths cost the same, which of them comes back depends on the heuristic: a
// guided and an unguided search return paths of equal cost, not always the same cells.
#include <cstdint>
#include <vector>

#include "core/grid.hpp"

namespace pocsim::core {

struct Path {
  std::vector<CellIndex> cells;  // from source to target, both included; empty when unreachable
  double cost = 0;
};

// A lower bound on the cost of reaching `target` from every cell, for guiding searches towards it.
struct CostToGo {
  CellIndex target = no_cell;
  // Per cell: at most the least cost to the target under the base field it was computed from (slightly
  // below it, so that rounding never makes the bound overestimate); infinite where the target cannot be
  // reached.
  std::vector<float> bound;
};

// Dijkstra from the target over the whole grid under `base` (one value per cell, > 0; infinite cells are
// impassable). Moves cost the same in both directions, so the cost from the target is the cost to it.
CostToGo cost_to_go(const Grid& grid, const std::vector<float>& base, CellIndex target);

// A guide for a search, valid when every cell's cost is at least `scale` times its cost in the guide's
// base field: the heuristic is scale x bound.
struct Guide {
  const CostToGo* to_target = nullptr;
  double scale = 1;
};

// cost: one value per cell, > 0 (cells with an infinite cost are impassable). A guide must lead to `to`.
Path least_cost_path(const Grid& grid, const std::vector<float>& cost, CellIndex from, CellIndex to, Guide guide = {});

// Cost of a given path under a cost field, by the same rule least_cost_path uses.
double path_cost(const Grid& grid, const std::vector<float>& cost, const std::vector<CellIndex>& cells);

// Up to k distinct alternative paths: after each path is found, the costs of its cells are multiplied by
// `penalty` and the search is repeated (the penalty method). Paths identical to one already found are
// dropped, so fewer than k may come back.
// `penalty` >= 1, so a guide valid for `cost` stays valid for the penalised costs.
std::vector<Path> alternative_paths(const Grid& grid, const std::vector<float>& cost, CellIndex from, CellIndex to,
                                    int k, double penalty, Guide guide = {});

// Cells on the straight segments joining the points (Bresenham), each cell once, in order.
std::vector<CellIndex> rasterise_polyline(const Grid& grid, const std::vector<std::pair<int, int>>& points);

// Whether the cell centre (x + 0.5, y + 0.5) lies inside the polygon (even-odd rule).
bool inside_polygon(const std::vector<std::pair<int, int>>& polygon, double x, double y);

}  // namespace pocsim::core

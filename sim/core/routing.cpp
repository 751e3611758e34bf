#include "core/routing.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>
#include <stdexcept>

namespace pocsim::core {

namespace {
constexpr double sqrt2 = 1.4142135623730951;

double step_cost(const std::vector<float>& cost, CellIndex a, CellIndex b, bool diagonal) {
  return 0.5 * (static_cast<double>(cost[a]) + static_cast<double>(cost[b])) * (diagonal ? sqrt2 : 1.0);
}
}  // namespace

Path least_cost_path(const Grid& grid, const std::vector<float>& cost, CellIndex from, CellIndex to) {
  const std::size_t n = grid.cell_count();
  if (cost.size() != n) throw std::invalid_argument("least_cost_path: one cost per cell is needed");
  float min_cost = std::numeric_limits<float>::infinity();
  for (float c : cost) min_cost = std::min(min_cost, c);
  if (!(min_cost > 0)) throw std::invalid_argument("least_cost_path: cell costs must be positive");

  auto heuristic = [&](CellIndex c) {
    int dx = std::abs(grid.x_of(c) - grid.x_of(to));
    int dy = std::abs(grid.y_of(c) - grid.y_of(to));
    if (grid.topology() == Topology::torus) {
      dx = std::min(dx, grid.width() - dx);
      dy = std::min(dy, grid.height() - dy);
    }
    const int lo = std::min(dx, dy);
    const int hi = std::max(dx, dy);
    return static_cast<double>(min_cost) * ((hi - lo) + sqrt2 * lo);
  };

  std::vector<double> best(n, std::numeric_limits<double>::infinity());
  std::vector<CellIndex> came_from(n, no_cell);
  using Entry = std::pair<double, CellIndex>;  // (estimated total, cell): ties resolved by cell index
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> open;
  best[from] = 0;
  open.push({heuristic(from), from});
  while (!open.empty()) {
    const auto [estimate, c] = open.top();
    open.pop();
    if (c == to) break;
    if (estimate - heuristic(c) > best[c] + 1e-9) continue;  // a stale entry
    const bool interior = grid.interior(c, 1);  // most cells: neighbours without edge tests
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx = -1; dx <= 1; ++dx) {
        if (dx == 0 && dy == 0) continue;
        CellIndex next = c + static_cast<CellIndex>(dy * grid.width() + dx);
        if (!interior) {
          const auto shifted = grid.shifted(c, dx, dy);
          if (!shifted) continue;
          next = *shifted;
        }
        if (!std::isfinite(cost[next])) continue;
        const double g = best[c] + step_cost(cost, c, next, dx != 0 && dy != 0);
        if (g < best[next]) {
          best[next] = g;
          came_from[next] = c;
          open.push({g + heuristic(next), next});
        }
      }
  }
  Path p;
  if (!std::isfinite(best[to])) return p;
  p.cost = best[to];
  for (CellIndex c = to; c != no_cell; c = came_from[c]) p.cells.push_back(c);
  std::reverse(p.cells.begin(), p.cells.end());
  return p;
}

double path_cost(const Grid& grid, const std::vector<float>& cost, const std::vector<CellIndex>& cells) {
  double total = 0;
  for (std::size_t i = 1; i < cells.size(); ++i) {
    const bool diagonal = grid.x_of(cells[i]) != grid.x_of(cells[i - 1]) && grid.y_of(cells[i]) != grid.y_of(cells[i - 1]);
    total += step_cost(cost, cells[i - 1], cells[i], diagonal);
  }
  return total;
}

std::vector<Path> alternative_paths(const Grid& grid, const std::vector<float>& cost, CellIndex from, CellIndex to,
                                    int k, double penalty) {
  std::vector<Path> found;
  std::vector<float> penalised = cost;
  for (int attempt = 0; attempt < k; ++attempt) {
    Path p = least_cost_path(grid, penalised, from, to);
    if (p.cells.empty()) break;
    for (CellIndex c : p.cells) penalised[c] = static_cast<float>(penalised[c] * penalty);
    p.cost = path_cost(grid, cost, p.cells);  // report the true cost, not the penalised one
    const bool duplicate = std::any_of(found.begin(), found.end(), [&](const Path& q) { return q.cells == p.cells; });
    if (!duplicate) found.push_back(std::move(p));
  }
  return found;
}

std::vector<CellIndex> rasterise_polyline(const Grid& grid, const std::vector<std::pair<int, int>>& points) {
  std::vector<CellIndex> cells;
  auto add = [&](int x, int y) {
    if (x < 0 || y < 0 || x >= grid.width() || y >= grid.height()) return;
    const CellIndex c = grid.index(x, y);
    if (cells.empty() || cells.back() != c) cells.push_back(c);
  };
  for (std::size_t i = 0; i + 1 < points.size(); ++i) {
    auto [x0, y0] = points[i];
    const auto [x1, y1] = points[i + 1];
    const int dx = std::abs(x1 - x0);
    const int dy = -std::abs(y1 - y0);
    const int sx = x0 < x1 ? 1 : -1;
    const int sy = y0 < y1 ? 1 : -1;
    int err = dx + dy;
    while (true) {
      add(x0, y0);
      if (x0 == x1 && y0 == y1) break;
      const int e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x0 += sx;
      }
      if (e2 <= dx) {
        err += dx;
        y0 += sy;
      }
    }
  }
  if (points.size() == 1) add(points[0].first, points[0].second);
  return cells;
}

bool inside_polygon(const std::vector<std::pair<int, int>>& polygon, double x, double y) {
  bool inside = false;
  for (std::size_t i = 0, j = polygon.size() - 1; i < polygon.size(); j = i++) {
    const double xi = polygon[i].first, yi = polygon[i].second;
    const double xj = polygon[j].first, yj = polygon[j].second;
    if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

}  // namespace pocsim::core

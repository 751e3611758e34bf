#include "core/routing.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>

#include "core/open_list.hpp"

namespace pocsim::core {

namespace {
constexpr double sqrt2 = 1.4142135623730951;
constexpr double infinity = std::numeric_limits<double>::infinity();

double step_cost(const std::vector<float>& cost, CellIndex a, CellIndex b, bool diagonal) {
  return 0.5 * (static_cast<double>(cost[a]) + static_cast<double>(cost[b])) * (diagonal ? sqrt2 : 1.0);
}

// Calls f(neighbour, diagonal) for each of the 8 neighbours of c that exists.
template <class F>
void for_each_neighbour(const Grid& grid, CellIndex c, F&& f) {
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
      f(next, dx != 0 && dy != 0);
    }
}

void require_one_cost_per_cell(const Grid& grid, const std::vector<float>& cost, const char* who) {
  if (cost.size() != grid.cell_count()) throw std::invalid_argument(std::string(who) + ": one cost per cell is needed");
}

// Per-cell search memory, kept between searches on a thread: a guided search touches a few thousand
// cells, and filling fresh million-cell buffers would cost more than the search. Only the cells a search
// touched are reset after it. A cell's cost and predecessor sit together: one cache line per visit.
struct SearchMemory {
  struct Cell {
    double paid = infinity;  // least cost found so far from the source
    CellIndex came_from = no_cell;
  };
  std::vector<Cell> cells;
  std::vector<CellIndex> touched;
  BucketQueue open;
  bool in_use = false;

  void prepare(std::size_t n) {
    if (cells.size() == n) return;
    cells.assign(n, Cell{});
    touched.clear();
  }
  void record(CellIndex c, double cost, CellIndex parent) {
    if (cells[c].paid == infinity) touched.push_back(c);
    cells[c] = {cost, parent};
  }
  void reset() {
    for (CellIndex c : touched) cells[c] = Cell{};
    touched.clear();
  }
};

// The calling thread's search memory, or a private one if a search is already using it (a search
// started from inside another on the same thread).
class SearchLease {
 public:
  explicit SearchLease(std::size_t cells) : memory_(&shared()) {
    if (memory_->in_use) memory_ = &own_.emplace();
    memory_->in_use = true;
    memory_->prepare(cells);
  }
  ~SearchLease() {
    memory_->reset();
    memory_->in_use = false;
  }
  SearchLease(const SearchLease&) = delete;
  SearchLease& operator=(const SearchLease&) = delete;
  SearchMemory& operator*() const { return *memory_; }

 private:
  static SearchMemory& shared() {
    thread_local SearchMemory memory;
    return memory;
  }
  std::optional<SearchMemory> own_;
  SearchMemory* memory_;
};

// A* from `from` to `to`; heuristic(c) never overestimates the cost from c to `to` (infinite where `to`
// cannot be reached).
template <class Heuristic>
Path a_star(const Grid& grid, const std::vector<float>& cost, CellIndex from, CellIndex to, Heuristic&& heuristic) {
  SearchLease lease(grid.cell_count());
  SearchMemory& m = *lease;
  BucketQueue& open = m.open;
  const double first_estimate = heuristic(from);
  // Buckets a 1024th of the first estimate wide: a guided search's estimates run from it to a few times it.
  const double fallback_width = std::isfinite(cost[from]) && cost[from] > 0 ? static_cast<double>(cost[from]) : 1.0;
  open.reset(first_estimate, first_estimate > 0 && std::isfinite(first_estimate) ? first_estimate / 1024 : fallback_width);
  if (std::isfinite(first_estimate)) {
    m.record(from, 0, no_cell);
    open.push({first_estimate, 0, from});
  }
  while (!open.empty()) {
    const OpenEntry e = open.pop();
    if (e.paid > m.cells[e.cell].paid) continue;  // a stale entry
    if (e.cell == to) break;
    for_each_neighbour(grid, e.cell, [&](CellIndex next, bool diagonal) {
      if (!std::isfinite(cost[next])) return;
      if (!(cost[next] > 0)) throw std::invalid_argument("least_cost_path: cell costs must be positive");
      const double paid = e.paid + step_cost(cost, e.cell, next, diagonal);
      if (paid >= m.cells[next].paid) return;
      const double left = heuristic(next);
      if (!std::isfinite(left)) return;  // the target cannot be reached from there
      m.record(next, paid, e.cell);
      open.push({paid + left, paid, next});
    });
  }
  Path p;
  if (!std::isfinite(m.cells[to].paid)) return p;
  p.cost = m.cells[to].paid;
  for (CellIndex c = to; c != no_cell; c = m.cells[c].came_from) p.cells.push_back(c);
  std::reverse(p.cells.begin(), p.cells.end());
  return p;
}
}  // namespace

CostToGo cost_to_go(const Grid& grid, const std::vector<float>& base, CellIndex target) {
  require_one_cost_per_cell(grid, base, "cost_to_go");
  const std::size_t n = grid.cell_count();
  if (target >= n) throw std::invalid_argument("cost_to_go: the target is not a cell of the grid");
  std::vector<double> least(n, infinity);
  OpenQueue open;  // no heuristic: the estimate is the cost paid
  least[target] = 0;
  open.push({0.0, 0.0, target});
  while (!open.empty()) {
    const OpenEntry e = open.pop();
    if (e.paid > least[e.cell]) continue;
    for_each_neighbour(grid, e.cell, [&](CellIndex next, bool diagonal) {
      if (!std::isfinite(base[next])) return;
      if (!(base[next] > 0)) throw std::invalid_argument("cost_to_go: cell costs must be positive");
      const double through = e.paid + step_cost(base, e.cell, next, diagonal);
      if (through < least[next]) {
        least[next] = through;
        open.push({through, through, next});
      }
    });
  }
  // Shaved by a millionth before rounding to float (whose rounding moves a value by at most 6e-8 of it),
  // so the bound stays below the cost it stands for; the margin also covers callers whose costs match
  // scale x base only to float precision.
  CostToGo guide{target, std::vector<float>(n)};
  for (std::size_t c = 0; c < n; ++c)
    guide.bound[c] = std::isfinite(least[c]) ? static_cast<float>(least[c] * (1 - 1e-6)) : std::numeric_limits<float>::infinity();
  return guide;
}

Path least_cost_path(const Grid& grid, const std::vector<float>& cost, CellIndex from, CellIndex to, Guide guide) {
  require_one_cost_per_cell(grid, cost, "least_cost_path");
  if (guide.to_target) {
    if (guide.to_target->target != to) throw std::invalid_argument("least_cost_path: the guide leads to another cell");
    if (!(guide.scale >= 0)) throw std::invalid_argument("least_cost_path: a guide's scale must be >= 0");
    const std::vector<float>& bound = guide.to_target->bound;
    return a_star(grid, cost, from, to, [&](CellIndex c) { return guide.scale * static_cast<double>(bound[c]); });
  }
  float min_cost = std::numeric_limits<float>::infinity();
  for (float c : cost) min_cost = std::min(min_cost, c);
  if (!(min_cost > 0)) throw std::invalid_argument("least_cost_path: cell costs must be positive");
  return a_star(grid, cost, from, to, [&](CellIndex c) {
    int dx = std::abs(grid.x_of(c) - grid.x_of(to));
    int dy = std::abs(grid.y_of(c) - grid.y_of(to));
    if (grid.topology() == Topology::torus) {
      dx = std::min(dx, grid.width() - dx);
      dy = std::min(dy, grid.height() - dy);
    }
    const int lo = std::min(dx, dy);
    const int hi = std::max(dx, dy);
    return static_cast<double>(min_cost) * ((hi - lo) + sqrt2 * lo);
  });
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
                                    int k, double penalty, Guide guide) {
  if (!(penalty >= 1)) throw std::invalid_argument("alternative_paths: the penalty must be >= 1");
  std::vector<Path> found;
  std::vector<float> penalised = cost;
  for (int attempt = 0; attempt < k; ++attempt) {
    Path p = least_cost_path(grid, penalised, from, to, guide);
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

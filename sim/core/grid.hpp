#pragma once
// A rectangular grid of cells, bounded or wrapped into a torus, and the neighbourhoods agents see.
//
// Cells are numbered row-major (index = y * width + x). Every neighbourhood shape used here is
// row-convex, so a neighbourhood is stored both as a list of offsets (for scans that visit cells) and
// as one span of columns per row (for scans that read whole runs of a row at once).
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/names.hpp"

namespace pocsim::core {

using CellIndex = std::uint32_t;
inline constexpr CellIndex no_cell = UINT32_MAX;

enum class Topology : std::uint8_t { torus, bounded };
constexpr auto enum_names(Topology) { return std::to_array<std::string_view>({"torus", "bounded"}); }
enum class NeighbourhoodShape : std::uint8_t { euclidean, von_neumann, moore };
constexpr auto enum_names(NeighbourhoodShape) { return std::to_array<std::string_view>({"euclidean", "von_neumann", "moore"}); }

struct Offset {
  int dx;
  int dy;
};

// Columns dx_min..dx_max (inclusive) of row dy.
struct RowSpan {
  int dy;
  int dx_min;
  int dx_max;
};

class Neighbourhood {
 public:
  // All cells within `radius` of the centre under `shape`, the centre itself excluded from offsets()
  // and included in rows() (callers that scan rows skip or subtract the centre themselves).
  Neighbourhood(NeighbourhoodShape shape, int radius);

  [[nodiscard]] const std::vector<Offset>& offsets() const { return offsets_; }
  [[nodiscard]] const std::vector<RowSpan>& rows() const { return rows_; }
  [[nodiscard]] int radius() const { return radius_; }
  [[nodiscard]] NeighbourhoodShape shape() const { return shape_; }

 private:
  NeighbourhoodShape shape_;
  int radius_;
  std::vector<Offset> offsets_;
  std::vector<RowSpan> rows_;
};

class Grid {
 public:
  Grid(int width, int height, Topology topology);

  [[nodiscard]] int width() const { return width_; }
  [[nodiscard]] int height() const { return height_; }
  [[nodiscard]] Topology topology() const { return topology_; }
  [[nodiscard]] std::size_t cell_count() const { return static_cast<std::size_t>(width_) * height_; }

  [[nodiscard]] CellIndex index(int x, int y) const { return static_cast<CellIndex>(y) * width_ + x; }
  [[nodiscard]] int x_of(CellIndex c) const { return static_cast<int>(c - static_cast<CellIndex>(y_of(c)) * width_); }
  [[nodiscard]] int y_of(CellIndex c) const { return static_cast<int>(c / width_); }

  // The cell at (x+dx, y+dy): wrapped on a torus, absent outside a bounded grid.
  [[nodiscard]] std::optional<CellIndex> shifted(CellIndex c, int dx, int dy) const;

  // Whether a neighbourhood of this radius fits without visiting a cell twice (always on a bounded grid).
  [[nodiscard]] bool fits_without_overlap(int radius) const;

  // Calls f(cell) for each cell of the neighbourhood around c (centre excluded), in offset order.
  template <class F>
  void for_each_neighbour(CellIndex c, const Neighbourhood& n, F&& f) const {
    const int x = x_of(c);
    const int y = y_of(c);
    for (const Offset& o : n.offsets()) {
      int nx = x + o.dx;
      int ny = y + o.dy;
      if (topology_ == Topology::torus) {
        nx = wrap(nx, width_);
        ny = wrap(ny, height_);
      } else if (nx < 0 || ny < 0 || nx >= width_ || ny >= height_) {
        continue;
      }
      f(index(nx, ny));
    }
  }

  // Calls f(y, x_first, x_last) for each run of consecutive cells in one row that the neighbourhood
  // around c covers, the centre included. Runs cut by a torus edge come as two pieces; cells outside a
  // bounded grid are left out.
  template <class F>
  void for_each_row_span(CellIndex c, const Neighbourhood& n, F&& f) const {
    const int x = x_of(c);
    const int y = y_of(c);
    for (const RowSpan& s : n.rows()) {
      int ry = y + s.dy;
      int x0 = x + s.dx_min;
      int x1 = x + s.dx_max;
      if (topology_ == Topology::torus) {
        ry = wrap(ry, height_);
        if (x0 < 0) {
          f(ry, x0 + width_, width_ - 1);
          x0 = 0;
        } else if (x1 >= width_) {
          f(ry, 0, x1 - width_);
          x1 = width_ - 1;
        }
      } else {
        if (ry < 0 || ry >= height_) continue;
        x0 = x0 < 0 ? 0 : x0;
        x1 = x1 >= width_ ? width_ - 1 : x1;
        if (x0 > x1) continue;
      }
      f(ry, x0, x1);
    }
  }

  // The same runs as f(first_cell, length). Scans over runs read memory contiguously, which compilers
  // vectorise.
  template <class F>
  void for_each_run(CellIndex c, const Neighbourhood& n, F&& f) const {
    for_each_row_span(c, n, [&](int y, int x0, int x1) { f(index(x0, y), x1 - x0 + 1); });
  }

  // Whether every cell within Chebyshev distance `radius` of c is on the grid without wrapping, so that
  // the cell at offset (dx, dy) is simply c + dy * width + dx.
  [[nodiscard]] bool interior(CellIndex c, int radius) const {
    const int x = x_of(c);
    const int y = y_of(c);
    return x >= radius && y >= radius && x < width_ - radius && y < height_ - radius;
  }

  // v modulo n in [0, n). Neighbourhood offsets never reach past one grid width, so the branches
  // answer almost every call without the integer division a plain % costs.
  static int wrap(int v, int n) {
    if (v >= 0) return v < n ? v : (v < 2 * n ? v - n : v % n);
    if (v >= -n) return v + n;
    const int r = v % n;
    return r < 0 ? r + n : r;
  }

 private:
  int width_;
  int height_;
  Topology topology_;
};


}  // namespace pocsim::core

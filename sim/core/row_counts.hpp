#pragma once
// Running counts of two classes of cells along each row of a grid, so that counting both over a
// neighbourhood costs two reads per row run instead of one per cell (a vision disc of radius 7 is 149
// cells in 15 runs). Rebuilding is one pass over the grid, worth it when every agent then counts.
//
// Both counts share one 32-bit word per cell (class a in the high half, class b in the low half):
// half the memory, and one read serves both. A row's running count of either class cannot exceed the
// row's length, so grids wider than max_width cannot use this table.
#include <cstdint>
#include <vector>

#include "core/grid.hpp"
#include "core/parallel.hpp"

namespace pocsim::core {

class RowCounts {
 public:
  static constexpr int max_width = 0xFFFF;

  struct Counts {
    std::uint32_t a = 0;
    std::uint32_t b = 0;
  };

  [[nodiscard]] static bool fits(const Grid& g) { return g.width() <= max_width; }

  // Counts from codes[cell] for every cell; is_a and is_b classify a code. Rows are independent, so they
  // are rebuilt in parallel. Requires fits(g).
  template <class Code, class IsA, class IsB>
  void rebuild(const Grid& g, const Code* codes, IsA is_a, IsB is_b) {
    stride_ = static_cast<std::size_t>(g.width()) + 1;
    prefix_.resize(stride_ * static_cast<std::size_t>(g.height()));
    const auto width = static_cast<std::size_t>(g.width());
    parallel_for(static_cast<std::size_t>(g.height()), [&](std::size_t y) {
      const Code* row = codes + y * width;
      std::uint32_t* out = prefix_.data() + y * stride_;
      std::uint32_t running = 0;
      out[0] = 0;
      for (std::size_t x = 0; x < width; ++x) {
        running += (static_cast<std::uint32_t>(is_a(row[x])) << 16) | static_cast<std::uint32_t>(is_b(row[x]));
        out[x + 1] = running;
      }
    }, 16);
  }

  // Cells of each class in the neighbourhood n around c, the centre included (as Grid::for_each_run).
  [[nodiscard]] Counts around(const Grid& g, CellIndex c, const Neighbourhood& n) const {
    Counts sum;
    g.for_each_row_span(c, n, [&](int y, int x0, int x1) {
      const std::uint32_t* row = prefix_.data() + static_cast<std::size_t>(y) * stride_;
      // Both halves only grow along a row, so the low half never borrows from the high half.
      const std::uint32_t d = row[x1 + 1] - row[x0];
      sum.a += d >> 16;
      sum.b += d & 0xFFFFu;
    });
    return sum;
  }

  [[nodiscard]] std::size_t bytes() const { return prefix_.size() * sizeof(std::uint32_t); }

 private:
  std::size_t stride_ = 0;               // width + 1: each row starts with a zero
  std::vector<std::uint32_t> prefix_;    // prefix_[y * stride_ + x]: counts of cells [0, x) of row y
};

}  // namespace pocsim::core

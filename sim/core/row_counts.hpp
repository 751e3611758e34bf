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
    // Adds a difference of two running counts of one row. Both halves only grow along a row, so the low
    // half never borrows from the high half.
    void add(std::uint32_t packed) {
      a += packed >> 16;
      b += packed & 0xFFFFu;
    }
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
      sum.add(row[x1 + 1] - row[x0]);
    });
    return sum;
  }

  // around() for one neighbourhood, with the two reads of each row precomputed as offsets from the
  // centre's entry: where the neighbourhood lies inside the grid (most cells of a large grid), a count is
  // a fixed list of reads with no edge tests. Valid while the table it was made from is not rebuilt with
  // another width.
  class Window {
   public:
    Window(const RowCounts& table, const Grid& g, const Neighbourhood& n) : table_(table), grid_(g), n_(n) {
      const auto stride = static_cast<std::ptrdiff_t>(table.stride_);
      for (const RowSpan& s : n.rows()) {
        first_.push_back(s.dy * stride + s.dx_min);
        past_.push_back(s.dy * stride + s.dx_max + 1);
      }
    }
    [[nodiscard]] Counts around(CellIndex c) const {
      if (!grid_.interior(c, n_.radius())) return table_.around(grid_, c, n_);
      const std::uint32_t* centre = table_.prefix_.data() + static_cast<std::size_t>(grid_.y_of(c)) * table_.stride_ +
                                    static_cast<std::size_t>(grid_.x_of(c));
      Counts sum;
      for (std::size_t k = 0; k < first_.size(); ++k) sum.add(centre[past_[k]] - centre[first_[k]]);
      return sum;
    }

   private:
    const RowCounts& table_;
    const Grid& grid_;
    const Neighbourhood& n_;
    std::vector<std::ptrdiff_t> first_;  // per row of the neighbourhood: offset of its first cell's entry
    std::vector<std::ptrdiff_t> past_;   // and of the entry past its last cell
  };

  [[nodiscard]] std::size_t bytes() const { return prefix_.size() * sizeof(std::uint32_t); }

 private:
  std::size_t stride_ = 0;               // width + 1: each row starts with a zero
  std::vector<std::uint32_t> prefix_;    // prefix_[y * stride_ + x]: counts of cells [0, x) of row y
};

}  // namespace pocsim::core

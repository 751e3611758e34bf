#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "core/grid.hpp"
#include "core/row_counts.hpp"

using namespace pocsim::core;

TEST_CASE("grid indexes cells row-major and wraps or clips shifts", "[grid]") {
  const Grid torus(5, 4, Topology::torus);
  CHECK(torus.cell_count() == 20);
  CHECK(torus.index(3, 2) == 13);
  CHECK(torus.x_of(13) == 3);
  CHECK(torus.y_of(13) == 2);
  CHECK(torus.shifted(torus.index(0, 0), -1, -1) == torus.index(4, 3));
  CHECK(torus.shifted(torus.index(4, 3), 1, 1) == torus.index(0, 0));
  const Grid bounded(5, 4, Topology::bounded);
  CHECK_FALSE(bounded.shifted(bounded.index(0, 0), -1, 0).has_value());
  CHECK(bounded.shifted(bounded.index(1, 1), 1, 2) == bounded.index(2, 3));
  CHECK_THROWS(Grid(0, 3, Topology::torus));
}

TEST_CASE("neighbourhood shapes have the textbook sizes", "[grid]") {
  for (int r : {0, 1, 2, 7}) {
    CHECK(Neighbourhood(NeighbourhoodShape::moore, r).offsets().size() == static_cast<std::size_t>((2 * r + 1) * (2 * r + 1) - 1));
    CHECK(Neighbourhood(NeighbourhoodShape::von_neumann, r).offsets().size() == static_cast<std::size_t>(2 * r * (r + 1)));
  }
  // Lattice points with dx^2 + dy^2 <= 49: 149 (Gauss circle problem, N(7) = 149), centre excluded.
  CHECK(Neighbourhood(NeighbourhoodShape::euclidean, 7).offsets().size() == 148);
  CHECK(Neighbourhood(NeighbourhoodShape::euclidean, 1).offsets().size() == 4);
}

TEST_CASE("a torus neighbourhood fits only when it cannot meet itself", "[grid]") {
  CHECK(Grid(40, 40, Topology::torus).fits_without_overlap(19));
  CHECK_FALSE(Grid(40, 40, Topology::torus).fits_without_overlap(20));
  CHECK(Grid(40, 40, Topology::bounded).fits_without_overlap(500));
}

namespace {
std::multiset<CellIndex> cells_by_offsets(const Grid& g, CellIndex c, const Neighbourhood& n) {
  std::multiset<CellIndex> s{c};
  g.for_each_neighbour(c, n, [&](CellIndex x) { s.insert(x); });
  return s;
}
std::multiset<CellIndex> cells_by_runs(const Grid& g, CellIndex c, const Neighbourhood& n) {
  std::multiset<CellIndex> s;
  g.for_each_run(c, n, [&](CellIndex first, int len) {
    for (int i = 0; i < len; ++i) s.insert(first + static_cast<CellIndex>(i));
  });
  return s;
}
}  // namespace

TEST_CASE("runs and offsets visit the same cells, at edges and corners too", "[grid]") {
  for (Topology t : {Topology::torus, Topology::bounded}) {
    const Grid g(11, 9, t);
    for (auto shape : {NeighbourhoodShape::moore, NeighbourhoodShape::von_neumann, NeighbourhoodShape::euclidean}) {
      const Neighbourhood n(shape, 3);
      for (CellIndex c = 0; c < g.cell_count(); ++c) {
        INFO("topology " << to_string(t) << ", shape " << to_string(shape) << ", cell " << c);
        REQUIRE(cells_by_offsets(g, c, n) == cells_by_runs(g, c, n));
      }
    }
  }
}

TEST_CASE("row counts give the cell-by-cell counts of a neighbourhood, edges and wrapping included", "[grid]") {
  for (const Topology topology : {Topology::bounded, Topology::torus})
    for (const NeighbourhoodShape shape : {NeighbourhoodShape::euclidean, NeighbourhoodShape::moore, NeighbourhoodShape::von_neumann}) {
      const Grid g(23, 17, topology);
      const Neighbourhood n(shape, 5);
      std::vector<std::uint8_t> code(g.cell_count());
      for (std::size_t c = 0; c < code.size(); ++c) code[c] = static_cast<std::uint8_t>((c * 7919u + c / 5) % 3);
      RowCounts counts;
      counts.rebuild(g, code.data(), [](std::uint8_t k) { return k == 1; }, [](std::uint8_t k) { return k == 2; });
      for (CellIndex c = 0; c < g.cell_count(); ++c) {
        std::uint32_t ones = 0, twos = 0;
        g.for_each_neighbour(c, n, [&](CellIndex v) {
          ones += code[v] == 1;
          twos += code[v] == 2;
        });
        ones += code[c] == 1;  // the counts include the centre
        twos += code[c] == 2;
        const RowCounts::Counts seen = counts.around(g, c, n);
        REQUIRE(seen.a == ones);
        REQUIRE(seen.b == twos);
        const RowCounts::Counts windowed = RowCounts::Window(counts, g, n).around(c);  // interior cells take a shortcut
        REQUIRE(windowed.a == ones);
        REQUIRE(windowed.b == twos);
      }
    }
}

TEST_CASE("interior cells reach every offset without wrapping", "[grid]") {
  const Grid g(20, 10, Topology::torus);
  CHECK(g.interior(g.index(3, 3), 3));
  CHECK_FALSE(g.interior(g.index(2, 3), 3));
  CHECK(g.interior(g.index(16, 3), 3));  // x + 3 = 19, the last column
  CHECK_FALSE(g.interior(g.index(17, 3), 3));
  CHECK(g.interior(g.index(16, 6), 3));
  CHECK_FALSE(g.interior(g.index(16, 7), 3));
}

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <utility>
#include <vector>

#include "core/grid.hpp"
#include "core/open_list.hpp"
#include "core/rng.hpp"
#include "core/routing.hpp"

using namespace pocsim::core;

namespace {
constexpr double inf = std::numeric_limits<double>::infinity();

// The textbook Dijkstra, written apart from the library's search (an ordered set, shifted() for every
// neighbour): least cost from `from` to every cell under the same move rule.
std::vector<double> reference_costs(const Grid& g, const std::vector<float>& cost, CellIndex from) {
  std::vector<double> least(g.cell_count(), inf);
  std::set<std::pair<double, CellIndex>> open;
  least[from] = 0;
  open.insert({0.0, from});
  while (!open.empty()) {
    const auto [paid, c] = *open.begin();
    open.erase(open.begin());
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx = -1; dx <= 1; ++dx) {
        if (dx == 0 && dy == 0) continue;
        const auto next = g.shifted(c, dx, dy);
        if (!next || !std::isfinite(cost[*next])) continue;
        const double step = 0.5 * (double(cost[c]) + double(cost[*next])) * (dx != 0 && dy != 0 ? std::sqrt(2.0) : 1.0);
        if (paid + step < least[*next]) {
          open.erase({least[*next], *next});
          least[*next] = paid + step;
          open.insert({least[*next], *next});
        }
      }
  }
  return least;
}

// A path is a chain of neighbouring passable cells from `from` to `to` whose reported cost is its cost.
void check_is_path(const Grid& g, const std::vector<float>& cost, const Path& p, CellIndex from, CellIndex to) {
  REQUIRE_FALSE(p.cells.empty());
  CHECK(p.cells.front() == from);
  CHECK(p.cells.back() == to);
  for (std::size_t i = 1; i < p.cells.size(); ++i) {
    bool neighbours = false;
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx = -1; dx <= 1; ++dx)
        if ((dx != 0 || dy != 0) && g.shifted(p.cells[i - 1], dx, dy) == p.cells[i]) neighbours = true;
    CHECK(neighbours);
    CHECK(std::isfinite(cost[p.cells[i]]));
  }
  CHECK(p.cost == Approx(path_cost(g, cost, p.cells)).epsilon(1e-12));
}

// Costs between 1 and 10 with a share of impassable cells.
std::vector<float> random_costs(const Grid& g, Draws& rng, double impassable) {
  std::vector<float> cost(g.cell_count());
  for (auto& c : cost)
    c = rng.uniform() < impassable ? std::numeric_limits<float>::infinity() : static_cast<float>(1 + 9 * rng.uniform());
  return cost;
}
}  // namespace

TEST_CASE("least-cost paths: optimal on small grids, roads attract, large maps are routed", "[routing]") {
  const Grid g(30, 20, Topology::bounded);
  std::vector<float> cost(g.cell_count(), 10.0f);
  const auto straight = least_cost_path(g, cost, g.index(0, 10), g.index(29, 10));
  CHECK(straight.cells.size() == 30);
  CHECK(straight.cost == Approx(29 * 10.0));
  // A cheap road along row 2 is worth the detour.
  for (int x = 0; x < 30; ++x) cost[g.index(x, 2)] = 1.0f;
  const auto via_road = least_cost_path(g, cost, g.index(0, 10), g.index(29, 10));
  CHECK(via_road.cost < straight.cost);
  CHECK(std::count_if(via_road.cells.begin(), via_road.cells.end(), [&](auto c) { return g.y_of(c) == 2; }) > 15);
  CHECK(via_road.cost == Approx(path_cost(g, cost, via_road.cells)));
  const auto two = alternative_paths(g, cost, g.index(0, 10), g.index(29, 10), 2, 3.0);
  CHECK(two.size() == 2);
  CHECK(two[0].cells != two[1].cells);
  // A 1000 x 1000 map routes corner to corner.
  const Grid big(1000, 1000, Topology::bounded);
  std::vector<float> terrain(big.cell_count(), 1.0f);
  const auto far = least_cost_path(big, terrain, big.index(0, 0), big.index(999, 999));
  CHECK(far.cells.size() == 1000);
  CHECK(far.cost == Approx(999 * 1.4142135623730951));
}

TEST_CASE("a wall with one gap: the only route goes through the gap, at the cost worked out by hand", "[routing]") {
  // 9 x 9, unit costs, a wall down column 4 open only at row 8. From (0,0) to (8,0): 8 rows down to the
  // gap while 4 columns across (4 diagonal and 4 straight steps), and the mirror image back up:
  // 8 sqrt 2 + 8.
  const Grid g(9, 9, Topology::bounded);
  std::vector<float> cost(g.cell_count(), 1.0f);
  for (int y = 0; y < 8; ++y) cost[g.index(4, y)] = std::numeric_limits<float>::infinity();
  const CellIndex from = g.index(0, 0), to = g.index(8, 0);
  const CostToGo guide = cost_to_go(g, cost, to);
  for (const Guide& with : {Guide{}, Guide{&guide, 1.0}}) {
    const Path p = least_cost_path(g, cost, from, to, with);
    check_is_path(g, cost, p, from, to);
    CHECK(p.cost == Approx(8 * std::sqrt(2.0) + 8));
    CHECK(std::find(p.cells.begin(), p.cells.end(), g.index(4, 8)) != p.cells.end());
  }
  // Close the gap: nothing comes back, guided or not, and the guide knows the source is cut off.
  cost[g.index(4, 8)] = std::numeric_limits<float>::infinity();
  const CostToGo closed = cost_to_go(g, cost, to);
  CHECK(std::isinf(closed.bound[from]));
  CHECK(least_cost_path(g, cost, from, to).cells.empty());
  CHECK(least_cost_path(g, cost, from, to, {&closed, 1.0}).cells.empty());
}

TEST_CASE("cost-to-go fields are the least cost to the target, from just below", "[routing]") {
  Draws rng = RandomStream(11, "test.routing").at(0, 0);
  for (const Topology topology : {Topology::bounded, Topology::torus}) {
    const Grid g(23, 17, topology);
    const std::vector<float> cost = random_costs(g, rng, 0.2);
    const CellIndex target = g.index(11, 8);
    std::vector<float> passable = cost;
    passable[target] = 3.0f;  // the target itself must be passable for the comparison
    const CostToGo field = cost_to_go(g, passable, target);
    CHECK(field.target == target);
    const std::vector<double> least = reference_costs(g, passable, target);
    for (CellIndex c = 0; c < g.cell_count(); ++c) {
      if (!std::isfinite(least[c])) {
        CHECK(std::isinf(field.bound[c]));
        continue;
      }
      CHECK(double(field.bound[c]) <= least[c]);
      CHECK(double(field.bound[c]) >= least[c] * (1 - 2e-6));
    }
  }
}

TEST_CASE("guided and unguided searches find the least cost a reference Dijkstra finds, on random maps", "[routing]") {
  Draws rng = RandomStream(12, "test.routing").at(0, 0);
  for (const Topology topology : {Topology::bounded, Topology::torus}) {
    for (int map = 0; map < 20; ++map) {
      const Grid g(31, 19, topology);
      const std::vector<float> base = random_costs(g, rng, 0.25);
      // The searched field is a scale of the base plus extra costs somewhere (as expected risk adds to
      // travel), so the guide computed from the base stays a lower bound.
      const double scale = 0.5 + rng.uniform();
      std::vector<float> searched(base.size());
      for (std::size_t c = 0; c < base.size(); ++c)
        searched[c] = static_cast<float>(scale * base[c] + (rng.uniform() < 0.3 ? 20 * rng.uniform() : 0.0));
      auto passable_cell = [&] {
        while (true) {
          const auto c = static_cast<CellIndex>(rng.uniform() * double(g.cell_count()));
          if (c < g.cell_count() && std::isfinite(base[c])) return c;
        }
      };
      const CellIndex from = passable_cell(), to = passable_cell();
      const CostToGo guide = cost_to_go(g, base, to);
      const std::vector<double> least = reference_costs(g, searched, from);
      const Path unguided = least_cost_path(g, searched, from, to);
      const Path guided = least_cost_path(g, searched, from, to, {&guide, scale});
      if (!std::isfinite(least[to])) {
        CHECK(unguided.cells.empty());
        CHECK(guided.cells.empty());
        continue;
      }
      check_is_path(g, searched, unguided, from, to);
      check_is_path(g, searched, guided, from, to);
      CHECK(unguided.cost == Approx(least[to]).epsilon(1e-12));
      CHECK(guided.cost == Approx(least[to]).epsilon(1e-12));
      // Alternative paths under a guide: distinct, each a real path, the first the least-cost one.
      const auto alternatives = alternative_paths(g, searched, from, to, 3, 3.0, {&guide, scale});
      REQUIRE_FALSE(alternatives.empty());
      CHECK(alternatives[0].cost == Approx(least[to]).epsilon(1e-12));
      for (std::size_t i = 0; i < alternatives.size(); ++i) {
        check_is_path(g, searched, alternatives[i], from, to);
        for (std::size_t j = 0; j < i; ++j) CHECK(alternatives[i].cells != alternatives[j].cells);
      }
    }
  }
}

TEST_CASE("a guide to another target, a negative scale or a penalty below 1 is refused", "[routing][errors]") {
  const Grid g(8, 8, Topology::bounded);
  const std::vector<float> cost(g.cell_count(), 1.0f);
  const CostToGo to_corner = cost_to_go(g, cost, g.index(7, 7));
  CHECK_THROWS_WITH(least_cost_path(g, cost, g.index(0, 0), g.index(7, 0), {&to_corner, 1.0}),
                    "least_cost_path: the guide leads to another cell");
  CHECK_THROWS_WITH(least_cost_path(g, cost, g.index(0, 0), g.index(7, 7), {&to_corner, -1.0}),
                    "least_cost_path: a guide's scale must be >= 0");
  CHECK_THROWS_WITH(alternative_paths(g, cost, g.index(0, 0), g.index(7, 7), 2, 0.5),
                    "alternative_paths: the penalty must be >= 1");
  CHECK_THROWS_WITH(cost_to_go(g, std::vector<float>(3, 1.0f), 0), "cost_to_go: one cost per cell is needed");
  std::vector<float> zero = cost;
  zero[g.index(3, 3)] = 0;
  CHECK_THROWS_WITH(cost_to_go(g, zero, 0), "cost_to_go: cell costs must be positive");
  CHECK_THROWS_WITH(least_cost_path(g, zero, g.index(0, 0), g.index(7, 7)), "least_cost_path: cell costs must be positive");
}

TEST_CASE("the bucketed open list gives entries back in exactly a heap's order", "[routing]") {
  // Entries pushed as a search pushes them: estimates mostly at or above the last taken, some below it
  // (rounding does it by a little; any amount must work), some far beyond the buckets' range (spread
  // again when reached), ties in estimate and paid.
  Draws rng = RandomStream(13, "test.open_list").at(0, 0);
  for (int trial = 0; trial < 10; ++trial) {
    BucketQueue buckets;
    OpenQueue heap;
    const double origin = 100 * (1 + rng.uniform());
    buckets.reset(origin, origin / 1024);
    double last = origin;
    CellIndex next_cell = 0;
    auto push = [&](const OpenEntry& e) {
      buckets.push(e);
      heap.push(e);
    };
    push({origin, 0, next_cell++});
    std::size_t taken = 0, out_of_order = 0;
    while (!heap.empty()) {
      REQUIRE_FALSE(buckets.empty());
      const OpenEntry want = heap.pop();
      const OpenEntry got = buckets.pop();
      out_of_order += got.estimate != want.estimate || got.paid != want.paid || got.cell != want.cell;
      last = want.estimate;
      if (++taken > 5000) continue;  // then drain
      const int children = 1 + static_cast<int>(rng.uniform() * 7);
      for (int k = 0; k < children; ++k) {
        const double u = rng.uniform();
        const double estimate = u < 0.05   ? last - origin * 0.005 * rng.uniform()  // below the last taken
                                : u < 0.1  ? last * (5 + 20 * rng.uniform())  // far beyond the buckets
                                : u < 0.3  ? last                              // a tie in estimate
                                           : last + origin * 0.01 * rng.uniform();
        const double paid = std::floor(10 * rng.uniform());  // ties in paid too
        push({estimate, paid, next_cell++ % 1000});
      }
    }
    CHECK(out_of_order == 0);
    CHECK(buckets.empty());
    CHECK(taken > 5000);
  }
}

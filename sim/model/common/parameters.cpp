#include "model/common/parameters.hpp"

#include "model/common/sources.hpp"

namespace pocsim::model {

namespace {
constexpr double int_max = 9007199254740991.0;  // 2^53 - 1: exact as a double and in every YAML reader
}

ParamRows<RunParams> run_parameters() {
  using namespace sources;
  ParamRows<RunParams> t;
  t.add({"run.steps", ValueType::integer, "step", 1, 10'000'000, {}, "500",
         "Number of steps to simulate after the initial state (step 0); or a duration such as '5 years'.", design},
        [](auto& r) -> auto& { return r.steps; });
  t.add({"run.step_length", ValueType::choice, "", 0, 0, {"day", "week", "month"}, "week",
         "What one step is. Prices, wages and rates are per step; any key measured in steps also takes a duration "
         "('26 weeks', '6 months', '2 years', '10 days') or, with run.start_date, a date (YYYY-MM-DD), converted with it. "
         "Epstein's model has abstract steps: the choice matters only where a scenario writes durations or dates.",
         design},
        [](auto& r) -> auto& { return r.step_length; });
  t.add({"run.start_date", ValueType::text, "", 0, 0, {}, "\"\"",
         "Date of step 0, YYYY-MM-DD; needed only where a scenario writes dates.", design},
        [](auto& r) -> auto& { return r.start_date; });
  t.add({"run.seed", ValueType::integer, "", 0, int_max, {}, "1",
         "Seed of every random stream. The same seed and scenario give bit-identical results at any thread count.", design},
        [](auto& r) -> auto& { return r.seed; });
  t.add({"run.snapshot_every", ValueType::integer, "step", 0, 10'000'000, {}, "10",
         "Interval between grid snapshots in the output; 0 records none. Step 0 is always recorded when > 0.", design},
        [](auto& r) -> auto& { return r.snapshot_every; });
  return t;
}

ParamRows<GridParams> grid_parameters() {
  using namespace sources;
  ParamRows<GridParams> t;
  t.add({"grid.width", ValueType::integer, "cell", 1, 65536, {}, "40", "Number of columns of the grid.", epstein},
        [](auto& g) -> auto& { return g.width; });
  t.add({"grid.height", ValueType::integer, "cell", 1, 65536, {}, "40", "Number of rows of the grid.", epstein},
        [](auto& g) -> auto& { return g.height; });
  t.add({"grid.topology", ValueType::choice, "", 0, 0, core::names_of<core::Topology>(), "torus",
         "torus: edges wrap around (the paper's lattice); bounded: cells beyond an edge do not exist.", epstein},
        [](auto& g) -> auto& { return g.topology; });
  return t;
}

}  // namespace pocsim::model

// Conservation: people neither appear nor vanish, and the grid always shows exactly the agents on it.
#include <catch2/catch.hpp>

#include "support/support.hpp"

using namespace pocsim;

TEST_CASE("citizens are conserved and the grid agrees with the agents, in every rule combination", "[conservation]") {
  for (const char* activation : {"sequential", "synchronous"})
    for (const char* jail : {"off_grid", "hold_cell"})
      for (const char* shape : {"euclidean", "moore", "von_neumann"})
        for (const char* topology : {"torus", "bounded"}) {
          const std::vector<std::string> overrides{
              std::string("rules.activation=") + activation, std::string("rules.jail=") + jail,
              std::string("rules.vision_shape=") + shape, std::string("grid.topology=") + topology,
              "run.steps=60", "citizens.legitimacy=0.7",
              "police.density={initial: 0.04, changes: [{at: 30, to: 0.02, over: 10}]}"};
          auto p = test::scenario_params("scenarios/epstein/run2.yaml", overrides);
          model::Model m(p);
          const auto n = static_cast<std::int64_t>(m.citizens().size());
          for (int s = 0; s < 60; ++s) {
            m.step();
            const auto r = model::measure(m);
            INFO(activation << " " << jail << " " << shape << " " << topology << " step " << r.step);
            REQUIRE(r.quiet + r.active + r.jailed == n);
            REQUIRE(test::state_problem(m).empty());
          }
        }
}

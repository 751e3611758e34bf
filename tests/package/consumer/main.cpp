// Loads a scenario, runs it for a number of steps and prints each outcome over the run: the engine used as
// a library, the way a project of its own would use it.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "model/model.hpp"
#include "model/outcomes.hpp"
#include "scenario/loader.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: consumer SCENARIO.yaml STEPS\n");
    return 2;
  }
  try {
    const pocsim::scenario::Scenario s = pocsim::scenario::load_scenario(argv[1], {"run.steps=" + std::string(argv[2])});
    pocsim::model::Model m(s.params());
    pocsim::model::OutcomeMeter meter;
    for (long step = 1; step <= s.params().run.steps; ++step) {
      m.step();
      meter.observe(m);
    }
    const auto summary = meter.summary();
    const auto& specs = pocsim::model::outcome_specs();
    for (std::size_t i = 0; i < specs.size(); ++i) std::printf("%s\t%.17g\n", specs[i].name.c_str(), summary[i]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "consumer: %s\n", e.what());
    return 1;
  }
  return 0;
}

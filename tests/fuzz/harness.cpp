#include "harness.hpp"

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "core/parallel.hpp"
#include "ensemble/sweep.hpp"
#include "model/model.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/loader.hpp"

namespace pocsim::fuzz {

namespace {

// Scenarios larger than this are only validated: stepping them would spend the fuzzer's time on the
// model's speed rather than on finding inputs that break it.
constexpr std::int64_t max_cells_to_step = 2500;
constexpr std::int64_t steps_to_run = 2;

// A private directory holding `library` -> the source tree's scenarios/library, and a `sweeps` folder
// for the input, so "scenario: ../library/mali/base.yaml" resolves as it does for the shipped sweeps.
const std::filesystem::path& sweep_directory() {
  static const std::filesystem::path dir = [] {
    const std::filesystem::path root = std::filesystem::temp_directory_path() / ("pocsim-fuzz-" + std::to_string(getpid()));
    std::filesystem::create_directories(root / "sweeps");
    const std::filesystem::path link = root / "library";
    if (!std::filesystem::exists(link))
      std::filesystem::create_directory_symlink(std::filesystem::path(POCSIM_SOURCE_DIR) / "scenarios" / "library", link);
    return root / "sweeps";
  }();
  return dir;
}

}  // namespace

void scenario_input(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    // Named as if it sat in the scenarios folder, so relative rasters and bases resolve against real files.
    const scenario::Scenario s = scenario::parse_scenario(text, std::string(POCSIM_SOURCE_DIR) + "/scenarios/fuzz.yaml");
    const model::Params& p = s.params();
    if (static_cast<std::int64_t>(p.grid.width) * p.grid.height > max_cells_to_step) return;
    core::ThreadLimit one_thread(1);
    one_thread.run([&] {
      model::Model m(p);
      for (std::int64_t i = 0; i < steps_to_run && i < p.run.steps; ++i) m.step();
    });
  } catch (const scenario::ScenarioError&) {
    // Refused with diagnostics: the expected outcome for most inputs.
  }
}

void sweep_input(const std::uint8_t* data, std::size_t size) {
  const std::filesystem::path file = sweep_directory() / "input.yaml";
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    (void)ensemble::load_sweep(file.string());
  } catch (const scenario::ScenarioError&) {
  }
}

}  // namespace pocsim::fuzz

#include "support/support.hpp"

#include <fstream>
#include <random>

#include "cli/commands.hpp"

namespace pocsim::test {

std::string source_path(const std::string& relative) { return std::string(POCSIM_SOURCE_DIR) + "/" + relative; }

model::Params scenario_params(const std::string& relative, const std::vector<std::string>& overrides) {
  return scenario::load_scenario(source_path(relative), overrides).params();
}

std::vector<model::StepRecord> run_records(const model::Params& p) {
  model::Model m(p);
  std::vector<model::StepRecord> out{model::measure(m)};
  for (std::int64_t s = 0; s < p.run.steps; ++s) {
    m.step();
    out.push_back(model::measure(m));
  }
  return out;
}

TempDir::TempDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() / ("pocsim-test-" + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::string state_problem(const model::Model& m) {
  using model::CellCode;
  const auto& cells = m.cells();
  const auto& citizens = m.citizens();
  const auto& cops = m.cops();
  std::size_t on_grid = 0;
  for (model::AgentId c = 0; c < citizens.size(); ++c) {
    const auto state = citizens.state[c];
    const bool off_grid = (state == model::CitizenState::jailed && m.params().population.rules.jail == model::JailRule::off_grid) ||
                          state == model::CitizenState::fighter || state == model::CitizenState::dead;
    if (off_grid) continue;
    ++on_grid;
    const auto cell = citizens.cell[c];
    if (cells.code[cell] != model::code_of(citizens.state[c]) || cells.agent[cell] != c)
      return "citizen " + std::to_string(c) + " is not shown at its cell";
  }
  for (model::AgentId k = 0; k < cops.size(); ++k) {
    if (!cops.on_duty[k]) continue;
    ++on_grid;
    if (cells.code[cops.cell[k]] != CellCode::cop || cells.agent[cops.cell[k]] != k)
      return "cop " + std::to_string(k) + " is not shown at its cell";
  }
  std::size_t occupied = 0;
  for (auto code : cells.code) occupied += code != CellCode::empty;
  if (occupied != on_grid)
    return std::to_string(occupied) + " occupied cells for " + std::to_string(on_grid) + " agents on the grid";
  if (!citizens.consistent() || !cops.consistent() || !cells.consistent()) return "columns of unequal length";
  return "";
}

std::string scenario_errors(const std::string& yaml, const std::vector<std::string>& overrides) {
  try {
    scenario::parse_scenario(yaml, "s.yaml", overrides);
  } catch (const scenario::ScenarioError& e) {
    return e.what();
  }
  return "(no error)";
}

int pocsim(const std::vector<std::string>& args) { return cli::run_main(args); }

}  // namespace pocsim::test

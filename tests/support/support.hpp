#pragma once
// Helpers shared by the tests: building parameters, running models, temporary files.
#include <filesystem>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "model/observables.hpp"
#include "scenario/loader.hpp"

namespace pocsim::test {

// Path of a file in the source tree.
std::string source_path(const std::string& relative);

// A shipped scenario's parameters, with overrides ("key=value").
model::Params scenario_params(const std::string& relative, const std::vector<std::string>& overrides = {});

// The diagnostics reading this YAML (as file "s.yaml", with these overrides) gives, or "(no error)".
std::string scenario_errors(const std::string& yaml, const std::vector<std::string>& overrides = {});

// Runs a model for its configured steps and returns one record per step, step 0 included.
std::vector<model::StepRecord> run_records(const model::Params& p);

// A fresh temporary directory, removed when the object goes.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  [[nodiscard]] std::string file(const std::string& name) const { return (path_ / name).string(); }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string write_text(const std::string& path, const std::string& text);

// Checks the agreement between agent columns and the cell grid; returns "" or the first problem.
std::string state_problem(const model::Model& m);

// Runs `pocsim` in-process with these arguments; captures nothing (output goes to the test log).
int pocsim(const std::vector<std::string>& args);

}  // namespace pocsim::test

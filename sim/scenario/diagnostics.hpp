#pragma once
// Errors in a scenario: where (file:line:column, or the command-line option), which key, what is wrong,
// and how to fix it. Every bad input is reported this way and makes the command exit with code 2.
#include <stdexcept>
#include <string>
#include <vector>

namespace pocsim::scenario {

struct Diagnostic {
  std::string where;    // "scenarios/x.yaml:7:3", "--set run.seed=x", or a file name alone
  std::string key;      // dotted key path, empty when the problem is not one key's
  std::string message;  // what is wrong, naming the value
  std::string hint;     // how to fix it; may be empty

  // "where: error: key: message\n  hint: ...\n"
  [[nodiscard]] std::string format() const;
};

class ScenarioError : public std::runtime_error {
 public:
  // Keeps the diagnostics in the order a reader meets them in the files (file by file, line by line).
  explicit ScenarioError(std::vector<Diagnostic> diagnostics);
  [[nodiscard]] const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

// Edit distance, for "did you mean" suggestions.
std::size_t edit_distance(const std::string& a, const std::string& b);

// The candidate closest to `word`, or "" when none is close enough to be a plausible typo.
std::string nearest(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace pocsim::scenario

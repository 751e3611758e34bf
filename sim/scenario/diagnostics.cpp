#include "scenario/diagnostics.hpp"

#include <algorithm>
#include <numeric>

namespace pocsim::scenario {

std::string Diagnostic::format() const {
  std::string s = where + ": error: ";
  if (!key.empty()) s += key + ": ";
  s += message + "\n";
  if (!hint.empty()) s += "  hint: " + hint + "\n";
  return s;
}

namespace {
std::string join_formatted(const std::vector<Diagnostic>& ds) {
  std::string s;
  for (const Diagnostic& d : ds) s += d.format();
  return s;
}
}  // namespace

ScenarioError::ScenarioError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join_formatted(diagnostics)), diagnostics_(std::move(diagnostics)) {}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), 0);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string nearest(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = SIZE_MAX;
  for (const std::string& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  // A third of the longer word, at least two edits: catches typos, not unrelated words.
  const std::size_t limit = std::max<std::size_t>(2, std::max(word.size(), best.size()) / 3);
  if (best_distance <= limit) return best;
  // A longer or shorter form of a valid word ("rectangle" for "rect").
  for (const std::string& c : candidates) {
    const std::string& shorter = c.size() < word.size() ? c : word;
    const std::string& longer = c.size() < word.size() ? word : c;
    if (shorter.size() >= 3 && longer.compare(0, shorter.size(), shorter) == 0) return c;
  }
  return "";
}

}  // namespace pocsim::scenario

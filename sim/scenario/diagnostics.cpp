#include "scenario/diagnostics.hpp"

#include <algorithm>
#include <numeric>
#include <tuple>

namespace pocsim::scenario {

std::string Diagnostic::format() const {
  std::string s = where + ": error: ";
  if (!key.empty()) s += key + ": ";
  s += message + "\n";
  if (!hint.empty()) s += "  hint: " + hint + "\n";
  return s;
}

namespace {
// Where a diagnostic points: its file (or option), line and column; 0 for a file named alone.
struct Position {
  std::string file;
  long line = 0;
  long column = 0;
};

Position position_of(const std::string& where) {
  Position p{where, 0, 0};
  const auto last = where.rfind(':');
  if (last == std::string::npos || last + 1 == where.size() || where.find_first_not_of("0123456789", last + 1) != std::string::npos) return p;
  const auto first = where.rfind(':', last - 1);
  if (first == std::string::npos || first + 1 == last || where.find_first_not_of("0123456789", first + 1) < last) return p;
  p.file = where.substr(0, first);
  p.line = std::stol(where.substr(first + 1, last - first - 1));
  p.column = std::stol(where.substr(last + 1));
  return p;
}

// In the order a reader meets them: by file (in the order the files first appear), then line and column.
std::vector<Diagnostic> in_reading_order(std::vector<Diagnostic> ds) {
  std::vector<std::string> files;
  std::vector<std::pair<std::size_t, Position>> keys;
  for (const Diagnostic& d : ds) {
    Position p = position_of(d.where);
    const auto it = std::find(files.begin(), files.end(), p.file);
    const std::size_t file = static_cast<std::size_t>(it - files.begin());
    if (it == files.end()) files.push_back(p.file);
    keys.emplace_back(file, std::move(p));
  }
  std::vector<std::size_t> order(ds.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto& [fa, pa] = keys[a];
    const auto& [fb, pb] = keys[b];
    if (fa != fb) return fa < fb;
    if (pa.line == 0 || pb.line == 0) return false;  // a file named alone keeps its place among its file's
    return std::tie(pa.line, pa.column) < std::tie(pb.line, pb.column);
  });
  std::vector<Diagnostic> out;
  for (std::size_t i : order) out.push_back(std::move(ds[i]));
  return out;
}

std::string join_formatted(const std::vector<Diagnostic>& ds) {
  std::string s;
  for (const Diagnostic& d : ds) s += d.format();
  return s;
}
}  // namespace

ScenarioError::ScenarioError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join_formatted(in_reading_order(diagnostics))), diagnostics_(in_reading_order(std::move(diagnostics))) {}

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

#pragma once
// What a scenario is unsure of: the `uncertain:` block, a distribution for each parameter a comparison
// may draw over (pocsim compare --draws), so that options are compared across the worlds the model cannot
// tell apart, not only across its dice. docs/comparing.md describes the block.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/names.hpp"
#include "scenario/diagnostics.hpp"

namespace pocsim::scenario {

enum class Distribution : std::uint8_t { uniform, triangular, normal, lognormal };
constexpr auto enum_names(Distribution) {
  return std::to_array<std::string_view>({"uniform", "triangular", "normal", "lognormal"});
}

struct UncertainParameter {
  std::string key;                  // a scenario key, as for --set (LIST[i].FIELD for a field of a list entry)
  Distribution distribution = Distribution::uniform;
  double min = -HUGE_VAL, max = HUGE_VAL;  // support; a normal or lognormal is truncated to it when given
  double mode = 0;                  // triangular
  double mean = 0, sd = 0;          // normal
  double median = 0, sigma = 0;     // lognormal: median and the standard deviation of the logarithm
  bool integer = false;             // the key holds whole numbers: draws are rounded
  std::string source;               // where the distribution comes from (free text; shown in the comparison file)
  std::string where;                // file:line:column of its entry

  // The value at cumulative probability u in (0, 1): the inverse of the distribution function.
  [[nodiscard]] double quantile(double u) const;
  // The values a draw can take at its extremes (the support, or the 0.1 % and 99.9 % quantiles of an
  // untruncated normal or lognormal): checked as a scenario before anything runs.
  [[nodiscard]] std::array<double, 2> extremes() const;
  // The --set text giving the key the value v.
  [[nodiscard]] std::string override_of(double v) const;
};

// Reads an `uncertain:` block from `file`: structure, numbers and distributions (whether each key exists
// and each extreme is a valid value is checked when a comparison loads the scenario at those values).
std::vector<UncertainParameter> read_uncertain(const YAML::Node& block, const std::string& file, std::vector<Diagnostic>& errors);

// Whether a scenario key (possibly LIST[i].FIELD) holds whole numbers.
bool integer_key(const std::string& key);

// The --set text giving `key` the value v, rounded for a key of whole numbers (sweeps and draws alike).
std::string override_text(const std::string& key, double v, bool integer);

}  // namespace pocsim::scenario

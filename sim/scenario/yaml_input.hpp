#pragma once
// Reading YAML inputs other than scenarios (sweep files) with the same guards and messages as scenarios:
// missing, directory, device, oversized, not UTF-8, malformed YAML — each a ScenarioError naming the file.
#include <cmath>
#include <cstdlib>
#include <string>

#include <yaml-cpp/yaml.h>

namespace pocsim::scenario {

// Where a YAML value was written: file:line:column (1-based), or the file alone when the node has no mark.
std::string location(const std::string& file, const YAML::Mark& m);
inline std::string location(const std::string& file, const YAML::Node& n) { return location(file, n.Mark()); }

// A plain scalar that reads whole as a finite number (not a quoted "!" string).
inline bool read_number(const YAML::Node& n, double& out) {
  if (!n.IsScalar() || n.Tag() == "!") return false;
  const std::string& t = n.Scalar();
  char* end = nullptr;
  out = std::strtod(t.c_str(), &end);
  return !t.empty() && end == t.c_str() + t.size() && std::isfinite(out);
}

// `what` names the kind of file in messages, e.g. "sweep file".
std::string read_input_file(const std::string& path, const std::string& what);
YAML::Node read_yaml_file(const std::string& path, const std::string& what, std::string* text = nullptr);

}  // namespace pocsim::scenario

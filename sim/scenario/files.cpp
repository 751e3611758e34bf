// The files a scenario is read from: guards on every input file, YAML parsing with limits, overlays
// (`base:`) and the calendar read ahead of everything else.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <unistd.h>

#include "core/text.hpp"
#include "scenario/loader.hpp"
#include "scenario/reading.hpp"
#include "scenario/yaml_input.hpp"

namespace pocsim::scenario {

namespace fs = std::filesystem;
using core::quoted;

namespace detail {
namespace {
// Position of the first byte that is not valid UTF-8, or npos.
std::size_t first_invalid_utf8(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return i;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return i;
    i += len;
  }
  return std::string::npos;
}

}  // namespace

std::string read_file(const std::string& path, const std::string& what) {
  auto fail = [&](std::string message, std::string hint) {
    throw ScenarioError({{path, "", std::move(message), std::move(hint)}});
  };
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st))
    fail("cannot read the " + what + ": no such file",
         what == "scenario file" ? "check the path; the shipped scenarios are under scenarios/, e.g. scenarios/epstein/run2.yaml"
                                 : "check the path");
  if (fs::is_directory(st)) fail("is a directory, not a " + what, "name a .yaml file inside it");
  if (!fs::is_regular_file(st)) fail("is not a regular file", "name a .yaml " + what);
  const std::uintmax_t size = fs::file_size(path, ec);
  if (!ec && size > max_scenario_bytes)
    fail("is " + std::to_string(size) + " bytes; a " + what + " may be at most " + std::to_string(max_scenario_bytes) +
             " bytes",
         "large inputs (rasters) belong in data files that a scenario names, not in the scenario itself");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("cannot read the " + what + ": permission denied or unreadable", "check the file's permissions");
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

// One file of a scenario: an overlay names the file it changes with `base:`; the chain is read base first.
namespace {
constexpr int max_base_depth = 8;
}  // namespace

YAML::Node parse_yaml(const std::string& text, const std::string& name) {
  if (const std::size_t bad = first_invalid_utf8(text); bad != std::string::npos) {
    const auto line = std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(bad), '\n') + 1;
    throw ScenarioError({{name + ":" + std::to_string(line), "", "the file is not valid UTF-8 text",
                          "save it as UTF-8 (byte " + std::to_string(bad) + " is not part of a UTF-8 character)"}});
  }
  // yaml-cpp parses nested flow collections recursively: "[[[[...]]]]" thousands deep would overflow the
  // stack before any check could run, so bracket depth is measured on the text first. Brackets inside
  // quoted text count too: text never nests them anywhere near the limit.
  int depth = 0, deepest = 0;
  std::size_t deepest_at = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '[' || c == '{') {
      if (++depth > deepest) {
        deepest = depth;
        deepest_at = i;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  if (deepest > max_nesting) {
    const auto line = std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(deepest_at), '\n') + 1;
    throw ScenarioError({{name + ":" + std::to_string(line), "", "brackets nested " + std::to_string(deepest) + " deep",
                          "no valid input nests more than " + std::to_string(max_nesting) + " levels: check the brackets"}});
  }
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw ScenarioError({{location(name, e.mark), "", "malformed YAML: " + e.msg,
                          "check the indentation and that each entry is written 'key: value'"}});
  }
  // Aliases let a few lines stand for billions of values ("billion laughs"); counting the values with
  // aliases expanded, up to a budget, stops that before anything walks or copies them.
  std::size_t budget = max_values;
  std::vector<std::pair<YAML::Node, int>> stack{{root, 0}};
  while (!stack.empty()) {
    const auto [node, level] = stack.back();
    stack.pop_back();
    if (budget-- == 0)
      throw ScenarioError({{name, "", "holds more than " + std::to_string(max_values) + " values once its aliases (*name) are expanded",
                            "write the values out, or use fewer aliases: no valid input is that large"}});
    if (level > max_nesting)
      throw ScenarioError({{location(name, node.Mark()), "", "values nested more than " + std::to_string(max_nesting) + " deep",
                            "no valid input nests that deep: check the indentation"}});
    if (node.IsSequence())
      for (const YAML::Node& item : node) stack.emplace_back(item, level + 1);
    else if (node.IsMap())
      for (const auto& kv : node) {
        stack.emplace_back(kv.first, level + 1);
        stack.emplace_back(kv.second, level + 1);
      }
  }
  return root;
}

// The layers of a scenario, base first. `base:` is resolved relative to the file that names it.
std::vector<Layer> read_layers(const std::string& text, const std::string& name) {
  std::vector<Layer> chain{{name, text, parse_yaml(text, name)}};
  std::set<std::string> seen{fs::weakly_canonical(name).string()};
  while (chain.back().root.IsMap() && chain.back().root["base"]) {
    Layer& top = chain.back();
    const YAML::Node base = top.root["base"];
    const std::string at = location(top.name, base.IsNull() ? top.root.Mark() : base.Mark());
    if (!base.IsScalar() || base.Scalar().empty())
      throw ScenarioError({{at, "base", "expected the path of the scenario this one changes, got " + shown(base),
                            "write 'base: FILE.yaml', relative to this file"}});
    const std::string path = (fs::path(top.name).parent_path() / base.Scalar()).lexically_normal().string();
    top.root.remove("base");
    if (!seen.insert(fs::weakly_canonical(path).string()).second)
      throw ScenarioError({{at, "base", "'" + base.Scalar() + "' is already in this chain of bases: it would never end",
                            "point 'base' at a scenario that does not name this file as its own base"}});
    if (static_cast<int>(chain.size()) > max_base_depth)
      throw ScenarioError({{at, "base", "more than " + std::to_string(max_base_depth) + " levels of bases",
                            "flatten the chain: an overlay of an overlay of a base is usually deep enough"}});
    std::string base_text;
    try {
      base_text = read_file(path);
    } catch (const ScenarioError& e) {
      const Diagnostic& d = e.diagnostics().front();
      throw ScenarioError({{at, "base", "the base scenario " + quoted(path) + " " + d.message, d.hint}});
    }
    chain.push_back({path, base_text, parse_yaml(base_text, path)});
  }
  // Copied, not reversed in place: assigning a YAML::Node writes through to the node it refers to.
  return {chain.rbegin(), chain.rend()};
}

// The step length and start date, read ahead of everything else so that times anywhere in the files can
// be converted to steps; they are validated with the rest (an invalid one leaves the default here).
Calendar calendar_of(const std::vector<Layer>& layers, const std::vector<std::string>& overrides) {
  std::string step, start;
  for (const Layer& layer : layers) {
    if (!layer.root.IsMap() || !layer.root["run"] || !layer.root["run"].IsMap()) continue;
    const YAML::Node run = layer.root["run"];
    if (run["step_length"] && run["step_length"].IsScalar()) step = run["step_length"].Scalar();
    if (run["start_date"] && run["start_date"].IsScalar()) start = run["start_date"].Scalar();
  }
  for (const std::string& o : overrides) {
    if (o.rfind("run.step_length=", 0) == 0) step = o.substr(16);
    if (o.rfind("run.start_date=", 0) == 0) start = o.substr(15);
  }
  Calendar c;
  if (step == "day") c.step = StepLength::day;
  if (step == "month") c.step = StepLength::month;
  c.start = parse_date(start);
  return c;
}

}  // namespace detail

std::string location(const std::string& file, const YAML::Mark& m) {
  if (m.line < 0) return file;
  return file + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
}

std::uint64_t physical_memory_bytes() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page > 0 ? static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page) : 0;
}

std::string read_input_file(const std::string& path, const std::string& what) { return detail::read_file(path, what); }

YAML::Node read_yaml_file(const std::string& path, const std::string& what, std::string* text) {
  std::string content = detail::read_file(path, what);
  YAML::Node root = detail::parse_yaml(content, path);
  if (text) *text = std::move(content);
  return root;
}

bool is_option_file(const std::string& path) {
  try {
    const YAML::Node root = detail::parse_yaml(detail::read_file(path), path);
    return root.IsMap() && root["decision"];
  } catch (const ScenarioError&) {
    return false;  // unreadable or malformed: reading it as a scenario reports why
  } catch (const YAML::Exception&) {
    return false;
  }
}

}  // namespace pocsim::scenario

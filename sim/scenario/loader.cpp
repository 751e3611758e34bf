#include "scenario/loader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include "io/raster.hpp"
#include "model/memory.hpp"
#include "scenario/calendar.hpp"
#include "scenario/yaml_input.hpp"

namespace pocsim::scenario {

namespace {

namespace fs = std::filesystem;

constexpr std::uintmax_t max_scenario_bytes = 16u << 20;
constexpr int max_nesting = 64;                  // far deeper than any valid input (a schedule in a record: 5)
constexpr std::size_t max_values = 2'000'000;    // values in one file, aliases expanded

std::string location(const std::string& file, const YAML::Mark& m) {
  if (m.line < 0) return file;
  return file + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
}

std::string join(const std::vector<std::string>& items) {
  std::string s;
  for (std::size_t i = 0; i < items.size(); ++i) s += (i ? ", " : "") + items[i];
  return s;
}

std::string quoted(const std::string& s) { return "'" + s + "'"; }

// Keys that may appear directly under a section ("" is the top level), in table order.
std::vector<std::string> children_of(const std::string& section) {
  std::vector<std::string> out;
  const std::string prefix = section.empty() ? "" : section + ".";
  for (const ParamSpec& s : parameter_table()) {
    if (s.path.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string rest = s.path.substr(prefix.size());
    const std::string child = rest.substr(0, rest.find('.'));
    if (std::find(out.begin(), out.end(), child) == out.end()) out.push_back(child);
  }
  return out;
}

bool is_section(const std::string& path) {
  const std::string prefix = path + ".";
  return std::any_of(parameter_table().begin(), parameter_table().end(),
                     [&](const ParamSpec& s) { return s.path.compare(0, prefix.size(), prefix) == 0; });
}

std::vector<std::string> all_paths() {
  std::vector<std::string> out;
  for (const ParamSpec& s : parameter_table()) out.push_back(s.path);
  return out;
}

std::string scalar_text(const YAML::Node& n) { return n.IsScalar() ? n.Scalar() : std::string(); }

std::string shown(const YAML::Node& n) {
  if (n.IsScalar()) return quoted(n.Scalar());
  if (n.IsSequence()) return "a list";
  if (n.IsMap()) return "a mapping";
  return "nothing";
}

std::string flow_yaml(const YAML::Node& n) {
  YAML::Emitter e;
  e.SetMapFormat(YAML::Flow);
  e.SetSeqFormat(YAML::Flow);
  e << n;
  return e.c_str();
}

bool parse_double(const std::string& text, double& out) {
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (begin != end && *begin == '+') ++begin;
  const auto [ptr, ec] = std::from_chars(begin, end, out);
  return ec == std::errc() && ptr == end;
}

std::string shortest(double v);

// A raster a scenario names: which key, the file as written, where it was written.
struct RasterFile {
  std::string key, file, where;
};

class Validator {
 public:
  // Where values are being read from: a file (locations get line and column) or one --set option.
  std::string source;
  bool source_has_lines = true;
  std::string loc(const YAML::Mark& m) const { return source_has_lines ? location(source, m) : source; }

  std::vector<Diagnostic> errors;
  Calendar calendar;                          // for times written as durations or dates (set before reading)
  std::map<std::string, Value> given;         // validated values, by path
  std::map<std::string, std::string> where;   // where each given value came from

  void walk(const YAML::Node& node, const std::string& section) {
    if (!node.IsMap()) {
      errors.push_back({loc(node.Mark()), section,
                        "expected a mapping of keys, got " + shown(node),
                        "write the keys of '" + section + "' indented below it: " + join(children_of(section))});
      return;
    }
    std::set<std::string> seen;
    for (const auto& kv : node) {
      const YAML::Node& key_node = kv.first;
      const std::string at = loc(key_node.Mark());
      if (!key_node.IsScalar()) {
        errors.push_back({at, section, "a key must be a plain name, got " + shown(key_node), ""});
        continue;
      }
      const std::string key = key_node.Scalar();
      const std::string path = section.empty() ? key : section + "." + key;
      if (!seen.insert(key).second) {
        errors.push_back({at, path, "duplicate key", "give each key once; the later value would silently win"});
        continue;
      }
      if (const ParamSpec* spec = find_parameter(path)) {
        // An empty value has no position of its own worth showing: point at its key.
        const std::string value_at = kv.second.IsNull() ? at : loc(kv.second.Mark());
        Value v;
        if (read_value(*spec, kv.second, value_at, v)) {
          given[path] = v;
          where[path] = value_at;
        }
      } else if (is_section(path)) {
        walk(kv.second, path);
      } else {
        errors.push_back({at, path, "unknown key", unknown_key_hint(key, section)});
      }
    }
  }

  static std::string unknown_key_hint(const std::string& key, const std::string& section) {
    const std::vector<std::string> siblings = children_of(section);
    const std::string where_listed = section.empty() ? "at the top level" : "in '" + section + "'";
    const std::string listing = "valid keys " + where_listed + ": " + join(siblings);
    // The right name in the wrong section is a likelier slip than a misspelt sibling.
    for (const ParamSpec& s : parameter_table()) {
      const std::string leaf = s.path.substr(s.path.rfind('.') + 1);
      if (leaf == key && s.path.find('.') != std::string::npos)
        return "did you mean " + quoted(s.path) + "? " + listing;
    }
    if (const std::string close = nearest(key, siblings); !close.empty())
      return "did you mean " + quoted(close) + "? " + listing;
    return listing;
  }

  // Validates one value against its spec; on failure records a diagnostic and returns false.
  bool read_value(const ParamInfo& spec, const YAML::Node& node, const std::string& at, Value& out) {
    auto fail = [&](std::string message, std::string hint = "") {
      if (hint.empty())
        hint = "use " + describe_allowed(spec) + (spec.unit.empty() || spec.unit == "1" ? "" : " (" + spec.unit + ")") +
               (spec.default_value.empty() ? std::string(" (required)") : "; the default is " + spec.default_value);
      errors.push_back({at, spec.path, std::move(message), std::move(hint)});
      return false;
    };
    if (!node.IsDefined() || node.IsNull()) return fail("no value given");
    out.where = at;
    out.yaml = flow_yaml(node);
    switch (spec.type) {
      case ValueType::point: {
        std::array<int, 2> p{};
        if (!read_point(node, p)) return fail("expected a point [x, y] of whole numbers, got " + shown(node));
        out.points = {p};
        return true;
      }
      case ValueType::points: {
        if (!node.IsSequence()) return fail("expected a list of points [x, y], got " + shown(node));
        out.points.clear();
        for (const YAML::Node& item : node) {
          std::array<int, 2> p{};
          if (!read_point(item, p)) return fail("expected every item to be a point [x, y] of whole numbers, got " + shown(item));
          out.points.push_back(p);
        }
        if (static_cast<double>(out.points.size()) < spec.min)
          return fail("has " + std::to_string(out.points.size()) + " points, fewer than " +
                      std::to_string(static_cast<int>(spec.min)));
        return true;
      }
      case ValueType::rect: {
        std::array<int, 4> r{};
        bool ok = node.IsSequence() && node.size() == 4;
        for (std::size_t i = 0; ok && i < 4; ++i) ok = read_coordinate(node[i], r[i]);
        if (!ok) return fail("expected a rectangle [x0, y0, x1, y1] of whole numbers, got " + shown(node));
        if (r[0] > r[2] || r[1] > r[3])
          return fail("corners " + out.yaml + " are reversed", "write [x0, y0, x1, y1] with x0 <= x1 and y0 <= y1");
        out.points = {{r[0], r[1]}, {r[2], r[3]}};
        return true;
      }
      case ValueType::records: return read_records(spec, node, at, out);
      default: break;
    }
    if (spec.type == ValueType::schedule && node.IsMap()) return read_schedule(spec, node, at, out);
    if (!node.IsScalar()) return fail("expected " + describe_allowed(spec) + ", got " + shown(node));
    const std::string text = node.Scalar();
    // A quoted scalar is text in YAML even when it looks like a number.
    const bool quoted_scalar = node.Tag() == "!";
    switch (spec.type) {
      case ValueType::text:
        out.text = text;
        return true;
      case ValueType::boolean:
        if (text == "true" || text == "false") {
          out.boolean = text == "true";
          return true;
        }
        return fail("expected true or false, got " + quoted(text));
      case ValueType::choice:
        if (const auto it = std::find(spec.choices.begin(), spec.choices.end(), text); it != spec.choices.end()) {
          out.text = text;
          out.integer = it - spec.choices.begin();  // the row's binding maps the index to its enum
          return true;
        }
        if (const std::string close = nearest(text, spec.choices); !close.empty())
          return fail(quoted(text) + " is not a valid choice",
                      "did you mean " + quoted(close) + "? Use " + describe_allowed(spec));
        return fail(quoted(text) + " is not a valid choice");
      case ValueType::integer:
      case ValueType::real:
      case ValueType::schedule: {
        double v = 0;
        if (spec.type == ValueType::integer && spec.unit == "step" && !parse_double(text, v)) {
          // A time: "26 weeks", "6 months", "2 years", or a date.
          std::string why;
          const auto steps = steps_of(text, calendar, why);
          if (!steps)
            return fail(quoted(text) + " is not a time: " + why,
                        "write a whole number of steps, a duration such as '26 weeks', '6 months' or '2 years', or a "
                        "date YYYY-MM-DD (with run.start_date)");
          if (static_cast<double>(*steps) < spec.min || static_cast<double>(*steps) > spec.max)
            return fail(quoted(text) + " is " + std::to_string(*steps) + " steps, out of range");
          out.real = static_cast<double>(*steps);
          out.integer = *steps;
          out.schedule = core::Schedule(out.real);
          return true;
        }
        if (quoted_scalar || !parse_double(text, v))
          return fail("expected " + std::string(spec.type == ValueType::integer ? "a whole number" : "a number") +
                      ", got " + (quoted_scalar ? "the quoted text " : "") + quoted(text));
        if (!std::isfinite(v)) return fail(quoted(text) + " is not a finite number");
        if (spec.type == ValueType::integer && v != std::floor(v))
          return fail("expected a whole number, got " + quoted(text));
        if (v < spec.min || v > spec.max) return fail("value " + text + " is out of range");
        out.real = v;
        out.integer = static_cast<std::int64_t>(v);
        out.schedule = core::Schedule(v);
        return true;
      }
      case ValueType::point:
      case ValueType::points:
      case ValueType::rect:
      case ValueType::records: break;  // read above
    }
    return false;
  }

  static bool read_coordinate(const YAML::Node& n, int& out) {
    double v = 0;
    if (!n.IsScalar() || n.Tag() == "!" || !parse_double(n.Scalar(), v) || v != std::floor(v) || v < -1e6 || v > 1e6)
      return false;
    out = static_cast<int>(v);
    return true;
  }

  static bool read_point(const YAML::Node& n, std::array<int, 2>& p) {
    return n.IsSequence() && n.size() == 2 && read_coordinate(n[0], p[0]) && read_coordinate(n[1], p[1]);
  }

  bool read_records(const ParamInfo& spec, const YAML::Node& node, const std::string& at, Value& out) {
    if (!node.IsSequence()) {
      errors.push_back({at, spec.path, "expected a list, got " + shown(node),
                        "write one '- key: value' item per entry; keys: " + field_names(spec)});
      return false;
    }
    const std::size_t errors_before = errors.size();
    std::set<std::string> names;
    std::size_t index = 0;
    for (const YAML::Node& item : node) {
      const std::string item_path = spec.path + "[" + std::to_string(index++) + "]";
      const std::string item_at = loc(item.Mark());
      if (!item.IsMap()) {
        errors.push_back({item_at, item_path, "expected a mapping, got " + shown(item), "keys: " + field_names(spec)});
        continue;
      }
      Record record;
      record.where = item_at;
      std::set<std::string> seen;
      for (const auto& kv : item) {
        const std::string key = scalar_text(kv.first);
        const std::string key_at = loc(kv.first.Mark());
        const ParamInfo* field = nullptr;
        for (const ParamInfo& f : spec.fields)
          if (f.path == key) field = &f;
        if (!field) {
          std::vector<std::string> keys;
          for (const ParamInfo& f : spec.fields) keys.push_back(f.path);
          const std::string close = nearest(key, keys);
          errors.push_back({key_at, item_path + "." + key, "unknown key",
                            (close.empty() ? std::string() : "did you mean " + quoted(close) + "? ") +
                                "valid keys: " + field_names(spec)});
          continue;
        }
        if (!seen.insert(key).second) {
          errors.push_back({key_at, item_path + "." + key, "duplicate key", "give each key once"});
          continue;
        }
        ParamInfo at_path = *field;
        at_path.path = item_path + "." + key;
        Value v;
        if (read_value(at_path, kv.second, kv.second.IsNull() ? key_at : loc(kv.second.Mark()), v))
          record.fields.emplace_back(key, std::move(v));
      }
      for (const ParamInfo& f : spec.fields) {
        if (seen.count(f.path) || f.default_value == "null") continue;  // "null": optional, no default
        if (f.default_value.empty()) {
          errors.push_back({item_at, item_path, "missing key " + quoted(f.path),
                            "add '" + f.path + ": ...' (" + describe_allowed(f) + ")"});
          continue;
        }
        Value v;
        ParamInfo at_path = f;
        at_path.path = item_path + "." + f.path;
        if (read_value(at_path, YAML::Load(f.default_value), item_at, v)) record.fields.emplace_back(f.path, std::move(v));
      }
      if (const Value* name = record.get("name"); name && !names.insert(name->text).second)
        errors.push_back({name->where, item_path + ".name", "the name " + quoted(name->text) + " is used twice",
                          "give every entry of " + spec.path + " its own name"});
      out.records.push_back(std::move(record));
    }
    return errors.size() == errors_before;
  }

  static std::string field_names(const ParamInfo& spec) {
    std::vector<std::string> keys;
    for (const ParamInfo& f : spec.fields) keys.push_back(f.path);
    return join(keys);
  }

  bool read_schedule(const ParamInfo& spec, const YAML::Node& node, const std::string& at, Value& out) {
    const std::size_t errors_before = errors.size();
    double initial = 0;
    std::vector<core::ScheduledChange> changes;
    ParamInfo level = spec;  // the same bounds apply to the initial value and to every target
    ParamInfo step_spec{spec.path, ValueType::integer, "step", 0, 10'000'000, {}, "0", "", ""};
    bool have_initial = false;
    for (const auto& kv : node) {
      const std::string key = scalar_text(kv.first);
      const std::string key_at = loc(kv.first.Mark());
      Value v;
      if (key == "initial") {
        level.path = spec.path + ".initial";
        if (read_value(level, kv.second, loc(kv.second.Mark()), v)) initial = v.real;
        have_initial = true;
      } else if (key == "changes") {
        if (!kv.second.IsSequence()) {
          errors.push_back({loc(kv.second.Mark()), spec.path + ".changes", "expected a list, got " + shown(kv.second),
                            "write each change as '- {at: TIME, to: VALUE, over: DURATION}'"});
          continue;
        }
        std::size_t index = 0;
        for (const YAML::Node& c : kv.second) {
          const std::string item = spec.path + ".changes[" + std::to_string(index++) + "]";
          read_change(c, item, level, step_spec, changes);
        }
      } else {
        const std::string close = nearest(key, {"initial", "changes"});
        errors.push_back({key_at, spec.path + "." + key, "unknown key",
                          (close.empty() ? std::string() : "did you mean " + quoted(close) + "? ") +
                              "a schedule has the keys initial, changes"});
      }
    }
    if (!have_initial)
      errors.push_back({at, spec.path, "a schedule needs an 'initial' value",
                        "add 'initial: VALUE' (" + describe_allowed(spec) + ")"});
    for (std::size_t i = 1; i < changes.size(); ++i) {
      const core::ScheduledChange& prev = changes[i - 1];
      if (changes[i].at < prev.at + prev.over)
        errors.push_back({at, spec.path + ".changes[" + std::to_string(i) + "]",
                          "starts at step " + std::to_string(changes[i].at) + ", before the previous change ends at step " +
                              std::to_string(prev.at + prev.over),
                          "list changes in time order, each starting after the previous one has finished"});
    }
    if (errors.size() != errors_before) return false;
    out.schedule = core::Schedule(initial, std::move(changes));
    out.real = initial;
    return true;
  }

  void read_change(const YAML::Node& c, const std::string& item, ParamInfo level,
                   ParamInfo step_spec, std::vector<core::ScheduledChange>& changes) {
    const std::string at = loc(c.Mark());
    if (!c.IsMap()) {
      errors.push_back({at, item, "expected a mapping, got " + shown(c), "write '{at: STEP, to: VALUE, over: STEPS}'"});
      return;
    }
    core::ScheduledChange change{-1, 0, 0};
    bool have_to = false;
    for (const auto& kv : c) {
      const std::string key = scalar_text(kv.first);
      const std::string value_at = loc(kv.second.Mark());
      Value v;
      if (key == "at" || key == "over") {
        step_spec.path = item + "." + key;
        if (read_value(step_spec, kv.second, value_at, v)) (key == "at" ? change.at : change.over) = v.integer;
      } else if (key == "to") {
        level.path = item + ".to";
        if (read_value(level, kv.second, value_at, v)) change.to = v.real;
        have_to = true;
      } else {
        const std::string close = nearest(key, {"at", "to", "over"});
        errors.push_back({loc(kv.first.Mark()), item + "." + key, "unknown key",
                          (close.empty() ? std::string() : "did you mean " + quoted(close) + "? ") +
                              "a change has the keys at, to, over"});
      }
    }
    if (change.at < 0 || !have_to)
      errors.push_back({at, item, "a change needs 'at' and 'to'", "write '{at: STEP, to: VALUE}' (add 'over: STEPS' for a ramp)"});
    else
      changes.push_back(change);
  }

  void apply_override(const std::string& text) {
    const std::string at = "--set " + text;
    source = at;
    source_has_lines = false;
    const auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0) {
      errors.push_back({at, "", "expected KEY=VALUE", "for example --set citizens.legitimacy=0.7"});
      return;
    }
    const std::string path = text.substr(0, eq);
    const std::string value_text = text.substr(eq + 1);
    if (override_list_field(at, path, value_text)) return;
    const ParamSpec* spec = find_parameter(path);
    if (!spec) {
      if (is_section(path)) {
        errors.push_back({at, path, "is a section, not a key", "set one of its keys: " + join(children_of(path))});
      } else {
        const std::string close = nearest(path, all_paths());
        errors.push_back({at, path, "unknown key",
                          close.empty() ? "run 'pocsim schema' to list every key" : "did you mean " + quoted(close) + "?"});
      }
      return;
    }
    YAML::Node node;
    try {
      node = YAML::Load(value_text);
    } catch (const YAML::Exception& e) {
      errors.push_back({at, path, "the value is not valid YAML: " + e.msg, "quote the value or write a plain number"});
      return;
    }
    Value v;
    if (read_value(*spec, node, at, v)) {
      given[path] = v;
      where[path] = at;
    }
  }

  // LIST[i].FIELD=VALUE changes one field of one entry of a list the scenario gives: the entry is
  // rewritten in YAML and the whole list validated again, exactly as if the file had said so.
  // Returns false when the path is not of that form.
  bool override_list_field(const std::string& at, const std::string& path, const std::string& value_text) {
    const auto open = path.find('[');
    const auto close = path.find("].");
    if (open == std::string::npos || close == std::string::npos || close < open) return false;
    const std::string list = path.substr(0, open);
    const std::string index_text = path.substr(open + 1, close - open - 1);
    const std::string field_name = path.substr(close + 2);
    const ParamSpec* spec = find_parameter(list);
    if (!spec || spec->type != ValueType::records) {
      errors.push_back({at, list, "is not a list of entries", "write LIST[INDEX].KEY=VALUE for a list key such as armed_groups.groups"});
      return true;
    }
    std::size_t index = 0;
    if (index_text.empty() || index_text.find_first_not_of("0123456789") != std::string::npos ||
        (index = std::stoul(index_text)) >= records_of(list).size()) {
      errors.push_back({at, path, "there is no entry [" + index_text + "]",
                        "the scenario's " + list + " has " + std::to_string(records_of(list).size()) +
                            " entries, numbered from 0"});
      return true;
    }
    const auto field = std::find_if(spec->fields.begin(), spec->fields.end(), [&](const ParamInfo& f) { return f.path == field_name; });
    if (field == spec->fields.end()) {
      std::vector<std::string> keys;
      for (const ParamInfo& f : spec->fields) keys.push_back(f.path);
      errors.push_back({at, path, "unknown key", "keys of each entry: " + join(keys)});
      return true;
    }
    YAML::Node node;
    try {
      node = YAML::Load(given.at(list).yaml);
      node[index][field_name] = YAML::Load(value_text);
    } catch (const YAML::Exception& e) {
      errors.push_back({at, path, "the value is not valid YAML: " + e.msg, "quote the value or write a plain number"});
      return true;
    }
    Value v;
    if (read_value(*spec, node, at, v)) {
      given[list] = v;
      where[list] = at;
    }
    return true;
  }

  std::string where_of(const std::string& path, const std::string& fallback) const {
    const auto it = where.find(path);
    return it == where.end() ? fallback : it->second;
  }

  // The records of a list key as given (empty when the scenario did not give it).
  const std::vector<Record>& records_of(const std::string& path) const {
    static const std::vector<Record> none;
    const auto it = given.find(path);
    return it == given.end() ? none : it->second.records;
  }

  static std::string where_in(const Record& r, const std::string& key) {
    const Value* v = r.get(key);
    return v ? v->where : r.where;
  }

  // Resolves names between entries and checks that every place lies on the grid.
  void link(Settings& s, const std::string& file) {
    model::Params& p = s.params;
    auto on_grid = [&](const model::Point& pt) { return pt[0] >= 0 && pt[1] >= 0 && pt[0] < p.grid.width && pt[1] < p.grid.height; };
    auto off_grid = [&](const std::string& at, const std::string& key, const model::Point& pt) {
      errors.push_back({at, key, "[" + std::to_string(pt[0]) + ", " + std::to_string(pt[1]) + "] is outside the " +
                                     std::to_string(p.grid.width) + " x " + std::to_string(p.grid.height) + " grid",
                        "use x from 0 to " + std::to_string(p.grid.width - 1) + " and y from 0 to " +
                            std::to_string(p.grid.height - 1)});
    };
    // Regions and posts are numbered in 16 bits per cell.
    for (const char* key : {"geography.regions", "police.posts"})
      if (records_of(key).size() > 32000)
        errors.push_back({given.at(key).where, key, "has " + std::to_string(records_of(key).size()) + " entries",
                          "at most 32000 are supported"});
    const auto& regions = records_of("geography.regions");
    for (std::size_t i = 0; i < regions.size(); ++i) {
      const std::string key = "geography.regions[" + std::to_string(i) + "]";
      const bool rect = regions[i].get("rect") != nullptr;
      const bool polygon = regions[i].get("polygon") != nullptr;
      if (rect == polygon)
        errors.push_back({regions[i].where, key, rect ? "has both 'rect' and 'polygon'" : "has neither 'rect' nor 'polygon'",
                          "give exactly one: rect: [x0, y0, x1, y1] or polygon: [[x, y], ...]"});
    }
    // Every entry that names one cell must name one on the grid.
    auto check_places = [&](const std::string& list, const std::string& field, const auto& items, auto cell_of) {
      const auto& records = records_of(list);
      for (std::size_t i = 0; i < items.size(); ++i)
        if (!on_grid(cell_of(items[i])))
          off_grid(where_in(records[i], field), list + "[" + std::to_string(i) + "]." + field, cell_of(items[i]));
    };
    check_places("geography.points", "at", p.geography.points, [](const model::PointDef& x) { return x.at; });
    check_places("police.posts", "at", p.police.posts, [](const model::PostDef& x) { return x.at; });
    check_places("armed_groups.groups", "base", p.conflict.armed_groups.groups, [](const model::GroupDef& x) { return x.base; });
    check_places("mission.bases", "at", p.mission.bases, [](const model::BaseDef& x) { return x.at; });
    check_places("state_forces.garrisons", "at", p.conflict.state_forces.garrisons, [](const model::GarrisonDef& x) { return x.at; });
    const auto& roads = records_of("geography.roads");
    for (std::size_t i = 0; i < p.geography.roads.size(); ++i)
      for (const model::Point& pt : p.geography.roads[i].path)
        if (!on_grid(pt)) {
          off_grid(where_in(roads[i], "path"), "geography.roads[" + std::to_string(i) + "].path", pt);
          break;
        }

    auto index_of = [](const auto& items, const std::string& name) -> long {
      for (std::size_t i = 0; i < items.size(); ++i)
        if (items[i].name == name) return static_cast<long>(i);
      return -1;
    };
    auto names_of = [](const auto& items) {
      std::vector<std::string> out;
      for (const auto& item : items) out.push_back(item.name);
      return out;
    };
    auto unknown = [&](const std::string& at, const std::string& key, const std::string& name, const std::string& what,
                       const std::vector<std::string>& choices) {
      const std::string close = nearest(name, choices);
      errors.push_back({at, key, "no " + what + " is named " + quoted(name),
                        (close.empty() ? std::string() : "did you mean " + quoted(close) + "? ") +
                            (choices.empty() ? "none is defined" : "defined: " + join(choices))});
    };
    const auto& commodities = records_of("economy.commodities");
    for (std::size_t i = 0; i < p.economy.commodities.size(); ++i) {
      model::CommodityDef& c = p.economy.commodities[i];
      const std::string key = "economy.commodities[" + std::to_string(i) + "]";
      const long from = index_of(p.geography.points, c.from);
      const long to = index_of(p.geography.points, c.to);
      const long network = index_of(p.economy.networks, c.network);
      if (from < 0) unknown(where_in(commodities[i], "from"), key + ".from", c.from, "point", names_of(p.geography.points));
      if (to < 0) unknown(where_in(commodities[i], "to"), key + ".to", c.to, "point", names_of(p.geography.points));
      if (network < 0)
        unknown(where_in(commodities[i], "network"), key + ".network", c.network, "network", names_of(p.economy.networks));
      if (from >= 0 && from == to)
        errors.push_back({where_in(commodities[i], "to"), key + ".to", "enters and leaves at the same point " + quoted(std::as_const(c.to)),
                          "name a different exit point"});
      c.from_point = static_cast<std::size_t>(std::max(0L, from));
      c.to_point = static_cast<std::size_t>(std::max(0L, to));
      c.network_index = static_cast<std::size_t>(std::max(0L, network));
    }
    const auto& interdiction = records_of("police.interdiction");
    for (std::size_t i = 0; i < p.police.interdiction.size(); ++i) {
      const std::string& target = p.police.interdiction[i].target;
      if (index_of(p.geography.roads, target) >= 0 || index_of(p.geography.regions, target) >= 0) continue;
      std::vector<std::string> targets = names_of(p.geography.roads);
      for (const std::string& r : names_of(p.geography.regions)) targets.push_back(r);
      unknown(where_in(interdiction[i], "target"), "police.interdiction[" + std::to_string(i) + "].target", target,
              "road or region", targets);
    }
    const auto& levers = records_of("levers");
    for (std::size_t i = 0; i < p.mission.levers.size(); ++i) {
      model::LeverDef& l = p.mission.levers[i];
      const std::string key = "levers[" + std::to_string(i) + "]";
      if (l.end != 0 && l.end < l.start)
        errors.push_back({where_in(levers[i], "end"), key + ".end",
                          "ends at step " + std::to_string(l.end) + ", before it starts at step " + std::to_string(l.start),
                          "give an end after the start, or 0 to keep it in force to the end of the run"});
      if (l.region.empty()) continue;
      for (std::size_t r = 0; r < p.geography.regions.size(); ++r)
        if (p.geography.regions[r].name == l.region) l.region_index = static_cast<std::int16_t>(r);
      if (l.region_index < 0)
        unknown(where_in(levers[i], "region"), key + ".region", l.region, "region", names_of(p.geography.regions));
    }
    for (const auto& [key, named] : {std::pair<std::string, const std::string*>{"geography.terrain_raster", &p.geography.terrain_raster},
                                     {"geography.roads_raster", &p.geography.roads_raster},
                                     {"geography.population_raster", &p.geography.population_raster}})
      if (!named->empty()) {
        const std::string at = where_of(key, file);
        read_raster(RasterFile{key, *named, at}, origin_file(at, file), p);
      }
  }

  // The file a value was written in, from its location "file:line:column" (a --set value: `fallback`).
  // Paths in a file are relative to that file, also when an overlay of another folder uses it.
  static std::string origin_file(const std::string& where, const std::string& fallback) {
    if (where.rfind("--set", 0) == 0) return fallback;
    std::string file = where;
    for (int part = 0; part < 2; ++part) {
      const auto colon = file.rfind(':');
      if (colon == std::string::npos || file.find_first_not_of("0123456789", colon + 1) != std::string::npos) return fallback;
      file.resize(colon);
    }
    return file;
  }

  // A raster layer named by a scenario key: read through io, then checked against the grid and the
  // layer's meaning (terrain multipliers > 0; population weights and road marks >= 0).
  void read_raster(const RasterFile& raster, const std::string& scenario_file, model::Params& p) {
    io::Raster r;
    try {
      r = io::read_raster(raster.file, fs::path(scenario_file).parent_path().string());
    } catch (const io::RasterError& e) {
      errors.push_back({e.where(), raster.key, e.what(), e.hint()});
      return;
    }
    if (r.rows != p.grid.height || r.cols != p.grid.width) {
      errors.push_back({raster.where, raster.key,
                        raster.file + " is " + std::to_string(r.rows) + " x " + std::to_string(r.cols) +
                            " (rows x columns); the grid is " + std::to_string(p.grid.height) + " x " + std::to_string(p.grid.width),
                        "give one value per cell: grid.height rows of grid.width values"});
      return;
    }
    const bool terrain = raster.key == "geography.terrain_raster";
    for (std::size_t i = 0; i < r.values.size(); ++i) {
      if (r.values[i] > 0 || (!terrain && r.values[i] == 0)) continue;
      errors.push_back({raster.where, raster.key,
                        "the value at row " + std::to_string(i / static_cast<std::size_t>(r.cols)) + ", column " +
                            std::to_string(i % static_cast<std::size_t>(r.cols)) + " is " + shortest(r.values[i]),
                        terrain ? "terrain multipliers must be > 0" : "values must be >= 0"});
      return;
    }
    if (raster.key == "geography.population_raster" &&
        std::none_of(r.values.begin(), r.values.end(), [](float v) { return v > 0; })) {
      errors.push_back({raster.where, raster.key, "no cell has people (every weight is 0)", "give some cells a weight > 0"});
      return;
    }
    if (raster.key == "geography.population_raster" && p.population.rules.placement == model::Placement::exact) {
      const auto populated = static_cast<std::size_t>(std::count_if(r.values.begin(), r.values.end(), [](float v) { return v > 0; }));
      const auto needed = static_cast<std::size_t>(std::llround(p.population.citizens.density * p.grid.width * p.grid.height));
      if (populated < needed) {
        errors.push_back({raster.where, raster.key,
                          "only " + std::to_string(populated) + " cells have people, but citizens.density asks for " +
                              std::to_string(needed) + " citizens (one per cell)",
                          "lower citizens.density or give more cells a weight > 0"});
        return;
      }
    }
    if (terrain) p.geography.terrain_values = std::move(r.values);
    else if (raster.key == "geography.roads_raster") p.geography.roads_values = std::move(r.values);
    else p.geography.population_values = std::move(r.values);
  }

  void check_combinations(const Settings& s, const std::string& file) {
    source = file;
    source_has_lines = true;
    const model::Params& p = s.params;
    const model::PopulationParams& pop = p.population;
    double max_cop_density = pop.police.density.initial();
    for (const auto& c : pop.police.density.changes()) max_cop_density = std::max(max_cop_density, c.to);
    if (pop.citizens.density + max_cop_density > 1.0) {
      std::ostringstream m;
      m << "citizens.density + police.density = " << pop.citizens.density << " + " << max_cop_density << " = "
        << pop.citizens.density + max_cop_density << " exceeds 1";
      errors.push_back({where_of("citizens.density", where_of("police.density", file)), "citizens.density",
                        m.str(), "lower one of them: together they are the share of cells occupied (one agent per cell)"});
    }
    const core::Grid grid(p.grid.width, p.grid.height, p.grid.topology);
    for (const auto& [key, vision] : {std::pair<std::string, int>{"citizens.vision", pop.citizens.vision},
                                      std::pair<std::string, int>{"police.vision", pop.police.vision}}) {
      if (grid.fits_without_overlap(vision)) continue;
      const int largest = (std::min(p.grid.width, p.grid.height) - 1) / 2;
      errors.push_back({where_of(key, file), key,
                        "vision " + std::to_string(vision) + " wraps around a " + std::to_string(p.grid.width) + " x " +
                            std::to_string(p.grid.height) + " torus and would see cells twice",
                        "use at most " + std::to_string(largest) + ", a larger grid, or grid.topology: bounded"});
    }
    if (!p.run.start_date.empty() && !parse_date(p.run.start_date))
      errors.push_back({where_of("run.start_date", file), "run.start_date", quoted(p.run.start_date) + " is not a date",
                        "write it YYYY-MM-DD, e.g. 2027-01-01"});
    const model::ArmedGroupParams& ag = p.conflict.armed_groups;
    if (!ag.groups.empty()) {
      if (pop.rules.jail != model::JailRule::off_grid)
        errors.push_back({where_of("rules.jail", file), "rules.jail", "is hold_cell, but fighters leave the grid while they serve",
                          "use rules.jail: off_grid in a scenario with armed groups"});
      const std::size_t slots = ag.groups.size() * (1 + static_cast<std::size_t>(ag.max_splinters));
      if (slots > 254)
        errors.push_back({where_of("armed_groups.groups", file), "armed_groups.groups",
                          std::to_string(ag.groups.size()) + " groups with " + std::to_string(ag.max_splinters) +
                              " splinter slots each make " + std::to_string(slots) + " groups",
                          "at most 254 are supported: use fewer groups or a lower armed_groups.max_splinters"});
      double fighters = 0;
      for (const model::GroupDef& g : ag.groups) fighters += g.fighters;
      const double households = pop.citizens.density * p.grid.width * p.grid.height;
      if (fighters > 0.5 * households) {
        std::ostringstream m;
        m << "the groups start with " << fighters << " fighters, more than half of the about " << std::llround(households)
          << " households they are drawn from";
        errors.push_back({where_of("armed_groups.groups", file), "armed_groups.groups", m.str(),
                          "give the groups fewer fighters, or raise citizens.density or the grid size"});
      }
    }
    const double cells = static_cast<double>(p.grid.width) * p.grid.height;
    if (cells >= 2147483648.0) {
      errors.push_back({where_of("grid.width", file), "grid", "a grid of " + std::to_string(p.grid.width) + " x " +
                        std::to_string(p.grid.height) + " has more than 2^31 cells", "use fewer cells"});
      return;
    }
    const double need = static_cast<double>(model::estimate_memory_bytes(p));
    const double have = static_cast<double>(physical_memory_bytes());
    if (have > 0 && need > 0.8 * have) {
      std::ostringstream m;
      m.precision(3);
      m << "a " << p.grid.width << " x " << p.grid.height << " grid needs about " << need / (1u << 30)
        << " GiB of memory; this machine has " << have / (1u << 30) << " GiB";
      errors.push_back({where_of("grid.width", file), "grid", m.str(),
                        "use a smaller grid or lower densities, or run on a larger machine"});
    }
  }
};

// Every default in the table is valid by construction; a failure here is a bug in the table.
// Defaults written as durations ("1 year") depend on the scenario's step length.
Settings defaults(const Calendar& calendar) {
  Settings s;
  Validator v;
  v.calendar = calendar;
  for (const ParamSpec& spec : parameter_table()) {
    Value value;
    if (!v.read_value(spec, YAML::Load(spec.default_value), "default", value))
      throw std::logic_error("invalid default for " + spec.path + ": " + v.errors.back().format());
    spec.set(s.params, value);
  }
  return s;
}

// Shortest text that reads back as the same double (0.7, not yaml-cpp's 0.69999999999999996).
std::string shortest(double v) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::to_string(v);
}

YAML::Node flow_sequence() {
  YAML::Node n(YAML::NodeType::Sequence);
  n.SetStyle(YAML::EmitterStyle::Flow);
  return n;
}

YAML::Node point_node(const std::array<int, 2>& p) {
  YAML::Node n = flow_sequence();
  n.push_back(p[0]);
  n.push_back(p[1]);
  return n;
}

// A value as YAML, in the canonical form of the record of parameters in force (durations as steps).
YAML::Node value_node(const ParamInfo& spec, const Value& v) {
  switch (spec.type) {
    case ValueType::point: return point_node(v.points.at(0));
    case ValueType::points: {
      YAML::Node n = flow_sequence();
      for (const auto& p : v.points) n.push_back(point_node(p));
      return n;
    }
    case ValueType::rect: {
      YAML::Node n = flow_sequence();
      for (const auto& p : v.points) {
        n.push_back(p[0]);
        n.push_back(p[1]);
      }
      return n;
    }
    case ValueType::records: {
      YAML::Node list(YAML::NodeType::Sequence);
      for (const Record& r : v.records) {
        YAML::Node item(YAML::NodeType::Map);
        item.SetStyle(YAML::EmitterStyle::Flow);
        for (const auto& [key, value] : r.fields)
          for (const ParamInfo& f : spec.fields)
            if (f.path == key) item[key] = value_node(f, value);
        list.push_back(item);
      }
      return list;
    }
    case ValueType::text:
    case ValueType::choice: return YAML::Node(v.text);
    case ValueType::boolean: return YAML::Node(v.boolean);
    case ValueType::integer: return YAML::Node(v.integer);
    case ValueType::real: return YAML::Load(shortest(v.real));
    case ValueType::schedule: {
      if (v.schedule.constant()) return YAML::Load(shortest(v.schedule.initial()));
      YAML::Node n;
      n.SetStyle(YAML::EmitterStyle::Flow);
      n["initial"] = YAML::Load(shortest(v.schedule.initial()));
      for (const auto& c : v.schedule.changes()) {
        YAML::Node change;
        change["at"] = c.at;
        change["to"] = YAML::Load(shortest(c.to));
        change["over"] = c.over;
        n["changes"].push_back(change);
      }
      return n;
    }
  }
  return {};
}

}  // namespace

// Every parameter in force, nested by its dotted path, in the table's order: read from the parameters
// themselves through each row's binding, so the record cannot say other than what the model was given.
std::string resolved_parameters(const model::Params& params) {
  YAML::Node root(YAML::NodeType::Map);
  for (const ParamSpec& spec : parameter_table()) {
    YAML::Node value = value_node(spec, spec.get(params));
    YAML::Node at = root;
    std::string rest = spec.path;
    for (auto dot = rest.find('.'); dot != std::string::npos; dot = rest.find('.')) {
      const std::string section = rest.substr(0, dot);
      // yaml-cpp attaches a child to its parent only when the child is assigned: create it first.
      if (!at[section]) at[section] = YAML::Node(YAML::NodeType::Map);
      at.reset(at[section]);  // reset rebinds; '=' would assign into the node
      rest = rest.substr(dot + 1);
    }
    at[rest] = value;
  }
  YAML::Emitter out;
  out << root;
  return std::string(out.c_str()) + "\n";
}

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

std::string read_file(const std::string& path, const std::string& what = "scenario file") {
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

}  // namespace

std::uint64_t physical_memory_bytes() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page > 0 ? static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page) : 0;
}

namespace {
// One file of a scenario: an overlay names the file it changes with `base:`; the chain is read base first.
struct Layer {
  std::string name;
  std::string text;
  YAML::Node root;
};

constexpr int max_base_depth = 8;

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

const char* const option_keys = "name, description, decision, levers";

// A mandate option's file: its levers are added to the scenario's (after them, so they are funded after
// the scenario's own levers when the budget is short).
void read_option(Validator& v, const Layer& option, OptionInfo& info) {
  v.source = option.name;
  v.source_has_lines = true;
  const YAML::Node& root = option.root;
  if (!root.IsMap()) {
    v.errors.push_back({location(option.name, root.Mark()), "", "expected a mapping of keys, got " + shown(root),
                        "an option file has the keys " + std::string(option_keys)});
    return;
  }
  info.name = fs::path(option.name).stem().string();
  std::string name_where = option.name;
  bool have_decision = false, have_levers = false;
  for (const auto& kv : root) {
    const std::string key = scalar_text(kv.first);
    const std::string at = location(option.name, kv.first.Mark());
    const std::string value_at = kv.second.IsNull() ? at : location(option.name, kv.second.Mark());
    Value value;
    if (key == "name" || key == "description") {
      const ParamInfo text{key, ValueType::text, "", 0, 0, {}, "", "", ""};
      if (v.read_value(text, kv.second, value_at, value)) (key == "name" ? info.name : info.description) = value.text;
      if (key == "name") name_where = value_at;
    } else if (key == "decision") {
      have_decision = true;
      const ParamInfo decision{"decision", ValueType::integer, "step", 1, 10'000'000, {}, "", "", ""};
      if (v.read_value(decision, kv.second, value_at, value)) info.decision = value.integer;
      info.decision_where = value_at;
    } else if (key == "levers") {
      have_levers = true;
      if (!v.read_value(*find_parameter("levers"), kv.second, value_at, value)) continue;
      if (value.records.empty()) {
        v.errors.push_back({value_at, "levers", "an option needs at least one lever", "list the levers the option adds"});
        continue;
      }
      auto it = v.given.find("levers");
      if (it == v.given.end()) {
        v.given["levers"] = value;
        v.where["levers"] = value_at;
      } else {
        // One list, the scenario's entries then the option's, each keeping where it was written.
        YAML::Node both = YAML::Load(it->second.yaml);
        for (const YAML::Node& item : YAML::Load(value.yaml)) both.push_back(item);
        it->second.yaml = flow_yaml(both);
        for (Record& r : value.records) it->second.records.push_back(std::move(r));
      }
    } else {
      const std::string close = nearest(key, {"name", "description", "decision", "levers"});
      v.errors.push_back({at, key, "unknown key in an option file",
                          (close.empty() ? std::string() : "did you mean " + quoted(close) + "? ") +
                              "an option file has the keys " + option_keys});
    }
  }
  // The name labels the option in files and tables (an HDF5 group, a CSV field).
  const bool plain = !info.name.empty() && info.name != "." && info.name != ".." &&
                     info.name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == std::string::npos;
  if (!plain)
    v.errors.push_back({name_where, "name", "'" + info.name + "' cannot name an option",
                        "use letters, digits, '_', '-' and '.', e.g. name: sanctions_north"});
  if (!have_decision)
    v.errors.push_back({option.name, "decision", "missing key 'decision'",
                        "add 'decision: DATE' (or a step or duration): the options branch from the baseline there"});
  if (!have_levers)
    v.errors.push_back({option.name, "levers", "missing key 'levers'", "list the levers the option adds, as in a scenario"});
}

Scenario build(const std::vector<Layer>& layers, const std::vector<std::string>& overrides, const Layer* option) {
  const Layer& top = layers.back();
  if (top.root.IsNull())
    throw ScenarioError({{top.name, "", "the scenario is empty",
                          "start from a shipped scenario, e.g. scenarios/epstein/run2.yaml, or see 'pocsim schema'"}});
  Validator v;
  v.calendar = calendar_of(layers, overrides);
  for (const Layer& layer : layers) {
    if (!layer.root.IsMap()) {
      v.errors.push_back({location(layer.name, layer.root.Mark()), "", "expected a mapping of keys at the top level, got " +
                          shown(layer.root), "a scenario is a YAML mapping; valid top-level keys: " + join(children_of(""))});
      continue;
    }
    v.source = layer.name;
    v.source_has_lines = true;
    v.walk(layer.root, "");
  }
  for (const std::string& o : overrides) v.apply_override(o);
  std::size_t scenario_levers = v.records_of("levers").size();
  Scenario s;
  if (option) {
    s.option.emplace();
    s.option->path = option->name;
    s.option->text = option->text;
    s.option->first_lever = scenario_levers;
    read_option(v, *option, *s.option);
  }
  if (!v.errors.empty()) throw ScenarioError(v.errors);

  s.path = top.name;
  s.text = top.text;
  for (std::size_t i = 0; i + 1 < layers.size(); ++i) s.bases.emplace_back(layers[i].name, layers[i].text);
  s.overrides = overrides;
  s.settings = defaults(v.calendar);
  for (const ParamSpec& spec : parameter_table())
    if (const auto it = v.given.find(spec.path); it != v.given.end()) spec.set(s.settings.params, it->second);
  v.link(s.settings, top.name);
  v.check_combinations(s.settings, top.name);
  if (s.option) {
    // The option's levers follow the scenario's in one list; in its own file they are numbered from 0.
    for (Diagnostic& d : v.errors)
      if (d.where.rfind(option->name + ":", 0) == 0 && d.key.rfind("levers[", 0) == 0) {
        const std::size_t close = d.key.find(']');
        const std::size_t index = std::stoul(d.key.substr(7, close - 7)) - s.option->first_lever;
        d.key = "levers[" + std::to_string(index) + d.key.substr(close);
      }
    const model::Params& p = s.settings.params;
    const auto& records = v.records_of("levers");
    if (s.option->decision > p.run.steps)
      v.errors.push_back({s.option->decision_where, "decision", "is step " + std::to_string(s.option->decision) +
                          ", after the run's last step " + std::to_string(p.run.steps),
                          "choose a decision date within the run"});
    if (p.mission.bases.empty() && s.option->first_lever == 0 && p.mission.contracts <= 0)
      v.errors.push_back({Validator::where_in(records.at(s.option->first_lever), "lever"), "levers",
                          "the scenario has no mission (no base, lever or contracts) for the option's levers to belong to",
                          "give the scenario a mission: a base under mission.bases, or mission.contracts"});
    for (std::size_t i = s.option->first_lever; i < p.mission.levers.size(); ++i)
      if (p.mission.levers[i].start < s.option->decision)
        v.errors.push_back({Validator::where_in(records[i], "start"), "levers[" + std::to_string(i - s.option->first_lever) + "].start",
                            "starts at step " + std::to_string(p.mission.levers[i].start) + ", before the option's decision at step " +
                                std::to_string(s.option->decision),
                            "start it on or after the decision date: every option shares the baseline's run until then"});
  }
  if (!v.errors.empty()) throw ScenarioError(v.errors);
  s.resolved_yaml = resolved_parameters(s.settings.params);
  return s;
}
}  // namespace

std::vector<model::LeverDef> OptionInfo::levers_of(const model::Params& p) const {
  return {p.mission.levers.begin() + static_cast<std::ptrdiff_t>(first_lever), p.mission.levers.end()};
}

Scenario parse_scenario(const std::string& text, const std::string& name, const std::vector<std::string>& overrides) {
  return build(read_layers(text, name), overrides, nullptr);
}

Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  return parse_scenario(read_file(path), path, overrides);
}

std::string read_input_file(const std::string& path, const std::string& what) { return read_file(path, what); }

YAML::Node read_yaml_file(const std::string& path, const std::string& what, std::string* text) {
  std::string content = read_file(path, what);
  YAML::Node root = parse_yaml(content, path);
  if (text) *text = std::move(content);
  return root;
}

bool is_option_file(const std::string& path) {
  try {
    const YAML::Node root = parse_yaml(read_file(path), path);
    return root.IsMap() && root["decision"];
  } catch (const ScenarioError&) {
    return false;  // unreadable or malformed: reading it as a scenario reports why
  } catch (const YAML::Exception&) {
    return false;
  }
}

std::string scenario_name(const std::string& path) {
  const fs::path p(path);
  const std::string parent = p.parent_path().filename().string();
  return p.stem() == "base" && !parent.empty() && parent != "." ? parent : p.stem().string();
}

io::RunProvenance provenance_of(const Scenario& s, const std::string& command_line, int threads) {
  io::RunProvenance prov;
  prov.scenario_path = s.path;
  prov.scenario_text = s.text;
  for (const auto& [path, text] : s.bases) prov.scenario_bases += "# ---- " + path + "\n" + text;
  if (s.option) {
    prov.option_path = s.option->path;
    prov.option_text = s.option->text;
  }
  prov.parameters_resolved = s.resolved_yaml;
  for (const std::string& o : s.overrides) prov.overrides += o + "\n";
  prov.command_line = command_line;
  prov.seed = s.params().run.seed;
  prov.threads = threads;
  prov.start_time = io::utc_now_iso8601();
  return prov;
}

Scenario load_option(const std::string& scenario_path, const std::string& option_path,
                     const std::vector<std::string>& overrides) {
  const std::string text = read_file(option_path);
  const Layer option{option_path, text, parse_yaml(text, option_path)};
  return build(read_layers(read_file(scenario_path), scenario_path), overrides, &option);
}

}  // namespace pocsim::scenario

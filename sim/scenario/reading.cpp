// Reading a scenario's YAML into values validated against the parameter table: keys, types, ranges,
// choices, schedules, lists of entries, and --set overrides, each problem recorded with where it was
// written and how to fix it.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "core/text.hpp"
#include "scenario/reading.hpp"
#include "scenario/yaml_input.hpp"

namespace pocsim::scenario::detail {

using core::join;
using core::quoted;

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

void Validator::walk(const YAML::Node& node, const std::string& section) {
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
    if (section.empty() && key == "uncertain") continue;  // not a parameter: the loader reads it (uncertain.hpp)
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

std::string Validator::unknown_key_hint(const std::string& key, const std::string& section) {
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
bool Validator::read_value(const ParamInfo& spec, const YAML::Node& node, const std::string& at, Value& out) {
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

bool Validator::read_coordinate(const YAML::Node& n, int& out) {
  double v = 0;
  if (!n.IsScalar() || n.Tag() == "!" || !parse_double(n.Scalar(), v) || v != std::floor(v) || v < -1e6 || v > 1e6)
    return false;
  out = static_cast<int>(v);
  return true;
}

bool Validator::read_point(const YAML::Node& n, std::array<int, 2>& p) {
  return n.IsSequence() && n.size() == 2 && read_coordinate(n[0], p[0]) && read_coordinate(n[1], p[1]);
}

bool Validator::read_records(const ParamInfo& spec, const YAML::Node& node, const std::string& at, Value& out) {
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

std::string Validator::field_names(const ParamInfo& spec) {
  std::vector<std::string> keys;
  for (const ParamInfo& f : spec.fields) keys.push_back(f.path);
  return join(keys);
}

bool Validator::read_schedule(const ParamInfo& spec, const YAML::Node& node, const std::string& at, Value& out) {
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

void Validator::read_change(const YAML::Node& c, const std::string& item, ParamInfo level, ParamInfo step_spec, std::vector<core::ScheduledChange>& changes) {
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

void Validator::apply_override(const std::string& text) {
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
bool Validator::override_list_field(const std::string& at, const std::string& path, const std::string& value_text) {
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
  // Read without stoul, which throws on a number too large for it: any such index is simply not an entry.
  const auto [end, ec] = std::from_chars(index_text.data(), index_text.data() + index_text.size(), index);
  if (index_text.empty() || index_text.find_first_not_of("0123456789") != std::string::npos || ec != std::errc() ||
      end != index_text.data() + index_text.size() || index >= records_of(list).size()) {
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

std::string Validator::where_of(const std::string& path, const std::string& fallback) const {
  const auto it = where.find(path);
  return it == where.end() ? fallback : it->second;
}

// The records of a list key as given (empty when the scenario did not give it).
const std::vector<Record>& Validator::records_of(const std::string& path) const {
  static const std::vector<Record> none;
  const auto it = given.find(path);
  return it == given.end() ? none : it->second.records;
}

std::string Validator::where_in(const Record& r, const std::string& key) {
  const Value* v = r.get(key);
  return v ? v->where : r.where;
}

}  // namespace pocsim::scenario::detail

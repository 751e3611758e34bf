#pragma once
// The parameter table's building blocks: what a scenario key is (ParamInfo), a validated value (Value),
// and a row bound to the struct member it sets and reads (BoundParam). Each mechanism declares its own
// rows beside its parameter struct (sim/model/<mechanism>/parameters.cpp) with ParamRows; the model
// assembles them into one table (sim/model/parameters.hpp), from which scenario validation,
// `pocsim schema`, docs/parameters.md and the record of parameters in force are all made. A row's
// default is the only default of its member: the structs carry none.
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/names.hpp"
#include "core/schedule.hpp"

namespace pocsim::model {

// point: [x, y] cells; points: a list of points (a polyline or polygon); rect: [x0, y0, x1, y1];
// records: a list of mappings, each with the keys declared in ParamInfo::fields.
enum class ValueType { boolean, integer, real, text, choice, schedule, point, points, rect, records };

struct Record;

// A validated value; only the members matching its type are meaningful.
struct Value {
  bool boolean = false;
  std::int64_t integer = 0;    // integer; choice: the index of the choice
  double real = 0;
  std::string text;            // text; choice: the name
  core::Schedule schedule;
  std::vector<std::array<int, 2>> points;  // point: one; points: the list; rect: two corners
  std::vector<Record> records;
  std::string where;  // where it was given (file:line:column or --set ...), for messages; "" when read from a model
  std::string yaml;   // as given, in flow YAML (the scenario loader rewrites lists with it); "" when read from a model
};

// One item of a records list: its fields in the order given (or declared, when read from a model).
struct Record {
  // Special members defined in the .cpp, where Value is complete: defined implicitly here, they would make
  // clang (libstdc++'s std::pair checks) instantiate Value's members inside its own definition.
  Record();
  ~Record();
  Record(const Record&);
  Record(Record&&) noexcept;
  Record& operator=(const Record&);
  Record& operator=(Record&&) noexcept;

  std::string where;
  std::vector<std::pair<std::string, Value>> fields;
  [[nodiscard]] const Value* get(const std::string& key) const;
  [[nodiscard]] std::string text(const std::string& key) const;  // "" when absent
};

// What a scenario key is: everything but the member it binds to.
struct ParamInfo {
  std::string path;              // dotted key path, e.g. "citizens.legitimacy"; a record field: its key in the item
  ValueType type = ValueType::real;
  std::string unit;              // "1" for dimensionless shares and probabilities
  double min = 0;                // inclusive bounds for integer, real and schedule values; points: the fewest
  double max = 0;
  std::vector<std::string> choices;
  std::string default_value;     // as written in YAML; "" required; "null" (record fields) optional, no default
  std::string meaning;
  std::string source;
  std::vector<ParamInfo> fields;  // records: the keys of each item
  std::string mechanism;         // the mechanism that owns it (set when the table is assembled)
};

// A row bound to a member of Owner: `set` writes a validated value into it, `get` reads the value in force.
template <class Owner>
struct BoundParam : ParamInfo {
  std::function<void(Owner&, const Value&)> set;
  std::function<Value(const Owner&)> get;
};

// "number in [0, 1]", "one of floor, round, none", ... as used in messages and docs.
std::string describe_allowed(const ParamInfo& spec);
std::string type_name(ValueType t);

// ---- Conversions between a Value and the member it binds to ------------------------------------------

namespace binding {

template <class T>
struct is_vector : std::false_type {};
template <class T>
struct is_vector<std::vector<T>> : std::true_type {};

template <class T>
void assign(T& member, const Value& v) {
  if constexpr (std::is_same_v<T, bool>) member = v.boolean;
  else if constexpr (std::is_same_v<T, double>) member = v.real;
  else if constexpr (std::is_same_v<T, std::string>) member = v.text;
  else if constexpr (std::is_same_v<T, core::Schedule>) member = v.schedule;
  else if constexpr (std::is_enum_v<T>) member = static_cast<T>(v.integer);
  else if constexpr (std::is_integral_v<T>) member = static_cast<T>(v.integer);
  else if constexpr (std::is_same_v<T, std::array<int, 2>>) member = v.points.at(0);
  else if constexpr (std::is_same_v<T, std::vector<std::array<int, 2>>>) member = v.points;
  else if constexpr (std::is_same_v<T, std::optional<std::array<std::array<int, 2>, 2>>>) member = {{v.points.at(0), v.points.at(1)}};
  else static_assert(!sizeof(T), "no conversion from a scenario value to this member type");
}

template <class T>
Value value_of(const T& member) {
  Value v;
  if constexpr (std::is_same_v<T, bool>) v.boolean = member;
  else if constexpr (std::is_same_v<T, double>) v.real = member;
  else if constexpr (std::is_same_v<T, std::string>) v.text = member;
  else if constexpr (std::is_same_v<T, core::Schedule>) v.schedule = member, v.real = member.initial();
  else if constexpr (core::Named<T>) v.integer = static_cast<std::int64_t>(member), v.text = std::string(core::to_string(member));
  else if constexpr (std::is_integral_v<T>) v.integer = static_cast<std::int64_t>(member), v.real = static_cast<double>(member);
  else if constexpr (std::is_same_v<T, std::array<int, 2>>) v.points = {member};
  else if constexpr (std::is_same_v<T, std::vector<std::array<int, 2>>>) v.points = member;
  else if constexpr (std::is_same_v<T, std::optional<std::array<std::array<int, 2>, 2>>>) v.points = {(*member)[0], (*member)[1]};
  else static_assert(!sizeof(T), "no conversion from this member type to a scenario value");
  return v;
}

}  // namespace binding

// A field of the items of a records row, bound to a member of Item. `present` says whether an item has the
// field at all (an optional field given as null); a field without it is always present.
template <class Item>
struct BoundField : ParamInfo {
  std::function<void(Item&, const Value&)> set;
  std::function<std::optional<Value>(const Item&)> get;
};

// Makes a field whose value is the member `member(item)` refers to (a lambda taking auto& and returning
// auto&, so it serves both to set and to read).
template <class Item, class Member>
BoundField<Item> field(ParamInfo info, Member member) {
  BoundField<Item> f;
  static_cast<ParamInfo&>(f) = std::move(info);
  f.set = [member](Item& item, const Value& v) { binding::assign(member(item), v); };
  f.get = [member](const Item& item) -> std::optional<Value> {
    const auto& m = member(item);
    if constexpr (requires { m.has_value(); }) {
      if (!m.has_value()) return std::nullopt;
    }
    return binding::value_of(m);
  };
  return f;
}

// A field set and read by explicit functions, for a member whose value is derived (a rectangle that also
// sets the outline).
template <class Item>
BoundField<Item> field(ParamInfo info, std::function<void(Item&, const Value&)> set,
                       std::function<std::optional<Value>(const Item&)> get) {
  BoundField<Item> f;
  static_cast<ParamInfo&>(f) = std::move(info);
  f.set = std::move(set);
  f.get = std::move(get);
  return f;
}

// The rows of one parameter struct, each bound to one of its members.
template <class Section>
class ParamRows {
 public:
  // A row whose value is the member `member(section)` refers to (a lambda taking auto& and returning auto&).
  template <class Member>
  void add(ParamInfo info, Member member) {
    BoundParam<Section> row;
    static_cast<ParamInfo&>(row) = std::move(info);
    row.set = [member](Section& s, const Value& v) { binding::assign(member(s), v); };
    row.get = [member](const Section& s) { return binding::value_of(member(s)); };
    rows.push_back(std::move(row));
  }

  // A row listing items: `member(section)` refers to a std::vector<Item>, and each field binds to a member of Item.
  template <class Item, class Member>
  void add_records(ParamInfo info, Member member, std::vector<BoundField<Item>> fields) {
    BoundParam<Section> row;
    static_cast<ParamInfo&>(row) = std::move(info);
    row.type = ValueType::records;
    for (const BoundField<Item>& f : fields) row.fields.push_back(static_cast<const ParamInfo&>(f));
    row.set = [member, fields](Section& s, const Value& v) {
      auto& items = member(s);
      items.clear();
      for (const Record& r : v.records) {
        Item item{};
        for (const BoundField<Item>& f : fields)
          if (const Value* given = r.get(f.path)) f.set(item, *given);
        items.push_back(std::move(item));
      }
    };
    row.get = [member, fields](const Section& s) {
      Value v;
      for (const Item& item : member(s)) {
        Record r;
        for (const BoundField<Item>& f : fields)
          if (std::optional<Value> value = f.get(item)) r.fields.emplace_back(f.path, std::move(*value));
        v.records.push_back(std::move(r));
      }
      return v;
    };
    rows.push_back(std::move(row));
  }

  // Rows of a part of this struct (`member(section)` refers to it), declared by that part's own ParamRows.
  template <class Part, class Member>
  void include(const ParamRows<Part>& part, Member member, const std::string& mechanism = "") {
    for (const BoundParam<Part>& p : part.rows) {
      BoundParam<Section> row;
      static_cast<ParamInfo&>(row) = static_cast<const ParamInfo&>(p);
      if (!mechanism.empty()) row.mechanism = mechanism;
      row.set = [member, set = p.set](Section& s, const Value& v) { set(member(s), v); };
      row.get = [member, get = p.get](const Section& s) { return get(member(s)); };
      rows.push_back(std::move(row));
    }
  }

  std::vector<BoundParam<Section>> rows;
};

}  // namespace pocsim::model

#include "model/common/parameter_table.hpp"

#include "core/text.hpp"

namespace pocsim::model {

Record::Record() = default;
Record::~Record() = default;
Record::Record(const Record&) = default;
Record::Record(Record&&) noexcept = default;
Record& Record::operator=(const Record&) = default;
Record& Record::operator=(Record&&) noexcept = default;

const Value* Record::get(const std::string& key) const {
  for (const auto& [k, v] : fields)
    if (k == key) return &v;
  return nullptr;
}

std::string Record::text(const std::string& key) const {
  const Value* v = get(key);
  return v ? v->text : std::string();
}

namespace {
// Whole numbers in full (a seed bound of 2^53 - 1 must not print as 9.0072e+15), others as written.
std::string number(double v) { return core::shortest(v); }
}  // namespace

std::string type_name(ValueType t) {
  switch (t) {
    case ValueType::boolean: return "boolean";
    case ValueType::integer: return "whole number";
    case ValueType::real: return "number";
    case ValueType::text: return "text";
    case ValueType::choice: return "choice";
    case ValueType::schedule: return "number or schedule";
    case ValueType::point: return "point";
    case ValueType::points: return "list of points";
    case ValueType::rect: return "rectangle";
    case ValueType::records: return "list";
  }
  return "?";
}

std::string describe_allowed(const ParamInfo& spec) {
  switch (spec.type) {
    case ValueType::boolean: return "true or false";
    case ValueType::text: return "text";
    case ValueType::choice: {
      std::string s = "one of ";
      for (std::size_t i = 0; i < spec.choices.size(); ++i) s += (i ? ", " : "") + spec.choices[i];
      return s;
    }
    case ValueType::integer:
      return "a whole number from " + number(spec.min) + " to " + number(spec.max);
    case ValueType::point: return "[x, y] in cells, inside the grid";
    case ValueType::points: return "a list of at least " + number(spec.min) + " points [x, y]";
    case ValueType::rect: return "[x0, y0, x1, y1] in cells, corners included";
    case ValueType::records: return "a list of mappings (keys below)";
    case ValueType::real:
    case ValueType::schedule:
      return "a number from " + number(spec.min) + " to " + number(spec.max);
  }
  return "?";
}

}  // namespace pocsim::model

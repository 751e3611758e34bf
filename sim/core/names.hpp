#pragma once
// One table of names per enum. to_string, reading a name back, and the choices a scenario key lists all
// read that table, so a name is written once.
//
// An enum takes part by declaring, in its own namespace (found by argument-dependent lookup),
//   constexpr auto enum_names(MyEnum) { return std::to_array<std::string_view>({"first", "second"}); }
// whose entries follow the enumerators' values 0, 1, 2, ...
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace pocsim::core {

template <class E>
concept Named = std::is_enum_v<E> && requires(E e) { enum_names(e); };

template <Named E>
constexpr std::size_t enum_count() {
  return enum_names(E{}).size();
}

template <Named E>
constexpr std::string_view to_string(E e) {
  const auto names = enum_names(E{});
  const auto i = static_cast<std::size_t>(e);
  return i < names.size() ? names[i] : std::string_view("?");
}

template <Named E>
constexpr std::optional<E> from_string(std::string_view name) {
  const auto names = enum_names(E{});
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<E>(i);
  return std::nullopt;
}

// Every name, in enumerator order (a scenario key's choices).
template <Named E>
std::vector<std::string> names_of() {
  std::vector<std::string> out;
  for (std::string_view n : enum_names(E{})) out.emplace_back(n);
  return out;
}

// Every enumerator, in order.
template <Named E>
constexpr auto all_of() {
  std::array<E, enum_count<E>()> out{};
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<E>(i);
  return out;
}

}  // namespace pocsim::core

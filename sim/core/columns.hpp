#pragma once
// Agent state stored as columns: one std::vector per variable, all of one length.
//
// A table derives from ColumnTable<Derived> and lists its columns once, in `columns()`, returning
// std::tie of them. Rows are never removed or reordered, so an agent's id is its row and stays valid for
// the whole run; an agent that leaves the model is marked by a state column, not erased.
#include <cstddef>
#include <cstdint>
#include <tuple>
#include <vector>

namespace pocsim::core {

using AgentId = std::uint32_t;

template <class Derived>
class ColumnTable {
 public:
  [[nodiscard]] std::size_t size() const { return size_; }

  // Appends one row with every column value-initialised; returns its id.
  AgentId append() {
    resize(size_ + 1);
    return static_cast<AgentId>(size_ - 1);
  }

  void resize(std::size_t n) {
    std::apply([n](auto&... col) { (col.resize(n), ...); }, self().columns());
    size_ = n;
  }

  void reserve(std::size_t n) {
    std::apply([n](auto&... col) { (col.reserve(n), ...); }, self().columns());
  }

  // Whether every column has the table's length (an invariant; checked in tests and debug builds).
  [[nodiscard]] bool consistent() const {
    bool ok = true;
    std::apply([&](auto&... col) { ((ok = ok && col.size() == size_), ...); }, const_cast<Derived&>(self()).columns());
    return ok;
  }

  // Bytes of state per row, summed over columns.
  [[nodiscard]] std::size_t bytes_per_row() const {
    std::size_t b = 0;
    std::apply([&](auto&... col) { ((b += sizeof(typename std::remove_reference_t<decltype(col)>::value_type)), ...); },
               const_cast<Derived&>(self()).columns());
    return b;
  }

 private:
  Derived& self() { return static_cast<Derived&>(*this); }
  const Derived& self() const { return static_cast<const Derived&>(*this); }
  std::size_t size_ = 0;
};

}  // namespace pocsim::core

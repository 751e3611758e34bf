#include <catch2/catch.hpp>

#include "core/columns.hpp"

namespace {
struct Things : pocsim::core::ColumnTable<Things> {
  std::vector<float> weight;
  std::vector<std::uint8_t> flag;
  std::vector<double> value;
  auto columns() { return std::tie(weight, flag, value); }
};
}  // namespace

TEST_CASE("column tables keep every column the same length and ids stable", "[columns]") {
  Things t;
  CHECK(t.size() == 0);
  const auto a = t.append();
  t.weight[a] = 1.5f;
  const auto b = t.append();
  t.weight[b] = 2.5f;
  CHECK(a == 0);
  CHECK(b == 1);
  t.resize(100);
  CHECK(t.size() == 100);
  CHECK(t.consistent());
  CHECK(t.weight[a] == 1.5f);
  CHECK(t.weight[b] == 2.5f);
  CHECK(t.value[99] == 0.0);
  CHECK(t.bytes_per_row() == sizeof(float) + sizeof(std::uint8_t) + sizeof(double));
  t.flag.push_back(1);  // break the invariant on purpose
  CHECK_FALSE(t.consistent());
}

#include <catch2/catch.hpp>

#include "core/schedule.hpp"

using pocsim::core::Schedule;

TEST_CASE("a constant schedule never changes", "[schedule]") {
  const Schedule s(0.82);
  CHECK(s.constant());
  CHECK(s.value_at(0) == 0.82);
  CHECK(s.value_at(1000000) == 0.82);
}

TEST_CASE("a jump takes effect at its step", "[schedule]") {
  const Schedule s(0.9, {{77, 0.7, 0}});
  CHECK(s.value_at(76) == 0.9);
  CHECK(s.value_at(77) == 0.7);
  CHECK(s.value_at(500) == 0.7);
}

TEST_CASE("a ramp moves one increment per step and arrives after `over` steps", "[schedule]") {
  const Schedule s(0.9, {{77, 0.7, 20}});
  CHECK(s.value_at(76) == 0.9);
  CHECK(s.value_at(77) == Approx(0.89));
  CHECK(s.value_at(86) == Approx(0.80));
  CHECK(s.value_at(96) == Approx(0.70));
  CHECK(s.value_at(97) == 0.7);
}

TEST_CASE("successive changes start from the value in force", "[schedule]") {
  const Schedule s(0.04, {{10, 0.02, 10}, {30, 0.08, 0}, {40, 0.0, 4}});
  CHECK(s.value_at(15) == Approx(0.04 - 0.02 * 6 / 10));
  CHECK(s.value_at(25) == 0.02);
  CHECK(s.value_at(30) == 0.08);
  CHECK(s.value_at(41) == Approx(0.04));
  CHECK(s.value_at(60) == 0.0);
}

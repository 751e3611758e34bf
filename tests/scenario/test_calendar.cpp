// Times in scenarios: durations and dates become steps with the scenario's step length.
#include <catch2/catch.hpp>

#include "scenario/calendar.hpp"
#include "scenario/loader.hpp"
#include "support/support.hpp"

using namespace pocsim;
using scenario::Calendar;
using scenario::StepLength;

namespace {
std::int64_t steps(const std::string& text, Calendar c) {
  std::string why;
  const auto s = scenario::steps_of(text, c, why);
  INFO(text << ": " << why);
  REQUIRE(s.has_value());
  return *s;
}
std::string why_not(const std::string& text, Calendar c) {
  std::string why;
  CHECK_FALSE(scenario::steps_of(text, c, why).has_value());
  return why;
}
}  // namespace

TEST_CASE("dates are checked and counted in days", "[calendar]") {
  CHECK(scenario::parse_date("2027-01-01").has_value());
  CHECK(scenario::parse_date("2028-02-29").has_value());  // leap year
  CHECK_FALSE(scenario::parse_date("2027-02-29").has_value());
  CHECK_FALSE(scenario::parse_date("2100-02-29").has_value());  // not a leap year
  CHECK(scenario::parse_date("2000-02-29").has_value());        // but 2000 was
  CHECK_FALSE(scenario::parse_date("2027-13-01").has_value());
  CHECK_FALSE(scenario::parse_date("27-01-01").has_value());
  CHECK(scenario::days_since_epoch({1970, 1, 1}) == 0);
  CHECK(scenario::days_since_epoch({2000, 3, 1}) == 11017);
  CHECK(scenario::days_since_epoch({2027, 1, 1}) - scenario::days_since_epoch({2026, 1, 1}) == 365);
  CHECK(scenario::days_since_epoch({2029, 1, 1}) - scenario::days_since_epoch({2028, 1, 1}) == 366);
}

TEST_CASE("durations become whole steps for each step length", "[calendar]") {
  const Calendar weeks{StepLength::week, std::nullopt};
  const Calendar months{StepLength::month, std::nullopt};
  const Calendar days{StepLength::day, std::nullopt};
  CHECK(steps("26 weeks", weeks) == 26);
  CHECK(steps("1 year", weeks) == 52);
  CHECK(steps("6 months", weeks) == 26);
  CHECK(steps("10 years", weeks) == 522);  // 3652.5 days / 7
  CHECK(steps("1.5 years", months) == 18);
  CHECK(steps("1 month", months) == 1);
  CHECK(steps("2 weeks", days) == 14);
  CHECK(steps("8 steps", months) == 8);
  CHECK(steps(" 3 days ", days) == 3);
  CHECK(why_not("3 fortnights", weeks) == "'fortnights' is not a unit of time");
  CHECK(why_not("weeks", weeks) == "it is neither a number of steps, a duration nor a date");
  CHECK(why_not("2027-06-01", weeks) == "a date needs run.start_date, the date of step 0");
}

TEST_CASE("dates count steps from the start date", "[calendar]") {
  const Calendar weeks{StepLength::week, scenario::Date{2027, 1, 1}};
  const Calendar months{StepLength::month, scenario::Date{2027, 1, 1}};
  CHECK(steps("2027-01-01", weeks) == 0);
  CHECK(steps("2027-01-08", weeks) == 1);
  CHECK(steps("2028-01-01", weeks) == 52);
  CHECK(steps("2028-01-01", months) == 12);
  CHECK(steps("2027-07-01", months) == 6);
  CHECK(why_not("2026-12-31", weeks) == "it is before run.start_date");
}

TEST_CASE("scenario times may be written as durations or dates", "[calendar][loading]") {
  const auto s = scenario::parse_scenario(
      "run:\n  steps: 2 years\n  step_length: month\n  start_date: 2027-01-01\n"
      "citizens:\n  legitimacy: {initial: 0.9, changes: [{at: 2027-07-01, to: 0.7, over: 6 months}]}\n",
      "s.yaml");
  CHECK(s.settings.params.run.steps == 24);
  const auto& change = s.settings.params.population.citizens.legitimacy.changes().at(0);
  CHECK(change.at == 6);
  CHECK(change.over == 6);
  // The step length may come after the times that need it, in the file or from --set.
  const auto later = scenario::parse_scenario("run:\n  steps: 1 year\n", "s.yaml", {"run.step_length=day"});
  CHECK(later.settings.params.run.steps == 365);
}

TEST_CASE("a time that cannot be read says why and how to write it", "[calendar][errors]") {
  const auto errors_of = [](const std::string& yaml, const std::vector<std::string>& overrides = {}) {
    return test::scenario_errors(yaml, overrides);
  };
  CHECK(errors_of("run:\n  steps: 2 yeers\n") ==
        "s.yaml:2:10: error: run.steps: '2 yeers' is not a time: 'yeers' is not a unit of time\n"
        "  hint: write a whole number of steps, a duration such as '26 weeks', '6 months' or '2 years', or a date "
        "YYYY-MM-DD (with run.start_date)\n");
  CHECK(errors_of("run:\n  start_date: 2027-02-30\n") ==
        "s.yaml:2:15: error: run.start_date: '2027-02-30' is not a date\n  hint: write it YYYY-MM-DD, e.g. 2027-01-01\n");
}

#pragma once
// Time in scenarios: what one step is, and times written the way planners write them — "26 weeks",
// "6 months", "2 years", or a date — turned into steps once, when the scenario is read.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pocsim::scenario {

enum class StepLength { day, week, month };

struct Date {
  int year = 0, month = 0, day = 0;
};

struct Calendar {
  StepLength step = StepLength::week;
  std::optional<Date> start;  // the date of step 0, when the scenario gives one
};

// A valid date written YYYY-MM-DD, or nothing.
std::optional<Date> parse_date(std::string_view text);

// Days since 1970-01-01 (proleptic Gregorian calendar).
std::int64_t days_since_epoch(const Date& d);

// The date of `step` (YYYY-MM-DD) for a run starting on `start_date` (YYYY-MM-DD) with steps of `step_length`
// (day, week or month; a month step keeps the day of the month, clamped to the month's length); "" when
// the run has no start date.
std::string date_of_step(const std::string& start_date, const std::string& step_length, std::int64_t step);

// Steps for a time written as a duration ("26 weeks", "6 months", "1.5 years", "10 days", "8 steps") or,
// when the calendar has a start, a date (the steps from the start to it). Durations are rounded to the
// nearest step (a month is 365.25 / 12 days; months and years are exact when a step is a month). On
// failure returns nothing and says why in `why`.
std::optional<std::int64_t> steps_of(std::string_view text, const Calendar& calendar, std::string& why);

}  // namespace pocsim::scenario

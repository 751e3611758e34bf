#include "scenario/calendar.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <utility>

#include "model/common/run_params.hpp"

namespace pocsim::scenario {

namespace {
constexpr double days_per_month = model::days_per_year / 12.0;

double days_per_step(StepLength s) {
  switch (s) {
    case StepLength::day: return 1.0;
    case StepLength::week: return 7.0;
    case StepLength::month: return days_per_month;
  }
  return 7.0;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : days[m - 1];
}
}  // namespace

std::optional<Date> parse_date(std::string_view text) {
  text = trim(text);
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  Date d;
  auto number = [&](std::size_t from, std::size_t length, int& out) {
    const auto* first = text.data() + from;
    const auto [end, ec] = std::from_chars(first, first + length, out);
    return ec == std::errc() && end == first + length;
  };
  if (!number(0, 4, d.year) || !number(5, 2, d.month) || !number(8, 2, d.day)) return std::nullopt;
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > days_in_month(d.year, d.month)) return std::nullopt;
  return d;
}

std::int64_t days_since_epoch(const Date& date) {
  // Days from civil (H. Hinnant's algorithm): eras of 400 years starting on 1 March.
  const std::int64_t y = date.year - (date.month <= 2);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t year_of_era = y - era * 400;
  const std::int64_t day_of_year = (153 * (date.month + (date.month > 2 ? -3 : 9)) + 2) / 5 + date.day - 1;
  const std::int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

namespace {
// The inverse of days_since_epoch (the same eras of 400 years starting on 1 March).
Date date_from_days(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t day_of_era = days - era * 146097;
  const std::int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t shifted_month = (5 * day_of_year + 2) / 153;
  const auto day = static_cast<int>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  const auto month = static_cast<int>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
  return {static_cast<int>(year_of_era + era * 400 + (month <= 2)), month, day};
}

}  // namespace

std::string date_of_step(const std::string& start_date, const std::string& step_length, std::int64_t step) {
  const std::optional<Date> start = parse_date(start_date);
  if (!start) return "";
  Date d = *start;
  if (step_length == "month") {
    const std::int64_t months = d.year * 12LL + (d.month - 1) + step;
    d.year = static_cast<int>(months / 12);
    d.month = static_cast<int>(months % 12) + 1;
    d.day = std::min(d.day, days_in_month(d.year, d.month));
  } else {
    d = date_from_days(days_since_epoch(d) + step * (step_length == "day" ? 1 : 7));
  }
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", d.year, d.month, d.day);
  return text;
}

std::optional<std::int64_t> steps_of(std::string_view text, const Calendar& calendar, std::string& why) {
  text = trim(text);
  if (const auto date = parse_date(text)) {
    if (!calendar.start) {
      why = "a date needs run.start_date, the date of step 0";
      return std::nullopt;
    }
    const Date& s = *calendar.start;
    double steps = 0;
    if (calendar.step == StepLength::month) {
      // Calendar months, so the first of each month is a whole number of steps from the first of another.
      steps = (date->year - s.year) * 12.0 + (date->month - s.month) + (date->day - s.day) / days_per_month;
    } else {
      steps = static_cast<double>(days_since_epoch(*date) - days_since_epoch(s)) / days_per_step(calendar.step);
    }
    if (steps < 0) {
      why = "it is before run.start_date";
      return std::nullopt;
    }
    return static_cast<std::int64_t>(std::llround(steps));
  }
  // A number and a unit.
  std::size_t split = 0;
  while (split < text.size() && (std::isdigit(static_cast<unsigned char>(text[split])) || text[split] == '.')) ++split;
  double amount = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + split, amount);
  const std::string_view unit = trim(text.substr(split));
  if (split == 0 || ec != std::errc() || end != text.data() + split || unit.empty()) {
    why = "it is neither a number of steps, a duration nor a date";
    return std::nullopt;
  }
  const std::pair<std::string_view, double> units[] = {
      {"day", 1.0}, {"days", 1.0}, {"week", 7.0}, {"weeks", 7.0}, {"month", days_per_month}, {"months", days_per_month},
      {"year", 365.25}, {"years", 365.25}, {"step", 0.0}, {"steps", 0.0}};
  for (const auto& [name, days] : units) {
    if (unit != name) continue;
    const double steps = days == 0.0 ? amount : amount * days / days_per_step(calendar.step);
    return static_cast<std::int64_t>(std::llround(steps));
  }
  // Built by appending to a local: GCC 12 warns falsely (-Wrestrict) on "'" + string and on assigning "'".
  std::string message(1, '\'');
  message += unit;
  message += "' is not a unit of time";
  why = std::move(message);
  return std::nullopt;
}

}  // namespace pocsim::scenario

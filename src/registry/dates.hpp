#pragma once
// Calendar arithmetic of registry deadlines on ISO dates (YYYY-MM-DD, proleptic Gregorian):
// month periods clamp to the month's last day (a year after 2024-02-29 is 2025-02-28).
#include <string>

namespace mineplan::registry {

struct Date {
  int year = 0;
  int month = 0;
  int day = 0;
  auto operator<=>(const Date &) const = default;
};

bool is_leap_year(int year);
int days_in_month(int year, int month);
// Throws mineplan::InputError naming `field` when `iso` is not a valid date.
Date parse_date(const std::string &iso, const std::string &field = "date");
std::string to_iso(const Date &d);
// `months` may be negative; the day clamps to the end of the resulting month.
Date add_months(const Date &d, int months);
std::string add_months(const std::string &iso, int months);
// Days since 1970-01-01.
long day_number(const Date &d);
Date from_day_number(long n);
std::string add_days(const std::string &iso, int days);
// Whole days from `from` to `to` (negative when `to` is earlier).
long days_between(const std::string &from, const std::string &to);
// The calendar quarter (1-4) of a date, and the last day of a quarter.
int quarter_of(const Date &d);
Date quarter_end(int year, int quarter);

} // namespace mineplan::registry

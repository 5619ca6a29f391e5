#include "registry/dates.hpp"

#include "core/clock.hpp"
#include "core/error.hpp"

#include <cstdio>

namespace mineplan::registry {

bool is_leap_year(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && is_leap_year(y)) return 29;
  return days[m - 1];
}

Date parse_date(const std::string &iso, const std::string &field) {
  Date d;
  bool shape = iso.size() == 10 && iso[4] == '-' && iso[7] == '-';
  for (std::size_t i = 0; shape && i < iso.size(); ++i)
    if (i != 4 && i != 7 && (iso[i] < '0' || iso[i] > '9')) shape = false;
  if (shape) {
    d.year = std::stoi(iso.substr(0, 4));
    d.month = std::stoi(iso.substr(5, 2));
    d.day = std::stoi(iso.substr(8, 2));
  }
  if (!shape || d.month < 1 || d.month > 12 || d.day < 1 || d.day > days_in_month(d.year, d.month))
    throw InputError("date", 0, field,
                     "日期应为 YYYY-MM-DD (expected a date YYYY-MM-DD, found '" + iso + "')");
  if (d.year < kEarliestYear || d.year > kLatestYear)
    throw InputError("date", 0, field,
                     "日期应在 " + std::to_string(kEarliestYear) + "—" +
                         std::to_string(kLatestYear) + " 年之间 (found '" + iso + "')");
  return d;
}

std::string to_iso(const Date &d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

Date add_months(const Date &d, int months) {
  int index = d.year * 12 + (d.month - 1) + months;
  Date out;
  out.year = index / 12;
  out.month = index % 12 + 1;
  int last = days_in_month(out.year, out.month);
  out.day = d.day > last ? last : d.day;
  return out;
}

std::string add_months(const std::string &iso, int months) {
  return to_iso(add_months(parse_date(iso), months));
}

// Howard Hinnant's days_from_civil / civil_from_days.
long day_number(const Date &d) {
  int y = d.year - (d.month <= 2 ? 1 : 0);
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153L * (d.month + (d.month > 2 ? -3 : 9)) + 2) / 5 + d.day - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Date from_day_number(long z) {
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  long doe = z - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long y = yoe + era * 400;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  Date d;
  d.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  d.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  d.year = static_cast<int>(y + (d.month <= 2 ? 1 : 0));
  return d;
}

std::string add_days(const std::string &iso, int days) {
  return to_iso(from_day_number(day_number(parse_date(iso)) + days));
}

long days_between(const std::string &from, const std::string &to) {
  return day_number(parse_date(to)) - day_number(parse_date(from));
}

int quarter_of(const Date &d) {
  return (d.month - 1) / 3 + 1;
}

Date quarter_end(int year, int quarter) {
  int month = quarter * 3;
  return Date{year, month, days_in_month(year, month)};
}

} // namespace mineplan::registry

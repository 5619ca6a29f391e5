#pragma once
// The wall clock, in the one format records use.
#include <string>

namespace mineplan {

// Now as an ISO 8601 UTC timestamp, e.g. 2026-11-23T09:16:22Z.
std::string now_utc_iso();

// The years a record may name. Plans, licences and filings of Inner Mongolia fall well inside;
// a year 9999 is a typing error or an attack on date arithmetic, never a deadline.
inline constexpr int kEarliestYear = 1900;
inline constexpr int kLatestYear = 2200;

// The largest magnitude an amount, area or count may have (万元, km2, 万吨 …): far beyond any
// real figure, small enough that sums over a register stay exact in a double.
inline constexpr double kMaxAmount = 1e12;

// A proleptic Gregorian calendar date written YYYY-MM-DD (the only date form records use),
// with its year within kEarliestYear..kLatestYear.
bool is_iso_date(const std::string &s);

} // namespace mineplan

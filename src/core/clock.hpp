#pragma once
// The wall clock, in the one format records use.
#include <string>

namespace mineplan {

// Now as an ISO 8601 UTC timestamp, e.g. 2026-11-23T09:16:22Z.
std::string now_utc_iso();

// A proleptic Gregorian calendar date written YYYY-MM-DD (the only date form records use).
bool is_iso_date(const std::string &s);

} // namespace mineplan

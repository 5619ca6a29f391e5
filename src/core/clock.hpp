#pragma once
// The wall clock, in the one format records use.
#include <string>

namespace mineplan {

// Now as an ISO 8601 UTC timestamp, e.g. 2026-11-23T09:16:22Z.
std::string now_utc_iso();

} // namespace mineplan

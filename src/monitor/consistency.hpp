#pragma once
// Roll-up and consistency across levels (county -> league -> region): additive indicators of
// the divisions below sum to the division above; county zones lie inside the zones of the same
// kind of the plans they implement; county caps do not exceed the higher plan's. Every
// difference is listed, nothing is corrected.
#include "monitor/register.hpp"

#include <string>
#include <vector>

namespace mineplan::monitor {

struct RollupRow {
  std::string plan_id; // the plan whose indicator is rolled up (a region or league plan)
  std::string target_id;
  std::string name;
  std::string unit;
  std::string code; // division
  std::string division_name;
  std::string level;
  double value = 0;        // the division's value (its whole scope)
  double children_sum = 0; // sum of the divisions directly below
  bool has_children = false;
  double direct = 0; // items registered at this division's own code (not below it)
};

struct ZoneCheck {
  std::string plan_id, zone_id, zone_name, kind;
  std::string parent_plan;
  std::string status; // inside | outside | cannot_verify
  double outside_m2 = 0;
  std::string message;
};

struct QuotaCheck {
  std::string plan_id, target_id, name;
  std::string parent_plan, parent_target;
  std::string comparator;
  double value = 0, parent_value = 0;
  bool ok = true;
  std::string message;
};

struct Consistency {
  std::string as_of;
  std::vector<RollupRow> rollup;
  std::int64_t unassigned = 0; // register items whose division code is unknown
  std::vector<ZoneCheck> zones;
  std::vector<QuotaCheck> quotas;
  std::vector<std::string> differences; // Chinese, one line each
};

Consistency check_consistency(Register &reg, const std::string &as_of);
Json to_json(const Consistency &c);

} // namespace mineplan::monitor

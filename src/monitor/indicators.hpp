#pragma once
// Implementation monitoring (规划实施监测): every target of a plan computed as of a date — from
// the register where its measure says how, from reported values otherwise — with the baseline
// check, the status and the annual change still needed. Thresholds: docs/monitoring.md.
#include "monitor/register.hpp"

#include <optional>
#include <string>
#include <vector>

namespace mineplan::monitor {

// met | on_track | at_risk | off_track | no_data | no_definition
const char *status_chinese(const std::string &status);

struct Indicator {
  Target target;
  std::string source; // register | reported | none
  std::optional<double> value;
  std::string value_as_of;                      // the date the value describes
  MeasureResult detail;                         // register measures
  std::optional<store::ReportedValue> reported; // the value used, when reported
  std::vector<store::ReportedValue> history;    // every reported value, oldest first

  // The baseline: printed in the seed, and what the register says for the base date.
  std::optional<double> base_printed;
  int base_year = 0;
  std::string base_date;
  std::optional<double> base_register;
  std::optional<double> base_difference; // register - printed

  std::string status;
  std::string deadline; // the target year's last day
  std::optional<double> years_left;
  std::optional<double> needed_per_year; // signed: the change per year still needed
  std::optional<double> pace_per_year;   // observed since the base date
  std::optional<double> projected;       // value at the deadline at the observed pace
  std::optional<double> gap;             // target - value (signed; nearest bound of a range)
  std::string explanation;               // Chinese, one sentence
};

struct PlanIndicators {
  Plan plan;
  std::string jurisdiction_name;
  std::string as_of;
  std::vector<Indicator> indicators;
};

struct StatusThresholds {
  // A projection that misses the target by at most this share of the change the plan asks
  // for (|target - base|) is at risk; more is off track.
  double at_risk_shortfall = 0.25;
  // Less time than this since the base date shows no pace (the value is taken as standing).
  double min_years_for_pace = 0.5;
};

// Computes every target of `plan` as of `as_of` (ISO date).
PlanIndicators compute_indicators(Register &reg, const PlanData &plan, const std::string &as_of,
                                  const StatusThresholds &thresholds = {});

// Decides the status of one indicator whose value, deadline and base are set.
void judge(Indicator &ind, const std::string &as_of, const StatusThresholds &thresholds = {});

// Does `value` satisfy the target's comparator and value?
bool satisfies(const Target &t, double value);

// The JSON of `mineplan indicators --json` and GET /api/plans/{id}/indicators.
Json to_json(const Indicator &ind);
Json to_json(const PlanIndicators &p);

// A number as reports print it: up to `decimals` places, trailing zeros dropped.
std::string format_number(double v, int decimals = 2);

} // namespace mineplan::monitor

#pragma once
// Evaluation reports (规划实施评估报告: annual, mid-term, final): one printable HTML page in
// Chinese with charts drawn here as SVG (status summary, each indicator's path from the base
// year to the report year against its target), the indicator table, the off-track list with
// gaps, baseline checks, reported values with their provenance and the statistics tables.
#include "monitor/crosstab.hpp"
#include "monitor/indicators.hpp"

#include <string>

namespace mineplan::monitor {

struct ReportOptions {
  std::string kind; // annual | midterm | final
  int year = 0;     // the report describes the state at the end of this year
  std::string generated_at;
  std::string store_location;
};

// Throws mineplan::InputError for an unknown kind or a year outside 1990..2100.
std::string render_report(Register &reg, const PlanData &plan, const ReportOptions &options);

const char *report_kind_chinese(const std::string &kind);

// "A & B <x>" -> "A &amp; B &lt;x&gt;".
std::string html_escape(const std::string &s);

} // namespace mineplan::monitor

#pragma once
// The seeds' statistics tables (e.g. Dalad 专栏2: mine type × scale class, status, method)
// reproduced from the register in their own cross-tab form. The definition is data: the
// `register` object of a table in tables.json (docs/monitoring.md).
#include "monitor/register.hpp"

#include <string>
#include <vector>

namespace mineplan::monitor {

struct CellDifference {
  std::size_t row = 0;    // 0-based row of the table body
  std::size_t column = 0; // 0-based column (the first two are the labels)
  std::string seed;       // as printed
  std::string register_value;
};

struct CrossTab {
  std::string plan_id;
  std::string table_id; // empty for the default table
  std::string section;  // 专栏2 …
  std::string title;
  std::string jurisdiction;
  std::string as_of;
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
  // Items of a row group whose value is none of the group's rows (e.g. status not recorded):
  // "group label" -> count; the subtotal counts them, so the subtotal still adds up.
  std::vector<std::pair<std::string, std::int64_t>> unclassified;
  std::vector<CellDifference> differences; // against the seed table, when compared
  bool compared = false;
};

// Builds a cross-tab from its definition for `jurisdiction` as of `as_of`.
CrossTab build_crosstab(Register &reg, const Json &definition,
                        const std::vector<std::string> &columns, const std::string &jurisdiction,
                        const std::string &as_of);

// The plan's tables that carry a register definition, as of `as_of` (empty = the date the
// seed's table describes), each compared cell by cell with the seed when `as_of` is that date.
std::vector<CrossTab> plan_crosstabs(Register &reg, const PlanData &plan, const std::string &as_of);

// For a jurisdiction: the tables of the plans made for it; when none has one, the default
// table (mineral category × scale class, status, method of its mines).
std::vector<CrossTab> jurisdiction_crosstabs(Register &reg, const std::string &jurisdiction,
                                             const std::string &as_of);

// The default definition, as data.
const Json &default_crosstab();

Json to_json(const CrossTab &t);

} // namespace mineplan::monitor

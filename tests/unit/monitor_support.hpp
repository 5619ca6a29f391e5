#pragma once
// Shared helpers of the monitoring tests: a store of the seed plans with the 78-mine Dalad
// ledger of tests/cases/monitor/ imported as of 2020-12-31, and the seed's own 专栏2.
#include "io/ledger.hpp"
#include "io/ogr_import.hpp"
#include "monitor/indicators.hpp"
#include "review_support.hpp"

#include <gtest/gtest.h>

namespace monitor_test {

namespace fs = std::filesystem;
using mineplan::Json;

inline fs::path cases_dir() {
  return fs::path(MINEPLAN_SOURCE_DIR) / "tests" / "cases" / "monitor";
}

inline mineplan::io::ImportResult import_ledger(mineplan::store::Store &st, const fs::path &file,
                                                const std::string &layer,
                                                const std::string &as_of) {
  static const auto schema = mineplan::io::LedgerSchema::load_default();
  mineplan::io::ImportOptions o;
  o.layer = layer;
  o.as_of = as_of;
  o.threads = 1;
  return mineplan::io::import_file(st, file, o, schema);
}

// The seed plans plus the Dalad ledger as of 2020-12-31, copied into `file`.
inline std::unique_ptr<mineplan::store::Store> dalad_store(const fs::path &file) {
  auto st = review_test::fresh_store(file);
  auto r = import_ledger(*st, cases_dir() / "dalad-2020-ledger.csv", "mines", "2020-12-31");
  EXPECT_TRUE(r.written) << r.json().dump(2);
  return st;
}

// A table of the seed data by plan and section (专栏2 …), as the catalogue loaded it.
inline const mineplan::SeedTable &seed_table(const std::string &plan, const std::string &section) {
  for (const auto &p : review_test::seed_catalogue().plans)
    if (p.plan.id == plan)
      for (const auto &t : p.tables)
        if (t.section == section) return t;
  throw std::runtime_error("no table " + section + " in " + plan);
}

// A cell of a seed table by its row label (column 1, the n-th occurrence) and column name.
inline double seed_cell(const mineplan::SeedTable &t, const std::string &row_label, int occurrence,
                        const std::string &column) {
  std::size_t col = 0;
  while (col < t.columns.size() && t.columns[col] != column)
    ++col;
  int seen = 0;
  for (const auto &r : t.rows)
    if (r.size() > col && r[1] == row_label && seen++ == occurrence) return std::stod(r[col]);
  throw std::runtime_error("no cell " + row_label + "/" + column);
}

inline const mineplan::monitor::Indicator &indicator(const mineplan::monitor::PlanIndicators &p,
                                                     const std::string &id) {
  for (const auto &i : p.indicators)
    if (i.target.id == id) return i;
  throw std::runtime_error("no indicator " + id);
}

} // namespace monitor_test

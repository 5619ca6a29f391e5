#pragma once
// Shared helpers of the registry tests: a seeded store with synthetic mines to walk, and the
// lifecycles of data/lifecycles.
#include "registry/lifecycle.hpp"
#include "review_support.hpp"

#include <map>
#include <string>

namespace registry_test {

namespace fs = std::filesystem;
using mineplan::Json;

inline const std::map<std::string, mineplan::registry::Lifecycle> &lifecycles() {
  static const auto all = mineplan::registry::load_lifecycles(
      (fs::path(MINEPLAN_SOURCE_DIR) / "data" / "lifecycles").string());
  return all;
}

inline const mineplan::registry::Lifecycle &lifecycle(const std::string &id) {
  return lifecycles().at(id);
}

// A copy of the seeded store with `n` synthetic producing mines T-000 … in `jurisdiction`.
inline std::unique_ptr<mineplan::store::Store>
store_with_mines(const fs::path &file, int n, const std::string &jurisdiction = "150621") {
  auto st = review_test::fresh_store(file);
  std::vector<mineplan::Mine> mines;
  for (int i = 0; i < n; ++i) {
    mineplan::Mine m;
    char uid[16];
    std::snprintf(uid, sizeof uid, "T-%03d", i);
    m.uid = uid;
    m.name = std::string("测试矿山").append(uid);
    m.holder = i % 2 ? "甲公司" : "乙公司";
    m.minerals = {"煤炭"};
    m.status = "producing";
    m.scale_class = "medium";
    m.jurisdiction = jurisdiction;
    mines.push_back(m);
  }
  st->import_mines(mines, "2020-01-01", "registry test");
  return st;
}

} // namespace registry_test

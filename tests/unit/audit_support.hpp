#pragma once
// What someone holding the store file or a database login can do to the audit log behind the
// store's back (docs/audit.md): delete the newest rows, delete them all, rewrite a row and
// recompute the hash chain of the rows after it so that `mineplan audit` still passes.
#include "store/audit_log.hpp"
#include "store_support.hpp"

#include <string>

namespace mineplan::testing {

// The Merkle leaves of the audit log of the store at `location`.
inline std::vector<merkle::Hash> audit_leaves(const std::string &location) {
  auto st = store::Store::open(location);
  return store::audit_leaf_hashes(*st);
}

// Deletes every audit row after the first `keep`.
inline void truncate_audit_log(const std::string &location, std::int64_t keep) {
  auto rows = store::Store::open(location)->audit_entries(0, 1 << 30);
  lift_append_only(location, "audit_log");
  if (keep < static_cast<std::int64_t>(rows.size()))
    raw_sql(location, "DELETE FROM audit_log WHERE fid >= " +
                          std::to_string(rows[static_cast<std::size_t>(keep)].id));
}

// Sets `who` of the audit row at position `index` (0-based) and re-chains that row and every
// row after it: the chain verifies again; only a signed head can tell.
inline void rewrite_and_rechain(const std::string &location, std::size_t index,
                                const std::string &who) {
  auto rows = store::Store::open(location)->audit_entries(0, 1 << 30);
  lift_append_only(location, "audit_log");
  std::string prev = index == 0 ? std::string() : rows[index - 1].hash;
  std::string sql;
  for (std::size_t i = index; i < rows.size(); ++i) {
    auto e = rows[i];
    if (i == index) e.who = who;
    e.prev_hash = prev;
    e.hash = store::audit_chain_hash(e);
    sql += "UPDATE audit_log SET " + (i == index ? "who = '" + who + "', " : std::string()) +
           "prev_hash = '" + e.prev_hash + "', hash = '" + e.hash +
           "' WHERE fid = " + std::to_string(e.id) + ";";
    prev = e.hash;
  }
  raw_sql(location, sql);
}

} // namespace mineplan::testing

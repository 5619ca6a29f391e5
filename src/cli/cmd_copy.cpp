// mineplan copy FROM TO: moves a whole store between the embedded GeoPackage and a PostgreSQL/
// PostGIS server (either way, or file to file), losslessly, into a new store.
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "store/sql/sql_store.hpp"

#include <cstdio>
#include <unistd.h>

namespace mineplan::cli {

int cmd_copy(const Args &args) {
  Options o(args, "mineplan copy FROM TO", {}, {});
  const std::string &from = o.positional(0, "FROM (the store to copy)");
  const std::string &to = o.positional(1, "TO (a new store: a .gpkg path or a postgresql:// URL)");
  o.expect_positionals(2);
  auto source = store::Store::open(from, store::Access::read);
  auto target = store::Store::open(to, true);
  target->set_actor({"cli:" + std::string(getlogin() ? getlogin() : "admin"), "cli"});
  auto &src = dynamic_cast<store::sql::SqlStore &>(*source);
  auto &dst = dynamic_cast<store::sql::SqlStore &>(*target);
  auto sum = dst.copy_from(src);
  std::int64_t total = 0;
  for (const auto &[table, n] : sum.rows) {
    if (n) std::printf("  %-16s %lld\n", table.c_str(), static_cast<long long>(n));
    total += n;
  }
  auto check = dst.verify_audit();
  std::printf("copied %lld rows from %s to %s; audit log %s (%lld rows)\n",
              static_cast<long long>(total), source->location().c_str(), target->location().c_str(),
              check.ok ? "verified" : "FAILS verification", static_cast<long long>(check.rows));
  return check.ok ? 0 : 1;
}

MINEPLAN_COMMAND("copy", cmd_copy, "mineplan copy FROM TO",
                 "copy a whole store into a new one: GeoPackage <-> PostgreSQL/PostGIS, lossless");

} // namespace mineplan::cli

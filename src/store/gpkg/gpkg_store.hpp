#pragma once
#include "store/sql/sql_store.hpp"
#include "store/sql/sqlite_connection.hpp"

namespace mineplan::store::gpkg {

// The embedded store: one SQLite file that is a valid OGC GeoPackage 1.3 with R-tree indexes,
// WAL journaling, and every write in one transaction.
class GpkgStore final : public sql::SqlStore {
public:
  GpkgStore(const std::string &path, Access access);

  Database &database() { return static_cast<sql::SqliteConnection &>(db_).database(); }

private:
  const std::vector<sql::Migration> &migrations() const override;
  bool has_table(const std::string &name) override;
  void after_migration(int version) override;
  void after_spatial_write() override { update_extents(); }
  void register_layers();
  void update_extents();
};

} // namespace mineplan::store::gpkg

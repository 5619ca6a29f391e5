#pragma once
#include "store/postgis/pg_connection.hpp"
#include "store/sql/sql_store.hpp"

namespace mineplan::store::postgis {

// The multi-user server store: one schema of a PostgreSQL 15 + PostGIS 3 database, geometry
// in geometry(MultiPolygon, 4490) columns with GiST indexes, the same tables, versions,
// append-only triggers and audit chain as the GeoPackage store. Writers are serialised per
// store by an advisory lock; readers never wait.
class PostgisStore final : public sql::SqlStore {
public:
  // Access::create makes the schema (and the postgis extension when missing), refusing a
  // schema that already holds a store; otherwise the schema must hold one (Store::open).
  PostgisStore(const std::string &url, Access access);

  PgConnection &pg() { return static_cast<PgConnection &>(db_); }

private:
  const std::vector<sql::Migration> &migrations() const override;
  bool has_table(const std::string &name) override;
  void after_copy(const std::vector<std::string> &tables) override;
};

const std::vector<sql::Migration> &postgis_migrations();

} // namespace mineplan::store::postgis

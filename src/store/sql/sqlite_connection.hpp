#pragma once
// The SQLite side of store/sql/connection.hpp, over store/sqlite.hpp. Geometry travels as
// GeoPackage blobs (srs 4490).
#include "store/sql/connection.hpp"
#include "store/sqlite.hpp"

namespace mineplan::store::sql {

class SqliteConnection final : public Connection {
public:
  SqliteConnection(const std::string &path, int flags) : db_(path, flags) {}
  SqliteConnection(const std::string &path, int flags, const std::string &uri)
      : db_(path, flags, uri) {}

  std::string location() const override { return db_.path(); }
  void exec(std::string_view sql) override { db_.exec(sql); }
  Statement prepare(std::string_view sql) override;
  std::int64_t last_insert_id() override { return db_.last_insert_rowid(); }
  void begin() override { db_.exec("BEGIN IMMEDIATE"); }
  void commit() override { db_.exec("COMMIT"); }
  void rollback() noexcept override;

  Database &database() { return db_; }

private:
  Database db_;
};

} // namespace mineplan::store::sql

#pragma once
// Which store the store-backed tests run on. By default the embedded GeoPackage store; with
// MINEPLAN_TEST_POSTGRES=postgresql://… (scripts/test.sh sets it for the second pass) the same
// tests run on the PostgreSQL/PostGIS store, each store in a schema of its own.
#include "store/postgis/pg_connection.hpp"
#include "store/sql/sql_store.hpp"
#include "store/sqlite.hpp"
#include "store/store.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

namespace mineplan::testing {

inline std::string test_postgres() {
  const char *v = std::getenv("MINEPLAN_TEST_POSTGRES");
  return v ? v : "";
}
inline bool on_postgres() {
  return !test_postgres().empty();
}

// Where the store of a test that names `file` lives: the file itself, or on PostgreSQL a schema
// named after it in lower case (a plain identifier; unique, as the test's temporary folder is).
// Idempotent: a location that is already a URL is returned as it is.
inline std::string store_location(const std::filesystem::path &file) {
  const std::string base = test_postgres();
  if (base.empty() || store::is_server_location(file.string())) return file.string();
  std::string schema = "t_";
  for (char c : file.parent_path().filename().string() + "_" + file.stem().string())
    schema += std::isalnum(static_cast<unsigned char>(c))
                  ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                  : '_';
  schema = schema.substr(0, 63);
  return base + (base.find('?') == std::string::npos ? "?schema=" : "&schema=") + schema;
}

// A new store at `file` holding a copy of the GeoPackage fixture `template_file`: a file copy,
// or on PostgreSQL a new schema filled by the store's own lossless copy.
inline std::unique_ptr<store::Store> copy_store(const std::filesystem::path &template_file,
                                                const std::filesystem::path &file) {
  if (!on_postgres()) {
    std::filesystem::copy_file(template_file, file,
                               std::filesystem::copy_options::overwrite_existing);
    return store::Store::open(file.string());
  }
  auto from = store::Store::open(template_file.string());
  auto to = store::Store::open(store_location(file), true);
  dynamic_cast<store::sql::SqlStore &>(*to).copy_from(dynamic_cast<store::sql::SqlStore &>(*from));
  return to;
}

// Runs SQL on a store's database directly, past the store, as someone holding the file or a
// database login could.
inline void raw_sql(const std::string &location, const std::string &sql) {
  if (store::is_server_location(location)) {
    store::postgis::PgConnection(store::postgis::parse_location(location)).exec(sql);
    return;
  }
  store::Database(location, SQLITE_OPEN_READWRITE).exec(sql);
}

// Lifts the append-only protection of `table` (its triggers), as the owner of the file or of
// the database can: what the audit hash chain is there to detect.
inline void lift_append_only(const std::string &location, const std::string &table) {
  if (store::is_server_location(location))
    raw_sql(location, "ALTER TABLE " + table + " DISABLE TRIGGER USER");
  else
    raw_sql(location, "DROP TRIGGER IF EXISTS " + table + "_no_update; DROP TRIGGER IF EXISTS " +
                          table + "_no_delete");
}

} // namespace mineplan::testing

// For tests of the GeoPackage file itself (its SQLite tables, GDAL reading it).
#define SKIP_ON_POSTGRES(why)                                                                      \
  if (::mineplan::testing::on_postgres()) GTEST_SKIP() << "GeoPackage only: " << why

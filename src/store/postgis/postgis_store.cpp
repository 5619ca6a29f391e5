#include "store/postgis/postgis_store.hpp"

#include "core/error.hpp"

namespace mineplan::store::postgis {
namespace {

bool holds_store(PgConnection &c, const std::string &schema) {
  auto st = c.prepare("SELECT 1 FROM pg_tables WHERE schemaname = ?1 AND tablename = "
                      "'mineplan_migrations'");
  st.bind(1, schema);
  return st.step();
}

std::unique_ptr<PgConnection> connect(const std::string &url, bool create) {
  auto c = std::make_unique<PgConnection>(parse_location(url));
  const std::string &schema = c->where().schema;
  const bool present = holds_store(*c, schema);
  if (create && present)
    throw Error(c->location() + ": schema '" + schema +
                "' already holds a store; refusing to overwrite");
  if (!create && !present)
    throw Error(c->location() + ": no such store (schema '" + schema +
                "' has no mineplan tables; create it with `mineplan init`)");
  if (create) {
    c->exec("CREATE EXTENSION IF NOT EXISTS postgis");
    c->exec("CREATE SCHEMA IF NOT EXISTS " + quote_identifier(schema));
  }
  return c;
}

} // namespace

PostgisStore::PostgisStore(const std::string &url, bool create) : SqlStore(connect(url, create)) {
  migrate();
}

const std::vector<sql::Migration> &PostgisStore::migrations() const {
  return postgis_migrations();
}

void PostgisStore::after_copy(const std::vector<std::string> &tables) {
  // Rows arrived with their ids: the id sequences continue after the highest.
  for (const auto &t : tables) {
    if (t == "sessions") continue;
    db_.exec("SELECT setval(pg_get_serial_sequence('" + t +
             "', 'fid'), coalesce(max(fid), 0) + 1, " + "false) FROM " + t);
  }
}

} // namespace mineplan::store::postgis

#include "store/postgis/postgis_store.hpp"

#include "core/store_error.hpp"

namespace mineplan::store::postgis {
namespace {

bool holds_store(PgConnection &c, const std::string &schema) {
  auto st = c.prepare("SELECT 1 FROM pg_tables WHERE schemaname = ?1 AND tablename = "
                      "'mineplan_migrations'");
  st.bind(1, schema);
  return st.step();
}

bool schema_exists(PgConnection &c, const std::string &schema) {
  auto st = c.prepare("SELECT 1 FROM pg_namespace WHERE nspname = ?1");
  st.bind(1, schema);
  return st.step();
}

std::unique_ptr<PgConnection> connect(const std::string &url, Access access) {
  auto c = std::make_unique<PgConnection>(parse_location(url));
  const std::string &schema = c->where().schema;
  if (access == Access::create) {
    if (holds_store(*c, schema))
      throw Error(c->location() + ": schema '" + schema +
                  "' 已有存储，拒绝覆盖（already holds a store; refusing to overwrite）");
    c->exec("CREATE EXTENSION IF NOT EXISTS postgis");
    c->exec("CREATE SCHEMA IF NOT EXISTS " + quote_identifier(schema));
    return c;
  }
  if (!schema_exists(*c, schema))
    throw Error(c->location() + ": 没有这个存储：schema '" + schema +
                "' 不存在（no such store; create it with `mineplan init`）");
  // A server in recovery, or a login whose transactions default to read-only, cannot write.
  Result ro = c->query("SHOW transaction_read_only");
  const bool server_read_only = std::string(PQgetvalue(ro.get(), 0, 0)) == "on";
  if (access == Access::write && server_read_only) throw StoreError::read_only(c->location());
  if (access == Access::read || server_read_only) {
    c->exec("SET default_transaction_read_only = on");
    c->set_read_only(true);
  }
  return c;
}

} // namespace

PostgisStore::PostgisStore(const std::string &url, Access access) : SqlStore(connect(url, access)) {
  if (access == Access::create)
    migrate();
  else
    open_existing();
}

bool PostgisStore::has_table(const std::string &name) {
  auto st = db_.prepare("SELECT 1 FROM pg_tables WHERE schemaname = ?1 AND tablename = ?2");
  st.bind(1, pg().where().schema).bind(2, name);
  return st.step();
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

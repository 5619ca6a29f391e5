#pragma once
// The PostgreSQL side of store/sql/connection.hpp, over libpq. A location is a libpq URL
// (postgresql://user@host:port/db) with one parameter of ours, `schema` (default "mineplan"):
// each store is one schema, so a server can hold several (a test each, a county each).
#include "store/sql/connection.hpp"

#include <libpq-fe.h>

#include <map>
#include <memory>

namespace mineplan::store::postgis {

struct PgLocation {
  std::string url;      // as given, for messages (the password, if any, masked)
  std::string conninfo; // what libpq gets: the URL without our parameters
  std::string schema = "mineplan";
};

// Splits our parameters off a postgresql:// URL; throws InputError on a bad schema name.
PgLocation parse_location(const std::string &url);

// A store's schema is a plain identifier, [a-z_][a-z0-9_]{0,62}, and neither a system schema
// (pg_*, information_schema) nor public (where PostGIS keeps its own tables and functions, and
// which dropping a store's schema would take with it). InputError naming the URL otherwise.
void check_schema_name(const std::string &schema, const std::string &url);

// A PGresult that clears itself.
struct ResultDeleter {
  void operator()(PGresult *r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

class PgConnection final : public sql::Connection {
public:
  explicit PgConnection(const PgLocation &location);

  std::string location() const override { return location_.url; }
  void exec(std::string_view sql) override;
  sql::Statement prepare(std::string_view sql) override;
  std::int64_t last_insert_id() override;
  void begin() override;
  void commit() override;
  void rollback() noexcept override;

  const PgLocation &where() const { return location_; }
  PGconn *handle() const { return conn_.get(); }
  // Runs a statement (no parameters) and returns its result; throws with the server's message.
  Result query(std::string_view sql);
  // The name of the server-side prepared statement for `sql` (in $n form), preparing it once.
  const std::string &prepared(const std::string &sql);
  [[noreturn]] void fail(const std::string &what, const PGresult *r) const;
  unsigned geometry_oid();

private:
  struct Closer {
    void operator()(PGconn *c) const { PQfinish(c); }
  };
  PgLocation location_;
  std::unique_ptr<PGconn, Closer> conn_;
  std::map<std::string, std::string> prepared_;
  unsigned geometry_oid_ = 0;
};

// The common dialect's ?N parameters as PostgreSQL's $N (outside quoted text).
std::string dollar_parameters(std::string_view sql);

// Quotes an identifier for SQL ("name", with inner quotes doubled).
std::string quote_identifier(const std::string &name);

} // namespace mineplan::store::postgis

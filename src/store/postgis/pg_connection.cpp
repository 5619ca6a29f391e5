#include "store/postgis/pg_connection.hpp"

#include "core/store_error.hpp"
#include "core/wkb.hpp"

#include <charconv>
#include <vector>

namespace mineplan::store::postgis {
namespace {

constexpr std::int32_t kSrsCgcs2000 = 4490;

// libpq's type oids of the columns we read (pg_type.h).
constexpr Oid kInt8 = 20, kInt2 = 21, kInt4 = 23, kFloat4 = 700, kFloat8 = 701, kNumeric = 1700;

std::string hex_of(const std::vector<std::uint8_t> &bytes) {
  static const char *digits = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (auto b : bytes) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  throw Error(std::string("geometry from PostgreSQL: not a hex digit '") + c + "'");
}

std::vector<std::uint8_t> bytes_of_hex(std::string_view hex) {
  if (hex.size() % 2) throw Error("geometry from PostgreSQL: odd hex length");
  std::vector<std::uint8_t> out(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<std::uint8_t>(hex_value(hex[2 * i]) * 16 + hex_value(hex[2 * i + 1]));
  return out;
}

void silence_notices(void *, const PGresult *) {}

class PgStatement final : public sql::StatementImpl {
public:
  PgStatement(PgConnection &c, std::string_view sql) : c_(c), sql_(dollar_parameters(sql)) {}

  void bind_null(int i) override { slot(i).reset(); }
  void bind_int64(int i, std::int64_t v) override { slot(i) = std::to_string(v); }
  void bind_double(int i, double v) override {
    // Shortest text that reads back as the same double: values survive the trip exactly.
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    slot(i) = std::string(buf, end);
  }
  void bind_text(int i, std::string_view v) override { slot(i) = std::string(v); }
  void bind_geometry(int i, const geo::MultiPolygon &g) override {
    // PostGIS reads hex EWKB as geometry text input: no SQL wrapper needed.
    slot(i) = hex_of(geo::encode_ewkb(g, kSrsCgcs2000));
  }

  bool step() override {
    if (!result_) execute();
    ++row_;
    return row_ < PQntuples(result_.get());
  }
  std::int64_t run() override {
    execute();
    const char *n = PQcmdTuples(result_.get());
    std::int64_t changed = (n && *n) ? std::stoll(n) : 0;
    reset();
    return changed;
  }
  void reset() override {
    result_.reset();
    row_ = -1;
    params_.clear();
  }
  // As SQLite's, the columns are known before the first step(): asking runs the statement.
  int column_count() const override { return PQnfields(described()); }
  std::string column_name(int c) const override { return PQfname(described(), c); }
  sql::ColumnType column_type(int c) const override {
    if (is_null(c)) return sql::ColumnType::null;
    Oid t = PQftype(result_.get(), c);
    if (t == kInt8 || t == kInt2 || t == kInt4) return sql::ColumnType::integer;
    if (t == kFloat4 || t == kFloat8 || t == kNumeric) return sql::ColumnType::real;
    if (t == c_.geometry_oid()) return sql::ColumnType::geometry;
    return sql::ColumnType::text;
  }
  bool is_null(int c) const override { return PQgetisnull(result_.get(), row_, c); }
  std::int64_t int64(int c) const override {
    const char *v = PQgetvalue(result_.get(), row_, c);
    std::int64_t out = 0;
    std::from_chars(v, v + PQgetlength(result_.get(), row_, c), out);
    return out;
  }
  double real(int c) const override {
    const char *v = PQgetvalue(result_.get(), row_, c);
    double out = 0;
    std::from_chars(v, v + PQgetlength(result_.get(), row_, c), out);
    return out;
  }
  std::string text(int c) const override {
    if (is_null(c)) return {};
    return std::string(PQgetvalue(result_.get(), row_, c),
                       static_cast<std::size_t>(PQgetlength(result_.get(), row_, c)));
  }
  std::optional<geo::MultiPolygon> geometry(int c) const override {
    if (is_null(c)) return std::nullopt;
    auto bytes = bytes_of_hex(
        std::string_view(PQgetvalue(result_.get(), row_, c),
                         static_cast<std::size_t>(PQgetlength(result_.get(), row_, c))));
    return geo::decode_wkb(bytes);
  }

private:
  const PGresult *described() const {
    if (!result_) const_cast<PgStatement *>(this)->execute();
    return result_.get();
  }
  std::optional<std::string> &slot(int i) {
    if (i < 1) throw Error("parameter index " + std::to_string(i) + " (they count from 1)");
    if (params_.size() < static_cast<std::size_t>(i)) params_.resize(static_cast<std::size_t>(i));
    return params_[static_cast<std::size_t>(i) - 1];
  }
  void execute() {
    const std::string &name = c_.prepared(sql_);
    std::vector<const char *> values(params_.size());
    for (std::size_t i = 0; i < params_.size(); ++i)
      values[i] = params_[i] ? params_[i]->c_str() : nullptr;
    result_.reset(PQexecPrepared(c_.handle(), name.c_str(), static_cast<int>(values.size()),
                                 values.data(), nullptr, nullptr, 0));
    auto status = PQresultStatus(result_.get());
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      Result failed = std::move(result_);
      params_.clear();
      c_.fail("'" + sql_.substr(0, 200) + "'", failed.get());
    }
    row_ = -1;
  }

  PgConnection &c_;
  std::string sql_;
  std::vector<std::optional<std::string>> params_;
  Result result_;
  int row_ = -1;
};

} // namespace

PgLocation parse_location(const std::string &url) {
  PgLocation loc;
  auto q = url.find('?');
  std::string base = url.substr(0, q);
  std::string kept;
  if (q != std::string::npos) {
    std::string query = url.substr(q + 1);
    std::size_t start = 0;
    while (start <= query.size()) {
      auto amp = query.find('&', start);
      std::string kv =
          query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
      if (kv.starts_with("schema="))
        loc.schema = kv.substr(7);
      else if (!kv.empty())
        kept += (kept.empty() ? "" : "&") + kv;
      if (amp == std::string::npos) break;
      start = amp + 1;
    }
  }
  loc.conninfo = kept.empty() ? base : base + "?" + kept;
  // Mask a password in messages: postgresql://user:secret@host → postgresql://user:***@host
  loc.url = url;
  auto scheme = loc.url.find("://");
  auto at = loc.url.find('@');
  if (scheme != std::string::npos && at != std::string::npos) {
    auto colon = loc.url.find(':', scheme + 3);
    if (colon != std::string::npos && colon < at) loc.url.replace(colon + 1, at - colon - 1, "***");
  }
  check_schema_name(loc.schema, loc.url);
  return loc;
}

void check_schema_name(const std::string &schema, const std::string &url) {
  auto refuse = [&](const std::string &why) {
    throw InputError(url, 0, "schema", "schema 名 '" + schema + "' 不可用：" + why);
  };
  if (schema.empty() || schema.size() > 63) refuse("须为 1 到 63 个字符（1 to 63 characters）");
  const auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (!(lower(schema[0]) || schema[0] == '_'))
    refuse("须以小写字母或 _ 开头（a plain identifier: [a-z_][a-z0-9_]*）");
  for (char c : schema)
    if (!(lower(c) || digit(c) || c == '_'))
      refuse("只能含小写字母、数字和 _（a plain identifier: [a-z_][a-z0-9_]*）");
  if (schema.starts_with("pg_") || schema == "information_schema")
    refuse("这是 PostgreSQL 的系统 schema（a system schema）");
  if (schema == "public")
    refuse("public 存放 PostGIS 自身的表和函数，存储须有自己的 schema（public holds PostGIS "
           "itself; a store has a schema of its own）");
}

std::string dollar_parameters(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 8);
  bool quoted = false;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (c == '\'') quoted = !quoted;
    if (!quoted && c == '?' && i + 1 < sql.size() &&
        std::isdigit(static_cast<unsigned char>(sql[i + 1])))
      out += '$';
    else
      out += c;
  }
  return out;
}

std::string quote_identifier(const std::string &name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

PgConnection::PgConnection(const PgLocation &location)
    : location_(location), conn_(PQconnectdb(location.conninfo.c_str())) {
  if (!conn_) throw Error(location_.url + ": out of memory connecting");
  if (PQstatus(conn_.get()) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn_.get());
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' '))
      msg.pop_back();
    throw Error(location_.url + ": cannot connect: " + msg);
  }
  PQsetNoticeReceiver(conn_.get(), silence_notices, nullptr);
  // The store's tables live in its schema; PostGIS's types and functions in public.
  exec("SET search_path TO " + quote_identifier(location_.schema) + ", public");
  exec("SET client_min_messages TO warning");
}

void PgConnection::fail(const std::string &what, const PGresult *r) const {
  const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  if (state && std::string_view(state) == "25006") // read_only_sql_transaction
    throw StoreError::read_only(location_.url);
  std::string msg = r ? PQresultErrorMessage(r) : PQerrorMessage(conn_.get());
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' '))
    msg.pop_back();
  throw Error(location_.url + ": " + msg + " in: " + what);
}

Result PgConnection::query(std::string_view sql) {
  std::string s(sql);
  Result r(PQexec(conn_.get(), s.c_str()));
  auto status = PQresultStatus(r.get());
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) fail(s.substr(0, 200), r.get());
  return r;
}

void PgConnection::exec(std::string_view sql) {
  query(sql);
}

const std::string &PgConnection::prepared(const std::string &sql) {
  auto it = prepared_.find(sql);
  if (it != prepared_.end()) return it->second;
  std::string name = "mineplan_" + std::to_string(prepared_.size() + 1);
  Result r(PQprepare(conn_.get(), name.c_str(), sql.c_str(), 0, nullptr));
  if (PQresultStatus(r.get()) != PGRES_COMMAND_OK)
    fail("prepare '" + sql.substr(0, 200) + "'", r.get());
  return prepared_.emplace(sql, name).first->second;
}

sql::Statement PgConnection::prepare(std::string_view sql) {
  return sql::Statement(std::make_unique<PgStatement>(*this, sql));
}

std::int64_t PgConnection::last_insert_id() {
  Result r = query("SELECT lastval()");
  return std::stoll(PQgetvalue(r.get(), 0, 0));
}

void PgConnection::begin() {
  // One writer at a time per store (schema), as SQLite has it: the audit chain appends to the
  // row it read last, and a version check reads what it then writes on.
  exec("BEGIN");
  exec("SELECT pg_advisory_xact_lock(hashtext('mineplan:' || " + std::string("'") +
       location_.schema + "'))");
}

void PgConnection::commit() {
  exec("COMMIT");
}

void PgConnection::rollback() noexcept {
  Result r(PQexec(conn_.get(), "ROLLBACK"));
}

unsigned PgConnection::geometry_oid() {
  if (geometry_oid_ == 0) {
    Result r = query("SELECT coalesce(to_regtype('geometry')::oid, 1)");
    geometry_oid_ = static_cast<unsigned>(std::stoul(PQgetvalue(r.get(), 0, 0)));
  }
  return geometry_oid_;
}

} // namespace mineplan::store::postgis

#include "store/sqlite.hpp"

#include "core/store_error.hpp"

namespace mineplan::store {

Database::Database(const std::string &path, int flags) : Database(path, flags, path) {}

Database::Database(const std::string &path, int flags, const std::string &uri) : path_(path) {
  sqlite3 *raw = nullptr;
  int rc = sqlite3_open_v2(uri.c_str(), &raw, flags, nullptr);
  db_.reset(raw);
  if (rc != SQLITE_OK) {
    std::string msg = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    throw Error("cannot open " + path + ": " + msg);
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, 10000);
}

void Database::fail(std::string_view what) const {
  if ((sqlite3_errcode(db_.get()) & 0xff) == SQLITE_READONLY) throw StoreError::read_only(path_);
  throw Error(path_ + ": " + std::string(what) + ": " + sqlite3_errmsg(db_.get()));
}

void Database::exec(std::string_view sql) {
  char *err = nullptr;
  std::string s(sql);
  if (sqlite3_exec(db_.get(), s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    if ((sqlite3_errcode(db_.get()) & 0xff) == SQLITE_READONLY) throw StoreError::read_only(path_);
    throw Error(path_ + ": " + msg + " in: " + s.substr(0, 200));
  }
}

Statement Database::prepare(std::string_view sql) {
  return Statement(*this, sql);
}

std::int64_t Database::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_.get());
}

Statement::Statement(Database &db, std::string_view sql) : db_(&db) {
  sqlite3_stmt *raw = nullptr;
  if (sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &raw, nullptr) !=
      SQLITE_OK)
    db.fail("prepare '" + std::string(sql.substr(0, 200)) + "'");
  stmt_.reset(raw);
}

Statement &Statement::bind(int index, std::nullopt_t) {
  if (sqlite3_bind_null(stmt_.get(), index) != SQLITE_OK) db_->fail("bind");
  return *this;
}
Statement &Statement::bind(int index, std::int64_t v) {
  if (sqlite3_bind_int64(stmt_.get(), index, v) != SQLITE_OK) db_->fail("bind");
  return *this;
}
Statement &Statement::bind(int index, double v) {
  if (sqlite3_bind_double(stmt_.get(), index, v) != SQLITE_OK) db_->fail("bind");
  return *this;
}
Statement &Statement::bind(int index, std::string_view v) {
  if (sqlite3_bind_text(stmt_.get(), index, v.data(), static_cast<int>(v.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK)
    db_->fail("bind");
  return *this;
}
Statement &Statement::bind_blob(int index, std::span<const std::uint8_t> v) {
  if (sqlite3_bind_blob(stmt_.get(), index, v.data(), static_cast<int>(v.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK)
    db_->fail("bind");
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  std::string sql = sqlite3_sql(stmt_.get());
  sqlite3_reset(stmt_.get());
  db_->fail("step '" + sql.substr(0, 200) + "'");
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
}

bool Statement::is_null(int col) const {
  return sqlite3_column_type(stmt_.get(), col) == SQLITE_NULL;
}
std::int64_t Statement::int64(int col) const {
  return sqlite3_column_int64(stmt_.get(), col);
}
double Statement::real(int col) const {
  return sqlite3_column_double(stmt_.get(), col);
}
std::string Statement::text(int col) const {
  const auto *p = sqlite3_column_text(stmt_.get(), col);
  if (!p) return {};
  return std::string(reinterpret_cast<const char *>(p),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_.get(), col)));
}
std::optional<double> Statement::real_or_null(int col) const {
  if (is_null(col)) return std::nullopt;
  return real(col);
}
std::vector<std::uint8_t> Statement::blob(int col) const {
  const auto *p = static_cast<const std::uint8_t *>(sqlite3_column_blob(stmt_.get(), col));
  auto n = static_cast<std::size_t>(sqlite3_column_bytes(stmt_.get(), col));
  return p ? std::vector<std::uint8_t>(p, p + n) : std::vector<std::uint8_t>{};
}

Transaction::Transaction(Database &db) : db_(db) {
  db_.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
  if (!done_) {
    try {
      db_.exec("ROLLBACK");
    } catch (...) {
      // The connection is unusable anyway; the journal restores the file on next open.
    }
  }
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

} // namespace mineplan::store

#pragma once
// Thin RAII over the sqlite3 C API: a connection and prepared statements. Errors throw with
// the SQL and SQLite's own message.
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mineplan::store {

class Statement;

class Database {
public:
  Database(const std::string &path, int flags);
  // Opens `uri` (a file: URI, with SQLITE_OPEN_URI in flags); messages name `path`.
  Database(const std::string &path, int flags, const std::string &uri);
  Database(Database &&) noexcept = default;
  Database &operator=(Database &&) noexcept = default;

  sqlite3 *handle() const { return db_.get(); }
  const std::string &path() const { return path_; }
  void exec(std::string_view sql);
  Statement prepare(std::string_view sql);
  std::int64_t last_insert_rowid() const;
  [[noreturn]] void fail(std::string_view what) const;

private:
  struct Closer {
    void operator()(sqlite3 *db) const { sqlite3_close_v2(db); }
  };
  std::unique_ptr<sqlite3, Closer> db_;
  std::string path_;
};

class Statement {
public:
  Statement(Database &db, std::string_view sql);

  Statement &bind(int index, std::nullopt_t);
  Statement &bind(int index, std::int64_t v);
  Statement &bind(int index, int v) { return bind(index, static_cast<std::int64_t>(v)); }
  Statement &bind(int index, double v);
  Statement &bind(int index, std::string_view v);
  Statement &bind(int index, const std::string &v) { return bind(index, std::string_view(v)); }
  Statement &bind(int index, const char *v) { return bind(index, std::string_view(v)); }
  Statement &bind_blob(int index, std::span<const std::uint8_t> v);
  template <class T> Statement &bind(int index, const std::optional<T> &v) {
    return v ? bind(index, *v) : bind(index, std::nullopt);
  }
  // Binds an empty string as NULL: optional text columns.
  Statement &bind_text_or_null(int index, const std::string &v) {
    return v.empty() ? bind(index, std::nullopt) : bind(index, v);
  }

  bool step(); // true while a row is available
  void run();  // step to completion, reset
  void reset();

  int column_count() const { return sqlite3_column_count(stmt_.get()); }
  std::string column_name(int col) const { return sqlite3_column_name(stmt_.get(), col); }
  int column_type(int col) const { return sqlite3_column_type(stmt_.get(), col); }
  bool is_null(int col) const;
  std::int64_t int64(int col) const;
  double real(int col) const;
  std::string text(int col) const;
  std::optional<double> real_or_null(int col) const;
  std::vector<std::uint8_t> blob(int col) const;

private:
  struct Finalizer {
    void operator()(sqlite3_stmt *s) const { sqlite3_finalize(s); }
  };
  Database *db_;
  std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
};

// BEGIN IMMEDIATE on construction; ROLLBACK unless commit() was called. Imports either land
// whole or not at all.
class Transaction {
public:
  explicit Transaction(Database &db);
  Transaction(const Transaction &) = delete;
  Transaction &operator=(const Transaction &) = delete;
  ~Transaction();
  void commit();

private:
  Database &db_;
  bool done_ = false;
};

} // namespace mineplan::store

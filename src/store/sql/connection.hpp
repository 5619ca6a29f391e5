#pragma once
// One SQL interface over the two stores' databases: SQLite (the GeoPackage file) and
// PostgreSQL (PostGIS). The store logic (store/sql/sql_store) is written once against it.
//
// SQL is written in the common dialect: parameters as ?1, ?2 … (PostgreSQL's connection
// rewrites them to $1, $2 …), geometry bound and read through bind_geometry()/geometry() so
// that each database keeps its native geometry encoding (GeoPackage blob, PostGIS EWKB).
#include "core/store_error.hpp"
#include "core/geometry.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace mineplan::store::sql {

enum class ColumnType { null, integer, real, text, geometry };

class StatementImpl {
public:
  virtual ~StatementImpl() = default;
  virtual void bind_null(int index) = 0;
  virtual void bind_int64(int index, std::int64_t v) = 0;
  virtual void bind_double(int index, double v) = 0;
  virtual void bind_text(int index, std::string_view v) = 0;
  virtual void bind_geometry(int index, const geo::MultiPolygon &g) = 0;
  virtual bool step() = 0;
  virtual std::int64_t run() = 0;
  virtual void reset() = 0;
  virtual int column_count() const = 0;
  virtual std::string column_name(int col) const = 0;
  virtual ColumnType column_type(int col) const = 0;
  virtual bool is_null(int col) const = 0;
  virtual std::int64_t int64(int col) const = 0;
  virtual double real(int col) const = 0;
  virtual std::string text(int col) const = 0;
  virtual std::optional<geo::MultiPolygon> geometry(int col) const = 0;
};

// A prepared statement: bind, then step() through the rows or run() to completion.
class Statement {
public:
  explicit Statement(std::unique_ptr<StatementImpl> impl) : impl_(std::move(impl)) {}

  Statement &bind(int index, std::nullopt_t) { return impl_->bind_null(index), *this; }
  Statement &bind(int index, std::int64_t v) { return impl_->bind_int64(index, v), *this; }
  Statement &bind(int index, int v) { return bind(index, static_cast<std::int64_t>(v)); }
  Statement &bind(int index, double v) { return impl_->bind_double(index, v), *this; }
  Statement &bind(int index, std::string_view v) { return impl_->bind_text(index, v), *this; }
  Statement &bind(int index, const std::string &v) { return bind(index, std::string_view(v)); }
  Statement &bind(int index, const char *v) { return bind(index, std::string_view(v)); }
  template <class T> Statement &bind(int index, const std::optional<T> &v) {
    return v ? bind(index, *v) : bind(index, std::nullopt);
  }
  // Binds an empty string as NULL: optional text columns.
  Statement &bind_text_or_null(int index, const std::string &v) {
    return v.empty() ? bind(index, std::nullopt) : bind(index, v);
  }
  Statement &bind_geometry(int index, const std::optional<geo::MultiPolygon> &g) {
    if (g)
      impl_->bind_geometry(index, *g);
    else
      impl_->bind_null(index);
    return *this;
  }

  bool step() { return impl_->step(); } // true while a row is available
  // Steps to completion and resets; returns the number of rows inserted, updated or deleted.
  std::int64_t run() { return impl_->run(); }
  void reset() { impl_->reset(); }

  int column_count() const { return impl_->column_count(); }
  std::string column_name(int col) const { return impl_->column_name(col); }
  ColumnType column_type(int col) const { return impl_->column_type(col); }
  bool is_null(int col) const { return impl_->is_null(col); }
  std::int64_t int64(int col) const { return impl_->int64(col); }
  double real(int col) const { return impl_->real(col); }
  std::string text(int col) const { return impl_->text(col); }
  std::optional<double> real_or_null(int col) const {
    if (is_null(col)) return std::nullopt;
    return real(col);
  }
  std::optional<geo::MultiPolygon> geometry(int col) const { return impl_->geometry(col); }

private:
  std::unique_ptr<StatementImpl> impl_;
};

class Connection {
public:
  virtual ~Connection() = default;
  virtual std::string location() const = 0;
  virtual void exec(std::string_view sql) = 0;
  virtual Statement prepare(std::string_view sql) = 0;
  // The id the last INSERT into a table with an automatic fid gave.
  virtual std::int64_t last_insert_id() = 0;
  // A write transaction. Writers are serialised (SQLite's write lock, a PostgreSQL advisory
  // lock): the audit chain and version checks read what they write on.
  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;

  // A read-only connection (a read command's, or a store on read-only media): every write
  // transaction is refused with StoreError(read_only) before it begins.
  bool read_only() const { return read_only_; }
  void set_read_only(bool read_only) { read_only_ = read_only; }

private:
  friend class Transaction;
  int depth_ = 0; // open Transactions on this connection
  bool read_only_ = false;
};

// begin() on construction; rollback unless commit() was called: a write lands whole or not.
// Transactions nest: the outermost begins and commits, an inner one is a savepoint, so that a
// write made of several (an import and the registry steps it causes) lands whole, while an
// inner one that fails undoes only itself.
class Transaction {
public:
  explicit Transaction(Connection &c) : c_(c), level_(c.depth_ + 1) {
    if (c_.read_only_) throw StoreError::read_only(c_.location());
    if (level_ == 1)
      c_.begin();
    else
      c_.exec("SAVEPOINT " + savepoint());
    c_.depth_ = level_;
  }
  Transaction(const Transaction &) = delete;
  Transaction &operator=(const Transaction &) = delete;
  ~Transaction() {
    if (done_) return;
    c_.depth_ = level_ - 1;
    if (level_ == 1) {
      c_.rollback();
      return;
    }
    try {
      c_.exec("ROLLBACK TO SAVEPOINT " + savepoint());
      c_.exec("RELEASE SAVEPOINT " + savepoint());
    } catch (...) {
      // The outer transaction fails in turn when it next writes or commits.
    }
  }
  void commit() {
    if (level_ == 1)
      c_.commit();
    else
      c_.exec("RELEASE SAVEPOINT " + savepoint());
    c_.depth_ = level_ - 1;
    done_ = true;
  }

private:
  std::string savepoint() const { return "mineplan_" + std::to_string(level_); }
  Connection &c_;
  int level_;
  bool done_ = false;
};

} // namespace mineplan::store::sql

#include "store/sql/sqlite_connection.hpp"

#include "store/gpkg/geometry_blob.hpp"

namespace mineplan::store::sql {
namespace {

constexpr std::int32_t kSrsCgcs2000 = 4490;

class SqliteStatement final : public StatementImpl {
public:
  SqliteStatement(Database &db, std::string_view sql) : db_(db), st_(db, sql) {}

  void bind_null(int i) override { st_.bind(i, std::nullopt); }
  void bind_int64(int i, std::int64_t v) override { st_.bind(i, v); }
  void bind_double(int i, double v) override { st_.bind(i, v); }
  void bind_text(int i, std::string_view v) override { st_.bind(i, v); }
  void bind_geometry(int i, const geo::MultiPolygon &g) override {
    st_.bind_blob(i, gpkg::encode_blob(g, kSrsCgcs2000));
  }
  bool step() override { return st_.step(); }
  std::int64_t run() override {
    while (st_.step()) {
    }
    std::int64_t n = sqlite3_changes64(db_.handle());
    st_.reset();
    return n;
  }
  void reset() override { st_.reset(); }
  int column_count() const override { return st_.column_count(); }
  std::string column_name(int c) const override { return st_.column_name(c); }
  ColumnType column_type(int c) const override {
    switch (st_.column_type(c)) {
    case SQLITE_NULL: return ColumnType::null;
    case SQLITE_INTEGER: return ColumnType::integer;
    case SQLITE_FLOAT: return ColumnType::real;
    case SQLITE_BLOB: return ColumnType::geometry; // the only blobs the store keeps
    default: return ColumnType::text;
    }
  }
  bool is_null(int c) const override { return st_.is_null(c); }
  std::int64_t int64(int c) const override { return st_.int64(c); }
  double real(int c) const override { return st_.real(c); }
  std::string text(int c) const override { return st_.text(c); }
  std::optional<geo::MultiPolygon> geometry(int c) const override {
    if (st_.is_null(c)) return std::nullopt;
    auto b = st_.blob(c);
    return gpkg::decode_blob(b);
  }

private:
  Database &db_;
  store::Statement st_;
};

} // namespace

Statement SqliteConnection::prepare(std::string_view sql) {
  return Statement(std::make_unique<SqliteStatement>(db_, sql));
}

void SqliteConnection::rollback() noexcept {
  try {
    db_.exec("ROLLBACK");
  } catch (...) {
    // The connection is unusable anyway; the journal restores the file on next open.
  }
}

} // namespace mineplan::store::sql

// Lossless copy of one store into another, whatever their kinds: every row of every table with
// its ids, versions, geometry (doubles bit for bit) and audit hashes, in one transaction.
#include "core/error.hpp"
#include "store/sql/sql_store.hpp"

namespace mineplan::store::sql {
namespace {

// Parents before children (sessions and licence links name accounts).
std::vector<std::string> copied_tables() {
  std::vector<std::string> out;
  for (const auto &l : spatial_layers())
    out.emplace_back(l.table);
  for (const auto &l : attribute_layers())
    out.emplace_back(l.table);
  out.emplace_back("accounts");
  out.emplace_back("sessions");
  out.emplace_back("account_licences");
  return out;
}

} // namespace

CopySummary SqlStore::copy_from(SqlStore &source) {
  if (source.schema_version() != schema_version())
    throw Error("cannot copy " + source.location() + " (schema " +
                std::to_string(source.schema_version()) + ") into " + location() + " (schema " +
                std::to_string(schema_version()) + "): open both with this build first");
  CopySummary sum;
  Transaction tx(db_);
  for (const auto &table : copied_tables()) {
    auto count = db_.prepare("SELECT count(*) FROM " + table);
    count.step();
    if (count.int64(0) != 0)
      throw Error(location() + ": table " + table + " is not empty; copy only into a new store");
  }
  for (const auto &table : copied_tables()) {
    const std::string order = table == "sessions" ? "token_hash" : "fid";
    auto rows = source.db_.prepare("SELECT * FROM " + table + " ORDER BY " + order);
    std::optional<Statement> insert;
    std::int64_t n = 0;
    while (rows.step()) {
      const int columns = rows.column_count();
      if (!insert) {
        std::string names, params;
        for (int c = 0; c < columns; ++c) {
          names += (c ? ", " : "") + rows.column_name(c);
          params += (c ? ", ?" : "?") + std::to_string(c + 1);
        }
        insert.emplace(
            db_.prepare("INSERT INTO " + table + " (" + names + ") VALUES (" + params + ")"));
      }
      for (int c = 0; c < columns; ++c) {
        switch (rows.column_type(c)) {
        case ColumnType::null: insert->bind(c + 1, std::nullopt); break;
        case ColumnType::integer: insert->bind(c + 1, rows.int64(c)); break;
        case ColumnType::real: insert->bind(c + 1, rows.real(c)); break;
        case ColumnType::geometry: insert->bind_geometry(c + 1, rows.geometry(c)); break;
        case ColumnType::text: insert->bind(c + 1, rows.text(c)); break;
        }
      }
      insert->run();
      ++n;
    }
    sum.rows[table] = n;
  }
  after_copy(copied_tables());
  after_spatial_write();
  Json rows = Json::object();
  for (const auto &[t, n] : sum.rows)
    rows[t] = n;
  append_audit("store.copy", source.location(), nullptr, Json{{"rows", rows}});
  tx.commit();
  return sum;
}

} // namespace mineplan::store::sql

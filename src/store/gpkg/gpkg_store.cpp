#include "store/gpkg/gpkg_store.hpp"

#include "core/error.hpp"
#include "store/gpkg/geometry_blob.hpp"
#include "store/gpkg/schema.hpp"

#include <filesystem>

namespace mineplan::store::gpkg {
namespace {

using sql::attribute_layers;
using sql::spatial_layers;

constexpr std::int32_t kSrsCgcs2000 = 4490;
constexpr std::int64_t kGeoPackageApplicationId = 0x47504B47; // "GPKG"
constexpr int kGeoPackageVersion = 10300;                     // 1.3.0

// Substitutes every {0} in a SQL template with a table name from our own schema list.
std::string with_table(std::string_view sql, std::string_view table) {
  std::string out;
  out.reserve(sql.size() + 64);
  for (std::size_t i = 0; i < sql.size(); ++i) {
    if (sql.compare(i, 3, "{0}") == 0) {
      out += table;
      i += 2;
    } else {
      out += sql[i];
    }
  }
  return out;
}

// --- SQL functions the GeoPackage R-tree triggers call (GPKG 1.3 Annex F.3) ---------------

std::optional<geo::Envelope> arg_envelope(sqlite3_value *v) {
  if (sqlite3_value_type(v) != SQLITE_BLOB) return std::nullopt;
  const auto *p = static_cast<const std::uint8_t *>(sqlite3_value_blob(v));
  auto n = static_cast<std::size_t>(sqlite3_value_bytes(v));
  return blob_envelope({p, n});
}

template <double geo::Envelope::*Field>
void st_bound(sqlite3_context *ctx, int, sqlite3_value **argv) {
  auto env = arg_envelope(argv[0]);
  if (env)
    sqlite3_result_double(ctx, (*env).*Field);
  else
    sqlite3_result_null(ctx);
}

void st_is_empty(sqlite3_context *ctx, int, sqlite3_value **argv) {
  if (sqlite3_value_type(argv[0]) != SQLITE_BLOB) {
    sqlite3_result_null(ctx);
    return;
  }
  const auto *p = static_cast<const std::uint8_t *>(sqlite3_value_blob(argv[0]));
  auto h = read_header({p, static_cast<std::size_t>(sqlite3_value_bytes(argv[0]))});
  sqlite3_result_int(
      ctx, !h || h->empty ||
               !blob_envelope({p, static_cast<std::size_t>(sqlite3_value_bytes(argv[0]))}));
}

void register_functions(sqlite3 *db) {
  constexpr int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  sqlite3_create_function(db, "ST_MinX", 1, flags, nullptr, st_bound<&geo::Envelope::min_x>,
                          nullptr, nullptr);
  sqlite3_create_function(db, "ST_MaxX", 1, flags, nullptr, st_bound<&geo::Envelope::max_x>,
                          nullptr, nullptr);
  sqlite3_create_function(db, "ST_MinY", 1, flags, nullptr, st_bound<&geo::Envelope::min_y>,
                          nullptr, nullptr);
  sqlite3_create_function(db, "ST_MaxY", 1, flags, nullptr, st_bound<&geo::Envelope::max_y>,
                          nullptr, nullptr);
  sqlite3_create_function(db, "ST_IsEmpty", 1, flags, nullptr, st_is_empty, nullptr, nullptr);
}

std::string rtree_sql(std::string_view t) {
  // The six triggers of GeoPackage 1.3 §F.3, for table t, column geom, id fid.
  return with_table(R"SQL(
CREATE VIRTUAL TABLE rtree_{0}_geom USING rtree(id, minx, maxx, miny, maxy);
CREATE TRIGGER rtree_{0}_geom_insert AFTER INSERT ON {0}
WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  INSERT OR REPLACE INTO rtree_{0}_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
END;
CREATE TRIGGER rtree_{0}_geom_update1 AFTER UPDATE OF geom ON {0}
WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  INSERT OR REPLACE INTO rtree_{0}_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
END;
CREATE TRIGGER rtree_{0}_geom_update2 AFTER UPDATE OF geom ON {0}
WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_{0}_geom WHERE id = OLD.fid;
END;
CREATE TRIGGER rtree_{0}_geom_update3 AFTER UPDATE ON {0}
WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_{0}_geom WHERE id = OLD.fid;
  INSERT OR REPLACE INTO rtree_{0}_geom VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
END;
CREATE TRIGGER rtree_{0}_geom_update4 AFTER UPDATE ON {0}
WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_{0}_geom WHERE id IN (OLD.fid, NEW.fid);
END;
CREATE TRIGGER rtree_{0}_geom_delete AFTER DELETE ON {0}
WHEN old.geom NOT NULL
BEGIN
  DELETE FROM rtree_{0}_geom WHERE id = OLD.fid;
END;
)SQL",
                    t);
}

} // namespace

GpkgStore::GpkgStore(const std::string &path, bool create)
    : SqlStore([&] {
        namespace fs = std::filesystem;
        if (create && fs::exists(path))
          throw Error(path + ": already exists; refusing to overwrite");
        if (!create && !fs::exists(path)) throw Error(path + ": no such store");
        int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
        return std::make_unique<sql::SqliteConnection>(path, flags);
      }()) {
  register_functions(database().handle());
  if (!create) {
    auto st = db_.prepare("PRAGMA application_id");
    st.step();
    if (st.int64(0) != kGeoPackageApplicationId)
      throw Error(path + ": not a GeoPackage (application_id is not 'GPKG')");
  }
  db_.exec("PRAGMA journal_mode=WAL");
  db_.exec("PRAGMA foreign_keys=ON");
  db_.exec("PRAGMA synchronous=NORMAL");
  migrate();
}

const std::vector<sql::Migration> &GpkgStore::migrations() const {
  return gpkg::migrations();
}

void GpkgStore::after_migration(int version) {
  if (version != 1) return;
  db_.exec("PRAGMA application_id=" + std::to_string(kGeoPackageApplicationId));
  db_.exec("PRAGMA user_version=" + std::to_string(kGeoPackageVersion));
  register_layers();
}

void GpkgStore::register_layers() {
  auto contents = db_.prepare(
      "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) "
      "VALUES (?1, ?2, ?1, ?3, ?4)");
  auto columns = db_.prepare(
      "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', 'MULTIPOLYGON', 4490, 0, 0)");
  auto ext = db_.prepare("INSERT INTO gpkg_extensions VALUES (?1, 'geom', 'gpkg_rtree_index', "
                         "'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')");
  for (const auto &l : spatial_layers()) {
    contents.bind(1, l.table).bind(2, "features").bind(3, l.title).bind(4, kSrsCgcs2000).run();
    columns.bind(1, l.table).run();
    ext.bind(1, l.table).run();
    db_.exec(rtree_sql(l.table));
  }
  // Tables of later migrations register themselves there.
  auto exists = db_.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1");
  for (const auto &l : attribute_layers()) {
    exists.bind(1, l.table);
    bool present = exists.step();
    exists.reset();
    if (present)
      contents.bind(1, l.table).bind(2, "attributes").bind(3, l.title).bind(4, std::nullopt).run();
  }
}

void GpkgStore::update_extents() {
  for (const auto &l : spatial_layers()) {
    db_.exec(
        with_table("UPDATE gpkg_contents SET min_x = (SELECT min(minx) FROM rtree_{0}_geom), "
                   "max_x = (SELECT max(maxx) FROM rtree_{0}_geom), min_y = (SELECT min(miny) FROM "
                   "rtree_{0}_geom), max_y = (SELECT max(maxy) FROM rtree_{0}_geom), "
                   "last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = '{0}'",
                   l.table));
  }
}

} // namespace mineplan::store::gpkg

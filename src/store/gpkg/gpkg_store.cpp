#include "store/gpkg/gpkg_store.hpp"

#include "core/store_error.hpp"
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

// A file: URI for `path` (SQLite's URI syntax: %, ? and # escaped).
std::string file_uri(const std::string &path) {
  std::string out = "file:";
  for (char c : path) {
    if (c == '%')
      out += "%25";
    else if (c == '?')
      out += "%3f";
    else if (c == '#')
      out += "%23";
    else
      out += c;
  }
  return out;
}

// Reads the schema: the first access that opens the file, its WAL and -shm. The SQLite result
// code, with its message in `message`.
int probe(Database &db, std::string &message) {
  char *err = nullptr;
  int rc = sqlite3_exec(db.handle(), "SELECT count(*) FROM sqlite_master", nullptr, nullptr, &err);
  message = err ? err : "";
  sqlite3_free(err);
  return rc;
}

[[noreturn]] void refuse_unreadable(const std::string &path, int rc, const std::string &message) {
  if ((rc & 0xff) == SQLITE_NOTADB)
    throw StoreError(StoreError::Kind::not_mineplan, path,
                     "不是 SQLite/GeoPackage 文件；未做任何修改（not a database: " + message +
                         "）");
  throw Error(path + ": cannot read: " + message);
}

// A read-only connection. In WAL mode a reader needs the -shm beside the file: where it cannot
// be made (a read-only directory or medium) the file is read as immutable — but not when a -wal
// still holds writes, which immutable would silently pass over.
std::unique_ptr<sql::SqliteConnection> connect_read_only(const std::string &path) {
  namespace fs = std::filesystem;
  const std::string uri = file_uri(path) + "?mode=ro";
  constexpr int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
  auto c = std::make_unique<sql::SqliteConnection>(path, flags, uri);
  std::string message;
  int rc = probe(c->database(), message);
  if ((rc & 0xff) == SQLITE_CANTOPEN || (rc & 0xff) == SQLITE_READONLY) {
    std::error_code ec;
    const auto wal = fs::file_size(path + "-wal", ec);
    if (!ec && wal > 0)
      throw StoreError(StoreError::Kind::read_only, path,
                       "存储所在目录不可写，而预写日志（-wal）中还有未并入的写入：请在可写的位置"
                       "打开一次（the -wal holds writes and its directory is read-only）");
    c = std::make_unique<sql::SqliteConnection>(path, flags, uri + "&immutable=1");
    rc = probe(c->database(), message);
  }
  if (rc != SQLITE_OK) refuse_unreadable(path, rc, message);
  c->set_read_only(true);
  return c;
}

std::unique_ptr<sql::SqliteConnection> connect(const std::string &path, Access access) {
  namespace fs = std::filesystem;
  if (access == Access::create) {
    if (fs::exists(path))
      throw Error(path + ": 已存在，拒绝覆盖（already exists; refusing to overwrite）");
    return std::make_unique<sql::SqliteConnection>(path,
                                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  }
  if (!fs::exists(path))
    throw Error(path + ": 没有这个存储（no such store; create one with `mineplan init`）");
  if (access != Access::read) {
    auto c = std::make_unique<sql::SqliteConnection>(path, SQLITE_OPEN_READWRITE);
    std::string message;
    const int rc = probe(c->database(), message);
    if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_CANTOPEN && (rc & 0xff) != SQLITE_READONLY)
      refuse_unreadable(path, rc, message);
    // SQLite opens a file it may not write read-only; a WAL file in a directory it may not
    // write fails the probe (no -shm).
    if (rc == SQLITE_OK && !sqlite3_db_readonly(c->database().handle(), "main")) return c;
    if (access == Access::write) throw StoreError::read_only(path);
  }
  return connect_read_only(path);
}

} // namespace

GpkgStore::GpkgStore(const std::string &path, Access access) : SqlStore(connect(path, access)) {
  register_functions(database().handle());
  db_.exec("PRAGMA foreign_keys=ON");
  if (access != Access::create) {
    // Nothing is written before the file is known to be a mineplan store this binary reads.
    auto st = db_.prepare("PRAGMA application_id");
    st.step();
    if (st.int64(0) != kGeoPackageApplicationId)
      throw StoreError(StoreError::Kind::not_mineplan, path,
                       "不是 GeoPackage（application_id 不是 'GPKG'）；未做任何修改（not a "
                       "GeoPackage）");
  }
  if (read_only()) {
    db_.exec("PRAGMA query_only=ON");
    open_existing();
    return;
  }
  // The journal mode is written into the file: not before it is known to be ours.
  if (access != Access::create) check_existing();
  db_.exec("PRAGMA journal_mode=WAL");
  db_.exec("PRAGMA synchronous=NORMAL");
  if (access == Access::create)
    migrate();
  else
    open_existing();
}

bool GpkgStore::has_table(const std::string &name) {
  auto st = db_.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1");
  st.bind(1, name);
  return st.step();
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

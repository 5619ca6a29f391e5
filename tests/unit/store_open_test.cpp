// Opening a store as a command needs it (store/store.hpp, Access): read commands never write —
// not even a migration; a foreign GeoPackage or schema, and a store of a newer mineplan, are
// refused with the reason and left byte for byte as they were; a read-only store is read and
// served while every write is refused with StoreError; PostgreSQL schema names are checked.
// On both stores where the behaviour is not the file's own.
#include "core/store_error.hpp"
#include "review_support.hpp"
#include "server_support.hpp"
#include "store/audit_log.hpp"
#include "store/postgis/pg_connection.hpp"

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <sys/stat.h>
#include <unistd.h>

using mineplan::StoreError;
using mineplan::testing::TempDir;
namespace fs = std::filesystem;
namespace store = mineplan::store;
using review_test::q;
using review_test::run_cli;

namespace {

std::string bytes_of(const fs::path &file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The kind of StoreError `fn` throws, and its message in `message`.
template <class Fn> std::optional<StoreError::Kind> store_error(Fn fn, std::string &message) {
  try {
    fn();
  } catch (const StoreError &e) {
    message = e.what();
    return e.kind();
  }
  return std::nullopt;
}

// The schema version recorded in a store, read past the store (which would refuse it).
int recorded_version(const std::string &location) {
  const std::string sql = "SELECT coalesce(max(version), 0) FROM mineplan_migrations";
  if (store::is_server_location(location)) {
    store::postgis::PgConnection c(store::postgis::parse_location(location));
    auto st = c.prepare(sql);
    st.step();
    return static_cast<int>(st.int64(0));
  }
  store::Database db(location, SQLITE_OPEN_READONLY);
  auto st = db.prepare(sql);
  st.step();
  return static_cast<int>(st.int64(0));
}

// A store as the mineplan before the last migration left it: the last migration's table and
// its record gone.
void make_older(const std::string &location) {
  ASSERT_EQ(store::Store::known_schema_version(), 8) << "update make_older for the new migration";
  mineplan::testing::raw_sql(location, "DROP TABLE audit_heads");
  if (!store::is_server_location(location))
    mineplan::testing::raw_sql(location,
                               "DELETE FROM gpkg_contents WHERE table_name = 'audit_heads'");
  mineplan::testing::raw_sql(location, "DELETE FROM mineplan_migrations WHERE version = 8");
}

// A GeoPackage as GDAL makes it (as QGIS or ogr2ogr would): one layer of roads, no mineplan
// tables.
void make_foreign_geopackage(const fs::path &file) {
  GDALAllRegister();
  GDALDriverH driver = GDALGetDriverByName("GPKG");
  ASSERT_NE(driver, nullptr);
  GDALDatasetH ds = GDALCreate(driver, file.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
  ASSERT_NE(ds, nullptr);
  OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
  OSRImportFromEPSG(srs, 4490);
  OGRLayerH layer = GDALDatasetCreateLayer(ds, "roads", srs, wkbLineString, nullptr);
  ASSERT_NE(layer, nullptr);
  OGRFieldDefnH field = OGR_Fld_Create("name", OFTString);
  OGR_L_CreateField(layer, field, 1);
  OGR_Fld_Destroy(field);
  OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(layer));
  OGR_F_SetFieldString(f, 0, "G110");
  char wkt[] = "LINESTRING (109.9 40.3, 110.1 40.4)";
  char *p = wkt;
  OGRGeometryH g = nullptr;
  OGR_G_CreateFromWkt(&p, srs, &g);
  OGR_F_SetGeometryDirectly(f, g);
  EXPECT_EQ(OGR_L_CreateFeature(layer, f), OGRERR_NONE);
  OGR_F_Destroy(f);
  OSRDestroySpatialReference(srs);
  GDALClose(ds);
}

// Runs a shell command; stdout and stderr together.
review_test::RunResult run_shell(const std::string &cmd) {
  review_test::RunResult r;
  FILE *p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p))
    r.output.append(buf.data(), n);
  int status = pclose(p);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = r.output;
  return r;
}

} // namespace

// --- read access ----------------------------------------------------------------------------

TEST(StoreOpen, ReadAccessReadsAndRefusesEveryWrite) {
  TempDir dir;
  const std::string location = review_test::fresh_store(dir.path() / "s.gpkg")->location();
  auto st = store::Store::open(location, store::Access::read);
  EXPECT_TRUE(st->read_only());
  EXPECT_EQ(st->plan_summaries().size(), 5u);
  EXPECT_TRUE(st->plan("dalad-2021"));
  const auto audit_rows = st->verify_audit().rows;

  std::string message;
  mineplan::store::Notice n;
  n.who = "cli";
  n.jurisdiction = "150621";
  n.title = "t";
  n.body = "b";
  EXPECT_EQ(store_error([&] { st->add_notice(n); }, message), StoreError::Kind::read_only);
  EXPECT_NE(message.find("只读"), std::string::npos) << message;
  EXPECT_EQ(store_error([&] { st->audit("x", "y", nullptr, nullptr); }, message),
            StoreError::Kind::read_only);
  EXPECT_EQ(store_error([&] { st->import_rights({}, "2020-01-01", "t"); }, message),
            StoreError::Kind::read_only);
  EXPECT_EQ(st->verify_audit().rows, audit_rows);
}

TEST(StoreOpen, ReadAccessLeavesTheFileByteIdentical) {
  SKIP_ON_POSTGRES("the GeoPackage file's bytes");
  TempDir dir;
  const fs::path file = dir.path() / "s.gpkg";
  review_test::fresh_store(file).reset();
  const std::string before = bytes_of(file);
  {
    auto st = store::Store::open(file.string(), store::Access::read);
    EXPECT_EQ(st->plan_summaries().size(), 5u);
  }
  auto r = run_cli("plans " + q(file.string()), dir.path());
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(bytes_of(file) == before);
}

// A server or login whose transactions are read-only (a standby, a read-only role): served
// read-only, every write refused; asked to write, refused at once.
TEST(StoreOpen, ReadOnlyPostgresIsReadAndRefusesWrites) {
  if (!mineplan::testing::on_postgres()) GTEST_SKIP() << "PostgreSQL only";
  TempDir dir;
  const std::string location = review_test::fresh_store(dir.path() / "ro.gpkg")->location();
  const std::string ro = location + "&options=-c%20default_transaction_read_only%3Don";
  auto st = store::Store::open(ro, store::Access::read_or_write);
  EXPECT_TRUE(st->read_only());
  EXPECT_EQ(st->plan_summaries().size(), 5u);
  std::string message;
  EXPECT_EQ(store_error([&] { st->audit("x", "y", nullptr, nullptr); }, message),
            StoreError::Kind::read_only);
  EXPECT_EQ(store_error([&] { store::Store::open(ro, store::Access::write); }, message),
            StoreError::Kind::read_only);
}

// The server on a read-only store: the map and the API's reads answer; signing in (a write: the
// session) answers 503 with the reason, naming no server path.
TEST(StoreOpen, ServerOnReadOnlyStoreServesReadsAndAnswers503ToWrites) {
  mineplan::server::ServeOptions o;
  o.read_only = true;
  server_test::TestServer server({}, o);
  EXPECT_EQ(server.get("/api/plans").status, 200u);
  EXPECT_EQ(server.get("/api/plans/dalad-2021").status, 200u);
  auto r = server.post("/api/login",
                       mineplan::Json{{"username", "dalad"}, {"password", server_test::kPassword}});
  EXPECT_EQ(r.status, 503u) << r.body;
  EXPECT_NE(r.body.find("只读"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find(server.store_location()), std::string::npos) << r.body;
  EXPECT_EQ(server.get("/api/plans").status, 200u) << "the server lives on";
}

// As an unprivileged user (root ignores permission bits): a store in a directory nobody else
// may write, the file itself read-only — no -shm can be made beside it. Read commands read it
// (as immutable); a write command is refused, exit 2, with the reason; the file is unchanged.
TEST(StoreOpen, StoreInReadOnlyDirectoryIsReadAndWritesAreRefused) {
  SKIP_ON_POSTGRES("file permissions");
  std::string as_user;
  if (geteuid() == 0) {
    if (std::system("command -v setpriv >/dev/null 2>&1") != 0) GTEST_SKIP() << "no setpriv";
    as_user = "setpriv --reuid=65534 --regid=65534 --clear-groups ";
  }
  TempDir dir;
  fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                  fs::perms::others_read | fs::perms::others_exec);
  const fs::path ro_dir = dir.path() / "ro";
  fs::create_directory(ro_dir);
  const fs::path file = ro_dir / "s.gpkg";
  review_test::fresh_store(file).reset();
  ASSERT_FALSE(fs::exists(file.string() + "-wal"));
  ::chmod(file.c_str(), 0444);
  ::chmod(ro_dir.c_str(), 0555);
  const std::string before = bytes_of(file);
  const fs::path out = dir.path() / "out";
  fs::create_directory(out);
  ::chmod(out.c_str(), 0777);
  const std::string bin = std::string("'") + MINEPLAN_BINARY + "' ";
  auto run_as = [&](const std::string &args) {
    const std::string cmd = as_user + bin + args + " >" + q((out / "o.txt").string()) + " 2>&1";
    int status = std::system(cmd.c_str());
    return std::make_pair(WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                          review_test::read_text(out / "o.txt"));
  };
  auto [plans_status, plans_out] = run_as("plans " + q(file.string()));
  EXPECT_EQ(plans_status, 0) << plans_out;
  EXPECT_NE(plans_out.find("dalad-2021"), std::string::npos) << plans_out;
  auto [show_status, show_out] = run_as("show " + q(file.string()) + " dalad-2021");
  EXPECT_EQ(show_status, 0) << show_out;
  auto [add_status, add_out] =
      run_as("user add " + q(file.string()) +
             " --username u --role reviewer --jurisdiction 150621 </dev/null");
  EXPECT_EQ(add_status, 2) << add_out;
  EXPECT_NE(add_out.find("只读"), std::string::npos) << add_out;
  EXPECT_TRUE(bytes_of(file) == before);
  EXPECT_FALSE(fs::exists(file.string() + "-shm"));
  ::chmod(ro_dir.c_str(), 0755);
}

// --- foreign stores ---------------------------------------------------------------------------

TEST(StoreOpen, ForeignGeoPackageIsRefusedAndLeftByteIdentical) {
  SKIP_ON_POSTGRES("a GeoPackage file");
  TempDir dir;
  const fs::path file = dir.path() / "qgis.gpkg";
  make_foreign_geopackage(file);
  const std::string before = bytes_of(file);
  ASSERT_FALSE(before.empty());
  for (auto access : {store::Access::read, store::Access::write, store::Access::read_or_write}) {
    std::string message;
    EXPECT_EQ(store_error([&] { store::Store::open(file.string(), access); }, message),
              StoreError::Kind::not_mineplan);
    EXPECT_NE(message.find("不是 mineplan 数据库"), std::string::npos) << message;
    EXPECT_NE(message.find("mineplan_migrations"), std::string::npos) << message;
    EXPECT_TRUE(bytes_of(file) == before);
  }
  for (const std::string cmd : {"plans", "migrate", "audit"}) {
    auto r = run_cli(cmd + " " + q(file.string()), dir.path());
    EXPECT_EQ(r.status, 2) << cmd << ": " << r.output;
    EXPECT_NE(r.output.find("缺少表 mineplan_migrations"), std::string::npos) << r.output;
  }
  auto r = run_cli("show " + q(file.string()) + " dalad-2021", dir.path());
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(bytes_of(file) == before) << "the GeoPackage must be left byte for byte";
  EXPECT_FALSE(fs::exists(file.string() + "-wal"));
}

TEST(StoreOpen, FileThatIsNoDatabaseIsRefused) {
  SKIP_ON_POSTGRES("a file");
  TempDir dir;
  const fs::path file = dir.path() / "notes.gpkg";
  std::ofstream(file) << "not a database at all, but long enough to have a header ........\n";
  const std::string before = bytes_of(file);
  auto r = run_cli("plans " + q(file.string()), dir.path());
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("不是"), std::string::npos) << r.output;
  EXPECT_TRUE(bytes_of(file) == before);
}

TEST(StoreOpen, PostgresSchemaWithoutMineplanTablesIsRefusedUntouched) {
  if (!mineplan::testing::on_postgres()) GTEST_SKIP() << "PostgreSQL only";
  TempDir dir;
  const std::string location = mineplan::testing::store_location(dir.path() / "foreign.gpkg");
  const std::string schema = store::postgis::parse_location(location).schema;
  mineplan::testing::raw_sql(location, "CREATE SCHEMA " + schema + "; CREATE TABLE " + schema +
                                           ".roads (id integer)");
  for (auto access : {store::Access::read, store::Access::write}) {
    std::string message;
    EXPECT_EQ(store_error([&] { store::Store::open(location, access); }, message),
              StoreError::Kind::not_mineplan);
    EXPECT_NE(message.find("mineplan_migrations"), std::string::npos) << message;
  }
  auto r = run_cli("plans " + q(location), dir.path());
  EXPECT_EQ(r.status, 2) << r.output;
  store::postgis::PgConnection c(store::postgis::parse_location(location));
  auto st = c.prepare("SELECT count(*) FROM pg_tables WHERE schemaname = ?1");
  st.bind(1, schema);
  ASSERT_TRUE(st.step());
  EXPECT_EQ(st.int64(0), 1) << "nothing was added to the schema";
}

// --- versions ---------------------------------------------------------------------------------

TEST(StoreOpen, StoreOfNewerMineplanIsRefusedNamingBothVersions) {
  TempDir dir;
  const std::string location = review_test::fresh_store(dir.path() / "new.gpkg")->location();
  const int known = store::Store::known_schema_version();
  mineplan::testing::raw_sql(location, "INSERT INTO mineplan_migrations VALUES (" +
                                           std::to_string(known + 3) +
                                           ", 'from the future', '2031-01-01')");
  for (auto access : {store::Access::read, store::Access::write, store::Access::read_or_write}) {
    std::string message;
    EXPECT_EQ(store_error([&] { store::Store::open(location, access); }, message),
              StoreError::Kind::newer_version);
    EXPECT_NE(message.find(std::to_string(known + 3)), std::string::npos) << message;
    EXPECT_NE(message.find(std::to_string(known)), std::string::npos) << message;
    EXPECT_NE(message.find("更新版本的 mineplan"), std::string::npos) << message;
  }
  for (const std::string cmd : {"plans", "migrate"}) {
    auto r = run_cli(cmd + " " + q(location), dir.path());
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_NE(r.output.find("结构版本为 " + std::to_string(known + 3)), std::string::npos)
        << r.output;
  }
  // The server refuses to start on it.
  mineplan::server::ServeOptions o;
  o.store = location;
  o.data_dir = fs::path(MINEPLAN_SOURCE_DIR) / "data";
  EXPECT_THROW(mineplan::server::App app(o), StoreError);
  EXPECT_EQ(recorded_version(location), known + 3);
}

TEST(StoreOpen, OlderStoreIsMigratedByWritesAndMigrateNeverByReads) {
  TempDir dir;
  const std::string location = review_test::fresh_store(dir.path() / "old.gpkg")->location();
  make_older(location);
  const int known = store::Store::known_schema_version();
  std::string message;
  EXPECT_EQ(store_error([&] { store::Store::open(location, store::Access::read); }, message),
            StoreError::Kind::needs_migration);
  EXPECT_NE(message.find("mineplan migrate"), std::string::npos) << message;
  auto r = run_cli("plans " + q(location), dir.path());
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("mineplan migrate"), std::string::npos) << r.output;
  EXPECT_EQ(recorded_version(location), known - 1) << "a read command migrated the store";

  r = run_cli("migrate " + q(location), dir.path());
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.out.find("已升级到结构版本 " + std::to_string(known)), std::string::npos) << r.out;
  EXPECT_EQ(recorded_version(location), known);
  auto st = store::Store::open(location, store::Access::read);
  EXPECT_TRUE(store::audit_heads(*st, 10).empty()); // the table migration 8 made
  r = run_cli("migrate " + q(location), dir.path());
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.out.find("已是最新"), std::string::npos) << r.out;
}

TEST(StoreOpen, WriteAccessMigratesAnOlderStore) {
  TempDir dir;
  const std::string location = review_test::fresh_store(dir.path() / "old.gpkg")->location();
  make_older(location);
  auto st = store::Store::open(location, store::Access::write);
  EXPECT_EQ(st->schema_version(), store::Store::known_schema_version());
}

// --- the quick start's pieces never delete ----------------------------------------------------

TEST(StoreOpen, InitRefusesAnExistingStoreAndLeavesIt) {
  TempDir dir;
  const std::string location = review_test::fresh_store(dir.path() / "kept.gpkg")->location();
  {
    auto st = store::Store::open(location);
    mineplan::store::Notice n{0, "", "cli", "150621", "留下", "入库的数据不会被覆盖"};
    st->add_notice(n);
  }
  auto r = run_cli("init " + q(location), dir.path());
  EXPECT_NE(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("refusing to overwrite"), std::string::npos) << r.output;
  auto st = store::Store::open(location, store::Access::read);
  ASSERT_EQ(st->notices(10).size(), 1u);
  EXPECT_EQ(st->notices(10)[0].title, "留下");
}

// scripts/demo-store.sh, the store half of scripts/run.sh: the first run makes the store and
// the demo accounts; a second run serves what is there (nothing re-made, no password reset);
// --fresh moves the old store aside and keeps it.
TEST(StoreOpen, DemoStoreScriptKeepsTheStoreAcrossRuns) {
  SKIP_ON_POSTGRES("moves a file aside");
  TempDir dir;
  const fs::path file = dir.path() / "demo.gpkg";
  const fs::path accounts = dir.path() / "demo-accounts.txt";
  const std::string script = std::string("MINEPLAN_BIN='") + MINEPLAN_BINARY + "' '" +
                             MINEPLAN_SOURCE_DIR + "/scripts/demo-store.sh' " + q(file.string()) +
                             " " + q(accounts.string());
  auto first = run_shell(script);
  ASSERT_EQ(first.status, 0) << first.output;
  const std::string passwords = bytes_of(accounts);
  EXPECT_EQ(std::count(passwords.begin(), passwords.end(), '\n'), 5) << passwords;
  {
    auto st = store::Store::open(file.string());
    mineplan::store::Notice n{0, "", "cli", "150621", "第一次运行后的公告", "正文"};
    st->add_notice(n);
  }
  auto second = run_shell(script);
  ASSERT_EQ(second.status, 0) << second.output;
  EXPECT_NE(second.output.find("exist already"), std::string::npos) << second.output;
  EXPECT_EQ(bytes_of(accounts), passwords) << "no password reset, no account re-made";
  EXPECT_EQ(store::Store::open(file.string(), store::Access::read)->notices(10).size(), 1u);

  auto fresh = run_shell(script + " --fresh");
  ASSERT_EQ(fresh.status, 0) << fresh.output;
  EXPECT_TRUE(store::Store::open(file.string(), store::Access::read)->notices(10).empty());
  int kept = 0;
  for (const auto &e : fs::directory_iterator(dir.path())) {
    const std::string name = e.path().filename().string();
    if (name.starts_with("demo-") && name.ends_with(".gpkg")) {
      ++kept;
      EXPECT_EQ(store::Store::open(e.path().string(), store::Access::read)->notices(10).size(), 1u);
    }
  }
  EXPECT_EQ(kept, 1) << "the old store is kept beside the new one";
}

// --- PostgreSQL schema names ------------------------------------------------------------------

TEST(StoreOpen, PostgresSchemaNamesArePlainIdentifiersOutsideTheSystemSchemas) {
  const std::string base = "postgresql://u@localhost/db?schema=";
  for (const std::string &ok :
       std::vector<std::string>{"mineplan", "_x", "t_1", "county_150621", std::string(63, 'a')})
    EXPECT_NO_THROW(store::postgis::parse_location(base + ok)) << ok;
  for (const std::string &bad : std::vector<std::string>{
           "pg_catalog", "pg_toast", "pg_temp_3", "pg_anything", "information_schema", "public",
           "Mineplan", "1st", "a-b", "a b", "a\"b", std::string(64, 'a')}) {
    try {
      store::postgis::parse_location(base + bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const mineplan::InputError &e) {
      EXPECT_EQ(e.field(), "schema") << bad;
      EXPECT_NE(std::string(e.what()).find("schema 名"), std::string::npos) << e.what();
    }
  }
  auto r = review_test::run_cli("plans 'postgresql://u@localhost/db?schema=pg_catalog'", "/tmp");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("系统 schema"), std::string::npos) << r.output;
}

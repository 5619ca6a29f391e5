// Crash safety: `mineplan import` of 100,000 rights killed (SIGKILL) while it writes leaves
// the store intact — integrity_check ok, the rights as they were.
#include "io/ogr_import.hpp"
#include "io_support.hpp"
#include "store/sqlite.hpp"
#include "store_support.hpp"

#include <chrono>
#include <cmath>
#include <csignal>
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <thread>

extern char **environ;

using namespace io_test;
using namespace mineplan;

namespace {

constexpr int kRights = 100'000;

// 100k mining rights with star-shaped (simple) polygons across Inner Mongolia.
void generate_rights(const std::string &path, int n) {
  io::ogr::ensure_registered();
  GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GPKG")->Create(
      path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  ASSERT_TRUE(ds);
  OGRSpatialReference srs = io::ogr::cgcs2000_lonlat();
  OGRLayer *layer = ds->CreateLayer("rights", &srs, wkbPolygon, nullptr);
  for (const char *f :
       {"许可证号", "矿山名称", "采矿权人", "开采矿种", "矿山规模", "生产规模", "生产状态"}) {
    OGRFieldDefn fd(f, OFTString);
    layer->CreateField(&fd);
  }
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> lon(98, 125), lat(38, 52), u(0, 1);
  const char *scale[] = {"大型", "中型", "小型", "小矿"};
  const char *status[] = {"生产", "在建", "停产", "闭坑"};
  ds->StartTransaction();
  for (int i = 0; i < n; ++i) {
    OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
    char licence[32];
    std::snprintf(licence, sizeof licence, "C1500002021%012d", i);
    f->SetField(0, licence);
    f->SetField(1, ("崩溃测试煤矿" + std::to_string(i)).c_str());
    f->SetField(2, "测试矿业有限公司");
    f->SetField(3, "煤炭");
    f->SetField(4, scale[i % 4]);
    f->SetField(5, std::to_string(30 + i % 500).c_str());
    f->SetField(6, status[i % 4]);
    const double cx = lon(rng), cy = lat(rng), r = 0.005 + 0.01 * u(rng);
    OGRLinearRing ring;
    const int nv = 5 + static_cast<int>(rng() % 8);
    for (int k = 0; k < nv; ++k) {
      double a = 2 * M_PI * (k + 0.5 * u(rng)) / nv, rr = r * (0.6 + 0.4 * u(rng));
      ring.addPoint(cx + rr * std::cos(a), cy + rr * std::sin(a));
    }
    ring.closeRings();
    OGRPolygon poly;
    poly.addRing(&ring);
    f->SetGeometry(&poly);
    ASSERT_EQ(layer->CreateFeature(f.get()), OGRERR_NONE);
  }
  ds->CommitTransaction();
}

std::int64_t file_size(const std::string &p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 ? static_cast<std::int64_t>(st.st_size) : -1;
}

std::string query_text(store::Database &db, const std::string &sql) {
  auto st = db.prepare(sql);
  std::string out;
  while (st.step())
    out += st.text(0) + "\n";
  return out;
}

} // namespace

TEST(IoCrash, KilledImportLeavesTheStoreIntact) {
  SKIP_ON_POSTGRES(
      "reads the SQLite file after the kill; PostgreSQL's own recovery is not ours to test");
  const std::string bin = MINEPLAN_BINARY;
  if (!fs::exists(bin)) GTEST_SKIP() << bin << " not built";
  TempDir tmp;
  const std::string store_path = tmp.file("store.gpkg");
  const std::string wal = store_path + "-wal";
  make_store(store_path).reset();
  std::string before_count, before_content;
  {
    store::Database db(store_path, SQLITE_OPEN_READONLY);
    before_count = query_text(db, "SELECT count(*) FROM rights");
    before_content =
        query_text(db, "SELECT right_uid || '|' || fingerprint || '|' || version_from || '|' || "
                       "coalesce(version_to, '') FROM rights ORDER BY fid");
  }
  const std::string big = tmp.file("big.gpkg");
  generate_rights(big, kRights);
  ASSERT_FALSE(HasFatalFailure());

  // Run the CLI as a child.
  const std::string log = tmp.file("import.log");
  std::vector<std::string> argv_s{bin, "import", store_path, big, "--as-of", "2021-06-30"};
  std::vector<char *> argv;
  for (auto &a : argv_s)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, bin.c_str(), &fa, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&fa);

  // The import validates first (reading, reprojection, areas) and then writes everything in
  // one transaction: the write-ahead log grows only then. Kill it once 1 MiB is in the log.
  const auto start = std::chrono::steady_clock::now();
  std::int64_t wal_at_kill = -1;
  bool exited = false;
  int status = 0;
  while (std::chrono::steady_clock::now() - start < std::chrono::minutes(8)) {
    if (waitpid(pid, &status, WNOHANG) == pid) {
      exited = true;
      break;
    }
    if (std::int64_t s = file_size(wal); s > (1 << 20)) {
      wal_at_kill = s;
      kill(pid, SIGKILL);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  if (!exited) {
    if (wal_at_kill < 0) kill(pid, SIGKILL); // timed out
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
  }
  ASSERT_FALSE(exited) << "the import finished before it could be killed:\n" << read_file(log);
  ASSERT_GT(wal_at_kill, 0) << "timed out waiting for the import to write";
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  std::fprintf(stderr, "[crash] killed after %.1f s with %lld bytes in the WAL\n",
               std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
               static_cast<long long>(wal_at_kill));

  // Reopen: SQLite recovers from the log; the half-written transaction is not there.
  {
    store::Database db(store_path, SQLITE_OPEN_READWRITE);
    EXPECT_EQ(query_text(db, "PRAGMA integrity_check"), "ok\n");
    EXPECT_EQ(query_text(db, "SELECT count(*) FROM rights"), before_count);
    EXPECT_EQ(query_text(db,
                         "SELECT right_uid || '|' || fingerprint || '|' || version_from || '|' || "
                         "coalesce(version_to, '') FROM rights ORDER BY fid"),
              before_content);
    EXPECT_EQ(
        query_text(
            db, "SELECT count(*) FROM rtree_rights_geom WHERE id NOT IN (SELECT fid FROM rights)"),
        "0\n");
  }
  // And the store still takes an import.
  auto st = store::Store::open(store_path);
  write_file(tmp.file("after.csv"),
             "许可证号,矿山名称,开采矿种\nC1500002021999999999999,事后煤矿,煤炭\n");
  io::ImportOptions o;
  o.as_of = "2021-06-30";
  auto r = io::import_file(*st, tmp.file("after.csv"), o, schema());
  EXPECT_TRUE(r.problems.empty());
  EXPECT_EQ(r.summary.inserted, 1);
}

// bench_postgis: our engine beside PostGIS doing the same work, on the same generated database,
// on the same machine, in the same run, with a differential check of every result (issue 7,
// Deliver 3-4). Not a test; but it exits 1 when a differential check fails (2 on an error).
// --reuse-pg skips the load (and both imports) when the schema holds this very file already.
//
//   bench_postgis [--db PATH] [--scale region|small|national] [--seed N] [--data DIR]
//                 [--pg URL] [--schema NAME] [--n 1000] [--rounds 3] [--overlay-runs 3]
//                 [--overlay-every K] [--zmin 4] [--zmax 10] [--max-per-zoom N]
//                 [--tile-rounds 2] [--import-runs 1] [--mineplan PATH] [--reuse-pg]
//                 [--skip-import]
//
// bench/postgis_compare.sh starts the throwaway cluster, builds and runs this for each scale.
// What it does (docs/scaling.md has the results and the reasoning):
//  1. the generated database (io::generate_database; reused when --db exists);
//  2. import: `ogr2ogr -f PostgreSQL` of the layers zones and rights into schema --schema
//     (timed; no spatial index), then GiST indexes + ANALYZE (timed separately); beside it
//     `mineplan import` of the same two layers into a fresh store (validation, official areas,
//     versioning). The PostGIS tables are what every later PostGIS step queries;
//  3. our read model: review::SpatialIndex of every zone and current right, and
//     tiles::LayerTiles of the layers zones and rights; its build times and the process's
//     peak RSS (the working-set goal);
//  4. review: the three core spatial queries of a review (red-line/prohibited intersections
//     with areas, containing planning blocks, overlapping rights with areas) for the
//     bench_review boundaries, as three index calls and as three prepared SQL statements (GiST);
//     and the step as ReviewEngine::review runs it (two calls: every zone kind, then rights)
//     vs one statement (UNION ALL) with covers and areas;
//  5. overlay: every current right against every red-line/prohibited/restricted polygon with
//     the intersection areas: SpatialIndex::query per right vs one SQL join;
//  6. tiles: the z4-10 pyramid over the region of the zones and rights layers, LayerTiles::tile
//     vs ST_AsMVT(ST_AsMVTGeom(ST_Transform(geom, 3857), ST_TileEnvelope(z, x, y), 4096, 64));
//  7. the table: task | mineplan median | PostGIS median | ratio | differential check.
//
// Areas on both sides are the official convention: the intersection is formed in CGCS2000
// lon/lat (straight edges in lon/lat, as GEOS sees the stored geometry), its vertices projected
// to the CGCS2000 3° Gauss-Krüger zone (unprefixed, EPSG:4534-4554) of the query geometry's
// centroid, planar area. PostGIS: ST_Area(ST_Transform(ST_Intersection(a, b), 4509 + zone)),
// the zone decided by mineplan's rule and handed to PostGIS (a parameter, a table per right).
// PostgreSQL runs with jit = off and max_parallel_workers_per_gather = 0: one core against one
// core (our side is single-threaded too), and no JIT compilation in the query times.
#include "bench_boundaries.hpp"
#include "bench_support.hpp"
#include "geo/area.hpp"
#include "geo/geos.hpp"
#include "readmodel/read_model.hpp"
#include "review/engine.hpp"
#include "review/spatial.hpp"
#include "store/store.hpp"
#include "tiles/layer_tiles.hpp"
#include "tiles/mercator.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <bit>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <numbers>
#include <optional>
#include <set>
#include <spawn.h>
#include <stdexcept>
#include <string>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char **environ;

namespace fs = std::filesystem;
using namespace mineplan;
using Clock = std::chrono::steady_clock;

namespace {

static_assert(std::endian::native == std::endian::little, "WKB and MVT code assumes little-endian");

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
  return v[std::min(v.size() - 1, i == 0 ? 0 : i - 1)];
}

double peak_rss_mb() {
  struct rusage u {};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0; // ru_maxrss is in KiB on Linux
}

double rss_now_mb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
  return 0;
}

// ---------------------------------------------------------------------------------------------
// libpq with RAII; every failure throws with the statement that failed.

struct PgConnDeleter {
  void operator()(PGconn *c) const { PQfinish(c); }
};
struct PgResultDeleter {
  void operator()(PGresult *r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, PgResultDeleter>;

struct Param {
  std::string bytes;
  bool binary = false;
};

class Pg {
public:
  explicit Pg(const std::string &conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
    if (!conn_) throw std::runtime_error("libpq: cannot allocate a connection to " + conninfo);
    if (PQstatus(conn_.get()) != CONNECTION_OK) {
      std::string msg = "cannot connect to PostgreSQL at ";
      msg.append(conninfo).append(": ").append(PQerrorMessage(conn_.get()));
      throw std::runtime_error(msg);
    }
  }

  PgResult exec(const std::string &sql) {
    PgResult r(PQexec(conn_.get(), sql.c_str()));
    check(r, sql);
    return r;
  }
  void prepare(const std::string &name, const std::string &sql) {
    PgResult r(PQprepare(conn_.get(), name.c_str(), sql.c_str(), 0, nullptr));
    check(r, sql);
    statements_[name] = sql;
  }
  PgResult run(const std::string &name, const std::vector<Param> &params,
               bool binary_result = false) {
    std::vector<const char *> values;
    std::vector<int> lengths, formats;
    for (const auto &p : params) {
      values.push_back(p.bytes.c_str());
      lengths.push_back(static_cast<int>(p.bytes.size()));
      formats.push_back(p.binary ? 1 : 0);
    }
    PgResult r(PQexecPrepared(conn_.get(), name.c_str(), static_cast<int>(params.size()),
                              values.data(), lengths.data(), formats.data(),
                              binary_result ? 1 : 0));
    check(r, statements_[name]);
    return r;
  }
  // COPY … FROM STDIN with `data` (text format rows).
  void copy_in(const std::string &sql, const std::string &data) {
    PgResult r(PQexec(conn_.get(), sql.c_str()));
    if (!r || PQresultStatus(r.get()) != PGRES_COPY_IN) check(r, sql);
    if (PQputCopyData(conn_.get(), data.data(), static_cast<int>(data.size())) != 1 ||
        PQputCopyEnd(conn_.get(), nullptr) != 1) {
      std::string msg = "PostgreSQL: COPY failed: ";
      msg.append(PQerrorMessage(conn_.get())).append("  in: ").append(sql);
      throw std::runtime_error(msg);
    }
    PgResult end(PQgetResult(conn_.get()));
    check(end, sql);
    while (PgResult(PQgetResult(conn_.get()))) {
    }
  }
  // host=… port=… user=… dbname=… for GDAL's "PG:" datasource, from the live connection.
  std::string gdal_datasource() const {
    std::string s = "PG:dbname=";
    s.append(PQdb(conn_.get()));
    if (const char *h = PQhost(conn_.get()); h && *h) s.append(" host=").append(h);
    if (const char *p = PQport(conn_.get()); p && *p) s.append(" port=").append(p);
    if (const char *u = PQuser(conn_.get()); u && *u) s.append(" user=").append(u);
    return s;
  }

private:
  void check(const PgResult &r, const std::string &sql) const {
    const ExecStatusType st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return;
    std::string msg = "PostgreSQL: ";
    msg.append(r ? PQresultErrorMessage(r.get()) : PQerrorMessage(conn_.get()));
    msg.append("  in: ").append(sql.substr(0, 400));
    throw std::runtime_error(msg);
  }

  std::unique_ptr<PGconn, PgConnDeleter> conn_;
  std::map<std::string, std::string> statements_;
};

std::string value(const PgResult &r, int row, int col) {
  return std::string(PQgetvalue(r.get(), row, col),
                     static_cast<std::size_t>(PQgetlength(r.get(), row, col)));
}

// EWKB (little-endian, with SRID 4490) of a MultiPolygon: a binary `geometry` parameter.
std::string ewkb_4490(const geo::MultiPolygon &mp) {
  std::string s;
  auto u8 = [&](std::uint8_t v) { s.push_back(static_cast<char>(v)); };
  auto u32 = [&](std::uint32_t v) { s.append(reinterpret_cast<const char *>(&v), 4); };
  auto f64 = [&](double v) { s.append(reinterpret_cast<const char *>(&v), 8); };
  auto ring = [&](const geo::Ring &r) {
    u32(static_cast<std::uint32_t>(r.size()));
    for (const auto &p : r) {
      f64(p.x);
      f64(p.y);
    }
  };
  u8(1);
  u32(6 | 0x20000000u); // MultiPolygon with SRID
  u32(4490);
  u32(static_cast<std::uint32_t>(mp.size()));
  for (const auto &poly : mp) {
    u8(1);
    u32(3);
    u32(static_cast<std::uint32_t>(1 + poly.holes.size()));
    ring(poly.outer);
    for (const auto &h : poly.holes)
      ring(h);
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// MVT: the feature ids of every layer of a tile (enough for the differential check; geometry
// legitimately differs between two tilers' simplification and clipping).

bool read_varint(std::string_view &s, std::uint64_t &v) {
  v = 0;
  for (int shift = 0; shift < 64 && !s.empty(); shift += 7) {
    const auto b = static_cast<std::uint8_t>(s.front());
    s.remove_prefix(1);
    v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return true;
  }
  return false;
}

// Calls fn(field, wire type, varint value, bytes) for every field of a message.
template <class Fn> void for_each_field(std::string_view msg, Fn fn) {
  while (!msg.empty()) {
    std::uint64_t key = 0, v = 0;
    if (!read_varint(msg, key)) throw std::runtime_error("MVT: truncated key");
    const auto field = static_cast<std::uint32_t>(key >> 3);
    const auto wire = static_cast<std::uint32_t>(key & 7);
    std::string_view bytes;
    switch (wire) {
    case 0:
      if (!read_varint(msg, v)) throw std::runtime_error("MVT: truncated varint");
      break;
    case 1:
    case 5: {
      const std::size_t n = wire == 1 ? 8 : 4;
      if (msg.size() < n) throw std::runtime_error("MVT: truncated fixed field");
      msg.remove_prefix(n);
      break;
    }
    case 2:
      if (!read_varint(msg, v) || v > msg.size())
        throw std::runtime_error("MVT: truncated length-delimited field");
      bytes = msg.substr(0, v);
      msg.remove_prefix(v);
      break;
    default: throw std::runtime_error("MVT: unknown wire type " + std::to_string(wire));
    }
    fn(field, wire, v, bytes);
  }
}

std::vector<std::uint64_t> mvt_feature_ids(std::string_view tile) {
  std::vector<std::uint64_t> ids;
  for_each_field(tile,
                 [&](std::uint32_t f, std::uint32_t w, std::uint64_t, std::string_view layer) {
                   if (f != 3 || w != 2) return; // Tile.layers
                   for_each_field(layer, [&](std::uint32_t lf, std::uint32_t lw, std::uint64_t,
                                             std::string_view feature) {
                     if (lf != 2 || lw != 2) return; // Layer.features
                     for_each_field(feature, [&](std::uint32_t ff, std::uint32_t fw,
                                                 std::uint64_t v, std::string_view) {
                       if (ff == 1 && fw == 0) ids.push_back(v); // Feature.id
                     });
                   });
                 });
  std::sort(ids.begin(), ids.end());
  return ids;
}

// ---------------------------------------------------------------------------------------------
// Child processes (ogr2ogr, mineplan import), stderr kept for the error message.

struct RunResult {
  double seconds = 0;
  int status = -1;
  std::string stderr_text;
};

RunResult run_program(const std::vector<std::string> &argv, const fs::path &err_file) {
  std::vector<char *> args;
  for (const auto &a : argv)
    args.push_back(const_cast<char *>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  RunResult r;
  const auto t0 = Clock::now();
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    r.stderr_text = std::string("cannot start ") + argv[0] + ": " + std::strerror(rc);
    return r;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(err_file);
  r.stderr_text.assign(std::istreambuf_iterator<char>(in), {});
  return r;
}

std::string joined(const std::vector<std::string> &argv) {
  std::string s;
  for (const auto &a : argv)
    s.append(s.empty() ? "" : " ").append(a);
  return s;
}

// ---------------------------------------------------------------------------------------------

struct Args : bench::DatabaseArgs {
  std::string pg = "postgresql://postgres@127.0.0.1:55432/mineplan_bench", schema;
  std::string mineplan;
  int n = 1000, rounds = 3, overlay_runs = 3, overlay_every = 1, zmin = 4, zmax = 10;
  int tile_rounds = 2, import_runs = 1;
  std::size_t max_per_zoom = 0;
  bool reuse_pg = false, skip_import = false;
};

Args parse_args(int argc, char **argv) {
  Args a;
  bench::ArgReader r("bench_postgis",
                     "[--db PATH] [--scale region|small|national] [--seed N] [--data DIR] "
                     "[--pg URL] [--schema NAME] [--n 1000] [--rounds 3] [--overlay-runs 3] "
                     "[--overlay-every K] [--zmin 4] [--zmax 10] [--max-per-zoom N] "
                     "[--tile-rounds 2] [--import-runs 1] [--mineplan PATH] [--reuse-pg] "
                     "[--skip-import]",
                     argc, argv);
  while (r.next()) {
    if (bench::read_database_option(r, a)) continue;
    const std::string &k = r.key();
    if (k == "--pg")
      a.pg = r.text();
    else if (k == "--schema")
      a.schema = r.text();
    else if (k == "--mineplan")
      a.mineplan = r.text();
    else if (k == "--n")
      a.n = r.integer(1, 1'000'000);
    else if (k == "--rounds")
      a.rounds = r.integer(1, 100);
    else if (k == "--overlay-runs")
      a.overlay_runs = r.integer(1, 100);
    else if (k == "--overlay-every")
      a.overlay_every = r.integer(1, 1'000'000);
    else if (k == "--zmin")
      a.zmin = r.integer(0, tiles::kMaxZoom);
    else if (k == "--zmax")
      a.zmax = r.integer(0, tiles::kMaxZoom);
    else if (k == "--max-per-zoom")
      a.max_per_zoom = r.unsigned64();
    else if (k == "--tile-rounds")
      a.tile_rounds = r.integer(1, 100);
    else if (k == "--import-runs")
      a.import_runs = r.integer(0, 100);
    else if (k == "--reuse-pg")
      a.reuse_pg = true;
    else if (k == "--skip-import")
      a.skip_import = true;
    else
      r.unknown();
  }
  if (a.zmin > a.zmax) std::swap(a.zmin, a.zmax);
  if (a.schema.empty()) a.schema = "bench_" + std::string(io::generate_scale_name(a.scale));
  for (char c : a.schema)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_'))
      r.fail("--schema must be letters, digits and _");
  return a;
}

// One row of the final table.
struct Row {
  std::string task, ours, theirs, ratio, check;
  bool pass = true;
};

std::string fmt(const char *f, double a) {
  char buf[96];
  std::snprintf(buf, sizeof buf, f, a);
  return buf;
}

std::string ratio_text(double ours, double theirs) {
  if (!(ours > 0)) return "-";
  return fmt("%.1fx", theirs / ours);
}

// Areas agree when within 1e-6 relative plus 1e-4 m2 absolute. The absolute floor is the
// data's own resolution: coordinates are rounded to 1e-7° (about 1 cm), so 1 cm2 is the finest
// area they can express; it covers pairs that merely touch (PostGIS's intersection is then a
// line, area 0; ours sums pieces to ~1e-9 m2) and slivers of a few cm2, where the last bits of
// the intersection vertices are most of the area (seen: 13.45 cm2, the two sides 3.5e-9 m2
// apart, 2.6e-6 relative).
struct AreaCheck {
  std::size_t pairs_ours = 0, pairs_pg = 0, only_ours = 0, only_pg = 0, area_bad = 0;
  std::size_t small = 0; // pairs under 1 m2, where the absolute floor matters
  double max_rel = 0;    // over pairs of at least 1 m2
  std::string first_problem;

  void compare(const std::map<std::string, double> &ours, const std::map<std::string, double> &pg,
               const std::string &context) {
    pairs_ours += ours.size();
    pairs_pg += pg.size();
    for (const auto &[k, a] : ours) {
      auto it = pg.find(k);
      if (it == pg.end()) {
        ++only_ours;
        note(context + ": " + k + " only in mineplan (" + fmt("%.6g m2)", a));
        continue;
      }
      const double b = it->second, d = std::fabs(a - b), m = std::max(std::fabs(a), std::fabs(b));
      if (m >= 1) max_rel = std::max(max_rel, d / m);
      if (m < 1) ++small;
      if (!(d <= 1e-6 * m + 1e-4)) {
        ++area_bad;
        note(context + ": " + k + fmt(" mineplan %.9g m2", a) + fmt(" PostGIS %.9g m2", b));
      }
    }
    for (const auto &[k, b] : pg)
      if (!ours.count(k)) {
        ++only_pg;
        note(context + ": " + k + " only in PostGIS (" + fmt("%.6g m2)", b));
      }
  }
  bool pass() const { return only_ours == 0 && only_pg == 0 && area_bad == 0; }
  std::string text() const {
    std::string s = pass() ? "PASS " : "FAIL ";
    s += std::to_string(pairs_ours) + " pairs = " + std::to_string(pairs_pg);
    s += fmt(", max rel. area diff %.1e", max_rel) + " (" + std::to_string(small) + " under 1 m2)";
    if (!pass())
      s += "; only ours " + std::to_string(only_ours) + ", only PostGIS " +
           std::to_string(only_pg) + ", areas off " + std::to_string(area_bad);
    return s;
  }
  void note(const std::string &s) {
    if (first_problem.empty()) first_problem = s;
  }
};

std::int64_t tile_x(double lon, int z) {
  return std::clamp<std::int64_t>(
      static_cast<std::int64_t>(std::floor((lon + 180) / 360 * std::ldexp(1.0, z))), 0,
      (std::int64_t{1} << z) - 1);
}
std::int64_t tile_y(double lat, int z) {
  const double r = lat * std::numbers::pi / 180;
  const double y = (1 - std::log(std::tan(r) + 1 / std::cos(r)) / std::numbers::pi) / 2;
  return std::clamp<std::int64_t>(static_cast<std::int64_t>(std::floor(y * std::ldexp(1.0, z))), 0,
                                  (std::int64_t{1} << z) - 1);
}

// A tile layer of ours and the same layer as PostGIS makes it.
// A tile source feature from a store row, as PostGIS's ST_AsMVT sees it: the properties
// docs/api.md lists for the layer, from the row (fid as the id).
tiles::SourceFeature source_feature(const store::Feature &f, const std::vector<std::string> &keys,
                                    std::size_t &vertices) {
  tiles::SourceFeature s;
  s.id = f.properties.value("fid", std::uint64_t{0});
  s.properties.emplace_back("id", static_cast<std::int64_t>(s.id));
  for (const auto &k : keys) {
    const std::string column = k == "uid" ? "right_uid" : k;
    auto it = f.properties.find(column);
    if (it == f.properties.end() || it->is_null()) continue;
    if (it->is_string())
      s.properties.emplace_back(k, it->get<std::string>());
    else if (it->is_boolean())
      s.properties.emplace_back(k, it->get<bool>());
    else if (it->is_number_integer())
      s.properties.emplace_back(k, it->get<std::int64_t>());
    else if (it->is_number())
      s.properties.emplace_back(k, it->get<double>());
  }
  if (f.geometry) {
    vertices += geo::vertex_count(*f.geometry);
    s.lonlat = *f.geometry;
  }
  return s;
}

struct TileLayer {
  std::string name;  // zones | rights
  std::string table; // PostGIS table
  std::vector<std::string> keys;
  std::optional<tiles::LayerTiles> tiles;
  std::size_t features = 0, vertices = 0;
  double build_ms = 0;
};

} // namespace

int main(int argc, char **argv) try {
  // Line-buffered: the wrapper tees the output, and a national run takes minutes per phase.
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const Args args = parse_args(argc, argv);
  const std::string scale_name(io::generate_scale_name(args.scale));
  std::printf("bench_postgis — mineplan beside PostGIS on the generated %s-scale database\n",
              scale_name.c_str());
  std::printf("machine: %ld online cores, shared with other work (figures are medians; noisy)\n",
              sysconf(_SC_NPROCESSORS_ONLN));

  // 1. The database.
  std::optional<io::TempFolder> tmp;
  const auto g0 = Clock::now();
  const fs::path db = bench::bench_database(args.db, args.data, args.scale, args.seed, tmp);
  const double generate_s = ms_since(g0) / 1000;
  std::printf("  store file %.1f MB\n\n", static_cast<double>(fs::file_size(db)) / 1e6);
  io::TempFolder work("mineplan-bench-pg");
  const fs::path err_file = work.path() / "stderr.txt";

  Pg pg(args.pg);
  // client_min_messages: DROP SCHEMA ... CASCADE would otherwise print NOTICEs on stderr.
  pg.exec("SET jit = off; SET max_parallel_workers_per_gather = 0; SET client_min_messages = "
          "warning;");
  {
    PgResult v = pg.exec("SELECT postgis_full_version(), version()");
    std::printf("PostgreSQL: %s\nPostGIS: %s\n", value(v, 0, 1).c_str(), value(v, 0, 0).c_str());
    std::printf(
        "  session: jit = off, max_parallel_workers_per_gather = 0 (one core, as ours)\n\n");
  }
  const std::string S = args.schema;
  std::vector<Row> rows;
  bool all_pass = true;

  // 2. Import: ogr2ogr into PostGIS, GiST separately; mineplan import of the same layers.
  {
    struct stat sb {};
    stat(db.c_str(), &sb);
    const std::string source_tag = fs::absolute(db).string() + "|" +
                                   std::to_string(static_cast<long long>(sb.st_size)) + "|" +
                                   std::to_string(static_cast<long long>(sb.st_mtime));
    bool loaded = false;
    if (args.reuse_pg) {
      PgResult r = pg.exec("SELECT to_regclass('" + S + ".bench_source') IS NOT NULL");
      if (value(r, 0, 0) == "t") {
        PgResult t = pg.exec("SELECT tag FROM " + S + ".bench_source");
        loaded = PQntuples(t.get()) == 1 && value(t, 0, 0) == source_tag;
      }
    }
    std::vector<double> ogr_s;
    double gist_s = 0;
    if (loaded) {
      std::printf("PostGIS: schema %s already holds %s (--reuse-pg): load not timed\n\n", S.c_str(),
                  db.c_str());
    } else {
      const std::vector<std::string> ogr = {"ogr2ogr",
                                            "-f",
                                            "PostgreSQL",
                                            pg.gdal_datasource(),
                                            db.string(),
                                            "zones",
                                            "rights",
                                            "-preserve_fid",
                                            "-overwrite",
                                            "-lco",
                                            "SCHEMA=" + S,
                                            "-lco",
                                            "GEOMETRY_NAME=geom",
                                            "-lco",
                                            "FID=fid",
                                            "-lco",
                                            "SPATIAL_INDEX=NONE",
                                            "--config",
                                            "PG_USE_COPY",
                                            "YES"};
      const int runs = std::max(1, args.import_runs);
      for (int i = 0; i < runs; ++i) {
        pg.exec("DROP SCHEMA IF EXISTS " + S + " CASCADE; CREATE SCHEMA " + S);
        RunResult r = run_program(ogr, err_file);
        if (r.status != 0)
          throw std::runtime_error("ogr2ogr failed (exit " + std::to_string(r.status) +
                                   "): " + r.stderr_text + "\n  command: " + joined(ogr));
        ogr_s.push_back(r.seconds);
      }
      const auto t0 = Clock::now();
      pg.exec("CREATE INDEX ON " + S + ".zones USING gist (geom); CREATE INDEX ON " + S +
              ".rights USING gist (geom); ANALYZE " + S + ".zones; ANALYZE " + S + ".rights;");
      gist_s = ms_since(t0) / 1000;
      pg.exec("CREATE TABLE " + S + ".bench_source (tag text); INSERT INTO " + S +
              ".bench_source VALUES ('" + source_tag + "')");
      std::printf("PostGIS load: ogr2ogr -f PostgreSQL zones + rights (COPY, no index) median "
                  "%.2f s over %d run(s); GiST indexes + ANALYZE %.2f s\n",
                  median(ogr_s), runs, gist_s);
    }
    PgResult counts = pg.exec("SELECT (SELECT count(*) FROM " + S +
                              ".zones WHERE geom IS NOT NULL), (SELECT count(*) FROM " + S +
                              ".rights WHERE version_to IS NULL), (SELECT sum(ST_NPoints(geom)) "
                              "FROM " +
                              S + ".zones)");
    std::printf("  PostGIS holds %s zones with geometry (%s ring points), %s current rights\n",
                value(counts, 0, 0).c_str(), value(counts, 0, 2).c_str(),
                value(counts, 0, 1).c_str());

    if (!args.skip_import && !loaded) {
      // mineplan import of the same two layers into a fresh store (a copy of `mineplan init`,
      // made once, untimed). It reads GeoPackage through OGR too, and on top validates every
      // geometry with GEOS, computes every official area, checks the ledger vocabulary and
      // writes versioned rows with the GeoPackage R-tree — what ogr2ogr + GiST does not.
      std::string exe = args.mineplan;
      if (exe.empty()) exe = (fs::canonical("/proc/self/exe").parent_path() / "mineplan").string();
      const fs::path tmpl = work.path() / "template.gpkg";
      std::vector<std::string> init = {exe, "init", tmpl.string()};
      if (!args.data.empty()) {
        init.push_back("--data");
        init.push_back(args.data);
      }
      RunResult ri = run_program(init, err_file);
      if (ri.status != 0)
        throw std::runtime_error("mineplan init failed: " + ri.stderr_text +
                                 "\n  command: " + joined(init));
      std::vector<double> ours_s;
      std::string counts_text;
      for (int i = 0; i < std::max(1, args.import_runs); ++i) {
        const fs::path target = work.path() / "import.gpkg";
        fs::remove(target);
        fs::copy_file(tmpl, target);
        const std::vector<std::string> a = {exe,       "import",    target.string(),  db.string(),
                                            "--layer", "rights",    "--source-layer", "rights",
                                            "--as-of", "2024-01-01"};
        const std::vector<std::string> b = {exe,       "import",    target.string(),  db.string(),
                                            "--layer", "zones",     "--source-layer", "zones",
                                            "--as-of", "2024-01-01"};
        RunResult ra = run_program(a, err_file);
        if (ra.status != 0)
          throw std::runtime_error("mineplan import (rights) failed: " + ra.stderr_text +
                                   "\n  command: " + joined(a));
        RunResult rb = run_program(b, err_file);
        if (rb.status != 0)
          throw std::runtime_error("mineplan import (zones) failed: " + rb.stderr_text +
                                   "\n  command: " + joined(b));
        ours_s.push_back(ra.seconds + rb.seconds);
        if (i == 0) {
          auto imported = store::Store::open(target.string());
          std::size_t z = 0, r = 0;
          imported->for_each_feature("zones",
                                     [&](const store::Feature &f) { z += f.geometry ? 1 : 0; });
          imported->for_each_feature("rights", [&](const store::Feature &) { ++r; });
          counts_text = std::to_string(z) + " zones, " + std::to_string(r) + " rights";
        }
      }
      const double pg_total = median(ogr_s) + gist_s;
      const std::string pg_counts =
          std::string(value(counts, 0, 0)) + " zones, " + value(counts, 0, 1) + " rights";
      Row row;
      row.task = "import zones+rights (ours: validate, areas, versions, R-tree; PostGIS: "
                 "ogr2ogr COPY + GiST)";
      row.ours = fmt("%.2f s", median(ours_s));
      row.theirs = fmt("%.2f s", pg_total) + fmt(" (%.2f", median(ogr_s)) + fmt(" + %.2f)", gist_s);
      row.ratio = ratio_text(median(ours_s), pg_total);
      row.pass = counts_text == pg_counts;
      row.check = row.pass ? "PASS " : "FAIL ";
      row.check.append(counts_text).append(row.pass ? " both" : " vs PostGIS " + pg_counts);
      rows.push_back(row);
      std::printf("mineplan import zones + rights: median %.2f s over %zu run(s) (%s)\n",
                  median(ours_s), ours_s.size(), counts_text.c_str());
    }
    std::printf("\n");
  }

  auto st = store::Store::open(db.string());

  // 3. Our read model: the review index and the tiles of zones and rights.
  const double rss_before = peak_rss_mb();
  auto t0 = Clock::now();
  // The read model's one pass and its review index (no tiles: those below are cut from the
  // store's rows, as PostGIS cuts them, for the differential check).
  const auto model = readmodel::ReadModel::build(*st);
  const review::SpatialIndex &index = model->engine->index();
  const double index_ms = ms_since(t0);
  std::vector<const review::SpatialFeature *> rights_in_order;
  std::size_t index_vertices = 0;
  for (const auto *f : index.features()) {
    index_vertices += geo::vertex_count(f->lonlat);
    if (f->layer == "right") rights_in_order.push_back(f);
  }
  const std::vector<geo::Point> right_sites = bench::right_sites(model->rights);

  std::vector<TileLayer> layers(2);
  layers[0].name = "zones";
  layers[0].keys = {"plan_id", "zone_id", "kind", "name", "code", "minerals"};
  layers[1].name = "rights";
  layers[1].keys = {"uid",    "licence_no", "kind",   "name",
                    "holder", "minerals",   "status", "valid_to"};
  for (auto &l : layers) {
    l.table = S + "." + l.name;
    t0 = Clock::now();
    std::vector<tiles::SourceFeature> features;
    st->for_each_feature(l.name, [&](const store::Feature &f) {
      if (f.geometry) features.push_back(source_feature(f, l.keys, l.vertices));
    });
    l.features = features.size();
    l.tiles.emplace(l.name, std::move(features));
    l.build_ms = ms_since(t0);
  }
  const double rss_peak = peak_rss_mb(), rss_now = rss_now_mb();
  std::printf("our read model: review index of %zu features (%zu ring points) read + built in "
              "%.0f ms; tiles: zones %zu features %.0f ms, rights %zu features %.0f ms\n",
              index.size(), index_vertices, index_ms, layers[0].features, layers[0].build_ms,
              layers[1].features, layers[1].build_ms);
  std::printf(
      "  process peak RSS %.0f MB (before the read model %.0f MB), resident now %.0f MB\n\n",
      rss_peak, rss_before, rss_now);
  {
    Row row;
    row.task = "working set: review index + tiles (peak RSS)";
    row.ours = fmt("%.0f MB", rss_peak);
    row.theirs = "-";
    row.ratio = "-";
    row.pass = rss_peak < 1024;
    // The goal (issue 7) is for the region scale; other scales report the figure only.
    if (args.scale == io::GenerateScale::region)
      row.check = row.pass ? "goal < 1 GiB MET" : "goal < 1 GiB NOT MET";
    else
      row.check = "goal (< 1 GiB) is for the region scale";
    row.check.append(fmt(" (resident now %.0f MB)", rss_now));
    rows.push_back(row);
  }

  // 4. Review: the three core queries per boundary, ours vs three prepared SQL statements.
  {
    const bench::Boundaries drawn = bench::review_boundaries(*st, right_sites, args.n, args.seed);
    const auto &bs = drawn.shapes;
    const std::size_t nb = bs.size();
    const std::vector<std::string> protected_kinds = {"red_line", "prohibited_area",
                                                      "reserve_core"};
    const std::vector<std::string> block_kinds = {"exploration_block", "mining_block",
                                                  "concentrated_area"};
    pg.prepare("q_protected",
               "SELECT z.plan_id || '/' || z.zone_id, ST_Area(ST_Transform(ST_Intersection("
               "z.geom, $1::geometry), $2::int)) FROM " +
                   S +
                   ".zones z WHERE ST_Intersects("
                   "z.geom, $1::geometry) AND z.kind IN ('red_line', 'prohibited_area', "
                   "'reserve_core')");
    pg.prepare("q_blocks", "SELECT z.plan_id || '/' || z.zone_id, ST_Covers(z.geom, "
                           "$1::geometry) FROM " +
                               S +
                               ".zones z WHERE ST_Intersects(z.geom, "
                               "$1::geometry) AND z.kind IN ('exploration_block', 'mining_block', "
                               "'concentrated_area')");
    pg.prepare("q_rights",
               "SELECT r.right_uid, ST_Area(ST_Transform(ST_Intersection(r.geom, $1::geometry), "
               "$2::int)) FROM " +
                   S +
                   ".rights r WHERE ST_Intersects(r.geom, $1::geometry) AND "
                   "r.version_to IS NULL");
    // B: the step as ReviewEngine::review runs it (every zone kind, then every right; areas and
    // covers of each), and PostGIS answering the same in one statement (one round trip).
    pg.prepare(
        "q_step",
        "SELECT 'zone ' || z.plan_id || '/' || z.zone_id, ST_Covers(z.geom, $1::geometry), "
        "ST_Area(ST_Transform(ST_Intersection(z.geom, $1::geometry), $2::int)) FROM " +
            S +
            ".zones z WHERE ST_Intersects(z.geom, $1::geometry) UNION ALL SELECT 'right ' || "
            "r.right_uid, ST_Covers(r.geom, $1::geometry), ST_Area(ST_Transform("
            "ST_Intersection(r.geom, $1::geometry), $2::int)) FROM " +
            S +
            ".rights r WHERE "
            "ST_Intersects(r.geom, $1::geometry) AND r.version_to IS NULL");
    std::vector<std::vector<Param>> params(nb), params_b(nb);
    for (std::size_t i = 0; i < nb; ++i) {
      // The zone our engine measures in: the boundary centroid's 3° zone; EPSG 4534 is zone 25.
      const int zone = geo::gauss_kruger_zone_for(geo::planar_centroid(bs[i]).x, 3);
      params[i] = {Param{ewkb_4490(bs[i]), true}, Param{std::to_string(4509 + zone), false}};
      params_b[i] = {params[i][0]};
    }
    AreaCheck areas, step_areas;
    std::size_t covers_bad = 0;
    std::size_t block_pairs = 0, block_bad = 0;
    std::string block_problem;
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<double> ours(nb, inf), theirs(nb, inf), ours_b(nb, inf), theirs_b(nb, inf);
    // Warm-up and results: one pass each, compared.
    for (std::size_t i = 0; i < nb; ++i) {
      std::map<std::string, double> a1, a3, b1, b3;
      std::map<std::string, bool> a2, b2;
      for (const auto &h : index.query(bs[i], "zone", protected_kinds))
        a1[h.feature->id] = h.overlap_m2;
      for (const auto &h : index.query(bs[i], "zone", block_kinds))
        a2[h.feature->id] = h.contains_boundary;
      for (const auto &h : index.query(bs[i], "right"))
        a3[h.feature->id] = h.overlap_m2;
      PgResult r1 = pg.run("q_protected", params[i]);
      for (int k = 0; k < PQntuples(r1.get()); ++k)
        b1[value(r1, k, 0)] = std::strtod(PQgetvalue(r1.get(), k, 1), nullptr);
      PgResult r2 = pg.run("q_blocks", params_b[i]);
      for (int k = 0; k < PQntuples(r2.get()); ++k)
        b2[value(r2, k, 0)] = value(r2, k, 1) == "t";
      PgResult r3 = pg.run("q_rights", params[i]);
      for (int k = 0; k < PQntuples(r3.get()); ++k)
        b3[value(r3, k, 0)] = std::strtod(PQgetvalue(r3.get(), k, 1), nullptr);
      const std::string ctx = "boundary " + std::to_string(i);
      std::map<std::string, double> sa, sb;
      std::set<std::string> ca, cb;
      for (const char *layer : {"zone", "right"})
        for (const auto &h : index.query(bs[i], layer)) {
          const std::string key = std::string(layer) + " " + h.feature->id;
          sa[key] = h.overlap_m2;
          if (h.contains_boundary) ca.insert(key);
        }
      PgResult rs = pg.run("q_step", params[i]);
      for (int k = 0; k < PQntuples(rs.get()); ++k) {
        sb[value(rs, k, 0)] = std::strtod(PQgetvalue(rs.get(), k, 2), nullptr);
        if (value(rs, k, 1) == "t") cb.insert(value(rs, k, 0));
      }
      step_areas.compare(sa, sb, ctx + " review step");
      covers_bad += ca == cb ? 0 : 1;
      areas.compare(a1, b1, ctx + " red-line/prohibited");
      areas.compare(a3, b3, ctx + " rights");
      block_pairs += a2.size();
      if (a2 != b2) {
        ++block_bad;
        if (block_problem.empty())
          block_problem = ctx + ": planning blocks differ (" + std::to_string(a2.size()) + " vs " +
                          std::to_string(b2.size()) + ")";
      }
    }
    // Timed rounds, interleaved; each application keeps its fastest round (shared machine).
    for (int round = 0; round < args.rounds; ++round)
      for (std::size_t i = 0; i < nb; ++i) {
        // The boundary is validated and projected once per application (timed), as the engine
        // does; PostGIS parses it in each statement.
        auto a = Clock::now();
        {
          const review::Boundary b(bs[i]);
          (void)index.query(b, "zone", protected_kinds);
          (void)index.query(b, "zone", block_kinds);
          (void)index.query(b, "right");
        }
        ours[i] = std::min(ours[i], ms_since(a));
        a = Clock::now();
        (void)pg.run("q_protected", params[i]);
        (void)pg.run("q_blocks", params_b[i]);
        (void)pg.run("q_rights", params[i]);
        theirs[i] = std::min(theirs[i], ms_since(a));
        a = Clock::now();
        {
          const review::Boundary b(bs[i]);
          (void)index.query(b, "zone");
          (void)index.query(b, "right");
        }
        ours_b[i] = std::min(ours_b[i], ms_since(a));
        a = Clock::now();
        (void)pg.run("q_step", params[i]);
        theirs_b[i] = std::min(theirs_b[i], ms_since(a));
      }
    const double m_ours = median(ours), m_pg = median(theirs);
    std::printf("review, %zu boundaries, three core queries per application (best of %d "
                "rounds):\n",
                nb, args.rounds);
    std::printf("  mineplan (one boundary, three calls)  median %.3f ms  p99 %.3f ms\n", m_ours,
                percentile(ours, 99));
    std::printf("  PostGIS (three prepared statements)  median %.3f ms  p99 %.3f ms  "
                "(loopback round trips included)\n",
                m_pg, percentile(theirs, 99));
    std::printf("  check: %s; planning blocks %zu pairs, %zu boundaries differ\n",
                areas.text().c_str(), block_pairs, block_bad);
    if (!areas.first_problem.empty())
      std::printf("    first problem: %s\n", areas.first_problem.c_str());
    if (!block_problem.empty()) std::printf("    first problem: %s\n", block_problem.c_str());
    std::printf("\n");
    Row row;
    row.task = "review: 3 spatial checks per application, ms (p99)";
    row.ours = fmt("%.3f", m_ours) + fmt(" (%.3f)", percentile(ours, 99));
    row.theirs = fmt("%.3f", m_pg) + fmt(" (%.3f)", percentile(theirs, 99));
    row.ratio = ratio_text(m_ours, m_pg);
    row.pass = areas.pass() && block_bad == 0;
    row.check = areas.text() + "; blocks " + std::to_string(block_pairs) +
                (block_bad ? " pairs, " + std::to_string(block_bad) + " boundaries differ"
                           : " pairs same, covers same");
    rows.push_back(row);

    std::printf("  B. the step as the engine runs it: mineplan two index calls (every zone kind, "
                "then rights)\n     median %.3f ms p99 %.3f ms; PostGIS one statement (UNION "
                "ALL) median %.3f ms p99 %.3f ms\n",
                median(ours_b), percentile(ours_b, 99), median(theirs_b), percentile(theirs_b, 99));
    std::printf("  check B: %s; covers differ on %zu boundaries\n", step_areas.text().c_str(),
                covers_bad);
    if (!step_areas.first_problem.empty())
      std::printf("    first problem: %s\n", step_areas.first_problem.c_str());
    std::printf("\n");
    Row rb;
    rb.task = "review step as the engine runs it (2 index calls vs 1 SQL statement), ms (p99)";
    rb.ours = fmt("%.3f", median(ours_b)) + fmt(" (%.3f)", percentile(ours_b, 99));
    rb.theirs = fmt("%.3f", median(theirs_b)) + fmt(" (%.3f)", percentile(theirs_b, 99));
    rb.ratio = ratio_text(median(ours_b), median(theirs_b));
    rb.pass = step_areas.pass() && covers_bad == 0;
    rb.check = step_areas.text() + (covers_bad ? "; covers differ" : "; covers same");
    rows.push_back(rb);
  }

  // 5. Overlay: every current right against every red-line/prohibited/restricted polygon.
  {
    const std::vector<std::string> kinds = {"red_line", "prohibited_area", "reserve_core",
                                            "restricted_area"};
    std::vector<const review::SpatialFeature *> subject;
    for (std::size_t i = 0; i < rights_in_order.size();
         i += static_cast<std::size_t>(args.overlay_every))
      subject.push_back(rights_in_order[i]);
    std::string sample_filter;
    std::vector<Param> sample_param;
    if (args.overlay_every > 1) {
      std::string arr = "{";
      for (const auto *f : subject)
        arr.append(arr.size() > 1 ? "," : "").append("\"").append(f->id).append("\"");
      arr.append("}");
      sample_param.push_back(Param{arr, false});
      sample_filter = " AND r.right_uid = ANY($1::text[])";
    }
    // The zone of each pair is the right's: the 3° zone of its planar centroid
    // (geo::gauss_kruger_zone_for), decided by mineplan and stored beside the rights, as a
    // store would keep it; EPSG 4509 + zone is the unprefixed CGCS2000 3° GK CRS. Not computed
    // in SQL: PostGIS's ST_Centroid differs from ours in the last bit, and a right of the
    // 1' exploration grid centred on a zone meridian (109.5°: ST_Centroid 109.49999999999999)
    // then lands in the other zone, 4e-5 off in area (seen at national scale).
    {
      std::string rows_text;
      for (const auto *f : rights_in_order)
        rows_text.append(f->id)
            .append("\t")
            .append(std::to_string(
                4509 + geo::gauss_kruger_zone_for(geo::planar_centroid(f->lonlat).x, 3)))
            .append("\n");
      pg.exec("DROP TABLE IF EXISTS " + S + ".right_gk; CREATE TABLE " + S +
              ".right_gk (right_uid text PRIMARY KEY, srid int NOT NULL)");
      pg.copy_in("COPY " + S + ".right_gk FROM STDIN", rows_text);
      pg.exec("ANALYZE " + S + ".right_gk");
    }
    pg.prepare("q_overlay",
               "SELECT r.right_uid, z.plan_id || '/' || z.zone_id, ST_Area(ST_Transform("
               "ST_Intersection(r.geom, z.geom), g.srid)) FROM " +
                   S + ".rights r JOIN " + S + ".right_gk g ON g.right_uid = r.right_uid JOIN " +
                   S +
                   ".zones z ON ST_Intersects(r.geom, z.geom) WHERE r.version_to IS NULL AND "
                   "z.kind IN ('red_line', 'prohibited_area', 'reserve_core', 'restricted_area')" +
                   sample_filter);
    std::map<std::string, double> ours_pairs, pg_pairs;
    std::vector<double> ours_s, pg_s;
    for (int run = 0; run < args.overlay_runs; ++run) {
      auto a = Clock::now();
      std::size_t n = 0;
      for (const auto *f : subject)
        for (const auto &h : index.query(f->lonlat, "zone", kinds)) {
          if (run == 0) ours_pairs[f->id + " x " + h.feature->id] = h.overlap_m2;
          ++n;
        }
      ours_s.push_back(ms_since(a) / 1000);
      a = Clock::now();
      PgResult r = pg.run("q_overlay", sample_param);
      pg_s.push_back(ms_since(a) / 1000);
      if (run == 0)
        for (int k = 0; k < PQntuples(r.get()); ++k)
          pg_pairs[value(r, k, 0) + " x " + value(r, k, 1)] =
              std::strtod(PQgetvalue(r.get(), k, 2), nullptr);
      std::printf("  overlay run %d: mineplan %.2f s (%zu pairs), PostGIS %.2f s (%d rows)\n",
                  run + 1, ours_s.back(), n, pg_s.back(), PQntuples(r.get()));
    }
    AreaCheck check;
    check.compare(ours_pairs, pg_pairs, "overlay");
    double total = 0;
    for (const auto &[k, v] : ours_pairs)
      total += v;
    std::printf("overlay of %zu rights x red-line/prohibited/restricted polygons: mineplan "
                "median %.2f s, PostGIS median %.2f s; %.1f km2 of overlap\n",
                subject.size(), median(ours_s), median(pg_s), total / 1e6);
    std::printf("  check: %s\n", check.text().c_str());
    if (!check.first_problem.empty())
      std::printf("    first problem: %s\n", check.first_problem.c_str());
    std::printf("\n");
    Row row;
    row.task = "overlay: " + std::to_string(subject.size()) + " rights x protected, with areas";
    row.ours = fmt("%.2f s", median(ours_s));
    row.theirs = fmt("%.2f s", median(pg_s));
    row.ratio = ratio_text(median(ours_s), median(pg_s));
    row.pass = check.pass();
    row.check = check.text();
    rows.push_back(row);
  }

  // 6. Tiles: the pyramid over the region's envelope.
  {
    geo::Envelope region;
    for (const auto &d : st->divisions())
      if (d.code == "150000" && d.outline) region = geo::envelope_of(*d.outline);
    std::vector<tiles::TileId> pyramid;
    for (int z = args.zmin; z <= args.zmax; ++z) {
      std::vector<tiles::TileId> all;
      for (std::int64_t x = tile_x(region.min_x, z); x <= tile_x(region.max_x, z); ++x)
        for (std::int64_t y = tile_y(region.max_y, z); y <= tile_y(region.min_y, z); ++y)
          all.push_back({z, x, y});
      if (args.max_per_zoom && all.size() > args.max_per_zoom) {
        std::vector<tiles::TileId> sample;
        for (std::size_t i = 0; i < args.max_per_zoom; ++i)
          sample.push_back(all[i * all.size() / args.max_per_zoom]);
        all = std::move(sample);
      }
      pyramid.insert(pyramid.end(), all.begin(), all.end());
    }
    for (auto &l : layers) {
      std::string columns = "fid AS id";
      for (const auto &k : l.keys)
        columns.append(", ").append(k == "uid" ? "right_uid AS uid" : k);
      const std::string where = l.name == "rights" ? " AND version_to IS NULL" : "";
      // The && filter uses the GiST index in lon/lat: the buffered tile (64 of 4096 units, as
      // ours) transformed to EPSG:4490 is exact, Web Mercator being axis-aligned in lon/lat.
      pg.prepare("q_tile_" + l.name,
                 "SELECT ST_AsMVT(t, '" + l.name + "', 4096, 'geom', 'id') FROM (SELECT " +
                     columns +
                     ", ST_AsMVTGeom(ST_Transform(geom, 3857), ST_TileEnvelope($1::int, "
                     "$2::int, $3::int), 4096, 64, true) AS geom FROM " +
                     l.table +
                     " WHERE geom && ST_Transform(ST_TileEnvelope($1::int, $2::int, $3::int, "
                     "margin => 64.0 / 4096), 4490)" +
                     where + ") t WHERE t.geom IS NOT NULL");
      const double inf = std::numeric_limits<double>::infinity();
      std::vector<double> ours(pyramid.size(), inf), theirs(pyramid.size(), inf);
      std::vector<std::vector<std::uint64_t>> ids_ours(pyramid.size()), ids_pg(pyramid.size());
      std::size_t bytes_ours = 0, bytes_pg = 0;
      for (int round = 0; round < args.tile_rounds; ++round)
        for (std::size_t i = 0; i < pyramid.size(); ++i) {
          const tiles::TileId &t = pyramid[i];
          auto a = Clock::now();
          const std::string tile = l.tiles->tile(t);
          ours[i] = std::min(ours[i], ms_since(a));
          const std::vector<Param> p = {Param{std::to_string(t.z)}, Param{std::to_string(t.x)},
                                        Param{std::to_string(t.y)}};
          a = Clock::now();
          PgResult r = pg.run("q_tile_" + l.name, p, true);
          theirs[i] = std::min(theirs[i], ms_since(a));
          if (round > 0) continue;
          const std::string_view mvt(PQgetvalue(r.get(), 0, 0),
                                     static_cast<std::size_t>(PQgetlength(r.get(), 0, 0)));
          ids_ours[i] = mvt_feature_ids(tile);
          ids_pg[i] = mvt_feature_ids(mvt);
          bytes_ours += tile.size();
          bytes_pg += mvt.size();
        }
      // Differential check: the same non-empty tiles, the same feature ids per tile, except
      // where the two tilers' rules for tiny pieces legitimately differ. Every difference is
      // measured in PostGIS: the area of the feature inside the buffered tile, in tile units².
      std::size_t non_empty_ours = 0, non_empty_pg = 0, same_tiles = 0, diff_ids = 0, explained = 0,
                  only_ours = 0, only_pg = 0;
      double max_explained_units2 = 0;
      std::string problem;
      std::vector<double> ne_ours, ne_pg; // per-tile times of the tiles non-empty in ours
      pg.prepare("q_piece_" + l.name,
                 "SELECT ST_Area(p), coalesce(greatest(ST_XMax(p) - ST_XMin(p), ST_YMax(p) - "
                 "ST_YMin(p)), 0) FROM (SELECT ST_Intersection(ST_Transform(geom, 3857), "
                 "ST_TileEnvelope($1::int, $2::int, $3::int, margin => 64.0 / 4096)) AS p FROM " +
                     l.table + " WHERE fid = $4::bigint) s");
      std::size_t id_pairs = 0; // (tile, feature) pairs in either tiler's output
      for (std::size_t i = 0; i < pyramid.size(); ++i) {
        const auto &a = ids_ours[i], &b = ids_pg[i];
        id_pairs += std::max(a.size(), b.size());
        non_empty_ours += a.empty() ? 0 : 1;
        non_empty_pg += b.empty() ? 0 : 1;
        if (!a.empty()) {
          ne_ours.push_back(ours[i]);
          ne_pg.push_back(theirs[i]);
        }
        if (a == b) {
          ++same_tiles;
          continue;
        }
        std::vector<std::uint64_t> sym;
        std::set_symmetric_difference(a.begin(), a.end(), b.begin(), b.end(),
                                      std::back_inserter(sym));
        const tiles::TileId &t = pyramid[i];
        const double units_per_m = 4096.0 * std::ldexp(1.0, t.z) / 40075016.685578488;
        for (auto id : sym) {
          ++diff_ids;
          PgResult r =
              pg.run("q_piece_" + l.name, {Param{std::to_string(t.z)}, Param{std::to_string(t.x)},
                                           Param{std::to_string(t.y)}, Param{std::to_string(id)}});
          const double units2 =
              std::strtod(PQgetvalue(r.get(), 0, 0), nullptr) * units_per_m * units_per_m;
          const double longest = std::strtod(PQgetvalue(r.get(), 0, 1), nullptr) * units_per_m;
          const double mean_width = longest > 0 ? units2 / longest : 0;
          // Pieces under 4 units² (2x2 pixels of 4096) or under 2 units wide on average: ours
          // simplifies (Douglas-Peucker, tolerance 1 unit, so anything narrower than twice that
          // may fold to a line) and snaps on the zoom's grid, then drops rings under 1 unit²;
          // ST_AsMVTGeom clips, snaps, simplifies and validates in its own order. Such pieces
          // legitimately go either way; anything larger is a failure.
          const bool in_ours = std::binary_search(a.begin(), a.end(), id);
          ++(in_ours ? only_ours : only_pg);
          if (units2 < 4 || mean_width < 2) {
            ++explained;
            max_explained_units2 = std::max(max_explained_units2, units2);
          } else if (problem.empty()) {
            problem = "tile " + std::to_string(t.z) + "/" + std::to_string(t.x) + "/" +
                      std::to_string(t.y) + ": feature " + std::to_string(id) + " only in " +
                      (in_ours ? "mineplan" : "PostGIS") +
                      fmt(" (%.1f units2 inside the buffered tile", units2) +
                      fmt(", %.1f units long)", longest);
          }
        }
      }
      double total_ours = 0, total_pg = 0;
      for (std::size_t i = 0; i < pyramid.size(); ++i) {
        total_ours += ours[i];
        total_pg += theirs[i];
      }
      const bool pass = diff_ids == explained;
      std::printf("tiles %s: %zu tiles z%d-%d (best of %d rounds); non-empty: mineplan %zu, "
                  "PostGIS %zu\n",
                  l.name.c_str(), pyramid.size(), args.zmin, args.zmax, args.tile_rounds,
                  non_empty_ours, non_empty_pg);
      std::printf("  mineplan: all tiles %.2f s, per non-empty tile median %.3f ms p99 %.3f ms, "
                  "%.1f MB\n",
                  total_ours / 1000, median(ne_ours), percentile(ne_ours, 99),
                  static_cast<double>(bytes_ours) / 1e6);
      std::printf("  PostGIS:  all tiles %.2f s, per non-empty tile median %.3f ms p99 %.3f ms, "
                  "%.1f MB\n",
                  total_pg / 1000, median(ne_pg), percentile(ne_pg, 99),
                  static_cast<double>(bytes_pg) / 1e6);
      std::printf("  check: %zu of %zu tiles with identical feature ids; of ~%zu (tile, feature) "
                  "pairs %zu differ (%zu only in mineplan, %zu only in PostGIS), %zu of them "
                  "pieces under 4 units² or 2 units wide (largest %.2f units²)\n",
                  same_tiles, pyramid.size(), id_pairs, diff_ids, only_ours, only_pg, explained,
                  max_explained_units2);
      if (!problem.empty()) std::printf("    first problem: %s\n", problem.c_str());
      std::printf("\n");
      Row row;
      row.task = "tiles " + l.name + fmt(" z%.0f", args.zmin) +
                 fmt("-%.0f: all tiles s", args.zmax) + " (median ms/tile)";
      row.ours = fmt("%.2f", total_ours / 1000) + fmt(" (%.3f)", median(ne_ours));
      row.theirs = fmt("%.2f", total_pg / 1000) + fmt(" (%.3f)", median(ne_pg));
      row.ratio = ratio_text(total_ours, total_pg) + " (" +
                  ratio_text(median(ne_ours), median(ne_pg)) + ")";
      row.pass = pass;
      row.check = std::string(pass ? "PASS " : "FAIL ") + std::to_string(same_tiles) + "/" +
                  std::to_string(pyramid.size()) + " tiles same ids; " + std::to_string(diff_ids) +
                  " of ~" + std::to_string(id_pairs) + " (tile, id) differ, " +
                  std::to_string(explained) + " of them sub-pixel pieces";
      rows.push_back(row);
    }
  }

  // 7. The table.
  std::printf("| task (%s scale, %s) | mineplan median | PostGIS median | ratio PostGIS/mineplan "
              "| differential check |\n|---|---|---|---|---|\n",
              scale_name.c_str(), fs::path(db).filename().c_str());
  for (const auto &r : rows) {
    std::printf("| %s | %s | %s | %s | %s |\n", r.task.c_str(), r.ours.c_str(), r.theirs.c_str(),
                r.ratio.c_str(), r.check.c_str());
    if (r.task.rfind("working set", 0) != 0) all_pass = all_pass && r.pass;
  }
  std::printf("\ngeneration of the database: %.1f s (0 when reused)\n", generate_s);
  std::printf("differential checks: %s\n", all_pass ? "all PASS" : "FAILED");
  return all_pass ? 0 : 1;
} catch (const std::exception &e) {
  std::fprintf(stderr, "bench_postgis: %s\n", e.what());
  return 2;
}

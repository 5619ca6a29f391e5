// bench_import: `mineplan import` of a GeoPackage of mining rights beside `ogr2ogr` copying
// the same file. Not a test: prints figures only.
//
//   bench_import [--n 10000] [--runs 5] [--mineplan PATH] [--data DIR] [--keep DIR]
//
// Generates (deterministically, with GDAL) a GeoPackage of N mining rights in Inner Mongolia
// (lon 97-126, lat 37-53) with star-shaped polygons of 5-40 vertices and ledger attributes
// under Chinese headers; then, `runs` times each, into fresh outputs:
//   mineplan import STORE in.gpkg --as-of 2021-06-30   (STORE: a copy of a fresh `mineplan init`)
//   ogr2ogr -f GPKG out.gpkg in.gpkg
// and prints the medians, rights per second and their ratio.
#include "io/ogr_util.hpp"

#include <cpl_string.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <random>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char **environ;

namespace fs = std::filesystem;
using mineplan::io::ogr::GeometryPtr;

namespace {

struct Mineral {
  const char *name;
  const char *unit;
  double min_scale, max_scale;
};

// Names of data/minerals.json with their catalogue units.
const Mineral kMinerals[] = {{"煤炭", "万吨/年", 30, 1500},
                             {"建筑用砂", "万立方米/年", 5, 60},
                             {"铁", "万吨/年", 10, 300},
                             {"萤石", "万吨/年", 1, 20},
                             {"建筑用石料", "万立方米/年", 5, 100},
                             {"金", "万吨/年", 1, 30}};
const char *kCounties[] = {"150621", "150627", "152501", "150824",
                           "150102", "150221", "150421", "150521"};
const char *kScale[] = {"大型", "中型", "小型", "小矿"};
const char *kStatus[] = {"生产", "在建", "停产", "闭坑"};
const char *kMethod[] = {"露天", "地下", "井工", "露天+地下"};

// A star-shaped (hence simple) polygon: vertices at increasing angles, random radii.
GeometryPtr star(std::mt19937_64 &rng, double cx, double cy) {
  std::uniform_int_distribution<int> nv(5, 40);
  std::uniform_real_distribution<double> u(0, 1);
  const int n = nv(rng);
  const double r0 = 0.004 + 0.02 * u(rng);
  const double kx = 1 / std::cos(cy * M_PI / 180); // roughly square on the ground
  OGRLinearRing ring;
  for (int i = 0; i < n; ++i) {
    double a = 2 * M_PI * (i + 0.8 * u(rng)) / n;
    double r = r0 * (0.6 + 0.4 * u(rng));
    ring.addPoint(cx + r * kx * std::cos(a), cy + r * std::sin(a));
  }
  ring.closeRings();
  auto poly = std::make_unique<OGRPolygon>();
  poly->addRing(&ring);
  return GeometryPtr(poly.release());
}

void generate(const fs::path &path, int n) {
  mineplan::io::ogr::ensure_registered();
  GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GPKG")->Create(
      path.string().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  if (!ds) throw std::runtime_error("cannot create " + path.string());
  OGRSpatialReference srs = mineplan::io::ogr::cgcs2000_lonlat();
  OGRLayer *layer = ds->CreateLayer("采矿权", &srs, wkbPolygon, nullptr);
  const std::vector<const char *> fields{
      "许可证号", "矿山名称", "采矿权人",   "开采矿种", "矿山规模", "生产规模", "规模单位",
      "生产状态", "开采方式", "行政区代码", "有效期起", "有效期止", "矿区面积", "面积单位"};
  for (const char *f : fields) {
    OGRFieldDefn fd(f, (std::string(f) == "生产规模" || std::string(f) == "矿区面积") ? OFTReal
                                                                                      : OFTString);
    layer->CreateField(&fd);
  }
  std::mt19937_64 rng(20240601);
  std::uniform_real_distribution<double> lon(97.5, 125.5), lat(37.5, 52.5), u(0, 1);
  ds->StartTransaction();
  for (int i = 0; i < n; ++i) {
    OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
    const Mineral &m = kMinerals[rng() % std::size(kMinerals)];
    char licence[32];
    std::snprintf(licence, sizeof licence, "C15%04d%04d%09d", static_cast<int>(rng() % 10000),
                  2005 + static_cast<int>(rng() % 18), i);
    const int year = 2015 + static_cast<int>(rng() % 8);
    char from[32], to[32];
    std::snprintf(from, sizeof from, "%d/%d/%d", year, 1 + static_cast<int>(rng() % 12),
                  1 + static_cast<int>(rng() % 28));
    std::snprintf(to, sizeof to, "%d年%d月%d日", year + 5 + static_cast<int>(rng() % 25),
                  1 + static_cast<int>(rng() % 12), 1 + static_cast<int>(rng() % 28));
    const std::string name = std::string("测试") + m.name + "矿" + std::to_string(i + 1);
    f->SetField(0, licence);
    f->SetField(1, name.c_str());
    f->SetField(2, ("内蒙古测试矿业有限公司" + std::to_string(i % 997)).c_str());
    f->SetField(3, m.name);
    f->SetField(4, kScale[rng() % 4]);
    f->SetField(5, std::round((m.min_scale + (m.max_scale - m.min_scale) * u(rng)) * 10) / 10);
    f->SetField(6, m.unit);
    f->SetField(7, kStatus[rng() % 4]);
    f->SetField(8, kMethod[rng() % 4]);
    f->SetField(9, kCounties[rng() % std::size(kCounties)]);
    f->SetField(10, from);
    f->SetField(11, to);
    GeometryPtr g = star(rng, lon(rng), lat(rng));
    f->SetField(12, std::round(g->toPolygon()->get_Area() * 1e4 * 1e4) / 1e4); // ~km2, declared
    f->SetField(13, "平方公里");
    f->SetGeometry(g.get());
    if (layer->CreateFeature(f.get()) != OGRERR_NONE)
      throw std::runtime_error("CreateFeature failed");
  }
  ds->CommitTransaction();
}

// Runs a program (stdout/stderr to /dev/null unless verbose), returns seconds and status.
std::pair<double, int> timed(const std::vector<std::string> &argv, bool quiet = true) {
  std::vector<char *> args;
  for (const auto &a : argv)
    args.push_back(const_cast<char *>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (quiet) {
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  }
  auto t0 = std::chrono::steady_clock::now();
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return {0, -1};
  int status = 0;
  waitpid(pid, &status, 0);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return {s, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

} // namespace

int main(int argc, char **argv) {
  int n = 10000, runs = 5;
  fs::path exe_dir = fs::canonical("/proc/self/exe").parent_path();
  std::string mineplan = (exe_dir / "mineplan").string();
  std::string data;
  std::string keep;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--n")
      n = std::stoi(next());
    else if (a == "--runs")
      runs = std::stoi(next());
    else if (a == "--mineplan")
      mineplan = next();
    else if (a == "--data")
      data = next();
    else if (a == "--keep")
      keep = next();
    else {
      std::fprintf(
          stderr,
          "usage: bench_import [--n N] [--runs R] [--mineplan PATH] [--data DIR] [--keep DIR]\n");
      return 2;
    }
  }
  if (data.empty()) {
    if (const char *env = std::getenv("MINEPLAN_DATA"))
      data = env;
    else if (fs::exists(exe_dir.parent_path() / "data" / "minerals.json"))
      data = (exe_dir.parent_path() / "data").string();
    else
      data = "data";
  }
  char tmpl[] = "/tmp/mineplan-bench-XXXXXX";
  fs::path dir = keep.empty() ? fs::path(mkdtemp(tmpl)) : fs::path(keep);
  fs::create_directories(dir);

  const fs::path in = dir / "rights.gpkg";
  auto g0 = std::chrono::steady_clock::now();
  if (!fs::exists(in)) generate(in, n);
  double gen = std::chrono::duration<double>(std::chrono::steady_clock::now() - g0).count();

  const fs::path tmpl_store = dir / "template.gpkg";
  if (!fs::exists(tmpl_store)) {
    auto [s, rc] = timed({mineplan, "init", tmpl_store.string(), "--data", data});
    if (rc != 0) {
      std::fprintf(stderr, "mineplan init failed (data %s); pass --data DIR or --mineplan PATH\n",
                   data.c_str());
      return 1;
    }
  }

  std::vector<double> imp, copy;
  for (int r = 0; r < runs; ++r) {
    fs::path store = dir / ("store-" + std::to_string(r) + ".gpkg");
    fs::path out = dir / ("ogr2ogr-" + std::to_string(r) + ".gpkg");
    fs::remove(store);
    fs::remove(out);
    fs::copy_file(tmpl_store, store);
    auto [ti, rci] =
        timed({mineplan, "import", store.string(), in.string(), "--as-of", "2021-06-30"});
    if (rci != 0) {
      std::fprintf(stderr,
                   "mineplan import failed (exit %d); rerun by hand:\n  %s import %s %s --as-of "
                   "2021-06-30\n",
                   rci, mineplan.c_str(), store.string().c_str(), in.string().c_str());
      return 1;
    }
    auto [tc, rcc] = timed({"ogr2ogr", "-f", "GPKG", out.string(), in.string()});
    if (rcc != 0) {
      std::fprintf(stderr, "ogr2ogr failed (exit %d)\n", rcc);
      return 1;
    }
    imp.push_back(ti);
    copy.push_back(tc);
    if (keep.empty()) {
      fs::remove(store);
      fs::remove(out);
    }
  }
  const double mi = median(imp), mc = median(copy);
  std::printf("bench_import: %d mining rights, %d runs each (generated in %.2f s)\n", n, runs, gen);
  std::printf("  %-44s median %8.3f s  %10.0f rights/s\n",
              "mineplan import (validate, reproject, area)", mi, n / mi);
  std::printf("  %-44s median %8.3f s  %10.0f rights/s\n", "ogr2ogr -f GPKG (plain copy)", mc,
              n / mc);
  std::printf("  ratio mineplan/ogr2ogr: %.2f\n", mi / mc);
  std::printf("  runs (s): import");
  for (double v : imp)
    std::printf(" %.3f", v);
  std::printf("; ogr2ogr");
  for (double v : copy)
    std::printf(" %.3f", v);
  std::printf("\n");
  if (keep.empty()) fs::remove_all(dir);
  return 0;
}

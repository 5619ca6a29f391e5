// The coordinate-file reader beyond the data-driven cases: the seed's own table, a generated
// 10^6-point file, limits, writer details, problem capping, a mutation smoke test and the
// `mineplan coords` command.
#include "core/error.hpp"
#include "geo/area.hpp"
#include "geo/coordfile.hpp"
#include "seed_texts.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <numbers>
#include <random>
#include <regex>
#include <sstream>

namespace fs = std::filesystem;
using namespace mineplan;
using namespace mineplan::geo;

namespace {

std::string slurp(const fs::path &p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A unique temporary directory removed at scope exit.
struct TempDir {
  fs::path path;
  TempDir() {
    std::random_device rd;
    path =
        fs::temp_directory_path() / ("mineplan-geo-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

const char *kHeader = "[属性描述]\n坐标系=80西安坐标系\n几度分带=3\n投影类型=高斯克吕格\n计量单位="
                      "米\n带号=37\n精度=0.01\n转换参数=,,,,,,\n[地块坐标]\n";

} // namespace

// The 23 points straight from the seed's 附表5 (two column groups), through the reader.
TEST(GeoCoordfile, SeedTableGivesTheSeedArea) {
  REQUIRE_SEED_TEXTS();
  const std::string seed = slurp(fs::path(MINEPLAN_SEEDS_DIR) / "004_fef4216582916c29.txt");
  ASSERT_FALSE(seed.empty()) << "seed 004 not found under " << MINEPLAN_SEEDS_DIR;
  const auto at = seed.find("附表 5 绿色矿业发展示范区拐点坐标");
  ASSERT_NE(at, std::string::npos);
  std::istringstream in(seed.substr(at));
  std::map<int, std::pair<std::string, std::string>> pts;
  std::string declared;
  std::string line;
  const std::regex num(R"(^\d+$)");
  while (std::getline(in, line) && pts.size() < 23) {
    std::vector<std::string> cells;
    std::istringstream ls(line);
    for (std::string c; std::getline(ls, c, '\t');)
      cells.push_back(c);
    // "no X Y [no X Y [area]]": left group then right group.
    for (std::size_t k = 0; k + 2 < cells.size(); k += 3) {
      if (!std::regex_match(cells[k], num)) break;
      pts[std::stoi(cells[k])] = {cells[k + 1], cells[k + 2]};
    }
    if (cells.size() == 7 && declared.empty() && std::regex_match(cells[0], num))
      declared = cells[6];
  }
  ASSERT_EQ(pts.size(), 23u);
  EXPECT_EQ(declared, "1202.62");
  std::string file = kHeader + std::string("23,") + declared + ",1,绿色矿业发展示范区,面,,,,@\n";
  for (const auto &[no, xy] : pts)
    file += "J" + std::to_string(no) + ",1," + xy.first + "," + xy.second + "\n";
  CoordinateFile f = parse_coordinate_file(file, "seed-004-附表5");
  ASSERT_EQ(f.parcels.size(), 1u);
  EXPECT_EQ(f.crs.epsg(), 2361);
  EXPECT_FALSE(f.has_errors());
  const double km2 = planar_area_m2(f.parcels[0].geometry) / 1e6;
  EXPECT_NEAR(km2, 1202.62501424095, 1e-9);
  EXPECT_EQ(std::floor(km2 * 100) / 100, 1202.62); // the seed's figure: truncated to 0.01
  EXPECT_EQ(f.parcels[0].declared_area_unit, "km2");
  EXPECT_EQ(f.parcels[0].declared_area_match, "truncated");
}

TEST(GeoCoordfile, MillionPointFile) {
  TempDir dir;
  const fs::path path = dir.path / "million.txt";
  constexpr int n = 1'000'000;
  const double r = 50'000, cx = 37'500'000, cy = 4'400'000;
  {
    std::ofstream out(path, std::ios::binary);
    out << kHeader << n + 1 << ",,1,百万点,面,,,,@\n";
    char buf[96];
    for (int i = 0; i <= n; ++i) {
      const double t = 2 * std::numbers::pi * (i % n) / n;
      std::snprintf(buf, sizeof buf, "J%d,1,%.2f,%.2f\n", i % n + 1, cy + r * std::sin(t),
                    cx + r * std::cos(t));
      out << buf;
    }
  }
  const auto t0 = std::chrono::steady_clock::now();
  CoordinateFile f = read_coordinate_file(path);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_EQ(f.parcels.size(), 1u);
  EXPECT_FALSE(f.has_errors());
  EXPECT_EQ(f.parcels[0].geometry[0].outer.size(), static_cast<std::size_t>(n) + 1);
  const double exact = n / 2.0 * r * r * std::sin(2 * std::numbers::pi / n);
  EXPECT_NEAR(planar_area_m2(f.parcels[0].geometry), exact, exact * 1e-7);
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  EXPECT_LT(ru.ru_maxrss, 1'500'000L) << "peak RSS in KiB";
  RecordProperty("million_point_parse_seconds", std::to_string(secs));
}

TEST(GeoCoordfile, Limits) {
  const std::string file = std::string(kHeader) +
                           "5,,1,x,面,,,,@\nJ1,1,4300000,37300000\nJ2,1,4300000,37301000\n"
                           "J3,1,4301000,37301000\nJ4,1,4301000,37300000\nJ5,1,4300000,37300000\n";
  ReadOptions small;
  small.max_bytes = 100;
  try {
    parse_coordinate_file(file, "big.txt", small);
    FAIL();
  } catch (const InputError &e) {
    EXPECT_NE(std::string(e.what()).find("MiB"), std::string::npos);
  }
  ReadOptions few;
  few.max_points_per_parcel = 3;
  try {
    parse_coordinate_file(file, "many.txt", few);
    FAIL();
  } catch (const InputError &e) {
    EXPECT_EQ(e.line(), 14);
    EXPECT_NE(std::string(e.what()).find("at most 3 points"), std::string::npos);
  }
  EXPECT_EQ(ReadOptions{}.max_bytes, 256u << 20);
  EXPECT_EQ(ReadOptions{}.max_points_per_parcel, 10'000'000u);
  EXPECT_THROW(read_coordinate_file("/nonexistent/dir/file.txt"), InputError);
}

TEST(GeoCoordfile, WriterFormat) {
  CoordinateFile f;
  f.crs = Crs::gauss_kruger(Datum::CGCS2000, 3, 38, true);
  f.precision = 0.001;
  f.project_info.push_back({"项目名称", "测试", 1});
  CoordinateParcel p;
  p.number = "7";
  p.name = "测试地块";
  p.declared_area = 0.75; // the triangle below: 1000 x 1500 / 2 m2 = 0.75 km2
  p.declared_area_decimals = 4;
  p.geometry = {Polygon{
      {{38500000, 4400000}, {38501000, 4400000}, {38501000, 4401500}, {38500000, 4400000}}, {}}};
  f.parcels.push_back(p);
  const std::string utf8 = write_exchange_file(f, Encoding::Utf8);
  EXPECT_EQ(utf8.rfind("[项目信息]\r\n项目名称=测试\r\n[属性描述]\r\n", 0), 0u) << utf8;
  EXPECT_NE(utf8.find("坐标系=2000国家大地坐标系\r\n几度分带=3\r\n投影类型=高斯克吕格\r\n计量单位="
                      "米\r\n带号=38\r\n精度=0.001\r\n转换参数=,,,,,,\r\n"),
            std::string::npos)
      << utf8;
  EXPECT_NE(
      utf8.find("[地块坐标]\r\n4,0.7500,7,测试地块,面,,,,@\r\nJ1,1,4400000.000,38500000.000\r\n"),
      std::string::npos)
      << utf8;
  EXPECT_NE(utf8.find("J3,1,4401500.000,38501000.000\r\nJ1,1,4400000.000,38500000.000\r\n"),
            std::string::npos)
      << utf8;
  const std::string gbk = write_exchange_file(f, Encoding::Gbk);
  EXPECT_NE(gbk, utf8);
  EXPECT_NE(gbk.find("\xca\xf4\xd0\xd4\xc3\xe8\xca\xf6"), std::string::npos); // 属性描述 in GBK
  CoordinateFile g = parse_coordinate_file(gbk, "gbk");
  EXPECT_EQ(g.encoding, "GB18030");
  EXPECT_EQ(g.crs, f.crs);
  EXPECT_EQ(g.parcels.at(0).name, "测试地块");
  EXPECT_EQ(g.parcels.at(0).declared_area_unit, "km2");
  EXPECT_EQ(g.project_info.size(), 1u);
}

TEST(GeoCoordfile, ProblemsAreCapped) {
  std::string file = std::string(kHeader);
  // 3000 parcels, each a bow-tie: 3000 errors, capped.
  for (int i = 0; i < 3000; ++i) {
    const double x = 37300000 + i * 2000.0;
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "5,,%d,b,面,,,,@\nJ1,1,4300000,%.0f\nJ2,1,4301000,%.0f\nJ3,1,4300000,%.0f\nJ4,1,"
                  "4301000,%.0f\n",
                  i + 1, x, x + 1000, x + 1000, x);
    file += buf;
  }
  CoordinateFile f = parse_coordinate_file(file, "many-bowties.txt");
  EXPECT_EQ(f.parcels.size(), 3000u);
  EXPECT_LE(f.problems.size(), ReadOptions{}.max_problems + 1);
  EXPECT_EQ(f.problems.back().code, "too-many-problems");
  EXPECT_EQ(f.problems.back().severity, Severity::Error); // errors were dropped: still an error
  EXPECT_TRUE(f.has_errors());
}

TEST(GeoCoordfile, ZoneCrossCheckAndInference) {
  // Prefix 37 everywhere, 带号 missing: inferred (info), 3°.
  std::string f1 =
      "[属性描述]\n坐标系=西安80\n[地块坐标]\n4,,1,x,面,,,,@\nJ1,1,4300000,37300000\nJ2,1,4300000,"
      "37301000\nJ3,1,4301000,37301000\nJ4,1,4301000,37300000\n";
  CoordinateFile a = parse_coordinate_file(f1, "a");
  EXPECT_EQ(a.crs, Crs::gauss_kruger(Datum::Xian1980, 3, 37, true));
  // 6° zone 19 from the prefix.
  std::string f2 = f1;
  for (std::size_t p; (p = f2.find(",3730")) != std::string::npos;)
    f2.replace(p, 5, ",1930");
  CoordinateFile b = parse_coordinate_file(f2, "b");
  EXPECT_EQ(b.crs, Crs::gauss_kruger(Datum::Xian1980, 6, 19, true));
  EXPECT_EQ(b.crs.epsg(), 2333);
}

// Random mutations of the committed cases: the reader may throw InputError, nothing else,
// and must not crash (the libFuzzer target does this at scale; this keeps a floor in CI).
TEST(GeoCoordfile, MutationSmoke) {
  const fs::path dir = fs::path(MINEPLAN_SOURCE_DIR) / "tests" / "cases" / "coords";
  std::vector<std::string> corpus;
  for (const auto &e : fs::directory_iterator(dir))
    if (e.path().extension() == ".txt") corpus.push_back(slurp(e.path()));
  ASSERT_FALSE(corpus.empty());
  std::mt19937 rng(20240607);
  const std::string alphabet = "0123456789.,-+eE@=[]\n\r XYJ\xef\xbc\x8c\xe5\xb8\xa6";
  int ok = 0, rejected = 0;
  for (int iter = 0; iter < 3000; ++iter) {
    std::string s = corpus[rng() % corpus.size()];
    const int edits = 1 + static_cast<int>(rng() % 8);
    for (int k = 0; k < edits && !s.empty(); ++k) {
      const std::size_t pos = rng() % s.size();
      switch (rng() % 4) {
      case 0: s[pos] = alphabet[rng() % alphabet.size()]; break;
      case 1: s.erase(pos, 1 + rng() % 16); break;
      case 2: s.insert(pos, 1, alphabet[rng() % alphabet.size()]); break;
      case 3: s.insert(pos, s.substr(rng() % s.size(), 1 + rng() % 64)); break;
      }
    }
    try {
      CoordinateFile f = parse_coordinate_file(s, "mutant");
      (void)write_exchange_file(f, Encoding::Gbk);
      ++ok;
    } catch (const InputError &) {
      ++rejected;
    }
  }
  EXPECT_GT(ok, 0);
  EXPECT_GT(rejected, 0);
}

namespace {
struct PipeCloser {
  void operator()(FILE *f) const { pclose(f); }
};
// Runs a command, returns (exit status, stdout).
std::pair<int, std::string> run(const std::string &cmd) {
  std::string out;
  FILE *raw = popen(cmd.c_str(), "r");
  if (!raw) return {-1, out};
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, raw)) > 0)
    out.append(buf, n);
  const int status = pclose(raw);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}
} // namespace

TEST(GeoCoordfile, CoordsCommand) {
  const fs::path bin = MINEPLAN_BINARY;
  if (!fs::exists(bin)) GTEST_SKIP() << bin << " not built";
  const fs::path cases = fs::path(MINEPLAN_SOURCE_DIR) / "tests" / "cases" / "coords";
  auto [code, out] =
      run(bin.string() + " coords " + (cases / "ejin-gbk-crlf.txt").string() + " --json");
  EXPECT_EQ(code, 0) << out;
  const auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["crs"]["epsg"], 2361);
  EXPECT_EQ(j["datum_shift"], "ballpark");
  EXPECT_NEAR(j["parcels"][0]["area"]["planar_km2"].get<double>(), 1202.62501424, 1e-8);
  EXPECT_EQ(j["parcels"][0]["declared"]["unit"], "km2");
  EXPECT_NEAR(j["parcels"][0]["centroid_cgcs2000"]["lon"].get<double>(), 110.09, 0.01);
  EXPECT_EQ(j["summary"]["errors"], 0);

  auto [code1, out1] = run(bin.string() + " coords " + (cases / "bad-bowtie.txt").string());
  EXPECT_EQ(code1, 1) << out1;
  EXPECT_NE(out1.find("self-intersection"), std::string::npos);

  auto [code2, out2] =
      run(bin.string() + " coords " + (cases / "bad-nonnumeric.txt").string() + " 2>&1");
  EXPECT_EQ(code2, 2) << out2;
  EXPECT_NE(out2.find(":18: X:"), std::string::npos) << out2;
}

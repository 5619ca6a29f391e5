// Data-driven import cases: tests/cases/import/<name>.csv (or .xlsx, .geojson …) with
// <name>.expect:
//   layer: rights|mines|zones      (default rights)
//   error_row: N                   (repeatable; 0 = the file as a whole) every problem is in
//                                  one of these rows and each of them has one
//   error_contains: TEXT           (repeatable) some problem's text contains TEXT
//   error_count: N                 exactly N problems
//   inserted: N                    the import succeeds and inserts N
// After a failing case the store is unchanged: row counts and content.
#include "io/ogr_import.hpp"
#include "io_support.hpp"

#include <algorithm>
#include <set>

using namespace io_test;
using namespace mineplan;

namespace {

struct Expect {
  std::string layer = "rights";
  std::set<int> rows;
  std::vector<std::string> contains;
  std::optional<std::size_t> count;
  std::optional<std::int64_t> inserted;
};

Expect read_expect(const fs::path &p) {
  Expect e;
  std::istringstream in(read_file(p));
  for (std::string line; std::getline(in, line);) {
    line = io::trim_cell(line);
    if (line.empty() || line[0] == '#') continue;
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = io::trim_cell(line.substr(0, colon)),
                value = io::trim_cell(line.substr(colon + 1));
    if (key == "layer")
      e.layer = value;
    else if (key == "error_row")
      e.rows.insert(std::stoi(value));
    else if (key == "error_contains")
      e.contains.push_back(value);
    else if (key == "error_count")
      e.count = std::stoul(value);
    else if (key == "inserted")
      e.inserted = std::stoll(value);
    else
      ADD_FAILURE() << p << ": unknown key " << key;
  }
  return e;
}

// Everything an import may touch, as text.
std::string snapshot(store::Store &st) {
  Json j;
  for (const auto &l : st.layers())
    j["count"][l.name] = l.count;
  Json rights = Json::array();
  for (const auto &r : st.rights({}))
    rights.push_back(right_content(r));
  j["rights"] = rights;
  Json mines = Json::array();
  for (const auto &m : st.mines({}))
    mines.push_back(to_json(m));
  j["mines"] = mines;
  // all versions, not only the current ones
  Json all = Json::array();
  st.for_each_feature("imports", [&](const store::Feature &f) { all.push_back(f.properties); });
  j["imports"] = all;
  return j.dump();
}

} // namespace

TEST(IoCases, AllCases) {
  const fs::path dir = fs::path(MINEPLAN_SOURCE_DIR) / "tests" / "cases" / "import";
  ASSERT_TRUE(fs::is_directory(dir)) << dir;
  TempDir tmp;
  // A GeoPackage fixture, closed (checkpointed, no -wal left); each case gets a copy.
  store::Store::open(tmp.file("template.gpkg"), true)->load_catalogue(catalogue());
  std::vector<fs::path> cases;
  for (const auto &e : fs::directory_iterator(dir))
    if (e.path().extension() == ".expect") cases.push_back(e.path());
  std::sort(cases.begin(), cases.end());
  ASSERT_GE(cases.size(), 10u);

  for (const auto &expect_path : cases) {
    const std::string name = expect_path.stem().string();
    SCOPED_TRACE(name);
    fs::path data;
    for (const char *ext : {".csv", ".xlsx", ".geojson", ".gpkg", ".shp", ".txt"})
      if (fs::exists(fs::path(expect_path).replace_extension(ext)))
        data = fs::path(expect_path).replace_extension(ext);
    ASSERT_FALSE(data.empty()) << "no data file for " << expect_path;
    Expect e = read_expect(expect_path);

    // Each case runs against its own copy of the store so successful cases do not interfere.
    auto cst = mineplan::testing::copy_store(tmp.file("template.gpkg"), tmp.file(name + ".gpkg"));
    const std::string before = snapshot(*cst);
    io::ImportOptions o;
    o.layer = e.layer;
    o.as_of = "2021-06-30";
    io::ImportResult r = io::import_file(*cst, data, o, schema());
    std::string all;
    for (const auto &p : r.problems)
      all += "\n  " + p.str();

    if (e.inserted) {
      EXPECT_TRUE(r.problems.empty()) << all;
      EXPECT_TRUE(r.written);
      EXPECT_EQ(r.summary.inserted, *e.inserted);
      continue;
    }
    EXPECT_FALSE(r.problems.empty()) << "expected problems";
    EXPECT_FALSE(r.written);
    if (e.count) {
      EXPECT_EQ(r.problems.size(), *e.count) << all;
    }
    for (int row : e.rows)
      EXPECT_TRUE(std::any_of(r.problems.begin(), r.problems.end(),
                              [&](const io::ImportProblem &p) { return p.number == row; }))
          << "no problem in row " << row << ":" << all;
    if (!e.rows.empty()) {
      for (const auto &p : r.problems) {
        EXPECT_TRUE(e.rows.count(p.number)) << "unexpected problem: " << p.str();
      }
    }
    for (const auto &c : e.contains)
      EXPECT_TRUE(std::any_of(
          r.problems.begin(), r.problems.end(),
          [&](const io::ImportProblem &p) { return p.str().find(c) != std::string::npos; }))
          << "no problem mentions '" << c << "':" << all;
    EXPECT_EQ(snapshot(*cst), before) << "the store changed after a failed import";
  }
}

// The CLI prints the problems (file: row N: column: message) and exits 2, writing nothing.
TEST(IoCases, CliExitCodeAndListing) {
  const std::string bin = MINEPLAN_BINARY;
  if (!fs::exists(bin)) GTEST_SKIP() << bin << " not built";
  TempDir tmp;
  make_store(tmp.file("s.gpkg")).reset();
  const fs::path dir = fs::path(MINEPLAN_SOURCE_DIR) / "tests" / "cases" / "import";
  auto r = run(q(bin) + " import " + q(mineplan::testing::store_location(tmp.file("s.gpkg"))) +
               " " + q((dir / "many_problems.csv").string()));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("6 problem(s); nothing was written"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("many_problems.csv: row 3: 开采矿种: unknown mineral \"金刚砂\""),
            std::string::npos)
      << r.output;
  auto j = run(q(bin) + " import " + q(mineplan::testing::store_location(tmp.file("s.gpkg"))) +
               " " + q((dir / "many_problems.csv").string()) + " --json");
  EXPECT_EQ(j.status, 2);
  Json parsed = Json::parse(j.output, nullptr, false);
  ASSERT_FALSE(parsed.is_discarded()) << j.output;
  EXPECT_EQ(parsed["ok"], false);
  EXPECT_EQ(parsed["problem_count"], 6);
  EXPECT_EQ(parsed["problems"][0]["row"], 3);

  auto ok = run(q(bin) + " import " + q(mineplan::testing::store_location(tmp.file("s.gpkg"))) +
                " " + q((dir / "ok_standard.csv").string()) + " --as-of 2021-06-30 --json");
  EXPECT_EQ(ok.status, 0) << ok.output;
  Json okj = Json::parse(ok.output, nullptr, false);
  ASSERT_FALSE(okj.is_discarded()) << ok.output;
  EXPECT_EQ(okj["inserted"], 3);
  EXPECT_EQ(okj["as_of"], "2021-06-30");
}

// The data-driven measure cases of tests/cases/monitor/ (format: its README.md).
#include "core/error.hpp"
#include "monitor/register.hpp"
#include "monitor_support.hpp"

#include <algorithm>

namespace {

using namespace mineplan;
namespace fs = std::filesystem;

// The seed plans and the Dalad ledger, built once; each case copies the file.
fs::path dalad_base_file() {
  static review_test::TempDir dir;
  static const fs::path file = [] {
    // A GeoPackage fixture whatever store the tests run on; each case copies it.
    fs::path f = dir.path() / "dalad.gpkg";
    fs::copy_file(review_test::base_store_file(), f);
    auto st = store::Store::open(f.string());
    auto r = monitor_test::import_ledger(*st, monitor_test::cases_dir() / "dalad-2020-ledger.csv",
                                         "mines", "2020-12-31");
    EXPECT_TRUE(r.written) << r.json().dump(2);
    return f;
  }();
  return file;
}

void apply_changes(store::Store &st, const Json &changes) {
  for (const auto &c : changes) {
    const std::string uid = c.at("uid").get<std::string>();
    const std::string effective = c.at("effective").get<std::string>();
    Mine m;
    bool found = false;
    for (const auto &x : st.mines(store::AsOf{}))
      if (x.uid == uid) {
        m = x;
        found = true;
      }
    if (!found) {
      m.uid = uid;
      m.name = uid;
    }
    m.version_from.clear();
    m.version_to.clear();
    for (const auto &[k, v] : c.at("set").items()) {
      if (k == "status")
        m.status = v.get<std::string>();
      else if (k == "scale_class")
        m.scale_class = v.get<std::string>();
      else if (k == "method")
        m.method = v.get<std::string>();
      else if (k == "minerals")
        m.minerals = v.get<std::vector<std::string>>();
      else if (k == "name")
        m.name = v.get<std::string>();
      else if (k == "green_level")
        m.green_level = v.get<std::string>();
      else if (k == "green_year")
        m.green_year = v.get<int>();
      else if (k == "jurisdiction")
        m.jurisdiction = v.get<std::string>();
      else
        throw Error("case change: unknown field " + k);
    }
    st.import_mines({m}, effective, "test case");
  }
}

class MonitorCase : public ::testing::TestWithParam<std::string> {};

TEST_P(MonitorCase, MeasureGivesTheExpectedValues) {
  const fs::path file = monitor_test::cases_dir() / GetParam();
  Json c = Json::parse(review_test::read_text(file));
  review_test::TempDir dir;
  auto st = mineplan::testing::copy_store(dalad_base_file(), dir.path() / "a.gpkg");
  if (c.contains("changes")) apply_changes(*st, c["changes"]);
  monitor::Register reg(*st);
  ASSERT_FALSE(c.at("expect").empty());
  for (const auto &e : c["expect"]) {
    const std::string as_of = e.at("as_of").get<std::string>();
    SCOPED_TRACE(as_of);
    auto r = reg.evaluate(c.at("measure"), c.at("unit").get<std::string>(),
                          c.at("jurisdiction").get<std::string>(), as_of);
    if (e.at("value").is_null()) {
      EXPECT_FALSE(r.value);
    } else {
      ASSERT_TRUE(r.value);
      EXPECT_NEAR(*r.value, e["value"].get<double>(), 1e-9);
    }
    if (e.contains("items")) {
      EXPECT_EQ(r.items, e["items"].get<std::int64_t>());
    }
    if (e.contains("numerator")) {
      EXPECT_EQ(r.numerator, e["numerator"].get<std::int64_t>());
    }
    if (e.contains("missing")) {
      EXPECT_EQ(r.missing, e["missing"].get<std::int64_t>());
    }
  }
}

std::vector<std::string> case_files() {
  std::vector<std::string> out;
  for (const auto &e : fs::directory_iterator(monitor_test::cases_dir()))
    if (e.path().extension() == ".json") out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

INSTANTIATE_TEST_SUITE_P(Monitor, MonitorCase, ::testing::ValuesIn(case_files()),
                         [](const ::testing::TestParamInfo<std::string> &info) {
                           std::string n = info.param.substr(0, info.param.size() - 5);
                           for (auto &ch : n)
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return n;
                         });

TEST(MonitorCases, ThereAreCases) {
  EXPECT_GE(case_files().size(), 10u);
}

} // namespace

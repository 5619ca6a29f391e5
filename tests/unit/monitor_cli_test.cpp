// Monitoring end to end: definitions validated at load, the commands (indicators, stats with
// XLSX, report, consistency, report-value), and the roll-up across levels.
#include "core/error.hpp"
#include "io/catalogue_loader.hpp"
#include "monitor/consistency.hpp"
#include "monitor_support.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

namespace {

using namespace mineplan;
namespace fs = std::filesystem;
using review_test::q;
using review_test::run_cli;
using review_test::TempDir;

// A copy of data/ with one plan's targets.json edited.
std::string load_error_with(const std::function<void(Json &)> &edit, const fs::path &tmp) {
  fs::copy(fs::path(MINEPLAN_SOURCE_DIR) / "data", tmp / "data", fs::copy_options::recursive);
  fs::path f = tmp / "data" / "plans" / "dalad-2021" / "targets.json";
  Json j = Json::parse(review_test::read_text(f));
  edit(j);
  review_test::write_text(f, j.dump(2));
  try {
    io::load_catalogue(tmp / "data");
  } catch (const Error &e) {
    return e.what();
  }
  return "";
}

TEST(MonitorLoader, BadDefinitionsAreRefusedWithFileAndJsonPath) {
  TempDir dir;
  std::string msg = load_error_with(
      [](Json &j) {
        j[3]["measure"]["filter"] = Json{{"colour", "red"}};
        j[5]["measure"]["numerator"] = Json{{"scale_class", Json::array({"huge"})}};
        j[0]["measure"] = Json{{"type", "reported"}};
        j[2]["measure"]["field"] = "area";
      },
      dir.path());
  EXPECT_NE(msg.find("targets.json: [3].measure.filter.colour: unknown filter key 'colour'"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("[5].measure.numerator.scale_class[0]: 'huge' is not a value"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("[0].measure.basis: missing"), std::string::npos) << msg;
  EXPECT_NE(msg.find("[2].measure.field: only rights carry an area"), std::string::npos) << msg;
}

TEST(MonitorCli, IndicatorsStatsReportAndReportedValues) {
  TempDir dir;
  const fs::path db = mineplan::testing::store_location(dir.path() / "a.gpkg");
  monitor_test::dalad_store(db);

  auto r =
      run_cli("indicators " + q(db) + " --plan dalad-2021 --as-of 2020-12-31 --json", dir.path());
  ASSERT_EQ(r.status, 0) << r.output;
  Json j = Json::parse(r.out);
  EXPECT_EQ(j["as_of"], "2020-12-31");
  bool seen = false;
  for (const auto &i : j["indicators"])
    if (i["id"] == "mine-count") {
      seen = true;
      EXPECT_EQ(i["status"], "off_track");
      EXPECT_EQ(i["status_zh"], "偏离目标");
      EXPECT_LT(i["needed_per_year"].get<double>(), 0);
    }
  EXPECT_TRUE(seen);

  r = run_cli("indicators " + q(db) + " --plan dalad-2021 --as-of 2020-12-31", dir.path());
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.out.find("矿山总数"), std::string::npos);
  EXPECT_NE(r.out.find("偏离目标"), std::string::npos);

  r = run_cli("indicators " + q(db) + " --plan no-such-plan", dir.path());
  EXPECT_NE(r.status, 0);
  r = run_cli("indicators " + q(db) + " --plan dalad-2021 --as-of 2020-13-01", dir.path());
  EXPECT_NE(r.status, 0);

  r = run_cli("stats " + q(db) + " --jurisdiction 150621 --as-of 2020-12-31", dir.path());
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.out.find("逐格一致"), std::string::npos) << r.out;

  const fs::path xlsx = dir.path() / "zl2.xlsx";
  r = run_cli("stats " + q(db) + " --jurisdiction 150621 --as-of 2020-12-31 --xlsx " + q(xlsx),
              dir.path());
  ASSERT_EQ(r.status, 0) << r.output;
  // Read the workbook back through GDAL: the 专栏2 sheet with the seed's counts.
  GDALAllRegister();
  GDALDatasetUniquePtr ds(
      GDALDataset::Open(xlsx.string().c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr));
  ASSERT_TRUE(ds);
  OGRLayer *layer = ds->GetLayerByName("专栏2");
  ASSERT_NE(layer, nullptr);
  const auto &seed = monitor_test::seed_table("dalad-2021", "专栏2");
  EXPECT_EQ(layer->GetFeatureCount(), static_cast<GIntBig>(seed.rows.size()));
  layer->ResetReading();
  std::size_t row = 0;
  for (auto &f : *layer) {
    ASSERT_LT(row, seed.rows.size());
    EXPECT_EQ(f->GetFieldAsString(1), seed.rows[row][1]);
    EXPECT_EQ(std::to_string(f->GetFieldAsInteger64(5)), seed.rows[row][5]);
    ++row;
  }
  // An existing file is not overwritten.
  r = run_cli("stats " + q(db) + " --jurisdiction 150621 --xlsx " + q(xlsx), dir.path());
  EXPECT_NE(r.status, 0);

  r = run_cli("report-value " + q(db) +
                  " --plan dalad-2021 --target reclamation-rate --value 85 --as-of 2023-12-31 "
                  "--source 达自然资发〔2024〕1号 --who 李四",
              dir.path());
  ASSERT_EQ(r.status, 0) << r.output;
  const fs::path html = dir.path() / "r.html";
  r = run_cli("report " + q(db) + " --plan dalad-2021 --kind midterm --year 2023 " + q(html),
              dir.path());
  ASSERT_EQ(r.status, 0) << r.output;
  std::string page = review_test::read_text(html);
  EXPECT_NE(page.find("中期评估报告"), std::string::npos);
  EXPECT_NE(page.find("<svg"), std::string::npos);
  EXPECT_NE(page.find("偏离目标"), std::string::npos);
  EXPECT_NE(page.find("达自然资发〔2024〕1号"), std::string::npos);
  EXPECT_NE(page.find("李四"), std::string::npos);
  r = run_cli("report " + q(db) + " --plan dalad-2021 --kind weekly --year 2023 " +
                  q(dir.path() / "x.html"),
              dir.path());
  EXPECT_NE(r.status, 0);
}

TEST(MonitorConsistency, CountiesSumToTheirLeagueAndRegionAndCapsAreChecked) {
  TempDir dir;
  auto st = monitor_test::dalad_store(dir.path() / "a.gpkg");
  monitor::Register reg(*st);
  auto c = monitor::check_consistency(reg, "2021-12-31");
  std::map<std::string, double> mine_count; // division -> value of nmg-2016 mine-count
  for (const auto &r : c.rollup)
    if (r.plan_id == "nmg-2016" && r.target_id == "mine-count") {
      mine_count[r.code] = r.value;
      if (r.has_children) {
        EXPECT_NEAR(r.children_sum + r.direct, r.value, 1e-9) << r.code;
      }
    }
  const double dalad = mine_count["150621"];
  const double ejin_horo = mine_count["150627"];
  EXPECT_GT(dalad, 0);
  EXPECT_GT(ejin_horo, 0);
  EXPECT_DOUBLE_EQ(mine_count["150600"], dalad + ejin_horo);
  EXPECT_DOUBLE_EQ(mine_count["150000"], mine_count["150600"]);
  // Dalad's cap of 68 mines is the region's indicator with the same definition, under 4800.
  bool cap = false;
  for (const auto &q : c.quotas)
    if (q.plan_id == "dalad-2021" && q.target_id == "mine-count") {
      cap = true;
      EXPECT_EQ(q.parent_plan, "nmg-2016");
      EXPECT_TRUE(q.ok);
    }
  EXPECT_TRUE(cap);
  // The demonstration zone's parents hold no surveyed zone of its kind.
  ASSERT_FALSE(c.zones.empty());
  EXPECT_EQ(c.zones[0].status, "cannot_verify");

  // A mine registered at the league's own code shows up as a difference.
  Mine m;
  m.uid = "league-level-mine";
  m.name = "盟市直管矿山";
  m.minerals = {"煤炭"};
  m.jurisdiction = "150600";
  st->import_mines({m}, "2021-06-30", "test");
  monitor::Register reg2(*st);
  auto c2 = monitor::check_consistency(reg2, "2021-12-31");
  bool listed = false;
  for (const auto &d : c2.differences)
    listed = listed || d.find("直接登记在本级") != std::string::npos;
  EXPECT_TRUE(listed);
}

} // namespace

// `mineplan green|due` run as the built binary: a legal step recorded and audited, an illegal
// one refused with exit 2 naming the expected state and recording nothing, the due list as JSON,
// and a published draw re-verified from its recorded seed.
#include "registry_support.hpp"

#include <gtest/gtest.h>

#include <fstream>

using mineplan::Json;
using review_test::q;
using review_test::run_cli;
using review_test::TempDir;
namespace fs = std::filesystem;

namespace {

std::size_t registry_audit_count(const fs::path &db) {
  std::size_t n = 0;
  for (const auto &e : mineplan::store::Store::open(db.string())->audit_entries(0, 1000000))
    if (e.action.rfind("registry.", 0) == 0) ++n;
  return n;
}

std::vector<mineplan::store::RegistryEvent> green_events(const fs::path &db,
                                                         const std::string &subject) {
  return mineplan::store::Store::open(db.string())->registry_events("green-mine", subject);
}

} // namespace

TEST(RegistryCli, GreenStepLegalIsRecordedAndAudited) {
  TempDir tmp;
  const fs::path db = mineplan::testing::store_location(tmp.path() / "db.gpkg");
  registry_test::store_with_mines(db, 2).reset();
  auto r = run_cli(std::string("green ").append(q(db)).append(
                       " step T-000 apply level=league self_assessment=自评估报告"
                       " --date 2025-01-10 --role holder --who 乙公司"),
                   tmp.path());
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.out.find("none → applied"), std::string::npos) << r.out;
  auto events = green_events(db, "T-000");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].who, "乙公司");
  EXPECT_EQ(events[0].role, "holder");
  EXPECT_EQ(events[0].data.at("level"), "league");
  EXPECT_EQ(registry_audit_count(db), 1u);

  // status shows the new state; --json parses.
  auto st = run_cli(std::string("green ").append(q(db)).append(" status T-000 --json"), tmp.path());
  ASSERT_EQ(st.status, 0) << st.output;
  Json j = Json::parse(st.out);
  ASSERT_EQ(j.size(), 1u) << st.out;
  EXPECT_EQ(j[0]["state"], "applied");
  EXPECT_EQ(j[0]["events"].size(), 1u);
}

TEST(RegistryCli, GreenStepIllegalExitsTwoNamingTheExpectedStateAndRecordsNothing) {
  TempDir tmp;
  const fs::path db = mineplan::testing::store_location(tmp.path() / "db.gpkg");
  registry_test::store_with_mines(db, 2).reset();
  const auto before = registry_audit_count(db);
  // An inspection of a mine that is not on the list.
  auto r = run_cli(std::string("green ").append(q(db)).append(
                       " step T-001 inspect_pass draw=150621/2025-Q1 --date 2025-04-01"
                       " --role county_staff"),
                   tmp.path());
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("状态不允许：当前状态“未申报”"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("expected state listed"), std::string::npos) << r.output;
  // A role the step does not allow, and a missing parameter: also refused.
  auto role = run_cli(
      std::string("green ").append(q(db)).append(" step T-001 apply level=league self_assessment=x"
                                                 " --date 2025-01-10 --role county_staff"),
      tmp.path());
  EXPECT_EQ(role.status, 2) << role.output;
  EXPECT_NE(role.output.find("角色不允许："), std::string::npos) << role.output;
  auto missing = run_cli(
      std::string("green ").append(q(db)).append(" step T-001 apply level=league --date 2025-01-10"
                                                 " --role holder"),
      tmp.path());
  EXPECT_EQ(missing.status, 2) << missing.output;
  EXPECT_NE(missing.output.find("self_assessment"), std::string::npos) << missing.output;
  EXPECT_TRUE(green_events(db, "T-001").empty());
  EXPECT_EQ(registry_audit_count(db), before);
}

TEST(RegistryCli, DueJsonParses) {
  TempDir tmp;
  const fs::path db = mineplan::testing::store_location(tmp.path() / "db.gpkg");
  registry_test::store_with_mines(db, 2).reset();
  auto r = run_cli(
      std::string("due ").append(q(db)).append(" --as-of 2025-12-15 --jurisdiction 150621 --json"),
      tmp.path());
  ASSERT_EQ(r.status, 0) << r.output;
  Json j = Json::parse(r.out);
  EXPECT_EQ(j.at("as_of"), "2025-12-15");
  EXPECT_EQ(j.at("jurisdiction"), "150621");
  ASSERT_TRUE(j.at("items").is_array());
  bool plan_due = false;
  for (const auto &i : j.at("items")) {
    for (const char *k : {"registry", "rule", "subject", "due", "status", "jurisdiction"})
      EXPECT_TRUE(i.contains(k)) << k << " missing in " << i.dump();
    EXPECT_EQ(i.at("jurisdiction"), "150621") << i.dump();
    // Next year's mining plan, due in December (earlier years' plans are overdue).
    if (i.at("rule") == "mining-plan" && i.at("subject") == "T-001" &&
        i.at("due") == "2025-12-31") {
      plan_due = true;
      EXPECT_EQ(i.at("status"), "due");
    }
  }
  EXPECT_TRUE(plan_due) << r.out;
  // A bad date is a usage error.
  auto bad =
      run_cli(std::string("due ").append(q(db)).append(" --as-of 2025-02-30 --json"), tmp.path());
  EXPECT_EQ(bad.status, 2) << bad.output;
}

TEST(RegistryCli, GreenDrawIsRecordedAndVerifies) {
  TempDir tmp;
  const fs::path db = mineplan::testing::store_location(tmp.path() / "db.gpkg");
  review_test::fresh_store(db).reset();
  const fs::path experts = tmp.path() / "experts.json";
  review_test::write_text(experts, R"(["E01", "E02", "E03", {"id": "E04"}, "E05"])");
  auto r = run_cli(std::string("green ")
                       .append(q(db))
                       .append(" draw --jurisdiction 150627 --date 2025-02-01 --experts ")
                       .append(q(experts))
                       .append(" --seed 20250201 --role league_staff --who ordos --json"),
                   tmp.path());
  ASSERT_EQ(r.status, 0) << r.output;
  Json d = Json::parse(r.out);
  EXPECT_EQ(d.at("id"), "150627/2025-Q1");
  EXPECT_FALSE(d.at("drawn").empty()) << r.out;

  auto v =
      run_cli(std::string("green ").append(q(db)).append(" verify 150627/2025-Q1"), tmp.path());
  EXPECT_EQ(v.status, 0) << v.output;
  EXPECT_NE(v.out.find("verified: the recorded seed draws the recorded mines"), std::string::npos)
      << v.out;
  auto vj = run_cli(std::string("green ").append(q(db)).append(" verify 150627/2025-Q1 --json"),
                    tmp.path());
  ASSERT_EQ(vj.status, 0) << vj.output;
  Json c = Json::parse(vj.out);
  EXPECT_TRUE(c.at("ok").get<bool>());
  EXPECT_TRUE(c.at("problems").empty());
  EXPECT_EQ(c.at("recorded").at("drawn"), d.at("drawn"));
  // The same quarter's batch is not drawn twice; an unknown draw does not verify.
  auto again = run_cli(std::string("green ")
                           .append(q(db))
                           .append(" draw --jurisdiction 150627 --date 2025-02-01 --experts ")
                           .append(q(experts))
                           .append(" --role league_staff"),
                       tmp.path());
  EXPECT_NE(again.status, 0) << again.output;
  auto unknown =
      run_cli(std::string("green ").append(q(db)).append(" verify 150627/2025-Q2"), tmp.path());
  EXPECT_NE(unknown.status, 0) << unknown.output;
}

TEST(RegistryCli, ImportThatChangesAListedMinesMethodMovesItToReassessment) {
  TempDir tmp;
  const fs::path db = mineplan::testing::store_location(tmp.path() / "db.gpkg");
  {
    auto st = registry_test::store_with_mines(db, 2);
    auto mines = st->mines(mineplan::store::AsOf{});
    for (auto &m : mines) {
      m.method = "open-pit";
      if (m.uid == "T-000") {
        m.green_level = "league";
        m.green_year = 2021;
      }
    }
    st->import_mines(mines, "2021-01-01", "registry test");
  }
  // The ledger: T-000 (listed) now mined underground, T-001 (not listed) likewise.
  const fs::path csv = tmp.path() / "mines.csv";
  {
    std::ofstream out(csv);
    out << "矿山编号,矿山名称,矿业权人,开采矿种,矿山规模,生产状态,开采方式,行政区代码,"
           "绿色矿山级别\n"
        << "T-000,测试矿山T-000,乙公司,煤炭,中型,生产,井工,150621,盟市级\n"
        << "T-001,测试矿山T-001,甲公司,煤炭,中型,生产,井工,150621,\n";
  }
  auto r = run_cli(std::string("import ").append(q(db)).append(" ").append(q(csv)).append(
                       " --layer mines --as-of 2025-04-01 --json"),
                   tmp.path());
  ASSERT_EQ(r.status, 0) << r.output;
  Json j = Json::parse(r.out);
  ASSERT_EQ(j["registry_steps"].size(), 1u) << r.out;
  EXPECT_EQ(j["registry_steps"][0]["subject"], "T-000");
  EXPECT_TRUE(j["registry_steps"][0]["recorded"].get<bool>());
  auto events = green_events(db, "T-000");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].to_state, "reassessment");
  EXPECT_EQ(events[0].who, "system");
  EXPECT_EQ(events[0].data["change"], "method");
  EXPECT_EQ(events[0].data["trigger"]["source"], "import " + csv.string());
  EXPECT_TRUE(green_events(db, "T-001").empty());
  // The same ledger again: nothing changed, nothing recorded.
  auto again = run_cli(std::string("import ").append(q(db)).append(" ").append(q(csv)).append(
                           " --layer mines --as-of 2025-05-01 --json"),
                       tmp.path());
  ASSERT_EQ(again.status, 0) << again.output;
  EXPECT_TRUE(Json::parse(again.out)["registry_steps"].empty()) << again.out;
}

TEST(RegistryCli, LegacySitesWithTheirTargetsAndSteps) {
  TempDir tmp;
  const fs::path db = mineplan::testing::store_location(tmp.path() / "db.gpkg");
  registry_test::store_with_mines(db, 1).reset();
  auto step = run_cli(std::string("legacy ").append(q(db)).append(
                          " step wuhai approve_project project=乌海治理项目 funding=central"
                          " --date 2017-03-01 --role county_staff --who 王"),
                      tmp.path());
  ASSERT_EQ(step.status, 0) << step.output;
  auto sites = run_cli(
      std::string("legacy ").append(q(db)).append(" sites --as-of 2025-12-31 --json"), tmp.path());
  ASSERT_EQ(sites.status, 0) << sites.output;
  Json j = Json::parse(sites.out);
  ASSERT_EQ(j["sites"].size(), 8u);
  EXPECT_EQ(j["targets"].size(), 3u);
  bool seen = false;
  for (const auto &s : j["sites"]) {
    if (s["id"] != "wuhai") continue;
    EXPECT_EQ(s["state"], "project");
    seen = true;
  }
  EXPECT_TRUE(seen);
  auto text =
      run_cli(std::string("legacy ").append(q(db)).append(" sites --as-of 2025-12-31"), tmp.path());
  ASSERT_EQ(text.status, 0) << text.output;
  EXPECT_NE(text.out.find("盐池废弃采区"), std::string::npos) << text.out;
  // A site the seeds do not name: refused, exit 2.
  auto nowhere = run_cli(std::string("legacy ").append(q(db)).append(
                             " step nowhere approve_project project=x funding=local"
                             " --date 2017-03-01 --role county_staff"),
                         tmp.path());
  EXPECT_EQ(nowhere.status, 2) << nowhere.output;
}

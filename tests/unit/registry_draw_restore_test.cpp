// Random inspection draws, deadline arithmetic, restoration (fund, areas, the closure gate),
// the consolidation program of seed 003, and lifecycle validation.
#include "core/error.hpp"
#include "registry/dates.hpp"
#include "registry/draw.hpp"
#include "registry/due.hpp"
#include "registry/program.hpp"
#include "registry_support.hpp"

#include <gtest/gtest.h>

#include <set>

using mineplan::InputError;
using mineplan::Json;
using mineplan::registry::apply_step;
using mineplan::registry::Step;
using review_test::TempDir;
namespace reg = mineplan::registry;
namespace fs = std::filesystem;

namespace {

Json read_case(const std::string &name) {
  return Json::parse(review_test::read_text(fs::path(MINEPLAN_SOURCE_DIR) / "tests" / "cases" /
                                            "registry" / name));
}

std::vector<std::string> experts() {
  return reg::load_expert_pool(
      (fs::path(MINEPLAN_SOURCE_DIR) / "tests/cases/registry/experts.json").string());
}

TEST(RegistryDates, EdgesOfMonthPeriodsLeapYearsAndInvalidDates) {
  Json c = read_case("deadlines.json");
  for (const auto &t : c.at("add_months"))
    EXPECT_EQ(reg::add_months(t.at("from").get<std::string>(), t.at("months").get<int>()),
              t.at("expect").get<std::string>())
        << t.at("why").get<std::string>();
  for (const auto &d : c.at("invalid_dates"))
    EXPECT_THROW(reg::parse_date(d.get<std::string>()), InputError) << d;
  EXPECT_TRUE(reg::is_leap_year(2000));
  EXPECT_FALSE(reg::is_leap_year(1900));
  EXPECT_TRUE(reg::is_leap_year(2028));
  EXPECT_EQ(reg::add_days("2024-02-28", 1), "2024-02-29");
  EXPECT_EQ(reg::add_days("2025-02-28", 1), "2025-03-01");
  EXPECT_EQ(reg::add_days("2025-12-31", 1), "2026-01-01");
  EXPECT_EQ(reg::days_between("2024-01-01", "2025-01-01"), 366);
  EXPECT_EQ(reg::to_iso(reg::quarter_end(2024, 1)), "2024-03-31");
  EXPECT_EQ(reg::to_iso(reg::quarter_end(2025, 4)), "2025-12-31");
  EXPECT_EQ(reg::quarter_of(reg::parse_date("2025-04-01")), 2);
}

class Draws : public ::testing::Test {
protected:
  // The seeded store: seed 004's 48 green mines in Ejin Horo (150627) start listed.
  void SetUp() override { st = review_test::fresh_store(dir.file("d.gpkg")); }
  TempDir dir;
  std::unique_ptr<mineplan::store::Store> st;
  const reg::Lifecycle &lc = registry_test::lifecycle("green-mine");
};

TEST_F(Draws, TheSameSeedDrawsTheSameMinesAndExperts) {
  auto a = reg::draw_inspections(*st, lc, "150627", "2026-02-10", experts(), 20260210, "w",
                                 "county_staff");
  TempDir other;
  auto st2 = review_test::fresh_store(other.file("d2.gpkg"));
  auto b = reg::draw_inspections(*st2, lc, "150627", "2026-02-10", experts(), 20260210, "w",
                                 "county_staff");
  EXPECT_EQ(a.drawn, b.drawn);
  EXPECT_EQ(a.inspectors, b.inspectors);
  EXPECT_EQ(a.population.size(), 48u);
  // 20 % of 48 is 9.6: at least 10 a year, a quarter of them (rounded up) by the end of Q1.
  EXPECT_EQ(a.year_quota, 10);
  EXPECT_EQ(a.batch_size, 3);
  ASSERT_EQ(a.drawn.size(), 3u);
  for (const auto &[mine, ex] : a.inspectors) {
    EXPECT_EQ(ex.size(), 2u);
    EXPECT_NE(ex[0], ex[1]);
  }
  TempDir third;
  auto st3 = review_test::fresh_store(third.file("d3.gpkg"));
  auto c =
      reg::draw_inspections(*st3, lc, "150627", "2026-02-10", experts(), 7, "w", "county_staff");
  EXPECT_TRUE(c.drawn != a.drawn || c.inspectors != a.inspectors);
}

TEST_F(Draws, QuarterlyBatchesReachTwentyPercentWithoutDrawingAMineTwice) {
  std::set<std::string> seen;
  std::int64_t total = 0;
  const char *dates[] = {"2026-01-15", "2026-04-15", "2026-07-15", "2026-12-31"};
  for (int q = 0; q < 4; ++q) {
    auto r =
        reg::draw_inspections(*st, lc, "150627", dates[q], experts(), 100 + q, "w", "county_staff");
    EXPECT_EQ(r.quarter, q + 1);
    for (const auto &m : r.drawn)
      EXPECT_TRUE(seen.insert(m).second) << m << " drawn twice in a year";
    total += static_cast<std::int64_t>(r.drawn.size());
    EXPECT_EQ(r.population.size(), 48u - (total - r.drawn.size()));
  }
  EXPECT_EQ(total, 10);
  EXPECT_GE(total * 5, 48); // at least 20 %
  // Refusals say why, in Chinese first.
  auto refusal = [&](const char *date, const char *role) {
    try {
      reg::draw_inspections(*st, lc, "150627", date, experts(), 1, "w", role);
    } catch (const InputError &e) {
      return std::string(e.what());
    }
    return std::string("(not refused)");
  };
  EXPECT_NE(refusal("2026-12-01", "county_staff").find("本批次已抽取"), std::string::npos);
  EXPECT_NE(refusal("2027-01-05", "holder").find("该角色不能组织抽查"), std::string::npos);
}

TEST_F(Draws, ARecordedDrawVerifiesAndATamperedOneDoesNot) {
  auto r =
      reg::draw_inspections(*st, lc, "150627", "2026-05-20", experts(), 99, "w", "county_staff");
  auto ok = reg::verify_draw(*st, lc, r.id);
  EXPECT_TRUE(ok.ok) << (ok.problems.empty() ? "" : ok.problems[0]);
  EXPECT_EQ(ok.recorded.seed, 99u);
  // A step after the draw does not change what the draw saw.
  apply_step(*st, lc,
             Step{r.drawn.at(0),
                  "inspect_fail",
                  "2026-06-01",
                  "w",
                  "county_staff",
                  {{"draw", r.id}, {"findings", "问题"}}});
  EXPECT_TRUE(reg::verify_draw(*st, lc, r.id).ok);
  st.reset();
  {
    const std::string loc = mineplan::testing::store_location(dir.file("d.gpkg"));
    mineplan::testing::lift_append_only(loc, "registry_events");
    // Swap the drawn mine for another one of the population.
    std::string swapped =
        r.population.front() == r.drawn.front() ? r.population.back() : r.population.front();
    mineplan::testing::raw_sql(
        loc, "UPDATE registry_events SET data = replace(data, '\"drawn\":[\"" + r.drawn.front() +
                 "\"', '\"drawn\":[\"" + swapped + "\"') WHERE registry = 'green-mine-draw'");
  }
  st = mineplan::store::Store::open(mineplan::testing::store_location(dir.file("d.gpkg")));
  auto bad = reg::verify_draw(*st, lc, r.id);
  EXPECT_FALSE(bad.ok);
  ASSERT_FALSE(bad.problems.empty());
  EXPECT_NE(bad.problems[0].find("not what the recorded seed draws"), std::string::npos);
}

class Restoration : public ::testing::Test {
protected:
  void SetUp() override { st = registry_test::store_with_mines(dir.file("r.gpkg"), 3); }
  void step(const std::string &event, const std::string &date, const std::string &role, Json p) {
    apply_step(*st, lc, Step{"T-000", event, date, "t", role, std::move(p)});
  }
  TempDir dir;
  std::unique_ptr<mineplan::store::Store> st;
  const reg::Lifecycle &lc = registry_test::lifecycle("restoration");
};

TEST_F(Restoration, FundBalanceAndAreasPerYear) {
  step("file_plan", "2024-03-01", "holder", {{"plan_doc", "方案"}, {"area_ha", "12.5"}});
  step("accrue", "2024-03-02", "holder", {{"amount", "100"}});
  step("use", "2024-06-01", "holder", {{"amount", "30"}, {"note", "排土场治理"}});
  EXPECT_THROW(step("use", "2024-07-01", "holder", {{"amount", "80"}, {"note", "x"}}), InputError);
  EXPECT_THROW(step("accrue", "2024-07-01", "holder", {{"amount", "-5"}}), InputError);
  step("report_area", "2025-01-10", "holder",
       {{"year", "2024"}, {"damaged_ha", "4"}, {"restored_ha", "1.5"}});
  step("accrue", "2025-02-01", "holder", {{"amount", "20.5"}});
  step("report_area", "2026-01-10", "holder",
       {{"year", "2025"}, {"damaged_ha", "2"}, {"restored_ha", "3"}});
  auto s = reg::replay(lc, "T-000", st->registry_events("restoration", "T-000"), nullptr);
  EXPECT_DOUBLE_EQ(s.balance, 90.5);
  Json sum = reg::restoration_summary(lc, s);
  EXPECT_DOUBLE_EQ(sum.at("accrued").get<double>(), 120.5);
  EXPECT_DOUBLE_EQ(sum.at("used").get<double>(), 30);
  EXPECT_DOUBLE_EQ(sum.at("damaged_ha").get<double>(), 6);
  EXPECT_DOUBLE_EQ(sum.at("restored_ha").get<double>(), 4.5);
  ASSERT_EQ(sum.at("years").size(), 2u);
  EXPECT_DOUBLE_EQ(sum.at("years")[0].at("unrestored_ha").get<double>(), 2.5);
  EXPECT_DOUBLE_EQ(sum.at("years")[1].at("unrestored_ha").get<double>(), 1.5);
}

TEST_F(Restoration, AMineIsNotClosedWithoutRestorationAcceptance) {
  auto m = *reg::current_mine(*st, "T-000");
  m.status = "closed";
  try {
    st->update_mine(m, "2026-01-01");
    FAIL() << "closed without acceptance";
  } catch (const InputError &e) {
    EXPECT_NE(e.detail().find("without restoration acceptance"), std::string::npos) << e.what();
  }
  step("file_plan", "2024-03-01", "holder", {{"plan_doc", "方案"}, {"area_ha", "3"}});
  // Change of method: re-planning before anything else.
  step("change", "2024-05-01", "county_staff", {{"change", "method"}});
  EXPECT_THROW(step("apply_acceptance", "2024-05-02", "holder", Json::object()), InputError);
  step("replan", "2024-06-01", "holder", {{"plan_doc", "新方案"}, {"area_ha", "4"}});
  step("apply_acceptance", "2025-09-01", "holder", Json::object());
  EXPECT_THROW(st->update_mine(m, "2025-09-02"), InputError);
  EXPECT_THROW(step("accept", "2025-09-10", "holder", Json::object()),
               InputError); // not the holder's
  step("accept", "2025-09-10", "county_staff", Json::object());
  EXPECT_THROW(st->update_mine(m, "2025-09-09"), InputError); // before acceptance
  EXPECT_NO_THROW(st->update_mine(m, "2025-10-01"));
  EXPECT_EQ(reg::current_mine(*st, "T-000")->status, "closed");
  auto audit = st->audit_entries(0, 1000000);
  EXPECT_EQ(audit.back().action, "mine.update");
  EXPECT_TRUE(st->verify_audit().ok);
  // A mine closed by a ledger import without acceptance appears overdue (once restoration
  // records exist for it).
  auto other = *reg::current_mine(*st, "T-001");
  apply_step(*st, lc,
             Step{"T-001",
                  "file_plan",
                  "2024-01-01",
                  "t",
                  "holder",
                  {{"plan_doc", "p"}, {"area_ha", "1"}}});
  other.status = "closed";
  other.version_from.clear();
  st->import_mines({other}, "2025-01-01", "ledger");
  reg::DueQuery q;
  q.as_of = "2025-06-01";
  std::map<std::string, reg::Lifecycle> only{{"restoration", lc}};
  int flagged = 0;
  for (const auto &d : reg::compute_due(*st, only, q))
    if (d.rule == "closure-acceptance") {
      EXPECT_EQ(d.subject, "T-001");
      ++flagged;
    }
  EXPECT_EQ(flagged, 1);
}

TEST(AnnualFilings, TheMiningPlanIsDueInDecemberPerHolder) {
  TempDir dir;
  auto st = registry_test::store_with_mines(dir.file("f.gpkg"), 2);
  const auto &lc = registry_test::lifecycle("annual-filings");
  std::map<std::string, reg::Lifecycle> only{{"annual-filings", lc}};
  reg::DueQuery q;
  q.jurisdiction = "150621";
  q.holder = "甲公司"; // T-001
  auto items = [&](const std::string &as_of) {
    q.as_of = as_of;
    std::vector<std::string> out;
    for (const auto &d : reg::compute_due(*st, only, q))
      if (d.rule == "mining-plan" && d.subject.starts_with("T-"))
        out.push_back(d.subject + " " + d.status + "@" + d.due);
    return out;
  };
  EXPECT_EQ(items("2026-12-31"),
            std::vector<std::string>({"T-001 overdue@2025-12-31", "T-001 due@2026-12-31"}));
  apply_step(*st, lc,
             Step{"T-001", "file_mining_plan", "2026-12-15", "t", "holder", {{"year", 2027}}});
  apply_step(*st, lc,
             Step{"T-001", "file_mining_plan", "2026-12-16", "t", "holder", {{"year", 2026}}});
  EXPECT_TRUE(items("2026-12-31").empty());
  EXPECT_EQ(items("2027-01-01"), std::vector<std::string>{}); // 2027's December is far ahead
  q.within_days = 365;
  EXPECT_EQ(items("2027-01-01"), std::vector<std::string>{"T-001 due@2027-12-31"});
}

TEST(ConsolidationProgram, Seed003LoadsWithItsZonesPhasesAndFigures) {
  TempDir dir;
  auto st = review_test::fresh_store(dir.file("p.gpkg"));
  const auto &lc = registry_test::lifecycle("consolidation");
  // Phases and their edges (seed 003 三、方法步骤).
  EXPECT_EQ(reg::phase_on(lc, "2025-12-31"), "mobilise");
  EXPECT_EQ(reg::phase_on(lc, "2026-01-01"), "implement");
  EXPECT_EQ(reg::phase_on(lc, "2028-12-31"), "implement");
  EXPECT_EQ(reg::phase_on(lc, "2029-01-01"), "consolidate");
  EXPECT_EQ(reg::phase_on(lc, "2030-12-31"), "consolidate");
  EXPECT_EQ(reg::phase_on(lc, "2031-01-01"), "");
  // A right of the register, planned into zone 7 for consolidation.
  mineplan::Right r;
  r.uid = "C1500002026000001";
  r.licence_no = r.uid;
  r.kind = "mining";
  r.name = "张佳花岗岩矿";
  r.holder = "丙公司";
  r.status = "producing";
  r.jurisdiction = "150824";
  st->import_rights({r}, "2026-01-01", "test");
  apply_step(*st, lc,
             Step{r.uid,
                  "assign",
                  "2026-02-05",
                  "t",
                  "county_staff",
                  {{"action", "consolidate"}, {"zone", "cz-07"}}});
  apply_step(*st, lc, Step{r.uid, "start", "2026-03-01", "t", "county_staff", Json::object()});
  EXPECT_THROW(apply_step(*st, lc,
                          Step{"NO-RIGHT",
                               "assign",
                               "2026-02-05",
                               "t",
                               "county_staff",
                               {{"action", "close"}, {"zone", "outside"}}}),
               InputError);
  Json f = reg::program_figures(*st, lc, "2026-06-30");
  EXPECT_EQ(f.at("phase"), "implement");
  EXPECT_EQ(f.at("zone_count").get<int>(), 19);
  ASSERT_EQ(f.at("categories").size(), 6u);
  std::set<std::string> labels;
  for (const auto &c : f.at("categories"))
    labels.insert(c.at("label").get<std::string>());
  EXPECT_EQ(labels, (std::set<std::string>{"整合重组", "淘汰关闭", "升级改造", "优选出让",
                                           "推进转采", "复工达产"}));
  EXPECT_EQ(f.at("categories")[0].at("rights_by_state").at("in_progress").get<int>(), 1);
  int mining = 0, exploration = 0;
  for (const auto &z : f.at("zones")) {
    mining += std::stoi(z.at("mining_rights_planned").get<std::string>());
    exploration += std::stoi(z.at("exploration_rights_planned").get<std::string>());
    if (z.at("id") == "cz-07") {
      EXPECT_EQ(z.at("rights").size(), 1u);
    }
  }
  EXPECT_EQ(mining, 27); // 三、方法步骤（二）: 采矿权27宗
  // The figures come from monitoring: the zone count is computed, the targets are the seed's.
  bool zones_seen = false;
  for (const auto &t : f.at("figures"))
    if (t.at("id") == "t-consolidation-zones") {
      zones_seen = true;
      EXPECT_EQ(t.at("value").get<double>(), 19);
    }
  EXPECT_TRUE(zones_seen);
  EXPECT_EQ(f.at("figures").size(), 15u);
}

TEST(ProgramRectification, HalfYearlyFollowUpAndExtension) {
  TempDir dir;
  auto st = review_test::fresh_store(dir.file("l.gpkg"));
  const auto &lc = registry_test::lifecycle("program-rectification");
  std::map<std::string, reg::Lifecycle> only{{"program-rectification", lc}};
  apply_step(*st, lc,
             Step{"WX-2026-01",
                  "open",
                  "2026-02-28",
                  "t",
                  "county_staff",
                  {{"issue", "包联责任虚化"},
                   {"responsible", "张三"},
                   {"standard", "按期调度"},
                   {"deadline", "2026-12-31"}}});
  EXPECT_THROW(apply_step(*st, lc,
                          Step{"WX-2026-02",
                               "open",
                               "2026-03-01",
                               "t",
                               "county_staff",
                               {{"issue", "x"},
                                {"responsible", "y"},
                                {"standard", "z"},
                                {"deadline", "2026-01-01"}}}),
               InputError); // a deadline before the step
  reg::DueQuery q;
  q.jurisdiction = "150824";
  auto rules = [&](const std::string &as_of) {
    q.as_of = as_of;
    std::vector<std::string> out;
    for (const auto &d : reg::compute_due(*st, only, q))
      out.push_back(d.rule + " " + d.status + "@" + d.due);
    std::sort(out.begin(), out.end());
    return out;
  };
  // Six months from 28 February is 28 August.
  EXPECT_EQ(rules("2026-08-28"),
            std::vector<std::string>({"follow-up due@2026-08-28", "rectify_by due@2026-12-31"}));
  EXPECT_EQ(rules("2026-08-29"), std::vector<std::string>({"follow-up overdue@2026-08-28",
                                                           "rectify_by due@2026-12-31"}));
  apply_step(
      *st, lc,
      Step{"WX-2026-01", "follow_up", "2026-08-30", "t", "county_staff", {{"note", "已调度"}}});
  apply_step(*st, lc,
             Step{"WX-2026-01", "complete", "2026-11-30", "t", "county_staff", {{"note", "完成"}}});
  apply_step(*st, lc,
             Step{"WX-2026-01",
                  "recheck_fail",
                  "2026-12-15",
                  "t",
                  "county_staff",
                  {{"note", "不到位"}, {"deadline", "2027-06-30"}}});
  // Re-opened on 2026-12-15: the next follow-up half a year later (within 200 days' view).
  q.within_days = 200;
  EXPECT_EQ(rules("2027-01-05"),
            std::vector<std::string>({"follow-up due@2027-06-15", "rectify_by due@2027-06-30"}));
}

TEST(LifecycleFiles, ErrorsNameTheFileAndJsonPath) {
  Json j = Json::parse(
      review_test::read_text(fs::path(MINEPLAN_SOURCE_DIR) / "data/lifecycles/green-mine.json"));
  auto error_of = [](const Json &bad) {
    try {
      reg::parse_lifecycle(bad, "bad.json");
    } catch (const InputError &e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  Json a = j;
  a["transitions"][2]["from"][0] = "limbo";
  EXPECT_EQ(error_of(a).rfind("bad.json: $.transitions[2].from[0]: unknown state 'limbo'", 0), 0u)
      << error_of(a);
  Json b = j;
  b["transitions"][0]["roles"] = Json::array({"mayor"});
  EXPECT_NE(error_of(b).find("$.transitions[0].roles: unknown role 'mayor'"), std::string::npos);
  Json c = j;
  c["transitions"][0].erase("cite");
  EXPECT_NE(error_of(c).find("$.transitions[0].cite"), std::string::npos);
  Json d = j;
  d["annual"][0]["month"] = 13;
  EXPECT_NE(error_of(d).find("$.annual[0].month"), std::string::npos);
  Json e = j;
  e["transitions"][0]["requires"] = Json::array({"colour"});
  EXPECT_NE(error_of(e).find("$.transitions[0].requires[0]: unknown parameter 'colour'"),
            std::string::npos);
  Json f = j;
  f["states"].push_back(Json{{"id", "orphan"}, {"label", "孤立"}});
  EXPECT_NE(error_of(f).find("state 'orphan' is never entered"), std::string::npos);
  EXPECT_EQ(error_of(j), "accepted");
  EXPECT_EQ(registry_test::lifecycles().size(), 6u);
}

} // namespace

// Register changes answered by the registries: a new version of a mine (or of its right) whose
// area, method, scale or mineral changed moves a listed green mine to re-assessment and a
// planned restoration to re-planning, recorded as the system with the grounds; other changes,
// other states and other mines are left alone; a step that would predate the subject's last
// one is reported, not recorded. Also: what the lifecycle files must say for it (enum labels,
// triggers) and `next` filtered by role.
#include "core/error.hpp"
#include "registry/reassess.hpp"
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

class Reassess : public ::testing::Test {
protected:
  void SetUp() override {
    st = registry_test::store_with_mines(dir.file("r.gpkg"), 4);
    st->set_actor({"importer", "county_staff"});
    // T-000 and T-001 are on the green list (by the register); T-002 is not.
    auto mines = st->mines(mineplan::store::AsOf{});
    for (auto &m : mines)
      if (m.uid == "T-000" || m.uid == "T-001") {
        m.green_level = "league";
        m.green_year = 2021;
        m.method = "open-pit";
        listed.push_back(m);
      } else if (m.uid == "T-002") {
        m.method = "open-pit";
        listed.push_back(m); // imported with the others, not listed
      }
    st->import_mines(listed, "2021-01-01", "registry test");
  }

  mineplan::Mine mine(const std::string &uid) { return *reg::current_mine(*st, uid); }

  std::vector<reg::TriggeredStep> import(const std::vector<mineplan::Mine> &ms,
                                         const std::string &date) {
    auto before = reg::register_view(*st);
    st->import_mines(ms, date, "ledger.xlsx");
    return reg::answer_register_changes(*st, registry_test::lifecycles(), before, date, "importer",
                                        "import ledger.xlsx");
  }

  TempDir dir;
  std::unique_ptr<mineplan::store::Store> st;
  std::vector<mineplan::Mine> listed;
};

} // namespace

TEST_F(Reassess, AScaleChangeByImportMovesAListedMineToReassessment) {
  auto m = mine("T-000");
  m.scale_class = "large";
  auto done = import({m}, "2025-03-01");
  ASSERT_EQ(done.size(), 1u);
  EXPECT_TRUE(done[0].recorded) << done[0].reason;
  EXPECT_EQ(done[0].registry, "green-mine");
  auto evs = st->registry_events("green-mine", "T-000");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].event, "change");
  EXPECT_EQ(evs[0].from_state, "listed");
  EXPECT_EQ(evs[0].to_state, "reassessment");
  EXPECT_EQ(evs[0].who, "system");
  EXPECT_EQ(evs[0].role, "system");
  EXPECT_EQ(evs[0].date, "2025-03-01");
  EXPECT_EQ(evs[0].data["change"], "scale");
  EXPECT_EQ(evs[0].data["trigger"]["by"], "importer");
  EXPECT_EQ(evs[0].data["trigger"]["source"], "import ledger.xlsx");
  EXPECT_EQ(evs[0].data["trigger"]["changes"][0]["before"]["scale"]["scale_class"], "medium");
  EXPECT_EQ(evs[0].data["trigger"]["changes"][0]["after"]["scale"]["scale_class"], "large");
  // The grounds are not a parameter value of the subject.
  auto s = reg::replay(registry_test::lifecycle("green-mine"), "T-000", evs, &m);
  EXPECT_FALSE(s.values.contains("trigger"));
  // The other listed mine and the unlisted one were not touched.
  EXPECT_TRUE(st->registry_events("green-mine", "T-001").empty());
  EXPECT_TRUE(st->registry_events("green-mine", "T-002").empty());
}

TEST_F(Reassess, OnlyWatchedFieldsOfListedMinesAndPlannedRestorationsAnswer) {
  // A status or name change is not a change of area, method or scale.
  auto a = mine("T-001");
  a.status = "stopped";
  a.name = "改名矿山";
  EXPECT_TRUE(import({a}, "2025-03-01").empty());
  // A method change of a mine not on the list and without restoration: nothing to revisit.
  auto b = mine("T-002");
  b.method = "underground";
  EXPECT_TRUE(import({b}, "2025-03-01").empty());
  EXPECT_TRUE(st->registry_events("green-mine", "T-002").empty());

  // T-002 files a restoration plan; a mineral change (not watched by the green list) sends
  // the plan back to re-planning only.
  const auto &restoration = registry_test::lifecycle("restoration");
  apply_step(*st, restoration,
             Step{"T-002", "file_plan", "2025-04-01", "甲公司", "holder",
                  Json{{"plan_doc", "方案"}, {"area_ha", 10}}});
  auto c = mine("T-002");
  c.minerals = {"煤炭", "高岭土"};
  auto done = import({c}, "2025-05-01");
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].registry, "restoration");
  EXPECT_TRUE(done[0].recorded) << done[0].reason;
  auto evs = st->registry_events("restoration", "T-002");
  ASSERT_EQ(evs.size(), 2u);
  EXPECT_EQ(evs[1].to_state, "replanning");
  EXPECT_EQ(evs[1].data["change"], "mineral");
  // Already re-planning: a further change records nothing more.
  auto d = mine("T-002");
  d.method = "open-pit";
  EXPECT_TRUE(import({d}, "2025-06-01").empty());
  EXPECT_EQ(st->registry_events("restoration", "T-002").size(), 2u);
}

TEST_F(Reassess, AStepThatWouldPredateTheLastIsReportedNotRecorded) {
  // T-001 was inspected on 2025-06-01; a ledger dated earlier changes its method.
  apply_step(*st, registry_test::lifecycle("green-mine"),
             Step{"T-001", "inspect_pass", "2025-06-01", "王", "county_staff",
                  Json{{"draw", "150621/2025-Q2"}}});
  auto m = mine("T-001");
  m.method = "underground";
  auto done = import({m}, "2025-01-01");
  ASSERT_EQ(done.size(), 1u);
  EXPECT_FALSE(done[0].recorded);
  EXPECT_NE(done[0].reason.find("早于上一环节"), std::string::npos) << done[0].reason;
  EXPECT_EQ(st->registry_events("green-mine", "T-001").size(), 1u);
}

TEST_F(Reassess, AChangedRightReachesTheMinesUnderItsLicence) {
  auto m = mine("T-000");
  m.licence_no = "C1500002021000001";
  st->import_mines({m}, "2021-06-01", "registry test");
  mineplan::Right r;
  r.uid = "R-1";
  r.licence_no = m.licence_no;
  r.kind = "mining";
  r.name = "测试采矿权";
  r.holder = m.holder;
  r.status = "producing";
  r.jurisdiction = "150621";
  r.area = mineplan::Quantity::make(1.5, "km2");
  st->import_rights({r}, "2021-06-01", "registry test");
  auto before = reg::register_view(*st);
  r.area = mineplan::Quantity::make(2.5, "km2");
  st->import_rights({r}, "2025-07-01", "ledger.xlsx");
  auto done = reg::answer_register_changes(*st, registry_test::lifecycles(), before, "2025-07-01",
                                           "importer", "import ledger.xlsx");
  ASSERT_EQ(done.size(), 1u);
  ASSERT_TRUE(done[0].recorded) << done[0].reason;
  EXPECT_EQ(done[0].subject, "T-000");
  EXPECT_EQ(done[0].step.data["change"], "area");
  EXPECT_EQ(done[0].step.data["trigger"]["changes"][0]["via"], "R-1");
}

TEST_F(Reassess, OnlyTheSystemTakesATriggeredStepAsSystem) {
  // The system role is the lifecycle's answer to a register change, not a role one may claim:
  // a step without a trigger in the file is refused to it.
  Step s{"T-000", "remove", "2025-03-01", "system", reg::kSystemRole, Json{{"grounds", "fraud"}}};
  try {
    apply_step(*st, registry_test::lifecycle("green-mine"), s);
    ADD_FAILURE() << "the system removed a mine";
  } catch (const InputError &e) {
    EXPECT_EQ(e.field(), "role");
    EXPECT_EQ(e.detail().rfind("角色不允许：系统不能办理“移出名录”", 0), 0u) << e.detail();
  }
}

TEST(LifecycleNext, StepsFilteredByRoleCarryTheirFields) {
  const auto &lc = registry_test::lifecycle("green-mine");
  auto events = [&](const std::string &state, const std::string &role, const Json &values) {
    std::set<std::string> out;
    for (const auto &n : reg::next_steps(lc, state, values, role))
      out.insert(n["event"].get<std::string>());
    return out;
  };
  EXPECT_EQ(events("applied", "county_staff", Json::object()),
            (std::set<std::string>{"county_pass", "county_fail"}));
  EXPECT_TRUE(events("applied", "holder", Json::object()).empty());
  // Listing is by the level applied for: league staff list a league-level mine, not a
  // region-level one.
  EXPECT_TRUE(events("publicity", "league_staff", Json{{"level", "league"}}).count("list"));
  EXPECT_FALSE(events("publicity", "league_staff", Json{{"level", "region"}}).count("list"));
  EXPECT_TRUE(events("publicity", "region_staff", Json{{"level", "region"}}).count("list"));
  // Every role's list is a subset of the unfiltered one.
  auto all = events("listed", "", Json::object());
  for (const char *role : {"region_staff", "league_staff", "county_staff", "reviewer", "holder"})
    for (const auto &e : events("listed", role, Json::object()))
      EXPECT_TRUE(all.count(e)) << role << " " << e;
  Json remove;
  for (const auto &n : reg::next_steps(lc, "listed", Json::object(), "region_staff"))
    if (n["event"] == "remove") remove = n;
  ASSERT_FALSE(remove.is_null());
  EXPECT_EQ(remove["fields"][0]["name"], "grounds");
  EXPECT_EQ(remove["fields"][0]["label"], "移出理由");
  EXPECT_EQ(remove["fields"][0]["values"].size(), 7u);
  EXPECT_FALSE(remove["fields"][1]["required"].get<bool>());
}

TEST(LifecycleFiles, EnumLabelsAndTriggersAreCheckedAtLoad) {
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
  a["params"]["change"]["value_labels"].erase("scale");
  EXPECT_NE(error_of(a).find("bad.json: $.params.change.value_labels.scale: is required"),
            std::string::npos)
      << error_of(a);
  Json b = j;
  b["params"]["change"]["value_labels"]["colour"] = "颜色";
  EXPECT_NE(error_of(b).find("$.params.change.value_labels.colour: not a value"), std::string::npos)
      << error_of(b);
  Json c = j;
  c["register_triggers"][0]["fields"].push_back("owner");
  EXPECT_NE(error_of(c).find("$.register_triggers[0].fields[3]: expected one of"),
            std::string::npos)
      << error_of(c);
  Json d = j;
  d["register_triggers"][0]["event"] = "remove"; // needs grounds the system cannot give
  EXPECT_NE(error_of(d).find("$.register_triggers[0]"), std::string::npos) << error_of(d);
  Json e = j;
  e["register_triggers"][0].erase("cite");
  EXPECT_NE(error_of(e).find("$.register_triggers[0].cite"), std::string::npos) << error_of(e);
  Json f = j;
  f["register_triggers"][0]["fields"].push_back("mineral"); // not a value of `change` here
  EXPECT_NE(error_of(f).find("'mineral' is not a value of parameter 'change'"), std::string::npos)
      << error_of(f);
  EXPECT_EQ(error_of(j), "accepted");
}

// The green-mine list as a lifecycle: every legal transition walked, every illegal one tried,
// the refusals the seeds set, register effects and the audit of every step.
#include "core/error.hpp"
#include "registry/dates.hpp"
#include "registry/due.hpp"
#include "registry_support.hpp"

#include <gtest/gtest.h>

using mineplan::InputError;
using mineplan::Json;
using mineplan::registry::apply_step;
using mineplan::registry::Step;
using review_test::TempDir;

namespace {

// Written from seeds 001/002/004, independently of data/lifecycles/green-mine.json: the path
// of steps that brings a fresh mine into each state, and a role and parameters that make each
// step legal.
const std::map<std::string, std::vector<std::string>> kPathTo{
    {"none", {}},
    {"applied", {"apply"}},
    {"rejected", {"apply", "county_fail"}},
    {"county_reviewed", {"apply", "county_pass"}},
    {"city_reviewed", {"apply", "county_pass", "city_pass"}},
    {"assessed", {"apply", "county_pass", "city_pass", "assess_pass"}},
    {"publicity", {"apply", "county_pass", "city_pass", "assess_pass", "publicize"}},
    {"objection", {"apply", "county_pass", "city_pass", "assess_pass", "publicize", "object"}},
    {"listed", {"apply", "county_pass", "city_pass", "assess_pass", "publicize", "list"}},
    {"rectifying",
     {"apply", "county_pass", "city_pass", "assess_pass", "publicize", "list", "inspect_fail"}},
    {"reassessment",
     {"apply", "county_pass", "city_pass", "assess_pass", "publicize", "list", "change"}},
    {"rereview",
     {"apply", "county_pass", "city_pass", "assess_pass", "publicize", "list", "rereview_apply"}},
    {"removed",
     {"apply", "county_pass", "city_pass", "assess_pass", "publicize", "list", "remove"}},
};

// event -> (a role allowed, the state it leads to ("" = stays), parameters)
struct Legal {
  std::string role;
  std::string to;
  Json params;
};
const std::map<std::string, Legal> kLegal{
    {"apply", {"holder", "applied", {{"level", "region"}, {"self_assessment", "自评估报告"}}}},
    {"county_pass", {"county_staff", "county_reviewed", Json::object()}},
    {"county_fail", {"county_staff", "rejected", {{"opinion", "不符合"}}}},
    {"city_pass", {"league_staff", "city_reviewed", Json::object()}},
    {"city_fail", {"league_staff", "rejected", {{"opinion", "不符合"}}}},
    {"assess_pass", {"reviewer", "assessed", {{"assessor", "某评估机构"}}}},
    {"assess_fail", {"reviewer", "rejected", {{"assessor", "某评估机构"}, {"opinion", "不符合"}}}},
    {"publicize", {"league_staff", "publicity", Json::object()}}, // window_end set by the walk
    {"object", {"holder", "objection", {{"objection", "异议"}}}},
    {"dismiss_objection", {"league_staff", "publicity", {{"opinion", "异议不成立"}}}},
    {"uphold_objection", {"league_staff", "rejected", {{"opinion", "异议成立"}}}},
    {"list", {"region_staff", "listed", Json::object()}},
    {"disclose", {"holder", "", {{"year", 2025}}}},
    {"inspect_pass", {"county_staff", "", {{"draw", "150621/2026-Q1"}}}},
    {"inspect_fail",
     {"county_staff", "rectifying", {{"draw", "150621/2026-Q1"}, {"findings", "问题"}}}},
    {"rectify_pass", {"county_staff", "listed", Json::object()}},
    {"change", {"holder", "reassessment", {{"change", "scale"}}}},
    {"reassess_pass", {"reviewer", "listed", {{"assessor", "某评估机构"}}}},
    {"reassess_fail",
     {"reviewer", "rectifying", {{"assessor", "某评估机构"}, {"findings", "问题"}}}},
    {"rereview_apply", {"holder", "rereview", Json::object()}},
    {"rereview_pass", {"county_staff", "listed", Json::object()}},
    {"rereview_fail", {"county_staff", "rectifying", {{"findings", "问题"}}}},
    {"remove", {"region_staff", "removed", {{"grounds", "fraud"}}}},
};

class GreenWalk : public ::testing::Test {
protected:
  void SetUp() override {
    st = registry_test::store_with_mines(dir.file("g.gpkg"), 60);
    st->set_actor({"tester", "county_staff"}); // the connection's actor names the audit rows
  }

  // Applies `event` legally to `mine`, keeping a per-mine calendar that respects the windows.
  mineplan::store::RegistryEvent legal(const std::string &mine, const std::string &event) {
    std::string &d = day[mine];
    if (d.empty()) d = "2026-01-05";
    const Legal &l = kLegal.at(event);
    Step s{mine, event, d, "tester", l.role, l.params};
    if (event == "publicize") {
      s.params["window_end"] = mineplan::registry::add_days(d, 10);
      window[mine] = s.params["window_end"];
    }
    if (event == "list" || event == "dismiss_objection")
      s.date = mineplan::registry::add_days(window[mine], 1);
    auto e = apply_step(*st, lc, s);
    d = mineplan::registry::add_days(s.date, 1);
    return e;
  }
  std::string mine_in(const std::string &state) {
    char uid[16];
    std::snprintf(uid, sizeof uid, "T-%03d", next++);
    for (const auto &ev : kPathTo.at(state))
      legal(uid, ev);
    return uid;
  }

  TempDir dir;
  std::unique_ptr<mineplan::store::Store> st;
  const mineplan::registry::Lifecycle &lc = registry_test::lifecycle("green-mine");
  std::map<std::string, std::string> day, window;
  int next = 0;
};

TEST_F(GreenWalk, TheTestTablesCoverTheLifecycle) {
  // A transition or state added to the data without a test path here fails this test.
  for (const auto &s : lc.states)
    EXPECT_TRUE(kPathTo.count(s)) << s;
  for (const auto &t : lc.transitions)
    EXPECT_TRUE(kLegal.count(t.event)) << t.event;
  EXPECT_EQ(lc.transitions.size(), kLegal.size());
}

TEST_F(GreenWalk, EveryLegalTransitionLeadsWhereTheSeedsSay) {
  int walked = 0;
  for (const auto &t : lc.transitions)
    for (const auto &from : t.from) {
      std::string mine = mine_in(from);
      // The objection window must still be open for an objection.
      if (t.event == "object") day[mine] = window[mine];
      auto e = legal(mine, t.event);
      std::string expected = kLegal.at(t.event).to.empty() ? from : kLegal.at(t.event).to;
      EXPECT_EQ(e.from_state, from) << t.event;
      EXPECT_EQ(e.to_state, expected) << t.event << " from " << from;
      auto s =
          mineplan::registry::replay(lc, mine, st->registry_events("green-mine", mine), nullptr);
      EXPECT_EQ(s.state, expected);
      ++walked;
    }
  EXPECT_GE(walked, 30);
  EXPECT_TRUE(st->verify_audit().ok);
}

TEST_F(GreenWalk, EveryIllegalTransitionIsRefusedWithTheExpectedStates) {
  std::map<std::string, std::string> mine_of;
  for (const auto &[state, path] : kPathTo)
    mine_of[state] = mine_in(state);
  int refused = 0;
  for (const auto &[state, mine] : mine_of)
    for (const auto &t : lc.transitions) {
      if (std::find(t.from.begin(), t.from.end(), state) != t.from.end()) continue;
      const Legal &l = kLegal.at(t.event);
      Step s{mine, t.event, "2027-06-01", "tester", l.role, l.params};
      if (t.event == "publicize") s.params["window_end"] = "2027-06-30";
      try {
        apply_step(*st, lc, s);
        ADD_FAILURE() << t.event << " was accepted in state " << state;
      } catch (const InputError &e) {
        EXPECT_NE(e.detail().find("state '" + state + "' does not allow step"), std::string::npos)
            << e.what();
        EXPECT_NE(e.detail().find("expected state"), std::string::npos);
        ++refused;
      }
      // Nothing was recorded.
      auto s2 =
          mineplan::registry::replay(lc, mine, st->registry_events("green-mine", mine), nullptr);
      EXPECT_EQ(s2.state, state);
    }
  EXPECT_GT(refused, 200);
}

TEST_F(GreenWalk, AMineRemovedTwiceIsRefusedANewApplication) {
  std::string mine = mine_in("removed");
  for (const auto &ev : kPathTo.at("removed"))
    legal(mine, ev);
  try {
    legal(mine, "apply");
    FAIL() << "a third application was accepted";
  } catch (const InputError &e) {
    EXPECT_NE(e.detail().find("removed from the list twice"), std::string::npos) << e.what();
    EXPECT_NE(e.detail().find("001_2b4936a4e1a37cf6.txt"), std::string::npos);
  }
  // A withdrawal at the mine's own request is not a removal by the authority.
  std::string other = mine_in("listed");
  apply_step(
      *st, lc,
      Step{other, "remove", "2026-06-01", "t", "region_staff", {{"grounds", "own_request"}}});
  day[other] = "2026-06-02";
  for (const auto &ev : kPathTo.at("removed"))
    if (ev != "remove") legal(other, ev);
  day[other] = "2026-12-01";
  apply_step(*st, lc,
             Step{other, "remove", "2026-12-01", "t", "region_staff", {{"grounds", "closure"}}});
  day[other] = "2026-12-02";
  EXPECT_NO_THROW(legal(other, "apply"));
}

TEST_F(GreenWalk, WhoParametersAndDatesAreChecked) {
  std::string mine = mine_in("none");
  auto refused_with = [&](Step s, const std::string &text) {
    try {
      apply_step(*st, lc, s);
      ADD_FAILURE() << s.event << " accepted";
    } catch (const InputError &e) {
      EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
    }
  };
  refused_with({mine, "apply", "2026-01-05", "x", "county_staff", kLegal.at("apply").params},
               "expected one of: holder");
  refused_with({mine, "apply", "2026-01-05", "x", "holder", {{"level", "region"}}},
               "apply.self_assessment: 缺少必填项“自评估报告” (is required)");
  refused_with(
      {mine, "apply", "2026-01-05", "x", "holder", {{"level", "county"}, {"self_assessment", "x"}}},
      "expected one of: national, region, league");
  refused_with({mine, "apply", "2026-02-30", "x", "holder", kLegal.at("apply").params},
               "expected a date");
  refused_with({mine, "levitate", "2026-01-05", "x", "holder", Json::object()}, "unknown step");
  refused_with({"NO-SUCH-MINE", "apply", "2026-01-05", "x", "holder", kLegal.at("apply").params},
               "no mine");
  // Publicity: listing before the window closes, an objection after it, a back-dated step.
  std::string pub = mine_in("publicity");
  std::string end = window[pub];
  refused_with({pub, "list", end, "x", "region_staff", Json::object()}, "may only be taken after");
  refused_with(
      {pub, "object", mineplan::registry::add_days(end, 1), "x", "holder", {{"objection", "异议"}}},
      "may only be taken until");
  refused_with({pub, "object", "2025-01-01", "x", "holder", {{"objection", "异议"}}},
               "before the last recorded step");
  // A league-level listing is the league's; a region-level one the region's.
  refused_with(
      {pub, "list", mineplan::registry::add_days(end, 1), "x", "league_staff", Json::object()},
      "expected one of: region_staff");
}

TEST_F(GreenWalk, ListingAndRemovalChangeTheRegisterAndAreAudited) {
  auto before = st->audit_entries(0, 100000).size();
  std::string mine = mine_in("listed");
  auto m = mineplan::registry::current_mine(*st, mine);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->green_level, "region");
  ASSERT_TRUE(m->green_year);
  EXPECT_EQ(*m->green_year, 2026);
  legal(mine, "remove");
  m = mineplan::registry::current_mine(*st, mine);
  EXPECT_EQ(m->green_level, "");
  EXPECT_FALSE(m->green_year);
  auto entries = st->audit_entries(0, 100000);
  // 7 steps, each with its row; listing and removal also each write a mine version row.
  ASSERT_EQ(entries.size() - before, 7u + 2u);
  int steps = 0, mine_rows = 0;
  for (std::size_t i = before; i < entries.size(); ++i) {
    if (entries[i].action.starts_with("registry.green-mine.")) {
      ++steps;
      EXPECT_EQ(entries[i].target, "green-mine/" + mine);
      EXPECT_TRUE(entries[i].before.contains("state"));
      EXPECT_TRUE(entries[i].after.contains("state"));
      EXPECT_EQ(entries[i].who, "tester");
    }
    if (entries[i].action == "mine.update") ++mine_rows;
  }
  EXPECT_EQ(steps, 7);
  EXPECT_EQ(mine_rows, 2);
  EXPECT_EQ(entries.back().action, "mine.update");
  EXPECT_EQ(entries.back().before.at("green").at("level"), "region");
  EXPECT_TRUE(entries.back().after.at("green").is_null());
  EXPECT_TRUE(st->verify_audit().ok);
}

TEST_F(GreenWalk, ATamperedRegistryAuditRowIsDetected) {
  std::string mine = mine_in("applied");
  std::int64_t id = 0;
  for (const auto &e : st->audit_entries(0, 100000))
    if (e.action == "registry.green-mine.apply") id = e.id;
  ASSERT_GT(id, 0);
  st.reset();
  {
    using mineplan::testing::raw_sql;
    const std::string loc = mineplan::testing::store_location(dir.file("g.gpkg"));
    EXPECT_THROW(raw_sql(loc, "UPDATE registry_events SET to_state = 'listed'"), std::exception);
    mineplan::testing::lift_append_only(loc, "audit_log");
    raw_sql(loc, "UPDATE audit_log SET after = replace(after, 'applied', 'listed') WHERE fid = " +
                     std::to_string(id));
  }
  st = mineplan::store::Store::open(mineplan::testing::store_location(dir.file("g.gpkg")));
  auto check = st->verify_audit();
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.first_bad, id);
}

TEST_F(GreenWalk, RectificationDeadlinesAndTheDueList) {
  // Inspection failure: one year (004).
  std::string mine = mine_in("listed");
  apply_step(*st, lc,
             Step{mine,
                  "inspect_fail",
                  "2026-03-01",
                  "t",
                  "county_staff",
                  {{"draw", "d"}, {"findings", "f"}}});
  auto s = mineplan::registry::replay(lc, mine, st->registry_events("green-mine", mine), nullptr);
  EXPECT_EQ(s.deadline, "2027-03-01");
  EXPECT_EQ(s.deadline_name, "rectify_by");
  // Re-review failure: half a year (002).
  std::string other = mine_in("rereview");
  apply_step(*st, lc,
             Step{other, "rereview_fail", "2026-08-31", "t", "county_staff", {{"findings", "f"}}});
  s = mineplan::registry::replay(lc, other, st->registry_events("green-mine", other), nullptr);
  EXPECT_EQ(s.deadline, "2027-02-28");

  auto due_of = [&](const std::string &as_of, const std::string &subject, const std::string &rule) {
    mineplan::registry::DueQuery q;
    q.as_of = as_of;
    q.jurisdiction = "150621";
    std::map<std::string, mineplan::registry::Lifecycle> only{{"green-mine", lc}};
    for (const auto &d : mineplan::registry::compute_due(*st, only, q))
      if (d.subject == subject && d.rule == rule) return d.status + "@" + d.due;
    return std::string("none");
  };
  EXPECT_EQ(due_of("2027-02-28", other, "rectify_by"), "due@2027-02-28");
  EXPECT_EQ(due_of("2027-03-01", other, "rectify_by"), "overdue@2027-02-28");
  apply_step(*st, lc,
             Step{other, "rectify_pass", "2027-03-02", "t", "county_staff", Json::object()});
  EXPECT_EQ(due_of("2027-03-03", other, "rectify_by"), "none");
}

TEST_F(GreenWalk, DisclosureIsDueOn31MarchAndReReviewSixMonthsAheadOfThreeYears) {
  std::string mine = mine_in("listed"); // listed on 2026-01-17 (see the walk's calendar)
  auto events = st->registry_events("green-mine", mine);
  std::string listed_on = events.back().date;
  ASSERT_EQ(events.back().event, "list");
  mineplan::registry::DueQuery q;
  q.jurisdiction = "150621";
  q.within_days = 400;
  std::map<std::string, mineplan::registry::Lifecycle> only{{"green-mine", lc}};
  auto find = [&](const std::string &as_of, const std::string &rule) {
    q.as_of = as_of;
    std::vector<std::string> out;
    for (const auto &d : mineplan::registry::compute_due(*st, only, q))
      if (d.subject == mine && d.rule == rule) out.push_back(d.status + "@" + d.due);
    return out;
  };
  // Listed in 2026: the first disclosure covers 2026 and falls due on 2027-03-31.
  EXPECT_EQ(find("2027-03-31", "disclosure"), std::vector<std::string>{"due@2027-03-31"});
  EXPECT_EQ(find("2027-04-01", "disclosure"), std::vector<std::string>{"overdue@2027-03-31"});
  apply_step(*st, lc, Step{mine, "disclose", "2027-04-02", "t", "holder", {{"year", 2026}}});
  EXPECT_TRUE(find("2027-04-03", "disclosure").empty());
  // Re-review: three years after listing, applied for six months before.
  std::string falls = mineplan::registry::add_months(listed_on, 36);
  std::string apply_by = mineplan::registry::add_months(falls, -6);
  EXPECT_EQ(apply_by.substr(0, 7), "2028-07");
  EXPECT_EQ(find(mineplan::registry::add_days(apply_by, -1), "rereview"),
            std::vector<std::string>{"due@" + apply_by});
  EXPECT_EQ(find(mineplan::registry::add_days(apply_by, 1), "rereview"),
            std::vector<std::string>{"overdue@" + apply_by});
}

TEST(GreenRegister, MinesListedInTheRegisterStartListed) {
  TempDir dir;
  auto st = review_test::fresh_store(dir.file("a.gpkg"));
  const auto &lc = registry_test::lifecycle("green-mine");
  auto states = mineplan::registry::all_states(*st, lc, st->mines(mineplan::store::AsOf{}));
  int ejh = 0;
  for (const auto &[uid, s] : states)
    if (uid.starts_with("ejin-horo-green-2021/")) {
      ++ejh;
      EXPECT_EQ(s.state, "listed");
      EXPECT_TRUE(s.from_register);
    }
  EXPECT_EQ(ejh, 48); // seed 004 附表2
}

} // namespace

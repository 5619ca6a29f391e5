// The review engine (review/engine.hpp): plan chains, stricter wins, verdicts, the opinion's
// features, determinism across threads and plan versions.
#include "review_support.hpp"

#include <thread>

using namespace review_test;
using namespace mineplan;

namespace {

std::vector<std::string> ids(const std::vector<const PlanData *> &chain) {
  std::vector<std::string> out;
  for (const auto *p : chain)
    out.push_back(p->plan.id);
  return out;
}

fs::path case_dir(const std::string &name) {
  return fs::path(MINEPLAN_SOURCE_DIR) / "tests/cases/review" / name;
}

struct Fixture {
  TempDir tmp;
  std::unique_ptr<store::Store> st;
  explicit Fixture(const std::string &setup_case = {}) {
    st = fresh_store(tmp.path() / "db.gpkg");
    if (!setup_case.empty()) apply_setup(*st, case_dir(setup_case));
  }
};

const review::Finding *find(const review::ReviewResult &r, const std::string &rule) {
  for (const auto &f : r.findings)
    if (f.rule == rule) return &f;
  return nullptr;
}

} // namespace

TEST(ReviewEngine, PlanChainNearestFirstAndInForce) {
  Fixture fx;
  review::ReviewEngine e(*fx.st);
  using V = std::vector<std::string>;
  EXPECT_EQ(ids(e.plan_chain("150621", "2023-06-01")), (V{"dalad-2021", "nmg-2016"}));
  EXPECT_EQ(ids(e.plan_chain("150621", "2017-12-01")), (V{"nmg-2016"}));
  EXPECT_EQ(ids(e.plan_chain("150621", "2017-10-31")), V{}); // before the regional plan
  EXPECT_EQ(ids(e.plan_chain("150621", "2026-01-01")), V{});
  // A green-mine plan of the county applies with the regional plan.
  EXPECT_EQ(ids(e.plan_chain("150627", "2024-01-01")), (V{"ejin-horo-green-2021", "nmg-2016"}));
  EXPECT_EQ(ids(e.plan_chain("150627", "2023-06-30")), (V{"nmg-2016"}));
  EXPECT_EQ(ids(e.plan_chain("150824", "2026-03-01")), (V{"urad-middle-2026"}));
  // A league code: its own plans (none here) and the region's.
  EXPECT_EQ(ids(e.plan_chain("150600", "2023-06-01")), (V{"nmg-2016"}));
  EXPECT_EQ(ids(e.plan_chain("150000", "2023-06-01")), (V{"nmg-2016"}));
}

TEST(ReviewEngine, DateOutsideEveryPlanIsAnInputError) {
  Fixture fx;
  review::ReviewEngine e(*fx.st);
  auto app = review::read_application(case_dir("bad-date-outside-plans") / "application.json",
                                      e.minerals(), e.divisions());
  try {
    e.review(app);
    FAIL() << "expected an InputError";
  } catch (const InputError &err) {
    EXPECT_EQ(err.field(), "date");
    // It says which plans exist for the place and when they are in force.
    EXPECT_NE(std::string(err.what()).find("dalad-2021 [2021-01-01 .. 2025-12-31]"),
              std::string::npos)
        << err.what();
  }
}

TEST(ReviewEngine, VerdictIgnoresSupersededFindings) {
  review::Finding pass, fail_superseded;
  pass.outcome = review::Outcome::Pass;
  fail_superseded.outcome = review::Outcome::Fail;
  EXPECT_EQ(review::verdict_of({pass, fail_superseded}), "reject");
  fail_superseded.superseded_by = "nmg-2016/x";
  EXPECT_EQ(review::verdict_of({pass, fail_superseded}), "pass");
}

TEST(ReviewEngine, StricterRegionalMinimumDecides) {
  Fixture fx;
  review::ReviewEngine e(*fx.st);
  auto app = review::read_application(
      case_dir("ejin-horo-coal-stricter-region") / "application.json", e.minerals(), e.divisions());
  auto r = e.review(app);
  const auto *lax = find(r, "ejin-horo-green-2021/coal-min-scale-60");
  const auto *strict = find(r, "nmg-2016/ms-coal-other-underground");
  ASSERT_TRUE(lax && strict);
  EXPECT_EQ(lax->outcome, review::Outcome::Pass);
  EXPECT_EQ(lax->superseded_by, strict->rule);
  EXPECT_EQ(strict->outcome, review::Outcome::Fail);
  EXPECT_TRUE(strict->superseded_by.empty());
  EXPECT_EQ(r.verdict, "reject");
  // Findings follow the chain, then the rule order of each plan; built-in checks last.
  EXPECT_EQ(r.findings.front().plan, "ejin-horo-green-2021");
  EXPECT_EQ(r.findings.back().rule, "boundary");
}

TEST(ReviewEngine, FeaturesOfNameWhatTheFindingsTouch) {
  Fixture fx("dalad-overlap-other-holder");
  review::ReviewEngine e(*fx.st);
  auto app = review::read_application(case_dir("dalad-overlap-other-holder") / "application.json",
                                      e.minerals(), e.divisions());
  auto r = e.review(app);
  auto features = e.features_of(r);
  std::set<std::string> names;
  for (const auto *f : features)
    names.insert(f->id);
  EXPECT_TRUE(names.count("DLT-OTHER-01"));
  EXPECT_TRUE(names.count("DLT-OWN-01"));
}

TEST(ReviewEngine, SameResultFromConcurrentReviews) {
  Fixture fx("dalad-sand-in-ca");
  review::ReviewEngine e(*fx.st);
  auto app = review::read_application(case_dir("dalad-sand-in-ca") / "application.json",
                                      e.minerals(), e.divisions());
  const std::string expected = review::to_json(e.review(app)).dump();
  std::vector<std::string> got(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i)
        got[t] = review::to_json(e.review(app)).dump();
    });
  for (auto &t : threads)
    t.join();
  for (const auto &g : got)
    EXPECT_EQ(g, expected);
}

TEST(ReviewEngine, PlanVersionChangesWhenAZoneIsSurveyed) {
  Fixture fx;
  std::string before, after;
  {
    review::ReviewEngine e(*fx.st);
    auto app = review::read_application(case_dir("dalad-red-line") / "application.json",
                                        e.minerals(), e.divisions());
    auto r = e.review(app);
    before = r.plans.front().version;
    EXPECT_EQ(find(r, "dalad-2021/zc-red-line")->outcome, review::Outcome::Attention);
  }
  apply_setup(*fx.st, case_dir("dalad-red-line"));
  {
    review::ReviewEngine e(*fx.st);
    auto app = review::read_application(case_dir("dalad-red-line") / "application.json",
                                        e.minerals(), e.divisions());
    auto r = e.review(app);
    after = r.plans.front().version;
    EXPECT_EQ(find(r, "dalad-2021/zc-red-line")->outcome, review::Outcome::Fail);
    EXPECT_EQ(r.plans.back().version,
              review::ReviewEngine(*fx.st).review(app).plans.back().version);
  }
  // The red line arriving is a new version of Dalad's plan: an old record's result is tied to
  // the version it was reviewed against.
  EXPECT_NE(before, after);
}

// Monitoring: indicator definitions for every target, the Dalad done-when (专栏2 reproduced
// from a 78-mine ledger, 78 vs ≤68 and the large+medium share off track), dates, reported
// values, status thresholds.
#include "core/error.hpp"
#include "monitor/crosstab.hpp"
#include "monitor/indicators.hpp"
#include "monitor_support.hpp"

#include <cmath>
#include <set>

namespace {

using namespace mineplan;
using monitor_test::indicator;
using monitor_test::seed_cell;
using review_test::TempDir;

TEST(MonitorData, EveryTargetOfTheFiveSeedsHasADefinitionWithACitation) {
  const auto &cat = review_test::seed_catalogue();
  std::set<std::string> seeds;
  std::size_t targets = 0, defined = 0, computed = 0;
  for (const auto &p : cat.plans) {
    seeds.insert(p.plan.seed);
    for (const auto &t : p.targets) {
      ++targets;
      SCOPED_TRACE(p.plan.id + "/" + t.id);
      EXPECT_FALSE(t.cite.seed.empty());
      EXPECT_FALSE(t.cite.section.empty());
      ASSERT_TRUE(t.measure.is_object()) << "no measure";
      const std::string type = t.measure.value("type", std::string());
      EXPECT_TRUE(type == "count" || type == "ratio" || type == "sum" || type == "zones" ||
                  type == "reported")
          << type;
      if (type == "reported")
        EXPECT_FALSE(t.measure.value("basis", std::string()).empty())
            << "a reported indicator says why the register cannot compute it";
      else
        ++computed;
      ++defined;
    }
  }
  EXPECT_EQ(seeds.size(), 5u);
  EXPECT_GT(targets, 0u);
  EXPECT_EQ(defined, targets);
  EXPECT_GT(computed, 0u);
}

TEST(MonitorDalad, LedgerAsOfBaseDateReproducesZl2CellForCell) {
  TempDir dir;
  auto st = monitor_test::dalad_store(dir.path() / "a.gpkg");
  auto pd = st->plan("dalad-2021");
  ASSERT_TRUE(pd);
  monitor::Register reg(*st);
  auto tabs = monitor::plan_crosstabs(reg, *pd, "");
  ASSERT_EQ(tabs.size(), 1u);
  const auto &seed = monitor_test::seed_table("dalad-2021", "专栏2");
  EXPECT_TRUE(tabs[0].compared);
  EXPECT_EQ(tabs[0].as_of, "2020-12-31");
  EXPECT_EQ(tabs[0].columns, seed.columns);
  EXPECT_EQ(tabs[0].rows, seed.rows);
  EXPECT_TRUE(tabs[0].differences.empty());
  EXPECT_TRUE(tabs[0].unclassified.empty());

  // A day earlier the register held none of the ledger: every count cell differs.
  auto before = monitor::plan_crosstabs(reg, *pd, "2020-12-30");
  ASSERT_EQ(before.size(), 1u);
  EXPECT_FALSE(before[0].compared);
  EXPECT_EQ(before[0].rows.back().back(), "0");
}

TEST(MonitorDalad, MineCountAndLargeMediumShareAreOffTrackWithTheYearlyChangeNeeded) {
  TempDir dir;
  auto st = monitor_test::dalad_store(dir.path() / "a.gpkg");
  monitor::Register reg(*st);
  auto p = monitor::compute_indicators(reg, *st->plan("dalad-2021"), "2020-12-31");
  const auto &zl2 = monitor_test::seed_table("dalad-2021", "专栏2");
  const double mines = seed_cell(zl2, "小计", 0, "合计");
  const double large_medium = seed_cell(zl2, "大型", 0, "合计") + seed_cell(zl2, "中型", 0, "合计");
  const double years = monitor::years_between("2020-12-31", "2025-12-31");

  const auto &count = indicator(p, "mine-count");
  EXPECT_EQ(count.source, "register");
  ASSERT_TRUE(count.value);
  EXPECT_DOUBLE_EQ(*count.value, mines);
  EXPECT_DOUBLE_EQ(*count.target.target.value, 68);
  EXPECT_EQ(count.status, "off_track");
  ASSERT_TRUE(count.needed_per_year);
  EXPECT_NEAR(*count.needed_per_year, (68 - mines) / years, 1e-9);
  EXPECT_LT(*count.needed_per_year, 0);
  // The printed base (78) agrees with the register on the base date.
  ASSERT_TRUE(count.base_register);
  EXPECT_DOUBLE_EQ(*count.base_register, *count.base_printed);

  const auto &share = indicator(p, "large-medium-share");
  ASSERT_TRUE(share.value);
  EXPECT_NEAR(*share.value, 100 * large_medium / mines, 1e-9);
  EXPECT_EQ(monitor::format_number(*share.value, 1), "20.5");
  EXPECT_EQ(share.status, "off_track");
  ASSERT_TRUE(share.needed_per_year);
  EXPECT_NEAR(*share.needed_per_year, (60 - *share.value) / years, 1e-9);
  // The seed prints 20.4 % for 16 of 78: the difference is reported, not hidden.
  ASSERT_TRUE(share.base_difference);
  EXPECT_NEAR(*share.base_difference, 100 * large_medium / mines - 20.4, 1e-9);

  auto j = monitor::to_json(p);
  EXPECT_EQ(j["indicators"].size(), p.indicators.size());
  EXPECT_GE(j["summary"]["off_track"].get<int>(), 2);
}

TEST(MonitorDalad, AStatusChangeOnADateChangesIndicatorsFromThatDateOnly) {
  TempDir dir;
  auto st = monitor_test::dalad_store(dir.path() / "a.gpkg");
  // A stopped small sand mine resumes production after upgrading to medium scale.
  Mine changed;
  bool found = false;
  for (const auto &m : st->mines(store::AsOf{"2020-12-31"}))
    if (m.jurisdiction == "150621" && m.status == "stopped" && m.scale_class == "small") {
      changed = m;
      found = true;
      break;
    }
  ASSERT_TRUE(found);
  changed.status = "producing";
  changed.scale_class = "medium";
  changed.version_from.clear();
  changed.version_to.clear();
  st->import_mines({changed}, "2023-07-01", "test");

  const auto &zl2 = monitor_test::seed_table("dalad-2021", "专栏2");
  const double mines = seed_cell(zl2, "小计", 0, "合计");
  const double large_medium = seed_cell(zl2, "大型", 0, "合计") + seed_cell(zl2, "中型", 0, "合计");
  const double producing = seed_cell(zl2, "生产", 0, "合计");
  auto pd = st->plan("dalad-2021");
  monitor::Register reg(*st);
  for (const std::string day : {"2021-06-30", "2023-06-30"}) {
    auto p = monitor::compute_indicators(reg, *pd, day);
    SCOPED_TRACE(day);
    EXPECT_NEAR(*indicator(p, "large-medium-share").value, 100 * large_medium / mines, 1e-9);
    EXPECT_EQ(indicator(p, "green-producing-mines").detail.items, producing);
  }
  for (const std::string day : {"2023-07-01", "2025-12-31"}) {
    auto p = monitor::compute_indicators(reg, *pd, day);
    SCOPED_TRACE(day);
    EXPECT_NEAR(*indicator(p, "large-medium-share").value, 100 * (large_medium + 1) / mines, 1e-9);
    EXPECT_EQ(indicator(p, "green-producing-mines").detail.items, producing + 1);
    EXPECT_DOUBLE_EQ(*indicator(p, "mine-count").value, mines);
  }
  // The statistics table follows the same dates.
  auto before = monitor::plan_crosstabs(reg, *pd, "2023-06-30");
  auto after = monitor::plan_crosstabs(reg, *pd, "2023-07-01");
  EXPECT_EQ(before[0].rows, zl2.rows);
  EXPECT_NE(after[0].rows, zl2.rows);
}

TEST(MonitorReported, ValuesKeepProvenanceAndHistoryAndAreUsedAsOfTheirDate) {
  TempDir dir;
  auto st = review_test::fresh_store(dir.path() / "a.gpkg");
  store::ReportedValue v;
  v.plan_id = "dalad-2021";
  v.target_id = "aero-geophysics-survey";
  v.value = 2000;
  v.as_of = "2022-12-31";
  v.who = "达拉特旗自然资源局 张三";
  v.source = "达自然资发〔2023〕5号";
  auto first = st->add_reported_value(v);
  v.value = 5000;
  v.as_of = "2023-12-31";
  v.source = "达自然资发〔2024〕3号";
  auto second = st->add_reported_value(v);
  EXPECT_GT(second, first);

  auto history = st->reported_values("dalad-2021");
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].who, "达拉特旗自然资源局 张三");
  EXPECT_EQ(history[0].unit, "km2");
  EXPECT_FALSE(history[1].recorded_at.empty());
  // Every write is audited in its own transaction.
  auto audit = st->audit_entries(0, 1000);
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit.back().action, "indicator.report");
  EXPECT_EQ(audit.back().after["source"], "达自然资发〔2024〕3号");

  monitor::Register reg(*st);
  auto pd = st->plan("dalad-2021");
  auto early = monitor::compute_indicators(reg, *pd, "2022-06-30");
  EXPECT_FALSE(indicator(early, "aero-geophysics-survey").value);
  EXPECT_EQ(indicator(early, "aero-geophysics-survey").status, "no_data");
  auto p = monitor::compute_indicators(reg, *pd, "2024-06-30");
  const auto &ind = indicator(p, "aero-geophysics-survey");
  EXPECT_EQ(ind.source, "reported");
  ASSERT_TRUE(ind.value);
  EXPECT_DOUBLE_EQ(*ind.value, 5000);
  EXPECT_EQ(ind.value_as_of, "2023-12-31");
  EXPECT_EQ(ind.history.size(), 2u);
  // 3000 km2 in the year between the two reports; 3540 left by 2025: on track.
  EXPECT_EQ(ind.status, "on_track");

  v.target_id = "no-such-target";
  EXPECT_THROW(st->add_reported_value(v), InputError);
  v.target_id = "aero-geophysics-survey";
  v.unit = "ha";
  EXPECT_THROW(st->add_reported_value(v), InputError);
  v.unit.clear();
  v.source.clear();
  EXPECT_THROW(st->add_reported_value(v), InputError);
  EXPECT_EQ(st->reported_values("dalad-2021").size(), 2u);
}

monitor::Indicator judged(const std::string &comparator, double target, double base, double value,
                          const std::string &as_of) {
  monitor::Indicator ind;
  ind.target.comparator = comparator;
  ind.target.unit = "个";
  ind.target.target.value = target;
  ind.target.target.year = 2025;
  ind.target.measure = Json{{"type", "count"}};
  ind.source = "register";
  ind.deadline = "2025-12-31";
  ind.base_year = 2020;
  ind.base_date = "2020-12-31";
  ind.base_register = base;
  ind.value = value;
  monitor::judge(ind, as_of);
  return ind;
}

TEST(MonitorStatus, ThresholdsSeparateMetOnTrackAtRiskAndOffTrack) {
  EXPECT_EQ(judged("<=", 68, 78, 68, "2023-12-31").status, "met");
  EXPECT_EQ(judged(">=", 60, 20, 61, "2021-12-31").status, "met");
  // 78 -> 72 in three years (-2/a): 68 reached by 2025.
  EXPECT_EQ(judged("<=", 68, 78, 72, "2023-12-31").status, "on_track");
  // 78 -> 73 in three years: at that pace 69.7 in 2025, 17 % of the change of 10 short: at risk.
  EXPECT_EQ(judged("<=", 68, 78, 73, "2023-12-31").status, "at_risk");
  // 78 -> 74: 71.3 in 2025, 33 % short: off track.
  EXPECT_EQ(judged("<=", 68, 78, 74, "2023-12-31").status, "off_track");
  // 78 -> 77: 76.3 in 2025, 83 % of the change missing: off track.
  EXPECT_EQ(judged("<=", 68, 78, 77, "2023-12-31").status, "off_track");
  // The target year is over.
  auto late = judged("<=", 68, 78, 69, "2026-01-01");
  EXPECT_EQ(late.status, "off_track");
  EXPECT_FALSE(late.needed_per_year);
  // Needed change per year = gap / years left.
  auto mid = judged(">=", 60, 20, 30, "2022-12-31");
  ASSERT_TRUE(mid.needed_per_year);
  EXPECT_NEAR(*mid.needed_per_year, 30 / monitor::years_between("2022-12-31", "2025-12-31"), 1e-9);
  // No value, no definition.
  monitor::Indicator none;
  none.target.measure = Json{{"type", "reported"}};
  none.source = "reported";
  monitor::judge(none, "2023-01-01");
  EXPECT_EQ(none.status, "no_data");
  none.target.measure = Json();
  monitor::judge(none, "2023-01-01");
  EXPECT_EQ(none.status, "no_definition");
}

TEST(MonitorStatus, RangesAndEqualityTargets) {
  Target t;
  t.comparator = "range";
  t.target.min = 5;
  t.target.max = 6;
  EXPECT_TRUE(monitor::satisfies(t, 5));
  EXPECT_TRUE(monitor::satisfies(t, 6));
  EXPECT_FALSE(monitor::satisfies(t, 7));
  Target e;
  e.comparator = "=";
  e.target.value = 19;
  EXPECT_TRUE(monitor::satisfies(e, 19));
  EXPECT_FALSE(monitor::satisfies(e, 18));
  EXPECT_EQ(monitor::format_number(20.512820, 2), "20.51");
  EXPECT_EQ(monitor::format_number(-0.0001, 2), "0");
  EXPECT_EQ(monitor::format_number(68, 2), "68");
  EXPECT_DOUBLE_EQ(monitor::years_between("2020-12-31", "2025-12-31"), 5);
  EXPECT_DOUBLE_EQ(monitor::years_between("2024-12-31", "2025-12-31"), 1);
  EXPECT_NEAR(monitor::years_between("2021-01-01", "2021-07-02"), 0.5, 0.003);
  EXPECT_THROW(monitor::days_of("2021-13-01"), Error);
}

} // namespace

// The five seed plans as data, asserted against the seed texts themselves.
#include "io/catalogue_loader.hpp"
#include "seed_texts.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace {

using namespace mineplan;

const Catalogue &catalogue() {
  static const Catalogue cat = [] {
    io::LoadOptions o;
    // With the seed texts at hand, every citation must name one of them.
    if (mineplan::testing::seed_texts_present()) o.seeds_dir = MINEPLAN_SEEDS_DIR;
    return io::load_catalogue(MINEPLAN_SOURCE_DIR "/data", o);
  }();
  return cat;
}

const PlanData &plan(const std::string &id) {
  for (const auto &p : catalogue().plans)
    if (p.plan.id == id) return p;
  throw std::runtime_error("no plan " + id);
}

// The seed text with all white space removed (ASCII, U+3000 ideographic space, NBSP), so
// quotes can be matched regardless of how the original was wrapped or padded.
std::string squeeze(const std::string &s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      ++i;
    } else if (s.compare(i, 3, "\xE3\x80\x80") == 0) { // U+3000
      i += 3;
    } else if (s.compare(i, 2, "\xC2\xA0") == 0) { // U+00A0
      i += 2;
    } else {
      out += s[i++];
    }
  }
  return out;
}

const std::string &seed_text(const std::string &seed) {
  static std::map<std::string, std::string> cache;
  auto it = cache.find(seed);
  if (it != cache.end()) return it->second;
  std::ifstream in(std::string(MINEPLAN_SEEDS_DIR) + "/" + seed, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return cache[seed] = squeeze(ss.str());
}

bool in_seed(const Citation &c, const std::string &text) {
  if (text.empty()) return true;
  return seed_text(c.seed).find(squeeze(text)) != std::string::npos;
}

TEST(SeedData, LoadsAndValidatesAllFivePlans) {
  const auto &cat = catalogue();
  std::set<std::string> ids;
  for (const auto &p : cat.plans)
    ids.insert(p.plan.id);
  EXPECT_EQ(ids, (std::set<std::string>{"nmg-2016", "dalad-2021", "erenhot-2021",
                                        "urad-middle-2026", "ejin-horo-green-2021"}));
  EXPECT_EQ(plan("dalad-2021").plan.jurisdiction, "150621");
  EXPECT_EQ(plan("erenhot-2021").plan.jurisdiction, "152501");
  EXPECT_EQ(plan("urad-middle-2026").plan.jurisdiction, "150824");
  EXPECT_EQ(plan("ejin-horo-green-2021").plan.jurisdiction, "150627");
  EXPECT_EQ(plan("nmg-2016").plan.base_year, 2015);
  EXPECT_EQ(plan("dalad-2021").plan.parent, "nmg-2016");
}

TEST(SeedData, EveryQuoteAndTableCellIsVerbatimInItsSeed) {
  REQUIRE_SEED_TEXTS();
  int checked = 0;
  std::vector<std::string> missing;
  auto check = [&](const Citation &c, const std::string &text, const std::string &where) {
    ++checked;
    if (!in_seed(c, text)) missing.push_back(where + ": " + text);
  };
  for (const auto &p : catalogue().plans) {
    check(p.plan.cite, p.plan.cite.quote, p.plan.id);
    for (const auto &z : p.zones)
      check(z.cite, z.cite.quote, p.plan.id + "/" + z.id);
    for (const auto &t : p.targets)
      check(t.cite, t.cite.quote, p.plan.id + "/" + t.id);
    for (const auto &r : p.rules)
      check(r.cite, r.cite.quote, p.plan.id + "/" + r.id);
    for (const auto &s : p.statistics)
      check(s.cite, s.cite.quote, p.plan.id + "/" + s.id);
    for (const auto &t : p.tables)
      for (const auto &row : t.rows)
        for (const auto &cell : row)
          check(t.cite, cell, p.plan.id + "/" + t.id);
  }
  EXPECT_GT(checked, 1000);
  EXPECT_TRUE(missing.empty()) << missing.size()
                               << " not in their seed, first: " << missing.front();
}

TEST(SeedData, EveryItemCitesASeedAndASection) {
  for (const auto &p : catalogue().plans) {
    auto ok = [&](const Citation &c, const std::string &what) {
      EXPECT_FALSE(c.seed.empty()) << what;
      EXPECT_FALSE(c.section.empty()) << what;
      EXPECT_EQ(c.seed, p.plan.seed) << what << " cites another plan's seed";
    };
    for (const auto &z : p.zones)
      ok(z.cite, z.id);
    for (const auto &t : p.targets)
      ok(t.cite, t.id);
    for (const auto &r : p.rules)
      ok(r.cite, r.id);
    for (const auto &t : p.tables)
      ok(t.cite, t.id);
  }
}

TEST(SeedData, DaladHasItsFourConcentratedAreasOfZhuanlan8) {
  std::map<std::string, double> areas;
  for (const auto &z : plan("dalad-2021").zones)
    if (z.kind == "concentrated_area") {
      ASSERT_TRUE(z.area);
      areas[z.name] = z.area->in("km2");
      EXPECT_EQ(z.cite.section, "专栏8");
    }
  EXPECT_EQ(areas, (std::map<std::string, double>{{"达拉特旗塔然高勒集中开采区", 19.60},
                                                  {"达拉特旗高头窑集中开采区", 34.93},
                                                  {"达拉特旗青达门集中开采区", 69.78},
                                                  {"达拉特旗敖包梁集中开采区", 74.38}}));
}

TEST(SeedData, DaladTargetsOfZhuanlan3) {
  std::map<std::string, const Target *> by_name;
  int rows = 0;
  for (const auto &t : plan("dalad-2021").targets)
    if (t.cite.section == "专栏3") {
      ++rows;
      by_name[t.name] = &t;
      EXPECT_EQ(t.kind, "indicative") << t.name; // every row of 专栏3 says 预期性
    }
  EXPECT_EQ(rows, 7);
  const Target *mines = by_name.at("矿山总数");
  EXPECT_EQ(mines->comparator, "<=");
  EXPECT_EQ(*mines->target.value, 68);
  EXPECT_EQ(*mines->base->value, 78);
  const Target *share = by_name.at("大中型矿山比例");
  EXPECT_EQ(share->comparator, ">=");
  EXPECT_EQ(*share->target.value, 60);
  EXPECT_EQ(share->unit, "%");
}

TEST(SeedData, ErenhotHasEightMiningRightsOfZhuanlanYi) {
  REQUIRE_SEED_TEXTS();
  const auto &rights = plan("erenhot-2021").rights;
  ASSERT_EQ(rights.size(), 8u);
  for (const auto &r : rights) {
    EXPECT_EQ(r.kind, "mining");
    EXPECT_EQ(r.cite->section, "专栏一");
    EXPECT_TRUE(in_seed(*r.cite, r.name)) << r.name;
    ASSERT_TRUE(r.scale) << r.name;
  }
}

TEST(SeedData, ErenhotTargetsOfZhuanlanEr) {
  int rows = 0, binding = 0;
  for (const auto &t : plan("erenhot-2021").targets)
    if (t.cite.section == "专栏二") {
      ++rows;
      binding += t.kind == "binding";
    }
  EXPECT_EQ(rows, 5);
  EXPECT_EQ(binding, 2); // 历史遗留矿山治理 and 土地复垦 are 约束性
}

TEST(SeedData, EjinHoroHas48GreenMinesOfFubiao2) {
  REQUIRE_SEED_TEXTS();
  const auto &mines = plan("ejin-horo-green-2021").mines;
  int national = 0, region = 0;
  for (const auto &m : mines) {
    EXPECT_TRUE(in_seed(*m.cite, m.name)) << m.name;
    national += m.green_level == "national";
    region += m.green_level == "region";
  }
  EXPECT_EQ(mines.size(), 48u);
  EXPECT_EQ(national, 6);
  EXPECT_EQ(region, 42);
}

TEST(SeedData, EjinHoroTargetsOfFubiao4) {
  int rows = 0;
  for (const auto &t : plan("ejin-horo-green-2021").targets)
    rows += t.cite.section == "附表4";
  EXPECT_GE(rows, 9);
}

TEST(SeedData, EjinHoroDemonstrationZoneHasItsSurveyedGeometry) {
  for (const auto &z : plan("ejin-horo-green-2021").zones)
    if (z.kind == "green_demo_zone") {
      ASSERT_TRUE(z.geometry);
      ASSERT_TRUE(z.official_area_m2);
      EXPECT_NEAR(*z.official_area_m2 / 1e6, 1202.62, 0.01);
      EXPECT_EQ(z.area->in("km2"), 1202.62);
      // Inside Ejin Horo Banner: 108°58'-110°25' E, 38°56'-39°49' N (seed 004, 第一章第一节).
      for (const auto &p : z.geometry->front().outer) {
        EXPECT_GT(p.x, 108.9);
        EXPECT_LT(p.x, 110.5);
        EXPECT_GT(p.y, 38.9);
        EXPECT_LT(p.y, 39.9);
      }
      return;
    }
  FAIL() << "no green_demo_zone";
}

TEST(SeedData, RegionalMinimumCoalScales) {
  // Seed 000 第七章第一节: 褐煤 300 (井工) / 500 (露天); other coal 120 / 300 万吨/年.
  std::map<std::pair<std::string, std::string>, double> mins;
  for (const auto &r : plan("nmg-2016").rules)
    if (r.type == "min_scale") {
      auto q = Quantity::make(r.body["min"]["value"].get<double>(),
                              r.body["min"]["unit"].get<std::string>());
      mins[{r.body["mineral"].get<std::string>(), r.body["method"].get<std::string>()}] =
          q.in("万吨/年");
    }
  EXPECT_EQ(mins.at({"褐煤", "underground"}), 300);
  EXPECT_EQ(mins.at({"褐煤", "open-pit"}), 500);
  EXPECT_EQ(mins.at({"煤炭", "underground"}), 120);
  EXPECT_EQ(mins.at({"煤炭", "open-pit"}), 300);
}

TEST(SeedData, RegionalTargetsOfChapterTwo) {
  std::map<std::string, const Target *> by_name;
  for (const auto &t : plan("nmg-2016").targets)
    by_name[t.name] = &t;
  auto find = [&](const std::string &needle) -> const Target * {
    for (const auto &[name, t] : by_name)
      if (name.find(needle) != std::string::npos) return t;
    return nullptr;
  };
  const Target *mines = find("矿山数量");
  ASSERT_TRUE(mines);
  EXPECT_EQ(mines->comparator, "<=");
  EXPECT_EQ(*mines->target.value, 4800);
  const Target *uranium = find("远景区");
  ASSERT_TRUE(uranium);
  EXPECT_EQ(uranium->comparator, "range");
  EXPECT_EQ(*uranium->target.min, 30);
  EXPECT_EQ(*uranium->target.max, 50);
}

TEST(SeedData, ConsolidationProgramFiguresAndZones) {
  const auto &p = plan("urad-middle-2026");
  int zones = 0;
  for (const auto &z : p.zones)
    zones += z.kind == "consolidation_zone";
  EXPECT_EQ(zones, 19);
  std::vector<std::pair<std::string, double>> figures;
  for (const auto &t : p.targets)
    if (t.target.value) figures.emplace_back(t.comparator, *t.target.value);
  auto has = [&](const std::string &cmp, double v) {
    return std::find(figures.begin(), figures.end(), std::make_pair(cmp, v)) != figures.end();
  };
  EXPECT_TRUE(has("<=", 65));                 // 矿山数量控制在65个以内
  EXPECT_TRUE(has(">=", 75));                 // 大中型矿山比例达到75%以上
  EXPECT_TRUE(has(">=", 28) || has("=", 28)); // 复工达产28个
  EXPECT_TRUE(has(">=", 3));                  // 绿色矿山不少于3个
  bool reduced34 = false;
  for (const auto &t : p.targets)
    reduced34 |= t.target.value == 34.0 && t.unit == "个";
  EXPECT_TRUE(reduced34);
  std::set<std::string> categories;
  for (const auto &r : p.rules)
    if (r.type == "provision" && r.body.value("topic", "") == "action-category")
      categories.insert(r.id);
  EXPECT_EQ(categories.size(), 6u);
}

TEST(SeedData, EveryMineralNamedInThePlansIsInTheCatalogue) {
  // The loader refuses unknown minerals; this pins that the catalogue is not trivially empty.
  EXPECT_GT(catalogue().minerals.size(), 60u);
  EXPECT_TRUE(catalogue().find_mineral("煤炭"));
  EXPECT_EQ(catalogue().find_mineral("建筑用砂")->scale_unit, "万立方米/年");
}

} // namespace

namespace {
TEST(SeedData, MineralGroupsNameTheirMembers) {
  // Dalad 专栏9 speaks of 砂石 as one mineral; its members are catalogue data.
  const Mineral *sand_gravel = catalogue().find_mineral("砂石");
  ASSERT_TRUE(sand_gravel);
  const auto &m = sand_gravel->members;
  EXPECT_NE(std::find(m.begin(), m.end(), "建筑用砂"), m.end());
  EXPECT_EQ(std::find(m.begin(), m.end(), "玻璃用砂"), m.end());
  for (const auto &mineral : catalogue().minerals)
    for (const auto &member : mineral.members)
      EXPECT_TRUE(catalogue().find_mineral(member)) << mineral.name << " -> " << member;
}
} // namespace

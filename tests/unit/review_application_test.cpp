// Parsing and validating applications (review/application.hpp).
#include "review_support.hpp"

#include "geo/area.hpp"

using namespace review_test;
using namespace mineplan;
using review::Application;

namespace {

Json good() {
  return Json::parse(R"({
    "kind": "mining", "action": "new", "jurisdiction": "150621", "date": "2023-06-01",
    "applicant": {"name": "测试公司", "type": "company"},
    "minerals": ["建筑用砂"], "scale": {"value": 4, "unit": "万立方米/年"},
    "method": "open-pit", "service_years": 6, "temporary": false,
    "change": {"area": true, "method": false, "scale": false, "mineral": false},
    "conditions_met": ["eia"],
    "boundary": {"type": "Polygon", "crs": 4490,
                 "coordinates": [[[110.0, 40.2], [110.002, 40.2], [110.002, 40.202], [110.0, 40.202], [110.0, 40.2]]]}
  })");
}

const std::vector<Mineral> &minerals() {
  return seed_catalogue().minerals;
}

Application parse(const Json &j, const fs::path &dir = fs::temp_directory_path()) {
  return review::parse_application(j, dir, minerals(), seed_catalogue().divisions);
}

// The InputError's field for a broken application, or "" when it parses.
std::string error_field(const Json &j, std::string *message = nullptr) {
  try {
    parse(j);
    return "";
  } catch (const InputError &e) {
    if (message) *message = e.what();
    return e.field();
  }
}

} // namespace

TEST(ReviewApplication, ParsesTheIssueExample) {
  Application a = parse(good());
  EXPECT_EQ(a.kind, "mining");
  EXPECT_EQ(a.action, "new");
  EXPECT_EQ(a.minerals, std::vector<std::string>{"建筑用砂"});
  ASSERT_TRUE(a.scale);
  EXPECT_EQ(a.scale->unit, "万立方米/年");
  EXPECT_EQ(a.method, "open-pit");
  EXPECT_EQ(*a.service_years, 6);
  EXPECT_TRUE(a.change.area);
  EXPECT_EQ(a.conditions_met, std::vector<std::string>{"eia"});
  ASSERT_TRUE(a.boundary_lonlat && a.boundary_planar && a.planar_crs);
  // 3° zone of 110°E is 37 (CM 111°E), written without the zone prefix.
  EXPECT_EQ(a.planar_crs->zone, 37);
  EXPECT_FALSE(a.planar_crs->zone_prefixed);
  EXPECT_NEAR(geo::planar_area_m2(*a.boundary_planar), geo::official_area_m2(*a.boundary_lonlat),
              1e-6);
  EXPECT_EQ(a.raw["boundary"]["type"], "MultiPolygon");
  EXPECT_EQ(a.raw["boundary"]["crs"], 4490);
}

TEST(ReviewApplication, AliasesBecomeCatalogueNames) {
  Json j = good();
  j["minerals"] = Json::array({"普通建筑用砂", "建筑用砂"});
  EXPECT_EQ(parse(j).minerals, std::vector<std::string>{"建筑用砂"});
}

TEST(ReviewApplication, EachProblemNamesItsJsonPath) {
  auto with = [](const char *key, Json value) {
    Json j = good();
    j[key] = std::move(value);
    return j;
  };
  std::string msg;
  EXPECT_EQ(error_field(with("kind", "quarry")), "kind");
  EXPECT_EQ(error_field(with("action", "renew")), "action");
  EXPECT_EQ(error_field(with("jurisdiction", "159999"), &msg), "jurisdiction");
  EXPECT_NE(msg.find("unknown division"), std::string::npos) << msg;
  EXPECT_EQ(error_field(with("jurisdiction", "15062")), "jurisdiction");
  EXPECT_EQ(error_field(with("date", "2023-02-30")), "date");
  EXPECT_EQ(error_field(with("date", "2023/06/01")), "date");
  EXPECT_EQ(error_field(with("minerals", Json::array({"建筑用砂", "金刚砂岩"})), &msg),
            "minerals[1]");
  EXPECT_NE(msg.find("unknown mineral '金刚砂岩'"), std::string::npos) << msg;
  EXPECT_EQ(error_field(with("minerals", Json::array())), "minerals");
  EXPECT_EQ(error_field(with("scale", Json{{"value", 4}, {"unit", "万吨/年"}}), &msg),
            "scale.unit");
  EXPECT_NE(msg.find("does not fit 建筑用砂"), std::string::npos) << msg;
  EXPECT_EQ(error_field(with("scale", Json{{"value", 4}, {"unit", "公斤"}})), "scale.unit");
  EXPECT_EQ(error_field(with("scale", Json{{"value", 4}, {"unit", "km2"}})), "scale.unit");
  EXPECT_EQ(error_field(with("scale", Json{{"value", -1}, {"unit", "万立方米/年"}})),
            "scale.value");
  EXPECT_EQ(error_field(with("method", "strip")), "method");
  EXPECT_EQ(error_field(with("service_years", "six")), "service_years");
  EXPECT_EQ(error_field(with("temporary", "no")), "temporary");
  EXPECT_EQ(error_field(with("change", Json{{"depth", true}})), "change.depth");
  EXPECT_EQ(error_field(with("conditions_met", Json::array({1}))), "conditions_met[0]");
  EXPECT_EQ(error_field(with("minreals", Json::array())), "minreals");
  EXPECT_EQ(error_field(with("applicant", Json{{"type", "company"}})), "applicant.name");
  EXPECT_EQ(error_field(with("action", "transfer")), "licence_no");
  Json b = good();
  b["boundary"]["crs"] = 3857;
  EXPECT_EQ(error_field(b), "boundary.crs");
  b = good();
  b["boundary"]["coordinates"] =
      Json::parse("[[[110.0,40.2],[110.002,40.202],[110.002,40.2],[110.0,40.202],[110.0,40.2]]]");
  EXPECT_EQ(error_field(b, &msg), "boundary");
  EXPECT_NE(msg.find("invalid polygon"), std::string::npos) << msg;
  b = good();
  b["boundary"]["type"] = "LineString";
  EXPECT_EQ(error_field(b), "boundary");
  b = good();
  b["boundary"] = 42;
  EXPECT_EQ(error_field(b), "boundary");
}

TEST(ReviewApplication, ExplorationNeedsNoScale) {
  Json j = good();
  j["kind"] = "exploration";
  j.erase("scale");
  j.erase("method");
  Application a = parse(j);
  EXPECT_FALSE(a.scale);
}

TEST(ReviewApplication, BoundaryFileResolvedAgainstTheJsonFolder) {
  const fs::path dir =
      fs::path(MINEPLAN_SOURCE_DIR) / "tests/cases/review/dalad-sand-4wan-outside-ca";
  Application a =
      review::read_application(dir / "application.json", minerals(), seed_catalogue().divisions);
  ASSERT_TRUE(a.boundary_lonlat);
  EXPECT_EQ(a.boundary_source, "boundary.txt");
  EXPECT_EQ(a.planar_crs->zone, 37);
  // The exchange file is in CGCS2000 GK zone 37 (prefixed): the planar area of the boundary
  // is the surveyed one within millimetres.
  EXPECT_NEAR(geo::planar_area_m2(*a.boundary_planar), 37823.3, 1.0);
  // The record holds the coordinates, not the file name.
  EXPECT_TRUE(a.raw["boundary"].is_object());
  EXPECT_EQ(a.raw["boundary"]["coordinates"][0][0].size(), 5u);
}

TEST(ReviewApplication, BrokenBoundaryFileSaysWhichLine) {
  TempDir tmp;
  write_text(tmp.path() / "b.txt", "[属性描述]\n坐标系=2000国家大地坐标系\n带号=37\n[地块坐标]\n"
                                   "4,,1,x,面,,,,@\nJ1,1,4452215.96,abc\n");
  Json j = good();
  j["boundary"] = "b.txt";
  try {
    review::parse_application(j, tmp.path(), minerals(), seed_catalogue().divisions);
    FAIL() << "expected an InputError";
  } catch (const InputError &e) {
    EXPECT_EQ(e.field(), "boundary");
    EXPECT_NE(std::string(e.what()).find("b.txt:6"), std::string::npos) << e.what();
  }
}

TEST(ReviewApplication, GeoJsonInAProjectedCrs) {
  // The same square given in CGCS2000 GK zone 37 with prefix (EPSG:4525, x = easting).
  Json j = good();
  j["boundary"] = Json::parse(R"({"type": "Polygon", "crs": "EPSG:4525", "coordinates": [[
      [37414855.07, 4452215.96], [37415025.36, 4452214.05], [37415027.86, 4452436.13],
      [37414857.57, 4452438.04], [37414855.07, 4452215.96]]]})");
  Application a = parse(j);
  const auto &p = a.boundary_lonlat->front().outer.front();
  EXPECT_NEAR(p.x, 110.0, 1e-7);
  EXPECT_NEAR(p.y, 40.2, 1e-7);
}

TEST(ReviewApplication, InputHashIgnoresKeyOrderButNotContent) {
  Json a = good(), b = Json::object();
  // Same content, keys in reverse order.
  std::vector<std::string> keys;
  for (const auto &[k, v] : a.items())
    keys.push_back(k);
  for (auto it = keys.rbegin(); it != keys.rend(); ++it)
    b[*it] = a[*it];
  EXPECT_EQ(review::input_hash(parse(a).raw), review::input_hash(parse(b).raw));
  b["service_years"] = 7;
  EXPECT_NE(review::input_hash(parse(a).raw), review::input_hash(parse(b).raw));
}

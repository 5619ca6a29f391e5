// The store: a valid GeoPackage (the embedded store), migrations, transactions, versions.
// Tests not about the GeoPackage file run on PostgreSQL too (store_support.hpp).
#include "core/error.hpp"
#include "store/gpkg/geometry_blob.hpp"
#include "store/gpkg/gpkg_store.hpp"
#include "store/store.hpp"
#include "store_support.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <memory>

namespace fs = std::filesystem;
using namespace mineplan;

namespace {

using mineplan::testing::TempDir;

geo::MultiPolygon square(double x, double y, double d) {
  return {geo::Polygon{{{x, y}, {x + d, y}, {x + d, y + d}, {x, y + d}, {x, y}}, {}}};
}

Catalogue tiny_catalogue() {
  Catalogue c;
  c.divisions = {{"150000", "内蒙古自治区", "region", "", square(97, 37, 29)},
                 {"150621", "达拉特旗", "county", "150000", std::nullopt}};
  c.minerals = {{"建筑用砂", {}, "nonmetal", "万立方米/年", "none", {"s.txt", "专栏10", ""}, {}}};
  PlanData p;
  p.plan.id = "test-plan";
  p.plan.title = "测试规划";
  p.plan.type = "master";
  p.plan.level = "county";
  p.plan.jurisdiction = "150621";
  p.plan.base_year = 2020;
  p.plan.period_start = 2021;
  p.plan.period_end = 2025;
  p.plan.in_force_from = "2021-01-01";
  p.plan.in_force_to = "2025-12-31";
  p.plan.seed = "s.txt";
  Zone z;
  z.id = "ca-1";
  z.plan_id = "test-plan";
  z.kind = "concentrated_area";
  z.name = "集中开采区一";
  z.minerals = {"建筑用砂"};
  z.area = Quantity::make(19.6, "km2");
  z.geometry = square(109.5, 40.1, 0.05);
  p.zones.push_back(z);
  Target t;
  t.id = "mine-count";
  t.plan_id = "test-plan";
  t.name = "矿山总数";
  t.kind = "indicative";
  t.comparator = "<=";
  t.unit = "个";
  t.base = TargetValue{78, {}, {}, 2020};
  t.target = TargetValue{68, {}, {}, 2025};
  t.milestones = {TargetValue{72, {}, {}, 2023}};
  p.targets.push_back(t);
  c.plans.push_back(p);
  return c;
}

Right sand_right(const std::string &licence, double scale) {
  Right r;
  r.uid = licence;
  r.licence_no = licence;
  r.kind = "mining";
  r.name = "某砂矿";
  r.holder = "某公司";
  r.minerals = {"建筑用砂"};
  r.scale = Quantity::make(scale, "万立方米/年");
  r.status = "producing";
  r.jurisdiction = "150621";
  r.geometry = square(109.51, 40.11, 0.01);
  r.source = "test";
  return r;
}

// The first value of a query run on the store's own database (either kind).
std::string pragma(store::Store &s, const char *sql) {
  auto st = dynamic_cast<store::sql::SqlStore &>(s).connection().prepare(sql);
  st.step();
  return st.column_type(0) == store::sql::ColumnType::integer ? std::to_string(st.int64(0))
                                                              : st.text(0);
}

} // namespace

TEST(GeometryBlob, RoundTripsWithEnvelope) {
  geo::MultiPolygon mp = square(110, 40, 1);
  mp.front().holes.push_back({{110.2, 40.2}, {110.4, 40.2}, {110.4, 40.4}, {110.2, 40.2}});
  auto blob = store::gpkg::encode_blob(mp, 4490);
  auto header = store::gpkg::read_header(blob);
  ASSERT_TRUE(header);
  EXPECT_EQ(header->srs_id, 4490);
  EXPECT_EQ(header->envelope->min_x, 110);
  EXPECT_EQ(header->envelope->max_y, 41);
  auto back = store::gpkg::decode_blob(blob);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].outer, mp[0].outer);
  EXPECT_EQ(back[0].holes, mp[0].holes);
}

TEST(GeometryBlob, RejectsGarbageWithoutCrashing) {
  std::vector<std::uint8_t> junk{'G', 'P', 0, 3, 1, 0, 0, 0};
  EXPECT_THROW(store::gpkg::decode_blob(junk), Error);
  auto blob = store::gpkg::encode_blob(square(0, 0, 1), 4490);
  blob.resize(blob.size() - 9);
  EXPECT_THROW(store::gpkg::decode_blob(blob), Error);
  // A ring claiming four billion points in a short blob is refused, not allocated.
  std::vector<std::uint8_t> huge = store::gpkg::encode_blob(square(0, 0, 1), 4490);
  const std::size_t ring_count_at = 8 + 32 + 1 + 4 + 4 + 1 + 4 + 4;
  for (std::size_t i = 0; i < 4; ++i)
    huge[ring_count_at + i] = 0xFF;
  EXPECT_THROW(store::gpkg::decode_blob(huge), Error);
}

TEST(GpkgStore, CreatesAValidGeoPackage) {
  SKIP_ON_POSTGRES("the GeoPackage tables");
  TempDir dir;
  auto s = store::Store::open(dir.file("a.gpkg"), true);
  s->load_catalogue(tiny_catalogue());
  EXPECT_EQ(pragma(*s, "PRAGMA application_id"), "1196444487");
  EXPECT_EQ(pragma(*s, "PRAGMA user_version"), "10300");
  EXPECT_EQ(pragma(*s, "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(pragma(*s, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(pragma(*s, "SELECT count(*) FROM rtree_zones_geom"), "1");
  // 4 feature layers, 8 attribute tables of migrations 1-2, accounts, notices, audit_log,
  // reported_values, registry_events.
  EXPECT_EQ(pragma(*s, "SELECT count(*) FROM gpkg_contents"), "17");
  EXPECT_EQ(s->schema_version(), 7);
}

TEST(GpkgStore, RefusesToOverwriteOrOpenNonGeoPackages) {
  SKIP_ON_POSTGRES("file checks");
  TempDir dir;
  { auto s = store::Store::open(dir.file("a.gpkg"), true); }
  EXPECT_THROW(store::Store::open(dir.file("a.gpkg"), true), Error);
  EXPECT_THROW(store::Store::open(dir.file("missing.gpkg")), Error);
  FILE *f = std::fopen(dir.file("plain.db").c_str(), "w");
  std::fclose(f);
  store::Database plain(dir.file("x.db"), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  plain.exec("CREATE TABLE t(x)");
  EXPECT_THROW(store::Store::open(dir.file("x.db")), Error);
}

TEST(GpkgStore, ReopeningDoesNotRerunMigrations) {
  TempDir dir;
  {
    auto s = store::Store::open(mineplan::testing::store_location(dir.file("a.gpkg")), true);
    s->load_catalogue(tiny_catalogue());
  }
  auto s = store::Store::open(mineplan::testing::store_location(dir.file("a.gpkg")));
  EXPECT_EQ(s->schema_version(), 7);
  auto plans = s->plan_summaries();
  ASSERT_EQ(plans.size(), 1u);
  EXPECT_EQ(plans[0].zones, 1);
  EXPECT_EQ(plans[0].jurisdiction_name, "达拉特旗");
}

TEST(GpkgStore, PlanRoundTripsThroughTheStore) {
  TempDir dir;
  auto s = store::Store::open(mineplan::testing::store_location(dir.file("a.gpkg")), true);
  s->load_catalogue(tiny_catalogue());
  auto p = s->plan("test-plan");
  ASSERT_TRUE(p);
  ASSERT_EQ(p->targets.size(), 1u);
  EXPECT_EQ(*p->targets[0].target.value, 68);
  EXPECT_EQ(*p->targets[0].base->value, 78);
  ASSERT_EQ(p->targets[0].milestones.size(), 1u);
  EXPECT_EQ(*p->targets[0].milestones[0].year, 2023);
  ASSERT_EQ(p->zones.size(), 1u);
  EXPECT_EQ(p->zones[0].area->in("km2"), 19.6);
  ASSERT_TRUE(p->zones[0].geometry);
  EXPECT_EQ(p->zones[0].geometry->front().outer.size(), 5u);
  // Loading again replaces the plan rather than duplicating it.
  s->load_catalogue(tiny_catalogue());
  EXPECT_EQ(s->plan("test-plan")->zones.size(), 1u);
}

TEST(GpkgStore, AChangeOnADateIsANewVersion) {
  TempDir dir;
  auto s = store::Store::open(mineplan::testing::store_location(dir.file("a.gpkg")), true);
  s->load_catalogue(tiny_catalogue());
  auto first = s->import_rights({sand_right("C1506212020", 4)}, "2020-12-31", "ledger-2020");
  EXPECT_EQ(first.inserted, 1);
  auto same = s->import_rights({sand_right("C1506212020", 4)}, "2021-06-30", "ledger-2021");
  EXPECT_EQ(same.unchanged, 1);
  auto changed = s->import_rights({sand_right("C1506212020", 8)}, "2022-06-30", "ledger-2022");
  EXPECT_EQ(changed.changed, 1);

  auto before = s->rights({"2022-06-29"});
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(before[0].scale->value, 4);
  auto after = s->rights({"2022-06-30"});
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].scale->value, 8);
  EXPECT_TRUE(s->rights({"2020-01-01"}).empty());
  EXPECT_EQ(s->rights({}).at(0).scale->value, 8);
  EXPECT_EQ(s->right_history("C1506212020").size(), 2u);
  // A change dated before the current version is refused and nothing is written.
  EXPECT_THROW(s->import_rights({sand_right("C1506212020", 9)}, "2021-01-01", "late"), Error);
  EXPECT_EQ(s->right_history("C1506212020").size(), 2u);
}

TEST(GpkgStore, AFailedImportWritesNothing) {
  TempDir dir;
  auto s = store::Store::open(mineplan::testing::store_location(dir.file("a.gpkg")), true);
  s->load_catalogue(tiny_catalogue());
  Right bad = sand_right("", 4); // no uid: the store refuses it
  EXPECT_THROW(s->import_rights({sand_right("A", 1), sand_right("B", 2), bad}, "2021-01-01", "x"),
               Error);
  EXPECT_TRUE(s->rights({}).empty());
  EXPECT_EQ(pragma(*s, "SELECT count(*) FROM rights"), "0");
  if (!mineplan::testing::on_postgres()) {
    EXPECT_EQ(pragma(*s, "SELECT count(*) FROM rtree_rights_geom"), "0");
  }
  Zone orphan;
  orphan.id = "z";
  orphan.plan_id = "no-such-plan";
  orphan.kind = "red_line";
  orphan.name = "x";
  EXPECT_THROW(s->import_zones({orphan}, "x"), Error);
}

TEST(GpkgStore, ShowFindsThingsByTheirIds) {
  TempDir dir;
  auto s = store::Store::open(mineplan::testing::store_location(dir.file("a.gpkg")), true);
  s->load_catalogue(tiny_catalogue());
  s->import_rights({sand_right("C1", 4)}, "2021-01-01", "x");
  EXPECT_EQ(s->show("test-plan")["type"], "plan");
  EXPECT_EQ(s->show("test-plan/ca-1")["type"], "zone");
  EXPECT_EQ(s->show("test-plan/mine-count")["type"], "target");
  EXPECT_EQ(s->show("C1")["type"], "right");
  EXPECT_EQ(s->show("150621")["type"], "division");
  EXPECT_EQ(s->show("建筑用砂")["type"], "mineral");
  EXPECT_TRUE(s->show("nothing").is_null());
}

TEST(GpkgStore, OgrinfoListsTheLayers) {
  SKIP_ON_POSTGRES("ogrinfo reads the file");
  TempDir dir;
  std::string path = dir.file("a.gpkg");
  {
    auto s = store::Store::open(path, true);
    s->load_catalogue(tiny_catalogue());
    s->import_rights({sand_right("C1", 4)}, "2021-01-01", "x");
  }
  std::string cmd = "ogrinfo -ro -q " + path + " 2>&1";
  std::unique_ptr<FILE, int (*)(FILE *)> pipe(popen(cmd.c_str(), "r"), pclose);
  ASSERT_TRUE(pipe);
  std::string out;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, pipe.get()))
    out += buf;
  for (const char *layer : {"divisions (Multi Polygon)", "zones (Multi Polygon)",
                            "rights (Multi Polygon)", "mines (Multi Polygon)", "plans", "targets"})
    EXPECT_NE(out.find(layer), std::string::npos) << layer << " missing in:\n" << out;
  EXPECT_EQ(out.find("ERROR"), std::string::npos) << out;
  EXPECT_EQ(out.find("Warning"), std::string::npos) << out;
}

TEST(GpkgStore, ReviewsAreRecordedAndAppendOnly) {
  TempDir dir;
  auto s = store::Store::open(mineplan::testing::store_location(dir.file("a.gpkg")), true);
  store::ReviewRecord r;
  r.input_hash = "abc";
  r.verdict = "reject";
  r.application = Json{{"kind", "mining"}};
  r.plan_versions = Json::array({Json{{"id", "test-plan"}, {"version", "1"}}});
  r.result = Json{{"verdict", "reject"}};
  auto id = s->record_review(r);
  auto back = s->review_record(id);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->verdict, "reject");
  EXPECT_EQ(back->application["kind"], "mining");
  EXPECT_EQ(back->who, "cli");
  EXPECT_FALSE(back->at.empty());
  EXPECT_THROW(mineplan::testing::raw_sql(s->location(), "UPDATE reviews SET verdict = 'pass'"),
               Error);
  EXPECT_THROW(mineplan::testing::raw_sql(s->location(), "DELETE FROM reviews"), Error);
  EXPECT_EQ(s->review_record(id)->verdict, "reject");
  EXPECT_FALSE(s->review_record(id + 1));
}

TEST(GpkgStore, MineralGroupsKeepTheirMembers) {
  TempDir dir;
  auto s = store::Store::open(mineplan::testing::store_location(dir.file("a.gpkg")), true);
  Catalogue c = tiny_catalogue();
  c.minerals.push_back({"砂石", {}, "nonmetal", "万立方米/年", "none", {}, {"建筑用砂"}});
  s->load_catalogue(c);
  auto minerals = s->minerals();
  ASSERT_EQ(minerals.size(), 2u);
  EXPECT_TRUE(minerals[0].members.empty());
  EXPECT_EQ(minerals[1].members, std::vector<std::string>{"建筑用砂"});
}

// Export and import through OGR: round trips, encodings, CRSs, geometry checks, ogrinfo.
#include "geo/area.hpp"
#include "geo/coordfile.hpp"
#include "io/ogr_export.hpp"
#include "io/ogr_import.hpp"
#include "io/ogr_reader.hpp"
#include "io_support.hpp"

#include <map>

using namespace io_test;
using namespace mineplan;

namespace {

const std::vector<std::string> kFields{"许可证号", "矿山名称",   "采矿权人", "开采矿种",
                                       "矿山规模", "生产规模",   "规模单位", "生产状态",
                                       "开采方式", "行政区代码", "有效期起", "有效期止"};

// A polygon with a hole and a two-part multipolygon among plain squares.
std::vector<FeatureSpec> sample_rights() {
  std::vector<FeatureSpec> out;
  for (int i = 0; i < 6; ++i) {
    geo::MultiPolygon g = square(109.8 + 0.05 * i, 40.2 + 0.01 * i, 0.02 + 0.001 * i);
    if (i == 1)
      g[0].holes.push_back({{109.855, 40.215},
                            {109.855, 40.22},
                            {109.86, 40.22},
                            {109.86, 40.215},
                            {109.855, 40.215}});
    if (i == 2) g.push_back(square(109.95, 40.3, 0.01)[0]);
    char licence[32];
    std::snprintf(licence, sizeof licence, "C15062120210371200%02d", i + 1);
    out.push_back(
        {{licence, "测试煤矿" + std::to_string(i + 1), "测试能源有限公司",
          i % 2 ? "煤炭、铁矿" : "煤", i % 3 == 0 ? "大型" : "小型", std::to_string(30 + i * 10),
          "万吨/年", "生产", i % 2 ? "露天" : "井工", "150621", "2021-03-01", "2031/3/1"},
         g});
  }
  return out;
}

std::map<std::string, Json> contents(store::Store &st, bool with_geometry) {
  std::map<std::string, Json> out;
  for (const auto &r : st.rights({}))
    out[r.uid] = right_content(r, with_geometry);
  return out;
}

io::ImportResult import(store::Store &st, const std::string &file, const std::string &as_of,
                        const std::string &layer = "rights") {
  io::ImportOptions o;
  o.as_of = as_of;
  o.layer = layer;
  return io::import_file(st, file, o, schema());
}

std::string problems_text(const io::ImportResult &r) {
  std::string s;
  for (const auto &p : r.problems)
    s += "\n  " + p.str();
  return s;
}

} // namespace

TEST(IoRoundTrip, StoreToEveryFormatAndBack) {
  TempDir tmp;
  auto a = make_store(tmp.file("a.gpkg"));
  write_layer(tmp.file("in.gpkg"), "GPKG", kFields, sample_rights(), 4490);
  auto first = import(*a, tmp.file("in.gpkg"), "2021-06-30");
  ASSERT_TRUE(first.problems.empty()) << problems_text(first);
  ASSERT_EQ(first.summary.inserted, 6);
  const auto with_geom = contents(*a, true);
  const auto without_geom = contents(*a, false);
  const auto n = static_cast<std::int64_t>(with_geom.size());

  for (const char *fmt : {"gpkg", "shp", "geojson", "csv", "xlsx"}) {
    SCOPED_TRACE(fmt);
    const std::string out = tmp.file(std::string("rights.") + fmt);
    io::ExportOptions eo;
    eo.layer = "rights";
    auto ex = io::export_layer(*a, out, eo, schema());
    EXPECT_EQ(ex.features, n);

    // back into the same store: nothing changed
    auto same = import(*a, out, "2022-01-01");
    ASSERT_TRUE(same.problems.empty()) << problems_text(same);
    EXPECT_EQ(same.summary.unchanged, n);
    EXPECT_EQ(same.summary.changed, 0);
    EXPECT_EQ(same.summary.inserted, 0);

    // into a fresh store: the same rights (spatial formats with their geometry)
    auto b = make_store(tmp.file(std::string("b-") + fmt + ".gpkg"));
    auto fresh = import(*b, out, "2022-01-01");
    ASSERT_TRUE(fresh.problems.empty()) << problems_text(fresh);
    const bool spatial = std::string(fmt) != "csv" && std::string(fmt) != "xlsx";
    auto got = contents(*b, spatial);
    const auto &want = spatial ? with_geom : without_geom;
    ASSERT_EQ(got.size(), want.size());
    for (const auto &[uid, j] : want)
      EXPECT_EQ(got[uid], j) << uid;
  }
  // the shapefile: .prj, .cpg of UTF-8, short names
  EXPECT_EQ(read_file(tmp.file("rights.cpg")), "UTF-8");
  EXPECT_NE(read_file(tmp.file("rights.prj")).find("2000"), std::string::npos);
  auto layers = io::read_ogr(tmp.file("rights.shp"));
  EXPECT_NE(std::find(layers.columns.begin(), layers.columns.end(), "off_km2"),
            layers.columns.end());
  EXPECT_NE(std::find(layers.columns.begin(), layers.columns.end(), "scale_cls"),
            layers.columns.end());
  for (const auto &c : layers.columns)
    EXPECT_LE(c.size(), 10u) << c;
}

TEST(IoRoundTrip, ExportRefusesToOverwriteAndAttributeLayers) {
  TempDir tmp;
  auto st = make_store(tmp.file("s.gpkg"));
  io::ExportOptions eo;
  eo.layer = "rights";
  write_file(tmp.file("exists.geojson"), "{}");
  EXPECT_THROW(io::export_layer(*st, tmp.file("exists.geojson"), eo, schema()), InputError);
  EXPECT_EQ(read_file(tmp.file("exists.geojson")), "{}");
  write_file(tmp.file("r.dbf"), "x"); // a shapefile's sidecar counts too
  EXPECT_THROW(io::export_layer(*st, tmp.file("r.shp"), eo, schema()), InputError);

  eo.layer = "plans";
  for (const char *fmt : {"csv", "xlsx", "geojson", "gpkg"}) {
    SCOPED_TRACE(fmt);
    auto ex = io::export_layer(*st, tmp.file(std::string("plans.") + fmt), eo, schema());
    EXPECT_EQ(ex.features, static_cast<std::int64_t>(catalogue().plans.size()));
    auto t = io::read_ogr(tmp.file(std::string("plans.") + fmt));
    EXPECT_EQ(t.records.size(), catalogue().plans.size());
    EXPECT_NE(std::find(t.columns.begin(), t.columns.end(), "title"), t.columns.end());
  }
  EXPECT_THROW(io::export_layer(*st, tmp.file("plans.shp"), eo, schema()), InputError);
  EXPECT_THROW(io::export_layer(*st, tmp.file("plans.txt"), eo, schema()), InputError);
  eo.layer = "no_such_layer";
  EXPECT_THROW(io::export_layer(*st, tmp.file("x.csv"), eo, schema()), InputError);
}

TEST(IoRoundTrip, GbkShapefiles) {
  // Chinese field names fit the DBF's 10 bytes in GBK (8 bytes for 4 characters), not in UTF-8.
  TempDir tmp;
  auto st = make_store(tmp.file("s.gpkg"));
  std::vector<std::string> gbk_fields;
  for (const char *f : {"许可证号", "矿山名称", "采矿权人", "开采矿种", "矿山规模"})
    gbk_fields.push_back(to_gbk(f));
  std::vector<FeatureSpec> feats;
  feats.push_back({{"C1506212021037120101", to_gbk("达拉特旗甲煤矿"), to_gbk("甲煤业有限公司"),
                    to_gbk("煤炭"), to_gbk("中型")},
                   square(109.9, 40.1, 0.02)});
  int variant = 0;
  for (const std::string cpg : {"GBK", "936", ""}) {
    SCOPED_TRACE("cpg=" + cpg);
    const std::string shp = tmp.file("gbk" + std::to_string(variant) + ".shp");
    // ENCODING="" writes the bytes as given, with no code page in the DBF and no .cpg.
    write_layer(shp, "ESRI Shapefile", gbk_fields, feats, 4490, {"ENCODING="});
    fs::remove(fs::path(shp).replace_extension(".cpg"));
    EXPECT_EQ(read_file(fs::path(shp).replace_extension(".dbf")).at(29), '\0'); // no LDID code page
    if (!cpg.empty()) write_file(fs::path(shp).replace_extension(".cpg"), cpg);
    auto t = io::read_ogr(shp);
    EXPECT_EQ(t.columns.at(0), "许可证号");
    EXPECT_EQ(t.columns.at(1), "矿山名称");
    ASSERT_EQ(t.records.size(), 1u);
    EXPECT_EQ(t.records[0].values.at(1), "达拉特旗甲煤矿");
    if (cpg.empty()) {
      bool warned = false;
      for (const auto &w : t.warnings)
        warned |= w.find("GBK") != std::string::npos;
      EXPECT_TRUE(warned);
    }
    auto r = import(*st, shp, "2021-06-30");
    ASSERT_TRUE(r.problems.empty()) << problems_text(r);
    auto right = st->right_history("C1506212021037120101").back();
    EXPECT_EQ(right.name, "达拉特旗甲煤矿");
    EXPECT_EQ(right.holder, "甲煤业有限公司");
    EXPECT_EQ(right.scale_class, "medium");
    ++variant;
  }
}

TEST(IoRoundTrip, ReprojectsGaussKrugerWithPrj) {
  // CGCS2000 3-degree zone 37 with the zone prefix (EPSG:4525): a 2 km x 1.5 km block.
  TempDir tmp;
  auto st = make_store(tmp.file("s.gpkg"));
  const double x0 = 37399162.38, y0 = 4367770.34;
  geo::MultiPolygon gk{geo::Polygon{
      {{x0, y0}, {x0 + 2000, y0}, {x0 + 2000, y0 + 1500}, {x0, y0 + 1500}, {x0, y0}}, {}}};
  write_layer(tmp.file("gk.shp"), "ESRI Shapefile", {"XKZH", "KSMC", "KZ"},
              {{{"C1506272021037120201", "gk-test", "coal"}, gk}}, 4525, {"ENCODING=UTF-8"});
  // "coal" is not a mineral name: the first run fails on it, naming the feature.
  auto bad = import(*st, tmp.file("gk.shp"), "2021-06-30");
  ASSERT_EQ(bad.problems.size(), 1u);
  EXPECT_EQ(bad.problems[0].str(), "feature 1: KZ: unknown mineral \"coal\"; expected a name or "
                                   "alias of the mineral catalogue (data/minerals.json)");

  write_layer(tmp.file("gk2.shp"), "ESRI Shapefile", {"XKZH", "KSMC", "KZ"},
              {{{"C1506272021037120201", "gk-test", "煤炭"}, gk}}, 4525, {"ENCODING=UTF-8"});
  auto r = import(*st, tmp.file("gk2.shp"), "2021-06-30");
  ASSERT_TRUE(r.problems.empty()) << problems_text(r);
  auto right = st->right_history("C1506272021037120201").back();
  ASSERT_TRUE(right.geometry);
  const auto &p0 = right.geometry->at(0).outer.at(0);
  EXPECT_NEAR(p0.x, 109.83, 0.01); // zone 37: central meridian 111°E, 100 km west
  EXPECT_NEAR(p0.y, 39.44, 0.01);
  ASSERT_TRUE(right.official_area_m2);
  EXPECT_NEAR(*right.official_area_m2, 3e6, 1.0); // the planar GK area, back from lon/lat
  EXPECT_GT(geo::signed_ring_area(right.geometry->at(0).outer), 0); // counter-clockwise

  // Xian 1980 source: imported, with the ballpark-datum warning.
  write_layer(tmp.file("x80.gpkg"), "GPKG", {"许可证号", "开采矿种"},
              {{{"C1506272021037120202", "煤炭"}, gk}}, 2361); // Xian 1980 3-degree zone 37
  auto x = import(*st, tmp.file("x80.gpkg"), "2021-06-30");
  ASSERT_TRUE(x.problems.empty()) << problems_text(x);
  bool warned = false;
  for (const auto &w : x.warnings)
    warned |= w.find("100 m") != std::string::npos;
  EXPECT_TRUE(warned);

  // No .prj: zone-prefixed eastings are recognised (with a warning).
  write_layer(tmp.file("noprj.shp"), "ESRI Shapefile", {"XKZH", "KZ"},
              {{{"C1506272021037120203", "煤炭"}, gk}}, 4525, {"ENCODING=UTF-8"});
  fs::remove(tmp.file("noprj.prj"));
  auto np = import(*st, tmp.file("noprj.shp"), "2021-06-30");
  ASSERT_TRUE(np.problems.empty()) << problems_text(np);
  ASSERT_FALSE(np.warnings.empty());
  EXPECT_NE(np.warnings[0].find("EPSG:4525"), std::string::npos) << np.warnings[0];
}

TEST(IoRoundTrip, GeometryProblemsNameTheFeature) {
  TempDir tmp;
  auto st = make_store(tmp.file("s.gpkg"));
  const std::string before = Json(contents(*st, true)).dump();
  geo::MultiPolygon bowtie{
      geo::Polygon{{{110, 40}, {110.02, 40.02}, {110, 40.02}, {110.02, 40}, {110, 40}}, {}}};
  write_file(tmp.file("bad.geojson"), R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"许可证号":"C1","开采矿种":"煤炭"},"geometry":{"type":"Polygon","coordinates":[[[110,40],[110.02,40],[110.02,40.02],[110,40.02],[110,40]]]}},
{"type":"Feature","properties":{"许可证号":"C2","开采矿种":"煤炭"},"geometry":{"type":"Polygon","coordinates":[[[110,40],[110.02,40.02],[110,40.02],[110.02,40],[110,40]]]}},
{"type":"Feature","properties":{"许可证号":"C3","开采矿种":"煤炭"},"geometry":{"type":"LineString","coordinates":[[110,40],[110.02,40.02]]}},
{"type":"Feature","properties":{"许可证号":"C4","开采矿种":"煤炭"},"geometry":{"type":"Point","coordinates":[110,40]}}
]})");
  auto r = import(*st, tmp.file("bad.geojson"), "2021-06-30");
  ASSERT_EQ(r.problems.size(), 3u) << problems_text(r);
  EXPECT_EQ(r.problems[0].number, 2);
  EXPECT_NE(r.problems[0].str().find("feature 2: geometry: invalid polygon: Self-intersection"),
            std::string::npos)
      << r.problems[0].str();
  EXPECT_NE(r.problems[1].str().find(
                "feature 3: geometry: expected a Polygon or MultiPolygon, found Line String"),
            std::string::npos)
      << r.problems[1].str();
  EXPECT_NE(r.problems[2].str().find("found Point"), std::string::npos);
  EXPECT_FALSE(r.written);
  EXPECT_EQ(Json(contents(*st, true)).dump(), before);
}

TEST(IoRoundTrip, CoordinateFileExportAndImport) {
  TempDir tmp;
  auto st = make_store(tmp.file("s.gpkg"));
  write_layer(tmp.file("in.gpkg"), "GPKG", kFields, sample_rights(), 4490);
  ASSERT_TRUE(import(*st, tmp.file("in.gpkg"), "2021-06-30").problems.empty());
  io::ExportOptions eo;
  eo.layer = "rights";
  auto ex = io::export_layer(*st, tmp.file("rights.txt"), eo, schema());
  EXPECT_EQ(ex.features, 6);
  ASSERT_EQ(ex.files.size(), 1u); // all in zone 37
  auto cf = geo::read_coordinate_file(tmp.file("rights.txt"));
  EXPECT_FALSE(cf.has_errors());
  EXPECT_EQ(cf.crs.zone, 37);
  EXPECT_TRUE(cf.crs.zone_prefixed);
  ASSERT_EQ(cf.parcels.size(), 6u);
  EXPECT_EQ(cf.parcels[0].number, "C1506212021037120001");
  EXPECT_EQ(cf.parcels[1].geometry.at(0).holes.size(), 1u);
  EXPECT_EQ(cf.parcels[2].geometry.size(), 2u);
  EXPECT_EQ(cf.parcels[0].declared_area_match, "exact");

  // Back in: each parcel gives its right a (millimetre-rounded) boundary as a new version.
  auto before = st->rights({});
  auto r = import(*st, tmp.file("rights.txt"), "2022-01-01");
  ASSERT_TRUE(r.problems.empty()) << problems_text(r);
  EXPECT_EQ(r.format, "coordinate file");
  EXPECT_EQ(r.summary.changed + r.summary.unchanged, 6);
  for (const auto &old : before) {
    if (!old.geometry) continue;
    auto now = st->right_history(old.uid).back();
    ASSERT_TRUE(now.geometry);
    EXPECT_NEAR(*now.official_area_m2, *old.official_area_m2, 10.0); // points rounded to 1 mm
    EXPECT_NEAR(now.geometry->at(0).outer.at(0).x, old.geometry->at(0).outer.at(0).x, 1e-7);
  }
  // A parcel naming no known right is a problem.
  std::string text = read_file(tmp.file("rights.txt"));
  auto pos = text.find("C1506212021037120001");
  text.replace(pos, 20, "C9999999999999999999");
  text.replace(text.find("测试煤矿1"), std::string("测试煤矿1").size(), "不存在的矿");
  write_file(tmp.file("unknown.txt"), text);
  auto u = import(*st, tmp.file("unknown.txt"), "2022-02-01");
  ASSERT_EQ(u.problems.size(), 1u) << problems_text(u);
  EXPECT_EQ(u.problems[0].unit, "parcel");
  EXPECT_EQ(u.problems[0].number, 1);
  EXPECT_FALSE(u.written);
}

TEST(IoRoundTrip, OgrinfoReadsTheStore) {
  SKIP_ON_POSTGRES("ogrinfo reads the GeoPackage file");
  TempDir tmp;
  auto st = make_store(tmp.file("s.gpkg"));
  write_layer(tmp.file("in.gpkg"), "GPKG", kFields, sample_rights(), 4490);
  ASSERT_TRUE(import(*st, tmp.file("in.gpkg"), "2021-06-30").problems.empty());
  std::int64_t rows = 0;
  st->for_each_feature("imports", [](const store::Feature &) {});
  for (const auto &l : st->layers())
    if (l.name == "rights") rows = l.count; // current versions == all rows here (one version each)
  st.reset();

  if (run("ogrinfo --version").status != 0) GTEST_SKIP() << "ogrinfo not installed";
  auto list = run("ogrinfo -ro -q " + q(tmp.file("s.gpkg")));
  ASSERT_EQ(list.status, 0) << list.output;
  for (const char *layer : {"rights (Multi Polygon)", "mines (Multi Polygon)",
                            "zones (Multi Polygon)", "divisions (Multi Polygon)", "plans"})
    EXPECT_NE(list.output.find(layer), std::string::npos) << layer << "\n" << list.output;
  auto so = run("ogrinfo -ro -so " + q(tmp.file("s.gpkg")) + " rights");
  ASSERT_EQ(so.status, 0) << so.output;
  EXPECT_NE(so.output.find("Feature Count: " + std::to_string(rows)), std::string::npos)
      << so.output;
  EXPECT_NE(so.output.find("EPSG\",4490"), std::string::npos) << so.output;
  EXPECT_NE(so.output.find("licence_no: String"), std::string::npos) << so.output;
}

TEST(IoRoundTrip, CliExport) {
  const std::string bin = MINEPLAN_BINARY;
  if (!fs::exists(bin)) GTEST_SKIP() << bin << " not built";
  TempDir tmp;
  make_store(tmp.file("s.gpkg")).reset();
  auto r = run(q(bin) + " export " + q(mineplan::testing::store_location(tmp.file("s.gpkg"))) +
               " --layer zones --format shp " + q(tmp.file("z.shp")));
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("geometry_source"), std::string::npos) << r.output; // renamed list
  auto again = run(q(bin) + " export " + q(mineplan::testing::store_location(tmp.file("s.gpkg"))) +
                   " --layer zones " + q(tmp.file("z.shp")));
  EXPECT_EQ(again.status, 2) << again.output;
  EXPECT_NE(again.output.find("refusing to overwrite"), std::string::npos) << again.output;
}

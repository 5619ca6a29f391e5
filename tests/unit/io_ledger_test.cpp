// Ledgers: cell parsers, the column dictionary, CSV/XLSX ledgers with Chinese headers,
// versioning by licence number.
#include "io/ogr_import.hpp"
#include "io_support.hpp"

using namespace io_test;
using namespace mineplan;

TEST(IoLedger, Dates) {
  EXPECT_EQ(io::parse_date("2021-03-01"), "2021-03-01");
  EXPECT_EQ(io::parse_date("2021/3/1"), "2021-03-01");
  EXPECT_EQ(io::parse_date("2021.3.1"), "2021-03-01");
  EXPECT_EQ(io::parse_date("2021年3月1日"), "2021-03-01");
  EXPECT_EQ(io::parse_date("2021年03月01日"), "2021-03-01");
  EXPECT_EQ(io::parse_date("20210301"), "2021-03-01");
  EXPECT_EQ(io::parse_date(" 2021-03-01 00:00:00 "), "2021-03-01");
  EXPECT_EQ(io::parse_date("２０２１／３／１"), "2021-03-01"); // full-width
  EXPECT_EQ(io::parse_date("44256", true), "2021-03-01");      // Excel serial
  EXPECT_EQ(io::parse_date("44256.5", true), "2021-03-01");
  EXPECT_EQ(io::parse_date("36526", true), "2000-01-01");
  EXPECT_FALSE(io::parse_date("44256")); // not from a spreadsheet
  EXPECT_FALSE(io::parse_date("2021-02-29"));
  EXPECT_FALSE(io::parse_date("2020-13-01"));
  EXPECT_FALSE(io::parse_date("2021-3"));
  EXPECT_FALSE(io::parse_date("明年"));
  EXPECT_FALSE(io::parse_date("21/3/1"));
  EXPECT_EQ(io::parse_date("2020-02-29"), "2020-02-29");
}

TEST(IoLedger, NumbersListsHeaders) {
  EXPECT_EQ(io::parse_number("1,200.5"), 1200.5);
  EXPECT_EQ(io::parse_number("１２．５"), 12.5);
  EXPECT_EQ(io::parse_number(" 7 "), 7);
  EXPECT_FALSE(io::parse_number("三十"));
  EXPECT_FALSE(io::parse_number("12abc"));
  auto q = io::parse_number_with_unit("13.9万吨/年");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->first, 13.9);
  EXPECT_EQ(q->second, "万吨/年");
  EXPECT_EQ(io::split_list("煤炭、铁矿"), (std::vector<std::string>{"煤炭", "铁矿"}));
  EXPECT_EQ(io::split_list("煤炭，铁矿;金"), (std::vector<std::string>{"煤炭", "铁矿", "金"}));
  EXPECT_EQ(io::split_list("[\"煤炭\",\"铁\"]"), (std::vector<std::string>{"煤炭", "铁"}));
  EXPECT_EQ(io::split_header("生产规模（万吨/年）"),
            (std::pair<std::string, std::string>{"生产规模", "万吨/年"}));
  EXPECT_EQ(io::split_header(" 矿区面积(公顷) "),
            (std::pair<std::string, std::string>{"矿区面积", "公顷"}));
  EXPECT_EQ(io::split_header("\xEF\xBB\xBF许可证号"),
            (std::pair<std::string, std::string>{"许可证号", ""}));
}

TEST(IoLedger, DictionaryMatchesHeaders) {
  const auto &s = schema();
  EXPECT_EQ(s.match("rights", "许可证号").field, "licence_no");
  EXPECT_EQ(s.match("rights", "XKZH").field, "licence_no");
  EXPECT_EQ(s.match("rights", "采矿权人").field, "holder");
  EXPECT_EQ(s.match("rights", "生产规模（万吨/年）").field, "scale_value");
  EXPECT_EQ(s.match("rights", "生产规模（万吨/年）").unit, "万吨/年");
  EXPECT_EQ(s.match("rights", "矿区面积(公顷)").unit, "ha");
  EXPECT_EQ(s.match("rights", "jurisdict").field, "jurisdiction"); // shapefile short name
  EXPECT_EQ(s.match("rights", "Scale_Class").field, "scale_class");
  EXPECT_TRUE(s.match("rights", "序号").ignored);
  EXPECT_TRUE(s.match("rights", "off_km2").ignored);
  EXPECT_EQ(s.match("rights", "备注").field, "");
  EXPECT_EQ(s.match("zones", "kind").field, "zone_kind");
  EXPECT_EQ(s.match("rights", "kind").field, "kind");
  EXPECT_EQ(s.lookup("scale_class", "大型"), "large");
  EXPECT_EQ(s.lookup("scale_class", "below_small"), "below_small");
  EXPECT_EQ(s.lookup("method", "露天+地下"), "open-pit+underground");
  EXPECT_EQ(s.lookup("method", "井工"), "underground");
  EXPECT_EQ(s.lookup("status", "生产"), "producing");
  EXPECT_EQ(s.lookup("zone_kind", "集中开采区"), "concentrated_area");
  EXPECT_FALSE(s.lookup("scale_class", "巨型"));
  EXPECT_EQ(s.kind_from_licence("C1525002010127120089745"), "mining");
  EXPECT_EQ(s.kind_from_licence("T15120080302005927"), "exploration");
  EXPECT_FALSE(s.kind_from_licence("CX"));
}

TEST(IoLedger, DictionaryValidation) {
  Json bad = Json::parse(R"({
    "fields": [
      {"field": "licence_no", "layers": ["rights", "mines"], "headers": ["许可证号"]},
      {"field": "holder", "layers": ["rights"], "headers": ["许可证号"]},
      {"field": "colour", "layers": ["rights"], "headers": ["颜色"]},
      {"field": "status", "layers": ["rights"], "headers": ["状态"], "vocabulary": "nope"}
    ],
    "vocabularies": {"scale_class": {"大型": "huge"}, "planets": {}},
    "shapefile_names": {"official_area_km2": "official_area", "short": "s"}
  })");
  try {
    io::LedgerSchema::parse(bad, "ledger-columns.json");
    FAIL() << "expected problems";
  } catch (const Error &e) {
    std::string m = e.what();
    EXPECT_NE(m.find("fields[1].headers: header \"许可证号\" already maps to \"licence_no\""),
              std::string::npos)
        << m;
    EXPECT_NE(m.find("fields[2].field: \"colour\" is not a field"), std::string::npos) << m;
    EXPECT_NE(m.find("fields[3].vocabulary"), std::string::npos) << m;
    EXPECT_NE(m.find("vocabularies.scale_class.大型: \"huge\" is not one of"), std::string::npos)
        << m;
    EXPECT_NE(m.find("vocabularies.planets: unknown vocabulary"), std::string::npos) << m;
    EXPECT_NE(m.find("shapefile_names.official_area_km2: expected a name of 1-10 characters"),
              std::string::npos)
        << m;
    EXPECT_NE(m.find("shapefile_names.short: only names longer"), std::string::npos) << m;
  }
}

TEST(IoLedger, CsvWithChineseHeaders) {
  TempDir tmp;
  auto st = make_store(tmp.file("s.gpkg"));
  const std::string csv = tmp.file("台账.csv");
  write_file(csv, "\xEF\xBB\xBF序号,许可证号,矿山名称,采矿权人,开采矿种,矿山规模,生产规模,规模单位,"
                  "生产状态,开采方式,"
                  "行政区代码,有效期起,有效期止,矿区面积,面积单位,备注\n"
                  "1,C1506212021037120001,达拉特旗甲煤矿,\"甲煤业有限公司, "
                  "分公司\",煤,中型,120,万吨/年,生产,井工,150621,"
                  "2021/3/1,2031年3月1日,5.2345,公顷,整合保留\n"
                  "2,C1506212021037120002,达拉特旗乙砂场,乙建材有限公司,建筑用砂,小型,5,万立方米/"
                  "年,在建,露天+地下,"
                  "150621,20210301,2026-03-01,12,亩,\n");
  io::ImportOptions o;
  o.as_of = "2021-06-30";
  auto r = io::import_file(*st, csv, o, schema());
  ASSERT_TRUE(r.problems.empty()) << r.problems.front().str();
  EXPECT_EQ(r.summary.inserted, 2);
  EXPECT_EQ(r.format, "CSV");
  auto hist = st->right_history("C1506212021037120001");
  ASSERT_EQ(hist.size(), 1u);
  const Right &a = hist[0];
  EXPECT_EQ(a.kind, "mining");
  EXPECT_EQ(a.name, "达拉特旗甲煤矿");
  EXPECT_EQ(a.holder, "甲煤业有限公司, 分公司");
  EXPECT_EQ(a.minerals, std::vector<std::string>{"煤炭"});
  EXPECT_EQ(a.scale_class, "medium");
  ASSERT_TRUE(a.scale);
  EXPECT_EQ(a.scale->value, 120);
  EXPECT_EQ(a.scale->unit, "万吨/年");
  EXPECT_EQ(a.status, "producing");
  EXPECT_EQ(a.method, "underground");
  EXPECT_EQ(a.jurisdiction, "150621");
  EXPECT_EQ(a.valid_from, "2021-03-01");
  EXPECT_EQ(a.valid_to, "2031-03-01");
  ASSERT_TRUE(a.area);
  EXPECT_EQ(a.area->unit, "ha");
  EXPECT_EQ(a.attributes.value("备注", ""), "整合保留");
  EXPECT_FALSE(a.attributes.contains("序号"));
  EXPECT_EQ(a.source, "台账.csv");
  EXPECT_EQ(a.version_from, "2021-06-30");
  auto b = st->right_history("C1506212021037120002").at(0);
  EXPECT_EQ(b.method, "open-pit+underground");
  EXPECT_EQ(b.scale->unit, "万立方米/年");
  EXPECT_EQ(b.area->unit, "mu");
  EXPECT_EQ(b.valid_from, "2021-03-01");
}

TEST(IoLedger, GbkCsvWithoutBom) {
  TempDir tmp;
  auto st = make_store(tmp.file("s.gpkg"));
  const std::string csv = tmp.file("gbk.csv");
  write_file(csv, to_gbk("许可证号,矿山名称,采矿权人,开采矿种,生产规模\n"
                         "C1506212021037120009,达拉特旗丙煤矿,丙公司,煤炭,30\n"));
  io::ImportOptions o;
  o.as_of = "2021-06-30";
  auto r = io::import_file(*st, csv, o, schema());
  ASSERT_TRUE(r.problems.empty()) << r.problems.front().str();
  EXPECT_EQ(r.summary.inserted, 1);
  EXPECT_NE(std::string(r.json().dump()).find("GBK"), std::string::npos);
  auto a = st->right_history("C1506212021037120009").at(0);
  EXPECT_EQ(a.name, "达拉特旗丙煤矿");
  EXPECT_EQ(a.scale->unit, "万吨/年"); // from the mineral catalogue
}

TEST(IoLedger, XlsxWithExcelDates) {
  TempDir tmp;
  auto st = make_store(tmp.file("s.gpkg"));
  const std::string xlsx = tmp.file("台账.xlsx");
  {
    // A sheet as Excel saves it: a date typed as a date, one as a bare serial number, one as text.
    io::ogr::ensure_registered();
    GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("XLSX")->Create(
        xlsx.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    ASSERT_TRUE(ds);
    OGRLayer *l = ds->CreateLayer("采矿权", nullptr, wkbNone, nullptr);
    for (auto [name, type] :
         std::vector<std::pair<const char *, OGRFieldType>>{{"许可证号", OFTString},
                                                            {"矿山名称", OFTString},
                                                            {"开采矿种", OFTString},
                                                            {"生产规模", OFTReal},
                                                            {"有效期起", OFTDate},
                                                            {"有效期止", OFTInteger},
                                                            {"行政区代码", OFTInteger}}) {
      OGRFieldDefn fd(name, type);
      l->CreateField(&fd);
    }
    OGRFeatureUniquePtr f(OGRFeature::CreateFeature(l->GetLayerDefn()));
    f->SetField(0, "C1506212021037120021");
    f->SetField(1, "达拉特旗甲煤矿");
    f->SetField(2, "煤炭");
    f->SetField(3, 90.0);
    f->SetField(4, 2021, 3, 1);
    f->SetField(5, 46082); // 2026-03-01
    f->SetField(6, 150621);
    ASSERT_EQ(l->CreateFeature(f.get()), OGRERR_NONE);
  }
  io::ImportOptions o;
  o.as_of = "2021-06-30";
  auto r = io::import_file(*st, xlsx, o, schema());
  ASSERT_TRUE(r.problems.empty()) << r.problems.front().str();
  EXPECT_EQ(r.format, "XLSX");
  EXPECT_EQ(r.source_layer, "采矿权");
  auto a = st->right_history("C1506212021037120021").at(0);
  EXPECT_EQ(a.valid_from, "2021-03-01");
  EXPECT_EQ(a.valid_to, "2026-03-01");
  EXPECT_EQ(a.jurisdiction, "150621");
  EXPECT_EQ(a.scale->value, 90);
}

TEST(IoLedger, VersioningByLicence) {
  TempDir tmp;
  auto st = make_store(tmp.file("s.gpkg"));
  const std::string header =
      "许可证号,矿山名称,采矿权人,开采矿种,矿山规模,生产规模,规模单位,生产状态\n";
  write_file(tmp.file("2020.csv"),
             header + "C1506212021037120001,甲煤矿,甲公司,煤炭,中型,120,万吨/年,生产\n"
                      "C1506212021037120002,乙砂场,乙公司,建筑用砂,小型,5,万立方米/年,在建\n");
  write_file(tmp.file("2022.csv"),
             header + "C1506212021037120001,甲煤矿,甲公司,煤炭,大型,240,万吨/年,生产\n"
                      "C1506212021037120002,乙砂场,乙公司,建筑用砂,小型,5,万立方米/年,在建\n"
                      "C1506212021037120003,丙煤矿,丙公司,煤炭,小型,30,万吨/年,停产\n");
  io::ImportOptions o;
  o.as_of = "2020-12-31";
  auto r1 = io::import_file(*st, tmp.file("2020.csv"), o, schema());
  ASSERT_TRUE(r1.problems.empty());
  EXPECT_EQ(r1.summary.inserted, 2);
  o.as_of = "2022-06-30";
  auto r2 = io::import_file(*st, tmp.file("2022.csv"), o, schema());
  ASSERT_TRUE(r2.problems.empty());
  EXPECT_EQ(r2.summary.inserted, 1);
  EXPECT_EQ(r2.summary.changed, 1);
  EXPECT_EQ(r2.summary.unchanged, 1);

  auto find = [](const std::vector<Right> &rs, const std::string &uid) -> const Right * {
    for (const auto &r : rs)
      if (r.uid == uid) return &r;
    return nullptr;
  };
  auto old_rights = st->rights({"2021-01-01"});
  auto now = st->rights({});
  const Right *old_a = find(old_rights, "C1506212021037120001");
  const Right *new_a = find(now, "C1506212021037120001");
  ASSERT_TRUE(old_a && new_a);
  EXPECT_EQ(old_a->scale_class, "medium");
  EXPECT_EQ(old_a->scale->value, 120);
  EXPECT_EQ(new_a->scale_class, "large");
  EXPECT_EQ(new_a->scale->value, 240);
  EXPECT_EQ(new_a->version_from, "2022-06-30");
  EXPECT_FALSE(find(old_rights, "C1506212021037120003"));
  EXPECT_TRUE(find(now, "C1506212021037120003"));
  EXPECT_EQ(find(now, "C1506212021037120002")->version_from, "2020-12-31");
  EXPECT_EQ(st->right_history("C1506212021037120001").size(), 2u);

  // A change dated before the current version is refused by the store, and nothing lands.
  o.as_of = "2021-01-01";
  write_file(tmp.file("late.csv"),
             header + "C1506212021037120001,甲煤矿,甲公司,煤炭,大型,300,万吨/年,生产\n"
                      "C1506212021037120004,丁煤矿,丁公司,煤炭,小型,30,万吨/年,生产\n");
  EXPECT_THROW(io::import_file(*st, tmp.file("late.csv"), o, schema()), Error);
  EXPECT_TRUE(st->right_history("C1506212021037120004").empty());
}

TEST(IoLedger, MissingColumnsKeepCurrentValues) {
  TempDir tmp;
  auto st = make_store(tmp.file("s.gpkg"));
  write_file(tmp.file("full.csv"),
             "许可证号,矿山名称,采矿权人,开采矿种,有效期起,有效期止\n"
             "C1506212021037120001,甲煤矿,甲公司,煤炭,2021-01-01,2031-01-01\n");
  write_file(tmp.file("holder.csv"), "许可证号,采矿权人\nC1506212021037120001,甲集团公司\n");
  io::ImportOptions o;
  o.as_of = "2021-06-30";
  ASSERT_TRUE(io::import_file(*st, tmp.file("full.csv"), o, schema()).problems.empty());
  o.as_of = "2021-09-30";
  auto r = io::import_file(*st, tmp.file("holder.csv"), o, schema());
  ASSERT_TRUE(r.problems.empty()) << r.problems.front().str();
  EXPECT_EQ(r.summary.changed, 1);
  auto cur = st->right_history("C1506212021037120001").back();
  EXPECT_EQ(cur.holder, "甲集团公司");
  EXPECT_EQ(cur.name, "甲煤矿");
  EXPECT_EQ(cur.valid_to, "2031-01-01");
  EXPECT_EQ(cur.minerals, std::vector<std::string>{"煤炭"});
}

TEST(IoLedger, MinesAndZones) {
  TempDir tmp;
  auto st = make_store(tmp.file("s.gpkg"));
  write_file(tmp.file("mines.csv"), "许可证号,矿山名称,开采矿种,矿山规模,绿色矿山级别,入选年份\n"
                                    "C1506212021037120001,甲煤矿,煤炭,大型,国家级,2020\n");
  io::ImportOptions o;
  o.layer = "mines";
  o.as_of = "2021-06-30";
  auto r = io::import_file(*st, tmp.file("mines.csv"), o, schema());
  ASSERT_TRUE(r.problems.empty()) << r.problems.front().str();
  EXPECT_EQ(r.summary.inserted, 1);
  bool found = false;
  for (const auto &m : st->mines({}))
    if (m.uid == "C1506212021037120001") {
      found = true;
      EXPECT_EQ(m.green_level, "national");
      EXPECT_EQ(m.green_year, 2020);
      EXPECT_EQ(m.scale_class, "large");
    }
  EXPECT_TRUE(found);

  // Zones: a new one from GeoJSON with its kind, for a plan of the store.
  const std::string plan = catalogue().plans.front().plan.id;
  write_layer(tmp.file("zones.geojson"), "GeoJSON", {"名称", "类型", "编号", "矿种"},
              {{{"测试新集中区", "集中开采区", "JZ99", "建筑用砂"}, square(109.9, 40.1, 0.02)}},
              4490);
  io::ImportOptions zo;
  zo.layer = "zones";
  zo.plan = plan;
  auto zr = io::import_file(*st, tmp.file("zones.geojson"), zo, schema());
  ASSERT_TRUE(zr.problems.empty()) << zr.problems.front().str();
  EXPECT_EQ(zr.summary.inserted, 1);
  auto pd = st->plan(plan);
  ASSERT_TRUE(pd);
  bool zone = false;
  for (const auto &z : pd->zones)
    if (z.id == "jz99") {
      zone = true;
      EXPECT_EQ(z.kind, "concentrated_area");
      EXPECT_TRUE(z.geometry);
      ASSERT_TRUE(z.official_area_m2);
      EXPECT_GT(*z.official_area_m2, 3e6);
    }
  EXPECT_TRUE(zone);

  io::ImportOptions bad = zo;
  bad.plan = "no-such-plan";
  EXPECT_THROW(io::import_file(*st, tmp.file("zones.geojson"), bad, schema()), InputError);
}

TEST(IoLedger, ExplorationLedger) {
  TempDir tmp;
  auto st = make_store(tmp.file("s.gpkg"));
  io::ImportOptions o;
  o.as_of = "2021-06-30";
  auto r = io::import_file(
      *st, fs::path(MINEPLAN_SOURCE_DIR) / "tests/cases/import/ok_exploration.csv", o, schema());
  ASSERT_TRUE(r.problems.empty()) << r.problems.front().str();
  auto t = st->right_history("T15120210301000002").at(0);
  EXPECT_EQ(t.kind, "exploration");
  EXPECT_EQ(t.name, "某金矿普查");
  EXPECT_EQ(t.holder, "某地质队");
  EXPECT_EQ(t.attributes.value("exploration_stage", ""), "general");
  EXPECT_EQ(t.valid_to, "2024-02-29");
  EXPECT_EQ(t.area->value, 12.1);
}

// A survey file gives a zone of the seed plans its boundary (data/ only).
TEST(IoLedger, CoordinateFileGivesAZoneItsBoundary) {
  const fs::path txt = fs::path(MINEPLAN_SOURCE_DIR) /
                       "data/plans/ejin-horo-green-2021/geometry/green-demo-zone.txt";
  bool have_plan = false;
  for (const auto &p : catalogue().plans)
    have_plan |= p.plan.id == "ejin-horo-green-2021";
  if (!have_plan || !fs::exists(txt)) GTEST_SKIP() << "the Ejin Horo plan is not in data/";
  TempDir tmp;
  auto st = make_store(tmp.file("s.gpkg"));
  io::ImportOptions o;
  o.layer = "zones";
  o.plan = "ejin-horo-green-2021";
  auto r = io::import_file(*st, txt, o, schema());
  ASSERT_TRUE(r.problems.empty()) << r.problems.front().str();
  EXPECT_EQ(r.summary.changed, 1);
  bool warned = false;
  for (const auto &w : r.warnings)
    warned |= w.find("100 m") != std::string::npos; // Xian 1980
  EXPECT_TRUE(warned);
  bool found = false;
  const auto plan = st->plan(o.plan);
  ASSERT_TRUE(plan);
  for (const auto &z : plan->zones)
    if (z.geometry_source.starts_with("green-demo-zone.txt (")) {
      found = true;
      ASSERT_TRUE(z.official_area_m2);
      EXPECT_NEAR(*z.official_area_m2 / 1e6, 1202.62, 0.01); // the seed's figure (附表5)
    }
  EXPECT_TRUE(found);
}

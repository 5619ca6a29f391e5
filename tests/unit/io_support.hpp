#pragma once
// Shared helpers of the import/export tests (tests/unit/io_*.cpp).
#include "core/error.hpp"
#include "core/model_json.hpp"
#include "io/catalogue_loader.hpp"
#include "io/ledger.hpp"
#include "io/ogr_util.hpp"
#include "store/store.hpp"
#include "store_support.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <cpl_string.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <sys/wait.h>

namespace io_test {

namespace fs = std::filesystem;
using mineplan::Json;

using mineplan::testing::TempDir;

inline mineplan::geo::MultiPolygon square(double x, double y, double d) {
  return {mineplan::geo::Polygon{{{x, y}, {x + d, y}, {x + d, y + d}, {x, y + d}, {x, y}}, {}}};
}

// A small catalogue, for when data/ does not validate (colleagues finishing it).
inline mineplan::Catalogue small_catalogue() {
  using namespace mineplan;
  Catalogue c;
  c.divisions = {{"150000", "内蒙古自治区", "region", "", std::nullopt},
                 {"150600", "鄂尔多斯市", "league", "150000", std::nullopt},
                 {"150621", "达拉特旗", "county", "150600", std::nullopt},
                 {"150627", "伊金霍洛旗", "county", "150600", std::nullopt}};
  Citation cite{"test.txt", "专栏1", ""};
  c.minerals = {{"煤炭", {"煤", "原煤"}, "energy", "万吨/年", "high", cite, {}},
                {"建筑用砂", {"普通建筑用砂"}, "nonmetal", "万立方米/年", "none", cite, {}},
                {"铁", {"铁矿"}, "metal", "万吨/年", "low", cite, {}},
                {"金", {"金矿", "岩金"}, "metal", "万吨/年", "low", cite, {}},
                {"萤石", {"萤石矿"}, "nonmetal", "万吨/年", "low", cite, {}},
                {"地热", {}, "energy", "立方米/日", "none", cite, {}}};
  PlanData p;
  p.plan.id = "dalad-2021";
  p.plan.title = "测试规划";
  p.plan.type = "master";
  p.plan.level = "county";
  p.plan.jurisdiction = "150621";
  p.plan.base_year = 2020;
  p.plan.period_start = 2021;
  p.plan.period_end = 2025;
  p.plan.in_force_from = "2021-01-01";
  p.plan.in_force_to = "2025-12-31";
  p.plan.seed = "test.txt";
  Zone z;
  z.id = "ca-test";
  z.plan_id = p.plan.id;
  z.kind = "concentrated_area";
  z.name = "测试集中开采区";
  z.minerals = {"建筑用砂"};
  z.area = Quantity::make(2.5, "km2");
  z.cite = cite;
  p.zones.push_back(z);
  c.plans.push_back(p);
  return c;
}

// data/ when it validates, else the small catalogue.
inline const mineplan::Catalogue &catalogue() {
  static const mineplan::Catalogue cat = [] {
    try {
      return mineplan::io::load_catalogue(fs::path(MINEPLAN_SOURCE_DIR) / "data");
    } catch (const std::exception &e) {
      std::fprintf(stderr, "[io tests] data/ does not load (%s); using a small catalogue\n",
                   std::string(e.what()).substr(0, 200).c_str());
      return small_catalogue();
    }
  }();
  return cat;
}

// A new store with the seed catalogue at `path` (on PostgreSQL, in a schema named after it).
inline std::unique_ptr<mineplan::store::Store> make_store(const std::string &path) {
  auto st = mineplan::store::Store::open(mineplan::testing::store_location(path), true);
  st->load_catalogue(catalogue());
  return st;
}

inline const mineplan::io::LedgerSchema &schema() {
  static const auto s = mineplan::io::LedgerSchema::load(fs::path(MINEPLAN_SOURCE_DIR) / "data" /
                                                         "ledger-columns.json");
  return s;
}

inline void write_file(const fs::path &p, const std::string &text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

inline std::string read_file(const fs::path &p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string to_gbk(const std::string &utf8) {
  std::unique_ptr<char, decltype(&CPLFree)> out(CPLRecode(utf8.c_str(), CPL_ENC_UTF8, "CP936"),
                                                &CPLFree);
  return out.get();
}

struct RunResult {
  int status = -1;
  std::string output; // stdout and stderr
};

// Runs a shell command, capturing stdout and stderr.
inline RunResult run(const std::string &cmd) {
  RunResult r;
  FILE *p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p))
    r.output.append(buf.data(), n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

inline std::string q(const std::string &s) {
  return "'" + s + "'";
}

// The content of a right, without what an import legitimately changes (version, source).
inline Json right_content(const mineplan::Right &r, bool with_geometry = true) {
  Json j = mineplan::to_json(r);
  j.erase("version_from");
  j.erase("version_to");
  j.erase("source");
  if (!with_geometry) {
    j.erase("has_geometry");
    j.erase("official_area_km2");
  } else if (r.geometry) {
    Json g = Json::array();
    for (const auto &poly : *r.geometry) {
      Json rings = Json::array();
      auto ring = [](const mineplan::geo::Ring &rr) {
        Json a = Json::array();
        for (const auto &p : rr)
          a.push_back(Json::array({p.x, p.y}));
        return a;
      };
      rings.push_back(ring(poly.outer));
      for (const auto &h : poly.holes)
        rings.push_back(ring(h));
      g.push_back(rings);
    }
    j["geometry"] = g;
  }
  return j;
}

// A feature layer written with GDAL: string fields, polygons.
struct FeatureSpec {
  std::vector<std::string> values; // per field; "" = null
  std::optional<mineplan::geo::MultiPolygon> geometry;
};

inline void write_layer(const std::string &path, const char *driver_name,
                        const std::vector<std::string> &fields,
                        const std::vector<FeatureSpec> &features, int epsg,
                        const std::vector<std::string> &lco = {},
                        const std::string &layer_name = "rights") {
  mineplan::io::ogr::ensure_registered();
  GDALDriver *drv = GetGDALDriverManager()->GetDriverByName(driver_name);
  ASSERT_NE(drv, nullptr);
  GDALDatasetUniquePtr ds(drv->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  ASSERT_TRUE(ds);
  CPLStringList opts;
  for (const auto &o : lco)
    opts.AddString(o.c_str());
  std::optional<OGRSpatialReference> srs;
  if (epsg) srs = mineplan::io::ogr::from_epsg(epsg);
  OGRLayer *layer = ds->CreateLayer(layer_name.c_str(), srs ? &*srs : nullptr,
                                    epsg ? wkbMultiPolygon : wkbNone, opts.List());
  ASSERT_NE(layer, nullptr);
  for (const auto &f : fields) {
    OGRFieldDefn fd(f.c_str(), OFTString);
    ASSERT_EQ(layer->CreateField(&fd), OGRERR_NONE);
  }
  ds->StartTransaction();
  for (const auto &spec : features) {
    OGRFeatureUniquePtr feat(OGRFeature::CreateFeature(layer->GetLayerDefn()));
    for (std::size_t i = 0; i < spec.values.size(); ++i)
      if (!spec.values[i].empty()) feat->SetField(static_cast<int>(i), spec.values[i].c_str());
    if (spec.geometry) {
      auto g = mineplan::io::ogr::to_ogr(*spec.geometry);
      feat->SetGeometry(g.get());
    }
    ASSERT_EQ(layer->CreateFeature(feat.get()), OGRERR_NONE);
  }
  ds->CommitTransaction();
}

} // namespace io_test

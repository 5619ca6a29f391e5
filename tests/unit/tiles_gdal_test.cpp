// The vector-tile engine read back by GDAL's MVT driver (a reader the engine shares no code
// with): feature count, ids, property values and types, rings, and areas reprojected back to
// lon/lat, against the source features.
#include "io/ogr_util.hpp"
#include "temp_dir.hpp"
#include "tiles/layer_tiles.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <numbers>
#include <random>

using namespace mineplan;
using namespace mineplan::tiles;

namespace {

constexpr double kPi = std::numbers::pi;

// lon/lat of the point (u, v) in tile units of tile (z, x, y), extent 4096.
geo::Point lonlat_at(int z, std::int64_t tx, std::int64_t ty, double u, double v) {
  const double n = std::ldexp(4096.0, z);
  const double wx = (static_cast<double>(tx) * 4096 + u) / n;
  const double wy = (static_cast<double>(ty) * 4096 + v) / n;
  return {wx * 360 - 180, std::atan(std::sinh(kPi * (1 - 2 * wy))) * 180 / kPi};
}

// A wavy star drawn in tile units around (cu, cv), returned in lon/lat; `reverse` turns it.
geo::Ring star(std::mt19937_64 &rng, const mineplan::tiles::TileId &t, double cu, double cv,
               double r, int n, bool reverse = false) {
  std::uniform_real_distribution<double> noise(-0.02, 0.02), phase(0, 2 * kPi);
  const double p = phase(rng);
  geo::Ring ring;
  for (int i = 0; i < n; ++i) {
    const double a = 2 * kPi * i / n;
    const double rr = r * (1 + 0.2 * std::sin(3 * a + p) + noise(rng));
    ring.push_back(lonlat_at(t.z, t.x, t.y, cu + rr * std::cos(a), cv + rr * std::sin(a)));
  }
  if (reverse) std::reverse(ring.begin(), ring.end());
  ring.push_back(ring.front());
  return ring;
}

// Planar area in degrees² (what OGR's Area() gives for a lon/lat polygon).
double ring_area(const geo::Ring &r) {
  double s = 0;
  for (std::size_t i = 0; i + 1 < r.size(); ++i)
    s += r[i].x * r[i + 1].y - r[i + 1].x * r[i].y;
  return std::fabs(s) / 2;
}

struct Expected {
  Properties properties;
  double area = 0; // degrees², holes subtracted; 0 when the feature crosses the tile edge
  int holes = 0;
};

} // namespace

TEST(TilesGdal, OgrMvtDriverReadsWhatWasWritten) {
  io::ogr::ensure_registered();
  const TileId t{9, 413, 191}; // around 111°E 41°N
  std::mt19937_64 rng(17);
  std::uniform_real_distribution<double> inside(600, 3500), radius(60, 200);
  std::vector<SourceFeature> features;
  std::map<std::int64_t, Expected> expected;
  std::uint64_t id = 1000;
  auto add = [&](double cu, double cv, double r, bool hole, bool crossing) {
    SourceFeature f;
    f.id = ++id;
    geo::Polygon p{star(rng, t, cu, cv, r, 150 + static_cast<int>(id % 7) * 40, id % 3 == 0), {}};
    if (hole) p.holes.push_back(star(rng, t, cu, cv, r / 3, 60, id % 2 == 0));
    f.lonlat = {p};
    const auto k = static_cast<std::int64_t>(id);
    f.properties = {{"name", std::string("规划区块") + std::to_string(k)},
                    {"kind", std::string(k % 2 ? "mining_block" : "red_line")},
                    {"n", k * (k % 3 == 0 ? -1 : 1)},
                    {"big", std::int64_t{5'000'000'000} + k},
                    {"ratio", static_cast<double>(k) / 8},
                    {"green", k % 4 == 0}};
    Expected e;
    e.properties = f.properties;
    if (!crossing) {
      e.area = ring_area(p.outer) - (hole ? ring_area(p.holes[0]) : 0.0);
      e.holes = hole ? 1 : 0;
    }
    expected[k] = e;
    features.push_back(std::move(f));
  };
  for (int i = 0; i < 40; ++i) // wholly inside the tile
    add(inside(rng), inside(rng), radius(rng), i % 4 == 0, false);
  for (int i = 0; i < 12; ++i) { // across one of the tile's edges
    const double along = inside(rng);
    const double edge = (i % 2) ? 0 : 4096;
    if (i % 4 < 2)
      add(edge, along, radius(rng), false, true);
    else
      add(along, edge, radius(rng), false, true);
  }
  const std::size_t drawn = features.size();
  for (int i = 0; i < 12; ++i) { // beyond the tile and its buffer
    const double along = inside(rng);
    const double away = (i % 2) ? -700 : 4096 + 700;
    if (i % 4 < 2)
      add(away, along, radius(rng), false, false);
    else
      add(along, away, radius(rng), false, false);
  }
  for (std::size_t i = drawn; i < features.size(); ++i)
    expected.erase(static_cast<std::int64_t>(features[i].id));

  LayerTiles layer("zones", std::move(features));
  const std::string bytes = layer.tile(t);
  ASSERT_FALSE(bytes.empty());

  mineplan::testing::TempDir tmp;
  const auto dir = tmp.path() / std::to_string(t.z) / std::to_string(t.x);
  std::filesystem::create_directories(dir);
  const auto file = dir / (std::to_string(t.y) + ".pbf");
  std::ofstream(file, std::ios::binary) << bytes;

  const char *drivers[] = {"MVT", nullptr};
  std::unique_ptr<GDALDataset> ds(static_cast<GDALDataset *>(
      GDALOpenEx(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, nullptr, nullptr)));
  ASSERT_TRUE(ds) << "GDAL's MVT driver cannot open the tile";
  ASSERT_EQ(ds->GetLayerCount(), 1);
  OGRLayer *ol = ds->GetLayer(0);
  EXPECT_STREQ(ol->GetName(), "zones");
  ASSERT_NE(ol->GetSpatialRef(), nullptr);
  EXPECT_STREQ(ol->GetSpatialRef()->GetAuthorityCode(nullptr), "3857");

  OGRSpatialReference wgs84;
  wgs84.importFromEPSG(4326);
  wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  io::ogr::TransformPtr to_lonlat(OGRCreateCoordinateTransformation(ol->GetSpatialRef(), &wgs84));
  ASSERT_TRUE(to_lonlat);

  std::map<std::int64_t, int> seen;
  int compared_areas = 0;
  double worst = 0;
  for (auto &of : *ol) {
    const OGRFeatureDefn *defn = of->GetDefnRef();
    const int id_field = defn->GetFieldIndex("mvt_id");
    ASSERT_GE(id_field, 0);
    const std::int64_t fid = of->GetFieldAsInteger64(id_field);
    ++seen[fid];
    auto it = expected.find(fid);
    ASSERT_NE(it, expected.end()) << "unexpected feature " << fid;
    const Expected &e = it->second;
    for (const auto &[key, value] : e.properties) {
      const int i = defn->GetFieldIndex(key.c_str());
      ASSERT_GE(i, 0) << key;
      ASSERT_TRUE(of->IsFieldSetAndNotNull(i)) << key;
      if (auto s = std::get_if<std::string>(&value))
        EXPECT_EQ(of->GetFieldAsString(i), *s) << key;
      else if (auto n = std::get_if<std::int64_t>(&value))
        EXPECT_EQ(of->GetFieldAsInteger64(i), *n) << key;
      else if (auto d = std::get_if<double>(&value))
        EXPECT_EQ(of->GetFieldAsDouble(i), *d) << key;
      else if (auto b = std::get_if<bool>(&value)) {
        EXPECT_EQ(defn->GetFieldDefn(i)->GetSubType(), OFSTBoolean) << key;
        EXPECT_EQ(of->GetFieldAsInteger(i), *b ? 1 : 0) << key;
      }
    }
    OGRGeometry *g = of->GetGeometryRef();
    ASSERT_NE(g, nullptr);
    // One source polygon is one part: GDAL reports it as a Polygon, or as a MultiPolygon of one
    // part when the layer also holds polygons with holes.
    const auto type = wkbFlatten(g->getGeometryType());
    ASSERT_TRUE(type == wkbPolygon || type == wkbMultiPolygon) << fid;
    if (type == wkbMultiPolygon) {
      ASSERT_EQ(g->toMultiPolygon()->getNumGeometries(), 1) << "feature " << fid;
      g = g->toMultiPolygon()->getGeometryRef(0);
    }
    EXPECT_TRUE(g->IsValid()) << fid;
    if (e.area == 0) continue; // crossing the edge: GDAL clips to the tile
    io::ogr::GeometryPtr ll(g->clone());
    ASSERT_EQ(ll->transform(to_lonlat.get()), OGRERR_NONE);
    const auto *poly = ll->toPolygon();
    EXPECT_EQ(poly->getNumInteriorRings(), e.holes) << fid;
    // Simplification at 1 unit and snapping move the outline by about a unit: on these
    // 60-200-unit polygons that is a few tenths of a percent of the area (a lost or doubled
    // hole would be 11 %).
    const double rel = std::fabs(poly->get_Area() - e.area) / e.area;
    worst = std::max(worst, rel);
    EXPECT_LT(rel, 0.01) << "feature " << fid << ": area " << poly->get_Area() << " vs " << e.area;
    ++compared_areas;
  }
  EXPECT_EQ(seen.size(), expected.size()) << "features in the tile";
  for (const auto &[fid, n] : seen)
    EXPECT_EQ(n, 1) << "feature " << fid << " appears " << n << " times";
  EXPECT_EQ(compared_areas, 40);
  RecordProperty("worst_relative_area_error", std::to_string(worst));
}

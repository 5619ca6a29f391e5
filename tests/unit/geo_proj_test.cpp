// Transformations, cross-checked against PROJ's command-line cs2cs (package proj-bin).
#include "core/error.hpp"
#include "geo/proj.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace mineplan;
using namespace mineplan::geo;

namespace {

struct PipeCloser {
  void operator()(FILE *f) const { pclose(f); }
};

// Runs cs2cs on "a b" lines; returns the first two numbers of each output line. cs2cs uses the
// CRS's authority axis order (EPSG:2361 northing first, EPSG:4610 latitude first).
std::vector<std::pair<double, double>> cs2cs(const std::string &args,
                                             const std::vector<std::pair<double, double>> &in) {
  std::string input;
  char buf[128];
  for (const auto &[a, b] : in) {
    std::snprintf(buf, sizeof buf, "%.10f %.10f\n", a, b);
    input += buf;
  }
  const std::string cmd = "printf '%s' '" + input + "' | cs2cs -f %.12f " + args + " 2>&1";
  std::unique_ptr<FILE, PipeCloser> pipe(popen(cmd.c_str(), "r"));
  std::vector<std::pair<double, double>> out;
  if (!pipe) return out;
  char line[512];
  while (std::fgets(line, sizeof line, pipe.get())) {
    std::istringstream s(line);
    double a = NAN, b = NAN;
    s >> a >> b;
    out.emplace_back(a, b);
  }
  return out;
}

bool have_cs2cs() {
  return std::system("cs2cs --version >/dev/null 2>&1 || command -v cs2cs >/dev/null 2>&1") == 0;
}

struct Sample {
  Datum datum;
  int width;
  int zone;
  bool prefixed;
  double lon, lat;
};

// ~10 points across datums, zone widths and Inner Mongolia's zones (33-42) plus the edges.
const std::vector<Sample> kSamples = {
    {Datum::Xian1980, 3, 37, true, 110.0938, 39.4006}, // Ejin Horo
    {Datum::Xian1980, 3, 36, false, 109.9, 40.35},     // Dalad
    {Datum::CGCS2000, 3, 38, true, 113.2, 42.5},
    {Datum::CGCS2000, 3, 39, false, 117.3, 43.6},
    {Datum::CGCS2000, 6, 19, true, 111.95, 43.65}, // Erenhot
    {Datum::CGCS2000, 6, 18, false, 108.3, 41.4},  // Urad Middle
    {Datum::Beijing1954, 3, 40, true, 121.2, 49.1},
    {Datum::Beijing1954, 6, 21, false, 125.7, 47.3},
    {Datum::Beijing1954, 3, 33, true, 97.6, 41.8}, // west edge of Inner Mongolia
    {Datum::Xian1980, 6, 20, true, 118.9, 45.2},
    {Datum::CGCS2000, 3, 42, true, 126.0, 52.9}, // far north, zone 42
};

} // namespace

TEST(GeoProj, GaussKrugerToGeographicMatchesCs2cs) {
  if (!have_cs2cs()) GTEST_SKIP() << "cs2cs (proj-bin) not installed";
  for (const Sample &s : kSamples) {
    const Crs gk = Crs::gauss_kruger(s.datum, s.width, s.zone, s.prefixed);
    const Crs ll = Crs::geographic(s.datum);
    SCOPED_TRACE(gk.name());
    Transformer fwd(ll, gk), inv(gk, ll);
    EXPECT_FALSE(fwd.ballpark());
    const Point p = fwd.apply(Point{s.lon, s.lat});
    // geographic -> GK: cs2cs takes lat lon, prints northing easting.
    auto r = cs2cs("EPSG:" + std::to_string(ll.epsg()) + " EPSG:" + std::to_string(gk.epsg()),
                   {{s.lat, s.lon}});
    ASSERT_EQ(r.size(), 1u);
    EXPECT_NEAR(p.y, r[0].first, 1e-6);
    EXPECT_NEAR(p.x, r[0].second, 1e-6);
    // GK -> geographic: cs2cs takes northing easting, prints lat lon.
    const Point q = inv.apply(p);
    auto g = cs2cs("EPSG:" + std::to_string(gk.epsg()) + " EPSG:" + std::to_string(ll.epsg()),
                   {{p.y, p.x}});
    ASSERT_EQ(g.size(), 1u);
    EXPECT_NEAR(q.y, g[0].first, 1e-9);
    EXPECT_NEAR(q.x, g[0].second, 1e-9);
    EXPECT_NEAR(q.x, s.lon, 1e-9);
    EXPECT_NEAR(q.y, s.lat, 1e-9);
    // The easting carries the zone prefix exactly when the CRS says so.
    EXPECT_EQ(p.x > 1e7, s.prefixed);
  }
}

TEST(GeoProj, HelmertMatchesCs2csTowgs84) {
  if (!have_cs2cs()) GTEST_SKIP() << "cs2cs (proj-bin) not installed";
  // Synthetic but realistic parameters (position-vector convention, like +towgs84).
  const Helmert7 h{-15.1, 102.3, 45.8, 0.52, -1.33, 2.01, 3.4};
  const std::string towgs = "+towgs84=-15.1,102.3,45.8,0.52,-1.33,2.01,3.4";
  for (Datum d : {Datum::Xian1980, Datum::Beijing1954}) {
    const Ellipsoid e = ellipsoid_of(d);
    char src[160];
    std::snprintf(src, sizeof src, "+proj=longlat +a=%.3f +rf=%.9f %s +no_defs", e.a, e.rf,
                  towgs.c_str());
    const std::string dst = "+proj=longlat +ellps=GRS80 +towgs84=0,0,0 +no_defs";
    Transformer t(Crs::geographic(d), Crs::geographic(Datum::CGCS2000), h);
    EXPECT_FALSE(t.ballpark());
    for (const Sample &s : kSamples) {
      const Point p = t.apply(Point{s.lon, s.lat});
      // +proj=longlat strings are lon lat in and out; cs2cs prints DMS unless -f is given.
      auto r = cs2cs(std::string(src) + " +to " + dst, {{s.lon, s.lat}});
      ASSERT_EQ(r.size(), 1u);
      EXPECT_NEAR(p.x, r[0].first, 1e-9) << datum_id(d);
      EXPECT_NEAR(p.y, r[0].second, 1e-9) << datum_id(d);
      // And the shift is real (metres, not zero).
      EXPECT_GT(std::fabs(p.x - s.lon) + std::fabs(p.y - s.lat), 1e-5);
    }
  }
}

TEST(GeoProj, HelmertGaussKrugerToGaussKruger) {
  // GK -> GK with Helmert equals GK -> lon/lat -> Helmert -> lon/lat -> GK.
  const Helmert7 h{-15.1, 102.3, 45.8, 0.52, -1.33, 2.01, 3.4};
  const Crs from = Crs::gauss_kruger(Datum::Xian1980, 3, 37, true);
  const Crs to = Crs::gauss_kruger(Datum::CGCS2000, 3, 37, true);
  Transformer direct(from, to, h);
  Transformer a(from, Crs::geographic(Datum::Xian1980)),
      b(Crs::geographic(Datum::Xian1980), Crs::geographic(Datum::CGCS2000), h),
      c(Crs::geographic(Datum::CGCS2000), to);
  const Point p{37399162.38, 4367770.34};
  const Point q = direct.apply(p), r = c.apply(b.apply(a.apply(p)));
  EXPECT_NEAR(q.x, r.x, 1e-6);
  EXPECT_NEAR(q.y, r.y, 1e-6);
  EXPECT_GT(std::hypot(q.x - p.x, q.y - p.y), 10.0); // a datum shift of tens of metres
  EXPECT_NE(direct.description().find("+convention=position_vector"), std::string::npos);
  EXPECT_NE(helmert_pipeline(from, to, h).find("+proj=helmert"), std::string::npos);
}

TEST(GeoProj, BallparkBetweenOldDatumsAndCgcs2000) {
  Transformer x(Crs::gauss_kruger(Datum::Xian1980, 3, 37, true), Crs::geographic(Datum::CGCS2000));
  EXPECT_TRUE(x.ballpark());
  Transformer b(Crs::geographic(Datum::Beijing1954), Crs::geographic(Datum::CGCS2000));
  EXPECT_TRUE(b.ballpark());
  // Ballpark = no shift in lon/lat.
  const Point p = b.apply(Point{110.5, 39.5});
  EXPECT_NEAR(p.x, 110.5, 1e-12);
  EXPECT_NEAR(p.y, 39.5, 1e-12);
  Transformer same(Crs::gauss_kruger(Datum::CGCS2000, 3, 37, true),
                   Crs::geographic(Datum::CGCS2000));
  EXPECT_FALSE(same.ballpark());
  EXPECT_NE(std::string(kBallparkWarning).find("~100 m"), std::string::npos);
}

TEST(GeoProj, AxisOrderIsEastNorth) {
  // EPSG:2361 is northing-first and EPSG:4610 latitude-first; our ends are x=east, y=north.
  Transformer t(Crs::gauss_kruger(Datum::Xian1980, 3, 37, true), Crs::geographic(Datum::Xian1980));
  const Point ll = t.apply(Point{37500000.0, 4400000.0});
  EXPECT_NEAR(ll.x, 111.0, 1e-9); // on the central meridian
  EXPECT_GT(ll.y, 39.0);
  EXPECT_LT(ll.y, 40.0);
}

TEST(GeoProj, SpanApplyEqualsPointApply) {
  Transformer t(Crs::gauss_kruger(Datum::CGCS2000, 3, 37, true), Crs::geographic(Datum::CGCS2000));
  std::vector<Point> pts{
      {37399162.38, 4367770.34}, {37405718.65, 4359356.35}, {37450351.93, 4364645.90}};
  std::vector<Point> one = pts;
  t.apply(pts);
  for (std::size_t i = 0; i < pts.size(); ++i) {
    const Point q = t.apply(one[i]);
    EXPECT_DOUBLE_EQ(pts[i].x, q.x);
    EXPECT_DOUBLE_EQ(pts[i].y, q.y);
  }
  std::vector<Point> empty;
  t.apply(empty);
}

TEST(GeoProj, ErrorsCarryContext) {
  EXPECT_THROW(
      Transformer(Crs::gauss_kruger(Datum::CGCS2000, 3, 0, true), Crs::geographic(Datum::CGCS2000)),
      Error);
  Transformer t(Crs::geographic(Datum::CGCS2000), Crs::gauss_kruger(Datum::CGCS2000, 3, 37, true));
  try {
    t.apply(Point{111, 95}); // latitude beyond the pole
    FAIL() << "expected an exception";
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("cannot transform"), std::string::npos) << e.what();
  }
}

TEST(GeoProj, ToCgcs2000LonLat) {
  MultiPolygon mp{Polygon{{{37399162.38, 4367770.34},
                           {37405718.65, 4359356.35},
                           {37450351.93, 4364645.90},
                           {37399162.38, 4367770.34}},
                          {}}};
  auto r = to_cgcs2000_lonlat(mp, Crs::gauss_kruger(Datum::Xian1980, 3, 37, true));
  EXPECT_TRUE(r.ballpark);
  ASSERT_EQ(r.geometry.size(), 1u);
  EXPECT_NEAR(r.geometry[0].outer[0].x, 109.83, 0.02);
  EXPECT_NEAR(r.geometry[0].outer[0].y, 39.45, 0.02);
  auto h = to_cgcs2000_lonlat(mp, Crs::gauss_kruger(Datum::Xian1980, 3, 37, true),
                              Helmert7{-15, 102, 45, 0.5, -1.3, 2, 3.4});
  EXPECT_FALSE(h.ballpark);
}

TEST(GeoProj, OneTransformerPerThread) {
  // Each thread builds its own Transformer (and PROJ context): no shared state.
  std::vector<std::thread> threads;
  std::vector<double> results(4);
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([i, &results] {
      Transformer t(Crs::gauss_kruger(Datum::CGCS2000, 3, 37, true),
                    Crs::geographic(Datum::CGCS2000));
      results[static_cast<std::size_t>(i)] = t.apply(Point{37500000.0, 4400000.0}).x;
    });
  for (auto &t : threads)
    t.join();
  for (double r : results)
    EXPECT_NEAR(r, 111.0, 1e-9);
}

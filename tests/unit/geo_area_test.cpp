// Planar and ellipsoidal areas, units, zones.
#include "core/error.hpp"
#include "geo/area.hpp"
#include "geo/proj.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

using namespace mineplan;
using namespace mineplan::geo;

namespace {

Ring rect(double x0, double y0, double w, double h, bool ccw = true) {
  Ring r = {{x0, y0}, {x0 + w, y0}, {x0 + w, y0 + h}, {x0, y0 + h}, {x0, y0}};
  if (!ccw) std::reverse(r.begin(), r.end());
  return r;
}

// The Ejin Horo zone (seed 004, 附表5) in GIS order, eastings with the zone-37 prefix.
Ring ejin() {
  const double xy[23][2] = {
      {4367770.34, 37399162.38}, {4359356.35, 37405718.65}, {4354730.29, 37398635.95},
      {4340097.23, 37410362.50}, {4350485.01, 37431879.07}, {4358995.16, 37428326.58},
      {4367671.34, 37423779.74}, {4370374.66, 37427606.19}, {4356097.54, 37443624.32},
      {4364645.90, 37450351.93}, {4371969.16, 37450351.86}, {4378216.20, 37438252.78},
      {4377537.69, 37436903.45}, {4377072.48, 37436908.51}, {4377652.66, 37436428.38},
      {4377487.97, 37436137.91}, {4378062.78, 37436148.40}, {4377952.74, 37434738.58},
      {4377817.64, 37433978.44}, {4378062.72, 37433478.43}, {4377100.96, 37431756.89},
      {4381378.66, 37428876.56}, {4381378.65, 37415849.13}};
  Ring r;
  for (const auto &p : xy)
    r.push_back({p[1], p[0]});
  r.push_back(r.front());
  return r;
}

} // namespace

TEST(GeoArea, RectangleBothOrientations) {
  EXPECT_DOUBLE_EQ(signed_ring_area(rect(0, 0, 3, 2)), 6.0);
  EXPECT_DOUBLE_EQ(signed_ring_area(rect(0, 0, 3, 2, false)), -6.0);
  EXPECT_DOUBLE_EQ(planar_area_m2(Polygon{rect(0, 0, 3, 2, false), {}}), 6.0);
}

TEST(GeoArea, OpenRingCountsAsClosed) {
  Ring r = rect(10, 10, 4, 5);
  r.pop_back();
  EXPECT_DOUBLE_EQ(signed_ring_area(r), 20.0);
}

TEST(GeoArea, DegenerateRings) {
  EXPECT_EQ(signed_ring_area({}), 0.0);
  EXPECT_EQ(signed_ring_area({{0, 0}, {1, 1}}), 0.0);
  EXPECT_EQ(signed_ring_area({{0, 0}, {1, 1}, {2, 2}, {0, 0}}), 0.0);
}

TEST(GeoArea, HolesSubtractedWhateverTheirOrientation) {
  Polygon p{rect(0, 0, 100, 100), {rect(10, 10, 10, 10), rect(50, 50, 20, 10, false)}};
  EXPECT_DOUBLE_EQ(planar_area_m2(p), 10000.0 - 100.0 - 200.0);
}

TEST(GeoArea, MultiPolygonSumsParts) {
  MultiPolygon mp{Polygon{rect(0, 0, 10, 10), {rect(2, 2, 1, 1)}},
                  Polygon{rect(100, 100, 5, 4, false), {}}};
  EXPECT_DOUBLE_EQ(planar_area_m2(mp), 100.0 - 1.0 + 20.0);
}

TEST(GeoArea, LargeCoordinatesNoCancellation) {
  // A 1 m x 1 m square at a prefixed easting and a 7-digit northing: naive shoelace on the raw
  // coordinates loses most digits (terms ~1.6e14 whose difference is 2).
  const double x0 = 37499999.37, y0 = 4381378.66;
  EXPECT_NEAR(planar_area_m2(Polygon{rect(x0, y0, 1, 1), {}}), 1.0, 1e-6);
  // Hole of 0.01 m x 0.01 m still visible.
  Polygon p{rect(x0, y0, 1, 1), {rect(x0 + 0.5, y0 + 0.5, 0.01, 0.01)}};
  EXPECT_NEAR(planar_area_m2(p), 1.0 - 1e-4, 1e-7);
}

TEST(GeoArea, EjinHoroSeedFigure) {
  // Exact rational arithmetic on the 23 corner points gives 1202625014.24095 m2; the seed
  // prints 1202.62 km2, the value truncated (not rounded) to 0.01 km2.
  const double a = planar_area_m2(Polygon{ejin(), {}});
  EXPECT_NEAR(a, 1202625014.24095, 1e-4);
  EXPECT_EQ(std::floor(a / 1e6 * 100) / 100, 1202.62);
  // Reversed order and a translated copy give the same figure.
  Ring rev = ejin();
  std::reverse(rev.begin(), rev.end());
  EXPECT_NEAR(planar_area_m2(Polygon{rev, {}}), 1202625014.24095, 1e-4);
  Ring moved = ejin();
  for (auto &p : moved)
    p.x -= 37e6;
  EXPECT_NEAR(planar_area_m2(Polygon{moved, {}}), 1202625014.24095, 1e-4);
}

TEST(GeoArea, Units) {
  const double m2 = 1202625014.24095;
  EXPECT_NEAR(m2 / kM2PerKm2, 1202.62501424, 1e-8);
  EXPECT_NEAR(m2 / kM2PerHa, 120262.501424, 1e-6);
  EXPECT_NEAR(m2 / kM2PerMu, 1803937.52136, 1e-5);
  EXPECT_DOUBLE_EQ(kM2PerMu * 15, 10000.0);
  EXPECT_DOUBLE_EQ(kM2PerKm2 / kM2PerHa, 100.0);
}

TEST(GeoArea, EllipsoidalOneDegreeCell) {
  // Area of the cell lon 110..111, lat 39..40 on an ellipsoid: closed form
  // A = (Δλ) · b² /2 · [q(φ2) − q(φ1)], q(φ) = sinφ/(1−e²sin²φ) + (1/2e) ln((1+e sinφ)/(1−e sinφ)).
  for (Datum d : {Datum::CGCS2000, Datum::Xian1980, Datum::Beijing1954}) {
    const Ellipsoid el = ellipsoid_of(d);
    const double f = el.f(), a = el.a, b = a * (1 - f), e2 = f * (2 - f), e = std::sqrt(e2);
    auto q = [&](double phi) {
      const double s = std::sin(phi);
      return s / (1 - e2 * s * s) + 1 / (2 * e) * std::log((1 + e * s) / (1 - e * s));
    };
    const double rad = std::numbers::pi / 180;
    const double expected = (1 * rad) * b * b / 2 * (q(40 * rad) - q(39 * rad));
    // The polygon's edges are geodesics; densified, the east-west edges follow the parallels.
    Ring ring;
    const int steps = 2000;
    for (int i = 0; i < steps; ++i)
      ring.push_back({110 + 1.0 * i / steps, 39});
    for (int i = 0; i < steps; ++i)
      ring.push_back({111, 39 + 1.0 * i / steps});
    for (int i = 0; i < steps; ++i)
      ring.push_back({111 - 1.0 * i / steps, 40});
    for (int i = 0; i < steps; ++i)
      ring.push_back({110, 40 - 1.0 * i / steps});
    ring.push_back(ring.front());
    EXPECT_NEAR(ellipsoidal_area_m2(MultiPolygon{Polygon{ring, {}}}, d), expected, expected * 1e-8)
        << datum_id(d);
  }
}

TEST(GeoArea, EllipsoidalHoleSubtracted) {
  MultiPolygon outer{Polygon{rect(110, 39, 1, 1), {}}};
  MultiPolygon holed{Polygon{rect(110, 39, 1, 1), {rect(110.25, 39.25, 0.5, 0.5, false)}}};
  MultiPolygon hole{Polygon{rect(110.25, 39.25, 0.5, 0.5), {}}};
  EXPECT_NEAR(ellipsoidal_area_m2(holed, Datum::CGCS2000),
              ellipsoidal_area_m2(outer, Datum::CGCS2000) -
                  ellipsoidal_area_m2(hole, Datum::CGCS2000),
              1e-3);
}

TEST(GeoArea, GaussKrugerZones) {
  EXPECT_EQ(gauss_kruger_zone_for(111.0, 3), 37);
  EXPECT_EQ(gauss_kruger_zone_for(109.6, 3), 37); // 109.5 .. 112.5
  EXPECT_EQ(gauss_kruger_zone_for(109.4, 3), 36);
  EXPECT_EQ(gauss_kruger_zone_for(111.0, 6), 19); // 108 .. 114, CM 111
  EXPECT_EQ(gauss_kruger_zone_for(73.6, 3), 25);
  EXPECT_EQ(gauss_kruger_zone_for(134.7, 6), 23);
  EXPECT_THROW(gauss_kruger_zone_for(111, 4), Error);
  EXPECT_THROW(gauss_kruger_zone_for(std::nan(""), 3), Error);
}

TEST(GeoArea, OfficialAreaOfLonLatEqualsPlanarAreaOfTheZone) {
  // The Ejin Horo ring in Xian 1980 lon/lat, back through official_area_m2 (3° zone of the
  // centroid = 37, the zone of the source): the planar figure comes back.
  Transformer to_ll(Crs::gauss_kruger(Datum::Xian1980, 3, 37, true),
                    Crs::geographic(Datum::Xian1980));
  Ring r = ejin();
  to_ll.apply(r);
  EXPECT_NEAR(official_area_m2(MultiPolygon{Polygon{r, {}}}, Datum::Xian1980), 1202625014.24095,
              0.05);
  EXPECT_EQ(official_area_m2({}, Datum::CGCS2000), 0.0);
}

TEST(GeoArea, Centroid) {
  const Point c = planar_centroid(MultiPolygon{Polygon{rect(37500000, 4300000, 10, 20), {}}});
  EXPECT_NEAR(c.x, 37500005, 1e-6);
  EXPECT_NEAR(c.y, 4300010, 1e-6);
  // A hole in the right half pulls the centroid left.
  const Point h =
      planar_centroid(MultiPolygon{Polygon{rect(0, 0, 10, 10), {rect(5, 0, 5, 10, false)}}});
  EXPECT_NEAR(h.x, 2.5, 1e-9);
  EXPECT_NEAR(h.y, 5, 1e-9);
}

TEST(GeoReportedArea, RoundsByGbt8170) {
  using mineplan::geo::round_gbt8170;
  // 四舍六入五成双 at the reporting unit, decided on the decimal digits.
  EXPECT_DOUBLE_EQ(round_gbt8170(1.2340, 1e-4, 2), 1.23);
  EXPECT_DOUBLE_EQ(round_gbt8170(1.2360, 1e-4, 2), 1.24);
  EXPECT_DOUBLE_EQ(round_gbt8170(1.2350, 1e-4, 2), 1.24); // 5 after odd 3: up
  EXPECT_DOUBLE_EQ(round_gbt8170(1.2450, 1e-4, 2), 1.24); // 5 after even 4: down
  EXPECT_DOUBLE_EQ(round_gbt8170(1.2451, 1e-4, 2), 1.25); // non-zero after the 5: up
  EXPECT_DOUBLE_EQ(round_gbt8170(-1.2451, 1e-4, 2), -1.25);
  // A resolution coarser than the unit falls back to the unit itself.
  EXPECT_DOUBLE_EQ(round_gbt8170(7.777, 1, 2), 7.78);
}

TEST(GeoReportedArea, DemonstrationZoneAsItsTableStatesIt) {
  // 附表5 of seed 004: 23 corner points, 精度 0.01 m.
  mineplan::geo::Ring ring = ejin();
  mineplan::geo::MultiPolygon mp{{ring, {}}};
  auto rep = mineplan::geo::reported_area(mp, 0.01);
  EXPECT_NEAR(mineplan::geo::planar_area_m2(mp) / 1e6, 1202.625014, 1e-6);
  EXPECT_GT(rep.uncertainty_km2, 5e-4); // the coordinates do not fix the fourth decimal
  EXPECT_LT(rep.uncertainty_km2, 5e-3);
  EXPECT_DOUBLE_EQ(rep.km2, 1202.62);
  // The same shape surveyed to the millimetre keeps its digits: 1202.625014 -> 1202.63.
  EXPECT_DOUBLE_EQ(mineplan::geo::reported_area(mp, 0.0001).km2, 1202.63);
}

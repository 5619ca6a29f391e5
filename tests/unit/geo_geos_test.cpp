// RAII wrappers over GEOS: conversions, WKB, validity, overlays.
#include "core/error.hpp"
#include "geo/geos.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <thread>

using namespace mineplan;
using namespace mineplan::geo;

namespace {
Ring rect(double x0, double y0, double w, double h) {
  return {{x0, y0}, {x0 + w, y0}, {x0 + w, y0 + h}, {x0, y0 + h}, {x0, y0}};
}
} // namespace

TEST(GeoGeos, RoundTripThroughGeos) {
  MultiPolygon mp{Polygon{rect(0, 0, 10, 10), {rect(2, 2, 2, 2)}}, Polygon{rect(20, 0, 5, 5), {}}};
  GeosGeometry g = to_geos(mp);
  ASSERT_TRUE(g);
  EXPECT_DOUBLE_EQ(area(g), 100 - 4 + 25);
  MultiPolygon back = from_geos(g);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].outer, mp[0].outer);
  EXPECT_EQ(back[0].holes[0], mp[0].holes[0]);
  EXPECT_EQ(back[1].outer, mp[1].outer);
}

TEST(GeoGeos, OpenRingsAreClosedOnTheWayIn) {
  Ring open = rect(0, 0, 3, 3);
  open.pop_back();
  GeosGeometry g = to_geos(Polygon{open, {}});
  EXPECT_DOUBLE_EQ(area(g), 9);
}

TEST(GeoGeos, TooFewPoints) {
  // GEOS 3.11 builds a 3-coordinate ring but reports it as invalid; a 2-coordinate one it
  // refuses outright.
  auto v = validity_problem(MultiPolygon{Polygon{{{0, 0}, {1, 1}}, {}}});
  ASSERT_TRUE(v);
  EXPECT_NE(v->reason.find("Too few points"), std::string::npos) << v->reason;
  EXPECT_THROW(to_geos(Polygon{{{0, 0}, {0, 0}}, {}}), Error);
}

TEST(GeoGeos, WkbIsIsoLittleEndianMultiPolygon) {
  MultiPolygon mp{Polygon{rect(37399162.38, 4367770.34, 100, 100), {}}};
  const auto wkb = to_wkb(mp);
  ASSERT_GE(wkb.size(), 9u);
  EXPECT_EQ(wkb[0], 1); // NDR
  EXPECT_EQ(wkb[1], 6); // MultiPolygon, 2D ISO type code
  EXPECT_EQ(wkb[2], 0);
  EXPECT_EQ(wkb[3], 0);
  EXPECT_EQ(wkb[4], 0);
  // 1 + 4 + 4 (count) + [1 + 4 + 4 (rings) + 4 (points) + 5*16]
  EXPECT_EQ(wkb.size(), 9u + 1 + 4 + 4 + 4 + 5 * 16);
  MultiPolygon back = from_wkb(wkb);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].outer, mp[0].outer); // bit-exact doubles
}

TEST(GeoGeos, EmptyMultiPolygonWkb) {
  const auto wkb = to_wkb({});
  EXPECT_TRUE(from_wkb(wkb).empty());
}

TEST(GeoGeos, BadWkbThrows) {
  const std::vector<std::uint8_t> junk{1, 6, 0, 0, 0, 9, 9};
  EXPECT_THROW(from_wkb(junk), Error);
  // A point is not a polygon.
  const std::vector<std::uint8_t> point{1,    1,    0, 0, 0, 0, 0, 0, 0, 0,   0,
                                        0xf0, 0x3f, 0, 0, 0, 0, 0, 0, 0, 0x40};
  try {
    from_wkb(point);
    FAIL();
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("Polygon"), std::string::npos) << e.what();
  }
}

TEST(GeoGeos, ValidityProblemBowTie) {
  MultiPolygon bowtie{Polygon{{{0, 0}, {10, 10}, {10, 0}, {0, 10}, {0, 0}}, {}}};
  auto v = validity_problem(bowtie);
  ASSERT_TRUE(v);
  EXPECT_NE(v->reason.find("elf-intersection"), std::string::npos) << v->reason;
  EXPECT_NEAR(v->location.x, 5, 1e-9);
  EXPECT_NEAR(v->location.y, 5, 1e-9);
  EXPECT_FALSE(validity_problem(MultiPolygon{Polygon{rect(0, 0, 1, 1), {}}}));
}

TEST(GeoGeos, ValidityProblemHoleOutsideShell) {
  MultiPolygon mp{Polygon{rect(0, 0, 1, 1), {rect(5, 5, 1, 1)}}};
  auto v = validity_problem(mp);
  ASSERT_TRUE(v);
  EXPECT_NE(v->reason.find("Hole lies outside shell"), std::string::npos) << v->reason;
}

TEST(GeoGeos, IntersectionArea) {
  MultiPolygon a{Polygon{rect(0, 0, 10, 10), {}}};
  MultiPolygon b{Polygon{rect(5, 5, 10, 10), {}}};
  MultiPolygon c{Polygon{rect(10, 0, 5, 5), {}}}; // touches a
  EXPECT_DOUBLE_EQ(intersection_area(a, b), 25);
  EXPECT_DOUBLE_EQ(intersection_area(a, c), 0);
  EXPECT_TRUE(intersects(a, c));
  EXPECT_FALSE(intersects(b, MultiPolygon{Polygon{rect(100, 100, 1, 1), {}}}));
  MultiPolygon i = intersection(a, b);
  ASSERT_EQ(i.size(), 1u);

  PreparedGeometry prep(to_geos(a));
  EXPECT_DOUBLE_EQ(intersection_area(prep, to_geos(b)), 25);
  EXPECT_DOUBLE_EQ(intersection_area(prep, to_geos(MultiPolygon{Polygon{rect(50, 50, 1, 1), {}}})),
                   0);
  EXPECT_TRUE(prep.contains(to_geos(MultiPolygon{Polygon{rect(1, 1, 1, 1), {}}})));
  EXPECT_TRUE(prep.covers(to_geos(a)));
  EXPECT_TRUE(prep.contains_point({5, 5}));
  EXPECT_FALSE(prep.contains_point({50, 5}));
}

TEST(GeoGeos, MoveOnlyHandles) {
  GeosGeometry a = to_geos(MultiPolygon{Polygon{rect(0, 0, 1, 1), {}}});
  GeosGeometry b = std::move(a);
  EXPECT_FALSE(a);
  EXPECT_TRUE(b);
  GeosGeometry c = b.clone();
  EXPECT_DOUBLE_EQ(area(c), 1);
  PreparedGeometry p(std::move(c));
  PreparedGeometry q = std::move(p);
  EXPECT_TRUE(q.intersects(b));
  static_assert(!std::is_copy_constructible_v<GeosGeometry>);
  static_assert(!std::is_copy_constructible_v<PreparedGeometry>);
}

TEST(GeoGeos, ThreadLocalContexts) {
  std::vector<std::thread> threads;
  std::vector<double> results(4);
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([i, &results] {
      results[static_cast<std::size_t>(i)] =
          intersection_area(MultiPolygon{Polygon{rect(0, 0, 10, 10), {}}},
                            MultiPolygon{Polygon{rect(5, 0, 10, 10), {}}});
    });
  for (auto &t : threads)
    t.join();
  for (double r : results)
    EXPECT_DOUBLE_EQ(r, 50);
  EXPECT_NE(&GeosContext::current(), nullptr);
}

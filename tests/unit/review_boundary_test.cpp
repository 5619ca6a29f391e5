// A review's boundary is projected once: Boundary takes the application's official planar
// form (parse_application made it) instead of projecting the lon/lat again.
#include "geo/area.hpp"
#include "review/application.hpp"
#include "review/spatial.hpp"
#include "review_support.hpp"

using namespace mineplan;

namespace {

Json square_application() {
  Json ring = Json::array({Json::array({110.00, 40.00}), Json::array({110.02, 40.00}),
                           Json::array({110.02, 40.02}), Json::array({110.00, 40.02}),
                           Json::array({110.00, 40.00})});
  return Json{{"kind", "mining"},
              {"action", "new"},
              {"jurisdiction", "150621"},
              {"date", "2023-06-01"},
              {"applicant", {{"name", "某公司"}, {"type", "company"}}},
              {"minerals", Json::array({"建筑用砂"})},
              {"scale", {{"value", 10}, {"unit", "万立方米/年"}}},
              {"method", "open-pit"},
              {"boundary", {{"type", "Polygon"}, {"coordinates", Json::array({ring})}}}};
}

const std::vector<Mineral> &minerals() {
  return review_test::seed_catalogue().minerals;
}

} // namespace

TEST(ReviewBoundary, TakesTheApplicationsProjection) {
  const review::Application app = review::parse_application(square_application(), {}, minerals());
  ASSERT_TRUE(app.boundary_planar && app.planar_crs);
  // A planar form that is not the lon/lat's projection (doubled): used as given, not redone.
  geo::MultiPolygon doubled = *app.boundary_planar;
  for (auto &poly : doubled)
    for (auto &p : poly.outer)
      p = {p.x * 2, p.y * 2};
  const review::Boundary b(*app.boundary_lonlat, doubled, app.planar_crs->zone);
  EXPECT_DOUBLE_EQ(b.area_m2(), geo::planar_area_m2(doubled));
}

TEST(ReviewBoundary, SameAreaAsProjectingAgain) {
  const review::Application app = review::parse_application(square_application(), {}, minerals());
  const review::Boundary given(*app.boundary_lonlat, *app.boundary_planar, app.planar_crs->zone);
  const review::Boundary projected(*app.boundary_lonlat);
  EXPECT_EQ(given.area_m2(), projected.area_m2());
  EXPECT_EQ(given.area_m2(), geo::official_area_m2(*app.boundary_lonlat, geo::Datum::CGCS2000));
}

TEST(ReviewBoundary, ProjectsWhenTheZoneIsNotTheCentroids) {
  const review::Application app = review::parse_application(square_application(), {}, minerals());
  geo::MultiPolygon doubled = *app.boundary_planar;
  for (auto &poly : doubled)
    for (auto &p : poly.outer)
      p = {p.x * 2, p.y * 2};
  const review::Boundary b(*app.boundary_lonlat, doubled, app.planar_crs->zone + 1);
  EXPECT_EQ(b.area_m2(), review::Boundary(*app.boundary_lonlat).area_m2());
}

// The spatial index shares a feature's geometry with whoever holds it (the read model's
// record) and never writes to it: a repair or a closed ring is the index's own copy.
#include "core/shared_geometry.hpp"
#include "review/spatial.hpp"

#include <gtest/gtest.h>

using namespace mineplan;

namespace {

geo::MultiPolygon square(double x0, double y0, double d) {
  return {geo::Polygon{{{x0, y0}, {x0 + d, y0}, {x0 + d, y0 + d}, {x0, y0 + d}, {x0, y0}}, {}}};
}

review::SpatialFeature zone(const std::string &id, std::shared_ptr<const geo::MultiPolygon> g) {
  review::SpatialFeature f;
  f.layer = "zone";
  f.id = id;
  f.kind = "red_line";
  f.lonlat = geo::SharedGeometry(std::move(g));
  return f;
}

} // namespace

TEST(ReviewSharedGeometry, ValidGeometryIsShared) {
  auto g = std::make_shared<const geo::MultiPolygon>(square(110, 40, 0.01));
  review::SpatialIndex idx;
  idx.add(zone("p/a", g));
  idx.build();
  ASSERT_NE(idx.find("p/a"), nullptr);
  EXPECT_EQ(idx.find("p/a")->lonlat.shared().get(), g.get());
}

TEST(ReviewSharedGeometry, RepairLeavesTheSharedGeometryAlone) {
  // A bow-tie: GEOS MakeValid repairs it into the index's own geometry.
  auto g = std::make_shared<const geo::MultiPolygon>(geo::MultiPolygon{
      geo::Polygon{{{110, 40}, {110.01, 40.01}, {110.01, 40}, {110, 40.01}, {110, 40}}, {}}});
  const geo::MultiPolygon before = *g;
  review::SpatialIndex idx;
  idx.add(zone("p/bowtie", g));
  idx.build();
  const review::SpatialFeature *f = idx.find("p/bowtie");
  ASSERT_NE(f, nullptr);
  EXPECT_FALSE(f->geometry_problem.empty());
  EXPECT_NE(f->lonlat.shared().get(), g.get());
  ASSERT_EQ(g->size(), before.size());
  EXPECT_EQ(g->front().outer, before.front().outer);
}

TEST(ReviewSharedGeometry, OpenRingIsClosedInACopy) {
  geo::MultiPolygon open = square(110, 40, 0.01);
  open.front().outer.pop_back();
  auto g = std::make_shared<const geo::MultiPolygon>(open);
  review::SpatialIndex idx;
  idx.add(zone("p/open", g));
  idx.build();
  const review::SpatialFeature *f = idx.find("p/open");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(g->front().outer.size(), 4u); // still open
  EXPECT_EQ(f->lonlat.front().outer.size(), 5u);
}

TEST(ReviewSharedGeometry, FindByIdBeforeBuildIsNull) {
  review::SpatialIndex idx;
  idx.add(zone("p/a", std::make_shared<const geo::MultiPolygon>(square(110, 40, 0.01))));
  EXPECT_EQ(idx.find("p/a"), nullptr);
  idx.build();
  EXPECT_NE(idx.find("p/a"), nullptr);
  EXPECT_EQ(idx.find("p/none"), nullptr);
}

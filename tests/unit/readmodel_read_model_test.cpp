// The read model (readmodel/read_model.hpp): one pass over the store, each geometry held once
// and shared by the review's spatial index, the tile source and the search index; the review
// engine over the same records. On GeoPackage and, with MINEPLAN_TEST_POSTGRES, PostgreSQL.
#include "readmodel/read_model.hpp"
#include "review_support.hpp"

using namespace review_test;
using namespace mineplan;

namespace {

fs::path case_dir(const std::string &name) {
  return fs::path(MINEPLAN_SOURCE_DIR) / "tests/cases/review" / name;
}

// The seed plans, a surveyed red line (dalad-red-line) and two rights (dalad-overlap-other-
// holder): zones and rights with geometry, zones without.
struct Fixture {
  TempDir tmp;
  std::unique_ptr<store::Store> st;
  Fixture() {
    st = fresh_store(tmp.path() / "db.gpkg");
    apply_setup(*st, case_dir("dalad-red-line"));
    apply_setup(*st, case_dir("dalad-overlap-other-holder"));
  }
};

const tiles::SourceFeature *with_id(const std::vector<tiles::SourceFeature> &source,
                                    const std::string &id) {
  for (const auto &f : source)
    for (const auto &[key, value] : f.properties)
      if (key == "id" && std::holds_alternative<std::string>(value) &&
          std::get<std::string>(value) == id)
        return &f;
  return nullptr;
}

} // namespace

TEST(ReadModel, HoldsWhatTheStoreHolds) {
  Fixture fx;
  const auto model = readmodel::ReadModel::build(*fx.st);
  EXPECT_EQ(model->divisions.size(), fx.st->divisions().size());
  EXPECT_EQ(model->minerals.size(), fx.st->minerals().size());
  EXPECT_EQ(model->rights.size(), fx.st->rights({}).size());
  EXPECT_EQ(model->mines.size(), fx.st->mines({}).size());
  const auto summaries = fx.st->plan_summaries();
  ASSERT_EQ(model->plans.size(), summaries.size());
  std::size_t zones = 0;
  for (const auto &s : summaries)
    zones += static_cast<std::size_t>(s.zones);
  EXPECT_EQ(model->zones.size(), zones);
  EXPECT_EQ(model->search.size(),
            model->divisions.size() + zones + model->rights.size() + model->mines.size());
}

TEST(ReadModel, IndexHoldsEveryZoneAndRightWithGeometry) {
  Fixture fx;
  const auto model = readmodel::ReadModel::build(*fx.st);
  std::size_t with_geometry = 0;
  for (const Zone *z : model->zones)
    with_geometry += z->geometry ? 1 : 0;
  for (const auto &r : model->rights)
    with_geometry += r.geometry ? 1 : 0;
  ASSERT_GT(with_geometry, 0u);
  EXPECT_EQ(model->engine->index().size(), with_geometry);
}

TEST(ReadModel, ZoneGeometryIsHeldOnce) {
  Fixture fx;
  const auto model = readmodel::ReadModel::build(*fx.st);
  const auto source = model->tile_source({"zones", {}});
  std::size_t checked = 0;
  for (const Zone *z : model->zones) {
    if (!z->geometry) continue;
    const std::string id = z->plan_id + "/" + z->id;
    const geo::MultiPolygon *record = &*z->geometry;
    EXPECT_EQ(model->geometry("zones", id).shared().get(), record) << id;
    const review::SpatialFeature *indexed = model->engine->index().find(id);
    ASSERT_NE(indexed, nullptr) << id;
    if (indexed->geometry_problem.empty()) { // a repaired geometry is the index's own
      EXPECT_EQ(indexed->lonlat.shared().get(), record) << id;
    }
    const tiles::SourceFeature *tiled = with_id(source, id);
    ASSERT_NE(tiled, nullptr) << id;
    EXPECT_EQ(tiled->lonlat.shared().get(), record) << id;
    ++checked;
  }
  EXPECT_GT(checked, 0u);
}

TEST(ReadModel, RightGeometryIsHeldOnce) {
  Fixture fx;
  const auto model = readmodel::ReadModel::build(*fx.st);
  const auto source = model->tile_source({"rights", {}});
  std::size_t checked = 0;
  for (const auto &r : model->rights) {
    if (!r.geometry) continue;
    const review::SpatialFeature *indexed = model->engine->index().find(r.uid);
    ASSERT_NE(indexed, nullptr) << r.uid;
    EXPECT_EQ(indexed->lonlat.shared().get(), &*r.geometry) << r.uid;
    const tiles::SourceFeature *tiled = with_id(source, r.uid);
    ASSERT_NE(tiled, nullptr) << r.uid;
    EXPECT_EQ(tiled->lonlat.shared().get(), &*r.geometry) << r.uid;
    ++checked;
  }
  EXPECT_GT(checked, 0u);
}

TEST(ReadModel, EngineReadsTheModelsRecords) {
  Fixture fx;
  const auto model = readmodel::ReadModel::build(*fx.st);
  EXPECT_EQ(&model->engine->divisions(), &model->divisions);
  EXPECT_EQ(&model->engine->minerals(), &model->minerals);
  EXPECT_EQ(&model->engine->source().rights, &model->rights);
}

TEST(ReadModel, SharedGeometryOutlivesTheModel) {
  // A reader that kept a feature's geometry keeps it when the model is replaced.
  Fixture fx;
  auto model = readmodel::ReadModel::build(*fx.st);
  const Zone *mapped = nullptr;
  for (const Zone *z : model->zones)
    if (z->geometry) mapped = z;
  ASSERT_NE(mapped, nullptr);
  const geo::MultiPolygon expected = *mapped->geometry;
  geo::SharedGeometry kept = model->geometry("zones", mapped->plan_id + "/" + mapped->id);
  model.reset();
  ASSERT_EQ(kept.size(), expected.size());
  EXPECT_EQ(kept.front().outer, expected.front().outer);
}

TEST(ReadModel, TilesOnlyForTheLayersAsked) {
  Fixture fx;
  readmodel::BuildOptions o;
  o.tiled = {{"zones", {"kind"}}, {"rights", {"licence_no"}}};
  const auto model = readmodel::ReadModel::build(*fx.st, o);
  EXPECT_EQ(model->tiles.size(), 2u);
  EXPECT_TRUE(model->tiles.count("zones"));
  EXPECT_TRUE(model->tiles.count("rights"));
  EXPECT_TRUE(readmodel::ReadModel::build(*fx.st)->tiles.empty());
}

TEST(ReadModel, ZoneLookupById) {
  Fixture fx;
  const auto model = readmodel::ReadModel::build(*fx.st);
  ASSERT_FALSE(model->zones.empty());
  const Zone *first = model->zones.front();
  EXPECT_EQ(model->zone(first->plan_id + "/" + first->id), first);
  EXPECT_EQ(model->zone("no-such-plan/zone"), nullptr);
}

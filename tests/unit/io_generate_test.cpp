// The deterministic test-database generator (io/generate.hpp): counts and proportions, valid
// geometries inside the region outline, attributes, vertex totals, determinism.
#include "core/error.hpp"
#include "geo/area.hpp"
#include "geo/geos.hpp"
#include "io/catalogue_loader.hpp"
#include "io/generate.hpp"
#include "seed_texts.hpp"
#include "store/store.hpp"
#include "store_support.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace fs = std::filesystem;
using namespace mineplan;

namespace {

using mineplan::testing::TempDir;

bool generated(const Json &attributes) {
  return attributes.is_object() && attributes.value("generated", false);
}

std::int64_t distinct_vertices(const geo::MultiPolygon &mp) {
  std::int64_t n = 0;
  for (const auto &p : mp)
    n += static_cast<std::int64_t>(p.outer.size()) - 1;
  return n;
}

// One small database for the suite (seed 0), read back through the Store API.
class GenerateSmall : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    catalogue_ = new Catalogue(io::load_catalogue(io::default_data_dir()));
    dir_ = new TempDir;
    io::GenerateOptions o;
    o.scale = io::GenerateScale::small;
    o.seed = 0;
    report_ = new io::GenerateReport(io::generate_database(
        mineplan::testing::store_location(dir_->file("a.gpkg")), *catalogue_, o));
    auto st = store::Store::open(mineplan::testing::store_location(dir_->file("a.gpkg")));
    rights_ = new std::vector<Right>;
    for (auto &r : st->rights(store::AsOf{}))
      if (generated(r.attributes)) rights_->push_back(std::move(r));
    zones_ = new std::vector<Zone>;
    std::optional<PlanData> plan = st->plan(io::kGeneratedPlanId);
    if (plan)
      for (auto &z : plan->zones)
        if (z.id.starts_with(io::kGeneratedIdPrefix)) zones_->push_back(std::move(z));
    digest_ = new std::string(io::content_digest(*st));
  }
  static void TearDownTestSuite() {
    delete digest_;
    delete zones_;
    delete rights_;
    delete report_;
    delete dir_;
    delete catalogue_;
  }

  static std::map<std::string, int> zone_counts() {
    std::map<std::string, int> n;
    for (const auto &z : *zones_)
      ++n[z.kind];
    return n;
  }

  static Catalogue *catalogue_;
  static TempDir *dir_;
  static io::GenerateReport *report_;
  static std::vector<Right> *rights_;
  static std::vector<Zone> *zones_;
  static std::string *digest_;
};

Catalogue *GenerateSmall::catalogue_ = nullptr;
TempDir *GenerateSmall::dir_ = nullptr;
io::GenerateReport *GenerateSmall::report_ = nullptr;
std::vector<Right> *GenerateSmall::rights_ = nullptr;
std::vector<Zone> *GenerateSmall::zones_ = nullptr;
std::string *GenerateSmall::digest_ = nullptr;

} // namespace

TEST(GenerateCounts, RegionIsSeed000NationalTenTimesSmallOneTwentieth) {
  const auto r = io::generate_counts(io::GenerateScale::region);
  EXPECT_EQ(r.exploration_rights, 3785);
  EXPECT_EQ(r.mining_rights, 4266);
  EXPECT_EQ(r.exploration_blocks, 1575);
  EXPECT_EQ(r.mining_blocks, 2056);
  EXPECT_EQ(r.coal_mining_blocks, 118);
  EXPECT_EQ(r.key_mining_areas, 82);
  EXPECT_EQ(r.national_planned_areas, 51);
  EXPECT_EQ(r.key_exploration_areas, 38);
  EXPECT_EQ(r.red_lines + r.prohibited_areas, 5000);
  EXPECT_GE(static_cast<std::int64_t>(r.red_lines + r.prohibited_areas) *
                r.protected_polygon_vertices,
            5'000'000);

  const auto n = io::generate_counts(io::GenerateScale::national);
  EXPECT_EQ(n.rights(), 10 * r.rights());
  EXPECT_EQ(n.zones(), 10 * r.zones());
  EXPECT_EQ(n.mining_blocks, 10 * r.mining_blocks);

  // Small: one twentieth, rounded per sub-category (so within a couple of units).
  const auto s = io::generate_counts(io::GenerateScale::small);
  auto near = [](int small, int region) { return std::abs(small * 20 - region) <= 40; };
  EXPECT_TRUE(near(s.exploration_rights, r.exploration_rights)) << s.exploration_rights;
  EXPECT_TRUE(near(s.mining_rights, r.mining_rights)) << s.mining_rights;
  EXPECT_TRUE(near(s.exploration_blocks, r.exploration_blocks)) << s.exploration_blocks;
  EXPECT_TRUE(near(s.mining_blocks, r.mining_blocks)) << s.mining_blocks;
  EXPECT_TRUE(near(s.key_mining_areas, r.key_mining_areas));
  EXPECT_TRUE(near(s.key_exploration_areas, r.key_exploration_areas));
  EXPECT_EQ((s.red_lines + s.prohibited_areas) * 20, r.red_lines + r.prohibited_areas);

  EXPECT_EQ(io::parse_generate_scale("national"), io::GenerateScale::national);
  EXPECT_FALSE(io::parse_generate_scale("huge"));
}

TEST_F(GenerateSmall, WritesTheStatedCounts) {
  const auto c = io::generate_counts(io::GenerateScale::small);
  int exploration = 0, mining = 0;
  for (const auto &r : *rights_)
    (r.kind == "exploration" ? exploration : mining)++;
  EXPECT_EQ(exploration, c.exploration_rights);
  EXPECT_EQ(mining, c.mining_rights);
  auto n = zone_counts();
  EXPECT_EQ(n["exploration_block"], c.exploration_blocks);
  EXPECT_EQ(n["mining_block"], c.mining_blocks);
  EXPECT_EQ(n["key_mining_area"], c.key_mining_areas);
  EXPECT_EQ(n["key_exploration_area"], c.key_exploration_areas);
  EXPECT_EQ(n["red_line"], c.red_lines);
  EXPECT_EQ(n["prohibited_area"], c.prohibited_areas);
  EXPECT_EQ(static_cast<int>(zones_->size()), c.zones());
  EXPECT_EQ(report_->counts.rights(), c.rights());

  int coal = 0, national = 0;
  for (const auto &z : *zones_) {
    if (z.kind == "mining_block" && z.minerals == std::vector<std::string>{"煤炭"}) ++coal;
    if (z.kind == "key_mining_area" && z.attributes.value("national_planned_area", false))
      ++national;
  }
  EXPECT_EQ(coal, c.coal_mining_blocks);
  EXPECT_EQ(national, c.national_planned_areas);

  // The seed catalogue is there too: the real plans and their rules.
  auto st = store::Store::open(mineplan::testing::store_location(dir_->file("a.gpkg")));
  EXPECT_EQ(st->plan_summaries().size(), catalogue_->plans.size());
  EXPECT_FALSE(st->plan(io::kGeneratedPlanId)->rules.empty());
}

TEST_F(GenerateSmall, VertexTotalsFollowTheFormula) {
  const auto c = io::generate_counts(io::GenerateScale::small);
  std::int64_t right_v = 0, block_v = 0, protected_v = 0;
  for (const auto &r : *rights_)
    right_v += distinct_vertices(*r.geometry);
  for (const auto &z : *zones_) {
    const std::int64_t v = distinct_vertices(*z.geometry);
    if (z.kind == "red_line" || z.kind == "prohibited_area") {
      EXPECT_EQ(v, c.protected_polygon_vertices) << z.id;
      protected_v += v;
    } else {
      block_v += v;
    }
  }
  EXPECT_EQ(protected_v, static_cast<std::int64_t>(c.red_lines + c.prohibited_areas) *
                             c.protected_polygon_vertices);
  EXPECT_EQ(report_->protected_vertices, protected_v);
  EXPECT_EQ(report_->right_vertices, right_v);
  EXPECT_EQ(report_->block_vertices, block_v);
}

TEST_F(GenerateSmall, GeometriesAreValidInsideTheRegionAndMeasuredOfficially) {
  const Division *region = catalogue_->find_division("150000");
  ASSERT_TRUE(region && region->outline);
  const geo::PreparedGeometry outline(geo::to_geos(*region->outline));
  auto check = [&](const std::string &id, const std::optional<geo::MultiPolygon> &g,
                   const std::optional<double> &official) {
    ASSERT_TRUE(g.has_value()) << id;
    ASSERT_EQ(g->size(), 1u) << id;
    EXPECT_TRUE(g->front().holes.empty()) << id;
    auto problem = geo::validity_problem(*g);
    EXPECT_FALSE(problem) << id << ": " << (problem ? problem->reason : "");
    EXPECT_TRUE(outline.covers(geo::to_geos(*g))) << id << " is not inside the region outline";
    ASSERT_TRUE(official.has_value()) << id;
    EXPECT_DOUBLE_EQ(*official, geo::official_area_m2(*g)) << id;
  };
  for (const auto &r : *rights_) {
    check(r.uid, r.geometry, r.official_area_m2);
    const std::int64_t v = distinct_vertices(*r.geometry);
    EXPECT_GE(v, 4) << r.uid;
    EXPECT_LE(v, 50) << r.uid;
    const double km2 = *r.official_area_m2 / 1e6;
    if (r.kind == "mining") {
      EXPECT_GE(km2, 0.1) << r.uid;
      EXPECT_LE(km2, 50) << r.uid;
    } else {
      EXPECT_GE(km2, 5) << r.uid;
      EXPECT_LE(km2, 200) << r.uid;
    }
  }
  for (const auto &z : *zones_)
    check(z.id, z.geometry, z.official_area_m2);
}

TEST_F(GenerateSmall, RightsHaveRealisticAttributes) {
  const std::regex mining_no(R"(C15\d{10}[1-4][12][1-4]\d{7})");
  const std::regex exploration_no(R"(T151\d{14})");
  const std::regex date(R"(\d{4}-\d{2}-\d{2})");
  std::set<std::string> uids;
  std::map<std::string, int> per_holder;
  std::map<std::string, const Division *> counties;
  int centroid_in_county = 0;
  for (const auto &d : catalogue_->divisions)
    if (d.level == "county") counties[d.code] = &d;
  for (const auto &r : *rights_) {
    EXPECT_TRUE(uids.insert(r.uid).second) << "duplicate " << r.uid;
    EXPECT_EQ(r.uid, r.licence_no);
    if (r.kind == "mining") {
      EXPECT_TRUE(std::regex_match(r.licence_no, mining_no)) << r.licence_no;
      EXPECT_EQ(r.licence_no.size(), 23u) << r.licence_no;
      ASSERT_TRUE(r.scale.has_value()) << r.uid;
      const Mineral *m = catalogue_->find_mineral(r.minerals.at(0));
      ASSERT_NE(m, nullptr) << r.minerals.at(0);
      EXPECT_EQ(r.scale->unit, m->scale_unit) << r.uid;
      EXPECT_GT(r.scale->value, 0);
      EXPECT_TRUE(r.scale_class == "large" || r.scale_class == "medium" ||
                  r.scale_class == "small" || r.scale_class == "below_small");
      EXPECT_TRUE(r.method == "open-pit" || r.method == "underground") << r.method;
      EXPECT_TRUE(r.status == "producing" || r.status == "construction" || r.status == "stopped" ||
                  r.status == "closed");
    } else {
      EXPECT_TRUE(std::regex_match(r.licence_no, exploration_no)) << r.licence_no;
      const Mineral *m = catalogue_->find_mineral(r.minerals.at(0));
      ASSERT_NE(m, nullptr);
      EXPECT_NE(m->exploration_risk, "none") << "no exploration rights for " << m->name;
      EXPECT_TRUE(r.attributes.contains("exploration_stage"));
    }
    EXPECT_TRUE(std::regex_match(r.valid_from, date)) << r.valid_from;
    EXPECT_TRUE(std::regex_match(r.valid_to, date)) << r.valid_to;
    EXPECT_LT(r.valid_from, r.valid_to);
    EXPECT_EQ(r.version_from, r.valid_from);
    ASSERT_TRUE(r.area.has_value());
    EXPECT_EQ(r.area->unit, "km2");
    EXPECT_NEAR(r.area->value, *r.official_area_m2 / 1e6, 1e-4);
    EXPECT_FALSE(r.holder.empty());
    ++per_holder[r.holder];
    // Jurisdiction: the county containing the centroid (or, rarely, the drawing centre, when
    // the centroid of a concave shape falls outside every county).
    auto it = counties.find(r.jurisdiction);
    ASSERT_NE(it, counties.end()) << r.uid << ": " << r.jurisdiction;
    ASSERT_TRUE(it->second->outline.has_value());
    const geo::Point c = geo::planar_centroid(*r.geometry);
    if (geo::PreparedGeometry(geo::to_geos(*it->second->outline)).contains_point(c))
      ++centroid_in_county;
  }
  EXPECT_GE(centroid_in_county, static_cast<int>(rights_->size()) * 98 / 100);
  int several = 0;
  for (const auto &[holder, n] : per_holder)
    if (n > 1) ++several;
  EXPECT_GT(several, 5) << "some holders hold several rights";
  EXPECT_LT(per_holder.size(), rights_->size());
}

TEST_F(GenerateSmall, ZonesCiteSeed000AndSayTheyAreGenerated) {
  std::string seed_text;
  const fs::path seed = fs::path(MINEPLAN_SEEDS_DIR) / "000_fc264dd9bf63fed9.txt";
  // Without the seed texts (a clone of the project alone) the quotes are not checked against
  // them; in CI they must be there.
  if (!fs::exists(seed) && mineplan::testing::in_ci()) FAIL() << "seed texts not found at " << seed;
  if (fs::exists(seed)) {
    std::ifstream in(seed, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    seed_text = ss.str();
  }
  std::set<std::string> ids;
  for (const auto &z : *zones_) {
    EXPECT_TRUE(ids.insert(z.id).second) << z.id;
    EXPECT_TRUE(generated(z.attributes)) << z.id;
    EXPECT_EQ(z.plan_id, io::kGeneratedPlanId);
    EXPECT_EQ(z.cite.seed, "000_fc264dd9bf63fed9.txt");
    EXPECT_FALSE(z.cite.quote.empty());
    if (!seed_text.empty()) {
      EXPECT_NE(seed_text.find(z.cite.quote), std::string::npos) << z.id << ": " << z.cite.quote;
    }
    ASSERT_TRUE(z.area.has_value());
    EXPECT_EQ(z.area->unit, "km2");
  }
}

TEST_F(GenerateSmall, SameSeedSameContentOtherSeedOtherContent) {
  TempDir dir;
  io::GenerateOptions o;
  o.scale = io::GenerateScale::small;
  o.seed = 0;
  io::generate_database(mineplan::testing::store_location(dir.file("b.gpkg")), *catalogue_, o);
  o.seed = 1;
  io::generate_database(mineplan::testing::store_location(dir.file("c.gpkg")), *catalogue_, o);
  auto b = store::Store::open(mineplan::testing::store_location(dir.file("b.gpkg")));
  auto c = store::Store::open(mineplan::testing::store_location(dir.file("c.gpkg")));
  EXPECT_EQ(io::content_digest(*b), *digest_);
  EXPECT_NE(io::content_digest(*c), *digest_);
  EXPECT_EQ(io::content_digest(*b).size(), 32u);
}

TEST_F(GenerateSmall, RefusesToOverwrite) {
  io::GenerateOptions o;
  o.scale = io::GenerateScale::small;
  EXPECT_THROW(io::generate_database(mineplan::testing::store_location(dir_->file("a.gpkg")),
                                     *catalogue_, o),
               Error);
}

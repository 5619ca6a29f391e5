// The opinion of a stored review from the read model: its map's features are found by id in
// the read model's index, without re-running the review (a fresh model has run none).
#include "readmodel/read_model.hpp"
#include "review/opinion.hpp"
#include "review_support.hpp"

#include <set>

using namespace review_test;
using namespace mineplan;

namespace {

const fs::path kCase =
    fs::path(MINEPLAN_SOURCE_DIR) / "tests/cases/review/dalad-overlap-other-holder";

struct Stored {
  TempDir tmp;
  std::unique_ptr<store::Store> st;
  review::Application app;
  review::ReviewResult result; // as the record keeps it (through JSON)
  Stored() {
    st = fresh_store(tmp.path() / "db.gpkg");
    apply_setup(*st, kCase);
    const auto model = readmodel::ReadModel::build(*st);
    app = review::read_application(kCase / "application.json", model->minerals, model->divisions);
    result = review::result_from_json(review::to_json(model->engine->review(app)));
  }
};

std::set<std::string> ids(const std::vector<const review::SpatialFeature *> &features) {
  std::set<std::string> out;
  for (const auto *f : features)
    out.insert(f->id);
  return out;
}

} // namespace

TEST(ReadModelOpinion, StoredResultFindsItsFeaturesWithoutAReview) {
  Stored s;
  const auto model = readmodel::ReadModel::build(*s.st); // as the server after a restart
  const auto names = ids(model->engine->features_of(s.result));
  EXPECT_TRUE(names.count("DLT-OTHER-01"));
  EXPECT_TRUE(names.count("DLT-OWN-01"));
  EXPECT_EQ(model->engine->reviews_run(), 0u);
}

TEST(ReadModelOpinion, OpinionMapDrawsTheStoredFeaturesWithoutAReview) {
  Stored s;
  const auto model = readmodel::ReadModel::build(*s.st);
  const std::string html = review::render_opinion_html(
      s.app, s.result, model->engine->features_of(s.result), review::OpinionContext{});
  EXPECT_NE(html.find("data-id=\"DLT-OTHER-01\""), std::string::npos);
  EXPECT_EQ(model->engine->reviews_run(), 0u);
}

TEST(ReadModelOpinion, FeaturesOfIgnoresUnknownIds) {
  Stored s;
  const auto model = readmodel::ReadModel::build(*s.st);
  review::ReviewResult r = s.result;
  ASSERT_FALSE(r.findings.empty());
  r.findings.front().features = {"no-such-feature"};
  for (std::size_t i = 1; i < r.findings.size(); ++i)
    r.findings[i].features.clear();
  EXPECT_TRUE(model->engine->features_of(r).empty());
}

TEST(ReadModelOpinion, ReviewsAreCounted) {
  Stored s;
  const auto model = readmodel::ReadModel::build(*s.st);
  (void)model->engine->review(s.app);
  EXPECT_EQ(model->engine->reviews_run(), 1u);
}

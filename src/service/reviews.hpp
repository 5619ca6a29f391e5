#pragma once
// Use cases of plan-conformance review (docs/review.md): submit an application — reviewed
// against the plans in force and, when asked, recorded (append-only, audited by the store) —,
// read the records one may see, and make the written opinion of a record.
#include "review/application.hpp"
#include "review/engine.hpp"
#include "service/actor.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace mineplan::service {

struct ReviewDeps {
  store::ReviewStore &reviews;
  const review::ReviewEngine &engine;
  const std::vector<Division> &divisions;
  const Places &places;
};

struct ReviewRequest {
  Json application; // docs/review.md; a boundary file named relative to base_dir
  std::filesystem::path base_dir;
  bool record = true; // false: a preview, nothing stored
};

struct ReviewOutcome {
  review::Application application;
  review::ReviewResult result;
  store::ReviewRecord record;
  std::int64_t id = 0; // 0 when not recorded
};

// A holder applies in their own name (Forbidden otherwise; the name is filled in when absent);
// staff and reviewers record reviews within their jurisdiction only (Forbidden; a preview is
// allowed anywhere). Invalid input names the field under "application.".
ReviewOutcome submit_review(ReviewDeps deps, const Actor &actor, ReviewRequest request);

// Whether the actor sees the record: a holder their own, others those within their
// jurisdiction.
bool may_see(const Actor &actor, const Places &places, const store::ReviewRecord &record);
// The record, or NotFound — someone else's record answers like a missing one.
store::ReviewRecord visible_review(store::ReviewStore &reviews, const Places &places,
                                   const Actor &actor, std::int64_t id);
// The records the actor sees, newest first.
std::vector<store::ReviewRecord> visible_reviews(store::ReviewStore &reviews, const Places &places,
                                                 const Actor &actor, int limit);

// The written opinion (HTML) of a record the actor sees; `store_name` names where the plans
// came from.
std::string make_opinion(ReviewDeps deps, const Actor &actor, std::int64_t id,
                         const std::string &store_name);

} // namespace mineplan::service

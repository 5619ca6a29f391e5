#pragma once
// Plan-conformance review (规划审查): an application checked against every rule of every plan
// in force for its place and date along the plan chain (county → league → region). Where two
// plans speak to the same point the stricter wins and the finding says which.
#include "review/application.hpp"
#include "review/finding.hpp"
#include "review/spatial.hpp"
#include "store/store.hpp"

#include <memory>

namespace mineplan::review {

class ReviewEngine {
public:
  // Loads plans, divisions, minerals, zones and rights from the store and indexes them.
  explicit ReviewEngine(store::Store &store);
  ~ReviewEngine();

  ReviewResult review(const Application &app) const;

  // Plans in force for a jurisdiction on a date, nearest first (county, league, region).
  std::vector<const PlanData *> plan_chain(const std::string &jurisdiction,
                                           const std::string &date) const;
  const SpatialIndex &index() const;
  // The features a result's findings name (for the opinion's map). Only features this engine's
  // reviews met are known (the index has no lookup by id); zones without geometry are absent.
  std::vector<const SpatialFeature *> features_of(const ReviewResult &result) const;

  // Fingerprint of the rights register the engine loaded (recorded with each review: the
  // overlap and quota findings depend on it as the rule findings depend on the plan versions).
  std::string register_version() const;
  const std::vector<Mineral> &minerals() const;
  std::vector<Division> divisions() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The record of a review as the store keeps it: the application as reviewed, the plan versions,
// the result with the register version it was measured against.
store::ReviewRecord review_record(const Application &app, const ReviewResult &result,
                                  const ReviewEngine &engine, const std::string &who);

} // namespace mineplan::review

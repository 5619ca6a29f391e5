#pragma once
// Plan-conformance review (规划审查): an application checked against every rule of every plan
// in force for its place and date along the plan chain (county → league → region). Where two
// plans speak to the same point the stricter wins and the finding says which.
#include "review/application.hpp"
#include "review/finding.hpp"
#include "review/spatial.hpp"
#include "store/store.hpp"

#include <cstdint>
#include <memory>

namespace mineplan::review {

// What the engine reviews against, read from a store in one pass and immutable afterwards. The
// read model (src/readmodel) reads it together with what else it serves and shares it: the
// engine keeps a reference, and its spatial index refers to the zones' and rights' geometry
// here (held once, src/core/shared_geometry.hpp).
struct EngineSource {
  std::vector<Division> divisions;
  std::vector<Mineral> minerals;
  std::vector<store::PlanSummary> summaries; // the plans as the store lists them
  // Every listed plan (plan, zones with their geometry where surveyed, rules, targets); the
  // plan's rights, mines, tables and statistics are not kept (the register holds the rights).
  std::vector<PlanData> plans;
  std::vector<Right> rights; // the current register
};

// Reads an EngineSource: divisions, minerals, the plan list, each plan, the current rights.
std::shared_ptr<EngineSource> read_engine_source(store::Store &store);

class ReviewEngine {
public:
  // Indexes a source read once (and shared with whoever else reads it).
  explicit ReviewEngine(std::shared_ptr<const EngineSource> source);
  // Reads the source from the store (read_engine_source) and indexes it.
  explicit ReviewEngine(store::Store &store);
  ~ReviewEngine();

  ReviewResult review(const Application &app) const;

  // Plans in force for a jurisdiction on a date, nearest first (county, league, region).
  std::vector<const PlanData *> plan_chain(const std::string &jurisdiction,
                                           const std::string &date) const;
  const SpatialIndex &index() const;
  // The features a result's findings name (for the opinion's map), found by id in the index:
  // a stored result needs no re-run. Zones without geometry (and ids the index does not know,
  // e.g. of a plan since replaced) are absent.
  std::vector<const SpatialFeature *> features_of(const ReviewResult &result) const;

  // Fingerprint of the rights register the engine loaded (recorded with each review: the
  // overlap and quota findings depend on it as the rule findings depend on the plan versions).
  std::string register_version() const;
  const std::vector<Mineral> &minerals() const;
  const std::vector<Division> &divisions() const;
  const EngineSource &source() const;
  // How many reviews this engine has run (the opinion of a stored review runs none).
  std::uint64_t reviews_run() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The record of a review as the store keeps it: the application as reviewed, the plan versions,
// the result with the register version it was measured against.
store::ReviewRecord review_record(const Application &app, const ReviewResult &result,
                                  const ReviewEngine &engine, const std::string &who);

} // namespace mineplan::review

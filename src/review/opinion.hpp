#pragma once
// The written opinion (审查意见书): printable HTML in Chinese with an SVG map of the boundary
// against every zone and right it touches, the findings table with citations and the verdict.
#include "review/application.hpp"
#include "review/finding.hpp"
#include "review/spatial.hpp"

#include <string>
#include <vector>

namespace mineplan::review {

struct OpinionContext {
  std::string reviewed_at; // ISO timestamp
  std::string store;       // where the plans came from
  long long record_id = 0; // the stored review, 0 when not stored
};

std::string render_opinion_html(const Application &app, const ReviewResult &result,
                                const std::vector<const SpatialFeature *> &features,
                                const OpinionContext &context);

} // namespace mineplan::review

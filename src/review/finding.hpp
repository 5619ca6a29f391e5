#pragma once
// The result of a review: findings clause by clause and a verdict.
#include "core/model.hpp"

#include <string>
#include <vector>

namespace mineplan::review {

enum class Outcome { Pass, Fail, Attention, NotApplicable };
std::string_view outcome_id(Outcome o); // pass | fail | attention | n/a

struct Finding {
  std::string rule;  // stable id: "<plan>/<rule id>" or "<check>" for built-in checks
  std::string check; // what kind of check: mineral_policy, min_scale, zone_control, overlap …
  Outcome outcome = Outcome::NotApplicable;
  std::string message;            // Chinese
  Json evidence = Json::object(); // numbers with units: value vs limit, overlap m2, distance m
  Citation citation;
  std::string plan;                  // plan id the rule comes from
  std::string superseded_by;         // when a stricter rule of another plan decides this point
  std::vector<std::string> features; // zones / rights involved, "<plan>/<zone>" or licence no.
};

struct AppliedPlan {
  std::string id;
  std::string title;
  std::string level;
  std::string version; // content fingerprint of the plan's rules and zones at review time
};

struct ReviewResult {
  std::string verdict; // reject | conditional | pass
  std::vector<AppliedPlan> plans;
  std::vector<Finding> findings;
  std::string input_hash;
};

// Verdict: reject if any fail, conditional if any attention, else pass; findings superseded by
// a stricter rule (superseded_by set) do not count.
std::string verdict_of(const std::vector<Finding> &findings);
Json to_json(const Finding &f);
Json to_json(const ReviewResult &r);
// The inverse of to_json, for a stored review (its opinion is rendered from the record, not
// from a re-run against a register that may have changed since).
ReviewResult result_from_json(const Json &j);

} // namespace mineplan::review

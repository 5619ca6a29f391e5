#include "review/finding.hpp"

#include "core/model_json.hpp"

namespace mineplan::review {

std::string_view outcome_id(Outcome o) {
  switch (o) {
  case Outcome::Pass: return "pass";
  case Outcome::Fail: return "fail";
  case Outcome::Attention: return "attention";
  case Outcome::NotApplicable: return "n/a";
  }
  return "n/a";
}

std::string verdict_of(const std::vector<Finding> &findings) {
  bool attention = false;
  for (const auto &f : findings) {
    // A finding superseded by a stricter rule of another plan does not decide (stricter wins).
    if (!f.superseded_by.empty()) continue;
    if (f.outcome == Outcome::Fail) return "reject";
    attention |= f.outcome == Outcome::Attention;
  }
  return attention ? "conditional" : "pass";
}

Json to_json(const Finding &f) {
  Json j{{"rule", f.rule},
         {"check", f.check},
         {"outcome", std::string(outcome_id(f.outcome))},
         {"message", f.message},
         {"evidence", f.evidence},
         {"citation", mineplan::to_json(f.citation)},
         {"plan", f.plan.empty() ? Json(nullptr) : Json(f.plan)},
         {"superseded_by", f.superseded_by.empty() ? Json(nullptr) : Json(f.superseded_by)},
         {"features", f.features}};
  return j;
}

Json to_json(const ReviewResult &r) {
  Json plans = Json::array();
  for (const auto &p : r.plans)
    plans.push_back(
        Json{{"id", p.id}, {"title", p.title}, {"level", p.level}, {"version", p.version}});
  Json findings = Json::array();
  for (const auto &f : r.findings)
    findings.push_back(to_json(f));
  return Json{{"verdict", r.verdict},
              {"plans", plans},
              {"findings", findings},
              {"input_hash", r.input_hash}};
}

ReviewResult result_from_json(const Json &j) {
  auto text = [](const Json &o, const char *key) {
    return o.contains(key) && o[key].is_string() ? o[key].get<std::string>() : std::string();
  };
  ReviewResult r;
  r.verdict = text(j, "verdict");
  r.input_hash = text(j, "input_hash");
  for (const auto &p : j.value("plans", Json::array()))
    r.plans.push_back({text(p, "id"), text(p, "title"), text(p, "level"), text(p, "version")});
  for (const auto &fj : j.value("findings", Json::array())) {
    Finding f;
    f.rule = text(fj, "rule");
    f.check = text(fj, "check");
    const std::string outcome = text(fj, "outcome");
    for (Outcome o : {Outcome::Pass, Outcome::Fail, Outcome::Attention, Outcome::NotApplicable})
      if (outcome_id(o) == outcome) f.outcome = o;
    f.message = text(fj, "message");
    f.evidence = fj.value("evidence", Json::object());
    if (fj.contains("citation") && fj["citation"].is_object())
      f.citation = {text(fj["citation"], "seed"), text(fj["citation"], "section"),
                    text(fj["citation"], "quote")};
    f.plan = text(fj, "plan");
    f.superseded_by = text(fj, "superseded_by");
    for (const auto &x : fj.value("features", Json::array()))
      if (x.is_string()) f.features.push_back(x.get<std::string>());
    r.findings.push_back(std::move(f));
  }
  return r;
}

} // namespace mineplan::review

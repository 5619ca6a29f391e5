#include "service/reviews.hpp"

#include "core/error.hpp"
#include "review/opinion.hpp"

namespace mineplan::service {

namespace {

review::Application parse(const ReviewDeps &deps, const Json &application,
                          const std::filesystem::path &dir) {
  try {
    return review::parse_application(application, dir, deps.engine.minerals(), deps.divisions,
                                     "application");
  } catch (const InputError &e) {
    throw Refusal(ErrorKind::invalid_input, e.what(), "application." + e.field());
  }
}

} // namespace

ReviewOutcome submit_review(ReviewDeps deps, const Actor &actor, ReviewRequest request) {
  Json &application = request.application;
  if (actor.role == "holder") {
    Json &applicant = application["applicant"];
    if (!applicant.is_object()) applicant = Json::object();
    if (!applicant.contains("name")) applicant["name"] = actor.holder;
    if (!applicant["name"].is_string() || applicant["name"].get<std::string>() != actor.holder)
      throw Forbidden("a right holder applies in their own name (" + actor.holder + ")",
                      "application.applicant.name");
  }
  ReviewOutcome out;
  out.application = parse(deps, application, request.base_dir);
  if (request.record && !actor.everywhere && actor.role != "holder" &&
      !deps.places.within(out.application.jurisdiction, actor.jurisdiction))
    throw Forbidden("you record reviews only within " + deps.places.name(actor.jurisdiction) +
                        " (" + actor.jurisdiction + "); review with \"record\": false to preview",
                    "application.jurisdiction");
  try {
    out.result = deps.engine.review(out.application);
  } catch (const InputError &e) {
    throw Refusal(ErrorKind::invalid_input, e.what(), "application." + e.field());
  }
  out.record = review::review_record(out.application, out.result, deps.engine, actor.username);
  if (request.record) {
    out.id = deps.reviews.record_review(out.record);
    out.record.id = out.id;
  }
  return out;
}

bool may_see(const Actor &actor, const Places &places, const store::ReviewRecord &record) {
  if (actor.everywhere) return true;
  if (actor.role == "holder") return record.who == actor.username;
  std::string place = record.application.value("jurisdiction", std::string());
  return places.within(place, actor.jurisdiction);
}

store::ReviewRecord visible_review(store::ReviewStore &reviews, const Places &places,
                                   const Actor &actor, std::int64_t id) {
  auto r = reviews.review_record(id);
  if (!r || !may_see(actor, places, *r)) throw NotFound("no review " + std::to_string(id));
  return *r;
}

std::vector<store::ReviewRecord> visible_reviews(store::ReviewStore &reviews, const Places &places,
                                                 const Actor &actor, int limit) {
  std::vector<store::ReviewRecord> out;
  for (auto &r : reviews.review_records(actor.role == "holder" ? actor.username : "", limit))
    if (may_see(actor, places, r)) out.push_back(std::move(r));
  return out;
}

std::string make_opinion(ReviewDeps deps, const Actor &actor, std::int64_t id,
                         const std::string &store_name) {
  store::ReviewRecord r = visible_review(deps.reviews, deps.places, actor, id);
  // The record holds the boundary as reviewed (CGCS2000 lon/lat GeoJSON), so it parses again.
  review::Application app = parse(deps, r.application, {});
  // The map draws the features the recorded findings name, found by id: no re-run.
  review::ReviewResult stored = review::result_from_json(r.result);
  review::OpinionContext ctx{r.at, store_name, r.id};
  return review::render_opinion_html(app, stored, deps.engine.features_of(stored), ctx);
}

} // namespace mineplan::service

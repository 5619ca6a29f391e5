// Plan-conformance review over HTTP: submit an application (drawn boundary or uploaded
// coordinate file), read the records one may see, and print the written opinion.
#include "core/error.hpp"
#include "review/application.hpp"
#include "review/opinion.hpp"
#include "server/app_impl.hpp"
#include "server/temp_folder.hpp"

#include <boost/beast/http.hpp>
#include <sodium.h>

#include <fstream>

namespace mineplan::server {

namespace http = boost::beast::http;

namespace {

std::string decode_base64(const std::string &text, const std::string &field) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char *>(out.data()), out.size(), text.data(),
                        text.size(), " \r\n", &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    throw HttpError{400, "expected the file's bytes in standard base64", field};
  out.resize(len);
  return out;
}

bool may_see(const Context &c, const store::ReviewRecord &r) {
  if (!c.who.signed_in()) return false;
  const auto &a = *c.who.account;
  if (a.role == "holder") return r.who == a.username;
  std::string place = r.application.value("jurisdiction", std::string());
  return c.snap->within(place, a.jurisdiction);
}

Json record_summary(const Context &c, const store::ReviewRecord &r) {
  const Json &a = r.application;
  std::string place = a.value("jurisdiction", std::string());
  return Json{{"id", r.id},
              {"at", r.at},
              {"who", r.who},
              {"verdict", r.verdict},
              {"kind", a.value("kind", "")},
              {"action", a.value("action", "")},
              {"jurisdiction", place},
              {"jurisdiction_name", c.snap->division_name(place)},
              {"applicant", a.contains("applicant") ? a["applicant"] : Json(nullptr)},
              {"minerals", a.value("minerals", Json::array())},
              {"opinion", "/api/reviews/" + std::to_string(r.id) + "/opinion"}};
}

store::ReviewRecord visible_record(Context &c, std::int64_t id) {
  require_signed_in(c);
  auto r = c.store.review_record(id);
  // Someone else's record answers like a missing one: its existence is not published either.
  if (!r || !may_see(c, *r)) throw HttpError{404, "no review " + std::to_string(id), ""};
  return *r;
}

review::Application parse(Context &c, const Json &application, const std::filesystem::path &dir) {
  try {
    return review::parse_application(application, dir, c.snap->engine->minerals(),
                                     c.snap->divisions, "application");
  } catch (const InputError &e) {
    throw HttpError{400, e.what(), "application." + e.field()};
  }
}

} // namespace

Response api_review_submit(App::Impl &, Context &c) {
  require_csrf(c);
  Json body = parse_json_body(c);
  for (const auto &[key, v] : body.items())
    if (key != "application" && key != "boundary_file" && key != "record")
      throw HttpError{400, "unknown field (application, boundary_file, record)", key};
  if (!body.contains("application") || !body["application"].is_object())
    throw HttpError{400, "expected the application as a JSON object (docs/review.md)",
                    "application"};
  Json application = body["application"];
  bool record = true;
  if (body.contains("record")) {
    if (!body["record"].is_boolean()) throw HttpError{400, "expected true or false", "record"};
    record = body["record"].get<bool>();
  }
  if (application.contains("boundary") && application["boundary"].is_string())
    throw HttpError{400,
                    "a boundary naming a file is not accepted over HTTP: send the file in "
                    "boundary_file, or the boundary as a GeoJSON geometry",
                    "application.boundary"};
  const auto &me = *c.who.account;
  if (me.role == "holder") {
    Json &applicant = application["applicant"];
    if (!applicant.is_object()) applicant = Json::object();
    if (!applicant.contains("name")) applicant["name"] = me.holder;
    if (!applicant["name"].is_string() || applicant["name"].get<std::string>() != me.holder)
      throw HttpError{403, "a right holder applies in their own name (" + me.holder + ")",
                      "application.applicant.name"};
  }
  TempFolder dir;
  if (body.contains("boundary_file") && !body["boundary_file"].is_null()) {
    const Json &f = body["boundary_file"];
    if (!f.is_object() || !f.contains("content_base64") || !f["content_base64"].is_string())
      throw HttpError{400, "expected {\"name\", \"content_base64\"}", "boundary_file"};
    if (application.contains("boundary") && !application["boundary"].is_null())
      throw HttpError{400, "give the boundary once: as a file or as GeoJSON", "boundary_file"};
    if (f.contains("name") && !f["name"].is_null() && !f["name"].is_string())
      throw HttpError{400, "文件名应为字符串 (expected the file's name as a string)",
                      "boundary_file.name"};
    std::string name = safe_file_name(
        f.contains("name") && f["name"].is_string() ? f["name"].get<std::string>() : "",
        "boundary.txt");
    std::ofstream out(dir.path() / name, std::ios::binary);
    out << decode_base64(f["content_base64"].get<std::string>(), "boundary_file.content_base64");
    if (!out) throw Error("cannot write the uploaded boundary file");
    out.close();
    application["boundary"] = name;
  }
  review::Application app = parse(c, application, dir.path());
  if (record && me.role != "holder" && !c.snap->within(app.jurisdiction, me.jurisdiction))
    throw HttpError{403,
                    "you record reviews only within " + c.snap->division_name(me.jurisdiction) +
                        " (" + me.jurisdiction + "); review with \"record\": false to preview",
                    "application.jurisdiction"};
  const auto &engine = *c.snap->engine;
  review::ReviewResult result;
  try {
    result = engine.review(app);
  } catch (const InputError &e) {
    throw HttpError{400, e.what(), "application." + e.field()};
  }
  store::ReviewRecord rec = review::review_record(app, result, engine, me.username);
  std::int64_t id = record ? c.store.record_review(rec) : 0;
  // The features the findings name, with the worst outcome of the findings that count.
  Json features = Json::array();
  for (const auto *f : engine.features_of(result)) {
    std::string outcome = "pass";
    for (const auto &fd : result.findings) {
      if (!fd.superseded_by.empty()) continue;
      if (std::find(fd.features.begin(), fd.features.end(), f->id) == fd.features.end()) continue;
      if (fd.outcome == review::Outcome::Fail) outcome = "fail";
      if (fd.outcome == review::Outcome::Attention && outcome != "fail") outcome = "attention";
    }
    features.push_back(Json{{"type", "Feature"},
                            {"properties",
                             {{"layer", f->layer},
                              {"id", f->id},
                              {"name", f->name},
                              {"kind", f->kind},
                              {"outcome", outcome}}},
                            {"geometry", geojson_geometry(f->lonlat)}});
  }
  return json_response(
      Json{{"record_id", id > 0 ? Json(id) : Json(nullptr)},
           {"result", rec.result},
           {"boundary", app.boundary_lonlat ? geojson_geometry(*app.boundary_lonlat) : Json()},
           {"features", Json{{"type", "FeatureCollection"}, {"features", features}}},
           {"opinion",
            id > 0 ? Json("/api/reviews/" + std::to_string(id) + "/opinion") : Json(nullptr)}},
      id > 0 ? 201 : 200);
}

Response api_reviews(App::Impl &, Context &c) {
  require_signed_in(c);
  const auto &me = *c.who.account;
  Json out = Json::array();
  for (const auto &r : c.store.review_records(me.role == "holder" ? me.username : "", 500))
    if (may_see(c, r)) out.push_back(record_summary(c, r));
  return json_response(out);
}

Response api_review(App::Impl &, Context &c, std::int64_t id) {
  store::ReviewRecord r = visible_record(c, id);
  Json j = record_summary(c, r);
  j["input_hash"] = r.input_hash;
  j["application"] = r.application;
  j["plan_versions"] = r.plan_versions;
  j["result"] = r.result;
  return json_response(j);
}

Response api_review_opinion(App::Impl &, Context &c, std::int64_t id) {
  store::ReviewRecord r = visible_record(c, id);
  // The record holds the boundary as reviewed (CGCS2000 lon/lat GeoJSON), so it parses again.
  review::Application app = parse(c, r.application, {});
  const auto &engine = *c.snap->engine;
  // The map draws the features the recorded findings name, found by id: no re-run.
  review::ReviewResult stored = review::result_from_json(r.result);
  review::OpinionContext ctx{r.at, std::filesystem::path(c.store.location()).filename().string(),
                             r.id};
  Response res{http::status::ok, 11};
  res.set(http::field::content_type, "text/html; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  res.body() = review::render_opinion_html(app, stored, engine.features_of(stored), ctx);
  res.prepare_payload();
  return res;
}

} // namespace mineplan::server

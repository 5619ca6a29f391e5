// Plan-conformance review over HTTP: submit an application (drawn boundary or uploaded
// coordinate file), read the records one may see, and print the written opinion.
#include "core/error.hpp"
#include "server/app_impl.hpp"
#include "server/service_glue.hpp"
#include "server/temp_folder.hpp"
#include "service/reviews.hpp"

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

service::ReviewDeps review_deps(Context &c, const SnapshotPlaces &places) {
  return service::ReviewDeps{c.store, *c.snap->engine, c.snap->divisions, places};
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
  const SnapshotPlaces places(*c.snap);
  service::ReviewOutcome o = service::submit_review(review_deps(c, places), actor_of(c),
                                                    {std::move(application), dir.path(), record});
  const auto &engine = *c.snap->engine;
  const review::ReviewResult &result = o.result;
  const store::ReviewRecord &rec = o.record;
  const review::Application &app = o.application;
  const std::int64_t id = o.id;
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
  const SnapshotPlaces places(*c.snap);
  Json out = Json::array();
  for (const auto &r : service::visible_reviews(c.store, places, actor_of(c), 500))
    out.push_back(record_summary(c, r));
  return json_response(out);
}

Response api_review(App::Impl &, Context &c, std::int64_t id) {
  require_signed_in(c);
  const SnapshotPlaces places(*c.snap);
  store::ReviewRecord r = service::visible_review(c.store, places, actor_of(c), id);
  Json j = record_summary(c, r);
  j["input_hash"] = r.input_hash;
  j["application"] = r.application;
  j["plan_versions"] = r.plan_versions;
  j["result"] = r.result;
  return json_response(j);
}

Response api_review_opinion(App::Impl &, Context &c, std::int64_t id) {
  require_signed_in(c);
  const SnapshotPlaces places(*c.snap);
  std::string html =
      service::make_opinion(review_deps(c, places), actor_of(c), id,
                            std::filesystem::path(c.store.location()).filename().string());
  Response res{http::status::ok, 11};
  res.set(http::field::content_type, "text/html; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  res.body() = std::move(html);
  res.prepare_payload();
  return res;
}

} // namespace mineplan::server

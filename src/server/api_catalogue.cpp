// Read-only views of the plan database: plans, divisions, minerals, layers, features, search,
// rights, mines, published lists; plus the writes staff make by hand (a right's status, a
// notice).
#include "core/error.hpp"
#include "core/model_json.hpp"
#include "io/vocabulary_loader.hpp"
#include "registry/reassess.hpp"
#include "server/app_impl.hpp"
#include "server/service_glue.hpp"
#include "service/register.hpp"

#include <algorithm>

namespace mineplan::server {

namespace {

// A right or mine as the caller may see it: restricted fields only for staff of its
// jurisdiction and a holder linked to its licence number.
Json visible(const Context &c, const LayerPolicy *policy, Json j, const std::string &licence_no,
             const std::string &jurisdiction) {
  if (policy && !sees_restricted(c, licence_no, jurisdiction))
    for (const auto &field : policy->restricted)
      j.erase(field);
  return j;
}

Json feature(Json properties, const std::optional<geo::MultiPolygon> &g) {
  return Json{{"type", "Feature"},
              {"properties", std::move(properties)},
              {"geometry", g ? geojson_geometry(*g) : Json(nullptr)}};
}

// `linked=true`: only the rights or mines linked to the caller's (holder's) account.
bool linked_param(const Context &c) {
  const std::string v = query_or(c, "linked", "false");
  if (v != "true" && v != "false")
    throw HttpError{400, "linked 应为 true 或 false (expected true or false)", "linked"};
  if (v == "true") require_signed_in(c);
  return v == "true";
}

std::string as_of_param(const Context &c) {
  std::string as_of = query_or(c, "as_of", "");
  if (!as_of.empty()) check_date(as_of, "as_of");
  return as_of;
}

} // namespace

Response api_plans(App::Impl &, Context &c) {
  Json out = Json::array();
  for (const auto &s : c.snap->plans) {
    Json j = to_json(s.plan);
    j["jurisdiction_name"] = s.jurisdiction_name;
    j["counts"] = Json{{"zones", s.zones},     {"zones_with_geometry", s.zones_with_geometry},
                       {"targets", s.targets}, {"rules", s.rules},
                       {"tables", s.tables},   {"rights", s.rights},
                       {"mines", s.mines}};
    out.push_back(std::move(j));
  }
  return json_response(out);
}

Response api_plan(App::Impl &, Context &c, const std::string &id) {
  auto pd = c.store.plan(id);
  if (!pd) throw HttpError{404, "no plan '" + id + "'", ""};
  Json j = to_json(pd->plan);
  for (const char *key : {"zones", "targets", "rules", "tables"})
    j[key] = Json::array();
  for (const auto &z : pd->zones)
    j["zones"].push_back(to_json(z));
  for (const auto &t : pd->targets)
    j["targets"].push_back(to_json(t));
  for (const auto &r : pd->rules)
    j["rules"].push_back(to_json(r));
  for (const auto &t : pd->tables)
    j["tables"].push_back(to_json(t));
  return json_response(j);
}

Response api_plan_targets(App::Impl &, Context &c, const std::string &id) {
  auto pd = c.store.plan(id);
  if (!pd) throw HttpError{404, "no plan '" + id + "'", ""};
  Json targets = Json::array();
  for (const auto &t : pd->targets)
    targets.push_back(to_json(t));
  return json_response(Json{{"plan", to_json(pd->plan)}, {"targets", targets}});
}

Response api_divisions(App::Impl &, Context &c) {
  Json out = Json::array();
  for (const auto &d : c.snap->divisions)
    out.push_back(
        Json{{"code", d.code}, {"name", d.name}, {"level", d.level}, {"parent", d.parent}});
  return json_response(out);
}

Response api_minerals(App::Impl &, Context &c) {
  Json out = Json::array();
  for (const auto &m : c.snap->engine->minerals())
    out.push_back(to_json(m));
  return json_response(out);
}

// GET /api/vocabulary: data/vocabulary.json as validated at start-up (labels and symbology of
// every closed value set), public and cacheable: it changes only with the data folder.
Response api_vocabulary(App::Impl &, Context &) {
  Response res = json_response(io::vocabulary().json());
  res.set(boost::beast::http::field::cache_control, "public, max-age=300");
  return res;
}

Response api_layers(App::Impl &app, Context &c) {
  Json out = Json::array();
  for (const auto &p : app.layers) {
    if (p.audience != "public" && !c.who.signed_in()) continue;
    std::int64_t count = 0;
    if (p.name == "divisions") count = static_cast<std::int64_t>(c.snap->divisions.size());
    if (p.name == "zones") count = static_cast<std::int64_t>(c.snap->zones.size());
    if (p.name == "rights") count = static_cast<std::int64_t>(c.snap->rights.size());
    if (p.name == "mines") count = static_cast<std::int64_t>(c.snap->mines.size());
    bool tiled = c.snap->tiles.count(p.name) > 0;
    out.push_back(
        Json{{"name", p.name},
             {"title", p.title},
             {"audience", p.audience},
             {"count", count},
             {"tiles", tiled ? Json("/tiles/" + p.name + "/{z}/{x}/{y}.mvt") : Json(nullptr)},
             {"fields", p.tile_properties}});
  }
  return json_response(out);
}

Response api_feature(App::Impl &app, Context &c, const std::string &layer, const std::string &id) {
  const LayerPolicy *policy = app.policy(layer);
  if (!policy) throw HttpError{404, "no layer '" + layer + "'", ""};
  if (policy->audience != "public") {
    require_signed_in(c);
    throw HttpError{403, "the layer " + layer + " is read through /api/reviews", ""};
  }
  const auto &s = *c.snap;
  if (layer == "divisions")
    for (const auto &d : s.divisions)
      if (d.code == id) return json_response(feature(to_json(d), d.outline));
  if (layer == "zones")
    if (const Zone *z = s.zone(id)) return json_response(feature(to_json(*z), z->geometry));
  if (layer == "rights")
    for (const auto &r : s.rights)
      if (r.uid == id || r.licence_no == id)
        return json_response(
            feature(visible(c, policy, to_json(r), licence_key(r), r.jurisdiction), r.geometry));
  if (layer == "mines")
    for (const auto &m : s.mines)
      if (m.uid == id)
        return json_response(
            feature(visible(c, policy, to_json(m), licence_key(m), m.jurisdiction), m.geometry));
  throw HttpError{404, "no " + layer + " feature '" + id + "'", ""};
}

Response api_search(App::Impl &, Context &c) {
  const std::string q = query_or(c, "q", "");
  if (q.empty()) throw HttpError{400, "give the text to search for in q", "q"};
  if (q.size() > 200) throw HttpError{400, "q is longer than 200 bytes", "q"};
  Json out = Json::array();
  for (const auto &e : c.snap->search) {
    if (e.name.find(q) == std::string::npos && e.licence_no.find(q) == std::string::npos &&
        e.id.find(q) == std::string::npos)
      continue;
    out.push_back(Json{{"layer", e.layer},
                       {"id", e.id},
                       {"name", e.name},
                       {"licence_no", e.licence_no.empty() ? Json(nullptr) : Json(e.licence_no)},
                       {"bbox", e.bbox.empty() ? Json(nullptr)
                                               : Json::array({e.bbox.min_x, e.bbox.min_y,
                                                              e.bbox.max_x, e.bbox.max_y})}});
    if (out.size() >= 20) break;
  }
  return json_response(out);
}

Response api_rights(App::Impl &app, Context &c) {
  const std::string as_of = as_of_param(c);
  const std::string jurisdiction = query_or(c, "jurisdiction", "");
  const std::string holder = query_or(c, "holder", ""); // a public filter: grants nothing
  const bool linked = linked_param(c);
  // The snapshot answers for today without a copy; another date reads the versions.
  std::vector<Right> dated;
  if (!as_of.empty()) dated = c.store.rights({as_of});
  const std::vector<Right> &list = as_of.empty() ? c.snap->rights : dated;
  Json out = Json::array();
  for (const auto &r : list) {
    if (!jurisdiction.empty() && !c.snap->within(r.jurisdiction, jurisdiction)) continue;
    if (!holder.empty() && r.holder != holder) continue;
    if (linked && !c.who.linked(licence_key(r))) continue;
    out.push_back(visible(c, app.policy("rights"), to_json(r), licence_key(r), r.jurisdiction));
  }
  return json_response(out);
}

Response api_right_history(App::Impl &app, Context &c, const std::string &uid) {
  Json out = Json::array();
  for (const auto &r : c.store.right_history(uid))
    out.push_back(visible(c, app.policy("rights"), to_json(r), licence_key(r), r.jurisdiction));
  if (out.empty()) throw HttpError{404, "no right '" + uid + "'", ""};
  return json_response(out);
}

// A change by hand: the use case checks who may change what, writes the version and the
// registries' answer in one transaction, and refreshes the read model.
Response api_right_update(App::Impl &app, Context &c, const std::string &uid) {
  require_csrf(c);
  const SnapshotPlaces places(*c.snap);
  const service::Actor actor = actor_of(c);
  service::RightUpdate u = service::update_right(
      {c.store, app.lifecycles, places, refresh_of(app), {&c.snap->rights, &c.snap->mines}}, actor,
      {uid, [&c] { return parse_json_body(c); }});
  Json out = Json::array();
  for (const auto &r : u.history)
    out.push_back(to_json(r));
  Json steps = Json::array();
  for (const auto &t : u.registry_steps)
    steps.push_back(registry::to_json(t));
  return json_response(Json{{"history", out}, {"registry_steps", steps}});
}

Response api_mine_update(App::Impl &app, Context &c, const std::string &uid) {
  require_csrf(c);
  const SnapshotPlaces places(*c.snap);
  const service::Actor actor = actor_of(c);
  service::MineUpdate u =
      service::update_mine({c.store, app.lifecycles, places, refresh_of(app), {}}, actor,
                           {uid, [&c] { return parse_json_body(c); }});
  Json steps = Json::array();
  for (const auto &t : u.registry_steps)
    steps.push_back(registry::to_json(t));
  return json_response(
      Json{{"mine", u.mine ? to_json(*u.mine) : Json(nullptr)}, {"registry_steps", steps}});
}

Response api_mines(App::Impl &app, Context &c) {
  const std::string as_of = as_of_param(c);
  const std::string jurisdiction = query_or(c, "jurisdiction", "");
  const bool linked = linked_param(c);
  std::vector<Mine> dated;
  if (!as_of.empty()) dated = c.store.mines({as_of});
  const std::vector<Mine> &list = as_of.empty() ? c.snap->mines : dated;
  Json out = Json::array();
  for (const auto &m : list) {
    if (!jurisdiction.empty() && !c.snap->within(m.jurisdiction, jurisdiction)) continue;
    if (linked && !c.who.linked(licence_key(m))) continue;
    out.push_back(visible(c, app.policy("mines"), to_json(m), licence_key(m), m.jurisdiction));
  }
  return json_response(out);
}

Response api_green_mines(App::Impl &, Context &c) {
  Json out = Json::array();
  for (const auto &m : c.snap->mines) {
    if (m.green_level.empty()) continue;
    out.push_back(Json{{"uid", m.uid},
                       {"name", m.name},
                       {"holder", m.holder},
                       {"minerals", m.minerals},
                       {"jurisdiction", m.jurisdiction},
                       {"jurisdiction_name", c.snap->division_name(m.jurisdiction)},
                       {"level", m.green_level},
                       {"year", m.green_year ? Json(*m.green_year) : Json(nullptr)},
                       {"source", m.source}});
  }
  return json_response(out);
}

Response api_notices(App::Impl &, Context &c) {
  Json out = Json::array();
  for (const auto &n : c.store.notices(200))
    out.push_back(Json{{"id", n.id},
                       {"at", n.at},
                       {"jurisdiction", n.jurisdiction},
                       {"jurisdiction_name", c.snap->division_name(n.jurisdiction)},
                       {"title", n.title},
                       {"body", n.body}});
  return json_response(out);
}

Response api_notice_add(App::Impl &, Context &c) {
  require_csrf(c);
  if (!c.who.staff()) throw HttpError{403, "only staff publish notices", ""};
  Json body = parse_json_body(c);
  store::Notice n;
  for (const char *key : {"title", "body"}) {
    if (!body.contains(key) || !body[key].is_string() || body[key].get<std::string>().empty())
      throw HttpError{400, std::string("expected a non-empty string"), key};
  }
  n.title = body["title"].get<std::string>();
  n.body = body["body"].get<std::string>();
  n.jurisdiction = c.who.account->jurisdiction;
  if (body.contains("jurisdiction") && !body["jurisdiction"].is_null()) {
    if (!body["jurisdiction"].is_string())
      throw HttpError{400, "行政区划代码应为字符串，如 \"150621\" (expected a division code)",
                      "jurisdiction"};
    n.jurisdiction = body["jurisdiction"].get<std::string>();
  }
  if (!c.snap->within(n.jurisdiction, c.who.account->jurisdiction))
    throw HttpError{403, "you publish notices only within your jurisdiction", "jurisdiction"};
  n.id = c.store.add_notice(n);
  return json_response(Json{{"id", n.id}}, 201);
}

} // namespace mineplan::server

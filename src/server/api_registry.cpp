// The registries over HTTP (docs/registries.md): a mine's green-list state and steps, what is
// due, the random inspection draws, the consolidation program (seed 003) and a mine's
// restoration. Thin: src/registry checks the lifecycles' rules and src/service decides who
// may take a step where; these handlers translate requests and decide who may see what.
#include "core/error.hpp"
#include "registry/draw.hpp"
#include "registry/due.hpp"
#include "registry/legacy.hpp"
#include "registry/program.hpp"
#include "server/app_impl.hpp"
#include "server/service_glue.hpp"
#include "service/lifecycle_steps.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace mineplan::server {

namespace {

constexpr const char *kGreen = service::kGreenMine;
constexpr const char *kProgram = service::kConsolidation;
constexpr const char *kRestoration = service::kRestoration;
constexpr const char *kLedger = service::kRectification;
constexpr const char *kLegacy = service::kLegacy;

// The states of the green list the public sees: the mine is on the list, under publicity or
// was removed by a published decision. Applications and reviews in progress stay internal.
const std::set<std::string> &public_states() {
  static const std::set<std::string> s{"publicity",    "listed",   "rectifying",
                                       "reassessment", "rereview", "removed"};
  return s;
}

const registry::Lifecycle &lifecycle(const App::Impl &app, const std::string &id) {
  return service::lifecycle(app.lifecycles, id);
}

Mine mine_or_404(Context &c, const std::string &uid) {
  auto m = registry::current_mine(c.store, uid);
  if (!m) throw HttpError{404, std::string("no mine '").append(uid).append("'"), ""};
  return *m;
}

// The steps the lifecycle allows from the subject's state that the caller's role may take,
// with each field's label and type, for the form.
Json next_steps(const Context &c, const registry::Lifecycle &lc, const registry::SubjectState &s) {
  if (!c.who.signed_in()) return Json::array();
  return registry::next_steps(lc, s.state, s.values, c.who.account->role);
}

std::string state_label(const registry::Lifecycle &lc, const std::string &state) {
  auto it = lc.state_labels.find(state);
  return it == lc.state_labels.end() ? std::string() : it->second;
}

service::StepDeps step_deps(App::Impl &app, Context &c, const SnapshotPlaces &places) {
  return service::StepDeps{c.store, app.lifecycles, places, refresh_of(app)};
}

// The step of the request body ({"event", "date", PARAM: value …}) taken by the signed-in
// account on `subject` of `registry`: the use case decides whether the caller may, the
// lifecycle whether the step is legal; recorded with its audit row.
service::StepOutcome take_step(App::Impl &app, Context &c, const std::string &registry,
                               const std::string &subject) {
  require_csrf(c);
  const SnapshotPlaces places(*c.snap);
  const service::Actor actor = actor_of(c);
  const service::StepTarget target =
      service::authorise_step(step_deps(app, c, places), actor, registry, subject);
  Json body = parse_json_body(c);
  service::StepInput input;
  for (const char *key : {"event", "date"})
    if (!body.contains(key) || !body[key].is_string() || body[key].get<std::string>().empty())
      throw HttpError{400, "expected a non-empty string", key};
  input.event = body["event"].get<std::string>();
  input.date = body["date"].get<std::string>();
  check_date(input.date, "date");
  for (const auto &[k, v] : body.items())
    if (k != "event" && k != "date") input.params[k] = v;
  return service::take_step(step_deps(app, c, places), actor, target, input);
}

Response step_response(const service::StepOutcome &o, Json state) {
  return json_response(Json{{"step", registry::to_json(o.step)}, {"state", std::move(state)}}, 201);
}

std::string program_jurisdiction(const registry::Lifecycle &lc) {
  return service::program_jurisdiction(lc);
}

// Staff of the mine's jurisdiction and a holder linked to the mine's licence: reviewers see no
// fund accounts.
bool sees_restoration(const Context &c, const Mine &mine) {
  return sees_restricted(c, licence_key(mine), mine.jurisdiction);
}

// A mine's whole green-list record: staff of its jurisdiction, a holder linked to its licence,
// and reviewers of its jurisdiction (they take the assessment steps).
bool sees_green(const Context &c, const Mine &mine) {
  if (sees_restricted(c, licence_key(mine), mine.jurisdiction)) return true;
  return c.who.signed_in() && c.who.account->role == "reviewer" &&
         c.snap->within(mine.jurisdiction, c.who.account->jurisdiction);
}

} // namespace

Response api_registry_green(App::Impl &app, Context &c, const std::string &uid) {
  const auto &lc = lifecycle(app, kGreen);
  Mine mine = mine_or_404(c, uid);
  auto s = registry::replay(lc, uid, c.store.registry_events(lc.id, uid), &mine);
  const bool full = sees_green(c, mine);
  if (!full && !public_states().count(s.state))
    throw HttpError{
        404, std::string("the mine '").append(uid).append("' has no published green-list entry"),
        ""};
  Json out{{"registry", lc.id},
           {"mine", Json{{"uid", mine.uid},
                         {"name", mine.name},
                         {"holder", mine.holder},
                         {"jurisdiction", mine.jurisdiction},
                         {"jurisdiction_name", c.snap->division_name(mine.jurisdiction)}}},
           {"state", s.state},
           {"state_label", lc.state_labels.count(s.state) ? lc.state_labels.at(s.state) : ""},
           {"since", s.since.empty() ? Json(nullptr) : Json(s.since)},
           {"from_register", s.from_register},
           {"level", s.values.value("level", Json(nullptr))},
           {"deadline", s.deadline.empty() ? Json(nullptr)
                                           : Json{{"name", s.deadline_name},
                                                  {"label", s.deadline_label},
                                                  {"date", s.deadline}}},
           {"full_history", full}};
  Json steps = Json::array();
  for (const auto &e : s.events) {
    if (!full && !public_states().count(e.to_state)) continue;
    Json j = registry::to_json(e);
    if (!full) {
      // Who took a step, or made the register change the system answered, is not published.
      j.erase("who");
      if (j["data"].contains("trigger") && j["data"]["trigger"].is_object())
        j["data"]["trigger"].erase("by");
    }
    steps.push_back(std::move(j));
  }
  out["steps"] = std::move(steps);
  if (full) {
    out["values"] = s.values;
    out["next"] = next_steps(c, lc, s); // the caller's steps from here, for the form
  }
  return json_response(out);
}

Response api_registry_green_step(App::Impl &app, Context &c, const std::string &uid) {
  auto o = take_step(app, c, kGreen, uid);
  return step_response(o, registry::to_json(o.state));
}

Response api_registry_program(App::Impl &app, Context &c) {
  const auto &lc = lifecycle(app, kProgram);
  const std::string as_of = query_or(c, "as_of", today_iso());
  check_date(as_of, "as_of");
  Json figures;
  try {
    figures = registry::program_figures(c.store, lc, as_of);
  } catch (const InputError &err) {
    throw HttpError{404, err.detail(), err.field()};
  }
  const std::string jurisdiction = program_jurisdiction(lc);
  const bool full = c.who.staff() && !jurisdiction.empty() &&
                    c.snap->within(jurisdiction, c.who.account->jurisdiction);
  // Per right: its planned action and progress as of `as_of`; who took the steps and the
  // internal values are for staff of the program's place.
  std::map<std::string, Right> rights;
  for (auto &r : c.store.rights(store::AsOf{as_of}))
    rights.emplace(r.uid, std::move(r));
  std::map<std::string, std::vector<store::RegistryEvent>> by_subject;
  for (auto &e : c.store.registry_events(lc.id, ""))
    if (e.date <= as_of) by_subject[e.subject].push_back(std::move(e));
  Json list = Json::array();
  for (const auto &[subject, evs] : by_subject) {
    auto s = registry::replay(lc, subject, evs, nullptr);
    auto r = rights.find(subject);
    Json j{{"right", subject},
           {"name", r == rights.end() ? Json(nullptr) : Json(r->second.name)},
           {"state", s.state},
           {"state_label", state_label(lc, s.state)},
           {"since", s.since.empty() ? Json(nullptr) : Json(s.since)},
           {"action", s.values.value("action", Json(nullptr))},
           {"zone", s.values.value("zone", Json(nullptr))},
           {"last_step", s.last_date.empty() ? Json(nullptr) : Json(s.last_date)}};
    if (full) {
      j["values"] = s.values;
      Json steps = Json::array();
      for (const auto &e : s.events)
        steps.push_back(registry::to_json(e));
      j["steps"] = std::move(steps);
      j["next"] = next_steps(c, lc, s);
    }
    list.push_back(std::move(j));
  }
  if (full) {
    // Staff of the program's place also get the rights of the place not yet in the program,
    // with the step that brings one in (assign): the actions are taken right by right.
    for (const auto &[uid, r] : rights) {
      if (by_subject.count(uid) || !c.snap->within(r.jurisdiction, jurisdiction)) continue;
      auto s = registry::replay(lc, uid, {}, nullptr);
      list.push_back(Json{{"right", uid},
                          {"name", r.name},
                          {"state", s.state},
                          {"state_label", state_label(lc, s.state)},
                          {"since", nullptr},
                          {"action", nullptr},
                          {"zone", nullptr},
                          {"last_step", nullptr},
                          {"values", s.values},
                          {"steps", Json::array()},
                          {"next", next_steps(c, lc, s)}});
    }
  }
  figures["registry"] = lc.id;
  figures["jurisdiction"] = jurisdiction.empty() ? Json(nullptr) : Json(jurisdiction);
  figures["full_history"] = full;
  figures["rights"] = std::move(list);
  return json_response(figures);
}

Response api_registry_program_step(App::Impl &app, Context &c, const std::string &subject) {
  auto o = take_step(app, c, kProgram, subject);
  return step_response(o, registry::to_json(o.state));
}

Response api_registry_restoration(App::Impl &app, Context &c, const std::string &uid) {
  const auto &lc = lifecycle(app, kRestoration);
  Mine mine = mine_or_404(c, uid);
  auto s = registry::replay(lc, uid, c.store.registry_events(lc.id, uid), &mine);
  const bool full = sees_restoration(c, mine);
  Json summary = registry::restoration_summary(lc, s);
  Json out{{"registry", lc.id},
           {"mine", Json{{"uid", mine.uid},
                         {"name", mine.name},
                         {"holder", mine.holder},
                         {"status", mine.status},
                         {"jurisdiction", mine.jurisdiction},
                         {"jurisdiction_name", c.snap->division_name(mine.jurisdiction)}}},
           {"state", s.state},
           {"state_label", state_label(lc, s.state)},
           {"since", s.since.empty() ? Json(nullptr) : Json(s.since)},
           {"damaged_ha", summary.at("damaged_ha")},
           {"restored_ha", summary.at("restored_ha")},
           {"unrestored_ha", summary.at("unrestored_ha")},
           {"years", summary.at("years")},
           {"full_history", full}};
  if (full) {
    // The fund account and the steps: the holder's and the bureau's, not the public's.
    out["fund"] = Json{{"accrued", summary.at("accrued")},
                       {"used", summary.at("used")},
                       {"balance", summary.at("balance")}};
    out["values"] = s.values;
    Json steps = Json::array();
    for (const auto &e : s.events)
      steps.push_back(registry::to_json(e));
    out["steps"] = std::move(steps);
    out["next"] = next_steps(c, lc, s);
  }
  return json_response(out);
}

Response api_registry_restoration_step(App::Impl &app, Context &c, const std::string &uid) {
  auto o = take_step(app, c, kRestoration, uid);
  Json state = registry::to_json(o.state);
  state["summary"] = registry::restoration_summary(lifecycle(app, kRestoration), o.state);
  return step_response(o, std::move(state));
}

// --- the rectification ledger of the consolidation program (seed 003 五（四）) -------------

namespace {

// Staff and reviewers of the program's place (the county or above it) read the whole ledger.
bool sees_ledger(const Context &c, const std::string &place) {
  if (!c.who.signed_in() || place.empty()) return false;
  const auto &me = *c.who.account;
  if (!c.who.staff() && me.role != "reviewer") return false;
  return c.snap->within(place, me.jurisdiction);
}

// What the public sees of a ledger step: when, what step, the state reached. Who recorded it,
// the responsible person and the working notes stay with the bureau.
Json public_ledger_step(const registry::Lifecycle &lc, const store::RegistryEvent &e) {
  const registry::Transition *t = lc.transition(e.event);
  return Json{{"date", e.date},
              {"event", e.event},
              {"label", t ? t->label : e.event},
              {"from", e.from_state},
              {"to", e.to_state}};
}

} // namespace

Response api_registry_ledger(App::Impl &app, Context &c) {
  const auto &lc = lifecycle(app, kLedger);
  const std::string as_of = query_or(c, "as_of", today_iso());
  check_date(as_of, "as_of");
  const std::string place = program_jurisdiction(lc);
  const bool full = sees_ledger(c, place);
  std::map<std::string, std::vector<store::RegistryEvent>> by_subject;
  for (auto &e : c.store.registry_events(lc.id, ""))
    if (e.date <= as_of) by_subject[e.subject].push_back(std::move(e));
  Json items = Json::array();
  std::map<std::string, int> counts;
  int overdue = 0;
  for (const auto &[id, evs] : by_subject) {
    auto s = registry::replay(lc, id, evs, nullptr);
    ++counts[s.state];
    const bool late = s.state == "open" && !s.deadline.empty() && s.deadline < as_of;
    overdue += late;
    std::string opened;
    for (const auto &e : s.events)
      if (e.event == "open") opened = e.date;
    Json j{{"id", id},
           {"name", s.values.value("name", Json(nullptr))},
           {"issue", s.values.value("issue", Json(nullptr))},
           {"standard", s.values.value("standard", Json(nullptr))},
           {"deadline", s.deadline.empty() ? Json(nullptr) : Json(s.deadline)},
           {"overdue", late},
           {"state", s.state},
           {"state_label", state_label(lc, s.state)},
           {"since", s.since.empty() ? Json(nullptr) : Json(s.since)},
           {"opened", opened.empty() ? Json(nullptr) : Json(opened)}};
    Json steps = Json::array();
    for (const auto &e : s.events) {
      if (full) {
        Json step = registry::to_json(e);
        step["label"] = public_ledger_step(lc, e)["label"];
        steps.push_back(std::move(step));
      } else {
        steps.push_back(public_ledger_step(lc, e));
      }
    }
    j["steps"] = std::move(steps);
    if (full) {
      j["responsible"] = s.values.value("responsible", Json(nullptr));
      j["values"] = s.values;
      j["next"] = next_steps(c, lc, s);
    }
    items.push_back(std::move(j));
  }
  Json by_state = Json::object();
  for (const auto &st : lc.states)
    if (counts.count(st)) by_state[st] = counts[st];
  Json out{
      {"registry", lc.id},
      {"title", lc.title},
      {"jurisdiction", place.empty() ? Json(nullptr) : Json(place)},
      {"jurisdiction_name", place.empty() ? Json(nullptr) : Json(c.snap->division_name(place))},
      {"as_of", as_of},
      {"full_history", full},
      {"counts", by_state},
      {"overdue", overdue},
      {"items", std::move(items)}};
  // Staff of the place open new items: the steps from the initial state, for the form.
  if (full)
    out["new_item"] = registry::next_steps(lc, lc.initial, Json::object(), c.who.account->role);
  return json_response(out);
}

Response api_registry_ledger_step(App::Impl &app, Context &c, const std::string &id) {
  auto o = take_step(app, c, kLedger, id);
  return step_response(o, registry::to_json(o.state));
}

// --- legacy mine sites restored by the government (历史遗留矿山) ----------------------------

Response api_registry_legacy(App::Impl &app, Context &c) {
  const auto &lc = lifecycle(app, kLegacy);
  const std::string as_of = query_or(c, "as_of", today_iso());
  check_date(as_of, "as_of");
  Json out = registry::legacy_overview(c.store, lc, as_of);
  // Public works, published; who recorded a step is for staff of the site's place.
  for (auto &site : out["sites"]) {
    const std::string code = site.value("jurisdiction", "");
    const bool staff = c.who.staff() && c.snap->within(code, c.who.account->jurisdiction);
    if (staff) {
      site["next"] =
          registry::next_steps(lc, site.value("state", ""), Json::object(), c.who.account->role);
    } else {
      for (auto &e : site["events"])
        e.erase("who");
    }
  }
  return json_response(out);
}

Response api_registry_legacy_step(App::Impl &app, Context &c, const std::string &id) {
  auto o = take_step(app, c, kLegacy, id);
  return step_response(o, registry::to_json(o.state));
}

Response api_registry_lifecycle(App::Impl &app, Context &, const std::string &id) {
  return json_response(registry::describe(lifecycle(app, id)));
}

Response api_due(App::Impl &app, Context &c) {
  require_signed_in(c);
  const auto &me = *c.who.account;
  registry::DueQuery q;
  q.as_of = query_or(c, "as_of", today_iso());
  check_date(q.as_of, "as_of");
  q.jurisdiction = query_or(c, "jurisdiction", "");
  if (c.who.staff()) {
    if (q.jurisdiction.empty()) q.jurisdiction = me.jurisdiction;
    if (!c.snap->within(q.jurisdiction, me.jurisdiction))
      throw HttpError{403,
                      std::string("the due list of ")
                          .append(q.jurisdiction)
                          .append(" lies outside your jurisdiction ")
                          .append(me.jurisdiction),
                      "jurisdiction"};
  } else if (me.role == "holder") {
    // The rights and mines linked to the account (as of the date), whoever the register names.
    std::set<std::string> subjects;
    for (const auto &r : c.store.rights(store::AsOf{q.as_of}))
      if (c.who.linked(licence_key(r))) subjects.insert(r.uid);
    for (const auto &m : c.store.mines(store::AsOf{q.as_of}))
      if (c.who.linked(licence_key(m))) subjects.insert(m.uid);
    q.subjects = std::move(subjects);
  } else {
    throw HttpError{403, "待办事项仅供工作人员和矿业权人查看 (due lists are for staff and holders)",
                    ""};
  }
  const std::string within = query_or(c, "within", "");
  if (!within.empty()) {
    try {
      std::size_t used = 0;
      q.within_days = std::stoi(within, &used);
      if (used != within.size() || q.within_days < 0 || q.within_days > 3660)
        throw std::invalid_argument(within);
    } catch (const std::exception &) {
      throw HttpError{400, "expected a number of days from 0 to 3660", "within"};
    }
  }
  Json items = Json::array();
  for (const auto &d : registry::compute_due(c.store, app.lifecycles, q))
    items.push_back(registry::to_json(d));
  return json_response(
      Json{{"as_of", q.as_of},
           {"jurisdiction", q.jurisdiction.empty() ? Json(nullptr) : Json(q.jurisdiction)},
           {"holder", q.holder.empty() ? Json(nullptr) : Json(q.holder)},
           {"licences", me.role == "holder" ? Json(me.licences) : Json(nullptr)},
           {"within_days", q.within_days},
           {"items", std::move(items)}});
}

Response api_draws(App::Impl &app, Context &c) {
  const auto &lc = lifecycle(app, kGreen);
  const std::string jurisdiction = query_or(c, "jurisdiction", "");
  Json out = Json::array();
  for (const auto &d : registry::draws(c.store, lc)) {
    if (!jurisdiction.empty() && !c.snap->within(d.jurisdiction, jurisdiction)) continue;
    out.push_back(registry::to_json(d));
  }
  return json_response(out);
}

Response api_draw_add(App::Impl &app, Context &c) {
  require_csrf(c);
  const SnapshotPlaces places(*c.snap);
  const service::Actor actor = actor_of(c);
  Json body = parse_json_body(c);
  service::DrawRequest req;
  if (body.contains("jurisdiction") && body["jurisdiction"].is_string())
    req.jurisdiction = body["jurisdiction"].get<std::string>();
  service::check_may_draw(actor, places, req.jurisdiction);
  if (!body.contains("date") || !body["date"].is_string())
    throw HttpError{400, "expected the draw's date", "date"};
  req.date = body["date"].get<std::string>();
  check_date(req.date, "date");
  if (!body.contains("experts") || !body["experts"].is_array() || body["experts"].empty())
    throw HttpError{400, "expected the expert pool: an array of expert ids", "experts"};
  for (const auto &x : body["experts"]) {
    if (x.is_string() && !x.get<std::string>().empty())
      req.experts.push_back(x.get<std::string>());
    else if (x.is_object() && x.contains("id") && x["id"].is_string())
      req.experts.push_back(x["id"].get<std::string>());
    else
      throw HttpError{400, "expected an expert id (a string or {\"id\"})", "experts"};
  }
  if (body.contains("seed") && !body["seed"].is_null()) {
    if (!body["seed"].is_number_unsigned())
      throw HttpError{400, "expected a non-negative integer", "seed"};
    req.seed = body["seed"].get<std::uint64_t>();
  }
  registry::DrawRecord r = service::draw_inspections(step_deps(app, c, places), actor, req);
  return json_response(registry::to_json(r), 201);
}

Response api_draw_verify(App::Impl &app, Context &c, const std::string &id) {
  const auto &lc = lifecycle(app, kGreen);
  auto all = registry::draws(c.store, lc);
  if (std::none_of(all.begin(), all.end(), [&](const auto &d) { return d.id == id; }))
    throw HttpError{404, std::string("no draw '").append(id).append("'"), ""};
  auto check = registry::verify_draw(c.store, lc, id);
  return json_response(Json{{"id", id},
                            {"ok", check.ok},
                            {"problems", check.problems},
                            {"recorded", registry::to_json(check.recorded)},
                            {"redrawn", registry::to_json(check.redrawn)}});
}

} // namespace mineplan::server

// The registries over HTTP (docs/registries.md): a mine's green-list state and steps, what is
// due, the random inspection draws. Thin: src/registry checks the lifecycles' rules; these
// handlers decide who may see and who may write, and where (jurisdiction).
#include "core/error.hpp"
#include "registry/draw.hpp"
#include "registry/due.hpp"
#include "server/app_impl.hpp"

#include <algorithm>
#include <set>

namespace mineplan::server {

namespace {

constexpr const char *kGreen = "green-mine";

// The states of the green list the public sees: the mine is on the list, under publicity or
// was removed by a published decision. Applications and reviews in progress stay internal.
const std::set<std::string> &public_states() {
  static const std::set<std::string> s{"publicity",    "listed",   "rectifying",
                                       "reassessment", "rereview", "removed"};
  return s;
}

const registry::Lifecycle &lifecycle(const App::Impl &app, const std::string &id) {
  auto it = app.lifecycles.find(id);
  if (it == app.lifecycles.end())
    throw HttpError{
        404, std::string("the lifecycle '").append(id).append("' is not loaded (data/lifecycles)"),
        ""};
  return it->second;
}

Mine mine_or_404(Context &c, const std::string &uid) {
  auto m = registry::current_mine(c.store, uid);
  if (!m) throw HttpError{404, std::string("no mine '").append(uid).append("'"), ""};
  return *m;
}

// 403 unless the signed-in staff member's jurisdiction holds `code`.
void require_staff_within(const Context &c, const std::string &code, const std::string &what) {
  require_csrf(c);
  if (!c.who.staff()) throw HttpError{403, std::string("only staff ").append(what), ""};
  const auto &me = *c.who.account;
  if (!c.snap->within(code, me.jurisdiction))
    throw HttpError{403,
                    std::string(c.snap->division_name(code))
                        .append(" (")
                        .append(code)
                        .append(") lies outside your jurisdiction ")
                        .append(c.snap->division_name(me.jurisdiction))
                        .append(" (")
                        .append(me.jurisdiction)
                        .append(")"),
                    "jurisdiction"};
}

// A refusal of the lifecycle as an HTTP answer: the role may not (403), the subject's state or
// history forbids the step (409), anything else is a bad request (400).
[[noreturn]] void refuse(const InputError &e, const std::string &event) {
  if (e.field() == "role") throw HttpError{403, e.detail(), e.field()};
  if (e.field() == event) throw HttpError{409, e.detail(), e.field()};
  throw HttpError{400, e.detail(), e.field()};
}

} // namespace

Response api_registry_green(App::Impl &app, Context &c, const std::string &uid) {
  const auto &lc = lifecycle(app, kGreen);
  Mine mine = mine_or_404(c, uid);
  auto s = registry::replay(lc, uid, c.store.registry_events(lc.id, uid), &mine);
  const bool full = sees_restricted(c, mine.holder, mine.jurisdiction);
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
    if (!full) j.erase("who");
    steps.push_back(std::move(j));
  }
  out["steps"] = std::move(steps);
  if (full) {
    out["values"] = s.values;
    // The steps the lifecycle allows from here, for the form.
    Json next = Json::array();
    for (const auto &t : lc.transitions)
      if (std::find(t.from.begin(), t.from.end(), s.state) != t.from.end())
        next.push_back(Json{{"event", t.event},
                            {"label", t.label},
                            {"required", t.required},
                            {"optional", t.optional}});
    out["next"] = std::move(next);
  }
  return json_response(out);
}

Response api_registry_green_step(App::Impl &app, Context &c, const std::string &uid) {
  require_csrf(c);
  const auto &lc = lifecycle(app, kGreen);
  Mine mine = mine_or_404(c, uid);
  // Staff and reviewers act within their jurisdiction, a holder on their own mines; which
  // steps each role may take is the lifecycle's to say.
  if (c.who.account->role == "holder") {
    if (mine.holder.empty() || mine.holder != c.who.account->holder)
      throw HttpError{403, "a right holder records steps of their own mines only", ""};
  } else if (c.who.account->role == "reviewer") {
    if (!c.snap->within(mine.jurisdiction, c.who.account->jurisdiction))
      throw HttpError{403, "the mine lies outside your jurisdiction", "jurisdiction"};
  } else {
    require_staff_within(c, mine.jurisdiction, "record green-list steps");
  }
  Json body = parse_json_body(c);
  registry::Step step;
  step.subject = uid;
  for (const char *key : {"event", "date"})
    if (!body.contains(key) || !body[key].is_string() || body[key].get<std::string>().empty())
      throw HttpError{400, "expected a non-empty string", key};
  step.event = body["event"].get<std::string>();
  step.date = body["date"].get<std::string>();
  check_date(step.date, "date");
  for (const auto &[k, v] : body.items())
    if (k != "event" && k != "date") step.params[k] = v;
  step.who = c.who.account->username;
  step.role = c.who.account->role;
  store::RegistryEvent e;
  try {
    e = registry::apply_step(c.store, lc, step);
  } catch (const InputError &err) {
    refuse(err, step.event);
  }
  const registry::Transition *t = lc.transition(step.event);
  if (t && t->mine.is_object()) app.refresh(); // the step changed the register (green level)
  auto s = registry::replay(lc, uid, c.store.registry_events(lc.id, uid), &mine);
  return json_response(Json{{"step", registry::to_json(e)}, {"state", registry::to_json(s)}}, 201);
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
    q.holder = me.holder;
  } else {
    throw HttpError{403, "due lists are for staff and holders", ""};
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
  const auto &lc = lifecycle(app, kGreen);
  Json body = parse_json_body(c);
  const std::string jurisdiction =
      body.contains("jurisdiction") && body["jurisdiction"].is_string()
          ? body["jurisdiction"].get<std::string>()
          : (c.who.account ? c.who.account->jurisdiction : std::string());
  require_staff_within(c, jurisdiction, "draw inspections");
  if (!body.contains("date") || !body["date"].is_string())
    throw HttpError{400, "expected the draw's date", "date"};
  const std::string date = body["date"].get<std::string>();
  check_date(date, "date");
  if (!body.contains("experts") || !body["experts"].is_array() || body["experts"].empty())
    throw HttpError{400, "expected the expert pool: an array of expert ids", "experts"};
  std::vector<std::string> pool;
  for (const auto &x : body["experts"]) {
    if (x.is_string() && !x.get<std::string>().empty())
      pool.push_back(x.get<std::string>());
    else if (x.is_object() && x.contains("id") && x["id"].is_string())
      pool.push_back(x["id"].get<std::string>());
    else
      throw HttpError{400, "expected an expert id (a string or {\"id\"})", "experts"};
  }
  std::optional<std::uint64_t> seed;
  if (body.contains("seed") && !body["seed"].is_null()) {
    if (!body["seed"].is_number_unsigned())
      throw HttpError{400, "expected a non-negative integer", "seed"};
    seed = body["seed"].get<std::uint64_t>();
  }
  registry::DrawRecord r;
  try {
    r = registry::draw_inspections(c.store, lc, jurisdiction, date, pool, seed,
                                   c.who.account->username, c.who.account->role);
  } catch (const InputError &err) {
    if (err.field() == "role") throw HttpError{403, err.detail(), err.field()};
    if (err.detail().find("drawn already") != std::string::npos)
      throw HttpError{409, err.detail(), err.field()};
    throw HttpError{400, err.detail(), err.field()};
  }
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

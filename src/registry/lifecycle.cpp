#include "registry/lifecycle.hpp"

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/json_text.hpp"
#include "core/model_json.hpp"
#include "io/catalogue_loader.hpp"
#include "io/vocabulary_loader.hpp"
#include "registry/dates.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace mineplan::registry {
namespace fs = std::filesystem;

namespace {

std::string joined(const std::vector<std::string> &v) {
  std::string out;
  for (const auto &s : v) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out.empty() ? std::string("(none)") : out;
}

bool contains(const std::vector<std::string> &v, const std::string &s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// Reads a lifecycle file's JSON with the path of each value for error messages.
class Reader {
public:
  explicit Reader(std::string file) : file_(std::move(file)) {}
  [[noreturn]] void fail(const std::string &path, const std::string &msg) const {
    throw InputError(file_, 0, path, msg);
  }
  const Json &member(const Json &obj, const std::string &path, const char *key) const {
    if (!obj.is_object()) fail(path, "expected an object");
    auto it = obj.find(key);
    if (it == obj.end()) fail(path + "." + key, "is required");
    return *it;
  }
  std::string text(const Json &obj, const std::string &path, const char *key,
                   bool required = true) const {
    if (!obj.contains(key)) {
      if (required) fail(path + "." + key, "is required");
      return {};
    }
    const Json &v = obj.at(key);
    if (!v.is_string()) fail(path + "." + key, "expected a string");
    return v.get<std::string>();
  }
  int integer(const Json &obj, const std::string &path, const char *key, int fallback,
              int min_value) const {
    if (!obj.contains(key)) return fallback;
    const Json &v = obj.at(key);
    if (!v.is_number_integer() || v.get<int>() < min_value)
      fail(path + "." + key, "expected an integer >= " + std::to_string(min_value));
    return v.get<int>();
  }
  std::vector<std::string> strings(const Json &obj, const std::string &path, const char *key,
                                   bool required = false) const {
    std::vector<std::string> out;
    if (!obj.contains(key)) {
      if (required) fail(path + "." + key, "is required");
      return out;
    }
    const Json &v = obj.at(key);
    if (!v.is_array()) fail(path + "." + key, "expected an array of strings");
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_string())
        fail(path + "." + key + "[" + std::to_string(i) + "]", "expected a string");
      out.push_back(v[i].get<std::string>());
    }
    return out;
  }
  Citation cite(const Json &obj, const std::string &path, bool required) const {
    Citation c;
    if (!obj.contains("cite") || obj.at("cite").is_null()) {
      if (required) fail(path + ".cite", "a citation (seed file and section) is required");
      return c;
    }
    const Json &j = obj.at("cite");
    c.seed = text(j, path + ".cite", "seed");
    c.section = text(j, path + ".cite", "section");
    c.quote = text(j, path + ".cite", "quote", false);
    return c;
  }
  void states_known(const Lifecycle &lc, const std::vector<std::string> &states,
                    const std::string &path) const {
    for (std::size_t i = 0; i < states.size(); ++i)
      if (!lc.has_state(states[i]))
        fail(path + "[" + std::to_string(i) + "]",
             "unknown state '" + states[i] + "'; expected one of: " + joined(lc.states));
  }
  void param_known(const Lifecycle &lc, const std::string &name, const std::string &path,
                   const char *type = nullptr) const {
    auto it = lc.params.find(name);
    if (it == lc.params.end()) fail(path, "unknown parameter '" + name + "'");
    if (type && it->second.type != type)
      fail(path, "parameter '" + name + "' must be of type " + type);
  }

private:
  std::string file_;
};

const std::set<std::string> kRoles{"region_staff", "league_staff", "county_staff", "reviewer",
                                   "holder"};
const std::set<std::string> kParamTypes{"text", "enum", "date", "year", "number"};

} // namespace

const Transition *Lifecycle::transition(const std::string &event) const {
  for (const auto &t : transitions)
    if (t.event == event) return &t;
  return nullptr;
}

bool Lifecycle::has_state(const std::string &s) const {
  return contains(states, s);
}

const RegisterTrigger *Lifecycle::trigger(const std::string &event) const {
  for (const auto &t : register_triggers)
    if (t.event == event) return &t;
  return nullptr;
}

std::string Lifecycle::state_label(const std::string &s) const {
  auto it = state_labels.find(s);
  return it == state_labels.end() ? s : it->second;
}

std::string role_label(const std::string &role) {
  if (role == kSystemRole) return "系统";
  return io::vocabulary().label("roles", role);
}

std::vector<std::string> roles_for(const Transition &t, const Json &values, const Json &params) {
  std::vector<std::string> roles = t.roles;
  if (!t.roles_param.empty()) {
    Json v = params.contains(t.roles_param) ? params.at(t.roles_param)
                                            : values.value(t.roles_param, Json(nullptr));
    if (v.is_string()) {
      auto it = t.roles_by_value.find(v.get<std::string>());
      if (it != t.roles_by_value.end())
        roles.insert(roles.end(), it->second.begin(), it->second.end());
    }
  }
  return roles;
}

namespace {

Json field_json(const Lifecycle &lc, const std::string &name, bool required) {
  const Param &p = lc.params.at(name);
  Json f{{"name", name}, {"label", p.label}, {"type", p.type}, {"required", required}};
  if (p.type == "enum") {
    Json values = Json::array();
    for (const auto &v : p.values)
      values.push_back(Json{{"value", v}, {"label", p.value_labels.at(v)}});
    f["values"] = values;
  }
  return f;
}

} // namespace

Json next_steps(const Lifecycle &lc, const std::string &state, const Json &values,
                const std::string &role) {
  Json next = Json::array();
  for (const auto &t : lc.transitions) {
    if (!contains(t.from, state)) continue;
    auto roles = roles_for(t, values);
    if (!role.empty() && !contains(roles, role)) continue;
    Json fields = Json::array();
    for (const auto &k : t.required)
      fields.push_back(field_json(lc, k, true));
    for (const auto &k : t.optional)
      fields.push_back(field_json(lc, k, false));
    const std::string to = t.to.empty() ? state : t.to;
    next.push_back(Json{{"event", t.event},
                        {"label", t.label},
                        {"to", to},
                        {"to_label", lc.state_label(to)},
                        {"roles", roles},
                        {"required", t.required},
                        {"optional", t.optional},
                        {"fields", fields}});
  }
  return next;
}

Json describe(const Lifecycle &lc) {
  Json states = Json::array();
  for (const auto &s : lc.states)
    states.push_back(Json{{"id", s}, {"label", lc.state_label(s)}});
  Json params = Json::object();
  for (const auto &[name, p] : lc.params) {
    Json f = field_json(lc, name, false);
    f.erase("required");
    f.erase("name");
    params[name] = f;
  }
  Json steps = Json::array();
  for (const auto &t : lc.transitions) {
    Json roles = t.roles;
    Json by_value = Json::object();
    for (const auto &[v, rs] : t.roles_by_value)
      by_value[v] = rs;
    steps.push_back(Json{{"event", t.event},
                         {"label", t.label},
                         {"from", t.from},
                         {"to", t.to.empty() ? Json(nullptr) : Json(t.to)},
                         {"roles", roles},
                         {"roles_by", t.roles_param.empty()
                                          ? Json(nullptr)
                                          : Json{{"param", t.roles_param}, {"roles", by_value}}},
                         {"required", t.required},
                         {"optional", t.optional},
                         {"system", lc.trigger(t.event) != nullptr},
                         {"cite", to_json(t.cite)}});
  }
  Json roles = Json::object();
  for (const char *r :
       {"region_staff", "league_staff", "county_staff", "reviewer", "holder", kSystemRole})
    roles[r] = role_label(r);
  return Json{{"id", lc.id},           {"title", lc.title}, {"subject", lc.subject},
              {"initial", lc.initial}, {"states", states},  {"params", params},
              {"steps", steps},        {"roles", roles}};
}

Lifecycle parse_lifecycle(const Json &j, const std::string &file) {
  Reader r(file);
  Lifecycle lc;
  lc.file = file;
  if (!j.is_object()) r.fail("$", "expected an object");
  lc.id = r.text(j, "$", "id");
  lc.title = r.text(j, "$", "title");
  lc.subject = r.text(j, "$", "subject");
  if (lc.subject != "mine" && lc.subject != "right" && lc.subject != "legacy_site" &&
      lc.subject != "any")
    r.fail("$.subject", "expected mine, right, legacy_site or any, found '" + lc.subject + "'");
  const Json &states = r.member(j, "$", "states");
  if (!states.is_array() || states.empty()) r.fail("$.states", "expected a non-empty array");
  for (std::size_t i = 0; i < states.size(); ++i) {
    std::string p = "$.states[" + std::to_string(i) + "]";
    std::string id = r.text(states[i], p, "id");
    if (lc.has_state(id)) r.fail(p + ".id", "state '" + id + "' is listed twice");
    lc.states.push_back(id);
    lc.state_labels[id] = r.text(states[i], p, "label");
  }
  lc.initial = r.text(j, "$", "initial");
  r.states_known(lc, {lc.initial}, "$.initial");
  if (j.contains("register_initial")) {
    const Json &ri = j.at("register_initial");
    lc.register_field = r.text(ri, "$.register_initial", "field");
    if (lc.register_field != "green_level")
      r.fail("$.register_initial.field", "expected green_level");
    lc.register_state = r.text(ri, "$.register_initial", "state");
    r.states_known(lc, {lc.register_state}, "$.register_initial.state");
  }
  if (j.contains("params")) {
    const Json &ps = j.at("params");
    if (!ps.is_object()) r.fail("$.params", "expected an object");
    for (const auto &[name, pj] : ps.items()) {
      std::string p = "$.params." + name;
      Param prm;
      prm.name = name;
      prm.type = r.text(pj, p, "type");
      if (!kParamTypes.count(prm.type))
        r.fail(p + ".type", "expected text, enum, date, year or number, found '" + prm.type + "'");
      prm.values = r.strings(pj, p, "values", prm.type == "enum");
      prm.label = r.text(pj, p, "label", false);
      if (prm.label.empty())
        r.fail(p + ".label", "a Chinese label is required (the portal shows it)");
      if (prm.type == "enum") {
        // Every value needs its Chinese label: the portal shows them and has no copy.
        const Json &vl = r.member(pj, p, "value_labels");
        if (!vl.is_object()) r.fail(p + ".value_labels", "expected an object");
        for (const auto &v : prm.values) {
          prm.value_labels[v] = r.text(vl, p + ".value_labels", v.c_str());
        }
        for (const auto &[k, _] : vl.items())
          if (!contains(prm.values, k))
            r.fail(p + ".value_labels." + k,
                   "not a value of the parameter; expected one of: " + joined(prm.values));
      }
      lc.params[name] = prm;
    }
  }
  const Json &ts = r.member(j, "$", "transitions");
  if (!ts.is_array() || ts.empty()) r.fail("$.transitions", "expected a non-empty array");
  for (std::size_t i = 0; i < ts.size(); ++i) {
    std::string p = "$.transitions[" + std::to_string(i) + "]";
    const Json &tj = ts[i];
    Transition t;
    t.event = r.text(tj, p, "event");
    if (lc.transition(t.event)) r.fail(p + ".event", "event '" + t.event + "' is defined twice");
    t.label = r.text(tj, p, "label");
    t.from = r.strings(tj, p, "from", true);
    if (t.from.empty()) r.fail(p + ".from", "expected at least one state");
    r.states_known(lc, t.from, p + ".from");
    t.to = r.text(tj, p, "to", false);
    if (!t.to.empty()) r.states_known(lc, {t.to}, p + ".to");
    t.roles = r.strings(tj, p, "roles");
    if (tj.contains("roles_by")) {
      const Json &rb = tj.at("roles_by");
      t.roles_param = r.text(rb, p + ".roles_by", "param");
      r.param_known(lc, t.roles_param, p + ".roles_by.param", "enum");
      const Json &m = r.member(rb, p + ".roles_by", "roles");
      for (const auto &v : lc.params.at(t.roles_param).values) {
        if (!m.contains(v))
          r.fail(p + ".roles_by.roles", "no roles for value '" + v + "' of " + t.roles_param);
        t.roles_by_value[v] = r.strings(m, p + ".roles_by.roles", v.c_str(), true);
      }
    }
    if (t.roles.empty() && t.roles_param.empty())
      r.fail(p + ".roles", "who may take the step is required");
    std::vector<std::string> all_roles = t.roles;
    for (const auto &[v, rs] : t.roles_by_value)
      all_roles.insert(all_roles.end(), rs.begin(), rs.end());
    for (const auto &role : all_roles)
      if (!kRoles.count(role))
        r.fail(p + ".roles", "unknown role '" + role +
                                 "'; expected region_staff, league_staff, county_staff, "
                                 "reviewer or holder");
    t.required = r.strings(tj, p, "requires");
    t.optional = r.strings(tj, p, "optional");
    for (std::size_t k = 0; k < t.required.size(); ++k)
      r.param_known(lc, t.required[k], p + ".requires[" + std::to_string(k) + "]");
    for (std::size_t k = 0; k < t.optional.size(); ++k)
      r.param_known(lc, t.optional[k], p + ".optional[" + std::to_string(k) + "]");
    if (tj.contains("refuse_when")) {
      const Json &rw = tj.at("refuse_when");
      if (!rw.is_array()) r.fail(p + ".refuse_when", "expected an array");
      for (std::size_t k = 0; k < rw.size(); ++k) {
        std::string q = p + ".refuse_when[" + std::to_string(k) + "]";
        Refusal f;
        f.count = r.text(rw[k], q, "count");
        f.param = r.text(rw[k], q, "param", false);
        if (!f.param.empty()) r.param_known(lc, f.param, q + ".param");
        f.values = r.strings(rw[k], q, "values");
        f.at_least = r.integer(rw[k], q, "at_least", 1, 1);
        f.reason = r.text(rw[k], q, "reason");
        f.cite = r.cite(rw[k], q, true);
        t.refuse_when.push_back(f);
      }
    }
    t.after_param = r.text(tj, p, "after", false);
    if (!t.after_param.empty()) r.param_known(lc, t.after_param, p + ".after", "date");
    t.until_param = r.text(tj, p, "until", false);
    if (!t.until_param.empty()) r.param_known(lc, t.until_param, p + ".until", "date");
    if (tj.contains("deadline")) {
      const Json &dj = tj.at("deadline");
      std::string q = p + ".deadline";
      DeadlineRule d;
      d.name = r.text(dj, q, "name");
      d.label = r.text(dj, q, "label");
      d.months = r.integer(dj, q, "months", 0, 0);
      d.param = r.text(dj, q, "param", false);
      if (!d.param.empty()) r.param_known(lc, d.param, q + ".param", "date");
      if ((d.months > 0) == !d.param.empty())
        r.fail(q, "expected either months or param, not both or neither");
      d.cite = r.cite(dj, q, d.months > 0);
      if (t.to.empty()) r.fail(q, "a deadline belongs to the state a step enters: set 'to'");
      t.deadline = d;
    }
    if (tj.contains("mine")) {
      if (lc.subject != "mine") r.fail(p + ".mine", "only a lifecycle of mines changes mines");
      t.mine = tj.at("mine");
      if (!t.mine.is_object()) r.fail(p + ".mine", "expected an object");
      for (const auto &[field, v] : t.mine.items()) {
        if (field != "green_level" && field != "green_year" && field != "status")
          r.fail(p + ".mine." + field, "expected green_level, green_year or status");
        if (v.is_string() && v.get<std::string>().starts_with("$")) {
          std::string name = v.get<std::string>().substr(1);
          if (name != "year") r.param_known(lc, name, p + ".mine." + field);
        } else if (!v.is_null() && !v.is_string()) {
          r.fail(p + ".mine." + field, "expected a string, \"$param\", \"$year\" or null");
        }
      }
    }
    if (tj.contains("account")) {
      const Json &aj = tj.at("account");
      t.account = r.text(aj, p + ".account", "param");
      r.param_known(lc, t.account, p + ".account.param", "number");
      if (!contains(t.required, t.account))
        r.fail(p + ".account.param", "the amount must be a required parameter");
      t.account_sign = r.integer(aj, p + ".account", "sign", 0, -1);
      if (t.account_sign != 1 && t.account_sign != -1)
        r.fail(p + ".account.sign", "expected 1 or -1");
    }
    t.cite = r.cite(tj, p, true);
    lc.transitions.push_back(t);
  }
  if (j.contains("annual")) {
    const Json &aj = j.at("annual");
    if (!aj.is_array()) r.fail("$.annual", "expected an array");
    for (std::size_t i = 0; i < aj.size(); ++i) {
      std::string p = "$.annual[" + std::to_string(i) + "]";
      AnnualRule a;
      a.id = r.text(aj[i], p, "id");
      a.label = r.text(aj[i], p, "label");
      a.event = r.text(aj[i], p, "event");
      if (!lc.transition(a.event)) r.fail(p + ".event", "no transition '" + a.event + "'");
      a.year_param = r.text(aj[i], p, "year_param", false);
      if (a.year_param.empty()) a.year_param = "year";
      r.param_known(lc, a.year_param, p + ".year_param", "year");
      if (!contains(lc.transition(a.event)->required, a.year_param))
        r.fail(p + ".year_param", "the step '" + a.event + "' must require it");
      a.year_offset = r.integer(aj[i], p, "year_offset", 0, -5);
      a.month = r.integer(aj[i], p, "month", 12, 1);
      if (a.month > 12) r.fail(p + ".month", "expected 1-12");
      a.day = r.integer(aj[i], p, "day", 31, 1);
      if (a.day > days_in_month(2001, a.month)) r.fail(p + ".day", "no such day in that month");
      a.in_states = r.strings(aj[i], p, "in_states", true);
      r.states_known(lc, a.in_states, p + ".in_states");
      if (aj[i].contains("applies_to")) {
        a.applies_to = aj[i].at("applies_to");
        if (!a.applies_to.is_object() ||
            (a.applies_to.size() != 1 || !a.applies_to.contains("status")))
          r.fail(p + ".applies_to", "expected {\"status\": [...]}");
        r.strings(a.applies_to, p + ".applies_to", "status", true);
      }
      a.basis = r.text(aj[i], p, "basis", false);
      a.cite = r.cite(aj[i], p, a.basis.empty());
      lc.annual.push_back(a);
    }
  }
  if (j.contains("periodic")) {
    const Json &pj = j.at("periodic");
    if (!pj.is_array()) r.fail("$.periodic", "expected an array");
    for (std::size_t i = 0; i < pj.size(); ++i) {
      std::string p = "$.periodic[" + std::to_string(i) + "]";
      PeriodicRule pr;
      pr.id = r.text(pj[i], p, "id");
      pr.label = r.text(pj[i], p, "label");
      pr.event = r.text(pj[i], p, "event");
      if (!lc.transition(pr.event)) r.fail(p + ".event", "no transition '" + pr.event + "'");
      pr.every_months = r.integer(pj[i], p, "every_months", 0, 1);
      if (pr.every_months == 0) r.fail(p + ".every_months", "is required");
      pr.ahead_months = r.integer(pj[i], p, "ahead_months", 0, 0);
      pr.anchor_events = r.strings(pj[i], p, "anchor_events", true);
      for (std::size_t k = 0; k < pr.anchor_events.size(); ++k)
        if (!lc.transition(pr.anchor_events[k]))
          r.fail(p + ".anchor_events[" + std::to_string(k) + "]",
                 "no transition '" + pr.anchor_events[k] + "'");
      pr.in_states = r.strings(pj[i], p, "in_states", true);
      r.states_known(lc, pr.in_states, p + ".in_states");
      pr.cite = r.cite(pj[i], p, true);
      lc.periodic.push_back(pr);
    }
  }
  if (j.contains("inspection")) {
    const Json &ij = j.at("inspection");
    std::string p = "$.inspection";
    InspectionRule in;
    if (!ij.contains("share") || !ij.at("share").is_number() || ij.at("share").get<double>() <= 0 ||
        ij.at("share").get<double>() > 1)
      r.fail(p + ".share", "expected a number in (0, 1]");
    in.share = ij.at("share").get<double>();
    in.batches = r.integer(ij, p, "batches", 1, 1);
    in.experts_per_subject = r.integer(ij, p, "experts_per_subject", 0, 0);
    in.population_states = r.strings(ij, p, "population_states", true);
    r.states_known(lc, in.population_states, p + ".population_states");
    in.pass_event = r.text(ij, p, "pass_event");
    in.fail_event = r.text(ij, p, "fail_event");
    if (!lc.transition(in.pass_event)) r.fail(p + ".pass_event", "no such transition");
    if (!lc.transition(in.fail_event)) r.fail(p + ".fail_event", "no such transition");
    in.roles = r.strings(ij, p, "roles", true);
    in.cite = r.cite(ij, p, true);
    lc.inspection = in;
  }
  if (j.contains("register_triggers")) {
    static const std::vector<std::string> kWatched{"area", "method", "scale", "mineral"};
    const Json &tj = j.at("register_triggers");
    if (!tj.is_array()) r.fail("$.register_triggers", "expected an array");
    if (lc.subject != "mine")
      r.fail("$.register_triggers", "only a lifecycle of mines answers register changes");
    for (std::size_t i = 0; i < tj.size(); ++i) {
      std::string p = "$.register_triggers[" + std::to_string(i) + "]";
      RegisterTrigger rt;
      rt.event = r.text(tj[i], p, "event");
      const Transition *t = lc.transition(rt.event);
      if (!t) r.fail(p + ".event", "no transition '" + rt.event + "'");
      rt.fields = r.strings(tj[i], p, "fields", true);
      if (rt.fields.empty()) r.fail(p + ".fields", "expected at least one field");
      rt.param = r.text(tj[i], p, "param");
      r.param_known(lc, rt.param, p + ".param", "enum");
      if (!contains(t->required, rt.param))
        r.fail(p + ".param", "the step '" + rt.event + "' must require it");
      for (std::size_t k = 0; k < rt.fields.size(); ++k) {
        std::string q = p + ".fields[" + std::to_string(k) + "]";
        if (!contains(kWatched, rt.fields[k]))
          r.fail(q, "expected one of: " + joined(kWatched) + "; found '" + rt.fields[k] + "'");
        if (!contains(lc.params.at(rt.param).values, rt.fields[k]))
          r.fail(q, "'" + rt.fields[k] + "' is not a value of parameter '" + rt.param + "'");
      }
      for (const auto &x : t->required)
        if (x != rt.param)
          r.fail(p + ".event",
                 "the step '" + rt.event + "' requires '" + x + "', which the system cannot give");
      rt.cite = r.cite(tj[i], p, true);
      lc.register_triggers.push_back(rt);
    }
  }
  if (j.contains("extra")) lc.extra = j.at("extra");
  if (lc.subject == "legacy_site") {
    // The sites and the targets are data of the seeds: each needs its citation.
    const Json &extra = r.member(j, "$", "extra");
    const Json &sites = r.member(extra, "$.extra", "sites");
    if (!sites.is_array() || sites.empty()) r.fail("$.extra.sites", "expected a non-empty array");
    for (std::size_t i = 0; i < sites.size(); ++i) {
      std::string p = "$.extra.sites[" + std::to_string(i) + "]";
      std::string id = r.text(sites[i], p, "id");
      if (lc.subject_initial.count(id)) r.fail(p + ".id", "site '" + id + "' is listed twice");
      r.text(sites[i], p, "name");
      r.text(sites[i], p, "jurisdiction");
      r.text(sites[i], p, "responsible");
      std::string state = r.text(sites[i], p, "state", false);
      if (state.empty()) state = lc.initial;
      r.states_known(lc, {state}, p + ".state");
      r.cite(sites[i], p, true);
      lc.subject_initial[id] = state;
    }
    if (extra.contains("targets")) {
      const Json &targets = extra.at("targets");
      if (!targets.is_array()) r.fail("$.extra.targets", "expected an array");
      for (std::size_t i = 0; i < targets.size(); ++i) {
        std::string p = "$.extra.targets[" + std::to_string(i) + "]";
        r.text(targets[i], p, "id");
        r.text(targets[i], p, "label");
        r.text(targets[i], p, "jurisdiction");
        for (const char *k : {"from", "to"}) {
          std::string v = r.text(targets[i], p, k);
          try {
            parse_date(v, k);
          } catch (const InputError &) {
            r.fail(p + "." + k, "expected an ISO date, found '" + v + "'");
          }
        }
        const bool area = targets[i].contains("value"), share = targets[i].contains("share");
        if (area == share) r.fail(p, "expected either value (an area, with unit km2) or share");
        if (area && (!targets[i].at("value").is_number() || r.text(targets[i], p, "unit") != "km2"))
          r.fail(p + ".value", "expected a number of km2 (unit: km2)");
        if (share && !targets[i].at("share").is_number()) r.fail(p + ".share", "expected a number");
        r.cite(targets[i], p, true);
      }
    }
  }
  // Every state but the initial one must be reachable.
  std::set<std::string> reached{lc.initial};
  if (!lc.register_state.empty()) reached.insert(lc.register_state);
  for (const auto &t : lc.transitions)
    if (!t.to.empty()) reached.insert(t.to);
  for (const auto &s : lc.states)
    if (!reached.count(s)) r.fail("$.states", "state '" + s + "' is never entered");
  return lc;
}

Lifecycle load_lifecycle(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot read");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_lifecycle(parse_json_text(ss.str(), path), path);
}

std::string default_lifecycles_dir() {
  return (io::default_data_dir() / "lifecycles").string();
}

std::map<std::string, Lifecycle> load_lifecycles(const std::string &dir_arg) {
  std::string dir = dir_arg.empty() ? default_lifecycles_dir() : dir_arg;
  if (!fs::is_directory(dir)) throw Error(dir + ": not a folder of lifecycles");
  std::vector<fs::path> files;
  for (const auto &e : fs::directory_iterator(dir))
    if (e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::map<std::string, Lifecycle> out;
  for (const auto &f : files) {
    Lifecycle lc = load_lifecycle(f.string());
    if (out.count(lc.id)) throw InputError(f.string(), 0, "$.id", "id '" + lc.id + "' is taken");
    out.emplace(lc.id, std::move(lc));
  }
  return out;
}

SubjectState replay(const Lifecycle &lc, const std::string &subject,
                    const std::vector<store::RegistryEvent> &events, const Mine *mine) {
  SubjectState s;
  s.subject = subject;
  s.state = lc.initial;
  if (!lc.register_field.empty() && mine && !mine->green_level.empty()) {
    s.state = lc.register_state;
    s.from_register = true;
    s.values["level"] = mine->green_level;
  }
  if (auto it = lc.subject_initial.find(subject); it != lc.subject_initial.end()) {
    s.state = it->second;
    s.from_register = it->second != lc.initial; // as the seed found it
  }
  for (const auto &e : events) {
    if (e.subject != subject) continue;
    s.events.push_back(e);
    if (e.to_state != s.state) {
      s.since = e.date;
      s.deadline.clear();
      s.deadline_name.clear();
      s.deadline_label.clear();
    }
    s.state = e.to_state;
    s.last_date = e.date;
    for (const auto &[k, v] : e.data.items())
      if (k != "deadline" && k != "trigger") s.values[k] = v;
    if (e.data.contains("deadline") && e.data.at("deadline").is_object()) {
      const Json &d = e.data.at("deadline");
      s.deadline_name = d.value("name", "");
      s.deadline_label = d.value("label", "");
      s.deadline = d.value("date", "");
    }
    if (const Transition *t = lc.transition(e.event);
        t && t->account_sign != 0 && e.data.contains(t->account))
      s.balance += t->account_sign * e.data.at(t->account).get<double>();
  }
  return s;
}

std::optional<Mine> current_mine(store::Store &store, const std::string &uid) {
  for (auto &m : store.mines(store::AsOf{}))
    if (m.uid == uid) return m;
  return std::nullopt;
}

namespace {

// A number as people write it: no trailing zeros.
std::string monitor_number(double v) {
  std::ostringstream os;
  os.precision(12);
  os << v;
  return os.str();
}

// Parameter values arrive as strings (CLI) or JSON values (API): checked and normalised.
Json check_param(const std::string &where, const std::string &event, const Param &p,
                 const Json &v) {
  std::string field = std::string(event).append(".").append(p.name);
  std::string text = v.is_string() ? v.get<std::string>() : v.dump();
  if (p.type == "text") {
    if (!v.is_string() || text.empty())
      throw InputError(where, 0, field,
                       std::string("“").append(p.label).append("”须填写文字 (expected a text)"));
    return text;
  }
  if (p.type == "enum") {
    if (!v.is_string() || !contains(p.values, text)) {
      std::string options;
      for (const auto &x : p.values)
        options.append(options.empty() ? "" : "、")
            .append(p.value_labels.count(x) ? p.value_labels.at(x) : x);
      throw InputError(where, 0, field,
                       std::string("“").append(p.label).append("”须为：").append(options).append(
                           " (expected one of: " + joined(p.values) + "; found '" + text + "')"));
    }
    return text;
  }
  if (p.type == "date") {
    parse_date(text, field);
    return text;
  }
  if (p.type == "year") {
    auto sane = [](long long y) { return y >= kEarliestYear && y <= kLatestYear; };
    if (v.is_number_integer() && sane(v.get<long long>())) return v;
    if (text.size() == 4 && std::all_of(text.begin(), text.end(), ::isdigit) &&
        sane(std::stoi(text)))
      return std::stoi(text);
    throw InputError(where, 0, field,
                     std::string("“")
                         .append(p.label)
                         .append("”须为年份 (expected a year, found '")
                         .append(text)
                         .append("')"));
  }
  // number
  if (v.is_number() && std::abs(v.get<double>()) <= kMaxAmount) return v;
  try {
    std::size_t used = 0;
    double d = std::stod(text, &used);
    if (used == text.size() && std::isfinite(d) && std::abs(d) <= kMaxAmount) return d;
  } catch (const std::exception &) {
  }
  throw InputError(where, 0, field,
                   std::string("“")
                       .append(p.label)
                       .append("”须为不超过 1e12 的数字 (expected a number, found '")
                       .append(text)
                       .append("')"));
}

} // namespace

store::RegistryEvent apply_step(store::Store &store, const Lifecycle &lc, const Step &step) {
  const std::string where = std::string(lc.id).append("/").append(step.subject);
  const Transition *t = lc.transition(step.event);
  if (!t) {
    std::vector<std::string> events;
    for (const auto &x : lc.transitions)
      events.push_back(x.event);
    throw InputError(where, 0, "event",
                     std::string("没有此环节：")
                         .append(step.event)
                         .append(" (unknown step; expected one of: ")
                         .append(joined(events))
                         .append(")"));
  }
  parse_date(step.date, "date");
  std::optional<Mine> mine;
  if (lc.subject == "mine") {
    mine = current_mine(store, step.subject);
    if (!mine)
      throw InputError(where, 0, "subject", "no mine '" + step.subject + "' in the register");
  } else if (lc.subject == "legacy_site") {
    if (!lc.subject_initial.count(step.subject))
      throw InputError(where, 0, "subject",
                       std::string("没有此历史遗留矿山治理对象 (no site '")
                           .append(step.subject)
                           .append("' in ")
                           .append(lc.file)
                           .append(" extra.sites)"));
  } else if (lc.subject == "right") {
    bool found = false;
    for (const auto &r : store.rights(store::AsOf{}))
      if (r.uid == step.subject || r.licence_no == step.subject) found = true;
    if (!found)
      throw InputError(where, 0, "subject", "no right '" + step.subject + "' in the register");
  }
  auto events = store.registry_events(lc.id, step.subject);
  SubjectState s = replay(lc, step.subject, events, mine ? &*mine : nullptr);

  if (!contains(t->from, s.state)) {
    std::string allowed;
    for (const auto &f : t->from)
      allowed.append(allowed.empty() ? "" : "、").append("“").append(lc.state_label(f)).append("”");
    throw InputError(where, 0, step.event,
                     std::string("状态不允许：当前状态“")
                         .append(lc.state_label(s.state))
                         .append("”下不能办理“")
                         .append(t->label)
                         .append("”，须处于")
                         .append(allowed)
                         .append(" (state '")
                         .append(s.state)
                         .append("' does not allow step '")
                         .append(step.event)
                         .append("'; expected state ")
                         .append(joined(t->from))
                         .append(")"));
  }
  if (!s.last_date.empty() && step.date < s.last_date)
    throw InputError(where, 0, "date",
                     std::string("日期不允许：本环节日期 ")
                         .append(step.date)
                         .append(" 早于上一环节 ")
                         .append(s.last_date)
                         .append(" (the step is dated before the last recorded step)"));

  // Parameters.
  if (!step.params.is_object())
    throw InputError(where, 0, step.event, "parameters: expected an object");
  Json data = Json::object();
  for (const auto &[k, v] : step.params.items()) {
    if (!contains(t->required, k) && !contains(t->optional, k))
      throw InputError(where, 0, std::string(step.event).append(".").append(k),
                       "本环节没有此项 (not a parameter of this step; expected: " + joined([&] {
                         auto all = t->required;
                         all.insert(all.end(), t->optional.begin(), t->optional.end());
                         return all;
                       }()) +
                           ")");
    data[k] = check_param(where, step.event, lc.params.at(k), v);
  }
  for (const auto &k : t->required)
    if (!data.contains(k))
      throw InputError(
          where, 0, std::string(step.event).append(".").append(k),
          std::string("缺少必填项“").append(lc.params.at(k).label).append("” (is required)"));

  // Who may take the step: the roles the lifecycle names, or the system when the lifecycle
  // makes the step its answer to a register change.
  std::vector<std::string> roles = roles_for(*t, s.values, data);
  const bool by_system = step.role == kSystemRole && lc.trigger(step.event) != nullptr;
  if (!by_system && !contains(roles, step.role)) {
    std::string names;
    for (const auto &r : roles)
      names.append(names.empty() ? "" : "、").append(role_label(r));
    throw InputError(where, 0, "role",
                     std::string("角色不允许：")
                         .append(role_label(step.role))
                         .append("不能办理“")
                         .append(t->label)
                         .append("”，可办理的角色：")
                         .append(names.empty() ? "（无）" : names)
                         .append(" ('")
                         .append(step.role)
                         .append("' may not take the step '")
                         .append(step.event)
                         .append("'; expected one of: ")
                         .append(joined(roles))
                         .append(")"));
  }

  // Refusals.
  for (const auto &f : t->refuse_when) {
    int n = 0;
    for (const auto &e : s.events)
      if (e.event == f.count && (f.param.empty() || f.values.empty() ||
                                 (e.data.contains(f.param) && e.data.at(f.param).is_string() &&
                                  contains(f.values, e.data.at(f.param).get<std::string>()))))
        ++n;
    if (n >= f.at_least)
      throw InputError(where, 0, step.event,
                       f.reason + " (" + f.cite.seed + " " + f.cite.section + ")");
  }

  // Date windows set by earlier steps.
  auto recorded_date = [&](const std::string &param) {
    std::string v = data.contains(param) ? data.at(param).get<std::string>()
                                         : s.values.value(param, std::string());
    if (v.empty())
      throw InputError(where, 0, step.event, "no '" + param + "' recorded before this step");
    return v;
  };
  if (!t->after_param.empty()) {
    std::string d = recorded_date(t->after_param);
    if (step.date <= d)
      throw InputError(where, 0, "date",
                       "日期不允许：“" + t->label + "”须在 " + d + " 之后办理 ('" + step.event +
                           "' may only be taken after " + d + " (" + t->after_param +
                           "); expected a date later than that)");
  }
  if (!t->until_param.empty()) {
    std::string d = recorded_date(t->until_param);
    if (step.date > d)
      throw InputError(where, 0, "date",
                       "日期不允许：“" + t->label + "”须在 " + d + " 前办理 ('" + step.event +
                           "' may only be taken until " + d + " (" + t->until_param +
                           "); it is dated " + step.date + ")");
  }
  // A date parameter named like a window end must not lie before the step.
  for (const auto &[k, v] : data.items())
    if (lc.params.at(k).type == "date" && k.ends_with("_end") && v.get<std::string>() < step.date)
      throw InputError(where, 0, std::string(step.event).append(".").append(k),
                       "expected a date on or after the step's date " + step.date);

  // The account.
  if (t->account_sign != 0) {
    double amount = data.at(t->account).get<double>();
    if (amount <= 0)
      throw InputError(where, 0, std::string(step.event).append(".").append(t->account),
                       "金额须大于零 (expected a positive amount)");
    if (t->account_sign < 0 && amount > s.balance + 1e-9)
      throw InputError(where, 0, std::string(step.event).append(".").append(t->account),
                       "余额不足：账户余额 " + monitor_number(s.balance) + "，少于 " +
                           monitor_number(amount) + " (the account holds less than the amount)");
  }

  // The deadline of the state entered.
  if (t->deadline) {
    std::string date = t->deadline->months > 0 ? add_months(step.date, t->deadline->months)
                                               : data.at(t->deadline->param).get<std::string>();
    if (date < step.date)
      throw InputError(where, 0, "deadline", "the deadline " + date + " lies before the step");
    data["deadline"] = Json{{"name", t->deadline->name},
                            {"label", t->deadline->label},
                            {"date", date},
                            {"months", t->deadline->months}};
  }

  // What the step changes in the register.
  std::optional<Mine> change;
  if (t->mine.is_object() && mine) {
    Mine m = *mine;
    for (const auto &[field, v] : t->mine.items()) {
      std::string value;
      std::optional<int> year;
      if (v.is_string() && v.get<std::string>() == "$year") {
        year = parse_date(step.date).year;
      } else if (v.is_string() && v.get<std::string>().starts_with("$")) {
        std::string name = v.get<std::string>().substr(1);
        const Json &pv = data.contains(name) ? data.at(name) : s.values[name];
        value = pv.is_string() ? pv.get<std::string>() : std::string();
      } else if (v.is_string()) {
        value = v.get<std::string>();
      }
      if (field == "green_level") m.green_level = value;
      if (field == "status") m.status = value;
      if (field == "green_year") m.green_year = year;
    }
    if (to_json(m) != to_json(*mine)) change = m;
  }

  if (by_system && !step.trigger.is_null()) data["trigger"] = step.trigger;

  store::RegistryEvent e;
  e.registry = lc.id;
  e.subject = step.subject;
  e.event = step.event;
  e.from_state = s.state;
  e.to_state = t->to.empty() ? s.state : t->to;
  e.date = step.date;
  e.who = step.who;
  e.role = step.role;
  e.data = data;
  // The first recorded step of a subject the register started elsewhere states that start.
  if (events.empty()) e.from_state = s.state;
  e.id = store.append_registry_event(e, change);
  return e;
}

std::map<std::string, SubjectState> all_states(store::Store &store, const Lifecycle &lc,
                                               const std::vector<Mine> &mines) {
  std::map<std::string, std::vector<store::RegistryEvent>> by_subject;
  for (auto &e : store.registry_events(lc.id, ""))
    by_subject[e.subject].push_back(std::move(e));
  std::map<std::string, const Mine *> mine_index;
  for (const auto &m : mines)
    mine_index[m.uid] = &m;
  std::map<std::string, SubjectState> out;
  for (const auto &[subject, evs] : by_subject) {
    auto it = mine_index.find(subject);
    out[subject] = replay(lc, subject, evs, it == mine_index.end() ? nullptr : it->second);
  }
  if (!lc.register_field.empty())
    for (const auto &m : mines)
      if (!out.count(m.uid) && !m.green_level.empty()) out[m.uid] = replay(lc, m.uid, {}, &m);
  for (const auto &[subject, state] : lc.subject_initial)
    if (!out.count(subject)) out[subject] = replay(lc, subject, {}, nullptr);
  return out;
}

Json to_json(const store::RegistryEvent &e) {
  return Json{{"id", e.id},
              {"registry", e.registry},
              {"subject", e.subject},
              {"event", e.event},
              {"from", e.from_state},
              {"to", e.to_state},
              {"date", e.date},
              {"who", e.who},
              {"role", e.role},
              {"data", e.data},
              {"recorded_at", e.recorded_at}};
}

Json to_json(const SubjectState &s) {
  Json j{{"subject", s.subject},
         {"state", s.state},
         {"since", s.since.empty() ? Json(nullptr) : Json(s.since)},
         {"from_register", s.from_register},
         {"values", s.values}};
  if (!s.deadline.empty())
    j["deadline"] =
        Json{{"name", s.deadline_name}, {"label", s.deadline_label}, {"date", s.deadline}};
  j["balance"] = s.balance;
  Json evs = Json::array();
  for (const auto &e : s.events)
    evs.push_back(to_json(e));
  j["events"] = evs;
  return j;
}

} // namespace mineplan::registry

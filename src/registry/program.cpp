#include "registry/program.hpp"

#include "core/error.hpp"
#include "core/model_json.hpp"
#include "monitor/indicators.hpp"

#include <cstdio>

namespace mineplan::registry {

std::string phase_on(const Lifecycle &lc, const std::string &date) {
  if (!lc.extra.contains("phases")) return {};
  for (const auto &p : lc.extra.at("phases"))
    if (p.at("from").get<std::string>() <= date && date <= p.at("to").get<std::string>())
      return p.at("id").get<std::string>();
  return {};
}

Json program_figures(store::Store &store, const Lifecycle &lc, const std::string &as_of) {
  if (!lc.extra.contains("plan")) throw Error(lc.file + ": extra.plan is required");
  std::string plan_id = lc.extra.at("plan").get<std::string>();
  auto plan = store.plan(plan_id);
  if (!plan)
    throw InputError(store.location(), 0, "plan", "no plan '" + plan_id + "' in the store");
  auto mines = store.mines(store::AsOf{as_of});
  std::map<std::string, std::vector<store::RegistryEvent>> by_subject;
  for (auto &e : store.registry_events(lc.id, ""))
    if (e.date <= as_of) by_subject[e.subject].push_back(std::move(e));
  std::map<std::string, SubjectState> states;
  for (const auto &[subject, evs] : by_subject)
    states[subject] = replay(lc, subject, evs, nullptr);

  Json zones = Json::array();
  for (const auto &z : plan->zones) {
    if (z.kind != "consolidation_zone") continue;
    Json rights = Json::array();
    for (const auto &[subject, s] : states)
      if (s.values.value("zone", "") == z.id)
        rights.push_back(
            Json{{"right", subject}, {"action", s.values.value("action", "")}, {"state", s.state}});
    zones.push_back(Json{{"id", z.id},
                         {"name", z.name},
                         {"minerals", z.minerals},
                         {"mining_rights_planned", z.attributes.value("采矿权(宗)", "")},
                         {"exploration_rights_planned", z.attributes.value("探矿权(宗)", "")},
                         {"rights", rights},
                         {"cite", to_json(z.cite)}});
  }
  Json categories = Json::array();
  if (lc.extra.contains("categories"))
    for (const auto &c : lc.extra.at("categories")) {
      std::map<std::string, int> by_state;
      for (const auto &[subject, s] : states)
        if (s.values.value("action", "") == c.at("id").get<std::string>()) ++by_state[s.state];
      Json counts = Json::object();
      for (const auto &st : lc.states)
        if (by_state.count(st)) counts[st] = by_state[st];
      Json cat = c;
      cat["rights_by_state"] = counts;
      categories.push_back(cat);
    }
  monitor::Register reg(store);
  auto ind = monitor::compute_indicators(reg, *plan, as_of);
  Json figures = Json::array();
  for (const auto &i : ind.indicators) {
    Json t{{"id", i.target.id},
           {"name", i.target.name},
           {"comparator", i.target.comparator},
           {"target", i.target.target.value ? Json(*i.target.target.value) : Json(nullptr)},
           {"year", i.target.target.year ? Json(*i.target.target.year) : Json(nullptr)},
           {"unit", i.target.unit},
           {"source", i.source},
           {"value", i.value ? Json(*i.value) : Json(nullptr)},
           {"status", i.status}};
    figures.push_back(t);
  }
  std::string phase = phase_on(lc, as_of);
  return Json{{"plan", plan_id},
              {"title", plan->plan.title},
              {"as_of", as_of},
              {"phase", phase.empty() ? Json(nullptr) : Json(phase)},
              {"phases", lc.extra.value("phases", Json::array())},
              {"zone_count", zones.size()},
              {"zones", zones},
              {"categories", categories},
              {"figures", figures}};
}

void print_program_figures(const Json &f) {
  std::printf("%s（%s），截至 %s，当前阶段：%s\n", f.at("title").get<std::string>().c_str(),
              f.at("plan").get<std::string>().c_str(), f.at("as_of").get<std::string>().c_str(),
              f.at("phase").is_null() ? "（不在方案阶段内）"
                                      : f.at("phase").get<std::string>().c_str());
  for (const auto &p : f.at("phases"))
    std::printf("  阶段 %s %s — %s  %s\n", p.at("id").get<std::string>().c_str(),
                p.at("from").get<std::string>().c_str(), p.at("to").get<std::string>().c_str(),
                p.at("label").get<std::string>().c_str());
  std::printf("整合区 %zu 个\n", f.at("zones").size());
  for (const auto &z : f.at("zones"))
    std::printf("  %s %s  采矿权 %s 宗、探矿权 %s 宗；已列入计划矿业权 %zu 宗\n",
                z.at("id").get<std::string>().c_str(), z.at("name").get<std::string>().c_str(),
                z.at("mining_rights_planned").get<std::string>().c_str(),
                z.at("exploration_rights_planned").get<std::string>().c_str(),
                z.at("rights").size());
  std::printf("六类工作\n");
  for (const auto &c : f.at("categories"))
    std::printf("  %s  实施主体：%s；责任单位：%s；进展 %s\n",
                c.at("label").get<std::string>().c_str(),
                c.at("implementer").get<std::string>().c_str(),
                Json(c.at("departments")).dump().c_str(), c.at("rights_by_state").dump().c_str());
  std::printf("方案指标\n");
  for (const auto &t : f.at("figures"))
    std::printf(
        "  %s %s %s%s  当前 %s  [%s]\n", t.at("name").get<std::string>().c_str(),
        t.at("comparator").get<std::string>().c_str(),
        t.at("target").is_null() ? "—"
                                 : monitor::format_number(t.at("target").get<double>()).c_str(),
        t.at("unit").get<std::string>().c_str(),
        t.at("value").is_null() ? "—" : monitor::format_number(t.at("value").get<double>()).c_str(),
        monitor::status_chinese(t.at("status").get<std::string>()));
}

Json restoration_summary(const Lifecycle &lc, const SubjectState &s) {
  std::map<int, Json> years;
  double accrued = 0, used = 0;
  for (const auto &e : s.events) {
    const Transition *t = lc.transition(e.event);
    if (!t) continue;
    if (t->account_sign > 0) accrued += e.data.at(t->account).get<double>();
    if (t->account_sign < 0) used += e.data.at(t->account).get<double>();
    if (e.data.contains("damaged_ha") && e.data.contains("restored_ha") &&
        e.data.contains("year")) {
      int y = e.data.at("year").get<int>();
      years[y] = Json{{"year", y},
                      {"damaged_ha", e.data.at("damaged_ha")},
                      {"restored_ha", e.data.at("restored_ha")}};
    }
  }
  Json per_year = Json::array();
  double damaged = 0, restored = 0;
  for (auto &[y, j] : years) {
    damaged += j.at("damaged_ha").get<double>();
    restored += j.at("restored_ha").get<double>();
    j["cumulative_damaged_ha"] = damaged;
    j["cumulative_restored_ha"] = restored;
    j["unrestored_ha"] = damaged - restored;
    per_year.push_back(j);
  }
  return Json{{"subject", s.subject},    {"state", s.state},
              {"accrued", accrued},      {"used", used},
              {"balance", s.balance},    {"damaged_ha", damaged},
              {"restored_ha", restored}, {"unrestored_ha", damaged - restored},
              {"years", per_year}};
}

} // namespace mineplan::registry

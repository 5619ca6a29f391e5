#include "registry/legacy.hpp"

#include "core/error.hpp"

#include <cmath>
#include <map>

namespace mineplan::registry {

namespace {

// True when `code` is `ancestor` or lies below it in the division tree.
bool within(const std::map<std::string, std::string> &parent, std::string code,
            const std::string &ancestor) {
  for (int depth = 0; depth < 8 && !code.empty(); ++depth) {
    if (code == ancestor) return true;
    auto it = parent.find(code);
    if (it == parent.end()) return false;
    code = it->second;
  }
  return false;
}

} // namespace

Json legacy_overview(store::Store &store, const Lifecycle &lc, const std::string &as_of) {
  if (lc.subject != "legacy_site")
    throw Error(lc.file + ": not a lifecycle of legacy sites (subject legacy_site)");
  std::map<std::string, std::string> parent, names;
  for (const auto &d : store.divisions()) {
    parent[d.code] = d.parent;
    names[d.code] = d.name;
  }
  std::map<std::string, std::vector<store::RegistryEvent>> by_site;
  for (auto &e : store.registry_events(lc.id, ""))
    if (e.date <= as_of) by_site[e.subject].push_back(std::move(e));

  struct Site {
    Json json;
    std::string jurisdiction;
    std::string state;
    bool from_seed = false;
    std::vector<std::pair<std::string, double>> acceptances; // date, km2
  };
  std::vector<Site> sites;
  for (const auto &sj : lc.extra.at("sites")) {
    const std::string id = sj.at("id").get<std::string>();
    SubjectState s = replay(lc, id, by_site[id], nullptr);
    Site site;
    site.jurisdiction = sj.at("jurisdiction").get<std::string>();
    site.state = s.state;
    site.from_seed = s.events.empty() && s.from_register;
    double accepted = 0;
    for (const auto &e : s.events) {
      const Transition *t = lc.transition(e.event);
      if (t && t->to == "accepted" && e.data.contains("area_km2")) {
        site.acceptances.emplace_back(e.date, e.data.at("area_km2").get<double>());
        accepted += e.data.at("area_km2").get<double>();
      }
    }
    Json j = sj;
    j["jurisdiction_name"] = names.count(site.jurisdiction) ? names[site.jurisdiction] : "";
    j["state"] = s.state;
    j["state_label"] = lc.state_label(s.state);
    j["since"] = s.since.empty() ? Json(nullptr) : Json(s.since);
    j["from_seed"] = site.from_seed;
    j["accepted_km2"] = accepted;
    Json evs = Json::array();
    for (const auto &e : s.events)
      evs.push_back(to_json(e));
    j["events"] = evs;
    site.json = std::move(j);
    sites.push_back(std::move(site));
  }

  Json targets = Json::array();
  if (lc.extra.contains("targets"))
    for (const auto &tj : lc.extra.at("targets")) {
      const std::string code = tj.at("jurisdiction").get<std::string>();
      const std::string from = tj.at("from").get<std::string>(),
                        to = tj.at("to").get<std::string>();
      const std::string until = std::min(to, as_of);
      Json t = tj;
      Json counted = Json::array();
      if (tj.contains("value")) {
        // The area accepted within the period in the jurisdiction.
        double km2 = 0;
        for (const auto &s : sites) {
          if (!within(parent, s.jurisdiction, code)) continue;
          for (const auto &[date, area] : s.acceptances)
            if (from <= date && date <= until) {
              km2 += area;
              counted.push_back(s.json.at("id"));
            }
        }
        const double target = tj.at("value").get<double>();
        t["achieved"] = km2;
        t["status"] = km2 + 1e-9 >= target ? "met" : "open";
      } else {
        // The share of the jurisdiction's sites still to restore at the period's start that are
        // accepted within it; sites the seed reports restored before are not counted.
        int total = 0, done = 0;
        for (const auto &s : sites) {
          if (!within(parent, s.jurisdiction, code) || s.from_seed) continue;
          ++total;
          bool in_period = false;
          for (const auto &[date, area] : s.acceptances)
            in_period = in_period || (from <= date && date <= until);
          if (s.state == "accepted" && in_period) {
            ++done;
            counted.push_back(s.json.at("id"));
          }
        }
        t["sites_to_restore"] = total;
        if (total == 0) {
          t["achieved"] = nullptr;
          t["status"] = "no_data";
        } else {
          const double share = static_cast<double>(done) / total;
          t["achieved"] = share;
          t["status"] = share + 1e-9 >= tj.at("share").get<double>() ? "met" : "open";
        }
      }
      t["jurisdiction_name"] = names.count(code) ? names[code] : "";
      t["sites"] = counted;
      targets.push_back(std::move(t));
    }
  Json list = Json::array();
  for (auto &s : sites)
    list.push_back(std::move(s.json));
  return Json{{"registry", lc.id},
              {"title", lc.title},
              {"as_of", as_of},
              {"sites", list},
              {"targets", targets}};
}

} // namespace mineplan::registry

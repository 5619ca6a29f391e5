#include "monitor/consistency.hpp"

#include "geo/area.hpp"
#include "geo/geos.hpp"
#include "io/vocabulary_loader.hpp"
#include "monitor/indicators.hpp"

#include <cmath>
#include <map>

namespace mineplan::monitor {
namespace {

Json without_basis(Json m) {
  if (m.is_object()) m.erase("basis");
  return m;
}

bool additive(const Json &m) {
  const std::string type = m.is_object() ? m.value("type", std::string()) : "";
  return type == "count" || type == "sum";
}

std::string level_chinese(const std::string &level) {
  const auto l = try_parse<DivisionLevel>(level);
  return io::vocabulary().label(l.value_or(DivisionLevel::County));
}

} // namespace

Consistency check_consistency(Register &reg, const std::string &as_of) {
  days_of(as_of);
  Consistency out;
  out.as_of = as_of;
  std::map<std::string, PlanData> plans;
  for (const auto &s : reg.store().plan_summaries())
    if (auto pd = reg.store().plan(s.plan.id)) plans.emplace(s.plan.id, std::move(*pd));
  std::map<std::string, std::vector<const Division *>> children;
  for (const auto &d : reg.divisions())
    if (!d.parent.empty()) children[d.parent].push_back(&d);

  // 1. Roll-up of the additive indicators of region and league plans.
  for (const auto &[id, pd] : plans) {
    if (pd.plan.level == "county") continue;
    for (const auto &t : pd.targets) {
      if (!additive(t.measure)) continue;
      std::map<std::string, double> value, direct;
      for (const auto &code : reg.scope(pd.plan.jurisdiction)) {
        value[code] = reg.evaluate(t.measure, t.unit, code, as_of).value.value_or(0);
        // Items registered at exactly this code: the division's value minus its children's.
        double below = 0;
        for (const Division *c : children[code])
          below += reg.evaluate(t.measure, t.unit, c->code, as_of).value.value_or(0);
        direct[code] = value[code] - below;
      }
      for (const auto &code : reg.scope(pd.plan.jurisdiction)) {
        const Division *d = reg.division(code);
        if (!d) continue;
        RollupRow r;
        r.plan_id = id;
        r.target_id = t.id;
        r.name = t.name;
        r.unit = t.unit;
        r.code = code;
        r.division_name = d->name;
        r.level = d->level;
        r.value = value[code];
        r.direct = direct[code];
        for (const Division *c : children[code]) {
          r.has_children = true;
          r.children_sum += value[c->code];
        }
        if (r.value == 0 && r.direct == 0) continue;
        if (r.has_children && std::fabs(r.direct) > 1e-9)
          out.differences.push_back(level_chinese(r.level)
                                        .append(r.division_name)
                                        .append("「")
                                        .append(t.name)
                                        .append("」")
                                        .append(format_number(r.value))
                                        .append(r.unit)
                                        .append("，下级合计 ")
                                        .append(format_number(r.children_sum))
                                        .append(r.unit)
                                        .append("：差额 ")
                                        .append(format_number(r.direct))
                                        .append(" 为直接登记在本级行政区代码下的对象"));
        out.rollup.push_back(std::move(r));
      }
    }
  }
  // Items outside every known division.
  std::set<std::string> known;
  for (const auto &d : reg.divisions())
    known.insert(d.code);
  for (const char *layer : {"rights", "mines"})
    for (const auto &i : reg.at(layer, as_of).items)
      if (!known.count(i.jurisdiction)) ++out.unassigned;
  if (out.unassigned)
    out.differences.push_back(
        std::to_string(out.unassigned)
            .append(" 个矿业权或矿山的行政区代码为空或不在行政区划表中，未计入任何汇总"));

  // 2. County zones inside the zones of the same kind of the plans they implement.
  for (const auto &[id, pd] : plans) {
    if (pd.plan.parent.empty()) continue;
    for (const auto &z : pd.zones) {
      if (!z.geometry) continue;
      ZoneCheck zc;
      zc.plan_id = id;
      zc.zone_id = z.id;
      zc.zone_name = z.name;
      zc.kind = z.kind;
      std::vector<const Zone *> parents;
      for (std::string p = pd.plan.parent; !p.empty();) {
        auto it = plans.find(p);
        if (it == plans.end()) break;
        for (const auto &pz : it->second.zones)
          if (pz.kind == z.kind && pz.geometry) parents.push_back(&pz);
        if (zc.parent_plan.empty()) zc.parent_plan = p;
        p = it->second.plan.parent;
      }
      if (parents.empty()) {
        zc.status = "cannot_verify";
        zc.message = "上级规划中没有带坐标的同类分区，无法核对";
      } else {
        double total =
            z.official_area_m2 ? *z.official_area_m2 : geo::official_area_m2(*z.geometry);
        double inside = 0;
        for (const Zone *pz : parents) {
          auto part = geo::intersection(*z.geometry, *pz->geometry);
          if (!part.empty()) inside += geo::official_area_m2(part);
        }
        zc.outside_m2 = std::max(0.0, total - inside);
        zc.status = zc.outside_m2 <= std::max(1.0, total * 1e-6) ? "inside" : "outside";
        zc.message = zc.status == "inside" ? std::string("位于上级规划同类分区内")
                                           : std::string("有 ")
                                                 .append(format_number(zc.outside_m2, 0))
                                                 .append(" 平方米位于上级规划同类分区之外");
        if (zc.status == "outside")
          out.differences.push_back(
              std::string(z.name).append("（").append(id).append("）").append(zc.message));
      }
      out.zones.push_back(std::move(zc));
    }
  }

  // 3. Caps of the same indicator: a plan's cap does not exceed its higher plans'; the caps of
  // the plans below one plan do not add up to more than its cap.
  std::map<std::string, double> sum_of_children; // "parent plan/target" -> sum of caps
  for (const auto &[id, pd] : plans) {
    for (const auto &t : pd.targets) {
      if (!additive(t.measure) || t.comparator != "<=" || !t.target.value) continue;
      for (std::string p = pd.plan.parent; !p.empty();) {
        auto it = plans.find(p);
        if (it == plans.end()) break;
        for (const auto &pt : it->second.targets) {
          if (pt.comparator != "<=" || !pt.target.value || pt.unit != t.unit ||
              without_basis(pt.measure) != without_basis(t.measure))
            continue;
          QuotaCheck q;
          q.plan_id = id;
          q.target_id = t.id;
          q.name = t.name;
          q.parent_plan = p;
          q.parent_target = pt.id;
          q.comparator = "<=";
          q.value = *t.target.value;
          q.parent_value = *pt.target.value;
          q.ok = q.value <= q.parent_value + 1e-9;
          q.message = std::string(t.name)
                          .append(" ≤")
                          .append(format_number(q.value))
                          .append(t.unit)
                          .append(q.ok ? "，不超过上级规划 " : "，超过上级规划 ")
                          .append(p)
                          .append(" 的 ≤")
                          .append(format_number(q.parent_value))
                          .append(t.unit);
          if (!q.ok) out.differences.push_back(std::string(id).append("：").append(q.message));
          sum_of_children[p + "/" + pt.id] += q.value;
          out.quotas.push_back(std::move(q));
        }
        p = it->second.plan.parent;
      }
    }
  }
  for (const auto &[key, sum] : sum_of_children) {
    auto slash = key.find('/');
    const auto &pd = plans.at(key.substr(0, slash));
    for (const auto &pt : pd.targets)
      if (pt.id == key.substr(slash + 1) && pt.target.value && sum > *pt.target.value + 1e-9)
        out.differences.push_back(std::string(pd.plan.id)
                                      .append("「")
                                      .append(pt.name)
                                      .append("」：下级规划控制数合计 ")
                                      .append(format_number(sum))
                                      .append(" 超过本级 ")
                                      .append(format_number(*pt.target.value)));
  }
  return out;
}

Json to_json(const Consistency &c) {
  Json rollup = Json::array();
  for (const auto &r : c.rollup)
    rollup.push_back(Json{{"plan", r.plan_id},
                          {"target", r.target_id},
                          {"name", r.name},
                          {"unit", r.unit},
                          {"division", r.code},
                          {"division_name", r.division_name},
                          {"level", r.level},
                          {"value", r.value},
                          {"children_sum", r.has_children ? Json(r.children_sum) : Json(nullptr)},
                          {"direct", r.direct}});
  Json zones = Json::array();
  for (const auto &z : c.zones)
    zones.push_back(Json{{"plan", z.plan_id},
                         {"zone", z.zone_id},
                         {"name", z.zone_name},
                         {"kind", z.kind},
                         {"parent_plan", z.parent_plan},
                         {"status", z.status},
                         {"outside_m2", z.outside_m2},
                         {"message", z.message}});
  Json quotas = Json::array();
  for (const auto &q : c.quotas)
    quotas.push_back(Json{{"plan", q.plan_id},
                          {"target", q.target_id},
                          {"name", q.name},
                          {"parent_plan", q.parent_plan},
                          {"parent_target", q.parent_target},
                          {"value", q.value},
                          {"parent_value", q.parent_value},
                          {"ok", q.ok},
                          {"message", q.message}});
  return Json{{"as_of", c.as_of}, {"rollup", rollup}, {"unassigned", c.unassigned},
              {"zones", zones},   {"quotas", quotas}, {"differences", c.differences}};
}

} // namespace mineplan::monitor

// The non-spatial checks: mineral policy, minimum scale and service life, timing, quotas,
// access conditions and numeric provisions. docs/review.md gives the interpretation of each.
#include "review/rules_context.hpp"

#include "io/vocabulary_loader.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cmath>

namespace mineplan::review::detail {

// ---------------------------------------------------------------------------------------------
// Shared helpers

std::vector<std::string> string_list(const Json &j, const char *key) {
  std::vector<std::string> out;
  if (!j.contains(key) || !j[key].is_array()) return out;
  for (const auto &x : j[key])
    if (x.is_string()) out.push_back(x.get<std::string>());
  return out;
}

std::string text_field(const Json &j, const char *key) {
  if (!j.contains(key) || !j[key].is_string()) return {};
  return j[key].get<std::string>();
}

bool activity_matches(const Json &body, const Application &app) {
  std::string a = text_field(body, "activity");
  return a.empty() || a == "both" || a == app.kind;
}

bool action_listed(const Json &body, const Application &app) {
  if (!body.contains("actions") || !body["actions"].is_array()) return true;
  auto actions = string_list(body, "actions");
  return std::find(actions.begin(), actions.end(), app.action) != actions.end();
}

bool sets_new_right(const Application &app) {
  return app.action == "new" || app.action == "convert";
}

double round2(double x) {
  return std::round(x * 100.0) / 100.0;
}

Json quantity_json(const Quantity &q) {
  return Json{{"value", q.value}, {"unit", q.unit}};
}

Finding base_finding(const PlanInfo &p, const Rule &r) {
  Finding f;
  f.rule = p.data.plan.id + "/" + r.id;
  f.check = r.type;
  f.citation = r.cite;
  f.plan = p.data.plan.id;
  return f;
}

bool Context::under(const std::string &code, const std::string &ancestor) const {
  std::string c = code;
  for (int guard = 0; guard < 8 && !c.empty(); ++guard) {
    if (c == ancestor) return true;
    auto it = parent_of.find(c);
    if (it == parent_of.end()) return false;
    c = it->second;
  }
  return false;
}

bool Context::is_own_right(const RightInfo &r) const {
  return !app.licence_no.empty() && (r.uid == app.licence_no || r.licence_no == app.licence_no);
}

bool Context::live_other_right(const RightInfo &r) const {
  if (is_own_right(r)) return false;
  if (r.status == "closed") return false;
  // ISO dates compare as text.
  if (!r.valid_to.empty() && r.valid_to < app.date) return false;
  return true;
}

const std::vector<std::size_t> &Context::rights_of(const std::string &code) const {
  static const std::vector<std::size_t> none;
  auto it = rights_under.find(code);
  return it == rights_under.end() ? none : it->second;
}

const RightInfo *Context::right(const std::string &uid) const {
  auto it = right_by_uid.find(uid);
  return it == right_by_uid.end() ? nullptr : &rights[it->second];
}

namespace {

const char *kind_zh(const std::string &k) {
  return k == "exploration" ? "勘查" : k == "mining" ? "开采" : "勘查开采";
}

std::string fmt(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

Scored scored(Finding f, const Context &c, const PlanInfo &p) {
  Scored s;
  s.finding = std::move(f);
  for (std::size_t i = 0; i < c.chain.size(); ++i)
    if (c.chain[i] == &p) s.chain_index = static_cast<int>(i);
  return s;
}

int year_of(const std::string &iso) {
  return std::stoi(iso.substr(0, 4));
}

// Keywords of a mineral-policy condition that name a place we hold as a zone kind. Only
// 可耕地 is in the seeds; 永久基本农田 is the part of arable land we can map, so an overlap
// proves the prohibited case while no overlap does not disprove it.
struct PlaceCondition {
  const char *keyword;
  const char *zone_kind;
};
const PlaceCondition kPlaceConditions[] = {{"耕地", "farmland"}};

} // namespace

// ---------------------------------------------------------------------------------------------
// mineral_policy

void check_mineral_policy(const Context &c, const PlanInfo &p, const Rule &r,
                          std::vector<Scored> &out) {
  const Json &b = r.body;
  if (!activity_matches(b, c.app)) return;
  auto minerals = string_list(b, "minerals");
  // A policy without named minerals ("非紧缺低品位矿产") is a criterion for the reviewer, not
  // something a mineral name can be matched against.
  std::string mineral = c.minerals.first_match(minerals, c.app.minerals);
  if (mineral.empty()) return;
  const std::string policy = text_field(b, "policy");
  const std::string conditions = text_field(b, "conditions");
  Finding f = base_finding(p, r);
  f.evidence =
      Json{{"mineral", mineral}, {"policy", policy}, {"activity", text_field(b, "activity")}};
  if (!conditions.empty()) f.evidence["conditions"] = conditions;
  const std::string what = std::string(kind_zh(c.app.kind)) + mineral;
  if (policy == "encouraged") {
    f.outcome = Outcome::Pass;
    f.message = what + "属鼓励" + kind_zh(c.app.kind) + "矿种" +
                (conditions.empty() ? "" : "（" + conditions + "）");
  } else if (policy == "restricted") {
    f.outcome = Outcome::Attention;
    f.message = what + "属限制" + kind_zh(c.app.kind) + "矿种，须符合限制条件" +
                (conditions.empty() ? "" : "：" + conditions);
  } else if (policy == "prohibited") {
    if (conditions.empty()) {
      f.outcome = Outcome::Fail;
      f.message = what + "属禁止" + kind_zh(c.app.kind) + "矿种";
    } else {
      // A conditional prohibition binds only in the stated case. Where the case is a place we
      // hold as a zone (可耕地 → farmland), an overlap proves it; otherwise the reviewer must
      // establish it: attention, never a silent pass.
      f.outcome = Outcome::Attention;
      f.message = what + "在以下情形禁止" + kind_zh(c.app.kind) + "：" + conditions +
                  "；须核实本申请是否属于该情形";
      for (const auto &pc : kPlaceConditions) {
        if (conditions.find(pc.keyword) == std::string::npos) continue;
        f.evidence["condition_zone_kind"] = pc.zone_kind;
        if (!c.has_boundary()) {
          f.message += "（未提供矿区范围，无法核查）";
          break;
        }
        ZoneScope s = zone_scope(c, p, {pc.zone_kind}, false);
        auto [m2, zones] = sum_overlaps(s.hits, f);
        if (m2 > 0) {
          f.outcome = Outcome::Fail;
          f.message = what + "：申请范围压占" +
                      std::string(pc.zone_kind == std::string("farmland") ? "永久基本农田（耕地）"
                                                                          : pc.zone_kind) +
                      fmt(round2(m2)) + "平方米，属禁止情形（" + conditions + "）";
          f.evidence["overlap_m2"] = round2(m2);
          f.evidence["zones"] = zones;
        } else if (!s.missing_geometry.empty() || !s.any_geometry) {
          f.message += "（相关图层无范围数据，无法核查）";
          f.evidence["missing_geometry"] = s.missing_geometry;
        } else {
          f.message += "（未压占永久基本农田，其他耕地须核实）";
          f.evidence["overlap_m2"] = 0.0;
        }
        break;
      }
    }
  } else {
    return;
  }
  Scored s = scored(std::move(f), c, p);
  s.point = "mineral_policy|" + c.app.kind + "|" + mineral;
  s.strictness = {policy == "prohibited" ? 3.0 : policy == "restricted" ? 2.0 : 1.0};
  out.push_back(std::move(s));
}

// ---------------------------------------------------------------------------------------------
// min_scale

void check_min_scale(const Context &c, const PlanInfo &p, const Rule &r, std::vector<Scored> &out) {
  const Json &b = r.body;
  std::string rule_mineral = text_field(b, "mineral");
  std::string mineral = c.minerals.first_match({rule_mineral}, c.app.minerals);
  if (mineral.empty()) return;
  const std::string method = text_field(b, "method");
  // An application that does not state its method is held to every method's minimum.
  if (!method.empty() && method != "any" && !c.app.method.empty() && method != c.app.method) return;
  Finding f = base_finding(p, r);
  const std::string conditions = text_field(b, "conditions");
  std::optional<Quantity> min;
  if (b.contains("min") && b["min"].is_object() && b["min"].contains("value"))
    min = Quantity::make(b["min"]["value"].get<double>(), b["min"]["unit"].get<std::string>());
  std::optional<double> min_years;
  if (b.contains("min_service_years") && b["min_service_years"].is_number())
    min_years = b["min_service_years"].get<double>();
  f.evidence = Json{{"mineral", mineral}, {"method", method.empty() ? "any" : method}};
  if (min) {
    f.evidence["min_scale"] = min->value;
    f.evidence["unit"] = min->unit;
  }
  if (min_years) f.evidence["min_service_years"] = *min_years;

  Scored s;
  auto finish = [&](Finding &&fin) {
    s = scored(std::move(fin), c, p);
    s.point = "min_scale|" + c.minerals.canonical(rule_mineral);
    double base = min ? min->value * min->info().to_base : 0;
    s.strictness = {base, min_years.value_or(0)};
    out.push_back(std::move(s));
  };

  if (c.app.kind == "exploration") {
    f.outcome = Outcome::NotApplicable;
    f.message = "最低开采规模不适用于探矿权申请";
    return finish(std::move(f));
  }
  if (text_field(b, "applies_to") == "new" && !sets_new_right(c.app)) {
    f.outcome = Outcome::NotApplicable;
    f.message =
        std::string("本条最低开采规模适用于新建矿山，本申请为") + action_chinese(c.app.action);
    return finish(std::move(f));
  }

  // "集中开采区内": the minimum binds inside a concentrated area. When we cannot tell whether
  // the boundary is inside one, a shortfall is reported as attention, not as a rejection.
  bool place_unknown = false;
  if (conditions.find("集中开采区内") != std::string::npos) {
    bool inside = false;
    if (c.has_boundary()) {
      ZoneScope zs = zone_scope(c, p, {"concentrated_area"}, true);
      for (const SpatialHit *h : zs.hits)
        inside |= h->overlap_m2 > kOverlapToleranceM2;
      place_unknown = !inside && (!zs.missing_geometry.empty() || !zs.any_geometry);
    } else {
      place_unknown = true;
    }
    if (!inside && !place_unknown) {
      f.outcome = Outcome::NotApplicable;
      f.message = "本条适用于集中开采区内，申请范围不在集中开采区内";
      return finish(std::move(f));
    }
  }

  std::vector<std::string> problems, unknowns;
  if (min) {
    if (!c.app.scale) {
      unknowns.push_back("未提供开采规模");
    } else if (!c.app.scale->same_dimension(min->unit)) {
      unknowns.push_back("开采规模单位" + c.app.scale->unit + "与最低规模单位" + min->unit +
                         "不可比");
    } else {
      double v = c.app.scale->in(min->unit);
      f.evidence["scale"] = round2(v * 1e4) / 1e4;
      if (v + 1e-9 < min->value)
        problems.push_back("开采规模" + fmt(v) + min->unit + "低于最低开采规模" + fmt(min->value) +
                           min->unit);
    }
  }
  if (min_years) {
    if (!c.app.service_years) {
      unknowns.push_back("未提供服务年限");
    } else {
      f.evidence["service_years"] = *c.app.service_years;
      if (*c.app.service_years + 1e-9 < *min_years)
        problems.push_back("服务年限" + fmt(*c.app.service_years) + "年低于最低服务年限" +
                           fmt(*min_years) + "年");
    }
  }
  auto join = [](const std::vector<std::string> &v) {
    std::string s;
    for (const auto &x : v)
      s += (s.empty() ? "" : "；") + x;
    return s;
  };
  if (!problems.empty()) {
    f.outcome = place_unknown ? Outcome::Attention : Outcome::Fail;
    f.message =
        mineral + "：" + join(problems) +
        (place_unknown ? "（本条适用于集中开采区内，集中开采区无范围数据，无法核查是否适用）" : "");
  } else if (!unknowns.empty()) {
    f.outcome = Outcome::Attention;
    f.message = mineral + "：" + join(unknowns) + "，无法核对最低开采规模";
  } else {
    f.outcome = Outcome::Pass;
    f.message = mineral + "：开采规模" +
                (min ? "不低于最低开采规模" + fmt(min->value) + min->unit : std::string()) +
                (min_years ? "，服务年限不低于" + fmt(*min_years) + "年" : std::string());
  }
  finish(std::move(f));
}

// ---------------------------------------------------------------------------------------------
// timing

void check_timing(const Context &c, const PlanInfo &p, const Rule &r, std::vector<Scored> &out) {
  const Json &b = r.body;
  if (!activity_matches(b, c.app) || !action_listed(b, c.app)) return;
  std::string mineral;
  if (b.contains("minerals") && b["minerals"].is_array()) {
    mineral = c.minerals.first_match(string_list(b, "minerals"), c.app.minerals);
    if (mineral.empty()) return;
  }
  const std::string from = text_field(b, "from"), to = text_field(b, "to");
  const std::string effect = text_field(b, "effect");
  Finding f = base_finding(p, r);
  f.evidence = Json{{"date", c.app.date}, {"from", from}, {"to", to}, {"effect", effect}};
  const bool within = (from.empty() || from <= c.app.date) && (to.empty() || c.app.date <= to);
  const std::string subject = std::string(action_chinese(c.app.action)) +
                              (mineral.empty() ? "" : mineral) + kind_zh(c.app.kind);
  if (!within) {
    f.outcome = Outcome::Pass;
    f.message = "申请日期" + c.app.date + "不在" + from + "至" + to + "的时限内";
  } else if (effect == "prohibited") {
    f.outcome = Outcome::Fail;
    f.message = from + "至" + to + "期间禁止" + subject + "，申请日期" + c.app.date;
  } else {
    f.outcome = Outcome::Attention;
    f.message =
        from + "至" + to + "期间限制" + subject + "（申请日期" + c.app.date + "）：" + r.text;
  }
  out.push_back(scored(std::move(f), c, p));
}

// ---------------------------------------------------------------------------------------------
// quota

void check_quota(const Context &c, const PlanInfo &p, const Rule &r, std::vector<Scored> &out) {
  const Json &b = r.body;
  const std::string subject = text_field(b, "subject");
  // What the quota counts, and of which kind of right. Shares (大中型矿山比例) and
  // per-block counts are targets of the register as a whole, not of one application.
  std::string right_kind;
  if (subject == "mine_count" || subject == "mining_rights" || subject == "output_cap")
    right_kind = "mining";
  else if (subject == "exploration_rights")
    right_kind = "exploration";
  else if (subject == "rights_count")
    right_kind = "";
  else
    return;
  if (!right_kind.empty() && right_kind != c.app.kind) return;
  const std::string rule_mineral = text_field(b, "mineral");
  std::string mineral;
  if (!rule_mineral.empty()) {
    mineral = c.minerals.first_match({rule_mineral}, c.app.minerals);
    if (mineral.empty()) return;
  }
  const std::string comparator = text_field(b, "comparator");
  if (comparator != "<=" && comparator != "range") return; // only caps bind an application
  const Json &lim = b["limit"];
  if (!lim.is_object() || !lim.contains("unit")) return; // a cap without a number
  double limit = lim.contains("max") && lim["max"].is_number()       ? lim["max"].get<double>()
                 : lim.contains("value") && lim["value"].is_number() ? lim["value"].get<double>()
                                                                     : NAN;
  if (std::isnan(limit)) return;
  const std::string unit = lim["unit"].get<std::string>();

  Finding f = base_finding(p, r);
  f.evidence = Json{{"subject", subject}, {"limit", limit}, {"unit", unit}};
  if (!rule_mineral.empty()) f.evidence["mineral"] = rule_mineral;
  if (b.contains("year") && b["year"].is_number_integer()) {
    int year = b["year"].get<int>();
    f.evidence["year"] = year;
    if (year_of(c.app.date) > year) {
      f.outcome = Outcome::NotApplicable;
      f.message = "本条为" + std::to_string(year) + "年的控制指标，申请日期已过该年";
      out.push_back(scored(std::move(f), c, p));
      return;
    }
  }
  // Only an application that sets a right adds to a count or an output.
  const bool adds = right_kind == "exploration" ? c.app.action == "new" : sets_new_right(c.app);
  if (!adds) {
    f.outcome = Outcome::NotApplicable;
    f.message = std::string("本申请为") + action_chinese(c.app.action) + "，不新增矿业权或产能";
    out.push_back(scored(std::move(f), c, p));
    return;
  }

  // Which rights count: those of the plan's jurisdiction, or those inside the quota's zone.
  const std::string zone_id = text_field(b, "zone");
  std::set<std::string> in_zone;
  bool zone_bound = !zone_id.empty();
  if (zone_bound) {
    f.evidence["zone"] = p.data.plan.id + "/" + zone_id;
    const Zone *z = p.zone(zone_id);
    // The quota counts rights inside one zone: without the zone's outline (or the
    // application's) nobody can tell whether the application is one of them.
    auto cannot = [&](const std::string &why) {
      f.outcome = Outcome::Attention;
      f.message = "cannot verify: " + why + "；" + r.text;
      out.push_back(scored(std::move(f), c, p));
    };
    if (!z) return cannot("规划未载明区域 " + zone_id);
    f.features.push_back(p.data.plan.id + "/" + zone_id);
    if (!p.mapped.count(zone_id))
      return cannot("zone geometry missing（" + z->name + "无范围数据，无法核查）");
    if (!c.has_boundary()) return cannot("未提供矿区范围坐标，无法核查");
    const std::string fid = p.data.plan.id + "/" + zone_id;
    bool meets = false;
    for (const auto &h : c.zone_hits)
      meets |= h.feature->id == fid && h.overlap_m2 > kOverlapToleranceM2;
    if (!meets) return; // the application is not in that zone: the quota is not about it
    for (const auto &h : c.index.query(*z->geometry, "right"))
      if (h.overlap_m2 > kOverlapToleranceM2) in_zone.insert(h.feature->id);
  }

  // A quota on rights to be newly set in the plan period (拟新设置采矿权5个) is a flow, not a
  // stock: only rights granted since the plan came into force count. The data format has no
  // field for this, so the seed's own words decide.
  const bool flow =
      r.text.find("新设采矿权") != std::string::npos || r.text.find("拟新设") != std::string::npos;
  if (flow) f.evidence["counts"] = "granted since " + p.data.plan.in_force_from;

  double register_total = 0;
  int unknown_scale = 0;
  Json counted = Json::array();
  const bool output = subject == "output_cap";
  std::vector<std::size_t> zone_rights;
  for (const auto &uid : in_zone)
    if (auto it = c.right_by_uid.find(uid); it != c.right_by_uid.end())
      zone_rights.push_back(it->second);
  for (std::size_t i : zone_bound ? zone_rights : c.rights_of(p.data.plan.jurisdiction)) {
    const RightInfo &ri = c.rights[i];
    if (!right_kind.empty() && ri.kind != right_kind) continue;
    if (!c.live_other_right(ri)) continue;
    if (flow && (ri.valid_from.empty() || ri.valid_from < p.data.plan.in_force_from)) continue;
    if (!rule_mineral.empty() && c.minerals.first_match({rule_mineral}, ri.minerals).empty())
      continue;
    if (output) {
      if (ri.scale && ri.scale->same_dimension(unit)) {
        register_total += ri.scale->in(unit);
      } else {
        ++unknown_scale;
        continue;
      }
    } else {
      register_total += 1;
    }
    counted.push_back(ri.uid);
  }
  double mine = 1;
  if (output) {
    if (!c.app.scale || !c.app.scale->same_dimension(unit)) {
      f.outcome = Outcome::Attention;
      f.message = "未提供可比的开采规模，无法核对开采总量控制指标" + fmt(limit) + unit;
      out.push_back(scored(std::move(f), c, p));
      return;
    }
    mine = c.app.scale->in(unit);
  }
  const double total = register_total + mine;
  f.evidence["register"] = round2(register_total);
  f.evidence["application"] = round2(mine);
  f.evidence["total"] = round2(total);
  f.evidence["rights"] = counted;
  if (unknown_scale) f.evidence["rights_without_scale"] = unknown_scale;
  const std::string what = output                            ? "开采总量"
                           : subject == "exploration_rights" ? "探矿权数量"
                           : subject == "mining_rights"      ? "采矿权数量"
                           : subject == "mine_count"         ? "矿山数量"
                                                             : "矿业权数量";
  std::string sums = "现有" + fmt(round2(register_total)) + unit + " + 本申请" + fmt(round2(mine)) +
                     unit + " = " + fmt(round2(total)) + unit;
  if (total > limit + 1e-9) {
    f.outcome = Outcome::Fail;
    f.message = what + "超过控制指标" + fmt(limit) + unit + "：" + sums;
  } else if (std::fabs(total - limit) <= 1e-9) {
    f.outcome = Outcome::Attention;
    f.message = what + "达到控制指标" + fmt(limit) + unit + "上限：" + sums;
  } else {
    f.outcome = Outcome::Pass;
    f.message = what + "在控制指标" + fmt(limit) + unit + "以内：" + sums;
  }
  if (unknown_scale)
    f.message += "（另有" + std::to_string(unknown_scale) + "个矿业权未登记可比规模）";
  out.push_back(scored(std::move(f), c, p));
}

// ---------------------------------------------------------------------------------------------
// access_condition

namespace {
// A declared requirement's name: its label in data/vocabulary.json ("conditions").
std::string requirement_zh(const std::string &req) {
  return io::vocabulary().label("conditions", req);
}
} // namespace

void check_access_condition(const Context &c, const PlanInfo &p, const Rule &r,
                            std::vector<Scored> &out) {
  const Json &b = r.body;
  if (!activity_matches(b, c.app) || !action_listed(b, c.app)) return;
  if (b.contains("minerals") && b["minerals"].is_array() &&
      c.minerals.first_match(string_list(b, "minerals"), c.app.minerals).empty())
    return;
  const std::string req = text_field(b, "requirement");
  Finding f = base_finding(p, r);
  // A declared condition is a requirement name (eia, safety …) or, for requirements the
  // types do not name ("other"), the rule's own id: the applicant answers clause by clause.
  auto declared = [&](const std::string &x) {
    return x == f.rule || x == r.id || (req != "other" && x == req);
  };
  bool met = std::any_of(c.app.conditions_met.begin(), c.app.conditions_met.end(), declared);
  f.evidence = Json{{"requirement", req}, {"declared", met}};
  const std::string name = req == "other" ? r.text : requirement_zh(req);
  if (met) {
    f.outcome = Outcome::Pass;
    f.message = "申请人已声明满足：" + name;
  } else {
    f.outcome = Outcome::Attention;
    f.message = "需提供" + name + (req == "other" ? "" : "（" + r.text + "）");
  }
  out.push_back(scored(std::move(f), c, p));
}

// ---------------------------------------------------------------------------------------------
// provision with numeric params

void check_provision(const Context &c, const PlanInfo &p, const Rule &r, std::vector<Scored> &out) {
  const Json &b = r.body;
  if (!b.contains("params") || !b["params"].is_object()) return;
  const Json &params = b["params"];
  // The only provision parameter that bears on one application: a maximum service life, for
  // temporary borrow pits (临时取料点) when the topic says so, else for every mine.
  if (!params.contains("max_service_years") || !params["max_service_years"].is_number()) return;
  if (c.app.kind != "mining") return;
  const std::string topic = text_field(b, "topic");
  const bool temporary_only =
      topic.find("temporary") != std::string::npos || topic.find("borrow") != std::string::npos;
  if (temporary_only && !c.app.temporary) return;
  const double max_years = params["max_service_years"].get<double>();
  Finding f = base_finding(p, r);
  f.evidence = Json{{"max_service_years", max_years}, {"unit", "年"}};
  const std::string who = temporary_only ? "临时取料点" : "矿山";
  if (!c.app.service_years) {
    f.outcome = Outcome::Attention;
    f.message = "未提供服务年限，" + who + "服务年限不得超过" + fmt(max_years) + "年";
  } else {
    f.evidence["service_years"] = *c.app.service_years;
    if (*c.app.service_years > max_years + 1e-9) {
      f.outcome = Outcome::Fail;
      f.message =
          who + "服务年限" + fmt(*c.app.service_years) + "年，超过上限" + fmt(max_years) + "年";
    } else {
      f.outcome = Outcome::Pass;
      f.message =
          who + "服务年限" + fmt(*c.app.service_years) + "年，不超过上限" + fmt(max_years) + "年";
    }
  }
  out.push_back(scored(std::move(f), c, p));
}

} // namespace mineplan::review::detail

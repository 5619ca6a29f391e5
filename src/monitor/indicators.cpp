#include "monitor/indicators.hpp"

#include "core/error.hpp"
#include "core/model_json.hpp"

#include <cmath>
#include <cstdio>

namespace mineplan::monitor {

const char *status_chinese(const std::string &s) {
  if (s == "met") return "已达标";
  if (s == "on_track") return "按计划推进";
  if (s == "at_risk") return "存在风险";
  if (s == "off_track") return "偏离目标";
  if (s == "no_data") return "无数据";
  if (s == "no_definition") return "未定义";
  return "?";
}

std::string format_number(double v, int decimals) {
  if (std::fabs(v) < 0.5 * std::pow(10.0, -decimals)) v = 0; // no "-0"
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0')
      s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  return s;
}

namespace {

double eps_for(double t) {
  return 1e-9 * std::max(1.0, std::fabs(t));
}

// The value a target aims at, for a value v: its value, or the nearest bound of its range.
double aim(const Target &t, double v) {
  if (t.target.min && t.target.max) {
    if (v < *t.target.min) return *t.target.min;
    if (v > *t.target.max) return *t.target.max;
    return v;
  }
  return t.target.value.value_or(0);
}

std::string comparator_text(const Target &t) {
  std::string u = t.unit == "%" ? "%" : t.unit;
  if (t.target.min && t.target.max)
    return format_number(*t.target.min).append("–").append(format_number(*t.target.max)).append(u);
  std::string c = t.comparator == "<=" ? "≤" : t.comparator == ">=" ? "≥" : "";
  return c.append(format_number(t.target.value.value_or(0))).append(u);
}

std::string date_of_year_end(int year) {
  return std::to_string(year).append("-12-31");
}

// Zones of the plans in force on `date` whose jurisdiction lies within `jurisdiction`.
std::optional<double> count_zones(Register &reg, const Json &measure,
                                  const std::string &jurisdiction, const std::string &date,
                                  std::int64_t &items) {
  const Json &z = measure.at("zones");
  const std::string kind = z.value("kind", std::string());
  std::set<std::string> minerals;
  if (z.contains("minerals"))
    minerals = reg.expand_minerals(z["minerals"].get<std::vector<std::string>>());
  const auto &within = reg.scope(jurisdiction);
  std::int64_t n = 0;
  for (const auto &s : reg.store().plan_summaries()) {
    if (!within.count(s.plan.jurisdiction) || s.plan.in_force_from > date) continue;
    auto pd = reg.store().plan(s.plan.id);
    if (!pd) continue;
    for (const auto &zone : pd->zones) {
      if (zone.kind != kind) continue;
      bool mineral_ok = minerals.empty();
      for (const auto &m : zone.minerals)
        if (minerals.count(reg.mineral(m) ? reg.mineral(m)->name : m)) mineral_ok = true;
      if (mineral_ok) ++n;
    }
  }
  items = n;
  return static_cast<double>(n);
}

struct Value {
  std::optional<double> value;
  MeasureResult detail;
};

Value measure_at(Register &reg, const Target &t, const std::string &jurisdiction,
                 const std::string &date) {
  Value v;
  const std::string type = t.measure.value("type", std::string());
  if (type == "zones") {
    v.value = count_zones(reg, t.measure, jurisdiction, date, v.detail.items);
    v.detail.value = v.value;
    return v;
  }
  v.detail = reg.evaluate(t.measure, t.unit, jurisdiction, date);
  v.value = v.detail.value;
  return v;
}

const store::ReportedValue *reported_as_of(const std::vector<store::ReportedValue> &history,
                                           const std::string &date) {
  const store::ReportedValue *best = nullptr;
  for (const auto &r : history) // ordered by as_of, then recording order
    if (r.as_of <= date) best = &r;
  return best;
}

} // namespace

bool satisfies(const Target &t, double v) {
  if (t.target.min && t.target.max)
    return v >= *t.target.min - eps_for(*t.target.min) &&
           v <= *t.target.max + eps_for(*t.target.max);
  if (!t.target.value) return false;
  double T = *t.target.value;
  if (t.comparator == "<=") return v <= T + eps_for(T);
  if (t.comparator == ">=") return v >= T - eps_for(T);
  return std::fabs(v - T) <= eps_for(T);
}

void judge(Indicator &ind, const std::string &as_of, const StatusThresholds &th) {
  const Target &t = ind.target;
  ind.gap.reset();
  ind.needed_per_year.reset();
  ind.pace_per_year.reset();
  ind.projected.reset();
  ind.years_left.reset();
  if (t.measure.is_null()) {
    ind.status = "no_definition";
    ind.explanation = "该指标尚无计算口径定义";
    return;
  }
  if (!ind.value) {
    ind.status = "no_data";
    ind.explanation = ind.source == "reported" ? "尚无填报值" : "登记库中无可计算的数据";
    if (!ind.detail.note.empty()) ind.explanation.append("（").append(ind.detail.note).append("）");
    return;
  }
  const double v = *ind.value;
  const double T = aim(t, v);
  ind.gap = T - v;
  const std::string unit = t.unit;
  // Changes of a share are in percentage points.
  const std::string change_unit = unit == "%" ? std::string("个百分点") : unit;
  std::string now = std::string("现值 ").append(format_number(v)).append(unit).append("，目标 ");
  now.append(comparator_text(t));
  if (t.target.year) now.append("（").append(std::to_string(*t.target.year)).append("年）");
  if (satisfies(t, v)) {
    ind.status = "met";
    ind.gap = 0.0;
    ind.explanation = now.append("，已达标");
    return;
  }
  if (as_of > ind.deadline) {
    ind.status = "off_track";
    ind.explanation =
        now.append("，目标年已过仍未达标，差距 ").append(format_number(T - v)).append(change_unit);
    return;
  }
  const double left = years_between(as_of, ind.deadline);
  ind.years_left = left;
  if (left > 1e-9) ind.needed_per_year = (T - v) / left;

  // The observed pace since the reference value (the base, else the first reported value).
  std::optional<double> v0 = ind.base_register ? ind.base_register : ind.base_printed;
  std::string d0 = ind.base_date;
  if (ind.source == "reported" && !ind.history.empty()) {
    const auto *at_base = reported_as_of(ind.history, ind.base_date);
    if (at_base) {
      v0 = at_base->value;
    } else if (!ind.base_printed) {
      v0 = ind.history.front().value;
      d0 = ind.history.front().as_of;
    }
  }
  // A reported value describes its own date: the pace runs to it and the projection from it.
  const std::string value_date = ind.value_as_of.empty() ? as_of : ind.value_as_of;
  double pace = 0;
  if (v0 && !d0.empty()) {
    double elapsed = years_between(d0, value_date);
    if (elapsed >= th.min_years_for_pace) pace = (v - *v0) / elapsed;
  }
  ind.pace_per_year = pace;
  const double projected = v + pace * std::max(years_between(value_date, ind.deadline), 0.0);
  ind.projected = projected;
  std::string need;
  if (ind.needed_per_year) {
    double n = *ind.needed_per_year;
    need = std::string("，尚需每年").append(n < 0 ? "减少 " : "增加 ");
    need.append(format_number(std::fabs(n))).append(change_unit);
  }
  if (satisfies(t, projected)) {
    ind.status = "on_track";
    ind.explanation = now.append("，按当前进度可如期达标").append(need);
    return;
  }
  double reference =
      v0 && std::fabs(T - *v0) > eps_for(T) ? std::fabs(T - *v0) : std::max(std::fabs(T), 1.0);
  double shortfall = std::fabs(aim(t, projected) - projected) / reference;
  ind.status = shortfall <= th.at_risk_shortfall ? "at_risk" : "off_track";
  ind.explanation =
      now.append(ind.status == "at_risk" ? "，按当前进度将小幅落后" : "，按当前进度无法如期达标")
          .append(need);
}

PlanIndicators compute_indicators(Register &reg, const PlanData &pd, const std::string &as_of,
                                  const StatusThresholds &th) {
  days_of(as_of); // validates the date
  PlanIndicators out;
  out.plan = pd.plan;
  out.as_of = as_of;
  if (const Division *d = reg.division(pd.plan.jurisdiction)) out.jurisdiction_name = d->name;
  auto reported = reg.store().reported_values(pd.plan.id);
  for (const auto &t : pd.targets) {
    Indicator ind;
    ind.target = t;
    int year = t.target.year.value_or(pd.plan.period_end);
    ind.deadline = date_of_year_end(year);
    ind.base_year = t.base && t.base->year ? *t.base->year : pd.plan.base_year;
    ind.base_date = date_of_year_end(ind.base_year);
    if (t.base) ind.base_printed = t.base->value;
    const std::string type = t.measure.is_object() ? t.measure.value("type", std::string()) : "";
    if (type.empty()) {
      ind.source = "none";
    } else if (type == "reported") {
      ind.source = "reported";
      for (const auto &r : reported)
        if (r.target_id == t.id) ind.history.push_back(r);
      if (const auto *r = reported_as_of(ind.history, as_of)) {
        ind.reported = *r;
        ind.value = r->value;
        ind.value_as_of = r->as_of;
      }
      if (const auto *r = reported_as_of(ind.history, ind.base_date)) ind.base_register = r->value;
    } else {
      ind.source = "register";
      Value now = measure_at(reg, t, pd.plan.jurisdiction, as_of);
      ind.value = now.value;
      ind.detail = now.detail;
      ind.value_as_of = as_of;
      ind.base_register = measure_at(reg, t, pd.plan.jurisdiction, ind.base_date).value;
    }
    if (ind.base_printed && ind.base_register)
      ind.base_difference = *ind.base_register - *ind.base_printed;
    judge(ind, as_of, th);
    out.indicators.push_back(std::move(ind));
  }
  return out;
}

namespace {

Json opt_number(const std::optional<double> &v) {
  return v ? Json(*v) : Json(nullptr);
}

Json reported_json(const store::ReportedValue &r) {
  return Json{
      {"id", r.id},   {"value", r.value},   {"unit", r.unit}, {"as_of", r.as_of},
      {"who", r.who}, {"source", r.source}, {"note", r.note}, {"recorded_at", r.recorded_at}};
}

} // namespace

Json to_json(const Indicator &ind) {
  const Target &t = ind.target;
  Json j;
  j["id"] = t.id;
  j["name"] = t.name;
  j["group"] = t.group.empty() ? Json(nullptr) : Json(t.group);
  j["kind"] = t.kind;
  j["comparator"] = t.comparator;
  j["unit"] = t.unit;
  j["mineral"] = t.mineral.empty() ? Json(nullptr) : Json(t.mineral);
  j["target"] = mineplan::to_json(t.target);
  Json ms = Json::array();
  for (const auto &m : t.milestones)
    ms.push_back(mineplan::to_json(m));
  j["milestones"] = ms;
  j["source"] = ind.source;
  j["value"] = opt_number(ind.value);
  j["value_as_of"] = ind.value_as_of.empty() ? Json(nullptr) : Json(ind.value_as_of);
  if (ind.source == "register") {
    Json d{{"items", ind.detail.items}};
    if (t.measure.value("type", std::string()) == "ratio") {
      d["numerator"] = ind.detail.numerator;
      d["denominator"] = ind.detail.items;
    }
    if (ind.detail.missing) d["missing"] = ind.detail.missing;
    if (!ind.detail.note.empty()) d["note"] = ind.detail.note;
    j["detail"] = d;
  }
  j["reported"] = ind.reported ? reported_json(*ind.reported) : Json(nullptr);
  Json h = Json::array();
  for (const auto &r : ind.history)
    h.push_back(reported_json(r));
  j["history"] = h;
  j["base"] = Json{{"year", ind.base_year},
                   {"printed", opt_number(ind.base_printed)},
                   {"register", opt_number(ind.base_register)},
                   {"difference", opt_number(ind.base_difference)}};
  j["status"] = ind.status;
  j["status_zh"] = status_chinese(ind.status);
  j["deadline"] = ind.deadline;
  j["gap"] = opt_number(ind.gap);
  j["years_left"] = opt_number(ind.years_left);
  j["needed_per_year"] = opt_number(ind.needed_per_year);
  j["pace_per_year"] = opt_number(ind.pace_per_year);
  j["projected"] = opt_number(ind.projected);
  j["explanation"] = ind.explanation;
  j["measure"] = t.measure;
  j["cite"] = mineplan::to_json(t.cite);
  return j;
}

Json to_json(const PlanIndicators &p) {
  Json counts = Json::object();
  for (const char *s : {"met", "on_track", "at_risk", "off_track", "no_data", "no_definition"})
    counts[s] = 0;
  Json list = Json::array();
  for (const auto &i : p.indicators) {
    counts[i.status] = counts[i.status].get<int>() + 1;
    list.push_back(to_json(i));
  }
  return Json{{"plan",
               {{"id", p.plan.id},
                {"title", p.plan.title},
                {"jurisdiction", p.plan.jurisdiction},
                {"jurisdiction_name", p.jurisdiction_name},
                {"base_year", p.plan.base_year},
                {"period", {p.plan.period_start, p.plan.period_end}}}},
              {"as_of", p.as_of},
              {"summary", counts},
              {"indicators", list}};
}

} // namespace mineplan::monitor

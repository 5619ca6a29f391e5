#include "review/opinion.hpp"

#include "core/error.hpp"
#include "geo/area.hpp"
#include "io/vocabulary_loader.hpp"
#include "review/svg_map.hpp"

#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string_view>
#include <utility>

namespace mineplan::review {
namespace {

using namespace std::string_view_literals;

std::string esc(std::string_view s) {
  return xml_escape(s);
}

// Fixed-point with trailing zeros dropped; never locale-dependent, never "-0".
std::string num(double v, int decimals) {
  if (!std::isfinite(v)) return "—";
  if (std::abs(v) < 0.5 * std::pow(10.0, -decimals)) v = 0;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0')
      s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// The Chinese label of an id in a vocabulary set (data/vocabulary.json); unknown ids come back
// verbatim.
std::string lookup(std::string_view set, std::string_view id) {
  return io::vocabulary().label(set, id);
}

// An id-like string value of evidence in words: a zone kind, a condition, a policy or subject
// word, a right kind, an action, a status or a method; else verbatim.
std::string evidence_word(std::string_view id) {
  const Vocabulary &v = io::vocabulary();
  for (std::string_view set : {"zone_kinds"sv, "conditions"sv, "evidence_words"sv, "right_kinds"sv,
                               "actions"sv, "statuses"sv, "methods"sv})
    if (const Term *t = v.find(set, id)) return t->label;
  return std::string(id);
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string unit_text(std::string_view unit) {
  if (unit == "km2") return "km²";
  if (unit == "m2") return "m²";
  if (unit == "m3") return "m³";
  if (unit == "ha") return "公顷";
  if (unit == "mu") return "亩";
  return std::string(unit);
}

std::string area_text(double m2) {
  std::string s = num(m2, 2) + " m²";
  if (std::abs(m2) >= 1e4) s += "（" + num(m2 / 1e4, 4) + " 公顷）";
  return s;
}

// Keys whose bare numbers are in the unit an evidence object states once ("unit": "万吨/年").
bool takes_shared_unit(std::string_view key) {
  for (std::string_view k : {"value", "applied", "actual", "limit", "min", "max", "cap", "scale",
                             "min_scale", "register", "application", "total", "required"})
    if (key == k) return true;
  return false;
}

// Evidence in words: numbers with units, ids in Chinese, the features a finding names by
// their number on the map and their name.
class EvidenceText {
public:
  explicit EvidenceText(const std::vector<const SpatialFeature *> &features)
      : features_(features) {}

  // HTML of a finding's evidence; empty when there is none.
  std::string html(const Json &ev) const {
    if (ev.is_null() || (ev.is_object() && ev.empty())) return "";
    if (!ev.is_object()) return esc(value(ev, "", ""));
    const std::string unit = ev.contains("unit") && ev["unit"].is_string()
                                 ? ev["unit"].get<std::string>()
                                 : std::string();
    std::string s;
    for (const auto &[k, v] : ev.items()) {
      if (k == "unit" && !unit.empty()) continue; // said with the numbers
      if (!s.empty()) s += "；";
      s += "<span class=\"ek\">" + esc(lookup("evidence_keys", k)) + "</span> " +
           esc(value(v, k, unit));
    }
    return s;
  }

private:
  // A number by what its key says it measures: *_m2, *_km2, *_ha, *_m, *_km, share/ratio (a
  // fraction), *_pct/percent, *years; else in the shared unit when the key takes one.
  static std::string number(double v, std::string_view key, const std::string &unit) {
    if (ends_with(key, "_km2")) return num(v, 4) + " km²";
    if (ends_with(key, "_m2")) return area_text(v);
    if (ends_with(key, "_ha")) return num(v, 4) + " 公顷";
    if (ends_with(key, "_mu")) return num(v, 2) + " 亩";
    if (ends_with(key, "_km")) return num(v, 3) + " km";
    if (ends_with(key, "_m")) {
      std::string s = num(v, 1) + " m";
      if (std::abs(v) >= 1000) s += "（" + num(v / 1000, 3) + " km）";
      return s;
    }
    if (ends_with(key, "_pct") || ends_with(key, "percent")) return num(v, 2) + "%";
    if (ends_with(key, "share") || ends_with(key, "ratio")) return num(v * 100, 2) + "%";
    if (ends_with(key, "years")) return num(v, 2) + " 年";
    if (!unit.empty() && takes_shared_unit(key)) return num(v, 6) + " " + unit_text(unit);
    return num(v, 6);
  }

  std::string text(const std::string &t) const {
    for (std::size_t i = 0; i < features_.size(); ++i)
      if (features_[i] != nullptr && features_[i]->id == t)
        return "[" + std::to_string(i + 1) + "] " +
               (features_[i]->name.empty() ? t : features_[i]->name);
    return evidence_word(t);
  }

  // A quantity object: {"value", "unit"} or {"min", "max", "unit"}, maybe with a comparator.
  std::string quantity(const Json &obj) const {
    const std::string unit = unit_text(obj["unit"].get<std::string>());
    std::string s;
    if (obj.contains("comparator") && obj["comparator"].is_string())
      s += evidence_word(obj["comparator"].get<std::string>()) + " ";
    const auto n = [&](const char *k) { return obj.contains(k) && obj[k].is_number(); };
    if (n("value"))
      s += num(obj["value"].get<double>(), 6);
    else if (n("min") && n("max"))
      s += num(obj["min"].get<double>(), 6) + "–" + num(obj["max"].get<double>(), 6);
    else if (n("min"))
      s += "≥ " + num(obj["min"].get<double>(), 6);
    else if (n("max"))
      s += "≤ " + num(obj["max"].get<double>(), 6);
    s += " " + unit;
    for (const auto &[k, v] : obj.items())
      if (k != "unit" && k != "value" && k != "min" && k != "max" && k != "comparator")
        s += "，" + lookup("evidence_keys", k) + " " + value(v, k, "");
    return s;
  }

  std::string value(const Json &v, std::string_view key, const std::string &unit) const {
    if (v.is_null()) return "—";
    if (v.is_boolean()) return v.get<bool>() ? "是" : "否";
    if (v.is_number()) return number(v.get<double>(), key, unit);
    if (v.is_string()) return text(v.get<std::string>());
    if (v.is_array()) {
      std::string s;
      for (const auto &e : v) {
        if (!s.empty()) s += "、";
        s += value(e, key, unit);
      }
      return s.empty() ? "无" : s;
    }
    if (v.is_object()) {
      if (v.contains("unit") && v["unit"].is_string()) return quantity(v);
      std::string s;
      for (const auto &[k, e] : v.items()) {
        if (!s.empty()) s += "，";
        s += lookup("evidence_keys", k) + " " + value(e, k, unit);
      }
      return "（" + s + "）";
    }
    return v.dump();
  }

  const std::vector<const SpatialFeature *> &features_;
};

struct OutcomeStyle {
  const char *css;
  std::string text;
};

OutcomeStyle outcome_style(Outcome o) {
  const std::string text = io::vocabulary().label("outcomes", outcome_id(o));
  switch (o) {
  case Outcome::Pass: return {"pass", text};
  case Outcome::Fail: return {"fail", text};
  case Outcome::Attention: return {"attention", text};
  case Outcome::NotApplicable: return {"na", text};
  }
  return {"na", text};
}

struct VerdictStyle {
  const char *css;
  std::string text;
};

VerdictStyle verdict_style(std::string_view verdict) {
  const std::optional<Verdict> v = try_parse<Verdict>(verdict);
  if (!v) return {"unknown", "未定"};
  const char *css = *v == Verdict::Reject        ? "reject"
                    : *v == Verdict::Conditional ? "conditional"
                                                 : "pass";
  return {css, io::vocabulary().label(*v)};
}

// "2023-06-01" -> "2023年6月1日". An ISO timestamp with a UTC offset ("…T20:00:00Z",
// "…T09:30:00+08:00") is dated in Beijing time (UTC+8), the calendar of the documents.
// Anything else comes back verbatim.
std::string chinese_date(std::string_view iso) {
  int y = 0, m = 0, d = 0;
  if (iso.size() < 10 || iso[4] != '-' || iso[7] != '-' ||
      std::sscanf(std::string(iso.substr(0, 10)).c_str(), "%d-%d-%d", &y, &m, &d) != 3)
    return std::string(iso);
  int hh = 0, mm = 0;
  if (iso.size() >= 16 && (iso[10] == 'T' || iso[10] == ' ') &&
      std::sscanf(std::string(iso.substr(11, 5)).c_str(), "%d:%d", &hh, &mm) == 2) {
    // The offset follows the time (and any seconds and fraction).
    std::size_t i = 16;
    while (i < iso.size() && (iso[i] == ':' || iso[i] == '.' || (iso[i] >= '0' && iso[i] <= '9')))
      ++i;
    std::optional<int> offset_min;
    if (i < iso.size() && (iso[i] == 'Z' || iso[i] == 'z')) {
      offset_min = 0;
    } else if (i + 3 <= iso.size() && (iso[i] == '+' || iso[i] == '-')) {
      int oh = 0, om = 0;
      const std::string off(iso.substr(i + 1));
      if (std::sscanf(off.c_str(), "%2d:%2d", &oh, &om) >= 1 ||
          std::sscanf(off.c_str(), "%2d%2d", &oh, &om) >= 1)
        offset_min = (iso[i] == '+' ? 1 : -1) * (oh * 60 + om);
    }
    if (offset_min) {
      using namespace std::chrono;
      const year_month_day ymd{year{y}, month{static_cast<unsigned>(m)},
                               day{static_cast<unsigned>(d)}};
      if (ymd.ok()) {
        const int local_min = hh * 60 + mm - *offset_min + 8 * 60;
        const int shift = local_min < 0 ? -1 : local_min >= 24 * 60 ? 1 : 0;
        const year_month_day beijing{sys_days{ymd} + days{shift}};
        y = static_cast<int>(beijing.year());
        m = static_cast<int>(static_cast<unsigned>(beijing.month()));
        d = static_cast<int>(static_cast<unsigned>(beijing.day()));
      }
    }
  }
  return std::to_string(y) + "年" + std::to_string(m) + "月" + std::to_string(d) + "日";
}

std::string join(const std::vector<std::string> &items, std::string_view sep) {
  std::string s;
  for (const auto &i : items) {
    if (!s.empty()) s += sep;
    s += i;
  }
  return s;
}

// The document number: the first 12 characters of the input hash (without any "sha256:"
// prefix), then the record id.
std::string document_number(const ReviewResult &r, const OpinionContext &ctx) {
  std::string h = r.input_hash;
  if (const auto colon = h.rfind(':'); colon != std::string::npos) h = h.substr(colon + 1);
  if (h.size() > 12) h.resize(12);
  if (h.empty()) h = "000000000000";
  char rec[32];
  std::snprintf(rec, sizeof rec, "%06lld", ctx.record_id);
  return ctx.record_id > 0 ? h + "-" + rec : h + "（未登记）";
}

const AppliedPlan *plan_of(const ReviewResult &r, const std::string &id) {
  for (const auto &p : r.plans)
    if (p.id == id) return &p;
  return nullptr;
}

std::string citation_html(const ReviewResult &r, const Finding &f) {
  std::string s;
  if (const AppliedPlan *p = plan_of(r, f.plan); p != nullptr && !p->title.empty())
    s += "《" + esc(p->title) + "》";
  else if (!f.plan.empty())
    s += esc(f.plan);
  std::string where;
  if (!f.citation.section.empty()) where += esc(f.citation.section);
  if (!f.citation.seed.empty())
    where += (where.empty() ? "" : "<br>") +
             ("<span class=\"seed\">" + esc(f.citation.seed) + "</span>");
  if (!where.empty()) s += (s.empty() ? "" : "<br>") + where;
  return s.empty() ? "—" : s;
}

constexpr const char *kCss = R"css(
@page { size: A4; margin: 16mm 14mm 18mm 14mm;
  @bottom-center { content: "第 " counter(page) " 页 共 " counter(pages) " 页"; font-size: 9pt; } }
* { box-sizing: border-box; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
html { font-size: 10.5pt; }
body { margin: 0; color: #111; line-height: 1.55;
  font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "SimSun", serif; }
h1, h2, .verdict-text, th, .no { font-family: "Noto Sans CJK SC", "Source Han Sans SC",
  "Microsoft YaHei", "SimHei", sans-serif; }
.doc { max-width: 182mm; margin: 0 auto; }
@media screen { body { background: #e9e9e9; }
  .doc { background: #fff; margin: 12px auto; padding: 16mm 14mm; box-shadow: 0 1px 6px #999; } }
header { text-align: center; border-bottom: 2px solid #b00; padding-bottom: 4mm; margin-bottom: 5mm; }
h1 { font-size: 19pt; letter-spacing: 0.12em; margin: 0 0 2mm 0; color: #111; }
.no { font-size: 10pt; color: #333; }
h2 { font-size: 12.5pt; margin: 6mm 0 2.5mm 0; padding-left: 2mm; border-left: 4px solid #b00; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 2mm 0; }
thead { display: table-header-group; }
tr, figure, .verdict, .sign { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 0.6pt solid #777; padding: 1.2mm 1.8mm; vertical-align: top; text-align: left; }
th { background: #f0f0f0; font-weight: bold; font-size: 9.5pt; }
table.kv th { width: 26%; }
table.small { font-size: 8.5pt; }
table.small td, table.small th { padding: 0.6mm 1.4mm; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.mono, .seed { font-family: "DejaVu Sans Mono", "Consolas", monospace; font-size: 8pt; color: #444;
  word-break: break-all; }
figure { margin: 2mm 0; }
figure svg { width: 100%; height: auto; border: 0.6pt solid #999; display: block; }
figcaption { text-align: center; font-size: 9.5pt; margin-top: 1.5mm; }
.note { color: #555; font-size: 9pt; }
.findings td { font-size: 9pt; }
.findings td.o { white-space: nowrap; font-weight: bold; text-align: center; }
.o.pass { color: #1a7f37; background: #e6f4ea; }
.o.fail { color: #b42318; background: #fdecea; }
.o.attention { color: #9a6700; background: #fff4d6; }
.o.na { color: #666; background: #f2f2f2; }
.rule { font-family: "DejaVu Sans Mono", "Consolas", monospace; font-size: 8pt; word-break: break-all; }
.check { color: #666; font-size: 8pt; }
.ev { color: #333; font-size: 8.5pt; margin-top: 0.8mm; }
.ek { color: #666; }
.quote { color: #555; font-size: 8pt; margin-top: 0.8mm; }
.feat { color: #555; font-size: 8pt; margin-top: 0.8mm; }
tr.superseded td.s { text-decoration: line-through; color: #888; }
tr.superseded td.o { opacity: 0.55; }
.sup { display: inline-block; margin-top: 0.8mm; font-size: 8pt; color: #9a6700; }
.verdict { border: 2px solid #777; padding: 4mm 5mm; margin: 2mm 0; }
.verdict.reject { border-color: #b42318; background: #fdecea; }
.verdict.conditional { border-color: #c98a00; background: #fff7e0; }
.verdict.pass { border-color: #1a7f37; background: #e9f6ec; }
.verdict-text { font-size: 20pt; font-weight: bold; letter-spacing: 0.2em; }
.verdict.reject .verdict-text { color: #b42318; }
.verdict.conditional .verdict-text { color: #9a6700; }
.verdict.pass .verdict-text { color: #1a7f37; }
.verdict ol { margin: 1.5mm 0 0 0; padding-left: 6mm; }
.sign { margin-top: 8mm; display: flex; justify-content: space-between; align-items: flex-end; }
.sign table { width: auto; }
.sign table td { border: none; padding: 3mm 1mm; font-size: 11pt; }
.line { display: inline-block; min-width: 42mm; border-bottom: 0.8pt solid #000; }
.seal { width: 42mm; height: 42mm; border: 1pt dashed #b00; border-radius: 50%; color: #b00;
  display: flex; align-items: center; justify-content: center; text-align: center; font-size: 10pt; }
footer { margin-top: 8mm; border-top: 0.6pt solid #999; padding-top: 2mm; font-size: 8pt; color: #555; }
)css";

void summary_section(std::string &h, const Application &app) {
  h += "<h2>一、申请基本情况</h2><table class=\"kv\"><tbody>";
  const auto row = [&](std::string_view label, const std::string &value_html) {
    h += "<tr><th>" + std::string(label) + "</th><td>" +
         (value_html.empty() ? std::string("—") : value_html) + "</td></tr>";
  };
  std::string applicant = esc(app.applicant_name);
  if (!app.applicant_type.empty())
    applicant += "（" + esc(lookup("applicant_types", app.applicant_type)) + "）";
  row("申请人", applicant);
  row("矿业权类型", esc(lookup("right_kinds", app.kind)));
  std::string action = esc(lookup("actions", app.action));
  if (app.action == "change") {
    std::vector<std::string> what;
    if (app.change.area) what.emplace_back("范围");
    if (app.change.method) what.emplace_back("开采方式");
    if (app.change.scale) what.emplace_back("生产规模");
    if (app.change.mineral) what.emplace_back("矿种");
    if (!what.empty()) action += "（变更" + join(what, "、") + "）";
  }
  if (app.temporary) action += "；重大工程配套临时用矿";
  row("申请事项", action);
  if (!app.licence_no.empty())
    row("原许可证号", "<span class=\"mono\">" + esc(app.licence_no) + "</span>");
  std::vector<std::string> minerals;
  for (const auto &m : app.minerals)
    minerals.push_back(esc(m));
  row("申请矿种", join(minerals, "、"));
  if (app.scale)
    row("生产规模", esc(num(app.scale->value, 6) + " " + unit_text(app.scale->unit)));
  else if (app.kind == "mining")
    row("生产规模", "");
  if (!app.method.empty() || app.kind == "mining")
    row("开采方式", esc(lookup("methods", app.method)));
  if (app.service_years) row("服务年限", esc(num(*app.service_years, 2) + " 年"));
  row("行政区划代码", "<span class=\"mono\">" + esc(app.jurisdiction) + "</span>");
  row("申请日期（审查基准日）", esc(chinese_date(app.date)));
  std::string source = esc(app.boundary_source);
  if (app.planar_crs) source += (source.empty() ? "" : "；") + esc(app.planar_crs->name());
  row("范围坐标来源", app.boundary_lonlat ? source : std::string("未提供范围坐标"));
  if (app.boundary_lonlat && !app.boundary_lonlat->empty()) {
    std::string area;
    try {
      // The official planar form the application was parsed into (projected once), else
      // measured here.
      const double m2 = app.boundary_planar ? geo::planar_area_m2(*app.boundary_planar)
                                            : SpatialIndex::official_area_m2(*app.boundary_lonlat);
      area = fixed(m2 / 1e6, 4) + " km²（" + fixed(m2 / 1e4, 2) +
             " 公顷）<span class=\"note\">　2000国家大地坐标系 3°带高斯-克吕格平面面积</span>";
    } catch (const Error &e) {
      area = "无法计算（" + esc(e.what()) + "）";
    }
    row("申请范围面积", area);
  }
  if (!app.boundary_warnings.empty()) {
    std::vector<std::string> w;
    for (const auto &x : app.boundary_warnings)
      w.push_back(esc(x));
    row("范围坐标说明", join(w, "<br>"));
  }
  if (!app.conditions_met.empty()) {
    std::vector<std::string> c;
    for (const auto &x : app.conditions_met)
      c.push_back(esc(lookup("conditions", x)));
    row("申请人声明已具备", join(c, "、"));
  }
  h += "</tbody></table>";
}

void plans_section(std::string &h, const ReviewResult &r) {
  h += "<h2>二、适用规划</h2><table><thead><tr><th style=\"width:7%\">序号</th><th>规划名称</th>"
       "<th style=\"width:12%\">层级</th><th style=\"width:28%\">规划编号 / 版本</th></tr></thead>"
       "<tbody>";
  if (r.plans.empty()) h += "<tr><td colspan=\"4\">审查基准日无在有效期内的规划。</td></tr>";
  int i = 0;
  for (const auto &p : r.plans)
    h += "<tr><td class=\"num\">" + std::to_string(++i) + "</td><td>《" + esc(p.title) +
         "》</td><td>" + esc(lookup("plan_levels", p.level)) + "</td><td><span class=\"mono\">" +
         esc(p.id) + "<br>" + esc(p.version) + "</span></td></tr>";
  h += "</tbody></table><p class=\"note\">以上规划均于审查基准日有效，按旗县级、盟市级、自治区级"
       "逐级适用；同一事项多级规划均有规定的，从严适用。</p>";
}

void map_section(std::string &h, const Application &app, const ReviewResult &result,
                 const std::vector<const SpatialFeature *> &features) {
  h += "<h2>三、申请范围与规划分区叠加图</h2>";
  std::vector<std::string> labels(features.size());
  bool have_map = false;
  if (app.boundary_lonlat && !app.boundary_lonlat->empty()) {
    try {
      MapFigure fig = draw_map(*app.boundary_lonlat, features);
      labels = fig.labels;
      const std::string plane =
          "2000国家大地坐标系 高斯-克吕格投影 3°带 第" + std::to_string(fig.crs.zone) + "带";
      have_map = true;
      h += "<figure>" + fig.svg + "<figcaption>图1　申请范围与规划分区、已设矿业权叠加示意图（" +
           plane + "）</figcaption></figure>";
      for (const auto &n : fig.notes)
        h += "<p class=\"note\">" + esc(n) + "</p>";
      h += "<table class=\"small\"><thead><tr><th colspan=\"4\">申请范围拐点坐标（" + plane +
           "，Y 坐标含带号，单位 m）</th></tr><tr><th style=\"width:12%\">点号</th><th "
           "style=\"width:12%\">块段</th><th>X（纵坐标）</th><th>Y（横坐标，含带号）</th></tr>"
           "</thead><tbody>";
      for (const auto &c : fig.corners)
        h += "<tr><td class=\"num\">J" + std::to_string(c.index) + "</td><td class=\"num\">" +
             std::to_string(c.part) + "</td><td class=\"num\">" + fixed(c.x, 2) +
             "</td><td class=\"num\">" + fixed(c.y, 2) + "</td></tr>";
      h += "</tbody></table>";
    } catch (const Error &e) {
      h += "<p class=\"note\">叠加图无法绘制：" + esc(e.what()) + "</p>";
    }
  } else {
    h += "<p class=\"note\">本申请未提供范围坐标，不绘制叠加图；涉及空间位置的审查事项见第四部分"
         "逐条意见。</p>";
  }
  if (!features.empty()) {
    h += "<table class=\"small\"><thead><tr><th colspan=\"5\">" +
         std::string(have_map ? "图中要素（申请范围涉及的规划分区与矿业权）"
                              : "审查涉及的规划分区与矿业权") +
         "</th></tr><tr><th style=\"width:7%\">编号</th><th style=\"width:18%\">类别</th>"
         "<th>名称</th><th style=\"width:24%\">所属规划 / 权利人</th><th "
         "style=\"width:16%\">矿种</th></tr></thead><tbody>";
    for (std::size_t i = 0; i < features.size(); ++i) {
      const SpatialFeature *f = features[i];
      if (f == nullptr) continue;
      const std::string no = labels[i].empty() ? std::to_string(i + 1) : labels[i];
      std::string name = esc(f->name.empty() ? f->id : f->name);
      if (!f->name.empty()) name += "<br><span class=\"mono\">" + esc(f->id) + "</span>";
      std::string owner = f->layer == "right" ? f->holder : f->plan_id;
      if (const AppliedPlan *p = plan_of(result, f->plan_id);
          f->layer != "right" && p != nullptr && !p->title.empty())
        owner = "《" + p->title + "》";
      h += "<tr><td class=\"num\">" + no + "</td><td>" + esc(feature_kind_label(*f)) + "</td><td>" +
           name + "</td><td>" + (owner.empty() ? "—" : esc(owner)) + "</td><td>" +
           (f->minerals.empty() ? "—" : esc(join(f->minerals, "、"))) + "</td></tr>";
    }
    h += "</tbody></table>";
  }
}

void findings_section(std::string &h, const ReviewResult &r,
                      const std::vector<const SpatialFeature *> &features) {
  h += "<h2>四、逐条审查意见</h2><table class=\"findings\"><thead><tr>"
       "<th style=\"width:5%\">序号</th><th style=\"width:9%\">结论</th>"
       "<th style=\"width:19%\">审查条款</th><th>审查意见及依据数据</th>"
       "<th style=\"width:22%\">规划依据</th></tr></thead><tbody>";
  if (r.findings.empty()) h += "<tr><td colspan=\"5\">无审查条款适用。</td></tr>";
  const EvidenceText evidence(features);
  int i = 0;
  for (const auto &f : r.findings) {
    const OutcomeStyle o = outcome_style(f.outcome);
    const bool superseded = !f.superseded_by.empty();
    h += std::string("<tr class=\"finding") + (superseded ? " superseded" : "") +
         "\" data-outcome=\"" + esc(outcome_id(f.outcome)) + "\"><td class=\"num\">" +
         std::to_string(++i) + "</td><td class=\"o " + o.css + "\">" + o.text + "</td>";
    h += "<td><div class=\"rule s\">" + esc(f.rule) + "</div>";
    if (!f.check.empty()) h += "<div class=\"check\">" + esc(lookup("checks", f.check)) + "</div>";
    h += "</td><td><div class=\"s\">" + esc(f.message) + "</div>";
    if (const std::string ev = evidence.html(f.evidence); !ev.empty())
      h += "<div class=\"ev s\">" + ev + "</div>";
    if (!f.features.empty()) {
      std::vector<std::string> named;
      for (const auto &id : f.features) {
        std::string item = esc(id);
        for (std::size_t k = 0; k < features.size(); ++k)
          if (features[k] != nullptr && features[k]->id == id) {
            item.assign(1, '[');
            item += std::to_string(k + 1);
            item += "] ";
            item += esc(features[k]->name.empty() ? id : features[k]->name);
            break;
          }
        named.push_back(item);
      }
      h += "<div class=\"feat s\">涉及：" + join(named, "；") + "</div>";
    }
    if (superseded)
      h += "<span class=\"sup\">被更严格条款取代：<span class=\"rule\">" + esc(f.superseded_by) +
           "</span></span>";
    h += "</td><td class=\"s\">" + citation_html(r, f);
    if (!f.citation.quote.empty())
      h += "<div class=\"quote\">原文：“" + esc(f.citation.quote) + "”</div>";
    h += "</td></tr>";
  }
  h += "</tbody></table>";
}

void verdict_section(std::string &h, const ReviewResult &r) {
  const VerdictStyle v = verdict_style(r.verdict);
  int counts[4] = {0, 0, 0, 0};
  int superseded = 0;
  for (const auto &f : r.findings) {
    if (!f.superseded_by.empty()) {
      ++superseded;
      continue;
    }
    ++counts[static_cast<int>(f.outcome)];
  }
  h += "<h2>五、审查结论</h2><div class=\"verdict " + std::string(v.css) + "\" data-verdict=\"" +
       esc(r.verdict) + "\"><div>审查结论：<span class=\"verdict-text\">" + v.text +
       "</span></div><div class=\"note\">共审查 " +
       std::to_string(r.findings.size() - static_cast<std::size_t>(superseded)) + " 项：" +
       outcome_style(Outcome::Pass).text + " " + std::to_string(counts[0]) + " 项，" +
       outcome_style(Outcome::Fail).text + " " + std::to_string(counts[1]) + " 项，" +
       outcome_style(Outcome::Attention).text + " " + std::to_string(counts[2]) + " 项，" +
       outcome_style(Outcome::NotApplicable).text + " " + std::to_string(counts[3]) + " 项" +
       (superseded > 0 ? "；另有 " + std::to_string(superseded) + " 项被更严格条款取代" : "") +
       "。</div>";
  const auto list = [&](Outcome which, std::string_view intro) {
    std::string items;
    int i = 0;
    for (const auto &f : r.findings) {
      ++i;
      if (f.outcome != which || !f.superseded_by.empty()) continue;
      items += "<li>" + esc(f.message) + "（第 " + std::to_string(i) +
               " 项，<span class=\"rule\">" + esc(f.rule) + "</span>）</li>";
    }
    if (!items.empty()) h += "<div>" + std::string(intro) + "</div><ol>" + items + "</ol>";
  };
  if (r.verdict == "reject") {
    h += "<p>经审查，该申请不符合适用规划的下列规定，不予通过：</p>";
    list(Outcome::Fail, "不符合事项：");
    list(Outcome::Attention, "另需核实事项：");
  } else if (r.verdict == "conditional") {
    h += "<p>经审查，该申请未发现与适用规划相抵触的情形，但下列事项须在办理前核实或落实，"
         "落实后方可通过：</p>";
    list(Outcome::Attention, "须核实或落实的事项：");
  } else if (r.verdict == "pass") {
    h += "<p>经审查，该申请符合适用规划的各项规定，予以通过。</p>";
  }
  h += "</div>";
}

void signature_section(std::string &h) {
  h += "<div class=\"sign\"><table><tbody>"
       "<tr><td>审查人：</td><td><span class=\"line\"></span></td></tr>"
       "<tr><td>审核人：</td><td><span class=\"line\"></span></td></tr>"
       "<tr><td>日　期：</td><td>　　　　年　　月　　日</td></tr>"
       "</tbody></table><div class=\"seal\">审查机关<br>（盖章处）</div></div>";
}

} // namespace

std::string render_opinion_html(const Application &app, const ReviewResult &result,
                                const std::vector<const SpatialFeature *> &features,
                                const OpinionContext &context) {
  std::string h;
  h.reserve(65536);
  h += "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
       "<title>矿业权申请规划符合性审查意见书</title><style>";
  h += kCss;
  h += "</style></head><body><main class=\"doc\">";
  h += "<header><h1>矿业权申请规划符合性审查意见书</h1><div class=\"no\">编号：" +
       esc(document_number(result, context)) + "</div>";
  if (!context.reviewed_at.empty())
    h += "<div class=\"no\">审查日期：" + esc(chinese_date(context.reviewed_at)) + "</div>";
  h += "</header>";
  const std::string what = app.action == "convert"
                               ? lookup("actions", app.action)
                               : lookup("actions", app.action) + lookup("right_kinds", app.kind);
  h += "<p>" + esc(app.applicant_name.empty() ? std::string("申请人") : app.applicant_name) +
       "申请" + esc(what) + "，经对照审查基准日有效的矿产资源规划逐条审查，意见如下。</p>";
  summary_section(h, app);
  plans_section(h, result);
  map_section(h, app, result, features);
  findings_section(h, result, features);
  verdict_section(h, result);
  signature_section(h);
  h += "<footer>本意见书由 mineplan 依据规划数据自动生成，规划数据来源：<span class=\"mono\">" +
       esc(context.store.empty() ? std::string("—") : context.store) +
       "</span>；申请材料摘要：<span class=\"mono\">" +
       esc(result.input_hash.empty() ? std::string("—") : result.input_hash) + "</span>";
  if (!context.reviewed_at.empty())
    h += "；审查时间：<span class=\"mono\">" + esc(context.reviewed_at) + "</span>";
  if (context.record_id > 0) h += "；审查记录号：" + std::to_string(context.record_id);
  h += "。同一申请依据相同版本的规划重新审查，结论相同。</footer>";
  h += "</main></body></html>\n";
  return h;
}

} // namespace mineplan::review

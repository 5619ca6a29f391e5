#include "monitor/report.hpp"

#include "core/error.hpp"
#include "core/vocabulary.hpp"
#include "io/vocabulary_loader.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace mineplan::monitor {

const char *report_kind_chinese(const std::string &kind) {
  if (kind == "annual") return "年度评估报告";
  if (kind == "midterm") return "中期评估报告";
  if (kind == "final") return "终期评估报告";
  return "评估报告";
}

std::string html_escape(const std::string &s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    default: out += c;
    }
  }
  return out;
}

namespace {

const char *status_colour(const std::string &s) {
  if (s == "met") return "#2e7d32";
  if (s == "on_track") return "#1565c0";
  if (s == "at_risk") return "#ef6c00";
  if (s == "off_track") return "#c62828";
  return "#9e9e9e";
}

std::string num(double v) {
  return format_number(v, 2);
}

std::string opt(const std::optional<double> &v, const std::string &unit = "") {
  return v ? num(*v).append(unit) : std::string("—");
}

std::string target_text(const Target &t) {
  std::string out;
  if (t.target.min && t.target.max)
    out = num(*t.target.min).append("–").append(num(*t.target.max));
  else
    out = std::string(t.comparator == "<="   ? "≤"
                      : t.comparator == ">=" ? "≥"
                                             : "")
              .append(num(t.target.value.value_or(0)));
  out.append(t.unit);
  if (t.target.year) out.append("（").append(std::to_string(*t.target.year)).append("年）");
  return out;
}

std::string kind_text(const std::string &k) {
  const auto kind = try_parse<TargetKind>(k);
  return io::vocabulary().label(kind.value_or(TargetKind::Unspecified));
}

std::string needed_text(const Indicator &i) {
  if (!i.needed_per_year) return "—";
  double n = *i.needed_per_year;
  return std::string(n < 0 ? "每年减少 " : "每年增加 ")
      .append(num(std::fabs(n)))
      .append(i.target.unit);
}

// The status counts as a horizontal stacked bar with a legend.
std::string status_chart(const PlanIndicators &p) {
  const char *order[] = {"met", "on_track", "at_risk", "off_track", "no_data", "no_definition"};
  std::map<std::string, int> counts;
  for (const auto &i : p.indicators)
    ++counts[i.status];
  const double width = 640, bar = 28;
  const double total = std::max<double>(1, static_cast<double>(p.indicators.size()));
  std::ostringstream s;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"90\" "
    << "viewBox=\"0 0 " << width << " 90\" role=\"img\" aria-label=\"指标状态分布\">";
  double x = 0;
  for (const char *st : order) {
    int n = counts[st];
    if (!n) continue;
    double w = width * n / total;
    s << "<rect x=\"" << x << "\" y=\"4\" width=\"" << w << "\" height=\"" << bar << "\" fill=\""
      << status_colour(st) << "\"><title>" << status_chinese(st) << " " << n << "</title></rect>";
    if (w > 18)
      s << "<text x=\"" << x + w / 2 << "\" y=\"23\" font-size=\"13\" fill=\"#fff\" "
        << "text-anchor=\"middle\">" << n << "</text>";
    x += w;
  }
  double lx = 0;
  for (const char *st : order) {
    s << "<rect x=\"" << lx << "\" y=\"50\" width=\"12\" height=\"12\" fill=\"" << status_colour(st)
      << "\"/><text x=\"" << lx + 16 << "\" y=\"61\" font-size=\"12\">" << status_chinese(st) << " "
      << counts[st] << "</text>";
    lx += 106;
  }
  s << "</svg>";
  return s.str();
}

struct Point {
  int year;
  double value;
};

// An indicator's path: the values at each year's end, the target as a dashed line and the
// target year marked.
std::string trajectory_chart(const Indicator &ind, const std::vector<Point> &points, int first_year,
                             int last_year) {
  const double W = 300, H = 170, left = 44, right = 10, top = 12, bottom = 26;
  std::optional<double> target = ind.target.target.value;
  if (!target && ind.target.target.max) target = ind.target.target.max;
  double lo = 0, hi = 1;
  bool any = false;
  auto take = [&](double v) {
    if (!any) {
      lo = hi = v;
      any = true;
    }
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  };
  for (const auto &p : points)
    take(p.value);
  if (target) take(*target);
  if (ind.base_printed) take(*ind.base_printed);
  if (lo > 0 && lo < hi * 0.6) lo = 0;
  if (hi - lo < 1e-9) {
    hi += 1;
    lo = std::max(0.0, lo - 1);
  }
  const double pad = (hi - lo) * 0.08;
  lo -= lo == 0 ? 0 : pad;
  hi += pad;
  int y1 = std::max(last_year, ind.target.target.year.value_or(last_year));
  int y0 = std::min(first_year, y1 - 1);
  auto X = [&](double year) { return left + (W - left - right) * (year - y0) / (y1 - y0); };
  auto Y = [&](double v) { return top + (H - top - bottom) * (hi - v) / (hi - lo); };
  std::ostringstream s;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << W << "\" height=\"" << H
    << "\" viewBox=\"0 0 " << W << " " << H << "\" class=\"chart\">";
  s << "<line x1=\"" << left << "\" y1=\"" << H - bottom << "\" x2=\"" << W - right << "\" y2=\""
    << H - bottom << "\" stroke=\"#999\"/>";
  s << "<line x1=\"" << left << "\" y1=\"" << top << "\" x2=\"" << left << "\" y2=\"" << H - bottom
    << "\" stroke=\"#999\"/>";
  for (double v : {lo, (lo + hi) / 2, hi})
    s << "<text x=\"" << left - 4 << "\" y=\"" << Y(v) + 4 << "\" font-size=\"10\" "
      << "text-anchor=\"end\">" << format_number(v, 1) << "</text>";
  int step = std::max(1, (y1 - y0) / 6);
  for (int y = y0; y <= y1; y += step)
    s << "<text x=\"" << X(y) << "\" y=\"" << H - bottom + 14 << "\" font-size=\"10\" "
      << "text-anchor=\"middle\">" << y << "</text>";
  if (target) {
    s << "<line x1=\"" << left << "\" y1=\"" << Y(*target) << "\" x2=\"" << W - right << "\" y2=\""
      << Y(*target) << "\" stroke=\"#c62828\" stroke-dasharray=\"5,3\"/>";
    if (ind.target.target.year)
      s << "<circle cx=\"" << X(*ind.target.target.year) << "\" cy=\"" << Y(*target)
        << "\" r=\"4\" fill=\"none\" stroke=\"#c62828\"><title>目标 "
        << html_escape(target_text(ind.target)) << "</title></circle>";
  }
  if (ind.base_printed)
    s << "<rect x=\"" << X(ind.base_year) - 3 << "\" y=\"" << Y(*ind.base_printed) - 3
      << "\" width=\"6\" height=\"6\" fill=\"#777\"><title>规划基期值 " << num(*ind.base_printed)
      << "</title></rect>";
  if (!points.empty()) {
    s << "<polyline fill=\"none\" stroke=\"" << status_colour(ind.status)
      << "\" stroke-width=\"2\" points=\"";
    for (const auto &p : points)
      s << X(p.year) << "," << Y(p.value) << " ";
    s << "\"/>";
    for (const auto &p : points)
      s << "<circle cx=\"" << X(p.year) << "\" cy=\"" << Y(p.value) << "\" r=\"2.5\" fill=\""
        << status_colour(ind.status) << "\"><title>" << p.year << "年末 " << num(p.value)
        << "</title></circle>";
  }
  s << "</svg>";
  return s.str();
}

std::string table_html(const std::vector<std::string> &columns,
                       const std::vector<std::vector<std::string>> &rows) {
  std::ostringstream s;
  s << "<table><thead><tr>";
  for (const auto &c : columns)
    s << "<th>" << html_escape(c) << "</th>";
  s << "</tr></thead><tbody>";
  for (const auto &r : rows) {
    s << "<tr>";
    for (const auto &c : r)
      s << "<td>" << c << "</td>";
    s << "</tr>";
  }
  s << "</tbody></table>";
  return s.str();
}

} // namespace

std::string render_report(Register &reg, const PlanData &pd, const ReportOptions &o) {
  if (o.kind != "annual" && o.kind != "midterm" && o.kind != "final")
    throw InputError("report", 0, "kind",
                     "expected annual | midterm | final, found '" + o.kind + "'");
  if (o.year < 1990 || o.year > 2100)
    throw InputError("report", 0, "year", "expected a year, found " + std::to_string(o.year));
  const std::string as_of = std::to_string(o.year).append("-12-31");
  PlanIndicators p = compute_indicators(reg, pd, as_of);
  const Plan &plan = pd.plan;

  std::ostringstream h;
  std::string title =
      std::string("《").append(plan.title).append("》实施").append(report_kind_chinese(o.kind));
  h << "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>"
    << html_escape(title) << "</title><style>"
    << "body{font-family:'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',sans-serif;"
    << "margin:24px auto;max-width:1000px;color:#222;font-size:14px}"
    << "h1{font-size:22px;text-align:center}h2{font-size:17px;border-bottom:2px solid #444;"
    << "padding-bottom:3px;margin-top:28px}table{border-collapse:collapse;width:100%;margin:8px 0}"
    << "th,td{border:1px solid #999;padding:3px 6px;font-size:12.5px;vertical-align:top}"
    << "th{background:#eee}.s{color:#fff;padding:1px 5px;border-radius:3px;white-space:nowrap}"
    << ".grid{display:flex;flex-wrap:wrap;gap:8px}.cell{border:1px solid #ddd;padding:4px;"
    << "width:310px}.cell h3{font-size:12.5px;margin:2px 0}.meta{color:#555;font-size:12px}"
    << "@media print{h2{page-break-after:avoid}.cell{page-break-inside:avoid}}"
    << "</style></head><body>";
  h << "<h1>" << html_escape(title) << "</h1>";
  h << "<p class=\"meta\" style=\"text-align:center\">评估年度：" << o.year << "年（截至 " << as_of
    << "）　规划期：" << plan.period_start << "–" << plan.period_end << "年　基期："
    << plan.base_year << "年　行政区：" << html_escape(p.jurisdiction_name) << "（"
    << plan.jurisdiction << "）</p>";

  // 1. Summary.
  std::map<std::string, int> counts;
  for (const auto &i : p.indicators)
    ++counts[i.status];
  h << "<h2>一、总体情况</h2><p>本规划共有指标 " << p.indicators.size() << " 项，其中已达标 "
    << counts["met"] << " 项、按计划推进 " << counts["on_track"] << " 项、存在风险 "
    << counts["at_risk"] << " 项、偏离目标 " << counts["off_track"] << " 项，无数据 "
    << counts["no_data"] << " 项。登记库计算的指标按 " << as_of
    << " 的矿业权、矿山登记状态计算；不能由登记库计算的指标采用填报值（见第五部分）。</p>";
  h << status_chart(p);

  // 2. Off-track targets with their gap.
  h << "<h2>二、偏离目标和存在风险的指标</h2>";
  std::vector<std::vector<std::string>> off;
  for (const auto &i : p.indicators) {
    if (i.status != "off_track" && i.status != "at_risk") continue;
    off.push_back({html_escape(i.target.name),
                   std::string("<span class=\"s\" style=\"background:") + status_colour(i.status) +
                       "\">" + status_chinese(i.status) + "</span>",
                   opt(i.value, i.target.unit), html_escape(target_text(i.target)),
                   opt(i.gap, i.target.unit), html_escape(needed_text(i)),
                   html_escape(i.explanation)});
  }
  if (off.empty())
    h << "<p>无。</p>";
  else
    h << table_html({"指标", "状态", "现值", "目标", "差距", "尚需年均变化", "说明"}, off);

  // 3. Charts of the indicators with values.
  h << "<h2>三、指标变化情况</h2><div class=\"grid\">";
  for (const auto &i : p.indicators) {
    std::vector<Point> points;
    if (i.source == "register") {
      for (int y = plan.base_year; y <= o.year; ++y) {
        PlanData one = pd;
        one.targets = {i.target};
        auto q = compute_indicators(reg, one, std::to_string(y).append("-12-31"));
        if (q.indicators[0].value) points.push_back({y, *q.indicators[0].value});
      }
    } else if (i.source == "reported") {
      for (const auto &r : i.history)
        if (r.as_of <= as_of) points.push_back({std::stoi(r.as_of.substr(0, 4)), r.value});
    }
    if (points.empty()) continue;
    h << "<div class=\"cell\"><h3>" << html_escape(i.target.name) << "（"
      << html_escape(i.target.unit)
      << "）<span class=\"s\" style=\"background:" << status_colour(i.status) << "\">"
      << status_chinese(i.status) << "</span></h3>"
      << trajectory_chart(i, points, plan.base_year, o.year) << "</div>";
  }
  h << "</div><p "
       "class=\"meta\">"
       "折线：各年末的值；红色虚线：目标值；圆圈：目标年；灰色方块：规划文本中的基期值。</p>";

  // 4. All indicators.
  h << "<h2>四、指标完成情况一览</h2>";
  std::vector<std::vector<std::string>> all;
  for (const auto &i : p.indicators) {
    std::string base = i.base_printed ? num(*i.base_printed) : "—";
    if (i.base_register && i.source == "register")
      base.append(" / 登记库 ").append(num(*i.base_register));
    all.push_back({html_escape(i.target.name), kind_text(i.target.kind), html_escape(base),
                   opt(i.value, i.target.unit) +
                       (i.source == "reported" ? "<br><span class=\"meta\">填报</span>" : ""),
                   html_escape(target_text(i.target)),
                   std::string("<span class=\"s\" style=\"background:") + status_colour(i.status) +
                       "\">" + status_chinese(i.status) + "</span>",
                   html_escape(needed_text(i)),
                   html_escape(i.target.cite.seed.substr(0, 3) + " " + i.target.cite.section)});
  }
  h << table_html(
      {"指标", "属性", "基期（规划/登记库）", "现值", "目标", "状态", "尚需年均变化", "依据"}, all);

  // 5. Baseline checks and reported values.
  h << "<h2>五、基期核对与填报值</h2>";
  std::vector<std::vector<std::string>> base_rows;
  for (const auto &i : p.indicators)
    if (i.base_printed && i.source == "register")
      base_rows.push_back({html_escape(i.target.name), std::to_string(i.base_year),
                           num(*i.base_printed), opt(i.base_register),
                           i.base_difference && std::fabs(*i.base_difference) > 1e-9
                               ? "<b>" + num(*i.base_difference) + "</b>"
                               : "一致"});
  if (base_rows.empty())
    h << "<p>规划文本未给出可由登记库核对的基期值。</p>";
  else
    h << table_html({"指标", "基期年", "规划文本", "登记库", "差异"}, base_rows);
  std::vector<std::vector<std::string>> rep_rows;
  for (const auto &i : p.indicators)
    for (const auto &r : i.history)
      rep_rows.push_back({html_escape(i.target.name), num(r.value) + html_escape(r.unit), r.as_of,
                          html_escape(r.who), html_escape(r.source), html_escape(r.recorded_at)});
  if (rep_rows.empty())
    h << "<p>尚无填报值。</p>";
  else
    h << table_html({"指标", "填报值", "数据日期", "填报人", "来源文件", "录入时间"}, rep_rows);

  // 6. Statistics tables.
  auto tabs = plan_crosstabs(reg, pd, as_of);
  if (!tabs.empty()) {
    h << "<h2>六、统计表（由登记库生成）</h2>";
    for (const auto &t : tabs) {
      h << "<p><b>" << html_escape(t.section) << " " << html_escape(t.title) << "</b>（截至 "
        << t.as_of << "）</p>";
      std::vector<std::vector<std::string>> rows;
      for (const auto &r : t.rows) {
        std::vector<std::string> cells;
        for (const auto &c : r)
          cells.push_back(html_escape(c));
        rows.push_back(std::move(cells));
      }
      h << table_html(t.columns, rows);
      for (const auto &[g, n] : t.unclassified)
        h << "<p class=\"meta\">" << html_escape(g) << "：" << n
          << " 个矿山未登记该项，计入小计。</p>";
    }
  }
  h << "<p class=\"meta\">生成时间 " << html_escape(o.generated_at) << "；数据库 "
    << html_escape(o.store_location) << "；指标口径见各指标的计算定义（docs/monitoring.md）。</p>";
  h << "</body></html>\n";
  return h.str();
}

} // namespace mineplan::monitor

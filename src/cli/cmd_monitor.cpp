// Implementation monitoring (docs/monitoring.md):
//   mineplan indicators DB --plan ID [--as-of DATE] [--json]
//   mineplan stats DB --jurisdiction CODE [--as-of DATE] [--json | --xlsx OUT.xlsx]
//   mineplan report DB --plan ID --kind annual|midterm|final --year Y OUT.html
//   mineplan consistency DB [--as-of DATE] [--json]
//   mineplan report-value DB --plan ID --target ID --value V --as-of DATE --source DOC
//                         [--who NAME] [--note TEXT]
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "io/ledger.hpp"
#include "io/table_export.hpp"
#include "monitor/consistency.hpp"
#include "monitor/crosstab.hpp"
#include "monitor/indicators.hpp"
#include "monitor/report.hpp"
#include "store/store.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>

namespace mineplan::cli {
namespace {

std::string as_of_option(const Options &o) {
  std::string d = o.value("as-of").value_or(io::today_iso());
  if (!is_iso_date(d)) o.fail("--as-of expects a date YYYY-MM-DD, found '" + d + "'");
  return d;
}

PlanData plan_or_fail(store::Store &st, const Options &o) {
  auto id = o.value("plan");
  if (!id) o.fail("missing --plan ID");
  auto pd = st.plan(*id);
  if (!pd) throw InputError(st.location(), 0, "--plan", "no plan '" + *id + "' in the store");
  return *pd;
}

std::string opt_text(const std::optional<double> &v, const std::string &unit = "") {
  return v ? monitor::format_number(*v).append(unit) : std::string("—");
}

void print_indicators(const monitor::PlanIndicators &p) {
  std::printf("《%s》（%s %s）规划指标监测，截至 %s\n", p.plan.title.c_str(),
              p.jurisdiction_name.c_str(), p.plan.jurisdiction.c_str(), p.as_of.c_str());
  std::map<std::string, int> counts;
  for (const auto &i : p.indicators)
    ++counts[i.status];
  std::printf(
      "指标 %zu 项：已达标 %d，按计划推进 %d，存在风险 %d，偏离目标 %d，无数据 %d，未定义 %d\n",
      p.indicators.size(), counts["met"], counts["on_track"], counts["at_risk"],
      counts["off_track"], counts["no_data"], counts["no_definition"]);
  int n = 0;
  for (const auto &i : p.indicators) {
    const Target &t = i.target;
    std::printf("\n%3d. %s（%s）[%s] %s\n", ++n, t.name.c_str(), t.id.c_str(),
                monitor::status_chinese(i.status),
                i.source == "reported"   ? "填报值"
                : i.source == "register" ? "登记库计算"
                                         : "");
    std::printf("     %s\n", i.explanation.c_str());
    std::string target = t.target.min && t.target.max
                             ? monitor::format_number(*t.target.min)
                                   .append("–")
                                   .append(monitor::format_number(*t.target.max))
                             : std::string(t.comparator == "<="   ? "≤"
                                           : t.comparator == ">=" ? "≥"
                                                                  : "")
                                   .append(monitor::format_number(t.target.value.value_or(0)));
    if (!i.value)
      std::printf("     目标 %s%s（%s年底）\n", target.c_str(), t.unit.c_str(),
                  i.deadline.substr(0, 4).c_str());
    if (i.pace_per_year && std::fabs(*i.pace_per_year) > 1e-12)
      std::printf("     基期以来年均变化 %s，按此推算目标年为 %s\n",
                  monitor::format_number(*i.pace_per_year).c_str(),
                  opt_text(i.projected, t.unit).c_str());
    if (i.base_printed || i.base_register) {
      std::printf("     基期 %d 年：规划文本 %s，%s %s", i.base_year,
                  opt_text(i.base_printed).c_str(), i.source == "reported" ? "填报" : "登记库",
                  opt_text(i.base_register).c_str());
      if (i.base_difference && std::fabs(*i.base_difference) > 1e-9)
        std::printf("，差异 %s", monitor::format_number(*i.base_difference).c_str());
      std::printf("\n");
    }
    if (i.reported)
      std::printf("     填报：%s（%s，%s 填报，来源：%s）\n", i.reported->as_of.c_str(),
                  monitor::format_number(i.reported->value).c_str(), i.reported->who.c_str(),
                  i.reported->source.c_str());
    std::printf("     依据：%s %s\n", t.cite.seed.c_str(), t.cite.section.c_str());
  }
}

int cmd_indicators(const Args &args) {
  Options o(args, "mineplan indicators DB --plan ID [--as-of DATE] [--json]", {"json"},
            {"plan", "as-of"});
  const std::string &db = o.positional(0, "DB");
  o.expect_positionals(1);
  auto st = store::Store::open(db, store::Access::read);
  PlanData pd = plan_or_fail(*st, o);
  std::string as_of = as_of_option(o);
  monitor::Register reg(*st);
  auto p = monitor::compute_indicators(reg, pd, as_of);
  if (o.flag("json"))
    std::cout << monitor::to_json(p).dump(2) << "\n";
  else
    print_indicators(p);
  return 0;
}

void print_crosstab(const monitor::CrossTab &t) {
  std::printf("\n%s %s（%s，截至 %s）\n", t.section.c_str(), t.title.c_str(),
              t.jurisdiction.c_str(), t.as_of.c_str());
  auto print_row = [](const std::vector<std::string> &r) {
    for (std::size_t c = 0; c < r.size(); ++c)
      std::printf(c < 2 ? "%-10s" : "%8s", r[c].c_str());
    std::printf("\n");
  };
  print_row(t.columns);
  for (const auto &r : t.rows)
    print_row(r);
  for (const auto &[g, n] : t.unclassified)
    std::printf("（%s：%lld 个未登记该项，计入小计）\n", g.c_str(), static_cast<long long>(n));
  if (t.compared) {
    if (t.differences.empty())
      std::printf("与规划文本%s逐格一致\n", t.section.c_str());
    else
      for (const auto &d : t.differences)
        std::printf("与规划文本不一致：第 %zu 行「%s」列「%s」：规划 %s，登记库 %s\n", d.row + 1,
                    d.row < t.rows.size() ? t.rows[d.row][1].c_str() : "",
                    d.column < t.columns.size() ? t.columns[d.column].c_str() : "", d.seed.c_str(),
                    d.register_value.c_str());
  }
}

int cmd_stats(const Args &args) {
  Options o(args, "mineplan stats DB --jurisdiction CODE [--as-of DATE] [--json | --xlsx OUT.xlsx]",
            {"json"}, {"jurisdiction", "as-of", "xlsx"});
  const std::string &db = o.positional(0, "DB");
  o.expect_positionals(1);
  auto code = o.value("jurisdiction");
  if (!code) o.fail("missing --jurisdiction CODE");
  auto st = store::Store::open(db, store::Access::read);
  monitor::Register reg(*st);
  if (!reg.division(*code))
    throw InputError(st->location(), 0, "--jurisdiction", "no division '" + *code + "'");
  std::string as_of = as_of_option(o);
  auto tables = monitor::jurisdiction_crosstabs(reg, *code, as_of);
  if (auto out = o.value("xlsx")) {
    std::vector<io::SheetTable> sheets;
    for (const auto &t : tables)
      sheets.push_back({t.section.empty() ? t.title.substr(0, 24) : t.section, t.columns, t.rows});
    io::write_xlsx(*out, sheets);
    std::printf("%zu 张统计表已写入 %s\n", tables.size(), out->c_str());
    return 0;
  }
  if (o.flag("json")) {
    Json arr = Json::array();
    for (const auto &t : tables)
      arr.push_back(monitor::to_json(t));
    std::cout << Json{{"jurisdiction", *code}, {"as_of", as_of}, {"tables", arr}}.dump(2) << "\n";
  } else {
    for (const auto &t : tables)
      print_crosstab(t);
  }
  return 0;
}

int cmd_report(const Args &args) {
  Options o(args, "mineplan report DB --plan ID --kind annual|midterm|final --year Y OUT.html", {},
            {"plan", "kind", "year"});
  const std::string &db = o.positional(0, "DB");
  const std::string &out = o.positional(1, "OUT.html");
  o.expect_positionals(2);
  auto st = store::Store::open(db, store::Access::read);
  PlanData pd = plan_or_fail(*st, o);
  monitor::ReportOptions ro;
  ro.kind = o.value("kind").value_or("");
  if (ro.kind.empty()) o.fail("missing --kind annual|midterm|final");
  auto year = o.value("year");
  if (!year) o.fail("missing --year Y");
  try {
    ro.year = std::stoi(*year);
  } catch (const std::exception &) {
    o.fail("--year expects a year, found '" + *year + "'");
  }
  ro.generated_at = now_utc_iso();
  ro.store_location = st->location();
  monitor::Register reg(*st);
  std::string html = monitor::render_report(reg, pd, ro);
  std::ofstream f(out, std::ios::binary);
  if (!f) throw Error("cannot write " + out);
  f << html;
  if (!f) throw Error("writing " + out + " failed");
  std::printf("%s《%s》%d 年度已写入 %s\n", monitor::report_kind_chinese(ro.kind),
              pd.plan.title.c_str(), ro.year, out.c_str());
  return 0;
}

int cmd_consistency(const Args &args) {
  Options o(args, "mineplan consistency DB [--as-of DATE] [--json]", {"json"}, {"as-of"});
  const std::string &db = o.positional(0, "DB");
  o.expect_positionals(1);
  auto st = store::Store::open(db, store::Access::read);
  monitor::Register reg(*st);
  auto c = monitor::check_consistency(reg, as_of_option(o));
  if (o.flag("json")) {
    std::cout << monitor::to_json(c).dump(2) << "\n";
    return 0;
  }
  std::printf("跨级汇总与一致性核对，截至 %s\n\n汇总（可加指标，自治区 → 盟市 → 旗县）：\n",
              c.as_of.c_str());
  for (const auto &r : c.rollup)
    std::printf("  %-18s %-8s %-10s %10s%s%s\n", r.name.c_str(), r.code.c_str(),
                r.division_name.c_str(), monitor::format_number(r.value).c_str(), r.unit.c_str(),
                r.has_children ? std::string("（下级合计 ")
                                     .append(monitor::format_number(r.children_sum))
                                     .append("）")
                                     .c_str()
                               : "");
  std::printf("\n分区套合（下级规划分区位于上级同类分区内）：\n");
  for (const auto &z : c.zones)
    std::printf("  %s/%s %s：%s\n", z.plan_id.c_str(), z.zone_id.c_str(), z.zone_name.c_str(),
                z.message.c_str());
  std::printf("\n控制指标（下级不超过上级）：\n");
  for (const auto &q : c.quotas)
    std::printf("  [%s] %s：%s\n", q.ok ? "一致" : "超出", q.plan_id.c_str(), q.message.c_str());
  std::printf("\n差异 %zu 项%s\n", c.differences.size(), c.differences.empty() ? "" : "：");
  for (const auto &d : c.differences)
    std::printf("  - %s\n", d.c_str());
  return 0;
}

int cmd_report_value(const Args &args) {
  Options o(args,
            "mineplan report-value DB --plan ID --target ID --value V --as-of DATE --source DOC "
            "[--who NAME] [--note TEXT]",
            {}, {"plan", "target", "value", "as-of", "source", "who", "note"});
  const std::string &db = o.positional(0, "DB");
  o.expect_positionals(1);
  store::ReportedValue v;
  for (const char *k : {"plan", "target", "value", "as-of", "source"})
    if (!o.value(k)) o.fail(std::string("missing --").append(k));
  v.plan_id = *o.value("plan");
  v.target_id = *o.value("target");
  try {
    std::size_t used = 0;
    v.value = std::stod(*o.value("value"), &used);
    if (used != o.value("value")->size()) throw std::invalid_argument("trailing text");
  } catch (const std::exception &) {
    o.fail("--value expects a number, found '" + *o.value("value") + "'");
  }
  v.as_of = *o.value("as-of");
  v.source = *o.value("source");
  v.who = o.value("who").value_or("cli");
  v.note = o.value("note").value_or("");
  auto st = store::Store::open(db, store::Access::write);
  st->set_actor(store::Actor{v.who, "cli"});
  std::int64_t id = st->add_reported_value(v);
  std::printf("已记录填报值 #%lld：%s/%s = %s（%s，%s）\n", static_cast<long long>(id),
              v.plan_id.c_str(), v.target_id.c_str(), monitor::format_number(v.value).c_str(),
              v.as_of.c_str(), v.source.c_str());
  return 0;
}

} // namespace

MINEPLAN_COMMAND("indicators", cmd_indicators,
                 "mineplan indicators DB --plan ID [--as-of DATE] [--json]",
                 "every target of a plan computed as of a date, with status (规划指标监测)");
MINEPLAN_COMMAND("stats", cmd_stats,
                 "mineplan stats DB --jurisdiction CODE [--as-of DATE] [--json | --xlsx OUT.xlsx]",
                 "the statistics tables (e.g. 专栏2) reproduced from the register");
MINEPLAN_COMMAND("report", cmd_report,
                 "mineplan report DB --plan ID --kind annual|midterm|final --year Y OUT.html",
                 "evaluation report (规划实施评估报告) as printable HTML with charts");
MINEPLAN_COMMAND("consistency", cmd_consistency, "mineplan consistency DB [--as-of DATE] [--json]",
                 "roll-up county -> league -> region, zone nesting and caps across plan levels");
MINEPLAN_COMMAND("report-value", cmd_report_value,
                 "mineplan report-value DB --plan ID --target ID --value V --as-of DATE --source "
                 "DOC [--who NAME] [--note TEXT]",
                 "record a reported value of an indicator the register cannot compute");

} // namespace mineplan::cli

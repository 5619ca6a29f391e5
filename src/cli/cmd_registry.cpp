// Registries and programs as lifecycles (docs/registries.md):
//   mineplan green DB lifecycle|status [MINE]|step MINE EVENT [k=v …]|draw|draws|verify ID
//   mineplan program DB [--ledger] lifecycle|status [RIGHT]|step …|figures --as-of DATE
//   mineplan restore DB lifecycle|status [MINE]|step …
//   mineplan due DB --as-of DATE [--jurisdiction CODE] [--holder NAME] [--within DAYS] [--json]
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"
#include "core/model_json.hpp"
#include "registry/dates.hpp"
#include "registry/draw.hpp"
#include "registry/due.hpp"
#include "registry/legacy.hpp"
#include "registry/lifecycle.hpp"
#include "registry/program.hpp"
#include "service/lifecycle_steps.hpp"
#include "store/store.hpp"

#include <cstdio>
#include <iostream>

namespace mineplan::cli {
namespace {

const char *kGreenUsage =
    "mineplan green DB lifecycle | status [MINE] | step MINE EVENT [PARAM=VALUE …] --date DATE "
    "--role ROLE [--who NAME] | draw --jurisdiction CODE --date DATE --experts FILE [--seed N] "
    "--role ROLE [--who NAME] | draws | verify DRAW_ID  [--json] [--lifecycles DIR]";
const char *kProgramUsage =
    "mineplan program DB [--ledger] lifecycle | status [SUBJECT] | step SUBJECT EVENT "
    "[PARAM=VALUE …] --date DATE --role ROLE [--who NAME] | figures [--as-of DATE]  [--json] "
    "[--lifecycles DIR]";
const char *kLegacyUsage =
    "mineplan legacy DB lifecycle | sites [--as-of DATE] | status [SITE] | step SITE EVENT "
    "[PARAM=VALUE …] --date DATE --role ROLE [--who NAME]  [--json] [--lifecycles DIR]";
const char *kRestoreUsage =
    "mineplan restore DB lifecycle | status [MINE] | step MINE EVENT [PARAM=VALUE …] --date DATE "
    "--role ROLE [--who NAME]  [--json] [--lifecycles DIR]";

void print_json(const Json &j) {
  std::cout << j.dump(2) << "\n";
}

const registry::Lifecycle &lifecycle_or_fail(const std::map<std::string, registry::Lifecycle> &all,
                                             const std::string &id) {
  auto it = all.find(id);
  if (it == all.end()) throw Error("no lifecycle '" + id + "' in the lifecycles folder");
  return it->second;
}

void print_lifecycle(const registry::Lifecycle &lc, bool json) {
  if (json) {
    Json states = Json::array();
    for (const auto &s : lc.states)
      states.push_back(Json{{"id", s}, {"label", lc.state_labels.at(s)}});
    Json ts = Json::array();
    for (const auto &t : lc.transitions) {
      Json roles = t.roles;
      for (const auto &[v, rs] : t.roles_by_value)
        roles.push_back(t.roles_param + "=" + v + ": " + Json(rs).dump());
      ts.push_back(Json{{"event", t.event},
                        {"label", t.label},
                        {"from", t.from},
                        {"to", t.to.empty() ? Json(nullptr) : Json(t.to)},
                        {"roles", roles},
                        {"requires", t.required},
                        {"optional", t.optional},
                        {"cite", to_json(t.cite)}});
    }
    print_json(Json{{"id", lc.id},
                    {"title", lc.title},
                    {"file", lc.file},
                    {"initial", lc.initial},
                    {"states", states},
                    {"transitions", ts}});
    return;
  }
  std::printf("%s（%s）  %s\n状态：", lc.title.c_str(), lc.id.c_str(), lc.file.c_str());
  for (const auto &s : lc.states)
    std::printf(" %s=%s", s.c_str(), lc.state_labels.at(s).c_str());
  std::printf("\n\n");
  for (const auto &t : lc.transitions) {
    std::string from;
    for (const auto &f : t.from)
      from += (from.empty() ? "" : "|") + f;
    std::string roles;
    for (const auto &r : t.roles)
      roles += (roles.empty() ? "" : ",") + r;
    for (const auto &[v, rs] : t.roles_by_value) {
      roles += (roles.empty() ? "" : "; ") + t.roles_param + "=" + v + ":";
      for (const auto &r : rs)
        roles += " " + r;
    }
    std::string req;
    for (const auto &r : t.required)
      req += " " + r + "=…";
    std::printf("  %-18s %s → %s  [%s]%s\n      %s — %s %s\n", t.event.c_str(), from.c_str(),
                t.to.empty() ? "(same)" : t.to.c_str(), roles.c_str(), req.c_str(), t.label.c_str(),
                t.cite.seed.c_str(), t.cite.section.c_str());
  }
}

void print_state(const registry::Lifecycle &lc, const registry::SubjectState &s, bool events) {
  std::printf("%-28s %-14s %s%s%s\n", s.subject.c_str(), s.state.c_str(),
              lc.state_labels.at(s.state).c_str(),
              s.deadline.empty() ? "" : ("  " + s.deadline_label + " " + s.deadline).c_str(),
              s.from_register && s.events.empty() ? "  (登记库)" : "");
  if (lc.transitions.end() != std::find_if(lc.transitions.begin(), lc.transitions.end(),
                                           [](const auto &t) { return t.account_sign != 0; }))
    std::printf("%-28s balance %.2f\n", "", s.balance);
  if (!events) return;
  for (const auto &e : s.events)
    std::printf("  %s  %-18s %s → %s  %s/%s  %s\n", e.date.c_str(), e.event.c_str(),
                e.from_state.c_str(), e.to_state.c_str(), e.who.c_str(), e.role.c_str(),
                e.data.dump().c_str());
}

// status [SUBJECT], step SUBJECT EVENT k=v …, lifecycle: the actions every registry has.
int run_common(store::Store &st, const registry::Lifecycle &lc, const Options &o,
               const std::string &action) {
  bool json = o.flag("json");
  if (action == "lifecycle") {
    o.expect_positionals(2);
    print_lifecycle(lc, json);
    return 0;
  }
  if (action == "status") {
    o.expect_positionals(3);
    auto mines = st.mines(store::AsOf{});
    auto states = registry::all_states(st, lc, mines);
    Json out = Json::array();
    bool one = false;
    std::string only;
    try {
      only = o.positional(2, "subject");
      one = true;
    } catch (const Options::UsageError &) {
    }
    if (one && !states.count(only)) {
      const Mine *m = nullptr;
      for (const auto &x : mines)
        if (x.uid == only) m = &x;
      if (lc.subject == "mine" && !m)
        throw InputError(st.location(), 0, "subject", "no mine '" + only + "'");
      states[only] = registry::replay(lc, only, {}, m);
    }
    for (const auto &[subject, s] : states) {
      if (one && subject != only) continue;
      if (json)
        out.push_back(registry::to_json(s));
      else
        print_state(lc, s, one);
    }
    if (json) print_json(out);
    if (!json && states.empty()) std::printf("（无记录）\n");
    return 0;
  }
  if (action == "step") {
    const std::string subject = o.positional(2, "subject");
    service::StepInput input;
    input.event = o.positional(3, "event");
    for (std::size_t i = 4;; ++i) {
      std::string kv;
      try {
        kv = o.positional(i, "parameter");
      } catch (const Options::UsageError &) {
        break;
      }
      auto eq = kv.find('=');
      if (eq == std::string::npos || eq == 0)
        o.fail("a parameter is NAME=VALUE, found '" + kv + "'");
      input.params[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    auto date = o.value("date");
    auto role = o.value("role");
    if (!date) o.fail("missing --date DATE");
    if (!role) o.fail("missing --role ROLE");
    input.date = *date;
    // The operator records the step as the role given, on the subject as given.
    const service::Actor actor = service::Actor::operator_as(o.value("who").value_or("cli"), *role);
    const std::map<std::string, registry::Lifecycle> one{{lc.id, lc}};
    const service::DivisionPlaces places({});
    const service::StepDeps deps{st, one, places, {}};
    auto e =
        service::take_step(deps, actor, service::authorise_step(deps, actor, lc.id, subject), input)
            .step;
    if (json)
      print_json(registry::to_json(e));
    else
      std::printf("%s %s: %s → %s (%s) on %s\n", lc.id.c_str(), e.subject.c_str(),
                  e.from_state.c_str(), e.to_state.c_str(), lc.state_labels.at(e.to_state).c_str(),
                  e.date.c_str());
    return 0;
  }
  o.fail("unknown action '" + action + "'");
}

// Steps and draws write the store; every other action reads it only.
store::Access access_for(const Options &o) {
  const std::string &action = o.positional(1, "action");
  return action == "step" || action == "draw" ? store::Access::write : store::Access::read;
}

const std::set<std::string> kFlags{"json", "ledger"};
const std::set<std::string> kKeys{"date", "role",  "who",        "jurisdiction", "experts",
                                  "seed", "as-of", "lifecycles", "holder",       "within"};

int cmd_green(const Args &args) {
  Options o(args, kGreenUsage, kFlags, kKeys);
  auto st = store::Store::open(o.positional(0, "DB"), access_for(o));
  auto all = registry::load_lifecycles(o.value("lifecycles").value_or(""));
  const auto &lc = lifecycle_or_fail(all, "green-mine");
  std::string action = o.positional(1, "action");
  bool json = o.flag("json");
  if (action == "draw") {
    o.expect_positionals(2);
    auto jur = o.value("jurisdiction");
    auto date = o.value("date");
    auto experts = o.value("experts");
    auto role = o.value("role");
    if (!jur || !date || !experts || !role)
      o.fail("draw needs --jurisdiction, --date, --experts and --role");
    std::optional<std::uint64_t> seed;
    if (auto s = o.value("seed")) {
      try {
        std::size_t used = 0;
        seed = std::stoull(*s, &used);
        if (used != s->size()) throw std::invalid_argument(*s);
      } catch (const std::exception &) {
        o.fail("--seed expects a non-negative integer");
      }
    }
    const service::Actor actor = service::Actor::operator_as(o.value("who").value_or("cli"), *role);
    const service::DivisionPlaces places({});
    auto r = service::draw_inspections({*st, all, places, {}}, actor,
                                       {*jur, *date, registry::load_expert_pool(*experts), seed});
    if (json) {
      print_json(registry::to_json(r));
    } else {
      std::printf("双随机抽查 %s：名录 %lld 个，年度至少 %lld 个，本年已抽 %lld 个，本批 %lld "
                  "个（种子 %llu）\n",
                  r.id.c_str(), static_cast<long long>(r.listed),
                  static_cast<long long>(r.year_quota), static_cast<long long>(r.drawn_before),
                  static_cast<long long>(r.batch_size), static_cast<unsigned long long>(r.seed));
      for (const auto &m : r.drawn) {
        std::string ex;
        for (const auto &x : r.inspectors.at(m))
          ex += " " + x;
        std::printf("  %s  专家:%s\n", m.c_str(), ex.c_str());
      }
    }
    return 0;
  }
  if (action == "draws") {
    auto ds = registry::draws(*st, lc);
    if (json) {
      Json out = Json::array();
      for (const auto &d : ds)
        out.push_back(registry::to_json(d));
      print_json(out);
    } else {
      for (const auto &d : ds)
        std::printf("%s  %s  seed %llu  drawn %zu of %zu\n", d.id.c_str(), d.date.c_str(),
                    static_cast<unsigned long long>(d.seed), d.drawn.size(), d.population.size());
    }
    return 0;
  }
  if (action == "verify") {
    o.expect_positionals(3);
    auto c = registry::verify_draw(*st, lc, o.positional(2, "DRAW_ID"));
    if (json) {
      print_json(Json{
          {"ok", c.ok}, {"problems", c.problems}, {"recorded", registry::to_json(c.recorded)}});
    } else {
      std::printf("%s: %s\n", c.recorded.id.c_str(),
                  c.ok ? "verified: the recorded seed draws the recorded mines and experts"
                       : "NOT verified");
      for (const auto &p : c.problems)
        std::printf("  %s\n", p.c_str());
    }
    return c.ok ? 0 : 1;
  }
  return run_common(*st, lc, o, action);
}

int cmd_program(const Args &args) {
  Options o(args, kProgramUsage, kFlags, kKeys);
  auto st = store::Store::open(o.positional(0, "DB"), access_for(o));
  auto all = registry::load_lifecycles(o.value("lifecycles").value_or(""));
  const auto &lc =
      lifecycle_or_fail(all, o.flag("ledger") ? "program-rectification" : "consolidation");
  std::string action = o.positional(1, "action");
  if (action == "figures") {
    o.expect_positionals(2);
    std::string as_of = o.value("as-of").value_or("");
    if (as_of.empty()) o.fail("missing --as-of DATE");
    auto fig = registry::program_figures(*st, lifecycle_or_fail(all, "consolidation"), as_of);
    if (o.flag("json"))
      print_json(fig);
    else
      registry::print_program_figures(fig);
    return 0;
  }
  return run_common(*st, lc, o, action);
}

int cmd_restore(const Args &args) {
  Options o(args, kRestoreUsage, kFlags, kKeys);
  auto st = store::Store::open(o.positional(0, "DB"), access_for(o));
  auto all = registry::load_lifecycles(o.value("lifecycles").value_or(""));
  return run_common(*st, lifecycle_or_fail(all, "restoration"), o, o.positional(1, "action"));
}

// Legacy mine sites restored by the government (历史遗留矿山): the sites, their state and the
// seeds' targets measured from the acceptances recorded.
int cmd_legacy(const Args &args) {
  Options o(args, kLegacyUsage, kFlags, kKeys);
  auto st = store::Store::open(o.positional(0, "DB"), access_for(o));
  auto all = registry::load_lifecycles(o.value("lifecycles").value_or(""));
  const auto &lc = lifecycle_or_fail(all, "legacy-restoration");
  std::string action = o.positional(1, "action");
  if (action != "sites") return run_common(*st, lc, o, action);
  o.expect_positionals(2);
  std::string as_of = o.value("as-of").value_or("");
  if (as_of.empty()) o.fail("missing --as-of DATE");
  registry::parse_date(as_of, "--as-of");
  Json view = registry::legacy_overview(*st, lc, as_of);
  if (o.flag("json")) {
    print_json(view);
    return 0;
  }
  std::printf("%s，截至 %s\n", view.at("title").get<std::string>().c_str(), as_of.c_str());
  for (const auto &site : view.at("sites"))
    std::printf("  %-24s %s（%s %s）  %s%s  已验收 %.2f 平方千米\n",
                site.at("id").get<std::string>().c_str(),
                site.at("name").get<std::string>().c_str(),
                site.at("jurisdiction").get<std::string>().c_str(),
                site.at("jurisdiction_name").get<std::string>().c_str(),
                site.at("state_label").get<std::string>().c_str(),
                site.at("from_seed").get<bool>() ? "（据规划文本）" : "",
                site.at("accepted_km2").get<double>());
  std::printf("目标\n");
  for (const auto &t : view.at("targets")) {
    std::string goal = t.contains("value")
                           ? std::to_string(t.at("value").get<double>()).append(" 平方千米")
                           : std::string("全部完成");
    std::string got = t.at("achieved").is_null() ? std::string("—")
                                                 : std::to_string(t.at("achieved").get<double>());
    std::printf("  %s（%s，%s — %s）目标 %s，已完成 %s  [%s]\n",
                t.at("label").get<std::string>().c_str(),
                t.at("jurisdiction_name").get<std::string>().c_str(),
                t.at("from").get<std::string>().c_str(), t.at("to").get<std::string>().c_str(),
                goal.c_str(), got.c_str(), t.at("status").get<std::string>().c_str());
  }
  return 0;
}

int cmd_due(const Args &args) {
  Options o(args,
            "mineplan due DB --as-of DATE [--jurisdiction CODE] [--holder NAME] [--within DAYS] "
            "[--json] [--lifecycles DIR]",
            {"json"}, {"as-of", "jurisdiction", "holder", "within", "lifecycles"});
  auto st = store::Store::open(o.positional(0, "DB"), store::Access::read);
  o.expect_positionals(1);
  registry::DueQuery q;
  auto as_of = o.value("as-of");
  if (!as_of) o.fail("missing --as-of DATE");
  q.as_of = *as_of;
  q.jurisdiction = o.value("jurisdiction").value_or("");
  q.holder = o.value("holder").value_or("");
  if (auto w = o.value("within")) {
    try {
      q.within_days = std::stoi(*w);
    } catch (const std::exception &) {
      o.fail("--within expects a number of days");
    }
  }
  auto all = registry::load_lifecycles(o.value("lifecycles").value_or(""));
  auto items = registry::compute_due(*st, all, q);
  if (o.flag("json")) {
    Json out = Json::array();
    for (const auto &d : items)
      out.push_back(registry::to_json(d));
    print_json(Json{{"as_of", q.as_of},
                    {"jurisdiction", q.jurisdiction},
                    {"holder", q.holder},
                    {"items", out}});
    return 0;
  }
  std::size_t overdue = 0;
  for (const auto &d : items)
    overdue += d.status == "overdue";
  std::printf("截至 %s：逾期 %zu 项，%d 天内到期 %zu 项\n", q.as_of.c_str(), overdue, q.within_days,
              items.size() - overdue);
  for (const auto &d : items)
    std::printf("  [%s] %s  %s  %s %s（%s）%s\n", d.status == "overdue" ? "逾期" : "到期",
                d.due.c_str(), d.label.c_str(), d.subject.c_str(), d.subject_name.c_str(),
                d.holder.c_str(), d.detail.c_str());
  return 0;
}

} // namespace

MINEPLAN_COMMAND("green", cmd_green, kGreenUsage,
                 "the green-mine list (绿色矿山名录): lifecycle, steps, random inspection draws");
MINEPLAN_COMMAND("program", cmd_program, kProgramUsage,
                 "the consolidation program (整合提产方案): per-right actions, ledger, figures");
MINEPLAN_COMMAND(
    "restore", cmd_restore, kRestoreUsage,
    "restoration and reclamation (矿山地质环境治理与土地复垦): plans, fund, acceptance");
MINEPLAN_COMMAND(
    "legacy", cmd_legacy, kLegacyUsage,
    "legacy mine sites restored by the government (历史遗留矿山): sites, steps, targets");
MINEPLAN_COMMAND("due", cmd_due,
                 "mineplan due DB --as-of DATE [--jurisdiction CODE] [--holder NAME] [--json]",
                 "what is due and overdue: disclosures, mining plans, rectifications, re-reviews");

} // namespace mineplan::cli

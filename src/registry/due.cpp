#include "registry/due.hpp"

#include "core/model_json.hpp"
#include "monitor/register.hpp"
#include "registry/dates.hpp"

#include <algorithm>
#include <set>

namespace mineplan::registry {
namespace {

bool contains(const std::vector<std::string> &v, const std::string &s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

struct Subject {
  std::string name, holder, jurisdiction;
  const Mine *mine = nullptr;
};

} // namespace

std::vector<DueItem> compute_due(store::Store &store,
                                 const std::map<std::string, Lifecycle> &lifecycles,
                                 const DueQuery &q) {
  parse_date(q.as_of, "as_of");
  const std::string horizon = add_days(q.as_of, q.within_days);
  auto mines = store.mines(store::AsOf{q.as_of});
  monitor::Register reg(store);
  std::set<std::string> scope;
  if (!q.jurisdiction.empty()) scope = reg.scope(q.jurisdiction);
  auto in_scope = [&](const std::string &subject, const Subject &s) {
    if (q.subjects && !q.subjects->count(subject)) return false;
    if (!q.jurisdiction.empty() && !scope.count(s.jurisdiction)) return false;
    if (!q.holder.empty() && s.holder != q.holder) return false;
    return true;
  };
  std::map<std::string, Subject> mine_subjects;
  for (const auto &m : mines)
    mine_subjects[m.uid] = Subject{m.name, m.holder, m.jurisdiction, &m};

  std::vector<DueItem> out;
  auto add = [&](const Lifecycle &lc, const std::string &rule, const std::string &label,
                 const std::string &subject, const Subject &s, const std::string &due,
                 const std::string &detail, const Citation &cite) {
    if (due > horizon) return;
    DueItem d;
    d.registry = lc.id;
    d.rule = rule;
    d.label = label;
    d.subject = subject;
    d.subject_name = s.name;
    d.holder = s.holder;
    d.jurisdiction = s.jurisdiction;
    d.due = due;
    d.status = due < q.as_of ? "overdue" : "due";
    d.detail = detail;
    d.cite = cite;
    out.push_back(std::move(d));
  };

  for (const auto &[id, lc] : lifecycles) {
    std::map<std::string, std::vector<store::RegistryEvent>> by_subject;
    for (auto &e : store.registry_events(lc.id, ""))
      if (e.date <= q.as_of) by_subject[e.subject].push_back(std::move(e));
    // The subjects: every mine for a lifecycle of mines; those with steps otherwise.
    std::vector<std::pair<std::string, Subject>> subjects;
    if (lc.subject == "mine") {
      for (const auto &[uid, s] : mine_subjects)
        subjects.emplace_back(uid, s);
    } else {
      for (const auto &[subject, evs] : by_subject) {
        Subject s;
        s.name = subject;
        for (const auto &e : evs) {
          if (e.data.contains("name") && e.data.at("name").is_string())
            s.name = e.data.at("name").get<std::string>();
          if (e.data.contains("jurisdiction") && e.data.at("jurisdiction").is_string())
            s.jurisdiction = e.data.at("jurisdiction").get<std::string>();
          if (e.data.contains("holder") && e.data.at("holder").is_string())
            s.holder = e.data.at("holder").get<std::string>();
        }
        if (s.jurisdiction.empty() && lc.extra.contains("jurisdiction"))
          s.jurisdiction = lc.extra.at("jurisdiction").get<std::string>();
        subjects.emplace_back(subject, s);
      }
    }
    const int year = parse_date(q.as_of).year;
    for (const auto &[subject, s] : subjects) {
      if (!in_scope(subject, s)) continue;
      auto it = by_subject.find(subject);
      const std::vector<store::RegistryEvent> none;
      const auto &evs = it == by_subject.end() ? none : it->second;
      SubjectState st = replay(lc, subject, evs, s.mine);
      // The year the subject entered a state the annual rules apply in.
      for (const auto &a : lc.annual) {
        if (!contains(a.in_states, st.state)) continue;
        if (a.applies_to.is_object() && s.mine &&
            !contains(a.applies_to.at("status").get<std::vector<std::string>>(), s.mine->status))
          continue;
        if (a.applies_to.is_object() && !s.mine) continue;
        int entered = 0;
        if (!st.from_register || !evs.empty())
          for (const auto &e : evs)
            if (contains(a.in_states, e.to_state) && !contains(a.in_states, e.from_state)) {
              entered = parse_date(e.date).year;
              break;
            }
        for (int due_year : {year - 1, year}) {
          int covered = due_year + a.year_offset;
          if (entered > 0 && covered < entered) continue;
          bool done = false;
          for (const auto &e : evs)
            if (e.event == a.event && e.data.contains(a.year_param) &&
                e.data.at(a.year_param).get<int>() == covered)
              done = true;
          if (done) continue;
          std::string due =
              to_iso(Date{due_year, a.month, std::min(a.day, days_in_month(due_year, a.month))});
          add(lc, a.id, a.label, subject, s, due, std::to_string(covered) + "年度", a.cite);
        }
      }
      for (const auto &p : lc.periodic) {
        if (!contains(p.in_states, st.state)) continue;
        std::string anchor;
        for (const auto &e : evs)
          if (contains(p.anchor_events, e.event)) anchor = e.date;
        if (anchor.empty()) {
          if (!st.from_register) continue;
          // Listed before the register knew: the listing year's end, when known.
          if (!s.mine || !s.mine->green_year) continue;
          anchor = std::to_string(*s.mine->green_year) + "-12-31";
        }
        std::string falls = add_months(anchor, p.every_months);
        std::string apply_by = add_months(falls, -p.ahead_months);
        add(lc, p.id, p.label, subject, s, apply_by, "since " + anchor + "; falls due " + falls,
            p.cite);
      }
      if (!st.deadline.empty()) {
        Citation cite;
        for (const auto &t : lc.transitions)
          if (t.deadline && t.deadline->name == st.deadline_name) cite = t.deadline->cite;
        std::string due = st.deadline;
        // A deadline is always listed while the subject is in its state, however far ahead.
        DueItem item;
        item.registry = lc.id;
        item.rule = st.deadline_name;
        item.label = st.deadline_label + "（" + lc.state_labels.at(st.state) + "）";
        item.subject = subject;
        item.subject_name = s.name;
        item.holder = s.holder;
        item.jurisdiction = s.jurisdiction;
        item.due = due;
        item.status = due < q.as_of ? "overdue" : "due";
        item.detail = "since " + st.since;
        item.cite = cite;
        out.push_back(std::move(item));
      }
    }
    // The closure gate, seen from the register: a mine with a restoration record that the
    // register shows closed (e.g. by a ledger import) without restoration acceptance.
    if (lc.id == store::kClosureGateRegistry)
      for (const auto &[uid, s] : mine_subjects) {
        if (!s.mine || s.mine->status != "closed" || !in_scope(uid, s)) continue;
        auto it = by_subject.find(uid);
        if (it == by_subject.end()) continue;
        bool accepted = false;
        for (const auto &e : it->second)
          if (e.to_state == store::kClosureGateState) accepted = true;
        if (accepted) continue;
        DueItem d;
        d.registry = lc.id;
        d.rule = "closure-acceptance";
        d.label = "已关闭矿山未完成恢复治理验收";
        d.subject = uid;
        d.subject_name = s.name;
        d.holder = s.holder;
        d.jurisdiction = s.jurisdiction;
        d.due = s.mine->version_from;
        d.status = "overdue";
        d.detail = "closed in the register since " + s.mine->version_from;
        out.push_back(std::move(d));
      }
  }
  std::sort(out.begin(), out.end(), [](const DueItem &a, const DueItem &b) {
    if (a.status != b.status) return a.status == "overdue";
    if (a.due != b.due) return a.due < b.due;
    if (a.registry != b.registry) return a.registry < b.registry;
    if (a.subject != b.subject) return a.subject < b.subject;
    return a.rule < b.rule;
  });
  return out;
}

Json to_json(const DueItem &d) {
  return Json{{"registry", d.registry},
              {"rule", d.rule},
              {"label", d.label},
              {"subject", d.subject},
              {"name", d.subject_name},
              {"holder", d.holder},
              {"jurisdiction", d.jurisdiction},
              {"due", d.due},
              {"status", d.status},
              {"detail", d.detail},
              {"cite", mineplan::to_json(d.cite)}};
}

} // namespace mineplan::registry

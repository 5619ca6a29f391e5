// Mineral matching for the review: catalogue names and aliases, and the few group names the
// seeds use as a mineral (砂石, 砂石粘土, 稀有元素, 分散元素, 油气).
#include "review/rules_context.hpp"

namespace mineplan::review::detail {
namespace {

// Group -> members, by canonical catalogue name. The catalogue has no membership field, so
// the groups the seeds actually use as a rule mineral are listed here, each member named by
// the seeds themselves (Dalad's notes: 砂石矿 = 建筑用砂 + 建筑石料用灰岩; Erenhot: 普通建筑用砂
// 石矿 = 建筑用砂, 建筑用花岗岩, 建筑用板岩, 建筑用石). Only what is listed matches: no substring
// guesses (建筑用砂 must not bind 玻璃用砂). Members absent from the store's catalogue are
// dropped at load.
struct Group {
  const char *group;
  std::vector<const char *> members;
};

const std::vector<Group> &groups() {
  static const std::vector<Group> g{
      {"建筑用砂石", {"建筑用砂", "建筑用石料", "建筑用花岗岩", "建筑用板岩", "建筑石料用灰岩"}},
      {"建筑用砂石土",
       {"建筑用砂石", "建筑用砂", "建筑用石料", "建筑用花岗岩", "建筑用板岩", "建筑石料用灰岩",
        "粘土", "砖瓦用粘土"}},
      {"稀有金属", {"锂", "铌", "钽", "锆"}},
      {"稀散元素", {"锗", "镓"}},
      {"油气", {"石油", "天然气"}},
  };
  return g;
}

} // namespace

MineralMatcher::MineralMatcher(const std::vector<Mineral> &catalogue) : catalogue_(catalogue) {
  for (const auto &m : catalogue_) {
    by_name_.emplace(m.name, &m);
    for (const auto &a : m.aliases)
      by_name_.emplace(a, &m);
  }
  for (const auto &g : groups()) {
    if (!by_name_.count(g.group)) continue;
    auto &members = groups_[g.group];
    for (const char *m : g.members)
      if (by_name_.count(m)) members.insert(by_name_.at(m)->name);
  }
}

const Mineral *MineralMatcher::find(const std::string &name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

std::string MineralMatcher::canonical(const std::string &name) const {
  const Mineral *m = find(name);
  return m ? m->name : name;
}

const std::set<std::string> *MineralMatcher::members(const std::string &group) const {
  auto it = groups_.find(canonical(group));
  return it == groups_.end() ? nullptr : &it->second;
}

bool MineralMatcher::matches(const std::string &rule_mineral,
                             const std::string &app_mineral) const {
  const std::string r = canonical(rule_mineral), a = canonical(app_mineral);
  if (r == a) return true;
  // A rule on a group binds its members; an application for a group (e.g. 砂石) is also an
  // application for each member, so a rule on a member binds it too.
  if (auto m = members(r); m && m->count(a)) return true;
  if (auto m = members(a); m && m->count(r)) return true;
  return false;
}

std::string MineralMatcher::first_match(const std::vector<std::string> &rule_minerals,
                                        const std::vector<std::string> &app_minerals) const {
  for (const auto &a : app_minerals)
    for (const auto &r : rule_minerals)
      if (matches(r, a)) return a;
  return {};
}

} // namespace mineplan::review::detail

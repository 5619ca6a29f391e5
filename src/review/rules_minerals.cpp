// Mineral matching for the review: catalogue names and aliases, and the group names the seeds
// use as a mineral (砂石, 砂石粘土, 稀有元素, 分散元素, 油气), whose members are catalogue data.
#include "review/rules_context.hpp"

namespace mineplan::review::detail {

MineralMatcher::MineralMatcher(const std::vector<Mineral> &catalogue) : catalogue_(catalogue) {
  for (const auto &m : catalogue_) {
    by_name_.emplace(m.name, &m);
    for (const auto &a : m.aliases)
      by_name_.emplace(a, &m);
  }
  // Group names the seeds use as a mineral list their members in data/minerals.json (only
  // what is listed matches: no substring guesses, 建筑用砂 must not bind 玻璃用砂).
  for (const auto &m : catalogue_)
    for (const auto &member : m.members)
      if (by_name_.count(member)) groups_[m.name].insert(by_name_.at(member)->name);
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

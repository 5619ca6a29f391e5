#pragma once
// What is due and overdue on a date (mineplan due): the annual obligations (green-mine
// disclosure by 31 March, next year's mining plan in December, reserve reports …), periodic ones
// (the three-yearly green-mine re-review, applied for six months ahead; half-yearly follow-up of
// a rectification), the deadlines of the states subjects are in (rectification), and mines
// closed without restoration acceptance. Everything comes from the lifecycles.
#include "registry/lifecycle.hpp"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace mineplan::registry {

struct DueItem {
  std::string registry;
  std::string rule; // annual / periodic rule id, or the deadline's name
  std::string label;
  std::string subject;
  std::string subject_name;
  std::string holder;
  std::string jurisdiction;
  std::string due;    // ISO date
  std::string status; // overdue | due
  std::string detail;
  Citation cite;
};

struct DueQuery {
  std::string as_of;
  std::string jurisdiction; // a division code and everything below it; empty = all
  std::string holder;       // empty = all
  int within_days = 90;     // how far ahead "due" looks
  // Only these subjects (mine uids, right uids …) when set: a holder's linked rights and mines.
  std::optional<std::set<std::string>> subjects;
};

std::vector<DueItem> compute_due(store::Store &store,
                                 const std::map<std::string, Lifecycle> &lifecycles,
                                 const DueQuery &q);

Json to_json(const DueItem &d);

} // namespace mineplan::registry

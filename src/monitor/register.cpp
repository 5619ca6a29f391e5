#include "monitor/register.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cstdio>

namespace mineplan::monitor {

long days_of(const std::string &d) {
  int y = 0, m = 0, day = 0;
  if (d.size() != 10 || std::sscanf(d.c_str(), "%4d-%2d-%2d", &y, &m, &day) != 3 || m < 1 ||
      m > 12 || day < 1 || day > 31)
    throw Error("not a date YYYY-MM-DD: '" + d + "'");
  // Days from civil (H. Hinnant's algorithm), proleptic Gregorian.
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400;
  const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

namespace {

// A date as a decimal year at the end of its day: 2020-12-31 -> 2021.0, 2021-07-02 -> 2021.5.
double decimal_year(const std::string &d) {
  const long day = days_of(d);
  const int y = std::stoi(d.substr(0, 4));
  const long first = days_of(std::to_string(y).append("-01-01"));
  const long next = days_of(std::to_string(y + 1).append("-01-01"));
  return y + static_cast<double>(day - first + 1) / static_cast<double>(next - first);
}

} // namespace

double years_between(const std::string &from, const std::string &to) {
  return decimal_year(to) - decimal_year(from);
}

Register::Register(store::Store &store, std::vector<Mineral> minerals,
                   std::vector<Division> divisions)
    : store_(store), minerals_(std::move(minerals)), divisions_(std::move(divisions)) {
  for (std::size_t i = 0; i < minerals_.size(); ++i) {
    mineral_by_name_.emplace(minerals_[i].name, i);
    for (const auto &a : minerals_[i].aliases)
      mineral_by_name_.emplace(a, i);
  }
}

Register::Register(store::Store &store) : Register(store, store.minerals(), store.divisions()) {}

const Mineral *Register::mineral(const std::string &name) const {
  auto it = mineral_by_name_.find(name);
  return it == mineral_by_name_.end() ? nullptr : &minerals_[it->second];
}

std::string Register::canonical(const std::string &name) const {
  const Mineral *m = mineral(name);
  return m ? m->name : name;
}

const Division *Register::division(const std::string &code) const {
  for (const auto &d : divisions_)
    if (d.code == code) return &d;
  return nullptr;
}

const std::set<std::string> &Register::scope(const std::string &code) {
  auto it = scopes_.find(code);
  if (it != scopes_.end()) return it->second;
  std::set<std::string> out{code};
  // Divisions list parents before or after children: iterate to a fixed point.
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto &d : divisions_)
      if (!d.parent.empty() && out.count(d.parent) && out.insert(d.code).second) grew = true;
  }
  return scopes_.emplace(code, std::move(out)).first->second;
}

std::set<std::string> Register::expand_minerals(const std::vector<std::string> &names) const {
  std::set<std::string> out;
  std::vector<std::string> pending(names.begin(), names.end());
  while (!pending.empty()) {
    std::string n = canonical(pending.back());
    pending.pop_back();
    if (!out.insert(n).second) continue;
    if (const Mineral *m = mineral(n))
      for (const auto &member : m->members)
        pending.push_back(member);
  }
  return out;
}

Item Register::item_of(const Right &r) const {
  Item i;
  i.uid = r.uid;
  i.name = r.name;
  for (const auto &m : r.minerals)
    i.minerals.push_back(canonical(m));
  i.scale = r.scale;
  if (r.official_area_m2)
    i.area_km2 = *r.official_area_m2 / 1e6;
  else if (r.area && r.area->same_dimension("km2"))
    i.area_km2 = r.area->in("km2");
  i.scale_class = r.scale_class;
  i.status = r.status;
  i.method = r.method;
  i.kind = r.kind;
  i.jurisdiction = r.jurisdiction;
  return i;
}

Item Register::item_of(const Mine &m) const {
  Item i;
  i.uid = m.uid;
  i.name = m.name;
  for (const auto &x : m.minerals)
    i.minerals.push_back(canonical(x));
  i.scale = m.scale;
  i.scale_class = m.scale_class;
  i.status = m.status;
  i.method = m.method;
  i.green_level = m.green_level;
  i.green_year = m.green_year;
  i.jurisdiction = m.jurisdiction;
  return i;
}

const Snapshot &Register::at(const std::string &layer, const std::string &date) {
  std::string key = std::string(layer).append("@").append(date);
  auto it = snapshots_.find(key);
  if (it != snapshots_.end()) return it->second;
  Snapshot s;
  if (layer == "rights") {
    for (const auto &r : store_.rights(store::AsOf{date}))
      s.items.push_back(item_of(r));
  } else if (layer == "mines") {
    for (const auto &m : store_.mines(store::AsOf{date}))
      s.items.push_back(item_of(m));
  } else {
    throw Error("unknown register layer '" + layer + "' (rights | mines)");
  }
  for (std::size_t i = 0; i < s.items.size(); ++i)
    s.by_uid.emplace(s.items[i].uid, i);
  return snapshots_.emplace(key, std::move(s)).first->second;
}

namespace {

bool in_list(const Json &list, const std::string &v) {
  for (const auto &x : list)
    if (x.is_string() && x.get_ref<const std::string &>() == v) return true;
  return false;
}

} // namespace

bool Register::matches(const Json &filter, const Item &item, const std::string &layer) {
  if (filter.is_null()) return true;
  for (const auto &[key, v] : filter.items()) {
    if (key == "minerals" || key == "not_minerals") {
      std::string cache_key = v.dump();
      auto it = expanded_.find(cache_key);
      if (it == expanded_.end())
        it = expanded_.emplace(cache_key, expand_minerals(v.get<std::vector<std::string>>())).first;
      bool any = std::any_of(item.minerals.begin(), item.minerals.end(),
                             [&](const std::string &m) { return it->second.count(m) > 0; });
      if (any != (key == "minerals")) return false;
    } else if (key == "category") {
      bool any = std::any_of(item.minerals.begin(), item.minerals.end(), [&](const auto &m) {
        const Mineral *mm = mineral(m);
        return mm && in_list(v, mm->category);
      });
      if (!any) return false;
    } else if (key == "scale_class") {
      if (!in_list(v, item.scale_class)) return false;
    } else if (key == "status") {
      if (!in_list(v, item.status)) return false;
    } else if (key == "not_status") {
      if (in_list(v, item.status)) return false;
    } else if (key == "method") {
      if (!in_list(v, item.method)) return false;
    } else if (key == "kind") {
      if (!in_list(v, item.kind)) return false;
    } else if (key == "green_level") {
      if (!in_list(v, item.green_level)) return false;
    } else if (key == "green") {
      if (v.get<bool>() == item.green_level.empty()) return false;
    } else if (key == "green_year") {
      if (!item.green_year) return false;
      bool any = false;
      for (const auto &y : v)
        any = any || (y.is_number_integer() && y.get<int>() == *item.green_year);
      if (!any) return false;
    } else if (key == "new_since") {
      if (at(layer, v.get<std::string>()).find(item.uid)) return false;
    } else if (key == "before") {
      const Item *then = at(layer, v.at("date").get<std::string>()).find(item.uid);
      if (!then) return false;
      Json rest = v;
      rest.erase("date");
      if (!matches(rest, *then, layer)) return false;
    } else if (key == "any_of") {
      bool any = false;
      for (const auto &f : v)
        if (matches(f, item, layer)) {
          any = true;
          break;
        }
      if (!any) return false;
    } else {
      throw Error("unknown filter key '" + key + "'");
    }
  }
  return true;
}

std::vector<const Item *> Register::select(const std::string &layer, const Json &filter,
                                           const std::string &jurisdiction,
                                           const std::string &date) {
  const Snapshot &s = at(layer, date);
  const auto &within = scope(jurisdiction);
  std::vector<const Item *> out;
  for (const auto &i : s.items)
    if (within.count(i.jurisdiction) && matches(filter, i, layer)) out.push_back(&i);
  return out;
}

MeasureResult Register::evaluate(const Json &measure, const std::string &unit,
                                 const std::string &jurisdiction, const std::string &date) {
  MeasureResult r;
  const std::string type = measure.value("type", std::string());
  const std::string layer = measure.value("layer", std::string());
  const Json filter = measure.contains("filter") ? measure["filter"] : Json();
  auto chosen = select(layer, filter, jurisdiction, date);
  r.items = static_cast<std::int64_t>(chosen.size());
  if (type == "count") {
    r.value = static_cast<double>(chosen.size());
  } else if (type == "ratio") {
    const Json &num = measure.at("numerator");
    for (const Item *i : chosen)
      if (matches(num, *i, layer)) ++r.numerator;
    if (chosen.empty())
      r.note = "没有符合条件的对象，比例无法计算";
    else
      r.value = 100.0 * static_cast<double>(r.numerator) / static_cast<double>(chosen.size());
  } else if (type == "sum") {
    const std::string field = measure.value("field", std::string());
    double total = 0;
    for (const Item *i : chosen) {
      if (field == "scale") {
        if (i->scale && i->scale->same_dimension(unit))
          total += i->scale->in(unit);
        else
          ++r.missing;
      } else if (field == "area") {
        if (i->area_km2)
          total += Quantity::make(*i->area_km2, "km2").in(unit);
        else
          ++r.missing;
      }
    }
    r.value = total;
    if (r.missing > 0)
      r.note = std::to_string(r.missing)
                   .append(" 个对象缺少")
                   .append(field == "scale" ? "可换算的生产规模" : "面积");
  } else {
    throw Error("measure type '" + type + "' is not computed from the register");
  }
  return r;
}

} // namespace mineplan::monitor

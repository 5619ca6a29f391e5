#pragma once
// The register (rights and mines) as monitoring reads it: one snapshot per layer and date, read
// from the versioned store (Store::rights / Store::mines with AsOf) once and kept, filters of
// indicator definitions (docs/monitoring.md) and the measures built on them. No I/O beyond the
// store reads.
#include "core/model.hpp"
#include "store/store.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace mineplan::monitor {

// A right or a mine, reduced to what filters and measures look at.
struct Item {
  std::string uid;
  std::string name;
  std::vector<std::string> minerals; // catalogue names (aliases resolved)
  std::optional<Quantity> scale;
  std::optional<double> area_km2; // rights: official area, else the area as registered
  std::string scale_class;
  std::string status;
  std::string method;
  std::string kind; // rights: exploration | mining; mines: empty
  std::string green_level;
  std::optional<int> green_year;
  std::string jurisdiction;
};

struct Snapshot {
  std::vector<Item> items;
  std::unordered_map<std::string, std::size_t> by_uid;
  const Item *find(const std::string &uid) const {
    auto it = by_uid.find(uid);
    return it == by_uid.end() ? nullptr : &items[it->second];
  }
};

// What a measure gives: the value (null when it cannot be computed, e.g. a ratio of nothing)
// and the counts behind it.
struct MeasureResult {
  std::optional<double> value;
  std::int64_t items = 0; // items the filter selected (the denominator of a ratio)
  std::int64_t numerator = 0;
  std::int64_t missing = 0; // selected items without the summed quantity
  std::string note;
};

class Register {
public:
  Register(store::Store &store, std::vector<Mineral> minerals, std::vector<Division> divisions);
  // Reads the catalogue's minerals and divisions from the store.
  explicit Register(store::Store &store);

  // Items of `layer` (rights | mines) valid on `date` (ISO; empty = current versions).
  const Snapshot &at(const std::string &layer, const std::string &date);

  // `code` and every division below it.
  const std::set<std::string> &scope(const std::string &code);
  // The division of `code`'s level path: county -> league -> region.
  const Division *division(const std::string &code) const;
  const std::vector<Division> &divisions() const { return divisions_; }

  // Expands mineral names (aliases, group members, recursively) to catalogue names.
  std::set<std::string> expand_minerals(const std::vector<std::string> &names) const;
  const Mineral *mineral(const std::string &name) const;

  // Does `item` (of `layer`, seen on a date) pass `filter`? `filter` null = everything.
  bool matches(const Json &filter, const Item &item, const std::string &layer);

  // A target's measure for `jurisdiction` as of `date`. `unit` is the target's unit (sums are
  // converted to it). Types `count`, `ratio`, `sum`; `zones` needs the zones: see
  // count_zones. Throws mineplan::Error on a measure it does not understand.
  MeasureResult evaluate(const Json &measure, const std::string &unit,
                         const std::string &jurisdiction, const std::string &date);

  // Items of `layer` within `jurisdiction` on `date` passing `filter`.
  std::vector<const Item *> select(const std::string &layer, const Json &filter,
                                   const std::string &jurisdiction, const std::string &date);

  store::Store &store() { return store_; }

private:
  Item item_of(const Right &r) const;
  Item item_of(const Mine &m) const;
  std::string canonical(const std::string &name) const;

  store::Store &store_;
  std::vector<Mineral> minerals_;
  std::vector<Division> divisions_;
  std::map<std::string, std::size_t> mineral_by_name_; // names and aliases -> index
  std::map<std::string, Snapshot> snapshots_;          // "layer@date"
  std::map<std::string, std::set<std::string>> scopes_;
  std::map<std::string, std::set<std::string>> expanded_; // filter cache: joined names
};

// Days since 1970-01-01 of an ISO date; throws mineplan::Error on a malformed date.
long days_of(const std::string &iso_date);
// Years from the end of day `from` to the end of day `to` (each date as a decimal year, so
// 2020-12-31 to 2025-12-31 is exactly 5), negative when `to` is earlier.
double years_between(const std::string &from, const std::string &to);

} // namespace mineplan::monitor

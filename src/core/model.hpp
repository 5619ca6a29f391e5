#pragma once
// The planning domain: divisions, plans, zones, minerals, rules, targets, rights and mines.
// Plain values, no I/O. Free-form seed columns travel as JSON attributes.
#include "core/units.hpp"
#include "core/geometry.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace mineplan {

using Json = nlohmann::ordered_json;

// Where a fact comes from: a seed file and its section (专栏/附表/chapter), with the seed's words.
struct Citation {
  std::string seed;
  std::string section;
  std::string quote;
};

struct Division {
  std::string code; // GB/T 2260
  std::string name;
  std::string level; // region | league | county
  std::string parent;
  std::optional<geo::MultiPolygon> outline; // CGCS2000 lon/lat
};

struct Mineral {
  std::string name;
  std::vector<std::string> aliases;
  std::string category;         // energy | metal | nonmetal | water_gas
  std::string scale_unit;       // the unit production scale is given in
  std::string exploration_risk; // high | low | none
  Citation cite;
  // For a group name the seeds use as a mineral (砂石, 稀有金属, 油气 …): the catalogue names it
  // covers. A rule on the group binds its members, and only those.
  std::vector<std::string> members;
};

struct Plan {
  std::string id;
  std::string title;
  std::string type;  // master | consolidation_program | green_mine_plan
  std::string level; // region | league | county
  std::string jurisdiction;
  std::string parent; // empty at the top
  int base_year = 0;
  int period_start = 0;
  int period_end = 0;
  std::optional<int> outlook_year;
  std::string issued; // ISO date or empty
  std::string in_force_from;
  std::string in_force_to;
  std::string seed;
  std::string notes;
  Citation cite;
};

struct Zone {
  std::string id; // unique within its plan
  std::string plan_id;
  std::string kind;
  std::string code;
  std::string name;
  std::vector<std::string> minerals;
  std::optional<Quantity> area;              // as the seed states it
  std::optional<geo::MultiPolygon> geometry; // CGCS2000 lon/lat
  std::optional<double> official_area_m2;    // planar Gauss-Krüger, computed from the survey
  std::string geometry_source;               // the survey file the geometry came from
  Json attributes = Json::object();
  Citation cite;
};

struct TargetValue {
  std::optional<double> value;
  std::optional<double> min;
  std::optional<double> max;
  std::optional<int> year;
};

struct Target {
  std::string id;
  std::string plan_id;
  std::string name;
  std::string group;
  std::string kind;       // binding | indicative | unspecified
  std::string comparator; // <= | >= | = | range
  std::string unit;
  std::string mineral;
  std::optional<TargetValue> base;
  TargetValue target;
  std::optional<TargetValue> outlook;
  std::vector<TargetValue>
      milestones; // intermediate values the seed sets (e.g. 2023 on the way to 2025)
  Citation cite;
  // How the indicator is computed from the register, or that it takes reported values
  // (docs/monitoring.md); null when the plan data gives no definition.
  Json measure;
};

// A rule keeps its whole typed body: the review engine interprets it by `type`.
struct Rule {
  std::string id;
  std::string plan_id;
  std::string type;
  std::string text;
  Json body = Json::object();
  Citation cite;
};

struct SeedTable {
  std::string id;
  std::string plan_id;
  std::string section;
  std::string title;
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
  std::string notes;
  Citation cite;
  // How the table is reproduced from the register (a cross-tab definition, docs/monitoring.md);
  // null for tables the register cannot produce.
  Json register_def;
};

struct Statistic {
  std::string id;
  std::string plan_id;
  std::string name;
  Quantity value;
  std::string as_of;
  std::string mineral;
  Json dimension = Json::object();
  Citation cite;
};

// A mineral right. Each change is a new version: [version_from, version_to) on the calendar,
// version_to empty for the current one.
struct Right {
  std::string uid; // stable across versions: the licence number, or a generated id
  std::string licence_no;
  std::string kind; // exploration | mining
  std::string name;
  std::string holder;
  std::vector<std::string> minerals;
  std::optional<Quantity> area;
  std::optional<Quantity> scale;
  std::string scale_class; // large | medium | small | below_small
  std::string method;      // open-pit | underground
  std::string status;      // producing | construction | stopped | closed
  std::string valid_from;  // licence validity
  std::string valid_to;
  std::string jurisdiction;
  std::optional<geo::MultiPolygon> geometry; // CGCS2000 lon/lat
  std::optional<double> official_area_m2;
  Json attributes = Json::object();
  std::string source; // seed plan id or imported file
  std::optional<Citation> cite;
  std::string version_from;
  std::string version_to;
};

struct Mine {
  std::string uid;
  std::string name;
  std::string holder;
  std::string licence_no;
  std::vector<std::string> minerals;
  std::optional<Quantity> scale;
  std::string scale_class;
  std::string method;
  std::string status;
  std::string jurisdiction;
  std::string green_level; // national | region | league | empty
  std::optional<int> green_year;
  std::optional<geo::MultiPolygon> geometry;
  Json attributes = Json::object();
  std::string source;
  std::optional<Citation> cite;
  std::string version_from;
  std::string version_to;
};

// Everything one plan folder holds.
struct PlanData {
  Plan plan;
  std::vector<Zone> zones;
  std::vector<Target> targets;
  std::vector<Rule> rules;
  std::vector<SeedTable> tables;
  std::vector<Right> rights;
  std::vector<Mine> mines;
  std::vector<Statistic> statistics;
};

// The whole data/ folder.
struct Catalogue {
  std::vector<Division> divisions;
  std::vector<Mineral> minerals;
  std::vector<PlanData> plans;

  const Mineral *find_mineral(const std::string &name) const {
    for (const auto &m : minerals) {
      if (m.name == name) return &m;
      for (const auto &a : m.aliases)
        if (a == name) return &m;
    }
    return nullptr;
  }
  const Division *find_division(const std::string &code) const {
    for (const auto &d : divisions)
      if (d.code == code) return &d;
    return nullptr;
  }
};

} // namespace mineplan

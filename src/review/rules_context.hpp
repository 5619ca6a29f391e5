#pragma once
// Internals of the review engine: what one review sees (the plan chain, the register, the
// spatial hits of the boundary) and the checks, one function per rule type. docs/review.md
// describes how each rule type is interpreted; the comments here say why.
#include "review/application.hpp"
#include "review/finding.hpp"
#include "review/spatial.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace mineplan::review::detail {

// Overlaps below this are survey noise: coordinates given to 0.01 m along a shared border of
// a few km differ by a few m2 once rounded independently. Below it, features only touch.
inline constexpr double kOverlapToleranceM2 = 1.0;

// Mineral names of the rules matched through the catalogue (names and aliases). Group names
// (砂石, 砂石粘土, 稀有元素 …) match their members as listed in kGroups (rules_minerals.cpp),
// never by substring: a rule on 砂石 binds 建筑用砂, a rule on 建筑用砂 does not bind 玻璃用砂.
class MineralMatcher {
public:
  explicit MineralMatcher(const std::vector<Mineral> &catalogue);
  // Canonical catalogue name, or the name itself when the catalogue does not know it.
  std::string canonical(const std::string &name) const;
  const Mineral *find(const std::string &name) const;
  // Same mineral, or one is a group the other is a member of.
  bool matches(const std::string &rule_mineral, const std::string &app_mineral) const;
  // The first of `app_minerals` some rule mineral matches, or empty.
  std::string first_match(const std::vector<std::string> &rule_minerals,
                          const std::vector<std::string> &app_minerals) const;
  const std::set<std::string> *members(const std::string &group) const;

private:
  std::map<std::string, const Mineral *> by_name_; // names and aliases
  std::vector<Mineral> catalogue_;
  std::map<std::string, std::set<std::string>> groups_; // canonical group -> canonical members
};

// A plan as the engine holds it: the data, its version and its zones by kind.
struct PlanInfo {
  explicit PlanInfo(const PlanData &d) : data(d) {}
  const PlanData &data; // in the engine's source
  std::string version;  // content fingerprint of plan + rules + zones (with geometry) + targets
  // Zones without geometry, by kind: what "cannot verify" names. Zone geometries stay in the
  // source; the spatial index shares them.
  std::map<std::string, std::vector<const Zone *>> unmapped_by_kind;
  std::set<std::string> mapped;       // zone ids with geometry
  std::set<std::string> mapped_kinds; // zone kinds with at least one zone with geometry
  const Zone *zone(const std::string &id) const;
};

// What a finding needs beyond the Finding itself, for stricter-wins.
struct Scored {
  Finding finding;
  std::string point; // what it speaks to ("min_scale|建筑用砂"); empty = not compared
  std::vector<double> strictness; // larger is stricter, compared lexicographically
  int chain_index = 0;            // position of its plan in the chain (0 = nearest)
};

// The register entry of a right, as the checks need it.
struct RightInfo {
  std::string uid;
  std::string licence_no;
  std::string kind;
  std::string holder;
  std::vector<std::string> minerals; // canonical
  std::optional<Quantity> scale;
  std::string status;
  std::string valid_from;
  std::string valid_to;
  std::string jurisdiction;
  bool has_geometry = false;
};

// Everything one review reads. Built per review (thread-safe: nothing shared is written).
struct Context {
  const Application &app;
  const MineralMatcher &minerals;
  const SpatialIndex &index;
  std::vector<const PlanInfo *> chain;
  const std::vector<RightInfo> &rights;
  const std::map<std::string, std::size_t> &right_by_uid;
  // GB/T 2260 code -> the rights whose jurisdiction is that code or lies below it.
  const std::map<std::string, std::vector<std::size_t>> &rights_under;
  // GB/T 2260 code -> parent code (empty at the top).
  const std::map<std::string, std::string> &parent_of;

  // The boundary's hits, queried once per review (empty when there is no boundary).
  std::vector<SpatialHit> zone_hits;
  std::vector<SpatialHit> right_hits;

  bool has_boundary() const { return app.boundary_lonlat.has_value(); }
  bool under(const std::string &code, const std::string &ancestor) const;
  const std::vector<std::size_t> &rights_of(const std::string &code) const;
  // A right that still binds on the application date: not closed, not expired, and not the
  // application's own right (extend/change/convert/transfer name it by licence_no).
  bool live_other_right(const RightInfo &r) const;
  bool is_own_right(const RightInfo &r) const;
  const RightInfo *right(const std::string &uid) const;
};

// Kind and action match (`activity` exploration|mining|both).
bool activity_matches(const Json &body, const Application &app);
bool action_listed(const Json &body, const Application &app);
// Actions that set a new right (a conversion sets a new mining right).
bool sets_new_right(const Application &app);
std::vector<std::string> string_list(const Json &j, const char *key);
std::string text_field(const Json &j, const char *key);
Finding base_finding(const PlanInfo &plan, const Rule &rule);
Json quantity_json(const Quantity &q);
double round2(double x);

// One function per rule type; each appends zero or more findings (none when the rule does not
// bear on this application: another activity, another mineral).
void check_mineral_policy(const Context &c, const PlanInfo &p, const Rule &r,
                          std::vector<Scored> &out);
void check_min_scale(const Context &c, const PlanInfo &p, const Rule &r, std::vector<Scored> &out);
void check_timing(const Context &c, const PlanInfo &p, const Rule &r, std::vector<Scored> &out);
void check_quota(const Context &c, const PlanInfo &p, const Rule &r, std::vector<Scored> &out);
void check_access_condition(const Context &c, const PlanInfo &p, const Rule &r,
                            std::vector<Scored> &out);
void check_provision(const Context &c, const PlanInfo &p, const Rule &r, std::vector<Scored> &out);
void check_zone_control(const Context &c, const PlanInfo &p, const Rule &r,
                        std::vector<Scored> &out);
// Built-in checks that no single rule carries.
void check_overlap(const Context &c, std::vector<Scored> &out);
void check_register(const Context &c, std::vector<Scored> &out);
void check_boundary(const Context &c, std::vector<Scored> &out);

// Spatial helpers shared by the checks.
struct ZoneScope {
  std::vector<const SpatialHit *> hits;      // zones of the kinds hit by the boundary
  std::vector<std::string> missing_geometry; // "<plan>/<zone>" of the chain without geometry
  bool any_geometry = false;                 // some plan of the chain maps a zone of these kinds
};
// Zones of `kinds` the boundary meets (from any plan: a zone is a place), and which zones
// could not be checked: those without geometry of the rule's plan `p` and of the plans nearer
// than it in the chain (a county plan draws the zones the regional plan speaks of; a broader
// plan's unmapped zones, e.g. another league's demonstration zone, do not make every county's
// review unverifiable). With no zone of these kinds mapped by any plan of the chain, nothing
// can be verified either: zones surveyed for another county say nothing about this one.
// `mineral_filter`: only zones whose minerals (when they list any) match the application's.
ZoneScope zone_scope(const Context &c, const PlanInfo &p, const std::vector<std::string> &kinds,
                     bool mineral_filter);
bool zone_minerals_match(const Context &c, const std::vector<std::string> &zone_minerals);

// The overlaps above tolerance among `hits`: their total (m2) and ids, which are also named
// in the finding's features.
struct OverlapSum {
  double m2 = 0;
  Json ids = Json::array();
};
inline OverlapSum sum_overlaps(const std::vector<const SpatialHit *> &hits, Finding &f) {
  OverlapSum sum;
  for (const SpatialHit *h : hits)
    if (h->overlap_m2 > kOverlapToleranceM2) {
      sum.m2 += h->overlap_m2;
      sum.ids.push_back(h->feature->id);
      f.features.push_back(h->feature->id);
    }
  return sum;
}

} // namespace mineplan::review::detail

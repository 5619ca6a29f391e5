#pragma once
// An application for a mineral right, as submitted for plan-conformance review (规划审查).
// The same JSON is accepted by the CLI and, later, by the server API (docs/review.md).
#include "core/model.hpp"
#include "geo/crs.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace mineplan::review {

struct Application {
  std::string kind;         // exploration | mining
  std::string action;       // new | extend | change | convert | transfer
  std::string jurisdiction; // GB/T 2260 county (or league/region) code
  std::string date;         // ISO date the application is judged at
  std::string applicant_name;
  std::string applicant_type; // company | individual | government | other
  std::string licence_no;     // the existing right, for extend/change/convert/transfer
  std::vector<std::string> minerals;
  std::optional<Quantity> scale; // production scale (mining) with its unit
  std::string method;            // open-pit | underground | empty
  std::optional<double> service_years;
  bool temporary = false; // borrow pit / temporary quarry for a major project
  struct Change {
    bool area = false, method = false, scale = false, mineral = false;
  } change;
  // Access conditions the applicant declares as met (green_mine_standard, restoration_plan,
  // restoration_fund, reclamation_plan, eia, safety, recovery_rates, development_plan …).
  std::vector<std::string> conditions_met;

  // The boundary: CGCS2000 lon/lat for display and lookup, and the official planar form
  // (Gauss-Krüger metres) in which overlaps are measured.
  std::optional<geo::MultiPolygon> boundary_lonlat;
  std::optional<geo::MultiPolygon> boundary_planar;
  std::optional<geo::Crs> planar_crs;
  std::string boundary_source; // file name, or "geojson"
  std::vector<std::string> boundary_warnings;

  Json raw; // the application as submitted, for the record and the input hash
};

// How an action is written in Chinese documents: 新立, 延续, 变更, 探矿权转采矿权, 转让.
const char *action_chinese(const std::string &action);

// Parses and validates an application. Relative boundary paths resolve against `base_dir`.
// Throws InputError naming the JSON path and what was expected (unknown mineral, a unit that
// does not fit the mineral, a date, a broken boundary file …).
Application parse_application(const Json &j, const std::filesystem::path &base_dir,
                              const std::vector<Mineral> &minerals);
Application read_application(const std::filesystem::path &file,
                             const std::vector<Mineral> &minerals);

// The same, naming `source` (file name) in errors and also checking the jurisdiction against
// the store's divisions ("unknown jurisdiction" is an InputError like an unknown mineral).
Application parse_application(const Json &j, const std::filesystem::path &base_dir,
                              const std::vector<Mineral> &minerals, const std::string &source);
Application parse_application(const Json &j, const std::filesystem::path &base_dir,
                              const std::vector<Mineral> &minerals,
                              const std::vector<Division> &divisions,
                              const std::string &source = "application");
Application read_application(const std::filesystem::path &file,
                             const std::vector<Mineral> &minerals,
                             const std::vector<Division> &divisions);

// Hash of an application's canonical JSON (keys sorted): what the review record keys on.
std::string input_hash(const Json &raw);

} // namespace mineplan::review

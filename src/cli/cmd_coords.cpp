// mineplan coords FILE [--json]: reads a surveyors' coordinate file and reports, per parcel,
// the CRS, the official planar area (and the ellipsoidal one), the declared area and the unit
// it matches, the centroid in CGCS2000 lon/lat and every problem found. The JSON form is
// documented in docs/coordinates.md; exit 0 = no error-severity problem, 1 = some, 2 = the file
// could not be read at all.
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"
#include "geo/area.hpp"
#include "geo/coordfile.hpp"
#include "geo/proj.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <optional>

namespace mineplan::cli {
namespace {

using geo::CoordinateFile;
using geo::CoordinateParcel;
using geo::Problem;
using Json = nlohmann::ordered_json;

// What the command derives per parcel beyond what the reader gives.
struct ParcelReport {
  double planar_m2 = 0;
  std::optional<double> ellipsoidal_m2;
  std::optional<geo::Point> centroid_lonlat; // CGCS2000
  std::size_t points = 0, rings = 0, holes = 0;
};

// The area as a plan states it. Projected files carry their precision in metres; a
// geographic file's official area comes from reprojection, so only the rounding applies.
geo::ReportedArea reported(const geo::CoordinateFile &file, const geo::CoordinateParcel &p,
                           const ParcelReport &r) {
  if (file.crs.zone_width != 0) return geo::reported_area(p.geometry, file.precision);
  geo::ReportedArea rep;
  rep.km2 = geo::round_gbt8170(r.planar_m2 / geo::kM2PerKm2, 0, rep.decimals);
  return rep;
}

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

Json problem_json(const Problem &p) {
  return Json{{"severity", geo::severity_id(p.severity)},
              {"code", p.code},
              {"line", p.line},
              {"message", p.message}};
}

Json key_values_json(const std::vector<geo::KeyValue> &kvs) {
  Json a = Json::array();
  for (const auto &kv : kvs)
    a.push_back(Json{{"key", kv.key}, {"value", kv.value}, {"line", kv.line}});
  return a;
}

} // namespace

int cmd_coords(const Args &args) {
  Options opt(args, "mineplan coords FILE [--json]", {"json"});
  const std::string path = opt.positional(0, "FILE");
  opt.expect_positionals(1);
  const bool json = opt.flag("json");

  CoordinateFile file;
  try {
    file = geo::read_coordinate_file(path);
  } catch (const InputError &e) {
    std::fprintf(stderr, "mineplan coords: %s\n", e.what());
    return 2;
  }

  // Extra, command-level problems (datum shift honesty, transformation failures).
  std::vector<Problem> extra;
  const bool placeable = file.crs.known();
  std::optional<geo::Transformer> to_lonlat_same_datum, to_cgcs2000;
  if (placeable) {
    try {
      to_lonlat_same_datum.emplace(file.crs, geo::Crs::geographic(file.crs.datum));
      // The Helmert is only meaningful for a datum change.
      std::optional<geo::Helmert7> h =
          file.crs.datum == geo::Datum::CGCS2000 ? std::nullopt : file.helmert;
      to_cgcs2000.emplace(file.crs, geo::Crs::geographic(geo::Datum::CGCS2000), h);
      if (to_cgcs2000->ballpark())
        extra.push_back(
            Problem{geo::Severity::Warning, "datum-ballpark", 0, geo::kBallparkWarning, -1});
    } catch (const Error &e) {
      extra.push_back(Problem{
          geo::Severity::Warning, "transform-failed", 0,
          std::string("无法建立坐标转换 / cannot set up the transformation: ") + e.what(), -1});
      to_lonlat_same_datum.reset();
      to_cgcs2000.reset();
    }
  }

  std::vector<ParcelReport> reports;
  for (const auto &p : file.parcels) {
    ParcelReport r;
    for (const auto &poly : p.geometry) {
      r.rings += 1 + poly.holes.size();
      r.holes += poly.holes.size();
      r.points += poly.outer.size() - 1;
      for (const auto &h : poly.holes)
        r.points += h.size() - 1;
    }
    try {
      if (file.crs.geographic()) {
        r.planar_m2 = geo::official_area_m2(p.geometry, file.crs.datum);
        r.ellipsoidal_m2 = geo::ellipsoidal_area_m2(p.geometry, file.crs.datum);
      } else {
        r.planar_m2 = geo::planar_area_m2(p.geometry);
        if (to_lonlat_same_datum) {
          // The ellipsoidal area on the file's own ellipsoid: a projection inverse, no datum
          // shift involved, so exact whatever the datum.
          geo::MultiPolygon ll = p.geometry;
          for (auto &poly : ll) {
            to_lonlat_same_datum->apply(poly.outer);
            for (auto &h : poly.holes)
              to_lonlat_same_datum->apply(h);
          }
          r.ellipsoidal_m2 = geo::ellipsoidal_area_m2(ll, file.crs.datum);
        }
      }
      if (to_cgcs2000) r.centroid_lonlat = to_cgcs2000->apply(geo::planar_centroid(p.geometry));
    } catch (const Error &e) {
      extra.push_back(Problem{geo::Severity::Warning, "transform-failed", p.first_line,
                              "地块 " + p.number + "：" + e.what(), p.index});
    }
    reports.push_back(r);
  }

  std::vector<Problem> all = file.problems;
  all.insert(all.end(), extra.begin(), extra.end());
  std::size_t errors = 0, warnings = 0, infos = 0;
  for (const auto &p : all)
    (p.severity == geo::Severity::Error     ? errors
     : p.severity == geo::Severity::Warning ? warnings
                                            : infos)++;
  const int exit_code = errors ? 1 : 0;
  const std::string datum_shift = file.crs.datum == geo::Datum::CGCS2000 ? "none"
                                  : !to_cgcs2000                         ? "unavailable"
                                  : to_cgcs2000->ballpark()              ? "ballpark"
                                                                         : "helmert";

  if (json) {
    Json out;
    out["source"] = file.source;
    out["encoding"] = file.encoding;
    out["layout"] = file.layout;
    out["crs"] = Json{{"name", file.crs.name()},
                      {"epsg", file.crs.epsg() ? Json(file.crs.epsg()) : Json(nullptr)},
                      {"datum", geo::datum_id(file.crs.datum)},
                      {"zone_width", file.crs.zone_width},
                      {"zone", file.crs.zone ? Json(file.crs.zone) : Json(nullptr)},
                      {"zone_prefixed", file.crs.zone_prefixed}};
    if (file.helmert) {
      const auto &h = *file.helmert;
      out["helmert"] = Json{{"dx_m", h[0]},      {"dy_m", h[1]},
                            {"dz_m", h[2]},      {"rx_arcsec", h[3]},
                            {"ry_arcsec", h[4]}, {"rz_arcsec", h[5]},
                            {"scale_ppm", h[6]}, {"convention", "position_vector"}};
    } else {
      out["helmert"] = nullptr;
    }
    out["datum_shift"] = datum_shift;
    out["precision"] = file.precision;
    out["attributes"] = key_values_json(file.attributes);
    out["project_info"] = key_values_json(file.project_info);
    Json parcels = Json::array();
    for (std::size_t i = 0; i < file.parcels.size(); ++i) {
      const CoordinateParcel &p = file.parcels[i];
      const ParcelReport &r = reports[i];
      Json j;
      j["index"] = p.index;
      j["number"] = p.number;
      j["name"] = p.name;
      j["shape"] = p.shape;
      j["first_line"] = p.first_line;
      j["points"] = r.points;
      j["rings"] = r.rings;
      j["parts"] = p.geometry.size();
      j["holes"] = r.holes;
      j["xy_swapped"] = p.xy_swapped;
      const geo::ReportedArea rep = reported(file, p, r);
      j["area"] =
          Json{{"reported_km2", rep.km2},
               {"reported_decimals", rep.decimals},
               {"uncertainty_km2", rep.uncertainty_km2},
               {"planar_m2", r.planar_m2},
               {"planar_km2", r.planar_m2 / geo::kM2PerKm2},
               {"planar_ha", r.planar_m2 / geo::kM2PerHa},
               {"planar_mu", r.planar_m2 / geo::kM2PerMu},
               {"ellipsoidal_m2", r.ellipsoidal_m2 ? Json(*r.ellipsoidal_m2) : Json(nullptr)}};
      j["declared"] = Json{
          {"area", p.declared_area ? Json(*p.declared_area) : Json(nullptr)},
          {"unit", p.declared_area_unit.empty() ? Json(nullptr) : Json(p.declared_area_unit)},
          {"match", p.declared_area_match.empty() ? Json(nullptr) : Json(p.declared_area_match)},
          {"points", p.declared_points ? Json(*p.declared_points) : Json(nullptr)}};
      j["centroid_cgcs2000"] =
          r.centroid_lonlat ? Json{{"lon", r.centroid_lonlat->x}, {"lat", r.centroid_lonlat->y}}
                            : Json(nullptr);
      j["elevations"] = p.elevations
                            ? Json{{"top", p.elevations->top}, {"bottom", p.elevations->bottom}}
                            : Json(nullptr);
      Json probs = Json::array();
      for (const auto &pr : all)
        if (pr.parcel == p.index) probs.push_back(problem_json(pr));
      j["problems"] = probs;
      parcels.push_back(j);
    }
    out["parcels"] = parcels;
    Json file_probs = Json::array();
    for (const auto &pr : all)
      if (pr.parcel < 0) file_probs.push_back(problem_json(pr));
    out["problems"] = file_probs;
    out["summary"] = Json{{"parcels", file.parcels.size()},
                          {"errors", errors},
                          {"warnings", warnings},
                          {"infos", infos}};
    out["exit_code"] = exit_code;
    std::cout << out.dump(2) << "\n";
    return exit_code;
  }

  auto print_problem = [](const Problem &p) {
    std::cout << "    [" << geo::severity_id(p.severity) << "] ";
    if (p.line) std::cout << "第 " << p.line << " 行 line " << p.line << " ";
    std::cout << p.code << ": " << p.message << "\n";
  };
  std::cout << "文件 file: " << file.source << " (" << file.encoding << ", " << file.layout
            << ")\n";
  std::cout << "坐标系 CRS: " << file.crs.name();
  if (file.crs.epsg()) std::cout << " (EPSG:" << file.crs.epsg() << ")";
  std::cout << "\n";
  std::cout << "转换参数 datum shift to CGCS2000: " << datum_shift << "\n";
  for (std::size_t i = 0; i < file.parcels.size(); ++i) {
    const CoordinateParcel &p = file.parcels[i];
    const ParcelReport &r = reports[i];
    std::cout << "\n地块 parcel " << p.number << " " << p.name << " (" << p.shape << ", 第 "
              << p.first_line << " 行)\n";
    std::cout << "  点数 points: " << r.points << ", 圈数 rings: " << r.rings << " ("
              << p.geometry.size() << " 部分 parts, " << r.holes << " 孔 holes)"
              << (p.xy_swapped ? ", X/Y 已互换 swapped" : "") << "\n";
    std::cout << "  平面面积 planar area: " << fixed(r.planar_m2, 2)
              << " m2 = " << fixed(r.planar_m2 / geo::kM2PerKm2, 6)
              << " km2 = " << fixed(r.planar_m2 / geo::kM2PerHa, 4)
              << " 公顷 ha = " << fixed(r.planar_m2 / geo::kM2PerMu, 2) << " 亩 mu\n";
    const geo::ReportedArea rep = reported(file, p, r);
    std::cout << "  面积 area (official, GB/T 8170): " << fixed(rep.km2, rep.decimals) << " km2  (±"
              << fixed(rep.uncertainty_km2, 4) << " km2 from 精度 " << file.precision << " m)\n";
    if (r.ellipsoidal_m2)
      std::cout << "  椭球面积 ellipsoidal area: " << fixed(*r.ellipsoidal_m2, 2)
                << " m2 = " << fixed(*r.ellipsoidal_m2 / geo::kM2PerKm2, 6) << " km2\n";
    if (p.declared_area) {
      std::cout << "  声明面积 declared area: "
                << fixed(*p.declared_area, p.declared_area_decimals);
      if (!p.declared_area_unit.empty())
        std::cout << " " << p.declared_area_unit << " (" << p.declared_area_match << ")";
      else
        std::cout << " (与任何单位都不符 matches no unit)";
      std::cout << "\n";
    }
    if (p.elevations)
      std::cout << "  标高 elevations: " << fixed(p.elevations->top, 2) << " m 至 "
                << fixed(p.elevations->bottom, 2) << " m\n";
    if (r.centroid_lonlat)
      std::cout << "  中心点 centroid (CGCS2000): " << fixed(r.centroid_lonlat->x, 7) << "°E "
                << fixed(r.centroid_lonlat->y, 7) << "°N\n";
    bool header = false;
    for (const auto &pr : all)
      if (pr.parcel == p.index) {
        if (!header) std::cout << "  问题 problems:\n";
        header = true;
        print_problem(pr);
      }
  }
  bool header = false;
  for (const auto &pr : all)
    if (pr.parcel < 0) {
      if (!header) std::cout << "\n文件问题 file problems:\n";
      header = true;
      print_problem(pr);
    }
  std::cout << "\n结果 result: " << file.parcels.size() << " 个地块 parcels, " << errors
            << " 错误 errors, " << warnings << " 警告 warnings, " << infos << " 提示 infos\n";
  return exit_code;
}

MINEPLAN_COMMAND("coords", cmd_coords, "mineplan coords FILE [--json]",
                 "read a coordinate file: parcels, CRS, planar and ellipsoidal areas, problems");

} // namespace mineplan::cli

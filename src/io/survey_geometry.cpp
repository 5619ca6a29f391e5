#include "io/survey_geometry.hpp"

#include "core/error.hpp"
#include "geo/area.hpp"
#include "geo/coordfile.hpp"
#include "geo/proj.hpp"

namespace mineplan::io {
namespace {

geo::Ring ring_of(const Json &coords) {
  if (!coords.is_array()) throw Error("GeoJSON ring: expected an array of positions");
  geo::Ring r;
  r.reserve(coords.size());
  for (const auto &pos : coords) {
    if (!pos.is_array() || pos.size() < 2 || !pos[0].is_number() || !pos[1].is_number())
      throw Error("GeoJSON ring: expected [x, y] positions");
    r.push_back({pos[0].get<double>(), pos[1].get<double>()});
  }
  if (r.size() < 4) throw Error("GeoJSON ring: fewer than 4 positions");
  if (!(r.front() == r.back())) r.push_back(r.front());
  return r;
}

geo::Polygon polygon_of(const Json &rings) {
  if (!rings.is_array() || rings.empty()) throw Error("GeoJSON polygon: expected rings");
  geo::Polygon p;
  p.outer = ring_of(rings[0]);
  for (std::size_t i = 1; i < rings.size(); ++i)
    p.holes.push_back(ring_of(rings[i]));
  return p;
}

} // namespace

void attach_survey_geometry(Zone &zone, const std::filesystem::path &file) {
  geo::CoordinateFile cf = geo::read_coordinate_file(file);
  if (cf.has_errors()) {
    std::string msg = file.string() + ": the survey has errors:";
    for (const auto &p : cf.problems)
      if (p.severity == geo::Severity::Error)
        msg += "\n  line " + std::to_string(p.line) + ": " + p.message;
    throw Error(msg);
  }
  if (cf.parcels.empty()) throw Error(file.string() + ": no parcels");
  geo::MultiPolygon planar;
  for (const auto &parcel : cf.parcels)
    planar.insert(planar.end(), parcel.geometry.begin(), parcel.geometry.end());
  // The official area is the planar Gauss-Krüger area of the surveyed coordinates themselves.
  zone.official_area_m2 = geo::planar_area_m2(planar);
  auto lonlat = geo::to_cgcs2000_lonlat(planar, cf.crs, cf.helmert);
  zone.geometry = std::move(lonlat.geometry);
  zone.geometry_source = file.filename().string() + " (" + cf.crs.name() +
                         ", EPSG:" + std::to_string(cf.crs.epsg()) +
                         (lonlat.ballpark ? "; " + std::string(geo::kBallparkWarning) : "") + ")";
}

geo::MultiPolygon geojson_multipolygon(const Json &g) {
  if (!g.is_object() || !g.contains("type") || !g.contains("coordinates"))
    throw Error("expected a GeoJSON geometry with type and coordinates");
  std::string type = g["type"].get<std::string>();
  const Json &c = g["coordinates"];
  if (type == "Polygon") return {polygon_of(c)};
  if (type == "MultiPolygon") {
    geo::MultiPolygon mp;
    for (const auto &p : c)
      mp.push_back(polygon_of(p));
    return mp;
  }
  throw Error("expected a Polygon or MultiPolygon, found " + type);
}

} // namespace mineplan::io

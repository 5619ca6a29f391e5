#include "io/survey_geometry.hpp"

#include "core/error.hpp"

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
  for (std::size_t i = 1; i < rings.size(); ++i) p.holes.push_back(ring_of(rings[i]));
  return p;
}

} // namespace

geo::MultiPolygon geojson_multipolygon(const Json &g) {
  if (!g.is_object() || !g.contains("type") || !g.contains("coordinates"))
    throw Error("expected a GeoJSON geometry with type and coordinates");
  std::string type = g["type"].get<std::string>();
  const Json &c = g["coordinates"];
  if (type == "Polygon") return {polygon_of(c)};
  if (type == "MultiPolygon") {
    geo::MultiPolygon mp;
    for (const auto &p : c) mp.push_back(polygon_of(p));
    return mp;
  }
  throw Error("expected a Polygon or MultiPolygon, found " + type);
}

} // namespace mineplan::io

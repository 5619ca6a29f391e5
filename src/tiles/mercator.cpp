#include "tiles/mercator.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace mineplan::tiles {

bool valid(const TileId &t) {
  if (t.z < 0 || t.z > kMaxZoom) return false;
  const std::int64_t n = std::int64_t{1} << t.z;
  return t.x >= 0 && t.x < n && t.y >= 0 && t.y < n;
}

geo::Point lonlat_to_world(double lon, double lat) {
  constexpr double pi = std::numbers::pi;
  lon = std::clamp(lon, -180.0, 180.0);
  lat = std::clamp(lat, -kMaxLatitude, kMaxLatitude);
  const double s = std::sin(lat * pi / 180);
  return {(lon + 180) / 360, 0.5 - std::log((1 + s) / (1 - s)) / (4 * pi)};
}

geo::Point world_to_lonlat(double x, double y) {
  constexpr double pi = std::numbers::pi;
  return {x * 360 - 180, std::atan(std::sinh(pi * (1 - 2 * y))) * 180 / pi};
}

geo::Envelope tile_world_bounds(const TileId &t, double buffer_units, double extent) {
  const double size = std::ldexp(1.0, -t.z);
  const double b = buffer_units / extent * size;
  geo::Envelope e;
  e.min_x = static_cast<double>(t.x) * size - b;
  e.min_y = static_cast<double>(t.y) * size - b;
  e.max_x = static_cast<double>(t.x + 1) * size + b;
  e.max_y = static_cast<double>(t.y + 1) * size + b;
  return e;
}

} // namespace mineplan::tiles

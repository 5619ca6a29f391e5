#pragma once
// Web Mercator (EPSG:3857) in "world" units: the whole square map is [0, 1] x [0, 1], x grows
// east from 180°W, y grows south from 85.0511°N. Tile (z, x, y) covers
// [x / 2^z, (x + 1) / 2^z] x [y / 2^z, (y + 1) / 2^z].
#include "core/geometry.hpp"
#include "tiles/layer_tiles.hpp"

namespace mineplan::tiles {

// The latitude at which the Web Mercator square ends (atan(sinh(pi)) in degrees).
constexpr double kMaxLatitude = 85.0511287798066;

// Longitude is clamped to [-180, 180], latitude to [-kMaxLatitude, kMaxLatitude].
geo::Point lonlat_to_world(double lon, double lat);
geo::Point world_to_lonlat(double x, double y);

// The tile's square in world units, grown by `buffer_units` of an `extent`-unit tile on every
// side.
geo::Envelope tile_world_bounds(const TileId &t, double buffer_units = 0, double extent = 4096);

} // namespace mineplan::tiles

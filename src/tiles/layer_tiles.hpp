#pragma once
// Mapbox Vector Tiles (MVT 2.1) of one layer of polygons, cut on demand for any XYZ tile of the
// Web Mercator pyramid. The engine side of the one-map: no I/O, no HTTP; the server asks for
// bytes. CGCS2000 lon/lat is taken as WGS 84 for display (they differ by centimetres).
#include "core/geometry.hpp"
#include "core/shared_geometry.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace mineplan::tiles {

// An XYZ tile: x grows east, y grows south, 0 <= x, y < 2^z.
struct TileId {
  int z = 0;
  std::int64_t x = 0;
  std::int64_t y = 0;
};

constexpr int kMaxZoom = 22;
bool valid(const TileId &t);

using Value = std::variant<std::string, std::int64_t, double, bool>;
using Properties = std::vector<std::pair<std::string, Value>>;

struct SourceFeature {
  std::uint64_t id = 0;
  // CGCS2000 lon/lat, closed rings; shared with the read model's record (not copied) and
  // released once projected.
  geo::SharedGeometry lonlat;
  Properties properties;
  int min_zoom = 0; // not drawn below this zoom
};

struct TileOptions {
  std::uint32_t extent = 4096; // tile units per side
  std::uint32_t buffer = 64;   // tile units drawn beyond each edge so strokes join
  // Geometry is simplified per zoom to this tolerance in tile units (Douglas-Peucker in the
  // tile's integer grid) and rings that collapse below one unit are dropped.
  double simplify_tolerance = 1.0;
};

class LayerTiles {
public:
  LayerTiles(std::string name, std::vector<SourceFeature> features, TileOptions options = {});
  ~LayerTiles();
  LayerTiles(LayerTiles &&) noexcept;
  LayerTiles &operator=(LayerTiles &&) noexcept;

  const std::string &name() const;
  std::size_t feature_count() const;

  // The encoded tile (one `Layer` message inside a `Tile`), or an empty string when no feature
  // touches the tile. Safe to call from many threads at once. Several layers' tiles concatenate
  // into one valid tile (protobuf repeated fields).
  std::string tile(const TileId &t) const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace mineplan::tiles

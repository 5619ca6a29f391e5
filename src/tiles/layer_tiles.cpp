// LayerTiles: the constructor projects every ring to Web Mercator once, orients it, computes
// its Douglas-Peucker importances once and from them a simplified, grid-snapped, cleaned copy
// for each zoom 0..14, and packs an R-tree of feature envelopes. tile() then only selects,
// translates, clips and encodes.
//
// Memory: a level's copy of a ring is stored only when it is small (at most half of the
// ring's vertices); where simplification keeps more than that (rings large on screen at that
// zoom, i.e. few of them per tile), the level keeps only the ring's box and tile() redoes the
// same filter-and-snap from the full ring and its importances. Both paths run the same
// function, so the bytes do not depend on which one was taken.
#include "tiles/layer_tiles.hpp"

#include "core/error.hpp"
#include "tiles/clip.hpp"
#include "tiles/mercator.hpp"
#include "tiles/protobuf.hpp"
#include "tiles/pyramid.hpp"
#include "tiles/rtree.hpp"
#include "tiles/simplify.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>
#include <unordered_map>

namespace mineplan::tiles {

int simplified_max_zoom(std::uint32_t extent) {
  int z = kSimplifiedMaxZoom;
  while (z >= 0 && (static_cast<std::uint64_t>(extent) << z) > (std::uint64_t{1} << 29))
    --z;
  return z;
}

namespace {

constexpr std::uint32_t kMaxExtent = 1u << 20;
constexpr std::uint32_t kMaxBuffer = 1u << 20;

// MVT field numbers and commands (vector_tile.proto, spec 2.1).
constexpr std::uint32_t kTileLayers = 3;
constexpr std::uint32_t kLayerName = 1, kLayerFeatures = 2, kLayerKeys = 3, kLayerValues = 4,
                        kLayerExtent = 5, kLayerVersion = 15;
constexpr std::uint32_t kFeatureId = 1, kFeatureTags = 2, kFeatureType = 3, kFeatureGeometry = 4;
constexpr std::uint32_t kPolygon = 3;
constexpr std::uint32_t kMoveTo = 1, kLineTo = 2, kClosePath = 7;

std::uint32_t command(std::uint32_t id, std::size_t count) {
  return (id & 0x7) | (static_cast<std::uint32_t>(count) << 3);
}

std::string encode_value(const Value &v) {
  std::string s;
  std::visit(
      [&s](const auto &x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::string>)
          pb::put_bytes_field(s, 1, x);
        else if constexpr (std::is_same_v<T, double>)
          pb::put_double_field(s, 3, x);
        else if constexpr (std::is_same_v<T, bool>)
          pb::put_varint_field(s, 7, x ? 1 : 0);
        else if (x >= 0)
          pb::put_varint_field(s, 4, static_cast<std::uint64_t>(x)); // int_value
        else
          pb::put_varint_field(s, 6, pb::zigzag64(x)); // sint_value
      },
      v);
  return s;
}

constexpr std::uint32_t kNotStored = std::numeric_limits<std::uint32_t>::max();
// A level's copy is stored when it keeps at most 1 / kStoreRatio of the ring's vertices.
constexpr std::size_t kStoreRatio = 2;

// A ring of one simplified zoom level: `count` points from `begin` in Level::xy, snapped to
// that zoom's world grid (extent * 2^z units across), open, clean and oriented; or, when
// `full` is not kNotStored, only its box, the points to be made from full_rings[full].
struct LevelRing {
  std::uint32_t begin = 0;
  std::uint32_t count = 0;
  std::uint32_t full = kNotStored;
  std::int32_t min_x = 0, min_y = 0, max_x = 0, max_y = 0;
  bool exterior = true;
};

struct Level {
  std::vector<std::int32_t> xy;                // x0, y0, x1, y1, …
  std::vector<LevelRing> rings;                // exterior, its holes, next exterior, …
  std::vector<std::uint32_t> feature_rings{0}; // feature i: rings [f[i], f[i + 1])
};

// A ring at full resolution in world units, open and oriented; its points and their
// Douglas-Peucker importances start at `begin` in full_xy and full_importance.
struct FullRing {
  std::size_t begin = 0;
  std::uint32_t count = 0;
  bool exterior = true;
  geo::Envelope box;
};

// Per-thread working space of tile(): no state is shared between threads, and a thread
// reuses its buffers from one tile to the next.
struct Scratch {
  std::vector<std::uint32_t> candidates;
  IRing ring, clipped, spare;
  std::vector<std::uint32_t> geometry, tags;
  std::string feature;
  std::vector<std::uint32_t> key_stamp, key_local, value_stamp, value_local;
  std::vector<std::uint32_t> used_keys, used_values;
  std::uint32_t stamp = 0;

  void start(std::size_t keys, std::size_t values) {
    if (++stamp == 0) {
      std::fill(key_stamp.begin(), key_stamp.end(), 0);
      std::fill(value_stamp.begin(), value_stamp.end(), 0);
      stamp = 1;
    }
    if (key_stamp.size() < keys) {
      key_stamp.resize(keys, 0);
      key_local.resize(keys, 0);
    }
    if (value_stamp.size() < values) {
      value_stamp.resize(values, 0);
      value_local.resize(values, 0);
    }
    used_keys.clear();
    used_values.clear();
  }
  std::uint32_t local_key(std::uint32_t g) {
    if (key_stamp[g] != stamp) {
      key_stamp[g] = stamp;
      key_local[g] = static_cast<std::uint32_t>(used_keys.size());
      used_keys.push_back(g);
    }
    return key_local[g];
  }
  std::uint32_t local_value(std::uint32_t g) {
    if (value_stamp[g] != stamp) {
      value_stamp[g] = stamp;
      value_local[g] = static_cast<std::uint32_t>(used_values.size());
      used_values.push_back(g);
    }
    return value_local[g];
  }
};

Scratch &scratch() {
  thread_local Scratch s;
  return s;
}

// Rounds half up to the grid (the world grid of a simplified level: |v| < 2^30). Inline, unlike
// llround; both the constructor and tile() snap through here.
std::int64_t snap(double v) {
  constexpr double offset = 1u << 31;
  return static_cast<std::int64_t>(v + (offset + 0.5)) - static_cast<std::int64_t>(offset);
}

double twice_signed_area(const std::vector<geo::Point> &closed) {
  double sum = 0;
  const geo::Point o = closed.front();
  for (std::size_t i = 1; i + 1 < closed.size(); ++i)
    sum += (closed[i].x - o.x) * (closed[i + 1].y - o.y) -
           (closed[i + 1].x - o.x) * (closed[i].y - o.y);
  return sum;
}

} // namespace

struct LayerTiles::Impl {
  std::string name;
  TileOptions options;
  std::size_t feature_count = 0;
  int max_level = -1;

  std::vector<std::uint64_t> ids;
  std::vector<int> min_zoom;
  std::vector<std::uint32_t> tag_begin{0}; // feature i: tags [2 t[i], 2 t[i + 1]) of `tags`
  std::vector<std::uint32_t> tags;         // key index, value index, …
  std::vector<std::string> keys;
  std::vector<std::string> values; // encoded Value messages

  std::vector<Level> levels;
  std::vector<geo::Point> full_xy;
  std::vector<float> full_importance; // squared world units
  std::vector<FullRing> full_rings;
  std::vector<std::uint32_t> full_feature_rings{0};
  PackedRTree index;

  void add_feature(SourceFeature &f, std::unordered_map<std::string, std::uint32_t> &key_ids,
                   std::unordered_map<std::string, std::uint32_t> &value_ids,
                   std::vector<geo::Envelope> &boxes);
  bool add_ring(const geo::Ring &ring, bool exterior, std::vector<bool> &kept, geo::Envelope &box);
  bool simplified_ring(const FullRing &ring, int z, IRing &out) const;
  std::string tile(const TileId &t) const;
  void append_ring(const IRing &ring, Scratch &s, IPoint &cursor) const;
};

void LayerTiles::Impl::add_feature(SourceFeature &f,
                                   std::unordered_map<std::string, std::uint32_t> &key_ids,
                                   std::unordered_map<std::string, std::uint32_t> &value_ids,
                                   std::vector<geo::Envelope> &boxes) {
  ids.push_back(f.id);
  min_zoom.push_back(f.min_zoom);
  for (auto &[key, value] : f.properties) {
    auto k = key_ids.try_emplace(key, static_cast<std::uint32_t>(keys.size()));
    if (k.second) keys.push_back(key);
    std::string encoded = encode_value(value);
    auto v = value_ids.try_emplace(encoded, static_cast<std::uint32_t>(values.size()));
    if (v.second) values.push_back(std::move(encoded));
    tags.push_back(k.first->second);
    tags.push_back(v.first->second);
  }
  tag_begin.push_back(static_cast<std::uint32_t>(tags.size() / 2));

  geo::Envelope box;
  std::vector<bool> kept(static_cast<std::size_t>(max_level + 2)); // per level; back() = full
  for (const auto &poly : f.lonlat) {
    if (!add_ring(poly.outer, true, kept, box)) continue;
    for (const auto &hole : poly.holes)
      add_ring(hole, false, kept, box);
  }
  for (auto &l : levels)
    l.feature_rings.push_back(static_cast<std::uint32_t>(l.rings.size()));
  full_feature_rings.push_back(static_cast<std::uint32_t>(full_rings.size()));
  boxes.push_back(box);
  f.lonlat.reset(); // the projected copy is all we keep
}

// Projects, cleans and orients one ring, stores it at full resolution and simplified for
// every level. kept[z] says whether the current exterior survived at level z (kept.back():
// at full resolution); a hole is stored only where its exterior is. Returns false when the
// ring is dropped at full resolution (then so is everything of it).
bool LayerTiles::Impl::add_ring(const geo::Ring &ring, bool exterior, std::vector<bool> &kept,
                                geo::Envelope &box) {
  thread_local std::vector<geo::Point> world;
  thread_local std::vector<double> importance;
  thread_local IRing snapped;
  world.clear();
  for (const auto &p : ring) {
    if (!std::isfinite(p.x) || !std::isfinite(p.y)) {
      world.clear();
      break;
    }
    const geo::Point w = lonlat_to_world(p.x, p.y);
    if (world.empty() || !(w == world.back())) world.push_back(w);
  }
  if (!world.empty() && !(world.front() == world.back())) world.push_back(world.front());
  const double a2 = world.size() >= 4 ? twice_signed_area(world) : 0.0;
  if (a2 == 0) {
    if (exterior) std::fill(kept.begin(), kept.end(), false);
    return false;
  }
  if ((a2 > 0) != exterior) std::reverse(world.begin(), world.end());
  if (!exterior && !kept.back()) return false;

  // Full resolution.
  FullRing fr;
  fr.begin = full_xy.size();
  fr.count = static_cast<std::uint32_t>(world.size() - 1);
  fr.exterior = exterior;
  for (std::size_t i = 0; i + 1 < world.size(); ++i) {
    full_xy.push_back(world[i]);
    fr.box.expand(world[i]);
  }
  full_rings.push_back(fr);
  kept.back() = true;
  if (exterior) {
    box.min_x = std::min(box.min_x, fr.box.min_x);
    box.min_y = std::min(box.min_y, fr.box.min_y);
    box.max_x = std::max(box.max_x, fr.box.max_x);
    box.max_y = std::max(box.max_y, fr.box.max_y);
  }

  douglas_peucker_importance(world, importance);
  for (std::size_t i = 0; i + 1 < world.size(); ++i)
    full_importance.push_back(static_cast<float>(importance[i]));

  // One simplified copy per level.
  const auto full_index = static_cast<std::uint32_t>(full_rings.size() - 1);
  for (int z = 0; z <= max_level; ++z) {
    if (!exterior && !kept[static_cast<std::size_t>(z)]) continue;
    const bool ok = simplified_ring(fr, z, snapped);
    if (exterior) kept[static_cast<std::size_t>(z)] = ok;
    if (!ok) continue;
    Level &level = levels[static_cast<std::size_t>(z)];
    LevelRing lr;
    lr.exterior = exterior;
    lr.min_x = lr.min_y = std::numeric_limits<std::int32_t>::max();
    lr.max_x = lr.max_y = std::numeric_limits<std::int32_t>::min();
    const bool store = snapped.size() * kStoreRatio <= fr.count;
    if (store) {
      lr.begin = static_cast<std::uint32_t>(level.xy.size() / 2);
      lr.count = static_cast<std::uint32_t>(snapped.size());
    } else {
      lr.full = full_index;
    }
    for (const auto &p : snapped) {
      const auto x = static_cast<std::int32_t>(p.x), y = static_cast<std::int32_t>(p.y);
      if (store) {
        level.xy.push_back(x);
        level.xy.push_back(y);
      }
      lr.min_x = std::min(lr.min_x, x);
      lr.min_y = std::min(lr.min_y, y);
      lr.max_x = std::max(lr.max_x, x);
      lr.max_y = std::max(lr.max_y, y);
    }
    level.rings.push_back(lr);
  }
  return true;
}

// The ring at level z: the vertices Douglas-Peucker keeps at options.simplify_tolerance tile
// units of that zoom, snapped to the zoom's world grid, cleaned and oriented. False when it
// collapses.
bool LayerTiles::Impl::simplified_ring(const FullRing &ring, int z, IRing &out) const {
  const double scale = std::ldexp(static_cast<double>(options.extent), z);
  const double tolerance = options.simplify_tolerance / scale;
  const double tol2 = tolerance * tolerance;
  const auto t2 = static_cast<float>(tol2);
  const geo::Point *xy = full_xy.data() + ring.begin;
  const float *importance = full_importance.data() + ring.begin;
  // Branch-free: every vertex is written, the kept ones advance the end (about half of them
  // are kept at the levels where this runs at tile time).
  out.resize(ring.count);
  std::size_t n = 0;
  for (std::uint32_t i = 0; i < ring.count; ++i) {
    out[n] = {snap(xy[i].x * scale), snap(xy[i].y * scale)};
    n += (i == 0) | (importance[i] > t2);
  }
  out.resize(n);
  return clean_ring(out, ring.exterior);
}

void LayerTiles::Impl::append_ring(const IRing &ring, Scratch &s, IPoint &cursor) const {
  auto delta = [&](const IPoint &p) {
    s.geometry.push_back(pb::zigzag32(static_cast<std::int32_t>(p.x - cursor.x)));
    s.geometry.push_back(pb::zigzag32(static_cast<std::int32_t>(p.y - cursor.y)));
    cursor = p;
  };
  s.geometry.push_back(command(kMoveTo, 1));
  delta(ring.front());
  s.geometry.push_back(command(kLineTo, ring.size() - 1));
  for (std::size_t i = 1; i < ring.size(); ++i)
    delta(ring[i]);
  s.geometry.push_back(command(kClosePath, 1));
}

std::string LayerTiles::Impl::tile(const TileId &t) const {
  if (!valid(t)) return {};
  Scratch &s = scratch();
  const auto extent = static_cast<std::int64_t>(options.extent);
  const auto buffer = static_cast<std::int64_t>(options.buffer);
  const std::int64_t lo = -buffer, hi = extent + buffer;
  const std::int64_t ox = t.x * extent, oy = t.y * extent;
  const geo::Envelope query =
      tile_world_bounds(t, static_cast<double>(options.buffer), static_cast<double>(extent));
  index.query(query, s.candidates);
  if (s.candidates.empty()) return {};
  s.start(keys.size(), values.size());

  std::string layer;
  pb::put_bytes_field(layer, kLayerName, name);
  bool any = false;

  // Takes s.ring (translated to the tile, open) to its clipped, clean form; false if nothing
  // is left. `inside` says the ring is known to lie within the buffered tile already.
  auto finish = [&](bool exterior, bool inside, bool clean) -> IRing * {
    if (inside) {
      if (!clean && !clean_ring(s.ring, exterior)) return nullptr;
      return &s.ring;
    }
    clip_ring(s.ring, lo, hi, s.clipped, s.spare);
    if (!clean_ring(s.clipped, exterior)) return nullptr;
    return &s.clipped;
  };

  const bool simplified = t.z <= max_level;
  const Level *level = simplified ? &levels[static_cast<std::size_t>(t.z)] : nullptr;
  const double scale = std::ldexp(static_cast<double>(options.extent), t.z);
  for (std::uint32_t f : s.candidates) {
    if (t.z < min_zoom[f]) continue;
    s.geometry.clear();
    IPoint cursor;
    bool exterior_kept = false;
    if (simplified) {
      for (std::uint32_t r = level->feature_rings[f]; r < level->feature_rings[f + 1]; ++r) {
        const LevelRing &lr = level->rings[r];
        if (!lr.exterior && !exterior_kept) continue;
        const std::int64_t x0 = lr.min_x - ox, y0 = lr.min_y - oy, x1 = lr.max_x - ox,
                           y1 = lr.max_y - oy;
        const IRing *out = nullptr;
        if (!(x1 < lo || x0 > hi || y1 < lo || y0 > hi)) {
          if (lr.full == kNotStored) {
            s.ring.resize(lr.count);
            const std::int32_t *xy = level->xy.data() + 2 * static_cast<std::size_t>(lr.begin);
            for (std::uint32_t k = 0; k < lr.count; ++k)
              s.ring[k] = {xy[2 * k] - ox, xy[2 * k + 1] - oy};
          } else {
            simplified_ring(full_rings[lr.full], t.z, s.ring); // kept in the constructor
            for (auto &p : s.ring)
              p = {p.x - ox, p.y - oy};
          }
          out = finish(lr.exterior, x0 >= lo && x1 <= hi && y0 >= lo && y1 <= hi, true);
        }
        if (lr.exterior) exterior_kept = out != nullptr;
        if (out) append_ring(*out, s, cursor);
      }
    } else {
      for (std::uint32_t r = full_feature_rings[f]; r < full_feature_rings[f + 1]; ++r) {
        const FullRing &fr = full_rings[r];
        if (!fr.exterior && !exterior_kept) continue;
        const IRing *out = nullptr;
        if (fr.box.intersects(query)) {
          s.ring.resize(fr.count);
          std::int64_t x0 = std::numeric_limits<std::int64_t>::max(), y0 = x0;
          std::int64_t x1 = std::numeric_limits<std::int64_t>::min(), y1 = x1;
          for (std::uint32_t k = 0; k < fr.count; ++k) {
            const geo::Point &p = full_xy[fr.begin + k];
            const IPoint q{std::llround(p.x * scale) - ox, std::llround(p.y * scale) - oy};
            s.ring[k] = q;
            x0 = std::min(x0, q.x);
            y0 = std::min(y0, q.y);
            x1 = std::max(x1, q.x);
            y1 = std::max(y1, q.y);
          }
          out = finish(fr.exterior, x0 >= lo && x1 <= hi && y0 >= lo && y1 <= hi, false);
        }
        if (fr.exterior) exterior_kept = out != nullptr;
        if (out) append_ring(*out, s, cursor);
      }
    }
    if (s.geometry.empty()) continue;

    s.tags.clear();
    for (std::uint32_t k = tag_begin[f]; k < tag_begin[f + 1]; ++k) {
      s.tags.push_back(s.local_key(tags[2 * k]));
      s.tags.push_back(s.local_value(tags[2 * k + 1]));
    }
    s.feature.clear();
    pb::put_varint_field(s.feature, kFeatureId, ids[f]);
    if (!s.tags.empty()) pb::put_packed_field(s.feature, kFeatureTags, s.tags);
    pb::put_varint_field(s.feature, kFeatureType, kPolygon);
    pb::put_packed_field(s.feature, kFeatureGeometry, s.geometry);
    pb::put_bytes_field(layer, kLayerFeatures, s.feature);
    any = true;
  }
  if (!any) return {};
  for (std::uint32_t k : s.used_keys)
    pb::put_bytes_field(layer, kLayerKeys, keys[k]);
  for (std::uint32_t v : s.used_values)
    pb::put_bytes_field(layer, kLayerValues, values[v]);
  pb::put_varint_field(layer, kLayerExtent, options.extent);
  pb::put_varint_field(layer, kLayerVersion, 2);

  std::string out;
  out.reserve(layer.size() + 8);
  pb::put_bytes_field(out, kTileLayers, layer);
  return out;
}

LayerTiles::LayerTiles(std::string name, std::vector<SourceFeature> features, TileOptions options)
    : impl_(std::make_unique<Impl>()) {
  if (options.extent == 0 || options.extent > kMaxExtent)
    throw Error("tile extent must be 1 to " + std::to_string(kMaxExtent) + ", got " +
                std::to_string(options.extent));
  if (options.buffer > kMaxBuffer)
    throw Error("tile buffer must be at most " + std::to_string(kMaxBuffer) + ", got " +
                std::to_string(options.buffer));
  if (!(options.simplify_tolerance >= 0) || !std::isfinite(options.simplify_tolerance))
    throw Error("simplify tolerance must be a finite number >= 0");
  Impl &m = *impl_;
  m.name = std::move(name);
  m.options = options;
  m.feature_count = features.size();
  m.max_level = simplified_max_zoom(options.extent);
  m.levels.resize(static_cast<std::size_t>(m.max_level + 1));

  std::unordered_map<std::string, std::uint32_t> key_ids, value_ids;
  std::vector<geo::Envelope> boxes;
  boxes.reserve(features.size());
  for (auto &f : features)
    m.add_feature(f, key_ids, value_ids, boxes);
  features = {};
  m.index = PackedRTree(boxes);
  for (auto &l : m.levels) {
    l.xy.shrink_to_fit();
    l.rings.shrink_to_fit();
  }
  m.full_xy.shrink_to_fit();
  m.full_importance.shrink_to_fit();
  m.full_rings.shrink_to_fit();
}

LayerTiles::~LayerTiles() = default;
LayerTiles::LayerTiles(LayerTiles &&) noexcept = default;
LayerTiles &LayerTiles::operator=(LayerTiles &&) noexcept = default;

const std::string &LayerTiles::name() const {
  static const std::string none;
  return impl_ ? impl_->name : none;
}

std::size_t LayerTiles::feature_count() const {
  return impl_ ? impl_->feature_count : 0;
}

std::string LayerTiles::tile(const TileId &t) const {
  return impl_ ? impl_->tile(t) : std::string{};
}

} // namespace mineplan::tiles

// The vector-tile engine (tiles/layer_tiles.hpp), read back by a decoder written here from the
// MVT 2.1 specification: commands, ring orientation, tags and ids of hand-computed squares;
// tile ids; per-zoom simplification; clipping; many threads at once.
#include "core/error.hpp"
#include "tiles/layer_tiles.hpp"
#include "tiles/pyramid.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <numbers>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <string_view>
#include <thread>

using namespace mineplan;
using namespace mineplan::tiles;

namespace {

// ---------------------------------------------------------------------------------------------
// A strict MVT decoder: throws std::runtime_error on anything the spec does not allow for
// polygon layers.

struct Reader {
  const unsigned char *p;
  const unsigned char *end;
  explicit Reader(std::string_view s)
      : p(reinterpret_cast<const unsigned char *>(s.data())), end(p + s.size()) {}
  bool done() const { return p >= end; }
  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p >= end) throw std::runtime_error("truncated varint");
      const unsigned char b = *p++;
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    throw std::runtime_error("varint too long");
  }
  std::string_view bytes() {
    const std::uint64_t n = varint();
    if (n > static_cast<std::uint64_t>(end - p)) throw std::runtime_error("truncated bytes");
    std::string_view s(reinterpret_cast<const char *>(p), n);
    p += n;
    return s;
  }
  std::uint64_t fixed(int n) {
    if (end - p < n) throw std::runtime_error("truncated fixed");
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i)
      v |= static_cast<std::uint64_t>(p[i]) << (8 * i);
    p += n;
    return v;
  }
  void skip(std::uint32_t type) {
    switch (type) {
    case 0: varint(); break;
    case 1: fixed(8); break;
    case 2: bytes(); break;
    case 5: fixed(4); break;
    default: throw std::runtime_error("bad wire type");
    }
  }
};

std::vector<std::uint32_t> packed(std::string_view s) {
  Reader r(s);
  std::vector<std::uint32_t> out;
  while (!r.done()) {
    const std::uint64_t v = r.varint();
    if (v > 0xffffffffu) throw std::runtime_error("packed value beyond uint32");
    out.push_back(static_cast<std::uint32_t>(v));
  }
  return out;
}

std::int64_t unzigzag(std::uint32_t v) {
  return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

struct Pt {
  std::int64_t x = 0, y = 0;
  bool operator==(const Pt &) const = default;
  bool operator<(const Pt &o) const { return x < o.x || (x == o.x && y < o.y); }
};
using DRing = std::vector<Pt>; // open

void PrintTo(const Pt &p, std::ostream *os) {
  *os << "(" << p.x << ", " << p.y << ")";
}

// Twice the surveyor's-formula area in tile coordinates (positive = exterior in MVT).
double twice_area(const DRing &r) {
  double s = 0;
  for (std::size_t i = 0; i < r.size(); ++i) {
    const Pt &a = r[i], &b = r[(i + 1) % r.size()];
    s += static_cast<double>(a.x) * static_cast<double>(b.y) -
         static_cast<double>(b.x) * static_cast<double>(a.y);
  }
  return s;
}

struct DFeature {
  std::optional<std::uint64_t> id;
  std::uint32_t type = 0;
  std::vector<std::uint32_t> tags;
  std::vector<std::uint32_t> geometry;
  std::vector<DRing> rings;
  std::vector<std::pair<std::string, Value>> properties;
};

struct DLayer {
  std::string name;
  std::uint32_t version = 1; // the spec's default when absent
  std::uint32_t extent = 4096;
  std::vector<std::string> keys;
  std::vector<Value> values;
  std::vector<DFeature> features;
};

Value decode_value(std::string_view s) {
  Reader r(s);
  std::optional<Value> v;
  int fields = 0;
  while (!r.done()) {
    const std::uint64_t key = r.varint();
    const auto field = static_cast<std::uint32_t>(key >> 3),
               type = static_cast<std::uint32_t>(key & 7);
    ++fields;
    if (field == 1 && type == 2)
      v = std::string(r.bytes());
    else if (field == 2 && type == 5) {
      const auto bits = static_cast<std::uint32_t>(r.fixed(4));
      float f;
      std::memcpy(&f, &bits, 4);
      v = static_cast<double>(f);
    } else if (field == 3 && type == 1) {
      const std::uint64_t bits = r.fixed(8);
      double d;
      std::memcpy(&d, &bits, 8);
      v = d;
    } else if (field == 4 && type == 0)
      v = static_cast<std::int64_t>(r.varint());
    else if (field == 5 && type == 0)
      v = static_cast<std::int64_t>(r.varint());
    else if (field == 6 && type == 0) {
      const std::uint64_t z = r.varint();
      v = static_cast<std::int64_t>(z >> 1) ^ -static_cast<std::int64_t>(z & 1);
    } else if (field == 7 && type == 0)
      v = r.varint() != 0;
    else
      throw std::runtime_error("unknown Value field " + std::to_string(field));
  }
  if (fields != 1 || !v) throw std::runtime_error("a Value must hold exactly one field");
  return *v;
}

// Polygon geometry: rings of MoveTo(1) LineTo(n >= 2) ClosePath(1); the cursor carries over.
std::vector<DRing> decode_polygon(const std::vector<std::uint32_t> &g) {
  std::vector<DRing> rings;
  std::size_t i = 0;
  Pt cursor;
  auto command = [&](std::uint32_t want_id) {
    if (i >= g.size()) throw std::runtime_error("geometry ends inside a ring");
    const std::uint32_t id = g[i] & 7, count = g[i] >> 3;
    ++i;
    if (id != want_id)
      throw std::runtime_error("command " + std::to_string(id) + " where " +
                               std::to_string(want_id) + " belongs");
    return count;
  };
  auto point = [&]() {
    if (i + 2 > g.size()) throw std::runtime_error("missing parameters");
    cursor.x += unzigzag(g[i]);
    cursor.y += unzigzag(g[i + 1]);
    i += 2;
    return cursor;
  };
  while (i < g.size()) {
    if (command(1) != 1) throw std::runtime_error("MoveTo count must be 1");
    DRing ring{point()};
    const std::uint32_t n = command(2);
    if (n < 2) throw std::runtime_error("LineTo in a polygon ring needs >= 2 points");
    for (std::uint32_t k = 0; k < n; ++k)
      ring.push_back(point());
    if (command(7) != 1) throw std::runtime_error("ClosePath count must be 1");
    rings.push_back(std::move(ring));
  }
  return rings;
}

std::vector<DLayer> decode_tile(std::string_view bytes) {
  std::vector<DLayer> layers;
  Reader tile(bytes);
  while (!tile.done()) {
    const std::uint64_t key = tile.varint();
    if (key != ((3 << 3) | 2)) {
      tile.skip(static_cast<std::uint32_t>(key & 7));
      continue;
    }
    DLayer layer;
    Reader lr(tile.bytes());
    std::vector<std::string_view> feature_bytes;
    bool has_name = false;
    while (!lr.done()) {
      const std::uint64_t k = lr.varint();
      const auto field = static_cast<std::uint32_t>(k >> 3),
                 type = static_cast<std::uint32_t>(k & 7);
      if (field == 1 && type == 2) {
        layer.name = std::string(lr.bytes());
        has_name = true;
      } else if (field == 2 && type == 2)
        feature_bytes.push_back(lr.bytes());
      else if (field == 3 && type == 2)
        layer.keys.emplace_back(lr.bytes());
      else if (field == 4 && type == 2)
        layer.values.push_back(decode_value(lr.bytes()));
      else if (field == 5 && type == 0)
        layer.extent = static_cast<std::uint32_t>(lr.varint());
      else if (field == 15 && type == 0)
        layer.version = static_cast<std::uint32_t>(lr.varint());
      else
        throw std::runtime_error("unexpected Layer field " + std::to_string(field));
    }
    if (!has_name) throw std::runtime_error("a Layer must have a name");
    for (auto fb : feature_bytes) {
      DFeature f;
      Reader fr(fb);
      while (!fr.done()) {
        const std::uint64_t k = fr.varint();
        const auto field = static_cast<std::uint32_t>(k >> 3),
                   type = static_cast<std::uint32_t>(k & 7);
        if (field == 1 && type == 0)
          f.id = fr.varint();
        else if (field == 2 && type == 2)
          f.tags = packed(fr.bytes());
        else if (field == 3 && type == 0)
          f.type = static_cast<std::uint32_t>(fr.varint());
        else if (field == 4 && type == 2)
          f.geometry = packed(fr.bytes());
        else
          throw std::runtime_error("unexpected Feature field " + std::to_string(field));
      }
      if (f.tags.size() % 2) throw std::runtime_error("odd number of tags");
      for (std::size_t t = 0; t < f.tags.size(); t += 2) {
        if (f.tags[t] >= layer.keys.size() || f.tags[t + 1] >= layer.values.size())
          throw std::runtime_error("tag index out of the tables");
        f.properties.emplace_back(layer.keys[f.tags[t]], layer.values[f.tags[t + 1]]);
      }
      f.rings = decode_polygon(f.geometry);
      layer.features.push_back(std::move(f));
    }
    layers.push_back(std::move(layer));
  }
  return layers;
}

// The single layer of a tile (fails the test otherwise).
DLayer one_layer(const std::string &bytes) {
  std::vector<DLayer> layers;
  EXPECT_NO_THROW(layers = decode_tile(bytes));
  EXPECT_EQ(layers.size(), 1u);
  return layers.empty() ? DLayer{} : layers.front();
}

// ---------------------------------------------------------------------------------------------
// Geometry helpers, independent of the engine's own projection code.

constexpr double kPi = std::numbers::pi;

// lon/lat of the point (ux, uy) in tile units of tile (z, x, y), extent 4096.
geo::Point lonlat_at(int z, std::int64_t tx, std::int64_t ty, double ux, double uy) {
  const double n = std::ldexp(4096.0, z);
  const double wx = (static_cast<double>(tx) * 4096 + ux) / n;
  const double wy = (static_cast<double>(ty) * 4096 + uy) / n;
  return {wx * 360 - 180, std::atan(std::sinh(kPi * (1 - 2 * wy))) * 180 / kPi};
}

// Tile units (at zoom z, relative to tile tx, ty) of a lon/lat point, unrounded.
std::pair<double, double> units_of(geo::Point ll, int z, std::int64_t tx, std::int64_t ty) {
  const double n = std::ldexp(4096.0, z);
  const double wx = (ll.x + 180) / 360;
  const double lat = ll.y * kPi / 180;
  const double wy = (1 - std::log(std::tan(lat) + 1 / std::cos(lat)) / kPi) / 2;
  return {wx * n - static_cast<double>(tx) * 4096, wy * n - static_cast<double>(ty) * 4096};
}

// A closed ring through tile-unit corners of tile (z, tx, ty), in the order given.
geo::Ring ring_at(int z, std::int64_t tx, std::int64_t ty,
                  std::initializer_list<std::pair<double, double>> corners) {
  geo::Ring r;
  for (auto [ux, uy] : corners)
    r.push_back(lonlat_at(z, tx, ty, ux, uy));
  r.push_back(r.front());
  return r;
}

// A wavy star of n vertices around a lon/lat centre, radius in metres (noise relative).
geo::Ring star(std::mt19937_64 &rng, geo::Point c, double radius_m, int n, double noise) {
  std::uniform_real_distribution<double> u(-1, 1);
  const double ky = 111320.0, kx = 111320.0 * std::cos(c.y * kPi / 180);
  geo::Ring r;
  for (int i = 0; i < n; ++i) {
    const double t = 2 * kPi * i / n;
    const double rr = radius_m * (1 + 0.2 * std::sin(3 * t) + noise * u(rng));
    r.push_back({c.x + rr * std::cos(t) / kx, c.y + rr * std::sin(t) / ky});
  }
  r.push_back(r.front());
  return r;
}

SourceFeature feature(std::uint64_t id, geo::MultiPolygon mp, Properties props = {}) {
  SourceFeature f;
  f.id = id;
  f.lonlat = std::move(mp);
  f.properties = std::move(props);
  return f;
}

std::size_t vertices(const DLayer &l) {
  std::size_t n = 0;
  for (const auto &f : l.features)
    for (const auto &r : f.rings)
      n += r.size();
  return n;
}

double seg_dist(double px, double py, double ax, double ay, double bx, double by) {
  const double dx = bx - ax, dy = by - ay;
  double t = dx == 0 && dy == 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy);
  t = std::clamp(t, 0.0, 1.0);
  return std::hypot(px - (ax + t * dx), py - (ay + t * dy));
}

// Classic recursive Douglas-Peucker (distances to the chord as a segment), on a closed ring.
void reference_dp(const std::vector<std::pair<double, double>> &p, std::size_t a, std::size_t b,
                  double tol, std::vector<bool> &keep) {
  if (b <= a + 1) return;
  double best = -1;
  std::size_t m = a + 1;
  for (std::size_t i = a + 1; i < b; ++i) {
    const double d =
        seg_dist(p[i].first, p[i].second, p[a].first, p[a].second, p[b].first, p[b].second);
    if (d > best) {
      best = d;
      m = i;
    }
  }
  if (best <= tol) return;
  keep[m] = true;
  reference_dp(p, a, m, tol, keep);
  reference_dp(p, m, b, tol, keep);
}

} // namespace

// ---------------------------------------------------------------------------------------------

// A square over lon -90…0, lat 0…66.51°: at z = 0 it is x 1024…2048, y 1024…2048 in tile
// units. Given counter-clockwise in lon/lat (as GIS writes exteriors), on screen (y down) it
// runs counter-clockwise, so the engine reverses it: A(1024,2048) D(1024,1024) C(2048,1024)
// B(2048,2048). Commands: MoveTo(1)=9, LineTo(3)=26, ClosePath(1)=15; parameters zigzag.
TEST(TilesMvt, HandComputedSquare) {
  const geo::Ring ccw = ring_at(0, 0, 0, {{1024, 2048}, {2048, 2048}, {2048, 1024}, {1024, 1024}});
  LayerTiles layer("zones",
                   {feature(7, {geo::Polygon{ccw, {}}}, {{"kind", std::string("red_line")}})});
  EXPECT_EQ(layer.name(), "zones");
  EXPECT_EQ(layer.feature_count(), 1u);

  const DLayer l = one_layer(layer.tile({0, 0, 0}));
  EXPECT_EQ(l.name, "zones");
  EXPECT_EQ(l.version, 2u);
  EXPECT_EQ(l.extent, 4096u);
  ASSERT_EQ(l.features.size(), 1u);
  const DFeature &f = l.features[0];
  ASSERT_TRUE(f.id.has_value());
  EXPECT_EQ(*f.id, 7u);
  EXPECT_EQ(f.type, 3u); // POLYGON
  const std::vector<std::uint32_t> expected = {9, 2048, 4096, 26, 0, 2047, 2048, 0, 0, 2048, 15};
  EXPECT_EQ(f.geometry, expected);
  EXPECT_EQ(l.keys, std::vector<std::string>{"kind"});
  ASSERT_EQ(l.values.size(), 1u);
  EXPECT_EQ(l.values[0], Value(std::string("red_line")));
  EXPECT_EQ(f.tags, (std::vector<std::uint32_t>{0, 0}));

  // The same square given clockwise comes out the same way round, with the same area.
  geo::Ring cw(ccw.rbegin(), ccw.rend());
  LayerTiles again("zones", {feature(7, {geo::Polygon{cw, {}}})});
  const DLayer l2 = one_layer(again.tile({0, 0, 0}));
  ASSERT_EQ(l2.features.size(), 1u);
  ASSERT_EQ(l2.features[0].rings.size(), 1u);
  EXPECT_DOUBLE_EQ(twice_area(l2.features[0].rings[0]), 2.0 * 1024 * 1024);
  std::set<Pt> corners(l2.features[0].rings[0].begin(), l2.features[0].rings[0].end());
  EXPECT_EQ(corners, (std::set<Pt>{{1024, 1024}, {2048, 1024}, {2048, 2048}, {1024, 2048}}));

  // One zoom deeper the square fills the lower-right quarter of tile (1, 0, 0) …
  const DLayer z1 = one_layer(layer.tile({1, 0, 0}));
  ASSERT_EQ(z1.features.size(), 1u);
  std::set<Pt> c1(z1.features[0].rings[0].begin(), z1.features[0].rings[0].end());
  EXPECT_EQ(c1, (std::set<Pt>{{2048, 2048}, {4096, 2048}, {4096, 4096}, {2048, 4096}}));
  // … and reaches into the 64-unit buffers of its three neighbours, clipped there.
  const DLayer right = one_layer(layer.tile({1, 1, 0}));
  ASSERT_EQ(right.features.size(), 1u);
  std::set<Pt> cr(right.features[0].rings[0].begin(), right.features[0].rings[0].end());
  EXPECT_EQ(cr, (std::set<Pt>{{-64, 2048}, {0, 2048}, {0, 4096}, {-64, 4096}}));
  EXPECT_GT(twice_area(right.features[0].rings[0]), 0);
  const DLayer diagonal = one_layer(layer.tile({1, 1, 1}));
  ASSERT_EQ(diagonal.features.size(), 1u);
  EXPECT_DOUBLE_EQ(twice_area(diagonal.features[0].rings[0]), 2.0 * 64 * 64);
}

// Tile units are exact at every depth: a square with corners on the z18 grid of tile
// (18, 212000, 97000) sits on those units at z18 (cut from the full geometry), on the
// units / 16 at z14 (the deepest simplified level), and on units * 4 at z20, clipped there to
// the buffered tile.
TEST(TilesMvt, GridExactAtEveryDepth) {
  const std::int64_t X = 212000, Y = 97000;
  const geo::Ring sq = ring_at(18, X, Y, {{100, 208}, {3008, 208}, {3008, 3904}, {100, 3904}});
  LayerTiles layer("rights", {feature(1, {geo::Polygon{sq, {}}})});
  auto corners = [&](TileId t) {
    const DLayer l = one_layer(layer.tile(t));
    EXPECT_EQ(l.features.size(), 1u);
    if (l.features.size() != 1 || l.features[0].rings.size() != 1) return std::set<Pt>{};
    EXPECT_GT(twice_area(l.features[0].rings[0]), 0);
    return std::set<Pt>(l.features[0].rings[0].begin(), l.features[0].rings[0].end());
  };
  EXPECT_EQ(corners({18, X, Y}),
            (std::set<Pt>{{100, 208}, {3008, 208}, {3008, 3904}, {100, 3904}}));
  // z14: tile (13250, 6062); Y is 8 z18 tiles below its top: y = (8 * 4096 + v) / 16.
  ASSERT_EQ(X >> 4, 13250);
  ASSERT_EQ(Y >> 4, 6062);
  EXPECT_EQ(corners({14, X >> 4, Y >> 4}),
            (std::set<Pt>{{6, 2061}, {188, 2061}, {188, 2292}, {6, 2292}}));
  EXPECT_EQ(corners({20, 4 * X, 4 * Y}),
            (std::set<Pt>{{400, 832}, {4160, 832}, {4160, 4160}, {400, 4160}}));
  EXPECT_EQ(corners({20, 4 * X + 1, 4 * Y + 1}),
            (std::set<Pt>{{-64, -64}, {4160, -64}, {4160, 4160}, {-64, 4160}}));
}

// Exterior rings clockwise on screen (positive area), holes counter-clockwise, whatever the
// input's orientation; a multipolygon is one feature: exterior, its holes, next exterior.
TEST(TilesMvt, RingOrientationHolesAndMultiPolygon) {
  // Tile (4, 12, 6) holds Inner Mongolia's west. Exterior 1000..3000 square with a hole
  // 1500..1510, both given with the same orientation; a second square 3200..3600.
  const int z = 4;
  const std::int64_t tx = 12, ty = 6;
  geo::Polygon p1{ring_at(z, tx, ty, {{1000, 1000}, {3000, 1000}, {3000, 3000}, {1000, 3000}}),
                  {ring_at(z, tx, ty, {{1500, 1500}, {1510, 1500}, {1510, 1510}, {1500, 1510}})}};
  geo::Polygon p2{ring_at(z, tx, ty, {{3200, 3200}, {3200, 3600}, {3600, 3600}, {3600, 3200}}), {}};
  LayerTiles layer("zones", {feature(1, {p1, p2})});
  const DLayer l = one_layer(layer.tile({z, tx, ty}));
  ASSERT_EQ(l.features.size(), 1u);
  const auto &rings = l.features[0].rings;
  ASSERT_EQ(rings.size(), 3u);
  EXPECT_DOUBLE_EQ(twice_area(rings[0]), 2.0 * 2000 * 2000);
  EXPECT_DOUBLE_EQ(twice_area(rings[1]), -2.0 * 10 * 10);
  EXPECT_DOUBLE_EQ(twice_area(rings[2]), 2.0 * 400 * 400);
  EXPECT_EQ(rings[0].size(), 4u);

  // At z = 0 the hole (10 / 16 units across) collapses below one unit² and is dropped; the
  // exterior stays.
  const DLayer l0 = one_layer(layer.tile({0, 0, 0}));
  ASSERT_EQ(l0.features.size(), 1u);
  for (const auto &r : l0.features[0].rings)
    EXPECT_GT(twice_area(r), 0) << "only exteriors are left at z0";
}

// Keys and values are tables shared by the features of a layer, without repeats; every value
// type comes back as it went in; ids are uint64.
TEST(TilesMvt, TagsDeduplicatedTypedValuesAndIds) {
  const int z = 6;
  const std::int64_t tx = 50, ty = 24;
  auto sq = [&](double u) {
    return geo::MultiPolygon{
        {ring_at(z, tx, ty, {{u, u}, {u + 300, u}, {u + 300, u + 300}, {u, u + 300}}), {}}};
  };
  std::vector<SourceFeature> fs;
  fs.push_back(feature(1, sq(100),
                       {{"name", std::string("甲矿区")},
                        {"kind", std::string("mining")},
                        {"n", std::int64_t{42}},
                        {"delta", std::int64_t{-7}},
                        {"ratio", 0.125},
                        {"green", true}}));
  fs.push_back(feature(std::uint64_t{1} << 63 | 5, sq(1000),
                       {{"name", std::string("乙矿区")},
                        {"kind", std::string("mining")},
                        {"n", std::int64_t{42}},
                        {"green", false}}));
  fs.push_back(
      feature(3, sq(2000), {{"kind", std::string("exploration")}, {"code", std::string("42")}}));
  // Same number, different types: distinct values.
  fs.push_back(feature(4, sq(3000), {{"n", std::string("42")}, {"ratio", std::int64_t{0}}}));
  const std::vector<SourceFeature> source = fs;
  LayerTiles layer("rights", std::move(fs));
  const DLayer l = one_layer(layer.tile({z, tx, ty}));
  ASSERT_EQ(l.features.size(), 4u);
  std::set<std::string> keys(l.keys.begin(), l.keys.end());
  EXPECT_EQ(keys.size(), l.keys.size()) << "keys repeat";
  EXPECT_EQ(keys, (std::set<std::string>{"name", "kind", "n", "delta", "ratio", "green", "code"}));
  for (std::size_t i = 0; i < l.values.size(); ++i)
    for (std::size_t j = i + 1; j < l.values.size(); ++j)
      EXPECT_FALSE(l.values[i] == l.values[j]) << "values " << i << " and " << j << " repeat";
  // 甲矿区 乙矿区 mining exploration 42 "42" -7 0.125 true false 0
  EXPECT_EQ(l.values.size(), 11u);
  for (std::size_t i = 0; i < source.size(); ++i) {
    ASSERT_TRUE(l.features[i].id.has_value());
    EXPECT_EQ(*l.features[i].id, source[i].id);
    EXPECT_EQ(l.features[i].properties, source[i].properties) << "feature " << i;
  }
}

TEST(TilesTileId, ValidRanges) {
  EXPECT_TRUE(valid({0, 0, 0}));
  EXPECT_FALSE(valid({0, 1, 0}));
  EXPECT_FALSE(valid({0, 0, 1}));
  EXPECT_FALSE(valid({-1, 0, 0}));
  EXPECT_TRUE(valid({22, (std::int64_t{1} << 22) - 1, (std::int64_t{1} << 22) - 1}));
  EXPECT_FALSE(valid({22, std::int64_t{1} << 22, 0}));
  EXPECT_FALSE(valid({23, 0, 0}));
  EXPECT_FALSE(valid({5, -1, 3}));
  EXPECT_FALSE(valid({5, 3, -1}));
  EXPECT_FALSE(valid({5, 32, 3}));
  EXPECT_TRUE(valid({5, 31, 31}));
  EXPECT_FALSE(valid({64, 0, 0}));
  EXPECT_FALSE(valid({-64, 0, 0}));
}

// A polygon over most of the world answers every valid tile with bytes, and every invalid id
// with nothing (not a crash, not a wrapped tile).
TEST(TilesTileId, InvalidIdsGiveNoTile) {
  geo::Ring world = {{-179, -80}, {179, -80}, {179, 80}, {-179, 80}, {-179, -80}};
  LayerTiles layer("divisions", {feature(1, {geo::Polygon{world, {}}})});
  EXPECT_FALSE(layer.tile({0, 0, 0}).empty());
  EXPECT_FALSE(layer.tile({3, 7, 2}).empty());
  EXPECT_FALSE(layer.tile({22, 3000000, 1500000}).empty());
  for (TileId t : {TileId{-1, 0, 0}, TileId{23, 0, 0}, TileId{1, 2, 0}, TileId{1, 0, 2},
                   TileId{3, -1, 2}, TileId{3, 2, -1}, TileId{22, std::int64_t{1} << 22, 0},
                   TileId{30, 0, 0}, TileId{4, std::numeric_limits<std::int64_t>::max(), 0},
                   TileId{4, 0, std::numeric_limits<std::int64_t>::min()}})
    EXPECT_EQ(layer.tile(t), "") << t.z << "/" << t.x << "/" << t.y;
  // A tile with no feature is empty too.
  geo::Ring small = ring_at(8, 200, 90, {{0, 0}, {100, 0}, {100, 100}, {0, 100}});
  LayerTiles few("zones", {feature(1, {geo::Polygon{small, {}}})});
  EXPECT_FALSE(few.tile({8, 200, 90}).empty());
  EXPECT_EQ(few.tile({8, 202, 90}), "");
  EXPECT_EQ(few.tile({10, 0, 0}), "");
}

TEST(TilesTileId, MinZoomAndBadOptions) {
  geo::Ring sq = ring_at(6, 50, 24, {{0, 0}, {2000, 0}, {2000, 2000}, {0, 2000}});
  SourceFeature f = feature(9, {geo::Polygon{sq, {}}});
  f.min_zoom = 6;
  LayerTiles layer("mines", {f});
  EXPECT_EQ(layer.tile({5, 25, 12}), "");
  EXPECT_FALSE(layer.tile({6, 50, 24}).empty());
  EXPECT_FALSE(layer.tile({9, 400, 192}).empty());
  EXPECT_THROW(LayerTiles("x", {}, TileOptions{0, 64, 1.0}), Error);
  EXPECT_THROW(LayerTiles("x", {}, TileOptions{4096, 64, -1.0}), Error);
  EXPECT_THROW(LayerTiles("x", {}, TileOptions{4096, 64, std::nan("")}), Error);
  LayerTiles empty("x", {});
  EXPECT_EQ(empty.feature_count(), 0u);
  EXPECT_EQ(empty.tile({0, 0, 0}), "");
}

// A 500-vertex wavy polygon of 100 m radius in the middle of one z16 tile: gone at z4 (below
// one unit²), simplified to a few vertices at z8, more and more towards z14, all 500 beyond the
// deepest simplified level; at every simplified zoom the vertices drawn are those a textbook
// Douglas-Peucker keeps, and each source vertex lies within the tolerance (plus half a diagonal
// of snapping) of the outline drawn.
TEST(TilesSimplify, FewerVerticesAtLowZoomAllBeyondTheDeepestLevel) {
  ASSERT_EQ(kSimplifiedMaxZoom, 14);
  const int z16 = 16;
  const std::int64_t X16 = 53000, Y16 = 24300; // Inner Mongolia
  const geo::Point centre = lonlat_at(z16, X16, Y16, 2048, 2048);
  std::mt19937_64 rng(11);
  const geo::Ring ring = star(rng, centre, 100, 500, 0.03);
  LayerTiles layer("zones", {feature(1, {geo::Polygon{ring, {}}})});

  // Below z8 it is smaller than a unit and vanishes.
  EXPECT_EQ(layer.tile({4, X16 >> 12, Y16 >> 12}), "");
  std::map<int, std::size_t> count;
  for (int z = 8; z <= z16; ++z) {
    const std::int64_t tx = X16 >> (z16 - z), ty = Y16 >> (z16 - z);
    const DLayer l = one_layer(layer.tile({z, tx, ty}));
    ASSERT_EQ(l.features.size(), 1u) << "z" << z;
    ASSERT_EQ(l.features[0].rings.size(), 1u) << "z" << z;
    const DRing &drawn = l.features[0].rings[0];
    count[z] = drawn.size();
    EXPECT_GT(twice_area(drawn), 0);
    if (z > kSimplifiedMaxZoom) continue;
    // The same vertices as a textbook Douglas-Peucker at 1 unit, snapped to the grid.
    std::vector<std::pair<double, double>> units;
    for (const auto &p : ring)
      units.push_back(units_of(p, z, tx, ty));
    std::vector<bool> keep(units.size(), false);
    keep.front() = true;
    reference_dp(units, 0, units.size() - 1, 1.0, keep);
    std::set<Pt> expected;
    for (std::size_t i = 0; i + 1 < units.size(); ++i)
      if (keep[i]) expected.insert({std::llround(units[i].first), std::llround(units[i].second)});
    EXPECT_EQ(std::set<Pt>(drawn.begin(), drawn.end()), expected) << "z" << z;
    for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
      auto [px, py] = units_of(ring[i], z, tx, ty);
      double best = 1e300;
      for (std::size_t k = 0; k < drawn.size(); ++k) {
        const Pt &a = drawn[k], &b = drawn[(k + 1) % drawn.size()];
        best = std::min(best, seg_dist(px, py, static_cast<double>(a.x), static_cast<double>(a.y),
                                       static_cast<double>(b.x), static_cast<double>(b.y)));
      }
      ASSERT_LE(best, 1.0 + 0.75) << "z" << z << " vertex " << i;
    }
  }
  EXPECT_LE(count[8], 16u);
  EXPECT_LT(count[8], count[12]);
  EXPECT_LT(count[12], count[14]);
  EXPECT_LT(count[14], 500u);
  for (int z = 9; z <= 14; ++z)
    EXPECT_LE(count[z - 1], count[z]) << "z" << z;
  EXPECT_EQ(count[15], 500u);
  EXPECT_EQ(count[16], 500u);

  // A tolerance of 0 keeps every vertex at z14.
  LayerTiles exact("zones", {feature(1, {geo::Polygon{ring, {}}})}, TileOptions{4096, 64, 0.0});
  const DLayer l14 = one_layer(exact.tile({14, X16 >> 2, Y16 >> 2}));
  EXPECT_EQ(vertices(l14), 500u);
}

// A 40 km polygon over many z11 tiles: every point drawn lies within extent + buffer, exterior
// rings stay clockwise, and with no buffer the tiles' areas add up to the polygon's own area.
// A tile wholly inside the polygon holds exactly the buffered square.
TEST(TilesClip, EdgeCrossingPolygonClippedToTileAndBuffer) {
  const geo::Point centre{111.5, 41.2};
  std::mt19937_64 rng(5);
  const geo::Ring ring = star(rng, centre, 40000, 3000, 0.01);
  geo::Polygon poly{ring, {star(rng, centre, 8000, 300, 0.01)}}; // a hole in the middle
  std::reverse(poly.holes[0].begin(), poly.holes[0].end());
  const int z = 11;
  double min_x = 1e300, min_y = 1e300, max_x = -1e300, max_y = -1e300;
  for (const auto &p : ring) {
    auto [ux, uy] = units_of(p, z, 0, 0);
    min_x = std::min(min_x, ux);
    max_x = std::max(max_x, ux);
    min_y = std::min(min_y, uy);
    max_y = std::max(max_y, uy);
  }
  // The polygon's area in z11 tile units (shoelace on the unrounded projection).
  auto area_units = [&](const geo::Ring &r) {
    double s = 0;
    for (std::size_t i = 0; i + 1 < r.size(); ++i) {
      auto [ax, ay] = units_of(r[i], z, 0, 0);
      auto [bx, by] = units_of(r[i + 1], z, 0, 0);
      s += ax * by - bx * ay;
    }
    return std::fabs(s) / 2;
  };
  const double expected = area_units(ring) - area_units(poly.holes[0]);

  for (std::uint32_t buffer : {64u, 0u, 300u}) {
    LayerTiles layer("zones", {feature(1, {poly})}, TileOptions{4096, buffer, 1.0});
    double total = 0;
    int tiles = 0, full = 0, crossing = 0;
    for (auto tx = static_cast<std::int64_t>(std::floor((min_x - 500) / 4096));
         tx <= static_cast<std::int64_t>(std::floor((max_x + 500) / 4096)); ++tx)
      for (auto ty = static_cast<std::int64_t>(std::floor((min_y - 500) / 4096));
           ty <= static_cast<std::int64_t>(std::floor((max_y + 500) / 4096)); ++ty) {
        const std::string bytes = layer.tile({z, tx, ty});
        if (bytes.empty()) continue;
        ++tiles;
        const DLayer l = one_layer(bytes);
        ASSERT_EQ(l.features.size(), 1u);
        const auto b = static_cast<std::int64_t>(buffer);
        bool touches_edge = false;
        for (const auto &r : l.features[0].rings) {
          ASSERT_GE(r.size(), 3u);
          EXPECT_NE(twice_area(r), 0);
          total += twice_area(r) / 2;
          for (const Pt &p : r) {
            ASSERT_GE(p.x, -b);
            ASSERT_LE(p.x, 4096 + b);
            ASSERT_GE(p.y, -b);
            ASSERT_LE(p.y, 4096 + b);
            touches_edge |= p.x == -b || p.x == 4096 + b || p.y == -b || p.y == 4096 + b;
          }
        }
        EXPECT_GT(twice_area(l.features[0].rings[0]), 0);
        crossing += touches_edge;
        const auto &r0 = l.features[0].rings[0];
        if (l.features[0].rings.size() == 1 && r0.size() == 4 &&
            std::fabs(twice_area(r0) - 2.0 * (4096 + 2 * b) * (4096 + 2 * b)) < 1e-9) {
          ++full;
          std::set<Pt> c(r0.begin(), r0.end());
          EXPECT_EQ(c,
                    (std::set<Pt>{{-b, -b}, {4096 + b, -b}, {4096 + b, 4096 + b}, {-b, 4096 + b}}));
        }
      }
    EXPECT_GT(tiles, 20) << "buffer " << buffer;
    EXPECT_GT(full, 5) << "buffer " << buffer;
    EXPECT_GT(crossing, 10) << "buffer " << buffer;
    if (buffer == 0)
      EXPECT_NEAR(total, expected, expected * 2e-4);
    else
      EXPECT_GT(total, expected);
  }
}

// The engine's answer does not depend on threads: many threads asking at once, each in its
// own order, get byte for byte what one thread got.
TEST(TilesConcurrency, ManyThreadsSameBytes) {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> lon(108, 116), lat(39, 44), rad(500, 15000);
  std::vector<SourceFeature> fs;
  for (int i = 0; i < 400; ++i) {
    geo::Polygon p{star(rng, {lon(rng), lat(rng)}, rad(rng), 60 + i % 200, 0.05), {}};
    fs.push_back(feature(
        static_cast<std::uint64_t>(i + 1), {p},
        {{"name", std::string("区块") + std::to_string(i % 37)}, {"n", std::int64_t{i % 11}}}));
  }
  const LayerTiles layer("zones", std::move(fs));
  std::vector<TileId> ids;
  for (int z = 0; z <= 16; ++z) {
    const double n = std::ldexp(1.0, z);
    const auto x0 = static_cast<std::int64_t>((108.0 + 180) / 360 * n);
    const auto x1 = static_cast<std::int64_t>((116.0 + 180) / 360 * n);
    auto ty = [&](double la) {
      const double r = la * kPi / 180;
      return static_cast<std::int64_t>((1 - std::log(std::tan(r) + 1 / std::cos(r)) / kPi) / 2 * n);
    };
    const std::int64_t y0 = ty(44), y1 = ty(39);
    std::int64_t step = std::max<std::int64_t>(1, (x1 - x0 + 1) * (y1 - y0 + 1) / 150);
    std::int64_t k = 0;
    for (std::int64_t x = x0; x <= x1; ++x)
      for (std::int64_t y = y0; y <= y1; ++y)
        if (k++ % step == 0) ids.push_back({z, x, y});
  }
  std::vector<std::string> single;
  std::size_t non_empty = 0;
  for (const auto &t : ids) {
    single.push_back(layer.tile(t));
    non_empty += !single.back().empty();
  }
  EXPECT_GT(non_empty, ids.size() / 4);

  const int threads = 8;
  std::vector<std::vector<std::string>> got(threads, std::vector<std::string>(ids.size()));
  std::vector<std::thread> pool;
  for (int th = 0; th < threads; ++th)
    pool.emplace_back([&, th] {
      std::vector<std::size_t> order(ids.size());
      for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
      std::shuffle(order.begin(), order.end(), std::mt19937_64(static_cast<std::uint64_t>(th)));
      for (std::size_t i : order)
        got[static_cast<std::size_t>(th)][i] = layer.tile(ids[i]);
    });
  for (auto &t : pool)
    t.join();
  for (int th = 0; th < threads; ++th)
    for (std::size_t i = 0; i < ids.size(); ++i)
      ASSERT_EQ(got[static_cast<std::size_t>(th)][i], single[i])
          << "thread " << th << " tile " << ids[i].z << "/" << ids[i].x << "/" << ids[i].y;
}

// Whatever the input (self-intersections, spikes, repeated and non-finite coordinates, points
// beyond ±180° / ±85°, rings of one or two points, unclosed rings), every tile decodes, every
// point lies within the buffered tile, exteriors have positive area and holes negative.
TEST(TilesRobustness, GarbageInputGivesValidTiles) {
  std::mt19937_64 rng(99);
  std::uniform_real_distribution<double> lon(105, 120), lat(38, 46), jitter(-0.5, 0.5);
  std::uniform_int_distribution<int> size(0, 40), pick(0, 19);
  std::vector<SourceFeature> fs;
  auto garbage_ring = [&]() {
    geo::Ring r;
    const geo::Point c{lon(rng), lat(rng)};
    const int n = size(rng);
    for (int i = 0; i < n; ++i) {
      geo::Point p{c.x + jitter(rng), c.y + jitter(rng)};
      switch (pick(rng)) {
      case 0: p.x = std::nan(""); break;
      case 1: p.y = std::numeric_limits<double>::infinity(); break;
      case 2: p.x += 700; break;
      case 3: p.y = 89.9; break;
      case 4:
        if (!r.empty()) p = r.back();
        break;
      default: break;
      }
      r.push_back(p);
    }
    if (!r.empty() && pick(rng) < 15) r.push_back(r.front());
    return r;
  };
  for (int i = 0; i < 300; ++i) {
    geo::MultiPolygon mp;
    for (int k = pick(rng) % 3; k >= 0; --k) {
      geo::Polygon p{garbage_ring(), {}};
      for (int h = pick(rng) % 3; h > 0; --h)
        p.holes.push_back(garbage_ring());
      mp.push_back(std::move(p));
    }
    fs.push_back(feature(static_cast<std::uint64_t>(i), std::move(mp)));
  }
  fs.push_back(feature(999, {}));
  LayerTiles layer("zones", std::move(fs));
  std::size_t tiles = 0, rings = 0;
  for (int z = 0; z <= 17; z += 1) {
    const double n = std::ldexp(1.0, z);
    for (int k = 0; k < 40; ++k) {
      const geo::Point c{lon(rng), lat(rng)};
      auto [ux, uy] = units_of(c, z, 0, 0);
      const TileId t{
          z, std::min(static_cast<std::int64_t>(ux / 4096), static_cast<std::int64_t>(n) - 1),
          std::min(static_cast<std::int64_t>(uy / 4096), static_cast<std::int64_t>(n) - 1)};
      const std::string bytes = layer.tile(t);
      if (bytes.empty()) continue;
      ++tiles;
      std::vector<DLayer> layers;
      ASSERT_NO_THROW(layers = decode_tile(bytes)) << z;
      ASSERT_EQ(layers.size(), 1u);
      for (const auto &f : layers[0].features) {
        ASSERT_FALSE(f.rings.empty());
        EXPECT_GT(twice_area(f.rings[0]), 0) << "a feature starts with an exterior";
        for (const auto &r : f.rings) {
          ++rings;
          EXPECT_NE(twice_area(r), 0);
          for (const Pt &p : r) {
            ASSERT_GE(p.x, -64);
            ASSERT_LE(p.x, 4160);
            ASSERT_GE(p.y, -64);
            ASSERT_LE(p.y, 4160);
          }
        }
      }
    }
  }
  EXPECT_GT(tiles, 100u);
  EXPECT_GT(rings, 200u);
}

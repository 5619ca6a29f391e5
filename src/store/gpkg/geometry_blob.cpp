#include "store/gpkg/geometry_blob.hpp"

#include "core/error.hpp"

#include <cstring>

namespace mineplan::store::gpkg {
namespace {

constexpr std::uint32_t kWkbPolygon = 3;
constexpr std::uint32_t kWkbMultiPolygon = 6;
constexpr std::uint32_t kEwkbSridFlag = 0x20000000;

class Writer {
public:
  explicit Writer(std::size_t reserve) { out_.reserve(reserve); }
  void u8(std::uint8_t v) { out_.push_back(v); }
  template <class T> void raw(T v) {
    std::uint8_t b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T)); // the formats are little-endian, as is every target we build for
    out_.insert(out_.end(), b, b + sizeof(T));
  }
  void ring(const geo::Ring &r) {
    raw<std::uint32_t>(static_cast<std::uint32_t>(r.size()));
    for (const auto &p : r) {
      raw(p.x);
      raw(p.y);
    }
  }
  std::vector<std::uint8_t> take() { return std::move(out_); }

private:
  std::vector<std::uint8_t> out_;
};

class Reader {
public:
  explicit Reader(std::span<const std::uint8_t> in) : in_(in) {}
  std::size_t pos() const { return pos_; }
  void seek(std::size_t p) { pos_ = p; }
  std::uint8_t u8() {
    need(1);
    return in_[pos_++];
  }
  std::uint32_t u32(bool little) {
    need(4);
    std::uint32_t v = 0;
    if (little)
      for (int i = 3; i >= 0; --i)
        v = (v << 8) | in_[pos_ + static_cast<std::size_t>(i)];
    else
      for (int i = 0; i < 4; ++i)
        v = (v << 8) | in_[pos_ + static_cast<std::size_t>(i)];
    pos_ += 4;
    return v;
  }
  double f64(bool little) {
    need(8);
    std::uint64_t bits = 0;
    if (little)
      for (int i = 7; i >= 0; --i)
        bits = (bits << 8) | in_[pos_ + static_cast<std::size_t>(i)];
    else
      for (int i = 0; i < 8; ++i)
        bits = (bits << 8) | in_[pos_ + static_cast<std::size_t>(i)];
    pos_ += 8;
    double d;
    std::memcpy(&d, &bits, 8);
    return d;
  }
  std::size_t remaining() const { return in_.size() - pos_; }

private:
  void need(std::size_t n) const {
    if (pos_ + n > in_.size()) throw Error("geometry blob truncated");
  }
  std::span<const std::uint8_t> in_;
  std::size_t pos_ = 0;
};

geo::Ring read_ring(Reader &r, bool little) {
  std::uint32_t n = r.u32(little);
  if (n > r.remaining() / 16) throw Error("geometry blob: ring point count exceeds data");
  geo::Ring ring;
  ring.reserve(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    double x = r.f64(little);
    double y = r.f64(little);
    ring.push_back({x, y});
  }
  return ring;
}

geo::Polygon read_polygon_body(Reader &r, bool little) {
  std::uint32_t rings = r.u32(little);
  if (rings > r.remaining() / 4) throw Error("geometry blob: ring count exceeds data");
  geo::Polygon poly;
  for (std::uint32_t i = 0; i < rings; ++i) {
    if (i == 0)
      poly.outer = read_ring(r, little);
    else
      poly.holes.push_back(read_ring(r, little));
  }
  return poly;
}

geo::MultiPolygon read_wkb(Reader &r) {
  bool little = r.u8() == 1;
  std::uint32_t type = r.u32(little);
  if (type & kEwkbSridFlag) r.u32(little); // PostGIS EWKB: the SRID follows the type
  type = (type & 0x0FFFFFFF) % 1000;       // ISO Z/M variants are not used by us
  if (type == kWkbPolygon) return {read_polygon_body(r, little)};
  if (type != kWkbMultiPolygon)
    throw Error("geometry blob: expected Polygon or MultiPolygon, found WKB type " +
                std::to_string(type));
  std::uint32_t n = r.u32(little);
  if (n > r.remaining() / 9) throw Error("geometry blob: part count exceeds data");
  geo::MultiPolygon mp;
  for (std::uint32_t i = 0; i < n; ++i) {
    bool part_little = r.u8() == 1;
    std::uint32_t part_type = r.u32(part_little) % 1000;
    if (part_type != kWkbPolygon) throw Error("geometry blob: MultiPolygon part is not a Polygon");
    mp.push_back(read_polygon_body(r, part_little));
  }
  return mp;
}

} // namespace

std::vector<std::uint8_t> encode_blob(const geo::MultiPolygon &mp, std::int32_t srs_id) {
  geo::Envelope env = geo::envelope_of(mp);
  Writer w(64 + geo::vertex_count(mp) * 16 + mp.size() * 16);
  w.u8('G');
  w.u8('P');
  w.u8(0); // version 1.0 of the blob format
  bool empty = mp.empty() || env.empty();
  // flags: little-endian (bit 0), envelope [minx,maxx,miny,maxy] (bits 1-3 = 1), empty (bit 4)
  w.u8(static_cast<std::uint8_t>(empty ? 0x11 : 0x03));
  w.raw<std::int32_t>(srs_id);
  if (!empty) {
    w.raw(env.min_x);
    w.raw(env.max_x);
    w.raw(env.min_y);
    w.raw(env.max_y);
  }
  w.u8(1);
  w.raw<std::uint32_t>(kWkbMultiPolygon);
  w.raw<std::uint32_t>(static_cast<std::uint32_t>(mp.size()));
  for (const auto &poly : mp) {
    w.u8(1);
    w.raw<std::uint32_t>(kWkbPolygon);
    w.raw<std::uint32_t>(static_cast<std::uint32_t>(1 + poly.holes.size()));
    w.ring(poly.outer);
    for (const auto &h : poly.holes)
      w.ring(h);
  }
  return w.take();
}

std::vector<std::uint8_t> encode_ewkb(const geo::MultiPolygon &mp, std::int32_t srs_id) {
  Writer w(16 + geo::vertex_count(mp) * 16 + mp.size() * 16);
  w.u8(1);
  w.raw<std::uint32_t>(kWkbMultiPolygon | kEwkbSridFlag);
  w.raw<std::int32_t>(srs_id);
  w.raw<std::uint32_t>(static_cast<std::uint32_t>(mp.size()));
  for (const auto &poly : mp) {
    w.u8(1);
    w.raw<std::uint32_t>(kWkbPolygon);
    w.raw<std::uint32_t>(static_cast<std::uint32_t>(1 + poly.holes.size()));
    w.ring(poly.outer);
    for (const auto &h : poly.holes)
      w.ring(h);
  }
  return w.take();
}

geo::MultiPolygon decode_wkb(std::span<const std::uint8_t> wkb) {
  Reader r(wkb);
  return read_wkb(r);
}

std::optional<BlobHeader> read_header(std::span<const std::uint8_t> blob) {
  if (blob.size() < 8 || blob[0] != 'G' || blob[1] != 'P') return std::nullopt;
  std::uint8_t flags = blob[3];
  bool little = flags & 1;
  int env_type = (flags >> 1) & 7;
  static constexpr int kEnvDoubles[] = {0, 4, 6, 6, 8};
  if (env_type > 4) return std::nullopt;
  BlobHeader h;
  Reader r(blob);
  r.seek(4);
  h.srs_id = static_cast<std::int32_t>(r.u32(little));
  h.empty = flags & 0x10;
  std::size_t n = static_cast<std::size_t>(kEnvDoubles[env_type]);
  if (blob.size() < 8 + n * 8) return std::nullopt;
  if (n > 0) {
    geo::Envelope e;
    e.min_x = r.f64(little);
    e.max_x = r.f64(little);
    e.min_y = r.f64(little);
    e.max_y = r.f64(little);
    h.envelope = e;
  }
  h.wkb_offset = 8 + n * 8;
  return h;
}

geo::MultiPolygon decode_blob(std::span<const std::uint8_t> blob) {
  auto h = read_header(blob);
  if (!h) throw Error("not a GeoPackage geometry blob");
  Reader r(blob);
  r.seek(h->wkb_offset);
  return read_wkb(r);
}

std::optional<geo::Envelope> blob_envelope(std::span<const std::uint8_t> blob) {
  auto h = read_header(blob);
  if (!h || h->empty) return std::nullopt;
  if (h->envelope) return h->envelope;
  try {
    auto env = geo::envelope_of(decode_blob(blob));
    if (env.empty()) return std::nullopt;
    return env;
  } catch (const Error &) {
    return std::nullopt;
  }
}

} // namespace mineplan::store::gpkg

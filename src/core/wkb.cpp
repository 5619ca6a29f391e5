#include "core/wkb.hpp"

#include "core/error.hpp"

#include <cstring>
#include <optional>

namespace mineplan::geo {
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
  void ring(const Ring &r) {
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

Ring read_ring(Reader &r, bool little) {
  std::uint32_t n = r.u32(little);
  if (n > r.remaining() / 16) throw Error("geometry blob: ring point count exceeds data");
  Ring ring;
  ring.reserve(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    double x = r.f64(little);
    double y = r.f64(little);
    ring.push_back({x, y});
  }
  return ring;
}

Polygon read_polygon_body(Reader &r, bool little) {
  std::uint32_t rings = r.u32(little);
  if (rings > r.remaining() / 4) throw Error("geometry blob: ring count exceeds data");
  Polygon poly;
  for (std::uint32_t i = 0; i < rings; ++i) {
    if (i == 0)
      poly.outer = read_ring(r, little);
    else
      poly.holes.push_back(read_ring(r, little));
  }
  return poly;
}

MultiPolygon read_wkb(Reader &r) {
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
  MultiPolygon mp;
  for (std::uint32_t i = 0; i < n; ++i) {
    bool part_little = r.u8() == 1;
    std::uint32_t part_type = r.u32(part_little) % 1000;
    if (part_type != kWkbPolygon) throw Error("geometry blob: MultiPolygon part is not a Polygon");
    mp.push_back(read_polygon_body(r, part_little));
  }
  return mp;
}

void write_multipolygon(Writer &w, const MultiPolygon &mp, std::uint32_t type_flags,
                        std::optional<std::int32_t> srid) {
  w.u8(1);
  w.raw<std::uint32_t>(kWkbMultiPolygon | type_flags);
  if (srid) w.raw<std::int32_t>(*srid);
  w.raw<std::uint32_t>(static_cast<std::uint32_t>(mp.size()));
  for (const auto &poly : mp) {
    w.u8(1);
    w.raw<std::uint32_t>(kWkbPolygon);
    w.raw<std::uint32_t>(static_cast<std::uint32_t>(1 + poly.holes.size()));
    w.ring(poly.outer);
    for (const auto &h : poly.holes)
      w.ring(h);
  }
}

} // namespace

std::size_t wkb_size(const MultiPolygon &mp) {
  std::size_t n = 9;
  for (const auto &poly : mp) {
    n += 9;
    n += 4 + poly.outer.size() * 16;
    for (const auto &h : poly.holes)
      n += 4 + h.size() * 16;
  }
  return n;
}

void append_wkb(std::vector<std::uint8_t> &out, const MultiPolygon &mp) {
  Writer w(wkb_size(mp));
  write_multipolygon(w, mp, 0, std::nullopt);
  auto bytes = w.take();
  out.insert(out.end(), bytes.begin(), bytes.end());
}

std::vector<std::uint8_t> encode_wkb(const MultiPolygon &mp) {
  Writer w(wkb_size(mp));
  write_multipolygon(w, mp, 0, std::nullopt);
  return w.take();
}

std::vector<std::uint8_t> encode_ewkb(const MultiPolygon &mp, std::int32_t srs_id) {
  Writer w(wkb_size(mp) + 4);
  write_multipolygon(w, mp, kEwkbSridFlag, srs_id);
  return w.take();
}

MultiPolygon decode_wkb(std::span<const std::uint8_t> wkb) {
  Reader r(wkb);
  return read_wkb(r);
}

} // namespace mineplan::geo

#include "store/gpkg/geometry_blob.hpp"

#include "core/error.hpp"
#include "core/wkb.hpp"

#include <cstring>

namespace mineplan::store::gpkg {
namespace {

template <class T> void put(std::vector<std::uint8_t> &out, T v) {
  std::uint8_t b[sizeof(T)];
  std::memcpy(b, &v, sizeof(T)); // the format is little-endian, as is every target we build for
  out.insert(out.end(), b, b + sizeof(T));
}

// A header field in the byte order the blob's flags state.
template <class T> T take(std::span<const std::uint8_t> in, std::size_t at, bool little) {
  std::uint8_t b[sizeof(T)];
  for (std::size_t i = 0; i < sizeof(T); ++i)
    b[i] = little ? in[at + i] : in[at + sizeof(T) - 1 - i];
  T v;
  std::memcpy(&v, b, sizeof(T));
  return v;
}

} // namespace

std::vector<std::uint8_t> encode_blob(const geo::MultiPolygon &mp, std::int32_t srs_id) {
  geo::Envelope env = geo::envelope_of(mp);
  std::vector<std::uint8_t> out;
  out.reserve(40 + geo::wkb_size(mp));
  out.push_back('G');
  out.push_back('P');
  out.push_back(0); // version 1.0 of the blob format
  bool empty = mp.empty() || env.empty();
  // flags: little-endian (bit 0), envelope [minx,maxx,miny,maxy] (bits 1-3 = 1), empty (bit 4)
  out.push_back(static_cast<std::uint8_t>(empty ? 0x11 : 0x03));
  put<std::int32_t>(out, srs_id);
  if (!empty) {
    put(out, env.min_x);
    put(out, env.max_x);
    put(out, env.min_y);
    put(out, env.max_y);
  }
  geo::append_wkb(out, mp);
  return out;
}

std::optional<BlobHeader> read_header(std::span<const std::uint8_t> blob) {
  if (blob.size() < 8 || blob[0] != 'G' || blob[1] != 'P') return std::nullopt;
  std::uint8_t flags = blob[3];
  bool little = flags & 1;
  int env_type = (flags >> 1) & 7;
  static constexpr int kEnvDoubles[] = {0, 4, 6, 6, 8};
  if (env_type > 4) return std::nullopt;
  BlobHeader h;
  h.srs_id = take<std::int32_t>(blob, 4, little);
  h.empty = flags & 0x10;
  std::size_t n = static_cast<std::size_t>(kEnvDoubles[env_type]);
  if (blob.size() < 8 + n * 8) return std::nullopt;
  if (n > 0) {
    geo::Envelope e;
    e.min_x = take<double>(blob, 8, little);
    e.max_x = take<double>(blob, 16, little);
    e.min_y = take<double>(blob, 24, little);
    e.max_y = take<double>(blob, 32, little);
    h.envelope = e;
  }
  h.wkb_offset = 8 + n * 8;
  return h;
}

geo::MultiPolygon decode_blob(std::span<const std::uint8_t> blob) {
  auto h = read_header(blob);
  if (!h) throw Error("not a GeoPackage geometry blob");
  return geo::decode_wkb(blob.subspan(h->wkb_offset));
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

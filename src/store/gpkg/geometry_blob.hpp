#pragma once
// GeoPackage geometry blobs (GPKG 1.3 §2.1.3): "GP" header with srs id and an xy envelope,
// followed by ISO WKB (little-endian MultiPolygon, core/wkb.hpp).
#include "core/geometry.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace mineplan::store::gpkg {

std::vector<std::uint8_t> encode_blob(const geo::MultiPolygon &mp, std::int32_t srs_id);

// Throws mineplan::Error on a malformed blob or a geometry type other than (Multi)Polygon.
geo::MultiPolygon decode_blob(std::span<const std::uint8_t> blob);


struct BlobHeader {
  std::int32_t srs_id = 0;
  bool empty = false;
  std::optional<geo::Envelope> envelope;
  std::size_t wkb_offset = 0;
};
// Reads only the header; nullopt when the bytes are not a GeoPackage blob.
std::optional<BlobHeader> read_header(std::span<const std::uint8_t> blob);

// Envelope of the blob, from the header when present, else by scanning the WKB.
std::optional<geo::Envelope> blob_envelope(std::span<const std::uint8_t> blob);

} // namespace mineplan::store::gpkg

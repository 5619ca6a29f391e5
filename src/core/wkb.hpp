#pragma once
// Well-known binary of the (Multi)Polygons mineplan stores: ISO WKB (OGC 06-103r4 §8) and
// PostGIS extended WKB (the SRID after the type). Both stores speak it: the GeoPackage blob
// wraps ISO WKB in its header (store/gpkg/geometry_blob), PostgreSQL takes EWKB.
#include "core/geometry.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace mineplan::geo {

// Bytes of the ISO WKB of mp, always a little-endian MultiPolygon.
std::size_t wkb_size(const MultiPolygon &mp);
std::vector<std::uint8_t> encode_wkb(const MultiPolygon &mp);
void append_wkb(std::vector<std::uint8_t> &out, const MultiPolygon &mp);

// PostGIS extended WKB (the SRID after the type): how the PostgreSQL store sends geometry.
std::vector<std::uint8_t> encode_ewkb(const MultiPolygon &mp, std::int32_t srs_id);

// ISO WKB or PostGIS EWKB of a Polygon or MultiPolygon, either byte order; throws
// mineplan::Error when malformed or of another type.
MultiPolygon decode_wkb(std::span<const std::uint8_t> wkb);

} // namespace mineplan::geo

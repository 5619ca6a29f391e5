// libFuzzer entry for the geometry decoders (src/store/gpkg/geometry_blob.hpp, src/core/wkb.hpp): GeoPackage
// blobs read from a file anyone may hand us, and WKB / PostGIS EWKB read from the server store.
// Malformed bytes must be rejected with mineplan::Error; any other exception, a crash, a
// sanitizer report or a hang is a bug. What decodes must encode and decode to the same.
#include "core/error.hpp"
#include "core/wkb.hpp"
#include "store/gpkg/geometry_blob.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>

namespace {

bool same(const mineplan::geo::MultiPolygon &a, const mineplan::geo::MultiPolygon &b) {
  if (a.size() != b.size()) return false;
  auto ring_same = [](const mineplan::geo::Ring &x, const mineplan::geo::Ring &y) {
    // Bitwise: NaN coordinates are data too and must survive.
    return x.size() == y.size() &&
           (x.empty() || std::memcmp(x.data(), y.data(), x.size() * sizeof x[0]) == 0);
  };
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!ring_same(a[i].outer, b[i].outer) || a[i].holes.size() != b[i].holes.size()) return false;
    for (std::size_t k = 0; k < a[i].holes.size(); ++k)
      if (!ring_same(a[i].holes[k], b[i].holes[k])) return false;
  }
  return true;
}

void round_trip(const mineplan::geo::MultiPolygon &g) {
  namespace gpkg = mineplan::store::gpkg;
  if (!same(mineplan::geo::decode_wkb(mineplan::geo::encode_ewkb(g, 4490)), g)) std::abort();
  if (!same(gpkg::decode_blob(gpkg::encode_blob(g, 4490)), g)) std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  namespace gpkg = mineplan::store::gpkg;
  const std::span<const std::uint8_t> bytes(data, size);
  try {
    round_trip(mineplan::geo::decode_wkb(bytes));
  } catch (const mineplan::Error &) {
  }
  try {
    round_trip(gpkg::decode_blob(bytes));
  } catch (const mineplan::Error &) {
  }
  (void)gpkg::blob_envelope(bytes); // never throws: nullopt for what is not a blob
  return 0;
}

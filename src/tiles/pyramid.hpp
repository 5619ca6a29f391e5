#pragma once
// The zoom levels a LayerTiles precomputes simplified geometry for.
#include <cstdint>

namespace mineplan::tiles {

// Every zoom 0..kSimplifiedMaxZoom has its own simplified, grid-snapped copy of each feature
// (for the default 4096-unit extent); deeper tiles are cut from the full geometry, unsimplified.
constexpr int kSimplifiedMaxZoom = 14;

// The deepest simplified zoom for a tile extent: kSimplifiedMaxZoom, or less when the grid
// of that zoom (extent * 2^z units across the world) would not fit 29 bits.
int simplified_max_zoom(std::uint32_t extent);

} // namespace mineplan::tiles

#pragma once
// Integer rings in tile units: clipping to the buffered tile square, cleaning, orientation.
// Rings are open here (no repeated closing point).
#include <cstdint>
#include <vector>

namespace mineplan::tiles {

struct IPoint {
  std::int64_t x = 0;
  std::int64_t y = 0;
  bool operator==(const IPoint &) const = default;
};

using IRing = std::vector<IPoint>;

// Twice the signed area by the surveyor's formula: positive for a ring that turns clockwise
// on screen (y down), which MVT calls an exterior ring. Computed relative to the first point.
double twice_signed_area(const IRing &ring);

// Sutherland-Hodgman against the square [lo, hi] x [lo, hi]: the part of the ring inside, in
// the same orientation (a concave ring may come back with zero-width bridges along the edges,
// as every SH clipper gives). Intersections are rounded to the grid and lie exactly on the
// edge; an edge's intersection does not depend on the direction it is walked, so neighbours
// sharing an edge are cut at the same point. `scratch` is working space.
void clip_ring(const IRing &in, std::int64_t lo, std::int64_t hi, IRing &out, IRing &scratch);

// Drops repeated consecutive points (also across the closing edge). Then the ring is kept when
// it has at least 3 points and an area of at least `min_area` units², and is turned to
// clockwise (exterior) or counter-clockwise (hole) on screen. Returns whether it was kept.
bool clean_ring(IRing &ring, bool exterior, double min_area = 1.0);

} // namespace mineplan::tiles

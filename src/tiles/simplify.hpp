#pragma once
// Douglas-Peucker once for every tolerance: the importance of each vertex of a ring.
#include "core/geometry.hpp"

#include <vector>

namespace mineplan::tiles {

// For a closed ring (front() == back()), the squared tolerance below which each vertex
// survives Douglas-Peucker: with tolerance t, DP keeps exactly the vertices whose importance is
// greater than t * t. The two ends get +infinity. DP's recursion tree does not depend on t
// (each range splits at its farthest vertex), so a vertex survives when it and every vertex
// that split a range holding it are farther than t from their chords; its importance is the
// least of those squared distances. Distances are to the chord as a segment, so the first
// split of a closed ring (whose chord is a point) takes the vertex farthest from the start.
void douglas_peucker_importance(const std::vector<geo::Point> &ring, std::vector<double> &out);

} // namespace mineplan::tiles

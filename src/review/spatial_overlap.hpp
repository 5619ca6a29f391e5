#pragma once
// The area of the overlap of two polygonal geometries in the official planar convention,
// without building the overlap polygon.
//
// The boundary of A ∩ B consists of the parts of A's edges inside B, the parts of B's edges
// inside A, and the stretches where the two boundaries run together with their interiors on
// the same side. With every ring oriented interior-on-the-left, the shoelace sum over those
// directed pieces is the area of A ∩ B; taking each piece's end points through the
// Gauss-Krüger projection gives exactly the planar area of the overlap polygon whose vertices
// are projected — what GEOSIntersection + projection + shoelace gives, without GEOS's overlay
// machinery (~35 µs fixed cost per pair). Edges are split where they cross or touch (robust
// orientation predicate, the same one GEOS uses), and each piece is classified by its
// midpoint (even-odd point-in-polygon over a slab index). Both geometries must be valid.
#include "core/geometry.hpp"
#include "geo/proj.hpp"

#include <cstdint>
#include <vector>

namespace mineplan::review::detail {

// Orientation of c relative to the directed line a→b: +1 left (counter-clockwise), -1 right,
// 0 collinear. A double-precision filter, then GEOS's exact double-double predicate
// (GEOSOrientationIndex) for the doubtful cases: the same answers as GEOS.
int orientation(const geo::Point &a, const geo::Point &b, const geo::Point &c);

// The rings of a polygonal geometry with an edge index (horizontal slabs). Keeps pointers
// into the MultiPolygon, which must outlive the RingSet and not change. Immutable once
// built: safe to share between threads.
class RingSet {
public:
  RingSet() = default;
  explicit RingSet(const geo::MultiPolygon &mp);

  struct Edge {
    const geo::Point *a = nullptr; // storage order: a = ring[index], b = ring[index + 1]
    const geo::Point *b = nullptr;
    bool reversed = false; // the interior is on the left of b→a (not a→b)
    std::uint32_t ring = 0;
    std::uint32_t index = 0;
  };

  std::uint32_t edge_count() const { return edge_start_.empty() ? 0 : edge_start_.back(); }
  Edge edge(std::uint32_t g) const;
  std::size_t ring_count() const { return rings_.size(); }
  const geo::Ring &ring(std::size_t r) const { return *rings_[r]; }
  bool ring_reversed(std::size_t r) const { return reversed_[r] != 0; }
  const geo::Envelope &envelope() const { return env_; }
  std::size_t memory_bytes() const;

  // Even-odd point in polygon; a point exactly on the boundary may go either way.
  bool contains(const geo::Point &p) const;
  // The non-degenerate edges whose bounding box meets `box`, each once, unordered.
  void edges_in(const geo::Envelope &box, std::vector<std::uint32_t> &out) const;

private:
  std::uint32_t slab_of(double y) const;
  std::vector<const geo::Ring *> rings_;
  std::vector<std::uint32_t> edge_start_; // per ring, then the total
  std::vector<std::uint8_t> reversed_;
  geo::Envelope env_;
  double y0_ = 0;
  double scale_ = 0;
  std::uint32_t slabs_ = 1;
  std::vector<std::uint32_t> slab_start_; // slabs_ + 1
  std::vector<std::uint32_t> slab_edges_;
};

// How a feature relates to a boundary, from one pass over their edges near each other.
struct Relation {
  bool intersects = false; // they share at least a point (OGC intersects)
  bool covers = false;     // the feature covers the whole boundary (OGC covers)
  double overlap_m2 = 0;   // planar area of boundary ∩ feature in the plane of `gk`
  bool touched = false;    // the boundaries meet (crossing, touching or shared stretch)
};

// `boundary_gk` is the boundary's MultiPolygon already projected with `gk` (same structure).
// Predicates are exact up to the orientation predicate: boundaries meeting anywhere -> they
// intersect; a proper crossing -> no cover; otherwise each piece between meeting points is
// classified by its midpoint. Without any meeting point each ring lies wholly inside or
// outside the other geometry, and one vertex tells which. The overlap is measured unless
// `area` is false (then 0); when the feature covers the boundary it is the boundary's own
// planar area.
Relation relate(const RingSet &boundary, const geo::MultiPolygon &boundary_gk,
                const RingSet &feature, const geo::Transformer &gk, bool area = true);

// relate(...).overlap_m2.
double overlap_area_m2(const RingSet &boundary, const geo::MultiPolygon &boundary_gk,
                       const RingSet &feature, const geo::Transformer &gk);

} // namespace mineplan::review::detail

#pragma once
// The spatial side of a review: every zone and right of the store in a GEOS STR-tree, queried
// with an application's boundary. Intersections are found in CGCS2000 lon/lat with GEOS's
// exact orientation predicate over a per-feature edge index (see spatial.cpp for why not GEOS
// prepared geometries); the areas of what overlaps are measured in the official convention,
// the planar Gauss-Krüger area in the application's own 3° zone, equal to GEOSIntersection +
// projection + shoelace. Validating and projecting a boundary costs ~15 µs: make a Boundary
// once and ask it several queries rather than passing the polygon to each.
#include "core/model.hpp"
#include "core/shared_geometry.hpp"
#include "geo/crs.hpp"

#include <memory>
#include <string>
#include <vector>

namespace mineplan::review {

struct SpatialFeature {
  std::string layer;   // zone | right
  std::string id;      // "<plan>/<zone id>" for zones, the right's uid for rights
  std::string plan_id; // zones
  std::string kind;    // zone kind (concentrated_area, red_line …) or right kind (mining …)
  std::string name;
  std::string holder; // rights
  std::vector<std::string> minerals;
  // CGCS2000; shared with the read model's record it came from (never copied) unless build()
  // had to repair it, then the repaired geometry is this feature's own.
  geo::SharedGeometry lonlat;
  // Set by SpatialIndex::build(): empty when the geometry was valid. Otherwise what GEOS found
  // ("Self-intersection at (lon, lat)") and what was done: repaired with GEOS MakeValid
  // (`lonlat` then holds the repaired geometry, the one every query uses) or, when nothing
  // areal was left, dropped (`lonlat` emptied). A feature whose `lonlat` is empty after build()
  // is never hit: a rule that needs it must say "cannot verify".
  std::string geometry_problem;
};

struct SpatialHit {
  const SpatialFeature *feature = nullptr;
  bool intersects = false;
  bool contains_boundary = false; // the feature covers the whole boundary
  double overlap_m2 = 0;          // official planar area of the intersection
  double overlap_share = 0;       // overlap / boundary area
  double distance_m = 0;          // 0 when they intersect; else the gap (within the query buffer)
  // Non-empty when GEOS could not measure this pair (overlay failure even with snap-rounding):
  // the hit is reported as intersecting with overlap 0, and the finding must say "cannot
  // verify" rather than pass.
  std::string problem;
};

// An application's boundary made ready for queries once: validated, rings closed, projected
// into the CGCS2000 3° Gauss-Krüger zone of its centroid, its official area measured. Throws
// mineplan::Error for an empty or invalid boundary (GEOS's reason and location). Holds GEOS
// objects of the thread that made it: query it on that thread.
class Boundary {
public:
  explicit Boundary(const geo::MultiPolygon &lonlat);
  // The same with the projection already made: `projected` is `lonlat` in the CGCS2000 3°
  // Gauss-Krüger zone `gk_zone` of its centroid, unprefixed (an Application's boundary_planar
  // and planar_crs), so that a review projects its boundary once. Falls back to projecting
  // when `projected` does not have `lonlat`'s shape or the zone is not the centroid's.
  Boundary(const geo::MultiPolygon &lonlat, const geo::MultiPolygon &projected, int gk_zone);
  ~Boundary();
  Boundary(Boundary &&) noexcept;
  Boundary &operator=(Boundary &&) noexcept;
  double area_m2() const; // official planar area

  struct Data; // spatial.cpp

private:
  Boundary(const geo::MultiPolygon &lonlat, const geo::MultiPolygon *projected, int gk_zone);
  friend class SpatialIndex;
  std::unique_ptr<Data> d_;
};

class SpatialIndex {
public:
  SpatialIndex();
  ~SpatialIndex();
  SpatialIndex(SpatialIndex &&) noexcept;
  SpatialIndex &operator=(SpatialIndex &&) noexcept;

  // Adds a feature; build() must be called once after the last add and before queries.
  void add(SpatialFeature feature);
  void build();
  std::size_t size() const;
  // Every feature added, in insertion order (stable addresses; geometry_problem set by build()).
  std::vector<const SpatialFeature *> features() const;
  // The feature with this id (zones "<plan>/<zone id>", rights their uid), null when none was
  // added; the first added wins should a zone and a right share an id. After build().
  const SpatialFeature *find(const std::string &id) const;

  // Features whose geometry intersects the boundary (or lies within buffer_m of it), with
  // overlaps measured, ordered by (layer, kind, id). `layer`/`kinds` filter (empty = all).
  // `intersects` includes touching (overlap_m2 ~ 0: test overlap_m2 against a tolerance for
  // "overlaps"). Thread-safe after build() (no locks). Throws mineplan::Error for an empty or
  // invalid boundary (GEOS's reason and location), a negative buffer, or before build().
  std::vector<SpatialHit> query(const geo::MultiPolygon &boundary_lonlat,
                                const std::string &layer = {},
                                const std::vector<std::string> &kinds = {},
                                double buffer_m = 0) const;
  // The same for a boundary made ready once (several queries of one application).
  std::vector<SpatialHit> query(const Boundary &boundary, const std::string &layer = {},
                                const std::vector<std::string> &kinds = {},
                                double buffer_m = 0) const;

  // Official planar area (m2) of a lon/lat boundary, in its own 3° Gauss-Krüger zone.
  static double official_area_m2(const geo::MultiPolygon &boundary_lonlat);

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace mineplan::review

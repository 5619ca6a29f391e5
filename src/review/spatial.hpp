#pragma once
// The spatial side of a review: every zone and right of the store in a GEOS STR-tree with
// prepared geometries, queried with an application's boundary. Intersections are found in
// CGCS2000 lon/lat; the areas of what overlaps are measured in the official convention, the
// planar Gauss-Krüger area in the application's own 3° zone.
#include "core/model.hpp"
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
  geo::MultiPolygon lonlat; // CGCS2000
};

struct SpatialHit {
  const SpatialFeature *feature = nullptr;
  bool intersects = false;
  bool contains_boundary = false; // the feature covers the whole boundary
  double overlap_m2 = 0;          // official planar area of the intersection
  double overlap_share = 0;       // overlap / boundary area
  double distance_m = 0;          // 0 when they intersect; else the gap (within the query buffer)
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

  // Features whose geometry intersects the boundary (or lies within buffer_m of it), with
  // overlaps measured. `layer`/`kinds` filter (empty = all). Thread-safe after build().
  std::vector<SpatialHit> query(const geo::MultiPolygon &boundary_lonlat,
                                const std::string &layer = {},
                                const std::vector<std::string> &kinds = {},
                                double buffer_m = 0) const;

  // Official planar area (m2) of a lon/lat boundary, in its own 3° Gauss-Krüger zone.
  static double official_area_m2(const geo::MultiPolygon &boundary_lonlat);

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace mineplan::review

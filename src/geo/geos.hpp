#pragma once
// RAII over the GEOS reentrant C API (geos_c.h, *_r functions).
//
// Threading: a GEOSContextHandle_t must not be used by two threads at once. GeosContext::
// current() gives each thread its own; a GeosGeometry remembers the context that made it and
// must stay on that thread. Every function below without a context argument uses current().
#ifndef GEOS_USE_ONLY_R_API
#define GEOS_USE_ONLY_R_API
#endif
#include <geos_c.h>

#include "core/geometry.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace mineplan::geo {

// Owns a GEOS context handle and collects its error messages (GEOS reports errors through a
// callback; we keep the last one so exceptions can say what went wrong).
class GeosContext {
public:
  GeosContext();
  ~GeosContext();
  // Not movable: GEOS holds a pointer to this object for its message callback.
  GeosContext(const GeosContext &) = delete;
  GeosContext &operator=(const GeosContext &) = delete;

  GEOSContextHandle_t get() const { return handle_; }
  // The last error GEOS reported on this context (empty if none), and clears it.
  std::string take_error();

  static GeosContext &current();

private:
  static void on_error(const char *message, void *self);
  GEOSContextHandle_t handle_ = nullptr;
  std::string last_error_;
};

// A GEOS geometry with single ownership (move-only). Destroys itself with the context that
// created it.
class GeosGeometry {
public:
  GeosGeometry() = default;
  // Takes ownership of `g` (may be null: an empty handle).
  GeosGeometry(GEOSContextHandle_t ctx, GEOSGeometry *g) : ctx_(ctx), g_(g) {}
  ~GeosGeometry() { reset(); }
  GeosGeometry(GeosGeometry &&o) noexcept : ctx_(o.ctx_), g_(o.g_) { o.g_ = nullptr; }
  GeosGeometry &operator=(GeosGeometry &&o) noexcept;
  GeosGeometry(const GeosGeometry &) = delete;
  GeosGeometry &operator=(const GeosGeometry &) = delete;

  GEOSGeometry *get() const { return g_; }
  GEOSContextHandle_t context() const { return ctx_; }
  explicit operator bool() const { return g_ != nullptr; }
  // Gives up ownership (e.g. to hand the geometry to a GEOS function that takes it).
  GEOSGeometry *release() {
    GEOSGeometry *g = g_;
    g_ = nullptr;
    return g;
  }
  void reset();
  GeosGeometry clone() const;

private:
  GEOSContextHandle_t ctx_ = nullptr;
  GEOSGeometry *g_ = nullptr;
};

// A prepared geometry (indexed for repeated predicates against many others). Owns the
// geometry it was prepared from, because GEOS requires it to outlive the prepared one.
class PreparedGeometry {
public:
  explicit PreparedGeometry(GeosGeometry g);
  ~PreparedGeometry();
  PreparedGeometry(PreparedGeometry &&o) noexcept;
  PreparedGeometry &operator=(PreparedGeometry &&o) noexcept;
  PreparedGeometry(const PreparedGeometry &) = delete;
  PreparedGeometry &operator=(const PreparedGeometry &) = delete;

  bool intersects(const GeosGeometry &other) const;
  bool contains(const GeosGeometry &other) const;
  bool covers(const GeosGeometry &other) const;
  bool contains_point(Point p) const;
  const GeosGeometry &geometry() const { return geometry_; }
  // The GEOS handle, for calling *_r predicates with another thread's context. GEOS 3.11
  // prepared geometries are NOT thread-safe, not even after their lazy indexes are built
  // (libgeos/geos#825: the segment intersector keeps per-call state): serialise all use of
  // one PreparedGeometry.
  const GEOSPreparedGeometry *get() const { return prepared_; }

private:
  void destroy();
  // Declared first: destroyed after the prepared geometry that refers to it.
  GeosGeometry geometry_;
  const GEOSPreparedGeometry *prepared_ = nullptr;
};

// MultiPolygon <-> GEOS. Rings are closed on the way in if they are not. Throws
// mineplan::Error when GEOS refuses a ring (fewer than 4 coordinates once closed).
GeosGeometry to_geos(const Polygon &poly);
GeosGeometry to_geos(const MultiPolygon &mp);
// The same, owned by an explicit context (for geometries that outlive the calling thread or
// are shared between threads: they are created and destroyed with `c`).
GeosGeometry to_geos(const Polygon &poly, GeosContext &c);
GeosGeometry to_geos(const MultiPolygon &mp, GeosContext &c);
GeosGeometry to_geos(Point p);
// Accepts Polygon, MultiPolygon and GeometryCollections of those (other members ignored).
MultiPolygon from_geos(const GeosGeometry &g);

// ISO WKB, little-endian (NDR), 2D, always a MultiPolygon (type 6) — the form the
// GeoPackage store writes.
std::vector<std::uint8_t> to_wkb(const MultiPolygon &mp);
// Reads WKB (ISO or extended, either byte order) of a Polygon or MultiPolygon; throws
// mineplan::Error with GEOS's reason for anything else.
MultiPolygon from_wkb(std::span<const std::uint8_t> wkb);

struct ValidityProblem {
  std::string reason; // GEOS's words, e.g. "Self-intersection", "Hole lies outside shell"
  Point location;     // where (x = easting, y = northing)
};

// nullopt when the geometry is valid in the OGC sense (GEOSisValidDetail).
std::optional<ValidityProblem> validity_problem(const MultiPolygon &mp);
std::optional<ValidityProblem> validity_problem(const GeosGeometry &g);

// Repairs an invalid areal geometry (GEOSMakeValidWithParams, method "structure": rings are
// unioned as shells minus holes, so a self-intersecting outline keeps all the area it
// encloses) and keeps only its polygonal part, as a MultiPolygon owned by g's context.
// Throws mineplan::Error when GEOS cannot repair it.
GeosGeometry make_valid_polygonal(const GeosGeometry &g);

// Planar area of a GEOS geometry, in the square of its units.
double area(const GeosGeometry &g);
bool intersects(const MultiPolygon &a, const MultiPolygon &b);
MultiPolygon intersection(const MultiPolygon &a, const MultiPolygon &b);
// Planar area of a ∩ b (0 when they do not overlap or only touch).
double intersection_area(const MultiPolygon &a, const MultiPolygon &b);
// Planar area of the overlap of a prepared geometry with another; skips the overlay when the
// prepared predicate says they do not intersect (the common case for a register scan).
double intersection_area(const PreparedGeometry &a, const GeosGeometry &b);

} // namespace mineplan::geo

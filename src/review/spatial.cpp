// SpatialIndex: a GEOS STR-tree over the envelopes of every zone and right; the predicates
// and overlap areas from one exact pass over the edges of the feature near the boundary.
//
// How a query runs (boundary B in CGCS2000 lon/lat):
//  1. B is checked (GEOS validity: an invalid boundary is an input error) and projected once
//     into the CGCS2000 3° Gauss-Krüger zone of its centroid — the zone geo::official_area_m2
//     uses — which gives its official area and the plane every overlap and distance of this
//     query is measured in.
//  2. The STR-tree (node capacity 10) yields the features whose envelope meets B's envelope,
//     expanded by the buffer converted to degrees conservatively.
//  3. Per candidate, detail::relate (spatial_overlap.hpp): edges split where the boundaries
//     meet, with GEOS's own orientation predicate, pieces classified by midpoint, giving
//     intersects, covers (contains_boundary) and the overlap area — the shoelace area of the
//     overlap's vertices projected to B's zone, i.e. GEOSIntersection + projection + planar
//     area, to ~1e-14 relative (tests/unit/review_spatial_test.cpp compares them).
//     Why not GEOS prepared geometries + GEOSIntersection (measured, GEOS 3.11, 2 cores): an
//     overlay costs 35 µs (small pair) to 80 µs (1,000-vertex red line) — 2-4 of them blow a
//     0.25 ms budget; a prepared 1,000-vertex polygon builds ~90 KB of indexes on first use
//     (116 µs; ~450 MB for 5,000 red lines, 4.5 GB national), and GEOS 3.11 prepared
//     geometries are not thread-safe even once built (libgeos/geos#825). Here the per-feature
//     index is ~8 bytes per edge, built at build(), immutable: queries need no lock.
//     GEOSIntersection stays as the fallback should an area ever come out implausible.
//  4. Features that do not intersect but lie within the buffer get the distance measured in
//     B's Gauss-Krüger plane: the feature's edges near B (those whose bounding box meets the
//     expanded envelope) are projected vertex by vertex and GEOS measures the planar distance
//     to projected B. Approximation: edges are straight lines between projected vertices (the
//     official planar convention), while the intersects test uses straight lon/lat edges; the
//     two differ by the curvature of a lon/lat line in the GK plane (under 2 cm for a 1 km
//     edge, ~1.8 m for a 10 km edge along a parallel at 42°N). A feature that misses B in
//     lon/lat by less than that may thus report distance 0 with intersects = false.
#include "review/spatial.hpp"

#include "core/error.hpp"
#include "geo/area.hpp"
#include "geo/geos.hpp"
#include "geo/proj.hpp"
#include "review/spatial_overlap.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <numbers>
#include <optional>
#include <tuple>
#include <unordered_map>

namespace mineplan::review {
namespace {

using geo::GeosContext;
using geo::GeosGeometry;
using geo::PreparedGeometry;

constexpr double kRadPerDeg = std::numbers::pi / 180;
// Lower bounds of the ground length of one degree on the CGCS2000 ellipsoid: the meridian
// radius of curvature is smallest at the equator (a(1-e²) = 6335439 m), the prime-vertical
// radius is at least a = 6378137 m. Gauss-Krüger distances (scale factor ≥ 1 on 3° zones) are
// never shorter than ground distances, so a degree expansion computed with these bounds holds
// everything within buffer_m of the boundary in the GK plane.
constexpr double kMinMetresPerDegreeLat = 6335439.0 * kRadPerDeg;
constexpr double kMinMetresPerDegreeLonAtEquator = 6378137.0 * kRadPerDeg;
constexpr double kExpansionMargin = 1.01;

const geo::Transformer &gk_transformer(int zone) {
  return geo::gauss_kruger_transformer(geo::Datum::CGCS2000, zone);
}

geo::MultiPolygon project(const geo::MultiPolygon &mp, const geo::Transformer &t) {
  geo::MultiPolygon out = mp;
  for (auto &poly : out) {
    t.apply(poly.outer);
    for (auto &h : poly.holes)
      t.apply(h);
  }
  return out;
}

std::string where(const geo::Point &p) {
  if (!std::isfinite(p.x) || !std::isfinite(p.y)) return {};
  char buf[64];
  std::snprintf(buf, sizeof buf, " at (%.7f, %.7f)", p.x, p.y);
  return buf;
}

// Drops rings GEOS cannot build (fewer than 3 distinct points, non-finite coordinates) and
// closes open ones. Returns what was dropped, empty when nothing was.
std::string sanitize(geo::MultiPolygon &mp) {
  std::size_t dropped_rings = 0, dropped_parts = 0;
  auto usable = [](geo::Ring &r) {
    for (const auto &p : r)
      if (!std::isfinite(p.x) || !std::isfinite(p.y)) return false;
    if (!r.empty() && !(r.front() == r.back())) r.push_back(r.front());
    return r.size() >= 4;
  };
  geo::MultiPolygon out;
  for (auto &poly : mp) {
    if (!usable(poly.outer)) {
      ++dropped_parts;
      continue;
    }
    std::vector<geo::Ring> holes;
    for (auto &h : poly.holes)
      if (usable(h))
        holes.push_back(std::move(h));
      else
        ++dropped_rings;
    poly.holes = std::move(holes);
    out.push_back(std::move(poly));
  }
  mp = std::move(out);
  if (!dropped_rings && !dropped_parts) return {};
  return "dropped " + std::to_string(dropped_parts) + " part(s) and " +
         std::to_string(dropped_rings) +
         " hole(s) with fewer than 3 distinct points or non-finite coordinates";
}

// Whether sanitize() would change anything (most geometries: no, and they stay shared).
bool needs_sanitize(const geo::MultiPolygon &mp) {
  auto usable = [](const geo::Ring &r) {
    for (const auto &p : r)
      if (!std::isfinite(p.x) || !std::isfinite(p.y)) return false;
    return r.size() >= 4 && r.front() == r.back();
  };
  for (const auto &poly : mp) {
    if (!usable(poly.outer)) return true;
    for (const auto &h : poly.holes)
      if (!usable(h)) return true;
  }
  return false;
}

struct Entry {
  SpatialFeature feature;
  std::size_t rank = 0; // position in (layer, kind, id, insertion) order
  bool processed = false;
  bool indexed = false;   // has a usable geometry
  geo::Envelope envelope; // of the (repaired) lon/lat geometry
  detail::RingSet rings;  // over feature.lonlat (which must not change after build)
};

struct TreeDeleter {
  GEOSContextHandle_t handle;
  void operator()(GEOSSTRtree *t) const { GEOSSTRtree_destroy_r(handle, t); }
};

void collect_item(void *item, void *userdata) {
  static_cast<std::vector<Entry *> *>(userdata)->push_back(static_cast<Entry *>(item));
}

// Validates and, when needed, repairs a feature's geometry; indexes its edges. Never throws for
// bad geometry: what went wrong is recorded in feature.geometry_problem.
void process(Entry &e, GeosContext &ctx) {
  e.processed = true;
  SpatialFeature &f = e.feature;
  f.geometry_problem.clear();
  if (f.lonlat.empty()) return; // no geometry yet: never hit
  std::string note;
  if (needs_sanitize(f.lonlat)) {
    // A copy of its own: the shared geometry stays as the store holds it.
    geo::MultiPolygon own = f.lonlat;
    note = sanitize(own);
    f.lonlat = std::move(own);
  }
  if (f.lonlat.empty()) {
    f.geometry_problem = note + "; no usable geometry left: not indexed";
    return;
  }
  const geo::Envelope env = geo::envelope_of(f.lonlat);
  if (!(env.min_x >= -180 && env.max_x <= 180 && env.min_y >= -90 && env.max_y <= 90)) {
    f.geometry_problem = (note.empty() ? "" : note + "; ") +
                         "coordinates outside longitude/latitude range (not CGCS2000 lon/lat, or "
                         "X and Y swapped?): not indexed";
    f.lonlat.reset();
    return;
  }
  try {
    GeosGeometry g = geo::to_geos(f.lonlat, ctx);
    if (auto problem = geo::validity_problem(g)) {
      GeosGeometry fixed = geo::make_valid_polygonal(g);
      const std::string reason = problem->reason + where(problem->location);
      if (GEOSisEmpty_r(ctx.get(), fixed.get()) != 0) {
        f.geometry_problem = reason + "; nothing areal left after GEOS MakeValid: not indexed";
        f.lonlat.reset();
        return;
      }
      f.lonlat = geo::from_geos(fixed);
      note = (note.empty() ? "" : note + "; ") + reason + "; repaired with GEOS MakeValid";
    }
    f.geometry_problem = note;
    e.envelope = geo::envelope_of(f.lonlat);
    e.rings = detail::RingSet(f.lonlat);
    e.indexed = e.rings.edge_count() > 0 && !e.envelope.empty();
  } catch (const Error &ex) {
    f.geometry_problem = (note.empty() ? "" : note + "; ") + ex.what() + ": not indexed";
    f.lonlat.reset();
    e.indexed = false;
  }
}

} // namespace

// Everything queries need about a boundary, built once on the calling thread.
struct Boundary::Data {
  GeosContext &ctx;
  geo::MultiPolygon lonlat; // closed rings
  detail::RingSet rings;    // over lonlat
  GeosGeometry geometry;    // lon/lat
  geo::Envelope envelope;   // lon/lat, not expanded
  const geo::Transformer *gk = nullptr;
  geo::MultiPolygon projected;                 // in gk's zone
  double area_m2 = 0;                          // official
  std::optional<PreparedGeometry> prepared_gk; // lazily: in gk's zone

  const PreparedGeometry &gk_prepared() {
    if (!prepared_gk) prepared_gk.emplace(geo::to_geos(projected));
    return *prepared_gk;
  }
};

namespace {

// One query: the boundary and the envelope searched (expanded by the query's buffer).
struct Probe {
  Boundary::Data &b;
  GeosContext &ctx;
  const detail::RingSet &rings;
  const GeosGeometry &geometry;
  const geo::Transformer *gk;
  const geo::MultiPolygon &projected;
  double area_m2;
  geo::Envelope search;

  const PreparedGeometry &gk_prepared() { return b.gk_prepared(); }
};

bool box_meets(const geo::Point &a, const geo::Point &b, const geo::Envelope &e) {
  return std::max(a.x, b.x) >= e.min_x && std::min(a.x, b.x) <= e.max_x &&
         std::max(a.y, b.y) >= e.min_y && std::min(a.y, b.y) <= e.max_y;
}

// Planar GK distance from the feature's edges near the probe to the projected boundary;
// +inf when no edge of the feature comes near the search envelope.
double gk_distance(const SpatialFeature &f, Probe &probe) {
  GEOSContextHandle_t h = probe.ctx.get();
  // Runs of consecutive edges whose bounding box meets the search envelope.
  std::vector<std::vector<geo::Point>> runs;
  auto scan = [&](const geo::Ring &r) {
    bool open = false;
    for (std::size_t i = 0; i + 1 < r.size(); ++i) {
      if (box_meets(r[i], r[i + 1], probe.search)) {
        if (!open) runs.push_back({r[i]});
        runs.back().push_back(r[i + 1]);
        open = true;
      } else {
        open = false;
      }
    }
  };
  for (const auto &poly : f.lonlat) {
    scan(poly.outer);
    for (const auto &hole : poly.holes)
      scan(hole);
  }
  if (runs.empty()) return std::numeric_limits<double>::infinity();
  std::vector<GeosGeometry> lines;
  lines.reserve(runs.size());
  for (auto &run : runs) {
    probe.gk->apply(run);
    GEOSCoordSequence *seq =
        GEOSCoordSeq_copyFromBuffer_r(h, &run[0].x, static_cast<unsigned>(run.size()), 0, 0);
    if (!seq) throw Error("GEOS: cannot build a coordinate sequence");
    GEOSGeometry *line = GEOSGeom_createLineString_r(h, seq);
    if (!line) throw Error("GEOS: cannot build a line: " + probe.ctx.take_error());
    lines.emplace_back(h, line);
  }
  std::vector<GEOSGeometry *> raw;
  raw.reserve(lines.size());
  for (auto &l : lines)
    raw.push_back(l.get());
  GEOSGeometry *multi = GEOSGeom_createCollection_r(h, GEOS_MULTILINESTRING, raw.data(),
                                                    static_cast<unsigned>(raw.size()));
  for (auto &l : lines)
    l.release();
  GeosGeometry edges(h, multi);
  if (!edges) throw Error("GEOS: cannot build a multilinestring: " + probe.ctx.take_error());
  double d = 0;
  if (!GEOSPreparedDistance_r(h, probe.gk_prepared().get(), edges.get(), &d))
    throw Error("GEOS: distance failed: " + probe.ctx.take_error());
  return d;
}

// Official planar area (in the probe's zone) of a lon/lat GEOS geometry's polygonal part.
double gk_area(const GeosGeometry &g, const Probe &probe) {
  return geo::planar_area_m2(project(geo::from_geos(g), *probe.gk));
}

// The overlap by GEOS's overlay: a fallback, should detail::relate ever give an area larger
// than the boundary's.
void geos_overlap(const Entry &e, Probe &probe, SpatialHit &hit) {
  GEOSContextHandle_t h = probe.ctx.get();
  GeosGeometry fg = geo::to_geos(e.feature.lonlat);
  GeosGeometry inter(h, GEOSIntersection_r(h, probe.geometry.get(), fg.get()));
  if (!inter) {
    // A robustness failure of the floating-point overlay: snap-rounding at 1e-10° (~0.01 mm)
    // is fully robust and moves nothing measurably.
    std::string first = probe.ctx.take_error();
    inter = GeosGeometry(h, GEOSIntersectionPrec_r(h, probe.geometry.get(), fg.get(), 1e-10));
    if (!inter) {
      hit.problem = "GEOS could not intersect the boundary with this feature: " + first;
      probe.ctx.take_error();
      return;
    }
  }
  hit.overlap_m2 = gk_area(inter, probe);
}

} // namespace

struct SpatialIndex::Impl {
  // Owns the tree and build()'s GEOS work (declared first: destroyed last), so nothing depends
  // on the thread that built the index.
  std::unique_ptr<GeosContext> ctx = std::make_unique<GeosContext>();
  std::vector<std::unique_ptr<Entry>> entries;
  std::unique_ptr<GEOSSTRtree, TreeDeleter> tree;
  std::unordered_map<std::string, const SpatialFeature *> by_id; // built by build()
  std::size_t indexed = 0;
  bool built = false;
};

SpatialIndex::SpatialIndex() : impl_(std::make_unique<Impl>()) {}
SpatialIndex::~SpatialIndex() = default;
SpatialIndex::SpatialIndex(SpatialIndex &&) noexcept = default;
SpatialIndex &SpatialIndex::operator=(SpatialIndex &&) noexcept = default;

void SpatialIndex::add(SpatialFeature feature) {
  if (!impl_) impl_ = std::make_unique<Impl>();
  auto e = std::make_unique<Entry>();
  e->feature = std::move(feature);
  impl_->entries.push_back(std::move(e));
  impl_->built = false;
}

void SpatialIndex::build() {
  if (!impl_) impl_ = std::make_unique<Impl>();
  Impl &m = *impl_;
  GeosContext &ctx = *m.ctx;
  for (auto &e : m.entries)
    if (!e->processed) process(*e, ctx);

  // Deterministic result order: layer, kind, id (insertion order breaks ties).
  std::vector<Entry *> order;
  order.reserve(m.entries.size());
  for (auto &e : m.entries)
    order.push_back(e.get());
  std::stable_sort(order.begin(), order.end(), [](const Entry *a, const Entry *b) {
    return std::tie(a->feature.layer, a->feature.kind, a->feature.id) <
           std::tie(b->feature.layer, b->feature.kind, b->feature.id);
  });
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i]->rank = i;
  m.by_id.clear();
  m.by_id.reserve(m.entries.size());
  for (auto &e : m.entries)
    m.by_id.emplace(e->feature.id, &e->feature);

  // Node capacity 10: shallow enough for ~20k items, small nodes to scan.
  m.tree.reset();
  m.tree = std::unique_ptr<GEOSSTRtree, TreeDeleter>(GEOSSTRtree_create_r(ctx.get(), 10),
                                                     TreeDeleter{ctx.get()});
  if (!m.tree) throw Error("GEOS: cannot create an STR-tree: " + ctx.take_error());
  m.indexed = 0;
  for (auto &e : m.entries)
    if (e->indexed) {
      // GEOS >= 3.9 copies the envelope: the rectangle can go at once.
      const geo::Envelope &v = e->envelope;
      GeosGeometry box(ctx.get(),
                       GEOSGeom_createRectangle_r(ctx.get(), v.min_x, v.min_y, v.max_x, v.max_y));
      if (!box) throw Error("GEOS: cannot build an envelope: " + ctx.take_error());
      GEOSSTRtree_insert_r(ctx.get(), m.tree.get(), box.get(), e.get());
      ++m.indexed;
    }
  // GEOS builds the tree on its first query; do it now, on this thread, so that concurrent
  // queries only read it.
  if (m.indexed) {
    GeosGeometry pt(ctx.get(), GEOSGeom_createPointFromXY_r(ctx.get(), 0, 0));
    std::vector<Entry *> sink;
    GEOSSTRtree_query_r(ctx.get(), m.tree.get(), pt.get(), collect_item, &sink);
  }
  m.built = true;
}

std::size_t SpatialIndex::size() const {
  return impl_ ? impl_->entries.size() : 0;
}

std::vector<const SpatialFeature *> SpatialIndex::features() const {
  std::vector<const SpatialFeature *> out;
  if (!impl_) return out;
  out.reserve(impl_->entries.size());
  for (const auto &e : impl_->entries)
    out.push_back(&e->feature);
  return out;
}

const SpatialFeature *SpatialIndex::find(const std::string &id) const {
  if (!impl_ || !impl_->built) return nullptr;
  auto it = impl_->by_id.find(id);
  return it == impl_->by_id.end() ? nullptr : it->second;
}

double SpatialIndex::official_area_m2(const geo::MultiPolygon &boundary_lonlat) {
  return geo::official_area_m2(boundary_lonlat, geo::Datum::CGCS2000);
}

namespace {

// Closes a ring as Boundary holds it (the closing point is the first point: projecting it
// gives the projected first point).
void close_ring(geo::Ring &r) {
  if (!r.empty() && !(r.front() == r.back())) r.push_back(r.front());
}

bool same_shape(const geo::MultiPolygon &a, const geo::MultiPolygon &b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].outer.size() != b[i].outer.size() || a[i].holes.size() != b[i].holes.size())
      return false;
    for (std::size_t h = 0; h < a[i].holes.size(); ++h)
      if (a[i].holes[h].size() != b[i].holes[h].size()) return false;
  }
  return true;
}

} // namespace

Boundary::Boundary(const geo::MultiPolygon &lonlat, const geo::MultiPolygon &projected, int gk_zone)
    : Boundary(lonlat, same_shape(lonlat, projected) ? &projected : nullptr, gk_zone) {}

Boundary::Boundary(const geo::MultiPolygon &lonlat)
    : Boundary(lonlat, static_cast<const geo::MultiPolygon *>(nullptr), 0) {}

Boundary::Boundary(const geo::MultiPolygon &lonlat, const geo::MultiPolygon *projected,
                   int gk_zone) {
  if (lonlat.empty()) throw Error("the boundary is empty (申请范围为空)");
  GeosContext &ctx = GeosContext::current();
  // Braces, not make_unique's parentheses: clang 14 (the fuzz build) has no parenthesised
  // aggregate initialisation.
  d_ = std::make_unique<Data>(Data{ctx, lonlat, detail::RingSet{}, geo::to_geos(lonlat),
                                   geo::envelope_of(lonlat), nullptr, geo::MultiPolygon{}, 0.0,
                                   std::nullopt});
  Data &b = *d_;
  if (auto problem = geo::validity_problem(b.geometry))
    throw Error("the boundary is not a valid polygon (申请范围几何无效): " + problem->reason +
                where(problem->location));
  const int zone = geo::gauss_kruger_zone_for(geo::planar_centroid(lonlat).x, 3);
  b.gk = &gk_transformer(zone);
  for (auto &poly : b.lonlat) {
    close_ring(poly.outer);
    for (auto &hole : poly.holes)
      close_ring(hole);
  }
  b.rings = detail::RingSet(b.lonlat);
  if (projected && gk_zone == zone) {
    b.projected = *projected; // made by the caller in this zone: not projected again
    for (auto &poly : b.projected) {
      close_ring(poly.outer);
      for (auto &hole : poly.holes)
        close_ring(hole);
    }
  } else {
    b.projected = project(b.lonlat, *b.gk);
  }
  b.area_m2 = geo::planar_area_m2(b.projected);
}

Boundary::~Boundary() = default;
Boundary::Boundary(Boundary &&) noexcept = default;
Boundary &Boundary::operator=(Boundary &&) noexcept = default;
double Boundary::area_m2() const {
  return d_->area_m2;
}

std::vector<SpatialHit> SpatialIndex::query(const geo::MultiPolygon &boundary_lonlat,
                                            const std::string &layer,
                                            const std::vector<std::string> &kinds,
                                            double buffer_m) const {
  if (!impl_ || !impl_->built) throw Error("SpatialIndex: query before build()");
  return query(Boundary(boundary_lonlat), layer, kinds, buffer_m);
}

std::vector<SpatialHit> SpatialIndex::query(const Boundary &boundary, const std::string &layer,
                                            const std::vector<std::string> &kinds,
                                            double buffer_m) const {
  if (!impl_ || !impl_->built) throw Error("SpatialIndex: query before build()");
  if (!std::isfinite(buffer_m) || buffer_m < 0)
    throw Error("SpatialIndex: the buffer must be a finite distance >= 0 m");
  if (!boundary.d_) throw Error("SpatialIndex: query with a moved-from boundary");
  const Impl &m = *impl_;
  Boundary::Data &b = *boundary.d_;
  GeosContext &ctx = b.ctx;
  GEOSContextHandle_t h = ctx.get();
  Probe probe{b, ctx, b.rings, b.geometry, b.gk, b.projected, b.area_m2, b.envelope};
  if (buffer_m > 0) {
    const double dlat = buffer_m / kMinMetresPerDegreeLat * kExpansionMargin;
    const double max_lat =
        std::min(89.0, std::max(std::fabs(b.envelope.min_y), std::fabs(b.envelope.max_y)) + dlat);
    const double dlon = buffer_m /
                        (kMinMetresPerDegreeLonAtEquator * std::cos(max_lat * kRadPerDeg)) *
                        kExpansionMargin;
    probe.search.min_x -= dlon;
    probe.search.max_x += dlon;
    probe.search.min_y -= dlat;
    probe.search.max_y += dlat;
  }

  std::vector<SpatialHit> hits;
  if (!m.indexed) return hits;

  std::vector<Entry *> candidates;
  {
    GeosGeometry box(h, GEOSGeom_createRectangle_r(h, probe.search.min_x, probe.search.min_y,
                                                   probe.search.max_x, probe.search.max_y));
    if (!box) throw Error("GEOS: cannot build the search rectangle: " + ctx.take_error());
    GEOSSTRtree_query_r(h, m.tree.get(), box.get(), collect_item, &candidates);
  }
  std::erase_if(candidates, [&](const Entry *e) {
    if (!layer.empty() && e->feature.layer != layer) return true;
    return !kinds.empty() && std::find(kinds.begin(), kinds.end(), e->feature.kind) == kinds.end();
  });
  std::sort(candidates.begin(), candidates.end(),
            [](const Entry *a, const Entry *b) { return a->rank < b->rank; });

  for (const Entry *e : candidates) {
    SpatialHit hit;
    hit.feature = &e->feature;
    try {
      const detail::Relation rel =
          detail::relate(probe.rings, probe.projected, e->rings, *probe.gk, true);
      if (rel.intersects) {
        hit.intersects = true;
        hit.contains_boundary = rel.covers;
        if (rel.covers) {
          hit.overlap_m2 = probe.area_m2;
        } else if (std::isfinite(rel.overlap_m2) &&
                   rel.overlap_m2 <= probe.area_m2 * (1 + 1e-9) + 1e-6) {
          hit.overlap_m2 = rel.overlap_m2;
        } else {
          geos_overlap(*e, probe, hit);
        }
        hit.overlap_share = probe.area_m2 > 0 ? hit.overlap_m2 / probe.area_m2 : 0;
        hits.push_back(std::move(hit));
      } else if (buffer_m > 0) {
        const double d = gk_distance(e->feature, probe);
        if (d <= buffer_m) {
          hit.distance_m = d;
          hits.push_back(std::move(hit));
        }
      }
    } catch (const Error &ex) {
      // Never seen with valid CGCS2000 input; reported, not thrown, so that one feature cannot
      // stop a review.
      SpatialHit bad;
      bad.feature = &e->feature;
      bad.intersects = true;
      bad.problem = ex.what();
      hits.push_back(std::move(bad));
    }
  }
  return hits;
}

} // namespace mineplan::review

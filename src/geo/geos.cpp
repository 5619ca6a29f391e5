#include "geo/geos.hpp"

#include "core/error.hpp"

#include <cstdio>
#include <limits>
#include <memory>

namespace mineplan::geo {
namespace {

// Frees memory GEOS allocated (reason strings, WKB buffers).
struct GeosFree {
  GEOSContextHandle_t ctx;
  void operator()(void *p) const {
    if (p) GEOSFree_r(ctx, p);
  }
};

[[noreturn]] void fail(GeosContext &c, const std::string &what) {
  std::string reason = c.take_error();
  throw Error("GEOS: " + what + (reason.empty() ? "" : ": " + reason));
}

GeosGeometry make_ring(GeosContext &c, const Ring &ring) {
  // GEOS wants a closed ring: append the first vertex if the caller did not repeat it.
  const bool closed = !ring.empty() && ring.front() == ring.back();
  const std::size_t n = ring.size() + (closed || ring.empty() ? 0 : 1);
  if (n > std::numeric_limits<unsigned int>::max()) fail(c, "ring too large");
  GEOSCoordSequence *seq = GEOSCoordSeq_create_r(c.get(), static_cast<unsigned>(n), 2);
  if (!seq) fail(c, "cannot allocate a coordinate sequence");
  for (std::size_t i = 0; i < n; ++i) {
    const Point &p = i < ring.size() ? ring[i] : ring.front();
    GEOSCoordSeq_setXY_r(c.get(), seq, static_cast<unsigned>(i), p.x, p.y);
  }
  // createLinearRing takes ownership of seq, also when it fails.
  GEOSGeometry *g = GEOSGeom_createLinearRing_r(c.get(), seq);
  if (!g) fail(c, "invalid ring of " + std::to_string(ring.size()) + " points");
  return {c.get(), g};
}

Ring read_ring(GEOSContextHandle_t h, const GEOSGeometry *ring) {
  const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(h, ring);
  unsigned int n = 0;
  if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &n)) return {};
  Ring out(n);
  for (unsigned i = 0; i < n; ++i)
    GEOSCoordSeq_getXY_r(h, seq, i, &out[i].x, &out[i].y);
  return out;
}

void read_polygon(GEOSContextHandle_t h, const GEOSGeometry *g, MultiPolygon &out) {
  if (GEOSisEmpty_r(h, g) == 1) return;
  Polygon p;
  p.outer = read_ring(h, GEOSGetExteriorRing_r(h, g));
  const int holes = GEOSGetNumInteriorRings_r(h, g);
  for (int i = 0; i < holes; ++i)
    p.holes.push_back(read_ring(h, GEOSGetInteriorRingN_r(h, g, i)));
  out.push_back(std::move(p));
}

void read_any(GEOSContextHandle_t h, const GEOSGeometry *g, MultiPolygon &out) {
  switch (GEOSGeomTypeId_r(h, g)) {
  case GEOS_POLYGON: read_polygon(h, g, out); break;
  case GEOS_MULTIPOLYGON:
  case GEOS_GEOMETRYCOLLECTION: {
    const int n = GEOSGetNumGeometries_r(h, g);
    for (int i = 0; i < n; ++i)
      read_any(h, GEOSGetGeometryN_r(h, g, i), out);
    break;
  }
  default: break; // points and lines have no area: an intersection's slivers
  }
}

} // namespace

// ---------------------------------------------------------------------------------------------
GeosContext::GeosContext() : handle_(GEOS_init_r()) {
  if (!handle_) throw Error("GEOS: cannot create a context (out of memory?)");
  GEOSContext_setErrorMessageHandler_r(handle_, &GeosContext::on_error, this);
}

GeosContext::~GeosContext() {
  if (handle_) GEOS_finish_r(handle_);
}

void GeosContext::on_error(const char *message, void *self) {
  static_cast<GeosContext *>(self)->last_error_ = message ? message : "";
}

std::string GeosContext::take_error() {
  std::string e;
  e.swap(last_error_);
  return e;
}

GeosContext &GeosContext::current() {
  thread_local GeosContext ctx;
  return ctx;
}

// ---------------------------------------------------------------------------------------------
GeosGeometry &GeosGeometry::operator=(GeosGeometry &&o) noexcept {
  if (this != &o) {
    reset();
    ctx_ = o.ctx_;
    g_ = o.g_;
    o.g_ = nullptr;
  }
  return *this;
}

void GeosGeometry::reset() {
  if (g_) GEOSGeom_destroy_r(ctx_, g_);
  g_ = nullptr;
}

GeosGeometry GeosGeometry::clone() const {
  if (!g_) return {ctx_, nullptr};
  GEOSGeometry *c = GEOSGeom_clone_r(ctx_, g_);
  if (!c) throw Error("GEOS: cannot clone a geometry");
  return {ctx_, c};
}

// ---------------------------------------------------------------------------------------------
PreparedGeometry::PreparedGeometry(GeosGeometry g) : geometry_(std::move(g)) {
  if (!geometry_) throw Error("GEOS: cannot prepare an empty handle");
  prepared_ = GEOSPrepare_r(geometry_.context(), geometry_.get());
  if (!prepared_) throw Error("GEOS: cannot prepare geometry");
}

void PreparedGeometry::destroy() {
  if (prepared_) GEOSPreparedGeom_destroy_r(geometry_.context(), prepared_);
  prepared_ = nullptr;
}

PreparedGeometry::~PreparedGeometry() {
  destroy();
}

PreparedGeometry::PreparedGeometry(PreparedGeometry &&o) noexcept
    : geometry_(std::move(o.geometry_)), prepared_(o.prepared_) {
  o.prepared_ = nullptr;
}

PreparedGeometry &PreparedGeometry::operator=(PreparedGeometry &&o) noexcept {
  if (this != &o) {
    destroy();
    geometry_ = std::move(o.geometry_);
    prepared_ = o.prepared_;
    o.prepared_ = nullptr;
  }
  return *this;
}

namespace {
bool predicate_result(char r, const char *what) {
  if (r == 2) throw Error(std::string("GEOS: prepared ") + what + " failed");
  return r == 1;
}
} // namespace

bool PreparedGeometry::intersects(const GeosGeometry &other) const {
  return predicate_result(GEOSPreparedIntersects_r(geometry_.context(), prepared_, other.get()),
                          "intersects");
}
bool PreparedGeometry::contains(const GeosGeometry &other) const {
  return predicate_result(GEOSPreparedContains_r(geometry_.context(), prepared_, other.get()),
                          "contains");
}
bool PreparedGeometry::covers(const GeosGeometry &other) const {
  return predicate_result(GEOSPreparedCovers_r(geometry_.context(), prepared_, other.get()),
                          "covers");
}
bool PreparedGeometry::contains_point(Point p) const {
  // GEOSPreparedContainsXY_r needs GEOS 3.12; Debian 12 has 3.11.
  return contains(to_geos(p));
}

// ---------------------------------------------------------------------------------------------
GeosGeometry to_geos(const Polygon &poly) {
  return to_geos(poly, GeosContext::current());
}

GeosGeometry to_geos(const MultiPolygon &mp) {
  return to_geos(mp, GeosContext::current());
}

GeosGeometry to_geos(const Polygon &poly, GeosContext &c) {
  GeosGeometry shell = make_ring(c, poly.outer);
  std::vector<GeosGeometry> holes;
  holes.reserve(poly.holes.size());
  for (const auto &h : poly.holes)
    holes.push_back(make_ring(c, h));
  std::vector<GEOSGeometry *> raw;
  raw.reserve(holes.size());
  for (auto &h : holes)
    raw.push_back(h.get());
  // createPolygon takes ownership of shell and holes, also on failure (GEOS >= 3.7).
  GEOSGeometry *g =
      GEOSGeom_createPolygon_r(c.get(), shell.get(), raw.data(), static_cast<unsigned>(raw.size()));
  shell.release();
  for (auto &h : holes)
    h.release();
  if (!g) fail(c, "cannot build a polygon");
  return {c.get(), g};
}

GeosGeometry to_geos(const MultiPolygon &mp, GeosContext &c) {
  std::vector<GeosGeometry> parts;
  parts.reserve(mp.size());
  for (const auto &p : mp)
    parts.push_back(to_geos(p, c));
  std::vector<GEOSGeometry *> raw;
  raw.reserve(parts.size());
  for (auto &p : parts)
    raw.push_back(p.get());
  GEOSGeometry *g = GEOSGeom_createCollection_r(c.get(), GEOS_MULTIPOLYGON, raw.data(),
                                                static_cast<unsigned>(raw.size()));
  for (auto &p : parts)
    p.release();
  if (!g) fail(c, "cannot build a multipolygon");
  return {c.get(), g};
}

GeosGeometry to_geos(Point p) {
  GeosContext &c = GeosContext::current();
  GEOSGeometry *g = GEOSGeom_createPointFromXY_r(c.get(), p.x, p.y);
  if (!g) fail(c, "cannot build a point");
  return {c.get(), g};
}

MultiPolygon from_geos(const GeosGeometry &g) {
  MultiPolygon out;
  if (g) read_any(g.context(), g.get(), out);
  return out;
}

std::vector<std::uint8_t> to_wkb(const MultiPolygon &mp) {
  GeosContext &c = GeosContext::current();
  GeosGeometry g = to_geos(mp);
  struct WriterDeleter {
    GEOSContextHandle_t h;
    void operator()(GEOSWKBWriter *w) const { GEOSWKBWriter_destroy_r(h, w); }
  };
  std::unique_ptr<GEOSWKBWriter, WriterDeleter> w(GEOSWKBWriter_create_r(c.get()),
                                                  WriterDeleter{c.get()});
  if (!w) fail(c, "cannot create a WKB writer");
  GEOSWKBWriter_setOutputDimension_r(c.get(), w.get(), 2);
  GEOSWKBWriter_setByteOrder_r(c.get(), w.get(), GEOS_WKB_NDR);
  GEOSWKBWriter_setFlavor_r(c.get(), w.get(), GEOS_WKB_ISO);
  GEOSWKBWriter_setIncludeSRID_r(c.get(), w.get(), 0);
  std::size_t size = 0;
  std::unique_ptr<unsigned char, GeosFree> buf(
      GEOSWKBWriter_write_r(c.get(), w.get(), g.get(), &size), GeosFree{c.get()});
  if (!buf) fail(c, "cannot write WKB");
  return {buf.get(), buf.get() + size};
}

MultiPolygon from_wkb(std::span<const std::uint8_t> wkb) {
  GeosContext &c = GeosContext::current();
  struct ReaderDeleter {
    GEOSContextHandle_t h;
    void operator()(GEOSWKBReader *r) const { GEOSWKBReader_destroy_r(h, r); }
  };
  std::unique_ptr<GEOSWKBReader, ReaderDeleter> r(GEOSWKBReader_create_r(c.get()),
                                                  ReaderDeleter{c.get()});
  if (!r) fail(c, "cannot create a WKB reader");
  GeosGeometry g(c.get(), GEOSWKBReader_read_r(c.get(), r.get(), wkb.data(), wkb.size()));
  if (!g) fail(c, "cannot read WKB of " + std::to_string(wkb.size()) + " bytes");
  const int type = GEOSGeomTypeId_r(c.get(), g.get());
  if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON) {
    std::unique_ptr<char, GeosFree> name(GEOSGeomType_r(c.get(), g.get()), GeosFree{c.get()});
    throw Error(std::string("GEOS: expected a Polygon or MultiPolygon in WKB, found ") +
                (name ? name.get() : "another geometry type"));
  }
  return from_geos(g);
}

std::optional<ValidityProblem> validity_problem(const GeosGeometry &g) {
  GEOSContextHandle_t h = g.context();
  char *reason_raw = nullptr;
  GEOSGeometry *location_raw = nullptr;
  const char r = GEOSisValidDetail_r(h, g.get(), 0, &reason_raw, &location_raw);
  std::unique_ptr<char, GeosFree> reason(reason_raw, GeosFree{h});
  GeosGeometry location(h, location_raw);
  if (r == 1) return std::nullopt;
  if (r == 2) throw Error("GEOS: validity check failed");
  ValidityProblem p;
  p.reason = reason ? reason.get() : "invalid geometry";
  p.location = {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
  if (location && GEOSisEmpty_r(h, location.get()) == 0) {
    GEOSGeomGetX_r(h, location.get(), &p.location.x);
    GEOSGeomGetY_r(h, location.get(), &p.location.y);
  }
  return p;
}

std::optional<ValidityProblem> validity_problem(const MultiPolygon &mp) {
  return validity_problem(to_geos(mp));
}

GeosGeometry make_valid_polygonal(const GeosGeometry &g) {
  GEOSContextHandle_t h = g.context();
  struct ParamsDeleter {
    GEOSContextHandle_t h;
    void operator()(GEOSMakeValidParams *p) const { GEOSMakeValidParams_destroy_r(h, p); }
  };
  std::unique_ptr<GEOSMakeValidParams, ParamsDeleter> params(GEOSMakeValidParams_create_r(h),
                                                             ParamsDeleter{h});
  if (!params) throw Error("GEOS: cannot create MakeValid parameters");
  GEOSMakeValidParams_setMethod_r(h, params.get(), GEOS_MAKE_VALID_STRUCTURE);
  GEOSMakeValidParams_setKeepCollapsed_r(h, params.get(), 0);
  GeosGeometry fixed(h, GEOSMakeValidWithParams_r(h, g.get(), params.get()));
  if (!fixed) throw Error("GEOS: cannot repair the geometry (MakeValid failed)");
  // Collect the polygons (a repair can also yield lines and points, which have no area).
  std::vector<GeosGeometry> polys;
  auto collect = [&](auto &&self, const GEOSGeometry *part) -> void {
    const int type = GEOSGeomTypeId_r(h, part);
    if (type == GEOS_POLYGON) {
      if (GEOSisEmpty_r(h, part) == 0) {
        GEOSGeometry *copy = GEOSGeom_clone_r(h, part);
        if (!copy) throw Error("GEOS: cannot copy a repaired polygon");
        polys.emplace_back(h, copy);
      }
    } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
      const int n = GEOSGetNumGeometries_r(h, part);
      for (int i = 0; i < n; ++i)
        self(self, GEOSGetGeometryN_r(h, part, i));
    }
  };
  collect(collect, fixed.get());
  std::vector<GEOSGeometry *> raw;
  raw.reserve(polys.size());
  for (auto &p : polys)
    raw.push_back(p.get());
  GEOSGeometry *mp = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, raw.data(),
                                                 static_cast<unsigned>(raw.size()));
  for (auto &p : polys)
    p.release();
  if (!mp) throw Error("GEOS: cannot assemble the repaired polygons");
  return {h, mp};
}

double area(const GeosGeometry &g) {
  double a = 0;
  if (!GEOSArea_r(g.context(), g.get(), &a)) throw Error("GEOS: area failed");
  return a;
}

bool intersects(const MultiPolygon &a, const MultiPolygon &b) {
  GeosGeometry ga = to_geos(a), gb = to_geos(b);
  const char r = GEOSIntersects_r(ga.context(), ga.get(), gb.get());
  return predicate_result(r, "intersects");
}

MultiPolygon intersection(const MultiPolygon &a, const MultiPolygon &b) {
  GeosContext &c = GeosContext::current();
  GeosGeometry ga = to_geos(a), gb = to_geos(b);
  GeosGeometry r(c.get(), GEOSIntersection_r(c.get(), ga.get(), gb.get()));
  if (!r) fail(c, "intersection failed (invalid input geometry?)");
  return from_geos(r);
}

double intersection_area(const MultiPolygon &a, const MultiPolygon &b) {
  GeosContext &c = GeosContext::current();
  GeosGeometry ga = to_geos(a), gb = to_geos(b);
  GeosGeometry r(c.get(), GEOSIntersection_r(c.get(), ga.get(), gb.get()));
  if (!r) fail(c, "intersection failed (invalid input geometry?)");
  return area(r);
}

double intersection_area(const PreparedGeometry &a, const GeosGeometry &b) {
  if (!a.intersects(b)) return 0;
  GEOSContextHandle_t h = b.context();
  GeosGeometry r(h, GEOSIntersection_r(h, a.geometry().get(), b.get()));
  if (!r) throw Error("GEOS: intersection failed (invalid input geometry?)");
  return area(r);
}

} // namespace mineplan::geo

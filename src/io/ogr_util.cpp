#include "io/ogr_util.hpp"

#include "core/error.hpp"
#include "geo/area.hpp"

#include <algorithm>
#include <mutex>

namespace mineplan::io::ogr {

void ensure_registered() {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
}

// --- error capture ------------------------------------------------------------------------

ErrorCapture::ErrorCapture() {
  CPLPushErrorHandlerEx(&ErrorCapture::handler, this);
}
ErrorCapture::~ErrorCapture() {
  CPLPopErrorHandler();
}

void CPL_STDCALL ErrorCapture::handler(CPLErr cls, CPLErrorNum, const char *msg) {
  auto *self = static_cast<ErrorCapture *>(CPLGetErrorHandlerUserData());
  if (!self) return;
  if (cls == CE_Failure || cls == CE_Fatal)
    self->errors_.emplace_back(msg ? msg : "");
  else if (cls == CE_Warning)
    self->warnings_.emplace_back(msg ? msg : "");
}

std::string ErrorCapture::last_error(const std::string &fallback) const {
  if (!errors_.empty()) return errors_.back();
  return fallback;
}

// --- spatial references --------------------------------------------------------------------

OGRSpatialReference from_epsg(int code) {
  OGRSpatialReference srs;
  if (srs.importFromEPSG(code) != OGRERR_NONE)
    throw Error("EPSG:" + std::to_string(code) + " is not in PROJ's database");
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  return srs;
}

OGRSpatialReference cgcs2000_lonlat() {
  return from_epsg(4490);
}

bool same_crs(const OGRSpatialReference &a, const OGRSpatialReference &b) {
  const char *opts[] = {"IGNORE_DATA_AXIS_TO_SRS_AXIS_MAPPING=YES",
                        "CRITERION=EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS", nullptr};
  return a.IsSame(&b, opts);
}

std::string describe(const OGRSpatialReference &srs) {
  const char *auth = srs.GetAuthorityName(nullptr);
  const char *code = srs.GetAuthorityCode(nullptr);
  std::string name = srs.GetName() ? srs.GetName() : "unnamed CRS";
  if (auth && code) return std::string(auth) + ":" + code + " (" + name + ")";
  return name;
}

// --- geometry -------------------------------------------------------------------------------

namespace {

geo::Ring ring_of(const OGRLinearRing *r) {
  geo::Ring ring;
  if (!r) return ring;
  const int n = r->getNumPoints();
  ring.reserve(static_cast<std::size_t>(n) + 1);
  for (int i = 0; i < n; ++i)
    ring.push_back({r->getX(i), r->getY(i)});
  if (!ring.empty() && !(ring.front() == ring.back())) ring.push_back(ring.front());
  return ring;
}

geo::Polygon polygon_of(const OGRPolygon &p) {
  geo::Polygon poly;
  poly.outer = ring_of(p.getExteriorRing());
  for (int i = 0; i < p.getNumInteriorRings(); ++i)
    poly.holes.push_back(ring_of(p.getInteriorRing(i)));
  return poly;
}

void orient(geo::Ring &ring, bool ccw) {
  if (ring.size() < 4) return;
  if (!(ring.front() == ring.back())) ring.push_back(ring.front());
  const double a = geo::signed_ring_area(ring);
  if ((a > 0) != ccw && a != 0) std::reverse(ring.begin(), ring.end());
}

} // namespace

std::optional<geo::MultiPolygon> to_multipolygon(const OGRGeometry &g, std::string *type_name) {
  if (type_name) *type_name = OGRGeometryTypeToName(g.getGeometryType());
  switch (wkbFlatten(g.getGeometryType())) {
  case wkbPolygon: return geo::MultiPolygon{polygon_of(*g.toPolygon())};
  case wkbMultiPolygon: {
    geo::MultiPolygon mp;
    for (const OGRPolygon *p : *g.toMultiPolygon())
      mp.push_back(polygon_of(*p));
    return mp;
  }
  default: return std::nullopt;
  }
}

GeometryPtr to_ogr(const geo::MultiPolygon &mp) {
  auto multi = std::make_unique<OGRMultiPolygon>();
  for (const auto &poly : mp) {
    OGRPolygon p;
    auto add_ring = [&](const geo::Ring &ring) {
      OGRLinearRing r;
      r.setNumPoints(static_cast<int>(ring.size()), FALSE);
      for (std::size_t i = 0; i < ring.size(); ++i)
        r.setPoint(static_cast<int>(i), ring[i].x, ring[i].y);
      p.addRing(&r);
    };
    add_ring(poly.outer);
    for (const auto &h : poly.holes)
      add_ring(h);
    multi->addGeometry(&p);
  }
  return GeometryPtr(multi.release());
}

void normalize_orientation(geo::MultiPolygon &mp) {
  for (auto &poly : mp) {
    orient(poly.outer, true);
    for (auto &h : poly.holes)
      orient(h, false);
  }
}

std::string ascii_lower(std::string s) {
  for (char &c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

} // namespace mineplan::io::ogr

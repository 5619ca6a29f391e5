#pragma once
// What the OGR reader and writer share: GDAL registration, RAII, error capture, the CGCS2000
// SRS in GIS axis order, and conversions between OGR geometries and geo::MultiPolygon.
#include "core/geometry.hpp"

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mineplan::io::ogr {

// GDALAllRegister() once per process (thread-safe).
void ensure_registered();

// Owns an OGRGeometry (destroyed with OGRGeometryFactory::destroyGeometry).
struct GeometryDeleter {
  void operator()(OGRGeometry *g) const { OGRGeometryFactory::destroyGeometry(g); }
};
using GeometryPtr = std::unique_ptr<OGRGeometry, GeometryDeleter>;

struct TransformDeleter {
  void operator()(OGRCoordinateTransformation *t) const {
    OGRCoordinateTransformation::DestroyCT(t);
  }
};
using TransformPtr = std::unique_ptr<OGRCoordinateTransformation, TransformDeleter>;

// Collects GDAL's errors and warnings while in scope instead of printing them.
class ErrorCapture {
public:
  ErrorCapture();
  ~ErrorCapture();
  ErrorCapture(const ErrorCapture &) = delete;
  ErrorCapture &operator=(const ErrorCapture &) = delete;

  const std::vector<std::string> &errors() const { return errors_; }
  const std::vector<std::string> &warnings() const { return warnings_; }
  // The last error, or `fallback` when GDAL said nothing.
  std::string last_error(const std::string &fallback = "unknown GDAL error") const;

private:
  static void CPL_STDCALL handler(CPLErr cls, CPLErrorNum no, const char *msg);
  std::vector<std::string> errors_;
  std::vector<std::string> warnings_;
};

// EPSG:4490 with x = longitude, y = latitude.
OGRSpatialReference cgcs2000_lonlat();
// Any EPSG code, GIS axis order.
OGRSpatialReference from_epsg(int code);
// True when two SRSs are the same CRS (axis order aside): no transformation needed.
bool same_crs(const OGRSpatialReference &a, const OGRSpatialReference &b);
// "EPSG:4513" when identifiable, else the CRS name.
std::string describe(const OGRSpatialReference &srs);

// OGR Polygon/MultiPolygon -> geo::MultiPolygon (2D; rings closed). nullopt for any other
// type; `type_name` receives OGR's name for the type found.
std::optional<geo::MultiPolygon> to_multipolygon(const OGRGeometry &g,
                                                 std::string *type_name = nullptr);
// geo::MultiPolygon -> OGRMultiPolygon.
GeometryPtr to_ogr(const geo::MultiPolygon &mp);

// Orients rings the way the store keeps them (outer counter-clockwise, holes clockwise, as
// RFC 7946) and closes them; the first vertex stays first. Round trips through Shapefile
// (which winds outer rings clockwise) then give the same geometry back.
void normalize_orientation(geo::MultiPolygon &mp);

// ASCII lower case (file extensions, driver and field names; Chinese text is left as is).
std::string ascii_lower(std::string s);

} // namespace mineplan::io::ogr

#pragma once
// Coordinate transformations through PROJ, with RAII for its context and operation handles.
//
// Axis order: every Transformer is normalised for visualisation, so both ends are x = easting
// or longitude, y = northing or latitude, whatever the EPSG definition says (EPSG:2355 is
// northing-first, EPSG:4610 latitude-first).
//
// Datum honesty: PROJ's database has no published transformation between Xian 1980 or
// Beijing 1954 and CGCS2000. Without explicit parameters PROJ falls back to a "ballpark"
// operation that keeps latitude/longitude unchanged (+proj=noop), which can be off by up to
// ~100 m on the ground. Transformer::ballpark() says when that happened so the caller can
// warn; with the file's 7 parameters (转换参数) the shift is applied exactly.
#include "geo/crs.hpp"
#include "core/geometry.hpp"

#include <array>
#include <memory>
#include <optional>
#include <span>
#include <string>

struct pj_ctx;
struct PJconsts;

namespace mineplan::geo {

// Seven-parameter similarity (Helmert / Bursa-Wolf) transformation between geocentric
// Cartesian frames, position-vector convention (EPSG method 9606, PROJ
// +convention=position_vector), in this order:
//   [0..2] dx, dy, dz  translations in metres
//   [3..5] rx, ry, rz  rotations in arc-seconds (positive = anticlockwise rotation of the
//                      position vector, seen from the origin looking along the axis)
//   [6]    ds          scale difference in ppm (parts per million)
// X' = T + (1 + ds·1e-6) · R · X with R = [[1, -rz, ry], [rz, 1, -rx], [-ry, rx, 1]].
// Parameters given in the coordinate-frame convention (EPSG 9607, used by some software)
// have the opposite rotation signs: negate rx, ry, rz before passing them here.
using Helmert7 = std::array<double, 7>;

// Owns a PJ_CONTEXT. PROJ contexts are not thread-safe; use one per thread (current()) or
// one per Transformer (which is what Transformer does, so a Transformer can move between
// threads but must not be used by two at once).
class ProjContext {
public:
  ProjContext();
  ~ProjContext();
  ProjContext(ProjContext &&other) noexcept;
  ProjContext &operator=(ProjContext &&other) noexcept;
  ProjContext(const ProjContext &) = delete;
  ProjContext &operator=(const ProjContext &) = delete;

  pj_ctx *get() const { return ctx_; }
  // The last error PROJ recorded on this context, as text.
  std::string last_error() const;

  // The calling thread's context.
  static ProjContext &current();

private:
  pj_ctx *ctx_ = nullptr;
};

class Transformer {
public:
  // Throws mineplan::Error when a CRS is not known (zone missing) or PROJ cannot build the
  // operation. With a Helmert, the seven parameters transform from.datum to to.datum.
  Transformer(const Crs &from, const Crs &to, std::optional<Helmert7> helmert = std::nullopt);
  ~Transformer();
  Transformer(Transformer &&) noexcept;
  Transformer &operator=(Transformer &&) noexcept;
  Transformer(const Transformer &) = delete;
  Transformer &operator=(const Transformer &) = delete;

  // Throws mineplan::Error (naming the point) when PROJ cannot transform it.
  Point apply(Point p) const;
  void apply(std::span<Point> points) const;

  // True when the datums differ, no Helmert was given and PROJ had only a ballpark
  // (no datum shift) operation: positions may be off by up to ~100 m.
  bool ballpark() const { return ballpark_; }
  // PROJ's description of the operation (its name, or the pipeline string).
  const std::string &description() const { return description_; }
  const Crs &from() const { return from_; }
  const Crs &to() const { return to_; }

private:
  struct PjDeleter {
    void operator()(PJconsts *p) const;
  };
  // Declared first so it is destroyed last: the PJ belongs to this context.
  std::unique_ptr<ProjContext> ctx_;
  std::unique_ptr<PJconsts, PjDeleter> pj_;
  Crs from_;
  Crs to_;
  bool ballpark_ = false;
  std::string description_;
};

// The calling thread's transformer from `datum` lon/lat to its 3° Gauss-Krüger `zone` (no zone
// prefix). Building one opens PROJ's database (~0.6 ms): each thread keeps those it built.
const Transformer &gauss_kruger_transformer(Datum datum, int zone);

// The warning callers print when Transformer::ballpark() is true.
inline constexpr const char *kBallparkWarning =
    "no datum transformation parameters; positions may be off by up to ~100 m "
    "(缺少坐标转换参数，位置可能偏差约100米)";

// Builds the PROJ pipeline (x = east/lon, y = north/lat at both ends) for a Helmert datum
// change between two CRSs; exposed for documentation and tests.
std::string helmert_pipeline(const Crs &from, const Crs &to, const Helmert7 &h);

struct Reprojected {
  MultiPolygon geometry; // longitude, latitude in degrees (CGCS2000)
  bool ballpark = false; // see Transformer::ballpark()
};

// Reprojects a geometry in `crs` to CGCS2000 longitude/latitude.
Reprojected to_cgcs2000_lonlat(const MultiPolygon &mp, const Crs &crs,
                               std::optional<Helmert7> helmert = std::nullopt);

} // namespace mineplan::geo

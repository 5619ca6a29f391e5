#include "geo/proj.hpp"

#include "core/error.hpp"

#include <proj.h>

#include <cmath>
#include <cstdio>
#include <map>

namespace mineplan::geo {
namespace {

std::string crs_arg(const Crs &c) {
  // EPSG when the database has the CRS (so PROJ knows the datum and can look for datum
  // shifts); the explicit PROJ string otherwise (e.g. a 3° zone outside 25-45).
  if (int code = c.epsg()) return "EPSG:" + std::to_string(code);
  return c.proj_string();
}

std::string ellipsoid_args(Datum d) {
  Ellipsoid e = ellipsoid_of(d);
  char buf[96];
  std::snprintf(buf, sizeof buf, "+a=%.3f +rf=%.9f", e.a, e.rf);
  return buf;
}

// Pipeline steps from `c` (x=east/lon degrees, y=north/lat) to geocentric XYZ on its datum.
std::string to_cartesian_steps(const Crs &c) {
  std::string s;
  if (c.geographic()) {
    s += " +step +proj=unitconvert +xy_in=deg +xy_out=rad";
  } else {
    char buf[160];
    std::snprintf(buf, sizeof buf,
                  " +step +inv +proj=tmerc +lat_0=0 +lon_0=%.0f +k=1 +x_0=%.0f +y_0=0 ",
                  c.central_meridian(), c.false_easting());
    s += buf + ellipsoid_args(c.datum);
  }
  s += " +step +proj=cart " + ellipsoid_args(c.datum);
  return s;
}

std::string from_cartesian_steps(const Crs &c) {
  std::string s = " +step +inv +proj=cart " + ellipsoid_args(c.datum);
  if (c.geographic()) {
    s += " +step +proj=unitconvert +xy_in=rad +xy_out=deg";
  } else {
    char buf[160];
    std::snprintf(buf, sizeof buf, " +step +proj=tmerc +lat_0=0 +lon_0=%.0f +k=1 +x_0=%.0f +y_0=0 ",
                  c.central_meridian(), c.false_easting());
    s += buf + ellipsoid_args(c.datum);
  }
  return s;
}

} // namespace

// ---------------------------------------------------------------------------------------------
ProjContext::ProjContext() : ctx_(proj_context_create()) {
  if (!ctx_) throw Error("PROJ: cannot create a context (out of memory?)");
  // PROJ would otherwise print its own diagnostics to stderr; errors reach the caller as
  // exceptions with the message from last_error().
  proj_log_level(ctx_, PJ_LOG_NONE);
}

ProjContext::~ProjContext() {
  if (ctx_) proj_context_destroy(ctx_);
}

ProjContext::ProjContext(ProjContext &&other) noexcept : ctx_(other.ctx_) {
  other.ctx_ = nullptr;
}

ProjContext &ProjContext::operator=(ProjContext &&other) noexcept {
  if (this != &other) {
    if (ctx_) proj_context_destroy(ctx_);
    ctx_ = other.ctx_;
    other.ctx_ = nullptr;
  }
  return *this;
}

std::string ProjContext::last_error() const {
  int code = proj_context_errno(ctx_);
  if (!code) return "no error recorded";
  const char *msg = proj_context_errno_string(ctx_, code);
  return msg ? msg : ("PROJ error " + std::to_string(code));
}

ProjContext &ProjContext::current() {
  thread_local ProjContext ctx;
  return ctx;
}

// ---------------------------------------------------------------------------------------------
void Transformer::PjDeleter::operator()(PJconsts *p) const {
  if (p) proj_destroy(p);
}

std::string helmert_pipeline(const Crs &from, const Crs &to, const Helmert7 &h) {
  char helmert[320];
  std::snprintf(helmert, sizeof helmert,
                " +step +proj=helmert +x=%.17g +y=%.17g +z=%.17g +rx=%.17g +ry=%.17g +rz=%.17g "
                "+s=%.17g +convention=position_vector",
                h[0], h[1], h[2], h[3], h[4], h[5], h[6]);
  return "+proj=pipeline" + to_cartesian_steps(from) + helmert + from_cartesian_steps(to);
}

Transformer::Transformer(const Crs &from, const Crs &to, std::optional<Helmert7> helmert)
    : ctx_(std::make_unique<ProjContext>()), from_(from), to_(to) {
  auto what = [&] { return "PROJ: " + from.name() + " -> " + to.name() + ": "; };
  if (!from.known() || !to.known())
    throw Error(what() + "the Gauss-Krüger zone is unknown (带号未知); cannot transform");

  if (helmert) {
    description_ = helmert_pipeline(from, to, *helmert);
    pj_.reset(proj_create(ctx_->get(), description_.c_str()));
    if (!pj_) throw Error(what() + ctx_->last_error() + " in " + description_);
    return;
  }

  const std::string a = crs_arg(from), b = crs_arg(to);
  std::unique_ptr<PJconsts, PjDeleter> raw(
      proj_create_crs_to_crs(ctx_->get(), a.c_str(), b.c_str(), nullptr));
  if (!raw) throw Error(what() + ctx_->last_error());
  pj_.reset(proj_normalize_for_visualization(ctx_->get(), raw.get()));
  if (!pj_) throw Error(what() + "cannot normalise axis order: " + ctx_->last_error());

  if (const char *name = proj_get_name(pj_.get())) description_ = name;
  if (from.datum != to.datum) {
    // PROJ has no Xian80/Beijing54 -> CGCS2000 parameters; what it returns is a ballpark
    // geographic offset (a no-op). Checked both through the API and by name, because the
    // API answers for the single operation PROJ selected.
    ballpark_ = proj_coordoperation_has_ballpark_transformation(ctx_->get(), pj_.get()) != 0 ||
                description_.find("allpark") != std::string::npos;
  }
}

const Transformer &gauss_kruger_transformer(Datum datum, int zone) {
  thread_local std::map<std::pair<int, int>, Transformer> cache;
  auto key = std::make_pair(static_cast<int>(datum), zone);
  auto it = cache.find(key);
  if (it == cache.end())
    it = cache
             .emplace(key,
                      Transformer(Crs::geographic(datum), Crs::gauss_kruger(datum, 3, zone, false)))
             .first;
  return it->second;
}

Transformer::~Transformer() = default;
Transformer::Transformer(Transformer &&) noexcept = default;
Transformer &Transformer::operator=(Transformer &&) noexcept = default;

Point Transformer::apply(Point p) const {
  PJ_COORD c = proj_coord(p.x, p.y, 0, 0);
  PJ_COORD r = proj_trans(pj_.get(), PJ_FWD, c);
  if (!std::isfinite(r.xy.x) || !std::isfinite(r.xy.y) || r.xy.x == HUGE_VAL) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "(%.3f, %.3f)", p.x, p.y);
    throw Error("PROJ: cannot transform point " + std::string(buf) + " from " + from_.name() +
                " to " + to_.name() + ": " + ctx_->last_error());
  }
  return {r.xy.x, r.xy.y};
}

void Transformer::apply(std::span<Point> points) const {
  if (points.empty()) return;
  // proj_trans_generic transforms in place with a stride, so the Point array is used as is.
  static_assert(sizeof(Point) == 2 * sizeof(double));
  const std::size_t n = points.size();
  proj_errno_reset(pj_.get());
  proj_trans_generic(pj_.get(), PJ_FWD, &points[0].x, sizeof(Point), n, &points[0].y, sizeof(Point),
                     n, nullptr, 0, 0, nullptr, 0, 0);
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isfinite(points[i].x) || !std::isfinite(points[i].y)) {
      throw Error("PROJ: cannot transform point " + std::to_string(i + 1) + " of " +
                  std::to_string(n) + " from " + from_.name() + " to " + to_.name() + ": " +
                  ctx_->last_error());
    }
}

Reprojected to_cgcs2000_lonlat(const MultiPolygon &mp, const Crs &crs,
                               std::optional<Helmert7> helmert) {
  Transformer t(crs, Crs::geographic(Datum::CGCS2000), helmert);
  Reprojected out{mp, t.ballpark()};
  for (auto &poly : out.geometry) {
    t.apply(poly.outer);
    for (auto &h : poly.holes)
      t.apply(h);
  }
  return out;
}

} // namespace mineplan::geo
